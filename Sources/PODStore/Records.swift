import Foundation
import GRDB
import PODCore

// Rows become values by column name (GRDB's `FetchableRecord`), so that a query may list its
// columns in any order and a column added to a table moves nothing. Times are stored as Unix
// seconds.

extension DraftSummary: FetchableRecord {
    /// `id, title, state, updated_at, is_demo` of `drafts`.
    public init(row: Row) {
        self.init(id: row["id"], title: row["title"], state: row["state"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]), isDemo: row["is_demo"])
    }
}

extension NotificationItem: FetchableRecord {
    /// `id, title, body, created_at, read_at, is_demo` of `notifications`, and `subject, kind` when selected.
    public init(row: Row) {
        self.init(
            id: row["id"], title: row["title"], body: row["body"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            isRead: (row["read_at"] as Double?) != nil, isDemo: row["is_demo"])
        (subject, kind) = (row["subject"], row["kind"])
    }
}

extension ListingRow: FetchableRecord {
    /// A `listings` row, with `has_conflict`.
    public init(row: Row) {
        self.init(
            id: row["id"], title: row["title"], provider: row["provider"], state: row["state"], priceCents: row["price_cents"],
            currency: row["currency"], quantity: row["quantity"], views: row["views"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            isDemo: row["is_demo"], hasConflict: row["has_conflict"])
        owner = row["owner"]
        externalID = row["external_id"]
        underExperiment = (row["under_experiment"] as Bool?) ?? false
    }
}

extension LedgerEntry: FetchableRecord {
    public init(row: Row) {
        self.init(
            id: row["id"], resource: QuotaResource(rawValue: row["resource"]), amount: row["amount"], reason: row["reason"], subject: row["subject"],
            at: Date(timeIntervalSince1970: row["at"]))
    }
}

extension BrandProfile: FetchableRecord {
    public init(row: Row) {
        self.init(id: row["id"], name: row["name"])
        tone = Tone(rawValue: row["tone"]) ?? .friendly
        (audience, bannedTopics, defaultShop, handles, active) = (
            row["audience"], Store.decodeList(row["banned_topics"]), row["default_shop"], Store.decodeList(row["handles"]), row["active"]
        )
    }
}

extension SourceSummary: FetchableRecord {
    /// A source's signals of one keyword, aggregated (`fetched_at`… `last_day`).
    public init(row: Row) {
        self.init(
            source: row["source"], method: row["method"], fetchedAt: Date(timeIntervalSince1970: row["fetched_at"]), confidence: row["confidence"],
            isEstimate: row["is_estimate"], signals: row["signals"], firstDay: row["first_day"], lastDay: row["last_day"], competition: nil)
    }
}

extension ConnectionInfo: FetchableRecord {
    public init(row: Row) {
        self.init(
            provider: row["provider"], state: ConnectionInfo.State(rawValue: row["state"]) ?? .error, accountName: row["account_name"],
            expiresAt: (row["expires_at"] as Double?).map { Date(timeIntervalSince1970: $0) }, lastError: row["last_error"])
    }
}

extension SavedSearch: FetchableRecord {
    public init(row: Row) { self.init(query: row["query"], kind: SearchKind(rawValue: row["kind"])) }
}

extension TaxonomyNode: FetchableRecord {
    public init(row: Row) { self.init(id: row["id"], parentID: row["parent_id"], name: row["name"], path: row["path"], isLeaf: row["is_leaf"]) }
}

extension ShippingProfile: FetchableRecord {
    public init(row: Row) { self.init(id: row["id"], title: row["title"]) }
}

extension RevisionInfo: FetchableRecord {
    /// A revision's `id, created_at, note`, and the title inside its `snapshot`.
    public init(row: Row) {
        self.init(
            id: row["id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), note: row["note"] ?? "",
            title: ListingDraft.fromJSON(row["snapshot"])?.title ?? "")
    }
}

extension Store {
    /// A `keyword_summary` row's `keyword, region, volume, previous_volume, competition, is_demo`, as the niche score reads it.
    static func nicheInput(_ row: Row) -> (keyword: String, volume: Double, previous: Double, competition: Double?, isDemo: Bool) {
        (row["keyword"], row["volume"], row["previous_volume"], row["competition"], row["is_demo"])
    }
}

extension Statement {
    /// The positions of columns, found by name once, for a loop over many rows (where a lookup
    /// by name per row would cost).
    func columnIndexes(_ names: String...) -> [Int] {
        names.map { name in
            guard let i = index(ofColumn: name) else { preconditionFailure("no column \(name) in \(sql)") }
            return i
        }
    }
}
