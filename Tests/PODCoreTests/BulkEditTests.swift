import Foundation
import Testing

@testable import PODCore

@Suite struct BulkEditTests {
    @Test func aPriceChangesByAPercentageOrAnAmountRoundedToNinetyNineOnRequest() {
        var d = validDraft()  // 19.99
        #expect(BulkEdit.pricePercent(10, roundTo99: false).apply(to: d).priceCents == 2199)
        #expect(BulkEdit.pricePercent(10, roundTo99: true).apply(to: d).priceCents == 2199)
        #expect(BulkEdit.pricePercent(-15, roundTo99: false).apply(to: d).priceCents == 1699)
        #expect(BulkEdit.priceAmount(cents: 250, roundTo99: false).apply(to: d).priceCents == 2249)
        #expect(BulkEdit.priceAmount(cents: 250, roundTo99: true).apply(to: d).priceCents == 2199, "22.49 is nearer 21.99 than 22.99")
        d.priceCents = 2450
        #expect(BulkEdit.pricePercent(10, roundTo99: true).apply(to: d).priceCents == 2699, "26.95 → 26.99")
        d.priceCents = 50
        #expect(BulkEdit.priceAmount(cents: -100, roundTo99: false).apply(to: d).priceCents == 0, "never below zero: the rules refuse it")
        #expect(BulkEdit.price(10, roundTo99: true) == 99, "never below 0.99")
        d.priceCents = nil
        #expect(BulkEdit.pricePercent(10, roundTo99: true).apply(to: d).priceCents == nil, "no price, nothing to change")
    }

    @Test func tagsAreAddedRemovedAndReplacedRegardlessOfCase() {
        let d = validDraft()  // cat mug, cat lover gift
        #expect(BulkEdit.addTag("gift idea").apply(to: d).tags == ["cat mug", "cat lover gift", "gift idea"])
        #expect(BulkEdit.addTag("Cat Mug").apply(to: d).tags == d.tags, "already there")
        #expect(BulkEdit.removeTag("CAT MUG").apply(to: d).tags == ["cat lover gift"])
        #expect(BulkEdit.replaceTag("cat mug", with: "kitten mug").apply(to: d).tags == ["kitten mug", "cat lover gift"])
        #expect(BulkEdit.replaceTag("cat mug", with: "cat lover gift").apply(to: d).tags == ["cat lover gift"], "no duplicate")
        #expect(BulkEdit.replaceTag("dog mug", with: "x").apply(to: d) == d)
    }

    @Test func findAndReplaceChangesTitlesAndDescriptionsOnly() {
        let d = validDraft()
        let e = BulkEdit.findReplace("Cat", with: "Kitten").apply(to: d)
        #expect(e.title == "Retro Kitten Mug, Funny Kitten Lover Gift")
        #expect(e.description == d.description, "exact text: 'cat' in lower case is another text")
        #expect(e.tags == d.tags)
        #expect(BulkEdit.findReplace("", with: "x").apply(to: d) == d)
    }

    @Test func thePreviewSaysWhatChangedFieldByField() {
        let d = validDraft()
        var e = BulkEdit.pricePercent(10, roundTo99: false).apply(to: d)
        e = BulkEdit.addTag("gift idea").apply(to: e)
        e = BulkEdit.removeTag("cat mug").apply(to: e)
        let changes = FieldChange.between(d, e)
        #expect(changes.contains(FieldChange(field: .price, before: "1999", after: "2199")))
        #expect(changes.contains(FieldChange(field: .tags, before: "cat mug", after: "gift idea")))
        var long = d
        long.description = String(repeating: "a", count: 100) + "old" + String(repeating: "b", count: 100)
        let replaced = BulkEdit.findReplace("old", with: "new").apply(to: long)
        let change = FieldChange.between(long, replaced).first { $0.field == .description }
        #expect(change?.before.hasPrefix("…") == true && change?.before.contains("old") == true && change?.after.contains("new") == true)
        #expect((change?.before.count ?? 0) < 70)
    }
}

