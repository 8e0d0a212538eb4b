import Foundation
import Testing

@testable import PODCore
@testable import PODStore

/// Niches read from imported signals: grouped, scored with the newest competition count, marked.
@Suite struct NicheStoreTests {
    func signal(_ keyword: String, day: Int, volume: Double, competition: Double?) -> TrendSignal {
        TrendSignal(
            keyword: keyword, region: "US", day: day, volume: volume, competition: competition,
            provenance: Provenance(source: "test", method: "fixed", fetchedAt: now, confidence: 1, isEstimate: false), isDemo: false)
    }

    @Test func nichesComeFromTheSummaryWithTheNewestCompetition() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        _ = try store.importSignals { insert in
            for d in 0..<60 {
                try insert(signal("funny cat mug", day: today - d, volume: d < 30 ? 200 : 100, competition: d == 0 ? 4_000 : 9_999))
                try insert(signal("funny cat shirt", day: today - d, volume: 100, competition: nil))
                try insert(signal("dog poster", day: today - d, volume: 10, competition: nil))
            }
        }
        let niches = try store.niches(window: .days30, region: "US")
        #expect(niches.map(\.name) == ["funny cat", "dog"])
        let cat = niches[0]
        #expect(cat.volume == 9_000 && cat.previousVolume == 6_000)
        #expect(cat.competition == 4_000, "the newest count, and only keywords with one weigh in")
        #expect(cat.score == NicheMath.score(volume: 9_000, previousVolume: 6_000, competition: 4_000, days: 30))

        try store.markNiche("funny cat", saved: false, excluded: true, now: now)
        try store.markNiche("dog", saved: true, excluded: false, now: now)
        let marked = try store.niches(window: .days30, region: "US")
        #expect(marked.map(\.name) == ["dog", "funny cat"], "excluded ones last")
        #expect(marked[0].saved && marked[1].excluded)
        #expect(try store.niches(window: .days30, region: "GB").isEmpty)
    }
}

/// Niches fitted to the active brand profile, and the same niche in the store's other regions.
@Suite struct NicheFitAndVariantTests {
    @Test func theActiveBrandTakesAFifthOfTheScoreAndOtherRegionsAreListed() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let p = Provenance(source: "test", method: "fixed", fetchedAt: now, confidence: 1, isEstimate: false)
        _ = try store.importSignals { insert in
            for d in 0..<60 {
                for (keyword, region, volume) in [
                    ("cat mom mug", "US", 100.0), ("golf dad shirt", "US", 100.0), ("cat mom mug", "GB", 40.0), ("cat mom tee", "DE", 10.0),
                ] {
                    try insert(TrendSignal(keyword: keyword, region: region, day: today - d, volume: volume, competition: nil, provenance: p, isDemo: false))
                }
            }
        }
        let plain = try store.niches(window: .days30, region: "US")
        #expect(plain.allSatisfy { $0.score.fit == nil } && plain[0].score.opportunity == plain[1].score.opportunity)
        var brand = BrandProfile(name: "Cosy Cat")
        (brand.audience, brand.bannedTopics) = ("cat moms", ["golf"])
        try store.saveBrandProfile(brand, now: now)
        let fitted = try store.niches(window: .days30, region: "US")
        #expect(fitted.map(\.name) == ["cat mom", "golf dad"])
        #expect(fitted[0].score.fit == 1 && fitted[1].score.fit == 0 && fitted[0].score.weights.fit == 0.2)
        #expect(fitted[0].score == NicheMath.score(volume: 3_000, previousVolume: 3_000, competition: nil, days: 30, fit: 1))
        let variants = try store.nicheVariants("cat mom", window: .days30, except: "US")
        #expect(variants.map(\.region) == ["GB", "DE"] && variants[0].volume == 1_200)
        #expect(try store.nicheVariants("golf dad", window: .days30, except: "US").isEmpty)
    }
}

/// A keyword's history and provenance for the Trends detail pane.
@Suite struct KeywordDetailTests {
    @Test func weeklyHistoryAndOneLinePerSource() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let csv = Provenance(source: "import:trends.csv", method: "csv", fetchedAt: now, confidence: 0.8, isEstimate: false)
        let feed = Provenance(source: "etsy", method: "active_listings", fetchedAt: now.addingTimeInterval(60), confidence: 1, isEstimate: true)
        _ = try store.importSignals { insert in
            for d in 0..<14 {
                try insert(TrendSignal(keyword: "cat mug", region: "US", day: today - d, volume: 10, competition: nil, provenance: csv, isDemo: false))
            }
            try insert(TrendSignal(keyword: "cat mug", region: "US", day: today - 1, volume: 0, competition: 1_234, provenance: feed, isDemo: false))
            try insert(TrendSignal(keyword: "cat mug", region: "US", day: today - 400, volume: 99, competition: nil, provenance: csv, isDemo: false))
        }
        let d = try store.keywordDetail(keyword: "cat mug", region: "US")
        #expect(d.lastDay == today && d.weekly.count == 26)
        #expect(d.weekly.suffix(2) == [70, 70] && d.weekly.dropLast(2).allSatisfy { $0 == 0 }, "the old signal is outside the 26 weeks")
        #expect(d.sources.map(\.source) == ["import:trends.csv", "etsy"])
        let first = d.sources[0]
        #expect(first.signals == 15 && first.firstDay == today - 400 && first.lastDay == today && abs(first.confidence - 0.8) < 1e-9 && !first.isEstimate)
        #expect(d.sources[1].competition == 1_234 && d.sources[1].isEstimate && d.sources[1].method == "active_listings")
        #expect(try store.keywordDetail(keyword: "nothing", region: "US").sources.isEmpty)
    }
}
