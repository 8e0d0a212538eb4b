import Foundation
import PODCore
import PODMedia
import PODSync
import TOMLKit
import TerminalUI

/// A configuration problem, always naming the file (and the line where one is known).
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// `config.toml`: the user's settings. Every key is optional.
///
/// ```toml
/// [ui]
/// locale = "de"            # en, es, fr, de
/// theme = "light"          # a file in Themes/ or in the config folder's themes/
/// currency = "EUR"
/// time_zone = "Europe/Berlin"
/// region = "DE"            # the marketplace region trends are shown for
///
/// [plan]
/// tier = "starter"         # free, starter, professional, enterprise
///
/// [network]
/// allow_insecure_http = false  # true lets secrets go over plain http:// to another machine
///
/// [keys]                   # any command of the help overlay, rebound
/// quit = ["q", "ctrl-q"]
///
/// [providers.etsy]         # see DESIGN.md §5; env PODPUSHER_ETSY_API_BASE_URL overrides
/// client_id = "..."
/// ```
public struct AppConfig: Equatable, Sendable {
    public var locale: String?
    public var theme: String?
    public var currency: String?
    public var timeZone: String?
    public var region: String?
    public var plan: PlanTier = .free
    public var keys: [String: [String]] = [:]
    public var providers: [String: [String: String]] = [:]
    /// `[composer] risky_terms`: the compliance panel's review list (nil: the built-in one).
    public var riskyTerms: [String]?
    /// `[trends]`: the feeds `trends refresh` reads (regions default to `ui.region`).
    public var trends = TrendSettings()
    var trendRegionsGiven = false
    /// `[network] allow_insecure_http` (or env `PODPUSHER_ALLOW_INSECURE_HTTP=1`): plain HTTP
    /// to a host that is not this machine. Off: such a URL is refused before anything is sent.
    public var allowInsecureHTTP = false
    /// `[fees]`: what Etsy takes from a sale, for the estimates (Etsy's US schedule by default).
    public var fees = FeeTable.etsyUS
    /// `[ui] graphics`: how pictures are drawn (nil or "auto": from the environment).
    public var graphics: String?
    /// `[fees]` too: the margin prices are set for, their rounding, and the USD rate.
    public var pricing = Pricing()
    public var path: String?

    public init() {}

    static let knownSections: Set<String> = ["ui", "plan", "keys", "providers", "composer", "trends", "network", "fees"]
    static let feeKeys: Set<String> = [
        "listing_fee", "transaction_percent", "processing_percent", "processing_fixed", "offsite_ads_percent", "target_margin_percent", "rounding",
        "usd_rate",
    ]
    static let trendKeys: Set<String> = ["rss_url", "regions", "watch", "auto_refresh_hours"]
    static let uiKeys: Set<String> = ["locale", "theme", "currency", "time_zone", "region", "graphics"]

