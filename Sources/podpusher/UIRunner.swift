import Foundation
import Logging
import PODApp
import PODCore
import PODStore
import TerminalCurses
import TerminalUI

/// Actions answered by effects on other threads, waiting for the UI thread. Effects may
/// answer before the event loop exists; `connect` hands over the loop's wake-up then.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Action] = []
    private var wakeup: Wakeup?

    func push(_ a: Action) {
        lock.lock()
        items.append(a)
        let w = wakeup
        lock.unlock()
        w?.signal()
    }

    func connect(_ w: Wakeup) {
        lock.lock()
        wakeup = w
        let waiting = !items.isEmpty
        lock.unlock()
        if waiting { w.signal() }
    }

    func take() -> [Action] {
        lock.lock()
        defer { lock.unlock() }
        let out = items
        items = []
        return out
    }
}

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
        let mailbox = Mailbox()
        let ai = try ws.aiWriter()
        let connector = ws.connector(store: store)
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: ws.timeZone(settings)), plan: ws.config.plan,
                                  resources: ws.resources, ai: ai, sync: ws.syncEngine(store: store),
                                  trends: ws.trendFeeds(store: store), connector: connector, mailer: try ws.mailer()) { mailbox.push($0) }
        let size = CursesTerminal.windowSize() ?? (80, 24)
        var state = AppState(width: size.width, height: size.height, screen: screen, now: Date(),
                             strings: Localizer(language: "en", table: [:]), formats: ws.formats(language: "en", settings),
                             theme: Theme(name: "", roles: [:]), keymap: .standard, region: settings.region ?? ws.region, plan: ws.config.plan)
        state.settings = settings
        state.sync.available = connector.syncAvailable
        state.trendsAutoRefreshHours = ws.config.trends.autoRefreshHours
        for e in startEffects(&state) { runner.run(e) }

        var (strings, theme) = try appearance.value()
        if locale == nil, let chosen = settings.language, chosen != strings.language {
            strings = try ws.localizer(flag: chosen)
        }
        state.strings = strings
        state.theme = theme
        if let terms = ws.config.riskyTerms { state.riskyTerms = terms }
        state.aiCopywriter = ai != nil
        do {
            try state.keymap.override(ws.config.keys)
        } catch {
            let what: String
            switch error {
            case .unknownCommand(let c): what = "unknown command '\(c)' in [keys] (see the ? help overlay for the names)"
            case .badKey(let c, let k): what = "keys.\(c): '\(k)' is not a key (e.g. j, ctrl-k, alt-b, up, pgdn, f1, space)"
            }
            throw CLIError(message: "configuration error: \(ws.configPath): \(what)", code: Exit.usage)
        }
        bench?.phase("config")
        Logger(label: "podpusher").info("UI started", metadata: ["screen": "\(screen.rawValue)", "language": "\(state.strings.language)", "theme": "\(theme.name)"])
        let formats = ws.formats(language: state.strings.language, settings)
        state.formats = formats
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
        if terminal.colorDepth == .none { state.theme = theme.withoutColor() }
        if terminal.width != state.width || terminal.height != state.height {
            for e in reduce(&state, .resize(width: terminal.width, height: terminal.height)) { runner.run(e) }
        }

        let loop = EventLoop(terminal: terminal)
        mailbox.connect(loop.wakeup)
        if let bench { loop.afterPresent = { bench.flushed(handleNs: $0, renderNs: $1, presentNs: $2) } }

        func perform(_ effects: [Effect]) -> Bool {
            var keepGoing = true
            for e in effects {
                guard case .terminal(let t) = e else {
                    runner.run(e)
                    continue
                }
                switch t {
                case .quit: keepGoing = false
                case .suspend: terminal.suspend()
                case .copyToClipboard(let text): terminal.copyToClipboard(text)
                case .notify(let title, let body): terminal.notify(title: title, body: body, environment: ws.environment)
                case .openURL(let url): Browser.open(url)
                }
            }
            return keepGoing
        }
        loop.run(handle: { events in
            var keepGoing = perform(reduce(&state, .tick(Date())))
            for event in events {
                switch event {
                case .terminal(.key(let k)):
                    keepGoing = perform(reduce(&state, .key(k))) && keepGoing
                case .terminal(.resize(let w, let h)):
                    keepGoing = perform(reduce(&state, .resize(width: w, height: h))) && keepGoing
                case .wake:
                    let actions = mailbox.take()
                    if bench != nil, actions.contains(where: { if case .dashboardLoaded = $0 { return true }; return false }) { bench?.phase("data") }
                    for a in actions { keepGoing = perform(reduce(&state, a)) && keepGoing }
                case .timer:
                    break
                case .terminate:
                    // SIGTERM, SIGHUP, SIGINT: the same exit as Ctrl-C, open draft saved first.
                    _ = perform(reduce(&state, .run(.forceQuit)))
                    keepGoing = false
                }
            }
            bench?.handled(state)
            return keepGoing && !state.quitRequested
        }, render: { view(state) }, deadline: { state.nextDeadline })
        // The last autosave and anything else still running finish before the process ends.
        runner.waitUntilIdle()
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
