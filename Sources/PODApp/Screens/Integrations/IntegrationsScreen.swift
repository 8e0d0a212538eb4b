import Foundation
import PODCore
import PODStore
import PODSync
import TerminalUI

/// A secret typed by the user (a pasted token) on its way to the effect that checks and stores
/// it. Printing it — in a log line, an error, a test failure — shows nothing of it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}

extension AppState {
    public var integrations: IntegrationsState {
        get { screens[IntegrationsScreen.self] }
        _modify { yield &screens[IntegrationsScreen.self] }
    }
}

/// The Integrations screen's data: a card per provider, read from the store and the
/// credentials file (never a secret).
public struct IntegrationsState: Sendable, Equatable {
    public var cards: [IntegrationCard] = []
    public var loaded = false
    public var selected = 0
    /// A provider whose refresh or check is under way.
    public var busy: String?
    public init() {}
}

/// Connecting one provider, shown over the screen until it ends or Esc cancels it.
public struct ConnectPrompt: Sendable, Equatable {
    public enum Stage: Sendable, Equatable {
        /// Asking the provider for a code or opening the redirect listener.
        case starting
        /// RFC 8628: the code to type at the address before `expiresAt`.
        case device(userCode: String, url: String, expiresAt: Date)
        /// Etsy: the address to approve in a browser; the redirected address may be pasted.
        case browser(url: String)
        /// A token or key to paste (shown masked).
        case token
        /// The token is being checked with one call.
        case checking
        case failed(message: String)
    }
    public var provider: String
    public var auth: AuthKind
    public var stage: Stage
    /// The pasted redirect address or token.
    public var field = TextFieldState()
    public init(provider: String, auth: AuthKind, stage: Stage) {
        self.provider = provider
        self.auth = auth
        self.stage = stage
    }

    /// What copy (OSC 52) and open act on in this stage.
    var address: String? {
        switch stage {
        case .device(_, let url, _), .browser(let url): return url
        default: return nil
        }
    }
}

/// Settings → Integrations (`--screen connect`): a card per provider with its state; Enter
/// connects (device code, browser sign-in or a pasted token), `r` renews and checks the
/// token, `d` disconnects after a confirm. The cards load app-wide too: loading them renews
/// OAuth tokens that lapse soon and says whether sync can run.
enum IntegrationsScreen: ScreenModule {
    static let id = ScreenID.connect
    static let initialState = IntegrationsState()
    static let commands: [Command] = [.select, .refresh, .delete]
    static let hints: [Command] = [.select, .refresh, .delete]

    enum Message: ScreenMessage {
        case loaded([IntegrationCard], syncAvailable: Bool)
        /// A step of a connect under way.
        case stage(provider: String, ConnectPrompt.Stage)
        case connected(provider: String, account: String?)
        case connectFailed(provider: String, ConnectError)
        case refreshed(provider: String, error: ConnectError?)
        case disconnected(provider: String)
    }

    enum Job: ScreenJob {
        /// The cards (and OAuth tokens that lapse soon renewed first).
        case load
        /// Starts a device flow or Etsy's browser sign-in; its steps come back as messages.
        case connect(provider: String, auth: AuthKind)
        /// The address the browser was redirected to, pasted by the user.
        case pasteRedirect(String)
        case cancelConnect
        case saveToken(provider: String, token: Secret)
        case refresh(provider: String)
        case disconnect(provider: String)

        var lane: EffectLane {
            switch self {
            case .connect: .connect
            case .pasteRedirect, .cancelConnect: .immediate
            case .load, .saveToken, .refresh, .disconnect: .network
            }
        }

        func perform(_ run: EffectRunner) throws {
            let answer = { (m: Message) in run.answer(IntegrationsScreen.self, m) }
            switch self {
            case .cancelConnect: run.cancelConnect()
            case .pasteRedirect(let address): run.pasteRedirect(address)
            case .connect(let provider, let auth):
                guard let session = run.connectSession else { return }
                IntegrationsScreen.connect(provider, auth, run: run, session: session)
            case .load:
                guard let connector = run.connector else { return answer(.loaded([], syncAvailable: false)) }
                connector.renewLapsing()
                answer(.loaded(try connector.cards(), syncAvailable: connector.syncAvailable))
            case .saveToken(let provider, let token):
                guard let connector = run.connector else { return }
                do {
                    answer(.connected(provider: provider, account: try connector.saveToken(provider, token: token.value)))
                } catch {
                    answer(.connectFailed(provider: provider, error))
                }
            case .refresh(let provider):
                guard let connector = run.connector else { return }
                do {
                    try connector.refresh(provider)
                    answer(.refreshed(provider: provider, error: nil))
                } catch {
                    answer(.refreshed(provider: provider, error: error))
                }
            case .disconnect(let provider):
                guard let connector = run.connector else { return }
                try connector.disconnect(provider)
                answer(.disconnected(provider: provider))
            }
        }
    }

