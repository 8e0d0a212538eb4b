import Foundation
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore
@testable import PODStore

/// A listing under experiment: marked in the Listings table, an edit asks first, and the
/// experiment's notifications.
@Suite struct ExperimentListingTests {
    static let day: TimeInterval = 86_400

    func started(_ store: Store, minimumViews: Int = 100, now: Date) throws -> (row: Int64, id: Int64) {
        let row = try #require(try store.listingRowID(provider: .etsy, providerListingID: "900000001"))
        let start = Calendar.utc.startOfDay(for: now) - 4 * Self.day
        let id = try store.startExperiment(
            Experiment(
                listingID: row, kind: .title, variants: [.init(title: complete(ListingDraft()).title), .init(title: "Cat Lover Mug, Retro Cat Gift")],
                start: start, end: start + 14 * Self.day, minimumViews: minimumViews), now: now)
        return (row, id)
    }

    @Test func theListingIsMarkedAndAnEditAsksFirst() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("under-experiment", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try started(store, now: now)
        let p = Program(state: try makeState(screen: .listings)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        #expect(view(p.state).text().contains("A/B active"), "\(view(p.state).text())")
        p.send(.key(.enter))
        #expect(p.state.overlay == .confirmEditExperiment(id: try #require(p.state.listings.rows.row(0)?.id), title: complete(ListingDraft()).title))
        #expect(view(p.state).text().contains("Under an A/B experiment"))
        p.send(.key(.char("n")))
        #expect(p.state.overlay == nil && p.state.screen == .listings)
        p.send(.key(.enter))
        p.send(.key(.char("y")))
        p.settle()
        #expect(p.state.screen == .composer && p.state.composer.editor != nil)
        #expect(p.state.composer.editor?.providerStatus?.underExperiment == true)
        #expect(view(p.state).text().contains("Etsy: under an A/B experiment"), "\(view(p.state).text())")
    }

    @Test func anExperimentSaysWhenItIsSignificantWithItsMinimumReachedAndWhenItEnds() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("experiment-notices", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, id) = try started(store, now: now)
        func notices() throws -> [String] { try store.pool.read { try Store.experimentNotices($0, now: now) }.map(\.titleKey) }
        #expect(try notices().isEmpty, "no views yet")
        // Four days counted: A has days 1 and 4, B days 2 and 3 (A B B A), 100 views a day; B
        // sells 20 on its first day, A nothing.
        let start = Calendar.utc.startOfDay(for: now) - 4 * Self.day
        for d in 0...4 {
            try store.recordListingStats(
                day: ListingStats.day(start + Double(d) * Self.day), [ListingStats(listingID: "900000001", views: 100 * d, favorites: 0)])
        }
        try store.recordReceipts(
            (0..<20).map { i in
                EtsyReceipt(
                    id: Int64(7_000 + i), status: "paid", createdAt: start + Self.day + 3_600, updatedAt: start + Self.day + 3_600, currency: "USD",
                    grandTotalCents: 2_500,
                    transactions: [.init(id: Int64(70_000 + i), listingID: 900000001, title: "Mug", quantity: 1, priceCents: 2_500, shippingCents: 0)])
            }, now: now)
        #expect(try store.experimentResults(id: id, now: now).map(\.views) == [200, 200])
        #expect(try notices() == ["notify.experiment_significant"])
        try store.setExperimentStatus(id: id, .ended, now: now)
        #expect(try notices() == ["notify.experiment_ended"])
    }
}
