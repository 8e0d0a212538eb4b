import Foundation

/// Trend signals from a file (`podpusher trends import`): CSV with a header row, or JSON (an
/// array of objects), with the fields
/// `keyword, date, volume` (required) and `region, competition, source, method, confidence,
/// is_estimate` (optional). `date` is `YYYY-MM-DD`; `region` defaults to US, `source` to
/// "import", `method` to "imported", `confidence` to 1 and `is_estimate` to false (the figures
/// are the seller's own). A row's problems are listed with its line; unknown fields, broken
/// quoting or bytes that are not UTF-8 refuse the whole file.
public enum TrendFile {
    public static let fields = ["keyword", "region", "date", "volume", "competition", "source", "method", "confidence", "is_estimate"]
    public static let required = ["keyword", "date", "volume"]

    public enum FileError: Error, Equatable, CustomStringConvertible {
        case notUTF8(offset: Int)
        case badQuoting(line: Int)
        case unknownFields([String])
        case missingFields([String])
        case notAnArray
        case badJSON(String)
        case empty

        public var description: String {
            switch self {
            case .notUTF8(let o): return "the file is not valid UTF-8 (first bad byte at offset \(o))"
            case .badQuoting(let l): return "line \(l): a quoted field is not closed, or text follows its closing quote"
            case .unknownFields(let f):
                return "unknown field\(f.count == 1 ? "" : "s"): \(f.joined(separator: ", ")) (known: \(fields.joined(separator: ", ")))"
            case .missingFields(let f): return "the header lacks \(f.joined(separator: ", "))"
            case .notAnArray: return "a JSON trend file is an array of objects"
            case .badJSON(let why): return "not valid JSON: \(why)"
            case .empty: return "the file is empty"
            }
        }
    }

    public struct Row: Equatable, Sendable {
        public var line: Int
        public var signal: TrendSignal?
        public var problems: [String]
    }

    /// Calls `each` with every row, in file order.
    public static func read(_ data: Data, format: ListingFile.Format, fetchedAt: Date, each: (Row) -> Void) throws(FileError) {
        if let bad = ListingFile.firstInvalidUTF8(data) { throw .notUTF8(offset: bad) }
        switch format {
        case .csv: try readCSV(data, fetchedAt: fetchedAt, each: each)
        case .json: try readJSON(data, fetchedAt: fetchedAt, each: each)
        }
    }

    static func readCSV(_ data: Data, fetchedAt: Date, each: (Row) -> Void) throws(FileError) {
        var names: [String]?
        // Each known field's column, found once: no dictionary per row (an import of a million
        // rows spends its time here).
        var columnOf: [Int?] = Array(repeating: nil, count: fields.count)
        var failure: FileError?
        do {
            try CSV.parse(data) { record in
                guard let names else {
                    let header = record.fields.map { $0.trimmingWhitespace().lowercased() }
                    for (i, name) in header.enumerated() { if let f = Field(name: name), columnOf[f.rawValue] == nil { columnOf[f.rawValue] = i } }
                    let unknown = header.filter { !fields.contains($0) }
                    let missing = required.filter { !header.contains($0) }
                    if !unknown.isEmpty { failure = .unknownFields(unknown) } else if !missing.isEmpty { failure = .missingFields(missing) }
                    names = header
                    return failure == nil
                }
                if record.fields.count == 1 && record.fields[0].isEmpty { return true }
                var problems: [String] = []
                if record.fields.count != names.count { problems.append("has \(record.fields.count) fields, the header \(names.count)") }
                let cells = record.fields
                each(
                    row(line: record.line, problems: problems, fetchedAt: fetchedAt) { f in
                        guard let i = columnOf[f.rawValue], i < cells.count else { return "" }
                        return cells[i]
                    })
                return true
            }
        } catch {
            if case .badQuoting(let line) = error { throw .badQuoting(line: line) }
            throw .badJSON("\(error)")
        }
        if let failure { throw failure }
        if names == nil { throw .empty }
    }

    static func readJSON(_ data: Data, fetchedAt: Date, each: (Row) -> Void) throws(FileError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .badJSON(String(describing: (error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))
        }
        guard let array = object as? [Any] else { throw .notAnArray }
        let lines = ListingFile.topLevelObjectLines(data)
        let unknown = Set(array.compactMap { $0 as? [String: Any] }.flatMap(\.keys)).subtracting(fields)
        if !unknown.isEmpty { throw .unknownFields(unknown.sorted()) }
        for (i, element) in array.enumerated() {
            let line = i < lines.count ? lines[i] : 0
            guard let dict = element as? [String: Any] else {
                each(Row(line: line, signal: nil, problems: ["is not an object"]))
                continue
            }
            var values: [String: String] = [:]
            for (k, v) in dict {
                switch v {
                case let b as Bool where k == "is_estimate": values[k] = b ? "true" : "false"
                case let s as String: values[k] = s
                case let n as NSNumber: values[k] = n.stringValue
                default: break
                }
            }
            each(row(line: line, problems: [], fetchedAt: fetchedAt) { values[fields[$0.rawValue]] ?? "" })
        }
    }

