import Foundation

/// What Etsy takes from a sale (`[fees]` in config.toml; Etsy's published US schedule by
/// default), and the profit and margin left once production and shipping are paid. Every
/// figure from it is an estimate: the ledger of what Etsy actually charged is another thing.
public struct FeeTable: Equatable, Sendable {
    /// Etsy's published US schedule: $0.20 a listing, 6.5 % of the price plus shipping, and
    /// payment processing of 3 % + $0.25; no Offsite Ads.
    public static let etsyUS = FeeTable(listingFeeCents: 20, transactionRate: 0.065, processingRate: 0.03, processingFixedCents: 25)

    public var listingFeeCents: Int
    /// Of the price plus the shipping charged.
    public var transactionRate: Double
    public var processingRate: Double
    public var processingFixedCents: Int
    /// Offsite Ads on a sale that came through one (15 %, or 12 % for larger shops); nil: none.
    public var offsiteAdsRate: Double?

    public init(listingFeeCents: Int, transactionRate: Double, processingRate: Double, processingFixedCents: Int, offsiteAdsRate: Double? = nil) {
        self.listingFeeCents = listingFeeCents
        self.transactionRate = transactionRate
        self.processingRate = processingRate
        self.processingFixedCents = processingFixedCents
        self.offsiteAdsRate = offsiteAdsRate
    }

    /// The fees of one sale, in minor units, each rounded to the cent.
    public struct Fees: Equatable, Sendable {
        public var listing: Int
        public var transaction: Int
        public var processing: Int
        public var offsiteAds: Int
        public var total: Int { listing + transaction + processing + offsiteAds }
    }

    public func fees(priceCents: Int, shippingCents: Int = 0) -> Fees {
        let sale = Double(priceCents + shippingCents)
        func part(_ rate: Double) -> Int { Int((sale * rate).rounded()) }
        return Fees(
            listing: listingFeeCents, transaction: part(transactionRate), processing: part(processingRate) + processingFixedCents,
            offsiteAds: offsiteAdsRate.map(part) ?? 0)
    }

    /// What is left of a sale once the fees, the production cost and the shipping paid are
    /// taken, and its margin (of the price plus the shipping charged).
    public func profit(priceCents: Int, shippingChargedCents: Int = 0, costCents: Int = 0, shippingPaidCents: Int = 0) -> (cents: Int, margin: Double) {
        let sale = priceCents + shippingChargedCents
        let left = sale - fees(priceCents: priceCents, shippingCents: shippingChargedCents).total - costCents - shippingPaidCents
        return (left, sale > 0 ? Double(left) / Double(sale) : 0)
    }

    public enum Rounding: String, Sendable { case to99 = ".99", to00 = ".00", cent }

    /// The lowest price that keeps `margin` (0.35 for 35 %), rounded up to .99, .00 or the
    /// cent; nil when no price can (the fees' rates and the margin take it all).
    public func price(forMargin margin: Double, costCents: Int, shippingChargedCents: Int = 0, shippingPaidCents: Int = 0, rounding: Rounding) -> Int? {
        let keep = 1 - transactionRate - processingRate - (offsiteAdsRate ?? 0) - margin
        guard keep > 0.001 else { return nil }
        let fixed = Double(listingFeeCents + processingFixedCents + costCents + shippingPaidCents)
        let exact = (fixed / keep).rounded(.up) - Double(shippingChargedCents)
        guard exact.isFinite, exact < Double(Checked.maxCents) else { return nil }
        var cents = max(1, Int(exact))
        // The fees are rounded to the cent: a cent or two less may still keep the margin.
        func keeps(_ c: Int) -> Bool {
            profit(priceCents: c, shippingChargedCents: shippingChargedCents, costCents: costCents, shippingPaidCents: shippingPaidCents).margin
                >= margin - 1e-9
        }
        while cents > 1, keeps(cents - 1) { cents -= 1 }
        // Rounded up, then up again while the fees that grow with it take the margin below.
        func rounded(_ c: Int) -> Int {
            switch rounding {
            case .cent: return c
            case .to00: return (c + 99) / 100 * 100
            case .to99: return c % 100 == 99 ? c : (c / 100) * 100 + 99
            }
        }
        cents = rounded(cents)
        while !keeps(cents), cents < Checked.maxCents { cents = rounded(cents + 1) }
        return cents
    }
}
