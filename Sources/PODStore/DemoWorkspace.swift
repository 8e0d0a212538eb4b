import Foundation
import GRDB
import PODCore

/// What a demo load wrote.
public struct DemoSummary: Equatable, Sendable {
    public var signals: Int
    public var listings: Int
    public var drafts: Int
    public var keywords: Int
    public var seconds: Double
}

extension Store {
    /// Fills the store with a deterministic demo workspace: every row is marked `is_demo`, and
    /// the preference `workspace.demo` makes the UI show DEMO. `reset` first deletes every demo
    /// row (the seller's own rows are never touched). Dates are laid out backwards from `today`.
    public func loadDemo(seed: UInt64, signals: Int, listings: Int, today: DayNumber, now: Date, reset: Bool) throws -> DemoSummary {
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
        return DemoSummary(
            signals: written, listings: listingCount, drafts: drafts, keywords: keywordSlots,
            seconds: (ContinuousClock.now - clock).seconds)
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
        for table in ["trend_signals", "keywords", "listings", "drafts", "notifications", "niches"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE is_demo = 1")
        }
        try db.execute(sql: "DELETE FROM preferences WHERE key = 'workspace.demo'")
    }
}

extension Store {
    /// The size `podpusher demo` and the first-run offer load unless told otherwise.
    public static let demoDefaultSignals = 100_000
    public static let demoDefaultListings = 5_000
}
