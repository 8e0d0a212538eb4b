import Foundation
import PODCore
import PODStore
import TerminalUI

public struct ShopState: Sendable, Equatable {
    /// The period shown, in days (7, 30, 90, 365), against the one before it.
    public var days = 30
    public var now: ShopActivity?
    public var before: ShopActivity?
    /// When the figures were read: the period ends there.
    public var asOf: Date?
    /// Whether Etsy is connected, and why its sales cannot be read (an older connection).
    public var etsyConnected = false
    public var salesUnavailable: String?
    /// The figures of the period and of the one before, made once when they arrive.
    public var figures: ShopFigures?
    public var figuresBefore: ShopFigures?
    /// Each listing's line in the chosen order (nil while the listings are read, after the
    /// totals).
    public var lines: [ShopLine]?
    public var selected = 0
    public var sort = ShopSort.revenue
    public var descending = true
    public init() {}
}

/// A listing's line: its part now, and its revenue in the period before (for the change).
public struct ShopLine: Sendable, Equatable {
    public var listing: ShopActivity.Listing
    public var revenueBefore: Int?
    var conversion: Double? { listing.views > 0 ? Double(listing.orders) / Double(listing.views) : nil }
    var change: Double? { ShopFigures.change(listing.revenueCents, from: revenueBefore) }
}

/// The by-listing table's orders.
public enum ShopSort: String, Sendable, CaseIterable { case revenue, orders, units, views, conversion, change }

extension AppState {
    public var shop: ShopState {
        get { screens[ShopScreen.self] }
        _modify { yield &screens[ShopScreen.self] }
    }
}

/// What the shop sells and earns: revenue, orders, units, views, favourites, conversion and
/// profit over the last 7, 30, 90 or 365 days against the period before, a chart of revenue by
/// day, and each listing's part. Receipts, Printify's charges and the daily counts are
/// measured; Etsy's fees are its ledger's, or estimated from the fee table until the ledger is
/// read, and say which.
enum ShopScreen: ScreenModule {
    static let id = ScreenID.shop
    static let initialState = ShopState()
    static let commands: [Command] = [.previousPeriod, .nextPeriod, .sort, .reverseSort, .select, .exportSales, .refresh]
    static let hints: [Command] = [.previousPeriod, .sort, .select, .exportSales]
    static let periods = [7, 30, 90, 365]

    enum Message: ScreenMessage {
        case loaded(days: Int, asOf: Date, now: ShopActivity, before: ShopActivity, etsyConnected: Bool, salesUnavailable: String?)
        /// Each listing's part of the period and of the one before, read after the totals.
        case listingsLoaded(days: Int, asOf: Date, now: [ShopActivity.Listing], before: [ShopActivity.Listing])
        case exported(path: String)
    }

    enum Job: ScreenJob {
        case load(days: Int)
        case export(path: String, csv: String)

