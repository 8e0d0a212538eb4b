import Foundation
import PODCore
import PODStore

/// Etsy (Open API v3): OAuth with a refresh token that rotates, one shop per account, the rate
/// headers read after every answer.
struct EtsyProvider: SyncProvider {
    static let displayName = "Etsy"
    static let defaultRate = 10.0
    static let auth = AuthKind.pkce
    let settings: EtsySettings

    init(settings values: [String: String]) throws(ProviderError) { settings = try EtsySettings(values) }

    func credential(_ pass: ProviderPass) throws -> Credential? { try renewed(pass, force: false) }

    private func renewed(_ pass: ProviderPass, force: Bool) throws(ProviderError) -> Credential? {
        try pass.refresher.credential(
            provider: pass.provider.rawValue, tokenURL: settings.tokenURL, clientID: settings.clientID, now: pass.clock.now(), force: force,
            refreshLifetime: EtsySettings.refreshTokenLifetime)
    }

    private func client(_ pass: ProviderPass, token: String) -> EtsyClient {
        let limiter = pass.limiter, clock = pass.clock
        return EtsyClient(
            settings: settings, token: token, transport: pass.transport, pace: pass.pace,
            observe: { r in
                limiter.observe(
                    limitPerSecond: r.header("x-limit-per-second").flatMap(Double.init),
                    remainingThisSecond: r.header("x-remaining-this-second").flatMap(Int.init),
                    remainingToday: r.header("x-remaining-today").flatMap(Int.init), now: clock.now())
            })
    }

    func open(_ pass: ProviderPass, credential: Credential) throws -> any ProviderSession {
        var credential = credential
        var etsy = client(pass, token: credential.accessToken)
        let me: (userID: Int64, shopID: Int64?)
        do {
            me = try etsy.me()
        } catch {
            // Refused before its time (revoked, or a clock out of step): one refresh, then again.
            guard case .unauthorized = error, credential.refreshToken != nil else { throw error }
            credential = try renewed(pass, force: true) ?? credential
            etsy = client(pass, token: credential.accessToken)
            me = try etsy.me()
        }
        guard let shopID = me.shopID else {
            throw ProviderError.rejected(field: nil, message: "this Etsy account has no shop yet: open one on etsy.com first")
        }
        // The shop's name comes with the pull; until one is known, the ids stand in.
        let known = try pass.store.connections().first { $0.provider == pass.provider.rawValue }?.accountName
        try pass.store.recordConnection(
            provider: pass.provider.rawValue, state: .connected, accountID: String(me.userID),
            accountName: known == nil ? credential.account ?? "user \(me.userID), shop \(shopID)" : nil,
            expiresAt: credential.lapsesAt, now: pass.clock.now())
        return EtsySession(client: etsy, shopID: shopID, store: pass.store, clock: pass.clock)
    }
}

struct EtsySession: ProviderSession {
    let client: EtsyClient
    let shopID: Int64
    let store: Store
    let clock: SyncClock
    var provider: ProviderID { .etsy }

