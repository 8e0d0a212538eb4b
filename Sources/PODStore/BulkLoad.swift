import GRDB
import PODCore

extension Store {
    /// Runs `body` with the table's secondary indexes dropped, then builds them again: building
    /// an index once over sorted keys is much faster than updating it row by row.
    static func withIndexesDropped<T>(_ db: Database, table: String, _ body: () throws -> T) throws -> T {
        let indexes = try Row.fetchAll(
            db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            arguments: [table]
        ).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        let result = try body()
        for index in indexes { try db.execute(sql: index.sql) }
        return result
    }

    /// The id of a keyword in a region, created when new.
    static func keywordID(_ db: Database, keyword: String, region: String, isDemo: Bool) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM keywords WHERE keyword = ? AND region = ?", arguments: [keyword, region]) {
            return id
        }
        try db.execute(sql: "INSERT INTO keywords (keyword, region, is_demo) VALUES (?, ?, ?)", arguments: [keyword, region, isDemo])
        return db.lastInsertedRowID
    }
}

/// Writes trend signals in multi-row INSERTs of `rowsPerStatement` rows: one statement step per
/// hundred rows instead of one per row. A signal already stored for the same keyword, day and
/// source is replaced.
final class SignalWriter {
    let rowsPerStatement: Int
    private let db: Database
    private let sqlPrefix: String
    private let rowSQL: String
    private let width: Int
    private var pending: [DatabaseValue] = []
    private var full: Statement?

    /// `columns` are bound per row; `constants` are SQL literals the same for every row.
    init(_ db: Database, columns: String, constants: [String: String], rowsPerStatement: Int = 100) throws {
        self.db = db
        self.rowsPerStatement = rowsPerStatement
        let names = columns.split(separator: ",").map { $0.trimmingPrefix(" ") }
        width = names.count
        let constantNames = constants.keys.sorted()
        sqlPrefix = "INSERT OR REPLACE INTO trend_signals (\(columns), \(constantNames.joined(separator: ", "))) VALUES "
        rowSQL = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ", " + constantNames.map { constants[$0]! }.joined(separator: ", ") + ")"
        pending.reserveCapacity(width * rowsPerStatement)
    }

    func add(_ row: [DatabaseValueConvertible?]) throws {
        try add(values: row.map { $0?.databaseValue ?? .null })
    }

    /// The same, without boxing each value (the import's hot path).
    func add(values row: [DatabaseValue]) throws {
        pending += row
        if pending.count == width * rowsPerStatement {
            if full == nil { full = try db.makeStatement(sql: sql(rows: rowsPerStatement)) }
            try executeFull()
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Binds the pending values straight to the SQLite statement and runs it: going through
    /// `StatementArguments` (a generic conversion per value) was a fifth of an import's time.
    /// `setUncheckedArguments` with no arguments resets the statement and marks its bindings
    /// as set, so that `execute()` runs it with the values bound here.
    private func executeFull() throws {
        let statement = full!
        statement.setUncheckedArguments(StatementArguments())
        for (i, v) in pending.enumerated() { _ = v.bind(to: statement.sqliteStatement, at: CInt(i + 1)) }
        try statement.execute()
    }

    func finish() throws {
        guard !pending.isEmpty else { return }
        try db.execute(sql: sql(rows: pending.count / width), arguments: StatementArguments(pending))
        pending.removeAll()
    }

    private func sql(rows: Int) -> String { sqlPrefix + Array(repeating: rowSQL, count: rows).joined(separator: ", ") }
}
