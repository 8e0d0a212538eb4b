import ArgumentParser
import CNcurses
import Foundation
import PODApp
import PODCore
import PODMedia
import PODStore
import PODSync
import TerminalCurses

/// `podpusher bench`: runs the real UI in a pseudo-terminal on a store of the budget's size and
/// measures what DESIGN.md §8 budgets. The UI reports each flushed frame on a pipe
/// (`PODPUSHER_BENCH_FD`); the harness times keys against those reports on the monotonic clock.
struct Bench: RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "The benchmark harness (DESIGN.md §8): first frame, key to flush, bytes per move, memory, idle wake-ups.",
        discussion: "Use a release build (make bench). Without --data-dir, a temporary store is filled with the demo workspace and removed afterwards.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Signals in the benchmark store.") var signals = 1_000_000
    @Option(help: "Listings in the benchmark store.") var listings = 100_000
    @Option(help: "Drafts in the benchmark store (for the composer).") var drafts = 100_000
    @Option(help: "Demo sales (Etsy receipts) over a year in the benchmark store (for the Shop screen).") var receipts = 100_000
    @Option(help: "Images in a folder of the benchmark store (for the Images screen; 0: none).") var images = 10_000
    @Option(help: "Listings with a year of daily counts in the benchmark store (2,740 × 365 ≈ 1,000,000).") var salesListings = 2_740
    @Option(help: "Key presses per measurement.") var presses = 200
    @Option(help: "Seconds to watch the idle UI for wake-ups.") var idleSeconds = 3.0
    @Option(help: "Listings given one bulk edit (previewed, then queued).") var bulkListings = 5_000
    @Option(help: "Design previews made and kept for the memory figure (0: no preview benchmark).") var previews = 50

    func validate() throws {
        guard presses >= 10 else { throw ValidationError("--presses must be at least 10") }
        guard signals >= 0, listings >= 0, idleSeconds > 0 else { throw ValidationError("--signals, --listings and --idle-seconds must be positive") }
    }

    mutating func execute() throws -> Int32 {
        let temporary = global.dataDir == nil
        let dataDir = global.dataDir ?? NSTemporaryDirectory() + "podpusher-bench-\(getpid())"
        defer { if temporary { try? FileManager.default.removeItem(atPath: dataDir) } }
        let ws = try Workspace(dataDir: dataDir, configFile: global.config)
        let store = try ws.openStore()
        var report = BenchReport()
        let (haveSignals, haveListings) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trend_signals") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listings") ?? 0)
        }
        if haveSignals != signals || haveListings != listings {
            log("filling the benchmark store with \(signals) signals and \(listings) listings…")
            let now = Date()
            let s = try store.loadDemo(
                seed: 42, signals: signals, listings: listings, sales: receipts, salesListings: salesListings, today: Day.number(now), now: now,
                reset: true)
            report.demoLoadSeconds = s.seconds
        } else if try store.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM etsy_receipts WHERE is_demo = 1") }) != receipts {
            log("filling the benchmark store with \(receipts) sales…")
            try store.loadDemoSales(seed: 42, receipts: receipts, statListings: salesListings, now: Date())
        }
        report.receipts = receipts
        report.dailyCounts = try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM listing_stats WHERE is_demo = 1") } ?? 0
        try store.fillDemoDrafts(count: drafts, now: Date())
        report.signals = signals
        report.listings = listings
        report.drafts = drafts
        report.viewOnly = try measureView(store: store, workspace: ws)
        report.bulkEdit = try measureBulkEdit()
        if previews > 0 { report.previews = try measurePreviews(store: store, workspace: ws) }
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env.removeValue(forKey: "NO_COLOR")

        log("dashboard at 200×50…")
        let dash = try PtySession(
            binary: binary, arguments: ["--data-dir", dataDir, "--screen", "dashboard"] + configArgs, environment: env, rows: 50, cols: 200)
        report.dashboardFirstFrameMs = try dash.firstFullFrameMs()
        report.startupPhasesMs = Dictionary(dash.phases.map { ($0.name, $0.ms) }, uniquingKeysWith: { a, _ in a })
        report.dashboardKeys = try dash.measureKeys(Array(repeating: "\t", count: presses))
        report.idleWakeupsPerSecond = try dash.idleWakeups(seconds: idleSeconds)
        report.dashboardRSSMB = dash.peakRSSMB()
        dash.quit()

        log("listings table at 200×50…")
        let table = try PtySession(
            binary: binary, arguments: ["--data-dir", dataDir, "--screen", "listings"] + configArgs, environment: env, rows: 50, cols: 200)
        report.tableFirstFrameMs = try table.firstFullFrameMs()
        // Down and up in turn: each press moves the selection by one row without scrolling.
        report.tableKeys = try table.measureKeys((0..<presses).map { $0 % 2 == 0 ? "j" : "k" })
        report.tableScrollKeys = try table.measureKeys(Array(repeating: "\u{6}", count: presses / 10))  // ctrl-f: a page down
        report.tableRSSMB = table.peakRSSMB()
        table.quit()

        log("trends table at 200×50: filter as you type, sort…")
        let trends = try PtySession(
            binary: binary, arguments: ["--data-dir", dataDir, "--screen", "trends"] + configArgs, environment: env, rows: 50, cols: 200)
        report.trendsFirstFrameMs = try trends.firstFullFrameMs()
        // Each key until the frame that shows its rows: a letter typed into the filter and
        // taken out again (a new query each time), and the next sort order.
        try trends.send("/")
        report.trendsFilterKeys = try trends.measureKeys((0..<presses / 4).map { $0 % 2 == 0 ? "e" : "\u{7f}" }, untilLoaded: true)
        try trends.send("\r")
        report.trendsSortKeys = try trends.measureKeys(Array(repeating: "s", count: presses / 8), untilLoaded: true)
        trends.quit()

        log("shop at 200×50…")
        let shop = try PtySession(
            binary: binary, arguments: ["--data-dir", dataDir, "--screen", "shop"] + configArgs, environment: env, rows: 50, cols: 200)
        report.shopFirstFrameMs = try shop.firstFullFrameMs()
        // Down and up in turn through the listings' table.
        report.shopKeys = try shop.measureKeys((0..<presses).map { $0 % 2 == 0 ? "j" : "k" })
        // The next period and back (a new query each: 30 → 90 days and back), until its figures show.
        report.shopPeriodKeys = try shop.measureKeys((0..<presses / 10).map { $0 % 2 == 0 ? "]" : "[" }, untilLoaded: true)
        shop.quit()

        if images > 0 { try measureImages(store: store, dataDir: dataDir, binary: binary, env: env, into: &report) }

        log("composer title field at 200×50…")
        let composer = try PtySession(
            binary: binary, arguments: ["--data-dir", dataDir, "--screen", "composer"] + configArgs, environment: env, rows: 50, cols: 200)
        report.draftsFirstFrameMs = try composer.firstFullFrameMs()
        // A new draft, on its Title step; then typed characters, each followed by a backspace
        // so the title keeps its length.
        try composer.send("n")
        try composer.send("\u{1b}3")
        report.titleKeys = try composer.measureKeys((0..<presses).map { $0 % 2 == 0 ? "x" : "\u{7f}" })
        report.composerRSSMB = composer.peakRSSMB()
        composer.quit()

        if json { Output.json(report.json()) } else { Output.out(report.text()) }
        return Exit.ok
    }

    /// The Images screen over `images` files of noise (each its own picture): the grid's first
    /// frame while the files are unread, the keys while the background reads them and the
    /// previews render, how long reading all of them takes; then the first frame and keys with
    /// every file read.
    func measureImages(store: Store, dataDir: String, binary: String, env: [String: String], into report: inout BenchReport) throws {
        let folder = dataDir + "/bench-images"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let paths = (0..<images).map { folder + String(format: "/noise-%05d.png", $0) }
        if paths.contains(where: { !FileManager.default.fileExists(atPath: $0) }) {
            log("writing \(images) images…")
            for (i, p) in paths.enumerated() where !FileManager.default.fileExists(atPath: p) {
                try Media.writeNoise(to: p, width: 48, height: 40, seed: i + 1)
            }
        }
        // Every file unread again: the screen reads them in the background as a seller's would.
        try store.write { db in try db.execute(sql: "DELETE FROM images") }
        try store.addImages(paths.map { ImageSeed(path: $0, kind: .file) }, now: Date())
        report.images = images
        log("images grid at 200×50, \(images) files unread…")
        let cold = try PtySession(binary: binary, arguments: ["--data-dir", dataDir, "--screen", "images"] + configArgs, environment: env, rows: 50, cols: 200)
        let opened = Date()
        report.imagesFirstFrameMs = try cold.firstFullFrameMs()
        // Down and up a row at a time while files are read and previews made.
        report.imagesKeysWhileReading = try cold.measureKeys((0..<presses / 2).map { $0 % 2 == 0 ? "j" : "k" })
        while try store.unreadImageCount() > 0 {
            guard Date().timeIntervalSince(opened) < 600 else { throw ValidationError("the images were not read in 10 minutes") }
            try cold.pumpFor(seconds: 0.2)
        }
        report.imagesReadSeconds = Date().timeIntervalSince(opened)
        cold.quit()
        log("images grid at 200×50, every file read…")
        let warm = try PtySession(binary: binary, arguments: ["--data-dir", dataDir, "--screen", "images"] + configArgs, environment: env, rows: 50, cols: 200)
        report.imagesReadFirstFrameMs = try warm.firstFullFrameMs()
        report.imagesKeys = try warm.measureKeys((0..<presses).map { $0 % 2 == 0 ? "j" : "k" })
        report.imagesRSSMB = warm.peakRSSMB()
        warm.quit()
    }

    var configArgs: [String] { global.config.map { ["--config", $0] } ?? [] }

    /// `view` alone, in this process, on the listings screen at 200×50 with real rows: the part
    /// of key-to-flush that is the UI's own rendering, without terminal or scheduler.
    func measureView(store: Store, workspace ws: Workspace) throws -> ViewStats {
        let state = AppState(
            width: 200, height: 50, screen: .listings, now: Date(), strings: try ws.localizer(flag: nil),
            formats: ws.formats(language: "en", UserSettings()), theme: try ws.theme(flag: nil), keymap: .standard,
            region: ws.region, plan: ws.config.plan)
        // The real loop, headless: the opening loads run against the store and their answers are applied.
        let program = Program(state: state) { EffectRunner(store: store, calendar: .current, send: $0) }
        program.start()
        program.settle()
        var samples: [Double] = []
        for i in 0..<presses * 2 {
            program.send(.key(.char(i % 2 == 0 ? "j" : "k")))
            let t = EventLoop.now()
            let frame = view(program.state)
            samples.append(Double(EventLoop.now() - t) / 1e6)
            precondition(frame.width == 200)
        }
        samples.sort()
        return ViewStats(p50Ms: samples[samples.count / 2], p99Ms: samples[Int(Double(samples.count) * 0.99) - 1], frames: samples.count)
    }

    /// A bulk edit of `bulkListings` listings pulled from a shop (no drafts yet), on a store of
    /// its own: the preview, the queueing of +10 % on the price, then of a tag on top (the
    /// updates already waiting carry it).
    func measureBulkEdit() throws -> BulkStats {
        log("bulk edit of \(bulkListings) listings…")
        let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "podpusher-bench-bulk-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        let now = Date()
        let remote = (0..<bulkListings).map { i -> RemoteListing in
            var c = ListingDraft()
            (c.title, c.description, c.tags, c.materials, c.priceCents, c.quantity) = ("Moon Mug \(i)", "A mug.", ["moon mug"], ["ceramic"], 2000, 5)
            (c.whoMade, c.whenMade, c.taxonomyID, c.shippingProfileID) = (.iDid, "made_to_order", 482, 7)
            return RemoteListing(
                providerListingID: String(900_000 + i), shopID: "1", title: c.title, state: "active", priceCents: 2000, currency: "USD", quantity: 5,
                views: 0, favorites: 0, updatedAt: now, content: c)
        }
        _ = try store.mergePulledListings(provider: .etsy, remote, now: now)
        let ids = try store.listingIDs(sort: .title, filter: "")
        func ms(_ work: () throws -> BulkOutcome) throws -> Double {
            let t = EventLoop.now()
            let outcome = try work()
            precondition(outcome.changed == ids.count)
            return Double(EventLoop.now() - t) / 1e6
        }
        return BulkStats(
            listings: ids.count, previewMs: try ms { try store.previewBulkEdit(.pricePercent(10, roundTo99: true), listingIDs: ids) },
            queueMs: try ms { try store.applyBulkEdit(.pricePercent(10, roundTo99: true), listingIDs: ids, now: now) },
            queueAgainMs: try ms { try store.applyBulkEdit(.addTag("gift idea"), listingIDs: ids, now: now) })
    }

    /// Design previews of a 4,500 × 5,400 PNG: asked to ready (decoded and scaled by libvips,
    /// encoded by chafa) for symbols and kitty, cold and from the kept thumbnail; `view` on the
    /// listings screen while previews render on another thread (the media lane's work beside
    /// the UI thread's); resident memory with `previews` previews kept.
    func measurePreviews(store: Store, workspace ws: Workspace) throws -> PreviewStats {
        log("design previews of a 4,500 × 5,400 PNG…")
        let dir = NSTemporaryDirectory() + "podpusher-bench-media-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let design = dir + "/design.png"
        try Media.writeSample(to: design, width: 4500, height: 5400)
        func ms(_ mode: GraphicsMode, thumbnails: String, cols: Int = 96) throws -> Double {
            let t = EventLoop.now()
            _ = try Media.preview(of: design, cols: cols, rows: 34, mode: mode, cell: (10, 20), thumbnails: thumbnails)
            return Double(EventLoop.now() - t) / 1e6
        }
        var stats = PreviewStats(
            coldSymbolsMs: try ms(.symbols, thumbnails: dir + "/t1"), coldKittyMs: try ms(.kitty, thumbnails: dir + "/t2"),
            thumbnailSymbolsMs: try ms(.symbols, thumbnails: dir + "/t1"), thumbnailKittyMs: try ms(.kitty, thumbnails: dir + "/t2"))
        // The UI thread's view while the media lane works.
        let busy = CancelFlag(), stopped = DispatchSemaphore(value: 0)
        let worker = Thread {
            var n = 0
            while !busy.isCancelled {
                _ = try? Media.preview(of: design, cols: 40 + n % 50, rows: 34, mode: .kitty, cell: (10, 20))
                n += 1
            }
            stopped.signal()
        }
        worker.start()
        stats.viewWhileRendering = try measureView(store: store, workspace: ws)
        busy.cancel()
        stopped.wait()
        // Memory after `previews` previews, each of another size (so each is made), in the UI's
        // cache (its byte limit keeps the newest) with their thumbnails kept on disk.
        let before = Self.residentMB()
        let cache = PreviewCache(limit: previews)
        for i in 0..<previews { _ = try cache.preview(of: design, cols: 40 + i, rows: 34, mode: .kitty, cell: (10, 20), thumbnails: dir + "/t3") }
        (stats.made, stats.kept, stats.rssBeforeMB, stats.rssAfterMB) = (previews, cache.count, before, Self.residentMB())
        // One put out of memory comes back from its thumbnail.
        stats.fromThumbnailAgainMs = try ms(.kitty, thumbnails: dir + "/t3", cols: 40)
        return stats
    }

    /// The process's resident memory now (not its peak), in MB.
    static func residentMB() -> Double {
        let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
        return fields.count > 1 ? (Double(fields[1]) ?? 0) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576 : 0
    }

    func log(_ s: String) { Output.err("bench: \(s)") }
}

