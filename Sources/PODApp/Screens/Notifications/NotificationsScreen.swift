import Foundation
import PODCore
import PODStore
import TerminalUI

public struct NotificationsState: Sendable, Equatable {
    public var items: [NotificationItem] = []
    public var loaded = false
    public var selected = 0
    public init() {}
}

extension NotificationItem {
    /// The notification in the user's language: the scheduler stores a message key with its
    /// arguments (an argument that is itself a key — an event, a plan, a resource — is
    /// translated too); older rows are plain text.
    public func text(_ strings: Localizer) -> String {
        guard strings.has(title) else { return title }
        return strings.t(title, args.mapValues { strings.has($0) ? strings.t($0) : $0 })
    }
}

extension AppState {
    public var notifications: NotificationsState {
        get { screens[NotificationsScreen.self] }
        _modify { yield &screens[NotificationsScreen.self] }
    }
}

/// The notification feed: newest first, unread marked; Enter opens what it is about (and marks
/// it read), `u` marks it read or unread, `U` marks every one read. The scheduler that makes
/// them runs app-wide (`Effect.runScheduler`).
enum NotificationsScreen: ScreenModule {
    static let id = ScreenID.notifications
    static let initialState = NotificationsState()
    static let commands: [Command] = [.select, .markRead, .markAllRead, .refresh]
    static let hints: [Command] = [.select, .markRead, .markAllRead]

    enum Message: ScreenMessage {
        case loaded([NotificationItem])
    }

    enum Job: ScreenJob {
        case load
        /// One notification read or unread; with no id, every one read.
        case mark(id: Int64?, read: Bool)

        var lane: EffectLane {
            switch self {
            case .load: .read
            case .mark: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            if case .mark(let id, let read) = self { try run.store.markNotifications(id: id, read: read, now: Date()) }
            run.answer(NotificationsScreen.self, .loaded(try run.store.notifications(limit: 500)))
        }
    }

    static let load = Effect.job(Self.self, .load)

    static func enter(_ s: inout AppState) -> [Effect] { [load] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let items):
            let id = selected(s)?.id
            s.notifications.items = items
            s.notifications.loaded = true
            s.notifications.selected = items.firstIndex { $0.id == id } ?? min(s.notifications.selected, max(0, items.count - 1))
            return [.loadDashboard(window: s.window, region: s.region)]
        }
    }

    static func selected(_ s: AppState) -> NotificationItem? {
        s.notifications.items.element(at: s.notifications.selected)
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if moveIndex(&s.notifications.selected, command, count: s.notifications.items.count) { return [] }
        switch command {
        case .select, .right:
            guard let n = selected(s) else { return [] }
            let read: [Effect] = n.isRead ? [] : [.job(Self.self, .mark(id: n.id, read: true))]
            s.notifications.items[s.notifications.selected].isRead = true
            guard let target = n.subject.flatMap(screen) else { return read }
            return read + go(&s, target)
        case .markRead:
            guard let n = selected(s) else { return [] }
            s.notifications.items[s.notifications.selected].isRead.toggle()
            return [.job(Self.self, .mark(id: n.id, read: !n.isRead))]
        case .markAllRead:
            for i in s.notifications.items.indices { s.notifications.items[i].isRead = true }
            return [.job(Self.self, .mark(id: nil, read: true))]
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    /// The screen a subject (`screen:quotas`) names.
    static func screen(_ subject: String) -> ScreenID? {
        guard subject.hasPrefix("screen:") else { return nil }
        return ScreenID(rawValue: String(subject.dropFirst(7)))
    }

    /// New notifications from the scheduler: the feed and the unread count are read again, and
    /// with terminal notifications on, each is shown by the terminal (at most three at once).
    static func created(_ s: inout AppState, _ items: [NotificationItem], next: Date) -> [Effect] {
        s.schedulerDue = next
        guard !items.isEmpty else { return [] }
        var effects: [Effect] = [.loadDashboard(window: s.window, region: s.region)]
        if s.screen == .notifications { effects.append(load) }
        if s.settings.notifications.push {
            effects += items.prefix(3).map { .notifyTerminal(title: "PODPusher", body: $0.text(s.strings)) }
        }
        if s.settings.notifications.inApp {
            toast(
                &s, items.count == 1 ? items[0].text(s.strings) : s.strings.plural("notify.new", count: items.count, formatted: s.formats.integer(items.count)))
        }
        return effects
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let list = s.notifications.items
        guard s.notifications.loaded else {
            f.put(s.loadingText(for: id), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        guard !list.isEmpty else {
            for (i, key) in ["notifications.empty", "notifications.empty_hint"].enumerated() {
                f.put(t.t(key), x: rect.x + 1, y: rect.y + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
            }
            return
        }
        let unread = list.filter { !$0.isRead }.count
        f.put(
            t.plural("notifications.heading", count: unread, formatted: fm.integer(unread)), x: rect.x + 1, y: rect.y, style: th.header,
            maxWidth: rect.width - 2)
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 3)
        let start = min(max(0, s.notifications.selected - body.height + 1), max(0, list.count - body.height))
        let focused = s.focus == .content
        for (row, i) in (start..<min(list.count, start + body.height)).enumerated() {
            let n = list[i], y = body.y + row
            let chosen = i == s.notifications.selected
            let style = chosen && focused ? th.selection : (n.isRead ? th.muted : th.base)
            f.fill(Rect(x: body.x, y: y, width: body.width, height: 1), style: style)
            let when = fm.date(n.createdAt) + " " + fm.time(n.createdAt)
            let w =
                body.width > when.displayWidth + 20 ? f.put(when, x: body.maxX - 1 - when.displayWidth, y: y, style: chosen && focused ? style : th.muted) : 0
            f.put((n.isRead ? "  " : "● ") + n.text(t), x: body.x + 1, y: y, style: style, maxWidth: body.width - w - 3)
        }
        f.put(keyLine(s, Self.self), x: rect.x + 1, y: rect.maxY - 1, style: th.muted, maxWidth: rect.width - 2)
    }
}
