import Foundation
import GRDB
import Testing

@testable import PODCore
@testable import PODStore

func temporaryDirectory() -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("podpusher-tests-\(UUID().uuidString)")
    return url
}

func mode(_ path: String) -> Int {
    var st = stat()
    stat(path, &st)
    return Int(st.st_mode & 0o777)
}

let today = 20_400
let now = Day.date(today).addingTimeInterval(12 * 3_600)

@Suite struct StoreFileTests {
    @Test func folderIs0700AndFilesAre0600() throws {
        let dir = temporaryDirectory().appendingPathComponent("nested/data")
        let store = try Store(dataDirectory: dir)
        try store.setPreference("k", "v")
        #expect(mode(dir.path) == 0o700)
        #expect(mode(store.databaseURL.path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: store.databaseURL.path + suffix) {
            #expect(mode(store.databaseURL.path + suffix) == 0o600)
        }
    }

    @Test func reopeningKeepsDataAndMigrationsApplyOnce() throws {
        let dir = temporaryDirectory()
        do {
            let s = try Store(dataDirectory: dir)
            try s.setPreference("locale", "de")
        }
        let again = try Store(dataDirectory: dir)
        #expect(try again.preference("locale") == "de")
        #expect(try again.appliedMigrations() == Schema.versions)
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let dir = temporaryDirectory()
        _ = try Store(dataDirectory: dir)
        let queue = try DatabaseQueue(path: dir.appendingPathComponent(Store.databaseFileName).path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99')") }
        #expect(throws: StoreError.self) { try Store(dataDirectory: dir) }
    }

    @Test func credentialsFileIsPrivateAtomicAndNeverPrinted() throws {
        let dir = temporaryDirectory()
        let file = CredentialStore(dataDirectory: dir)
        #expect(try file.providers().isEmpty)
        let entry = Credential(accessToken: "a-token", refreshToken: "r-token", expiresAt: Date(timeIntervalSince1970: 1_000))
        try file.save(entry, for: "etsy")
        #expect(mode(file.url.path) == 0o600)
        #expect(try file.credential(for: "etsy") == entry)
        #expect(!"\(entry)".contains("token") && !String(reflecting: entry).contains("a-token"))
        try file.save(Credential(accessToken: "p"), for: "printify")
        #expect(try file.providers() == ["etsy", "printify"])
        try file.remove(provider: "etsy")
        #expect(try file.credential(for: "etsy") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }.isEmpty)
        try Data("{broken".utf8).write(to: file.url)
        #expect { try file.credential(for: "printify") } throws: { "\($0)".contains("sets it aside") }
        // Connecting again works: the broken file is kept aside, a new one written.
        try file.save(Credential(accessToken: "q"), for: "printify")
        #expect(try file.providers() == ["printify"])
        #expect(FileManager.default.contents(atPath: file.url.path + CredentialStore.setAsideSuffix) == Data("{broken".utf8))
    }

    @Test func aCredentialsFileOthersCanReadIsMadePrivateAndSaidSo() throws {
        let dir = temporaryDirectory()
        let file = CredentialStore(dataDirectory: dir)
        try file.save(Credential(accessToken: "t"), for: "printify")
        chmod(file.url.path, 0o644)
        #expect(try file.tighten()?.contains("was mode 644") == true)
        #expect(mode(file.url.path) == 0o600)
        #expect(try file.tighten() == nil)
    }

    @Test func aLinkPlantedAtTheTemporaryNameReceivesNothing() throws {
        let dir = temporaryDirectory()
        let file = CredentialStore(dataDirectory: dir)
        _ = try Store(dataDirectory: dir)
        let victim = dir.appendingPathComponent("victim")
        try Data("untouched".utf8).write(to: victim)
        // The temporary name is the credentials file's with this process's id.
        try FileManager.default.createSymbolicLink(atPath: file.url.path + ".tmp-\(getpid())", withDestinationPath: victim.path)
        try file.save(Credential(accessToken: "secret-token"), for: "printify")
        #expect(FileManager.default.contents(atPath: victim.path) == Data("untouched".utf8))
        #expect(try file.credential(for: "printify")?.accessToken == "secret-token")
        // A credentials file that is itself a link is refused, not read through.
        try FileManager.default.removeItem(at: file.url)
        try FileManager.default.createSymbolicLink(atPath: file.url.path, withDestinationPath: victim.path)
        #expect { try file.credential(for: "printify") } throws: { "\($0)".contains("symbolic link") }
    }

    @Test func aLinkedOrForeignDataFolderIsRefused() throws {
        let real = temporaryDirectory()
        _ = try Store(dataDirectory: real)
        let link = temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        #expect { try Store(dataDirectory: link) } throws: { "\($0)".contains("symbolic link") }
        // Owned by another user (the tests may run as root, which can give it away).
        let foreign = temporaryDirectory()
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        if geteuid() == 0 {
            chown(foreign.path, 4242, 4242)
            #expect { try Store(dataDirectory: foreign) } throws: { "\($0)".contains("belongs to another user (uid 4242)") }
        }
        // A folder others could read is made private again.
        let loose = temporaryDirectory()
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        chmod(loose.path, 0o755)
        _ = try Store(dataDirectory: loose)
        #expect(mode(loose.path) == 0o700)
    }

    @Test func inputFilesThatAreNotFilesAreRefusedInPlainWords() throws {
        #expect { try Files.readInput("/dev/zero", limit: 10) } throws: { "\($0)" == "/dev/zero: is not a regular file (a device, a FIFO or a socket)" }
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect { try Files.readInput(dir.path, limit: 10) } throws: { "\($0)".hasSuffix("is a folder, not a file") }
        let fifo = dir.appendingPathComponent("f.csv").path
        mkfifo(fifo, 0o600)
        #expect { try Files.readInput(fifo, limit: 10) } throws: { "\($0)".hasSuffix("is not a regular file (a device, a FIFO or a socket)") }
        let big = dir.appendingPathComponent("big.csv")
        try Data(count: 2_000_000).write(to: big)
        #expect { try Files.readInput(big.path, limit: 1_048_576) } throws: { "\($0)".hasSuffix("is larger than 1 MiB") }
        #expect(try Files.readInput(big.path, limit: 2_000_000).count == 2_000_000)
        #expect { try Files.readInput(dir.appendingPathComponent("none").path, limit: 10) } throws: { "\($0)".hasSuffix("no such file") }
    }
}

