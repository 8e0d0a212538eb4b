import Foundation
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

@Suite struct ReducerTests {
    @Test func startLoadsTheDashboardAndTheOpeningScreen() throws {
        var s = try makeState(screen: .listings)
        let effects = startEffects(&s)
        #expect(effects.contains(.loadDashboard(window: .days30, region: "US")))
        #expect(effects.contains(.job(ListingsScreen.self, .load(generation: 0, page: 0, sort: .updated, filter: "", withCount: true))))
    }

    @Test func anEmptyStoreOffersTheFirstRunChoicesOnce() throws {
        var s = try makeState()
        _ = reduce(&s, .dashboardLoaded(sampleDashboard(empty: true)))
        #expect(s.overlay == .firstRun(selected: 0))
        press(&s, .down, .down, .down)
        #expect(s.overlay == .firstRun(selected: 0))
        let effects = press(&s, .enter)
        #expect(effects == [.loadDemo(seed: 42)])
        #expect(s.demoLoading && s.overlay == nil)
        _ = reduce(&s, .dashboardLoaded(sampleDashboard(empty: true)))
        #expect(s.overlay == nil)
    }

    @Test func firstRunCanGoToConnectOrImport() throws {
        var s = try makeState()
        _ = reduce(&s, .dashboardLoaded(sampleDashboard(empty: true)))
        press(&s, .char("2"))
        #expect(s.screen == .connect)
        var t = try makeState()
        _ = reduce(&t, .dashboardLoaded(sampleDashboard(empty: true)))
        press(&t, .char("j"), .char("j"), .enter)
        #expect(t.overlay == .prompt(PromptState(purpose: .importListings)))
        press(&t, .escape)
        #expect(t.overlay == nil)
    }

