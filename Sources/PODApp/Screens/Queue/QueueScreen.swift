import Foundation
import PODCore
import PODStore
import PODSync
import TerminalUI

public struct QueueState: Sendable, Equatable {
    public var items: [QueueItem] = []
    public var selected = 0
    public init() {}
}

extension AppState {
    public var queue: QueueState {
        get { screens[QueueScreen.self] }
        _modify { yield &screens[QueueScreen.self] }
    }
}

/// The publish queue: per provider, where its sync stands (progress, pace, breaker, last
/// error); then every outbox item with what it does, its state, attempts and last error, and
/// under them the selected item's whole refusal. P syncs now, R retries a failed item, x
/// cancels a waiting one, Enter opens its draft.
enum QueueScreen: ScreenModule {
    static let id = ScreenID.queue
    static let initialState = QueueState()
    static let commands: [Command] = [.select, .retry, .cancelItem, .syncNow, .refresh]
    static let hints: [Command] = [.select, .retry, .cancelItem, .syncNow]

    enum Message: ScreenMessage {
        case loaded([QueueItem])
    }

    enum Job: ScreenJob {
        case load
        case retryItem(id: Int64)
        case cancelItem(id: Int64)

        var lane: EffectLane {
            switch self {
            case .load: .read
            case .retryItem, .cancelItem: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load: break
            case .retryItem(let id): try run.store.retryQueueItem(id: id, now: Date(), quota: (run.plan, run.calendar))
            case .cancelItem(let id): try run.store.cancelQueueItem(id: id, now: Date())
            }
            run.answer(QueueScreen.self, .loaded(try run.store.queueItems()))
        }
    }

    static let load = Effect.job(Self.self, .load)

