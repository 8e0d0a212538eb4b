import Foundation
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Seasonal screen on a fixed clock (2026-11-18, region US) and the dashboard's "coming up".
@Suite struct SeasonalScreenTests {
    func seasonal(language: String = "en") throws -> (AppState, [Effect]) {
        var s = try makeState(language: language)
        let effects = reduce(&s, .go(.seasonal))
        return (s, effects)
    }

    func keyword(_ k: String, _ volume: Double) -> KeywordTrend {
        KeywordTrend(keyword: k, region: "US", window: .days30, volume: volume, growth: 0.4, series: [], isDemo: false)
    }

    @Test func opensOnTheNextEventWithItsKeywordsAsked() throws {
        let (s, effects) = try seasonal()
        #expect(SeasonalScreen.selected(s)?.key == "thanksgiving")
        #expect(
            effects == [
                .job(SeasonalScreen.self, .loadSaved(region: "US")),
                .job(SeasonalScreen.self, .loadKeywords(id: "thanksgiving/2026", terms: ["thanksgiving", "thankful", "turkey"], region: "US")),
            ])
        let text = view(s).text()
        #expect(text.contains("Nov 26, 2026") && text.contains("in 8 days") && text.contains("November 2026"))
        #expect(text.contains("past"), "the year's earlier events are listed as past")
        #expect(boxedText(s).contains("Launch window from Oct 12, 2026 (45 days before)"))
        #expect(boxedText(s).contains("In the launch window"))
    }

    @Test func yearsChangeAndEventsCanBeSaved() throws {
        var (s, _) = try seasonal()
        press(&s, .char("]"))
        #expect(s.seasonal.year == 2027 && SeasonalScreen.selected(s)?.key == "new_year")
        press(&s, .char("["), .char("["))
        #expect(s.seasonal.year == 2025 && s.seasonal.selected == 0)
        press(&s, .char("]"))
        #expect(press(&s, .char("b")) == [.job(SeasonalScreen.self, .setSaved(key: "thanksgiving", year: 2026, region: "US", saved: true))])
        #expect(view(s).text().contains("★"))
        #expect(press(&s, .char("b")) == [.job(SeasonalScreen.self, .setSaved(key: "thanksgiving", year: 2026, region: "US", saved: false))])
    }

    @Test func composingForAnEventPrefillsTheDraftFromTheStoresKeywords() throws {
        var (s, _) = try seasonal()
        _ = reduce(
            &s, .to(SeasonalScreen.self, .keywordsLoaded(id: "thanksgiving/2026", [keyword("thanksgiving shirt", 9_000), keyword("turkey mug", 4_000)])))
        #expect(view(s).text().contains("thanksgiving shirt"))
        let effects = press(&s, .enter)
        guard case .createDraft(let d)? = job(effects.last, ComposerScreen.self) else {
            Issue.record("no draft: \(effects)")
            return
        }
        #expect(d.niche == "Thanksgiving" && d.holiday == "Thanksgiving" && d.keyword == "thanksgiving shirt")
        #expect(d.keywords.prefix(3) == ["thanksgiving shirt", "turkey mug", "thanksgiving"])
        #expect(!d.tags.isEmpty && s.screen == .composer)
    }

    @Test func withoutKeywordsItSaysWhereTheyComeFrom() throws {
        var (s, _) = try seasonal()
        _ = reduce(&s, .to(SeasonalScreen.self, .keywordsLoaded(id: "thanksgiving/2026", [])))
        #expect(boxedText(s).contains("No keyword in the store matches thanksgiving, thankful, turkey: import trends or refresh the feeds."))
    }

    @Test func germanNamesAndMondayFirstWeeks() throws {
        var (s, _) = try seasonal(language: "de")
        s.region = "DE"
        s.formats = Formats(language: "de", currency: "EUR", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        s.seasonal = SeasonalState()
        _ = reduce(&s, .go(.seasonal))
        let text = view(s).text()
        #expect(SeasonalScreen.selected(s)?.key == "black_friday")
        #expect(text.contains("Black Friday") && text.contains("Weihnachten") && text.contains("in 9 Tagen"))
        #expect(text.contains("Mo Di Mi Do Fr Sa So"))
    }

    @Test func theDashboardShowsWhatIsComingUp() throws {
        var s = try makeState()
        _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
        let text = view(s).text()
        #expect(text.contains("Coming up (US)") && text.contains("Thanksgiving") && text.contains("in 8 days"))
    }
}
