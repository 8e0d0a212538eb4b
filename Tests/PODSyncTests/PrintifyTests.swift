import Foundation
import PODCore
import XCTest

@testable import PODStore
@testable import PODSync

final class PrintifyTests: XCTestCase {
    var f: SyncFixture!
    var image: URL!

    override func setUpWithError() throws {
        f = try SyncFixture()
        try f.credentials.save(Credential(accessToken: "printify-test-token"), for: "printify")
        image = f.dir.appendingPathComponent("design.png")
        try Self.png(4500, 5400).write(to: image)
    }
    override func tearDown() { f = nil }

    /// A PNG header declaring `w`×`h`.
    static func png(_ w: Int, _ h: Int) -> Data {
        var d = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8))
        for v in [w, h] { d += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        return d + Data(repeating: 0, count: 2_000)
    }

    func settings(template: Bool = true) -> [String: [String: String]] {
        var p = ["api_base_url": f.server.base + "/printify/v1", "rate_per_second": "200"]
        if template {
            p.merge(["blueprint_id": "68", "print_provider_id": "1", "variant_ids": "33719, 33720", "image": image.path]) { a, _ in a }
        }
        return ["printify": p]
    }

    func engine(template: Bool = true, clock: SyncClock = .system) -> SyncEngine {
        SyncEngine(store: f.store, credentials: f.credentials, transport: CurlTransport(), providers: settings(template: template), clock: clock)
    }

    @discardableResult
    func queue(_ n: Int) throws -> [Int64] {
        try f.queue(n, for: .printify) { "Retro Cat Mug \($0)" }
    }

    func state() throws -> [String: Any] { try XCTUnwrap(try f.server.state()["printify"] as? [String: Any]) }
    func products() throws -> [[String: Any]] { try XCTUnwrap(state()["products"] as? [[String: Any]]) }

    func testDraftsBecomeProductsOfTheTemplatePublishedWithOneUpload() throws {
        try queue(3)
        let report = engine().sync(.printify)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 6, "three creates, then three publishes, each an item")
        let made = try products()
        XCTAssertEqual(made.count, 3)
        XCTAssertEqual((made[0]["variants"] as? [[String: Any]])?.map { $0["price"] as? Int }, [1999, 1999])
        XCTAssertEqual(made[0]["blueprint_id"] as? Int, 68)
        XCTAssertEqual(try state()["publishes"] as? Int, 3)
        XCTAssertEqual(try f.store.queueItems().filter { $0.operation == .activateListing && $0.state == .done }.count, 3)
        XCTAssertEqual((try state()["uploads"] as? [Any])?.count, 1, "the design is uploaded once")
        XCTAssertEqual(try f.store.connections().first { $0.provider == "printify" }?.accountName, "My POD shop")
        XCTAssertEqual(try f.store.listings(offset: 0, limit: 10, sort: .title, filter: "").filter { $0.provider == "printify" }.count, 3)
        // Another pass later reuses the uploaded image.
        try queue(1)
        XCTAssertEqual(engine().sync(.printify).pushed, 2)
        XCTAssertEqual((try state()["uploads"] as? [Any])?.count, 1)
    }

    /// Without a template, a create is blocked — "needs setup", not tried again by itself, its
    /// listing unit given back — and, once set up, a retry sends it (charging the unit again).
    func testWithoutATemplateCreatesAreBlockedUsingNoQuotaUntilSetUpAndRetried() throws {
        let quota = (plan: PlanTier.free, calendar: Calendar(identifier: .gregorian))
        func used() throws -> Int { try f.store.usage(since: Date().addingTimeInterval(-86_400))["listings"] ?? 0 }
        for i in 0..<2 { try f.store.queueDraft(SyncFixture.draft("Retro Cat Mug \(i)"), provider: .printify, now: Date(), quota: quota) }
        XCTAssertEqual(try used(), 2)
        let report = engine(template: false).sync(.printify)
        XCTAssertEqual(report.outcome, .notConfigured)
        XCTAssertTrue(report.lastError?.contains("blueprint_id, print_provider_id, variant_ids, image") == true, report.lastError ?? "")
        XCTAssertEqual(report.pending, 0, "blocked, not waiting to be tried again")
        let items = try f.store.queueItems()
        XCTAssertTrue(items.allSatisfy { $0.state == .failed && $0.lastError?.hasPrefix(Store.needsSetup) == true }, "\(items)")
        XCTAssertEqual(try used(), 0, "no quota while blocked")
        XCTAssertEqual(engine(template: false).sync(.printify).pending, 0, "another pass tries nothing")
        XCTAssertEqual(try products().count, 0)
        XCTAssertEqual((try state()["uploads"] as? [Any])?.count, 0)
        // Set up, then retried: sent, and charged again.
        for item in items { try f.store.retryQueueItem(id: item.id, now: Date(), quota: quota) }
        XCTAssertEqual(try used(), 2)
        XCTAssertEqual(engine().sync(.printify).outcome, .done)
        XCTAssertEqual(try products().count, 2)
    }

    func testALostAnswerIsReconciledAndAnEditGoesOutWithPut() throws {
        try f.server.control(["printify": ["faults": ["POST:lose_answer"]]])
        let ids = try queue(1)
        let report = engine(clock: FastClock().clock).sync(.printify)
        XCTAssertEqual(report.reconciled, 1, report.lastError ?? "")
        XCTAssertEqual(try products().count, 1)
        XCTAssertEqual((try products().first?["variants"] as? [[String: Any]])?.first?["price"] as? Int, 1999)
        var d = try XCTUnwrap(f.store.draft(id: ids[0]))
        d.title = "Retro Cat Mug, Renamed"
        d.priceCents = 2100
        try f.store.queueDraft(d, provider: .printify, now: Date())
        let edit = engine().sync(.printify)
        XCTAssertEqual(edit.pushed, 1, "\(edit)")
        let product = try XCTUnwrap(products().first)
        XCTAssertEqual(product["title"] as? String, "Retro Cat Mug, Renamed")
        XCTAssertEqual((product["variants"] as? [[String: Any]])?.first?["price"] as? Int, 2100)
        XCTAssertEqual(try products().count, 1)
    }

    /// A product made but not published when the pass ended (a kill between the two): the next
    /// pass publishes it, and a publish sent again is not sent twice.
    func testAProductMadeButNotPublishedIsPublishedByTheNextPass() throws {
        try f.server.control(["printify": ["faults": ["POST:lose_answer"]]])
        try queue(1)
        _ = engine().sync(.printify)
        XCTAssertEqual(try products().count, 1)
        // Reconciled: the product found, its publish queued and sent.
        _ = engine().sync(.printify)
        XCTAssertEqual(try products().count, 1, "never made twice")
        XCTAssertEqual(try state()["publishes"] as? Int, 1)
        XCTAssertEqual(try f.store.outboxCounts(provider: .printify), [.done: 2])
        // The publish sent again (its answer lost): the product is published already, nothing is sent.
        let id = try XCTUnwrap(products().first?["id"] as? String)
        let client = PrintifyClient(settings: PrintifySettings(settings()["printify"]!), token: "printify-test-token", transport: CurlTransport())
        let session = PrintifySession(
            client: client, shopID: 4242, store: f.store, clock: .system, uploads: ImageUpload(client: client, store: f.store, now: Date.init))
        XCTAssertEqual(try session.setState(listingID: id, active: true).state, "active")
        XCTAssertEqual(try state()["publishes"] as? Int, 1)
    }

    func testProductsArePagedToTheEndAndTheCatalogIsKeptAWeek() throws {
        try queue(60)
        XCTAssertEqual(engine().sync(.printify).pushed, 120, "sixty creates and sixty publishes")
        let client = PrintifyClient(settings: PrintifySettings(settings()["printify"]!), token: "printify-test-token", transport: CurlTransport())
        XCTAssertEqual(try client.products(shopID: 4242).count, 60)
        let store = f.store
        let cached = PrintifyClient(
            settings: PrintifySettings(settings()["printify"]!), token: "printify-test-token", transport: CurlTransport(),
            catalogCache: { key, fetch in
                if let c = try store.syncCursor(provider: "test", resource: key) { return Data(c.utf8) }
                let d = try fetch()
                try store.setSyncCursor(provider: "test", resource: key, cursor: String(decoding: d, as: UTF8.self), now: Date())
                return d
            })
        for _ in 0..<3 { XCTAssertEqual((try cached.catalog("blueprints.json") as? [[String: Any]])?.first?["title"] as? String, "Mug 11oz") }
        XCTAssertEqual(try state()["catalog_calls"] as? Int, 1)
    }

    func testAProductCanBeDeleted() throws {
        try queue(1)
        _ = engine().sync(.printify)
        let id = try XCTUnwrap(products().first?["id"] as? String)
        let client = PrintifyClient(settings: PrintifySettings(settings()["printify"]!), token: "printify-test-token", transport: CurlTransport())
        try client.deleteProduct(shopID: 4242, productID: id)
        XCTAssertEqual(try products().count, 0)
        XCTAssertThrowsError(try client.deleteProduct(shopID: 4242, productID: id)) {
            guard case .rejected = $0 as? ProviderError else { return XCTFail("\($0)") }
        }
    }

    func testABadTokenIsExpiredAndNotConnectedIsQuietWhenNothingWaits() throws {
        try f.credentials.save(Credential(accessToken: "wrong"), for: "printify")
        try queue(1)
        XCTAssertEqual(engine().sync(.printify).outcome, .unauthorized)
        XCTAssertEqual(try f.store.connections().first { $0.provider == "printify" }?.state, .expired)
        try f.credentials.remove(provider: "printify")
        let idle = SyncEngine(
            store: try Store(dataDirectory: f.dir.appendingPathComponent("other")), credentials: f.credentials,
            transport: CurlTransport(), providers: settings()
        ).sync(.printify)
        XCTAssertEqual(idle.outcome, .notConnected)
        XCTAssertFalse(idle.isTrouble)
    }

    /// A draft with a product of its own: the catalog read (and kept), the product made with
    /// exactly its variants, prices and print area, its costs learned, and the Etsy listing it
    /// was published as recorded; a blueprint gone from the catalog is refused on the product.
    func testADraftsOwnProductIsMadeItsCostsLearnedAndItsEtsyListingRecorded() throws {
        try f.server.control(["printify": ["shops": [["id": 4242, "title": "My POD shop", "sales_channel": "etsy"]]]])
        let catalog = try XCTUnwrap(try engine(template: false).printifyCatalog())
        let tee = try XCTUnwrap(try catalog.blueprints().first { $0.matches("heavy cotton") })
        let provider = try XCTUnwrap(try catalog.providers(blueprint: tee.id).first)
        XCTAssertEqual(provider.location, "Columbus, US")
        let variants = try catalog.variants(blueprint: tee.id, provider: provider.id)
        XCTAssertEqual(variants.first?.areas.first, PrintArea(position: "front", width: 4500, height: 5400))
        XCTAssertEqual(
            ShippingRate.firstItem(try catalog.shipping(blueprint: tee.id, provider: provider.id), variant: variants[0].id, country: "US")?.firstItemCents, 475)
        var product = PrintProduct(blueprint: tee, provider: provider)
        product.variants = variants.prefix(2).map { PrintProduct.Variant(id: $0.id, color: $0.color, size: $0.size, priceCents: 2799) }
        product.designs = [PrintProduct.Design(position: "front", file: image.path)]
        var d = SyncFixture.draft("Retro Cat Tee")
        d.product = product
        let queued = try f.store.queueDraft(d, provider: .printify, now: Date())
        XCTAssertEqual(engine(template: false).sync(.printify).outcome, .done)
        let mockups = try f.store.mockups(draftID: queued.draftID)
        XCTAssertEqual(mockups.count, 2)
        XCTAssertTrue(mockups[0].hasSuffix("-front.png"), "the default first: \(mockups)")
        XCTAssertEqual(try engine(template: false).download(mockups[0]).prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
        XCTAssertThrowsError(try engine(template: false).download("ftp://example.com/x.png"))
        let made = try XCTUnwrap(products().first)
        XCTAssertEqual((made["variants"] as? [[String: Any]])?.map { $0["id"] as? Int }, variants.prefix(2).map(\.id))
        XCTAssertEqual((made["variants"] as? [[String: Any]])?.map { $0["price"] as? Int }, [2799, 2799])
        XCTAssertEqual(try f.store.printifyCosts(blueprintID: tee.id, providerID: provider.id), [variants[0].id: 1029, variants[1].id: 1029])
        let external = try XCTUnwrap((made["external"] as? [String: Any])?["id"] as? String)
        let row = try XCTUnwrap(f.store.listings(offset: 0, limit: 10, sort: .title, filter: "").first { $0.provider == "printify" })
        XCTAssertEqual(row.externalID, external)
        XCTAssertEqual(try state()["catalog_calls"] as? Int, 4, "blueprints, providers, variants and shipping: once each")
        // Printify takes the blueprint off its catalog: the next create is refused on the product.
        try f.server.control(["printify_remove_blueprint": ["id": tee.id]])
        var again = SyncFixture.draft("Retro Dog Tee")
        again.product = product
        try f.store.queueDraft(again, provider: .printify, now: Date())
        XCTAssertEqual(engine(template: false).sync(.printify).failed, 1)
        let refusal = try XCTUnwrap(f.store.queueItems().first { $0.state == .failed })
        XCTAssertTrue(refusal.lastError?.contains("not in the catalog") == true, refusal.lastError ?? "")
        XCTAssertEqual(Refusal(provider: "printify", message: refusal.lastError ?? "").field, .product)
        // The kept catalog is forgotten: read again, it no longer has the blueprint.
        XCTAssertNil(try f.store.syncCursor(provider: "printify", resource: "catalog:blueprints.json"))
        XCTAssertFalse(try XCTUnwrap(try engine(template: false).printifyCatalog()).blueprints().contains { $0.id == tee.id })
    }

    func testOrdersArePulledWithWhatPrintifyChargesAndOnlyTheUnsettledAreReadAgain() throws {
        try queue(1)
        XCTAssertEqual(engine().sync(.printify).outcome, .done)
        let product = try XCTUnwrap(products().first?["id"] as? String)
        XCTAssertEqual(try state()["order_pages"] as? Int, 1, "no orders yet: one empty page")
        // Twelve orders over twelve days (two pages of Printify's ten); the oldest eleven are
        // fulfilled, the newest is in production.
        let day = 86_400.0, start = Date().timeIntervalSince1970 - 20 * day
        for i in 0..<12 {
            try f.server.control([
                "printify_order": [
                    "id": "order-\(i)", "product": product, "created": start + Double(i) * day, "status": i == 11 ? "in-production" : "fulfilled",
                    "lines": [["variant": 33719, "quantity": 1 + i % 2]],
                ]
            ])
        }
        var report = engine().sync(.printify)
        XCTAssertEqual(report.orders, 12)
        XCTAssertEqual(try state()["order_pages"] as? Int, 3, "two pages more: the first pull reads them all")
        var orders = try f.store.printifyOrders()
        XCTAssertEqual(orders.map(\.id), (0..<12).reversed().map { "order-\($0)" }, "newest first")
        // Two mugs: 2 × $4.50 to make, $6.99 + $3.99 to ship (the fake's US rates), as Printify charged.
        let two = try XCTUnwrap(orders.first { $0.id == "order-1" })
        XCTAssertEqual([two.productionCents, two.shippingCents], [900, 1098])
        XCTAssertEqual(
            two.lines,
            [
                PrintifyOrder.Line(
                    productID: product, variantID: 33719, quantity: 2, costCents: 900, shippingCents: 1098, status: "fulfilled",
                    title: "Retro Cat Mug 0 — 33719")
            ])
        XCTAssertEqual(two.shopOrderID, "3001")
        // The next pass reads back to the oldest unsettled order only: one page, which also
        // brings a new order and the one in production now fulfilled.
        try f.server.control(["printify_order_status": ["id": "order-11", "status": "fulfilled"]])
        try f.server.control(["printify_order": ["id": "order-12", "product": product, "lines": [["variant": 33720]]]])
        report = engine().sync(.printify)
        XCTAssertEqual(report.orders, 2, "the new order and the changed one")
        XCTAssertEqual(try state()["order_pages"] as? Int, 4, "one page more")
        orders = try f.store.printifyOrders()
        XCTAssertEqual(orders.count, 13)
        XCTAssertEqual(orders.first { $0.id == "order-11" }?.status, "fulfilled")
        XCTAssertEqual(orders.first?.productionCents, 560)
        // Nothing changed: the next pass writes nothing.
        XCTAssertEqual(engine().sync(.printify).orders, 0)
    }

    func testAnOrderPrintifyAnswersWithNonsenseIsCheckedBeforeItIsTrusted() throws {
        XCTAssertNil(PrintifyClient.order(["id": "o-1"]), "no creation time")
        XCTAssertNil(PrintifyClient.order(["created_at": "2026-12-01 10:00:00+00:00"]), "no id")
        let o = try XCTUnwrap(
            PrintifyClient.order([
                "id": "o-2", "created_at": "2026-12-01 10:00:00+00:00", "status": "on-hold", "total_price": 1e300, "total_shipping": true,
                "line_items": [
                    ["product_id": "p", "variant_id": 1, "quantity": 2, "cost": 900, "shipping_cost": 500],
                    ["product_id": "p", "variant_id": "1", "quantity": 1, "cost": 10],  // a variant id as text: left out
                    ["product_id": "p", "variant_id": 2, "quantity": 0, "cost": 10],  // no units: left out
                    ["product_id": "p", "variant_id": 3, "quantity": 1, "cost": -5],  // a cost below zero: taken as unknown (0)
                ],
            ]))
        XCTAssertEqual(o.createdAt, ISO8601DateFormatter().date(from: "2026-12-01T10:00:00Z"))
        XCTAssertEqual(o.lines.map(\.variantID), [1, 3])
        XCTAssertEqual(o.lines.map(\.costCents), [900, 0])
        XCTAssertEqual([o.productionCents, o.shippingCents], [900, 500], "totals out of range: the lines' sums")
        XCTAssertEqual(PrintifyClient.order(["id": "o-3", "created_at": "2026-12-01T10:00:00"])?.createdAt, o.createdAt, "no offset: UTC")
    }
}
