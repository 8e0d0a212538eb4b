import Foundation
import GRDB
import PODCore

extension Store {
    /// Writes trend signals in one transaction: `produce` hands each to `insert` (a signal
    /// already stored for the same keyword, day and source is replaced); when it throws,
    /// nothing is written. The keyword summary is rebuilt in the same transaction. Returns how
    /// many were written.
    public func importSignals(_ produce: (_ insert: (TrendSignal) throws -> Void) throws -> Void) throws -> Int {
        try pool.writeWithoutTransaction { db in
            var count = 0
            // A million signals are ~60 MB of pages: with SQLite's default 2 MB cache they would
            // be written out and read back during the transaction.
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -131072")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
            try db.inTransaction {
                // Rows of one provenance go through a writer that has it as SQL constants, so
                // only four values are bound per row; a change of provenance flushes the rows
                // before it, so that a later row still replaces an earlier one.
                var writer: SignalWriter?
                var current: Provenance?
                var ids: [String: Int64] = [:]
                try produce { s in
                    let key = s.region + "\u{1}" + s.keyword
                    let id: Int64
                    if let known = ids[key] {
                        id = known
                    } else {
                        id = try Self.keywordID(db, keyword: s.keyword, region: s.region, isDemo: false)
                        ids[key] = id
                    }
                    if s.provenance != current {
                        try writer?.finish()
                        let p = s.provenance
                        writer = try SignalWriter(
                            db, columns: "keyword_id, day, volume, competition",
                            constants: [
                                "source": Self.sqlLiteral(p.source), "method": Self.sqlLiteral(p.method),
                                "fetched_at": "\(p.fetchedAt.timeIntervalSince1970)", "confidence": "\(p.confidence)",
                                "is_estimate": p.isEstimate ? "1" : "0", "is_demo": "0",
                            ], rowsPerStatement: 500)
                        current = p
                    }
                    try writer!.add(values: [id.databaseValue, s.day.databaseValue, s.volume.databaseValue, s.competition?.databaseValue ?? .null])
                    count += 1
                }
                try writer?.finish()
                // The summary commits with the signals: a kill between the two cannot leave
                // it stale.
                if count > 0 { try TrendSummary.rebuild(db) }
                return .commit
            }
            return count
        }
    }

    /// A string as an SQL literal.
    static func sqlLiteral(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The primary keywords of the seller's own drafts (not demo), most recent first: what the
    /// competition counts are fetched for, beside the configured watch list.
    public func draftKeywords(limit: Int) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT keyword FROM drafts WHERE is_demo = 0 AND TRIM(COALESCE(keyword, '')) <> ''
                    GROUP BY LOWER(keyword) ORDER BY MAX(updated_at) DESC LIMIT ?
                    """, arguments: [limit])
        }
    }
}
