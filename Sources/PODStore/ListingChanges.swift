import Foundation
import GRDB
import PODCore

/// Why a change of a listing's state was not queued.
public enum ListingChangeRefusal: Error, Equatable, Sendable {
    /// The listing is not on a shop (demo, or not pushed yet).
    case notOnShop
    /// Etsy publishes a listing only with a photo on it (the shop has none yet).
    case needsPhoto
    /// It is in that state already.
    case already(state: String)
    /// The same change waits in the queue.
    case queued
    /// Changed here and on the shop: the conflict is settled first.
    case inConflict
    /// Pulled by an older version, its fields are not here yet (a sync brings them).
    case notSynced
}

extension Store {
    /// Queues a change of a listing's state on its shop — publish (`activateListing`, a draft or
    /// an inactive listing), take down (`deactivateListing`) or delete — as an outbox item like
    /// any other: sent once, in order, retried and reconciled. A listing pulled from the shop
    /// gets its draft here first (the outbox names drafts).
    public func queueListingChange(listingID: Int64, _ operation: OutboxOperation, now: Date) throws {
        try pool.write { db in try Self.queueListingChange(db, listingID: listingID, operation, now: now) }
    }

    static func queueListingChange(_ db: Database, listingID: Int64, _ operation: OutboxOperation, now: Date) throws {
        let provider = try checkListingChange(db, listingID: listingID, operation)
        guard let draftID = try draftForListing(db, id: listingID, now: now) else { throw ListingChangeRefusal.notOnShop }
        if try Bool.fetchOne(
            db.cachedStatement(
                sql: "SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND operation = ? AND state IN ('pending', 'in_flight'))"),
            arguments: [draftID, provider, operation.rawValue]) == true
        {
            throw ListingChangeRefusal.queued
        }
        let payload = try Self.draft(db, id: draftID)?.json() ?? "{}"
        try Self.enqueue(
            db, provider, operation, draftID: draftID, payload: payload, key: "\(operation.rawValue)-\(listingID)-\(now.timeIntervalSince1970)", now: now)
    }

    /// Whether the listing can take the change of state; its provider when it can.
    static func checkListingChange(_ db: Database, listingID: Int64, _ operation: OutboxOperation) throws -> ProviderID {
        precondition([.activateListing, .deactivateListing, .deleteListing].contains(operation))
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT provider, provider_listing_id, state, image_count, is_demo FROM listings WHERE id = ?"),
                arguments: [listingID]),
            let provider: ProviderID = row["provider"], (row["provider_listing_id"] as String?) != nil, !(row["is_demo"] as Bool)
        else { throw ListingChangeRefusal.notOnShop }
        let state: String = row["state"]
        switch operation {
        case .activateListing:
            if state == "active" { throw ListingChangeRefusal.already(state: state) }
            if (row["image_count"] as Int) == 0 { throw ListingChangeRefusal.needsPhoto }
        case .deactivateListing:
            if state != "active" { throw ListingChangeRefusal.already(state: state) }
        default: break
        }
        return provider
    }

    /// The store's row of a provider's listing.
    public func listingRowID(provider: ProviderID, providerListingID: String) throws -> Int64? {
        try pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM listings WHERE provider = ? AND provider_listing_id = ?", arguments: [provider, providerListingID])
        }
    }

    /// What `listings export --shop` writes: the seller's drafts, each with the listing it is on
    /// the shop (if any) and its state there, then the shop's listings no draft has yet.
    public func shopExport(provider: ProviderID) throws -> [(draft: ListingDraft, listingID: String?, state: String)] {
        try pool.read { db in
            var out: [(draft: ListingDraft, listingID: String?, state: String)] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.state AS draft_state, l.provider_listing_id, l.state AS listing_state FROM drafts d
                    LEFT JOIN listings l ON l.draft_id = d.id AND l.provider = ? WHERE d.is_demo = 0 ORDER BY d.id
                    """, arguments: [provider])
            {
                guard let d = try Self.draft(db, id: row["id"]) else { continue }
                out.append((d, row["provider_listing_id"], row["listing_state"] ?? row["draft_state"]))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT provider_listing_id, state, base FROM listings WHERE provider = ? AND draft_id IS NULL AND is_demo = 0
                    AND provider_listing_id IS NOT NULL AND base IS NOT NULL ORDER BY id
                    """, arguments: [provider])
            {
                guard let d = (row["base"] as String?).flatMap(ListingDraft.fromJSON) else { continue }
                out.append((d, row["provider_listing_id"], row["state"]))
            }
            return out
        }
    }

    /// The shop deleted the listing: the item is done, the listing row goes, and its draft is a
    /// draft again (it can be published anew).
    public func completeDeletion(_ item: OutboxItem, now: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, item.id])
            guard let draftID = item.entityID else { return }
            try db.execute(sql: "DELETE FROM listings WHERE draft_id = ? AND provider = ?", arguments: [draftID, item.provider])
            try db.execute(sql: "UPDATE drafts SET state = 'draft' WHERE id = ?", arguments: [draftID])
        }
    }
}
