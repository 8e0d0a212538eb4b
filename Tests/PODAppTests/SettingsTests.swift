import Foundation
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Settings screen: tabs, every change saved and applied live, the language switched
/// without a restart, brand profiles, the quotas; and formats per locale and time zone.
@Suite struct SettingsTests {
    func localisation(language: String = "en") throws -> AppState {
        var s = try makeState(language: language, screen: .settings)
        _ = reduce(&s, .go(.settings))
        press(&s, .char("]"))
        #expect(s.settingsScreen.tab == .localisation)
        return s
    }

    @Test func tabsLoadWhatTheyShow() throws {
        var s = try makeState(screen: .dashboard)
        #expect(reduce(&s, .go(.settings)) == [.job(SettingsScreen.self, .loadBrands)])
        #expect(press(&s, .char("[")) == [QuotasScreen.load])
        #expect(s.settingsScreen.tab == .quotas)
        #expect(press(&s, .char("[")) == [IntegrationsScreen.load])
        #expect(press(&s, .char("]"), .char("]")) == [QuotasScreen.load, .job(SettingsScreen.self, .loadBrands)])
    }

    @Test func theLanguageSwitchesEveryScreenAtOnce() throws {
        var s = try localisation()
        let effects = press(&s, .char("l"))
        guard case .save(let saved, _)? = job(effects.first, SettingsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(saved.language == "es" && effects.last == .job(SettingsScreen.self, .loadLanguage("es")))
        // The runner reads the table; the next frame is in Spanish, every screen.
        _ = reduce(&s, .to(SettingsScreen.self, .languageLoaded(try Localizer.load(language: "es", from: shipped))))
        var text = view(s).text()
        #expect(text.contains("Idioma y región") && text.contains("Ajustes") && text.contains("Tendencias"))
        _ = reduce(&s, .go(.dashboard))
        _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
        text = view(s).text()
        #expect(text.contains("Panel") && !text.contains("Trending"))
        // And back with h.
        _ = reduce(&s, .go(.settings))
        #expect(press(&s, .char("h")).last == .job(SettingsScreen.self, .loadLanguage("en")))
    }

    @Test func currencyZoneAndDateFormatApplyLive() throws {
        var s = try localisation()
        press(&s, .char("j"))
        guard case .save(let saved, _)? = job(press(&s, .char("l")).first, SettingsScreen.self) else {
            Issue.record("no save")
            return
        }
        #expect(saved.currency == "EUR" && s.formats.currency == "EUR")
        #expect(view(s).text().contains("€1,234.56"))
        // The time zone comes from a searchable picker.
        press(&s, .char("j"))
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .loadPicker(.timeZone, query: ""))])
        _ = reduce(&s, .to(ComposerScreen.self, .pickerLoaded(.timeZone, query: "", [PickerItem(id: 0, label: "Pacific/Auckland")])))
        let chosen = press(&s, .enter)
        #expect(chosen.contains(.job(SettingsScreen.self, .save(s.settings, timeZone: TimeZone(identifier: "Pacific/Auckland")!))))
        #expect(s.formats.timeZone.identifier == "Pacific/Auckland")
        #expect(view(s).text().contains("NZDT") || view(s).text().contains("GMT+13"))
        // 2026-11-18 11:06 UTC is already the 19th in Auckland (UTC+13 in summer).
        press(&s, .char("j"), .char("l"))
        #expect(s.settings.dateFormat == .iso && s.formats.date(fixedNow) == "2026-11-19")
    }

    @Test func theRegionReloadsTheResearch() throws {
        var s = try localisation()
        press(&s, .char("G"))
        let effects = press(&s, .char("l"))
        #expect(s.region == "GB" && s.settings.region == "GB")
        #expect(effects.contains(.loadDashboard(window: .days30, region: "GB")))
        #expect(effects.contains(.job(SearchScreen.self, .loadMemory(window: .days30, region: "GB"))))
    }

    @Test func notificationSettingsAreSaved() throws {
        var s = try localisation()
        press(&s, .char("]"))
        #expect(view(s).text().contains("Weekly trend digest"))
        press(&s, .char("j"))
        guard case .save(let saved, _)? = job(press(&s, .enter).first, SettingsScreen.self) else {
            Issue.record("no save")
            return
        }
        #expect(saved.notifications.push)
        press(&s, .char("j"), .char("j"), .char("j"))
        press(&s, .char("h"))
        #expect(s.settings.notifications.weeklyDigestDay == 1)
        press(&s, .char("G"), .char("l"))
        #expect(s.settings.notifications.quotaAlertPercent == 85)
        #expect(view(s).text().contains("85 %"))
    }

    @Test func brandProfilesAreWrittenCheckedAndActivated() throws {
        var s = try makeState(screen: .settings)
        _ = reduce(&s, .go(.settings))
        _ = reduce(&s, .to(SettingsScreen.self, .brandsLoaded([])))
        #expect(view(s).text().contains("No brand profile yet"))
        press(&s, .char("n"))
        _ = typeText(&s, "Cosy Cat")
        press(&s, .tab, .right, .tab)
        _ = typeText(&s, "cat moms")
        press(&s, .tab, .tab, .tab)
        _ = typeText(&s, "@cosy.cat bad!handle")
        #expect(press(&s, .enter).isEmpty)
        #expect(view(s).text().contains("“bad!handle” is not a handle"))
        for _ in 0..<10 { press(&s, .backspace) }
        let saved = press(&s, .enter)
        guard case .saveBrand(let b)? = job(saved.first, SettingsScreen.self) else {
            Issue.record("\(saved)")
            return
        }
        #expect(b.name == "Cosy Cat" && b.tone == .playful && b.audience == "cat moms" && b.handles == ["@cosy.cat"])
        var first = b, second = BrandProfile(id: 2, name: "Dog Days")
        (first.id, first.active) = (1, true)
        _ = reduce(&s, .to(SettingsScreen.self, .brandsLoaded([first, second])))
        #expect(view(s).text().contains("● Cosy Cat  (active)"))
        press(&s, .char("j"))
        #expect(press(&s, .char("b")) == [.job(SettingsScreen.self, .activateBrand(id: 2))])
        press(&s, .char("d"))
        #expect(press(&s, .char("y")) == [.job(SettingsScreen.self, .deleteBrand(id: 2))])
        second.active = true
        _ = second
    }

    /// Tab to the sidebar, then n: still a new brand profile on Settings (it made a new draft,
    /// and the sidebar kept the focus while typing in it).
    @Test func nOnSettingsIsANewBrandProfileWhereverTheFocusIs() throws {
        var s = try makeState(screen: .settings)
        _ = reduce(&s, .go(.settings))
        press(&s, .tab)
        #expect(s.focus == .sidebar)
        let effects = press(&s, .char("n"))
        #expect(
            !effects.contains {
                if case .createDraft? = job($0, ComposerScreen.self) { return true }
                return false
            })
        guard case .brandForm? = s.overlay else {
            Issue.record("no brand form: \(String(describing: s.overlay))")
            return
        }
        #expect(s.focus == .content)
        // In the form's text fields the arrows move the cursor (they cycled the tone anywhere).
        _ = typeText(&s, "ab")
        press(&s, .left)
        _ = typeText(&s, "X")
        guard case .brandForm(let form)? = s.overlay else {
            Issue.record("form gone")
            return
        }
        #expect(form.typed.name == "aXb" && form.profile.tone == BrandProfile().tone, "\(form.typed.name)")
        // From the sidebar elsewhere, n makes a draft and the focus goes with it.
        var d = try makeState(screen: .dashboard)
        press(&d, .tab)
        let made = d.focus
        press(&d, .char("n"))
        #expect(d.screen == .composer && d.focus == .content, "focus was \(made)")
    }

    @Test func theQuotasTabShowsGaugesTheResetAndTheLedger() throws {
        var s = try makeState(screen: .quotas)
        #expect(reduce(&s, .go(.quotas)) == [QuotasScreen.load])
        let reset = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00 UTC
        let report = QuotaReport(
            plan: .free, usage: [QuotaUsage(resource: .listings, used: 9, limit: 10), QuotaUsage(resource: .images, used: 2, limit: 20)],
            resetsAt: reset, ledger: [LedgerEntry(id: 1, resource: .listings, amount: 1, reason: "publish:etsy", subject: "draft 4", at: fixedNow)])
        _ = reduce(&s, .to(QuotasScreen.self, .loaded(report)))
        let text = view(s).text()
        #expect(text.contains("Listings: 9 of 10 this month (90 %)") && text.contains("Images: 2 of 20"))
        #expect(text.contains("Resets Dec 1, 2026 at 12:00") && text.contains("(\(s.formats.timeZone.identifier))"))
        #expect(text.contains("publish on Etsy") && text.contains("draft #4") && !text.contains("publish:etsy"))
        // In Spanish, the ledger's codes too (they read "copywriter", "publish:etsy").
        var es = try makeState(language: "es", screen: .quotas)
        var spanish = report
        spanish.ledger.append(LedgerEntry(id: 2, resource: .aiCredits, amount: 1, reason: "copywriter", subject: "draft 4", at: fixedNow))
        _ = reduce(&es, .to(QuotasScreen.self, .loaded(spanish)))
        let esText = view(es).text()
        #expect(esText.contains("publicar en Etsy") && esText.contains("redactor con IA") && esText.contains("borrador n.º 4"), "\(esText)")
        #expect(!esText.contains("copywriter") && !esText.contains("publish:"))
        // The gauge at 90 % is in the danger colour.
        let frame = view(s)
        let lines = frame.text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let y = try #require(lines.firstIndex { $0.contains("Listings: 9 of 10") })
        let x = try #require(lines[y].range(of: "Listings")).lowerBound.utf16Offset(in: lines[y])
        #expect(frame[x, y].style == s.theme.danger.with(.reverse))
    }

    @Test func overQuotaSaysWhyAndThatNothingWasDone() throws {
        var s = try makeState(screen: .composer)
        let effects = reduce(
            &s, .to(ComposerScreen.self, .overQuota(resource: .listings, used: 10, limit: 10, resetsAt: Date(timeIntervalSince1970: 1_796_083_200))))
        #expect(effects == [QuotasScreen.load])
        guard case .message(let title, let lines)? = s.overlay else {
            Issue.record("no message")
            return
        }
        #expect(title == "Over the plan's limit")
        #expect(lines.joined(separator: " ").contains("Listings: 10 of 10 used this month on the Free plan"))
        #expect(lines.contains("Nothing was queued; the draft is unchanged."))
    }

    @Test func everyTabInEveryLanguageHasNoMissingKeyAndFitsAt80x24() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for language in Localizer.supported {
            var s = try makeState(width: 80, height: 24, language: language, screen: .settings)
            _ = reduce(&s, .go(.settings))
            _ = reduce(&s, .to(SettingsScreen.self, .brandsLoaded([BrandProfile(id: 1, name: "Kuschelkatze")])))
            _ = reduce(
                &s,
                .to(
                    QuotasScreen.self,
                    .loaded(
                        QuotaReport(
                            plan: .starter, usage: QuotaResource.allCases.map { QuotaUsage(resource: $0, used: 1, limit: 50) },
                            resetsAt: fixedNow, ledger: []))))
            for _ in SettingsTab.allCases {
                let text = view(s).text()
                for key in english.keys where text.contains(key) { Issue.record("\(language)/\(s.settingsScreen.tab): raw key \(key)") }
                press(&s, .char("]"))
            }
            press(&s, .char("n"))
            let form = view(s).text()
            for key in english.keys where form.contains(key) { Issue.record("\(language)/brand form: raw key \(key)") }
        }
    }
}

