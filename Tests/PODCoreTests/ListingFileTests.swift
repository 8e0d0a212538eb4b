import Foundation
import Testing

@testable import PODCore

@Suite struct ListingFileTests {
    /// A shop export's rows name their listing; on import, such a row updates it with the
    /// fields it gives, and a listing_id that is not a number is refused.
    @Test func shopRowsCarryTheirListingAndTheFieldsTheyGive() throws {
        let csv = "title,price,listing_id,state\nMoon Mug,24.50,900000001,active\nSun Mug,12.00,abc,draft\n"
        let rows = try ListingFile.read(Data(csv.utf8), format: .csv)
        #expect(rows[0].listingID == "900000001" && rows[0].given == ["title", "price"] && rows[0].draft?.priceCents == 2450)
        #expect(rows[1].draft == nil && rows[1].problems == ["listing_id: “abc” is not a listing id"])
        let json = #"[{"title": "Moon Mug", "listing_id": 900000001, "state": "active", "tags": ["moon"]}]"#
        let fromJSON = try ListingFile.read(Data(json.utf8), format: .json)
        #expect(fromJSON[0].listingID == "900000001" && fromJSON[0].given == ["title", "tags"])
        var d = ListingDraft()
        d.title = "Moon Mug"
        let written = String(decoding: ListingFile.write([d, d], format: .csv, shop: [("900000001", "active"), (nil, "draft")]), as: UTF8.self)
        #expect(written.hasPrefix(ListingFile.fields.joined(separator: ",") + ",listing_id,state\n"))
        #expect(try ListingFile.read(Data(written.utf8), format: .csv).map(\.listingID) == ["900000001", nil])
    }

    let header = "title,description,price,quantity,tags,materials,taxonomy_id,who_made,when_made,shipping_profile_id,sku,language\n"

    func drafts() -> [ListingDraft] {
        var a = validDraft()
        a.description = "Two lines,\nwith \"quotes\" and a comma"
        a.tags = ["cat mug", "retro cat"]
        a.sku = "CAT-1"
        var b = validDraft()
        b.title = "Tasse für Katzenfreunde™"
        b.language = "de"
        b.priceCents = 500
        b.materials = []
        b.tags = []
        b.whoMade = .collective
        b.styles = []
        var c = ListingDraft()
        c.title = "Only a title"
        return [a, b, c].map { d in
            var d = d
            d.styles = []  // not in the file format
            return d
        }
    }

    @Test(arguments: ListingFile.Format.allCases)
    func exportThenImportRoundTrips(format: ListingFile.Format) throws {
        let data = ListingFile.write(drafts(), format: format)
        let rows = try ListingFile.read(data, format: format)
        #expect(rows.map(\.problems) == [[], [], []])
        #expect(rows.compactMap(\.draft) == drafts())
        // And the file itself is stable: writing what was read gives the same bytes.
        #expect(ListingFile.write(rows.compactMap(\.draft), format: format) == data)
    }

    @Test func csvLineNumbersCountQuotedNewlines() throws {
        let csv = header + "\"A\nB\",d,1.00,1,,,1,i_did,made_to_order,1,,en\nSecond,d,x,1,,,1,i_did,made_to_order,1,,en\n"
        let rows = try ListingFile.read(Data(csv.utf8), format: .csv)
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows[0].draft?.title == "A\nB")
        #expect(rows[1].draft == nil && rows[1].problems == ["price: “x” is not an amount such as 19.99"])
    }

    @Test func malformedFilesAreRefusedWhole() {
        #expect(throws: ListingFile.FileError.badQuoting(line: 2)) { try ListingFile.read(Data((header + "\"open,1\n").utf8), format: .csv) }
        #expect(throws: ListingFile.FileError.badQuoting(line: 2)) { try ListingFile.read(Data((header + "\"a\"b,1\n").utf8), format: .csv) }
        #expect(throws: ListingFile.FileError.unknownFields(["colour", "size"])) { try ListingFile.read(Data("title,colour,size\nx,y,z\n".utf8), format: .csv) }
        #expect(throws: ListingFile.FileError.missingTitle) { try ListingFile.read(Data("price\n1\n".utf8), format: .csv) }
        #expect(throws: ListingFile.FileError.empty) { try ListingFile.read(Data(), format: .csv) }
        #expect(throws: ListingFile.FileError.notUTF8(offset: 6)) {
            try ListingFile.read(Data([0x74, 0x69, 0x74, 0x6C, 0x65, 0x0A, 0xFF, 0x0A]), format: .csv)
        }
        #expect(throws: ListingFile.FileError.notUTF8(offset: 1)) { try ListingFile.read(Data([0x5B, 0xC3, 0x28]), format: .json) }
        #expect(throws: ListingFile.FileError.notAnArray) { try ListingFile.read(Data("{\"title\": \"x\"}".utf8), format: .json) }
        #expect(throws: ListingFile.FileError.unknownFields(["colour"])) {
            try ListingFile.read(Data("[{\"title\": \"x\", \"colour\": 1}]".utf8), format: .json)
        }
        #expect(throws: ListingFile.FileError.self) { try ListingFile.read(Data("[{\"title\": ".utf8), format: .json) }
    }

    @Test func jsonRowsKnowTheirLinesAndTypes() throws {
        let json = """
            [
              {"title": "One", "price": 19.99, "quantity": 2, "tags": ["a", "b"]},

              {"title": "Two", "price": "5", "tags": "x, y", "quantity": "many"},
              "not an object"
            ]
            """
        let rows = try ListingFile.read(Data(json.utf8), format: .json)
        #expect(rows.map(\.line) == [2, 4, 5])
        #expect(rows[0].draft?.priceCents == 1999 && rows[0].draft?.quantity == 2 && rows[0].draft?.tags == ["a", "b"])
        #expect(rows[1].problems == ["quantity: “many” is not a whole number"])
        #expect(rows[2].problems == ["is not an object"])
    }

    @Test func amountsAndWhoMadeAreChecked() throws {
        let csv = header + "A,d,19.999,1,,,1,nobody,made_to_order,1,,\n"
        let row = try #require(try ListingFile.read(Data(csv.utf8), format: .csv).first)
        #expect(row.problems.count == 2)
        #expect(ListingFile.parseDecimalAmount("19.9") == 1990 && ListingFile.parseDecimalAmount("20") == 2000)
        #expect(ListingFile.parseDecimalAmount("-1") == nil && ListingFile.parseDecimalAmount("1.2.3") == nil && ListingFile.parseDecimalAmount("１") == nil)
    }

    @Test func aByteOrderMarkAndCRLFAreFine() throws {
        let csv = "\u{FEFF}title,price\r\nMug,3.50\r\n"
        let rows = try ListingFile.read(Data(csv.utf8), format: .csv)
        #expect(rows.count == 1 && rows[0].draft?.title == "Mug" && rows[0].draft?.priceCents == 350)
    }
}
