import ArgumentParser
import CBuildInfo
import Foundation
import PODApp
import PODCore
import PODStore

/// A command that reports its exit code instead of calling exit itself.
protocol RunnableCommand: ParsableCommand {
    mutating func execute() throws -> Int32
}

/// `--provider etsy`: the names, and their completions, come from the type.
extension ProviderID: ExpressibleByArgument {}

extension RunnableCommand {
    mutating func run() throws {
        let code = try execute()
        if code != 0 { throw ExitCode(code) }
    }
}

/// `--data-dir` and `--config`, accepted by every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data folder (env PODPUSHER_DATA_DIR; default $XDG_DATA_HOME/podpusher).")
    var dataDir: String?

    @Option(name: .customLong("config"), help: "Configuration file (env PODPUSHER_CONFIG; default $XDG_CONFIG_HOME/podpusher/config.toml).")
    var config: String?

    func workspace() throws -> Workspace { try Workspace(dataDir: dataDir, configFile: config) }
}

struct PodPusher: RunnableCommand {
    /// The release this source is (CHANGELOG.md names it).
    static let version = "0.4.0"
    static var versionLine: String { "podpusher \(version) (commit \(String(cString: podpusher_build_commit())))" }

    static let configuration = CommandConfiguration(
        commandName: "podpusher",
        abstract: "Find what to sell, compose Etsy listings and sync them — from the terminal.",
        discussion: "Without a subcommand, opens the terminal UI.",
        version: versionLine,
        subcommands: [Demo.self, Status.self, Bench.self, Connect.self, Disconnect.self, Sync.self, Listings.self, Trends.self]
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Interface language: en, es, fr or de (default: config, then LC_ALL/LANG).")
    var locale: String?

    @Option(help: "Theme: dark, light, high-contrast, monochrome, or a file in the config folder's themes/.")
    var theme: String?

    @Option(help: "Screen to open: \(ScreenID.allCases.map(\.rawValue).joined(separator: " ")).")
    var screen: String?

    func validate() throws {
        if let locale, Localizer.normalise(locale) == nil { throw ValidationError("--locale must be one of en, es, fr, de") }
        if let screen, ScreenID(rawValue: screen) == nil {
            throw ValidationError("unknown screen '\(screen)'; screens: \(ScreenID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        return try UIRunner(workspace: ws, locale: locale, theme: theme, screen: screen.flatMap(ScreenID.init(rawValue:)) ?? .dashboard).run()
    }
}

struct Demo: RunnableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Fill the store with a demo workspace, every row marked DEMO.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Delete the previous demo rows first (your own rows are kept).") var reset = false
    @Option(help: "How many trend signals.") var signals = Store.demoDefaultSignals
    @Option(help: "How many listings.") var listings = Store.demoDefaultListings
    @Option(help: "How many sales (Etsy receipts) over the last year.") var sales = Store.demoDefaultSales
    @Option(help: "How many listings get a year of daily views and favourites.") var salesListings = Store.demoDefaultSalesListings
    @Option(help: "Seed: the same seed gives the same workspace on the same day.") var seed: UInt64 = 42

    func validate() throws {
        guard signals >= 0, listings >= 0, sales >= 0, salesListings >= 0 else {
            throw ValidationError("--signals, --listings, --sales and --sales-listings must be 0 or more")
        }
    }

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        let store = try ws.openStore()
        if !reset, try store.preference("workspace.demo") == "1" {
            throw CLIError(
                message: "\(store.databaseURL.path) already holds a demo workspace; use --reset to replace it (your own rows are kept)",
                code: Exit.failure)
        }
        let now = Date()
        Output.err("Loading demo workspace into \(store.databaseURL.path)…")
        let s = try store.loadDemo(
            seed: seed, signals: signals, listings: listings, sales: sales, salesListings: salesListings, today: Day.number(now), now: now, reset: reset)
        Output.out(
            "Demo workspace loaded (every row marked DEMO): \(s.signals) signals over \(s.keywords) keyword series, \(s.listings) listings, \(s.drafts) drafts, \(s.receipts) sales and \(s.dailyCounts) daily view counts in \(String(format: "%.2f", s.seconds)) s."
        )
        return Exit.ok
    }
}

struct Status: RunnableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Connections (never secrets), the sync queue and this month's quota use.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        let store = try ws.openStore()
        let zone = ws.timeZone(try store.userSettings())
        let report = try StatusReport.make(store: store, plan: ws.config.plan, now: Date(), calendar: Formats.calendar(in: zone))
        if json { Output.json(report.json()) } else { Output.out(report.text()) }
        return Exit.ok
    }
}