/// Numbers, money and dates for each locale and in several time zones.
@Suite struct FormatTests {
    @Test func currenciesFollowTheLocale() {
        // The interface language writes the number; a dollar that is not the language's own
        // says whose it is.
        let cases: [(String, String, String)] = [
            ("en", "USD", "$1,234.56"), ("en", "GBP", "£1,234.56"), ("de", "EUR", "1.234,56\u{A0}€"),
            ("fr", "EUR", "1\u{202F}234,56\u{A0}€"), ("es", "EUR", "1234,56\u{A0}€"), ("en", "CAD", "CA$1,234.56"),
            ("en", "AUD", "A$1,234.56"),
        ]
        for (language, currency, expected) in cases {
            let f = Formats(language: language, currency: currency, timeZone: TimeZone(identifier: "UTC")!)
            #expect(f.price(cents: 123_456) == expected, "\(language) \(currency)")
        }
        // A listing's own currency, in the user's locale.
        let de = Formats(language: "de", currency: "EUR", timeZone: TimeZone(identifier: "UTC")!)
        #expect(de.money(cents: 1_999, currency: "USD") == "19,99\u{A0}$")
    }

    @Test func numbersAndPercentagesFollowTheLocale() {
        let de = Formats(language: "de", currency: "EUR", timeZone: TimeZone(identifier: "UTC")!)
        let fr = Formats(language: "fr", currency: "EUR", timeZone: TimeZone(identifier: "UTC")!)
        #expect(de.integer(1_234_567) == "1.234.567" && fr.integer(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(de.growth(0.25) == "+25\u{A0}%" && fr.growth(-0.1).contains("10"))
    }

