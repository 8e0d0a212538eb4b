import Foundation
import PODCore
import TerminalUI

/// The dashboard: trending keywords with growth and sparklines over the chosen window, the
/// shop's sales of the last 30 days, recent drafts, the queue and connections, the
/// plan's usage and the latest notifications — all
/// read from the store, each with an honest empty state. Its data (`AppState.dashboard`) is the
/// app's: the sidebar's foot and the first-run offer read it too, so it loads app-wide.
enum DashboardScreen: ScreenModule {
    static let id = ScreenID.dashboard
    static let initialState: Void = ()
    static let commands: [Command] = [.select, .cycleWindow, .refresh]

    static func enter(_ s: inout AppState) -> [Effect] {
        [.loadDashboard(window: s.window, region: s.region)] + NichesScreen.load(s)
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .select, .right:
            return go(&s, .trends)
        case .left:
            s.focus = .sidebar
            return []
        default:
            return []
        }
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let th = s.theme
        guard let data = s.dashboard else {
            let msg = s.dashboardError ?? s.loadingText(for: id)
            f.put(msg, x: rect.x + 1, y: rect.y + 1, style: s.dashboardError == nil ? th.muted : th.danger, maxWidth: rect.width - 2)
            return
        }
        let wide = rect.width >= 90
        let parts = wide ? rect.columns([3, 2], gap: 1) : rect.rows([3, 2], gap: 0)
        let bars = growthBars(s, data)
        // The growth chart under the table, where the column is tall enough for both.
        let chartHeight = parts[0].height >= 24 && !bars.rows.isEmpty ? min(bars.rows.count + 2, parts[0].height / 3) : 0
        trending(s, data, into: &f, rect: Rect(x: parts[0].x, y: parts[0].y, width: parts[0].width, height: parts[0].height - chartHeight))
        if chartHeight > 0 {
            growthChart(s, bars, into: &f, rect: Rect(x: parts[0].x, y: parts[0].maxY - chartHeight, width: parts[0].width, height: chartHeight))
        }
        side(s, data, into: &f, rect: parts[1])
    }

    /// The keywords the growth chart shows: the watched ones that have figures in the window,
    /// or else the fastest growing.
    static func growthBars(_ s: AppState, _ data: DashboardData) -> (titleKey: String, rows: [(keyword: String, growth: Double)]) {
        let watched = s.search.memory.marks.filter(\.watched).compactMap { m in m.trend?.growth.map { (m.keyword, $0) } }
        if !watched.isEmpty { return ("dashboard.chart_watched", Array(watched.prefix(8))) }
        return ("dashboard.chart_rising", Array(data.trending.compactMap { k in k.growth.map { (k.keyword, $0) } }.prefix(6)))
    }

    /// One bar per keyword, its length its growth against the largest shown (falls in red).
    static func growthChart(_ s: AppState, _ bars: (titleKey: String, rows: [(keyword: String, growth: Double)]), into f: inout Frame, rect: Rect) {
        let th = s.theme, fm = s.formats
        f.box(rect, style: th.border, title: s.strings.t(bars.titleKey, ["days": fm.integer(s.window.rawValue)]), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        let labelWidth = min(28, inner.width * 2 / 5)
        let largest = bars.rows.map { abs($0.growth) }.max() ?? 0
        for (i, row) in bars.rows.prefix(inner.height).enumerated() {
            let y = inner.y + i
            f.put(row.keyword, x: inner.x, y: y, style: th.base, maxWidth: labelWidth - 1)
            let value = fm.growth(row.growth)
            let barWidth = inner.width - labelWidth - 8
            f.put(value, x: inner.x + labelWidth, y: y, style: th.muted, maxWidth: 7)
            guard barWidth > 2 else { continue }
            f.put(
                Bar.string(largest > 0 ? abs(row.growth) / largest : 0, width: barWidth), x: inner.x + labelWidth + 8, y: y,
                style: row.growth < 0 ? th.danger : th.success)
        }
    }

    static func trending(_ s: AppState, _ data: DashboardData, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        var title = t.t("dashboard.trending", ["days": fm.integer(data.window.rawValue), "region": s.region])
        if let asOf = data.trendsAsOf { title += " · " + t.t("dashboard.as_of", ["date": fm.day(asOf)]) }
        f.box(rect, style: th.border, title: title, titleStyle: th.title)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        if data.trending.isEmpty {
            let lines = !data.hasSignals ? [t.t("dashboard.no_trends"), t.t("dashboard.no_trends_hint")] : [t.t("dashboard.no_growth")]
            for (i, l) in lines.enumerated() { f.put(l, x: inner.x + 1, y: inner.y + i, style: i == 0 ? th.base : th.muted, maxWidth: inner.width - 2) }
            return
        }
        let sparkWidth = max(6, min(30, inner.width / 5))
        let volumeTitle = data.isDemo || data.trending.contains(where: \.isDemo) ? t.t("column.volume_est") : t.t("column.volume")
        let columns = [
            TableColumn(t.t("column.keyword"), .flex(1)), TableColumn(volumeTitle, .fixed(max(8, volumeTitle.displayWidth)), alignRight: true, dropOrder: 1),
            TableColumn(t.t("column.growth"), .fixed(8), alignRight: true), TableColumn(t.t("column.trend"), .fixed(sparkWidth), dropOrder: 2),
        ]
        // No selection here: every row in the plain style.
        TableView.render(
            into: &f, rect: inner, columns: columns, state: TableState(rowCount: data.trending.count),
            styles: TableStyles(header: th.header, row: th.base, selected: th.base, dim: th.muted), minimumFlex: 14
        ) { i in
            let k = data.trending[i]
            return [k.keyword, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—", Sparkline.string(k.series, width: sparkWidth)]
        }
    }

    /// A titled box of the side column: how many lines it wants and how to draw them.
    struct Section {
        var title: String
        var lines: Int
        var draw: (inout Frame, Rect) -> Void
    }

    /// Stacks sections top-down at their natural heights; the last takes what is left, and a
    /// section with no room for one line is left out rather than drawn over its border.
    static func stack(_ sections: [Section], in rect: Rect, into f: inout Frame, theme th: Theme) {
        var y = rect.y
        for (i, section) in sections.enumerated() {
            let remaining = rect.maxY - y
            let h = i == sections.count - 1 ? remaining : min(section.lines + 2, remaining)
            guard h >= 3 else { break }
            let box = Rect(x: rect.x, y: y, width: rect.width, height: h)
            f.box(box, style: th.border, title: section.title, titleStyle: th.title)
            section.draw(&f, box.inset(dx: 2, dy: 1))
            y += h
        }
    }

    static func side(_ s: AppState, _ data: DashboardData, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let drafts = Section(title: t.t("dashboard.drafts"), lines: max(1, data.recentDrafts.count)) { f, r in
            guard !data.recentDrafts.isEmpty else {
                f.put(t.t("dashboard.no_drafts"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            for (i, d) in data.recentDrafts.prefix(r.height).enumerated() {
                let when = fm.date(d.updatedAt)
                let w = r.width > when.displayWidth + 8 ? f.put(when, x: r.maxX - when.displayWidth, y: r.y + i, style: th.muted) : 0
                f.put(d.title.isEmpty ? t.t("common.untitled") : d.title, x: r.x, y: r.y + i, style: th.base, maxWidth: r.width - w - 1)
            }
        }
        let q = data.queue
        let sync = Section(title: t.t("dashboard.sync"), lines: 1 + data.connections.count) { f, r in
            let queueLine =
                q.total == 0
                ? t.t("dashboard.queue_empty")
                : t.t("dashboard.queue", ["pending": fm.integer(q.pending + q.inFlight), "failed": fm.integer(q.failed), "done": fm.integer(q.done)])
            f.put(queueLine, x: r.x, y: r.y, style: q.failed > 0 ? th.warning : th.base, maxWidth: r.width)
            for (i, c) in data.connections.prefix(max(0, r.height - 1)).enumerated() {
                let (text, style) = connectionText(s, c)
                f.put(text, x: r.x, y: r.y + 1 + i, style: style, maxWidth: r.width)
            }
        }
        let limit = s.plan.limit(.listings)
        let used = data.listingsUsedThisMonth
        let plan = Section(title: t.t("dashboard.plan", ["plan": t.t("plan.\(s.plan.rawValue)")]), lines: 2) { f, r in
            Gauge.render(
                into: &f, rect: Rect(x: r.x, y: r.y, width: r.width, height: 1), ratio: Double(used) / Double(max(1, limit)),
                label: t.t("dashboard.listings_quota", ["used": fm.integer(used), "limit": fm.integer(limit)]),
                style: th.base, fill: th.success, warn: th.warning, danger: th.danger)
            if r.height > 1 { f.put(t.t("dashboard.quota_source"), x: r.x, y: r.y + 1, style: th.muted, maxWidth: r.width) }
        }
        let unread = data.unreadNotifications
        let notes = Section(title: t.plural("dashboard.notifications", count: unread, formatted: fm.integer(unread)), lines: max(1, data.notifications.count)) {
            f, r in
            guard !data.notifications.isEmpty else {
                f.put(t.t("dashboard.no_notifications"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            for (i, n) in data.notifications.prefix(r.height).enumerated() {
                f.put((n.isRead ? "  " : "● ") + n.text(t), x: r.x, y: r.y + i, style: n.isRead ? th.muted : th.base, maxWidth: r.width)
            }
        }
        let coming = SeasonalScreen.upcoming(s, limit: 4)
        let today = fm.today(s.now)
        let seasonal = Section(title: t.t("dashboard.coming_up", ["region": s.region]), lines: max(1, coming.count)) { f, r in
            guard !coming.isEmpty else {
                f.put(t.t("dashboard.no_events"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            for (i, o) in coming.prefix(r.height).enumerated() {
                let days = o.daysUntil(today)
                let when = days == 0 ? t.t("seasonal.today") : t.plural("seasonal.in_days", count: days, formatted: fm.integer(days))
                let w = f.put(when, x: r.maxX - when.displayWidth, y: r.y + i, style: th.muted)
                let mark = o.inLaunchWindow(today) ? "▲ " : "  "
                f.put(mark + SeasonalScreen.name(s, o), x: r.x, y: r.y + i, style: o.inLaunchWindow(today) ? th.warning : th.base, maxWidth: r.width - w - 1)
            }
        }
        // Rising niches: the best scores among those growing, from the Niches screen's data.
        let rising = Array(s.niches.rows.filter { !$0.excluded && $0.volume > $0.previousVolume && $0.previousVolume > 0 }.prefix(3))
        let niches = Section(title: t.t("dashboard.rising_niches", ["days": fm.integer(s.window.rawValue)]), lines: max(1, rising.count)) { f, r in
            guard !rising.isEmpty else {
                f.put(t.t(s.niches.loaded ? "dashboard.no_rising_niches" : "common.loading"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            for (i, n) in rising.prefix(r.height).enumerated() {
                let growth = TrendMath.growth(current: n.volume, previous: n.previousVolume).map(fm.growth) ?? ""
                let figures = t.t("dashboard.niche_figures", ["score": fm.integer(n.score.opportunity), "growth": growth])
                let w = f.put(figures, x: r.maxX - figures.displayWidth, y: r.y + i, style: th.muted)
                f.put(n.name, x: r.x, y: r.y + i, style: th.base, maxWidth: r.width - w - 1)
            }
        }
        // The shop's sales of the last 30 days, against the 30 before.
        let sales = Section(title: t.t("dashboard.sales", ["days": fm.integer(30)]), lines: 2) { f, r in
            guard let now = data.sales, let n = ShopScreen.figures(s, now) else {
                f.put(t.t("common.loading"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            if now.sales.isEmpty {
                let connected = data.connections.contains { $0.provider == ProviderID.etsy.rawValue && $0.state == .connected }
                let text = connected ? t.t("shop.no_sales", ["days": fm.integer(30)]) : t.t("shop.empty") + " " + t.t("shop.empty_hint")
                f.put(text, x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
                return
            }
            let b = ShopScreen.figures(s, data.salesBefore)
            let money = { (cents: Int?) in cents.map { fm.money(cents: $0, currency: fm.currency) } ?? "—" }
            let first = t.t(
                n.profitMeasured ? "dashboard.sales_line_measured" : "dashboard.sales_line",
                [
                    "revenue": money(n.revenueCents), "change": ShopScreen.change(s, ShopFigures.change(n.revenueCents, from: b?.revenueCents), new: false),
                    "orders": fm.integer(n.orders), "profit": money(n.profitCents),
                ])
            f.put(first, x: r.x, y: r.y, style: th.base, maxWidth: r.width)
            if r.height > 1 { f.put(t.t("dashboard.sales_more"), x: r.x, y: r.y + 1, style: th.muted, maxWidth: r.width) }
        }
        stack([sync, sales, plan, seasonal, niches, drafts, notes], in: rect, into: &f, theme: th)
    }

    static func connectionText(_ s: AppState, _ c: ConnectionInfo) -> (String, Style) {
        let t = s.strings, th = s.theme
        let name = t.provider(c.provider)
        switch c.state {
        case .connected:
            if let hours = IntegrationsScreen.hoursLeft(s, c) {
                return ("! " + t.plural("connect.warning", count: hours, formatted: s.formats.integer(hours), ["provider": name]), th.warning)
            }
            if let lapse = c.expiresAt, lapse <= s.now { return ("! " + t.t("connection.expired", ["provider": name]), th.warning) }
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
