import Foundation
import PODCore
import XCTest
@testable import PODStore
@testable import PODSync

/// A clock that never really sleeps: `sleep` moves it forward (for backoff tests, where the
/// waits would otherwise be seconds long).
final class FastClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    private(set) var slept: [TimeInterval] = []
    var clock: SyncClock {
        SyncClock(now: { [self] in lock.withLock { Date().addingTimeInterval(offset) } },
                  sleep: { [self] t in lock.withLock { if t > 0 { offset += t; slept.append(t) } } },
                  random: { 0.5 })
    }
}

final class SyncEngineTests: XCTestCase {
    var server: LocalServer!
    var dir: URL!
    var store: Store!
    var credentials: CredentialStore!

    override func setUpWithError() throws {
        server = try LocalServer()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("podpusher-sync-\(UUID().uuidString)")
        store = try Store(dataDirectory: dir)
        credentials = CredentialStore(dataDirectory: dir)
        try credentials.save(Credential(accessToken: "12345678.validtoken", refreshToken: "r", expiresAt: Date().addingTimeInterval(3600)), for: "etsy")
    }

    override func tearDown() {
        server = nil
        store = nil
        try? FileManager.default.removeItem(at: dir)
    }

    var settings: [String: [String: String]] {
        ["etsy": ["api_base_url": server.base + "/etsy/v3/application", "client_id": "testkeystring", "shared_secret": "testsecret"]]
    }

    func engine(_ clock: SyncClock = .system) -> SyncEngine {
        SyncEngine(store: store, credentials: credentials, transport: CurlTransport(connectTimeout: 1), providers: settings, clock: clock)
    }

    /// Queues `n` valid drafts for Etsy (taxonomy 482 is one the fake server knows).
    @discardableResult
    func queue(_ n: Int, title: (Int) -> String = { "Retro Cat Mug Number \($0), Funny Cat Gift" }) throws -> [Int64] {
        try (0..<n).map { i in
            var d = ListingDraft()
            d.title = title(i)
            d.description = "A mug for cat people."
            d.tags = ["cat mug", "cat lover gift"]
            d.materials = ["ceramic"]
            d.taxonomyID = 482
            d.whoMade = .iDid
            d.whenMade = "made_to_order"
            d.shippingProfileID = 777001
            d.priceCents = 1999
            d.quantity = 10
            return try store.queueDraft(d, provider: .etsy, now: Date()).draftID
        }
    }

    func etsyState() throws -> [String: Any] { try XCTUnwrap(try server.state()["etsy"] as? [String: Any]) }
    func serverTitles() throws -> [String] { (try etsyState()["listings"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String } }

    func testQueuedDraftsBecomeListingsOnceAtTheRateLimit() throws {
        try server.control(["etsy": ["per_second": 20]])
        try queue(60)
        let report = engine().push(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 60)
        XCTAssertEqual(try store.connections().first?.state, .connected)
        XCTAssertEqual(try store.connections().first?.accountName, "user 12345678, shop 5550001")
        XCTAssertEqual(report.pending, 0)
        let titles = try serverTitles()
        XCTAssertEqual(titles.count, 60)
        XCTAssertEqual(Set(titles).count, 60)
        XCTAssertEqual(try etsyState()["violations"] as? Int, 0, "the client never went over the per-second limit")
        // The listing, its price and quantity as Etsy holds them; the draft is marked pushed.
        XCTAssertEqual(try store.listingCount(filter: ""), 60)
        XCTAssertEqual(try store.outboxCounts(provider: "etsy"), ["done": 60])
        let rows = try store.listings(offset: 0, limit: 1, sort: .updated, filter: "")
        XCTAssertEqual(rows.first?.priceCents, 1999)
        XCTAssertEqual(try store.drafts(offset: 0, limit: 100, sort: .updated, filter: "").filter { $0.state == "pushed" }.count, 60)
        // 60 creates + users/me, at ≤ 20/s: at least ~3 s.
        XCTAssertGreaterThan(report.seconds, 2.5)
    }

    func testTheRateHeadersAndA429WithRetryAfterSlowThePushDown() throws {
        // The server allows 3/s while the client starts from Etsy's documented 10/s.
        try server.control(["etsy": ["per_second": 3, "retry_after": 1]])
        try queue(8)
        let report = engine().push(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 8)
        XCTAssertEqual(try serverTitles().count, 8)
    }

    func testARefusedListingFailsWithTheFieldAndItsDraftCanBeFixed() throws {
        let ids = try queue(2)
        var bad = try XCTUnwrap(store.draft(id: ids[1]))
        bad.taxonomyID = 99999
        try store.cancelQueueItem(id: try XCTUnwrap(store.queueItems().first { $0.draftID == ids[1] }).id, now: Date())
        try store.queueDraft(bad, provider: .etsy, now: Date())
        let report = engine().push(.etsy)
        XCTAssertEqual(report.pushed, 1)
        XCTAssertEqual(report.failed, 1)
        let failed = try XCTUnwrap(store.queueItems().first { $0.state == "failed" })
        XCTAssertEqual(failed.lastError, "taxonomy_id: unknown taxonomy node")
        XCTAssertEqual(try store.draft(id: ids[1])?.id, ids[1])
        XCTAssertEqual(try store.drafts(offset: 0, limit: 10, sort: .updated, filter: "").first { $0.id == ids[1] }?.state, "draft")
    }

    func testServerErrorsAndGarbledAnswersAreRetriedWithBackoffWithoutDuplicates() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:503", "POST:500", "POST:garbage", "POST:truncated", "POST:close"]]])
        try queue(3)
        let fast = FastClock()
        let report = engine(fast.clock).push(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 3)
        XCTAssertGreaterThanOrEqual(report.retried, 5)
        // A 503 may or may not have created the listing; a garbled 201 did: the reconcile finds
        // those, so each title exists exactly once.
        let titles = try serverTitles()
        XCTAssertEqual(titles.count, Set(titles).count)
        XCTAssertEqual(Set(titles).count, 3)
        XCTAssertTrue(fast.slept.contains { $0 >= 0.5 }, "backed off: \(fast.slept)")
    }

