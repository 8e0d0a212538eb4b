import Foundation
import PODMedia
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Printify product builder: a blueprint by typing, a provider, the variants grid with its
/// figures, price for the margin, and the design drawn large.
@Suite struct ProductBuilderTests {
    let tee = CatalogBlueprint(id: 6, title: "Unisex Heavy Cotton Tee", brand: "Gildan", model: "5000")
    let provider = CatalogProvider(id: 99, title: "Printify Choice", location: "Columbus, US")
    let variants = ["S", "M"].enumerated().map { CatalogVariant(id: 100 + $0.offset, title: "Black / \($0.element)", color: "Black", size: $0.element) }
    let shipping = [ShippingRate(variantIDs: [100, 101], firstItemCents: 475, additionalItemCents: 240, currency: "USD", countries: ["US"])]

    static func builder(_ s: AppState) -> ProductBuilder? {
        if case .product(let b)? = s.overlay { return b }
        return nil
    }

    /// The builder on the grid of the tee by Printify Choice, Black S's cost known.
    func grid(graphics: GraphicsMode = .symbols) throws -> AppState {
        var s = try openEditor(width: 120, height: 40, draft: complete())
        s.graphics = graphics
        press(&s, .alt("6"))
        while s.composer.editor?.field != .product { press(&s, .tab) }
        #expect(press(&s, .enter).contains(.job(ComposerScreen.self, .loadBlueprints)))
        _ = reduce(&s, .to(ComposerScreen.self, .blueprintsLoaded([CatalogBlueprint(id: 68, title: "Mug 11oz"), tee], defaults: nil)))
        _ = typeText(&s, "gildan")
        #expect(view(s).text().contains("1 of 2 blueprints"))
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .loadProviders(blueprint: 6))])
        _ = reduce(&s, .to(ComposerScreen.self, .providersLoaded(blueprint: 6, [provider])))
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .loadProductCatalog(blueprint: 6, provider: 99))])
        _ = reduce(
            &s, .to(ComposerScreen.self, .productCatalogLoaded(blueprint: 6, provider: 99, variants, shipping: shipping, costs: [100: 1029], shipTo: "US")))
        return s
    }

    @Test func aVariantsRowShowsItsFiguresAndThePriceForTheMarginIsSet() throws {
        var s = try grid()
        press(&s, .down, .down, .down, .char(" "))  // past the design, its placement and the shipping charged: Black S on, at the draft's price
        let text = view(s).text()
        #expect(text.contains("$10.29") && text.contains("$4.75"), "cost and shipping")
        // $19.99 (the draft's price): fees 235, profit 1999 − 235 − 1029 − 475 = 260.
        let price = try #require(s.composer.editor?.draft.priceCents)
        let sale = try #require(
            VariantFigures(priceCents: price, costUSD: 1029, shippingUSD: 475, shippingChargedCents: 0, currency: "USD", usdRate: nil, fees: s.fees))
        #expect(text.contains(s.formats.money(cents: sale.profitCents, currency: "USD")))
        press(&s, .alt("m"))
        let expected = try #require(s.pricing.price(costUSD: 1029, shippingUSD: 475, shippingChargedCents: 0, currency: "USD", fees: s.fees))
        #expect(Self.builder(s)?.product.variants.map(\.priceCents) == [expected])
        press(&s, .down, .char(" "))  // Black M on: its cost is not known
        #expect(view(s).text().contains("Cost unknown for 1 variants"))
        press(&s, .enter)
        #expect(s.composer.editor?.draft.product?.variants.map(\.id) == [100, 101])
    }

    @Test func theDesignIsMadeAheadAndDrawnAsSymbolsOrAsAPicture() throws {
        for mode in [GraphicsMode.symbols, .kitty] {
            var s = try grid(graphics: mode)
            let typed = typeText(&s, "/tmp/cat.png") + press(&s, .down)
            // Checked, and its preview made ahead on the media lane.
            #expect(typed.contains(.job(ComposerScreen.self, .checkPhotos(["/tmp/cat.png"]))))
            let ahead = typed.first { if case .previewDesign? = job($0, ComposerScreen.self) { return true } else { return false } }
            #expect(ahead?.lane == .media)
            press(&s, .alt("v"))
            #expect(view(s).text().contains("Drawing the design…"))
            let preview = Preview(
                cols: 2, rows: 1, mode: mode, graphics: mode == .kitty ? Array("\u{1b}_Ga=T;x\u{1b}\\".utf8) : nil,
                cells: mode == .kitty ? [] : [.init(scalar: 0x2580, fg: 0xFF0000, bg: 0x0000FF), .init(scalar: 0x2588, fg: 0xFF0000, bg: nil)],
                width: 4500, height: 5400)
            _ = reduce(&s, .to(ComposerScreen.self, .designPreviewed(path: "/tmp/cat.png", preview)))
            let frame = view(s)
            #expect(frame.text().contains("cat.png — 4,500 × 5,400 px"))
            if mode == .kitty {
                #expect(frame.images.count == 1 && frame.images[0].rect.width == 2)
            } else {
                #expect(frame.images.isEmpty && frame.text().contains("▀█"))
            }
            press(&s, .char("x"))  // any key puts it away
            #expect(Self.builder(s)?.preview == nil && view(s).images.isEmpty)
        }
    }

    @Test func aTerminalWithoutPicturesSaysSo() throws {
        var s = try grid(graphics: .off)
        _ = typeText(&s, "/tmp/cat.png")
        press(&s, .down, .alt("v"))
        #expect(view(s).text().contains("This terminal shows no pictures"))
    }

    @Test func theDesignsPlacementIsTypedAndCheckedAndKeptWithAnotherFile() throws {
        var s = try grid()
        _ = typeText(&s, "/tmp/cat.png")
        press(&s, .down, .ctrl("u"))
        _ = typeText(&s, "0.5 0.4 0,8 15")
        press(&s, .down)
        #expect(Self.builder(s)?.product.designs.first.map { [$0.x, $0.y, $0.scale, Double($0.angle)] } == [0.5, 0.4, 0.8, 15])
        press(&s, .up, .ctrl("u"))
        _ = typeText(&s, "0.5 1.5 1 0")
        press(&s, .down)
        #expect(Self.builder(s)?.invalidLine == .placement && view(s).text().contains("x and y 0–1"))
        #expect(Self.builder(s)?.product.designs.first?.y == 0.4, "nothing changed")
        press(&s, .up, .up, .ctrl("u"))
        _ = typeText(&s, "/tmp/dog.png")
        press(&s, .down)
        #expect(Self.builder(s)?.product.designs.first.map { [$0.x, $0.y, $0.scale] } == [0.5, 0.4, 0.8], "kept with another file")
        // Another blueprint: the design goes with it.
        press(&s, .backTab, .backTab)
        _ = reduce(&s, .to(ComposerScreen.self, .blueprintsLoaded([CatalogBlueprint(id: 68, title: "Mug 11oz"), tee], defaults: nil)))
        press(&s, .ctrl("u"))  // the search kept "gildan"
        _ = typeText(&s, "mug")
        press(&s, .enter)
        #expect(Self.builder(s)?.product.blueprint?.id == 68 && Self.builder(s)?.product.designs.first?.file == "/tmp/dog.png")
    }

    @Test func eachPrintAreaHasItsDesignAndADesignCarriedOverMovesToAnAreaTheProductHas() throws {
        var s = try grid()
        let areas = [PrintArea(position: "front", width: 4500, height: 5400), PrintArea(position: "back", width: 4500, height: 5400)]
        let twoSided = variants.map { CatalogVariant(id: $0.id, title: $0.title, color: $0.color, size: $0.size, areas: areas) }
        _ = reduce(&s, .to(ComposerScreen.self, .productCatalogLoaded(blueprint: 6, provider: 99, twoSided, shipping: shipping, costs: [:], shipTo: "US")))
        #expect(view(s).text().contains("Print areas: ▸front —   back —   (alt-a next area)"))
        _ = typeText(&s, "/tmp/front.png")
        // Alt-A takes the front's file (checked) and goes to the back's design line.
        #expect(press(&s, .alt("a")).contains(.job(ComposerScreen.self, .checkPhotos(["/tmp/front.png"]))))
        #expect(view(s).text().contains("Design (back):") && view(s).text().contains(" front ✓  ▸back —"))
        _ = typeText(&s, "/tmp/back.png")
        press(&s, .down, .ctrl("u"))
        _ = typeText(&s, "0.5 0.3 0.5 0")
        press(&s, .up)
        var product = try #require(Self.builder(s)?.product)
        #expect(product.designs.map(\.position) == ["front", "back"] && product.designs.map(\.file) == ["/tmp/front.png", "/tmp/back.png"])
        #expect(product.design(on: "back")?.y == 0.3 && product.design(on: "front")?.y == 0.5, "the placement is the back's only")
        // Alt-V shows each area's design in turn.
        #expect(Self.builder(s)?.pictures == ["/tmp/front.png", "/tmp/back.png"])
        // A mug has a front only: the back's design has nowhere to go, and says so.
        press(&s, .backTab, .backTab)
        _ = reduce(&s, .to(ComposerScreen.self, .blueprintsLoaded([CatalogBlueprint(id: 68, title: "Mug 11oz"), tee], defaults: nil)))
        press(&s, .ctrl("u"))
        _ = typeText(&s, "mug")
        press(&s, .enter)
        _ = reduce(&s, .to(ComposerScreen.self, .providersLoaded(blueprint: 68, [CatalogProvider(id: 1, title: "SPOKE")])))
        press(&s, .enter)
        let mug = [CatalogVariant(id: 33719, title: "11oz", color: "White", size: "11oz", areas: [PrintArea(position: "front", width: 2700, height: 1120)])]
        _ = reduce(&s, .to(ComposerScreen.self, .productCatalogLoaded(blueprint: 68, provider: 1, mug, shipping: [], costs: [:], shipTo: "US")))
        press(&s, .down, .down, .down, .char(" "))
        product = try #require(Self.builder(s)?.product)
        #expect(product.design(on: "front")?.file == "/tmp/front.png" && product.design(on: "back")?.file == "/tmp/back.png")
        #expect(view(s).text().contains("This product has no back print area"))
        // Taken off the back (Alt-A there, the file cleared): nothing stands in the way.
        press(&s, .up, .up, .up, .alt("a"), .ctrl("u"), .down)
        product = try #require(Self.builder(s)?.product)
        #expect(product.designs.map(\.position) == ["front"] && product.issues(listingPrice: 1999, catalog: mug).isEmpty)
        // Had the mug's front been free, the back's design would have moved there by itself.
        var lone = PrintProduct(blueprint: tee, provider: provider)
        lone.designs = [PrintProduct.Design(position: "back", file: "/tmp/back.png")]
        var draft = complete()
        draft.product = lone
        var b = ProductBuilder(draft: draft)
        ComposerScreen.productCatalogLoaded(&b, mug, shipping: [], costs: [:], shipTo: "US")
        #expect(b.product.designs.map(\.position) == ["front"] && b.area.position == "front")
    }

    @Test func theShippingTheBuyerPaysCountsInEveryVariantsFigures() throws {
        var s = try grid()
        press(&s, .down, .down, .ctrl("u"))
        _ = typeText(&s, "4.99")
        press(&s, .down, .char(" "))
        #expect(Self.builder(s)?.product.shippingChargedCents == 499)
        // $19.99 and $4.99 shipping charged: fees on both, Printify's $4.75 shipping paid.
        let price = try #require(s.composer.editor?.draft.priceCents)
        let sale = try #require(
            VariantFigures(priceCents: price, costUSD: 1029, shippingUSD: 475, shippingChargedCents: 499, currency: "USD", usdRate: nil, fees: s.fees))
        #expect(sale.profitCents == price + 499 - sale.feesCents - 1029 - 475)
        #expect(view(s).text().contains(s.formats.money(cents: sale.profitCents, currency: "USD")))
        #expect(view(s).text().contains("Buyer pays shipping:") && view(s).text().contains("$4.99"))
        press(&s, .up, .ctrl("u"))
        _ = typeText(&s, "free")
        press(&s, .up)
        #expect(Self.builder(s)?.invalidLine == .shipping && Self.builder(s)?.product.shippingChargedCents == 499, "nothing changed")
        #expect(view(s).text().contains("an amount, 0 or more"))
    }
}
