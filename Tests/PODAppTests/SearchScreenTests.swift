import Foundation
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Search screen: one box from anywhere, results per kind, saved and recent searches, the
/// watchlist, compare, and the hand-off to the composer; and Trends' save, watch and category.
@Suite struct SearchScreenTests {
    func hits() -> [SearchHit] {
        var keyword = SearchHit(kind: .keyword, title: "cat mug", region: "US")
        (keyword.volume, keyword.growth, keyword.series) = (3_000, 0.5, [1, 2, 3])
        var niche = SearchHit(kind: .niche, title: "cat", region: "US")
        (niche.volume, niche.growth, niche.score, niche.keywords) = (4_000, 0.25, 61, ["cat mug", "cat shirt"])
        var draft = SearchHit(kind: .draft, title: "Cat mug for mornings", id: 7)
        (draft.state, draft.updatedAt) = ("draft", fixedNow)
        var listing = SearchHit(kind: .listing, title: "Cat poster", id: 9)
        (listing.state, listing.priceCents, listing.currency, listing.views) = ("active", 1_999, "EUR", 12)
        return [keyword, niche, draft, listing]
    }

    /// Search opened with `/` from the dashboard and "cat" typed and answered.
    func searched() throws -> AppState {
        var s = try makeState()
        let opened = press(&s, .char("/"))
        #expect(s.screen == .search && s.search.editing)
        #expect(opened.contains(.job(SearchScreen.self, .loadMemory(window: .days30, region: "US"))))
        _ = reduce(&s, .to(SearchScreen.self, .memoryLoaded(SearchMemory())))
        let typed = typeText(&s, "cat")
        #expect(typed.last == .job(SearchScreen.self, .search(query: "cat", kind: nil, window: .days30, region: "US", limit: SearchState.hitsPerKind)))
        _ = reduce(&s, .to(SearchScreen.self, .loaded(query: "cat", kind: nil, hits())))
        return s
    }

    @Test func slashAnywhereOpensTheBoxAndResultsAreGroupedByKind() throws {
        var s = try searched()
        let text = view(s).text()
        for heading in ["Keywords", "Niches", "Drafts", "Listings"] { #expect(text.contains(heading)) }
        #expect(text.contains("cat mug") && text.contains("+50%") && text.contains("score 61"))
        #expect(text.contains("€19.99") && text.contains("12 views"))
        // An answer to an older query is dropped.
        _ = reduce(&s, .to(SearchScreen.self, .loaded(query: "ca", kind: nil, [])))
        #expect(view(s).text().contains("Cat poster"))
        // Esc clears the box; Esc again leaves it; q then goes back to the dashboard.
        press(&s, .escape)
        #expect(s.search.box.text.isEmpty && s.search.editing)
        press(&s, .escape)
        #expect(!s.search.editing)
        press(&s, .char("q"))
        #expect(s.screen == .dashboard)
    }

    @Test func tablesKeepTheirOwnFilterKey() throws {
        var s = try makeState(screen: .trends)
        press(&s, .char("/"))
        #expect(s.screen == .trends && s.trends.filtering)
    }

    @Test func theKindFilterSearchesAgain() throws {
        var s = try searched()
        press(&s, .enter)
        #expect(
            press(&s, .char("f")) == [
                .job(SearchScreen.self, .search(query: "cat", kind: .keyword, window: .days30, region: "US", limit: SearchState.hitsPerKind))
            ])
        #expect(view(s).text().contains("showing keywords"))
    }

    @Test func enterRemembersTheQueryAndEachKindHandsOff() throws {
        var s = try searched()
        #expect(press(&s, .enter) == [.job(SearchScreen.self, .record("cat"))])
        #expect(s.search.memory.recent == ["cat"])
        // A keyword: a draft with it as primary keyword and its niche.
        var k = s
        guard case .createDraft(let d)? = job(press(&k, .enter).last, ComposerScreen.self) else {
            Issue.record("no draft")
            return
        }
        #expect(d.keyword == "cat mug" && d.niche == "cat" && !d.tags.isEmpty)
        // A niche: its keywords come along.
        var n = s
        press(&n, .char("j"))
        guard case .createDraft(let nd)? = job(press(&n, .enter).last, ComposerScreen.self) else {
            Issue.record("no draft")
            return
        }
        #expect(nd.niche == "cat" && nd.keyword == "cat mug" && nd.keywords == ["cat mug", "cat shirt"])
        // A draft opens.
        var dr = s
        press(&dr, .char("j"), .char("j"))
        #expect(press(&dr, .enter).last == .job(ComposerScreen.self, .openDraft(id: 7)))
        #expect(dr.screen == .composer)
        // A listing opens in the composer, in its own draft.
        var l = s
        press(&l, .char("G"))
        guard case .open(let listingID)? = job(press(&l, .enter).last, ListingsScreen.self) else {
            Issue.record("no listing opened")
            return
        }
        #expect(listingID == 9)
    }

    @Test func savedSearchesAndRecentQueriesRunAgainAndCanBeForgotten() throws {
        var s = try searched()
        press(&s, .enter)
        #expect(press(&s, .char("b")) == [.job(SearchScreen.self, .setSaved(SavedSearch(query: "cat", kind: nil), saved: true))])
        press(&s, .char("/"))
        press(&s, .escape)  // the box is cleared: the memory is listed
        press(&s, .escape)
        var text = view(s).text()
        #expect(text.contains("Saved searches") && text.contains("Recent searches"))
        // The first entry is the saved search: Enter runs it.
        // (Its hits are those already there: "cat" was answered.)
        #expect(press(&s, .enter) == [.job(SearchScreen.self, .record("cat"))])
        #expect(s.search.box.text == "cat" && view(s).text().contains("Cat poster"))
        // Back to the memory: d forgets the saved search, then the recent query.
        press(&s, .char("/"), .escape, .escape)
        #expect(press(&s, .char("d")) == [.job(SearchScreen.self, .setSaved(SavedSearch(query: "cat", kind: nil), saved: false))])
        #expect(press(&s, .char("d")) == [.job(SearchScreen.self, .forgetRecent("cat"))])
        text = view(s).text()
        #expect(text.contains("Nothing kept yet"))
    }

