import Foundation
import PODCore
import TerminalUI

/// The composer's home: every listing in the store (synced or demo) in a table that only
/// loads the rows on screen, with sort and filter-as-you-type. The seven-step editor is not
/// built yet, and the screen says so.
enum ComposerScreen {
    static let sorts = ListingSort.allCases

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let height = s.tableRows
        if navigate(&s.listings.rows.table, command, visibleRows: height) { return pageLoads(&s) }
        switch command {
        case .filter:
            s.listings.filtering = true
        case .sort, .reverseSort:
            let i = sorts.firstIndex(of: s.listings.sort) ?? 0
            s.listings.sort = sorts[(i + (command == .sort ? 1 : sorts.count - 1)) % sorts.count]
            s.listings.rows.reset()
            toast(&s, s.strings.t("toast.sorted", ["order": s.strings.t("sort.\(s.listings.sort.rawValue)")]))
            return pageLoads(&s)
        case .left:
            s.focus = .sidebar
        case .select:
            s.overlay = .info(titleKey: "composer.title", bodyKeys: ["composer.not_built", "composer.not_built_hint"])
        case .back where !s.listings.filter.text.isEmpty:
            s.listings.filter.apply(.set(""))
            s.listings.rows.reset()
            return pageLoads(&s)
        default:
            break
        }
        return []
    }

    /// Keys while the filter line has the focus: every edit re-queries; Enter keeps the
    /// filter and returns to the table, Esc clears it.
    static func filterKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .enter, .down, .tab:
            s.listings.filtering = false
            return []
        case .escape:
            s.listings.filtering = false
            guard !s.listings.filter.text.isEmpty else { return [] }
            s.listings.filter.apply(.set(""))
        default:
            guard let edit = TextFieldState.edit(for: key, keymap: s.keymap) else { return [] }
            let before = s.listings.filter.text
            s.listings.filter.apply(edit)
            guard s.listings.filter.text != before else { return [] }
        }
        s.listings.rows.reset()
        return pageLoads(&s)
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard rect.height >= 3 else { return }
        let l = s.listings
        // The filter line.
        let label = t.t("common.filter") + " "
        let lw = f.put(label, x: rect.x, y: rect.y, style: l.filtering ? th.accent : th.muted)
        if l.filtering || !l.filter.text.isEmpty {
            l.filter.render(into: &f, x: rect.x + lw, y: rect.y, width: min(40, rect.width - lw), style: th.input, focused: l.filtering)
        } else {
            f.put(t.t("composer.filter_hint"), x: rect.x + lw, y: rect.y, style: th.muted, maxWidth: rect.width - lw)
        }
        let countText = l.rows.countKnown ? t.plural("composer.count", count: l.rows.table.rowCount, formatted: fm.integer(l.rows.table.rowCount)) : t.t("common.loading")
        let sortText = t.t("composer.sorted_by", ["order": t.t("sort.\(l.sort.rawValue)")])
        let right = countText + " · " + sortText
        if rect.width > lw + 42 + right.displayWidth { f.put(right, x: rect.maxX - right.displayWidth, y: rect.y, style: th.muted) }

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
