import Foundation
import PODCore

/// A listing's inventory on Etsy (updateListingInventory, getListingInventory): one product for
/// a listing without variations, one per combination for one with them.
extension EtsyClient {
    /// `GET /seller-taxonomy/nodes/{taxonomy_id}/properties` (getPropertiesByTaxonomyId): the
    /// properties of the category a listing can vary by, with the values Etsy suggests.
    public func variationProperties(taxonomyID: Int) throws(ProviderError) -> [(id: Int, name: String, values: [String])] {
        let results = try get("/seller-taxonomy/nodes/\(taxonomyID)/properties")["results"] as? [[String: Any]] ?? []
        return results.prefix(200).compactMap { p in
            guard p["supports_variations"] as? Bool == true, let id = (p["property_id"] as? NSNumber)?.intValue,
                let name = (p["display_name"] as? String) ?? (p["name"] as? String)
            else { return nil }
            let values = ((p["possible_values"] as? [[String: Any]]) ?? []).prefix(500).compactMap { ($0["name"] as? String).map { String($0.prefix(100)) } }
            return (id, String(name.prefix(100)), values)
        }
    }

    /// updateListingInventory's body: each combination a product with its property values and
    /// one offering; a property is on the price (quantity, SKU) list when those differ.
    static func inventoryBody(_ d: ListingDraft) -> [String: Any] {
        func offering(price: Int?, quantity: Int?, enabled: Bool) -> [String: Any] {
            ["price": Double(price ?? 0) / 100, "quantity": quantity ?? 0, "is_enabled": enabled]
        }
        guard let v = d.variations, !v.combinations.isEmpty else {
            return [
                "products": [["sku": d.sku, "property_values": [Any](), "offerings": [offering(price: d.priceCents, quantity: d.quantity, enabled: true)]]],
                "price_on_property": [Int](), "quantity_on_property": [Int](), "sku_on_property": [Int](),
            ]
        }
        let products: [[String: Any]] = v.combinations.map { c in
            let values: [[String: Any]] = zip(v.properties, c.values).map { p, value in
                ["property_id": p.id, "property_name": p.name, "value_ids": [Int](), "values": [value]]
            }
            return [
                "sku": c.sku, "property_values": values,
                "offerings": [offering(price: v.price(c, listing: d.priceCents), quantity: v.quantity(c, listing: d.quantity), enabled: c.enabled)],
            ]
        }
        let ids = v.properties.map(\.id)
        func on<T: Hashable>(_ value: (Variations.Combination) -> T) -> [Int] { Set(v.combinations.map(value)).count > 1 ? ids : [] }
        return [
            "products": products, "price_on_property": on { v.price($0, listing: d.priceCents) },
            "quantity_on_property": on { v.quantity($0, listing: d.quantity) }, "sku_on_property": on(\.sku),
        ]
    }

    /// The SKU and the variations an inventory holds (no variations: a single product).
    static func readInventory(_ inventory: [String: Any]) -> (sku: String, variations: Variations?) {
        let products = ((inventory["products"] as? [[String: Any]]) ?? []).prefix(1_000)
        func sku(_ p: [String: Any]) -> String { String((p["sku"] as? String ?? "").prefix(ListingRules.skuMax)) }
        guard let first = products.first else { return ("", nil) }
        let firstValues = (first["property_values"] as? [[String: Any]]) ?? []
        guard !firstValues.isEmpty else { return (sku(first), nil) }
        var properties = firstValues.prefix(Variations.propertiesMax).compactMap { pv -> Variations.Property? in
            guard let id = (pv["property_id"] as? NSNumber)?.intValue else { return nil }
            return Variations.Property(id: id, name: String((pv["property_name"] as? String ?? "").prefix(100)), values: [])
        }
        var combinations: [Variations.Combination] = []
        for p in products {
            let pvs = (p["property_values"] as? [[String: Any]]) ?? []
            var values: [String] = []
            for (i, property) in properties.enumerated() {
                guard let pv = pvs.first(where: { ($0["property_id"] as? NSNumber)?.intValue == property.id }),
                    let value = (pv["values"] as? [String])?.first.map({ String($0.prefix(100)) })
                else { break }
                if !properties[i].values.contains(value) { properties[i].values.append(value) }
                values.append(value)
            }
            guard values.count == properties.count, let o = (p["offerings"] as? [[String: Any]])?.first else { continue }
            let price = cents(o["price"])
            let quantity = (o["quantity"] as? NSNumber).flatMap { Checked.int($0.doubleValue, in: 0...ListingRules.quantityMax) }
            combinations.append(
                Variations.Combination(values: values, priceCents: price, quantity: quantity, sku: sku(p), enabled: o["is_enabled"] as? Bool ?? true))
        }
        return ("", Variations(properties: properties, combinations: combinations))
    }
}
