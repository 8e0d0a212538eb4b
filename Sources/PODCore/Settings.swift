import Foundation

/// How dates are written: the locale's own way, or one of the common fixed patterns.
public enum DateFormatChoice: String, CaseIterable, Sendable, Codable {
    /// The locale's abbreviated date ("Nov 27, 2026", "27 nov. 2026").
    case locale
    /// 2026-11-27
    case iso = "yyyy-mm-dd"
    /// 27/11/2026
    case dayMonthYear = "dd/mm/yyyy"
    /// 11/27/2026
    case monthDayYear = "mm/dd/yyyy"
    /// 27.11.2026
    case dotted = "dd.mm.yyyy"

    /// A date's parts in this pattern; nil for `.locale` (the locale formats it).
    public func format(year: Int, month: Int, day: Int) -> String? {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch self {
        case .locale: return nil
        case .iso: return "\(year)-\(two(month))-\(two(day))"
        case .dayMonthYear: return "\(two(day))/\(two(month))/\(year)"
        case .monthDayYear: return "\(two(month))/\(two(day))/\(year)"
        case .dotted: return "\(two(day)).\(two(month)).\(year)"
        }
    }
}

/// When and how the seller is told things.
public struct NotificationSettings: Sendable, Equatable, Codable {
    public var email = false
    public var push = false
    public var inApp = true
    public var weeklyDigest = true
    /// 1 = Sunday … 7 = Saturday, in the user's time zone.
    public var weeklyDigestDay = 2
    public var weeklyDigestHour = 9
    public var launchDigest = true
    public var launchDigestHour = 8
    /// A quota alert when a resource reaches this share of its limit (percent).
    public var quotaAlertPercent = 80
    public init() {}

    /// Missing keys keep their defaults (settings saved by an older version still read).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func v<T: Decodable>(_ key: CodingKeys, _ fallback: T) -> T { (try? c.decodeIfPresent(T.self, forKey: key)) ?? fallback }
        let d = NotificationSettings()
        email = v(.email, d.email)
        push = v(.push, d.push)
        inApp = v(.inApp, d.inApp)
        weeklyDigest = v(.weeklyDigest, d.weeklyDigest)
        weeklyDigestDay = v(.weeklyDigestDay, d.weeklyDigestDay)
        weeklyDigestHour = v(.weeklyDigestHour, d.weeklyDigestHour)
        launchDigest = v(.launchDigest, d.launchDigest)
        launchDigestHour = v(.launchDigestHour, d.launchDigestHour)
        quotaAlertPercent = v(.quotaAlertPercent, d.quotaAlertPercent)
    }
}

/// What the Settings screen changes, kept in the store; each value set there wins over
/// `config.toml` (nil: the configuration's, or the system's).
public struct UserSettings: Sendable, Equatable, Codable {
    public var language: String?
    public var currency: String?
    public var timeZone: String?
    public var dateFormat: DateFormatChoice = .locale
    public var region: String?
    public var notifications = NotificationSettings()
    public init() {}

    /// Missing or unreadable keys keep their defaults, one by one.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        language = try? c.decodeIfPresent(String.self, forKey: .language)
        currency = try? c.decodeIfPresent(String.self, forKey: .currency)
        timeZone = try? c.decodeIfPresent(String.self, forKey: .timeZone)
        region = try? c.decodeIfPresent(String.self, forKey: .region)
        dateFormat = (try? c.decodeIfPresent(DateFormatChoice.self, forKey: .dateFormat)) ?? .locale
        notifications = (try? c.decodeIfPresent(NotificationSettings.self, forKey: .notifications)) ?? NotificationSettings()
    }

    /// The currencies offered (any ISO code can still come from `config.toml`).
    public static let currencies = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "DKK", "PLN", "JPY"]
    /// The marketplace regions with their own seasonal calendar.
    public static let regions = ["US", "GB", "IE", "CA", "AU", "NZ", "DE", "FR", "ES", "IT"]

    /// Decodes what `encoded` wrote; what cannot be read gives the defaults.
    public static func decode(_ json: String?) -> UserSettings {
        guard let json, let s = try? JSONDecoder().decode(UserSettings.self, from: Data(json.utf8)) else { return UserSettings() }
        return s
    }

    public var encoded: String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// A social handle as sellers type it: `@` optional, then 1–30 letters, digits, `_` and `.`.
public enum SocialHandle {
    /// The handle without its `@`, or nil when it is not a valid one.
    public static func normalise(_ raw: String) -> String? {
        var h = Substring(raw.trimmingCharacters(in: .whitespaces))
        if h.hasPrefix("@") { h = h.dropFirst() }
        guard (1...30).contains(h.count), h.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) else { return nil }
        return String(h)
    }
}

/// A brand the seller sells under: the composer's defaults and what the niches are fitted to.
public struct BrandProfile: Sendable, Equatable {
    public var id: Int64?
    public var name = ""
    public var tone: Tone = .friendly
    public var audience = ""
    /// Topics the brand never sells into (a niche that names one fits 0).
    public var bannedTopics: [String] = []
    public var defaultShop = ""
    /// Social handles without their `@`.
    public var handles: [String] = []
    public var active = false
    public init(id: Int64? = nil, name: String = "") {
        self.id = id
        self.name = name
    }

    /// What is wrong with the profile, as message keys with the offending value; empty when it
    /// can be saved.
    public var problems: [(key: String, value: String)] {
        var out: [(String, String)] = []
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { out.append(("brand.error.name_missing", "")) }
        if trimmed.count > 60 { out.append(("brand.error.name_long", "")) }
        if audience.count > 200 { out.append(("brand.error.audience_long", "")) }
        for h in handles where SocialHandle.normalise(h) == nil { out.append(("brand.error.handle", h)) }
        return out
    }

    /// How well a niche suits the brand, 0…1: 0 when it names a banned topic, else the share
    /// of the niche's words found in the audience, 0.5 when the audience says nothing about it.
    public func fit(niche: String) -> Double {
        let words = Set(niche.lowercased().split(separator: " ").map(String.init))
        let banned = bannedTopics.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if banned.contains(where: { topic in niche.lowercased().contains(topic) }) { return 0 }
        let audienceWords = Set(audience.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        let shared = words.filter { audienceWords.contains($0) || audienceWords.contains($0 + "s") || audienceWords.contains(String($0.dropLast())) }
        return shared.isEmpty ? 0.5 : 0.5 + 0.5 * Double(shared.count) / Double(max(1, words.count))
    }
}
