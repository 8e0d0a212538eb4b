import Foundation

/// A blueprint of Printify's catalog: the blank product (a mug, a shirt).
public struct CatalogBlueprint: Codable, Equatable, Sendable {
    public var id: Int
    public var title: String
    public var brand: String
    public var model: String
    public init(id: Int, title: String, brand: String = "", model: String = "") {
        (self.id, self.title, self.brand, self.model) = (id, title, brand, model)
    }

    /// Whether every word of the query is in the title, brand or model.
    public func matches(_ query: String) -> Bool {
        let text = "\(title) \(brand) \(model)".lowercased()
        return query.lowercased().split(separator: " ").allSatisfy { text.contains($0) }
    }
}

/// A print provider of a blueprint: who prints it, and from where.
public struct CatalogProvider: Codable, Equatable, Sendable {
    public var id: Int
    public var title: String
    /// "City, Country" as the catalog gives it (empty when it does not).
    public var location: String
    public init(id: Int, title: String, location: String = "") { (self.id, self.title, self.location) = (id, title, location) }
}

/// A print area of a variant and the pixel size a design needs to fill it.
public struct PrintArea: Codable, Equatable, Sendable {
    public var position: String
    public var width: Int
    public var height: Int
    public init(position: String, width: Int, height: Int) { (self.position, self.width, self.height) = (position, width, height) }
}

/// A variant a provider offers for a blueprint: a colour and a size, and its print areas.
public struct CatalogVariant: Codable, Equatable, Sendable {
    public var id: Int
    public var title: String
    public var color: String
    public var size: String
    public var areas: [PrintArea]
    public init(id: Int, title: String, color: String, size: String, areas: [PrintArea] = []) {
        (self.id, self.title, self.color, self.size, self.areas) = (id, title, color, size, areas)
    }
}

/// What a provider charges to ship a variant (the catalog's shipping profiles), in cents of
/// `currency`.
public struct ShippingRate: Codable, Equatable, Sendable {
    public var variantIDs: [Int]
    public var firstItemCents: Int
    public var additionalItemCents: Int
    public var currency: String
    public var countries: [String]
    public init(variantIDs: [Int], firstItemCents: Int, additionalItemCents: Int, currency: String, countries: [String]) {
        (self.variantIDs, self.firstItemCents, self.additionalItemCents, self.currency, self.countries) =
            (variantIDs, firstItemCents, additionalItemCents, currency, countries)
    }

    /// The first-item cost of shipping `variant` to `country` ("REST_OF_THE_WORLD" serves any
    /// country named nowhere else).
    public static func firstItem(_ rates: [ShippingRate], variant: Int, country: String) -> ShippingRate? {
        let forVariant = rates.filter { $0.variantIDs.contains(variant) }
        return forVariant.first { $0.countries.contains(country) } ?? forVariant.first { $0.countries.contains("REST_OF_THE_WORLD") }
    }
}

/// The Printify product a draft becomes: the blueprint, who prints it, the variants for sale
/// with their prices, and the design on each print area. Saved with the draft.
public struct PrintProduct: Codable, Equatable, Sendable {
    public struct Variant: Codable, Equatable, Sendable {
        public var id: Int
        public var color: String
        public var size: String
        /// In minor units of the draft's currency (nil: the draft's price).
        public var priceCents: Int?
        public init(id: Int, color: String, size: String, priceCents: Int? = nil) {
            (self.id, self.color, self.size, self.priceCents) = (id, color, size, priceCents)
        }
    }

    /// A design file on a print area, placed by its centre (0–1 of the area) with a scale (1:
    /// as wide as the area) and an angle in degrees. Centred and full width by default.
    public struct Design: Codable, Equatable, Sendable {
        public var position: String
        public var file: String
        public var x = 0.5
        public var y = 0.5
        public var scale = 1.0
        public var angle = 0
        public init(position: String, file: String) { (self.position, self.file) = (position, file) }

        /// The placement as the builder shows it: "x y scale angle" ("0.5 0.5 1 0").
        public var placementText: String {
            func n(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }
            return "\(n(x)) \(n(y)) \(n(scale)) \(angle)"
        }

        /// Sets the placement from "x y scale angle" (a decimal comma taken too): x and y from 0
        /// to 1, scale above 0 up to 10, angle from −360 to 360. False, and nothing changed,
        /// when the text is not that.
        public mutating func setPlacement(_ text: String) -> Bool {
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map { $0.replacingOccurrences(of: ",", with: ".") }
            guard parts.count == 4, let px = Double(parts[0]), let py = Double(parts[1]), let ps = Double(parts[2]), let pa = Int(parts[3]),
                (0...1).contains(px), (0...1).contains(py), ps > 0, ps <= 10, (-360...360).contains(pa)
            else { return false }
            (x, y, scale, angle) = (px, py, ps, pa)
            return true
        }
    }

    public var blueprint: CatalogBlueprint?
    public var provider: CatalogProvider?
    /// The variants for sale (the others of the provider are off).
    public var variants: [Variant] = []
    public var designs: [Design] = []
    /// What the buyer pays for shipping, in minor units of the draft's currency (0: free shipping).
    public var shippingChargedCents = 0

    public init(blueprint: CatalogBlueprint? = nil, provider: CatalogProvider? = nil) {
        self.blueprint = blueprint
        self.provider = provider
    }

    public func price(_ v: Variant, listing: Int?) -> Int? { v.priceCents ?? listing }

