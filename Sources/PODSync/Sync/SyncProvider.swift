import Foundation
import PODCore
import PODStore

/// A shop provider the sync engine pulls from and pushes to (DESIGN.md §6). The engine owns the
/// pass — the pace, retries, the circuit breaker, reconciling in-flight items, the report — and
/// asks a provider only for what differs: its settings, how it signs in, what a pull brings and
/// how a draft becomes one of its listings. A third provider is one file conforming to this,
/// plus its case in `ProviderID` and its line in `ProviderID.sync`.
protocol SyncProvider: Sendable {
    static var displayName: String { get }
    /// How the seller connects it.
    static var auth: AuthKind { get }
    /// The documented requests per second the pace starts from (rate headers correct it).
    static var defaultRate: Double { get }
    /// From the provider's table in config.toml; throws `.notConfigured` for what is missing.
    init(settings: [String: String]) throws(ProviderError)
    /// The stored credential, renewed first when it is due; nil when not connected.
    func credential(_ pass: ProviderPass) throws -> Credential?
    /// Signs in for the pass: finds the account and its shop, and records the connection.
    func open(_ pass: ProviderPass, credential: Credential) throws -> any ProviderSession
}

extension ProviderID {
    /// The one place the engine names a provider's implementation.
    var sync: any SyncProvider.Type {
        switch self {
        case .etsy: return EtsyProvider.self
        case .printify: return PrintifyProvider.self
        }
    }

    var displayName: String { sync.displayName }
}

/// What a provider is given for one pass.
struct ProviderPass: Sendable {
    let provider: ProviderID
    let store: Store
    let credentials: CredentialStore
    let refresher: TokenRefresher
    let transport: HTTPTransport
    let clock: SyncClock
    let limiter: RateLimiter
    /// Waits for the pace's next slot before a request; throws when that is further off than
    /// the pass waits.
    let pace: @Sendable () throws(ProviderError) -> Void
    /// The engine's limiter of `limit` requests in `seconds` for a key (kept across passes).
    let window: @Sendable (_ key: String, _ limit: Int, _ seconds: TimeInterval) -> WindowLimiter
    /// Reports a problem that fails no item (shown as the pass's last error).
    let note: @Sendable (String) -> Void
}

/// A provider signed in for one pass: what its pull brings, and the target of the push.
protocol ProviderSession: PushTarget {
    /// Reads what changed at the provider into the store, counted in the report.
    func pull(into report: inout SyncReport) throws
}

/// What the push needs of a provider: create and update a listing from a draft, and the
/// listings it created lately (to reconcile an in-flight create).
protocol PushTarget: Sendable {
    var provider: ProviderID { get }
    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing
    /// Sends what changed since `base` (the listing as the shop last had it; everything when
    /// nil). Nil when nothing differs: no request is made.
    func update(listingID: String, _ draft: ListingDraft, base: ListingDraft?) throws(ProviderError) -> PushedListing?
    /// Listings created since `since`, newest first.
    func recent(since: Date) throws(ProviderError) -> [RecentListing]
    /// Makes the listing's photos the draft's: the files it does not have yet are sent at their
    /// rank, the images of files taken off the draft (`known`: those this store sent) are
    /// deleted. An image made since `since` at a file's rank that no file claims is that file's,
    /// sent before its id was kept. Each image is put at its file's place with its alt text.
    /// The files' images, and how many the listing has. Safe to repeat.
    func syncPhotos(
        listingID: String, paths: [String], alts: [String: String], known: [String: Int64], since: Date
    ) throws(ProviderError) -> (photos: [String: Int64], count: Int)
    /// Publishes the listing (active) or takes it down: safe to repeat.
    func setState(listingID: String, active: Bool) throws(ProviderError) -> PushedListing
    /// Deletes the listing; one already gone counts as deleted.
    func delete(listingID: String) throws(ProviderError)
    /// Writes the draft's SKU, price and quantity as the listing's inventory.
    func updateInventory(listingID: String, _ draft: ListingDraft) throws(ProviderError)
}

/// A listing a provider has, as the push's reconcile sees it.
struct RecentListing: Sendable {
    var id: String
    var title: String
    var createdAt: Date?
    var listing: PushedListing
}

extension PullMerge {
    static func += (a: inout PullMerge, b: PullMerge) {
        a.inserted += b.inserted
        a.updated += b.updated
        a.unchanged += b.unchanged
        a.conflicts += b.conflicts
    }
}
