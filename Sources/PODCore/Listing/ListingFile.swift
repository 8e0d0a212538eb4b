import Foundation

/// The listing file format of DESIGN.md §3: CSV with a header row, or JSON (an array of
/// objects), with the same field names. `tags` and `materials` are comma-separated in CSV and
/// arrays in JSON; `price` is a decimal amount ("19.99"). Export writes what import reads.
public enum ListingFile {
    public enum Format: String, CaseIterable, Sendable { case csv, json }

    public static let fields = [
        "title", "description", "price", "quantity", "tags", "materials", "taxonomy_id", "who_made",
        "when_made", "shipping_profile_id", "sku", "language",
    ]
    /// What an export of the shop adds: the listing a row is (its id at the provider) and its
    /// state there. On import, a row with a `listing_id` updates that listing; `state` is
    /// information only.
    public static let shopFields = ["listing_id", "state"]
    static let known = Set(fields + shopFields)

    /// A problem with the whole file: nothing is imported.
    public enum FileError: Error, Equatable, CustomStringConvertible {
        case notUTF8(offset: Int)
        case badQuoting(line: Int)
        case unknownFields([String])
        case missingTitle
        case notAnArray
        case badJSON(String)
        case empty

        public var description: String {
            switch self {
            case .notUTF8(let o): return "the file is not valid UTF-8 (first bad byte at offset \(o))"
            case .badQuoting(let l): return "line \(l): a quoted field is not closed, or text follows its closing quote"
            case .unknownFields(let f):
                return "unknown field\(f.count == 1 ? "" : "s"): \(f.joined(separator: ", ")) (known: \(fields.joined(separator: ", ")))"
            case .missingTitle: return "the header has no title column"
            case .notAnArray: return "a JSON listing file is an array of objects"
            case .badJSON(let why): return "not valid JSON: \(why)"
            case .empty: return "the file is empty"
            }
        }
    }

