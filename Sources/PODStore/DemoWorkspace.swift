import Foundation
import GRDB
import PODCore

/// What a demo load wrote.
public struct DemoSummary: Equatable, Sendable {
    public var signals: Int
    public var listings: Int
    public var drafts: Int
    public var keywords: Int
    /// Demo sales: receipts, and daily counts of views and favourites.
    public var receipts = 0
    public var dailyCounts = 0
    public var seconds: Double
}

extension Store {
    /// Fills the store with a deterministic demo workspace: every row is marked `is_demo`, and
    /// the preference `workspace.demo` makes the UI show DEMO. `reset` first deletes every demo
    /// row (the seller's own rows are never touched). Dates are laid out backwards from `today`.
    public func loadDemo(
        seed: UInt64, signals: Int, listings: Int, sales: Int = Store.demoDefaultSales, salesListings: Int = Store.demoDefaultSalesListings,
        today: DayNumber, now: Date, reset: Bool
    ) throws -> DemoSummary {
        let clock = ContinuousClock.now
        var rng = SeededRandom(seed: seed)
        let signalCount = max(0, signals), listingCount = max(0, listings)
        // Spread the signals over about a year per keyword, so every window has a window before it.
        let days = signalCount == 0 ? 0 : min(365, max(14, signalCount))
        let keywordSlots = days == 0 ? 0 : min(DemoVocabulary.keywordCount * DemoVocabulary.regions.count, max(1, (signalCount + days - 1) / days))
        var written = 0
        var drafts = 0
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                if reset { try Self.deleteDemoRows(db) }
                let signals = try SignalWriter(
                    db, columns: "keyword_id, day, volume, competition, fetched_at",
                    constants: ["source": "'demo'", "method": "'synthetic'", "confidence": "0.5", "is_estimate": "1", "is_demo": "1"])
                let fetchedAt = now.timeIntervalSince1970
                for slot in 0..<keywordSlots {
                    let keyword = DemoVocabulary.keyword(slot % DemoVocabulary.keywordCount)
                    // Slot → (keyword, region) is one-to-one up to keywords × regions slots.
                    let region = DemoVocabulary.regions[(slot / DemoVocabulary.keywordCount + slot) % DemoVocabulary.regions.count]
                    let base = 50 + rng.unit() * 950
                    let trend = rng.unit() * 2.4 - 0.8  // from -80 % to +160 % over the year
                    let seasonPhase = rng.unit() * 2 * Double.pi
                    let competition = (200 + rng.unit() * 40_000).rounded()
                    let share = signalCount / keywordSlots + (slot < signalCount % keywordSlots ? 1 : 0)
                    let keywordID = try Self.keywordID(db, keyword: keyword, region: region, isDemo: true)
                    for d in 0..<share {
                        let age = share - 1 - d
                        let t = 1 - Double(age) / Double(max(1, days))
                        let seasonal = 1 + 0.3 * sin(seasonPhase + Double(age) / 58)
                        let noise = 0.85 + rng.unit() * 0.3
                        let volume = max(0, (base * (1 + trend * t) * seasonal * noise).rounded())
                        try signals.add([keywordID, today - age, volume, competition, fetchedAt])
                        written += 1
                    }
                }
                try signals.finish()
                let listingInsert = try db.makeStatement(
                    sql: """
                        INSERT INTO listings (provider, provider_listing_id, shop_id, owner, title, state, price_cents, currency, quantity, views, favorites, is_demo, created_at, updated_at)
                        VALUES (?, ?, 'demo-shop', ?, ?, ?, ?, 'USD', ?, ?, ?, 1, ?, ?)
                        """)
                let states = ["active", "active", "active", "draft", "inactive", "sold_out"]
                let titles = (0..<DemoVocabulary.keywordCount).map { i in
                    DemoVocabulary.keyword(i).split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
                }
                let recipients = DemoVocabulary.subjects.map { " – Gift for \($0.prefix(1).uppercased() + $0.dropFirst()) Lovers" }
                let base = now.timeIntervalSince1970
                try Self.withIndexesDropped(db, table: "listings") {
                    for i in 0..<listingCount {
                        let provider: ProviderID = i % 4 == 0 ? .printify : .etsy
                        let title = titles[Int(rng.next() % UInt64(titles.count))] + recipients[i % recipients.count]
                        let created = base - Double(rng.next() % (400 * 86_400))
                        let updated = min(base, created + Double(rng.next() % (60 * 86_400)))
                        listingInsert.setUncheckedArguments([
                            provider, "demo-\(seed)-\(i)", provider, title, states[i % states.count],
                            1_200 + Int(rng.next() % 3_300), Int(rng.next() % 50), Int(rng.next() % 5_000),
                            Int(rng.next() % 400), created, updated,
                        ])
                        try listingInsert.execute()
                    }
                }
                // A handful of drafts in different states, so the dashboard's recent drafts are real rows.
                if listingCount > 0 || signalCount > 0 {
                    for i in 0..<6 {
                        let kw = DemoVocabulary.keyword(i * 37 % DemoVocabulary.keywordCount)
                        try db.execute(
                            sql: """
                                INSERT INTO drafts (title, keyword, niche, state, is_demo, created_at, updated_at, step)
                                VALUES (?, ?, ?, ?, 1, ?, ?, ?)
                                """,
                            arguments: [
                                kw.capitalized, kw, kw.split(separator: " ").dropLast().joined(separator: " "),
                                i == 0 ? "ready" : "draft", base - Double(i) * 3_600 * 7, base - Double(i) * 3_600 * 5, i % 7,
                            ])
                        drafts += 1
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO notifications (kind, title, body, dedupe_key, created_at, is_demo)
                            VALUES ('demo', 'notify.demo_loaded', ?, ?, ?, 1)
                            ON CONFLICT(dedupe_key) DO NOTHING
                            """, arguments: [#"{"listings":"\#(listingCount)","signals":"\#(written)"}"#, "demo-loaded-\(seed)", base])
                    try db.execute(sql: "INSERT INTO preferences(key, value) VALUES ('workspace.demo', '1') ON CONFLICT(key) DO UPDATE SET value = '1'")
                }
                try TrendSummary.rebuild(db)
                return .commit
            }
            // Fresh statistics for the query planner, sampled so this stays quick on big stores.
            try db.execute(sql: "PRAGMA analysis_limit = 1000; ANALYZE")
        }
        let sold = try loadDemoSales(seed: seed, receipts: sales, statListings: salesListings, now: now)
        return DemoSummary(
            signals: written, listings: listingCount, drafts: drafts, keywords: keywordSlots, receipts: sold.receipts, dailyCounts: sold.counts,
            seconds: (ContinuousClock.now - clock).seconds)
    }

    /// Demo sales for the Shop screen, marked demo like the rest (a demo listing's receipts are
    /// never a shop's): a year of daily views and favourites of the first `statListings` active
    /// demo Etsy listings, and `receipts` receipts of them spread over that year, a few
    /// cancelled. Receipt and transaction ids are negative, so they never meet Etsy's. Earlier
    /// demo sales are replaced. Returns how many receipts and daily counts were written.
    @discardableResult
    public func loadDemoSales(seed: UInt64, receipts: Int, statListings: Int, now: Date) throws -> (receipts: Int, counts: Int) {
        var rng = SeededRandom(seed: seed ^ 0x5A1E5)
        return try pool.write { db in
            try db.execute(sql: "DELETE FROM etsy_receipts WHERE is_demo = 1; DELETE FROM listing_stats WHERE is_demo = 1")
            let listings = try Row.fetchAll(
                db,
                sql: """
                    SELECT provider_listing_id AS id, title, price_cents AS price FROM listings
                    WHERE is_demo = 1 AND provider = 'etsy' AND state = 'active' ORDER BY id LIMIT ?
                    """, arguments: [max(0, statListings)]
            ).map { (id: $0["id"] as String, title: $0["title"] as String, price: $0["price"] as Int? ?? 2_000) }
            guard !listings.isEmpty else {
                try Self.sumStatsDays(db)
                return (0, 0)
            }
            let today = Calendar.utc.startOfDay(for: now)
            var counts = 0
            try Self.withIndexesDropped(db, table: "listing_stats") {
                let insert = try db.makeStatement(
                    sql: """
                        INSERT OR REPLACE INTO listing_stats (listing_id, day, views, favorites, is_demo, views_delta, favorites_delta)
                        VALUES (?, ?, ?, ?, 1, ?, ?)
                        """)
                for l in listings {
                    var views = Int(rng.next() % 5_000), favorites = Int(rng.next() % 200)
                    let daily = 5 + Int(rng.next() % 60)
                    for age in stride(from: 364, through: 0, by: -1) {
                        let dv = Int(rng.next() % UInt64(daily)), df = Int(rng.next() % 3)
                        (views, favorites) = (views + dv, favorites + df)
                        let first = age == 364
                        insert.setUncheckedArguments([
                            l.id, ListingStats.day(today.addingTimeInterval(-Double(age) * 86_400)), views, favorites, first ? nil : dv,
                            first ? nil : df,
                        ])
                        try insert.execute()
                        counts += 1
                    }
                }
            }
            try Self.sumStatsDays(db)
            let receipt = try db.makeStatement(
                sql: """
                    INSERT INTO etsy_receipts (receipt_id, status, counts, created_at, updated_at, currency, grandtotal_cents, tax_cents,
                        shipping_cents, refund_cents, items_cents, revenue_cents, units, pulled_at, is_demo)
                    VALUES (?, ?, ?, ?, ?, 'USD', ?, ?, ?, 0, ?, ?, ?, ?, 1)
                    """)
            let line = try db.makeStatement(
                sql: """
                    INSERT INTO etsy_transactions (transaction_id, receipt_id, listing_id, title, quantity, price_cents, shipping_cents)
                    VALUES (?, ?, ?, ?, ?, ?, 0)
                    """)
            let start = today.timeIntervalSince1970 - 364 * 86_400, span = max(1, now.timeIntervalSince1970 - start)
            for i in 0..<max(0, receipts) {
                let id = -Int64(i + 1)
                let created = start + span * Double(i) / Double(max(1, receipts)) + rng.unit() * 600
                let bought = (0..<(rng.next() % 5 == 0 ? 2 : 1)).map { _ in
                    (listing: listings[Int(rng.next() % UInt64(listings.count))], quantity: rng.next() % 3 == 0 ? 2 : 1)
                }
                let items = bought.reduce(0) { $0 + $1.listing.price * $1.quantity }, units = bought.reduce(0) { $0 + $1.quantity }
                let shipping = rng.next() % 2 == 0 ? 0 : 450, tax = items * 7 / 100
                let cancelled = rng.next() % 50 == 0
                try receipt.execute(arguments: [
                    id, cancelled ? "Canceled" : "Completed", cancelled ? 0 : 1, created, created, items + shipping + tax, tax, shipping, items,
                    cancelled ? 0 : items + shipping, cancelled ? 0 : units, now.timeIntervalSince1970,
                ])
                for (k, b) in bought.enumerated() {
                    try line.execute(arguments: [id * 10 - Int64(k), id, b.listing.id, b.listing.title, b.quantity, b.listing.price])
                }
            }
            return (max(0, receipts), counts)
        }
    }

    /// Brings the demo drafts up to `count` (for the benchmark's composer with 100,000
    /// drafts): titled from the demo vocabulary, marked demo, in one transaction.
    public func fillDemoDrafts(count: Int, now: Date) throws {
        try pool.write { db in
            let have = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE is_demo = 1") ?? 0
            guard have < count else { return }
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO drafts (title, keyword, niche, state, is_demo, created_at, updated_at) VALUES (?, ?, ?, 'draft', 1, ?, ?)
                    """)
            let base = now.timeIntervalSince1970
            for i in have..<count {
                let kw = DemoVocabulary.keyword(i % DemoVocabulary.keywordCount)
                let at = base - Double(i) * 60
                insert.setUncheckedArguments([kw.capitalized + " Gift #\(i)", kw, kw, at, at])
                try insert.execute()
            }
        }
    }

    /// Removes every demo row and the DEMO label; the seller's own rows stay.
    public func clearDemo() throws {
        try pool.write { db in
            try Self.deleteDemoRows(db)
            try TrendSummary.rebuild(db)
        }
    }

    static func deleteDemoRows(_ db: Database) throws {
        for table in ["trend_signals", "keywords", "listings", "drafts", "notifications", "niches", "etsy_receipts", "listing_stats"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE is_demo = 1")
        }
        try sumStatsDays(db)
        try db.execute(sql: "DELETE FROM preferences WHERE key = 'workspace.demo'")
    }
}

extension Store {
    /// The size `podpusher demo` and the first-run offer load unless told otherwise.
    public static let demoDefaultSignals = 100_000
    public static let demoDefaultListings = 5_000
    /// Demo receipts over the last year, and how many listings have daily counts.
    public static let demoDefaultSales = 2_000
    public static let demoDefaultSalesListings = 100
}
