import Foundation

/// What the shop sold and how its listings were seen, over a span of time, as the store keeps
/// them (`Store.shopActivity`): the Shop screen's figures are made from this (`ShopFigures`).
public struct ShopActivity: Equatable, Sendable {
    /// A receipt that stands (not cancelled or refunded in full), in the shop's currency.
    public struct Sale: Equatable, Sendable {
        public var receiptID: Int64
        public var createdAt: Date
        public var itemsCents: Int
        public var shippingCents: Int
        public var revenueCents: Int
        public var units: Int
        public var currency: String
        public init(receiptID: Int64, createdAt: Date, itemsCents: Int, shippingCents: Int, revenueCents: Int, units: Int, currency: String) {
            (self.receiptID, self.createdAt, self.itemsCents, self.shippingCents) = (receiptID, createdAt, itemsCents, shippingCents)
            (self.revenueCents, self.units, self.currency) = (revenueCents, units, currency)
        }
    }

    /// A listing's part: its sales and how often it was seen and favourited.
    public struct Listing: Equatable, Sendable {
        public var listingID: String
        public var title: String
        /// The listing's row in the store, when it has one (a listing since deleted has none).
        public var rowID: Int64?
        public var revenueCents = 0
        public var orders = 0
        public var units = 0
        public var views = 0
        public var favorites = 0
        public init(listingID: String, title: String) { (self.listingID, self.title) = (listingID, title) }
    }

    public var sales: [Sale] = []
    /// Views and favourites by day ("yyyy-MM-dd", UTC), all listings together.
    public var views: [String: Int] = [:]
    public var favorites: [String: Int] = [:]
    public var listings: [Listing] = []
    /// What Printify charged for the orders of these sales (USD cents), and how many it made.
    public var productionUSD = 0
    public var shippingUSD = 0
    public var printifyOrders = 0
    /// Whether Etsy's ledger was read over the whole span, and the fees it charged in the span,
    /// by currency and kind (positive: what the shop paid).
    public var ledgerCovers = false
    public var ledgerFees: [String: [EtsyLedgerEntry.Fee: Int]] = [:]
    /// Whether the span's sales are the demo workspace's (`podpusher demo`), not a shop's.
    public var demo = false
    /// Whether any statistics were kept before `from` (so that the first day's views are known).
    public var statsBefore = false
    public init() {}
}
