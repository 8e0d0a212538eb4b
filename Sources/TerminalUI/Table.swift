import Foundation

/// A table column: a title, a width (fixed cells, or a share of what is left), an alignment.
public struct TableColumn: Sendable, Equatable {
    public enum Width: Sendable, Equatable { case fixed(Int), flex(Int) }
    public var title: String
    public var width: Width
    public var alignRight: Bool
    /// 0: always shown; higher numbers are dropped first when the table is narrow.
    public var dropOrder: Int
    public init(_ title: String, _ width: Width, alignRight: Bool = false, dropOrder: Int = 0) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
        self.dropOrder = dropOrder
    }

    /// The indices of the columns to show in `width` so that the flexible columns keep at least
    /// `minimumFlex` cells: optional columns go, highest `dropOrder` first.
    public static func fitting(_ columns: [TableColumn], width: Int, minimumFlex: Int) -> [Int] {
        var kept = Array(columns.indices)
        while true {
            let fixed = kept.reduce(0) {
                if case .fixed(let w) = columns[$1].width { return $0 + w + 1 }
                return $0 + 1
            }
            guard width - fixed < minimumFlex, let drop = kept.filter({ columns[$0].dropOrder > 0 }).max(by: { columns[$0].dropOrder < columns[$1].dropOrder })
            else { break }
            kept.removeAll { $0 == drop }
        }
        return kept
    }

    /// Column widths for a total width, with one space between columns.
    public static func layout(_ columns: [TableColumn], width: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) {
            if case .fixed(let w) = $1.width { return $0 + w }
            return $0
        }
        let flexTotal = columns.reduce(0) {
            if case .flex(let w) = $1.width { return $0 + w }
            return $0
        }
        var rest = max(0, width - fixed - gaps)
        var out: [Int] = []
        var flexLeft = flexTotal
        for c in columns {
            switch c.width {
            case .fixed(let w): out.append(w)
            case .flex(let w):
                let share = flexLeft == w ? rest : (flexTotal == 0 ? 0 : max(0, (width - fixed - gaps) * w / flexTotal))
                let use = min(share, rest)
                out.append(use)
                rest -= use
                flexLeft -= w
            }
        }
        // When fixed columns alone overflow, shrink from the right.
        var excess = out.reduce(0, +) + gaps - width
        var i = out.count - 1
        while excess > 0, i >= 0 {
            let cut = min(out[i], excess)
            out[i] -= cut
            excess -= cut
            i -= 1
        }
        return out
    }
}

/// Selection and scroll of a list or table of `rowCount` rows. Rows themselves live elsewhere:
/// only the visible ones are ever asked for.
public struct TableState: Sendable, Equatable {
    public var rowCount: Int { didSet { clamp() } }
    public private(set) var selected: Int
    public private(set) var offset: Int
    public var sortColumn: Int?
    public var ascending: Bool

    public init(rowCount: Int = 0, selected: Int = 0, sortColumn: Int? = nil, ascending: Bool = true) {
        self.rowCount = max(0, rowCount)
        self.selected = 0
        self.offset = 0
        self.sortColumn = sortColumn
        self.ascending = ascending
        select(selected, visibleRows: 1)
    }

    public enum Move: Sendable, Equatable { case up, down, pageUp, pageDown, top, bottom, to(Int) }

    /// Moves the selection and scrolls the minimum to keep it on screen.
    public mutating func move(_ m: Move, visibleRows: Int) {
        let page = max(1, visibleRows - 1)
        switch m {
        case .up: select(selected - 1, visibleRows: visibleRows)
        case .down: select(selected + 1, visibleRows: visibleRows)
        case .pageUp: select(selected - page, visibleRows: visibleRows)
        case .pageDown: select(selected + page, visibleRows: visibleRows)
        case .top: select(0, visibleRows: visibleRows)
        case .bottom: select(rowCount - 1, visibleRows: visibleRows)
        case .to(let i): select(i, visibleRows: visibleRows)
        }
    }

    public mutating func select(_ i: Int, visibleRows: Int) {
        selected = max(0, min(i, rowCount - 1))
        let h = max(1, visibleRows)
        if selected < offset { offset = selected }
        if selected >= offset + h { offset = selected - h + 1 }
        offset = max(0, min(offset, max(0, rowCount - h)))
    }

    private mutating func clamp() {
        selected = max(0, min(selected, rowCount - 1))
        offset = max(0, min(offset, selected))
    }

    /// The row indices on screen for a given height.
    public func visibleRange(height: Int) -> Range<Int> {
        let start = min(offset, rowCount)
        return start..<min(rowCount, start + max(0, height))
    }
}

public struct TableStyles: Sendable {
    public var header: Style
    public var row: Style
    public var selected: Style
    public var dim: Style
    public init(header: Style, row: Style, selected: Style, dim: Style) {
        self.header = header
        self.row = row
        self.selected = selected
        self.dim = dim
    }
}

public enum TableView {
    /// Renders the header and the visible rows. `cells(i)` is called only for rows on screen;
    /// `nil` draws a placeholder (a row still loading).
    public static func render(
        into frame: inout Frame, rect: Rect, columns allColumns: [TableColumn], state: TableState,
        styles: TableStyles, focused: Bool = true, showHeader: Bool = true, minimumFlex: Int = 20,
        cells rowCells: (Int) -> [String]?
    ) {
        guard !rect.isEmpty else { return }
        let shown = TableColumn.fitting(allColumns, width: rect.width, minimumFlex: minimumFlex)
        let columns = shown.map { allColumns[$0] }
        let widths = TableColumn.layout(columns, width: rect.width)
        var y = rect.y
        if showHeader {
            frame.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: styles.header)
            var x = rect.x
            for (i, c) in columns.enumerated() {
                var title = c.title
                if state.sortColumn == shown[i] { title += state.ascending ? " ▲" : " ▼" }
                frame.putPadded(title, x: x, y: y, width: widths[i], style: styles.header, alignRight: c.alignRight)
                x += widths[i] + 1
            }
            y += 1
        }
        let bodyHeight = rect.maxY - y
        for row in state.visibleRange(height: bodyHeight) {
            let isSelected = row == state.selected
            // The selection marks the first column's text only (plus a space either side), not
            // the whole row: moving it repaints a few dozen cells, not two full lines.
            let mark = isSelected ? (focused ? styles.selected : styles.row.with([.bold, .underline])) : styles.row
            frame.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: styles.row)
            if let all = rowCells(row) {
                let values = shown.map { $0 < all.count ? all[$0] : "" }
                var x = rect.x
                for (i, c) in columns.enumerated() where widths[i] > 0 {
                    let value = i < values.count ? values[i] : ""
                    if i == 0 && isSelected {
                        let w = min(widths[i], value.displayWidth + 1)
                        frame.putPadded(value, x: x, y: y, width: w, style: mark, alignRight: c.alignRight)
                    } else {
                        frame.putPadded(value, x: x, y: y, width: widths[i], style: styles.row, alignRight: c.alignRight)
                    }
                    x += widths[i] + 1
                }
            } else {
                frame.put("…", x: rect.x, y: y, style: isSelected ? mark : styles.dim)
            }
            y += 1
        }
    }
}
