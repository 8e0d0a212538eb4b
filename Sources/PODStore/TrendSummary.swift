import GRDB
import PODCore

/// Maintains `keyword_summary` from `trend_signals`: per window, the volume of the window, of
/// the window before it, the growth between them and a bucketed series for the sparkline.
enum TrendSummary {
    static let sparkBuckets = 30

    /// Recomputes every window as of the last day that has signals.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM keyword_summary")
        guard let asOf = try Int.fetchOne(db, sql: "SELECT MAX(day) FROM trend_signals") else { return }
        let windows = TrendWindow.allCases
        let longest = windows.map(\.rawValue).max()!
        struct Acc { var current: [Double]; var previous: [Double]; var series: [[Double]]; var demo: Bool }
        var accs: [String: Acc] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT keyword, region, day, SUM(volume), MAX(is_demo) FROM trend_signals
            WHERE day > ? GROUP BY keyword, region, day
            """, arguments: [asOf - 2 * longest])
        while let row = try rows.next() {
            let keyword: String = row[0], region: String = row[1], day: Int = row[2]
            let volume: Double = row[3], demo: Bool = row[4]
            let key = keyword + "\u{1F}" + region
            var acc = accs[key] ?? Acc(current: Array(repeating: 0, count: windows.count),
                                       previous: Array(repeating: 0, count: windows.count),
                                       series: windows.map { Array(repeating: 0, count: min(sparkBuckets, $0.rawValue)) },
                                       demo: false)
            acc.demo = acc.demo || demo
            let age = asOf - day // 0 = the last day
            for (i, w) in windows.enumerated() {
                let n = w.rawValue
                if age < n {
                    acc.current[i] += volume
                    let buckets = acc.series[i].count
                    acc.series[i][(n - 1 - age) * buckets / n] += volume
                } else if age < 2 * n {
                    acc.previous[i] += volume
                }
            }
            accs[key] = acc
        }
        let insert = try db.makeStatement(sql: """
            INSERT INTO keyword_summary (window, keyword, region, volume, previous_volume, growth, series, is_demo, as_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (key, acc) in accs {
            let parts = key.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            for (i, w) in windows.enumerated() where acc.current[i] > 0 || acc.previous[i] > 0 {
                let series = acc.series[i].map { String(Int($0.rounded())) }.joined(separator: ",")
                try insert.execute(arguments: [w.rawValue, String(parts[0]), String(parts[1]), acc.current[i], acc.previous[i],
                                               TrendMath.growth(current: acc.current[i], previous: acc.previous[i]),
                                               series, acc.demo, asOf])
            }
        }
    }
}
