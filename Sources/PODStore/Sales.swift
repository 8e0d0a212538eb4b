import Foundation
import GRDB
import PODCore

extension Store {
    /// Etsy's receipts as it answered: each new or changed one written whole, its transactions
    /// replaced. Returns how many were new or changed.
    @discardableResult
    public func recordReceipts(_ receipts: [EtsyReceipt], now: Date) throws -> Int {
        try writeChanged(receipts) { db, r in
            try Double.fetchOne(db, sql: "SELECT updated_at FROM etsy_receipts WHERE receipt_id = ?", arguments: [r.id]) == r.updatedAt.timeIntervalSince1970
        } write: { db, r in
            let items = r.transactions.reduce(0) { $0 + $1.priceCents * $1.quantity }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO etsy_receipts (receipt_id, status, counts, created_at, updated_at, currency, grandtotal_cents,
                        tax_cents, shipping_cents, refund_cents, items_cents, revenue_cents, units, pulled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    r.id, r.status, r.counts, r.createdAt.timeIntervalSince1970, r.updatedAt.timeIntervalSince1970, r.currency, r.grandTotalCents,
                    r.taxCents, r.shippingCents, r.refundCents, items, r.revenueCents, r.units, now.timeIntervalSince1970,
                ])
            try db.execute(sql: "DELETE FROM etsy_transactions WHERE receipt_id = ?", arguments: [r.id])
            for t in r.transactions {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO etsy_transactions (transaction_id, receipt_id, listing_id, title, quantity, price_cents, shipping_cents)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [t.id, r.id, t.listingID.map(String.init), t.title, t.quantity, t.priceCents, t.shippingCents])
            }
        }
    }

    /// Entries of Etsy's payment account ledger (an entry never changes: one read again is kept
    /// as it was). Returns how many were new.
    @discardableResult
    public func recordLedgerEntries(_ entries: [EtsyLedgerEntry], now: Date) throws -> Int {
        try pool.write { db in
            var added = 0
            for e in entries {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO etsy_ledger (entry_id, created_at, amount_cents, currency, ledger_type, fee, description,
                            reference_type, reference_id, pulled_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        e.id, e.createdAt.timeIntervalSince1970, e.amountCents, e.currency, e.ledgerType, e.fee?.rawValue, e.description,
                        e.referenceType, e.referenceID, now.timeIntervalSince1970,
                    ])
                added += db.changesCount
            }
            return added
        }
    }

    /// When the oldest receipt kept was made (nil: none is).
    public func oldestReceipt() throws -> Date? {
        try pool.read { try Double.fetchOne($0, sql: "SELECT MIN(created_at) FROM etsy_receipts") }.map(Date.init(timeIntervalSince1970:))
    }

    /// The day's counts of the shop's listings (a day read again replaces its counts).
    public func recordListingStats(day: String, _ stats: [ListingStats]) throws {
        try pool.write { db in
            for s in stats {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO listing_stats (listing_id, day, views, favorites) VALUES (?, ?, ?, ?)",
                    arguments: [s.listingID, day, s.views, s.favorites])
            }
        }
    }

    /// The shop's activity from `from` up to (not including) `to`: its standing sales, the
    /// views and favourites of each day (the difference from the day before it was counted),
    /// each listing's part, and what Printify charged for the orders of those sales.
    public func shopActivity(from: Date, to: Date) throws -> ShopActivity {
        try pool.read { db in try Self.shopActivity(db, from: from, to: to) }
    }

    static func shopActivity(_ db: Database, from: Date, to: Date) throws -> ShopActivity {
        var a = ShopActivity()
        let range: StatementArguments = [from.timeIntervalSince1970, to.timeIntervalSince1970]
        a.sales = try Row.fetchAll(
            db,
            sql: """
                SELECT receipt_id, created_at, items_cents, shipping_cents, revenue_cents, units, currency FROM etsy_receipts
                WHERE counts = 1 AND created_at >= ? AND created_at < ? ORDER BY created_at
                """, arguments: range
        ).map {
            ShopActivity.Sale(
                receiptID: $0["receipt_id"], createdAt: Date(timeIntervalSince1970: $0["created_at"]), itemsCents: $0["items_cents"],
                shippingCents: $0["shipping_cents"], revenueCents: $0["revenue_cents"], units: $0["units"], currency: $0["currency"])
        }
        // A day's views: the count that day less the count the day before it was counted.
        let days: StatementArguments = [ListingStats.day(from), ListingStats.day(to)]
        let deltas = """
            SELECT listing_id, day,
                MAX(0, views - LAG(views) OVER w) AS views, MAX(0, favorites - LAG(favorites) OVER w) AS favorites,
                LAG(day) OVER w AS before
            FROM listing_stats WINDOW w AS (PARTITION BY listing_id ORDER BY day)
            """
        for r in try Row.fetchAll(
            db, sql: "SELECT day, SUM(views) AS v, SUM(favorites) AS f FROM (\(deltas)) WHERE before IS NOT NULL AND day >= ? AND day < ? GROUP BY day",
            arguments: days)
        {
            a.views[r["day"]] = r["v"]
            a.favorites[r["day"]] = r["f"]
        }
        a.statsBefore =
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM listing_stats WHERE day < ?)", arguments: [ListingStats.day(from)]) ?? false
        var lines: [String: ShopActivity.Listing] = [:]
        func line(_ id: String) -> ShopActivity.Listing { lines[id] ?? ShopActivity.Listing(listingID: id, title: "") }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT t.listing_id AS id, MAX(t.title) AS title, SUM(t.price_cents * t.quantity) AS revenue,
                    COUNT(DISTINCT t.receipt_id) AS orders, SUM(t.quantity) AS units
                FROM etsy_transactions t JOIN etsy_receipts r ON r.receipt_id = t.receipt_id
                WHERE r.counts = 1 AND r.created_at >= ? AND r.created_at < ? AND t.listing_id IS NOT NULL GROUP BY t.listing_id
                """, arguments: range)
        {
            var l = line(r["id"])
            (l.title, l.revenueCents, l.orders, l.units) = (r["title"], r["revenue"], r["orders"], r["units"])
            lines[l.listingID] = l
        }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT listing_id AS id, SUM(views) AS v, SUM(favorites) AS f FROM (\(deltas))
                WHERE before IS NOT NULL AND day >= ? AND day < ? GROUP BY listing_id HAVING SUM(views) > 0 OR SUM(favorites) > 0
                """, arguments: days)
        {
            var l = line(r["id"])
            (l.views, l.favorites) = (r["v"], r["f"])
            lines[l.listingID] = l
        }
        // Titles as the store knows the listings (a listing sold but since deleted keeps its sale's).
        for r in try Row.fetchAll(
            db, sql: "SELECT id AS row, provider_listing_id AS id, title FROM listings WHERE provider = ?", arguments: [ProviderID.etsy])
        {
            let id: String = r["id"]
            if var l = lines[id] {
                (l.title, l.rowID) = (r["title"], r["row"])
                lines[id] = l
            }
        }
        a.listings = lines.values.sorted { ($0.revenueCents, $0.views, $1.listingID) > ($1.revenueCents, $1.views, $0.listingID) }
        if let r = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS n, COALESCE(SUM(production_cents), 0) AS production, COALESCE(SUM(shipping_cents), 0) AS shipping
                FROM printify_orders WHERE status NOT IN ('canceled', 'cancelled') AND shop_order_id IN (
                    SELECT CAST(receipt_id AS TEXT) FROM etsy_receipts WHERE counts = 1 AND created_at >= ? AND created_at < ?)
                """, arguments: range)
        {
            (a.printifyOrders, a.productionUSD, a.shippingUSD) = (r["n"], r["production"], r["shipping"])
        }
        // The fees Etsy charged in the span, by currency and kind (a debit is negative in the
        // ledger, a fee here is positive; a refunded fee takes its amount back).
        let ledgerFrom = try String.fetchOne(db, sql: "SELECT cursor FROM sync_cursors WHERE provider = 'etsy' AND resource = 'ledger.from'")
        a.ledgerCovers = ledgerFrom.flatMap(Double.init).map { $0 <= from.timeIntervalSince1970 } ?? false
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT currency, fee, -SUM(amount_cents) AS cents FROM etsy_ledger
                WHERE fee IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY currency, fee
                """, arguments: range)
        {
            guard let fee = EtsyLedgerEntry.Fee(rawValue: r["fee"]) else { continue }
            a.ledgerFees[r["currency"], default: [:]][fee] = r["cents"]
        }
        return a
    }
}
