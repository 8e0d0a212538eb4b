import Foundation
import GRDB
import PODCore

/// A category of the provider's seller taxonomy, with its path ("Home & Living › Mugs").
public struct TaxonomyNode: Equatable, Sendable {
    public var id: Int
    public var parentID: Int?
    public var name: String
    public var path: String
    public var isLeaf: Bool
    public init(id: Int, parentID: Int?, name: String, path: String, isLeaf: Bool) {
        self.id = id
        self.parentID = parentID
        self.name = name
        self.path = path
        self.isLeaf = isLeaf
    }
}

public struct ShippingProfile: Equatable, Sendable {
    public var id: Int
    public var title: String
    public init(id: Int, title: String) {
        self.id = id
        self.title = title
    }
}

/// A listing as a pull reads it from the provider.
public struct RemoteListing: Equatable, Sendable, Codable {
    public var providerListingID: String
    public var shopID: String
    public var title: String
    public var state: String
    public var priceCents: Int
    public var currency: String
    public var quantity: Int
    public var views: Int
    public var favorites: Int
    /// When the provider last changed it.
    public var updatedAt: Date
    public init(
        providerListingID: String, shopID: String, title: String, state: String, priceCents: Int, currency: String,
        quantity: Int, views: Int, favorites: Int, updatedAt: Date
    ) {
        self.providerListingID = providerListingID
        self.shopID = shopID
        self.title = title
        self.state = state
        self.priceCents = priceCents
        self.currency = currency
        self.quantity = quantity
        self.views = views
        self.favorites = favorites
        self.updatedAt = updatedAt
    }
}

/// What a merge of pulled listings did.
public struct PullMerge: Equatable, Sendable, Codable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Changed at the provider while a local edit waits to be pushed: kept aside, not applied.
    public var conflicts = 0
    public init() {}
}

/// A listing whose provider version and local edit disagree.
public struct ListingConflict: Equatable, Sendable {
    public var listingID: Int64
    public var draftID: Int64?
    public var localTitle: String
    public var remote: RemoteListing
}

extension Store {
    // MARK: Taxonomy and shipping profiles