@Suite struct PhotoFileTests {
    @Test func thePixelSizeIsReadFromTheHeaderOfEachFormat() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0x07, 0xD0, 0, 0, 0x05, 0xDC])
        #expect(PhotoFile.dimensions(of: png).map { [$0.width, $0.height] } == [2000, 1500])
        let gif = Data(Array("GIF89a".utf8) + [0x20, 0x03, 0x58, 0x02])
        #expect(PhotoFile.dimensions(of: gif).map { [$0.width, $0.height] } == [800, 600])
        // A JPEG: SOI, an APP0 segment, then SOF0 with height 1080 and width 1920.
        let jpeg = Data(
            [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x04, 0x38, 0x07, 0x80, 0x03] + [UInt8](repeating: 0, count: 16))
        #expect(PhotoFile.dimensions(of: jpeg).map { [$0.width, $0.height] } == [1920, 1080])
        #expect(PhotoFile.dimensions(of: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00])) == nil, "a broken segment")
        #expect(PhotoFile.dimensions(of: Data("not a photo".utf8)) == nil)
        let check = PhotoFile.Check(name: "small.png", head: png, bytes: 4096)
        #expect(check.small && check.problem == nil && check.format == .png)
    }
}

/// Etsy's fees, profit and the price for a margin, against hand calculations.
@Suite struct FeeTableTests {
    let us = FeeTable.etsyUS

    @Test func theFeesOfASaleAsEtsysUSScheduleHasThem() {
        // $19.99: listing $0.20; 6.5 % = 129.935 → $1.30; 3 % = 59.97 → $0.60 + $0.25 = $0.85.
        let f = us.fees(priceCents: 1999)
        #expect(f == FeeTable.Fees(listing: 20, transaction: 130, processing: 85, offsiteAds: 0) && f.total == 235)
        #expect(us.profit(priceCents: 1999).cents == 1764)
        // $19.99 + $5.00 shipping = $24.99: 6.5 % = 162.435 → 162; 3 % = 74.97 → 75 + 25 = 100.
        // Left: 2499 − 282 − 850 (production) − 475 (shipping paid) = 892, 35.69 % of 2499.
        let p = us.profit(priceCents: 1999, shippingChargedCents: 500, costCents: 850, shippingPaidCents: 475)
        #expect(p.cents == 892 && abs(p.margin - 892.0 / 2499.0) < 1e-12)
        var ads = us
        ads.offsiteAdsRate = 0.15
        #expect(ads.fees(priceCents: 1999).offsiteAds == 300, "15 % of 19.99 = 299.85")
    }

    @Test func thePriceForAMarginIsTheLowestThatKeepsIt() {
        // 35 % with $8.50 production and $4.75 shipping paid: (20 + 25 + 850 + 475) / 0.555 = 2468.47,
        // and at $24.68 the fees round down (160.42 → 160, 74.04 → 74): 864 of 2468 is 35.01 %.
        #expect(us.price(forMargin: 0.35, costCents: 850, shippingPaidCents: 475, rounding: .cent) == 2468)
        #expect(us.price(forMargin: 0.35, costCents: 850, shippingPaidCents: 475, rounding: .to99) == 2499)
        #expect(us.price(forMargin: 0.35, costCents: 850, shippingPaidCents: 475, rounding: .to00) == 2500)
        for rounding in [FeeTable.Rounding.cent, .to99, .to00] {
            let price = us.price(forMargin: 0.35, costCents: 850, shippingPaidCents: 475, rounding: rounding) ?? 0
            #expect(us.profit(priceCents: price, costCents: 850, shippingPaidCents: 475).margin >= 0.35)
            #expect(us.profit(priceCents: price - 1, costCents: 850, shippingPaidCents: 475).margin < 0.35 || rounding != .cent)
        }
        #expect(us.price(forMargin: 0.95, costCents: 850, rounding: .to99) == nil, "the fees' rates and the margin take it all")
    }
}
