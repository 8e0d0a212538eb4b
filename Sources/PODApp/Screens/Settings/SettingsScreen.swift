import Foundation
import PODCore
import PODStore
import TerminalUI

public enum SettingsTab: String, CaseIterable, Sendable {
    case general, localisation, notifications, integrations, quotas
}

extension AppState {
    /// The Settings screen's own state (what it saved is `settings`).
    public var settingsScreen: SettingsState {
        get { screens[SettingsScreen.self] }
        _modify { yield &screens[SettingsScreen.self] }
    }
}

public struct SettingsState: Sendable, Equatable {
    public var tab: SettingsTab = .general
    /// The chosen row of the tab (a brand profile on General, a setting elsewhere).
    public var row = 0
    public var brands: [BrandProfile] = []
    public var brandsLoaded = false
    public init() {}
}

/// One setting of the Localisation or Notifications tab.
enum SettingRow: String, CaseIterable {
    case language, currency, timeZone = "time_zone", dateFormat = "date_format", region
    case inApp = "in_app", push, email, weeklyDigest = "weekly_digest", weeklyDigestDay = "weekly_digest_day"
    case weeklyDigestHour = "weekly_digest_hour", launchDigest = "launch_digest", launchDigestHour = "launch_digest_hour"
    case quotaAlert = "quota_alert"

    static let localisation: [SettingRow] = [.language, .currency, .timeZone, .dateFormat, .region]
    static let notifications: [SettingRow] = [
        .inApp, .push, .email, .weeklyDigest, .weeklyDigestDay, .weeklyDigestHour,
        .launchDigest, .launchDigestHour, .quotaAlert,
    ]
}

/// Settings: tabs General (brand profiles), Localisation (language, currency, time zone, date
/// format, marketplace region, with a preview), Notifications (channels, digests, the quota
/// alert), Integrations (the connect cards) and Quotas. `[` `]` switch tabs; every change is
/// saved to the store at once and applied live.
enum SettingsScreen: ScreenModule {
    static let id = ScreenID.settings
    static let initialState = SettingsState()
    static let commands: [Command] = [.previousPeriod, .nextPeriod, .select, .left, .right, .newDraft, .save, .delete, .refresh]
    static let hints: [Command] = [.previousPeriod, .nextPeriod]

    enum Message: ScreenMessage {
        case languageLoaded(Localizer)
        case brandsLoaded([BrandProfile])
    }

    enum Job: ScreenJob {
        /// Keeps the screen's values; the time zone is the one now in use (quota months).
        case save(UserSettings, timeZone: TimeZone)
        case loadLanguage(String)
        case loadBrands
        case saveBrand(BrandProfile)
        case activateBrand(id: Int64)
        case deleteBrand(id: Int64)

        var lane: EffectLane {
            switch self {
            case .loadLanguage, .loadBrands: .read
            case .save, .saveBrand, .activateBrand, .deleteBrand: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            let store = run.store
            switch self {
            case .save(let settings, let timeZone):
                try store.saveUserSettings(settings)
                run.calendar = Formats.calendar(in: timeZone)
                return
            case .loadLanguage(let language):
                guard let resources = run.resources else { return }
                return run.answer(SettingsScreen.self, .languageLoaded(try Localizer.load(language: language, from: resources)))
            case .loadBrands: break
            case .saveBrand(let profile): try store.saveBrandProfile(profile, now: Date())
            case .activateBrand(let id): try store.activateBrandProfile(id: id)
            case .deleteBrand(let id): try store.deleteBrandProfile(id: id)
            }
            run.answer(SettingsScreen.self, .brandsLoaded(try store.brandProfiles()))
        }
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .languageLoaded(let strings):
            languageLoaded(&s, strings)
        case .brandsLoaded(let list):
            s.settingsScreen.brands = list
            s.settingsScreen.brandsLoaded = true
            if s.settingsScreen.tab == .general { s.settingsScreen.row = min(s.settingsScreen.row, max(0, list.count - 1)) }
        }
        return []
    }

