import Foundation
import GRDB
import Testing

@testable import PODCore
@testable import PODStore

/// A week of the shop's figures from what the store keeps — Etsy's receipts, the fees in its
/// ledger, Printify's charges for the orders — against the same figures worked out by hand.
@Suite struct ShopFiguresStoreTests {
    let monday = Date(timeIntervalSince1970: 1_796_601_600)  // Monday 2026-12-07 00:00 UTC
    func at(day: Double, hour: Double = 12) -> Date { monday.addingTimeInterval(day * 86_400 + hour * 3_600) }

    func receipt(_ id: Int64, day: Double, status: String = "paid", lines: [(quantity: Int, price: Int)], shipping: Int, tax: Int) -> EtsyReceipt {
        let items = lines.reduce(0) { $0 + $1.quantity * $1.price }
        return EtsyReceipt(
            id: id, status: status, createdAt: at(day: day), updatedAt: at(day: day), currency: "USD", grandTotalCents: items + shipping + tax,
            taxCents: tax, shippingCents: shipping,
            transactions: lines.enumerated().map {
                .init(
                    id: id * 10 + Int64($0.offset), listingID: 500, title: "Moon Mug", quantity: $0.element.quantity, priceCents: $0.element.price,
                    shippingCents: 0)
            })
    }

    func fee(_ id: Int64, day: Double, _ type: String, _ cents: Int) -> EtsyLedgerEntry {
        EtsyLedgerEntry(id: id, createdAt: at(day: day), amountCents: cents, currency: "USD", ledgerType: type)
    }

    @Test func aWeeksRevenueAndProfitMatchTheHandCalculation() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let now = at(day: 8)
        try store.recordReceipts(
            [
                receipt(1, day: 0, lines: [(2, 2_000)], shipping: 500, tax: 300),  // 4,000 + 500 = 4,500 (tax not the shop's)
                receipt(2, day: 2, lines: [(1, 2_500), (1, 1_800)], shipping: 0, tax: 0),  // 4,300
                receipt(3, day: 4, status: "Canceled", lines: [(1, 9_900)], shipping: 0, tax: 0),  // does not count
                receipt(4, day: 6, lines: [(3, 1_500)], shipping: 450, tax: 120),  // 4,950
                receipt(5, day: 7, lines: [(1, 7_700)], shipping: 0, tax: 0),  // the next week
            ], now: now)
        try store.recordPrintifyOrders(
            [
                PrintifyOrder(id: "p1", shopOrderID: "1", status: "fulfilled", createdAt: at(day: 0), productionCents: 1_100, shippingCents: 475),
                PrintifyOrder(id: "p2", shopOrderID: "2", status: "in-production", createdAt: at(day: 2), productionCents: 1_290, shippingCents: 599),
                PrintifyOrder(id: "p3", shopOrderID: "3", status: "canceled", createdAt: at(day: 4), productionCents: 2_000, shippingCents: 500),
                PrintifyOrder(id: "p4", shopOrderID: "4", status: "fulfilled", createdAt: at(day: 6), productionCents: 1_650, shippingCents: 620),
            ], now: now)
        try store.recordLedgerEntries(
            [
                fee(1, day: 0, "transaction", -293),  // 6.5 % of 45.00
                fee(2, day: 0, "PAYMENT_PROCESSING_FEE", -160),
                fee(3, day: 0, "renew_sold", -20),
                fee(4, day: 0, "PAYMENT_GROSS", 4_800),  // the buyer's payment: not a fee
                fee(5, day: 2, "transaction", -280),
                fee(6, day: 2, "PAYMENT_PROCESSING_FEE", -154),
                fee(7, day: 3, "listing", -20),
                fee(8, day: 4, "offsite_ads_fee", -675),
                fee(9, day: 5, "offsite_ads_fee_refund", 675),  // the cancelled order's ad fee, refunded
                fee(10, day: 6, "transaction", -322),
                fee(11, day: 6, "PAYMENT_PROCESSING_FEE", -174),
                fee(12, day: 6, "sales_tax", -120),  // collected for the state: not a fee
                fee(13, day: 6, "DISBURSE2", -9_000),  // a deposit to the bank: not a fee
                fee(14, day: 7, "transaction", -500),  // the next week
            ], now: now)
        try store.setSyncCursor(provider: "etsy", resource: "ledger.from", cursor: String(Int(monday.timeIntervalSince1970) - 86_400), now: now)
        let week = try store.shopActivity(from: monday, to: at(day: 7, hour: 0))
        let f = ShopFigures(week, fees: .etsyUS, currency: "USD", usdRate: nil)
        // By hand: revenue 4,500 + 4,300 + 4,950 = 13,750 in 3 orders of 2 + 2 + 3 units.
        #expect(f.revenueCents == 13_750 && f.orders == 3 && f.units == 7)
        // Printify: production 1,100 + 1,290 + 1,650 = 4,040, shipping 475 + 599 + 620 = 1,694
        // (the cancelled order's costs are not counted).
        #expect(f.productionCents == 4_040 && f.shippingPaidCents == 1_694 && f.printifyOrders == 3)
        // The ledger: transaction 293 + 280 + 322 = 895, processing 160 + 154 + 174 = 488,
        // listing 20 + 20 = 40, offsite ads 675 − 675 = 0; in all 1,423.
        #expect(f.feesMeasured && f.feesCents == 1_423)
        #expect(f.feeParts == [.transaction: 895, .processing: 488, .listing: 40, .offsiteAds: 0])
        // Profit: 13,750 − 4,040 − 1,694 − 1,423 = 6,593, measured throughout.
        #expect(f.profitCents == 6_593 && f.profitMeasured)