struct Listings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listings", abstract: "Import, publish and export listing drafts.",
        subcommands: [Import.self, Publish.self, Export.self])

    struct Import: RunnableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Drafts from a CSV or JSON file (format by extension); rows with a listing_id update that listing.",
            discussion: """
                Every row is checked against Etsy's rules; the valid rows are imported in one transaction and each rejected row is listed \
                with its line and reason (exit 3). A row that carries a listing_id (as `listings export --shop` writes) updates that \
                listing of the shop: the fields the row gives are compared with it and only those that changed are queued for the next \
                sync. --dry-run prints what would change, listing by listing, and writes nothing.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("dry-run"), help: "Print what would change; import and queue nothing.") var dryRun = false
        @Argument(help: "A .csv or .json file.") var file: String

        mutating func execute() throws -> Int32 {
            let ws = try global.workspace()
            let strings = try ws.localizer(flag: nil)
            let report: ListingFiles.ImportReport
            do {
                let store = try ws.openStore()
                let calendar = Formats.calendar(in: ws.timeZone(try store.userSettings()))
                report = try ListingFiles.importFile(file, into: store, strings: strings, now: Date(), dryRun: dryRun, quota: (ws.config.plan, calendar))
            } catch let failure as ListingFiles.Failure {
                if case .unknownFormat = failure { throw CLIError(message: failure.description, code: Exit.usage) }
                throw CLIError(message: failure.description, code: Exit.failure)
            }
            for line in report.rejected { Output.err("rejected \(line)") }
            for line in report.updates { Output.out((dryRun ? "would update " : "queued update of ") + line) }
            let updated =
                report.updates.isEmpty && report.unchanged == 0
                ? "" : "; \(report.updates.count) listing update\(report.updates.count == 1 ? "" : "s") (\(report.unchanged) unchanged)"
            Output.out(
                (dryRun ? "dry run: nothing written; " : "") + "imported \(report.imported) draft\(report.imported == 1 ? "" : "s") from \(file)" + updated
                    + (report.rejected.isEmpty ? "" : "; \(report.rejected.count) rejected"))
            return report.rejected.isEmpty ? Exit.ok : Exit.rejected
        }
    }

    struct Publish: RunnableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish", abstract: "Queue drafts that pass the rules for a provider (the sync engine sends them).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The provider to send them to.") var provider: ProviderID = .etsy
        @Flag(name: .customLong("all-ready"), help: "Every draft that is not queued yet.") var allReady = false
        @Argument(help: "Draft ids.") var ids: [Int64] = []

        func validate() throws {
            if allReady == !ids.isEmpty { throw ValidationError("give draft ids or --all-ready (one of the two)") }
        }

        mutating func execute() throws -> Int32 {
            let ws = try global.workspace()
            let strings = try ws.localizer(flag: nil)
            let store = try ws.openStore()
            let drafts = try store.draftsToPublish(ids: allReady ? nil : ids)
            let calendar = Formats.calendar(in: ws.timeZone(try store.userSettings()))
            var rejected = allReady ? [] : Set(ids).subtracting(drafts.compactMap(\.id)).sorted().map { "draft \($0): no such draft" }
            var queued = 0
            for d in drafts {
                do {
                    try store.queueDraft(d, provider: provider, now: Date(), quota: (ws.config.plan, calendar))
                    queued += 1
                    Output.out("queued draft \(d.id ?? 0) for \(provider.rawValue)")
                } catch QueueError.rulesFailing(let issues) {
                    rejected.append("draft \(d.id ?? 0): " + issues.map(strings.message(for:)).joined(separator: "; "))
                } catch QueueError.ownedBy(let owner) {
                    rejected.append("draft \(d.id ?? 0): \(QueueError.ownedBy(provider: owner))")
                } catch QueueError.alreadyQueued {
                    rejected.append("draft \(d.id ?? 0): already queued for \(provider.rawValue)")
                } catch let q as QuotaExceeded {
                    rejected.append("draft \(d.id ?? 0): not queued: \(q.description)")
                }
            }
            for line in rejected { Output.err("rejected \(line)") }
            Output.out("\(queued) queued for \(provider.rawValue)" + (rejected.isEmpty ? "" : ", \(rejected.count) rejected"))
            return rejected.isEmpty ? Exit.ok : Exit.rejected
        }
    }

    struct Export: RunnableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write your drafts as CSV or JSON (what import reads back).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "The shop's listings too, each with its listing_id and state: edit them in a spreadsheet, import to update them.")
        var shop = false
        @Option(help: "csv or json (default: from --out's extension, else csv).") var format: String?
        @Option(help: "A file to write (default: standard output).") var out: String?

        mutating func execute() throws -> Int32 {
            let chosen: ListingFile.Format
            if let format {
                guard let f = ListingFile.Format(rawValue: format.lowercased()) else {
                    throw CLIError(message: "--format must be csv or json", code: Exit.usage)
                }
                chosen = f
            } else {
                chosen = out.flatMap(ListingFile.format(forPath:)) ?? .csv
            }
            let result: (count: Int, data: Data)
            do { result = try ListingFiles.export(from: try global.workspace().openStore(), format: chosen, to: out, shop: shop) } catch let failure
                as ListingFiles.Failure
            {
                throw CLIError(message: failure.description, code: Exit.failure)
            }
            if let out {
                Output.err("exported \(result.count) draft\(result.count == 1 ? "" : "s") to \(out)")
            } else {
                Output.data(result.data)
            }
            return Exit.ok
        }
    }
}

struct Trends: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends", abstract: "Import or refresh trend signals.",
        subcommands: [Import.self, Refresh.self])

    struct Import: RunnableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Trend signals from a CSV or JSON file (format by extension).",
            discussion:
                "Fields: keyword, date (YYYY-MM-DD), volume; optional region, competition, source, method, confidence, is_estimate. The valid rows are written in one transaction; each refused row is listed with its line (exit 3)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A .csv or .json file.") var file: String

        mutating func execute() throws -> Int32 {
            let report: TrendFiles.ImportReport
            do {
                report = try TrendFiles.importFile(file, into: try global.workspace().openStore(), now: Date())
            } catch let failure as TrendFiles.Failure {
                if case .unknownFormat = failure { throw CLIError(message: failure.description, code: Exit.usage) }
                throw CLIError(message: failure.description, code: Exit.failure)
            }
            for line in report.rejected.prefix(1000) { Output.err("rejected \(line)") }
            if report.rejected.count > 1000 { Output.err("… and \(report.rejected.count - 1000) more rejected rows") }
            let rate = report.seconds > 0 ? Double(report.persisted) / report.seconds : 0
            Output.out(
                "imported \(report.persisted) signal\(report.persisted == 1 ? "" : "s") from \(file) in \(String(format: "%.2f", report.seconds)) s"
                    + " (\(Int(rate)) signals/s)" + (report.rejected.isEmpty ? "" : "; \(report.rejected.count) rejected"))
            return report.rejected.isEmpty ? Exit.ok : Exit.rejected
        }
    }

    struct Refresh: RunnableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresh", abstract: "Read the public trend feeds once: the RSS feed per region, Etsy's active-listing counts.",
            discussion:
                "Sources and regions come from [trends] in config.toml. Prints, per source, what was collected, persisted, failed and skipped; exit 3 when some source failed, 1 when all did."
        )
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        mutating func execute() throws -> Int32 {
            let ws = try global.workspace()
            let reports = ws.trendFeeds(store: try ws.openStore()).refresh(now: Date())
            if json {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .prettyPrinted]
                Output.json(String(decoding: try e.encode(reports), as: UTF8.self))
            } else {
                for r in reports {
                    Output.out(
                        "\(r.source): \(r.collected) collected, \(r.persisted) persisted, \(r.failed) failed, \(r.skipped) skipped"
                            + (r.error.map { " — \($0)" } ?? ""))
                }
            }
            let failing = reports.filter { $0.error != nil && $0.persisted == 0 }
            if !reports.isEmpty && failing.count == reports.count { return Exit.failure }
            return failing.isEmpty ? Exit.ok : Exit.rejected
        }
    }
}