    /// The shop, its shipping profiles, the seller taxonomy (when a week old), the listings
    /// changed since the last pull, active and draft, the day's views and favourites, and the
    /// receipts changed since the last pull.
    func pull(into report: inout SyncReport) throws {
        let now = clock.now()
        let shop = try client.shop(shopID: shopID)
        try store.recordConnection(provider: provider.rawValue, state: .connected, accountName: shop.name, now: now)
        let profiles = try client.shippingProfiles(shopID: shopID)
        try store.replaceShippingProfiles(
            provider: provider, shopID: String(shopID), profiles: profiles.map { ShippingProfile(id: $0.id, title: $0.title) }, now: now)
        report.shippingProfiles = profiles.count
        try store.replaceShopChoices(provider: provider, .section, try client.shopSections(shopID: shopID).map { ShopChoice(id: $0.id, title: $0.title) })
        try store.replaceShopChoices(
            provider: provider, .returnPolicy,
            try client.returnPolicies(shopID: shopID).map {
                ShopChoice(id: $0.id, title: "\($0.returns ? 1 : 0),\($0.exchanges ? 1 : 0),\($0.days.map(String.init) ?? "")")
            })
        let week: TimeInterval = 7 * 86_400
        if let last = try store.syncCursor(provider: provider.rawValue, resource: "taxonomy").flatMap(Double.init), now.timeIntervalSince1970 - last < week {
            report.taxonomyNodes = 0
        } else {
            let nodes = try client.sellerTaxonomy()
            try store.replaceTaxonomy(
                provider: provider, nodes: nodes.map { TaxonomyNode(id: $0.id, parentID: $0.parentID, name: $0.name, path: $0.path, isLeaf: $0.isLeaf) })
            try store.setSyncCursor(provider: provider.rawValue, resource: "taxonomy", cursor: String(now.timeIntervalSince1970), now: now)
            report.taxonomyNodes = nodes.count
        }
        // What the categories the drafts use can vary by (the composer's variations), a week at a time.
        // A category Etsy does not know (a draft's typo) has none; it never stops the pass.
        for taxonomyID in try store.taxonomiesNeedingProperties(provider: provider, since: now.addingTimeInterval(-week), limit: 20) {
            var properties: [TaxonomyProperty] = []
            do {
                properties = try client.variationProperties(taxonomyID: taxonomyID).map { TaxonomyProperty(id: $0.id, name: $0.name, values: $0.values) }
            } catch {
                if case .rejected = error {} else if case .forbidden = error {} else { throw error }
            }
            try store.replaceTaxonomyProperties(provider: provider, taxonomyID: taxonomyID, properties, now: now)
        }
        for state in ["active", "draft"] {
            let resource = "listings." + state
            let since = try store.syncCursor(provider: provider.rawValue, resource: resource).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
            let remote = try client.shopListings(shopID: shopID, state: state, since: since).map {
                RemoteListing(
                    providerListingID: String($0.listingID), shopID: String(shopID), title: $0.title, state: $0.state,
                    priceCents: $0.priceCents ?? 0, currency: $0.currency ?? "USD", quantity: $0.quantity, views: $0.views,
                    favorites: $0.favorites, updatedAt: $0.updatedAt ?? now, content: $0.content, raw: $0.raw, imageCount: $0.imageCount)
            }
            report.pulled += try store.mergePulledListings(provider: provider, remote, now: now)
            if let newest = remote.map(\.updatedAt).max() {
                try store.setSyncCursor(provider: provider.rawValue, resource: resource, cursor: String(newest.timeIntervalSince1970), now: now)
            }
        }
        try pullStatistics(now: now)
        try pullReceipts(into: &report, now: now)
        try pullLedger(into: &report, now: now)
        // Experiments switch their listings after the day's counts are read, so that each day's
        // count belongs to the variant that was live during it; the switches go out in this pass.
        report.experimentSwitches = try store.advanceExperiments(now: now)
        report.total += report.experimentSwitches
    }

    /// Views and favourites a day: a listing's counts change without changing the listing, so
    /// the day's first pass reads every active listing in full and keeps the counts by day
    /// (UTC); a day's views are the difference from the day before.
    func pullStatistics(now: Date) throws {
        let day = ListingStats.day(now)
        guard try store.syncCursor(provider: provider.rawValue, resource: "stats.day") != day else { return }
        let listings = try client.shopListings(shopID: shopID, state: "active", since: nil)
        try store.recordListingStats(day: day, listings.map { ListingStats(listingID: String($0.listingID), views: $0.views, favorites: $0.favorites) })
        try store.setSyncCursor(provider: provider.rawValue, resource: "stats.day", cursor: day, now: now)
    }

    /// The receipts changed since the last pass; the first time, those of `salesHistory`.
    func pullReceipts(into report: inout SyncReport, now: Date) throws {
        let since = try store.syncCursor(provider: provider.rawValue, resource: "receipts").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        guard
            let receipts = try salesRead(
                into: &report,
                { () throws(ProviderError) in
                    try client.receipts(shopID: shopID, modifiedSince: since, createdSince: now.addingTimeInterval(-Self.salesHistory))
                })
        else { return }
        try store.setPreference("etsy.sales_unavailable", "")
        report.receipts += try store.recordReceipts(receipts, now: now)
        if let newest = receipts.map(\.updatedAt).max() {
            try store.setSyncCursor(provider: provider.rawValue, resource: "receipts", cursor: String(newest.timeIntervalSince1970), now: now)
        }
    }

    /// How far back the first pass reads the shop's sales: two years (a year compared with the
    /// one before).
    static let salesHistory: TimeInterval = 731 * 86_400

    /// A read of the shop's sales, or nil when Etsy refuses it for a connection made before
    /// PODPusher asked for `transactions_r`: said in the report and kept for the screen, and
    /// the pass goes on.
    func salesRead<T>(into report: inout SyncReport, _ read: () throws(ProviderError) -> T) throws -> T? {
        do {
            return try read()
        } catch {
            guard case .forbidden(let message) = error else { throw error }
            report.salesUnavailable = message
            try store.setPreference("etsy.sales_unavailable", message)
            return nil
        }
    }

