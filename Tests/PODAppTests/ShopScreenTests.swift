import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Shop screen: the period's figures against the one before, the chart, each listing's
/// part, the empty states, and the export.
@Suite struct ShopScreenTests {
    /// Two sales of a mug in the period (one of two units), one the period before, views counted.
    static func activity() -> (now: ShopActivity, before: ShopActivity) {
        var now = ShopActivity(), before = ShopActivity()
        now.sales = [
            .init(receiptID: 1, createdAt: fixedNow - 86_400, itemsCents: 5_000, shippingCents: 500, revenueCents: 5_500, units: 2, currency: "USD"),
            .init(receiptID: 2, createdAt: fixedNow - 10 * 86_400, itemsCents: 2_500, shippingCents: 0, revenueCents: 2_500, units: 1, currency: "USD"),
        ]
        now.views = ["2026-11-16": 40, "2026-11-17": 60]
        now.favorites = ["2026-11-17": 3]
        now.statsBefore = true
        var mug = ShopActivity.Listing(listingID: "900000001", title: "Retro Cat Mug")
        (mug.revenueCents, mug.orders, mug.units, mug.views, mug.rowID) = (7_500, 2, 3, 80, 1)
        var tee = ShopActivity.Listing(listingID: "900000002", title: "Moon Tee")
        tee.views = 20
        now.listings = [mug, tee]
        (now.productionUSD, now.shippingUSD, now.printifyOrders) = (1_800, 1_098, 2)
        before.sales = [
            .init(receiptID: 0, createdAt: fixedNow - 40 * 86_400, itemsCents: 2_500, shippingCents: 0, revenueCents: 2_500, units: 1, currency: "USD")
        ]
        var oldTee = ShopActivity.Listing(listingID: "900000002", title: "Moon Tee")
        (oldTee.revenueCents, oldTee.orders, oldTee.units) = (2_500, 1, 1)
        before.listings = [oldTee]
        before.statsBefore = true
        return (now, before)
    }

    /// The totals, then each listing's part, as the load job answers them.
    static func receive(_ s: inout AppState, _ now: ShopActivity, _ before: ShopActivity) {
        _ = reduce(&s, .to(ShopScreen.self, .loaded(days: 30, asOf: fixedNow, now: now, before: before, etsyConnected: true, salesUnavailable: nil)))
        _ = reduce(&s, .to(ShopScreen.self, .listingsLoaded(days: 30, asOf: fixedNow, now: now.listings, before: before.listings)))
    }

    func loaded(width: Int = 120, height: Int = 40, noColor: Bool = false) throws -> AppState {
        var s = try makeState(width: width, height: height, screen: .shop, noColor: noColor)
        #expect(reduce(&s, .go(.shop)) == [.job(ShopScreen.self, .load(days: 30))])
        #expect(view(s).text().contains("Loading…"))
        let (now, before) = Self.activity()
        // The totals first: the figures show, each listing's part is still read.
        _ = reduce(&s, .to(ShopScreen.self, .loaded(days: 30, asOf: fixedNow, now: now, before: before, etsyConnected: true, salesUnavailable: nil)))
        #expect(s.shop.lines == nil && (height < 30 || (view(s).text().contains("Revenue $80.00") && view(s).text().contains("Loading…"))))
        Self.receive(&s, now, before)
        return s
    }

    @Test func theFiguresAreTheSalesAgainstThePeriodBeforeWithTheEstimatesSaid() throws {
        let s = try loaded()
        let text = view(s).text()
        // $80 against $25: +220 %; 2 orders against 1; 3 units; average $40.
        #expect(text.contains("Revenue $80.00 ▲ 220%"), "\(text)")
        #expect(text.contains("Orders 2 ▲ 100%") && text.contains("Units 3") && text.contains("Average order $40.00"))
        #expect(text.contains("Views 100") && text.contains("Favourites 3") && text.contains("Conversion 2%"))
        // Fees by hand: $55 sale: 20 + 20 (second unit) + 358 + 190; $25 sale: 20 + 163 + 100.
        let fees = 20 + 20 + 358 + 190 + 20 + 163 + 100
        let profit = 8_000 - 1_800 - 1_098 - fees
        #expect(ShopFigures(Self.activity().now, fees: s.fees, currency: "USD", usdRate: nil).feesCents == fees)
        #expect(text.contains("Etsy fees (estimate) " + s.formats.money(cents: fees, currency: "USD")))
        #expect(text.contains("Profit (estimate) " + s.formats.money(cents: profit, currency: "USD")))
        #expect(text.contains("Printify production (2 orders) $18.00") && text.contains("shipping paid $10.98"))
        #expect(text.contains("Estimated: Etsy's fees"))
        // The chart's bars, and each listing: the tee sold before and not now (▼ 100 %).
        #expect(text.contains("█"))
        #expect(text.contains("Retro Cat Mug") && text.contains("new") && text.contains("▼ 100%"))
    }