    /// The fields in the order of `fields`.
    enum Field: Int {
        case keyword, region, date, volume, competition, source, method, confidence, isEstimate
        init?(name: String) {
            guard let i = TrendFile.fields.firstIndex(of: name) else { return nil }
            self.init(rawValue: i)
        }
    }

    static func row(line: Int, problems: [String], fetchedAt: Date, field: (Field) -> String) -> Row {
        var problems = problems
        func value(_ f: Field) -> String { field(f).trimmingWhitespace() }
        let raw = value(.keyword)
        let keyword = raw.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? raw.lowercased() : raw
        if keyword.isEmpty { problems.append("keyword: empty") }
        let givenRegion = value(.region)
        let region = givenRegion.isEmpty ? "US" : givenRegion.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) ? givenRegion : givenRegion.uppercased()
        if region.utf8.count != 2 || !region.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
            problems.append("region: “\(value(.region))” is not a two-letter country code")
        }
        let day = parseDay(value(.date))
        if day == nil { problems.append("date: “\(value(.date))” is not a date such as 2026-11-27") }
        var refusals: [Checked.Refusal] = []
        func checked(_ f: Field, _ range: ClosedRange<Double>, expected: String) -> Double? {
            switch Checked.double(value(f), field: fields[f.rawValue], in: range, expected: expected) {
            case .success(let v): return v
            case .failure(let r):
                refusals.append(r)
                return nil
            }
        }
        let volume = checked(.volume, 0...Checked.maxCount, expected: "a number of 0 or more")
        let competition = value(.competition).isEmpty ? nil : checked(.competition, 0...Checked.maxCount, expected: "a number of 0 or more")
        let confidence = value(.confidence).isEmpty ? 1.0 : checked(.confidence, 0...1, expected: "a number from 0 to 1")
        problems += refusals.map(\.description)
        var estimate = false
        switch value(.isEstimate).lowercased() {
        case "", "false", "0", "no": estimate = false
        case "true", "1", "yes": estimate = true
        default: problems.append("is_estimate: “\(value(.isEstimate))” is not true or false")
        }
        guard problems.isEmpty, let day, let volume, let confidence else { return Row(line: line, signal: nil, problems: problems) }
        let provenance = Provenance(
            source: value(.source).isEmpty ? "import" : value(.source),
            method: value(.method).isEmpty ? "imported" : value(.method),
            fetchedAt: fetchedAt, confidence: confidence, isEstimate: estimate)
        return Row(
            line: line,
            signal: TrendSignal(
                keyword: keyword, region: region, day: day, volume: volume, competition: competition,
                provenance: provenance, isDemo: false), problems: [])
    }

    /// `YYYY-MM-DD` as a day number (UTC), without a formatter (this runs per row).
    public static func parseDay(_ s: String) -> DayNumber? {
        // Byte by byte: this runs once per row of a million-row import.
        var utf8 = s.utf8.makeIterator()
        func number(_ digits: Int, then separator: UInt8?) -> Int? {
            var n = 0
            for _ in 0..<digits {
                guard let b = utf8.next(), b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            if let separator { guard utf8.next() == separator else { return nil } } else { guard utf8.next() == nil else { return nil } }
            return n
        }
        guard let y = number(4, then: 0x2D), let m = number(2, then: 0x2D), let d = number(2, then: nil), (1...12).contains(m) else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard (1...monthDays).contains(d) else { return nil }
        return Day.number(y, m, d)
    }
}

extension TrendFile {
    /// The Trends table as it stands (a window's summary rows) as CSV: keyword, region, the
    /// window in days, volume, growth against the window before (a ratio; empty when there is no
    /// window before), and whether the row is demo data.
    public static func summaryCSV(_ rows: [KeywordTrend]) -> Data {
        var out = "keyword,region,window_days,volume,growth,demo\n"
        for r in rows {
            out +=
                [
                    r.keyword, r.region, String(r.window.rawValue), String(format: "%.0f", r.volume),
                    r.growth.map { String(format: "%.4f", $0) } ?? "", r.isDemo ? "1" : "0",
                ].map(CSV.quote).joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }
}
