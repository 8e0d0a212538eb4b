import Foundation
import PODCore
import TerminalUI

/// Keywords of the chosen window and region from the precomputed summary, fastest growing
/// first (or by volume or name), filtered as you type, paged so that only the rows on screen
/// are loaded.
enum TrendsScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        tableCommand(&s, \.trends, command) ?? []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard rect.height >= 3 else { return }
        let trends = s.trends, rows = trends.rows
        let head = t.t("trends.heading", ["days": fm.integer(s.window.rawValue), "region": s.region, "order": t.t("sort.\(trends.sort.rawValue)")])
        renderFilterLine(s, trends.filter, filtering: trends.filtering, hint: t.t("trends.filter_hint"), right: head, into: &f, rect: rect)
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        if rows.countKnown && rows.table.rowCount == 0 {
            let lines = trends.filter.text.isEmpty ? [t.t("dashboard.no_trends"), t.t("dashboard.no_trends_hint")]
                : [t.t("trends.no_match", ["filter": trends.filter.text])]
            for (i, line) in lines.enumerated() {
                f.put(line, x: tableRect.x + 1, y: tableRect.y + i, style: i == 0 ? th.base : th.muted, maxWidth: tableRect.width - 2)
            }
            return
        }
        let sparkWidth = max(6, min(30, rect.width / 4))
        let columns = [TableColumn(t.t("column.keyword"), .flex(1)), TableColumn(t.t("column.region"), .fixed(6), dropOrder: 2),
                       TableColumn(t.t("column.volume"), .fixed(10), alignRight: true, dropOrder: 3),
                       TableColumn(t.t("column.growth"), .fixed(8), alignRight: true), TableColumn(t.t("column.trend"), .fixed(sparkWidth), dropOrder: 1)]
        var table = rows.table
        switch trends.sort {
        case .growth: (table.sortColumn, table.ascending) = (3, false)
        case .volume: (table.sortColumn, table.ascending) = (2, false)
        case .keyword: (table.sortColumn, table.ascending) = (0, true)
        }
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table,
                         styles: TableStyles(header: th.header, row: th.base, selected: th.selection, dim: th.muted),
                         focused: s.focus == .content && !trends.filtering) { i in
            guard let k = rows.row(i) else { return nil }
            return [(k.isDemo ? "[\(t.t("common.demo"))] " : "") + k.keyword, k.region, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—",
                    Sparkline.string(k.series, width: sparkWidth)]
        }
    }
}