    static func enter(_ s: inout AppState) -> [Effect] { [load] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let items):
            s.queue.items = items
            s.queue.selected = min(s.queue.selected, max(0, items.count - 1))
        }
        return []
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let item = s.queue.items.element(at: s.queue.selected)
        if moveIndex(&s.queue.selected, command, count: s.queue.items.count) { return [] }
        switch command {
        case .retry: if let item { return [.job(Self.self, .retryItem(id: item.id))] + syncIfIdle(&s) }
        case .cancelItem: if let item { return [.job(Self.self, .cancelItem(id: item.id))] }
        case .select:
            if let id = item?.draftID {
                s.composer.opening = true
                return go(&s, .composer) + [.job(ComposerScreen.self, .openDraft(id: id))]
            }
        case .left: s.focus = .sidebar
        default: break
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3 else { return }
        f.put(t.t("queue.title") + " · " + keyLine(s, Self.self), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
        let panel = min(ProviderID.allCases.count, max(0, rect.height - 4))
        for (i, p) in ProviderID.allCases.prefix(panel).enumerated() {
            renderProvider(s, p, into: &f, rect: Rect(x: rect.x + 1, y: rect.y + 2 + i, width: rect.width - 2, height: 1))
        }
        let top = rect.y + 2 + (panel > 0 ? panel + 1 : 0)
        // The selected item's whole refusal, wrapped, under the table (room allowing).
        let detail = s.queue.items.element(at: s.queue.selected).map { detailLines(s, $0, width: rect.width - 2) } ?? []
        let detailHeight = rect.maxY - top >= 8 ? min(detail.count, 5) : 0
        let tableRect = Rect(x: rect.x, y: top, width: rect.width, height: rect.maxY - top - (detailHeight > 0 ? detailHeight + 1 : 0))
        guard tableRect.height > 0 else { return }
        for (i, line) in detail.prefix(detailHeight).enumerated() {
            f.put(line, x: rect.x + 1, y: tableRect.maxY + 1 + i, style: i == 0 ? th.danger : th.base, maxWidth: rect.width - 2)
        }
        if s.queue.items.isEmpty {
            f.put(t.t("queue.empty"), x: tableRect.x + 1, y: tableRect.y, style: th.base, maxWidth: tableRect.width - 2)
            f.put(t.t("queue.empty_hint"), x: tableRect.x + 1, y: tableRect.y + 1, style: th.muted, maxWidth: tableRect.width - 2)
            return
        }
        let columns = [
            TableColumn(t.t("column.title"), .flex(2)), TableColumn(t.t("column.action"), .fixed(13)),
            TableColumn(t.t("column.provider"), .fixed(9)),
            TableColumn(t.t("column.state"), .fixed(11)), TableColumn(t.t("column.attempts"), .fixed(8), alignRight: true, dropOrder: 2),
            TableColumn(t.t("column.last_error"), .flex(1), dropOrder: 1), TableColumn(t.t("column.updated"), .fixed(14), alignRight: true, dropOrder: 3),
        ]
        var table = TableState(rowCount: s.queue.items.count)
        table.select(s.queue.selected, visibleRows: max(1, tableRect.height - 1))
        TableView.render(
            into: &f, rect: tableRect, columns: columns, state: table,
            styles: s.tableStyles,
            focused: s.focus == .content
        ) { i in
            let q = s.queue.items[i]
            return [
                q.title.isEmpty ? t.t("composer.untitled") : q.title, q.operation.map { t.t("operation.\($0.rawValue)") } ?? "?",
                t.provider(q.provider),
                q.state == .failed && q.lastError?.hasPrefix(Store.needsSetup) == true ? t.t("outbox.blocked") : t.t("outbox.\(q.state.rawValue)"),
                s.formats.integer(q.attempts), q.lastError ?? "", s.formats.date(q.updatedAt),
            ]
        }
    }

    /// A refused or retrying item's message in full: who said it, the provider's own words,
    /// and what to do.
    static func detailLines(_ s: AppState, _ q: QueueItem, width: Int) -> [String] {
        guard let error = q.lastError, !error.isEmpty, width > 10 else { return [] }
        let t = s.strings, provider = t.provider(q.provider)
        if q.state == .failed, error.hasPrefix(Store.needsSetup) {
            // Not the provider's refusal: ours, until the setup is done.
            let reason = String(error.dropFirst(Store.needsSetup.count))
            return wrapWords(t.t("queue.blocked", ["provider": provider]) + " " + reason, width: width)
                + wrapWords(t.t("queue.blocked_fix") + " · " + keyLine(s, [.retry, .cancelItem], scope: "queue_failed"), width: width)
        }
        let head = t.t(q.state == .failed ? "queue.refused_by" : "queue.retrying_after", ["provider": provider])
        let fix =
            q.state == .failed
            ? keyLine(s, [.select, .retry, .cancelItem], scope: "queue_failed") : t.t("queue.retried_by_itself") + " · " + keyLine(s, [.cancelItem])
        return wrapWords(head + " " + error, width: width) + wrapWords(fix, width: width)
    }

    /// "Etsy  [▓▓▓░░ 12/20]  10/s · 9,988 left today · last error: …"
    static func renderProvider(_ s: AppState, _ provider: ProviderID, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let nameWidth = 10
        f.put(t.provider(provider.rawValue), x: rect.x, y: rect.y, style: th.title, maxWidth: nameWidth)
        var x = rect.x + nameWidth + 1
        guard let r = s.sync.reports.first(where: { $0.provider == provider.rawValue }) else {
            f.put(
                t.t(s.sync.available ? (s.sync.running ? "queue.sync_starting" : "queue.sync_never") : "queue.sync_not_connected"),
                x: x, y: rect.y, style: th.muted, maxWidth: rect.maxX - x)
            return
        }
        var parts: [String] = []
        var style = th.base
        switch r.outcome {
        case .running:
            let gaugeWidth = min(24, max(0, rect.maxX - x - 20))
            if gaugeWidth >= 8, r.total > 0 {
                Gauge.render(
                    into: &f, rect: Rect(x: x, y: rect.y, width: gaugeWidth, height: 1),
                    ratio: Double(r.pushed + r.failed) / Double(r.total),
                    label: " " + t.t("queue.sync_progress", ["done": fm.integer(r.pushed), "total": fm.integer(r.total)]),
                    style: th.base, fill: th.success, warn: th.success, danger: th.success, warnAt: 2, dangerAt: 2)
                x += gaugeWidth + 1
            } else {
                parts.append(t.t("queue.sync_progress", ["done": fm.integer(r.pushed), "total": fm.integer(r.total)]))
            }
        case .done, .waiting:
            parts.append(
                t.t(
                    "queue.sync_done",
                    [
                        "pushed": fm.integer(r.pushed), "failed": fm.integer(r.failed),
                        "time": s.sync.finishedAt.map(fm.time) ?? "",
                    ]))
            if r.pending > 0 { parts.append(t.t("queue.sync_waiting", ["count": fm.integer(r.pending)])) }
        case .notConnected:
            style = th.warning
            parts.append(t.t("queue.sync_not_connected"))
        case .notConfigured:
            style = th.warning
            parts.append(t.t("queue.sync_not_configured", ["reason": r.lastError ?? ""]))
        case .unauthorized:
            style = th.danger
            parts.append(t.t("queue.sync_unauthorized"))
        case .unavailable, .dailyLimit, .cancelled:
            style = th.danger
            parts.append(t.t("queue.sync_stopped", ["reason": r.lastError ?? r.outcome.rawValue]))
        }
        if let e = r.lastError, [.running, .done, .waiting].contains(r.outcome) { parts.append(t.t("queue.sync_last_error", ["error": e])) }
        if r.conflicts > 0 { parts.append(t.t("queue.sync_conflicts", ["count": fm.integer(r.conflicts)])) }
        if let rate = r.ratePerSecond, r.outcome == .running || r.outcome == .done || r.outcome == .waiting {
            parts.append(
                t.t("queue.sync_rate", ["rate": fm.integer(Int(rate.rounded()))])
                    + (r.remainingToday.map { " · " + t.t("queue.sync_left_today", ["count": fm.integer($0)]) } ?? ""))
        }
        if let until = r.pausedUntil { parts.append(t.t("queue.sync_paused", ["time": fm.time(until)])) }
        f.put(parts.joined(separator: " · "), x: x, y: rect.y, style: style, maxWidth: rect.maxX - x)
    }
}
