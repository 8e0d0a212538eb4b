import Foundation
import Testing

@testable import PODCore

/// The product builder's rules and figures, against numbers worked out by hand.
@Suite struct PrintProductTests {
    /// $19.99, free shipping, Printify's $10.29 and $4.75 shipping, Etsy's US fees:
    /// 20 + 130 (6.5 % of 1999 = 129.935) + 60 (3 % = 59.97) + 25 = 235; 1999 − 235 − 1029 − 475 = 260.
    @Test func aVariantsFiguresAreTheFeeTableOnPriceCostAndShipping() throws {
        let f = try #require(
            VariantFigures(
                priceCents: 1999, costUSD: 1029, shippingUSD: 475, shippingChargedCents: 0, currency: "USD", usdRate: nil, fees: .etsyUS))
        #expect((f.feesCents, f.profitCents, f.costCents, f.shippingPaidCents) == (235, 260, 1029, 475))
        #expect(abs(f.margin - 260.0 / 1999.0) < 1e-9)
        // Another currency: costs turned at the configured rate, never mixed silently.
        #expect(VariantFigures(priceCents: 1999, costUSD: 1029, shippingUSD: 475, shippingChargedCents: 0, currency: "EUR", usdRate: nil, fees: .etsyUS) == nil)
        let eur = try #require(
            VariantFigures(priceCents: 1999, costUSD: 1000, shippingUSD: 500, shippingChargedCents: 0, currency: "EUR", usdRate: 0.9, fees: .etsyUS))
        #expect((eur.costCents, eur.shippingPaidCents) == (900, 450))
        // Unknown cost: no figures, rather than a made-up profit.
        #expect(VariantFigures(priceCents: 1999, costUSD: nil, shippingUSD: 475, shippingChargedCents: 0, currency: "USD", usdRate: nil, fees: .etsyUS) == nil)
    }

    @Test func theRulesNameWhatIsMissingAndAVariantNoLongerOffered() {
        var p = PrintProduct()
        #expect(p.issues(listingPrice: 1999).map(\.code) == ["product_blueprint"])
        p.blueprint = CatalogBlueprint(id: 6, title: "Tee")
        #expect(p.issues(listingPrice: 1999).map(\.code) == ["product_provider"])
        p.provider = CatalogProvider(id: 99, title: "Choice")
        #expect(p.issues(listingPrice: 1999).map(\.code) == ["product_variants", "product_design"])
        p.variants = [PrintProduct.Variant(id: 1, color: "Black", size: "S"), PrintProduct.Variant(id: 2, color: "Black", size: "M", priceCents: 0)]
        p.designs = [PrintProduct.Design(position: "front", file: "/tmp/cat.png")]
        #expect(p.issues(listingPrice: 1999).map(\.code) == ["product_price"])
        p.variants[1].priceCents = 2199
        #expect(p.issues(listingPrice: 1999).isEmpty)
        let catalog = [CatalogVariant(id: 1, title: "Black / S", color: "Black", size: "S")]
        #expect(p.issues(listingPrice: 1999, catalog: catalog).map { $0.args["variant"] } == ["Black / M"])
    }

    @Test func aDesignTooSmallForThePrintAreaSaysWhatItNeeds() {
        let front = PrintArea(position: "front", width: 4500, height: 5400)
        #expect(PrintProduct.designShortfall(width: 4500, height: 5400, area: front, scale: 1) == nil)
        #expect(PrintProduct.designShortfall(width: 1200, height: 1200, area: front, scale: 1)! == (4500, 5400))
        #expect(PrintProduct.designShortfall(width: 2250, height: 2000, area: front, scale: 0.5) == nil, "half the area needs half the pixels")
    }

    @Test func shippingIsTheCountrysRateElseTheRestOfTheWorlds() {
        let rates = [
            ShippingRate(variantIDs: [1, 2], firstItemCents: 475, additionalItemCents: 240, currency: "USD", countries: ["US"]),
            ShippingRate(variantIDs: [1, 2], firstItemCents: 1000, additionalItemCents: 400, currency: "USD", countries: ["REST_OF_THE_WORLD"]),
        ]
        #expect(ShippingRate.firstItem(rates, variant: 1, country: "US")?.firstItemCents == 475)
        #expect(ShippingRate.firstItem(rates, variant: 2, country: "DE")?.firstItemCents == 1000)
        #expect(ShippingRate.firstItem(rates, variant: 3, country: "US") == nil)
    }

    @Test func blueprintsAreFoundByAnyWordsOfTitleBrandOrModel() {
        let tee = CatalogBlueprint(id: 6, title: "Unisex Heavy Cotton Tee", brand: "Gildan", model: "5000")
        #expect(tee.matches("heavy tee") && tee.matches("GILDAN 5000") && tee.matches(""))
        #expect(!tee.matches("mug"))
    }

    @Test func aPlacementIsFourNumbersInTheirRanges() {
        var d = PrintProduct.Design(position: "front", file: "/tmp/cat.png")
        #expect(d.placementText == "0.5 0.5 1 0")
        let taken = d.setPlacement("0.25 0,75 1.5 -90")
        #expect(taken && d.placementText == "0.25 0.75 1.5 -90")
        for bad in ["", "0.5 0.5 1", "1.5 0.5 1 0", "0.5 0.5 0 0", "0.5 0.5 11 0", "0.5 0.5 1 400", "a b c d", "0.5 0.5 1 12.5"] {
            let refused = !d.setPlacement(bad)
            #expect(refused, "\(bad)")
        }
        #expect(d.placementText == "0.25 0.75 1.5 -90", "a refused text changes nothing")
    }
}
