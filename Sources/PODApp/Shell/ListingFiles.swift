import Foundation
import PODCore
import PODStore

/// Importing and exporting listing files (DESIGN.md §3), shared by the command line and the
/// composer's palette actions.
public enum ListingFiles {
    public struct ImportReport: Equatable, Sendable {
        public var imported: Int
        /// "line N: reason; reason", one per rejected row.
        public var rejected: [String]
        /// Listings updated from rows with a `listing_id` (queued, or with `dryRun` only shown),
        /// as "listing ID: field, field"; and rows that changed nothing.
        public var updates: [String] = []
        public var unchanged = 0
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownFormat(String)
        case unreadable(String, String)
        case malformed(String, ListingFile.FileError)
        case unwritable(String, String)
        public var description: String {
            switch self {
            case .unknownFormat(let p): return "\(p): the format comes from the extension: .csv or .json"
            case .unreadable(let p, let why): return "cannot read \(p): \(why)"
            case .malformed(let p, let e): return "\(p): \(e); nothing was imported"
            case .unwritable(let p, let why): return "cannot write \(p): \(why)"
            }
        }
    }

    /// Checks every row against the rules and imports the valid new drafts in one transaction.
    /// A row with a `listing_id` updates that listing of the shop: the fields it gives are set in
    /// the listing's draft and the update (only the changed fields) is queued, each listing on
    /// its own. With `dryRun`, nothing is written: the report says what would change.
    public static func importFile(
        _ path: String, into store: Store, strings: Localizer, now: Date, dryRun: Bool = false, quota: (plan: PlanTier, calendar: Calendar)? = nil
    ) throws -> ImportReport {
        guard let format = ListingFile.format(forPath: path) else { throw Failure.unknownFormat(path) }
        let data: Data
        do { data = try Files.readInput(path, limit: Files.inputLimit) } catch { throw Failure.unreadable(path, error.reason) }
        var report = ImportReport(imported: 0, rejected: [])
        var updates: [ListingFile.Row] = []
        do {
            report.imported = try store.importDrafts(now: now) { insert in
                var failure: Error?
                try ListingFile.read(data, format: format) { row in
                    guard failure == nil else { return }
                    if row.listingID != nil, row.problems.isEmpty {
                        updates.append(row)
                        return
                    }
                    let reasons = row.problems + (row.draft.map { ListingRules.check($0).map(strings.message(for:)) } ?? [])
                    if reasons.isEmpty, let d = row.draft {
                        if !dryRun { do { try insert(d) } catch { failure = error } }
                    } else {
                        report.rejected.append("line \(row.line): \(reasons.joined(separator: "; "))")
                    }
                }
                if let failure { throw failure }
            }
            if dryRun { report.imported = 0 }
        } catch let error as ListingFile.FileError {
            throw Failure.malformed(path, error)
        }
        for row in updates { try update(row, store: store, strings: strings, now: now, dryRun: dryRun, quota: quota, into: &report) }
        return report
    }

    /// One row that names a listing: its given fields over the listing's draft, checked, and
    /// the update queued when anything changed.
    static func update(
        _ row: ListingFile.Row, store: Store, strings: Localizer, now: Date, dryRun: Bool, quota: (plan: PlanTier, calendar: Calendar)?,
        into report: inout ImportReport
    ) throws {
        guard let listingID = row.listingID, let given = row.draft else { return }
        guard let rowID = try store.listingRowID(provider: .etsy, providerListingID: listingID),
            let draftID = try store.draftForListing(id: rowID, now: now), let current = try store.draft(id: draftID)
        else {
            report.rejected.append("line \(row.line): listing_id \(listingID) is not a listing of the shop here (sync first)")
            return
        }
        var merged = current
        for name in row.given {
            if let field = ListingField(rawValue: name), ListingMerge.shopFields.contains(field) { merged.take(field, from: given) }
        }
        if row.given.contains("sku") { merged.sku = given.sku }
        if row.given.contains("language") { merged.language = given.language }
        let issues = ListingRules.check(merged)
        guard issues.isEmpty else {
            report.rejected.append("line \(row.line): \(issues.map(strings.message(for:)).joined(separator: "; "))")
            return
        }
        let changed = ListingMerge.changed(from: current, to: merged).map(\.rawValue) + (merged.sku != current.sku ? ["sku"] : [])
        guard !changed.isEmpty else {
            report.unchanged += 1
            return
        }
        report.updates.append("listing \(listingID): \(changed.joined(separator: ", "))")
        if !dryRun { try store.queueDraft(merged, provider: .etsy, now: now, quota: quota) }
    }

    /// The seller's drafts in the file format (with `shop`, the shop's listings too, each with
    /// its `listing_id` and `state`); written atomically when a path is given.
    @discardableResult
    public static func export(from store: Store, format: ListingFile.Format, to path: String?, shop: Bool = false) throws -> (count: Int, data: Data) {
        let drafts: [ListingDraft], data: Data
        if shop {
            let rows = try store.shopExport(provider: .etsy)
            drafts = rows.map(\.draft)
            data = ListingFile.write(drafts, format: format, shop: rows.map { ($0.listingID, $0.state) })
        } else {
            drafts = try store.exportableDrafts()
            data = ListingFile.write(drafts, format: format)
        }
        if let path {
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Failure.unwritable(path, (error as NSError).localizedDescription)
            }
        }
        return (drafts.count, data)
    }
}