    static func rows(_ tab: SettingsTab) -> [SettingRow] {
        switch tab {
        case .localisation: return SettingRow.localisation
        case .notifications: return SettingRow.notifications
        default: return []
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { tabLoads(s) }

    /// What the shown tab reads.
    static func tabLoads(_ s: AppState) -> [Effect] {
        switch s.settingsScreen.tab {
        case .general: return [.job(Self.self, .loadBrands)]
        case .integrations: return [IntegrationsScreen.load]
        case .quotas: return [QuotasScreen.load]
        default: return []
        }
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let tabs = SettingsTab.allCases
        let i = tabs.firstIndex(of: s.settingsScreen.tab) ?? 0
        switch command {
        case .previousPeriod, .nextPeriod:
            s.settingsScreen.tab = tabs[(i + (command == .nextPeriod ? 1 : tabs.count - 1)) % tabs.count]
            s.settingsScreen.row = 0
            return tabLoads(s)
        default: break
        }
        if command == .newDraft, s.settingsScreen.tab != .general { return ComposerScreen.newDraft(&s) }
        switch s.settingsScreen.tab {
        case .general: return BrandProfiles.handle(&s, command)
        case .integrations: return IntegrationsScreen.handle(&s, command)
        case .quotas:
            if command == .refresh { return [QuotasScreen.load] }
            return []
        case .localisation, .notifications:
            let list = rows(s.settingsScreen.tab)
            if moveIndex(&s.settingsScreen.row, command, count: list.count) { return [] }
            switch command {
            case .left, .right, .select:
                guard list.indices.contains(s.settingsScreen.row) else { return [] }
                let row = list[s.settingsScreen.row]
                if row == .timeZone {
                    s.overlay = .picker(PickerState(purpose: .timeZone))
                    return [.job(ComposerScreen.self, .loadPicker(.timeZone, query: ""))]
                }
                return change(&s, row, by: command == .left ? -1 : 1)
            default: break
            }
            return []
        }
    }

    /// The next (or previous) value of a setting in its list.
    static func cycle<T: Equatable>(_ all: [T], _ current: T, _ step: Int) -> T {
        let i = all.firstIndex(of: current) ?? 0
        return all[(i + step + all.count) % all.count]
    }

    static func change(_ s: inout AppState, _ row: SettingRow, by step: Int) -> [Effect] {
        var n = s.settings.notifications
        switch row {
        case .language:
            let language = cycle(Localizer.supported, s.strings.language, step)
            s.settings.language = language
            return save(&s) + [.job(Self.self, .loadLanguage(language))]
        case .currency:
            s.settings.currency = cycle(UserSettings.currencies, s.formats.currency, step)
        case .timeZone:
            return []
        case .dateFormat:
            s.settings.dateFormat = cycle(DateFormatChoice.allCases, s.settings.dateFormat, step)
        case .region:
            s.settings.region = cycle(UserSettings.regions, s.region, step)
            s.region = s.settings.region ?? s.region
            return save(&s) + reloadAll(&s) + SeasonalScreen.enter(&s)
        case .inApp: n.inApp.toggle()
        case .push: n.push.toggle()
        case .email: n.email.toggle()
        case .weeklyDigest: n.weeklyDigest.toggle()
        case .weeklyDigestDay: n.weeklyDigestDay = (n.weeklyDigestDay - 1 + step + 7) % 7 + 1
        case .weeklyDigestHour: n.weeklyDigestHour = (n.weeklyDigestHour + step + 24) % 24
        case .launchDigest: n.launchDigest.toggle()
        case .launchDigestHour: n.launchDigestHour = (n.launchDigestHour + step + 24) % 24
        case .quotaAlert: n.quotaAlertPercent = cycle(Array(stride(from: 50, through: 100, by: 5)), n.quotaAlertPercent, step)
        }
        s.settings.notifications = n
        return save(&s)
    }

    /// Applies the settings to the formats (currency, zone, date format) and keeps them.
    static func save(_ s: inout AppState) -> [Effect] {
        let zone = s.settings.timeZone.flatMap(TimeZone.init(identifier:)) ?? s.formats.timeZone
        s.formats = Formats(
            language: s.strings.language, currency: s.settings.currency ?? s.formats.currency,
            timeZone: zone, dateFormat: s.settings.dateFormat)
        return [.job(Self.self, .save(s.settings, timeZone: zone))]
    }

    /// A time zone chosen in the picker.
    static func chooseTimeZone(_ s: inout AppState, _ identifier: String) -> [Effect] {
        guard TimeZone(identifier: identifier) != nil else { return [] }
        s.settings.timeZone = identifier
        return save(&s) + [.loadDashboard(window: s.window, region: s.region)]
    }

    /// The language's table arrived: the whole UI speaks it from the next frame.
    static func languageLoaded(_ s: inout AppState, _ strings: Localizer) {
        s.strings = strings
        s.formats = Formats(
            language: strings.language, currency: s.formats.currency, timeZone: s.formats.timeZone,
            dateFormat: s.settings.dateFormat)
        toast(&s, strings.t("settings.language_set", ["language": strings.t("choice.language.\(strings.language)")]))
    }

    // MARK: Drawing

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3 else { return }
        var x = rect.x + 1
        for tab in SettingsTab.allCases {
            let label = " " + t.t("settings.tab.\(tab.rawValue)") + " "
            let chosen = tab == s.settingsScreen.tab
            x += f.put(label, x: x, y: rect.y, style: chosen ? th.selection : th.muted, maxWidth: max(0, rect.maxX - x)) + 1
        }
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        switch s.settingsScreen.tab {
        case .general: BrandProfiles.render(s, into: &f, rect: body)
        case .integrations: IntegrationsScreen.render(s, into: &f, rect: body)
        case .quotas: QuotasScreen.render(s, into: &f, rect: body)
        case .localisation, .notifications: renderRows(s, into: &f, rect: body)
        }
    }

    /// A setting's value as shown.
    static func value(_ s: AppState, _ row: SettingRow) -> String {
        let t = s.strings, n = s.settings.notifications
        func onOff(_ b: Bool) -> String { t.t(b ? "settings.on" : "settings.off") }
        func hour(_ h: Int) -> String { (h < 10 ? "0" : "") + "\(h):00" }
        switch row {
        case .language: return t.t("choice.language.\(s.strings.language)")
        case .currency: return s.formats.currency
        case .timeZone: return s.formats.timeZone.identifier
        case .dateFormat: return s.settings.dateFormat == .locale ? t.t("settings.date_locale") : s.settings.dateFormat.rawValue
        case .region: return s.region
        case .inApp: return onOff(n.inApp)
        case .push: return onOff(n.push)
        case .email: return onOff(n.email)
        case .weeklyDigest: return onOff(n.weeklyDigest)
        case .weeklyDigestDay:
            var c = Calendar(identifier: .gregorian)
            c.locale = s.formats.locale
            return c.standaloneWeekdaySymbols[(n.weeklyDigestDay - 1) % 7]
        case .weeklyDigestHour: return hour(n.weeklyDigestHour)
        case .launchDigest: return onOff(n.launchDigest)
        case .launchDigestHour: return hour(n.launchDigestHour)
        case .quotaAlert: return "\(n.quotaAlertPercent) %"
        }
    }

    static func renderRows(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        let list = rows(s.settingsScreen.tab)
        let labelWidth = min(36, max(16, list.map { t.t("settings.row.\($0.rawValue)").displayWidth }.max() ?? 0) + 2)
        let focused = s.focus == .content
        for (i, row) in list.enumerated() where rect.y + i < rect.maxY {
            let y = rect.y + i
            let chosen = i == s.settingsScreen.row
            let style = chosen && focused ? th.selection : th.base
            f.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            f.put(t.t("settings.row.\(row.rawValue)"), x: rect.x + 1, y: y, style: style, maxWidth: labelWidth - 1)
            let shown = row == .timeZone ? value(s, row) + "  ⏎" : "‹ " + value(s, row) + " ›"
            f.put(shown, x: rect.x + 1 + labelWidth, y: y, style: style, maxWidth: rect.width - labelWidth - 2)
        }
        var y = rect.y + list.count + 1
        let lines = s.settingsScreen.tab == .localisation ? preview(s) : wrapWords(t.t("settings.notifications_note"), width: rect.width - 2)
        for (i, line) in lines.enumerated() where y < rect.maxY - 1 {
            f.put(line, x: rect.x + 1, y: y, style: i == 0 && s.settingsScreen.tab == .localisation ? th.header : th.base, maxWidth: rect.width - 2)
            y += 1
        }
        f.put(
            keyLine(s, [.previousPeriod, .nextPeriod, .select], scope: id.rawValue) + " · " + t.t("settings.saved_at_once"), x: rect.x + 1, y: rect.maxY - 1,
            style: th.muted, maxWidth: rect.width - 2)
    }

    /// How prices, numbers and dates look now.
    static func preview(_ s: AppState) -> [String] {
        let t = s.strings, fm = s.formats
        return [
            t.t("settings.preview"),
            t.t("settings.preview.price", ["value": fm.price(cents: 123_456)]),
            t.t("settings.preview.number", ["value": fm.integer(1_234_567), "growth": fm.growth(0.25)]),
            t.t(
                "settings.preview.date",
                [
                    "date": fm.date(s.now), "time": fm.time(s.now),
                    "zone": fm.timeZone.abbreviation(for: s.now) ?? fm.timeZone.identifier,
                ]),
        ]
    }
}
