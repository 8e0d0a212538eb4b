import Foundation
import Logging
import PODApp
import PODCore
import PODMedia
import PODStore
import TerminalCurses
import TerminalUI

/// A value computed on its own thread; `value()` waits for it (and rethrows its error).
final class Background<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            let r = Result { try work() }
            condition.lock()
            result = r
            condition.broadcast()
            condition.unlock()
        }
    }

    func value() throws -> T {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}

/// The composition root of the terminal UI: store, configuration, terminal, loop.
struct UIRunner {
    let workspace: Workspace
    let locale: String?
    let theme: String?
    let screen: ScreenID

    func run() throws -> Int32 {
        let ws = workspace
        let bench = BenchProbe(environment: ws.environment)
        bench?.phase("main")
        // Everything that can fail with a message is done before the terminal is taken over.
        // The store opens first, and the opening screen's data is read on another thread while
        // the rest starts: the state is made with the loads it needs (they depend on the screen
        // and the terminal's size only), and the language, theme and keys are filled in after.
        // The language and theme files are read meanwhile on another thread (TOML and JSON
        // parsing cost a few milliseconds); their errors still come before the terminal.
        let appearance = Background { (try ws.localizer(flag: locale), try ws.theme(flag: self.theme)) }
        let store = try ws.openStore()
        // What the Settings screen saved wins over config.toml (a --locale flag wins over both).
        let settings = (try? store.userSettings()) ?? UserSettings()
        bench?.phase("store")
        let ai = try ws.aiWriter()
        let connector = ws.connector(store: store)
        let mailer = try ws.mailer()
        let size = CursesTerminal.windowSize() ?? (80, 24)
        var initial = AppState(
            width: size.width, height: size.height, screen: screen, now: Date(),
            strings: Localizer(language: "en", table: [:]), formats: ws.formats(language: "en", settings),
            theme: Theme(name: "", roles: [:]), keymap: .standard, region: settings.region ?? ws.region, plan: ws.config.plan)
        initial.settings = settings
        initial.sync.available = connector.syncAvailable
        initial.trendsAutoRefreshHours = ws.config.trends.autoRefreshHours
        initial.graphics = GraphicsMode.detect(configured: ws.config.graphics, environment: ws.environment)
        if let cell = CursesTerminal.cellPixels() { (initial.cellWidth, initial.cellHeight) = cell }
        // The terminal's own effects go to the terminal once it exists.
        var terminalEffect: (TerminalEffect) -> Void = { _ in }
        let program = Program(state: initial, terminal: { terminalEffect($0) }) { send in
            EffectRunner(
                store: store, calendar: Formats.calendar(in: ws.timeZone(settings)), plan: ws.config.plan,
                resources: ws.resources, ai: ai, sync: ws.syncEngine(store: store),
                trends: ws.trendFeeds(store: store), connector: connector, mailer: mailer,
                dataDirectory: ws.dataDirectory.path, send: send)
        }
        program.start()

        var (strings, theme) = try appearance.value()
        if locale == nil, let chosen = settings.language, chosen != strings.language {
            strings = try ws.localizer(flag: chosen)
        }
        var keymap = Keymap.standard
        do {
            try keymap.override(ws.config.keys)
        } catch {
            let what: String
            switch error {
            case .unknownCommand(let c): what = "unknown command '\(c)' in [keys] (see the ? help overlay for the names)"
            case .badKey(let c, let k): what = "keys.\(c): '\(k)' is not a key (e.g. j, ctrl-k, alt-b, up, pgdn, f1, space)"
            }
            throw CLIError(message: "configuration error: \(ws.configPath): \(what)", code: Exit.usage)
        }
        bench?.phase("config")
        Logger(label: "podpusher").info("UI started", metadata: ["screen": "\(screen.rawValue)", "language": "\(strings.language)", "theme": "\(theme.name)"])
        let formats = ws.formats(language: strings.language, settings)
        program.update { state in
            state.strings = strings
            state.theme = theme
            state.keymap = keymap
            state.formats = formats
            if let terms = ws.config.riskyTerms { state.riskyTerms = terms }
            state.fees = ws.config.fees
            state.pricing = ws.config.pricing
            state.aiCopywriter = ai != nil
        }
        ensureUTF8()
        // The locale's formatters are made meanwhile too: ICU loads its data on first use.
        Thread.detachNewThread { formats.warmUp() }

        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(environment: ws.environment)
        } catch {
            throw CLIError(message: error.description, code: Exit.usage)
        }
        defer { terminal.stop() }
        bench?.phase("terminal")
        if terminal.colorDepth == .none { program.update { $0.theme = theme.withoutColor() } }
        if terminal.width != program.state.width || terminal.height != program.state.height {
            program.send(.resize(width: terminal.width, height: terminal.height))
        }
        terminalEffect = { effect in
            switch effect {
            case .quit: break  // the program stops
            case .suspend: terminal.suspend()
            case .copyToClipboard(let text): terminal.copyToClipboard(text)
            case .notify(let title, let body): terminal.notify(title: title, body: body, environment: ws.environment)
            case .openURL(let url): Browser.open(url)
            }
        }

        let loop = EventLoop(terminal: terminal)
        let wakeup = loop.wakeup
        program.onAnswer { wakeup.signal() }
        if let bench { loop.afterPresent = { bench.flushed(handleNs: $0, renderNs: $1, presentNs: $2) } }
        loop.run(
            handle: { events in
                program.send(.tick(Date()))
                for event in events {
                    switch event {
                    case .terminal(.key(let k)):
                        program.send(.key(k))
                    case .terminal(.resize(let w, let h)):
                        program.send(.resize(width: w, height: h))
                    case .wake:
                        let answers = program.drain()
                        if bench != nil,
                            answers.contains(where: {
                                if case .dashboardLoaded = $0 { return true }
                                return false
                            })
                        {
                            bench?.phase("data")
                        }
                    case .timer:
                        break
                    case .terminate:
                        // SIGTERM, SIGHUP, SIGINT: the same exit as Ctrl-C, open draft saved first.
                        program.send(.run(.forceQuit))
                    }
                }
                bench?.handled(program.state)
                return program.running
            }, render: { view(program.state) }, deadline: { program.state.nextDeadline })
        // The last autosave and anything else still running finish before the process ends.
        program.finish()
        return Exit.ok
    }

    /// ncursesw needs a UTF-8 character type to draw wide and box characters; in a C or
    /// other non-UTF-8 locale, use C.UTF-8 for the character type only.
    func ensureUTF8() {
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}
