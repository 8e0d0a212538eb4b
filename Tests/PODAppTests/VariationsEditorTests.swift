import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The composer's variations grid: two properties of the category, their values, then a price,
/// quantity, SKU and on/off per combination.
@Suite struct VariationsEditorTests {
    let properties = [
        TaxonomyProperty(id: 100, name: "Size", values: ["S", "M", "L", "XL"]),
        TaxonomyProperty(id: 200, name: "Primary color", values: ["Black", "White", "Navy", "Red"]),
    ]

    func editor() throws -> AppState {
        var d = complete()
        d.taxonomyID = 482
        var s = try openEditor(width: 120, height: 40, draft: d)
        press(&s, .alt("6"))
        while s.composer.editor?.field != .variations { press(&s, .tab) }
        #expect(view(s).text().contains("none — Enter to add sizes, colours…"))
        #expect(press(&s, .enter).contains(.job(ComposerScreen.self, .loadVariationProperties(taxonomyID: 482))))
        _ = reduce(&s, .to(ComposerScreen.self, .variationPropertiesLoaded(taxonomyID: 482, properties)))
        return s
    }

    static func current(_ s: AppState) -> VariationsEditor? {
        if case .variations(let v)? = s.overlay { return v }
        return nil
    }

    @Test func aThreeByFourGridWithAPricePerSize() throws {
        var s = try editor()
        press(&s, .right)  // Size
        press(&s, .down)
        press(&s, .ctrl("u"))
        _ = typeText(&s, "S, M, L")
        press(&s, .down, .right)  // Primary color, its first four values
        #expect(Self.current(s)?.variations.combinations.count == 12)
        #expect(view(s).text().contains("Size / Primary color") && view(s).text().contains("S / Black"))
        press(&s, .down, .down)  // the grid's first row, its price
        for (row, price) in [(0, "18.00"), (4, "20.00"), (8, "22.00")] {
            while let v = Self.current(s), v.combination < row { press(&s, .down) }
            press(&s, .ctrl("u"))
            _ = typeText(&s, price)
            press(&s, .ctrl("t"))  // fill down
        }
        // A SKU on the last row, and the last combination off.
        press(&s, .down, .down, .down, .tab, .tab)
        _ = typeText(&s, "MUG-L-RED")
        press(&s, .tab, .char(" "))
        let v = try #require(Self.current(s))
        #expect(v.variations.combinations.map(\.priceCents) == [1800, 1800, 1800, 1800, 2000, 2000, 2000, 2000, 2200, 2200, 2200, 2200])
        #expect(v.variations.combinations[11].sku == "MUG-L-RED" && !v.variations.combinations[11].enabled)
        #expect(v.variations.combinations.allSatisfy { $0.quantity == 5 }, "new combinations start at the listing's quantity")
        press(&s, .enter)
        #expect(s.overlay == nil)
        let d = try #require(s.composer.editor?.draft)
        #expect(d.variations?.properties.map(\.values) == [["S", "M", "L"], ["Black", "White", "Navy", "Red"]])
        #expect(d.priceCents == 1800, "the listing shows its lowest price")
        #expect(ListingRules.check(d).isEmpty)
        #expect(view(s).text().contains("Size × Primary color: 12 combinations, 11 for sale"))
        #expect(s.composer.editor?.dirty == true, "the autosave takes it")
    }

    @Test func escLeavesTheDraftAsItWasAndRulesShowInTheGrid() throws {
        var s = try editor()
        press(&s, .right, .down, .ctrl("u"))
        _ = typeText(&s, "S, s")
        press(&s, .down)
        #expect(view(s).text().contains("Size has a value twice"))
        press(&s, .escape)
        #expect(s.overlay == nil && s.composer.editor?.draft.variations == nil)
    }
}

/// The composer's photos: order (the first is the main one), alt text, each file's check.
@Suite struct PhotosEditorTests {
    /// A PNG header declaring `w`×`h`.
    static func png(_ w: Int, _ h: Int) -> Data {
        var d = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8))
        for v in [w, h] { d += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        return d + Data(repeating: 0, count: 100)
    }

    @Test func photosAreReorderedGivenAltTextAndChecked() throws {
        var d = complete()
        d.images = ["/tmp/front.png", "/tmp/side.png", "/tmp/fake.jpg"]
        var s = try openEditor(width: 120, height: 40, draft: d)
        press(&s, .alt("6"))
        while s.composer.editor?.field != .images { press(&s, .tab) }
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .checkPhotos(d.imageList))])
        _ = reduce(
            &s,
            .to(
                ComposerScreen.self,
                .photosChecked([
                    "/tmp/front.png": PhotoFile.Check(name: "front.png", head: Self.png(2400, 2400), bytes: 2_400_000),
                    "/tmp/side.png": PhotoFile.Check(name: "side.png", head: Self.png(1200, 900), bytes: 300_000),
                    "/tmp/fake.jpg": PhotoFile.Check(name: "fake.jpg", head: Data("not a photo".utf8), bytes: 11),
                ])))
        let text = view(s).text()
        #expect(text.contains("1. front.png  (main photo)") && text.contains("PNG · 2400×2400 px · 2,344 KB"))
        #expect(text.contains("PNG · 1200×900 px · 293 KB · below the 2000 px Etsy advises on the shortest side"))
        #expect(text.contains("✗ fake.jpg is not a JPEG, PNG or GIF image"))
        _ = typeText(&s, "A white mug with a retro cat")
        press(&s, .down)
        _ = typeText(&s, "The mug from the side")
        press(&s, .alt("k"))  // the side view first
        press(&s, .enter)
        let e = try #require(s.composer.editor)
        #expect(e.draft.images == ["/tmp/side.png", "/tmp/front.png", "/tmp/fake.jpg"])
        #expect(e.draft.imageAlts == ["/tmp/front.png": "A white mug with a retro cat", "/tmp/side.png": "The mug from the side"])
        #expect(e.inputs[.images]?.text == "/tmp/side.png, /tmp/front.png, /tmp/fake.jpg")
        #expect(e.dirty)
    }
}

@Suite struct FeeEstimateTests {
    /// Review shows Etsy's fees for the draft's price, labelled an estimate, from the fee table.
    @Test func reviewEstimatesEtsysFeesAndWhatIsLeft() throws {
        var s = try openEditor(width: 160, height: 50, draft: complete())
        press(&s, .alt("7"))
        var text = view(s).text()
        #expect(text.contains("Etsy's fees per sale (estimate, Etsy's US schedule"))
        #expect(text.contains("listing $0.20 · transaction $1.30 · payment processing $0.85 = $2.35"))
        #expect(text.contains("left for you before production and shipping: $17.64"))
        s.fees.offsiteAdsRate = 0.15
        text = view(s).text()
        #expect(text.contains("(estimate, your [fees] table)") && text.contains("Offsite Ads $3.00 = $5.35"))
    }
}
