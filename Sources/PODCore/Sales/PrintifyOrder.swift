import Foundation

/// An order Printify fulfils, with what Printify charges for it: production and shipping per
/// line, in USD cents. Measured figures (Printify's own), kept for the shop's profit.
public struct PrintifyOrder: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var productID: String
        public var variantID: Int
        public var quantity: Int
        /// What Printify charges to make the line (all its units), and to ship it.
        public var costCents: Int
        public var shippingCents: Int
        public var status: String
        /// The variant as the order names it ("Black / M").
        public var title: String
        public init(productID: String, variantID: Int, quantity: Int, costCents: Int, shippingCents: Int, status: String = "", title: String = "") {
            (self.productID, self.variantID, self.quantity, self.costCents, self.shippingCents) = (productID, variantID, quantity, costCents, shippingCents)
            (self.status, self.title) = (status, title)
        }
    }

    public var id: String
    /// The sales channel's order (an Etsy receipt id), when Printify was sent one.
    public var shopOrderID: String?
    public var status: String
    public var createdAt: Date
    /// Printify's totals: production, shipping and tax it charges (USD cents).
    public var productionCents: Int
    public var shippingCents: Int
    public var taxCents: Int
    public var lines: [Line]

    public init(
        id: String, shopOrderID: String? = nil, status: String, createdAt: Date, productionCents: Int, shippingCents: Int, taxCents: Int = 0,
        lines: [Line] = []
    ) {
        (self.id, self.shopOrderID, self.status, self.createdAt) = (id, shopOrderID, status, createdAt)
        (self.productionCents, self.shippingCents, self.taxCents, self.lines) = (productionCents, shippingCents, taxCents, lines)
    }

    /// Printify's order states after which nothing it charges changes.
    public static let settled: Set<String> = ["fulfilled", "canceled", "cancelled"]
    public var isSettled: Bool { Self.settled.contains(status) }
}
