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

    /// The day's counts of the shop's listings (a day read again replaces its counts), each
    /// with its difference from the listing's count before (none for its first).
    public func recordListingStats(day: String, _ stats: [ListingStats]) throws {
        try pool.write { db in
            let insert = try db.makeStatement(sql: Self.statsInsert)
            for s in stats { try insert.execute(arguments: [s.listingID, day, s.views, s.favorites, 0]) }
            try Self.sumStatsDays(db, day: day)
        }
    }

    /// Writes a day's count of a listing (id, day, views, favourites, is_demo) with its
    /// difference from the count before it.
    static let statsInsert = """
        INSERT OR REPLACE INTO listing_stats (listing_id, day, views, favorites, is_demo, views_delta, favorites_delta)
        SELECT n.id, n.day, n.views, n.favorites, n.demo, MAX(0, n.views - p.views), MAX(0, n.favorites - p.favorites)
        FROM (SELECT ?1 AS id, ?2 AS day, ?3 AS views, ?4 AS favorites, ?5 AS demo) n
        LEFT JOIN listing_stats p ON p.listing_id = n.id
            AND p.day = (SELECT MAX(day) FROM listing_stats WHERE listing_id = n.id AND day < n.day)
        """

    /// The shop's activity from `from` up to (not including) `to`: its standing sales, the
    /// views and favourites of each day (the difference from the day before it was counted),
    /// what Printify charged for the orders of those sales and what Etsy's ledger charged.
    /// Each listing's part is `shopListings(from:to:)`, read apart: the totals show first.
    public func shopActivity(from: Date, to: Date) throws -> ShopActivity {
        try pool.read { db in try Self.shopActivity(db, from: from, to: to) }
    }

    /// Each listing's part of the span: its sales, and the views and favourites of its days;
    /// the revenue first.
    public func shopListings(from: Date, to: Date) throws -> [ShopActivity.Listing] {
        try pool.read { db in try Self.shopListings(db, from: from, to: to) }
    }

    static func shopActivity(_ db: Database, from: Date, to: Date) throws -> ShopActivity {
        var a = ShopActivity()
        let range: StatementArguments = [from.timeIntervalSince1970, to.timeIntervalSince1970]
        // A year of a busy shop is 100,000 receipts: read through a cursor, by column.
        let sales = try Row.fetchCursor(
            db,
            sql: """
                SELECT receipt_id, created_at, items_cents, shipping_cents, revenue_cents, units, currency FROM etsy_receipts
                WHERE counts = 1 AND created_at >= ? AND created_at < ? ORDER BY created_at
                """, arguments: range)
        while let r = try sales.next() {
            a.sales.append(
                ShopActivity.Sale(
                    receiptID: r[0], createdAt: Date(timeIntervalSince1970: r[1]), itemsCents: r[2], shippingCents: r[3], revenueCents: r[4], units: r[5],
                    currency: r[6]))
        }
        // A day's views: all listings' differences from their counts before, summed by day when written.
        for r in try Row.fetchAll(
            db, sql: "SELECT day, views, favorites FROM stats_days WHERE day >= ? AND day < ?", arguments: [ListingStats.day(from), ListingStats.day(to)])
        {
            a.views[r["day"]] = r["views"]
            a.favorites[r["day"]] = r["favorites"]
        }
        a.statsBefore =
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM listing_stats WHERE day < ?)", arguments: [ListingStats.day(from)]) ?? false
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
        a.demo =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM etsy_receipts WHERE is_demo = 1 AND created_at >= ? AND created_at < ?)", arguments: range) ?? false
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

    static func shopListings(_ db: Database, from: Date, to: Date) throws -> [ShopActivity.Listing] {
        let range: StatementArguments = [from.timeIntervalSince1970, to.timeIntervalSince1970]
        let days: StatementArguments = [ListingStats.day(from), ListingStats.day(to)]
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
                SELECT listing_id AS id, SUM(views_delta) AS v, SUM(favorites_delta) AS f FROM listing_stats
                WHERE day >= ? AND day < ? AND views_delta IS NOT NULL GROUP BY listing_id HAVING v > 0 OR f > 0
                """, arguments: days)
        {
            var l = line(r["id"])
            (l.views, l.favorites) = (r["v"], r["f"])
            lines[l.listingID] = l
        }
        // Titles as the store knows the listings (a listing sold but since deleted keeps its sale's).
        let ids = String(decoding: try JSONEncoder().encode(Array(lines.keys)), as: UTF8.self)
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT id AS row, provider_listing_id AS id, title FROM listings
                WHERE provider = ? AND provider_listing_id IN (SELECT value FROM json_each(?))
                """, arguments: [ProviderID.etsy, ids])
        {
            let id: String = r["id"]
            if var l = lines[id] {
                (l.title, l.rowID) = (r["title"], r["row"])
                lines[id] = l
            }
        }
        return lines.values.sorted { ($0.revenueCents, $0.views, $1.listingID) > ($1.revenueCents, $1.views, $0.listingID) }
    }

    /// Sums the days' differences of every listing into `stats_days` (all days when nil).
    static func sumStatsDays(_ db: Database, day: String? = nil) throws {
        let only = day == nil ? "" : " AND day = ?"
        if day == nil { try db.execute(sql: "DELETE FROM stats_days") }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO stats_days (day, views, favorites)
                SELECT day, SUM(views_delta), SUM(favorites_delta) FROM listing_stats WHERE views_delta IS NOT NULL\(only) GROUP BY day
                """, arguments: StatementArguments(day.map { [$0] } ?? []))
    }
}
