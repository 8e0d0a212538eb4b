import Foundation
import PODCore
import TerminalUI

/// Keywords of the chosen window and region from the precomputed summary, fastest growing
/// first (or by volume or name), filtered as you type, paged so that only the rows on screen
/// are loaded.
enum TrendsScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if let effects = tableCommand(&s, \.trends, command) { return effects }
        if command == .select { return compose(&s) }
        return []
    }

    /// Enter or `n` on a keyword: a new draft with it as the primary keyword and niche, and tags.
    static func compose(_ s: inout AppState) -> [Effect] {
        var seed = ListingDraft()
        seed.keyword = s.trends.rows.selectedRow?.keyword ?? ""
        return ComposerScreen.newDraft(&s, seed: seed)
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        guard rect.height >= 3 else { return }
        let trends = s.trends, rows = trends.rows
        let head = t.t("trends.heading", ["days": fm.integer(s.window.rawValue), "region": s.region, "order": t.t("sort.\(trends.sort.rawValue)")])
        guard let tableRect = filteredTableBody(s, trends, hint: t.t("trends.filter_hint"), right: head,
                                                empty: [t.t("dashboard.no_trends"), t.t("dashboard.no_trends_hint")],
                                                noMatch: t.t("trends.no_match", ["filter": trends.filter.text]), into: &f, rect: rect) else { return }
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
                         styles: s.tableStyles,
                         focused: s.focus == .content && !trends.filtering) { i in
            guard let k = rows.row(i) else { return nil }
            return [(k.isDemo ? "[\(t.t("common.demo"))] " : "") + k.keyword, k.region, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—",
                    Sparkline.string(k.series, width: sparkWidth)]
        }
    }
}
