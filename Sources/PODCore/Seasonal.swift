import Foundation

/// How a seasonal event's date is found in a given year.
public enum SeasonalRule: Sendable, Equatable {
    /// The same month and day every year.
    case fixed(month: Int, day: Int)
    /// The nth weekday of a month (weekday 1 = Sunday … 7 = Saturday; n = -1: the last one).
    case nthWeekday(month: Int, weekday: Int, n: Int)
    /// Days after (or, negative, before) Easter Sunday (Western, Gregorian computus).
    case easter(offset: Int)
    /// Days after another event of the same region and year (Black Friday: Thanksgiving + 1).
    case after(event: String, days: Int)
    /// France's Mother's Day: the last Sunday of May, or the first of June when that is Pentecost.
    case frenchMothersDay
}

/// A moment worth selling into: when it falls (by region), how much it matters, how long before
/// it the listings should go live, and the search terms that belong to it.
public struct SeasonalEvent: Sendable, Equatable {
    public enum Priority: Int, Sendable, Comparable, CaseIterable {
        case low = 1, medium, high
        public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
        public var name: String { ["", "low", "medium", "high"][rawValue] }
    }

    /// The localisation key's last part: `event.<key>`.
    public var key: String
    public var rule: SeasonalRule
    /// The regions it is kept in; empty: everywhere.
    public var regions: Set<String>
    public var priority: Priority
    /// Days before the date that preparing should start (listings take days to be found).
    public var leadDays: Int
    /// Search terms that belong to it, for the store's keywords and the composer.
    public var terms: [String]
}

/// One event in one year and region.
public struct SeasonalOccurrence: Sendable, Equatable {
    public var event: SeasonalEvent
    public var year: Int
    /// The date, as a day number (UTC midnight of the local calendar date).
    public var day: DayNumber
    public var key: String { event.key }
    /// When preparing should start.
    public var launchStart: DayNumber { day - event.leadDays }
    public var components: (year: Int, month: Int, day: Int) { Day.components(day) }

    /// Days from `today` to the event (negative once past).
    public func daysUntil(_ today: DayNumber) -> Int { day - today }
    /// Whether `today` is inside the launch window: from its start up to the day itself.
    public func inLaunchWindow(_ today: DayNumber) -> Bool { today >= launchStart && today <= day }
}

/// The seasonal calendar: events computed from their rules for any year and region.
public enum SeasonalCalendar {
    static let english: Set<String> = ["US", "GB", "IE", "CA", "AU", "NZ"]

