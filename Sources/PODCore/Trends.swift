import Foundation

/// A day as a count of days since 1970-01-01 in UTC: the unit trend series are kept in.
public typealias DayNumber = Int

public enum Day {
    public static func number(_ date: Date) -> DayNumber { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }
    public static func date(_ day: DayNumber) -> Date { Date(timeIntervalSince1970: TimeInterval(day) * 86_400) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (month 13 is January of the next year).
    public static func number(_ year: Int, _ month: Int, _ day: Int) -> DayNumber {
        // Howard Hinnant's days_from_civil.
        let (year, m) = month == 13 ? (year + 1, 1) : (year, month)
        let y = m <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number.
    public static func components(_ n: DayNumber) -> (year: Int, month: Int, day: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 1 = Sunday … 7 = Saturday (1970-01-01 was a Thursday).
    public static func weekday(_ n: DayNumber) -> Int { ((n % 7 + 7) % 7 + 4) % 7 + 1 }
}

/// Where a signal came from and how much to trust it.
public struct Provenance: Equatable, Sendable, Codable {
    public var source: String
    public var method: String
    public var fetchedAt: Date
    public var confidence: Double
    public var isEstimate: Bool
    public init(source: String, method: String, fetchedAt: Date, confidence: Double, isEstimate: Bool) {
        self.source = source
        self.method = method
        self.fetchedAt = fetchedAt
        self.confidence = confidence
        self.isEstimate = isEstimate
    }
}

/// One observation of a keyword's search or sales interest on one day in one region.
public struct TrendSignal: Equatable, Sendable {
    public var keyword: String
    public var region: String
    public var day: DayNumber
    public var volume: Double
    /// Competing listings seen for the keyword (e.g. Etsy active listings), when known.
    public var competition: Double?
    public var provenance: Provenance
    public var isDemo: Bool
    public init(keyword: String, region: String, day: DayNumber, volume: Double, competition: Double?, provenance: Provenance, isDemo: Bool) {
        self.keyword = keyword
        self.region = region
        self.day = day
        self.volume = volume
        self.competition = competition
        self.provenance = provenance
        self.isDemo = isDemo
    }
}

/// The windows the trend views offer.
public enum TrendWindow: Int, CaseIterable, Sendable, Codable {
    case days7 = 7, days30 = 30, days90 = 90, days180 = 180

    public var next: TrendWindow {
        let all = TrendWindow.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// A keyword's series over a window and what it says.
public struct KeywordTrend: Equatable, Sendable {
    public var keyword: String
    public var region: String
    public var window: TrendWindow
    /// Total volume in the window.
    public var volume: Double
    /// Relative change of the window against the window before it (0.25 = +25 %); nil when the
    /// earlier window has no data.
    public var growth: Double?
    /// Daily volumes across the window, oldest first, for the sparkline.
    public var series: [Double]
    public var isDemo: Bool
    /// The newest count of competing listings, when a source gave one.
    public var competition: Double?
    /// The keyword's opportunity, 0–100, scored like a niche (`NicheMath.score`).
    public var opportunity: Int?
    public init(
        keyword: String, region: String, window: TrendWindow, volume: Double, growth: Double?, series: [Double], isDemo: Bool,
        competition: Double? = nil, opportunity: Int? = nil
    ) {
        self.keyword = keyword
        self.region = region
        self.window = window
        self.volume = volume
        self.growth = growth
        self.series = series
        self.isDemo = isDemo
        self.competition = competition
        self.opportunity = opportunity
    }
}

public enum TrendMath {
    /// Growth of `current` over `previous`; nil when there is nothing to compare against.
    public static func growth(current: Double, previous: Double) -> Double? {
        guard previous > 0 else { return nil }
        return (current - previous) / previous
    }

    /// Buckets daily points (day → volume) into `buckets` equal slices of [start, end] for a
    /// sparkline; days without data count as zero.
    public static func series(points: [(day: DayNumber, volume: Double)], start: DayNumber, end: DayNumber, buckets: Int) -> [Double] {
        let days = max(1, end - start + 1)
        let n = max(1, min(buckets, days))
        var out = Array(repeating: 0.0, count: n)
        for p in points where p.day >= start && p.day <= end {
            out[(p.day - start) * n / days] += p.volume
        }
        return out
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}

/// Where a keyword's signals came from: one line per source and method.
public struct SourceSummary: Equatable, Sendable {
    public var source: String
    public var method: String
    /// The newest fetch.
    public var fetchedAt: Date
    public var confidence: Double
    public var isEstimate: Bool
    public var signals: Int
    public var firstDay: DayNumber
    public var lastDay: DayNumber
    /// The newest competition count this source gave, if any.
    public var competition: Double?
    public init(
        source: String, method: String, fetchedAt: Date, confidence: Double, isEstimate: Bool, signals: Int,
        firstDay: DayNumber, lastDay: DayNumber, competition: Double?
    ) {
        self.source = source
        self.method = method
        self.fetchedAt = fetchedAt
        self.confidence = confidence
        self.isEstimate = isEstimate
        self.signals = signals
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.competition = competition
    }
}

/// A keyword's history and provenance, for the Trends detail pane.
public struct KeywordDetail: Equatable, Sendable {
    public static let weeks = 26
    public var keyword: String
    public var region: String
    /// Weekly volume over the last 26 weeks up to `lastDay`, oldest first.
    public var weekly: [Double]
    public var lastDay: DayNumber?
    public var sources: [SourceSummary]
    public init(keyword: String, region: String, weekly: [Double], lastDay: DayNumber?, sources: [SourceSummary]) {
        self.keyword = keyword
        self.region = region
        self.weekly = weekly
        self.lastDay = lastDay
        self.sources = sources
    }
}
