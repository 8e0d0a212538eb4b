import Foundation

/// The providers PODPusher syncs with.
public enum ProviderID: String, CaseIterable, Sendable, Codable {
    case etsy, printify
}

/// What an outbox row asks a provider to do (stored as its raw value).
public enum OutboxOperation: String, CaseIterable, Sendable {
    case createListing = "create_listing", updateListing = "update_listing", uploadImages = "upload_images"
    /// A listing's state on the shop: published (a draft or an inactive listing), taken down,
    /// or deleted.
    case activateListing = "activate_listing", deactivateListing = "deactivate_listing", deleteListing = "delete_listing"
    /// The listing's inventory: its SKU, price and quantity as one product (createDraftListing
    /// and updateListing take no SKU).
    case updateInventory = "update_inventory"

    /// Sends the listing's fields (what an edit made meanwhile follows up on).
    public var sendsFields: Bool { self == .createListing || self == .updateListing }
}

/// Where an outbox row is (stored as its raw value): waiting, sent and not yet answered,
/// carried out, refused for good, or cancelled by the seller.
public enum OutboxState: String, CaseIterable, Sendable {
    case pending, inFlight = "in_flight", done, failed, cancelled
}

/// A draft listing as the seller composes it (the composer fills the rest).
public struct DraftSummary: Equatable, Sendable {
    public var id: Int64
    public var title: String
    public var state: String
    public var updatedAt: Date
    public var isDemo: Bool
    public init(id: Int64, title: String, state: String, updatedAt: Date, isDemo: Bool) {
        self.id = id
        self.title = title
        self.state = state
        self.updatedAt = updatedAt
        self.isDemo = isDemo
    }
}

/// A listing row as the listings table shows it.
public struct ListingRow: Equatable, Sendable {
    public var id: Int64
    public var title: String
    public var provider: String
    public var state: String
    public var priceCents: Int
    public var currency: String
    public var quantity: Int
    public var views: Int
    public var updatedAt: Date
    public var isDemo: Bool
    /// The provider changed it while a local edit waits: the seller chooses which to keep.
    public var hasConflict: Bool
    /// Another provider made it and edits it (an Etsy listing a Printify product was published as).
    public var owner: String?
    /// The listing a product was published as at its sales channel (a Printify product's Etsy listing id).
    public var externalID: String?
    /// An A/B experiment that has not ended switches it between variants.
    public var underExperiment = false
    public init(
        id: Int64, title: String, provider: String, state: String, priceCents: Int, currency: String,
        quantity: Int, views: Int, updatedAt: Date, isDemo: Bool, hasConflict: Bool = false
    ) {
        self.id = id
        self.title = title
        self.provider = provider
        self.state = state
        self.priceCents = priceCents
        self.currency = currency
        self.quantity = quantity
        self.views = views
        self.updatedAt = updatedAt
        self.isDemo = isDemo
        self.hasConflict = hasConflict
    }
}

/// The sort orders the trends table offers.
public enum TrendSort: String, CaseIterable, Sendable {
    /// Opportunity highest first; competition lowest first (unknown last).
    case growth, volume, opportunity, competition, keyword
}

/// The sort orders the listings table offers.
public enum ListingSort: String, CaseIterable, Sendable {
    case updated, title, price, views
}

/// What the user sees of a provider connection. Secrets never live here.
public struct ConnectionInfo: Equatable, Sendable {
    public enum State: String, Sendable { case notConnected = "not_connected", connected, expired, error }
    public var provider: String
    public var state: State
    public var accountName: String?
    public var expiresAt: Date?
    public var lastError: String?
    public init(provider: String, state: State, accountName: String?, expiresAt: Date?, lastError: String?) {
        self.provider = provider
        self.state = state
        self.accountName = accountName
        self.expiresAt = expiresAt
        self.lastError = lastError
    }
}

/// Outbox items by state.
public struct QueueCounts: Equatable, Sendable {
    public var pending = 0, inFlight = 0, done = 0, failed = 0
    public init(pending: Int = 0, inFlight: Int = 0, done: Int = 0, failed: Int = 0) {
        self.pending = pending
        self.inFlight = inFlight
        self.done = done
        self.failed = failed
    }
    public var total: Int { pending + inFlight + done + failed }
}

public struct NotificationItem: Equatable, Sendable {
    public var id: Int64
    /// A message key (with its arguments as a JSON object in `body`) or, for older rows, text.
    public var title: String
    public var body: String
    /// What it is about (`screen:quotas`…), where Enter on it goes.
    public var subject: String?
    /// weekly_digest, launch_digest, quota_reset, quota_alert, seasonal, token_expiry, demo…
    public var kind: String?
    public var createdAt: Date
    public var isRead: Bool
    public var isDemo: Bool
    /// `body` read as the message's arguments, once (views draw it every frame).
    public let args: [String: String]
    public init(id: Int64, title: String, body: String, createdAt: Date, isRead: Bool, isDemo: Bool) {
        self.id = id
        self.title = title
        self.body = body
        self.createdAt = createdAt
        self.isRead = isRead
        self.isDemo = isDemo
        args = body.hasPrefix("{") ? (try? JSONDecoder().decode([String: String].self, from: Data(body.utf8))) ?? [:] : [:]
    }
}

/// Everything the dashboard shows, read from the store in one go.
public struct DashboardData: Equatable, Sendable {
    public var window: TrendWindow
    /// The last day the trend summary covers (nil: no trend data).
    public var trendsAsOf: DayNumber?
    public var trending: [KeywordTrend]
    public var recentDrafts: [DraftSummary]
    public var queue: QueueCounts
    public var connections: [ConnectionInfo]
    public var notifications: [NotificationItem]
    public var unreadNotifications: Int
    public var listingsUsedThisMonth: Int
    public var hasSignals: Bool
    public var hasListings: Bool
    public var hasDrafts: Bool
    public var isDemo: Bool
    /// The shop's sales of the last 30 days and of the 30 before (the Sales card).
    public var sales: ShopActivity?
    public var salesBefore: ShopActivity?
    public init(
        window: TrendWindow, trendsAsOf: DayNumber?, trending: [KeywordTrend], recentDrafts: [DraftSummary],
        queue: QueueCounts, connections: [ConnectionInfo], notifications: [NotificationItem], unreadNotifications: Int,
        listingsUsedThisMonth: Int, hasSignals: Bool, hasListings: Bool, hasDrafts: Bool, isDemo: Bool
    ) {
        self.window = window
        self.trendsAsOf = trendsAsOf
        self.trending = trending
        self.recentDrafts = recentDrafts
        self.queue = queue
        self.connections = connections
        self.notifications = notifications
        self.unreadNotifications = unreadNotifications
        self.listingsUsedThisMonth = listingsUsedThisMonth
        self.hasSignals = hasSignals
        self.hasListings = hasListings
        self.hasDrafts = hasDrafts
        self.isDemo = isDemo
    }

    /// True when the store holds nothing a seller made or imported: the first-run case.
    public var isEmptyWorkspace: Bool { !hasSignals && !hasListings && !hasDrafts }
}
