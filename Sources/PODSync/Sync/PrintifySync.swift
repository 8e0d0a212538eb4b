import Foundation
import PODCore
import PODStore

/// Printify (API v1): a personal access token, the configured shop (else the first), drafts made
/// into products of the configured template and published to the shop's sales channel. The
/// design is uploaded once and its image id kept; catalog answers are kept a week.
struct PrintifyProvider: SyncProvider {
    static let displayName = "Printify"
    static let defaultRate = 10.0
    static let auth = AuthKind.token
    let settings: PrintifySettings

    init(settings values: [String: String]) { settings = PrintifySettings(values) }

    func credential(_ pass: ProviderPass) throws -> Credential? { try pass.credentials.credential(for: pass.provider.rawValue) }

    func open(_ pass: ProviderPass, credential: Credential) throws -> any ProviderSession {
        let clock = pass.clock, store = pass.store, provider = pass.provider.rawValue
        let client = PrintifyClient(
            settings: settings, token: credential.accessToken, transport: pass.transport, pace: pass.pace,
            catalogCache: { key, fetch in
                // "<fetched at>\n<JSON>" in the store, for a week.
                let resource = "catalog:" + key
                if let cached = try store.syncCursor(provider: provider, resource: resource), let newline = cached.firstIndex(of: "\n"),
                    let at = Double(cached[..<newline]), clock.now().timeIntervalSince1970 - at < 7 * 86_400
                {
                    return Data(cached[cached.index(after: newline)...].utf8)
                }
                let data = try fetch()
                try store.setSyncCursor(
                    provider: provider, resource: resource, cursor: "\(clock.now().timeIntervalSince1970)\n" + String(decoding: data, as: UTF8.self),
                    now: clock.now())
                return data
            })
        let shops = try client.shops()
        guard let shop = settings.shopID.flatMap({ id in shops.first { $0.id == id } }) ?? shops.first else {
            throw ProviderError.rejected(
                field: nil, message: settings.shopID.map { "Printify has no shop \($0) for this token" } ?? "this Printify account has no shop yet")
        }
        try store.recordConnection(
            provider: provider, state: .connected, accountID: String(shop.id), accountName: shop.title, expiresAt: credential.lapsesAt, now: clock.now())
        // A shop that publishes to Etsy makes the Etsy listings itself: one side owns each listing.
        try store.setPreference("printify.sales_channel", shop.salesChannel)
        let image = ImageUpload(client: client, settings: settings, store: store, now: clock.now)
        return PrintifySession(
            client: client, shopID: shop.id, store: store, clock: clock, imageID: { () throws(ProviderError) -> String in try image.id() })
    }
}

/// A draft becomes a product of the configured template; publishing it follows as an item of
/// its own (`activate_listing`), so a pass killed between the two carries on to it.
struct PrintifySession: ProviderSession {
    let client: PrintifyClient
    let shopID: Int
    let store: Store
    let clock: SyncClock
    /// The design, uploaded once (when a create first needs it).
    let imageID: @Sendable () throws(ProviderError) -> String
    var provider: ProviderID { .printify }

    /// The shop's products, as draft listings (Printify keeps no views or quantity).
    func pull(into report: inout SyncReport) throws {
        let now = clock.now()
        let remote = try client.products(shopID: shopID).map {
            RemoteListing(
                providerListingID: $0.id, shopID: String(shopID), title: $0.title, state: "draft", priceCents: $0.priceCents ?? 0,
                currency: "USD", quantity: 0, views: 0, favorites: 0, updatedAt: $0.updatedAt ?? now)
        }
        report.pulled += try store.mergePulledListings(provider: provider, remote, now: now)
    }

    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        pushed(try client.createProduct(shopID: shopID, draft: draft, imageID: try imageID()), draft: draft)
    }

    /// A product is sent whole (Printify's update takes its variants and print areas with it).
    func update(listingID: String, _ draft: ListingDraft, base: ListingDraft?) throws(ProviderError) -> PushedListing? {
        pushed(try client.updateProduct(shopID: shopID, productID: listingID, draft: draft), draft: draft)
    }

    /// A product's picture is its design, sent with the product.
    func syncPhotos(
        listingID: String, paths: [String], alts: [String: String], known: [String: Int64], since: Date
    ) throws(ProviderError) -> (photos: [String: Int64], count: Int) {
        (known, 0)
    }

    /// Publishes the product to its sales channel — once: one published already (a request
    /// sent again after a kill) is left as it is. Taking it down is the channel's (the Etsy
    /// listing Printify made is changed on Etsy).
    func setState(listingID: String, active: Bool) throws(ProviderError) -> PushedListing {
        guard active else { throw .rejected(field: nil, message: "a Printify product's state is its sales channel's: change the listing there") }
        let product = try client.product(shopID: shopID, productID: listingID)
        if !product.published { try client.publish(shopID: shopID, productID: listingID) }
        var listing = pushed(product, draft: nil)
        listing.state = "active"
        return listing
    }

    func delete(listingID: String) throws(ProviderError) {
        throw .rejected(field: nil, message: "delete Printify products in Printify")
    }

    /// A product's SKUs are its variants' (the product builder sets them).
    func updateInventory(listingID: String, _ draft: ListingDraft) throws(ProviderError) {}

    func recent(since: Date) throws(ProviderError) -> [RecentListing] {
        try client.products(shopID: shopID) { ($0.createdAt ?? .distantFuture) < since }.map {
            RecentListing(id: $0.id, title: $0.title, createdAt: $0.createdAt, listing: pushed($0, draft: nil))
        }
    }

    private func pushed(_ p: PrintifyProduct, draft: ListingDraft?) -> PushedListing {
        PushedListing(
            providerListingID: p.id, shopID: String(shopID), title: p.title.isEmpty ? draft?.title ?? "" : p.title, state: "draft",
            priceCents: p.priceCents ?? draft?.priceCents ?? 0, currency: draft?.currency ?? "USD", quantity: draft?.quantity ?? 0,
            remoteUpdatedAt: p.updatedAt)
    }
}

/// The Printify design, uploaded the first time a product needs it and remembered (by its
/// source) in the store, so that later passes reuse the image id.
final class ImageUpload: @unchecked Sendable {
    let client: PrintifyClient
    let settings: PrintifySettings
    let store: Store
    let now: @Sendable () -> Date
    private let lock = NSLock()

    init(client: PrintifyClient, settings: PrintifySettings, store: Store, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.settings = settings
        self.store = store
        self.now = now
    }

    func id() throws(ProviderError) -> String {
        guard settings.missingTemplate.isEmpty, let source = settings.image else {
            throw .notConfigured("providers.printify needs \(settings.missingTemplate.joined(separator: ", ")) to make products")
        }
        lock.lock()
        defer { lock.unlock() }
        let key = "image:" + source
        let provider = ProviderID.printify.rawValue
        if let known = (try? store.syncCursor(provider: provider, resource: key)).flatMap({ $0 }) { return known }
        let id = try client.uploadImage(source)
        try? store.setSyncCursor(provider: provider, resource: key, cursor: id, now: now())
        return id
    }
}
