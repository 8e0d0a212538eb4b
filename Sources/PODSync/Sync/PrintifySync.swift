import Foundation
import PODCore
import PODStore

/// Printify (API v1): a personal access token, the configured shop (else the first), each
/// draft made into its own product (the product builder's, else the configured defaults) and
/// published to the shop's sales channel. Designs are uploaded once and their image ids kept;
/// catalog answers are kept a week.
struct PrintifyProvider: SyncProvider {
    static let displayName = "Printify"
    static let defaultRate = 10.0
    static let auth = AuthKind.token
    let settings: PrintifySettings

    init(settings values: [String: String]) { settings = PrintifySettings(values) }

    func credential(_ pass: ProviderPass) throws -> Credential? { try pass.credentials.credential(for: pass.provider.rawValue) }

    /// A client for the pass: the general pace, and the catalog's and publishing's windows.
    static func client(settings: PrintifySettings, token: String, pass: ProviderPass) -> PrintifyClient {
        let clock = pass.clock, store = pass.store, provider = pass.provider.rawValue
        return PrintifyClient(
            settings: settings, token: token, transport: pass.transport,
            pace: { (kind) throws(ProviderError) in
                if let (limit, seconds) = kind.window {
                    // A window full for longer than a pass waits: the item waits for a later pass.
                    let wait = pass.window("\(provider).\(kind)", limit, seconds).reserve(now: clock.now())
                    guard wait <= 120 else { throw .rateLimited(retryAfter: wait) }
                    clock.sleep(wait)
                }
                try pass.pace()
            },
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
    }

    func open(_ pass: ProviderPass, credential: Credential) throws -> any ProviderSession {
        let clock = pass.clock, store = pass.store, provider = pass.provider.rawValue
        let client = Self.client(settings: settings, token: credential.accessToken, pass: pass)
        let shops = try client.shops()
        guard let shop = settings.shopID.flatMap({ id in shops.first { $0.id == id } }) ?? shops.first else {
            throw ProviderError.rejected(
                field: nil, message: settings.shopID.map { "Printify has no shop \($0) for this token" } ?? "this Printify account has no shop yet")
        }
        try store.recordConnection(
            provider: provider, state: .connected, accountID: String(shop.id), accountName: shop.title, expiresAt: credential.lapsesAt, now: clock.now())
        // A shop that publishes to Etsy makes the Etsy listings itself: one side owns each listing.
        try store.setPreference("printify.sales_channel", shop.salesChannel)
        return PrintifySession(client: client, shopID: shop.id, store: store, clock: clock, uploads: ImageUpload(client: client, store: store, now: clock.now))
    }
}

/// A draft becomes its product; publishing it follows as an item of its own
/// (`activate_listing`), so a pass killed between the two carries on to it.
struct PrintifySession: ProviderSession {
    let client: PrintifyClient
    let shopID: Int
    let store: Store
    let clock: SyncClock
    /// The designs, each uploaded once (when a product first needs it).
    let uploads: ImageUpload
    var provider: ProviderID { .printify }

    /// The shop's products, as draft listings (Printify keeps no views or quantity); what
    /// they cost, and the listings they were published as; then its orders.
    func pull(into report: inout SyncReport) throws {
        let now = clock.now()
        let products = try client.products(shopID: shopID)
        let remote = products.map {
            RemoteListing(
                providerListingID: $0.id, shopID: String(shopID), title: $0.title, state: "draft", priceCents: $0.priceCents ?? 0,
                currency: "USD", quantity: 0, views: 0, favorites: 0, updatedAt: $0.updatedAt ?? now)
        }
        report.pulled += try store.mergePulledListings(provider: provider, remote, now: now)
        for p in products { try learn(p) }
        // Its orders and what Printify charges for them, back to the oldest not settled yet.
        report.orders += try store.recordPrintifyOrders(try client.orders(shopID: shopID, from: try store.printifyOrdersPullFrom()), now: now)
    }

    /// Keeps what a product's answer tells: its variants' costs, its sales channel listing and
    /// its mockups.
    private func learn(_ p: PrintifyProduct) throws {
        if let blueprint = p.blueprintID, let provider = p.providerID {
            try store.recordPrintifyCosts(blueprintID: blueprint, providerID: provider, p.costs, now: clock.now())
        }
        if let external = p.externalID { try store.recordExternalListing(printifyProductID: p.id, externalID: external) }
        try store.recordMockups(printifyProductID: p.id, p.mockups)
    }

    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        let product = try checkingCatalog { () throws(ProviderError) in
            try client.createProduct(shopID: shopID, draft: draft, imageIDs: try uploads.ids(for: try client.product(for: draft)))
        }
        try? learn(product)
        return pushed(product, draft: draft)
    }

    /// A product is sent whole (Printify's update takes its variants and print areas with it).
    func update(listingID: String, _ draft: ListingDraft, base: ListingDraft?) throws(ProviderError) -> PushedListing? {
        let product = try checkingCatalog { () throws(ProviderError) in
            try client.updateProduct(shopID: shopID, productID: listingID, draft: draft, imageIDs: try uploads.ids(for: try client.product(for: draft)))
        }
        try? learn(product)
        return pushed(product, draft: draft)
    }

    /// A product refused for its blueprint, provider or variants means the kept catalog is out
    /// of date (a blueprint taken off, a variant no longer offered): it is forgotten, so the
    /// builder reads the catalog again and says what changed.
    private func checkingCatalog(_ send: () throws(ProviderError) -> PrintifyProduct) throws(ProviderError) -> PrintifyProduct {
        do {
            return try send()
        } catch {
            if case .rejected(let field?, _) = error, ["blueprint_id", "print_provider_id", "variants", "print_areas"].contains(field) {
                try? store.forgetPrintifyCatalog()
            }
            throw error
        }
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
        var product = try client.product(shopID: shopID, productID: listingID)
        if !product.published {
            try client.publish(shopID: shopID, productID: listingID)
            product = try client.product(shopID: shopID, productID: listingID)
        }
        try? learn(product)
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

/// The designs, each uploaded the first time a product needs it and remembered in the store
/// by its source and (for a file) its size and time, so that later passes reuse the image id
/// and a file changed since is sent again.
final class ImageUpload: @unchecked Sendable {
    let client: PrintifyClient
    let store: Store
    let now: @Sendable () -> Date
    private let lock = NSLock()

    init(client: PrintifyClient, store: Store, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.store = store
        self.now = now
    }

    /// Each design file's image id, by file.
    func ids(for product: PrintProduct) throws(ProviderError) -> [String: String] {
        var out: [String: String] = [:]
        for design in product.designs where out[design.file] == nil { out[design.file] = try id(design.file) }
        return out
    }

    func id(_ source: String) throws(ProviderError) -> String {
        lock.lock()
        defer { lock.unlock() }
        var key = "image:" + source
        if let a = try? FileManager.default.attributesOfItem(atPath: source) {
            key += "#\((a[.size] as? NSNumber)?.intValue ?? 0)@\(Int((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0))"
        }
        let provider = ProviderID.printify.rawValue
        if let known = (try? store.syncCursor(provider: provider, resource: key)).flatMap({ $0 }) { return known }
        let id = try client.uploadImage(source)
        try? store.setSyncCursor(provider: provider, resource: key, cursor: id, now: now())
        return id
    }
}