    @Test func aDSTChangeMovesTheClockNotTheDate() {
        let berlin = Formats(language: "de", currency: "EUR", timeZone: TimeZone(identifier: "Europe/Berlin")!, dateFormat: .iso)
        // 2026-03-29 00:59 UTC is 01:59 CET; 01:00 UTC is 03:00 CEST: an hour of the night does not exist.
        let before = Date(timeIntervalSince1970: 1_774_745_940), after = Date(timeIntervalSince1970: 1_774_746_000)
        #expect(berlin.time(before).hasSuffix("1:59") && berlin.time(after).hasSuffix("3:00"))
        #expect(berlin.date(before) == "2026-03-29" && berlin.date(after) == "2026-03-29")
        // And in autumn the hour comes twice.
        let autumn = Date(timeIntervalSince1970: 1_792_890_000)  // 2026-10-25 01:00 UTC = 02:00 CET
        #expect(berlin.time(autumn).hasSuffix("2:00"))
    }

    @Test func theDateLineGivesTwoDatesForOneInstant() {
        let instant = Date(timeIntervalSince1970: 1_795_005_000)  // 2026-11-18 11:10 UTC
        let kiribati = Formats(language: "en", currency: "USD", timeZone: TimeZone(identifier: "Pacific/Kiritimati")!, dateFormat: .iso)
        let samoaAmerican = Formats(language: "en", currency: "USD", timeZone: TimeZone(identifier: "Pacific/Pago_Pago")!, dateFormat: .iso)
        #expect(kiribati.date(instant) == "2026-11-19" && samoaAmerican.date(instant) == "2026-11-18")
        #expect(kiribati.today(instant) - samoaAmerican.today(instant) == 1)
    }

    @Test func fixedDatePatterns() {
        let f = { (d: DateFormatChoice) in Formats(language: "en", currency: "USD", timeZone: TimeZone(identifier: "UTC")!, dateFormat: d) }
        #expect(f(.iso).date(fixedNow) == "2026-11-18")
        #expect(f(.dayMonthYear).date(fixedNow) == "18/11/2026")
        #expect(f(.monthDayYear).date(fixedNow) == "11/18/2026")
        #expect(f(.dotted).day(Day.number(2026, 3, 5)) == "05.03.2026")
        #expect(f(.locale).date(fixedNow) == "Nov 18, 2026")
    }

    @Test func pluralFormsFollowTheLanguage() throws {
        let fr = try Localizer.load(language: "fr", from: shipped)
        let en = try Localizer.load(language: "en", from: shipped)
        #expect(fr.plural("listings.count", count: 0, formatted: "0") == "0 annonce", "French: 0 is singular")
        #expect(en.plural("listings.count", count: 0, formatted: "0") == "0 listings")
    }
}
