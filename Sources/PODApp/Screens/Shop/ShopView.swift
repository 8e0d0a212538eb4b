import Foundation
import PODCore
import TerminalUI

extension ShopScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3, rect.width >= 10 else { return }
        let x = rect.x + 1, width = rect.width - 2
        var y = rect.y
        let period = t.t("shop.period", ["days": s.formats.integer(s.shop.days)])
        f.put(period + " · " + keyLine(s, Self.self), x: x, y: y, style: th.muted, maxWidth: width)
        y += 1
        guard let now = s.shop.now, let current = s.shop.figures else {
            f.put(s.loadingText(for: id), x: x, y: y + 1, style: th.muted, maxWidth: width)
            return
        }
        let before = s.shop.figuresBefore
        // What the figures cannot show, said first.
        if let reason = notice(s, now) {
            f.put(reason.0, x: x, y: y, style: reason.1, maxWidth: width)
        }
        y += 2
        for line in summary(s, current, before) where y < rect.maxY {
            var cx = x
            for (text, style) in line {
                f.put(text, x: cx, y: y, style: style, maxWidth: max(0, rect.maxX - 1 - cx))
                cx += text.displayWidth
            }
            y += 1
        }
        // Where each figure comes from: measured, or estimated.
        for line in wrapWords(t.t(current.feesMeasured ? "shop.sources_ledger" : "shop.sources"), width: width).prefix(2) where y < rect.maxY {
            f.put(line, x: x, y: y, style: th.muted, maxWidth: width)
            y += 1
        }
        y += 1
        // Revenue by day, as bars.
        let chartHeight = min(6, max(0, (rect.maxY - y) / 3))
        if chartHeight >= 2, now.sales.count > 0 {
            y = renderChart(s, now, rect: Rect(x: x, y: y, width: width, height: chartHeight + 1), into: &f) + 1
        }
        // Each listing's part.
        guard let lines = s.shop.lines else {
            if y < rect.maxY { f.put(t.t("common.loading"), x: x, y: y, style: th.muted, maxWidth: width) }
            return
        }
        guard !lines.isEmpty else {
            if y < rect.maxY { f.put(t.t("shop.no_listings"), x: x, y: y, style: th.muted, maxWidth: width) }
            return
        }
        let tableRect = Rect(x: rect.x, y: y, width: rect.width, height: max(0, rect.maxY - y))
        guard tableRect.height >= 2 else { return }
        var table = TableState(rowCount: lines.count)
        table.select(s.shop.selected, visibleRows: max(1, tableRect.height - 1))
        func header(_ key: String, _ sort: ShopSort?) -> String {
            t.t(key) + (sort == s.shop.sort ? (s.shop.descending ? " ▼" : " ▲") : "")
        }
        let columns = [
            TableColumn(header("column.title", nil), .flex(1)), TableColumn(header("shop.revenue", .revenue), .fixed(12), alignRight: true),
            TableColumn(header("shop.orders", .orders), .fixed(9), alignRight: true), TableColumn(header("shop.units", .units), .fixed(8), alignRight: true),
            TableColumn(header("shop.views", .views), .fixed(9), alignRight: true),
            TableColumn(header("shop.conversion", .conversion), .fixed(12), alignRight: true),
            TableColumn(header("shop.change", .change), .fixed(9), alignRight: true),
        ]
        let currency = s.formats.currency
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table, styles: s.tableStyles, focused: s.focus == .content) { i in
            let l = lines[i]
            return [
                l.listing.title.isEmpty ? "#" + l.listing.listingID : l.listing.title, s.formats.money(cents: l.listing.revenueCents, currency: currency),
                s.formats.integer(l.listing.orders), s.formats.integer(l.listing.units), s.formats.integer(l.listing.views),
                l.conversion.map { s.formats.percent($0) } ?? "—", change(s, l.change, new: l.revenueBefore == nil && l.listing.revenueCents > 0),
            ]
        }
    }

    /// Why figures are missing or partial: no Etsy connection, a connection without the right
    /// to read sales, no sales yet, or views not counted yet.
    static func notice(_ s: AppState, _ now: ShopActivity) -> (String, Style)? {
        let t = s.strings, th = s.theme
        if let reason = s.shop.salesUnavailable { return (t.t("shop.sales_unavailable", ["reason": reason]), th.warning) }
        if now.demo { return (t.t("shop.demo"), th.warning) }
        if !s.shop.etsyConnected && now.sales.isEmpty { return (t.t("shop.empty") + " " + t.t("shop.empty_hint"), th.muted) }
        if now.sales.isEmpty { return (t.t("shop.no_sales", ["days": s.formats.integer(s.shop.days)]), th.muted) }
        if !now.statsBefore { return (t.t("shop.views_partial"), th.muted) }
        return nil
    }

    /// The figures as lines of (text, style) runs: each with its change from the period before.
    static func summary(_ s: AppState, _ n: ShopFigures, _ b: ShopFigures?) -> [[(String, Style)]] {
        let t = s.strings, th = s.theme, currency = s.formats.currency
        func money(_ cents: Int?) -> String { cents.map { s.formats.money(cents: $0, currency: currency) } ?? "—" }
        func item(_ key: String, _ value: String, _ now: Int?, _ before: Int?) -> [(String, Style)] {
            [(t.t(key) + " ", th.muted), (value, th.header), (" " + change(s, ShopFigures.change(now, from: before), new: false) + "   ", th.muted)]
        }
        let views = n.views.map { s.formats.integer($0) } ?? "—", favorites = n.favorites.map { s.formats.integer($0) } ?? "—"
        var costs: [(String, Style)] = [
            (t.t("shop.production", ["count": s.formats.integer(n.printifyOrders)]) + " ", th.muted), (money(n.productionCents), th.header),
            ("   " + t.t("shop.shipping_paid") + " ", th.muted), (money(n.shippingPaidCents), th.header),
        ]
        if n.productionCents == nil { costs.append(("   " + t.t("product.rate_missing", ["currency": currency]), th.warning)) }
        // The ledger's fees by kind, the largest first.
        let parts = n.feeParts.filter { $0.value != 0 }.sorted { ($0.value, $0.key.rawValue) > ($1.value, $1.key.rawValue) }
            .map { t.t("shop.fee.\($0.key.rawValue)") + " " + money($0.value) }
        let fees: [(String, Style)] =
            [(t.t(n.feesMeasured ? "shop.fees_ledger" : "shop.fees_estimated") + " ", th.muted), (money(n.feesCents), th.header)]
            + (parts.isEmpty ? [] : [(" (" + parts.joined(separator: " · ") + ")", th.muted)])
        return [
            item("shop.revenue", money(n.revenueCents), n.revenueCents, b?.revenueCents) + item("shop.orders", s.formats.integer(n.orders), n.orders, b?.orders)
                + item("shop.units", s.formats.integer(n.units), n.units, b?.units)
                + item("shop.average_order", money(n.averageOrderCents), n.averageOrderCents, b?.averageOrderCents),
            item("shop.views", views, n.views, b?.views) + item("shop.favorites", favorites, n.favorites, b?.favorites)
                + [(t.t("shop.conversion") + " ", th.muted), (n.conversion.map { s.formats.percent($0) } ?? "—", th.header)],
            costs,
            fees,
            [
                (t.t(n.profitMeasured ? "shop.profit_measured" : "shop.profit") + " ", th.muted),
                (money(n.profitCents), (n.profitCents ?? 0) < 0 ? th.danger : th.success),
            ]
                + [(" " + change(s, ShopFigures.change(n.profitCents, from: b?.profitCents), new: false), th.muted)],
        ]
    }

    /// "▲ 12 %", "▼ 5 %", "new", or "—" when there is nothing to compare with.
    static func change(_ s: AppState, _ value: Double?, new: Bool) -> String {
        guard let value else { return new ? s.strings.t("shop.new") : "—" }
        return (value >= 0 ? "▲ " : "▼ ") + s.formats.percent(abs(value))
    }

    /// Revenue by day over the period as bars of eighths (block characters, readable without
    /// colour), several days a column when the period is wider than the room. Returns the line
    /// below the chart.
    static func renderChart(_ s: AppState, _ now: ShopActivity, rect: Rect, into f: inout Frame) -> Int {
        let th = s.theme, currency = s.formats.currency
        let end = s.shop.asOf ?? Date(), days = s.shop.days
        let label = s.formats.money(cents: 0, currency: currency).count + 6
        let columns = max(1, min(days, rect.width - label - 1))
        let perColumn = Double(days) / Double(columns)
        var sums = [Int](repeating: 0, count: columns)
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        for sale in now.sales {
            let day = sale.createdAt.timeIntervalSince(start) / 86_400
            guard day >= 0 else { continue }
            sums[min(columns - 1, Int(day / perColumn))] += sale.revenueCents
        }
        let top = max(1, sums.max() ?? 1), rows = rect.height - 1
        let eighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
        f.put(s.formats.money(cents: top, currency: currency), x: rect.x, y: rect.y, style: th.muted, maxWidth: label)
        for (c, value) in sums.enumerated() {
            let filled = Int((Double(value) / Double(top) * Double(rows * 8)).rounded())
            for r in 0..<rows {
                let level = filled - r * 8
                let glyph: Character = level >= 8 ? "█" : level > 0 ? eighths[level - 1] : (r == 0 ? "·" : " ")
                f.put(String(glyph), x: rect.x + label + c, y: rect.y + rows - 1 - r, style: level > 0 ? th.accent : th.muted)
            }
        }
        let first = s.formats.date(start), last = s.formats.date(end)
        f.put(first, x: rect.x + label, y: rect.y + rows, style: th.muted, maxWidth: columns)
        f.put(last, x: rect.x + label + max(0, columns - last.displayWidth), y: rect.y + rows, style: th.muted)
        return rect.y + rows + 1
    }
}
