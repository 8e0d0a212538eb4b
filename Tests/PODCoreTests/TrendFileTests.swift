import Foundation
import Testing

@testable import PODCore

@Suite struct TrendFileTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func rows(_ text: String, _ format: ListingFile.Format = .csv) throws -> [TrendFile.Row] {
        var out: [TrendFile.Row] = []
        try TrendFile.read(Data(text.utf8), format: format, fetchedAt: now) { out.append($0) }
        return out
    }

    @Test func aRowKeepsItsProvenanceAndDefaults() throws {
        let r = try rows(
            "keyword,date,volume,region,competition,source,method,confidence,is_estimate\nCat Mug,2026-02-28,120,gb,3400,my-export,weekly report,0.7,yes\nretro cat,2024-02-29,5,,,,,,\n"
        )
        let a = try #require(r[0].signal), b = try #require(r[1].signal)
        #expect(a.keyword == "cat mug" && a.region == "GB" && a.volume == 120 && a.competition == 3400)
        #expect(a.provenance == Provenance(source: "my-export", method: "weekly report", fetchedAt: now, confidence: 0.7, isEstimate: true))
        #expect(a.day == Day.number(ISO8601DateFormatter().date(from: "2026-02-28T00:00:00Z")!))
        #expect(b.region == "US" && b.competition == nil && b.provenance.source == "import" && b.provenance.method == "imported")
        #expect(b.provenance.confidence == 1 && !b.provenance.isEstimate && b.day == TrendFile.parseDay("2024-02-29"))
    }

    @Test func badRowsSayWhyWithTheirLine() throws {
        let r = try rows("keyword,date,volume,region,confidence\n,2026-02-30,-1,USA,2\nok,2026-1-01,x,us,0.5\n")
        #expect(r.map(\.line) == [2, 3])
        #expect(
            r[0].signal == nil
                && r[0].problems == [
                    "keyword: empty", "region: “USA” is not a two-letter country code",
                    "date: “2026-02-30” is not a date such as 2026-11-27",
                    "volume: “-1” is not a number of 0 or more", "confidence: “2” is not a number of at most 1",
                ])
        #expect(r[1].problems == ["date: “2026-1-01” is not a date such as 2026-11-27", "volume: “x” is not a number of 0 or more"])
    }

    @Test func theFileAsAWholeIsRefusedWithAClearReason() {
        #expect(throws: TrendFile.FileError.unknownFields(["views"])) { try rows("keyword,date,volume,views\n") }
        #expect(throws: TrendFile.FileError.missingFields(["volume"])) { try rows("keyword,date\n") }
        #expect(throws: TrendFile.FileError.badQuoting(line: 2)) { try rows("keyword,date,volume\n\"cat,2026-01-01,1\n") }
        #expect(throws: TrendFile.FileError.notUTF8(offset: 20)) {
            try TrendFile.read(Data("keyword,date,volume\n\u{FF}".utf8.dropLast(2) + [0xFF]), format: .csv, fetchedAt: now) { _ in }
        }
        #expect(throws: TrendFile.FileError.notAnArray) { try rows("{}", .json) }
        #expect(throws: TrendFile.FileError.empty) { try rows("") }
    }

    @Test func jsonTakesNumbersAndBooleans() throws {
        let r = try rows(#"[{"keyword": "cat mug", "date": "2026-11-01", "volume": 12.5, "is_estimate": true, "confidence": 0.25}, 3]"#, .json)
        #expect(r[0].signal?.volume == 12.5 && r[0].signal?.provenance.isEstimate == true && r[0].signal?.provenance.confidence == 0.25)
        #expect(r[1].problems == ["is not an object"])
        #expect(throws: TrendFile.FileError.unknownFields(["nope"])) { try rows(#"[{"keyword": "a", "nope": 1}]"#, .json) }
    }

    @Test func datesAcrossCenturiesAndLeapYears() {
        #expect(TrendFile.parseDay("1970-01-01") == 0)
        #expect(TrendFile.parseDay("2000-02-29") == 11_016)
        #expect(TrendFile.parseDay("1900-02-29") == nil)
        #expect(TrendFile.parseDay("2026-11-27") == Day.number(Date(timeIntervalSince1970: 1_795_737_600)))
        #expect(TrendFile.parseDay("2026-11-27x") == nil && TrendFile.parseDay("26-11-27") == nil)
    }
}
