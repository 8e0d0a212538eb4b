import Foundation
import PODCore
import TerminalUI

/// Keywords of the chosen window and region from the precomputed summary, fastest growing
/// first, paged so that only the rows on screen are loaded.
enum TrendsScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if navigate(&s.trends.rows.table, command, visibleRows: s.tableRows) { return pageLoads(&s) }
        switch command {
        case .left: s.focus = .sidebar
        case .filter, .sort, .reverseSort: toast(&s, s.strings.t("trends.not_built"))
        default: break
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard rect.height >= 3 else { return }
        let rows = s.trends.rows
        let head = t.t("trends.heading", ["days": fm.integer(s.window.rawValue), "region": s.region])
        f.put(head, x: rect.x, y: rect.y, style: th.title, maxWidth: rect.width)
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        if rows.countKnown && rows.table.rowCount == 0 {
            f.put(t.t("dashboard.no_trends"), x: tableRect.x + 1, y: tableRect.y, style: th.base, maxWidth: tableRect.width - 2)
            f.put(t.t("dashboard.no_trends_hint"), x: tableRect.x + 1, y: tableRect.y + 1, style: th.muted, maxWidth: tableRect.width - 2)
            return
        }
        let sparkWidth = max(6, min(30, rect.width / 4))
        let columns = [TableColumn(t.t("column.keyword"), .flex(1)), TableColumn(t.t("column.region"), .fixed(6), dropOrder: 2),
                       TableColumn(t.t("column.volume"), .fixed(10), alignRight: true, dropOrder: 3),
                       TableColumn(t.t("column.growth"), .fixed(8), alignRight: true), TableColumn(t.t("column.trend"), .fixed(sparkWidth), dropOrder: 1)]
        TableView.render(into: &f, rect: tableRect, columns: columns, state: rows.table,
                         styles: TableStyles(header: th.header, row: th.base, selected: th.selection, dim: th.muted),
                         focused: s.focus == .content) { i in
            guard let k = rows.row(i) else { return nil }
            return [(k.isDemo ? "[\(t.t("common.demo"))] " : "") + k.keyword, k.region, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—",
                    Sparkline.string(k.series, width: sparkWidth)]
        }
    }
}
