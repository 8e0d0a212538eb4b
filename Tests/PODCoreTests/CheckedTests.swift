import Foundation
import Testing

@testable import PODCore

/// Numbers from outside: each repro of the hardening issue that crashed the app.
@Suite struct CheckedTests {
    @Test func aNumberIsFiniteAndInRangeOrARefusalNamingTheField() throws {
        #expect(try Checked.double("12.5", field: "volume", in: 0...100).get() == 12.5)
        for bad in ["1e19", "inf", "-inf", "nan", "NaN", "1e400", "", "x", "--1", String(repeating: "9", count: 400)] {
            #expect(throws: Checked.Refusal.self) { try Checked.double(bad, field: "volume", in: 0...Checked.maxCount).get() }
        }
        #expect(
            Checked.double("1e19", field: "volume", in: 0...Checked.maxCount, expected: "a number of 0 or more")
                == .failure(.init(field: "volume", text: "1e19", expected: "a number of at most 1000000000000")))
        #expect(
            Checked.double("-1", field: "volume", in: 0...10, expected: "a number of 0 or more")
                == .failure(.init(field: "volume", text: "-1", expected: "a number of 0 or more")))
        #expect(try Checked.int(" 42 ", field: "port", in: 1...65_535).get() == 42)
        #expect(throws: Checked.Refusal.self) { try Checked.int("-1", field: "port", in: 1...65_535).get() }
        #expect(throws: Checked.Refusal.self) { try Checked.int("99999999999999999999", field: "port", in: 1...65_535).get() }
    }

    @Test func doublesBecomeIntsWithoutATrap() {
        #expect(Checked.int(1e19) == nil && Checked.int(.nan) == nil && Checked.int(.infinity) == nil && Checked.int(-9.3e18) == nil)
        #expect(Checked.int(9.2e18) == 9_200_000_000_000_000_000 && Checked.int(2.5) == 3 && Checked.int(-0.4) == 0)
        #expect(Checked.clampedInt(1e300) == Int.max && Checked.clampedInt(-1e300) == Int.min && Checked.clampedInt(.nan, in: 0...5) == 0)
        #expect(Checked.clampedInt(7.6, in: 0...5) == 5 && Checked.clampedInt(3.2, in: 0...5) == 3)
        #expect(Checked.clampedInt(3, in: 5...10) == 5 && Checked.clampedInt(-.infinity, in: 5...10) == 5 && Checked.clampedInt(.infinity) == Int.max)
        #expect(Checked.clampedInt(9.3e18) == Int.max && Checked.clampedInt(-9.3e18) == Int.min && Checked.clampedInt(-9.2e18) == -9_200_000_000_000_000_000)
    }

    @Test func waitsAProviderAsksForAreBounded() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Checked.seconds("nan", now: now, limit: 3600) == nil)
        #expect(Checked.seconds("inf", now: now, limit: 3600) == 3600)
        #expect(Checked.seconds("1e12", now: now, limit: 3600) == 3600)
        #expect(Checked.seconds("-5", now: now, limit: 3600) == 0)
        #expect(Checked.seconds("7", now: now, limit: 3600) == 7)
        #expect(Checked.seconds("garbage", now: now, limit: 3600) == nil)
        #expect(Checked.seconds(nil, now: now, limit: 3600) == nil)
        // An HTTP date 90 s ahead.
        #expect(Checked.seconds("Thu, 01 Jan 1970 00:01:30 GMT", now: Date(timeIntervalSince1970: 0), limit: 3600) == 90)
        #expect(Checked.seconds("Thu, 01 J\u{5B1}an 1970 00:01:30 GMT", now: Date(timeIntervalSince1970: 0), limit: 3600) == nil)
        #expect(Checked.dateText("Thu, 25\u{5B1}ov 2026") == nil && Checked.dateText(String(repeating: "1", count: 65)) == nil)
        #expect(Checked.clamped(.infinity, to: 1...60) == 60 && Checked.clamped(.nan, to: 1...60) == nil && Checked.clamped(0.001, to: 1...60) == 1)
    }

    @Test func aHugeTrendVolumeIsARefusedRowNotACrash() throws {
        var rows: [TrendFile.Row] = []
        try TrendFile.read(Data("keyword,date,volume\nx,2026-11-21,1e19\ny,2026-11-21,5\nz,2026-11-21,nan\n".utf8), format: .csv, fetchedAt: Date()) {
            rows.append($0)
        }
        #expect(rows[0].signal == nil && rows[0].problems == ["volume: “1e19” is not a number of at most 1000000000000"])
        #expect(rows[1].signal?.volume == 5)
        #expect(rows[2].signal == nil)
        var json: [TrendFile.Row] = []
        try TrendFile.read(Data(#"[{"keyword":"x","date":"2026-11-21","volume":1e300,"competition":-3}]"#.utf8), format: .json, fetchedAt: Date()) {
            json.append($0)
        }
        #expect(json[0].signal == nil && json[0].problems.count == 2)
    }

    @Test func aHugeListingPriceIsARefusedRowNotACrash() throws {
        let header = "title,price\n"
        for price in ["92233720368547759", "92233720368547758.07", "1000000001", "1e5"] {
            let rows = try ListingFile.read(Data((header + "Mug,\(price)\n").utf8), format: .csv)
            #expect(rows[0].draft == nil && rows[0].problems == ["price: “\(price)” is not an amount such as 19.99"])
        }
        let ok = try ListingFile.read(Data((header + "Mug,1000000000.00\n").utf8), format: .csv)
        #expect(ok[0].draft?.priceCents == Checked.maxCents)
        let json = try ListingFile.read(Data(#"[{"title":"Mug","price":1e300}]"#.utf8), format: .json)
        #expect(json[0].draft == nil)
    }
}

@Suite struct InputBoundsTests {
    @Test func aDescriptionPastTheLimitIsARefusedRow() throws {
        let long = String(repeating: "é", count: ListingDraft.descriptionLimit + 1)
        let rows = try ListingFile.read(Data("title,description\nMug,\(long)\nCup,\(long.dropLast())\n".utf8), format: .csv)
        #expect(rows[0].draft == nil && rows[0].problems == ["description: 65536 characters; at most 65535 are taken"])
        #expect(rows[1].draft?.description.count == ListingDraft.descriptionLimit)
    }
}