@Suite struct MigrationTests {
    /// v1 → v2: the summary table is created and filled from the signals a v1 store already had.
    /// A store a kill left with signals and no summary, holding a volume no older version
    /// checked (1e19): v11 rebuilds the summary at start without a crash, and later imports work.
    @Test func v11RepairsAStaleOrPoisonedSummary() throws {
        let dir = temporaryDirectory()
        let v10 = try Store(dataDirectory: dir, migrateUpTo: "v10")
        try v10.write { db in
            try db.execute(sql: "INSERT INTO keywords (id, keyword, region) VALUES (1, 'cat mug', 'US'), (2, 'huge', 'US')")
            for day in 0..<10 {
                try db.execute(
                    sql: """
                        INSERT INTO trend_signals (keyword_id, day, volume, source, method, fetched_at, confidence, is_estimate)
                        VALUES (1, ?, 20, 'import', 'csv', 0, 1, 0), (2, ?, 1e19, 'import', 'csv', 0, 1, 0)
                        """, arguments: [today - day, today - day])
            }
            try db.execute(sql: "DELETE FROM keyword_summary")
        }
        let store = try Store(dataDirectory: dir)
        let keywords = try store.read { try String.fetchAll($0, sql: "SELECT DISTINCT keyword FROM keyword_summary ORDER BY keyword") }
        #expect(keywords == ["cat mug", "huge"])
        var signal = TrendSignal(
            keyword: "cat mug", region: "US", day: today + 1, volume: 5, competition: nil,
            provenance: Provenance(source: "import", method: "csv", fetchedAt: Date(), confidence: 1, isEstimate: false), isDemo: false)
        #expect(try store.importSignals { try $0(signal) } == 1)
        signal.day += 1
        #expect(try store.importSignals { try $0(signal) } == 1)
    }

