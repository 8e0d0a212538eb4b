import Foundation

/// An entry of the shop's Etsy payment account ledger (getShopPaymentAccountLedgerEntries):
/// money in or out of the seller's balance, in the ledger's currency (minor units, a debit
/// negative). The fees Etsy actually charged are read from these: measured, where the fee
/// table only estimates.
public struct EtsyLedgerEntry: Equatable, Sendable {
    /// What a fee entry pays for. Etsy does not enumerate `ledger_type` in its Open API
    /// document; these are the types it is seen to use, each refund of one (`…_refund`) a
    /// credit of the same kind. Any other type (a payment, a deposit, sales tax Etsy collects
    /// for the state) is not a fee.
    public enum Fee: String, CaseIterable, Sendable {
        case transaction, processing, listing, offsiteAds = "offsite_ads", ads, shippingLabels = "shipping_labels", tax

        static let types: [String: Fee] = [
            "transaction": .transaction, "transaction_quantity": .transaction, "shipping_transaction": .transaction,
            "gift_wrap_fees": .transaction,
            "payment_processing_fee": .processing, "processing_fee": .processing,
            "listing": .listing, "listing_private": .listing, "renew_sold": .listing, "renew_sold_auto": .listing,
            "renew_expired": .listing, "auto_renew_expired": .listing,
            "offsite_ads_fee": .offsiteAds,
            "prolist": .ads, "etsy_ads": .ads,
            "shipping_labels": .shippingLabels, "shipping_label": .shippingLabels,
            "vat_seller_services": .tax,
        ]

        /// The kind of fee of a `ledger_type` (nil: not a fee).
        public init?(ledgerType: String) {
            var type = ledgerType.lowercased()
            if type.hasSuffix("_refund") { type.removeLast("_refund".count) }
            guard let fee = Self.types[type] else { return nil }
            self = fee
        }
    }

    public var id: Int64
    public var createdAt: Date
    public var amountCents: Int
    public var currency: String
    public var ledgerType: String
    public var description: String
    /// What the entry refers to, as Etsy says it ("receipt", "listing", "transaction"…).
    public var referenceType: String
    public var referenceID: String

    public init(
        id: Int64, createdAt: Date, amountCents: Int, currency: String, ledgerType: String, description: String = "", referenceType: String = "",
        referenceID: String = ""
    ) {
        (self.id, self.createdAt, self.amountCents, self.currency, self.ledgerType) = (id, createdAt, amountCents, currency, ledgerType)
        (self.description, self.referenceType, self.referenceID) = (description, referenceType, referenceID)
    }

    public var fee: Fee? { Fee(ledgerType: ledgerType) }
}
