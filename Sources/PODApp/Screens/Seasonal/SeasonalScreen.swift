import Foundation
import PODCore
import PODStore
import TerminalUI

extension AppState {
    public var seasonal: SeasonalState {
        get { screens[SeasonalScreen.self] }
        _modify { yield &screens[SeasonalScreen.self] }
    }
}

/// The Seasonal screen's state: the year shown, the chosen event, "my events", and the store's
/// keywords for the chosen event.
public struct SeasonalState: Sendable, Equatable {
    /// Nil until the screen is first opened (then this year where the user is).
    public var year: Int?
    public var selected = 0
    /// "My events", as `key/year`.
    public var saved: Set<String> = []
    public var keywords: [KeywordTrend] = []
    /// The `key/year` the keywords belong to (nil: none loaded yet).
    public var keywordsFor: String?
    public init() {}
}

/// Seasonal calendar: the region's events of a year, computed from their rules, each with its
/// priority, launch window and days to go; the chosen one's month as a grid and the keywords
/// of the store that belong to it. `[` `]` change the year, `b` saves to my events, Enter or
/// `n` composes for it.
enum SeasonalScreen: ScreenModule {
    static let id = ScreenID.seasonal
    static let initialState = SeasonalState()
    static let commands: [Command] = [.previousPeriod, .nextPeriod, .save, .select, .newDraft]
    static let hints: [Command] = [.previousPeriod, .nextPeriod, .save, .select]

    enum Message: ScreenMessage {
        case savedLoaded(region: String, Set<String>)
        case keywordsLoaded(id: String, [KeywordTrend])
    }

    enum Job: ScreenJob {
        /// "My events" of a region.
        case loadSaved(region: String)
        /// The store's keywords matching an event's terms.
        case loadKeywords(id: String, terms: [String], region: String)
        case setSaved(key: String, year: Int, region: String, saved: Bool)

