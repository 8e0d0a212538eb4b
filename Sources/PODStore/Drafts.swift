import Foundation
import GRDB
import PODCore

/// A saved revision of a draft, as the revisions list shows it.
public struct RevisionInfo: Equatable, Sendable {
    public var id: Int64
    public var createdAt: Date
    public var note: String
    public var title: String
}

/// An outbox row as the publish queue shows it.
public struct QueueItem: Equatable, Sendable {
    public var id: Int64
    public var provider: String
    /// Nil for an operation this version does not know.
    public var operation: OutboxOperation?
    public var draftID: Int64?
    public var title: String
    public var state: OutboxState
    public var attempts: Int
    public var lastError: String?
    public var updatedAt: Date
}

/// The orders the drafts list offers.
public enum DraftSort: String, CaseIterable, Sendable {
    case updated, title
}

/// A save made from an older version of a draft than the store holds: another terminal saved
/// it meanwhile. Nothing was written; `Store.keepAside` keeps the stale text as a revision.
public struct StaleDraft: Error, Equatable {
    public var draftID: Int64
    public init(draftID: Int64) { self.draftID = draftID }
}

public enum QueueError: Error, Equatable, CustomStringConvertible {
    case rulesFailing([RuleIssue])
    case alreadyQueued(provider: String)
    /// A create retried after the draft's listing was made on the provider (by a later item).
    case alreadyCreated(provider: String)
    /// The Printify shop publishes to Etsy, and the draft already goes through `owner`: one
    /// side owns each listing, never both.
    case ownedBy(provider: String)
    public var description: String {
        switch self {
        case .rulesFailing(let issues): return "the draft breaks \(issues.count) rule(s)"
        case .alreadyQueued(let p): return "the draft is already queued for \(p)"
        case .alreadyCreated(let p): return "the draft is already a listing on \(p): edit it and save instead"
        case .ownedBy(let p):
            return "the draft's Etsy listing is owned by \(p) (the Printify shop publishes to Etsy): one side owns each listing, never both"
        }
    }
}

extension Store {
    static let draftColumns = """
        id, title, description, tags, materials, styles, price_cents, currency, quantity, taxonomy_id, who_made, when_made,
        shipping_profile_id, sku, language, niche, keyword, product_type, step, is_demo, tone, audience, brand_rules, keywords,
        occasion, holiday, recipient, images, version, shop_section_id, return_policy_id, variations, image_alts, product
        """

    /// Saves the draft (a new row when it has no id, or when its row was deleted meanwhile)
    /// and returns its id. Never checks the rules: saving always works.
    @discardableResult
    public func saveDraft(_ d: ListingDraft, now: Date) throws -> Int64 {
        try pool.write { try Self.saveDraft($0, d, now: now) }
    }

    /// The columns a save writes, in the order of `draftValues`.
    static let draftWriteColumns = [
        "title", "description", "tags", "materials", "styles", "price_cents", "currency", "quantity",
        "taxonomy_id", "who_made", "when_made", "shipping_profile_id", "sku", "language", "niche",
        "keyword", "product_type", "step", "is_demo", "tone", "audience", "brand_rules", "keywords",
        "occasion", "holiday", "recipient", "images", "shop_section_id", "return_policy_id", "variations", "image_alts", "product", "updated_at",
    ]
    static let draftUpdateSQL =
        "UPDATE drafts SET \(draftWriteColumns.map { "\($0) = ?" }.joined(separator: ", ")), state = COALESCE(?, state), version = version + 1 WHERE id = ?"
    /// The same, only from the version the draft was read at.
    static let draftVersionedUpdateSQL = draftUpdateSQL + " AND version = ?"
    static let draftInsertSQL =
        "INSERT INTO drafts (\(draftWriteColumns.joined(separator: ", ")), state, created_at, id) VALUES (\(Array(repeating: "?", count: draftWriteColumns.count).joined(separator: ", ")), COALESCE(?, 'draft'), ?, ?)"

