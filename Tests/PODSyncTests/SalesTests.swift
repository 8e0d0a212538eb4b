import Foundation
import PODCore
import XCTest

@testable import PODStore
@testable import PODSync

/// The shop's sales and statistics from Etsy, against the local Etsy server: receipts read
/// incrementally by their last change, and each listing's views and favourites kept by day.
final class SalesTests: XCTestCase {
    var f: SyncFixture!
    override func setUpWithError() throws { f = try SyncFixture() }
    override func tearDown() { f = nil }

    /// A clock the test moves a day at a time; the engine's waits move it too.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time: Date
        init(_ now: Date) { time = now }
        var now: Date {
            get { lock.withLock { time } }
            set { lock.withLock { time = newValue } }
        }
        var sync: SyncClock { SyncClock(now: { self.now }, sleep: { self.now += $0 }, random: { 0.5 }) }
    }

    func listings() throws -> [[String: Any]] { try XCTUnwrap(try f.etsyState()["listings"] as? [[String: Any]]) }

    func testReceiptsAndDailyViewsMakeTheShopsActivityAndOnlyWhatChangedIsReadAgain() throws {
        let day: TimeInterval = 86_400
        let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-2 * day)
        let clock = Clock(start.addingTimeInterval(3_600))
        try f.queue(2)
        XCTAssertEqual(f.engine().sync(.etsy).pushed, 2)
        let ids = try listings().compactMap { $0["listing_id"] as? Int }
        for (i, id) in ids.enumerated() {
            try f.server.control(["etsy_edit": ["listing_id": id, "state": "active", "views": 10 * (i + 1), "num_favorers": 1]])
        }
        // Day one (the test's clock: two days ago): the counts are kept; there is no day before
        // them, so no views yet.
        var report = f.engine(clock.sync).sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.receipts, 0)
        // Day two: 15 and 5 more views, 2 more favourites; a sale of two of the first listing.
        clock.now = start.addingTimeInterval(day + 3_600)
        try f.server.control(["etsy_edit": ["listing_id": ids[0], "views": 25, "num_favorers": 3]])
        try f.server.control(["etsy_edit": ["listing_id": ids[1], "views": 25, "num_favorers": 1]])
        let sold = clock.now
        try f.server.control([
            "etsy_receipt": [
                "receipt_id": 4001, "created": sold.timeIntervalSince1970, "tax": 200,
                "lines": [["listing_id": ids[0], "quantity": 2, "price": 2500, "shipping": 500, "title": "Retro Cat Mug"]],
            ]
        ])
        report = f.engine(clock.sync).sync(.etsy)
        XCTAssertEqual(report.receipts, 1)
        let dayTwo = try f.store.shopActivity(from: start.addingTimeInterval(day), to: start.addingTimeInterval(2 * day))
        XCTAssertEqual(dayTwo.sales.map(\.revenueCents), [5_500], "$50 and $5 shipping; the $2 tax is not the shop's")
        XCTAssertEqual(dayTwo.sales.map(\.units), [2])
        XCTAssertEqual(dayTwo.views, [ListingStats.day(sold): 20])
        XCTAssertEqual(dayTwo.favorites, [ListingStats.day(sold): 2])
        let first = try XCTUnwrap(try f.store.shopListings(from: start.addingTimeInterval(day), to: start.addingTimeInterval(2 * day)).first)
        XCTAssertEqual(
            [first.listingID, String(first.revenueCents), String(first.orders), String(first.units), String(first.views)],
            [String(ids[0]), "5000", "1", "2", "15"])
        // The ledger was read (it has no entry here): the fees are what it says, none.
        XCTAssertTrue(dayTwo.ledgerCovers)
        XCTAssertEqual(ShopFigures(dayTwo, fees: .etsyUS, currency: "USD", usdRate: nil).feesCents, 0)
        // Without it, the fee table's estimate. By hand: listing 20 + 20 for the second unit,
        // transaction 6.5 % of $55 = 358, processing 3 % of $55 + 25 = 190.
        var unread = dayTwo
        unread.ledgerCovers = false
        let figures = ShopFigures(unread, fees: .etsyUS, currency: "USD", usdRate: nil)
        XCTAssertFalse(figures.feesMeasured)
        XCTAssertEqual(figures.feesCents, 20 + 20 + 358 + 190)
        XCTAssertEqual(figures.conversion, 1.0 / 20.0)
        // The same day again: counts are not read again, the receipt is not written again, and
        // receipts are asked for by their last change since the newest seen.
        report = f.engine(clock.sync).sync(.etsy)
        XCTAssertEqual(report.receipts, 0)
        let asked = try XCTUnwrap(try f.etsyState()["receipt_requests"] as? [[String: String]])
        XCTAssertNotNil(asked.first?["min_created"], "the first time: the last two years")
        XCTAssertEqual(asked.last?["min_last_modified"], String(Int(sold.timeIntervalSince1970)), "the newest change seen")
        XCTAssertEqual(asked.last?["sort_on"], "updated")
        // Cancelled on Etsy: the change comes back, and the sale no longer counts.
        try f.server.control(["etsy_receipt_update": ["receipt_id": 4001, "status": "Canceled", "updated_timestamp": clock.now.timeIntervalSince1970 + 60]])
        XCTAssertEqual(f.engine(clock.sync).sync(.etsy).receipts, 1)
        XCTAssertEqual(try f.store.shopActivity(from: start, to: start.addingTimeInterval(3 * day)).sales, [])
    }

    /// Etsy's ledger is read a window of at most 31 days at a time (its server refuses more),
    /// the first time back to the oldest sale, then from the last pass on; its fees become the
    /// period's measured fees.
    func testTheLedgerIsReadInWindowsOf31DaysAtMostAndItsFeesAreMeasured() throws {
        let day: TimeInterval = 86_400
        let now = Date()
        try f.server.control([
            "etsy_receipt": ["receipt_id": 4100, "created": now.timeIntervalSince1970 - 100 * day, "lines": [["listing_id": 1, "price": 3000]]]
        ])
        for (id, ago, type, amount) in [
            (9001, 200.0, "listing", -20), (9002, 99.0, "transaction", -195), (9003, 10.0, "listing", -20), (9004, 9.0, "PAYMENT_GROSS", 3000),
        ] {
            try f.server.control([
                "etsy_ledger": ["entry_id": id, "created": now.timeIntervalSince1970 - ago * day, "ledger_type": type, "amount": amount]
            ])
        }
        var report = f.engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.ledgerEntries, 3, "back to the oldest sale, not the entry of 200 days ago")
        var asked = try XCTUnwrap(try f.etsyState()["ledger_requests"] as? [[String: String]]).map {
            (Int($0["min_created"] ?? "") ?? 0, Int($0["max_created"] ?? "") ?? 0)
        }
        XCTAssertEqual(asked.count, 4, "100 days in windows of 31")
        XCTAssertTrue(asked.allSatisfy { $0.1 - $0.0 <= 2_678_400 && $0.1 >= $0.0 })
        XCTAssertEqual(asked.first?.0, Int(now.timeIntervalSince1970 - 100 * day))
        XCTAssertTrue(zip(asked, asked.dropFirst()).allSatisfy { $0.1 == $1.0 }, "the windows follow each other")
        // The next pass reads from the last one on (a day back); an entry read again is kept once.
        try f.server.control(["etsy_ledger": ["entry_id": 9005, "created": Date().timeIntervalSince1970, "ledger_type": "transaction", "amount": -65]])
        report = f.engine().sync(.etsy)
        XCTAssertEqual(report.ledgerEntries, 1)
        asked = try XCTUnwrap(try f.etsyState()["ledger_requests"] as? [[String: String]]).dropFirst(4).map {
            (Int($0["min_created"] ?? "") ?? 0, Int($0["max_created"] ?? "") ?? 0)
        }
        XCTAssertEqual(asked.count, 1)
        XCTAssertLessThanOrEqual(abs(asked[0].0 - Int(now.timeIntervalSince1970 - day)), 5)
        // The last 30 days: the ledger covers them, so their fees are the ledger's.
        let month = ShopFigures(
            try f.store.shopActivity(from: now.addingTimeInterval(-30 * day), to: Date().addingTimeInterval(60)), fees: .etsyUS, currency: "USD",
            usdRate: nil)
        XCTAssertTrue(month.feesMeasured)
        XCTAssertEqual(month.feesCents, 20 + 65)
    }

    func testAConnectionWithoutTheSalesScopeSaysSoAndThePassGoesOn() throws {
        try f.server.control(["etsy": ["scopes": ["listings_r", "listings_w", "shops_r"]]])
        let report = f.engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertTrue(report.salesUnavailable?.contains("transactions_r") == true, report.salesUnavailable ?? "")
    }

    func testAReceiptAnsweredWithNonsenseIsCheckedBeforeItIsTrusted() throws {
        XCTAssertNil(EtsyClient.receipt(["receipt_id": 1]), "no time")
        XCTAssertNil(EtsyClient.receipt(["receipt_id": true, "created_timestamp": 1_800_000_000]), "an id that is a boolean")
        let r = try XCTUnwrap(
            EtsyClient.receipt([
                "receipt_id": 7, "created_timestamp": 1_800_000_000, "status": "paid",
                "grandtotal": ["amount": 1e300, "divisor": 100, "currency_code": "eur"],
                "transactions": [
                    ["transaction_id": 1, "listing_id": 5, "quantity": 2, "price": ["amount": 1250, "divisor": 100, "currency_code": "EUR"]],
                    ["transaction_id": 2, "listing_id": 5, "quantity": -1],
                    ["transaction_id": 3, "quantity": 1, "price": ["amount": 100, "divisor": 0]],
                ],
            ]))
        XCTAssertEqual(r.currency, "EUR")
        XCTAssertEqual(r.grandTotalCents, 0, "an amount out of range is not trusted")
        XCTAssertEqual(r.transactions.map(\.id), [1, 3])
        XCTAssertEqual(r.transactions.map(\.priceCents), [1250, 0])
        XCTAssertEqual(r.updatedAt, r.createdAt)
    }
}