    @Test func paletteFindsScreensByFuzzyName() throws {
        var s = try makeState()
        press(&s, .char(":"))
        guard case .palette = s.overlay else {
            Issue.record("palette not open")
            return
        }
        _ = typeText(&s, "cmpsr")
        let effects = press(&s, .enter)
        #expect(s.screen == .composer)
        #expect(s.overlay == nil)
        #expect(
            effects.contains {
                if case .loadDrafts? = job($0, ComposerScreen.self) { return true }
                return false
            })
    }

    @Test func paletteRunsActionsAndCtrlKOpensIt() throws {
        var s = try makeState()
        press(&s, .ctrl("k"))
        _ = typeText(&s, "load demo")
        let effects = press(&s, .enter)
        #expect(effects == [.loadDemo(seed: 42)])
        press(&s, .char(":"))
        _ = typeText(&s, "zzzzqqq")
        #expect(press(&s, .enter).isEmpty)
        #expect(s.screen == .dashboard)
    }

    @Test func paletteEscapeClosesWithoutRunning() throws {
        var s = try makeState()
        press(&s, .char(":"))
        _ = typeText(&s, "trends")
        press(&s, .escape)
        #expect(s.overlay == nil && s.screen == .dashboard)
    }

    @Test func helpOpensAndCloses() throws {
        var s = try makeState()
        press(&s, .char("?"))
        #expect(s.overlay == .help(scroll: 0))
        press(&s, .char("j"))
        #expect(s.overlay == .help(scroll: 1))
        press(&s, .escape)
        #expect(s.overlay == nil)
    }

    @Test func digitsJumpAndQGoesBackThenQuits() throws {
        var s = try makeState()
        press(&s, .char("2"))
        #expect(s.screen == .trends)
        press(&s, .char("5"))
        #expect(s.screen == .composer)
        #expect(press(&s, .char("q")).isEmpty)
        #expect(s.screen == .trends)
        press(&s, .char("q"))
        #expect(s.screen == .dashboard)
        #expect(press(&s, .char("q")) == [.quit])
        #expect(s.quitRequested)
    }

    @Test func ctrlCQuitsFromAnywhere() throws {
        var s = try makeState(screen: .listings)
        press(&s, .char("/"))
        #expect(press(&s, .ctrl("c")) == [.quit])
        var t = try makeState()
        press(&t, .char("?"))
        #expect(press(&t, .ctrl("c")) == [.quit])
    }

    @Test func sidebarFocusMovesBetweenScreensWithVimKeysAndArrows() throws {
        var s = try makeState()
        press(&s, .tab)
        #expect(s.focus == .sidebar)
        press(&s, .char("j"))
        #expect(s.screen == .trends)
        press(&s, .down)
        #expect(s.screen == .seasonal)
        press(&s, .char("k"), .up)
        #expect(s.screen == .dashboard)
        press(&s, .up)
        #expect(s.screen == .settings)
        press(&s, .enter)
        #expect(s.focus == .content)
    }

    @Test func compactLayoutHasNoSidebarFocus() throws {
        var s = try makeState(width: 60, height: 20)
        #expect(s.isCompact)
        press(&s, .tab)
        #expect(s.focus == .content)
    }

    @Test func listingsPageInAsTheSelectionMoves() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        var effects = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: 1_000)))
        #expect(s.listings.rows.table.rowCount == 1_000)
        // The page after the visible rows is fetched ahead.
        #expect(effects == [.job(ListingsScreen.self, .load(generation: 0, page: 1, sort: .updated, filter: "", withCount: false))])
        effects = []
        for _ in 0..<150 { effects += press(&s, .char("j")) }
        #expect(s.listings.rows.table.selected == 150)
        #expect(effects == [.job(ListingsScreen.self, .load(generation: 0, page: 2, sort: .updated, filter: "", withCount: false))])
        effects = press(&s, .char("G"))
        #expect(s.listings.rows.table.selected == 999)
        #expect(effects.contains(.job(ListingsScreen.self, .load(generation: 0, page: 9, sort: .updated, filter: "", withCount: false))))
        #expect(s.listings.rows.selectedRow == nil)  // still loading: shown as a placeholder row
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 9, rows: sampleListings(page: 9), total: nil)))
        #expect(s.listings.rows.selectedRow?.title == "Listing 999")
    }

    /// A sync that ends reloads the table without losing the seller's place: the rows stay on
    /// screen until the new answers come, and Enter meanwhile opens the selected listing (CI
    /// once pressed it in that gap, and the key did nothing).
    @Test func aSyncKeepsTheSelectionAndItsRowWhileTheTableReloads() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: 1_000)))
        for _ in 0..<150 { press(&s, .char("j")) }
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 1, rows: sampleListings(page: 1), total: nil)))
        let effects = reduce(&s, .syncFinished([], at: fixedNow))
        #expect(s.listings.rows.table.selected == 150 && s.listings.rows.selectedRow?.title == "Listing 150")
        // The pages on screen are asked again, under a new generation, with the count.
        let generation = s.listings.rows.generation
        #expect(effects.contains(.job(ListingsScreen.self, .load(generation: generation, page: 0, sort: .updated, filter: "", withCount: true))))
        #expect(press(&s, .enter) == [.job(ListingsScreen.self, .open(listingID: try #require(s.listings.rows.selectedRow?.id)))])
        // The answers replace the rows; a listing gone shortens the table, the selection stays.
        var renamed = sampleListings(page: 1)
        renamed[50].title = "Listing 150, renamed"
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: generation, page: 1, rows: renamed, total: 999)))
        #expect(s.listings.rows.table.rowCount == 999 && s.listings.rows.selectedRow?.title == "Listing 150, renamed")
        // An answer to the query before the sync changes nothing.
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: generation - 1, page: 1, rows: sampleListings(page: 1), total: 1_000)))
        #expect(s.listings.rows.selectedRow?.title == "Listing 150, renamed")
    }

    @Test func filterRequeriesAndDropsStaleAnswers() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        press(&s, .char("/"))
        #expect(s.listings.filtering)
        let effects = typeText(&s, "mug")
        #expect(s.listings.filter.text == "mug")
        #expect(effects.last == .job(ListingsScreen.self, .load(generation: 3, page: 0, sort: .updated, filter: "mug", withCount: true)))
        // An answer to the old query changes nothing.
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 1, page: 0, rows: sampleListings(page: 0), total: 1_000)))
        #expect(!s.listings.rows.countKnown)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 3, page: 0, rows: sampleListings(page: 0, count: 4), total: 4)))
        #expect(s.listings.rows.table.rowCount == 4)
        press(&s, .enter)
        #expect(!s.listings.filtering && s.listings.filter.text == "mug")
        press(&s, .char("/"), .escape)
        #expect(s.listings.filter.text.isEmpty)
    }

    @Test func sortCyclesAndReloads() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        let effects = press(&s, .char("s"))
        #expect(s.listings.sort == .title)
        #expect(effects == [.job(ListingsScreen.self, .load(generation: 1, page: 0, sort: .title, filter: "", withCount: true))])
        // On Listings, S writes posts: reverse sort is in the palette there.
        _ = reduce(&s, .run(.reverseSort))
        _ = reduce(&s, .run(.reverseSort))
        #expect(s.listings.sort == .views)
        #expect(s.toast != nil)
    }

    @Test func windowCycleReloadsDashboardAndTrends() throws {
        var s = try makeState(screen: .trends)
        _ = startEffects(&s)
        let effects = press(&s, .char("w"))
        #expect(s.window == .days90)
        #expect(effects.contains(.loadDashboard(window: .days90, region: "US")))
        #expect(
            effects.contains(
                .job(TrendsScreen.self, .load(generation: 1, page: 0, window: .days90, region: "US", sort: .growth, filter: "", category: nil, withCount: true))
            ))
    }

    @Test func toastsExpireOnTick() throws {
        var s = try makeState()
        _ = reduce(&s, .failed(EffectFailure(screen: nil, detail: "disk full", retry: QueueScreen.load)))
        #expect(s.toast?.message.contains("disk full") == true)
        #expect(s.toast?.isError == true)
        #expect(s.nextDeadline != nil)
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(1)))
        #expect(s.toast != nil)
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(10)))
        #expect(s.toast == nil && s.nextDeadline == nil)
    }

    @Test func clearDemoAsksFirst() throws {
        var s = try makeState()
        _ = reduce(&s, .run(.clearDemo))
        #expect(s.overlay == .confirmClearDemo)
        #expect(press(&s, .char("n")).isEmpty)
        _ = reduce(&s, .run(.clearDemo))
        #expect(press(&s, .char("y")) == [.clearDemo])
    }

    @Test func resizeKeepsTheSelectionVisible() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: 100)))
        press(&s, .char("G"))
        _ = reduce(&s, .resize(width: 40, height: 12))
        let t = s.listings.rows.table
        #expect(t.visibleRange(height: s.tableRows).contains(t.selected))
        _ = reduce(&s, .resize(width: 1, height: 1))
        #expect(s.isTooSmall)
    }

    @Test func keymapOverridesChangeWhatKeysDo() throws {
        var s = try makeState()
        try s.keymap.override(["quit": ["x"], "help": ["q"]])
        press(&s, .char("q"))
        #expect(s.overlay == .help(scroll: 0))
        press(&s, .escape)
        #expect(press(&s, .char("x")) == [.quit])
    }

    /// Dialog keys rebind like the others, and the dialog's key line shows the new key.
    @Test func dialogKeysCanBeRebound() throws {
        var s = try makeState()
        try s.keymap.override(["confirm_yes": ["o"], "choose_1": ["d"], "list_next": ["ctrl-j"]])
        _ = reduce(&s, .run(.clearDemo))
        #expect(view(s).text().contains("o yes · n no"))
        #expect(press(&s, .char("y")).isEmpty && s.overlay == .confirmClearDemo, "y is no longer yes")
        #expect(press(&s, .char("o")) == [.clearDemo])

        s.demoLoading = false
        s.overlay = .firstRun(selected: 0)
        press(&s, .char("1"))
        #expect(s.overlay == .firstRun(selected: 0), "1 is no longer the first option")
        press(&s, .char("d"))
        #expect(s.overlay == nil && s.demoLoading, "d chose the first option: the demo")

        s.overlay = .palette(PaletteState())
        func palette() -> PaletteState? { if case .palette(let p)? = s.overlay { p } else { nil } }
        press(&s, .ctrl("j"))
        #expect(palette()?.selected == 1)
        press(&s, .char("o"))
        #expect(palette()?.query.text == "o", "a printable key types in the palette")
    }

    @Test func fuzzyScorePrefersWordStartsAndRejectsNonSubsequences() {
        #expect(Fuzzy.score("gt", "Go to Trends")! > Fuzzy.score("gt", "Big toast")!)
        #expect(Fuzzy.score("gt", "Settings") == nil)
        #expect(Fuzzy.score("xyz", "Go to Trends") == nil)
        #expect(Fuzzy.score("", "anything") == 0)
    }
}