    /// The ledger's entries since the last pass (a day back, for entries Etsy writes late; an
    /// entry read twice is kept once). The first time, back to the oldest receipt kept and at
    /// least 61 days (a month and the month before), so that the fees of every sale are
    /// measured without reading two years of 31-day windows; the screen estimates the fees of a
    /// period the ledger was not read over (`ledger.from`). Refused like the receipts without
    /// `transactions_r`.
    func pullLedger(into report: inout SyncReport, now: Date) throws {
        guard report.salesUnavailable == nil else { return }
        let cursor = try store.syncCursor(provider: provider.rawValue, resource: "ledger").flatMap(Double.init)
        let first = min(now.addingTimeInterval(-61 * 86_400), try store.oldestReceipt() ?? now)
        let from = cursor.map { Date(timeIntervalSince1970: $0 - 86_400) } ?? max(first, now.addingTimeInterval(-Self.salesHistory))
        guard let entries = try salesRead(into: &report, { () throws(ProviderError) in try client.ledgerEntries(shopID: shopID, from: from, to: now) })
        else { return }
        report.ledgerEntries += try store.recordLedgerEntries(entries, now: now)
        if cursor == nil {
            try store.setSyncCursor(provider: provider.rawValue, resource: "ledger.from", cursor: String(Int(from.timeIntervalSince1970)), now: now)
        }
        try store.setSyncCursor(provider: provider.rawValue, resource: "ledger", cursor: String(Int(now.timeIntervalSince1970)), now: now)
    }

    func create(_ draft: ListingDraft) throws(ProviderError) -> PushedListing {
        pushed(try client.createDraftListing(shopID: shopID, draft: draft), draft: draft)
    }

    func update(listingID: String, _ draft: ListingDraft, base: ListingDraft?) throws(ProviderError) -> PushedListing? {
        // The price, quantity and SKU go with the inventory (an item of its own), not with updateListing.
        let fields = base.map { ListingMerge.changed(from: $0, to: draft).filter(EtsyClient.updatableFields.contains) }
        if fields?.isEmpty == true { return nil }
        return pushed(try client.updateListing(shopID: shopID, listingID: try id(listingID), draft: draft, only: fields), draft: draft)
    }

    func syncPhotos(
        listingID: String, paths: [String], alts: [String: String], known: [String: Int64], since: Date
    ) throws(ProviderError) -> (photos: [String: Int64], count: Int) {
        let id = try id(listingID)
        var remote = try client.listingImages(listingID: id)
        var photos = known
        for (path, imageID) in known where !paths.contains(path) {
            try client.deleteListingImage(shopID: shopID, listingID: id, imageID: imageID)
            photos[path] = nil
            remote.removeAll { $0.id == imageID }
        }
        // In the draft's order: a file not there yet is uploaded at its place (or adopted, when
        // an upload a little before went through unanswered); one there in another place or
        // with another alt text is placed again by its id. Etsy moves the others along.
        for (i, path) in paths.enumerated() {
            let alt = alts[path] ?? ""
            let claimed = Set(photos.values)
            if photos[path] == nil, i < remote.count, !claimed.contains(remote[i].id), (remote[i].created ?? .distantPast) >= since {
                let sent = remote[i]
                photos[path] = sent.id
            }
            let at = photos[path].flatMap { imageID in remote.firstIndex { $0.id == imageID } }
            if let at, at == i, remote[at].altText == alt { continue }
            var image: EtsyClient.ListingImage
            if let at {
                image = remote.remove(at: at)
                try client.placeListingImage(shopID: shopID, listingID: id, imageID: image.id, rank: i + 1, altText: alt)
            } else {
                let imageID = try client.uploadListingImage(shopID: shopID, listingID: id, path: path, rank: i + 1, altText: alt)
                photos[path] = imageID
                image = EtsyClient.ListingImage(id: imageID, rank: i + 1, created: nil, altText: alt)
            }
            image.altText = alt
            remote.insert(image, at: min(i, remote.count))
        }
        return (photos, remote.count)
    }

    func setState(listingID: String, active: Bool) throws(ProviderError) -> PushedListing {
        pushed(try client.setListingState(shopID: shopID, listingID: try id(listingID), active: active), draft: nil)
    }

    func delete(listingID: String) throws(ProviderError) { try client.deleteListing(listingID: try id(listingID)) }

    func updateInventory(listingID: String, _ draft: ListingDraft) throws(ProviderError) {
        try client.updateInventory(listingID: try id(listingID), draft: draft)
    }

    func recent(since: Date) throws(ProviderError) -> [RecentListing] {
        try client.recentDraftListings(shopID: shopID, since: since).map {
            RecentListing(id: String($0.listingID), title: $0.title, createdAt: $0.createdAt, listing: pushed($0, draft: nil))
        }
    }

    private func id(_ listingID: String) throws(ProviderError) -> Int64 {
        guard let id = Int64(listingID) else { throw .rejected(field: nil, message: "\(listingID) is not an Etsy listing id") }
        return id
    }

    private func pushed(_ l: EtsyListing, draft: ListingDraft?) -> PushedListing {
        PushedListing(
            providerListingID: String(l.listingID), shopID: String(shopID), title: l.title.isEmpty ? draft?.title ?? "" : l.title,
            state: l.state, priceCents: l.priceCents ?? draft?.priceCents ?? 0, currency: draft?.currency ?? l.currency ?? "USD",
            quantity: l.quantity > 0 ? l.quantity : draft?.quantity ?? 0, remoteUpdatedAt: l.updatedAt)
    }
}
