import Foundation
import PODCore
import PODStore
import TerminalUI

public struct NichesState: Sendable, Equatable {
    public var rows: [NicheRow] = []
    public var loaded = false
    public var selected = 0
    /// The chosen niche's scores in the store's other regions.
    public var variants: [NicheRow] = []
    public var variantsFor: String?
    public init() {}
}

extension AppState {
    public var niches: NichesState {
        get { screens[NichesScreen.self] }
        _modify { yield &screens[NichesScreen.self] }
    }
}

/// Niches: the store's keywords grouped by what they are about (their words without the product
/// words), each scored from its demand, growth and competition over the window, with the
/// score's parts shown. `b` saves, `e` excludes (kept at the end, dimmed), Enter or `n` composes.
enum NichesScreen: ScreenModule {
    static let id = ScreenID.niches
    static let initialState = NichesState()
    static let commands: [Command] = [.save, .exclude, .select, .newDraft, .cycleWindow]
    static let hints: [Command] = [.save, .exclude, .select, .cycleWindow]

    enum Message: ScreenMessage {
        case loaded(window: TrendWindow, region: String, [NicheRow])
        case variantsLoaded(name: String, region: String, [NicheRow])
    }

    enum Job: ScreenJob {
        case load(window: TrendWindow, region: String)
        case mark(name: String, saved: Bool, excluded: Bool)
        /// The niche's scores in the store's other regions.
        case loadVariants(name: String, window: TrendWindow, region: String)

        var lane: EffectLane {
            switch self {
            case .load, .loadVariants: .read
            case .mark: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load(let window, let region):
                run.answer(NichesScreen.self, .loaded(window: window, region: region, try run.store.niches(window: window, region: region)))
            case .loadVariants(let name, let window, let region):
                run.answer(NichesScreen.self, .variantsLoaded(name: name, region: region, try run.store.nicheVariants(name, window: window, except: region)))
            case .mark(let name, let saved, let excluded):
                try run.store.markNiche(name, saved: saved, excluded: excluded, now: Date())
            }
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { load(s) }

    static func load(_ s: AppState) -> [Effect] { [.job(Self.self, .load(window: s.window, region: s.region))] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let window, let region, let rows):
            guard window == s.window, region == s.region else { return [] }
            let name = selectedRow(s)?.name
            s.niches.rows = rows
            s.niches.loaded = true
            s.niches.selected = rows.firstIndex { $0.name == name } ?? min(s.niches.selected, max(0, rows.count - 1))
            s.niches.variantsFor = nil
            return variantsLoad(s)
        case .variantsLoaded(let name, let region, let rows):
            guard selectedRow(s)?.name == name, region == s.region else { return [] }
            s.niches.variants = rows
            s.niches.variantsFor = name + "|" + region
            return []
        }
    }

    static func selectedRow(_ s: AppState) -> NicheRow? {
        s.niches.rows.element(at: s.niches.selected)
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        var table = TableState(rowCount: s.niches.rows.count)
        table.select(s.niches.selected, visibleRows: s.tableRows)
        if navigate(&table, command, visibleRows: s.tableRows) {
            s.niches.selected = table.selected
            return variantsLoad(s)
        }
        switch command {
        case .save, .exclude:
            guard var row = selectedRow(s) else { return [] }
            if command == .save { row.saved.toggle() } else { row.excluded.toggle() }
            s.niches.rows[s.niches.selected] = row
            let key = command == .save ? (row.saved ? "niches.saved" : "niches.unsaved") : (row.excluded ? "niches.excluded" : "niches.included")
            toast(&s, s.strings.t(key, ["niche": row.name]))
            return [.job(Self.self, .mark(name: row.name, saved: row.saved, excluded: row.excluded))]
        case .select, .right, .newDraft:
            return compose(&s)
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    /// The chosen niche's other regions, unless they are there already.
    static func variantsLoad(_ s: AppState) -> [Effect] {
        guard s.screen == .niches, let row = selectedRow(s), s.niches.variantsFor != row.name + "|" + s.region else { return [] }
        return [.job(Self.self, .loadVariants(name: row.name, window: s.window, region: s.region))]
    }

    /// A new draft for the niche: its name as niche, its strongest keyword as primary keyword,
    /// the others as keywords.
    static func compose(_ s: inout AppState) -> [Effect] {
        guard let row = selectedRow(s) else { return [] }
        var seed = ListingDraft()
        seed.niche = row.name
        seed.keyword = row.keywords.first ?? row.name
        seed.keywords = Array(row.keywords.prefix(13))
        return ComposerScreen.newDraft(&s, seed: seed)
    }
}
