import Foundation
import Testing

@testable import PODCore

/// The calendar's rules against dates published for those years.
@Suite struct SeasonalCalendarTests {
    func date(_ key: String, _ year: Int, _ region: String) -> String? {
        SeasonalCalendar.occurrences(year: year, region: region).first { $0.key == key }.map {
            let c = $0.components
            return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
        }
    }

    @Test func easterByTheComputus() {
        let known = [
            2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
            2038: "2038-04-25", 2285: "2285-03-22",
        ]
        for (year, expected) in known { #expect(date("easter", year, "US") == expected, "\(year)") }
    }

    @Test func nthWeekdayRulesInTheUS() {
        #expect(date("thanksgiving", 2026, "US") == "2026-11-26")
        #expect(date("thanksgiving", 2025, "US") == "2025-11-27")
        #expect(date("black_friday", 2026, "US") == "2026-11-27")
        #expect(date("cyber_monday", 2026, "US") == "2026-11-30")
        #expect(date("mothers_day", 2026, "US") == "2026-05-10")
        #expect(date("mothers_day", 2025, "US") == "2025-05-11")
        #expect(date("memorial_day", 2026, "US") == "2026-05-25")
        #expect(date("memorial_day", 2027, "US") == "2027-05-31")
        #expect(date("fathers_day", 2026, "US") == "2026-06-21")
    }

    @Test func regionalRules() {
        #expect(date("mothering_sunday", 2026, "GB") == "2026-03-15")
        #expect(date("mothering_sunday", 2025, "GB") == "2025-03-30")
        #expect(date("thanksgiving", 2026, "CA") == "2026-10-12")
        #expect(date("thanksgiving", 2025, "CA") == "2025-10-13")
        #expect(date("fathers_day", 2026, "DE") == "2026-05-14", "Vatertag is Ascension Day")
        #expect(date("fathers_day", 2026, "AU") == "2026-09-06")
        #expect(date("mothers_day", 2026, "ES") == "2026-05-03")
        #expect(date("mothers_day", 2026, "FR") == "2026-05-31")
        #expect(date("mothers_day", 2024, "FR") == "2024-05-26")
        // When the last Sunday of May is Pentecost, the French date moves to the first Sunday of June.
        #expect(date("mothers_day", 2023, "FR") == "2023-06-04")
        #expect(date("mothers_day", 2020, "FR") == "2020-06-07")
        #expect(date("mothering_sunday", 2026, "US") == nil, "a UK event is not in the US calendar")
        #expect(date("memorial_day", 2026, "GB") == nil)
        #expect(date("christmas", 2026, "DE") == "2026-12-25")
    }

    @Test func upcomingCrossesTheYearEndAndKnowsTheLaunchWindow() {
        let today = Day.number(2026, 11, 27)
        let next = SeasonalCalendar.upcoming(from: today, days: 60, region: "US")
        #expect(next.map(\.key) == ["black_friday", "cyber_monday", "christmas", "new_year"])
        #expect(next[0].daysUntil(today) == 0)
        let christmas = next[2]
        #expect(christmas.daysUntil(today) == 28 && christmas.inLaunchWindow(today))
        let valentines = SeasonalCalendar.upcoming(from: today, days: 120, region: "US").first { $0.key == "valentines_day" }!
        #expect(valentines.year == 2027 && !valentines.inLaunchWindow(today))
    }

    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            let c = Day.components(n)
            #expect(Day.number(c.year, c.month, c.day) == n)
        }
        #expect(Day.number(1970, 1, 1) == 0)
        #expect(Day.weekday(Day.number(2026, 11, 27)) == 6, "a Friday")
        #expect(Day.number(2026, 13, 1) == Day.number(2027, 1, 1))
    }
}
