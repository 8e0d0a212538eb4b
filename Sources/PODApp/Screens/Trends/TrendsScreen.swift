import Foundation
import PODCore
import PODStore
import TerminalUI

/// The Trends screen's state: the table, its product category, and the detail pane.
public struct TrendsScreenState: Sendable, Equatable {
    public var table = TrendsState(sort: .growth)
    /// The table's product category (`f`), or every category.
    public var category: ProductCategory?
    /// The detail pane (`v`): open or not, and the chosen keyword's history and sources.
    public var detailOpen = false
    public var detail: KeywordDetail?
}

extension AppState {
    public var trends: TrendsState {
        get { screens[TrendsScreen.self].table }
        _modify { yield &screens[TrendsScreen.self].table }
    }
    public var trendCategory: ProductCategory? {
        get { screens[TrendsScreen.self].category }
        set { screens[TrendsScreen.self].category = newValue }
    }
    public var trendDetailOpen: Bool {
        get { screens[TrendsScreen.self].detailOpen }
        set { screens[TrendsScreen.self].detailOpen = newValue }
    }
    public var trendDetail: KeywordDetail? {
        get { screens[TrendsScreen.self].detail }
        set { screens[TrendsScreen.self].detail = newValue }
    }
}

/// Keywords of the chosen window and region from the precomputed summary, fastest growing
/// first (or by volume or name), filtered as you type, paged so that only the rows on screen
/// are loaded.
enum TrendsScreen: ScreenModule {
    static let id = ScreenID.trends
    static let initialState = TrendsScreenState()
    static let commands: [Command] = [.filter, .sort, .reverseSort, .category, .details, .select, .newDraft, .save, .watch, .cycleWindow]
    static let hints: [Command] = [.filter, .sort, .category, .details, .save, .watch, .select]

    enum Message: ScreenMessage {
        case loaded(generation: Int, page: Int, rows: [KeywordTrend], total: Int?)
        case detailLoaded(KeywordDetail)
    }

    enum Job: ScreenJob {
        case load(generation: Int, page: Int, window: TrendWindow, region: String, sort: TrendSort, filter: String, category: ProductCategory?, withCount: Bool)
        case loadDetail(keyword: String, region: String)

        var lane: EffectLane {
            switch self {
            case .load, .loadDetail: .read
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load(let g, let page, let window, let region, let sort, let filter, let category, let withCount):
                let size = Paged<KeywordTrend>.pageSize
                try run.pageThenCount(
                    withCount: withCount,
                    rows: {
                        try run.store.trending(window: window, region: region, offset: page * size, limit: size, sort: sort, filter: filter, category: category)
                    },
                    count: { try run.store.trendingCount(window: window, region: region, filter: filter, category: category) }
                ) {
                    .to(TrendsScreen.self, .loaded(generation: g, page: page, rows: $0, total: $1))
                }
            case .loadDetail(let keyword, let region):
                run.answer(TrendsScreen.self, .detailLoaded(try run.store.keywordDetail(keyword: keyword, region: region)))
            }
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { pageLoads(&s) }

    /// The selection kept in view (the height may have changed), then the pages on screen.
    static func pageLoads(_ s: inout AppState) -> [Effect] {
        s.trends.rows.table.select(s.trends.rows.table.selected, visibleRows: s.tableRows)
        let t = s.trends
        return s.trends.rows.pagesToLoad(height: s.tableRows).map {
            .job(
                Self.self,
                .load(
                    generation: t.rows.generation, page: $0, window: s.window, region: s.region, sort: t.sort,
                    filter: t.filter.text, category: s.trendCategory, withCount: !t.rows.countKnown))
        }
    }

    static func forget(_ s: inout AppState) { s.trends.rows.reset() }

    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? {
        filterLineKey(&s, \.trends, key)
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let g, let page, let rows, let total):
            s.trends.rows.receive(generation: g, page: page, rows: rows, total: total, height: s.tableRows)
            return s.screen == id ? pageLoads(&s) + detailLoad(s) : []
        case .detailLoaded(let detail):
            s.trendDetail = detail
            return []
        }
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if command == .details {
            s.trendDetailOpen.toggle()
            return detailLoad(s)
        }
        if let effects = tableCommand(&s, \.trends, command) { return effects + detailLoad(s) }
        switch command {
        case .select, .newDraft:
            return compose(&s)
        case .save, .watch:
            guard let k = s.trends.rows.selectedRow else { return [] }
            return SearchScreen.toggleMark(&s, keyword: k.keyword, region: k.region, watch: command == .watch)
        case .category:
            let all: [ProductCategory?] = [nil] + ProductCategory.allCases
            s.trendCategory = all[((all.firstIndex(of: s.trendCategory) ?? 0) + 1) % all.count]
            s.trends.rows.reset()
            toast(&s, s.strings.t("trends.category_toast", ["category": categoryName(s, s.trendCategory)]))
            return pageLoads(&s)
        default:
            return []
        }
    }

    static func categoryName(_ s: AppState, _ category: ProductCategory?) -> String {
        s.strings.t("category.\(category?.rawValue ?? "all")")
    }

    /// The chosen keyword's history and sources, while the pane is open and they are not there yet.
    static func detailLoad(_ s: AppState) -> [Effect] {
        guard s.trendDetailOpen, let k = s.trends.rows.selectedRow, s.trendDetail?.keyword != k.keyword || s.trendDetail?.region != k.region else {
            return []
        }
        return [.job(Self.self, .loadDetail(keyword: k.keyword, region: k.region))]
    }

