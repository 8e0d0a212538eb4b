import Foundation
import PODCore
import TerminalUI

/// Every listing in the store (synced, imported or demo) in a table that only loads the rows
/// on screen, with sort and filter-as-you-type.
enum ListingsScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if command == .keepLocal || command == .takeRemote {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected), row.hasConflict else {
                toast(&s, s.strings.t("listings.no_conflict"))
                return []
            }
            return [.resolveConflict(listingID: row.id, keepLocal: command == .keepLocal)]
        }
        return tableCommand(&s, \.listings, command) ?? []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        guard rect.height >= 3 else { return }
        let l = s.listings
        let countText = countLabel(s, "listings.count", l.rows)
        guard let tableRect = filteredTableBody(s, l, hint: t.t("listings.filter_hint"),
                                                right: countText + " · " + t.t("listings.sorted_by", ["order": t.t("sort.\(l.sort.rawValue)")]),
                                                empty: [t.t("listings.empty"), t.t("listings.empty_hint")],
                                                noMatch: t.t("listings.no_match", ["filter": l.filter.text]), into: &f, rect: rect) else { return }
        let columns = [TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("column.provider"), .fixed(9), dropOrder: 3),
                       TableColumn(t.t("column.state"), .fixed(11), dropOrder: 2), TableColumn(t.t("column.price"), .fixed(11), alignRight: true),
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
                         styles: s.tableStyles,
                         focused: s.focus == .content && !l.filtering) { i in
            guard let r = l.rows.row(i) else { return nil }
            return [(r.isDemo ? "[\(t.t("common.demo"))] " : "") + r.title, t.provider(r.provider),
                    r.hasConflict ? "⚠ " + t.t("listings.conflict") : t.t("state.\(r.state)"),
                    fm.money(cents: r.priceCents, currency: r.currency), fm.integer(r.views), fm.date(r.updatedAt)]
        }
    }
}