    /// The events PODPusher knows. Regions are ISO 3166 codes as in `[ui] region`.
    public static let events: [SeasonalEvent] = [
        SeasonalEvent(
            key: "new_year", rule: .fixed(month: 1, day: 1), regions: [], priority: .medium, leadDays: 30,
            terms: ["new year", "resolution", "party"]),
        SeasonalEvent(
            key: "valentines_day", rule: .fixed(month: 2, day: 14), regions: [], priority: .high, leadDays: 45,
            terms: ["valentine", "love", "couple"]),
        SeasonalEvent(
            key: "st_patricks_day", rule: .fixed(month: 3, day: 17), regions: ["US", "IE", "GB", "CA", "AU"], priority: .medium,
            leadDays: 30, terms: ["st patrick", "shamrock", "irish"]),
        SeasonalEvent(
            key: "mothering_sunday", rule: .easter(offset: -21), regions: ["GB", "IE"], priority: .high, leadDays: 40,
            terms: ["mothering sunday", "mum", "mother"]),
        SeasonalEvent(
            key: "easter", rule: .easter(offset: 0), regions: [], priority: .high, leadDays: 45,
            terms: ["easter", "bunny", "spring"]),
        SeasonalEvent(
            key: "mothers_day", rule: .nthWeekday(month: 5, weekday: 1, n: 2), regions: ["US", "CA", "AU", "NZ", "DE", "IT"],
            priority: .high, leadDays: 45, terms: ["mothers day", "mom", "mother"]),
        SeasonalEvent(
            key: "mothers_day", rule: .nthWeekday(month: 5, weekday: 1, n: 1), regions: ["ES"], priority: .high, leadDays: 45,
            terms: ["dia de la madre", "mama", "mother"]),
        SeasonalEvent(
            key: "mothers_day", rule: .frenchMothersDay, regions: ["FR"], priority: .high, leadDays: 45,
            terms: ["fete des meres", "maman", "mother"]),
        SeasonalEvent(
            key: "memorial_day", rule: .nthWeekday(month: 5, weekday: 2, n: -1), regions: ["US"], priority: .low, leadDays: 21,
            terms: ["memorial day", "patriotic", "usa"]),
        SeasonalEvent(
            key: "fathers_day", rule: .nthWeekday(month: 6, weekday: 1, n: 3), regions: ["US", "CA", "GB", "IE", "FR"],
            priority: .high, leadDays: 45, terms: ["fathers day", "dad", "father"]),
        SeasonalEvent(
            key: "fathers_day", rule: .easter(offset: 39), regions: ["DE"], priority: .medium, leadDays: 30,
            terms: ["vatertag", "papa", "father"]),
        SeasonalEvent(
            key: "fathers_day", rule: .nthWeekday(month: 9, weekday: 1, n: 1), regions: ["AU", "NZ"], priority: .high,
            leadDays: 45, terms: ["fathers day", "dad", "father"]),
        SeasonalEvent(
            key: "canada_day", rule: .fixed(month: 7, day: 1), regions: ["CA"], priority: .medium, leadDays: 30,
            terms: ["canada", "maple leaf"]),
        SeasonalEvent(
            key: "independence_day", rule: .fixed(month: 7, day: 4), regions: ["US"], priority: .medium, leadDays: 30,
            terms: ["4th of july", "independence day", "patriotic"]),
        SeasonalEvent(
            key: "back_to_school", rule: .nthWeekday(month: 9, weekday: 2, n: 1), regions: ["US", "CA"], priority: .medium,
            leadDays: 50, terms: ["back to school", "teacher", "student"]),
        SeasonalEvent(
            key: "thanksgiving", rule: .nthWeekday(month: 10, weekday: 2, n: 2), regions: ["CA"], priority: .medium,
            leadDays: 30, terms: ["thanksgiving", "thankful", "autumn"]),
        SeasonalEvent(
            key: "halloween", rule: .fixed(month: 10, day: 31), regions: [], priority: .high, leadDays: 60,
            terms: ["halloween", "spooky", "witch"]),
        SeasonalEvent(
            key: "bonfire_night", rule: .fixed(month: 11, day: 5), regions: ["GB"], priority: .low, leadDays: 21,
            terms: ["bonfire night", "fireworks"]),
        SeasonalEvent(
            key: "thanksgiving", rule: .nthWeekday(month: 11, weekday: 5, n: 4), regions: ["US"], priority: .high,
            leadDays: 45, terms: ["thanksgiving", "thankful", "turkey"]),
        SeasonalEvent(
            key: "black_friday", rule: .after(event: "thanksgiving_us", days: 1), regions: [], priority: .high, leadDays: 30,
            terms: ["black friday", "gift", "sale"]),
        SeasonalEvent(
            key: "cyber_monday", rule: .after(event: "thanksgiving_us", days: 4), regions: [], priority: .medium, leadDays: 30,
            terms: ["cyber monday", "gift"]),
        SeasonalEvent(
            key: "christmas", rule: .fixed(month: 12, day: 25), regions: [], priority: .high, leadDays: 75,
            terms: ["christmas", "xmas", "santa", "holiday"]),
    ]

    /// The events of `region` in `year`, by date.
    public static func occurrences(year: Int, region: String) -> [SeasonalOccurrence] {
        let region = region.uppercased()
        return events.filter { $0.regions.isEmpty || $0.regions.contains(region) }
            .map { SeasonalOccurrence(event: $0, year: year, day: date(of: $0.rule, year: year)) }
            .sorted { ($0.day, $0.key) < ($1.day, $1.key) }
    }

    /// The events from `today` (those of today included) for the next `days` days, over year ends.
    public static func upcoming(from today: DayNumber, days: Int, region: String) -> [SeasonalOccurrence] {
        let year = Day.components(today).year
        return (year...(year + 1 + days / 365)).flatMap { occurrences(year: $0, region: region) }
            .filter { $0.day >= today && $0.day < today + days }
    }

    /// The day a rule gives in `year`.
    public static func date(of rule: SeasonalRule, year: Int) -> DayNumber {
        switch rule {
        case .fixed(let month, let day):
            return Day.number(year, month, day)
        case .nthWeekday(let month, let weekday, let n):
            if n > 0 {
                let first = Day.number(year, month, 1)
                return first + (weekday - Day.weekday(first) + 7) % 7 + (n - 1) * 7
            }
            let last = Day.number(year, month + 1, 1) - 1
            return last - (Day.weekday(last) - weekday + 7) % 7
        case .easter(let offset):
            return easter(year) + offset
        case .after(let event, let days):
            // The one anchor the rules use: US Thanksgiving (Black Friday, Cyber Monday follow it everywhere).
            precondition(event == "thanksgiving_us", "unknown anchor \(event)")
            return date(of: .nthWeekday(month: 11, weekday: 5, n: 4), year: year) + days
        case .frenchMothersDay:
            let lastSunday = date(of: .nthWeekday(month: 5, weekday: 1, n: -1), year: year)
            return lastSunday == easter(year) + 49 ? lastSunday + 7 : lastSunday
        }
    }

    /// Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher).
    public static func easter(_ year: Int) -> DayNumber {
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return Day.number(year, month, day)
    }
}
