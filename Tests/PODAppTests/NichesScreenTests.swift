import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Niches screen: loading, the score's parts, save/exclude, compose, the window.
@Suite struct NichesScreenTests {
    func rows() -> [NicheRow] {
        NicheMath.niches(
            [("funny cat mug", 3_000, 2_000, 1_000, false), ("funny cat shirt", 1_000, 1_000, nil, false), ("dog poster", 50, 40, nil, false)],
            region: "US", days: 30)
    }

    func screen() throws -> AppState {
        var s = try makeState()
        #expect(reduce(&s, .go(.niches)) == [.job(NichesScreen.self, .load(window: .days30, region: "US"))])
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", rows())))
        return s
    }

    @Test func theTableAndTheScoresParts() throws {
        let s = try screen()
        let text = view(s).text()
        let cat = s.niches.rows[0]
        #expect(cat.name == "funny cat")
        #expect(text.contains("Niche") && text.contains("Competition") && text.contains("funny cat") && text.contains("dog"))
        #expect(text.contains("funny cat: \(cat.score.opportunity) = demand"))
        #expect(text.contains("×40%") && text.contains("room"))
        #expect(text.contains("Keywords: funny cat mug, funny cat shirt"))
    }

    @Test func anEmptyStoreSaysWhereNichesComeFrom() throws {
        var s = try makeState()
        _ = reduce(&s, .go(.niches))
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", [])))
        #expect(view(s).text().contains("they are made from the keywords of your trend data"))
    }

    @Test func saveExcludeAndCompose() throws {
        var s = try screen()
        #expect(press(&s, .char("b")) == [.job(NichesScreen.self, .mark(name: "funny cat", saved: true, excluded: false))])
        #expect(press(&s, .char("e")) == [.job(NichesScreen.self, .mark(name: "funny cat", saved: true, excluded: true))])
        #expect(view(s).text().contains("excluded"))
        let effects = press(&s, .enter)
        guard case .createDraft(let d)? = job(effects.last, ComposerScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(d.niche == "funny cat" && d.keyword == "funny cat mug" && d.keywords == ["funny cat mug", "funny cat shirt"])
    }

    @Test func theDashboardShowsTheRisingNiches() throws {
        var s = try makeState()
        #expect(startEffects(&s).contains(.job(NichesScreen.self, .load(window: .days30, region: "US"))))
        _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
        #expect(view(s).text().contains("Rising niches (30 days)"))
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", rows())))
        let text = view(s).text()
        #expect(text.contains("funny cat") && text.contains("score \(s.niches.rows[0].score.opportunity) · +33%"))
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", [])))
        #expect(view(s).text().contains("No niche grew in this window."))
    }

    /// A failed load comes back to the screen: it says so instead of "Loading…" for good, and
    /// R (or r) asks again; the answer takes the failure away.
    @Test func aFailedLoadIsShownWithARetry() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("niches-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        try store.write { try $0.execute(sql: "DROP TABLE niches") }
        let received = Received()
        let runner = EffectRunner(store: store, calendar: .current) { received.add($0) }
        var s = try makeState()
        let load = reduce(&s, .go(.niches))
        load.forEach(runner.perform)
        guard case .failed(let failure)? = received.all.first else {
            Issue.record("\(received.all)")
            return
        }
        #expect(failure.screen == .niches && failure.retry == load.first)
        _ = reduce(&s, .failed(failure))
        let text = view(s).text()
        #expect(text.contains("Could not load (R retry · r reload): SQLite error") && text.contains("niches") && text.contains("Not loaded."), "\(text)")
        #expect(!text.contains("Loading…"))
        #expect(press(&s, .char("R")) == load)
        #expect(s.failures[.niches] == nil)
        _ = reduce(&s, .failed(failure))
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", rows())))
        #expect(!view(s).text().contains("Could not load"))
    }

    /// The status bar's hints and the `?` help come from the keymap and the screen's commands:
    /// rebinding a key changes both.
    @Test func hintsAndHelpFollowTheKeymap() throws {
        var s = try screen()
        #expect(view(s).text().split(separator: "\n").last?.contains("b save") == true)
        try s.keymap.override(["save": ["B"]])
        let text = view(s).text()
        #expect(text.contains("B save") && !text.contains("b save"))
        #expect(press(&s, .char("B")) == [.job(NichesScreen.self, .mark(name: "funny cat", saved: true, excluded: false))])
        _ = reduce(&s, .run(.help))
        let help = view(s).text()
        #expect(help.contains("On this screen (Niches)"))
    }

    @Test func theWindowReloadsAndAStaleAnswerIsIgnored() throws {
        var s = try screen()
        #expect(press(&s, .char("w")).contains(.job(NichesScreen.self, .load(window: .days90, region: "US"))))
        _ = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", [])))
        #expect(s.niches.rows.count == 2, "an answer for the old window changes nothing")
    }
}

/// The Trends detail pane: `v` opens it, moving loads the chosen keyword's history and sources.
@Suite struct TrendDetailTests {
    @Test func thePaneShowsHistoryAndProvenance() throws {
        var s = try makeState(screen: .trends)
        _ = startEffects(&s)
        let rows = (0..<3).map { KeywordTrend(keyword: "kw \($0)", region: "US", window: .days30, volume: 100, growth: 0.1, series: [1, 2], isDemo: false) }
        _ = reduce(&s, .to(TrendsScreen.self, .loaded(generation: s.trends.rows.generation, page: 0, rows: rows, total: 3)))
        #expect(press(&s, .char("v")) == [.job(TrendsScreen.self, .loadDetail(keyword: "kw 0", region: "US"))])
        #expect(view(s).text().contains("Loading"))
        let day = Day.number(fixedNow)
        _ = reduce(
            &s,
            .to(
                TrendsScreen.self,
                .detailLoaded(
                    KeywordDetail(
                        keyword: "kw 0", region: "US", weekly: Array(repeating: 5, count: 26), lastDay: day,
                        sources: [
                            SourceSummary(
                                source: "import:trends.csv", method: "csv", fetchedAt: fixedNow, confidence: 0.8, isEstimate: false, signals: 30,
                                firstDay: day - 29, lastDay: day, competition: 1_234)
                        ]))))
        let text = boxedText(s)
        #expect(text.contains("Weekly volume, 26 weeks to Nov 18, 2026"))
        #expect(text.contains("import:trends.csv · csv · 30 signals"))
        #expect(text.contains("confidence 0.80") && text.contains("measured") && text.contains("competing listings"))
        #expect(press(&s, .char("j")).contains(.job(TrendsScreen.self, .loadDetail(keyword: "kw 1", region: "US"))))
        press(&s, .char("v"))
        #expect(!view(s).text().contains("Sources and provenance"))
        #expect(
            press(&s, .char("j")).allSatisfy {
                if case .loadDetail? = job($0, TrendsScreen.self) { return false }
                return true
            }, "closed: nothing loaded")
    }
}