    /// Replaces the provider's taxonomy with the one just read (one transaction).
    public func replaceTaxonomy(provider: ProviderID, nodes: [TaxonomyNode]) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM taxonomy_nodes WHERE provider = ?", arguments: [provider])
            let insert = try db.cachedStatement(sql: "INSERT INTO taxonomy_nodes (provider, id, parent_id, name, path, is_leaf) VALUES (?, ?, ?, ?, ?, ?)")
            for n in nodes { try insert.execute(arguments: [provider, n.id, n.parentID, n.name, n.path, n.isLeaf]) }
        }
    }

    /// Leaf categories whose path contains `text` (every leaf when it is empty), by path.
    public func taxonomy(provider: ProviderID, matching text: String, limit: Int) throws -> [TaxonomyNode] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, parent_id, name, path, is_leaf FROM taxonomy_nodes
                    WHERE provider = ? AND is_leaf = 1 AND path LIKE ? ESCAPE '\\' ORDER BY path COLLATE NOCASE LIMIT ?
                    """, arguments: [provider, Self.likePattern(text.trimmingWhitespace()), limit]
            ).map(TaxonomyNode.init(row:))
        }
    }

    public func taxonomyNode(provider: ProviderID, id: Int) throws -> TaxonomyNode? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, parent_id, name, path, is_leaf FROM taxonomy_nodes WHERE provider = ? AND id = ?",
                arguments: [provider, id]
            ).map(TaxonomyNode.init(row:))
        }
    }

    public func replaceShippingProfiles(provider: ProviderID, shopID: String, profiles: [ShippingProfile], now: Date) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM shipping_profiles WHERE provider = ?", arguments: [provider])
            for p in profiles {
                try db.execute(
                    sql: "INSERT INTO shipping_profiles (provider, id, shop_id, title, updated_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [provider, p.id, shopID, p.title, now.timeIntervalSince1970])
            }
        }
    }

    public func shippingProfiles(provider: ProviderID) throws -> [ShippingProfile] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, title FROM shipping_profiles WHERE provider = ? ORDER BY title COLLATE NOCASE, id",
                arguments: [provider]
            ).map(ShippingProfile.init(row:))
        }
    }

    // MARK: Cursors

    public func syncCursor(provider: String, resource: String) throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "SELECT cursor FROM sync_cursors WHERE provider = ? AND resource = ?", arguments: [provider, resource]) }
    }

    public func setSyncCursor(provider: String, resource: String, cursor: String, now: Date) throws {
        try pool.write {
            try $0.execute(
                sql: """
                    INSERT INTO sync_cursors (provider, resource, cursor, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(provider, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                    """, arguments: [provider, resource, cursor, now.timeIntervalSince1970])
        }
    }

    // MARK: Listings

    /// Merges listings read from the provider, in one transaction. A listing the provider
    /// changed while a local edit of it waits in the outbox is not overwritten: the provider's
    /// version is kept beside it as a conflict, and its update waits until the seller chooses.
    public func mergePulledListings(provider: ProviderID, _ remote: [RemoteListing], now: Date) throws -> PullMerge {
        try pool.write { db in
            var merge = PullMerge()
            let encoder = JSONEncoder()
            for r in remote {
                let local = try Row.fetchOne(
                    db, sql: "SELECT id, draft_id, remote_updated_at FROM listings WHERE provider = ? AND provider_listing_id = ?",
                    arguments: [provider, r.providerListingID])
                let t = now.timeIntervalSince1970, changed = r.updatedAt.timeIntervalSince1970
                guard let local else {
                    try db.execute(
                        sql: """
                            INSERT INTO listings (provider, provider_listing_id, shop_id, owner, title, state, price_cents, currency, quantity,
                                                  views, favorites, created_at, updated_at, remote_updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            provider, r.providerListingID, r.shopID, provider, r.title, r.state, r.priceCents, r.currency,
                            r.quantity, r.views, r.favorites, t, t, changed,
                        ])
                    merge.inserted += 1
                    continue
                }
                let id: Int64 = local["id"], draftID: Int64? = local["draft_id"], seen: Double? = local["remote_updated_at"]
                if let seen, changed <= seen {
                    merge.unchanged += 1
                    continue
                }
                let editWaiting =
                    try draftID.map {
                        try Bool.fetchOne(
                            db,
                            sql: """
                                SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND operation = 'update_listing'
                                              AND state IN ('pending', 'in_flight', 'failed'))
                                """, arguments: [$0, provider]) ?? false
                    } ?? false
                if editWaiting {
                    let snapshot = String(decoding: try encoder.encode(r), as: UTF8.self)
                    try db.execute(sql: "UPDATE listings SET conflict = ? WHERE id = ?", arguments: [snapshot, id])
                    merge.conflicts += 1
                } else {
                    try db.execute(
                        sql: """
                            UPDATE listings SET title = ?, state = ?, price_cents = ?, currency = ?, quantity = ?, views = ?, favorites = ?,
                                updated_at = ?, remote_updated_at = ?, conflict = NULL WHERE id = ?
                            """, arguments: [r.title, r.state, r.priceCents, r.currency, r.quantity, r.views, r.favorites, t, changed, id])
                    merge.updated += 1
                }
            }
            return merge
        }
    }

    /// Listings in conflict, oldest first.
    public func listingConflicts(provider: String? = nil) throws -> [ListingConflict] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, draft_id, title, conflict FROM listings WHERE conflict IS NOT NULL AND (? IS NULL OR provider = ?) ORDER BY id
                    """, arguments: [provider, provider]
            ).compactMap { row in
                guard let remote = try? JSONDecoder().decode(RemoteListing.self, from: Data((row["conflict"] as String).utf8)) else { return nil }
                return ListingConflict(listingID: row["id"], draftID: row["draft_id"], localTitle: row["title"], remote: remote)
            }
        }
    }

    /// Settles a conflict. Keeping the local edit lets its update go to the provider (which it
    /// overwrites); taking the provider's version applies it to the listing and its draft and
    /// cancels the waiting update.
    public func resolveConflict(listingID: Int64, keepLocal: Bool, now: Date) throws {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT provider, draft_id, conflict FROM listings WHERE id = ?", arguments: [listingID]),
                let json = row["conflict"] as String?, let remote = try? JSONDecoder().decode(RemoteListing.self, from: Data(json.utf8))
            else { return }
            let provider: String = row["provider"], draftID: Int64? = row["draft_id"], t = now.timeIntervalSince1970
            if keepLocal {
                try db.execute(
                    sql: "UPDATE listings SET conflict = NULL, remote_updated_at = ? WHERE id = ?",
                    arguments: [remote.updatedAt.timeIntervalSince1970, listingID])
                if let draftID {
                    try db.execute(
                        sql: """
                            UPDATE outbox SET next_attempt_at = ?, last_error = NULL, updated_at = ? WHERE entity_id = ? AND provider = ?
                            AND operation = 'update_listing' AND state = 'pending'
                            """, arguments: [t, t, draftID, provider])
                }
                return
            }
            try db.execute(
                sql: """
                    UPDATE listings SET title = ?, state = ?, price_cents = ?, quantity = ?, views = ?, favorites = ?, updated_at = ?,
                        remote_updated_at = ?, conflict = NULL WHERE id = ?
                    """,
                arguments: [
                    remote.title, remote.state, remote.priceCents, remote.quantity, remote.views, remote.favorites, t,
                    remote.updatedAt.timeIntervalSince1970, listingID,
                ])
            if let draftID {
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE entity_id = ? AND provider = ? AND operation = 'update_listing'
                        AND state IN ('pending', 'failed')
                        """, arguments: [t, draftID, provider])
                try db.execute(
                    sql: "UPDATE drafts SET title = ?, price_cents = ?, quantity = ?, state = 'pushed', updated_at = ?, version = version + 1 WHERE id = ?",
                    arguments: [remote.title, remote.priceCents, remote.quantity, t, draftID])
            }
        }
    }

    /// The provider's listing a draft became (nil before its first push), and whether a
    /// conflict holds its updates back.
    public func pushedListing(draftID: Int64, provider: ProviderID) throws -> (providerListingID: String, inConflict: Bool)? {
        try pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT provider_listing_id, conflict IS NOT NULL AS in_conflict FROM listings WHERE draft_id = ? AND provider = ? AND provider_listing_id IS NOT NULL
                    """, arguments: [draftID, provider]
            ).map { ($0["provider_listing_id"], $0["in_conflict"]) }
        }
    }
}
