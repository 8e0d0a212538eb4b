import Foundation
import PODCore
import PODStore
import TerminalUI

extension AppState {
    public var search: SearchState {
        get { screens[SearchScreen.self] }
        _modify { yield &screens[SearchScreen.self] }
    }
}

public struct SearchState: Sendable, Equatable {
    public var box = TextFieldState()
    /// True while the box has the keyboard.
    public var editing = false
    /// One kind only, or every kind.
    public var kind: SearchKind?
    public var hits: [SearchHit] = []
    /// The query and kind the hits answer (a late answer to an older query is dropped).
    public var hitsFor: String?
    /// Saved searches, recent queries, saved and watched keywords.
    public var memory = SearchMemory()
    public var memoryLoaded = false
    public var selected = 0
    /// Up to three items side by side.
    public var compare: [SearchHit] = []
    public var comparing = false
    public init() {}

    static let compareLimit = 3
    static let hitsPerKind = 25

    /// The query as it is searched.
    var query: String { box.text.trimmed() }
    var token: String { "\(kind?.rawValue ?? "*")|\(query)" }
}

/// A line of the Search screen's list: something found, a saved search or a recent query.
enum SearchEntry: Equatable {
    case hit(SearchHit)
    case saved(SavedSearch)
    case recent(String)

    /// The heading of the group the entry belongs to.
    var groupKey: String {
        switch self {
        case .hit(let h): return "search.group.\(h.kind.rawValue)"
        case .saved: return "search.group.saved"
        case .recent: return "search.group.recent"
        }
    }
}

/// Search: one box across keywords, niches, drafts and listings, a kind filter, saved searches
/// and recent queries, the watchlist, compare up to three side by side, and a hand-off to the
/// composer. Before anything is typed it lists what the seller keeps: watched and saved
/// keywords, saved searches, recent queries. The search memory (marks on keywords) is loaded
/// app-wide: Trends and the dashboard show it too.
enum SearchScreen: ScreenModule {
    static let id = ScreenID.search
    static let initialState = SearchState()
    static let commands: [Command] = [.filter, .select, .category, .save, .watch, .compare, .compareView, .delete]
    static let hints: [Command] = [.filter, .select, .category, .save, .watch, .compare, .compareView, .delete]

    enum Message: ScreenMessage {
        case loaded(query: String, kind: SearchKind?, [SearchHit])
        case memoryLoaded(SearchMemory)
    }

    enum Job: ScreenJob {
        case search(query: String, kind: SearchKind?, window: TrendWindow, region: String, limit: Int)
        /// Saved searches, recent queries, saved and watched keywords (with their figures over the window).
        case loadMemory(window: TrendWindow, region: String)
        case record(String)
        case setSaved(SavedSearch, saved: Bool)
        case forgetRecent(String)
        case markKeyword(keyword: String, region: String, saved: Bool, watched: Bool)

        var lane: EffectLane {
            switch self {
            case .search, .loadMemory: .read
            case .record, .setSaved, .forgetRecent, .markKeyword: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            let store = run.store, now = Date()
            switch self {
            case .search(let query, let kind, let window, let region, let limit):
                run.answer(
                    SearchScreen.self, .loaded(query: query, kind: kind, try store.search(query, kind: kind, window: window, region: region, limit: limit)))
            case .loadMemory(let window, let region):
                run.answer(SearchScreen.self, .memoryLoaded(try store.searchMemory(window: window, region: region)))
            case .record(let query): try store.recordSearch(query, now: now)
            case .setSaved(let search, let saved): try store.setSearchSaved(search, saved: saved, now: now)
            case .forgetRecent(let query): try store.forgetRecentSearch(query)
            case .markKeyword(let keyword, let region, let saved, let watched):
                try store.markKeyword(keyword, region: region, saved: saved, watched: watched, now: now)
            }
        }
    }

