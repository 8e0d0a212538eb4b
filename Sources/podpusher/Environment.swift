import Foundation
import PODApp
import PODCore
import PODStore
import PODSync
import TerminalUI

/// Exit codes of DESIGN.md §3.
enum Exit {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let rejected: Int32 = 3
    static let denied: Int32 = 4
    static let expired: Int32 = 5
}

/// An error the command line reports as one clear line and an exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    var description: String { message }
}

/// Paths, configuration and shipped resources, resolved once per command.
struct Workspace {
    let environment: [String: String]
    let dataDirectory: URL
    let configPath: String
    let config: AppConfig
    let resources: ShippedResources

    init(dataDir: String?, configFile: String?) throws {
        let env = ProcessInfo.processInfo.environment
        environment = env
        let home = env["HOME"] ?? NSHomeDirectory()
        if let d = dataDir ?? env["PODPUSHER_DATA_DIR"], !d.isEmpty {
            dataDirectory = URL(fileURLWithPath: d)
        } else {
            let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
            dataDirectory = URL(fileURLWithPath: base).appendingPathComponent("podpusher")
        }
        if let c = configFile ?? env["PODPUSHER_CONFIG"], !c.isEmpty {
            configPath = c
        } else {
            let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
            configPath = base + "/podpusher/config.toml"
        }
        do {
            config = try AppConfig.load(path: configPath, environment: env)
        } catch {
            throw CLIError(message: "configuration error: \(error)", code: Exit.usage)
        }
        resources = Workspace.locateResources(env)
    }

    var configDirectory: URL { URL(fileURLWithPath: configPath).deletingLastPathComponent() }

    /// The folder holding `Locales/` and `Themes/`: `PODPUSHER_SHARE_DIR`, else beside the
    /// checkout the binary was built in, else `../share/podpusher` from the binary, else beside
    /// it; with none of them, the copies built into the binary.
    static func locateResources(_ env: [String: String]) -> ShippedResources {
        var candidates: [URL] = []
        if let s = env["PODPUSHER_SHARE_DIR"], !s.isEmpty { candidates.append(URL(fileURLWithPath: s)) }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let real = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? exe.path).deletingLastPathComponent()
        for dir in [real, exe] {
            candidates += [dir.appendingPathComponent("../.."), dir.appendingPathComponent("../../.."), dir.appendingPathComponent("../share/podpusher"), dir]
        }
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("Locales/en.json").path) {
            return ShippedResources(folder: c.standardizedFileURL)
        }
        return .builtIn
    }

    /// The AI copywriter when `[providers.openai]` is configured. Its key comes from
    /// `credentials.json` (provider `openai`) or `PODPUSHER_OPENAI_API_KEY`; a local model
    /// server may need none.
    func aiWriter() throws -> AIWriter? {
        guard let values = config.providers["openai"], let settings = OpenAISettings(values) else { return nil }
        let key = try CredentialStore(dataDirectory: dataDirectory).credential(for: "openai")?.accessToken ?? values["api_key"] ?? ""
        return AIWriter(copywriter: OpenAICopywriter(settings: settings, apiKey: key, transport: transport()), plan: config.plan)
    }

    /// Email for notifications when `[providers.smtp]` is set; its password is
    /// `PODPUSHER_SMTP_PASSWORD` or `smtp` in credentials.json.
    func mailer() throws -> SMTPMailer? {
        switch SMTPSettings.parse(config.providers["smtp"]) {
        case nil: return nil
        case .failure(let e)?: throw CLIError(message: "configuration error: \(configPath): \(e)", code: Exit.usage)
        case .success(let settings)?:
            let stored = try? CredentialStore(dataDirectory: dataDirectory).credential(for: "smtp")?.accessToken
            return SMTPMailer(settings: settings, password: stored ?? config.providers["smtp"]?["password"])
        }
    }

    /// The sync engine over this workspace.
    func syncEngine(store: Store) -> SyncEngine {
        SyncEngine(store: store, credentials: CredentialStore(dataDirectory: dataDirectory), transport: transport(), providers: config.providers)
    }

    /// Connecting provider accounts (and whether sync has anything to talk to).
    func connector(store: Store) -> Connector {
        Connector(store: store, credentials: CredentialStore(dataDirectory: dataDirectory), providers: config.providers, transport: transport())
    }

    /// The public trend feeds of `[trends]` (Etsy's counts when its keys are configured).
    func trendFeeds(store: Store) -> TrendFeeds {
        TrendFeeds(store: store, transport: transport(), settings: config.trends, etsy: try? EtsySettings(config.providers[ProviderID.etsy.rawValue] ?? [:]))
    }

    /// The one way out to the network, with the configuration's HTTPS policy.
    func transport() -> CurlTransport { CurlTransport(allowInsecureHTTP: config.allowInsecureHTTP) }

    /// Opens the store (the data folder checked first: not a link, not another user's), then
    /// the log; a credentials file that others could read is made 0600, and the user told.
    func openStore() throws -> Store {
        let store: Store
        do {
            store = try Store(dataDirectory: dataDirectory)
            if let fixed = try CredentialStore(dataDirectory: dataDirectory).tighten() { Output.err("podpusher: \(fixed)") }
        } catch {
            throw CLIError(message: "\(error)", code: Exit.failure)
        }
        FileLogHandler.bootstrap(dataDirectory: dataDirectory)
        return store
    }

    func localizer(flag: String?) throws -> Localizer {
        let language = Localizer.chooseLanguage(flag: flag, config: config.locale, environment: environment)
        do {
            return try Localizer.load(language: language, from: resources)
        } catch {
            throw CLIError(message: "\(error)", code: Exit.failure)
        }
    }

    func theme(flag: String?) throws -> Theme {
        let name = flag ?? config.theme ?? "dark"
        do {
            return try ThemeLoader.load(
                name: name, userDirectory: configDirectory.appendingPathComponent("themes"),
                shipped: resources)
        } catch {
            throw CLIError(message: "theme error: \(error)", code: Exit.usage)
        }
    }

    /// Numbers, money and dates: the Settings screen's choices, else the configuration's.
    func formats(language: String, _ settings: UserSettings) -> Formats {
        Formats(
            language: language, currency: settings.currency ?? config.currency ?? "USD",
            timeZone: timeZone(settings), dateFormat: settings.dateFormat)
    }

    /// The user's time zone: the Settings screen's, else the configuration's, else the system's.
    func timeZone(_ settings: UserSettings) -> TimeZone {
        (settings.timeZone ?? config.timeZone).flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
    }

    var region: String { config.region ?? "US" }
}