    static let load = Effect.job(Self.self, .load)

    static func enter(_ s: inout AppState) -> [Effect] { [load] }

    /// A device flow or Etsy's browser sign-in, its steps sent as they come.
    static func connect(_ provider: String, _ auth: AuthKind, run: EffectRunner, session: ConnectSession) {
        let answer = { (m: Message) in run.answer(IntegrationsScreen.self, m) }
        guard let connector = run.connector else { return answer(.connectFailed(provider: provider, .notConfigured("no connector"))) }
        do throws(ConnectError) {
            let account: String?
            switch auth {
            case .device:
                let flow = try connector.deviceFlow(provider)
                let code = try flow.start()
                answer(
                    .stage(
                        provider: provider,
                        .device(
                            userCode: code.userCode, url: code.verificationURIComplete ?? code.verificationURI,
                            expiresAt: code.expiresAt)))
                account = try connector.completeDevice(provider, flow: flow, code: code, cancel: session.cancel)
            case .pkce:
                let authorization = try connector.beginEtsy()
                answer(.stage(provider: provider, .browser(url: authorization.url)))
                guard let redirect = authorization.awaitRedirect(readStdin: false, pasted: session.takePasted, cancel: session.cancel) else {
                    throw session.cancel.isCancelled ? .cancelled : .expired
                }
                answer(.stage(provider: provider, .checking))
                account = try connector.completeEtsy(authorization, redirect: redirect)
            case .token:
                return
            }
            answer(.connected(provider: provider, account: account))
        } catch {
            run.log.info("connect ended without a connection", metadata: ["provider": "\(provider)", "reason": "\(error)"])
            answer(.connectFailed(provider: provider, error))
        }
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let cards, let available):
            s.integrations.cards = cards
            s.integrations.loaded = true
            s.integrations.selected = min(s.integrations.selected, max(0, cards.count - 1))
            let wasAvailable = s.sync.available
            s.sync.available = available
            return available && !wasAvailable ? syncIfIdle(&s) : []
        case .stage(let provider, let stage):
            Self.stage(&s, provider: provider, stage)
            return []
        case .connected(let provider, let account):
            return finished(&s, provider: provider, account: account)
        case .connectFailed(let provider, let error):
            failed(&s, provider: provider, error)
            return [load]
        case .refreshed(let provider, let error):
            s.integrations.busy = nil
            let name = s.strings.provider(provider)
            if let error {
                toast(&s, name + ": " + IntegrationsScreen.message(s, error), isError: true)
            } else {
                toast(&s, s.strings.t("connect.refreshed", ["provider": name]))
            }
            return [load, .loadDashboard(window: s.window, region: s.region)]
        case .disconnected(let provider):
            toast(&s, s.strings.t("connect.disconnected", ["provider": s.strings.provider(provider)]))
            return [load, .loadDashboard(window: s.window, region: s.region)]
        }
    }

    static func selectedCard(_ s: AppState) -> IntegrationCard? {
        s.integrations.cards.element(at: s.integrations.selected)
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if moveIndex(&s.integrations.selected, command, count: s.integrations.cards.count) { return [] }
        switch command {
        case .left: s.focus = .sidebar
        case .select, .right:
            guard let card = selectedCard(s) else { return [] }
            return connect(&s, card)
        case .refresh:
            guard let card = selectedCard(s), card.connection.state != .notConnected else {
                return [load]
            }
            s.integrations.busy = card.provider
            toast(&s, s.strings.t("connect.refreshing", ["provider": s.strings.provider(card.provider)]))
            return [.job(Self.self, .refresh(provider: card.provider))]
        case .delete:
            guard let card = selectedCard(s), card.connection.state != .notConnected else { return [] }
            s.overlay = .confirmDisconnect(provider: card.provider)
        default: break
        }
        return []
    }

    static func connect(_ s: inout AppState, _ card: IntegrationCard) -> [Effect] {
        if let problem = card.problem {
            s.overlay = .message(title: s.strings.t("connect.not_configured", ["provider": s.strings.provider(card.provider)]), lines: [problem])
            return []
        }
        let stage: ConnectPrompt.Stage = card.auth == .token ? .token : .starting
        s.overlay = .connect(ConnectPrompt(provider: card.provider, auth: card.auth, stage: stage))
        return card.auth == .token ? [] : [.job(Self.self, .connect(provider: card.provider, auth: card.auth))]
    }

    // MARK: The connect overlay

    static func handlePrompt(_ s: inout AppState, _ p: ConnectPrompt, _ key: Key) -> [Effect] {
        var p = p
        let typing: Bool
        switch p.stage {
        case .browser, .token: typing = true
        default: typing = false
        }
        let command = dialogCommand(s, key, typing: typing)
        if command == .back {
            s.overlay = nil
            switch p.stage {
            case .failed, .token: return []
            default: return [.job(Self.self, .cancelConnect)]
            }
        }
        switch p.stage {
        case .device(let code, let url, _):
            switch command {
            case .copyCode?:
                toast(&s, s.strings.t("connect.copied"))
                return [.copyToClipboard(code)]
            case .openBrowser?: return [.openURL(url)]
            default: return []
            }
        case .browser(let url):
            switch command {
            case .copyCode?:
                toast(&s, s.strings.t("connect.copied_address"))
                return [.copyToClipboard(url)]
            case .openBrowser?: return [.openURL(url)]
            case .select?:
                let pasted = p.field.text.trimmed()
                guard !pasted.isEmpty else { return [] }
                p.field = TextFieldState()
                p.stage = .checking
                s.overlay = .connect(p)
                return [.job(Self.self, .pasteRedirect(pasted))]
            default:
                if let edit = TextFieldState.edit(for: key, keymap: s.keymap) { p.field.apply(edit) }
                s.overlay = .connect(p)
                return []
            }
        case .token:
            if command == .select {
                let token = p.field.text.trimmed()
                guard !token.isEmpty else { return [] }
                p.field = TextFieldState()
                p.stage = .checking
                s.overlay = .connect(p)
                return [.job(Self.self, .saveToken(provider: p.provider, token: Secret(token)))]
            }
            if let edit = TextFieldState.edit(for: key, keymap: s.keymap) { p.field.apply(edit) }
            s.overlay = .connect(p)
            return []
        case .failed:
            guard command == .select || command == .refresh else { return [] }
            s.overlay = nil
            guard let card = s.integrations.cards.first(where: { $0.provider == p.provider }) else { return [] }
            return connect(&s, card)
        case .starting, .checking:
            return []
        }
    }

    /// A step of a connect under way (ignored once the user has cancelled it).
    static func stage(_ s: inout AppState, provider: String, _ stage: ConnectPrompt.Stage) {
        guard case .connect(var p) = s.overlay, p.provider == provider else { return }
        p.stage = stage
        s.overlay = .connect(p)
    }

    static func finished(_ s: inout AppState, provider: String, account: String?) -> [Effect] {
        if case .connect(let p) = s.overlay, p.provider == provider { s.overlay = nil }
        let n = s.strings.provider(provider)
        toast(&s, account.map { s.strings.t("connect.done_as", ["provider": n, "account": $0]) } ?? s.strings.t("connect.done", ["provider": n]))
        return [load, .loadDashboard(window: s.window, region: s.region)]
    }

    /// A connect that ended without a connection: the prompt says why (a refused token may be typed again).
    static func failed(_ s: inout AppState, provider: String, _ error: ConnectError) {
        guard error != .cancelled, case .connect(var p) = s.overlay, p.provider == provider else { return }
        // A refused token may be pasted again at once; any other failure says why first.
        if case .refused = error, p.auth == .token {
            p.stage = .token
            s.overlay = .connect(p)
            toast(&s, message(s, error), isError: true)
            return
        }
        p.stage = .failed(message: message(s, error))
        s.overlay = .connect(p)
    }

    /// A connect failure in the user's language (the provider's own words after it).
    static func message(_ s: AppState, _ error: ConnectError) -> String {
        let t = s.strings
        switch error {
        case .denied: return t.t("connect.error.denied")
        case .expired: return t.t("connect.error.expired")
        case .cancelled: return t.t("connect.error.cancelled")
        case .refused(let status): return t.t("connect.error.refused", ["status": "\(status)"])
        case .unreachable(let why): return t.t("connect.error.unreachable", ["detail": why])
        case .malformed(let why): return t.t("connect.error.malformed", ["detail": why])
        case .notConfigured(let why): return t.t("connect.error.not_configured", ["detail": why])
        case .failed(let why): return t.t("connect.error.failed", ["detail": why])
        }
    }

    // MARK: Drawing

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 2 else { return }
        f.put(keyLine(s, Self.self) + " · " + t.t("connect.help"), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
        guard s.integrations.loaded else {
            f.put(s.loadingText(for: id), x: rect.x + 1, y: rect.y + 2, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        // Three lines a card, the selected one kept in view.
        let perCard = 3, room = max(1, (rect.height - 2) / perCard)
        let first = min(max(0, s.integrations.selected - room + 1), max(0, s.integrations.cards.count - room))
        // The state column starts after the longest name (in this language), at most 3/5 across.
        let longest = s.integrations.cards.map { s.strings.provider($0.provider).displayWidth }.max() ?? 0
        let stateColumn = min(max(longest + 4, (rect.width - 2) / 3), (rect.width - 2) * 3 / 5)
        for (row, i) in (first..<min(s.integrations.cards.count, first + room)).enumerated() {
            card(
                s, s.integrations.cards[i], selected: i == s.integrations.selected, stateColumn: stateColumn,
                into: &f, rect: Rect(x: rect.x + 1, y: rect.y + 2 + row * perCard, width: rect.width - 2, height: 2))
        }
    }

    static func card(_ s: AppState, _ c: IntegrationCard, selected: Bool, stateColumn: Int, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        let (state, style) = stateText(s, c.connection)
        let head = (selected ? "▶ " : "  ") + s.strings.provider(c.provider)
        let x = rect.x + stateColumn
        // The name is cut before the state's column, never run into it.
        f.putPadded(
            TextWidth.truncate(head, to: stateColumn - 1), x: rect.x, y: rect.y, width: rect.width,
            style: selected && s.focus == .content ? th.selection : th.title)
        f.put(state, x: x, y: rect.y, style: selected && s.focus == .content ? th.selection : style, maxWidth: rect.maxX - x)
        var detail = t.t("connect.auth.\(c.auth.rawValue)")
        if s.integrations.busy == c.provider {
            detail += " · " + t.t("connect.checking")
        } else if let problem = c.problem {
            detail += " · " + t.t("connect.not_configured_short", ["detail": problem])
        } else if let error = c.connection.lastError, c.connection.state != .connected {
            detail += " · " + error
        } else if c.connection.state == .connected {
            detail +=
                " · "
                + (c.connection.expiresAt.map { t.t("connect.lapses_on", ["date": s.formats.date($0)]) }
                    ?? t.t(c.refreshable ? "connect.renews" : "connect.no_expiry"))
        }
        f.put("    " + detail, x: rect.x, y: rect.y + 1, style: c.problem == nil ? th.muted : th.warning, maxWidth: rect.width)
    }

    /// A connection's state in words: expiring within a day and expired come from the clock.
    static func stateText(_ s: AppState, _ c: ConnectionInfo) -> (String, Style) {
        let t = s.strings, th = s.theme
        switch c.state {
        case .connected:
            if let lapse = c.expiresAt, lapse <= s.now { return ("! " + t.t("connect.state.expired"), th.danger) }
            if let hours = hoursLeft(s, c) { return ("! " + t.plural("connect.state.expiring", count: hours, formatted: s.formats.integer(hours)), th.warning) }
            return ("● " + (c.accountName.map { t.t("connect.state.connected_as", ["account": $0]) } ?? t.t("connect.state.connected")), th.success)
        case .notConnected: return ("○ " + t.t("connect.state.not_connected"), th.muted)
        case .expired: return ("! " + t.t("connect.state.expired"), th.danger)
        case .error: return ("✗ " + t.t("connect.state.error"), th.danger)
        }
    }

    /// Whole hours (at least 1) before a connected account lapses, when that is within 24 h.
    static func hoursLeft(_ s: AppState, _ c: ConnectionInfo) -> Int? {
        guard c.state == .connected, let lapse = c.expiresAt else { return nil }
        let left = lapse.timeIntervalSince(s.now)
        guard left > 0, left <= 24 * 3600 else { return nil }
        return max(1, Int((left / 3600).rounded(.up)))
    }

    /// The status bar's and dashboard's warning: the first connection that lapses within a day.
    static func lapseWarning(_ s: AppState) -> String? {
        guard let connections = s.dashboard?.connections else { return nil }
        for c in connections {
            if let hours = hoursLeft(s, c) {
                return s.strings.plural("connect.warning", count: hours, formatted: s.formats.integer(hours), ["provider": s.strings.provider(c.provider)])
            }
        }
        return nil
    }

    static func renderPrompt(_ s: AppState, _ p: ConnectPrompt, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let title = t.t("connect.title", ["provider": s.strings.provider(p.provider)])
        guard let inner = centredDialog(s, width: 78, height: 18, minWidth: 12, minHeight: 4, margin: 2, title: title, into: &f) else { return }
        var y = inner.y
        func line(_ text: String, _ style: Style) {
            guard y < inner.maxY - 1 else { return }
            f.put(text, x: inner.x, y: y, style: style, maxWidth: inner.width)
            y += 1
        }
        let keys: String
        switch p.stage {
        case .starting:
            line(t.t(p.auth == .pkce ? "connect.opening" : "connect.asking"), th.muted)
            keys = keyLine(s, [.back])
        case .device(let code, let url, let expiresAt):
            line(t.t("connect.device.open"), th.base)
            for part in chunks(url, width: inner.width) { line(part, th.accent.with(.underline)) }
            y += 1
            line(t.t("connect.device.enter"), th.base)
            // The code large: spaced out, bold, in reverse, centred.
            let big = " " + code.map(String.init).joined(separator: " ") + " "
            if y < inner.maxY - 1 {
                f.put(big, x: inner.x + max(0, (inner.width - big.displayWidth) / 2), y: y, style: th.selection.with(.bold), maxWidth: inner.width)
                y += 2
            }
            let left = max(0, Int(expiresAt.timeIntervalSince(s.now)))
            line(t.t("connect.device.waiting", ["time": String(format: "%d:%02d", left / 60, left % 60)]), left < 60 ? th.warning : th.muted)
            keys = keyLine(s, [.copyCode, .openBrowser, .back])
        case .browser(let url):
            line(t.t("connect.browser.open"), th.base)
            // Etsy's address is long: all of it, over as many lines as it takes, to be typed if need be.
            for part in chunks(url, width: inner.width) { line(part, th.accent.with(.underline)) }
            y += 1
            line(t.t("connect.browser.paste"), th.muted)
            if y < inner.maxY - 1 {
                p.field.render(into: &f, x: inner.x, y: y, width: inner.width, style: th.input, focused: true)
                y += 1
            }
            keys = keyLine(s, [.copyCode, .openBrowser, .select, .back], scope: "connect_browser")
        case .token:
            line(t.t("connect.token.paste", ["provider": s.strings.provider(p.provider)]), th.base)
            line(t.t("connect.token.checked"), th.muted)
            y += 1
            if y < inner.maxY - 1 {
                p.field.masked.render(into: &f, x: inner.x, y: y, width: inner.width, style: th.input, focused: true)
                y += 1
            }
            keys = keyLine(s, [.select, .back], scope: "connect_token")
        case .checking:
            line(t.t("connect.checking"), th.muted)
            keys = keyLine(s, [.back])
        case .failed(let message):
            line(t.t("connect.failed"), th.danger)
            for part in wrapWords(message, width: inner.width) { line(part, th.base) }
            keys = keyLine(s, [.select, .back], scope: "connect_failed")
        }
        f.put(keys, x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }

    /// Cuts an address into lines of `width` characters (an address has no spaces to wrap at).
    static func chunks(_ text: String, width: Int) -> [String] {
        let characters = Array(text), w = max(1, width)
        return stride(from: 0, to: characters.count, by: w).map { String(characters[$0..<min(characters.count, $0 + w)]) }
    }
}
