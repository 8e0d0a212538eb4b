import Foundation
import PODCore
import XCTest

@testable import PODStore
@testable import PODSync

/// An A/B experiment of two titles over fourteen daily slices, against the local Etsy server on
/// a clock the test moves a day at a time: each day's first sync reads the day's counts, then
/// puts the listing on the variant of the day.
final class ExperimentTests: XCTestCase {
    var f: SyncFixture!
    override func setUpWithError() throws { f = try SyncFixture() }
    override func tearDown() { f = nil }

    func etsyListing() throws -> [String: Any] { try XCTUnwrap((try f.etsyState()["listings"] as? [[String: Any]])?.first) }

    /// A listing made live on the local Etsy server (with `photos`, if any), its first counts
    /// read on the test's clock the day before `start`: the clock, Etsy's id, the row here.
    func liveListing(start: Date, title: String = "Retro Cat Mug, Funny Cat Gift", photos: [String] = []) throws -> (
        clock: SalesTests.Clock, listingID: Int, row: Int64
    ) {
        let clock = SalesTests.Clock(start.addingTimeInterval(-86_400 + 600))
        // The test's clock waits without time passing, while the server counts real seconds:
        // many passes in a few seconds would only meet its per-second limit, which these tests
        // are not about (SyncEngineTests is).
        try f.server.control(["etsy": ["per_second": 1_000]])
        let draftID = try XCTUnwrap(try f.queue(1, title: { _ in title }).first)
        if !photos.isEmpty {
            for p in photos { try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 100)).write(to: URL(fileURLWithPath: p)) }
            var d = try XCTUnwrap(f.store.draft(id: draftID))
            d.images = photos
            try f.store.saveDraft(d, now: Date())
        }
        let pushed = f.engine().sync(.etsy)
        XCTAssertEqual(pushed.outcome, .done)
        if photos.isEmpty { XCTAssertEqual(pushed.pushed, 1) }
        let listingID = try XCTUnwrap(etsyListing()["listing_id"] as? Int)
        try f.server.control(["etsy_edit": ["listing_id": listingID, "state": "active", "views": 0, "num_favorers": 0]])
        XCTAssertEqual(f.engine(clock.sync).sync(.etsy).outcome, .done)  // the day before: the first counts
        let row = try XCTUnwrap(try f.store.listingRowID(provider: .etsy, providerListingID: String(listingID)))
        return (clock, listingID, row)
    }

    func testTwoTitlesTakeTurnsEachDayIsTheirsTheTestIsComputedAndTheWinnerIsPushed() throws {
        let day: TimeInterval = 86_400
        // Fourteen days ending yesterday (the fixture's token is valid now, not weeks ahead).
        let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-15 * day)
        let (clock, listingID, row) = try liveListing(start: start)
        let titles = ["Retro Cat Mug, Funny Cat Gift", "Cat Lover Mug, Retro Cat Gift"]
        let id = try f.store.startExperiment(
            Experiment(
                listingID: row, kind: .title, variants: titles.map { Experiment.Variant(title: $0) }, start: start, end: start.addingTimeInterval(14 * day),
                minimumViews: 1_000), now: clock.now)
        XCTAssertThrowsError(
            try f.store.startExperiment(
                Experiment(listingID: row, kind: .title, variants: [.init(title: "A"), .init(title: "B")], start: start, end: start + 2 * day), now: clock.now)
        ) { XCTAssertEqual($0 as? ExperimentRefusal, .alreadyRunning) }
        // Each day: the views and orders the test planned for the variant of the day. B converts
        // better: 5 orders in 1,000 views a day against A's 3 in 1,000.
        let order = ExperimentSchedule.order(weights: [1, 1], slices: 14)
        XCTAssertEqual(order, [0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1])
        var views = 0, receipt = 5_000
        var titleOnDay: [String] = []
        var patches = try f.etsyState()["patches"] as? Int ?? 0
        var switches = 0
        for d in 0..<14 {
            clock.now = start.addingTimeInterval(Double(d) * day + 600)
            let report = f.engine(clock.sync).sync(.etsy)
            XCTAssertEqual(report.outcome, .done, "day \(d): \(report.lastError ?? "")")
            titleOnDay.append(try XCTUnwrap(etsyListing()["title"] as? String))
            let now = try f.etsyState()["patches"] as? Int ?? 0
            if d > 0 && order[d] != order[d - 1] { switches += 1 }
            XCTAssertEqual(now - patches, d > 0 && order[d] != order[d - 1] ? 1 : 0, "day \(d): a switch only when the variant changes")
            patches = now
            // The day's traffic, counted by tomorrow's first sync.
            views += 1_000
            try f.server.control(["etsy_edit": ["listing_id": listingID, "views": views]])
            for k in 0..<(order[d] == 1 ? 5 : 3) {
                receipt += 1
                try f.server.control([
                    "etsy_receipt": [
                        "receipt_id": receipt, "created": clock.now.timeIntervalSince1970 + Double(k + 1) * 3_600,
                        "lines": [["listing_id": listingID, "price": 2_500]],
                    ]
                ])
            }
        }
        XCTAssertEqual(titleOnDay, order.map { titles[$0] }, "the live title on the right days")
        XCTAssertEqual(switches, 7)
        // The end: the last day's counts read, the listing back to the original (A) until a winner is pushed.
        clock.now = start.addingTimeInterval(14 * day + 600)
        XCTAssertEqual(f.engine(clock.sync).sync(.etsy).outcome, .done)
        let results = try f.store.experimentResults(id: id, now: clock.now)
        XCTAssertEqual(results.map(\.days), [7, 7])
        XCTAssertEqual(results.map(\.views), [7_000, 7_000])
        XCTAssertEqual(results.map(\.orders), [21, 35])
        XCTAssertEqual(results.map(\.revenueCents), [21 * 2_500, 35 * 2_500])
        // 21 in 7,000 against 35 in 7,000: pooled 0.004, z = 0.002 / √(0.004 · 0.996 · 2/7000) = 1.8746,
        // p = 0.061 — by hand.
        let c = try XCTUnwrap(
            ExperimentStats.twoProportions(
                successesA: results[0].orders, trialsA: Int(results[0].views), successesB: results[1].orders, trialsB: Int(results[1].views)))
        XCTAssertEqual(c.z, 0.002 / (0.004 * 0.996 * 2 / 7_000).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(c.p, 0.061, accuracy: 0.001)
        XCTAssertEqual(try f.store.experiments().first?.status, .ended)
        XCTAssertEqual(try etsyListing()["title"] as? String, titles[0], "ended without a winner: as it was")
        // Pushing B: the listing takes it for good, once (on the real clock: the server's rate
        // limit counts real seconds).
        try f.store.pushExperimentWinner(id: id, variant: 1, now: Date())
        XCTAssertEqual(f.engine().sync(.etsy).pushed, 1)
        XCTAssertEqual(try etsyListing()["title"] as? String, titles[1])
        XCTAssertEqual(try f.store.experiments().first?.winner, 1)
        XCTAssertEqual(f.engine().sync(.etsy).pushed, 0, "nothing more")
    }

    /// A price takes turns through the listing's inventory (Etsy takes a price there): each
    /// switch is one inventory write, and ending puts the price back.
    func testAPriceTakesTurnsThroughTheInventoryOnceEachSwitch() throws {
        let day: TimeInterval = 86_400
        let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-3 * day)
        let (clock, _, row) = try liveListing(start: start)
        let price = try XCTUnwrap(try f.store.listingDraft(listingID: row, now: clock.now)?.priceCents)
        let id = try f.store.startExperiment(
            Experiment(
                listingID: row, kind: .price, variants: [.init(priceCents: price), .init(priceCents: price + 500)], start: start,
                end: start.addingTimeInterval(3 * day)), now: clock.now)
        func etsyPrice() throws -> Int? { (try etsyListing()["price"] as? [String: Any])?["amount"] as? Int }
        var puts = try f.etsyState()["inventory_puts"] as? Int ?? 0
        // Three daily turns in the balanced order A B B: a write on the day B starts, none else.
        XCTAssertEqual(try f.store.experiments().first { $0.id == id }?.order, [0, 1, 1])
        for (d, expected, writes) in [(0, price, 0), (1, price + 500, 1), (2, price + 500, 0)] {
            clock.now = start.addingTimeInterval(Double(d) * day + 600)
            let report = f.engine(clock.sync).sync(.etsy)
            XCTAssertEqual(report.outcome, .done, "day \(d): \(report.lastError ?? "")")
            XCTAssertEqual(try etsyPrice(), expected, "day \(d)")
            let now = try f.etsyState()["inventory_puts"] as? Int ?? 0
            XCTAssertEqual(now - puts, writes, "day \(d)")
            puts = now
        }
        // Ended by the seller: the price as it was, in one more write.
        try f.store.setExperimentStatus(id: id, .ended, now: Date())
        XCTAssertEqual(f.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try etsyPrice(), price)
        XCTAssertEqual(try f.etsyState()["inventory_puts"] as? Int ?? 0, puts + 1)
        // Each change kept the listing as it was in its history (undone by restoring it): before
        // B's turn, A's price; before the end, B's.
        let draftID = try XCTUnwrap(try f.store.listingDraft(listingID: row, now: Date())?.id)
        let kept = try f.store.revisions(draftID: draftID)
        XCTAssertEqual(kept.map(\.note), ["experiment-\(id)-end", "experiment-\(id)-slice-1"])
        XCTAssertEqual(try kept.map { try f.store.revision(id: $0.id)?.priceCents }, [price + 500, price])
    }

    /// Which photo is shown first takes turns through the listing's images: B's turn places its
    /// photo first by its id (nothing uploaded again), the end puts the order back.
    func testTheFirstPhotoTakesTurnsWithoutUploadingAgain() throws {
        let day: TimeInterval = 86_400
        let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-3 * day)
        let photos = (1...3).map { f.dir.appendingPathComponent("photo\($0).png").path }
        let (clock, _, row) = try liveListing(start: start, photos: photos)
        func order() throws -> [Int] {
            ((try etsyListing()["images"] as? [[String: Any]]) ?? []).sorted { ($0["rank"] as? Int ?? 0) < ($1["rank"] as? Int ?? 0) }
                .compactMap { $0["listing_image_id"] as? Int }
        }
        let original = try order()
        XCTAssertEqual(original.count, 3)
        let id = try f.store.startExperiment(
            Experiment(
                listingID: row, kind: .photo, variants: [.init(photos: photos), .init(photos: [photos[2], photos[0], photos[1]])], start: start,
                end: start.addingTimeInterval(3 * day)), now: clock.now)
        let uploaded = try f.etsyState()["uploaded_images"] as? Int
        for (d, expected) in [(0, original), (1, [original[2], original[0], original[1]]), (2, [original[2], original[0], original[1]])] {
            clock.now = start.addingTimeInterval(Double(d) * day + 600)
            let report = f.engine(clock.sync).sync(.etsy)
            XCTAssertEqual(report.outcome, .done, "day \(d): \(report.lastError ?? "")")
            XCTAssertEqual(try order(), expected, "day \(d)")
        }
        try f.store.setExperimentStatus(id: id, .ended, now: Date())
        XCTAssertEqual(f.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try order(), original, "ended: the order as it was")
        XCTAssertEqual(try f.etsyState()["uploaded_images"] as? Int, uploaded, "no photo uploaded again")
    }
}
