import Foundation
import GRDB
import PODCore

/// Stored as its raw value ("etsy"), so a provider binds and reads like a string.
extension ProviderID: DatabaseValueConvertible {}

/// One row of the sync outbox (DESIGN.md §6), as the sync engine works on it.
public struct OutboxItem: Equatable, Sendable {
    public var id: Int64
    public var provider: ProviderID
    /// As stored; `operation` is nil for one this version does not know (a newer one wrote it).
    public var rawOperation: String
    public var operation: OutboxOperation? { OutboxOperation(rawValue: rawOperation) }
    public var entityID: Int64?
    public var payload: String
    public var idempotencyKey: String
    public var attempts: Int
    /// When the row last changed state: for an in-flight row, when it was claimed.
    public var updatedAt: Date
}

/// Where a draft stands at its provider (what the composer's first line says).
public struct ProviderStatus: Equatable, Sendable {
    public var provider: String
    /// Its newest queue item's state (nil: never queued).
    public var itemState: OutboxState?
    /// The listing's state on the shop (nil: not on it).
    public var listingState: String?
    /// The draft differs from the listing and no waiting item will send it.
    public var editWaiting = false
    /// An A/B experiment that has not ended switches the listing between variants.
    public var underExperiment = false
    public init(provider: String) { self.provider = provider }
}

/// A provider's refusal of a draft, in its own words ("title: …" names the field).
public struct Refusal: Equatable, Sendable {
    public var provider: String
    public var message: String
    /// The field the message names, when it starts with one.
    public var field: ListingField? {
        if let field = ListingField(rawValue: String(message.prefix { $0 != ":" })) { return field }
        // Printify names the product's parts: the product builder is where they are fixed.
        let parts = ["variants", "print_areas", "blueprint_id", "print_provider_id", "design"]
        return provider == ProviderID.printify.rawValue && parts.contains(where: message.contains) ? .product : nil
    }
    public init(provider: String, message: String) {
        self.provider = provider
        self.message = message
    }
}

/// A listing as a provider now holds it, after a push.
public struct PushedListing: Equatable, Sendable {
    public var providerListingID: String
    public var shopID: String
    public var title: String
    public var state: String
    public var priceCents: Int
    public var currency: String
    public var quantity: Int
    /// When the provider last changed it (its answer's timestamp), so a later pull knows the
    /// version is the one pushed.
    public var remoteUpdatedAt: Date?
    public init(
        providerListingID: String, shopID: String, title: String, state: String, priceCents: Int, currency: String, quantity: Int,
        remoteUpdatedAt: Date? = nil
    ) {
        self.remoteUpdatedAt = remoteUpdatedAt
        self.providerListingID = providerListingID
        self.shopID = shopID
        self.title = title
        self.state = state
        self.priceCents = priceCents
        self.currency = currency
        self.quantity = quantity
    }
}

extension Store {
    static let outboxColumns = "id, provider, operation, entity_id, payload, idempotency_key, attempts, updated_at"

    /// Nil for a provider this version does not know (the queries ask for one it does).
    static func outboxItem(_ r: Row) -> OutboxItem? {
        guard let provider: ProviderID = r["provider"] else { return nil }
        return OutboxItem(
            id: r["id"], provider: provider, rawOperation: r["operation"],
            entityID: r["entity_id"], payload: r["payload"], idempotencyKey: r["idempotency_key"],
            attempts: r["attempts"], updatedAt: Date(timeIntervalSince1970: r["updated_at"]))
    }