    @Test func v2BuildsTheSummaryFromExistingSignals() throws {
        let dir = temporaryDirectory()
        let v1 = try Store(dataDirectory: dir, migrateUpTo: "v1")
        #expect(try v1.appliedMigrations() == ["v1"])
        try v1.write { db in
            try db.execute(sql: "INSERT INTO keywords (id, keyword, region) VALUES (1, 'cat mug', 'US')")
            for day in 0..<60 {
                try db.execute(
                    sql: """
                        INSERT INTO trend_signals (keyword_id, day, volume, source, method, fetched_at, confidence, is_estimate)
                        VALUES (1, ?, ?, 'import', 'csv', 0, 1, 0)
                        """, arguments: [today - day, day < 30 ? 20.0 : 10.0])
            }
        }
        let v2 = try Store(dataDirectory: dir, migrateUpTo: "v2")
        #expect(try v2.appliedMigrations() == ["v1", "v2"])
        // Read as v2 wrote it (the reads of today's store ask for later columns).
        let rows = try v2.read { db in
            try Row.fetchAll(db, sql: "SELECT keyword, region, volume, growth, series, is_demo FROM keyword_summary WHERE window = 30 AND region = 'US'")
                .map { Store.keywordTrend($0, window: .days30) }
        }
        #expect(rows.count == 1)
        #expect(rows[0].volume == 600)
        #expect(rows[0].growth == 1.0)
        #expect(rows[0].series.count == 30)
        #expect(rows[0].isDemo == false)
        #expect(try v2.preference("anything") == nil)
    }
}

@Suite struct DemoWorkspaceTests {
    @Test func demoIsDeterministicAndMarked() throws {
        let a = try Store(dataDirectory: temporaryDirectory())
        let b = try Store(dataDirectory: temporaryDirectory())
        let sa = try a.loadDemo(seed: 9, signals: 5_000, listings: 300, today: today, now: now, reset: false)
        _ = try b.loadDemo(seed: 9, signals: 5_000, listings: 300, today: today, now: now, reset: false)
        #expect(sa.signals == 5_000 && sa.listings == 300)
        let dump = { (s: Store) in
            try s.read {
                try String.fetchAll(
                    $0, sql: "SELECT keyword || region || day || volume FROM trend_signals JOIN keywords ON keywords.id = keyword_id ORDER BY keyword_id, day")
            }
        }
        #expect(try dump(a) == dump(b))
        let pages = { (s: Store) in try s.listings(offset: 0, limit: 50, sort: .title, filter: "") }
        #expect(try pages(a) == pages(b))
        #expect(try a.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM trend_signals WHERE is_demo = 0") } == 0)
        #expect(try a.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM listings WHERE is_demo = 0") } == 0)
        #expect(try a.preference("workspace.demo") == "1")
    }

    @Test func resetAndClearKeepTheSellersOwnRows() throws {
        let s = try Store(dataDirectory: temporaryDirectory())
        try s.write { db in
            try db.execute(
                sql:
                    "INSERT INTO listings (provider, title, state, price_cents, currency, created_at, updated_at) VALUES ('etsy', 'Mine', 'active', 100, 'USD', 0, 0)"
            )
        }
        _ = try s.loadDemo(seed: 1, signals: 1_000, listings: 100, today: today, now: now, reset: false)
        _ = try s.loadDemo(seed: 1, signals: 1_000, listings: 100, today: today, now: now, reset: true)
        #expect(try s.listingCount(filter: "") == 101)
        try s.clearDemo()
        #expect(try s.listingCount(filter: "") == 1)
        #expect(try s.preference("workspace.demo") == nil)
        #expect(try s.trendingCount(window: .days30, region: "US") == 0)
    }
}

@Suite struct QueryTests {
    let store: Store

    init() throws {
        store = try Store(dataDirectory: temporaryDirectory())
        _ = try store.loadDemo(seed: 3, signals: 20_000, listings: 1_000, today: today, now: now, reset: false)
    }

    @Test func listingsPageSortAndFilter() throws {
        let all = try store.listingCount(filter: "")
        #expect(all == 1_000)
        let byPrice = try store.listings(offset: 0, limit: 1_000, sort: .price, filter: "")
        #expect(byPrice.map(\.priceCents) == byPrice.map(\.priceCents).sorted())
        let byViews = try store.listings(offset: 0, limit: 100, sort: .views, filter: "")
        #expect(byViews.map(\.views) == byViews.map(\.views).sorted(by: >))
        let page2 = try store.listings(offset: 100, limit: 100, sort: .title, filter: "")
        let first200 = try store.listings(offset: 0, limit: 200, sort: .title, filter: "")
        #expect(Array(first200[100...]) == page2)
        let mugs = try store.listings(offset: 0, limit: 1_000, sort: .updated, filter: "mug")
        #expect(!mugs.isEmpty)
        #expect(mugs.allSatisfy { $0.title.lowercased().contains("mug") })
        #expect(try store.listingCount(filter: "mug") == mugs.count)
        #expect(try store.listingCount(filter: "100%_\\") == 0)
    }

