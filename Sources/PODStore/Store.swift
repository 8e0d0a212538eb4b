import Foundation
import GRDB
import PODCore

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case newerSchema(String)
    case untrusted(FileTrustError)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let why): return "cannot open the store \(path): \(why)"
        case .newerSchema(let path): return "the store \(path) was written by a newer PODPusher; update PODPusher to open it"
        case .untrusted(let e): return "\(e)"
        }
    }
}

/// The local SQLite store: the only place SQL lives. Safe to use from any thread.
public final class Store: Sendable {
    public let dataDirectory: URL
    public let databaseURL: URL
    let pool: DatabasePool

    public static let databaseFileName = "podpusher.sqlite"

    /// Opens (creating when needed) the store in `dataDirectory`: the folder 0700, the database
    /// files 0600, migrated to the latest schema. A folder or file that is a link, or that
    /// another user owns, is refused (`StoreError.untrusted`).
    public init(dataDirectory: URL, migrateUpTo target: String? = nil) throws {
        self.dataDirectory = dataDirectory
        databaseURL = dataDirectory.appendingPathComponent(Store.databaseFileName)
        do {
            try Files.preparePrivateFolder(dataDirectory)
            close(try Files.openPrivateFile(databaseURL))
        } catch {
            throw StoreError.untrusted(error)
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: databaseURL.path, configuration: config)
        } catch {
            throw StoreError.cannotOpen(databaseURL.path, "\(error)")
        }
        let migrator = Schema.migrator
        try pool.write { db in
            if try migrator.hasBeenSuperseded(db) { throw StoreError.newerSchema(databaseURL.path) }
        }
        if let target {
            try migrator.migrate(pool, upTo: target)
        } else {
            try migrator.migrate(pool)
        }
        do {
            for suffix in ["-wal", "-shm"] { _ = try Files.tightenSecretFile(URL(fileURLWithPath: databaseURL.path + suffix)) }
        } catch {
            throw StoreError.untrusted(error)
        }
    }

    /// The migrations applied to this store, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Schema.migrator.appliedMigrations($0) }
    }

    /// Runs a closure in a read transaction (for tests and tooling in this module's clients).
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
    public func write<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }

    // MARK: Preferences

    public func preference(_ key: String) throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "SELECT value FROM preferences WHERE key = ?", arguments: [key]) }
    }

    public func setPreference(_ key: String, _ value: String) throws {
        try pool.write {
            try $0.execute(
                sql: "INSERT INTO preferences(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    // MARK: Dashboard

    /// Everything the dashboard shows, in one read transaction.
    public func dashboard(window: TrendWindow, region: String, limit: Int = 8, now: Date, calendar: Calendar) throws -> DashboardData {
        try pool.read { db in
            let asOf = try Int.fetchOne(db, sql: "SELECT MAX(as_of) FROM keyword_summary WHERE window = ?", arguments: [window.rawValue])
            let trending = try Row.fetchAll(
                db,
                sql: """
                    SELECT keyword, region, volume, growth, series, is_demo FROM keyword_summary
                    WHERE window = ? AND region = ? AND growth IS NOT NULL ORDER BY growth DESC LIMIT ?
                    """, arguments: [window.rawValue, region, limit]
            ).map { Self.keywordTrend($0, window: window) }
            let drafts = try DraftSummary.fetchAll(db, sql: "SELECT id, title, state, updated_at, is_demo FROM drafts ORDER BY updated_at DESC LIMIT 5")
            let queue = try Self.queueCounts(db)
            let notes = try NotificationItem.fetchAll(
                db, sql: "SELECT id, title, body, created_at, read_at, is_demo FROM notifications ORDER BY created_at DESC LIMIT 5")
            let unread = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notifications WHERE read_at IS NULL") ?? 0
            let monthStart = calendar.dateInterval(of: .month, for: now)?.start ?? now
            let used =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(amount), 0) FROM usage_ledger WHERE resource = 'listings' AND at >= ?",
                    arguments: [monthStart.timeIntervalSince1970]) ?? 0
            let hasListings = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM listings)") ?? false
            let hasSignals = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM trend_signals)") ?? false
            let hasDrafts = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM drafts)") ?? false
            let isDemo = try String.fetchOne(db, sql: "SELECT value FROM preferences WHERE key = 'workspace.demo'") == "1"
            var data = DashboardData(
                window: window, trendsAsOf: asOf, trending: trending, recentDrafts: drafts, queue: queue,
                connections: try Self.connections(db), notifications: notes, unreadNotifications: unread,
                listingsUsedThisMonth: used, hasSignals: hasSignals, hasListings: hasListings,
                hasDrafts: hasDrafts, isDemo: isDemo)
            // Read in the same transaction as the rest: a job of its own would wake a worker
            // thread seconds later, while the UI should be idle.
            let month: TimeInterval = 30 * 86_400
            data.sales = try Self.shopActivity(db, from: now - month, to: now)
            data.salesBefore = try Self.shopActivity(db, from: now - 2 * month, to: now - month)
            return data
        }
    }

    static func connections(_ db: Database) throws -> [ConnectionInfo] {
        var known: [String: ConnectionInfo] = [:]
        for c in try ConnectionInfo.fetchAll(db, sql: "SELECT provider, state, account_name, expires_at, last_error FROM connections") {
            known[c.provider] = c
        }
        let builtIn = ProviderID.allCases.map {
            known[$0.rawValue] ?? ConnectionInfo(provider: $0.rawValue, state: .notConnected, accountName: nil, expiresAt: nil, lastError: nil)
        }
        let others = known.keys.filter { ProviderID(rawValue: $0) == nil }.sorted().compactMap { known[$0] }
        return builtIn + others
    }

    public func connections() throws -> [ConnectionInfo] { try pool.read { try Self.connections($0) } }

    /// What was last learnt of a provider connection (by the sync engine or the connect flow).
    /// `expiresAt` is when the connection lapses (`Credential.lapsesAt`). The account fields
    /// are kept when nil is given, unless `replacing` (a new connection, or none).
    public func recordConnection(
        provider: String, state: ConnectionInfo.State, accountID: String? = nil, accountName: String? = nil,
        expiresAt: Date? = nil, lastError: String? = nil, replacing: Bool = false, now: Date
    ) throws {
        func column(_ c: String) -> String { replacing ? "excluded.\(c)" : "COALESCE(excluded.\(c), \(c))" }
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO connections (provider, state, account_id, account_name, expires_at, connected_at, last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(provider) DO UPDATE SET state = excluded.state, account_id = \(column("account_id")),
                        account_name = \(column("account_name")), expires_at = \(column("expires_at")),
                        connected_at = \(replacing ? "excluded.connected_at" : "connected_at"), last_error = excluded.last_error
                    """, arguments: [provider, state.rawValue, accountID, accountName, expiresAt?.timeIntervalSince1970, now.timeIntervalSince1970, lastError])
        }
    }

    public func queueCounts() throws -> QueueCounts { try pool.read { try Self.queueCounts($0) } }

    static func queueCounts(_ db: Database) throws -> QueueCounts {
        var queue = QueueCounts()
        for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") {
            let n: Int = row["n"]
            switch row["state"] as String {
            case "pending": queue.pending = n
            case "in_flight": queue.inFlight = n
            case "done": queue.done = n
            case "failed": queue.failed = n
            default: break
            }
        }
        return queue
    }

    // MARK: Listings

    static func orderClause(_ sort: ListingSort) -> String {
        switch sort {
        case .updated: return "updated_at DESC, id DESC"
        case .title: return "title COLLATE NOCASE, id"
        case .price: return "price_cents, id"
        case .views: return "views DESC, id"
        }
    }

    /// How many listings match the filter (title contains, case-insensitive).
    public func listingCount(filter: String) throws -> Int { try pool.read { try Self.listingCount($0, filter: filter) } }

    /// One page of listings in the given order.
    public func listings(offset: Int, limit: Int, sort: ListingSort, filter: String) throws -> [ListingRow] {
        try pool.read { try Self.listings($0, offset: offset, limit: limit, sort: sort, filter: filter) }
    }

    /// The ids of the listings matching the filter, in the table's order, from `offset` (all
    /// of them without a limit): what marking a range or every match marks.
    public func listingIDs(offset: Int = 0, limit: Int = -1, sort: ListingSort, filter: String) throws -> [Int64] {
        try pool.read { db in
            let whereClause = filter.isEmpty ? "" : "WHERE title LIKE ? ESCAPE '\\'"
            var args: StatementArguments = filter.isEmpty ? [] : [Self.likePattern(filter)]
            _ = args.append(contentsOf: [limit, offset])
            return try Int64.fetchAll(db, sql: "SELECT id FROM listings \(whereClause) ORDER BY \(Self.orderClause(sort)) LIMIT ? OFFSET ?", arguments: args)
        }
    }

    static func listingCount(_ db: Database, filter: String) throws -> Int {
        if filter.isEmpty { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listings") ?? 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listings WHERE title LIKE ? ESCAPE '\\'", arguments: [likePattern(filter)]) ?? 0
    }

    static func listings(_ db: Database, offset: Int, limit: Int, sort: ListingSort, filter: String) throws -> [ListingRow] {
        let whereClause = filter.isEmpty ? "" : "WHERE title LIKE ? ESCAPE '\\'"
        var args: StatementArguments = filter.isEmpty ? [] : [likePattern(filter)]
        _ = args.append(contentsOf: [limit, offset])
        return try Row.fetchAll(
            db,
            sql: """
                SELECT id, title, provider, state, price_cents, currency, quantity, views, updated_at, is_demo, conflict IS NOT NULL AS has_conflict,
                       owner, external_id,
                       EXISTS (SELECT 1 FROM experiments e WHERE e.listing_id = listings.id AND e.status != 'ended') AS under_experiment
                FROM listings \(whereClause) ORDER BY \(orderClause(sort)) LIMIT ? OFFSET ?
                """, arguments: args
        ).map(ListingRow.init(row:))
    }

    static func likePattern(_ s: String) -> String {
        "%" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    // MARK: Trends

    /// The keyword summary for a window and region, in the given order, keywords containing
    /// `filter` (and of one product category, when given) only.
    public func trending(
        window: TrendWindow, region: String, offset: Int, limit: Int, sort: TrendSort = .growth, filter: String = "",
        category: ProductCategory? = nil
    ) throws -> [KeywordTrend] {
        try pool.read { try Self.trending($0, window: window, region: region, offset: offset, limit: limit, sort: sort, filter: filter, category: category) }
    }

    public func trendingCount(window: TrendWindow, region: String, filter: String = "", category: ProductCategory? = nil) throws -> Int {
        try pool.read { try Self.trendingCount($0, window: window, region: region, filter: filter, category: category) }
    }

    static func trendOrder(_ sort: TrendSort) -> String {
        switch sort {
        case .growth: return "growth IS NULL, growth DESC, keyword"
        case .volume: return "volume DESC, keyword"
        case .opportunity: return "opportunity DESC, keyword"
        case .competition: return "competition IS NULL, competition, keyword"
        case .keyword: return "keyword"
        }
    }

    /// The WHERE clause of a window, region, filter and category, and its arguments.
    static func trendWhere(window: TrendWindow, region: String, filter: String, category: ProductCategory?) -> (String, StatementArguments) {
        var clause = "window = ? AND region = ?"
        var args: StatementArguments = [window.rawValue, region]
        if let category {
            clause += " AND category = ?"
            _ = args.append(contentsOf: [category.rawValue])
        }
        if !filter.isEmpty {
            clause += " AND keyword LIKE ? ESCAPE '\\'"
            _ = args.append(contentsOf: [likePattern(filter)])
        }
        return (clause, args)
    }

    static func trending(
        _ db: Database, window: TrendWindow, region: String, offset: Int, limit: Int, sort: TrendSort, filter: String,
        category: ProductCategory? = nil
    ) throws -> [KeywordTrend] {
        var (clause, args) = trendWhere(window: window, region: region, filter: filter, category: category)
        _ = args.append(contentsOf: [limit, offset])
        return try Row.fetchAll(
            db,
            sql: """
                SELECT keyword, region, volume, growth, series, is_demo, competition, opportunity FROM keyword_summary
                WHERE \(clause) ORDER BY \(trendOrder(sort)) LIMIT ? OFFSET ?
                """, arguments: args
        ).map { keywordTrend($0, window: window) }
    }

    static func trendingCount(_ db: Database, window: TrendWindow, region: String, filter: String, category: ProductCategory? = nil) throws -> Int {
        let (clause, args) = trendWhere(window: window, region: region, filter: filter, category: category)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM keyword_summary WHERE \(clause)", arguments: args) ?? 0
    }

    /// A `keyword_summary` row (keyword, region, volume, growth, series, is_demo, and competition and opportunity when selected).
    static func keywordTrend(_ row: Row, window: TrendWindow) -> KeywordTrend {
        KeywordTrend(
            keyword: row["keyword"], region: row["region"], window: window, volume: row["volume"], growth: row["growth"],
            series: (row["series"] as String).split(separator: ",").compactMap { Double($0) }, isDemo: row["is_demo"],
            competition: row["competition"], opportunity: row["opportunity"])
    }

    /// Recomputes the keyword summary from the stored signals.
    public func rebuildTrendSummary() throws {
        try pool.write { try TrendSummary.rebuild($0) }
    }
}

extension Store {
    /// Units used per resource since a moment (the start of the month, for quotas).
    public func usage(since: Date) throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT resource, SUM(amount) AS used FROM usage_ledger WHERE at >= ? GROUP BY resource",
                arguments: [since.timeIntervalSince1970])
            {
                out[row["resource"]] = row["used"]
            }
            return out
        }
    }
}

/// An action refused because a monthly quota is used up.
public struct QuotaExceeded: Error, Equatable, Sendable, CustomStringConvertible {
    public var resource: QuotaResource
    public var used: Int
    public var limit: Int
    /// When the month (in the user's time zone) starts again.
    public var resetsAt: Date

    public var description: String {
        let reset = ISO8601DateFormatter.string(from: resetsAt, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
        return
            "the plan's monthly limit of \(limit) \(resource.rawValue.replacingOccurrences(of: "_", with: " ")) is reached (\(used) used); it resets at \(reset)"
    }
}

extension Store {
    /// Takes `amount` units of a resource for this month, or refuses when that would pass the
    /// plan's limit: the check and the ledger row are one transaction. Returns the row, so that
    /// an action that then fails can give the units back.
    public func consume(
        _ resource: QuotaResource, amount: Int = 1, plan: PlanTier, reason: String, subject: String?,
        now: Date, calendar: Calendar
    ) throws -> Int64 {
        try pool.write { try Self.consume(db: $0, resource, amount: amount, plan: plan, reason: reason, subject: subject, now: now, calendar: calendar) }
    }

    /// `consume` inside a transaction the caller holds (so the action and its ledger row are one write).
    static func consume(
        db: Database, _ resource: QuotaResource, amount: Int, plan: PlanTier, reason: String, subject: String?,
        now: Date, calendar: Calendar
    ) throws -> Int64 {
        let month = calendar.dateInterval(of: .month, for: now) ?? DateInterval(start: now, duration: 0)
        let used =
            try Int.fetchOne(
                db, sql: "SELECT COALESCE(SUM(amount), 0) FROM usage_ledger WHERE resource = ? AND at >= ?",
                arguments: [resource.rawValue, month.start.timeIntervalSince1970]) ?? 0
        let limit = plan.limit(resource)
        guard used + amount <= limit else { throw QuotaExceeded(resource: resource, used: used, limit: limit, resetsAt: month.end) }
        try db.execute(
            sql: "INSERT INTO usage_ledger (resource, amount, reason, subject, at) VALUES (?, ?, ?, ?, ?)",
            arguments: [resource.rawValue, amount, reason, subject, now.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// This month's use of every resource against the plan (the month in `calendar`'s time
    /// zone), when it resets, and the newest ledger rows.
    public func quotaReport(plan: PlanTier, now: Date, calendar: Calendar, ledgerRows: Int = 50) throws -> QuotaReport {
        let month = calendar.dateInterval(of: .month, for: now) ?? DateInterval(start: now, duration: 0)
        let used = try usage(since: month.start)
        // Seats are people, not a monthly use: this workspace has its one user.
        return QuotaReport(
            plan: plan, usage: QuotaResource.allCases.map { QuotaUsage(resource: $0, used: $0 == .seats ? 1 : used[$0.rawValue] ?? 0, limit: plan.limit($0)) },
            resetsAt: month.end, ledger: try ledger(limit: ledgerRows))
    }

    /// Gives back what `consume` took (the action it paid for did not happen).
    public func refund(ledgerID: Int64) throws {
        try pool.write { try $0.execute(sql: "DELETE FROM usage_ledger WHERE id = ?", arguments: [ledgerID]) }
    }
}