    /// Pending rows of a provider that are due, oldest due first.
    public func dueOutboxItems(provider: ProviderID, now: Date, limit: Int) throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.outboxColumns) FROM outbox WHERE state = 'pending' AND provider = ? AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [provider, now.timeIntervalSince1970, limit]
            ).compactMap(Self.outboxItem)
        }
    }

    /// In-flight rows that are due: each may or may not have reached the provider (a pass that
    /// was killed mid-request, or a timeout), so each is reconciled before it is sent again.
    public func inFlightOutboxItems(provider: ProviderID, dueBy now: Date) throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.outboxColumns) FROM outbox WHERE state = 'in_flight' AND provider = ? AND next_attempt_at <= ? ORDER BY id
                    """, arguments: [provider, now.timeIntervalSince1970]
            ).compactMap(Self.outboxItem)
        }
    }

    /// When the next pending (or in-flight, to be reconciled) row of a provider is due (nil: none waits).
    public func nextOutboxAttempt(provider: ProviderID) throws -> Date? {
        try pool.read { db in
            try Double.fetchOne(
                db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'in_flight') AND provider = ?", arguments: [provider]
            )
            .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Marks a pending row in flight before its request is sent (the mark is on disk first, so a
    /// crash after the send is found and reconciled). Returns what to send: the draft as it is
    /// now, so that an edit made while the row waited goes out, kept as the row's payload (what
    /// was sent); nil when another pass took the row.
    public func claimOutboxItem(id: Int64, now: Date) throws -> String? {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'",
                arguments: [now.timeIntervalSince1970, id])
            guard db.changesCount == 1 else { return nil }
            guard
                let current = try Row.fetchOne(
                    db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = (SELECT entity_id FROM outbox WHERE id = ?)", arguments: [id]
                ).map(Self.draft)
            else { return try String.fetchOne(db, sql: "SELECT payload FROM outbox WHERE id = ?", arguments: [id]) }
            let payload = current.json()
            try db.execute(sql: "UPDATE outbox SET payload = ? WHERE id = ?", arguments: [payload, id])
            return payload
        }
    }

    /// The provider has the listing: in one transaction the row is done, the listing is
    /// recorded (or updated) with the fields sent as its base, and the draft is marked `pushed`.
    /// Without a listing, the provider had everything already and nothing was sent.
    public func completeOutboxItem(_ item: OutboxItem, listing: PushedListing?, now: Date) throws {
        try pool.write { db in
            let t = now.timeIntervalSince1970
            try db.execute(sql: "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?", arguments: [t, item.id])
            // What went out (the claim kept it): the payload the row was queued with for rows
            // claimed before this version.
            let sentPayload = try String.fetchOne(db, sql: "SELECT payload FROM outbox WHERE id = ?", arguments: [item.id]) ?? item.payload
            let sent = ListingDraft.fromJSON(sentPayload)
            let oldBase = try item.entityID.flatMap {
                try String.fetchOne(db, sql: "SELECT base FROM listings WHERE draft_id = ? AND provider = ?", arguments: [$0, item.provider])
            }.flatMap(ListingDraft.fromJSON)
            if let listing {
                try db.execute(
                    sql: """
                        INSERT INTO listings (draft_id, provider, provider_listing_id, shop_id, owner, title, state, price_cents, currency, quantity,
                                              created_at, updated_at, remote_updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(provider, provider_listing_id) DO UPDATE SET
                            draft_id = COALESCE(draft_id, excluded.draft_id), title = excluded.title, state = excluded.state,
                            price_cents = excluded.price_cents, currency = excluded.currency, quantity = excluded.quantity,
                            updated_at = excluded.updated_at, remote_updated_at = excluded.remote_updated_at
                        """,
                    arguments: [
                        item.entityID, item.provider, listing.providerListingID, listing.shopID, item.provider, listing.title,
                        listing.state, listing.priceCents, listing.currency, listing.quantity, t, t,
                        (listing.remoteUpdatedAt ?? now).timeIntervalSince1970,
                    ])
                if let sent, item.operation?.sendsFields == true {
                    // On Etsy the SKU — and, once the listing exists, its price and quantity —
                    // are the shop's when the inventory item has written them.
                    var base = Self.shopContent(sent)
                    (base.sku, base.variations) = (oldBase?.sku ?? "", oldBase?.variations)
                    if item.provider == .etsy, let oldBase { (base.priceCents, base.quantity) = (oldBase.priceCents, oldBase.quantity) }
                    try db.execute(
                        sql: "UPDATE listings SET base = ? WHERE provider = ? AND provider_listing_id = ?",
                        arguments: [base.json(), item.provider, listing.providerListingID])
                }
            }
            // Etsy takes the SKU with the inventory only, and a new price or quantity of a
            // listing it has: they follow as an item of their own.
            if item.provider == .etsy, item.operation?.sendsFields == true, let sent,
                sent.sku != (oldBase?.sku ?? "") || sent.variations != oldBase?.variations
                    || (oldBase.map { $0.priceCents != sent.priceCents || $0.quantity != sent.quantity } ?? false)
            {
                try Self.enqueue(db, item.provider, .updateInventory, draftID: item.entityID, payload: sentPayload, key: "inventory-\(item.id)", now: now)
            }
            if let draft = item.entityID {
                try db.execute(sql: "UPDATE drafts SET state = 'pushed' WHERE id = ? AND state = 'queued'", arguments: [draft])
            }
            // Printify makes the product, then publishes it as a step of its own: a pass killed
            // between the two carries on to the publishing, never leaving it undone.
            if item.provider == .printify, item.operation == .createListing, listing != nil {
                try Self.enqueue(db, item.provider, .activateListing, draftID: item.entityID, payload: sentPayload, key: "publish-\(item.id)", now: now)
            }
            // Etsy takes photos after the listing exists: they follow as an item of their own,
            // which also deletes there the photos taken off the draft.
            let hadPhotos =
                try item.entityID.map {
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM listing_photos WHERE draft_id = ? AND provider = ?)", arguments: [$0, item.provider])
                        ?? false
                } ?? false
            if item.provider == .etsy, item.operation?.sendsFields == true, hadPhotos || !(sent?.imageList.isEmpty ?? true) {
                try Self.enqueue(db, item.provider, .uploadImages, draftID: item.entityID, payload: sentPayload, key: "images-\(item.id)", now: now)
            }
            // Edited while the request was in flight: the edit follows as an update.
            if let draftID = item.entityID, let sent, item.operation?.sendsFields == true,
                let current = try Self.draft(db, id: draftID), current.content != sent.content
            {
                try db.execute(sql: "UPDATE drafts SET state = 'queued' WHERE id = ? AND state = 'pushed'", arguments: [draftID])
                try Self.enqueue(
                    db, item.provider, .updateListing, draftID: draftID, payload: current.json(), key: "follow-up-\(item.id)", now: now)
            }
        }
    }

    /// Where a draft stands at its provider: its newest queue item, the listing's state there,
    /// and whether the draft holds an edit the listing does not have and nothing queued carries.
    public func providerStatus(draftID: Int64) throws -> ProviderStatus? {
        try pool.read { db in
            let item = try Row.fetchOne(
                db, sql: "SELECT provider, operation, state FROM outbox WHERE entity_id = ? ORDER BY id DESC LIMIT 1", arguments: [draftID])
            let listing = try Row.fetchOne(
                db,
                sql: """
                    SELECT provider, state, base,
                        EXISTS (SELECT 1 FROM experiments e WHERE e.listing_id = listings.id AND e.status != 'ended') AS under_experiment
                    FROM listings WHERE draft_id = ? AND provider_listing_id IS NOT NULL ORDER BY id LIMIT 1
                    """, arguments: [draftID])
            guard let provider: String = item?["provider"] ?? listing?["provider"] else { return nil }
            var status = ProviderStatus(provider: provider)
            status.itemState = (item?["state"] as String?).flatMap(OutboxState.init(rawValue:))
            status.listingState = listing?["state"]
            status.underExperiment = (listing?["under_experiment"] as Bool?) ?? false
            if let base = (listing?["base"] as String?).flatMap(ListingDraft.fromJSON), let draft = try Self.draft(db, id: draftID),
                status.itemState != .pending, status.itemState != .inFlight
            {
                status.editWaiting = !ListingMerge.changed(from: base, to: draft).isEmpty
            }
            return status
        }
    }

    /// The provider's refusal of a draft, when its newest queue item was refused for good.
    public func lastRefusal(draftID: Int64) throws -> Refusal? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT provider, state, last_error FROM outbox WHERE entity_id = ? ORDER BY id DESC LIMIT 1", arguments: [draftID]),
                row["state"] as String == OutboxState.failed.rawValue, let message = row["last_error"] as String?
            else { return nil }
            return Refusal(provider: row["provider"], message: message)
        }
    }

    // MARK: Photos

    /// The images this store put on a draft's listing, by the file they came from.
    public func listingPhotos(draftID: Int64, provider: ProviderID) throws -> [String: Int64] {
        try pool.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT path, image_id FROM listing_photos WHERE draft_id = ? AND provider = ?", arguments: [draftID, provider])
                    .map { ($0["path"] as String, $0["image_id"] as Int64) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The inventory is written: the listing's SKU, price, quantity and variations on the shop
    /// are the ones sent.
    public func completeInventory(_ item: OutboxItem, sent: ListingDraft, now: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, item.id])
            guard let draftID = item.entityID,
                var base = try String.fetchOne(db, sql: "SELECT base FROM listings WHERE draft_id = ? AND provider = ?", arguments: [draftID, item.provider])
                    .flatMap(ListingDraft.fromJSON)
            else { return }
            (base.sku, base.priceCents, base.quantity, base.variations) = (sent.sku, sent.priceCents, sent.quantity, sent.variations)
            try db.execute(
                sql: """
                    UPDATE listings SET base = ?, price_cents = COALESCE(?, price_cents), quantity = COALESCE(?, quantity)
                    WHERE draft_id = ? AND provider = ?
                    """, arguments: [base.json(), sent.priceCents, sent.quantity, draftID, item.provider])
        }
    }

    /// A photo sync is done: the files and their images as the listing now has them, and how
    /// many images it has in all.
    public func completePhotoSync(_ item: OutboxItem, photos: [String: Int64], count: Int, now: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, item.id])
            guard let draftID = item.entityID else { return }
            try db.execute(sql: "DELETE FROM listing_photos WHERE draft_id = ? AND provider = ?", arguments: [draftID, item.provider])
            let insert = try db.cachedStatement(sql: "INSERT INTO listing_photos (draft_id, provider, path, image_id) VALUES (?, ?, ?, ?)")
            for (path, id) in photos { try insert.execute(arguments: [draftID, item.provider, path, id]) }
            try db.execute(sql: "UPDATE listings SET image_count = ? WHERE draft_id = ? AND provider = ?", arguments: [count, draftID, item.provider])
        }
    }

    /// A pending row, due now; a row with the same key is not added twice.
    static func enqueue(_ db: Database, _ provider: ProviderID, _ operation: OutboxOperation, draftID: Int64?, payload: String, key: String, now: Date) throws {
        let t = now.timeIntervalSince1970
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO outbox (provider, operation, entity_id, payload, idempotency_key, state, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                """
        ).execute(arguments: [provider, operation.rawValue, draftID, payload, key, t, t, t])
    }

    /// To be tried again at `at`. When the request surely did not reach the provider (refused
    /// connection, 429, a reconcile that found nothing) the row is pending again; when it may
    /// have (a timeout, a broken or garbled answer) it stays in flight, to be reconciled first.
    public func rescheduleOutboxItem(id: Int64, error: String?, at: Date, mayHaveApplied: Bool, now: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
                arguments: [(mayHaveApplied ? OutboxState.inFlight : .pending).rawValue, error, at.timeIntervalSince1970, now.timeIntervalSince1970, id])
        }
    }

    /// The provider refused the row for good: it fails with the reason, and its draft goes back
    /// to `draft` so that the seller can fix it and queue it again.
    public func failOutboxItem(id: Int64, error: String, now: Date) throws {
        try pool.write { db in try Self.failOutboxItem(db, id: id, error: error, now: now) }
    }

    static func failOutboxItem(_ db: Database, id: Int64, error: String, now: Date) throws {
        try refundCreate(db, outboxID: id)
        try db.execute(
            sql: "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?", arguments: [error, now.timeIntervalSince1970, id])
        try db.execute(
            sql: "UPDATE drafts SET state = 'draft' WHERE id = (SELECT entity_id FROM outbox WHERE id = ?) AND state = 'queued'", arguments: [id])
    }

    /// What a create that cannot be sent before the provider is set up says: its state shows
    /// as "blocked: needs setup".
    public static let needsSetup = "needs setup: "

    /// The provider cannot make listings until it is set up: every create waiting for it is
    /// blocked — failed with `needsSetup` and the reason, its quota units given back — and not
    /// tried again by itself; once set up, a retry sends it (charging again). How many.
    @discardableResult
    public func blockCreates(provider: ProviderID, reason: String, now: Date) throws -> Int {
        try pool.write { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM outbox WHERE provider = ? AND operation = ? AND state = 'pending'",
                arguments: [provider, OutboxOperation.createListing.rawValue])
            for id in ids { try Self.failOutboxItem(db, id: id, error: Self.needsSetup + reason, now: now) }
            return ids.count
        }
    }

    /// The provider's listing ids that already belong to a draft (a reconcile never adopts one
    /// twice). A listing a pull brought in before its create was reconciled has no draft yet:
    /// it is exactly what the reconcile is looking for.
    public func knownProviderListingIDs(provider: ProviderID) throws -> Set<String> {
        try pool.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT provider_listing_id FROM listings WHERE provider = ? AND provider_listing_id IS NOT NULL AND draft_id IS NOT NULL
                        """, arguments: [provider]))
        }
    }

    // MARK: Quota

    /// A create takes a listing unit and one image unit per photo from the plan when it is
    /// queued (`QuotaExceeded` when the month has none left). Updates and photos of a listing
    /// the shop has are free.
    static func chargeCreate(
        _ db: Database, draftID: Int64, images: Int, provider: ProviderID, quota: (plan: PlanTier, calendar: Calendar), now: Date
    ) throws {
        let subject = "draft \(draftID)", reason = "publish:\(provider.rawValue)"
        _ = try consume(db: db, .listings, amount: 1, plan: quota.plan, reason: reason, subject: subject, now: now, calendar: quota.calendar)
        if images > 0 {
            _ = try consume(db: db, .images, amount: images, plan: quota.plan, reason: reason, subject: subject, now: now, calendar: quota.calendar)
        }
    }

    /// A create that will not happen (refused for good, given up, cancelled before it was sent)
    /// gives its units back, so a listing fixed and queued again has used one unit in all.
    static func refundCreate(_ db: Database, outboxID: Int64) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT provider, operation, entity_id FROM outbox WHERE id = ?", arguments: [outboxID]),
            row["operation"] as String == OutboxOperation.createListing.rawValue, let draftID: Int64 = row["entity_id"]
        else { return }
        try db.execute(
            sql: "DELETE FROM usage_ledger WHERE subject = ? AND reason = ?", arguments: ["draft \(draftID)", "publish:" + (row["provider"] as String)])
    }

    /// How many rows of a provider are in each state.
    public func outboxCounts(provider: ProviderID) throws -> [OutboxState: Int] {
        try pool.read { db in
            var out: [OutboxState: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox WHERE provider = ? GROUP BY state", arguments: [provider]) {
                if let state = OutboxState(rawValue: r["state"]) { out[state] = r["n"] }
            }
            return out
        }
    }
}
