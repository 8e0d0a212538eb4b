import Foundation
import PODCore

/// Every string a user reads goes through here. Tables are `Locales/<lang>.json`: a flat object
/// of key → text, with `{name}` placeholders and plural forms as `key.one` / `key.other`.
public struct Localizer: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let supported = ["en", "es", "fr", "de"]

    /// The language only: a table printed in a log line or a test failure says nothing useful.
    public var description: String { "Localizer(\(language))" }
    public var debugDescription: String { description }

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
    public static func table(language: String, from resources: ShippedResources) throws -> [String: String] {
        let path = "Locales/\(language).json"
        guard let file = resources.file(path) else { throw LoadError.missing(resources.folder.map { $0.appendingPathComponent(path).path } ?? path) }
        do {
            return try JSONDecoder().decode([String: String].self, from: file.data)
        } catch {
            throw LoadError.malformed(file.name, "\(error)")
        }
    }

    /// Loads a language with English behind it for any key a translation lacks.
    public static func load(language: String, from resources: ShippedResources) throws -> Localizer {
        let english = try table(language: "en", from: resources)
        let lang = supported.contains(language) ? language : "en"
        let own = lang == "en" ? english : try table(language: lang, from: resources)
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
        let template = table[key] ?? fallback[key] ?? key
        guard !args.isEmpty, template.contains("{") else { return template }
        // One pass: `{name}` becomes its argument; an unknown name stays as written.
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            out += args[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Whether this language (or English) has a text for `key`.
    public func has(_ key: String) -> Bool { table[key] != nil || fallback[key] != nil }

    /// A provider's name in this language; one that config.toml adds goes by its own name.
    public func provider(_ name: String) -> String { has("provider.\(name)") ? t("provider.\(name)") : name }

    /// A broken listing rule as one line in this language: "Title: … — fix".
    public func message(for issue: RuleIssue) -> String {
        var args = issue.args
        args["field"] = t("field.\(issue.field.rawValue)")
        return t("field.\(issue.field.rawValue)") + ": " + t("rule.\(issue.code)", args)
    }

    /// The plural form for `count` (`key.one` or `key.other`), with `{count}` filled in by the
    /// caller's formatted number.
    public func plural(_ key: String, count: Int, formatted: String, _ args: [String: String] = [:]) -> String {
        var a = args
        a["count"] = formatted
        return t(Self.isSingular(count, language: language) ? "\(key).one" : "\(key).other", a)
    }

    /// CLDR's "one" category: 1 in English, German and Spanish; 0 and 1 in French.
    static func isSingular(_ count: Int, language: String) -> Bool {
        language == "fr" ? (count == 0 || count == 1) : count == 1
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
    /// A calendar in the user's time zone (months start there, for quotas), made once: the
    /// dashboard asks it for today on every frame.
    public let calendar: Calendar
    public let dateFormat: DateFormatChoice
    private let integerStyle: IntegerFormatStyle<Int>
    private let compactStyle: FloatingPointFormatStyle<Double>
    private let priceStyle: FloatingPointFormatStyle<Double>.Currency
    private let growthStyle: FloatingPointFormatStyle<Double>.Percent
    private let dateStyle: Date.FormatStyle
    private let timeStyle: Date.FormatStyle
    private let memo = Memo()

    /// Formatted values already seen: a view formats the same few hundred values every
    /// frame, and ICU formatting costs microseconds each. Same input, same output.
    final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var strings: [Key: String] = [:]
        enum Kind: UInt8 { case integer, compact, price, growth, date, day, month }
        struct Key: Hashable {
            var kind: Kind
            var bits: UInt64
        }

        func value(_ kind: Kind, _ bits: UInt64, _ make: () -> String) -> String {
            lock.lock()
            if let s = strings[Key(kind: kind, bits: bits)] {
                lock.unlock()
                return s
            }
            lock.unlock()
            let s = make()
            lock.lock()
            if strings.count > 20_000 { strings.removeAll(keepingCapacity: true) }
            strings[Key(kind: kind, bits: bits)] = s
            lock.unlock()
            return s
        }
    }

    /// Numbers, prices and dates are written the interface language's way, whatever the
    /// marketplace region (a German seller on the US marketplace reads 1.234,56 $); the
    /// currency is the chosen one, the dates are in the chosen time zone and date format.
    public init(language: String, currency: String, timeZone: TimeZone, dateFormat: DateFormatChoice = .locale) {
        self.dateFormat = dateFormat
        locale = Locale(identifier: language)
        self.currency = currency
        self.timeZone = timeZone
        calendar = Self.calendar(in: timeZone)
        integerStyle = IntegerFormatStyle<Int>.number.locale(locale)
        compactStyle = FloatingPointFormatStyle<Double>.number.locale(locale).notation(.compactName).precision(.significantDigits(1...3))
        priceStyle = FloatingPointFormatStyle<Double>.Currency(code: currency, locale: locale)
        growthStyle = FloatingPointFormatStyle<Double>.Percent(locale: locale).precision(.fractionLength(0)).sign(strategy: .always())
        var d = Date.FormatStyle(date: .abbreviated, time: .omitted).locale(locale)
        d.timeZone = timeZone
        dateStyle = d
        var time = Date.FormatStyle(date: .omitted, time: .shortened).locale(locale)
        time.timeZone = timeZone
        timeStyle = time
    }

    /// Makes the locale's formatters (ICU loads its data on first use), e.g. on a background
    /// thread while the terminal starts.
    public func warmUp() {
        _ = integerStyle.format(1_234)
        _ = compactStyle.format(12_345)
        _ = priceStyle.format(12.34)
        _ = growthStyle.format(0.25)
        _ = dateStyle.format(Date())
    }

    public func integer(_ value: Int) -> String {
        memo.value(.integer, UInt64(bitPattern: Int64(value))) { integerStyle.format(value) }
    }

    /// A figure with two decimals in the locale's style (0.75, 0,75).
    public func decimal(_ value: Double) -> String {
        value.formatted(FloatingPointFormatStyle<Double>.number.locale(locale).precision(.fractionLength(2)).grouping(.never))
    }

    /// A share as a percentage in the locale's style, to a tenth at most (35 %, 12.5 %).
    public func percent(_ value: Double) -> String {
        value.formatted(FloatingPointFormatStyle<Double>.Percent.percent.locale(locale).precision(.fractionLength(0...1)))
    }

    /// A compact count: 1.2K, 3,4 M, and so on in the locale's style.
    public func compact(_ value: Double) -> String { memo.value(.compact, value.bitPattern) { compactStyle.format(value) } }

    public func price(cents: Int) -> String {
        memo.value(.price, UInt64(bitPattern: Int64(cents))) { priceStyle.format(Double(cents) / 100) }
    }

    /// An amount in a given currency (a listing's own), in the locale's style; the user's
    /// currency goes through `price(cents:)`.
    public func money(cents: Int, currency code: String) -> String {
        guard code != currency, !code.isEmpty else { return price(cents: cents) }
        return FloatingPointFormatStyle<Double>.Currency(code: code, locale: locale).format(Double(cents) / 100)
    }

    /// An amount for editing: two decimals with the locale's separator, no grouping, no symbol
    /// ("19.99", "19,99").
    public func plainAmount(cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let a = abs(cents)
        return "\(sign)\(a / 100)\(locale.decimalSeparator ?? ".")\(a % 100 < 10 ? "0" : "")\(a % 100)"
    }

    /// Reads an amount as a seller types it, in minor units: "19.99", "19,99", "1 299,5",
    /// "20". The last `.` or `,` followed by one or two digits is the decimal separator;
    /// spaces and other separators group. Nil when it is not a number.
    public func parseAmount(_ text: String) -> Int? {
        let t = text.filter { !$0.isWhitespace && $0 != "'" && $0 != "\u{202F}" }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else { return nil }
        var whole = t, fraction = ""
        if let sep = t.lastIndex(where: { $0 == "." || $0 == "," }) {
            let tail = t[t.index(after: sep)...]
            if tail.count <= 2 {
                whole = String(t[..<sep])
                fraction = String(tail)
            }
        }
        let digits = whole.filter(\.isNumber)
        guard !digits.isEmpty || !fraction.isEmpty, digits.count <= 12, let w = Int(digits.isEmpty ? "0" : digits) else { return nil }
        let f = Int((fraction + "00").prefix(2)) ?? 0
        return w * 100 + f
    }

    /// A signed percentage: +25 %, −3 %.
    public func growth(_ ratio: Double) -> String { memo.value(.growth, ratio.bitPattern) { growthStyle.format(ratio) } }

    /// The date, to the minute (the formats show days).
    public func date(_ date: Date) -> String {
        let minute = (date.timeIntervalSince1970 / 60).rounded(.down)
        return memo.value(.date, minute.bitPattern) {
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return dateFormat.format(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? dateStyle.format(date)
        }
    }

    /// The time of day, to the minute, in the user's time zone.
    public func time(_ date: Date) -> String { timeStyle.format(date) }

    /// A calendar date kept as a day number (a seasonal event's), in the user's date format:
    /// formatted at UTC, where day numbers are midnight, so no time zone moves it a day.
    public func day(_ n: DayNumber, monthAndYear: Bool = false) -> String {
        memo.value(monthAndYear ? .month : .day, UInt64(bitPattern: Int64(n))) { formatDay(n, monthAndYear: monthAndYear) }
    }

    private func formatDay(_ n: DayNumber, monthAndYear: Bool) -> String {
        let c = Day.components(n)
        if !monthAndYear, let fixed = dateFormat.format(year: c.year, month: c.month, day: c.day) { return fixed }
        var style = monthAndYear ? Date.FormatStyle().month(.wide).year().locale(locale) : Date.FormatStyle(date: .abbreviated, time: .omitted).locale(locale)
        style.timeZone = TimeZone(identifier: "UTC")!
        return style.format(Day.date(n))
    }

    /// Today's date where the user is, as a day number.
    public func today(_ now: Date) -> DayNumber {
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return Day.number(c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The locale's two-letter weekday names from its first day of the week, and that day
    /// (1 = Sunday).
    public var weekdays: (symbols: [String], first: Int) {
        var c = Calendar(identifier: .gregorian)
        c.locale = locale
        let all = c.shortStandaloneWeekdaySymbols.map { String($0.prefix(2)) }
        let first = c.firstWeekday
        return ((0..<7).map { all[(first - 1 + $0) % 7] }, first)
    }

    public static func calendar(in timeZone: TimeZone) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }
}
