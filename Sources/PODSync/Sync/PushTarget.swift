import Foundation
import PODCore
import PODStore

/// A listing a provider has, as the push's reconcile sees it.
struct RecentListing: Sendable {
    var id: String
    var title: String
    var createdAt: Date?
    var listing: PushedListing
}

/// What the push needs of a provider: create and update a listing from a draft, and the
/// listings it created lately (to reconcile an in-flight create). The pass (pacing, retries,
/// the breaker, reconcile) is the same for every provider.
protocol PushTarget: Sendable {
    var provider: String { get }
    var displayName: String { get }
    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing
    func update(listingID: String, _ draft: ListingDraft) throws(ProviderError) -> PushedListing
    /// Listings created since `since`, newest first.
    func recent(since: Date) throws(ProviderError) -> [RecentListing]
    /// Sends the draft's photos the listing does not have yet (by rank): safe to repeat.
    func uploadImages(listingID: String, paths: [String]) throws(ProviderError)
}

struct EtsyTarget: PushTarget {
    let client: EtsyClient
    let shopID: Int64
    var provider: String { "etsy" }
    var displayName: String { "Etsy" }

    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        pushed(try client.createDraftListing(shopID: shopID, draft: draft), draft: draft)
    }

    func update(listingID: String, _ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        guard let id = Int64(listingID) else { throw .rejected(field: nil, message: "\(listingID) is not an Etsy listing id") }
        return pushed(try client.updateListing(shopID: shopID, listingID: id, draft: draft), draft: draft)
    }

    func uploadImages(listingID: String, paths: [String]) throws(ProviderError) {
        guard let id = Int64(listingID) else { throw .rejected(field: nil, message: "\(listingID) is not an Etsy listing id") }
        let have = try client.listingImageRanks(listingID: id)
        for (i, path) in paths.enumerated() where !have.contains(i + 1) {
            try client.uploadListingImage(shopID: shopID, listingID: id, path: path, rank: i + 1)
        }
    }

    func recent(since: Date) throws(ProviderError) -> [RecentListing] {
        try client.recentDraftListings(shopID: shopID, since: since).map {
            RecentListing(id: String($0.listingID), title: $0.title, createdAt: $0.createdAt, listing: pushed($0, draft: nil))
        }
    }

    func pushed(_ l: EtsyListing, draft: ListingDraft?) -> PushedListing {
        PushedListing(
            providerListingID: String(l.listingID), shopID: String(shopID), title: l.title.isEmpty ? draft?.title ?? "" : l.title,
            state: l.state, priceCents: l.priceCents ?? draft?.priceCents ?? 0, currency: draft?.currency ?? l.currency ?? "USD",
            quantity: l.quantity > 0 ? l.quantity : draft?.quantity ?? 0, remoteUpdatedAt: l.updatedAt)
    }
}

/// Printify: a draft becomes a product of the configured template, published to the shop's
/// sales channel once created.
struct PrintifyTarget: PushTarget {
    let client: PrintifyClient
    let shopID: Int
    /// The design, uploaded once (nil until a create needs it).
    let imageID: @Sendable () throws(ProviderError) -> String
    let published: @Sendable (String, ProviderError) -> Void
    var provider: String { "printify" }
    var displayName: String { "Printify" }

    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        let product = try client.createProduct(shopID: shopID, draft: draft, imageID: try imageID())
        // The product exists from here on: a publish that fails does not make it fail.
        do { try client.publish(shopID: shopID, productID: product.id) } catch { published(product.id, error) }
        return pushed(product, draft: draft)
    }

    func update(listingID: String, _ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        pushed(try client.updateProduct(shopID: shopID, productID: listingID, draft: draft), draft: draft)
    }

    /// A product's picture is its design, sent with the product.
    func uploadImages(listingID: String, paths: [String]) throws(ProviderError) {}

    func recent(since: Date) throws(ProviderError) -> [RecentListing] {
        try client.products(shopID: shopID) { ($0.createdAt ?? .distantFuture) < since }.map {
            RecentListing(id: $0.id, title: $0.title, createdAt: $0.createdAt, listing: pushed($0, draft: nil))
        }
    }

    func pushed(_ p: PrintifyProduct, draft: ListingDraft?) -> PushedListing {
        PushedListing(
            providerListingID: p.id, shopID: String(shopID), title: p.title.isEmpty ? draft?.title ?? "" : p.title, state: "draft",
            priceCents: p.priceCents ?? draft?.priceCents ?? 0, currency: draft?.currency ?? "USD", quantity: draft?.quantity ?? 0,
            remoteUpdatedAt: p.updatedAt)
    }
}
