import Foundation

/// An Etsy receipt (an order) with its transactions (the items bought), as Etsy reports it:
/// measured figures, in the shop's currency (minor units).
public struct EtsyReceipt: Equatable, Sendable {
    public struct Transaction: Equatable, Sendable {
        public var id: Int64
        public var listingID: Int64?
        public var title: String
        public var quantity: Int
        /// The price of one unit, and the shipping charged for the line.
        public var priceCents: Int
        public var shippingCents: Int
        public init(id: Int64, listingID: Int64?, title: String, quantity: Int, priceCents: Int, shippingCents: Int) {
            (self.id, self.listingID, self.title, self.quantity, self.priceCents, self.shippingCents) = (
                id, listingID, title, quantity, priceCents, shippingCents
            )
        }
    }

    public var id: Int64
    /// Etsy's state: paid, completed, open, payment processing, canceled, fully refunded,
    /// partially refunded.
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date
    public var currency: String
    /// What the buyer paid in all (`grandtotal`), the tax and VAT in it, the shipping charged,
    /// and what was refunded since.
    public var grandTotalCents: Int
    public var taxCents: Int
    public var shippingCents: Int
    public var refundCents: Int
    public var transactions: [Transaction]

    public init(
        id: Int64, status: String, createdAt: Date, updatedAt: Date, currency: String, grandTotalCents: Int, taxCents: Int = 0, shippingCents: Int = 0,
        refundCents: Int = 0, transactions: [Transaction] = []
    ) {
        (self.id, self.status, self.createdAt, self.updatedAt, self.currency) = (id, status, createdAt, updatedAt, currency)
        (self.grandTotalCents, self.taxCents, self.shippingCents, self.refundCents, self.transactions) =
            (grandTotalCents, taxCents, shippingCents, refundCents, transactions)
    }

    /// A sale that stands: not cancelled and not refunded in full.
    public var counts: Bool { !["canceled", "cancelled", "fully refunded"].contains(status.lowercased()) }
    /// What the shop took: what the buyer paid, less the taxes Etsy collects for the state and
    /// what was refunded (0 for a sale that does not stand).
    public var revenueCents: Int { counts ? max(0, grandTotalCents - taxCents - refundCents) : 0 }
    public var units: Int { counts ? transactions.reduce(0) { $0 + $1.quantity } : 0 }
}
