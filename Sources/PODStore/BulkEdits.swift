import Foundation
import GRDB
import PODCore

/// What a bulk edit does to the listings it is given: each one changed (with its rule check),
/// refused (with why), or left as it was.
public struct BulkOutcome: Equatable, Sendable {
    public struct StateChange: Equatable, Sendable {
        public var from: String
        public var to: String
    }
    public struct Row: Equatable, Sendable {
        /// The store's listing row.
        public var listingID: Int64
        public var title: String
        /// The fields that change (empty for a change of state).
        public var changes: [FieldChange] = []
        /// A change of state: the state now and the one it goes to.
        public var state: StateChange?
        /// The rules the changed listing breaks: it is not queued.
        public var issues: [RuleIssue] = []
        /// Why it cannot take the change at all.
        public var refusal: ListingChangeRefusal?
        public var refused: Bool { refusal != nil || !issues.isEmpty }

        public init(listingID: Int64, title: String) {
            self.listingID = listingID
            self.title = title
        }
    }
    /// The listings that change or are refused, in the order given.
    public var rows: [Row] = []
    /// Listings the change leaves as they are (already so, or already queued).
    public var unchanged = 0
    public var changed: Int { rows.count - refused }
    public var refused: Int { rows.filter(\.refused).count }
    public init() {}
}

extension Store {
    /// What the bulk edit would do to these listings; writes nothing.
    public func previewBulkEdit(_ edit: BulkEdit, listingIDs: [Int64]) throws -> BulkOutcome {
        try pool.read { db in try Self.bulkEdit(db, edit, listingIDs, now: nil) }
    }

    /// Makes the bulk edit in one transaction: each listing that changes and passes the rules
    /// has its draft saved and an update queued (one per listing: a waiting update sends the
    /// draft as it is when sent); a change of state is queued like `queueListingChange`.
    /// Updates are free (no quota unit).
    @discardableResult
    public func applyBulkEdit(_ edit: BulkEdit, listingIDs: [Int64], now: Date) throws -> BulkOutcome {
        try pool.write { db in try Self.bulkEdit(db, edit, listingIDs, now: now) }
    }

    /// With `now` nil, a dry run.
    static func bulkEdit(_ db: Database, _ edit: BulkEdit, _ ids: [Int64], now: Date?) throws -> BulkOutcome {
        var out = BulkOutcome()
        let fetch = try db.cachedStatement(
            sql: """
                SELECT provider, provider_listing_id, state, is_demo, draft_id, base, conflict IS NOT NULL AS in_conflict, title
                FROM listings WHERE id = ?
                """)
        let waiting = try db.cachedStatement(
            sql: """
                SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND operation = 'update_listing'
                              AND state IN ('pending', 'in_flight'))
                """)
        for id in ids {
            guard let row = try Row.fetchOne(fetch, arguments: [id]) else { continue }
            var result = BulkOutcome.Row(listingID: id, title: row["title"])
            guard let provider: ProviderID = row["provider"], (row["provider_listing_id"] as String?) != nil, !(row["is_demo"] as Bool) else {
                result.refusal = .notOnShop
                out.rows.append(result)
                continue
            }
            if edit.changesState {
                let operation: OutboxOperation = edit == .activate ? .activateListing : .deactivateListing
                do {
                    _ = try checkListingChange(db, listingID: id, operation)
                    if let now { try queueListingChange(db, listingID: id, operation, now: now) }
                    result.state = BulkOutcome.StateChange(from: row["state"], to: edit == .activate ? "active" : "inactive")
                } catch let refusal as ListingChangeRefusal {
                    switch refusal {
                    case .already, .queued:
                        out.unchanged += 1
                        continue
                    default: result.refusal = refusal
                    }
                }
                out.rows.append(result)
                continue
            }
            if row["in_conflict"] as Bool {
                result.refusal = .inConflict
                out.rows.append(result)
                continue
            }
            let own = try (row["draft_id"] as Int64?).flatMap { try Self.draft(db, id: $0) }
            guard let current = own ?? (row["base"] as String?).flatMap(ListingDraft.fromJSON) else {
                result.refusal = .notSynced
                out.rows.append(result)
                continue
            }
            let edited = edit.apply(to: current)
            result.changes = FieldChange.between(current, edited)
            guard !result.changes.isEmpty else {
                out.unchanged += 1
                continue
            }
            result.title = edited.title
            result.issues = ListingRules.check(edited)
            out.rows.append(result)
            guard result.issues.isEmpty, let now else { continue }
            // The draft (made from the shop's fields now if it had none), edited and queued.
            var saved = edited
            if own == nil {
                guard let made = try draftForListing(db, id: id, now: now).flatMap({ try Self.draft(db, id: $0) }) else { continue }
                saved = edit.apply(to: made)
            }
            let draftID = try saveDraft(db, saved, now: now, state: "queued")
            if try Bool.fetchOne(waiting, arguments: [draftID, provider]) != true {
                try enqueue(
                    db, provider, .updateListing, draftID: draftID, payload: saved.json(), key: "bulk-\(draftID)-\(now.timeIntervalSince1970)", now: now)
            }
        }
        return out
    }
}