    /// One row of the file: its line, and the draft or why it cannot be one.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var draft: ListingDraft?
        /// Values that are not what the field takes (a price that is not a number…).
        public var problems: [String]
        /// The listing this row updates (nil: a new draft).
        public var listingID: String?
        /// The listing fields the row gives (an update changes only those).
        public var given: Set<String> = []
        public init(line: Int, draft: ListingDraft?, problems: [String], listingID: String? = nil, given: Set<String> = []) {
            self.line = line
            self.draft = draft
            self.problems = problems
            self.listingID = listingID
            self.given = given
        }
    }

    public static func format(forPath path: String) -> Format? {
        Format(rawValue: (path as NSString).pathExtension.lowercased())
    }

    // MARK: Reading

    public static func read(_ data: Data, format: Format) throws(FileError) -> [Row] {
        var rows: [Row] = []
        try read(data, format: format) { rows.append($0) }
        return rows
    }

    /// Reads row by row (a large file is never held as rows all at once). A file error can
    /// come after some rows were handed out: whoever stores them undoes that.
    public static func read(_ data: Data, format: Format, each: (Row) -> Void) throws(FileError) {
        if let bad = firstInvalidUTF8(data) { throw .notUTF8(offset: bad) }
        switch format {
        case .csv: try readCSV(data, each: each)
        case .json: try readJSON(data).forEach(each)
        }
    }

    static func readCSV(_ data: Data, each: (Row) -> Void) throws(FileError) {
        var names: [String]?
        var failure: FileError?
        try CSV.parse(data) { record in
            guard let names else {
                let header = record.fields.map { $0.trimmingWhitespace().lowercased() }
                let unknown = header.filter { !known.contains($0) }
                if !unknown.isEmpty { failure = .unknownFields(unknown) } else if !header.contains("title") { failure = .missingTitle }
                names = header
                return failure == nil
            }
            if record.fields.count == 1 && record.fields[0].isEmpty { return true }  // a blank line
            var values: [String: String] = [:]
            var problems: [String] = []
            if record.fields.count != names.count {
                problems.append("has \(record.fields.count) fields, the header \(names.count)")
            }
            for (name, value) in zip(names, record.fields) { values[name] = value }
            each(row(line: record.line, values: values, lists: { splitList($0) }, problems: problems))
            return true
        }
        if let failure { throw failure }
        if names == nil { throw .empty }
    }

    static func readJSON(_ data: Data) throws(FileError) -> [Row] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .badJSON(String(describing: (error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))
        }
        guard let array = object as? [Any] else { throw .notAnArray }
        let lines = topLevelObjectLines(data)
        var unknown: [String] = []
        var rows: [Row] = []
        for (i, element) in array.enumerated() {
            let line = i < lines.count ? lines[i] : 0
            guard let dict = element as? [String: Any] else {
                rows.append(Row(line: line, draft: nil, problems: ["is not an object"]))
                continue
            }
            unknown += dict.keys.filter { !known.contains($0) && !unknown.contains($0) }
            var values: [String: String] = [:]
            var listValues: [String: [String]] = [:]
            var problems: [String] = []
            for (k, v) in dict where known.contains(k) {
                switch v {
                case let s as String where k == "tags" || k == "materials": listValues[k] = splitList(s)
                case let s as String: values[k] = s
                case let n as NSNumber where k == "price": values[k] = jsonPrice(n)
                case let n as NSNumber: values[k] = n.stringValue
                case let a as [Any] where k == "tags" || k == "materials":
                    let strings = a.compactMap { $0 as? String }
                    if strings.count != a.count { problems.append("\(k): every item must be a string") }
                    listValues[k] = strings
                case is NSNull: break
                default: problems.append("\(k): not a \(k == "tags" || k == "materials" ? "list of strings" : "string or number")")
                }
            }
            for (k, list) in listValues { values[k] = list.joined(separator: "\u{0}") }
            rows.append(row(line: line, values: values, lists: { $0.split(separator: "\u{0}").map(String.init) }, problems: problems))
        }
        if !unknown.isEmpty { throw .unknownFields(unknown.sorted()) }
        return rows
    }

    /// A JSON number as an amount: 19.99, 20 → "19.99", "20".
    static func jsonPrice(_ n: NSNumber) -> String {
        let cents = (n.doubleValue * 100).rounded()
        return String(format: "%.2f", cents / 100)
    }

    static func row(line: Int, values: [String: String], lists: (String) -> [String], problems: [String]) -> Row {
        var problems = problems
        var d = ListingDraft()
        func int(_ k: String) -> Int? {
            guard let v = values[k]?.trimmingWhitespace(), !v.isEmpty else { return nil }
            guard let n = Int(v) else {
                problems.append("\(k): “\(v)” is not a whole number")
                return nil
            }
            return n
        }
        d.title = values["title"] ?? ""
        d.description = values["description"] ?? ""
        if d.description.utf8.count > ListingDraft.descriptionLimit, case let n = d.description.count, n > ListingDraft.descriptionLimit {
            problems.append("description: \(n) characters; at most \(ListingDraft.descriptionLimit) are taken")
        }
        if let p = values["price"]?.trimmingWhitespace(), !p.isEmpty {
            if let cents = parseDecimalAmount(p) { d.priceCents = cents } else { problems.append("price: “\(p)” is not an amount such as 19.99") }
        }
        d.quantity = int("quantity")
        d.tags = lists(values["tags"] ?? "")
        d.materials = lists(values["materials"] ?? "")
        d.taxonomyID = int("taxonomy_id")
        if let w = values["who_made"]?.trimmingWhitespace(), !w.isEmpty {
            if let who = WhoMade(rawValue: w) {
                d.whoMade = who
            } else {
                problems.append("who_made: “\(w)” is not one of \(WhoMade.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        d.whenMade = values["when_made"]?.trimmingWhitespace() ?? ""
        d.shippingProfileID = int("shipping_profile_id")
        d.sku = values["sku"]?.trimmingWhitespace() ?? ""
        let language = values["language"]?.trimmingWhitespace() ?? ""
        d.language = language.isEmpty ? "en" : language
        let listingID = values["listing_id"]?.trimmingWhitespace() ?? ""
        if !listingID.isEmpty, !listingID.allSatisfy({ $0.isASCII && $0.isNumber }) { problems.append("listing_id: “\(listingID)” is not a listing id") }
        return Row(
            line: line, draft: problems.isEmpty ? d : nil, problems: problems, listingID: listingID.isEmpty ? nil : listingID,
            given: Set(values.keys).intersection(fields))
    }

    /// "19.99" or "20" (a dot and at most two decimals, as the file format writes them).
    static func parseDecimalAmount(_ s: String) -> Int? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].allSatisfy(\.isASCII), let whole = Int(parts[0]), (0...Checked.maxCents / 100).contains(whole) else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let f = parts[1]
        guard !f.isEmpty, f.count <= 2, f.allSatisfy({ $0.isASCII && $0.isNumber }), let frac = Int(f) else { return nil }
        return whole * 100 + (f.count == 1 ? frac * 10 : frac)
    }

    /// The byte offset of the first byte that is not valid UTF-8, if any.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                let len: Int
                switch b {
                case 0xC2...0xDF: len = 2
                case 0xE0...0xEF: len = 3
                case 0xF0...0xF4: len = 4
                default: return i
                }
                guard i + len <= n else { return i }
                for j in 1..<len where bytes[i + j] & 0xC0 != 0x80 { return i }
                let b1 = bytes[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F) { return i }
                i += len
            }
            return nil
        }
    }

    /// The line (1-based) where each element of a top-level JSON array starts.
    static func topLevelObjectLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, expectingElement = false
        for b in data {
            if b == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case 0x5B, 0x7B:  // [ {
                if depth == 1 && expectingElement {
                    lines.append(line)
                    expectingElement = false
                }
                depth += 1
                if depth == 1 { expectingElement = true }
                continue
            case 0x5D, 0x7D:
                depth -= 1
                continue
            case 0x2C:
                if depth == 1 { expectingElement = true }
                continue
            case 0x22: inString = true
            default: break
            }
            if depth == 1 && expectingElement {
                lines.append(line)
                expectingElement = false
            }
        }
        return lines
    }

    // MARK: Writing

    /// The drafts in the format; with `shop`, each row also says which listing it is and its
    /// state (empty for a draft no shop has).
    public static func write(_ drafts: [ListingDraft], format: Format, shop: [(listingID: String?, state: String)]? = nil) -> Data {
        func shopValues(_ i: Int) -> [String] { shop.map { [$0[i].listingID ?? "", $0[i].state] } ?? [] }
        switch format {
        case .csv:
            var out = (fields + (shop == nil ? [] : shopFields)).joined(separator: ",") + "\n"
            for (i, d) in drafts.enumerated() { out += (values(d).map(\.text) + shopValues(i)).map(CSV.quote).joined(separator: ",") + "\n" }
            return Data(out.utf8)
        case .json:
            let objects: [[String: Any]] = drafts.enumerated().map { i, d in
                var o: [String: Any] = [:]
                if let row = shop?[i] {
                    o["listing_id"] = row.listingID.flatMap { Int64($0) }.map { $0 as Any } ?? NSNull()
                    o["state"] = row.state
                }
                for (k, v) in zip(fields, values(d)) {
                    switch k {
                    case "tags": o[k] = d.tags
                    case "materials": o[k] = d.materials
                    case "price": o[k] = d.priceCents.map { NSDecimalNumber(string: plainAmount($0)) } ?? NSNull()
                    case "quantity", "taxonomy_id", "shipping_profile_id": o[k] = Int(v.text).map { $0 as Any } ?? NSNull()
                    default: o[k] = v.text
                    }
                }
                return o
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
            return data + Data("\n".utf8)
        }
    }

    static func values(_ d: ListingDraft) -> [(field: String, text: String)] {
        [
            ("title", d.title), ("description", d.description), ("price", d.priceCents.map(plainAmount) ?? ""),
            ("quantity", d.quantity.map(String.init) ?? ""), ("tags", d.tags.joined(separator: ",")),
            ("materials", d.materials.joined(separator: ",")), ("taxonomy_id", d.taxonomyID.map(String.init) ?? ""),
            ("who_made", d.whoMade?.rawValue ?? ""), ("when_made", d.whenMade),
            ("shipping_profile_id", d.shippingProfileID.map(String.init) ?? ""), ("sku", d.sku), ("language", d.language),
        ]
    }

    static func plainAmount(_ cents: Int) -> String { String(format: "%d.%02d", cents / 100, cents % 100) }
}