    /// Once Etsy's ledger is read over the period, the fees are what it charged, by kind, and
    /// the profit is measured.
    @Test func theLedgersFeesReplaceTheEstimate() throws {
        var s = try loaded()
        var (now, before) = Self.activity()
        now.ledgerCovers = true
        now.ledgerFees = ["USD": [.transaction: 520, .processing: 290, .listing: 60, .offsiteAds: 0]]
        Self.receive(&s, now, before)
        let text = view(s).text()
        #expect(text.contains("Etsy fees (ledger) $8.70 (transaction $5.20 · processing $2.90 · listing $0.60)"), "\(text)")
        // 8,000 − 1,800 − 1,098 − 870 = 4,232, every order's costs known: measured.
        #expect(text.contains("Profit $42.32") && !text.contains("Profit (estimate)"))
        #expect(text.contains("Measured: Etsy's receipts and the fees its payment ledger charged"))
        #expect(ShopScreen.csv(s).contains("\n30,80.00,2,3,100,3,18.00,10.98,8.70,ledger,42.32,measured,USD\n"))
    }

    @Test func thePeriodTheSortAndTheExportFollowTheKeys() throws {
        var s = try loaded()
        #expect(press(&s, .char("]")) == [.job(ShopScreen.self, .load(days: 90))])
        #expect(press(&s, .char("[")) == [.job(ShopScreen.self, .load(days: 30))])
        let (now, before) = Self.activity()
        Self.receive(&s, now, before)
        #expect((s.shop.lines ?? []).map(\.listing.title) == ["Retro Cat Mug", "Moon Tee"])
        press(&s, .char("s"), .char("s"), .char("s"))  // by views
        #expect(s.shop.sort == .views && (s.shop.lines ?? []).map(\.listing.views) == [80, 20])
        press(&s, .char("S"))
        #expect((s.shop.lines ?? []).map(\.listing.views) == [20, 80])
        press(&s, .char("X"))
        guard case .prompt(let p)? = s.overlay else {
            Issue.record("no export prompt")
            return
        }
        #expect(p.purpose == .exportSales && p.path.text == "podpusher-shop-30d-2026-11-18.csv")
        let effects = press(&s, .enter)
        guard case .export(let path, let csv)? = job(effects.first, ShopScreen.self) else {
            Issue.record("no export job")
            return
        }
        #expect(path == "podpusher-shop-30d-2026-11-18.csv")
        #expect(
            csv.hasPrefix(
                "period_days,revenue,orders,units,views,favorites,production,shipping_paid,fees,fees_source,profit,profit_source,currency\n30,80.00,2,3,100,3,18.00,10.98,8.71,estimate,42.31,estimate,USD\n"
            ))
        #expect(csv.contains("\n900000001,Retro Cat Mug,75.00,2,3,80,0,\n"))
    }

    @Test func withoutSalesTheScreenSaysWhy() throws {
        var s = try makeState(screen: .shop)
        _ = reduce(&s, .go(.shop))
        _ = reduce(
            &s,
            .to(ShopScreen.self, .loaded(days: 30, asOf: fixedNow, now: ShopActivity(), before: ShopActivity(), etsyConnected: false, salesUnavailable: nil)))
        #expect(view(s).text().contains("No sales yet. Connect Etsy on Integrations"))
        #expect(view(s).text().contains("Revenue $0.00 —"), "nothing to compare with")
        _ = reduce(
            &s,
            .to(
                ShopScreen.self,
                .loaded(days: 30, asOf: fixedNow, now: ShopActivity(), before: ShopActivity(), etsyConnected: true, salesUnavailable: "missing transactions_r"))
        )
        #expect(view(s).text().contains("Etsy did not let PODPusher read your sales (missing transactions_r)"))
        // A small terminal still shows the period, and without colour the bars stay bars.
        #expect(view(try loaded(width: 40, height: 12)).text().contains("Last 30"))
        #expect(view(try loaded(noColor: true)).text().contains("█"))
    }

    @Test func theStoresSalesReachTheScreenAndEnterOpensTheListing() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("shop", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        try store.recordReceipts(
            [
                EtsyReceipt(
                    id: 4001, status: "paid", createdAt: now - 3_600, updatedAt: now - 3_600, currency: "USD", grandTotalCents: 5_700, taxCents: 200,
                    shippingCents: 500,
                    transactions: [.init(id: 1, listingID: 900000001, title: "Retro Cat Mug", quantity: 2, priceCents: 2_500, shippingCents: 500)])
            ], now: now)
        let p = Program(state: try makeState(screen: .shop)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        let text = view(p.state).text()
        #expect(text.contains("Revenue $55.00") && text.contains("Retro Cat Mug"), "\(text)")
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.screen == .composer && p.state.composer.editor?.draft.title == complete(ListingDraft()).title)
    }
}
