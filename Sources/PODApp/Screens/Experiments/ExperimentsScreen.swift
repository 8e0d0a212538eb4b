import Foundation
import PODCore
import PODStore
import TerminalUI

public struct ExperimentsState: Sendable, Equatable {
    public var rows: [ExperimentOverview] = []
    public var loaded = false
    public var selected = 0
    /// When the figures were read.
    public var asOf: Date?
    public init() {}
}

extension AppState {
    public var experiments: ExperimentsState {
        get { screens[ExperimentsScreen.self] }
        _modify { yield &screens[ExperimentsScreen.self] }
    }
}

/// A/B experiments of live Etsy listings (started from the Listings screen with `T`: a title,
/// tags, a price or a description): each one's variants take turns (a day at a time unless the
/// seller chose longer turns, in proportion to their weights); the screen shows each variant's figures in its own
/// turns, the tests comparing them and whether the result is still early. Pause, end (the
/// listing as it was) or push the winner.
enum ExperimentsScreen: ScreenModule {
    static let id = ScreenID.experiments
    static let initialState = ExperimentsState()
    static let commands: [Command] = [.pauseExperiment, .cancelItem, .activate, .refresh]
    static let hints: [Command] = [.pauseExperiment, .cancelItem, .activate]

    enum Message: ScreenMessage {
        case loaded([ExperimentOverview], asOf: Date)
        /// The listing a new experiment's form is for (nil: not a listing of the shop here).
        case listingLoaded(listingID: Int64, ListingDraft?)
        case started
        case refused(String)
        case changed
    }

    enum Job: ScreenJob {
        case load
        /// The listing's fields, for the new experiment's form.
        case loadListing(listingID: Int64)
        case start(ExperimentPlan)
        case setStatus(id: Int64, Experiment.Status)
        case pushWinner(id: Int64, variant: Int)

        var lane: EffectLane {
            switch self {
            case .load: .read
            case .loadListing, .start, .setStatus, .pushWinner: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            let now = Date()
            switch self {
            case .load:
                run.answer(ExperimentsScreen.self, .loaded(try run.store.experimentOverviews(now: now), asOf: now))
            case .loadListing(let listingID):
                run.answer(ExperimentsScreen.self, .listingLoaded(listingID: listingID, try run.store.listingDraft(listingID: listingID, now: now)))
            case .start(let plan):
                do {
                    try run.store.startExperiment(plan.experiment(now: now), now: now)
                    run.answer(ExperimentsScreen.self, .started)
                } catch let refusal as ExperimentRefusal {
                    run.answer(ExperimentsScreen.self, .refused(ExperimentsScreen.reason(refusal)))
                }
            case .setStatus(let id, let status):
                try run.store.setExperimentStatus(id: id, status, now: now)
                run.answer(ExperimentsScreen.self, .changed)
            case .pushWinner(let id, let variant):
                try run.store.pushExperimentWinner(id: id, variant: variant, now: now)
                run.answer(ExperimentsScreen.self, .changed)
            }
        }
    }

