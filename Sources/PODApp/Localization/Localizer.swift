import Foundation

/// Every string a user reads goes through here. Tables are `Locales/<lang>.json`: a flat object
/// of key → text, with `{name}` placeholders and plural forms as `key.one` / `key.other`.
public struct Localizer: Sendable, Equatable {
    public static let supported = ["en", "es", "fr", "de"]

    public let language: String
    let table: [String: String]
    let fallback: [String: String]

    public init(language: String, table: [String: String], fallback: [String: String] = [:]) {
        self.language = language
        self.table = table
        self.fallback = fallback
    }

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(String, String)
        public var description: String {
            switch self {
            case .missing(let p): return "locale file not found: \(p)"
            case .malformed(let p, let why): return "locale file \(p) is not a JSON object of strings: \(why)"
            }
        }
    }

    /// Reads one table.
    public static func table(language: String, directory: URL) throws -> [String: String] {
        let url = directory.appendingPathComponent("\(language).json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw LoadError.missing(url.path) }
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw LoadError.malformed(url.path, "\(error)")
        }
    }

    /// Loads a language with English behind it for any key a translation lacks.
    public static func load(language: String, directory: URL) throws -> Localizer {
        let english = try table(language: "en", directory: directory)
        let lang = supported.contains(language) ? language : "en"
        let own = lang == "en" ? english : try table(language: lang, directory: directory)
        return Localizer(language: lang, table: own, fallback: english)
    }

    /// The language to use: the flag, then the config, then `LC_ALL`, `LC_MESSAGES`, `LANG`.
    public static func chooseLanguage(flag: String?, config: String?, environment: [String: String]) -> String {
        for candidate in [flag, config] {
            if let c = candidate.flatMap(normalise) { return c }
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = environment[name], !v.isEmpty { return normalise(v) ?? "en" }
        }
        return "en"
    }

    /// `de_DE.UTF-8` → `de`; nil for a language PODPusher does not speak.
    public static func normalise(_ raw: String) -> String? {
        let code = raw.lowercased().prefix { $0.isLetter }
        return supported.contains(String(code)) ? String(code) : nil
    }

    /// The text for a key with `{placeholders}` filled in; the key itself when nothing has it.
    public func t(_ key: String, _ args: [String: String] = [:]) -> String {
        var s = table[key] ?? fallback[key] ?? key
        for (k, v) in args { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }

    /// The plural form for `count` (`key.one` or `key.other`), with `{count}` filled in by the
    /// caller's formatted number.
    public func plural(_ key: String, count: Int, formatted: String, _ args: [String: String] = [:]) -> String {
        var a = args
        a["count"] = formatted
        return t(count == 1 ? "\(key).one" : "\(key).other", a)
    }

    /// Keys and the placeholders each one uses, for the parity test.
    public static func placeholders(in text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}

/// Numbers, money and dates in the user's locale, currency and time zone. The format styles
/// are built once: views format many values per frame.
public struct Formats: Sendable {
    public let locale: Locale
    public let currency: String
    public let timeZone: TimeZone
    private let integerStyle: IntegerFormatStyle<Int>
    private let compactStyle: FloatingPointFormatStyle<Double>
    private let priceStyle: FloatingPointFormatStyle<Double>.Currency
    private let growthStyle: FloatingPointFormatStyle<Double>.Percent
    private let dateStyle: Date.FormatStyle
    private let dateTimeStyle: Date.FormatStyle

    public init(language: String, region: String?, currency: String, timeZone: TimeZone) {
        let id = region.map { "\(language)_\($0)" } ?? language
        locale = Locale(identifier: id)
        self.currency = currency
        self.timeZone = timeZone
        integerStyle = IntegerFormatStyle<Int>.number.locale(locale)
        compactStyle = FloatingPointFormatStyle<Double>.number.locale(locale).notation(.compactName).precision(.significantDigits(1...3))
        priceStyle = FloatingPointFormatStyle<Double>.Currency(code: currency, locale: locale)
        growthStyle = FloatingPointFormatStyle<Double>.Percent(locale: locale).precision(.fractionLength(0)).sign(strategy: .always())
        var d = Date.FormatStyle(date: .abbreviated, time: .omitted).locale(locale)
        d.timeZone = timeZone
        dateStyle = d
        var dt = Date.FormatStyle(date: .abbreviated, time: .shortened).locale(locale)
        dt.timeZone = timeZone
        dateTimeStyle = dt
    }

    public func number(_ value: Double, fractionDigits: Int = 0) -> String {
        value.formatted(.number.locale(locale).precision(.fractionLength(fractionDigits)))
    }

    public func integer(_ value: Int) -> String { integerStyle.format(value) }

    /// A compact count: 1.2K, 3,4 M, and so on in the locale's style.
    public func compact(_ value: Double) -> String { compactStyle.format(value) }

    public func price(cents: Int) -> String { priceStyle.format(Double(cents) / 100) }

    /// A signed percentage: +25 %, −3 %.
    public func growth(_ ratio: Double) -> String { growthStyle.format(ratio) }

    public func date(_ date: Date) -> String { dateStyle.format(date) }

    public func dateTime(_ date: Date) -> String { dateTimeStyle.format(date) }

    /// A calendar in the user's time zone (months start there, for quotas).
    public var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        c.locale = locale
        return c
    }
}
