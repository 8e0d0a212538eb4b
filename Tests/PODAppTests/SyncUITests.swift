import Foundation
import PODStore
import PODSync
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

@Suite struct SyncUITests {
    func report(
        _ outcome: SyncReport.Outcome, provider: String = "etsy", pushed: Int = 0, total: Int = 0, failed: Int = 0,
        error: String? = nil
    ) -> SyncReport {
        var r = SyncReport(provider: provider)
        r.outcome = outcome
        r.pushed = pushed
        r.total = total
        r.failed = failed
        r.lastError = error
        r.ratePerSecond = 10
        r.remainingToday = 9_990
        return r
    }

    @Test func syncRunsAtStartAfterQueueingAndOnPWhenAShopIsConnected() throws {
        var s = try makeState(screen: .queue)
        #expect(!startEffects(&s).contains(.sync))
        press(&s, .char("P"))
        #expect(s.toast?.message == "Nothing to sync with: connect a shop first (podpusher connect etsy)")

        var c = try makeState(screen: .queue)
        c.sync.available = true
        #expect(startEffects(&c).contains(.sync) && c.sync.running)
        #expect(press(&c, .char("P")).isEmpty && c.toast?.message == "A sync is already running")
        _ = reduce(&c, .syncFinished([report(.done, pushed: 2, total: 2)], at: fixedNow))
        #expect(!c.sync.running && c.toast?.message == "Sync done: pushed 2, refused 0")
        #expect(press(&c, .char("P")) == [.sync])
        _ = reduce(&c, .syncFinished([], at: fixedNow))
        #expect(reduce(&c, .to(ComposerScreen.self, .draftQueued(provider: .etsy))).contains(.sync))
    }

    @Test func theQueueShowsEachProvidersProgressPaceAndTrouble() throws {
        var s = try makeState(width: 140, height: 30, screen: .queue)
        s.sync.available = true
        s.sync.running = true
        _ = reduce(&s, .syncProgress(report(.running, pushed: 12, total: 20)))
        var text = view(s).text()
        #expect(text.contains("12/20 pushed") && text.contains("10 requests/s · 9,990 left today"))
        #expect(text.contains("Printify") && text.contains("syncing…"))
        var unauthorized = report(.unauthorized, error: "expired")
        unauthorized.ratePerSecond = nil
        var down = report(.notConfigured, provider: "printify", error: "providers.printify needs blueprint_id to make products")
        down.pending = 3
        _ = reduce(&s, .syncFinished([report(.done, pushed: 20, total: 20, failed: 1, error: "taxonomy_id: unknown"), down], at: fixedNow))
        text = view(s).text()
        #expect(text.contains("last sync") && text.contains("pushed 20, refused 1") && text.contains("last error: taxonomy_id: unknown"))
        #expect(text.contains("set up first: providers.printify needs blueprint_id to make products"))
        _ = reduce(&s, .syncFinished([unauthorized], at: fixedNow))
        #expect(view(s).text().contains("authorization expired · connect again"))
        #expect(s.toast?.isError == true && s.toast?.message == "Sync with Etsy stopped: expired")
    }

    @Test func theQueueInEveryLanguageHasNoRawKey() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for language in Localizer.supported {
            var s = try makeState(width: 160, height: 30, language: language, screen: .queue)
            s.sync.available = true
            var conflicted = report(.waiting, pushed: 1, total: 2)
            conflicted.conflicts = 1
            conflicted.pausedUntil = fixedNow
            _ = reduce(&s, .syncFinished([conflicted, report(.unavailable, provider: "printify", error: "cannot connect")], at: fixedNow))
            let text = view(s).text()
            for key in english.keys where key.hasPrefix("queue.") && text.contains(key) { Issue.record("\(language): raw \(key)") }
        }
    }

    @Test func aConflictIsSettledFromTheListingsTable() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        var rows = sampleListings(page: 0, count: 3)
        rows[0].hasConflict = true
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: s.listings.rows.generation, page: 0, rows: rows, total: 3)))
        #expect(view(s).text().contains("⚠ conflict"))
        #expect(press(&s, .char("m")) == [.job(ListingsScreen.self, .resolveConflict(listingID: rows[0].id, keepLocal: true))])
        #expect(press(&s, .char("t")) == [.job(ListingsScreen.self, .resolveConflict(listingID: rows[0].id, keepLocal: false))])
        press(&s, .char("j"))
        #expect(press(&s, .char("t")).isEmpty && s.toast?.message == "This listing has no conflict to settle")
        s.sync.available = true
        #expect(reduce(&s, .to(ListingsScreen.self, .conflictResolved(keepLocal: true))).contains(.sync))
        #expect(s.toast?.message == "Your version is kept; it goes to the shop with the next sync")
    }
}

@Suite struct TrendRefreshUITests {
    @Test func feedsAreReadAtStartWhenConfiguredAndFromThePalette() throws {
        var s = try makeState(screen: .trends)
        #expect(
            !startEffects(&s).contains {
                if case .refreshTrends = $0 { return true }
                return false
            })
        var auto = try makeState(screen: .trends)
        auto.trendsAutoRefreshHours = 12
        #expect(startEffects(&auto).contains(.refreshTrends(ifOlderThan: 12 * 3600)))
        #expect(reduce(&s, .run(.refreshTrends)) == [.refreshTrends(ifOlderThan: nil)])
        #expect(reduce(&s, .run(.refreshTrends)).isEmpty, "one at a time")
        var ok = TrendSourceReport(source: "rss:US")
        ok.collected = 4
        ok.persisted = 3
        let effects = reduce(&s, .trendsRefreshed([ok]))
        #expect(s.toast?.message == "Trends refreshed: 3 new signals")
        #expect(effects.contains(.loadDashboard(window: s.window, region: s.region)))
        var bad = TrendSourceReport(source: "rss:DE")
        bad.error = "cannot connect"
        _ = reduce(&s, .trendsRefreshed([bad]))
        #expect(s.toast?.isError == true && s.toast?.message == "Trend feed rss:DE failed: cannot connect")
        // Not due: nothing to say.
        s.toast = nil
        #expect(reduce(&s, .trendsRefreshed([])).isEmpty && s.toast == nil)
    }
}

@Suite struct QueueBlockedTests {
    @Test func aDraftOwnedByTheOtherSideSaysSoInTheUsersLanguage() throws {
        var s = try makeState(language: "de", screen: .composer)
        _ = reduce(&s, .to(ComposerScreen.self, .queueBlocked(key: "composer.owned_by", provider: "printify")))
        #expect(s.toast?.isError == true && s.toast?.message.hasPrefix("Das Etsy-Angebot dieses Entwurfs erstellt Printify") == true)
        #expect(s.dashboardError == nil)
    }
}