/// RFC 4180 CSV over bytes: quoted fields with `""` for a quote, newlines inside quotes,
/// LF or CRLF line ends.
enum CSV {
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Calls `body` with each record in turn until it returns false.
    static func parse(_ data: Data, _ body: (Record) -> Bool) throws(ListingFile.FileError) {
        let result: ListingFile.FileError? = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var fields: [String] = []
            var field: [UInt8] = []
            var line = 1, recordLine = 1
            var inQuotes = false, quotedField = false, afterQuote = false
            var start = true
            func endField() {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                quotedField = false
                afterQuote = false
            }
            var i = 0
            // A byte-order mark is not part of the first field.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if inQuotes {
                    if b == 0x22 {
                        if i < bytes.count && bytes[i] == 0x22 {
                            field.append(0x22)
                            i += 1
                        } else {
                            inQuotes = false
                            afterQuote = true
                        }
                    } else {
                        if b == 0x0A { line += 1 }
                        field.append(b)
                    }
                    continue
                }
                switch b {
                case 0x2C:
                    endField()
                    start = false
                case 0x0A, 0x0D:
                    if b == 0x0D && i < bytes.count && bytes[i] == 0x0A { i += 1 }
                    endField()
                    if !body(Record(line: recordLine, fields: fields)) { return nil }
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    recordLine = line
                    start = true
                case 0x22 where field.isEmpty && !quotedField && !afterQuote:
                    inQuotes = true
                    quotedField = true
                    start = false
                default:
                    if afterQuote || b == 0x22 { return .badQuoting(line: line) }
                    field.append(b)
                    start = false
                }
            }
            if inQuotes { return .badQuoting(line: recordLine) }
            if !start || !field.isEmpty || !fields.isEmpty {
                endField()
                _ = body(Record(line: recordLine, fields: fields))
            }
            return nil
        }
        if let result { throw result }
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
