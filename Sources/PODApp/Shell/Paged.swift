import TerminalUI

/// Rows of a long table kept as pages around what is on screen, loaded by effects. Only the
/// pages near the visible rows are held, so a table of millions of rows costs a few pages.
public struct Paged<Row: Sendable & Equatable>: Sendable, Equatable {
    public static var pageSize: Int { 100 }
    /// Pages kept in memory at most.
    static var keptPages: Int { 12 }

    public var table = TableState()
    public private(set) var pages: [Int: [Row]] = [:]
    public private(set) var requested: Set<Int> = []
    /// Bumped whenever the query changes, so late answers to an old query are dropped.
    public private(set) var generation = 0
    /// False until an answer gives the row count; until then the table holds the rows of the
    /// pages received, so the first page shows at once.
    public private(set) var countKnown = false
    /// Pages shown from before a `refresh`, until their new answers arrive.
    private var stale: Set<Int> = []

    public init() {}

    public func row(_ i: Int) -> Row? { pages[i / Self.pageSize].flatMap { i % Self.pageSize < $0.count ? $0[i % Self.pageSize] : nil } }

    public var selectedRow: Row? { row(table.selected) }

    /// Forgets every page and starts a new query at the top.
    public mutating func reset() {
        pages = [:]
        requested = []
        generation += 1
        countKnown = false
        stale = []
        table = TableState(rowCount: 0, sortColumn: table.sortColumn, ascending: table.ascending)
    }

    /// The same query again, after the data changed (a sync, an import): the rows on screen and
    /// the selection stay until the new answers replace them, so the seller keeps their place
    /// and a key pressed meanwhile still has its row.
    public mutating func refresh() {
        generation += 1
        requested = []
        stale = Set(pages.keys)
        countKnown = false
    }

    /// The pages still to load for rows on screen (and the page either side), marked requested.
    public mutating func pagesToLoad(height: Int) -> [Int] {
        let visible = table.visibleRange(height: height)
        let first = max(0, visible.lowerBound / Self.pageSize - 1)
        let lastRow = countKnown ? max(0, min(table.rowCount - 1, visible.upperBound)) : 0
        let last = countKnown ? lastRow / Self.pageSize + 1 : 0
        var out: [Int] = []
        for p in first...max(first, last) where (pages[p] == nil || stale.contains(p)) && !requested.contains(p) {
            if countKnown && p * Self.pageSize >= table.rowCount && p > 0 { continue }
            requested.insert(p)
            out.append(p)
        }
        return out
    }

    /// Takes a loaded page; an answer for an older query is ignored.
    public mutating func receive(generation g: Int, page: Int, rows: [Row], total: Int?, height: Int) {
        guard g == generation else { return }
        requested.remove(page)
        stale.remove(page)
        pages[page] = rows
        if let total {
            countKnown = true
            table.rowCount = total
            table.select(table.selected, visibleRows: height)
        } else if !countKnown {
            table.rowCount = max(table.rowCount, page * Self.pageSize + rows.count)
        }
        if pages.count > Self.keptPages {
            let centre = table.selected / Self.pageSize
            for p in pages.keys.sorted(by: { abs($0 - centre) > abs($1 - centre) }).prefix(pages.count - Self.keptPages) {
                pages[p] = nil
                stale.remove(p)
            }
        }
    }
}