    /// The pane: the keyword's weekly history as a sparkline with its range, then each source
    /// with its method, signals, days covered, newest fetch, confidence and whether it is an estimate.
    static func renderDetail(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let selected = s.trends.rows.selectedRow
        f.box(rect, style: th.border, title: selected?.keyword ?? t.t("trends.detail"), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        var y = inner.y
        func line(_ text: String, _ style: Style) {
            for part in wrapWords(text, width: inner.width) where y < inner.maxY {
                f.put(part, x: inner.x, y: y, style: style, maxWidth: inner.width)
                y += 1
            }
        }
        guard let d = s.trendDetail, d.keyword == selected?.keyword, d.region == selected?.region else { return line(s.loadingText(for: id), th.muted) }
        guard let last = d.lastDay else { return line(t.t("trends.no_history"), th.muted) }
        line(t.t("trends.history", ["weeks": fm.integer(KeywordDetail.weeks), "date": fm.day(last)]), th.header)
        line(Sparkline.string(d.weekly, width: min(inner.width, KeywordDetail.weeks * 2)), th.accent)
        line(t.t("trends.range", ["low": fm.compact(d.weekly.min() ?? 0), "high": fm.compact(d.weekly.max() ?? 0)]), th.muted)
        y += 1
        line(t.t("trends.sources"), th.header)
        for src in d.sources {
            line(
                "• " + src.source + " · " + src.method + " · " + t.plural("trends.signals", count: src.signals, formatted: fm.integer(src.signals))
                    + " · " + fm.day(src.firstDay) + " – " + fm.day(src.lastDay), th.base)
            var facts = [
                t.t("trends.fetched", ["date": fm.date(src.fetchedAt)]), t.t("trends.confidence", ["value": fm.decimal(src.confidence)]),
                t.t(src.isEstimate ? "trends.estimate" : "trends.measured"),
            ]
            if let c = src.competition { facts.append(t.t("trends.competition", ["count": fm.compact(c)])) }
            line("  " + facts.joined(separator: " · "), th.muted)
        }
    }

    /// Enter or `n` on a keyword: a new draft with it as the primary keyword and niche, and tags.
    static func compose(_ s: inout AppState) -> [Effect] {
        // No row (nothing in this category, window or filter): no draft without a keyword.
        guard let row = s.trends.rows.selectedRow else { return [] }
        var seed = ListingDraft()
        seed.keyword = row.keyword
        return ComposerScreen.newDraft(&s, seed: seed)
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        guard rect.height >= 3 else { return }
        let trends = s.trends, rows = trends.rows
        let head = t.t(
            "trends.heading",
            [
                "days": fm.integer(s.window.rawValue), "region": s.region, "order": t.t("sort.\(trends.sort.rawValue)"),
                "category": categoryName(s, s.trendCategory),
            ])
        guard
            var tableRect = filteredTableBody(
                s, trends, hint: keyLine(s, Self.self), right: head,
                empty: s.trendCategory.map { category in
                    [
                        t.t("trends.no_category", ["category": categoryName(s, category)]),
                        t.t("trends.no_category_hint", ["key": s.keymap.keys(for: Command.category.rawValue).first?.notation ?? "f"]),
                    ]
                } ?? [t.t("dashboard.no_trends"), t.t("dashboard.no_trends_hint")],
                noMatch: t.t("trends.no_match", ["filter": trends.filter.text]), into: &f, rect: rect)
        else { return }
        if s.trendDetailOpen {
            // The pane on the right; the table keeps every row, so the selection stays in view.
            let width = min(60, max(30, tableRect.width * 45 / 100))
            renderDetail(s, into: &f, rect: Rect(x: tableRect.maxX - width, y: tableRect.y, width: width, height: tableRect.height))
            tableRect = Rect(x: tableRect.x, y: tableRect.y, width: tableRect.width - width - 1, height: tableRect.height)
        }
        let sparkWidth = max(6, min(30, tableRect.width / 4))
        // Narrow, the region goes first (the heading names it), then competition, the sparkline,
        // opportunity and volume; the keyword keeps room to be read.
        let columns = [
            TableColumn(t.t("column.keyword"), .flex(1)), TableColumn(t.t("column.region"), .fixed(6), dropOrder: 5),
            TableColumn(t.t("column.volume"), .fixed(10), alignRight: true, dropOrder: 1),
            TableColumn(t.t("column.growth"), .fixed(8), alignRight: true),
            TableColumn(t.t("column.opportunity"), .fixed(8), alignRight: true, dropOrder: 2),
            TableColumn(t.t("column.competition"), .fixed(12), alignRight: true, dropOrder: 4),
            TableColumn(t.t("column.trend"), .fixed(sparkWidth), dropOrder: 3),
        ]
        var table = rows.table
        switch trends.sort {
        case .growth: (table.sortColumn, table.ascending) = (3, false)
        case .volume: (table.sortColumn, table.ascending) = (2, false)
        case .opportunity: (table.sortColumn, table.ascending) = (4, false)
        case .competition: (table.sortColumn, table.ascending) = (5, true)
        case .keyword: (table.sortColumn, table.ascending) = (0, true)
        }
        TableView.render(
            into: &f, rect: tableRect, columns: columns, state: table,
            styles: s.tableStyles,
            focused: s.focus == .content && !trends.filtering, minimumFlex: 28
        ) { i in
            guard let k = rows.row(i) else { return nil }
            let mark = SearchScreen.mark(s, k.keyword, region: k.region)
            let marks = mark.map { ($0.watched ? "◉" : "") + ($0.saved ? "★" : "") + " " } ?? ""
            return [
                marks + (k.isDemo ? "[\(t.t("common.demo"))] " : "") + k.keyword, k.region, fm.compact(k.volume), k.growth.map(fm.growth) ?? "—",
                k.opportunity.map(fm.integer) ?? "—", k.competition.map(fm.compact) ?? "—", Sparkline.string(k.series, width: sparkWidth),
            ]
        }
    }
}