    @Test func watchAndCompareUpToThree() throws {
        var s = try searched()
        press(&s, .enter)
        #expect(press(&s, .char("W")) == [.job(SearchScreen.self, .markKeyword(keyword: "cat mug", region: "US", saved: false, watched: true))])
        #expect(view(s).text().contains("◉ cat mug"))
        press(&s, .char("j"))
        #expect(press(&s, .char("W")).isEmpty && s.toast?.isError == true)  // a niche is not watched
        press(&s, .char("g"))
        for _ in 0..<4 { press(&s, .char("a"), .char("j")) }
        #expect(s.search.compare.map(\.title) == ["cat mug", "cat", "Cat mug for mornings"])
        #expect(s.toast?.message.contains("holds 3") == true)
        press(&s, .char("C"))
        let text = view(s).text()
        #expect(s.search.comparing && text.contains("Comparing 3") && text.contains("score".capitalized))
        #expect(text.contains("61") && text.contains("+50%") && text.contains("cat mug, cat shirt") && text.contains("draft"))
        press(&s, .escape)
        #expect(!s.search.comparing)
        // `a` again takes an item out.
        press(&s, .char("g"), .char("a"))
        #expect(s.search.compare.count == 2)
    }

    @Test func theWatchlistIsListedBeforeAnythingIsTyped() throws {
        var s = try makeState()
        _ = reduce(&s, .go(.search))
        let trend = KeywordTrend(keyword: "frog shirt", region: "US", window: .days30, volume: 2_500, growth: 0.2, series: [1, 2], isDemo: false)
        _ = reduce(
            &s,
            .to(
                SearchScreen.self,
                .memoryLoaded(
                    SearchMemory(
                        saved: [SavedSearch(query: "frog", kind: .niche)], recent: ["toad"],
                        marks: [KeywordMark(keyword: "frog shirt", region: "US", saved: true, watched: true, markedAt: fixedNow, trend: trend)]))))
        let text = view(s).text()
        #expect(text.contains("Watchlist and saved keywords") && text.contains("◉★ frog shirt") && text.contains("+20%"))
        #expect(text.contains("frog") && text.contains("niches") && text.contains("toad"))
        #expect(press(&s, .char("d")) == [.job(SearchScreen.self, .markKeyword(keyword: "frog shirt", region: "US", saved: false, watched: false))])
    }

    @Test func trendsSaveWatchAndCategory() throws {
        var s = try makeState(screen: .trends)
        _ = reduce(&s, .go(.trends))
        let rows = [
            KeywordTrend(
                keyword: "cat mug", region: "US", window: .days30, volume: 10, growth: 0.1, series: [], isDemo: false,
                competition: 4_321, opportunity: 61)
        ]
        _ = reduce(&s, .to(TrendsScreen.self, .loaded(generation: s.trends.rows.generation, page: 0, rows: rows, total: 1)))
        let table = view(s).text()
        #expect(table.contains("Opport.") && table.contains("Competition") && table.contains("61") && table.contains("4.32K"))
        #expect(press(&s, .char("b")) == [.job(SearchScreen.self, .markKeyword(keyword: "cat mug", region: "US", saved: true, watched: false))])
        #expect(press(&s, .char("W")) == [.job(SearchScreen.self, .markKeyword(keyword: "cat mug", region: "US", saved: true, watched: true))])
        #expect(view(s).text().contains("◉★ cat mug"))
        let effects = press(&s, .char("f"))
        guard case .load(_, _, _, _, _, _, let category, _)? = job(effects.first, TrendsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(category == .apparel && view(s).text().contains("apparel"))
        for _ in ProductCategory.allCases { press(&s, .char("f")) }
        #expect(s.trendCategory == nil)
    }

    @Test func everyLanguageHasTheSearchScreen() throws {
        for language in ["en", "es", "fr", "de"] {
            var s = try makeState(language: language)
            press(&s, .char("/"))
            _ = typeText(&s, "cat")
            _ = reduce(&s, .to(SearchScreen.self, .loaded(query: "cat", kind: nil, hits())))
            let text = view(s).text()
            #expect(!text.contains("search."), "untranslated key in \(language)")
        }
    }

    @Test func theDashboardChartsWatchedKeywordsOrElseTheFastestGrowing() throws {
        var s = try makeState(width: 120, height: 40)
        _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
        var text = view(s).text()
        #expect(text.contains("Fastest growing keywords (30 days)") && text.contains("keyword 0"))
        #expect(text.contains("+50%") && text.contains("████"))
        let trend = KeywordTrend(keyword: "frog shirt", region: "US", window: .days30, volume: 2_500, growth: -0.2, series: [], isDemo: false)
        _ = reduce(
            &s,
            .to(
                SearchScreen.self,
                .memoryLoaded(
                    SearchMemory(marks: [
                        KeywordMark(
                            keyword: "frog shirt", region: "US", saved: false, watched: true,
                            markedAt: fixedNow, trend: trend)
                    ]))))
        text = view(s).text()
        #expect(text.contains("Growth of watched keywords (30 days)") && text.contains("frog shirt") && text.contains("-20%"))
        // Too short for both: the table keeps the room.
        s.height = 24
        #expect(!view(s).text().contains("Growth of watched"))
    }
}