struct PreviewStats: Encodable {
    var coldSymbolsMs: Double
    var coldKittyMs: Double
    var thumbnailSymbolsMs: Double
    var thumbnailKittyMs: Double
    var viewWhileRendering: ViewStats?
    var made = 0
    var kept = 0
    var fromThumbnailAgainMs = 0.0
    var rssBeforeMB = 0.0
    var rssAfterMB = 0.0
}

struct BulkStats: Encodable {
    var listings: Int
    var previewMs: Double
    /// Drafts made from the shop's fields, edited, and an update queued for each.
    var queueMs: Double
    /// A second change over the first: the drafts edited, the waiting updates carry it.
    var queueAgainMs: Double
}

struct KeyStats: Encodable {
    var p50Ms: Double
    var p99Ms: Double
    var maxMs: Double
    var medianBytes: Int
    var maxBytes: Int
    var presses: Int
    /// Where the time goes inside the UI, median per key: reducer, view, terminal output.
    var handleP50Ms: Double
    var renderP50Ms: Double
    var presentP50Ms: Double
}

struct ViewStats: Encodable {
    var p50Ms: Double
    var p99Ms: Double
    var frames: Int
}

struct BenchReport: Encodable {
    var viewOnly: ViewStats?
    var bulkEdit: BulkStats?
    var previews: PreviewStats?
    var signals = 0
    var listings = 0
    var demoLoadSeconds: Double?
    var dashboardFirstFrameMs = 0.0
    /// Milestones from spawn to the first full frame (ms): start (runtime loaded), main
    /// (arguments parsed), store, config, terminal, first-frame (any), data (dashboard read).
    var startupPhasesMs: [String: Double] = [:]
    var dashboardKeys: KeyStats?
    var idleWakeupsPerSecond = 0.0
    var dashboardRSSMB = 0.0
    var tableFirstFrameMs = 0.0
    var tableKeys: KeyStats?
    var tableScrollKeys: KeyStats?
    var tableRSSMB = 0.0
    var trendsFirstFrameMs = 0.0
    /// Key to the frame showing the filtered rows.
    var trendsFilterKeys: KeyStats?
    /// Key to the frame showing the rows in the next order.
    var trendsSortKeys: KeyStats?
    var drafts = 0
    var draftsFirstFrameMs = 0.0
    var titleKeys: KeyStats?
    var composerRSSMB = 0.0
    /// The Shop screen over the demo sales: receipts and daily counts in the store.
    var receipts = 0
    var dailyCounts = 0
    var shopFirstFrameMs = 0.0
    var shopKeys: KeyStats?
    /// The next period's key to the frame with its figures.
    var shopPeriodKeys: KeyStats?
    /// The Images screen: the grid's first frame with every file unread, keys while the
    /// background reads them, how long that takes; the first frame and keys once read.
    var images = 0
    var imagesFirstFrameMs = 0.0
    var imagesKeysWhileReading: KeyStats?
    var imagesReadSeconds = 0.0
    var imagesReadFirstFrameMs = 0.0
    var imagesKeys: KeyStats?
    var imagesRSSMB = 0.0