    /// Reads the file; a missing file is the empty configuration.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> AppConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            var c = AppConfig()
            c.applyEnvironment(environment)
            return c
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, message: "cannot be read as UTF-8 text")
        }
        var c = try parse(text, file: path)
        c.path = path
        c.applyEnvironment(environment)
        return c
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> AppConfig {
        let (root, lines) = try SourceLines.parse(text, file: file)
        var c = AppConfig()
        for key in root.keys where !knownSections.contains(key) {
            throw ConfigError(
                file: file, line: lines.line(ofTable: key) ?? lines.line(ofKey: key, in: nil),
                message: "unknown section or key '\(key)' (known: \(knownSections.sorted().joined(separator: ", ")))")
        }
        if let ui = root["ui"]?.table {
            for key in ui.keys {
                guard uiKeys.contains(key) else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: key, in: "ui"),
                        message: "unknown key 'ui.\(key)' (known: \(uiKeys.sorted().joined(separator: ", ")))")
                }
                guard let v = ui[key]?.string else {
                    throw ConfigError(file: file, line: lines.line(ofKey: key, in: "ui"), message: "'ui.\(key)' must be a string")
                }
                switch key {
                case "locale":
                    guard Localizer.normalise(v) != nil else {
                        throw ConfigError(file: file, line: lines.line(ofKey: key, in: "ui"), message: "locale '\(v)' is not one of en, es, fr, de")
                    }
                    c.locale = v
                case "theme": c.theme = v
                case "currency":
                    guard v.count == 3, v.allSatisfy({ $0.isLetter }) else {
                        throw ConfigError(
                            file: file, line: lines.line(ofKey: key, in: "ui"), message: "currency '\(v)' is not an ISO 4217 code such as USD or EUR")
                    }
                    c.currency = v.uppercased()
                case "time_zone":
                    guard TimeZone(identifier: v) != nil else {
                        throw ConfigError(
                            file: file, line: lines.line(ofKey: key, in: "ui"), message: "time zone '\(v)' is not an IANA zone such as Europe/Paris")
                    }
                    c.timeZone = v
                case "graphics":
                    guard v == "auto" || GraphicsMode(rawValue: v) != nil else {
                        throw ConfigError(
                            file: file, line: lines.line(ofKey: key, in: "ui"),
                            message: "ui.graphics '\(v)' is not one of auto, kitty, iterm2, sixel, symbols, off")
                    }
                    c.graphics = v
                default: c.region = v.uppercased()
                }
            }
        }
        if let plan = root["plan"]?.table {
            if let tier = plan["tier"] {
                guard let s = tier.string, let t = PlanTier(rawValue: s) else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "tier", in: "plan"), message: "plan tier must be one of free, starter, professional, enterprise")
                }
                c.plan = t
            }
        }
        /// A string or a list of strings.
        func strings(_ value: TOMLValueConvertible?, key: String, in table: String) throws(ConfigError) -> [String] {
            if let s = value?.string { return [s] }
            if let arr = value?.array, case let list = arr.compactMap(\.string), list.count == arr.count { return list }
            throw ConfigError(file: file, line: lines.line(ofKey: key, in: table), message: "\(table).\(key) must be a string or a list of strings")
        }
        if let keys = root["keys"]?.table {
            for key in keys.keys { c.keys[key] = try strings(keys[key], key: key, in: "keys") }
        }
        if let composer = root["composer"]?.table {
            for key in composer.keys where key != "risky_terms" {
                throw ConfigError(file: file, line: lines.line(ofKey: key, in: "composer"), message: "unknown key 'composer.\(key)' (known: risky_terms)")
            }
            if composer.contains(key: "risky_terms") { c.riskyTerms = try strings(composer["risky_terms"], key: "risky_terms", in: "composer") }
        }
        if let trends = root["trends"]?.table {
            for key in trends.keys where !trendKeys.contains(key) {
                throw ConfigError(
                    file: file, line: lines.line(ofKey: key, in: "trends"),
                    message: "unknown key 'trends.\(key)' (known: \(trendKeys.sorted().joined(separator: ", ")))")
            }
            if let url = trends["rss_url"] {
                guard let s = url.string, s.hasPrefix("http://") || s.hasPrefix("https://") else {
                    throw ConfigError(file: file, line: lines.line(ofKey: "rss_url", in: "trends"), message: "trends.rss_url must be an http(s) URL")
                }
                c.trends.rssURL = s
            }
            if trends.contains(key: "regions") {
                c.trends.regions = try strings(trends["regions"], key: "regions", in: "trends").map { $0.uppercased() }
                c.trendRegionsGiven = true
            }
            if trends.contains(key: "watch") { c.trends.watch = try strings(trends["watch"], key: "watch", in: "trends") }
            if let hours = trends["auto_refresh_hours"] {
                guard let h = hours.double ?? hours.int.map(Double.init), h.isFinite, (0...8_760).contains(h) else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "auto_refresh_hours", in: "trends"),
                        message: "trends.auto_refresh_hours must be a number of hours from 0 to 8760")
                }
                c.trends.autoRefreshHours = h
            }
        }
        if !c.trendRegionsGiven, let region = c.region { c.trends.regions = [region] }
        if let network = root["network"]?.table {
            for key in network.keys where key != "allow_insecure_http" {
                throw ConfigError(file: file, line: lines.line(ofKey: key, in: "network"), message: "unknown key 'network.\(key)' (known: allow_insecure_http)")
            }
            if let v = network["allow_insecure_http"] {
                guard let b = v.bool else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "allow_insecure_http", in: "network"), message: "network.allow_insecure_http must be true or false")
                }
                c.allowInsecureHTTP = b
            }
        }
        if let fees = root["fees"]?.table {
            for key in fees.keys where !feeKeys.contains(key) {
                throw ConfigError(
                    file: file, line: lines.line(ofKey: key, in: "fees"),
                    message: "unknown key 'fees.\(key)' (known: \(feeKeys.sorted().joined(separator: ", ")))")
            }
            /// A number from 0 to 100 (an amount in the shop's currency, or a percentage).
            func number(_ key: String) throws(ConfigError) -> Double? {
                guard let v = fees[key] else { return nil }
                guard let n = v.double ?? v.int.map(Double.init), n.isFinite, (0...100).contains(n) else {
                    throw ConfigError(file: file, line: lines.line(ofKey: key, in: "fees"), message: "fees.\(key) must be a number from 0 to 100")
                }
                return n
            }
            if let n = try number("listing_fee") { c.fees.listingFeeCents = Int((n * 100).rounded()) }
            if let n = try number("transaction_percent") { c.fees.transactionRate = n / 100 }
            if let n = try number("processing_percent") { c.fees.processingRate = n / 100 }
            if let n = try number("processing_fixed") { c.fees.processingFixedCents = Int((n * 100).rounded()) }
            if let n = try number("offsite_ads_percent") { c.fees.offsiteAdsRate = n > 0 ? n / 100 : nil }
            if let n = try number("target_margin_percent") {
                guard n < 90 else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "target_margin_percent", in: "fees"), message: "fees.target_margin_percent must be below 90")
                }
                c.pricing.targetMargin = n / 100
            }
            if let v = fees["rounding"] {
                guard let r = v.string.flatMap(FeeTable.Rounding.init(rawValue:)) else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "rounding", in: "fees"), message: "fees.rounding must be \".99\", \".00\" or \"cent\"")
                }
                c.pricing.rounding = r
            }
            if let v = fees["usd_rate"] {
                guard let n = v.double ?? v.int.map(Double.init), n.isFinite, n > 0, n <= 1_000_000 else {
                    throw ConfigError(
                        file: file, line: lines.line(ofKey: "usd_rate", in: "fees"),
                        message: "fees.usd_rate must be a number above 0: units of the shop's currency per US dollar")
                }
                c.pricing.usdRate = n
            }
        }
        if let providers = root["providers"]?.table {
            for name in providers.keys {
                guard let table = providers[name]?.table else {
                    throw ConfigError(file: file, line: lines.line(ofKey: name, in: "providers"), message: "providers.\(name) must be a table")
                }
                var entry: [String: String] = [:]
                for key in table.keys {
                    if let s = table[key]?.string {
                        entry[key] = s
                    } else if let i = table[key]?.int {
                        entry[key] = String(i)
                    } else {
                        throw ConfigError(
                            file: file, line: lines.line(ofKey: key, in: "providers.\(name)"), message: "providers.\(name).\(key) must be a string or a number")
                    }
                }
                c.providers[name] = entry
            }
        }
        return c
    }

    /// `PODPUSHER_<NAME>_<KEY>` overrides a provider key.
    mutating func applyEnvironment(_ env: [String: String]) {
        if let v = env["PODPUSHER_ALLOW_INSECURE_HTTP"], !v.isEmpty { allowInsecureHTTP = v != "0" && v.lowercased() != "false" }
        for (name, value) in env where name.hasPrefix("PODPUSHER_") {
            let rest = name.dropFirst("PODPUSHER_".count).lowercased()
            for provider in Set(providers.keys).union(ProviderID.allCases.map(\.rawValue) + ["openai"]) where rest.hasPrefix(provider + "_") {
                providers[provider, default: [:]][String(rest.dropFirst(provider.count + 1))] = value
            }
        }
    }
}

