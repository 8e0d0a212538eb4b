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

/// A property of a category that a listing's variations can use (getPropertiesByTaxonomyId),
/// with the values Etsy suggests (a seller may type others).
public typealias TaxonomyProperty = Variations.Property

public struct ShippingProfile: Equatable, Sendable {
    public var id: Int
    public var title: String
    public init(id: Int, title: String) {
        self.id = id
        self.title = title
    }
}

/// A choice the shop offers a listing: a section, a return policy.
public struct ShopChoice: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case section, returnPolicy = "return_policy" }
    public var id: Int
    /// A section's title; a return policy's terms as `returns,exchanges,days` (1 or 0, and the
    /// deadline), worded by the app in the seller's language.
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
    /// The fields the seller edits, as the provider has them (nil: the provider gives none).
    public var content: ListingDraft?
    /// Everything the provider returned for it, as JSON.
    public var raw: String?
    /// Its photos on the shop (nil: the provider did not say).
    public var imageCount: Int?
    public init(
        providerListingID: String, shopID: String, title: String, state: String, priceCents: Int, currency: String,
        quantity: Int, views: Int, favorites: Int, updatedAt: Date, content: ListingDraft? = nil, raw: String? = nil, imageCount: Int? = nil
    ) {
        self.content = content
        self.raw = raw
        self.imageCount = imageCount
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
    /// The fields both sides changed (empty for a conflict kept before fields were compared).
    public var fields: [ListingField] = []
    /// The draft as it is here (nil for a listing without one).
    public var mine: ListingDraft?
    public init(listingID: Int64, draftID: Int64?, localTitle: String, remote: RemoteListing, fields: [ListingField] = [], mine: ListingDraft? = nil) {
        (self.listingID, self.draftID, self.localTitle, self.remote, self.fields, self.mine) = (listingID, draftID, localTitle, remote, fields, mine)
    }
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

    /// Replaces the shop's sections or return policies with those just read.
    public func replaceShopChoices(provider: ProviderID, _ kind: ShopChoice.Kind, _ choices: [ShopChoice]) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM shop_choices WHERE provider = ? AND kind = ?", arguments: [provider, kind.rawValue])
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO shop_choices (provider, kind, id, title) VALUES (?, ?, ?, ?)")
            for c in choices { try insert.execute(arguments: [provider, kind.rawValue, c.id, c.title]) }
        }
    }

    public func shopChoices(provider: ProviderID, _ kind: ShopChoice.Kind) throws -> [ShopChoice] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, title FROM shop_choices WHERE provider = ? AND kind = ? ORDER BY title COLLATE NOCASE, id",
                arguments: [provider, kind.rawValue]
            ).map { ShopChoice(id: $0["id"], title: $0["title"]) }
        }
    }

    /// The properties a category's listings can vary by, as the last pull read them (nil: never read).
    public func taxonomyProperties(provider: ProviderID, taxonomyID: Int) throws -> [TaxonomyProperty]? {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT json FROM taxonomy_properties WHERE provider = ? AND taxonomy_id = ?", arguments: [provider, taxonomyID]
            ).flatMap { try? JSONDecoder().decode([TaxonomyProperty].self, from: Data($0.utf8)) }
        }
    }

    public func replaceTaxonomyProperties(provider: ProviderID, taxonomyID: Int, _ properties: [TaxonomyProperty], now: Date) throws {
        let json = String(decoding: try JSONEncoder().encode(properties), as: UTF8.self)
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO taxonomy_properties (provider, taxonomy_id, json, fetched_at) VALUES (?, ?, ?, ?)",
                arguments: [provider, taxonomyID, json, now.timeIntervalSince1970])
        }
    }

    /// The categories the seller's drafts use whose properties were not read since `since`.
    public func taxonomiesNeedingProperties(provider: ProviderID, since: Date, limit: Int) throws -> [Int] {
        try pool.read { db in
            try Int.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT d.taxonomy_id FROM drafts d LEFT JOIN taxonomy_properties p ON p.provider = ? AND p.taxonomy_id = d.taxonomy_id
                    WHERE d.is_demo = 0 AND d.taxonomy_id IS NOT NULL AND (p.fetched_at IS NULL OR p.fetched_at < ?) LIMIT ?
                    """, arguments: [provider, since.timeIntervalSince1970, limit])
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

    /// Merges listings read from the provider, in one transaction. A listing that has a draft
    /// here is merged field by field against the version both started from (`base`): what only
    /// the shop changed comes into the draft, what only the seller changed stays (an update
    /// sends it), and a field both changed differently is a conflict, kept beside the listing
    /// until the seller chooses (its update waits meanwhile).
    public func mergePulledListings(provider: ProviderID, _ remote: [RemoteListing], now: Date) throws -> PullMerge {
        try pool.write { db in
            var merge = PullMerge()
            for r in remote {
                let local = try Row.fetchOne(
                    db, sql: "SELECT id, draft_id, remote_updated_at, base FROM listings WHERE provider = ? AND provider_listing_id = ?",
                    arguments: [provider, r.providerListingID])
                let t = now.timeIntervalSince1970, changed = r.updatedAt.timeIntervalSince1970
                let theirs = r.content.map(Self.shopContent)
                guard let local else {
                    // A listing another provider published (a Printify product's Etsy listing) is that provider's.
                    let maker = try Row.fetchOne(
                        db, sql: "SELECT provider, draft_id FROM listings WHERE external_id = ? AND provider <> ? LIMIT 1",
                        arguments: [r.providerListingID, provider])
                    try db.execute(
                        sql: """
                            INSERT INTO listings (provider, provider_listing_id, shop_id, owner, title, state, price_cents, currency, quantity,
                                                  views, favorites, created_at, updated_at, remote_updated_at, base, remote, image_count, draft_id)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            provider, r.providerListingID, r.shopID, maker?["provider"] ?? provider.rawValue, r.title, r.state, r.priceCents, r.currency,
                            r.quantity, r.views, r.favorites, t, t, changed, theirs?.json(), r.raw, r.imageCount ?? 0, maker?["draft_id"] as Int64?,
                        ])
                    merge.inserted += 1
                    continue
                }
                let id: Int64 = local["id"], draftID: Int64? = local["draft_id"], seen: Double? = local["remote_updated_at"]
                let base = (local["base"] as String?).flatMap(ListingDraft.fromJSON)
                if let seen, changed <= seen {
                    // Rows pulled before the fields were kept get them now.
                    if base == nil, let theirs {
                        try db.execute(sql: "UPDATE listings SET base = ?, remote = ? WHERE id = ?", arguments: [theirs.json(), r.raw, id])
                    }
                    merge.unchanged += 1
                    continue
                }
                var conflict = false
                if let draftID, let mine = try Self.draft(db, id: draftID) {
                    if let base, let theirs {
                        let (merged, conflicts) = ListingMerge.merge(base: base, mine: mine, theirs: theirs)
                        if merged != mine { _ = try Self.saveDraft(db, merged, now: now) }
                        conflict = !conflicts.isEmpty
                    } else {
                        // Kept before the fields were: any edit waiting for the provider is a conflict.
                        conflict =
                            try Bool.fetchOne(
                                db,
                                sql: """
                                    SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND operation = 'update_listing'
                                                  AND state IN ('pending', 'in_flight', 'failed'))
                                    """, arguments: [draftID, provider]) ?? false
                    }
                }
                if conflict {
                    let snapshot = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
                    try db.execute(sql: "UPDATE listings SET conflict = ?, remote = ? WHERE id = ?", arguments: [snapshot, r.raw, id])
                    merge.conflicts += 1
                } else {
                    try Self.applyRemote(db, listingID: id, r, theirs: theirs, now: now)
                    merge.updated += 1
                }
            }
            return merge
        }
    }

    /// The listing row as the provider has it, the version merges start from with it.
    static func applyRemote(_ db: Database, listingID: Int64, _ r: RemoteListing, theirs: ListingDraft?, now: Date) throws {
        try db.execute(
            sql: """
                UPDATE listings SET title = ?, state = ?, price_cents = ?, currency = ?, quantity = ?, views = ?, favorites = ?,
                    updated_at = ?, remote_updated_at = ?, conflict = NULL, base = COALESCE(?, base), remote = COALESCE(?, remote),
                    image_count = COALESCE(?, image_count) WHERE id = ?
                """,
            arguments: [
                r.title, r.state, r.priceCents, r.currency, r.quantity, r.views, r.favorites, now.timeIntervalSince1970,
                r.updatedAt.timeIntervalSince1970, theirs?.json(), r.raw, r.imageCount, listingID,
            ])
    }

    /// Only the shop's fields of a version (what `base` keeps).
    static func shopContent(_ d: ListingDraft) -> ListingDraft {
        var out = ListingDraft()
        for field in ListingMerge.shopFields { out.take(field, from: d) }
        out.currency = d.currency
        return out
    }

    static func draft(_ db: Database, id: Int64) throws -> ListingDraft? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(draftColumns) FROM drafts WHERE id = ?"), arguments: [id]).map(draft)
    }

    /// Listings in conflict, oldest first, with the fields both sides changed.
    public func listingConflicts(provider: String? = nil) throws -> [ListingConflict] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, draft_id, title, conflict, base FROM listings WHERE conflict IS NOT NULL AND (? IS NULL OR provider = ?) ORDER BY id
                    """, arguments: [provider, provider]
            ).compactMap { row in
                guard let remote = try? JSONDecoder().decode(RemoteListing.self, from: Data((row["conflict"] as String).utf8)) else { return nil }
                var c = ListingConflict(listingID: row["id"], draftID: row["draft_id"], localTitle: row["title"], remote: remote)
                if let draftID = c.draftID, let mine = try Self.draft(db, id: draftID), let theirs = remote.content,
                    let base = (row["base"] as String?).flatMap(ListingDraft.fromJSON)
                {
                    c.fields = ListingMerge.merge(base: base, mine: mine, theirs: theirs).conflicts
                    c.localTitle = mine.title
                    c.mine = mine
                }
                return c
            }
        }
    }

    /// Settles a conflict. Keeping mine: the shop's version becomes the base, so the update
    /// sends my values of the fields in conflict (queued if none waits). Taking theirs: those
    /// fields take the shop's values in the draft; an update still waiting sends only what
    /// differs, and is cancelled when nothing does.
    public func resolveConflict(listingID: Int64, keepLocal: Bool, now: Date) throws {
        try resolveConflict(listingID: listingID, takingTheirs: keepLocal ? [] : nil, now: now)
    }

    /// Settles a conflict field by field: the fields in `takingTheirs` take the shop's values,
    /// the others keep mine (nil: every field in conflict takes theirs).
    public func resolveConflict(listingID: Int64, takingTheirs: Set<ListingField>?, now: Date) throws {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT provider, draft_id, conflict, base FROM listings WHERE id = ?", arguments: [listingID]),
                let json = row["conflict"] as String?, let remote = try? JSONDecoder().decode(RemoteListing.self, from: Data(json.utf8)),
                let provider: ProviderID = row["provider"]
            else { return }
            let draftID: Int64? = row["draft_id"], t = now.timeIntervalSince1970
            guard let draftID, var mine = try Self.draft(db, id: draftID) else {
                try Self.applyRemote(db, listingID: listingID, remote, theirs: remote.content.map(Self.shopContent), now: now)
                return
            }
            // A conflict kept before the fields were: the listing row's own fields stand for theirs.
            var theirs = remote.content.map(Self.shopContent) ?? Self.shopContent(mine)
            if remote.content == nil { (theirs.title, theirs.priceCents, theirs.quantity) = (remote.title, remote.priceCents, remote.quantity) }
            let base = (row["base"] as String?).flatMap(ListingDraft.fromJSON) ?? theirs
            let conflicts = ListingMerge.merge(base: base, mine: mine, theirs: theirs).conflicts
            let taken = takingTheirs.map { Array($0) } ?? (conflicts.isEmpty ? ListingMerge.shopFields : conflicts)
            if !taken.isEmpty {
                for field in taken { mine.take(field, from: theirs) }
                _ = try Self.saveDraft(db, mine, now: now)
            }
            try Self.applyRemote(db, listingID: listingID, remote, theirs: theirs, now: now)
            let waiting = "entity_id = ? AND provider = ? AND operation = 'update_listing'"
            if ListingMerge.changed(from: theirs, to: mine).isEmpty {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE \(waiting) AND state IN ('pending', 'failed')",
                    arguments: [t, draftID, provider])
                try db.execute(sql: "UPDATE drafts SET state = 'pushed' WHERE id = ? AND state = 'queued'", arguments: [draftID])
                return
            }
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = ?, last_error = NULL, updated_at = ? WHERE \(waiting) AND state = 'pending'",
                arguments: [t, t, draftID, provider])
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS(SELECT 1 FROM outbox WHERE \(waiting) AND state IN ('pending', 'in_flight'))", arguments: [draftID, provider])
                != true
            {
                try Self.enqueue(db, provider, .updateListing, draftID: draftID, payload: mine.json(), key: "resolved-\(listingID)-\(Int(t))", now: now)
                try db.execute(sql: "UPDATE drafts SET state = 'queued' WHERE id = ?", arguments: [draftID])
            }
        }
    }

    /// The listing's fields as the shop last had them: what an update of the draft is compared
    /// with (nil before the fields were kept).
    public func listingBase(draftID: Int64, provider: ProviderID) throws -> ListingDraft? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT base FROM listings WHERE draft_id = ? AND provider = ?", arguments: [draftID, provider])
                .flatMap(ListingDraft.fromJSON)
        }
    }

    /// The draft a listing is edited in: its own, or a new one made from the shop's fields
    /// (marked `pushed`, linked to the listing). A demo or imported listing, which no shop
    /// holds, gives what its row has. Nil for a listing the store does not have, or one pulled
    /// before its fields were kept (a sync brings them; an edit must not empty the others).
    public func draftForListing(id: Int64, now: Date) throws -> Int64? {
        try pool.write { db in try Self.draftForListing(db, id: id, now: now) }
    }

    static func draftForListing(_ db: Database, id: Int64, now: Date) throws -> Int64? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT draft_id, base, is_demo, provider_listing_id, title, price_cents, currency, quantity FROM listings WHERE id = ?"),
                arguments: [id])
        else { return nil }
        if let draftID: Int64 = row["draft_id"], try Self.draft(db, id: draftID) != nil { return draftID }
        let isDemo: Bool = row["is_demo"]
        var d: ListingDraft
        let base = (row["base"] as String?).flatMap(ListingDraft.fromJSON)
        if let base {
            d = base
        } else if isDemo || (row["provider_listing_id"] as String?) == nil {
            d = ListingDraft()
            (d.title, d.priceCents, d.currency, d.quantity) = (row["title"], row["price_cents"], row["currency"], row["quantity"])
        } else {
            return nil
        }
        (d.id, d.version, d.isDemo) = (nil, nil, isDemo)
        let draftID = try Self.saveDraft(db, d, now: now, state: base == nil ? "draft" : "pushed")
        try db.cachedStatement(sql: "UPDATE listings SET draft_id = ? WHERE id = ?").execute(arguments: [draftID, id])
        return draftID
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