    static func draftValues(_ d: ListingDraft, now: Date) -> [(any DatabaseValueConvertible)?] {
        [
            d.title, d.description, jsonList(d.tags), jsonList(d.materials), jsonList(d.styles), d.priceCents, d.currency, d.quantity,
            d.taxonomyID, d.whoMade?.rawValue, d.whenMade.isEmpty ? nil : d.whenMade, d.shippingProfileID, d.sku.isEmpty ? nil : d.sku,
            d.language, d.niche, d.keyword, d.productType, d.step, d.isDemo, d.tone.rawValue, d.audience, d.brandRules,
            jsonList(d.keywords), d.occasion, d.holiday, d.recipient, jsonList(d.imageList), d.shopSectionID, d.returnPolicyID,
            json(d.variations), json(d.imageAlts.flatMap { $0.isEmpty ? nil : $0 }), json(d.product), now.timeIntervalSince1970,
        ]
    }

    /// A value as JSON text (nil stays NULL).
    static func json<T: Encodable>(_ value: T?) -> String? {
        value.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A list as a JSON array of strings (what `draft(_:)` reads back).
    static func jsonList(_ items: [String]) -> String {
        var out = "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            out += "\""
        }
        return out + "]"
    }

    /// Throws `StaleDraft` when the draft carries a version and the row has moved on from it.
    static func saveDraft(_ db: Database, _ d: ListingDraft, now: Date, state: String? = nil) throws -> Int64 {
        var values = draftValues(d, now: now)
        values.append(state)
        if let id = d.id {
            let update = try db.cachedStatement(sql: d.version == nil ? draftUpdateSQL : draftVersionedUpdateSQL)
            try update.execute(arguments: StatementArguments(values + [id] + (d.version.map { [$0] } ?? [])))
            if db.changesCount > 0 { return id }
            if d.version != nil, try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM drafts WHERE id = ?)", arguments: [id]) == true {
                throw StaleDraft(draftID: id)
            }
        }
        let insert = try db.cachedStatement(sql: draftInsertSQL)
        try insert.execute(arguments: StatementArguments(values + [now.timeIntervalSince1970, d.id]))
        return db.lastInsertedRowID
    }

    public func draft(id: Int64) throws -> ListingDraft? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = ?", arguments: [id]).map(Self.draft)
        }
    }

    /// A JSON array of strings as stored (empty when missing or not one).
    static func decodeList(_ s: String?) -> [String] { s.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [] }

    static func draft(_ r: Row) -> ListingDraft {
        let list = decodeList
        var d = ListingDraft(id: r["id"])
        d.title = r["title"]
        d.description = r["description"]
        d.tags = list(r["tags"])
        d.materials = list(r["materials"])
        d.styles = list(r["styles"])
        let images = list(r["images"])
        d.images = images.isEmpty ? nil : images
        d.priceCents = r["price_cents"]
        d.currency = r["currency"]
        d.quantity = r["quantity"]
        d.taxonomyID = r["taxonomy_id"]
        d.whoMade = (r["who_made"] as String?).flatMap(WhoMade.init(rawValue:))
        d.whenMade = r["when_made"] ?? ""
        d.shippingProfileID = r["shipping_profile_id"]
        (d.shopSectionID, d.returnPolicyID) = (r["shop_section_id"], r["return_policy_id"])
        d.variations = (r["variations"] as String?).flatMap { try? JSONDecoder().decode(Variations.self, from: Data($0.utf8)) }
        d.imageAlts = (r["image_alts"] as String?).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        d.product = (r["product"] as String?).flatMap { try? JSONDecoder().decode(PrintProduct.self, from: Data($0.utf8)) }
        d.sku = r["sku"] ?? ""
        d.language = r["language"]
        d.niche = r["niche"] ?? ""
        d.keyword = r["keyword"] ?? ""
        d.productType = r["product_type"] ?? ""
        d.step = r["step"]
        d.isDemo = r["is_demo"]
        d.tone = Tone(rawValue: r["tone"]) ?? .friendly
        d.audience = r["audience"]
        d.brandRules = r["brand_rules"]
        d.keywords = list(r["keywords"])
        d.occasion = r["occasion"]
        d.holiday = r["holiday"]
        d.recipient = r["recipient"]
        d.version = r["version"]
        return d
    }

    /// After a `StaleDraft`: the stale text is kept as a revision of the draft (unless the
    /// newest revision already holds it), and the draft as the store has it is returned with
    /// that revision's id.
    public func keepAside(_ stale: ListingDraft, now: Date) throws -> (current: ListingDraft, revisionID: Int64)? {
        guard let id = stale.id else { return nil }
        return try pool.write { db in
            guard let current = try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = ?", arguments: [id]).map(Self.draft) else {
                return nil
            }
            var snapshot = stale
            snapshot.version = nil
            let json = snapshot.json()
            if let newest = try Row.fetchOne(db, sql: "SELECT id, snapshot FROM draft_revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1", arguments: [id]),
                (newest["snapshot"] as String?) == json
            {
                return (current, newest["id"])
            }
            return (current, try Self.insertRevision(db, draftID: id, json: json, note: "conflict: saved in another terminal meanwhile", now: now))
        }
    }

    /// One page of drafts whose title contains `filter`, in the given order.
    public func drafts(offset: Int, limit: Int, sort: DraftSort, filter: String) throws -> [DraftSummary] {
        try pool.read { db in
            let whereClause = filter.isEmpty ? "" : "WHERE title LIKE ? ESCAPE '\\'"
            let filterArgs: StatementArguments = filter.isEmpty ? [] : [Self.likePattern(filter)]
            let order = sort == .updated ? "updated_at DESC, id DESC" : "title COLLATE NOCASE, id"
            return try DraftSummary.fetchAll(
                db, sql: "SELECT id, title, state, updated_at, is_demo FROM drafts \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: filterArgs + [limit, offset])
        }
    }

    /// How many drafts have `filter` in their title.
    public func draftCount(filter: String) throws -> Int { try pool.read { try Self.draftCount($0, filter: filter) } }

    static func draftCount(_ db: Database, filter: String) throws -> Int {
        if filter.isEmpty { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts") ?? 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE title LIKE ? ESCAPE '\\'", arguments: [Self.likePattern(filter)]) ?? 0
    }

    public func deleteDraft(id: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM drafts WHERE id = ?", arguments: [id]) }
    }

    /// A copy of the draft as a new draft (no revisions, not queued); returns its id.
    public func duplicateDraft(id: Int64, now: Date) throws -> Int64? {
        try pool.write { db in
            guard var d = try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = ?", arguments: [id]).map(Self.draft) else { return nil }
            d.id = nil
            d.isDemo = false
            return try Self.saveDraft(db, d, now: now)
        }
    }

    /// An explicit save: the draft and a revision holding its snapshot, in one transaction.
    @discardableResult
    public func saveRevision(_ d: ListingDraft, note: String, now: Date) throws -> (draftID: Int64, revisionID: Int64) {
        try pool.write { db in
            let id = try Self.saveDraft(db, d, now: now)
            var snapshot = d
            snapshot.id = id
            snapshot.version = nil
            return (id, try Self.insertRevision(db, draftID: id, json: snapshot.json(), note: note, now: now))
        }
    }

    /// Keeps a snapshot of a draft (its JSON) in its history; returns the revision's id.
    static func insertRevision(_ db: Database, draftID: Int64, json: String, note: String, now: Date) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO draft_revisions (draft_id, snapshot, note, created_at) VALUES (?, ?, ?, ?)",
            arguments: [draftID, json, note, now.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// A draft's revisions, newest first.
    public func revisions(draftID: Int64) throws -> [RevisionInfo] {
        try pool.read { db in
            try RevisionInfo.fetchAll(
                db, sql: "SELECT id, created_at, note, snapshot FROM draft_revisions WHERE draft_id = ? ORDER BY created_at DESC, id DESC",
                arguments: [draftID])
        }
    }

    /// The draft as a revision saved it.
    public func revision(id: Int64) throws -> ListingDraft? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT snapshot FROM draft_revisions WHERE id = ?", arguments: [id]).flatMap(ListingDraft.fromJSON)
        }
    }

    /// Queues a draft for a provider: the draft (state `queued`), its outbox row and, with a
    /// plan given, the month's quota (a listing and its photos, when it is created rather than
    /// updated) are written in one transaction. Refused when a rule fails, the draft already
    /// waits for the provider, or the plan's limit is reached (`QuotaExceeded`; nothing written).
    @discardableResult
    public func queueDraft(
        _ d: ListingDraft, provider: ProviderID, now: Date,
        quota: (plan: PlanTier, calendar: Calendar)? = nil
    ) throws -> (draftID: Int64, outboxID: Int64) {
        var issues = ListingRules.check(d)
        if provider == .printify, let product = d.product { issues += product.issues(listingPrice: d.priceCents) }
        if !issues.isEmpty { throw QueueError.rulesFailing(issues) }
        return try pool.write { db in
            if let id = d.id,
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND state IN ('pending', 'in_flight'))
                        """, arguments: [id, provider.rawValue]) == true
            {
                throw QueueError.alreadyQueued(provider: provider.rawValue)
            }
            // A Printify shop linked to Etsy makes the Etsy listing itself.
            if let id = d.id, try String.fetchOne(db, sql: "SELECT value FROM preferences WHERE key = 'printify.sales_channel'") == ProviderID.etsy.rawValue {
                let other = provider == .etsy ? ProviderID.printify : .etsy
                let owned =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND state NOT IN ('cancelled', 'failed'))
                            """, arguments: [id, other.rawValue]) ?? false
                if owned { throw QueueError.ownedBy(provider: other.rawValue) }
            }
            let id = try Self.saveDraft(db, d, now: now, state: "queued")
            var payload = d
            payload.id = id
            let attempt =
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND provider = ?", arguments: [id, provider.rawValue]) ?? 0) + 1
            // A draft the provider already has is updated there, never created twice.
            let pushed =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM listings WHERE draft_id = ? AND provider = ? AND provider_listing_id IS NOT NULL)",
                    arguments: [id, provider.rawValue]) ?? false
            if let quota, !pushed { try Self.chargeCreate(db, draftID: id, images: d.imageList.count, provider: provider, quota: quota, now: now) }
            try Self.enqueue(
                db, provider, pushed ? .updateListing : .createListing, draftID: id, payload: payload.json(),
                key: "draft-\(id)-\(provider.rawValue)-\(attempt)",
                now: now)
            return (id, db.lastInsertedRowID)
        }
    }

    /// Imports drafts in one transaction: `produce` hands each draft to `insert`; when it
    /// throws, nothing is imported. Returns how many were.
    public func importDrafts(now: Date, _ produce: (_ insert: (ListingDraft) throws -> Void) throws -> Void) throws -> Int {
        try pool.write { db in
            var count = 0
            try produce { draft in
                _ = try Self.saveDraft(db, draft, now: now)
                count += 1
            }
            return count
        }
    }

    /// The seller's drafts (demo rows left out), oldest first: what `listings export` writes.
    public func exportableDrafts() throws -> [ListingDraft] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE is_demo = 0 ORDER BY id").map(Self.draft)
        }
    }

    /// Drafts by id (those that exist), or every draft in state `draft` when `ids` is nil.
    public func draftsToPublish(ids: [Int64]?) throws -> [ListingDraft] {
        try pool.read { db in
            if let ids {
                return try ids.compactMap { try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = ?", arguments: [$0]).map(Self.draft) }
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE state = 'draft' AND is_demo = 0 ORDER BY id").map(Self.draft)
        }
    }

    /// The publish queue, newest first.
    public func queueItems(limit: Int = 200) throws -> [QueueItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.provider, o.operation, o.entity_id, COALESCE(d.title, '') AS title, o.state, o.attempts, o.last_error, o.updated_at
                    FROM outbox o LEFT JOIN drafts d ON d.id = o.entity_id ORDER BY o.updated_at DESC, o.id DESC LIMIT ?
                    """, arguments: [limit]
            ).compactMap { r in
                // A state this version does not know (a newer one wrote it) is left out.
                OutboxState(rawValue: r["state"]).map { state in
                    QueueItem(
                        id: r["id"], provider: r["provider"], operation: OutboxOperation(rawValue: r["operation"]), draftID: r["entity_id"],
                        title: r["title"], state: state, attempts: r["attempts"], lastError: r["last_error"],
                        updatedAt: Date(timeIntervalSince1970: r["updated_at"]))
                }
            }
        }
    }

    /// A failed or cancelled item goes back to pending, due now, and its draft to `queued`. A
    /// create takes its units from the plan again (they were given back when it stopped);
    /// another item of the same draft waiting for the provider is `alreadyQueued`.
    public func retryQueueItem(id: Int64, now: Date, quota: (plan: PlanTier, calendar: Calendar)? = nil) throws {
        try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT provider, operation, entity_id FROM outbox WHERE id = ? AND state IN ('failed', 'cancelled')", arguments: [id]),
                let provider: ProviderID = row["provider"]
            else { return }
            let draftID: Int64? = row["entity_id"]
            if let draftID,
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ? AND provider = ? AND state IN ('pending', 'in_flight'))",
                    arguments: [draftID, provider]) == true
            {
                throw QueueError.alreadyQueued(provider: provider.rawValue)
            }
            if let draftID, row["operation"] as String == OutboxOperation.createListing.rawValue {
                if try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM listings WHERE draft_id = ? AND provider = ? AND provider_listing_id IS NOT NULL)",
                    arguments: [draftID, provider]) == true
                {
                    throw QueueError.alreadyCreated(provider: provider.rawValue)
                }
                if let quota, let d = try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE id = ?", arguments: [draftID]).map(Self.draft) {
                    try Self.chargeCreate(db, draftID: draftID, images: d.imageList.count, provider: provider, quota: quota, now: now)
                }
            }
            try db.execute(
                sql: "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL, updated_at = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, id])
            if let draftID { try db.execute(sql: "UPDATE drafts SET state = 'queued' WHERE id = ? AND state = 'draft'", arguments: [draftID]) }
        }
    }

    /// A pending or failed item is cancelled; its draft goes back to `draft`. A create not yet
    /// sent gives its units back (a failed one gave them back when it failed).
    public func cancelQueueItem(id: Int64, now: Date) throws {
        try pool.write { db in
            if try String.fetchOne(db, sql: "SELECT state FROM outbox WHERE id = ?", arguments: [id]) == OutboxState.pending.rawValue {
                try Self.refundCreate(db, outboxID: id)
            }
            try db.execute(
                sql: "UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE id = ? AND state IN ('pending', 'failed')",
                arguments: [now.timeIntervalSince1970, id])
            if db.changesCount > 0 {
                try db.execute(
                    sql: "UPDATE drafts SET state = 'draft' WHERE id = (SELECT entity_id FROM outbox WHERE id = ?) AND state = 'queued'", arguments: [id])
            }
        }
    }

    /// The keywords in the store most like `text` (prefix first, then contains), by their
    /// 30-day volume: the composer's keyword and tag suggestions.
    public func keywordSuggestions(matching text: String, region: String, limit: Int) throws -> [KeywordTrend] {
        try pool.read { db in
            let t = text.trimmingWhitespace()
            let pattern = t.isEmpty ? "%" : Self.likePattern(t)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT keyword, region, volume, growth, series, is_demo FROM keyword_summary
                    WHERE window = ? AND region = ? AND keyword LIKE ? ESCAPE '\\'
                    ORDER BY (keyword LIKE ? ESCAPE '\\') DESC, volume DESC LIMIT ?
                    """, arguments: [TrendWindow.days30.rawValue, region, pattern, Self.likePattern(t).dropFirst().description, limit]
            )
            .map { Self.keywordTrend($0, window: .days30) }
        }
    }
}
