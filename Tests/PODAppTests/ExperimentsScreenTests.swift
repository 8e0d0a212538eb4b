import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Experiments screen: each variant's figures in its own turns, the tests, whether it is
/// early, the actions; and a title test started from the Listings screen.
@Suite struct ExperimentsScreenTests {
    static let day: TimeInterval = 86_400

    /// Two titles over 14 days from `fixedNow − 14 days`: A 21 orders in 7,000 views, B 35.
    static func overview(ended: Bool) -> ExperimentOverview {
        let start = fixedNow - 14 * day
        var e = Experiment(
            listingID: 1, kind: .title, variants: [.init(title: "Retro Cat Mug"), .init(title: "Cat Lover Mug")], start: start,
            end: ended ? fixedNow : fixedNow + 14 * day, minimumViews: 2_518)
        e.id = 9
        var a = VariantResult(), b = VariantResult()
        (a.days, a.views, a.orders, a.revenueCents) = (7, 7_000, 21, 52_500)
        (b.days, b.views, b.orders, b.revenueCents) = (7, 7_000, 35, 87_500)
        return ExperimentOverview(experiment: e, listingTitle: "Retro Cat Mug", results: [a, b])
    }

    func loaded(ended: Bool) throws -> AppState {
        var s = try makeState(screen: .experiments)
        #expect(reduce(&s, .go(.experiments)) == [.job(ExperimentsScreen.self, .load)])
        _ = reduce(&s, .to(ExperimentsScreen.self, .loaded([Self.overview(ended: ended)], asOf: fixedNow)))
        return s
    }

    @Test func theVariantsFiguresAndTheTestsAreShownAndSaidEarlyBeforeTheEnd() throws {
        var text = view(try loaded(ended: false)).text()
        #expect(text.contains("Retro Cat Mug") && text.contains("Cat Lover Mug") && text.contains("0.3%") && text.contains("0.5%"))
        // 21/7,000 against 35/7,000: z = 1.87, p = 0.061 (ExperimentStatsTests has it by hand).
        #expect(text.contains("Conversion B − A: 0.20 % (95 % interval -0.01 % to 0.41 %), z = 1.87, p = 0.061"), "\(text)")
        #expect(text.contains("Views a day B − A: 0.00, p = 1.000"))
        #expect(text.contains("Early — not significant yet · declared minimum 2,518 views a variant"))
        text = view(try loaded(ended: true)).text()
        #expect(text.contains("Not significant at 5 %"))
        var empty = try makeState(screen: .experiments)
        _ = reduce(&empty, .to(ExperimentsScreen.self, .loaded([], asOf: fixedNow)))
        #expect(view(empty).text().contains("press T to test another title"))
    }

    @Test func pauseEndAndPushTheLeaderAreJobs() throws {
        var s = try loaded(ended: false)
        #expect(press(&s, .char("p")) == [.job(ExperimentsScreen.self, .setStatus(id: 9, .paused))])
        #expect(press(&s, .char("x")) == [.job(ExperimentsScreen.self, .setStatus(id: 9, .ended))])
        #expect(press(&s, .char("A")) == [.job(ExperimentsScreen.self, .pushWinner(id: 9, variant: 1))], "B converts best")
    }

    @Test func aTitleTestIsStartedFromTheListingsAndTakesItsTurns() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("experiments", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Program(state: try makeState(screen: .listings)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        p.send(.key(.char("T")))
        guard case .prompt(let prompt)? = p.state.overlay else {
            Issue.record("no prompt: \(view(p.state).text())")
            return
        }
        #expect(prompt.purpose == .testTitle && prompt.path.text == complete(ListingDraft()).title)
        p.send(.key(.ctrl("u")))
        for c in "Cat Lover Mug, Retro Cat Gift" { p.send(.key(.char(c))) }
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.screen == .experiments)
        let started = try #require(try store.experiments().first)
        #expect(started.variants.map(\.title) == [complete(ListingDraft()).title, "Cat Lover Mug, Retro Cat Gift"] && started.sliceCount == 14)
        #expect(view(p.state).text().contains("Cat Lover Mug, Retro Cat Gift"))
        // A second one on the same listing is refused, and says why.
        _ = p.state
        #expect(throws: ExperimentRefusal.alreadyRunning) { try store.startExperiment(started, now: now) }
    }
}