    /// What is missing or wrong before Printify can make the product, as rule issues on the
    /// `product` field. `catalog` (the provider's variants, when loaded) lets the check see a
    /// variant the provider stopped offering.
    public func issues(listingPrice: Int?, catalog: [CatalogVariant]? = nil) -> [RuleIssue] {
        var out: [RuleIssue] = []
        guard blueprint != nil else { return [RuleIssue(.product, "product_blueprint")] }
        guard provider != nil else { return [RuleIssue(.product, "product_provider")] }
        if variants.isEmpty { out.append(RuleIssue(.product, "product_variants")) }
        for v in variants where (price(v, listing: listingPrice) ?? 0) <= 0 {
            out.append(RuleIssue(.product, "product_price", ["variant": "\(v.color) / \(v.size)"]))
        }
        if let catalog {
            let offered = Set(catalog.map(\.id))
            for v in variants where !offered.contains(v.id) {
                out.append(RuleIssue(.product, "product_variant_gone", ["variant": "\(v.color) / \(v.size)"]))
            }
            // A design on a print area these variants do not have (carried over from another product).
            let chosen = Set(variants.map(\.id))
            let positions = Set(catalog.filter { chosen.contains($0.id) }.flatMap { $0.areas.map(\.position) })
            for d in designs where !positions.isEmpty && !positions.contains(d.position) {
                out.append(RuleIssue(.product, "product_design_area", ["area": d.position]))
            }
        }
        if designs.isEmpty { out.append(RuleIssue(.product, "product_design")) }
        return out
    }

    /// The design on `position`, if any.
    public func design(on position: String) -> Design? { designs.first { $0.position == position } }

    /// Puts `file` on `position` (its placement kept when the area had a design), or takes the
    /// area's design away when `file` is empty.
    public mutating func setDesign(_ file: String, on position: String) {
        guard let i = designs.firstIndex(where: { $0.position == position }) else {
            if !file.isEmpty { designs.append(Design(position: position, file: file)) }
            return
        }
        if file.isEmpty { designs.remove(at: i) } else { designs[i].file = file }
    }

    /// A design's pixel size against the print area it fills (at its scale): nil when it is
    /// enough, else the size the area needs.
    public static func designShortfall(width: Int, height: Int, area: PrintArea, scale: Double) -> (width: Int, height: Int)? {
        let needW = Int((Double(area.width) * scale).rounded()), needH = Int((Double(area.height) * scale).rounded())
        // A design keeps its aspect: it must cover the area's width at that scale, or its height.
        let covers = Double(width) >= Double(needW) * 0.999 || Double(height) >= Double(needH) * 0.999
        return covers ? nil : (needW, needH)
    }
}

/// The figures of one variant's sale: what the buyer pays, what Printify and Etsy take, and
/// what is left. Costs are Printify's, in USD, turned into the shop's currency at `usdRate`.
public struct VariantFigures: Equatable, Sendable {
    public var priceCents: Int
    public var costCents: Int
    public var shippingPaidCents: Int
    public var shippingChargedCents: Int
    public var feesCents: Int
    public var profitCents: Int
    public var margin: Double

    /// Nil when the cost is not known, or the shop sells in another currency than USD without
    /// a rate to turn Printify's costs into it.
    public init?(
        priceCents: Int, costUSD: Int?, shippingUSD: Int?, shippingChargedCents: Int, currency: String, usdRate: Double?, fees: FeeTable
    ) {
        guard let costUSD, let cost = Pricing.shopCents(usd: costUSD, currency: currency, rate: usdRate),
            let shipping = Pricing.shopCents(usd: shippingUSD ?? 0, currency: currency, rate: usdRate)
        else { return nil }
        self.priceCents = priceCents
        (costCents, shippingPaidCents) = (cost, shipping)
        self.shippingChargedCents = shippingChargedCents
        feesCents = fees.fees(priceCents: priceCents, shippingCents: shippingChargedCents).total
        (profitCents, margin) = fees.profit(
            priceCents: priceCents, shippingChargedCents: shippingChargedCents, costCents: costCents, shippingPaidCents: shippingPaidCents)
    }
}

/// How prices are set for a margin (`[fees]` in config.toml): the target, the rounding, and
/// the rate that turns Printify's USD costs into the shop's currency.
public struct Pricing: Equatable, Sendable {
    public var targetMargin = 0.35
    public var rounding = FeeTable.Rounding.to99
    /// Units of the shop's currency per US dollar (nil: not set; only USD shops need none).
    public var usdRate: Double?
    public init() {}

    /// An amount in USD cents in the shop's currency (nil: another currency and no rate).
    public static func shopCents(usd: Int, currency: String, rate: Double?) -> Int? {
        guard let rate = currency == "USD" ? 1 : rate else { return nil }
        return Int((Double(usd) * rate).rounded())
    }

    /// The price of a variant that keeps the target margin, rounded as configured (nil: its
    /// cost unknown, no rate for the shop's currency, or no price can).
    public func price(costUSD: Int?, shippingUSD: Int?, shippingChargedCents: Int, currency: String, fees: FeeTable) -> Int? {
        guard let costUSD, let cost = Self.shopCents(usd: costUSD, currency: currency, rate: usdRate),
            let shipping = Self.shopCents(usd: shippingUSD ?? 0, currency: currency, rate: usdRate)
        else { return nil }
        return fees.price(
            forMargin: targetMargin, costCents: cost, shippingChargedCents: shippingChargedCents, shippingPaidCents: shipping, rounding: rounding)
    }
}
