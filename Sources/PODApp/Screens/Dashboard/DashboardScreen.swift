import Foundation
import PODCore
import TerminalUI

/// The dashboard: trending keywords with growth and sparklines over the chosen window, recent
/// drafts, the queue and connections, the plan's usage and the latest notifications — all
/// read from the store, each with an honest empty state.
enum DashboardScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .select, .right:
            return go(&s, .trends)
        case .left:
            s.focus = .sidebar
            return []
        case .filter:
            toast(&s, s.strings.t("toast.no_filter"))
            return []
        default:
            return []
        }
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard let data = s.dashboard else {
            let msg = s.dashboardError ?? t.t("common.loading")
            f.put(msg, x: rect.x + 1, y: rect.y + 1, style: s.dashboardError == nil ? th.muted : th.danger, maxWidth: rect.width - 2)
            return
        }
        let wide = rect.width >= 90
        let parts = wide ? rect.columns([3, 2], gap: 1) : rect.rows([3, 2], gap: 0)
        trending(s, data, into: &f, rect: parts[0])
        side(s, data, into: &f, rect: parts[1])
    }

    static func trending(_ s: AppState, _ data: DashboardData, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        var title = t.t("dashboard.trending", ["days": fm.integer(data.window.rawValue), "region": s.region])
        if let asOf = data.trendsAsOf { title += " · " + t.t("dashboard.as_of", ["date": fm.date(Day.date(asOf))]) }
        f.box(rect, style: th.border, title: title, titleStyle: th.title)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        if data.trending.isEmpty {
            let lines = data.signalCount == 0 ? [t.t("dashboard.no_trends"), t.t("dashboard.no_trends_hint")] : [t.t("dashboard.no_growth")]
            for (i, l) in lines.enumerated() { f.put(l, x: inner.x + 1, y: inner.y + i, style: i == 0 ? th.base : th.muted, maxWidth: inner.width - 2) }
            return
        }
        let sparkWidth = max(6, min(30, inner.width / 4))
        let volumeTitle = data.isDemo || data.trending.contains(where: \.isDemo) ? t.t("column.volume_est") : t.t("column.volume")
        let columns = [TableColumn(t.t("column.keyword"), .flex(1)), TableColumn(volumeTitle, .fixed(12), alignRight: true),
                       TableColumn(t.t("column.growth"), .fixed(8), alignRight: true), TableColumn(t.t("column.trend"), .fixed(sparkWidth))]
        // No selection here: every row in the plain style.
        TableView.render(into: &f, rect: inner, columns: columns, state: TableState(rowCount: data.trending.count),
                         styles: TableStyles(header: th.header, row: th.base, selected: th.base, dim: th.muted)) { i in
            let k = data.trending[i]
            return [k.keyword, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—", Sparkline.string(k.series, width: sparkWidth)]
        }
    }

    static func side(_ s: AppState, _ data: DashboardData, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let boxes = rect.rows([7, 5, 4, 6])
        // Recent drafts.
        f.box(boxes[0], style: th.border, title: t.t("dashboard.drafts"), titleStyle: th.title)
        var inner = boxes[0].inset(by: 1)
        if data.recentDrafts.isEmpty {
            f.put(t.t("dashboard.no_drafts"), x: inner.x + 1, y: inner.y, style: th.muted, maxWidth: inner.width - 2)
        } else {
            for (i, d) in data.recentDrafts.prefix(inner.height).enumerated() {
                let when = fm.date(d.updatedAt)
                let w = f.put(when, x: inner.maxX - when.displayWidth - 1, y: inner.y + i, style: th.muted)
                f.put(d.title.isEmpty ? t.t("common.untitled") : d.title, x: inner.x + 1, y: inner.y + i, style: th.base, maxWidth: inner.width - w - 3)
            }
        }
        // Queue and connections.
        f.box(boxes[1], style: th.border, title: t.t("dashboard.sync"), titleStyle: th.title)
        inner = boxes[1].inset(by: 1)
        let q = data.queue
        let queueLine = q.total == 0 ? t.t("dashboard.queue_empty")
            : t.t("dashboard.queue", ["pending": fm.integer(q.pending + q.inFlight), "failed": fm.integer(q.failed), "done": fm.integer(q.done)])
        f.put(queueLine, x: inner.x + 1, y: inner.y, style: q.failed > 0 ? th.warning : th.base, maxWidth: inner.width - 2)
        for (i, c) in data.connections.prefix(max(0, inner.height - 1)).enumerated() {
            let (text, style) = connectionText(s, c)
            f.put(text, x: inner.x + 1, y: inner.y + 1 + i, style: style, maxWidth: inner.width - 2)
        }
        // Plan usage.
        f.box(boxes[2], style: th.border, title: t.t("dashboard.plan", ["plan": t.t("plan.\(s.plan.rawValue)")]), titleStyle: th.title)
        inner = boxes[2].inset(by: 1)
        let limit = s.plan.limit(.listings)
        let used = data.listingsUsedThisMonth
        Gauge.render(into: &f, rect: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 1),
                     ratio: Double(used) / Double(max(1, limit)),
                     label: t.t("dashboard.listings_quota", ["used": fm.integer(used), "limit": fm.integer(limit)]),
                     style: th.base, fill: th.success, warn: th.warning, danger: th.danger)
        if inner.height > 1 {
            f.put(t.t("dashboard.quota_source"), x: inner.x + 1, y: inner.y + 1, style: th.muted, maxWidth: inner.width - 2)
        }
        // Notifications.
        let unread = data.unreadNotifications
        f.box(boxes[3], style: th.border, title: t.plural("dashboard.notifications", count: unread, formatted: fm.integer(unread)), titleStyle: th.title)
        inner = boxes[3].inset(by: 1)
        if data.notifications.isEmpty {
            f.put(t.t("dashboard.no_notifications"), x: inner.x + 1, y: inner.y, style: th.muted, maxWidth: inner.width - 2)
        } else {
            for (i, n) in data.notifications.prefix(inner.height).enumerated() {
                let mark = n.isRead ? "  " : "● "
                f.put(mark + n.title, x: inner.x + 1, y: inner.y + i, style: n.isRead ? th.muted : th.base, maxWidth: inner.width - 2)
            }
        }
    }

    static func connectionText(_ s: AppState, _ c: ConnectionInfo) -> (String, Style) {
        let t = s.strings, th = s.theme
        let name = t.t("provider.\(c.provider)")
        switch c.state {
        case .connected:
            return ("● " + t.t("connection.connected", ["provider": name, "account": c.accountName ?? "?"]), th.success)
        case .notConnected:
            return ("○ " + t.t("connection.not_connected", ["provider": name]), th.muted)
        case .expired:
            return ("! " + t.t("connection.expired", ["provider": name]), th.warning)
        case .error:
            return ("✗ " + t.t("connection.error", ["provider": name]), th.danger)
        }
    }
}
