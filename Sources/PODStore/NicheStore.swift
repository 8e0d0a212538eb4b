import Foundation
import GRDB
import PODCore

extension Store {
    /// The niches of a region over a window, scored from the keyword summary, with the
    /// seller's saved and excluded marks; excluded ones last.
    public func niches(window: TrendWindow, region: String) throws -> [NicheRow] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT keyword, volume, previous_volume, competition, is_demo FROM keyword_summary WHERE window = ? AND region = ?
                    """, arguments: [window.rawValue, region]
            ).map(Self.nicheInput)
            var marks: [String: (saved: Bool, excluded: Bool)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT name, saved, excluded FROM niches") { marks[r["name"]] = (r["saved"], r["excluded"]) }
            var niches = NicheMath.niches(rows, region: region, days: window.rawValue, brand: try Self.activeBrand(db))
            for i in niches.indices {
                if let m = marks[niches[i].name] { (niches[i].saved, niches[i].excluded) = (m.saved, m.excluded) }
            }
            return niches.filter { !$0.excluded } + niches.filter(\.excluded)
        }
    }

    /// The niche's variants in the store's other regions over the window: its score there, by
    /// region, strongest first (the same niche name, from that region's keywords).
    public func nicheVariants(_ name: String, window: TrendWindow, except region: String) throws -> [NicheRow] {
        try pool.read { db in
            let brand = try Self.activeBrand(db)
            let regions = try String.fetchAll(
                db, sql: "SELECT DISTINCT region FROM keyword_summary WHERE window = ? AND region <> ?",
                arguments: [window.rawValue, region])
            return try regions.compactMap { r in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT keyword, volume, previous_volume, competition, is_demo FROM keyword_summary
                        WHERE window = ? AND region = ? AND keyword LIKE ? ESCAPE '\\'
                        """, arguments: [window.rawValue, r, Self.likePattern(name)]
                ).map(Self.nicheInput)
                return NicheMath.niches(rows, region: r, days: window.rawValue, brand: brand).first { $0.name == name }
            }.sorted { $0.score.opportunity > $1.score.opportunity }
        }
    }

    static func activeBrand(_ db: Database) throws -> BrandProfile? { try brandProfiles(db, activeOnly: true).first }

    /// Marks a niche saved or excluded (or neither).
    public func markNiche(_ name: String, saved: Bool, excluded: Bool, now: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO niches (name, saved, excluded, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET saved = excluded.saved, excluded = excluded.excluded
                    """, arguments: [name, saved, excluded, now.timeIntervalSince1970])
        }
    }
}
