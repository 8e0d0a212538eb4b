import Foundation
import PODCore
import TerminalUI

/// The composer's home: every listing in the store (synced or demo) in a table that only
/// loads the rows on screen, with sort and filter-as-you-type. The seven-step editor is not
/// built yet, and the screen says so.
enum ComposerScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if let effects = tableCommand(&s, \.listings, command) { return effects }
        if command == .select {
            s.overlay = .info(titleKey: "composer.title", bodyKeys: ["composer.not_built", "composer.not_built_hint"])
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard rect.height >= 3 else { return }
        let l = s.listings
        let countText = l.rows.countKnown ? t.plural("composer.count", count: l.rows.table.rowCount, formatted: fm.integer(l.rows.table.rowCount)) : t.t("common.loading")
        renderFilterLine(s, l.filter, filtering: l.filtering, hint: t.t("composer.filter_hint"),
                         right: countText + " · " + t.t("composer.sorted_by", ["order": t.t("sort.\(l.sort.rawValue)")]), into: &f, rect: rect)
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        if l.rows.countKnown && l.rows.table.rowCount == 0 {
            let lines = l.filter.text.isEmpty ? [t.t("composer.empty"), t.t("composer.empty_hint")] : [t.t("composer.no_match", ["filter": l.filter.text])]
            for (i, line) in lines.enumerated() { f.put(line, x: tableRect.x + 1, y: tableRect.y + i, style: i == 0 ? th.base : th.muted, maxWidth: tableRect.width - 2) }
            return
        }
        let columns = [TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("column.provider"), .fixed(9), dropOrder: 3),
                       TableColumn(t.t("column.state"), .fixed(9), dropOrder: 2), TableColumn(t.t("column.price"), .fixed(11), alignRight: true),
                       TableColumn(t.t("column.views"), .fixed(7), alignRight: true, dropOrder: 4),
                       TableColumn(t.t("column.updated"), .fixed(12), alignRight: true, dropOrder: 1)]
        // The header shows which column the store sorts by.
        var table = l.rows.table
        switch l.sort {
        case .title: (table.sortColumn, table.ascending) = (0, true)
        case .price: (table.sortColumn, table.ascending) = (3, true)
        case .views: (table.sortColumn, table.ascending) = (4, false)
        case .updated: (table.sortColumn, table.ascending) = (5, false)
        }
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table,
                         styles: TableStyles(header: th.header, row: th.base, selected: th.selection, dim: th.muted),
                         focused: s.focus == .content && !l.filtering) { i in
            guard let r = l.rows.row(i) else { return nil }
            return [(r.isDemo ? "[\(t.t("common.demo"))] " : "") + r.title, t.t("provider.\(r.provider)"), t.t("state.\(r.state)"),
                    fm.price(cents: r.priceCents), fm.integer(r.views), fm.date(r.updatedAt)]
        }
    }
}