@Suite struct GlobalKeyTests {
    @Test func ctrlZSuspendsFromAnywhere() throws {
        var s = try makeState()
        #expect(press(&s, .ctrl("z")) == [.suspend])
        press(&s, .char(":"))
        #expect(press(&s, .ctrl("z")) == [.suspend])
        guard case .palette = s.overlay else {
            Issue.record("palette closed")
            return
        }
        var t = try makeState(screen: .listings)
        press(&t, .char("/"))
        #expect(press(&t, .ctrl("z")) == [.suspend])
        #expect(t.listings.filtering)
    }
}

@Suite struct TrendsScreenTests {
    @Test func filterAndSortRequeryTheStore() throws {
        var s = try makeState(screen: .trends)
        _ = startEffects(&s)
        press(&s, .char("/"))
        #expect(s.trends.filtering)
        let typed = typeText(&s, "mug")
        #expect(
            typed.last
                == .job(
                    TrendsScreen.self,
                    .load(generation: 3, page: 0, window: .days30, region: "US", sort: .growth, filter: "mug", category: nil, withCount: true)))
        // While filtering, letters are text, not commands.
        #expect(s.screen == .trends)
        press(&s, .enter)
        #expect(!s.trends.filtering && s.trends.filter.text == "mug")
        let sorted = press(&s, .char("s"))
        #expect(s.trends.sort == .volume)
        #expect(
            sorted == [
                .job(
                    TrendsScreen.self,
                    .load(generation: 4, page: 0, window: .days30, region: "US", sort: .volume, filter: "mug", category: nil, withCount: true))
            ])
        press(&s, .escape)
        #expect(s.trends.filter.text.isEmpty)
    }
}

@Suite struct EscapeTests {
    @Test func escapeClearsAKeptFilterOnTheListings() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        press(&s, .char("/"))
        _ = typeText(&s, "mug")
        press(&s, .enter)
        let effects = press(&s, .escape)
        #expect(s.listings.filter.text.isEmpty)
        #expect(effects.last == .job(ListingsScreen.self, .load(generation: 4, page: 0, sort: .updated, filter: "", withCount: true)))
    }
}

@Suite struct PageBeforeCountTests {
    @Test func theFirstPageShowsBeforeTheCountArrives() throws {
        var s = try makeState(width: 120, height: 40, screen: .listings)
        _ = startEffects(&s)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: nil)))
        #expect(!s.listings.rows.countKnown && s.listings.rows.table.rowCount == 100)
        let before = view(s).text()
        #expect(before.contains("Listing 0 ") && before.contains("Loading…"))
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: 250)))
        #expect(s.listings.rows.countKnown && s.listings.rows.table.rowCount == 250)
        #expect(view(s).text().contains("250 listings"))
    }
}
