import Foundation
import Testing

@testable import PODCore
@testable import PODStore

/// Search across the store's kinds, its memory (saved searches, recent queries, marked
/// keywords) and the Trends table's category filter.
@Suite struct SearchStoreTests {
    func store() throws -> Store {
        let store = try Store(dataDirectory: temporaryDirectory())
        let p = Provenance(source: "test", method: "fixed", fetchedAt: now, confidence: 1, isEstimate: false)
        _ = try store.importSignals { insert in
            for d in 0..<60 {
                for (keyword, volume) in [("funny cat mug", 30.0), ("funny cat shirt", 20.0), ("dog poster", 10.0), ("catalog", 1.0)] {
                    try insert(
                        TrendSignal(
                            keyword: keyword, region: "US", day: today - d, volume: d < 30 ? volume * 2 : volume,
                            competition: keyword == "funny cat mug" ? 500 : nil, provenance: p, isDemo: false))
                }
            }
        }
        var draft = ListingDraft()
        (draft.title, draft.keyword, draft.tags) = ("Sleepy cat mug", "cat mug", ["cat mug", "coffee"])
        _ = try store.saveDraft(draft, now: now)
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO listings (provider, title, state, price_cents, currency, views, created_at, updated_at)
                    VALUES ('etsy', 'Black Cat Poster', 'active', 1999, 'EUR', 40, 0, 0), ('etsy', 'Dog Tee', 'active', 999, 'USD', 5, 0, 0)
                    """)
        }
        return store
    }

    @Test func oneQueryFindsEveryKind() throws {
        let s = try store()
        let hits = try s.search("cat", kind: nil, window: .days30, region: "US", limit: 10)
        #expect(hits.filter { $0.kind == .keyword }.map(\.title) == ["funny cat mug", "funny cat shirt", "catalog"], "by volume")
        let mug = try #require(hits.first)
        #expect(mug.volume == 1_800 && mug.growth == 1 && mug.competition == 500 && mug.series.count == 30)
        let niches = hits.filter { $0.kind == .niche }
        #expect(niches.map(\.title) == ["funny cat", "catalog"])
        #expect(niches[0].keywords == ["funny cat mug", "funny cat shirt"] && niches[0].score != nil)
        let draft = try #require(hits.first { $0.kind == .draft })
        #expect(draft.title == "Sleepy cat mug" && draft.keywords == ["cat mug", "coffee"] && draft.state == "draft")
        let listing = try #require(hits.first { $0.kind == .listing })
        #expect(listing.title == "Black Cat Poster" && listing.priceCents == 1_999 && listing.currency == "EUR" && listing.views == 40)
        #expect(!hits.contains { $0.title == "Dog Tee" || $0.title == "dog poster" })

        // One kind only; a limit per kind; LIKE's wildcards are literal.
        #expect(try s.search("cat", kind: .listing, window: .days30, region: "US", limit: 10).map(\.kind) == [.listing])
        #expect(try s.search("cat", kind: .keyword, window: .days30, region: "US", limit: 1).count == 1)
        #expect(try s.search("%", kind: nil, window: .days30, region: "US", limit: 10).isEmpty)
        #expect(try s.search("  ", kind: nil, window: .days30, region: "US", limit: 10).isEmpty)
        // An excluded niche is not offered.
        try s.markNiche("funny cat", saved: false, excluded: true, now: now)
        #expect(try s.search("cat", kind: .niche, window: .days30, region: "US", limit: 10).map(\.title) == ["catalog"])
    }

    @Test func savedSearchesRecentQueriesAndMarkedKeywords() throws {
        let s = try store()
        try s.setSearchSaved(SavedSearch(query: "cat", kind: .niche), saved: true, now: now)
        try s.setSearchSaved(SavedSearch(query: "dog", kind: nil), saved: true, now: now.addingTimeInterval(1))
        for (i, q) in ["cat", "dog", "cat"].enumerated() { try s.recordSearch(q, now: now.addingTimeInterval(Double(i))) }
        try s.markKeyword("funny cat mug", region: "US", saved: true, watched: false, now: now)
        try s.markKeyword("dog poster", region: "US", saved: false, watched: true, now: now.addingTimeInterval(1))
        try s.markKeyword("gone keyword", region: "US", saved: true, watched: false, now: now.addingTimeInterval(2))

        var memory = try s.searchMemory(window: .days30, region: "US")
        #expect(memory.saved == [SavedSearch(query: "dog", kind: nil), SavedSearch(query: "cat", kind: .niche)])
        #expect(memory.recent == ["cat", "dog"], "newest first, each query once")
        #expect(memory.marks.map(\.keyword) == ["dog poster", "gone keyword", "funny cat mug"], "watched first, then newest")
        #expect(memory.marks[0].watched && memory.marks[0].trend?.volume == 600)
        #expect(memory.marks[1].trend == nil, "a keyword without data in the window keeps its mark")
        #expect(try s.searchMemory(window: .days30, region: "GB").marks.isEmpty)

        try s.setSearchSaved(SavedSearch(query: "cat", kind: .niche), saved: false, now: now)
        try s.forgetRecentSearch("dog")
        try s.markKeyword("dog poster", region: "US", saved: false, watched: false, now: now)
        memory = try s.searchMemory(window: .days30, region: "US")
        #expect(memory.saved.map(\.query) == ["dog"] && memory.recent == ["cat"] && !memory.marks.contains { $0.keyword == "dog poster" })

        for i in 0..<60 { try s.recordSearch("q\(i)", now: now.addingTimeInterval(Double(10 + i))) }
        #expect(try s.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM recent_searches") } == 50)
    }

    @Test func theTrendsTableFiltersByProductCategory() throws {
        let s = try store()
        #expect(try s.trending(window: .days30, region: "US", offset: 0, limit: 10, sort: .keyword, category: .drinkware).map(\.keyword) == ["funny cat mug"])
        #expect(try s.trending(window: .days30, region: "US", offset: 0, limit: 10, sort: .keyword, category: .wallArt).map(\.keyword) == ["dog poster"])
        #expect(try s.trendingCount(window: .days30, region: "US", filter: "cat", category: .other) == 1)
        #expect(try s.trendingCount(window: .days30, region: "US", filter: "cat") == 3)
    }

    @Test func theTrendsTableSortsByOpportunityAndCompetition() throws {
        let s = try store()
        let byOpportunity = try s.trending(window: .days30, region: "US", offset: 0, limit: 10, sort: .opportunity)
        #expect(byOpportunity.map(\.opportunity) == byOpportunity.map(\.opportunity).sorted { ($0 ?? 0) > ($1 ?? 0) })
        let mug = try #require(byOpportunity.first { $0.keyword == "funny cat mug" })
        #expect(mug.competition == 500)
        #expect(mug.opportunity == NicheMath.score(volume: 1_800, previousVolume: 900, competition: 500, days: 30).opportunity)
        let byCompetition = try s.trending(window: .days30, region: "US", offset: 0, limit: 10, sort: .competition)
        #expect(byCompetition.first?.keyword == "funny cat mug", "the only one with a count comes first; unknown last")
    }

    /// v7 → v8: the summary gets its category column filled from the signals already there.
    @Test func v8FillsTheCategoryOfExistingKeywords() throws {
        let dir = temporaryDirectory()
        let v7 = try Store(dataDirectory: dir, migrateUpTo: "v7")
        _ = try v7.importSignals { insert in
            try insert(
                TrendSignal(
                    keyword: "retro frog hoodie", region: "US", day: today, volume: 5, competition: nil,
                    provenance: Provenance(source: "t", method: "m", fetchedAt: now, confidence: 1, isEstimate: false), isDemo: false))
        }
        let v8 = try Store(dataDirectory: dir, migrateUpTo: "v8")
        #expect(try v8.appliedMigrations().last == "v8")
        #expect(try v8.trendingCount(window: .days7, region: "US", category: .apparel) == 1)
    }
}