/// Finds where a key or table header stands in TOML source, for messages that name the line.
struct SourceLines {
    let lines: [Substring]
    init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// Parses TOML; a syntax error becomes a `ConfigError` naming the file and line.
    static func parse(_ text: String, file: String) throws(ConfigError) -> (TOMLTable, SourceLines) {
        if let refused = preflight(text) { throw ConfigError(file: file, line: refused.line, message: refused.message) }
        do {
            return (try TOMLTable(string: text), SourceLines(text))
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, message: e.description)
        } catch {
            throw ConfigError(file: file, line: nil, message: "\(error)")
        }
    }

    /// What the TOML parser underneath would stop the program on instead of reporting (found
    /// by `make fuzz`): a byte above ASCII outside a string or a comment, a table header whose
    /// name does not start at once (`[` then a new line), an array element that starts with
    /// `}`, a date with a time after a space. The line and the reason, if any.
    static func preflight(_ text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        var line = 1, i = 0
        var quote: [UInt8]?  // the delimiter of the string under way: one or three of " or '
        var comment = false
        var open: [UInt8] = []  // the arrays ([) and inline tables ({) open in a value
        var elementDue = false  // just after an array's [ or one of its commas
        var lineStart = true  // only blanks so far on this line
        func starts(_ s: [UInt8], at k: Int) -> Bool { k + s.count <= bytes.count && bytes[k..<k + s.count].elementsEqual(s) }
        func isDigit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        /// A bare value that starts with a digit and holds a `-` (a date, to the parser), then a
        /// space and a digit (a time, to the parser): it aborts on some of these (`2026-11-27 1 `,
        /// `2026-ea-27 1 `). No setting takes a date, so all of them are refused.
        func isDateWithSpacedTime(at k: Int) -> Bool {
            guard isDigit(k), k == 0 || [0x20, 0x09, 0x3D, 0x5B, 0x2C, 0x7B].contains(bytes[k - 1]) else { return false }
            var end = k
            while end < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5D, 0x7D, 0x23].contains(bytes[end]) { end += 1 }
            return bytes[k..<end].contains(0x2D) && end + 1 < bytes.count && bytes[end] == 0x20 && isDigit(end + 1)
        }
        func isKeyStart(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x22 || b == 0x27
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                comment = false
                lineStart = true
                if quote?.count == 1 { quote = nil }  // a one-line string does not go on
                i += 1
                continue
            }
            if comment {
                i += 1
                continue
            }
            if let q = quote {
                if q[0] == 0x22, b == 0x5C {  // an escape in a basic string
                    i += 2
                    continue
                }
                if starts(q, at: i) {
                    quote = nil
                    i += q.count
                    continue
                }
                i += 1
                continue
            }
            let blank = b == 0x20 || b == 0x09 || b == 0x0D
            defer { if !blank { lineStart = false } }
            if elementDue && !blank && b != 0x23 {
                elementDue = false
                if b == 0x7D { return (line, "an array holds a '}' where a value should be") }
            }
            switch b {
            case 0x23: comment = true
            case 0x22, 0x27:
                let q = starts([b, b, b], at: i) ? [b, b, b] : [b]
                quote = q
                i += q.count
                lineStart = false
                elementDue = false
                continue
            case 0x5B where lineStart && open.isEmpty:  // a table header
                var k = i + (starts([0x5B, 0x5B], at: i) ? 2 : 1)
                while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
                guard k < bytes.count, isKeyStart(bytes[k]) else { return (line, "a table header needs its name on the same line, as in [name]") }
            case 0x5B, 0x7B:
                open.append(b)
                elementDue = b == 0x5B
            case 0x5D, 0x7D: _ = open.popLast()
            case 0x2C: elementDue = open.last == 0x5B
            default:
                if b >= 0x80 { return (line, "only strings and comments may hold characters other than ASCII; quote the key or value") }
                if isDateWithSpacedTime(at: i) { return (line, "no setting takes a date and time; quote the value") }
            }
            i += 1
        }
        return nil
    }

    func line(ofTable name: String) -> Int? {
        lines.firstIndex { $0.trimmed() == "[\(name)]" }.map { $0 + 1 }
    }

    /// The line of `key = …` inside `[table]` (or at the top level when `table` is nil).
    func line(ofKey key: String, in table: String?) -> Int? {
        var current: String? = nil
        for (i, raw) in lines.enumerated() {
            let l = raw.trimmed()
            if l.hasPrefix("[") {
                current = l.trimmed(where: { "[] ".contains($0) })
                continue
            }
            let k = l.split(separator: "=", maxSplits: 1).first.map { $0.trimmed(where: { " \"'".contains($0) }) }
            if current == table, k == key { return i + 1 }
        }
        return nil
    }
}