        var lane: EffectLane {
            switch self {
            case .loadSaved, .loadKeywords: .read
            case .setSaved: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .loadSaved(let region):
                run.answer(SeasonalScreen.self, .savedLoaded(region: region, try run.store.savedEvents(region: region)))
            case .setSaved(let key, let year, let region, let saved):
                try run.store.setEventSaved(key: key, year: year, region: region, saved: saved, now: Date())
            case .loadKeywords(let id, let terms, let region):
                // Each term's best matches, strongest first, each keyword once.
                var seen = Set<String>(), rows: [KeywordTrend] = []
                for term in terms {
                    for k in try run.store.keywordSuggestions(matching: term, region: region, limit: 5) where seen.insert(k.keyword).inserted { rows.append(k) }
                }
                run.answer(SeasonalScreen.self, .keywordsLoaded(id: id, Array(rows.sorted { $0.volume > $1.volume }.prefix(8))))
            }
        }
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .savedLoaded(let region, let saved):
            if region == s.region { s.seasonal.saved = saved }
        case .keywordsLoaded(let id, let rows):
            s.seasonal.keywordsFor = id
            s.seasonal.keywords = rows
        }
        return []
    }

    static func key(_ o: SeasonalOccurrence) -> String { "\(o.key)/\(o.year)" }

    static func thisYear(_ s: AppState) -> Int { Day.components(s.formats.today(s.now)).year }

    static func occurrences(_ s: AppState) -> [SeasonalOccurrence] {
        SeasonalCalendar.occurrences(year: s.seasonal.year ?? thisYear(s), region: s.region)
    }

    static func selected(_ s: AppState) -> SeasonalOccurrence? {
        let all = occurrences(s)
        return all.element(at: s.seasonal.selected)
    }

    static func enter(_ s: inout AppState) -> [Effect] {
        if s.seasonal.year == nil { showYear(&s, thisYear(s)) }
        return [.job(Self.self, .loadSaved(region: s.region))] + keywordLoad(s)
    }

    /// Shows a year with the first event still to come chosen (or the first one).
    static func showYear(_ s: inout AppState, _ year: Int) {
        s.seasonal.year = year
        let today = s.formats.today(s.now)
        s.seasonal.selected = occurrences(s).firstIndex { $0.day >= today } ?? 0
    }

    static func keywordLoad(_ s: AppState) -> [Effect] {
        guard let o = selected(s), s.seasonal.keywordsFor != key(o) else { return [] }
        return [.job(Self.self, .loadKeywords(id: key(o), terms: o.event.terms, region: s.region))]
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let count = occurrences(s).count
        switch command {
        case .up: s.seasonal.selected = max(0, s.seasonal.selected - 1)
        case .down: s.seasonal.selected = min(count - 1, s.seasonal.selected + 1)
        case .top: s.seasonal.selected = 0
        case .bottom: s.seasonal.selected = count - 1
        case .previousPeriod, .nextPeriod:
            showYear(&s, (s.seasonal.year ?? thisYear(s)) + (command == .nextPeriod ? 1 : -1))
        case .save:
            guard let o = selected(s) else { return [] }
            let saved = !s.seasonal.saved.contains(key(o))
            if saved { s.seasonal.saved.insert(key(o)) } else { s.seasonal.saved.remove(key(o)) }
            toast(&s, s.strings.t(saved ? "seasonal.saved" : "seasonal.unsaved", ["event": name(s, o)]))
            return [.job(Self.self, .setSaved(key: o.key, year: o.year, region: s.region, saved: saved))]
        case .select, .right, .newDraft:
            return compose(&s)
        case .left:
            s.focus = .sidebar
        default:
            return []
        }
        return keywordLoad(s)
    }

    /// A new draft for the chosen event: its name as niche and holiday, the store's strongest
    /// related keyword (else the event's own term) as the keyword, the rest as keywords.
    static func compose(_ s: inout AppState) -> [Effect] {
        guard let o = selected(s) else { return [] }
        var seed = ListingDraft()
        let related = s.seasonal.keywordsFor == key(o) ? s.seasonal.keywords.map(\.keyword) : []
        seed.niche = name(s, o)
        seed.holiday = name(s, o)
        seed.keyword = related.first ?? o.event.terms[0]
        var keywords: [String] = []
        for k in related + o.event.terms where !keywords.contains(k) { keywords.append(k) }
        seed.keywords = Array(keywords.prefix(13))
        return ComposerScreen.newDraft(&s, seed: seed)
    }

    static func name(_ s: AppState, _ o: SeasonalOccurrence) -> String { s.strings.t("event.\(o.key)") }

    // MARK: Drawing

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3, let year = s.seasonal.year else { return }
        f.put(t.t("seasonal.heading", ["year": "\(year)", "region": s.region]), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        // The chosen event's pane beside the list, or under it, or (too small) left out.
        let parts = body.width >= 88 ? body.columns([1, 1], gap: 1) : body.height >= 24 ? body.rows([1, 1], gap: 0) : [body]
        list(s, into: &f, rect: parts[0])
        if parts.count > 1, let o = selected(s) { detail(s, o, into: &f, rect: parts[1]) }
    }

    static func list(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        let all = occurrences(s), today = fm.today(s.now)
        let columns = [
            TableColumn("", .fixed(1)), TableColumn(t.t("column.date"), .fixed(13)), TableColumn(t.t("column.event"), .flex(1)),
            TableColumn(t.t("column.priority"), .fixed(10), dropOrder: 2), TableColumn(t.t("column.days_to_go"), .fixed(16), alignRight: true),
        ]
        var table = TableState(rowCount: all.count)
        table.select(s.seasonal.selected, visibleRows: max(1, rect.height - 1))
        TableView.render(into: &f, rect: rect, columns: columns, state: table, styles: s.tableStyles, focused: s.focus == .content) { i in
            let o = all[i]
            let days = o.daysUntil(today)
            let when: String
            if days < 0 {
                when = t.t("seasonal.past")
            } else if days == 0 {
                when = t.t("seasonal.today")
            } else {
                when = (o.inLaunchWindow(today) ? "▲ " : "") + t.plural("seasonal.in_days", count: days, formatted: fm.integer(days))
            }
            return [s.seasonal.saved.contains(key(o)) ? "★" : "", fm.day(o.day), name(s, o), t.t("priority.\(o.event.priority.name)"), when]
        }
    }

    static func detail(_ s: AppState, _ o: SeasonalOccurrence, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let today = fm.today(s.now)
        f.box(rect, style: th.border, title: name(s, o), titleStyle: th.title)
        var inner = rect.inset(dx: 2, dy: 1)
        // The month beside the text when there is room for both, else above the keywords.
        let besides = inner.width >= 60
        if besides {
            _ = grid(s, o, into: &f, x: inner.maxX - 20, y: inner.y, maxY: inner.maxY)
            inner = Rect(x: inner.x, y: inner.y, width: inner.width - 23, height: inner.height)
        }
        var y = inner.y
        func line(_ text: String, _ style: Style) {
            for part in wrapWords(text, width: inner.width) where y < inner.maxY {
                f.put(part, x: inner.x, y: y, style: style, maxWidth: inner.width)
                y += 1
            }
        }
        line(fm.day(o.day) + " · " + t.t("priority.\(o.event.priority.name)"), th.base)
        let window = t.t("seasonal.launch", ["date": fm.day(o.launchStart), "days": fm.integer(o.event.leadDays)])
        line(window, o.inLaunchWindow(today) ? th.warning : th.muted)
        if o.inLaunchWindow(today) { line("▲ " + t.t("seasonal.prepare_now"), th.warning) }
        y += 1
        if !besides {
            y = grid(s, o, into: &f, x: inner.x, y: y, maxY: inner.maxY)
            y += 1
        }
        line(t.t("seasonal.keywords"), th.header)
        guard s.seasonal.keywordsFor == key(o) else { return line(s.loadingText(for: id), th.muted) }
        if s.seasonal.keywords.isEmpty {
            line(t.t("seasonal.no_keywords", ["terms": o.event.terms.joined(separator: ", ")]), th.muted)
        }
        for k in s.seasonal.keywords {
            let figures = fm.compact(k.volume) + "  " + (k.growth.map(fm.growth) ?? "—")
            guard y < inner.maxY else { break }
            f.put(k.keyword, x: inner.x, y: y, style: th.base, maxWidth: inner.width - figures.displayWidth - 1)
            f.put(figures, x: inner.maxX - figures.displayWidth, y: y, style: th.muted)
            y += 1
        }
        if y < inner.maxY { line(keyLine(s, Self.self), th.muted) }
    }

    /// The event's month as a grid (weeks from the locale's first weekday), the event's day in
    /// reverse and the region's other events of that month underlined. The line after it.
    static func grid(_ s: AppState, _ o: SeasonalOccurrence, into f: inout Frame, x: Int, y: Int, maxY: Int) -> Int {
        let th = s.theme, fm = s.formats
        let (year, month, _) = o.components
        let first = Day.number(year, month, 1), next = Day.number(year, month + 1, 1)
        let (symbols, firstWeekday) = fm.weekdays
        let others = Set(occurrences(s).map(\.day))
        var row = y
        guard row + 2 < maxY else { return row }
        f.put(fm.day(first, monthAndYear: true), x: x, y: row, style: th.title)
        row += 1
        for (i, sym) in symbols.enumerated() { f.put(String(sym.prefix(2)), x: x + i * 3, y: row, style: th.muted) }
        row += 1
        var column = (Day.weekday(first) - firstWeekday + 7) % 7
        for day in first..<next {
            guard row < maxY else { break }
            let text = String(format: "%2d", day - first + 1)
            let style = day == o.day ? th.selection.with(.bold) : (others.contains(day) ? th.accent.with(.underline) : th.base)
            f.put(text, x: x + column * 3, y: row, style: style)
            column += 1
            if column == 7, day + 1 < next {
                column = 0
                row += 1
            }
        }
        return row + 1
    }

    /// The dashboard's "coming up": the next events within 90 days, with days to go.
    static func upcoming(_ s: AppState, limit: Int) -> [SeasonalOccurrence] {
        Array(SeasonalCalendar.upcoming(from: s.formats.today(s.now), days: 90, region: s.region).prefix(limit))
    }
}
