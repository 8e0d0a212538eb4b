import Foundation

/// A listing's variations: up to two properties of its category (size, colour…) with the
/// values offered, and for each combination its price, quantity, SKU and whether it is for
/// sale. Sent with Etsy's updateListingInventory, read back with its inventory.
public struct Variations: Codable, Equatable, Sendable {
    /// Etsy takes at most two properties that vary.
    public static let propertiesMax = 2

    public struct Property: Codable, Equatable, Sendable {
        /// The category's property id (getPropertiesByTaxonomyId).
        public var id: Int
        public var name: String
        /// The values offered, in order.
        public var values: [String]
        public init(id: Int, name: String, values: [String]) {
            self.id = id
            self.name = name
            self.values = values
        }
    }

    /// One product: a value of each property, and what it sells at.
    public struct Combination: Codable, Equatable, Sendable {
        public var values: [String]
        /// Nil: the listing's price.
        public var priceCents: Int?
        /// Nil: the listing's quantity.
        public var quantity: Int?
        public var sku = ""
        public var enabled = true
        public init(values: [String], priceCents: Int? = nil, quantity: Int? = nil, sku: String = "", enabled: Bool = true) {
            self.values = values
            self.priceCents = priceCents
            self.quantity = quantity
            self.sku = sku
            self.enabled = enabled
        }
    }

    public var properties: [Property]
    public var combinations: [Combination]

    public init(properties: [Property], combinations: [Combination] = []) {
        self.properties = properties
        self.combinations = combinations
        reconcile()
    }

    /// Every combination of the properties' values, in order (the first property's values
    /// outermost), keeping what was set for a combination that stays.
    public mutating func reconcile() {
        var all: [[String]] = [[]]
        for p in properties.prefix(Self.propertiesMax) { all = all.flatMap { prefix in p.values.map { prefix + [$0] } } }
        if properties.isEmpty { all = [] }
        let old = Dictionary(combinations.map { ($0.values, $0) }, uniquingKeysWith: { a, _ in a })
        combinations = all.map { old[$0] ?? Combination(values: $0) }
    }

    /// The combination's price, or the listing's.
    public func price(_ c: Combination, listing: Int?) -> Int? { c.priceCents ?? listing }
    public func quantity(_ c: Combination, listing: Int?) -> Int? { c.quantity ?? listing }

    /// What breaks Etsy's inventory rules, as rule issues on the `variations` field.
    public func issues(listingPrice: Int?, listingQuantity: Int?) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if properties.count > Self.propertiesMax { out.append(RuleIssue(.variations, "variations_properties", ["max": "\(Self.propertiesMax)"])) }
        for p in properties {
            if p.values.isEmpty || p.values.contains(where: { $0.trimmingWhitespace().isEmpty }) {
                out.append(RuleIssue(.variations, "variations_values", ["property": p.name]))
            }
            if Set(p.values.map { $0.lowercased() }).count != p.values.count {
                out.append(RuleIssue(.variations, "variations_duplicate", ["property": p.name]))
            }
        }
        if !combinations.isEmpty && !combinations.contains(where: \.enabled) { out.append(RuleIssue(.variations, "variations_none_on")) }
        for c in combinations where c.enabled {
            let name = c.values.joined(separator: " / ")
            if (price(c, listing: listingPrice) ?? 0) <= 0 { out.append(RuleIssue(.variations, "variations_price", ["combination": name])) }
            if let q = quantity(c, listing: listingQuantity), !(0...ListingRules.quantityMax).contains(q) {
                out.append(RuleIssue(.variations, "variations_quantity", ["combination": name, "max": "\(ListingRules.quantityMax)"]))
            }
        }
        for c in combinations where c.sku.count > ListingRules.skuMax {
            out.append(RuleIssue(.variations, "variations_sku", ["combination": c.values.joined(separator: " / "), "max": "\(ListingRules.skuMax)"]))
        }
        return out
    }
}