    static func reason(_ refusal: ExperimentRefusal) -> String {
        switch refusal {
        case .notOnShop: "experiments.not_on_shop"
        case .alreadyRunning: "experiments.already_running"
        case .invalid(let codes): codes.contains { $0.hasPrefix("experiment_rules") } ? "experiments.breaks_rules" : "experiments.invalid"
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { [.job(Self.self, .load)] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let rows, let asOf):
            (s.experiments.rows, s.experiments.loaded, s.experiments.asOf) = (rows, true, asOf)
            s.experiments.selected = min(s.experiments.selected, max(0, rows.count - 1))
        case .listingLoaded(let listingID, let draft):
            guard case .experimentForm(var form)? = s.overlay, form.listingID == listingID else { return [] }
            guard let draft else {
                s.overlay = nil
                toast(&s, s.strings.t("experiments.not_on_shop"), isError: true)
                return []
            }
            form.current = draft
            form.choose(form.kind, formats: s.formats)
            s.overlay = .experimentForm(form)
        case .started:
            toast(&s, s.strings.t("experiments.started"))
            return go(&s, .experiments) + syncIfIdle(&s)
        case .refused(let key):
            toast(&s, s.strings.t(key), isError: true)
        case .changed:
            return [.job(Self.self, .load)] + syncIfIdle(&s)
        }
        return []
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if moveIndex(&s.experiments.selected, command, count: s.experiments.rows.count) { return [] }
        guard let row = s.experiments.rows.element(at: s.experiments.selected), let id = row.experiment.id else {
            if command == .left { s.focus = .sidebar }
            return []
        }
        let e = row.experiment
        switch command {
        case .pauseExperiment where e.status != .ended:
            return [.job(Self.self, .setStatus(id: id, e.status == .paused ? .running : .paused))]
        case .cancelItem where e.status != .ended:
            return [.job(Self.self, .setStatus(id: id, .ended))]
        case .activate where e.winner == nil:
            guard let leader = leader(row) else {
                toast(&s, s.strings.t("experiments.no_leader"), isError: true)
                return []
            }
            return [.job(Self.self, .pushWinner(id: id, variant: leader))]
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    /// The variant converting best so far (nil before any has views).
    static func leader(_ row: ExperimentOverview) -> Int? {
        let rates = row.results.enumerated().compactMap { i, r in r.views > 0 ? (i, Double(r.orders) / r.views) : nil }
        return rates.max { $0.1 < $1.1 }?.0
    }

    /// What the comparison of B with A says: the test, its interval, and whether it is early.
    static func verdict(_ s: AppState, _ row: ExperimentOverview) -> [(String, Style)] {
        let t = s.strings, th = s.theme, fm = s.formats
        guard row.results.count >= 2 else { return [] }
        let (a, b) = (row.results[0], row.results[1])
        var out: [(String, Style)] = []
        // Conversions differ by fractions of a percent: two decimals, in the language's way.
        func points(_ share: Double) -> String { fm.decimal(share * 100) + " %" }
        let early = (row.experiment.minimumViews.map { min(a.views, b.views) < Double($0) } ?? false) || (s.experiments.asOf ?? Date()) < row.experiment.end
        let conversion = ExperimentStats.twoProportions(successesA: a.orders, trialsA: Int(a.views), successesB: b.orders, trialsB: Int(b.views))
        if let c = conversion {
            out.append(
                (
                    t.t(
                        "experiments.conversion_test",
                        [
                            "difference": points(c.difference), "low": points(c.low), "high": points(c.high), "z": fm.decimal(c.z),
                            "p": String(format: "%.3f", c.p),
                        ]), th.base
                ))
        } else {
            out.append((t.t("experiments.no_data"), th.muted))
        }
        if let r = ExperimentStats.twoRates(countA: Int(a.views), daysA: a.days, countB: Int(b.views), daysB: b.days) {
            out.append((t.t("experiments.rate_test", ["difference": fm.decimal(r.difference), "p": String(format: "%.3f", r.p)]), th.base))
        }
        let minimum = row.experiment.minimumViews.map { t.t("experiments.minimum", ["views": fm.integer($0)]) } ?? ""
        if early {
            out.append((t.t("experiments.early") + (minimum.isEmpty ? "" : " · " + minimum), th.warning))
        } else if let c = conversion {
            out.append((t.t(c.isSignificant ? "experiments.significant" : "experiments.not_significant"), c.isSignificant ? th.success : th.muted))
        }
        return out
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        let x = rect.x + 1, width = rect.width - 2
        guard rect.height >= 3, width > 4 else { return }
        f.put(t.t("experiments.heading") + " · " + keyLine(s, Self.self), x: x, y: rect.y, style: th.muted, maxWidth: width)
        guard s.experiments.loaded else {
            f.put(s.loadingText(for: id), x: x, y: rect.y + 2, style: th.muted, maxWidth: width)
            return
        }
        guard !s.experiments.rows.isEmpty else {
            for (i, key) in ["experiments.empty", "experiments.empty_hint"].enumerated() {
                f.put(t.t(key), x: x, y: rect.y + 2 + i, style: i == 0 ? th.base : th.muted, maxWidth: width)
            }
            return
        }
        // The experiments, then the selected one's variants and tests.
        let listHeight = min(s.experiments.rows.count + 1, max(2, rect.height / 3))
        var table = TableState(rowCount: s.experiments.rows.count)
        table.select(s.experiments.selected, visibleRows: max(1, listHeight - 1))
        let columns = [
            TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("experiments.kind"), .fixed(8)), TableColumn(t.t("experiments.status"), .fixed(16)),
            TableColumn(t.t("experiments.days"), .fixed(10), alignRight: true),
        ]
        let now = s.experiments.asOf ?? Date()
        TableView.render(
            into: &f, rect: Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: listHeight), columns: columns, state: table, styles: s.tableStyles,
            focused: s.focus == .content
        ) { i in
            let r = s.experiments.rows[i], e = r.experiment
            let day = min(e.sliceCount, (e.sliceIndex(at: now) ?? (now >= e.end ? e.sliceCount - 1 : -1)) + 1)
            return [r.listingTitle, t.t("experiments.kind.\(e.kind.rawValue)"), status(s, e), "\(fm.integer(max(0, day)))/\(fm.integer(e.sliceCount))"]
        }
        guard let row = s.experiments.rows.element(at: s.experiments.selected) else { return }
        var y = rect.y + 3 + listHeight
        let live = row.experiment.variant(at: now)
        let vcolumns = [
            TableColumn(t.t("experiments.variant"), .fixed(9)),
            TableColumn(t.t("experiments.kind.\(row.experiment.kind.rawValue)").localizedCapitalized, .flex(1)),
            TableColumn(t.t("experiments.days"), .fixed(6), alignRight: true), TableColumn(t.t("shop.views"), .fixed(9), alignRight: true),
            TableColumn(t.t("shop.orders"), .fixed(9), alignRight: true), TableColumn(t.t("shop.conversion"), .fixed(11), alignRight: true),
            TableColumn(t.t("shop.revenue"), .fixed(11), alignRight: true),
        ]
        let vrect = Rect(x: rect.x, y: y, width: rect.width, height: min(row.results.count + 1, max(0, rect.maxY - y)))
        TableView.render(into: &f, rect: vrect, columns: vcolumns, state: TableState(rowCount: row.results.count), styles: s.tableStyles, focused: false) {
            i in
            let v = row.experiment.variants[i], r = row.results[i]
            let name = variantName(i) + (v.weight > 1 ? " ×\(v.weight)" : "") + (live == i ? " ●" : "") + (row.experiment.winner == i ? " ★" : "")
            return [
                name,
                v.title ?? v.tags?.joined(separator: ", ") ?? v.priceCents.map { fm.money(cents: $0, currency: fm.currency) } ?? v.description
                    ?? v.photos?.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "",
                fm.decimal(r.days), fm.integer(Int(r.views.rounded())), fm.integer(r.orders), r.views > 0 ? fm.percent(Double(r.orders) / r.views) : "—",
                fm.money(cents: r.revenueCents, currency: fm.currency),
            ]
        }
        y += vrect.height + 1
        for (text, style) in verdict(s, row) where y < rect.maxY {
            f.put(text, x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        if y < rect.maxY { f.put(t.t("experiments.method"), x: x, y: y, style: th.muted, maxWidth: width) }
    }

    static func status(_ s: AppState, _ e: Experiment) -> String {
        e.winner != nil ? s.strings.t("experiments.status.winner") : s.strings.t("experiments.status.\(e.status.rawValue)")
    }
}