/// Exporting the Trends table from the palette.
@Suite struct TrendExportTests {
    @Test func thePaletteAsksForAPathThenExportsTheTableAsShown() throws {
        var s = try makeState(screen: .trends)
        s.window = .days90
        _ = reduce(&s, .run(.exportTrends))
        guard case .prompt(let p) = s.overlay else {
            Issue.record("no prompt")
            return
        }
        #expect(p.purpose == .exportTrends && p.path.text == "podpusher-trends-90d-US.csv")
        #expect(view(s).text().contains("Export the Trends table"))
        #expect(
            press(&s, .enter) == [.exportTrends(path: "podpusher-trends-90d-US.csv", window: .days90, region: "US", sort: .growth, filter: "", category: nil)])
        _ = reduce(&s, .trendsExported(path: "t.csv", count: 12))
        #expect(s.toast?.message == "Exported 12 keywords to t.csv")
    }

    /// A category with no keyword says so (not "no trend data, load the demo"), and Enter
    /// there makes no empty draft.
    @Test func anEmptyCategorySaysSoAndEnterMakesNoDraft() throws {
        var s = try makeState(screen: .trends)
        let effects = press(&s, .char("f"))
        #expect(s.trendCategory != nil && !effects.isEmpty)
        _ = reduce(&s, .to(TrendsScreen.self, .loaded(generation: s.trends.rows.generation, page: 0, rows: [], total: 0)))
        let text = view(s).text()
        #expect(text.contains("No keyword of the") && text.contains("f shows another category") && !text.contains("Load the demo"), "\(text)")
        #expect(press(&s, .enter).isEmpty)
        #expect(
            press(&s, .char("n")).allSatisfy {
                if case .createDraft? = job($0, ComposerScreen.self) { return false }
                return true
            })
    }

    @Test func theBrandsFitAndOtherRegionsAreShown() throws {
        var s = try makeState()
        _ = reduce(&s, .go(.niches))
        var brand = BrandProfile(name: "Cosy Cat")
        brand.audience = "funny people"
        let rows = NicheMath.niches([("funny cat mug", 3_000, 2_000, 1_000, false)], region: "US", days: 30, brand: brand)
        let effects = reduce(&s, .to(NichesScreen.self, .loaded(window: .days30, region: "US", rows)))
        #expect(effects == [.job(NichesScreen.self, .loadVariants(name: "funny cat", window: .days30, region: "US"))])
        var text = view(s).text()
        #expect(text.contains("fit with your brand") && text.contains("0.75×20%"))
        _ = reduce(
            &s,
            .to(
                NichesScreen.self,
                .variantsLoaded(
                    name: "funny cat", region: "US",
                    NicheMath.niches([("funny cat mug", 900, 900, nil, false)], region: "GB", days: 30))))
        text = view(s).text()
        #expect(text.contains("In other regions: GB "))
        // A late answer for another niche is dropped.
        _ = reduce(&s, .to(NichesScreen.self, .variantsLoaded(name: "dog", region: "US", [])))
        #expect(view(s).text().contains("In other regions: GB "))
    }
}