    @Test func trendsSortAndFilter() throws {
        let byVolume = try store.trending(window: .days30, region: "US", offset: 0, limit: 500, sort: .volume)
        #expect(byVolume.map(\.volume) == byVolume.map(\.volume).sorted(by: >))
        let byName = try store.trending(window: .days30, region: "US", offset: 0, limit: 500, sort: .keyword)
        #expect(byName.map(\.keyword) == byName.map(\.keyword).sorted())
        let cats = try store.trending(window: .days30, region: "US", offset: 0, limit: 500, filter: "cat")
        #expect(!cats.isEmpty && cats.allSatisfy { $0.keyword.contains("cat") })
        #expect(cats.count < byName.count)
        #expect(try store.trendingCount(window: .days30, region: "US", filter: "cat") == cats.count)
        #expect(try store.trending(window: .days30, region: "US", offset: 0, limit: 3, sort: .growth, filter: "cat") == Array(cats.prefix(3)))
    }

    @Test func dashboardReadsRealRows() throws {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let d = try store.dashboard(window: .days30, region: "US", limit: 5, now: now, calendar: cal)
        #expect(d.trending.count == 5)
        #expect(d.trending.map { $0.growth! } == d.trending.map { $0.growth! }.sorted(by: >))
        #expect(d.trendsAsOf == today)
        #expect(d.recentDrafts.count == 5)
        #expect(d.isDemo)
        #expect(d.hasListings && d.hasSignals)
        #expect(d.connections.map(\.provider) == ["etsy", "printify"])
        #expect(d.connections.allSatisfy { $0.state == .notConnected })
        #expect(d.queue.total == 0)
        #expect(d.unreadNotifications == 1)
        #expect(!d.isEmptyWorkspace)
    }

    @Test func usageLedgerCountsFromTheMonthStart() throws {
        try store.write { db in
            try db.execute(
                sql: "INSERT INTO usage_ledger (resource, amount, reason, at) VALUES ('listings', 2, 'publish', ?), ('listings', 5, 'publish', ?)",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970 - 86_400 * 60])
        }
        #expect(try store.usage(since: now.addingTimeInterval(-3_600))["listings"] == 2)
    }

    @Test func trendSummaryMatchesARecountOfTheSignals() throws {
        let row = try #require(try store.trending(window: .days7, region: "US", offset: 0, limit: 1).first)
        let recount = try store.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT SUM(volume) FROM trend_signals JOIN keywords ON keywords.id = keyword_id
                    WHERE keyword = ? AND region = ? AND day > ?
                    """, arguments: [row.keyword, row.region, today - 7])
        }
        #expect(recount == row.volume)
        #expect(row.series.reduce(0, +) == row.volume)
    }
}

@Suite struct SignalImportTests {
    func signal(_ keyword: String, day: DayNumber, volume: Double, source: String = "file") -> TrendSignal {
        TrendSignal(
            keyword: keyword, region: "US", day: day, volume: volume, competition: 10,
            provenance: Provenance(
                source: source, method: "imported", fetchedAt: Date(timeIntervalSince1970: 1_795_000_000), confidence: 0.9, isEstimate: false),
            isDemo: false)
    }

    @Test func signalsAreWrittenWithProvenanceReplacedBySourceAndSummarised() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let today = 20_400
        let n = try store.importSignals { insert in
            for d in 0..<30 { try insert(signal("cat mug", day: today - d, volume: 10)) }
            try insert(signal("cat mug", day: today, volume: 99))  // the same day and source: replaces
            try insert(signal("cat mug", day: today, volume: 5, source: "other"))  // another source: kept beside it
        }
        #expect(n == 32)
        let (count, top, source, method) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trend_signals") ?? 0,
                try Double.fetchOne(db, sql: "SELECT volume FROM trend_signals WHERE day = ? AND source = 'file'", arguments: [today]),
                try String.fetchOne(db, sql: "SELECT source FROM trend_signals WHERE day = ? AND source = 'other'", arguments: [today]),
                try String.fetchOne(db, sql: "SELECT DISTINCT method FROM trend_signals")
            )
        }
        #expect(count == 31 && top == 99 && source == "other" && method == "imported")
        let trend = try #require(store.trending(window: .days30, region: "US", offset: 0, limit: 5).first)
        #expect(trend.keyword == "cat mug" && trend.volume == 29 * 10 + 99 + 5 && !trend.isDemo)
    }

    @Test func aFailureWritesNothing() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try store.importSignals { insert in
                for d in 0..<1_000 { try insert(signal("cat mug", day: d, volume: 1)) }
                throw Stop()
            }
        }
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM trend_signals") } == 0)
    }
}