    /// The marks and saved searches, which Trends and the dashboard show too.
    static func memoryLoad(_ s: AppState) -> Effect { .job(Self.self, .loadMemory(window: s.window, region: s.region)) }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let query, let kind, let hits):
            loaded(&s, query: query, kind: kind, hits)
        case .memoryLoaded(let memory):
            s.search.memory = memory
            s.search.memoryLoaded = true
            if s.search.query.isEmpty { s.search.selected = min(s.search.selected, max(0, entries(s).count - 1)) }
        }
        return []
    }

    static func enter(_ s: inout AppState) -> [Effect] { enter(&s, editing: false) }

    static func pageLoads(_ s: inout AppState) -> [Effect] { searchLoad(s) }

    static func forget(_ s: inout AppState) { s.search.hitsFor = nil }

    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? { s.search.editing ? handleBoxKey(&s, key) : nil }

    /// What the list shows now.
    static func entries(_ s: AppState) -> [SearchEntry] {
        let search = s.search
        guard search.query.isEmpty else { return search.hitsFor == search.token ? search.hits.map(SearchEntry.hit) : [] }
        let marks = search.kind == nil || search.kind == .keyword ? search.memory.marks : []
        return marks.map { SearchEntry.hit($0.hit) } + search.memory.saved.map(SearchEntry.saved) + search.memory.recent.map(SearchEntry.recent)
    }

    static func selectedEntry(_ s: AppState) -> SearchEntry? {
        let list = entries(s)
        return list.element(at: s.search.selected)
    }

    static func enter(_ s: inout AppState, editing: Bool) -> [Effect] {
        s.search.editing = editing
        return [memoryLoad(s)] + searchLoad(s)
    }

    /// The hits of the box's query, unless it is empty or answered already.
    static func searchLoad(_ s: AppState) -> [Effect] {
        let q = s.search.query
        guard !q.isEmpty, s.search.hitsFor != s.search.token else { return [] }
        return [.job(Self.self, .search(query: q, kind: s.search.kind, window: s.window, region: s.region, limit: SearchState.hitsPerKind))]
    }

    static func loaded(_ s: inout AppState, query: String, kind: SearchKind?, _ hits: [SearchHit]) {
        let token = "\(kind?.rawValue ?? "*")|\(query)"
        guard token == s.search.token else { return }
        let previous = selectedEntry(s)
        s.search.hits = hits
        s.search.hitsFor = token
        let list = entries(s)
        s.search.selected = list.firstIndex { $0 == previous } ?? min(s.search.selected, max(0, list.count - 1))
    }

    // MARK: Keys

    /// Keys while the box has the keyboard: Enter (or ↓, Tab) goes to the results and keeps the
    /// query among the recent ones, Esc clears the box (or, empty, leaves it), the text keys edit.
    static func handleBoxKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        let command = dialogCommand(s, key, typing: true)
        switch command {
        case .select?, .listNext?, .focusNext?:
            s.search.editing = false
            s.search.selected = 0
            return command == .select && !s.search.query.isEmpty ? remember(&s, s.search.query) : []
        case .back?:
            if s.search.box.text.isEmpty { s.search.editing = false } else { s.search.box.apply(.set("")) }
            s.search.selected = 0
            return []
        default:
            guard let edit = TextFieldState.edit(for: key, keymap: s.keymap) else { return [] }
            let before = s.search.query
            s.search.box.apply(edit)
            guard s.search.query != before else { return [] }
            s.search.selected = 0
            return searchLoad(s)
        }
    }

    /// Puts a query at the top of the recent ones (at once on screen, then in the store).
    static func remember(_ s: inout AppState, _ query: String) -> [Effect] {
        s.search.memory.recent = [query] + s.search.memory.recent.filter { $0 != query }.prefix(9)
        return [.job(Self.self, .record(query))]
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if s.search.comparing { return handleCompare(&s, command) }
        let list = entries(s)
        var table = TableState(rowCount: list.count)
        table.select(s.search.selected, visibleRows: s.tableRows)
        if navigate(&table, command, visibleRows: s.tableRows) {
            s.search.selected = table.selected
            return []
        }
        let entry = selectedEntry(s)
        switch command {
        case .filter:
            s.search.editing = true
        case .back where !s.search.box.text.isEmpty:
            s.search.box.apply(.set(""))
            s.search.selected = 0
        case .category:
            let kinds: [SearchKind?] = [nil] + SearchKind.allCases
            s.search.kind = kinds[((kinds.firstIndex(of: s.search.kind) ?? 0) + 1) % kinds.count]
            s.search.selected = 0
            toast(&s, s.strings.t("search.kind_toast", ["kind": kindName(s, s.search.kind)]))
            return searchLoad(s)
        case .select, .newDraft, .right:
            return open(&s, entry)
        case .save:
            return toggleSavedSearch(&s, entry)
        case .watch:
            guard case .hit(let h) = entry, h.kind == .keyword else {
                toast(&s, s.strings.t("search.watch_keywords_only"), isError: true)
                return []
            }
            return toggleMark(&s, keyword: h.title, region: h.region ?? s.region, watch: true)
        case .compare:
            guard case .hit(let h) = entry else { return [] }
            if let i = s.search.compare.firstIndex(where: { $0.key == h.key }) {
                s.search.compare.remove(at: i)
            } else if s.search.compare.count >= SearchState.compareLimit {
                toast(&s, s.strings.t("search.compare_full", ["count": s.formats.integer(SearchState.compareLimit)]), isError: true)
            } else {
                s.search.compare.append(h)
                toast(&s, s.strings.t("search.compare_added", ["item": h.title, "count": s.formats.integer(s.search.compare.count)]))
            }
        case .compareView:
            if s.search.compare.isEmpty {
                toast(&s, s.strings.t("search.compare_empty"), isError: true)
            } else {
                s.search.comparing = true
            }
        case .delete:
            return forgetEntry(&s, entry)
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    static func handleCompare(_ s: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .back, .compareView: s.search.comparing = false
        case .delete:
            s.search.compare.removeAll()
            s.search.comparing = false
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    /// Enter: a keyword, niche or listing goes to a new draft pre-filled from it, a draft opens,
    /// a saved or recent search runs.
    static func open(_ s: inout AppState, _ entry: SearchEntry?) -> [Effect] {
        switch entry {
        case .hit(let h):
            let remembered = s.search.query.isEmpty ? [] : remember(&s, s.search.query)
            var seed = ListingDraft()
            switch h.kind {
            case .keyword:
                seed.keyword = h.title
                seed.niche = NicheMath.niche(of: h.title) ?? h.title
            case .niche:
                seed.niche = h.title
                seed.keyword = h.keywords.first ?? h.title
                seed.keywords = Array(h.keywords.prefix(13))
            case .listing:
                guard let id = h.id else { return [] }
                return remembered + ListingsScreen.open(&s, listingID: id)
            case .draft:
                guard let id = h.id, !s.composer.opening else { return [] }
                s.composer.opening = true
                return remembered + go(&s, .composer) + [.job(ComposerScreen.self, .openDraft(id: id))]
            }
            return remembered + ComposerScreen.newDraft(&s, seed: seed)
        case .saved(let saved):
            return run(&s, query: saved.query, kind: saved.kind)
        case .recent(let query):
            return run(&s, query: query, kind: s.search.kind)
        case nil:
            s.search.editing = true
            return []
        }
    }

    static func run(_ s: inout AppState, query: String, kind: SearchKind?) -> [Effect] {
        s.search.box = TextFieldState(query)
        s.search.kind = kind
        s.search.selected = 0
        return remember(&s, query) + searchLoad(s)
    }

    /// `b`: saves the box's query with its kind (or, on a saved search, forgets it).
    static func toggleSavedSearch(_ s: inout AppState, _ entry: SearchEntry?) -> [Effect] {
        let search: SavedSearch
        if s.search.query.isEmpty {
            guard case .saved(let saved) = entry else {
                toast(&s, s.strings.t("search.nothing_to_save"), isError: true)
                return []
            }
            search = saved
        } else {
            search = SavedSearch(query: s.search.query, kind: s.search.kind)
        }
        let wasSaved = s.search.memory.saved.contains(search)
        s.search.memory.saved.removeAll { $0 == search }
        if !wasSaved { s.search.memory.saved.insert(search, at: 0) }
        toast(&s, s.strings.t(wasSaved ? "search.unsaved" : "search.saved", ["query": search.query]))
        s.search.selected = min(s.search.selected, max(0, entries(s).count - 1))
        return [.job(Self.self, .setSaved(search, saved: !wasSaved))]
    }

    /// `d` on the list before a query: takes a saved search, a recent query or a keyword's marks off.
    static func forgetEntry(_ s: inout AppState, _ entry: SearchEntry?) -> [Effect] {
        guard s.search.query.isEmpty, let entry else { return [] }
        switch entry {
        case .saved:
            return toggleSavedSearch(&s, entry)
        case .recent(let query):
            s.search.memory.recent.removeAll { $0 == query }
            s.search.selected = min(s.search.selected, max(0, entries(s).count - 1))
            return [.job(Self.self, .forgetRecent(query))]
        case .hit(let h):
            let region = h.region ?? s.region
            s.search.memory.marks.removeAll { $0.keyword == h.title && $0.region == region }
            s.search.selected = min(s.search.selected, max(0, entries(s).count - 1))
            toast(&s, s.strings.t("search.unmarked", ["keyword": h.title]))
            return [.job(Self.self, .markKeyword(keyword: h.title, region: region, saved: false, watched: false))]
        }
    }

    /// Saves (`b` on Trends) or watches (`W`) a keyword, or takes that mark off; the marks live
    /// in the search memory, which Trends, Search and the dashboard read.
    static func toggleMark(_ s: inout AppState, keyword: String, region: String, watch: Bool) -> [Effect] {
        var marks = s.search.memory.marks
        let i = marks.firstIndex { $0.keyword == keyword && $0.region == region }
        var mark =
            i.map { marks[$0] }
            ?? KeywordMark(
                keyword: keyword, region: region, saved: false, watched: false, markedAt: s.now,
                trend: s.trends.rows.selectedRow.flatMap { $0.keyword == keyword ? $0 : nil })
        if watch { mark.watched.toggle() } else { mark.saved.toggle() }
        if let i { marks.remove(at: i) }
        if mark.saved || mark.watched { marks.insert(mark, at: 0) }
        s.search.memory.marks = marks.filter(\.watched) + marks.filter { !$0.watched }
        let key = watch ? (mark.watched ? "search.watching" : "search.unwatched") : (mark.saved ? "search.keyword_saved" : "search.keyword_unsaved")
        toast(&s, s.strings.t(key, ["keyword": keyword]))
        return [.job(Self.self, .markKeyword(keyword: keyword, region: region, saved: mark.saved, watched: mark.watched))]
    }

    static func mark(_ s: AppState, _ keyword: String, region: String) -> KeywordMark? {
        s.search.memory.marks.first { $0.keyword == keyword && $0.region == region }
    }

    static func kindName(_ s: AppState, _ kind: SearchKind?) -> String {
        s.strings.t(kind.map { "search.kind.\($0.rawValue)" } ?? "search.kind.all")
    }

    // MARK: Drawing

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3 else { return }
        if s.search.comparing { return SearchCompare.render(s, into: &f, rect: rect) }
        let label = t.t("search.box") + " "
        let lw = f.put(label, x: rect.x, y: rect.y, style: s.search.editing ? th.accent : th.muted)
        let right =
            t.t("search.kind_label", ["kind": kindName(s, s.search.kind)])
            + (s.search.compare.isEmpty ? "" : " · " + t.t("search.compare_count", ["count": s.formats.integer(s.search.compare.count)]))
        let showRight = rect.width > lw + 30 + right.displayWidth
        s.search.box.render(
            into: &f, x: rect.x + lw, y: rect.y, width: min(48, rect.width - lw - (showRight ? right.displayWidth + 2 : 0)),
            style: th.input, placeholder: t.t("search.placeholder"), placeholderStyle: th.muted, focused: s.search.editing)
        if showRight { f.put(right, x: rect.maxX - right.displayWidth, y: rect.y, style: th.muted) }
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 3)
        let list = entries(s)
        if list.isEmpty {
            let lines: [String]
            if s.search.query.isEmpty {
                lines = s.search.memoryLoaded ? [t.t("search.empty"), t.t("search.empty_hint")] : [s.loadingText(for: id)]
            } else {
                lines = s.search.hitsFor == s.search.token ? [t.t("search.no_match", ["query": s.search.query])] : [s.loadingText(for: id)]
            }
            for (i, line) in lines.enumerated() {
                f.put(line, x: body.x + 1, y: body.y + i, style: i == 0 ? th.base : th.muted, maxWidth: body.width - 2)
            }
        } else {
            renderList(s, list, into: &f, rect: body)
        }
        f.put(
            s.search.editing ? t.t("search.type") + " · " + keyLine(s, [.select, .back], scope: "search_box") : keyLine(s, Self.self), x: rect.x + 1,
            y: rect.maxY - 1, style: th.muted, maxWidth: rect.width - 2)
    }

    /// The entries under a heading per group, scrolled so that the selected one shows.
    static func renderList(_ s: AppState, _ list: [SearchEntry], into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        var lines: [(entry: Int?, text: String)] = []
        for (i, e) in list.enumerated() {
            if i == 0 || list[i - 1].groupKey != e.groupKey {
                if i > 0 { lines.append((nil, "")) }
                let group = e.groupKey == "search.group.keyword" && s.search.query.isEmpty ? "search.group.marked" : e.groupKey
                lines.append((nil, t.t(group)))
            }
            lines.append((i, ""))
        }
        let selectedLine = lines.firstIndex { $0.entry == s.search.selected } ?? 0
        let start = max(0, min(selectedLine - rect.height + 1, lines.count - rect.height))
        let focused = s.focus == .content && !s.search.editing
        for (row, line) in lines[start..<min(lines.count, start + rect.height)].enumerated() {
            let y = rect.y + row
            guard let i = line.entry else {
                f.put(line.text, x: rect.x + 1, y: y, style: th.header, maxWidth: rect.width - 2)
                continue
            }
            let selected = i == s.search.selected
            let style = selected && focused ? th.selection : th.base
            f.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            let (text, facts) = entryText(s, list[i])
            let factsWidth = rect.width > 50 ? facts.displayWidth : 0
            if factsWidth > 0 { f.put(facts, x: rect.maxX - 1 - factsWidth, y: y, style: selected && focused ? style : th.muted) }
            f.put(text, x: rect.x + 1, y: y, style: style, maxWidth: rect.width - 3 - factsWidth)
        }
    }

    /// An entry's line: its marks and title, and the facts shown on the right.
    static func entryText(_ s: AppState, _ entry: SearchEntry) -> (String, String) {
        let t = s.strings, fm = s.formats
        switch entry {
        case .saved(let saved):
            return ("  " + saved.query, kindName(s, saved.kind))
        case .recent(let query):
            return ("  " + query, "")
        case .hit(let h):
            var marks = ""
            if let n = s.search.compare.firstIndex(where: { $0.key == h.key }) { marks += "[\(n + 1)]" }
            if h.kind == .keyword, let m = mark(s, h.title, region: h.region ?? s.region) { marks += (m.watched ? "◉" : "") + (m.saved ? "★" : "") }
            let title =
                (marks.isEmpty ? "  " : marks + " ") + (h.isDemo ? "[\(t.t("common.demo"))] " : "") + (h.title.isEmpty ? t.t("common.untitled") : h.title)
            var facts: [String] = []
            switch h.kind {
            case .keyword, .niche:
                if let score = h.score { facts.append(t.t("search.fact.score", ["score": fm.integer(score)])) }
                facts.append(h.volume.map(fm.compact) ?? "—")
                facts.append(h.growth.map(fm.growth) ?? "—")
                if !h.series.isEmpty { facts.append(Sparkline.string(h.series, width: 12)) }
            case .draft, .listing:
                if let state = h.state { facts.append(state) }
                if let cents = h.priceCents { facts.append(fm.money(cents: cents, currency: h.currency ?? "")) }
                if let views = h.views { facts.append(t.plural("search.fact.views", count: views, formatted: fm.integer(views))) }
                if let at = h.updatedAt { facts.append(fm.date(at)) }
            }
            return (title, facts.joined(separator: "  "))
        }
    }
}
