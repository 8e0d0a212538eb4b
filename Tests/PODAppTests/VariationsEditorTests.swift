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