    func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }

    func text() -> String {
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        var rows: [(String, String, String)] = [("store", "\(signals) signals, \(listings) listings, \(drafts) drafts", "")]
        if let d = demoLoadSeconds { rows.append(("demo load", String(format: "%.2f s", d), "≤ 10 s")) }
        rows.append(("first full frame, dashboard", ms(dashboardFirstFrameMs), "≤ 50 ms"))
        rows.append(("first full frame, 100k-row table", ms(tableFirstFrameMs), "≤ 50 ms"))
        let phases = ["start", "main", "store", "config", "terminal", "first-frame", "data"].compactMap { p in
            startupPhasesMs[p].map { "\(p) \(String(format: "%.1f", $0))" }
        }
        rows.append(("  start-up milestones (ms from spawn)", phases.joined(separator: ", "), ""))
        if let k = dashboardKeys {
            rows.append(("key to flush, dashboard (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms"))
            rows.append(("  inside: reduce / view / present (p50)", "\(ms(k.handleP50Ms)) / \(ms(k.renderP50Ms)) / \(ms(k.presentP50Ms))", ""))
        }
        if let k = tableKeys {
            rows.append(("key to flush, table (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms"))
            rows.append(("  inside: reduce / view / present (p50)", "\(ms(k.handleP50Ms)) / \(ms(k.renderP50Ms)) / \(ms(k.presentP50Ms))", ""))
            rows.append(("bytes per selection move, 200×50 (median / max)", "\(k.medianBytes) / \(k.maxBytes)", "≤ 300"))
        }
        if let k = tableScrollKeys {
            rows.append(("page down on the table: key to flush (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", ""))
            rows.append(("  bytes per page (median)", "\(k.medianBytes)", ""))
        }
        rows.append(("first full frame, trends table", ms(trendsFirstFrameMs), "≤ 50 ms"))
        if let k = trendsFilterKeys { rows.append(("trends: a filter key to its rows (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "")) }
        if let k = trendsSortKeys { rows.append(("trends: sort key to its rows (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "")) }
        rows.append(("first full frame, shop (\(receipts) sales, \(dailyCounts) daily counts)", ms(shopFirstFrameMs), "≤ 50 ms"))
        if let k = shopKeys { rows.append(("key to flush, shop's listings (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms")) }
        if let k = shopPeriodKeys { rows.append(("shop: the next period's key to its figures (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "")) }
        if images > 0 {
            rows.append(("first full frame, images grid (\(images) files, unread)", ms(imagesFirstFrameMs), "≤ 50 ms"))
            if let k = imagesKeysWhileReading {
                rows.append(("key to flush, images, while files are read (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms"))
            }
            rows.append(("reading \(images) images in the background (size, hash, checks)", String(format: "%.1f s", imagesReadSeconds), ""))
            rows.append(("first full frame, images grid (\(images) files, read)", ms(imagesReadFirstFrameMs), "≤ 50 ms"))
            if let k = imagesKeys { rows.append(("key to flush, images grid (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms")) }
            rows.append(("peak resident memory, images grid", String(format: "%.0f MB", imagesRSSMB), "≤ 60 MB"))
        }
        rows.append(("first full frame, composer's drafts list", ms(draftsFirstFrameMs), "≤ 50 ms"))
        if let k = titleKeys {
            rows.append(("key to flush, composer title field (p50 / p99)", "\(ms(k.p50Ms)) / \(ms(k.p99Ms))", "p99 ≤ 2 ms"))
            rows.append(("  inside: reduce / view / present (p50)", "\(ms(k.handleP50Ms)) / \(ms(k.renderP50Ms)) / \(ms(k.presentP50Ms))", ""))
        }
        if let v = viewOnly { rows.append(("view alone, listings at 200×50 (p50 / p99)", "\(ms(v.p50Ms)) / \(ms(v.p99Ms))", "")) }
        if let b = bulkEdit {
            rows.append(
                (
                    "bulk edit of \(b.listings) listings: preview / queue / a second change", "\(ms(b.previewMs)) / \(ms(b.queueMs)) / \(ms(b.queueAgainMs))",
                    "queue < 2 s"
                ))
        }
        if let p = previews {
            rows.append(("design preview 4,500 × 5,400 PNG, asked to ready: symbols / kitty", "\(ms(p.coldSymbolsMs)) / \(ms(p.coldKittyMs))", "≤ 150 ms"))
            rows.append(("  again from the kept thumbnail: symbols / kitty", "\(ms(p.thumbnailSymbolsMs)) / \(ms(p.thumbnailKittyMs))", ""))
            if let v = p.viewWhileRendering {
                rows.append(("  view alone while previews render (p50 / p99)", "\(ms(v.p50Ms)) / \(ms(v.p99Ms))", ""))
            }
            rows.append(
                (
                    "  resident memory before / after \(p.made) previews (\(p.kept) kept in memory, all as thumbnails)",
                    String(format: "%.1f / %.1f MB", p.rssBeforeMB, p.rssAfterMB), "+ ≤ 10 MB"
                ))
            rows.append(("  the oldest again, from its thumbnail (kitty)", ms(p.fromThumbnailAgainMs), ""))
        }
        rows.append(("idle wake-ups", String(format: "%.2f /s", idleWakeupsPerSecond), "0 /s"))
        rows.append(
            (
                "resident memory, peak (dashboard / table / composer)", String(format: "%.1f / %.1f / %.1f MB", dashboardRSSMB, tableRSSMB, composerRSSMB),
                "≤ 60 MB"
            ))
        let w0 = rows.map { $0.0.count }.max()!, w1 = rows.map { $0.1.count }.max()!
        return rows.map {
            $0.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + $0.1.padding(toLength: w1, withPad: " ", startingAt: 0) + "  " + $0.2
        }
        .joined(separator: "\n")
    }
}

enum BenchError: Error, CustomStringConvertible {
    case spawn, timeout(String), exited
    var description: String {
        switch self {
        case .spawn: return "could not start the UI in a pseudo-terminal"
        case .timeout(let what): return "timed out waiting for \(what)"
        case .exited: return "the UI exited during the benchmark"
        }
    }
}

/// The UI running in a pseudo-terminal, with its frame reports.
final class PtySession {
    let pid: pid_t
    let master: Int32
    let reports: Int32
    let started: Int64
    private var buffer = ""
    private var flushes: [Flush] = []
    private(set) var phases: [(name: String, ms: Double)] = []

    struct Flush {
        var ns: Int64
        var loaded: Bool
        var handleNs: Int64
        var renderNs: Int64
        var presentNs: Int64
    }
    private var outputBytes = 0

    init(binary: String, arguments: [String], environment: [String: String], rows: Int, cols: Int) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchError.spawn }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        var env = environment
        env["PODPUSHER_BENCH_FD"] = String(fds[1])
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var masterFD: Int32 = -1
        started = EventLoop.now()
        let p = pod_spawn_in_pty(binary, argv, envp, Int32(rows), Int32(cols), &masterFD)
        close(fds[1])
        guard p > 0 else { throw BenchError.spawn }
        pid = pid_t(p)
        master = masterFD
        reports = fds[0]
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        _ = fcntl(reports, F_SETFL, fcntl(reports, F_GETFL) | O_NONBLOCK)
    }

    /// Waits up to `timeout` seconds for input on the terminal or the report pipe and takes it.
    /// Reads what the UI writes for `seconds` (a full pty would stop it).
    func pumpFor(seconds: Double) throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { try pump(timeout: max(0.01, end.timeIntervalSinceNow)) }
    }

    /// With `terminal` false only the report pipe wakes the harness, so that reading the
    /// frame's bytes does not compete for a CPU with the UI while it is still flushing.
    private func pump(timeout: Double, terminal: Bool = true) throws {
        var fds = [pollfd(fd: reports, events: Int16(POLLIN), revents: 0), pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        let n = poll(&fds, terminal ? 2 : 1, Int32(timeout * 1000))
        if n <= 0 { return }
        drainTerminal()
        if fds[0].revents != 0 {
            var buf = [UInt8](repeating: 0, count: 4096)
            let r = read(reports, &buf, buf.count)
            if r == 0 { throw BenchError.exited }
            if r > 0 {
                buffer += String(decoding: buf[0..<r], as: UTF8.self)
                while let nl = buffer.firstIndex(of: "\n") {
                    let parts = buffer[..<nl].split(separator: " ")
                    if parts.count == 6, parts[0] == "flush", let ns = Int64(parts[1]) {
                        flushes.append(
                            Flush(
                                ns: ns, loaded: parts[2] == "1", handleNs: Int64(parts[3]) ?? 0,
                                renderNs: Int64(parts[4]) ?? 0, presentNs: Int64(parts[5]) ?? 0))
                    } else if parts.count == 3, parts[0] == "phase", let ns = Int64(parts[2]) {
                        phases.append((String(parts[1]), Double(ns - started) / 1e6))
                    }
                    buffer.removeSubrange(...nl)
                }
            }
        }
    }

    private func drainTerminal() {
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let r = read(master, &buf, buf.count)
            if r <= 0 { break }
            outputBytes += r
        }
    }

    private func waitForFlush(after index: Int, loaded: Bool = false, timeout: Double = 20) throws -> Flush {
        let deadline = EventLoop.now() + Int64(timeout * 1e9)
        var quietFirst = true
        while EventLoop.now() < deadline {
            if let f = flushes.dropFirst(index).first(where: { !loaded || $0.loaded }) { return f }
            // The first wait listens to the report pipe alone; later ones read the terminal too,
            // so a large frame can never fill the pseudo-terminal and stall the UI.
            try pump(timeout: 0.05, terminal: !quietFirst)
            quietFirst = false
        }
        throw BenchError.timeout("a frame")
    }

    /// Lets the UI finish whatever it was doing (effects answering, pages loading).
    private func settle(quiet: Double = 0.15) throws {
        var count = flushes.count
        var lastChange = EventLoop.now()
        while Double(EventLoop.now() - lastChange) / 1e9 < quiet {
            try pump(timeout: quiet / 3)
            if flushes.count != count {
                count = flushes.count
                lastChange = EventLoop.now()
            }
        }
        drainTerminal()
    }

    /// Types keys and waits until the UI has finished answering them.
    func send(_ keys: String) throws {
        _ = keys.withCString { write(master, $0, strlen($0)) }
        try settle()
    }

    /// From spawn to the first flushed frame that shows the screen's data.
    func firstFullFrameMs() throws -> Double {
        let f = try waitForFlush(after: 0, loaded: true)
        try settle()
        if let first = flushes.first { phases.append(("first-frame", Double(first.ns - started) / 1e6)) }
        return Double(f.ns - started) / 1e6
    }

    /// Key to the first flush after it (or, `untilLoaded`, to the first that shows the screen's data).
    func measureKeys(_ keys: [String], untilLoaded: Bool = false) throws -> KeyStats {
        var latencies: [Double] = []
        var bytes: [Int] = []
        var handle: [Double] = [], render: [Double] = [], present: [Double] = []
        for key in keys {
            try settle(quiet: 0.03)
            let index = flushes.count
            let before = outputBytes
            let t = EventLoop.now()
            _ = key.withCString { write(master, $0, strlen($0)) }
            let f = try waitForFlush(after: index, loaded: untilLoaded)
            drainTerminal()
            latencies.append(Double(f.ns - t) / 1e6)
            bytes.append(outputBytes - before)
            handle.append(Double(f.handleNs) / 1e6)
            render.append(Double(f.renderNs) / 1e6)
            present.append(Double(f.presentNs) / 1e6)
        }
        bytes.sort()
        func pct(_ values: [Double], _ p: Double) -> Double {
            let v = values.sorted()
            return v[min(v.count - 1, max(0, Int((Double(v.count) * p).rounded(.up)) - 1))]
        }
        return KeyStats(
            p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99), maxMs: latencies.max() ?? 0,
            medianBytes: bytes[bytes.count / 2], maxBytes: bytes.last ?? 0, presses: keys.count,
            handleP50Ms: pct(handle, 0.5), renderP50Ms: pct(render, 0.5), presentP50Ms: pct(present, 0.5))
    }

    /// Context switches of the UI's threads per second while nothing happens (new threads count
    /// from zero). A thread that is gone just after the window is not counted: that is a pool
    /// reclaiming an idle worker (libdispatch wakes one about 5 s after its last job to end
    /// it), not the UI waking.
    func idleWakeups(seconds: Double) throws -> Double {
        try settle(quiet: 0.5)
        let before = switches()
        usleep(UInt32(seconds * 1e6))
        let after = switches()
        usleep(200_000)
        let alive = Set(switches().keys)
        let total = after.filter { alive.contains($0.key) }.reduce(0) { $0 + max(0, $1.value - (before[$1.key] ?? 0)) }
        if ProcessInfo.processInfo.environment["PODPUSHER_BENCH_DEBUG"] != nil {
            for (task, n) in after where n != before[task] ?? 0 {
                let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "?"
                FileHandle.standardError.write(
                    Data(
                        "woke: \(task) \(comm.trimmingCharacters(in: .whitespacesAndNewlines)) +\(n - (before[task] ?? 0)) alive=\(alive.contains(task))\n".utf8
                    ))
            }
        }
        return Double(total) / seconds
    }

    private func switches() -> [String: Int] {
        let dir = "/proc/\(pid)/task"
        var out: [String: Int] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let status = try? String(contentsOfFile: "\(dir)/\(task)/status", encoding: .utf8) else { continue }
            out[task] = status.split(separator: "\n").filter { $0.hasPrefix("voluntary_ctxt_switches") || $0.hasPrefix("nonvoluntary_ctxt_switches") }
                .compactMap { Int($0.split(separator: ":").last!.trimmingPrefix(while: { $0 == " " || $0 == "\t" })) }.reduce(0, +)
        }
        return out
    }

    func peakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }

    func quit() {
        _ = "\u{3}".withCString { write(master, $0, 1) }
        var status: Int32 = 0
        for _ in 0..<100 {
            drainTerminal()
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(20_000)
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        close(master)
        close(reports)
    }
}
