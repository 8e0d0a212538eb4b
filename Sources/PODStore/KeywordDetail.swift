import Foundation
import GRDB
import PODCore

extension Store {
    /// A keyword's weekly history (26 weeks to its newest signal) and its sources with their
    /// provenance: a range read of the keyword's signals (the table is clustered by keyword).
    public func keywordDetail(keyword: String, region: String) throws -> KeywordDetail {
        try pool.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM keywords WHERE keyword = ? AND region = ?", arguments: [keyword, region]) else {
                return KeywordDetail(keyword: keyword, region: region, weekly: [], lastDay: nil, sources: [])
            }
            var sources = try SourceSummary.fetchAll(
                db,
                sql: """
                    SELECT source, method, MAX(fetched_at) AS fetched_at, AVG(confidence) AS confidence, MAX(is_estimate) AS is_estimate,
                           COUNT(*) AS signals, MIN(day) AS first_day, MAX(day) AS last_day
                    FROM trend_signals WHERE keyword_id = ? GROUP BY source, method ORDER BY last_day DESC, source
                    """, arguments: [id])
            for i in sources.indices {
                sources[i].competition = try Double.fetchOne(
                    db,
                    sql: """
                        SELECT competition FROM trend_signals WHERE keyword_id = ? AND source = ? AND competition IS NOT NULL ORDER BY day DESC LIMIT 1
                        """, arguments: [id, sources[i].source])
            }
            guard let last = sources.map(\.lastDay).max() else {
                return KeywordDetail(keyword: keyword, region: region, weekly: [], lastDay: nil, sources: [])
            }
            var weekly = [Double](repeating: 0, count: KeywordDetail.weeks)
            let first = last - KeywordDetail.weeks * 7 + 1
            for row in try Row.fetchAll(
                db, sql: "SELECT day, SUM(volume) AS volume FROM trend_signals WHERE keyword_id = ? AND day >= ? GROUP BY day",
                arguments: [id, first])
            {
                weekly[((row["day"] as Int) - first) / 7] += row["volume"] as Double
            }
            return KeywordDetail(keyword: keyword, region: region, weekly: weekly, lastDay: last, sources: sources)
        }
    }
}