        var lane: EffectLane {
            switch self {
            case .load: .read
            case .export: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load(let days):
                let end = Date(), span = TimeInterval(days) * 86_400
                let now = try run.store.shopActivity(from: end - span, to: end)
                let before = try run.store.shopActivity(from: end - 2 * span, to: end - span)
                let connected = try run.store.connections().contains { $0.provider == ProviderID.etsy.rawValue && $0.state == .connected }
                let unavailable = try run.store.preference("etsy.sales_unavailable").flatMap { $0.isEmpty ? nil : $0 }
                run.answer(
                    ShopScreen.self, .loaded(days: days, asOf: end, now: now, before: before, etsyConnected: connected, salesUnavailable: unavailable))
                // The totals show first; each listing's part takes longer on a big shop.
                let listingsNow = try run.store.shopListings(from: end - span, to: end)
                let listingsBefore = try run.store.shopListings(from: end - 2 * span, to: end - span)
                run.answer(ShopScreen.self, .listingsLoaded(days: days, asOf: end, now: listingsNow, before: listingsBefore))
            case .export(let path, let csv):
                try Data(csv.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                run.answer(ShopScreen.self, .exported(path: path))
            }
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { [.job(Self.self, .load(days: s.shop.days))] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let days, let asOf, let now, let before, let connected, let unavailable):
            guard days == s.shop.days else { return [] }
            (s.shop.now, s.shop.before, s.shop.asOf) = (now, before, asOf)
            (s.shop.figures, s.shop.figuresBefore) = (figures(s, now), figures(s, before))
            (s.shop.etsyConnected, s.shop.salesUnavailable) = (connected, unavailable)
        case .listingsLoaded(let days, let asOf, let now, let before):
            guard days == s.shop.days, asOf == s.shop.asOf else { return [] }
            s.shop.now?.listings = now
            s.shop.before?.listings = before
            s.shop.lines = listingLines(s)
            s.shop.selected = min(s.shop.selected, max(0, (s.shop.lines?.count ?? 0) - 1))
        case .exported(let path):
            toast(&s, s.strings.t("shop.exported", ["path": path]))
        }
        return []
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let lines = s.shop.lines ?? []
        if moveIndex(&s.shop.selected, command, count: lines.count) { return [] }
        switch command {
        case .previousPeriod, .nextPeriod:
            let i = periods.firstIndex(of: s.shop.days) ?? 1
            s.shop.days = periods[(i + (command == .nextPeriod ? 1 : periods.count - 1)) % periods.count]
            (s.shop.now, s.shop.before, s.shop.figures, s.shop.figuresBefore, s.shop.lines, s.shop.selected) = (nil, nil, nil, nil, nil, 0)
            return enter(&s)
        case .sort:
            let all = ShopSort.allCases
            s.shop.sort = all[((all.firstIndex(of: s.shop.sort) ?? 0) + 1) % all.count]
            resort(&s)
        case .reverseSort:
            s.shop.descending.toggle()
            resort(&s)
        case .select:
            guard let line = lines.element(at: s.shop.selected), let row = line.listing.rowID else { return [] }
            return ListingsScreen.open(&s, listingID: row)
        case .exportSales:
            guard s.shop.now != nil else { return [] }
            let name = "podpusher-shop-\(s.shop.days)d-\(ListingStats.day(s.shop.asOf ?? Date())).csv"
            s.overlay = .prompt(PromptState(purpose: .exportSales, path: name))
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    /// The lines in the order just chosen, from the top.
    static func resort(_ s: inout AppState) {
        if s.shop.lines != nil { s.shop.lines = listingLines(s) }
        s.shop.selected = 0
    }

    /// The listings of the period, with those that sold before but not now (the movers down),
    /// in the chosen order.
    static func listingLines(_ s: AppState) -> [ShopLine] {
        guard let now = s.shop.now else { return [] }
        let before = Dictionary((s.shop.before?.listings ?? []).map { ($0.listingID, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = now.listings.map { ShopLine(listing: $0, revenueBefore: before[$0.listingID]?.revenueCents) }
        let shown = Set(now.listings.map(\.listingID))
        for old in s.shop.before?.listings ?? [] where !shown.contains(old.listingID) && old.revenueCents > 0 {
            var gone = ShopActivity.Listing(listingID: old.listingID, title: old.title)
            gone.rowID = old.rowID
            lines.append(ShopLine(listing: gone, revenueBefore: old.revenueCents))
        }
        func key(_ l: ShopLine) -> Double {
            switch s.shop.sort {
            case .revenue: Double(l.listing.revenueCents)
            case .orders: Double(l.listing.orders)
            case .units: Double(l.listing.units)
            case .views: Double(l.listing.views)
            case .conversion: l.conversion ?? -1
            case .change: l.change ?? (l.listing.revenueCents > 0 ? .infinity : -.infinity)
            }
        }
        return lines.sorted { a, b in
            let (ka, kb) = (key(a), key(b))
            if ka != kb { return s.shop.descending ? ka > kb : ka < kb }
            return a.listing.listingID < b.listing.listingID
        }
    }

    static func figures(_ s: AppState, _ activity: ShopActivity?) -> ShopFigures? {
        activity.map { ShopFigures($0, fees: s.fees, currency: s.formats.currency, usdRate: s.pricing.usdRate) }
    }

    /// The period's figures and each listing's, as CSV (the amounts in the shop's currency,
    /// plain numbers; what is estimated says so in its column name).
    static func csv(_ s: AppState) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func amount(_ cents: Int?) -> String { cents.map { String(format: "%.2f", Double($0) / 100) } ?? "" }
        var out = "period_days,revenue,orders,units,views,favorites,production,shipping_paid,fees,fees_source,profit,profit_source,currency\n"
        for (label, figures) in [("now", s.shop.figures), ("before", s.shop.figuresBefore)] {
            guard let f = figures else { continue }
            out +=
                [
                    label == "now" ? "\(s.shop.days)" : "\(s.shop.days) before", amount(f.revenueCents), "\(f.orders)", "\(f.units)",
                    f.views.map(String.init) ?? "",
                    f.favorites.map(String.init) ?? "", amount(f.productionCents), amount(f.shippingPaidCents), amount(f.feesCents),
                    f.feesMeasured ? "ledger" : "estimate",
                    amount(f.profitCents), f.profitMeasured ? "measured" : "estimate",
                    s.formats.currency,
                ].joined(separator: ",") + "\n"
        }
        out += "\nlisting_id,title,revenue,orders,units,views,favorites,revenue_before\n"
        for l in s.shop.lines ?? [] {
            let x = l.listing
            out +=
                [x.listingID, field(x.title), amount(x.revenueCents), "\(x.orders)", "\(x.units)", "\(x.views)", "\(x.favorites)", amount(l.revenueBefore)]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