        // A week the ledger was not read over: its fees are the fee table's estimate, and say so.
        let earlier = try store.shopActivity(from: monday.addingTimeInterval(-7 * 86_400), to: monday)
        #expect(!ShopFigures(earlier, fees: .etsyUS, currency: "USD", usdRate: nil).feesMeasured)
        // A ledger kept in another currency than the shop's is not mixed in: estimated.
        try store.recordLedgerEntries([EtsyLedgerEntry(id: 99, createdAt: at(day: 1), amountCents: -50, currency: "EUR", ledgerType: "listing")], now: now)
        let mixed = ShopFigures(try store.shopActivity(from: monday, to: at(day: 7, hour: 0)), fees: .etsyUS, currency: "USD", usdRate: nil)
        #expect(!mixed.feesMeasured && !mixed.profitMeasured)
        // An entry read again is kept once.
        #expect(try store.recordLedgerEntries([fee(1, day: 0, "transaction", -293)], now: now) == 0)
    }

    @Test func eachLedgerTypeIsTheFeeItPaysFor() {
        #expect(EtsyLedgerEntry.Fee(ledgerType: "transaction") == .transaction)
        #expect(EtsyLedgerEntry.Fee(ledgerType: "shipping_transaction_refund") == .transaction)
        #expect(EtsyLedgerEntry.Fee(ledgerType: "auto_renew_expired") == .listing)
        #expect(EtsyLedgerEntry.Fee(ledgerType: "PAYMENT_PROCESSING_FEE") == .processing)
        #expect(EtsyLedgerEntry.Fee(ledgerType: "vat_seller_services") == .tax)
        for notAFee in ["PAYMENT_GROSS", "REFUND_GROSS", "DISBURSE2", "sales_tax", "REFUND", "", "_refund"] {
            #expect(EtsyLedgerEntry.Fee(ledgerType: notAFee) == nil, "\(notAFee)")
        }
    }

    /// A day's views are its count less the count before it, kept with the count when it is
    /// written; a store made before v20 gets them computed once by the migration.
    @Test func eachDaysCountKeepsItsDifferenceFromTheCountBefore() throws {
        // A store at v19, with counts on days 1, 2 and 4 (day 3 missed).
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v19")
            try queue.write { db in
                for (day, views) in [("2026-12-01", 100), ("2026-12-02", 130), ("2026-12-04", 190)] {
                    try db.execute(sql: "INSERT INTO listing_stats (listing_id, day, views, favorites) VALUES ('7', ?, ?, 1)", arguments: [day, views])
                }
            }
            try Schema.migrator.migrate(queue)
            let deltas = try queue.read { try Int?.fetchAll($0, sql: "SELECT views_delta FROM listing_stats ORDER BY day") }
            #expect(deltas == [nil, 30, 60])
        }
        // Written now: the same, and a day read again is its difference again (not doubled).
        let store = try Store(dataDirectory: temporaryDirectory())
        for (day, views) in [("2026-12-01", 100), ("2026-12-02", 130), ("2026-12-04", 190), ("2026-12-04", 200)] {
            try store.recordListingStats(day: day, [ListingStats(listingID: "7", views: views, favorites: 1)])
        }
        let a = try store.shopActivity(from: at(day: -7), to: at(day: 0))  // Nov 30 – Dec 7
        #expect(a.views == ["2026-12-02": 30, "2026-12-04": 70])
        #expect(try store.shopListings(from: at(day: -7), to: at(day: 0)).map(\.views) == [100])
        #expect(!a.statsBefore && !a.demo)
    }

    /// `demo` makes a year of sales and daily counts, marked demo, which the Shop says are demo
    /// and clearing the demo takes away.
    @Test func demoSalesAreMarkedAndCleared() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let now = at(day: 0, hour: 9)
        let s = try store.loadDemo(seed: 5, signals: 200, listings: 60, sales: 500, salesListings: 8, today: Day.number(now), now: now, reset: false)
        #expect(s.receipts == 500 && s.dailyCounts == 8 * 365)
        let month = try store.shopActivity(from: now.addingTimeInterval(-30 * 86_400), to: now)
        #expect(month.demo && !month.sales.isEmpty && month.statsBefore && (month.views.values.reduce(0, +)) > 0)
        #expect(month.sales.allSatisfy { $0.receiptID < 0 }, "demo receipts never take an id Etsy could use")
        try store.clearDemo()
        let after = try store.shopActivity(from: now.addingTimeInterval(-30 * 86_400), to: now)
        #expect(!after.demo && after.sales.isEmpty && after.views.isEmpty)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM etsy_transactions") } == 0)
    }
}