    func testFiveFailuresInARowOpenTheBreakerWhichAFailedProbeOpensLonger() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": Array(repeating: "POST:503", count: 6)]])
        try queue(1)
        let fast = FastClock()
        let report = engine(fast.clock).push(.etsy, maxWait: 600)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(try serverTitles().count, 1)
        // Open for 30 s after the fifth failure; the probe fails, so open for 60 s.
        XCTAssertTrue(fast.slept.contains { (25...30).contains($0) }, "\(fast.slept)")
        XCTAssertTrue(fast.slept.contains { (55...60).contains($0) }, "\(fast.slept)")
        // With a shorter wait the pass stops, the item still pending.
        try server.control(["etsy": ["faults": Array(repeating: "POST:503", count: 6)]])
        try queue(1, title: { _ in "Another Cat Mug" })
        let short = engine(FastClock().clock).push(.etsy, maxWait: 20)
        XCTAssertEqual(short.outcome, .unavailable)
        XCTAssertEqual(short.pending, 1)
    }

    func testACreateWhoseAnswerIsLostIsReconciledNotSentAgain() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:lose_answer"]]])
        try queue(1)
        let report = engine(FastClock().clock).push(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.reconciled, 1)
        XCTAssertEqual(try serverTitles().count, 1)
        XCTAssertEqual(try store.listingCount(filter: ""), 1)
    }

    func testAnItemLeftInFlightByAKilledPassIsReconciled() throws {
        try server.control(["etsy": ["per_second": 1000]])
        try queue(2)
        // A pass claimed both and created the first, then died before writing anything.
        let items = try store.dueOutboxItems(provider: "etsy", now: Date(), limit: 10)
        for item in items { XCTAssertTrue(try store.claimOutboxItem(id: item.id, now: Date())) }
        let client = EtsyClient(settings: try EtsySettings(settings["etsy"]!), token: "12345678.validtoken", transport: CurlTransport())
        _ = try client.createDraftListing(shopID: 5550001, draft: try XCTUnwrap(ListingDraft.fromJSON(items[0].payload)))
        let report = engine().push(.etsy)
        XCTAssertEqual(report.reconciled, 1)
        XCTAssertEqual(report.pushed, 2)
        XCTAssertEqual(try serverTitles().count, 2)
        XCTAssertEqual(Set(try serverTitles()).count, 2)
    }

    func testAnExpiredTokenStopsThePassAndKeepsTheItems() throws {
        try credentials.save(Credential(accessToken: "12345678.expired"), for: "etsy")
        try queue(3)
        let report = engine().push(.etsy)
        XCTAssertEqual(report.outcome, .unauthorized)
        XCTAssertEqual(report.pending, 3)
        XCTAssertEqual(try store.connections().first?.state, .expired)
        XCTAssertEqual(try serverTitles().count, 0)
    }

    func testAWrongAPIKeyIsForbiddenAndNamed() throws {
        var s = settings
        s["etsy"]?["shared_secret"] = "wrong"
        try queue(1)
        let report = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: s).push(.etsy)
        XCTAssertEqual(report.outcome, .unavailable)
        XCTAssertTrue(report.lastError?.contains("x-api-key") == true, report.lastError ?? "")
        XCTAssertEqual(report.pending, 1)
    }

    func testNotConnectedAndNotConfiguredSaySo() throws {
        try queue(1)
        try credentials.remove(provider: "etsy")
        XCTAssertEqual(engine().push(.etsy).outcome, .notConnected)
        let unconfigured = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: [:]).push(.etsy)
        XCTAssertEqual(unconfigured.outcome, .notConfigured)
        XCTAssertTrue(unconfigured.lastError?.contains("client_id") == true)
    }

    func testAnUnreachableProviderOpensTheBreakerAndLeavesTheItemsPending() throws {
        let down = try LocalServer()
        let port = down.port
        down.process.terminate()
        down.process.waitUntilExit()
        var s = settings
        s["etsy"]?["api_base_url"] = "http://127.0.0.1:\(port)/etsy/v3/application"
        try queue(2)
        let report = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: s).push(.etsy)
        XCTAssertEqual(report.outcome, .unavailable)
        XCTAssertTrue(report.lastError?.contains("cannot connect") == true, report.lastError ?? "")
        XCTAssertEqual(report.pending, 2)
    }

    func testPacingBackoffAndBreaker() {
        let limiter = RateLimiter(perSecond: 10)
        let t0 = Date()
        let waits = (0..<5).map { _ in limiter.reserve(now: t0) }
        XCTAssertEqual(waits[0], 0)
        XCTAssertEqual(waits[4], 4 / (10 * RateLimiter.headroom), accuracy: 1e-6)
        limiter.observe(limitPerSecond: 5, remainingThisSecond: 0, remainingToday: 99, now: t0)
        XCTAssertEqual(limiter.perSecond, 5)
        XCTAssertEqual(limiter.remainingToday, 99)
        XCTAssertGreaterThanOrEqual(limiter.reserve(now: t0), 1)

        XCTAssertEqual(Backoff.delay(attempt: 1, retryAfter: nil, random: 0), 0.5)
        XCTAssertEqual(Backoff.delay(attempt: 4, retryAfter: nil, random: 1), 8)
        XCTAssertEqual(Backoff.delay(attempt: 30, retryAfter: nil, random: 1), Backoff.cap)
        XCTAssertEqual(Backoff.delay(attempt: 1, retryAfter: 7, random: 1), 7)

        var b = CircuitBreaker(threshold: 3, cooldown: 10)
        for _ in 0..<3 { XCTAssertTrue(b.allows(now: t0)); b.recordFailure(now: t0) }
        XCTAssertFalse(b.allows(now: t0.addingTimeInterval(5)))
        XCTAssertTrue(b.allows(now: t0.addingTimeInterval(10)), "a probe after the cooldown")
        b.recordFailure(now: t0.addingTimeInterval(10))
        XCTAssertEqual(b.opensAt, t0.addingTimeInterval(30), "the cooldown doubles")
        XCTAssertTrue(b.allows(now: t0.addingTimeInterval(30)))
        b.recordSuccess()
        XCTAssertEqual(b.state, .closed)
    }

    func testEtsyErrorsNameTheField() {
        let r = HTTPResponse(status: 400, body: Data(#"{"error":"Invalid tags: 'x$' is not a valid tag"}"#.utf8))
        XCTAssertEqual(ProviderError.from(r, fields: EtsyClient.listingFields), .rejected(field: "tags", message: "Invalid tags: 'x$' is not a valid tag"))
        let limited = HTTPResponse(status: 429, headers: ["retry-after": "4"])
        XCTAssertEqual(ProviderError.from(limited, fields: []), .rateLimited(retryAfter: 4))
    }
}
