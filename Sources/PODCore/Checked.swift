import Foundation

/// The one checked conversion for numbers that come from outside — files, feeds, headers,
/// config, provider answers. A value is finite and inside the range its field allows, or it is
/// a refusal that names the field; nothing from outside reaches an `Int(_: Double)` or an
/// arithmetic operation that could trap.
public enum Checked {
    /// Why a number was refused, in words for the user ("volume: “1e19” is not a number from 0
    /// to 1,000,000,000,000").
    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public var field: String
        public var text: String
        public var expected: String
        public init(field: String, text: String, expected: String) {
            self.field = field
            self.text = text
            self.expected = expected
        }
        public var description: String { "\(field): “\(text)” is not \(expected)" }
    }

    /// The largest trend volume or competition count a signal may carry: far above any real
    /// figure, and small enough that a summary adding two years of days stays exact in a Double
    /// and inside `Int`.
    public static let maxCount = 1e12
    /// The largest amount in cents a price may have (a billion in the currency).
    public static let maxCents = 100_000_000_000

    /// A decimal number (the grammar of `Double(_:)`: digits, a dot, an exponent) that is finite
    /// and in `range`. `expected` words the range for the message.
    public static func double<S: StringProtocol>(_ text: S, field: String, in range: ClosedRange<Double>, expected: String? = nil) -> Result<Double, Refusal> {
        let trimmed = trim(text)
        let shown = String(text.prefix(40))
        guard trimmed.utf8.count <= 64, let v = Double(trimmed), !v.isNaN, v >= range.lowerBound else {
            return .failure(Refusal(field: field, text: shown, expected: expected ?? words(range)))
        }
        guard v <= range.upperBound else { return .failure(Refusal(field: field, text: shown, expected: "a number of at most \(number(range.upperBound))")) }
        return .success(v)
    }

    /// A whole number in `range` (no sign games, no overflow: `Int(_:)` itself refuses what does
    /// not fit).
    public static func int<S: StringProtocol>(_ text: S, field: String, in range: ClosedRange<Int>, expected: String? = nil) -> Result<Int, Refusal> {
        let trimmed = trim(text)
        guard let v = Int(trimmed), range.contains(v) else {
            return .failure(
                Refusal(field: field, text: String(text.prefix(40)), expected: expected ?? "a whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return .success(v)
    }

    /// A Double already in hand (a JSON number, a computed sum) as an `Int`, or nil when it is
    /// not finite or does not fit. Rounds to the nearest.
    public static func int(_ value: Double, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard value.isFinite else { return nil }
        let r = value.rounded()
        // 2^63 is exactly representable; anything at or above it does not fit.
        guard r > -9.223372036854775808e18, r < 9.223372036854775808e18 else { return nil }
        let i = Int(r)
        return range.contains(i) ? i : nil
    }

    /// A Double as an `Int`, pinned to the nearest end of `range` when it lies outside (NaN is
    /// the lower end): for figures that are only ever shown or bucketed.
    public static func clampedInt(_ value: Double, in range: ClosedRange<Int> = Int.min...Int.max) -> Int {
        if value.isNaN || value <= Double(range.lowerBound) { return range.lowerBound }
        if value >= Double(range.upperBound) { return range.upperBound }
        // Strictly inside the range: the rounded value fits.
        return min(max(Int(value.rounded()), range.lowerBound), range.upperBound)
    }

    /// A number a provider gave (a lifetime, an interval) pinned to `range`; nil for none or
    /// NaN. Infinity is the upper end.
    public static func clamped(_ value: Double?, to range: ClosedRange<Double>) -> Double? {
        guard let value, !value.isNaN else { return nil }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// Date text from outside as Foundation's date parsers may see it: short printable ASCII,
    /// else nil. Foundation's DateFormatter stops the program on some other text (a combining
    /// mark inside a month's name, found by `make fuzz`); every date format read here is ASCII.
    public static func dateText(_ text: String) -> String? {
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return text
    }

    /// A wait a provider asks for (`retry-after` in seconds, or an HTTP date), pinned to
    /// `0...limit`; nil when the header says nothing usable.
    public static func seconds(_ header: String?, now: Date, limit: TimeInterval) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty, header.utf8.count <= 64 else { return nil }
        if let v = Double(header) {
            guard !v.isNaN else { return nil }
            return min(max(v, 0), limit)
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let text = dateText(header), let date = f.date(from: text) else { return nil }
        return min(max(date.timeIntervalSince(now), 0), limit)
    }

    /// Spaces and tabs off both ends; the text itself when there are none (this runs per row
    /// of a million-row import).
    static func trim<S: StringProtocol>(_ text: S) -> S.SubSequence {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.first, let last = text.last, blank(first) || blank(last) else { return text[...] }
        let start = text.firstIndex { !blank($0) } ?? text.endIndex
        let end = text.lastIndex { !blank($0) }.map(text.index(after:)) ?? start
        return text[start..<max(start, end)]
    }

    static func words(_ range: ClosedRange<Double>) -> String {
        "a number from \(number(range.lowerBound)) to \(number(range.upperBound))"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
