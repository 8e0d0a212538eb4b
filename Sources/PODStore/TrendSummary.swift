import GRDB
import PODCore

/// Maintains `keyword_summary` from `trend_signals`: per window, the volume of the window, of
/// the window before it, the growth between them, a bucketed series for the sparkline and the
/// newest competition count.
enum TrendSummary {
    static let sparkBuckets = 30

    /// Recomputes every window as of the last day that has signals, in one pass over the
    /// signals of the last two longest windows.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM keyword_summary")
        guard let asOf = try Int.fetchOne(db, sql: "SELECT MAX(day) FROM trend_signals") else { return }
        let windows = TrendWindow.allCases.map(\.rawValue)
        let longest = windows.max()!
        struct Acc {
            var current: [Double]
            var previous: [Double]
            var series: [[Double]]
            var competition: Double?
            var competitionDay = Int.min
        }
        let fresh = Acc(
            current: Array(repeating: 0, count: windows.count), previous: Array(repeating: 0, count: windows.count),
            series: windows.map { Array(repeating: 0, count: min(sparkBuckets, $0)) }, competition: nil)
        var accs: [Int64: Acc] = [:]
        let signals = try db.makeStatement(sql: "SELECT keyword_id, day, volume, competition FROM trend_signals WHERE day > ?")
        let s = signals.columnIndexes("keyword_id", "day", "volume", "competition")
        let rows = try Row.fetchCursor(signals, arguments: [asOf - 2 * longest])
        while let row = try rows.next() {
            let id: Int64 = row[s[0]], day: Int = row[s[1]], volume: Double = row[s[2]]
            let age = asOf - day  // 0 = the last day
            var acc = accs.removeValue(forKey: id) ?? fresh
            if let c = row[s[3]] as Double?, day >= acc.competitionDay { (acc.competition, acc.competitionDay) = (c, day) }
            for (i, n) in windows.enumerated() {
                if age < n {
                    acc.current[i] += volume
                    acc.series[i][(n - 1 - age) * acc.series[i].count / n] += volume
                } else if age < 2 * n {
                    acc.previous[i] += volume
                }
            }
            accs[id] = acc
        }
        // Migrations v2 and v7 rebuild too, before v7 adds the competition column and v8 the category.
        let columns = Set(try db.columns(in: "keyword_summary").map(\.name))
        let extra = ["competition", "category", "opportunity"].filter(columns.contains)
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO keyword_summary (window, keyword, region, volume, previous_volume, growth, series, is_demo, as_of\(extra.map { ", " + $0 }.joined()))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?\(String(repeating: ", ?", count: extra.count)))
                """)
        let keywords = try db.makeStatement(sql: "SELECT id, keyword, region, is_demo FROM keywords")
        let k = keywords.columnIndexes("id", "keyword", "region", "is_demo")
        let names = try Row.fetchCursor(keywords)
        while let row = try names.next() {
            guard let acc = accs[row[k[0]]] else { continue }
            let keyword: String = row[k[1]], region: String = row[k[2]], demo: Bool = row[k[3]]
            let category = NicheMath.category(of: keyword).rawValue
            for (i, w) in windows.enumerated() where acc.current[i] > 0 || acc.previous[i] > 0 {
                let series = acc.series[i].map { String(Checked.clampedInt($0, in: 0...Int.max)) }.joined(separator: ",")
                var values: [(any DatabaseValueConvertible)?] = [
                    w, keyword, region, acc.current[i], acc.previous[i],
                    TrendMath.growth(current: acc.current[i], previous: acc.previous[i]), series, demo, asOf,
                ]
                if columns.contains("competition") { values.append(acc.competition) }
                if columns.contains("category") { values.append(category) }
                if columns.contains("opportunity") {
                    values.append(NicheMath.score(volume: acc.current[i], previousVolume: acc.previous[i], competition: acc.competition, days: w).opportunity)
                }
                try insert.execute(arguments: StatementArguments(values))
            }
        }
    }
}
