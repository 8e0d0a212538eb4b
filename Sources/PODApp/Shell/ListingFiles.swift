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

    /// Checks every row against the rules and imports the valid ones in one transaction.
    public static func importFile(_ path: String, into store: Store, strings: Localizer, now: Date) throws -> ImportReport {
        guard let format = ListingFile.format(forPath: path) else { throw Failure.unknownFormat(path) }
        let data: Data
        do { data = try Files.readInput(path, limit: Files.inputLimit) } catch { throw Failure.unreadable(path, error.reason) }
        var rejected: [String] = []
        do {
            let imported = try store.importDrafts(now: now) { insert in
                var failure: Error?
                try ListingFile.read(data, format: format) { row in
                    guard failure == nil else { return }
                    let reasons = row.problems + (row.draft.map { ListingRules.check($0).map(strings.message(for:)) } ?? [])
                    if reasons.isEmpty, let d = row.draft {
                        do { try insert(d) } catch { failure = error }
                    } else {
                        rejected.append("line \(row.line): \(reasons.joined(separator: "; "))")
                    }
                }
                if let failure { throw failure }
            }
            return ImportReport(imported: imported, rejected: rejected)
        } catch let error as ListingFile.FileError {
            throw Failure.malformed(path, error)
        }
    }

    /// The seller's drafts in the file format; written atomically when a path is given.
    @discardableResult
    public static func export(from store: Store, format: ListingFile.Format, to path: String?) throws -> (count: Int, data: Data) {
        let drafts = try store.exportableDrafts()
        let data = ListingFile.write(drafts, format: format)
        if let path {
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Failure.unwritable(path, (error as NSError).localizedDescription)
            }
        }
        return (drafts.count, data)
    }
}
