import Foundation

/// The shop's figures over a period, each with where it comes from: measured (Etsy's receipts,
/// its ledger, Printify's orders, Etsy's daily counts) or estimated (Etsy's fees from the fee
/// table, until the ledger is read).
public struct ShopFigures: Equatable, Sendable {
    public var revenueCents = 0
    public var orders = 0
    public var units = 0
    /// Views and favourites; nil when no day of the period was counted after one before it.
    public var views: Int?
    public var favorites: Int?
    /// What Printify charged to make and ship the period's orders, in the shop's currency (nil:
    /// the shop sells in another currency and no `[fees] usd_rate` is set).
    public var productionCents: Int?
    public var shippingPaidCents: Int?
    /// How many of the orders Printify made (the others' costs are not known here).
    public var printifyOrders = 0
    /// Etsy's fees: what its ledger says it charged in the period (`feesMeasured`), or, until
    /// the ledger is read (or when it is kept in another currency), estimated from the fee table
    /// on each sale.
    public var feesCents = 0
    public var feesMeasured = false
    /// The ledger's fees by kind (empty when estimated).
    public var feeParts: [EtsyLedgerEntry.Fee: Int] = [:]

    public var averageOrderCents: Int? { orders > 0 ? revenueCents / orders : nil }
    /// Orders per view.
    public var conversion: Double? { views.flatMap { $0 > 0 ? Double(orders) / Double($0) : nil } }
    /// Whether the profit is measured throughout: the fees from the ledger, and Printify's
    /// costs known for every order.
    public var profitMeasured: Bool { feesMeasured && printifyOrders == orders }
    /// Revenue less production, shipping paid and fees (nil while a cost cannot be turned into
    /// the shop's currency).
    public var profitCents: Int? {
        guard let productionCents, let shippingPaidCents else { return nil }
        return revenueCents - productionCents - shippingPaidCents - feesCents
    }

    public init() {}

    /// The figures of `activity`: the fees from Etsy's ledger when it was read over the span and is kept in
    /// the shop's currency, else estimated per sale (each unit past the first pays the listing
    /// fee again, as Etsy renews a listing per unit sold); Printify's USD charges in the shop's
    /// currency at `usdRate`.
    public init(_ activity: ShopActivity, fees: FeeTable, currency: String, usdRate: Double?) {
        for sale in activity.sales {
            revenueCents += sale.revenueCents
            orders += 1
            units += sale.units
            feesCents += fees.fees(priceCents: sale.itemsCents, shippingCents: sale.shippingCents).total + fees.listingFeeCents * max(0, sale.units - 1)
        }
        if activity.statsBefore || !activity.views.isEmpty {
            views = activity.views.values.reduce(0, +)
            favorites = activity.favorites.values.reduce(0, +)
        }
        productionCents = Pricing.shopCents(usd: activity.productionUSD, currency: currency, rate: usdRate)
        shippingPaidCents = Pricing.shopCents(usd: activity.shippingUSD, currency: currency, rate: usdRate)
        printifyOrders = activity.printifyOrders
        if activity.ledgerCovers, activity.ledgerFees.keys.allSatisfy({ $0 == currency }) {
            feeParts = activity.ledgerFees[currency] ?? [:]
            feesCents = feeParts.values.reduce(0, +)
            feesMeasured = true
        }
    }

    /// The change from `before` to `now` as a share (nil when there was nothing before).
    public static func change(_ now: Int?, from before: Int?) -> Double? {
        guard let now, let before, before != 0 else { return nil }
        return Double(now - before) / Double(abs(before))
    }
}
