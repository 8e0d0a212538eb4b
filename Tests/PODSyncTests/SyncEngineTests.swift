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
        SyncClock(
            now: { [self] in lock.withLock { Date().addingTimeInterval(offset) } },
            sleep: { [self] t in
                lock.withLock {
                    if t > 0 {
                        offset += t
                        slept.append(t)
                    }
                }
            },
            random: { 0.5 })
    }
}

/// A store with an Etsy token and the fake server, for one test.
final class SyncFixture {
    let server: LocalServer
    let dir: URL
    let store: Store
    let credentials: CredentialStore

    init() throws {
        server = try LocalServer()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("podpusher-sync-\(UUID().uuidString)")
        store = try Store(dataDirectory: dir)
        credentials = CredentialStore(dataDirectory: dir)
        try credentials.save(Credential(accessToken: "12345678.validtoken", refreshToken: "r", expiresAt: Date().addingTimeInterval(3600)), for: "etsy")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var settings: [String: [String: String]] {
        ["etsy": ["api_base_url": server.base + "/etsy/v3/application", "client_id": "testkeystring", "shared_secret": "testsecret"]]
    }

    func engine(_ clock: SyncClock = .system) -> SyncEngine {
        SyncEngine(store: store, credentials: credentials, transport: CurlTransport(connectTimeout: 1), providers: settings, clock: clock)
    }

    /// A draft that passes the rules (taxonomy 482 and profile 777001 are ones the fake knows).
    static func draft(_ title: String, priceCents: Int = 1999) -> ListingDraft {
        var d = ListingDraft()
        d.title = title
        d.description = "A mug for cat people."
        d.tags = ["cat mug", "cat lover gift"]
        d.materials = ["ceramic"]
        d.taxonomyID = 482
        d.whoMade = .iDid
        d.whenMade = "made_to_order"
        d.shippingProfileID = 777001
        d.priceCents = priceCents
        d.quantity = 10
        return d
    }

    /// Queues `n` valid drafts for a provider.
    @discardableResult
    func queue(_ n: Int, for provider: ProviderID = .etsy, title: (Int) -> String = { "Retro Cat Mug Number \($0), Funny Cat Gift" }) throws -> [Int64] {
        try (0..<n).map { try store.queueDraft(Self.draft(title($0)), provider: provider, now: Date()).draftID }
    }

    func etsyState() throws -> [String: Any] { try XCTUnwrap(try server.state()["etsy"] as? [String: Any]) }
    func serverTitles() throws -> [String] { (try etsyState()["listings"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String } }
}

final class SyncEngineTests: XCTestCase {
    var f: SyncFixture!
    var server: LocalServer { f.server }
    var dir: URL { f.dir }
    var store: Store { f.store }
    var credentials: CredentialStore { f.credentials }
    var settings: [String: [String: String]] { f.settings }

    override func setUpWithError() throws { f = try SyncFixture() }
    override func tearDown() { f = nil }

    func engine(_ clock: SyncClock = .system) -> SyncEngine { f.engine(clock) }
    @discardableResult
    func queue(_ n: Int, title: @escaping (Int) -> String = { "Retro Cat Mug Number \($0), Funny Cat Gift" }) throws -> [Int64] { try f.queue(n, title: title) }
    func etsyState() throws -> [String: Any] { try f.etsyState() }
    func draftState(_ id: Int64) throws -> String? { try store.drafts(offset: 0, limit: 100, sort: .updated, filter: "").first { $0.id == id }?.state }
    func serverTitles() throws -> [String] { try f.serverTitles() }

    func testQueuedDraftsBecomeListingsOnceAtTheRateLimit() throws {
        try server.control(["etsy": ["per_second": 20]])
        try queue(60)
        let report = engine().sync(.etsy, pull: false)
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
        XCTAssertEqual(try store.outboxCounts(provider: .etsy), [.done: 60])
        let rows = try store.listings(offset: 0, limit: 1, sort: .updated, filter: "")
        XCTAssertEqual(rows.first?.priceCents, 1999)
        XCTAssertEqual(try store.drafts(offset: 0, limit: 100, sort: .updated, filter: "").filter { $0.state == "pushed" }.count, 60)
        // 60 creates + users/me, at ≤ 20/s: at least ~3 s.
        XCTAssertGreaterThan(report.seconds, 2.5)
    }

    /// Etsy's title rule as its document states it: an en dash is punctuation, and the local
    /// server agrees with the app's rules.
    func testATitleWithAnEnDashIsAcceptedByTheAppAndTheServer() throws {
        let title = "Retro Cat Mug – Funny Cat Gift ™"
        XCTAssertTrue(ListingRules.checkTitle(title).isEmpty)
        try queue(1) { _ in title }
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertEqual(try serverTitles(), [title])
    }

    /// The outbox sends the draft as it is when the request is made: an edit made while the
    /// draft waited in the queue goes out (the snapshot taken when it was queued used to).
    func testAQueuedDraftEditedBeforeTheSyncSendsTheEditedVersion() throws {
        var d = try XCTUnwrap(store.draft(id: try queue(1)[0]))
        d.title = "Edited Retro Cat Mug, Funny Cat Gift"
        try store.saveDraft(d, now: Date())
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertEqual(try serverTitles(), ["Edited Retro Cat Mug, Funny Cat Gift"])
        XCTAssertEqual(try etsyState()["patches"] as? Int, 0, "created as edited, no update needed")
    }

    /// Edited while the create is in flight: the edit follows as one update.
    func testAnEditMadeWhileTheRequestIsInFlightFollowsAsAnUpdate() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:slow"]]])
        let id = try queue(1)[0]
        let done = expectation(description: "sync")
        let engine = engine()
        DispatchQueue.global().async {
            _ = engine.sync(.etsy, pull: false)
            done.fulfill()
        }
        // Wait for the claim, then edit.
        let deadline = Date().addingTimeInterval(5)
        while try store.outboxCounts(provider: .etsy)[.inFlight] == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        var d = try XCTUnwrap(store.draft(id: id))
        d.title = "Edited In Flight Cat Mug, Funny Cat Gift"
        try store.saveDraft(d, now: Date())
        wait(for: [done], timeout: 20)
        // The create went out as claimed; the edit followed as an update in the same pass.
        XCTAssertEqual(try serverTitles(), ["Edited In Flight Cat Mug, Funny Cat Gift"])
        XCTAssertEqual(try etsyState()["patches"] as? Int, 1)
        XCTAssertEqual(try store.queueItems().map(\.operation), [.updateListing, .createListing])
        XCTAssertEqual(try store.outboxCounts(provider: .etsy), [.done: 2])
        XCTAssertEqual(try draftState(id), "pushed")
        XCTAssertEqual(self.engine().sync(.etsy, pull: false).pushed, 0, "nothing left to send")
    }

    /// A create takes one listing unit; refused, fixed and queued again, it has still used one;
    /// cancelled before it is sent, it gives its unit back; retried, it takes it again.
    func testAListingUnitIsChargedOncePerCreatedListing() throws {
        let plan = PlanTier.free, calendar = Calendar(identifier: .gregorian)
        func used() throws -> Int { try store.usage(since: Date().addingTimeInterval(-86_400))["listings"] ?? 0 }
        var d = SyncFixture.draft("Retro Cat Mug, Funny Cat Gift")
        d.title = "Retro Cat Mug, Funny Cat Gift"
        let first = try store.queueDraft(d, provider: .etsy, now: Date(), quota: (plan, calendar))
        XCTAssertEqual(try used(), 1)
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:evil"]]])
        XCTAssertEqual(engine().sync(.etsy, pull: false).failed, 1)
        XCTAssertEqual(try used(), 0, "refused for good: the unit is given back")
        d = try XCTUnwrap(store.draft(id: first.draftID))
        d.description = "A fixed description."
        try store.queueDraft(d, provider: .etsy, now: Date(), quota: (plan, calendar))
        XCTAssertEqual(engine().sync(.etsy, pull: false).pushed, 1)
        XCTAssertEqual(try used(), 1, "one created listing, one unit")
        XCTAssertEqual(try store.ledger(limit: 10).map(\.subject), ["draft \(first.draftID)"], "the ledger names the listing's draft")

        let second = try store.queueDraft(SyncFixture.draft("Another Cat Mug, Funny Cat Gift"), provider: .etsy, now: Date(), quota: (plan, calendar))
        XCTAssertEqual(try used(), 2)
        try store.cancelQueueItem(id: second.outboxID, now: Date())
        XCTAssertEqual(try used(), 1, "cancelled before it was sent: given back")
        try store.retryQueueItem(id: second.outboxID, now: Date(), quota: (plan, calendar))
        XCTAssertEqual(try used(), 2, "queued again: charged again")
        XCTAssertEqual(try draftState(second.draftID), "queued")
        XCTAssertThrowsError(try store.retryQueueItem(id: first.outboxID, now: Date(), quota: (plan, calendar)), "the refused create of a listing made since") {
            XCTAssertEqual($0 as? QueueError, .alreadyCreated(provider: "etsy"))
        }
        XCTAssertEqual(try used(), 2)
    }

    func testPhotosFollowTheListingOnceEvenWhenAnUploadFails() throws {
        let photos = (1...2).map { dir.appendingPathComponent("photo\($0).png") }
        for p in photos { try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 500)).write(to: p) }
        // The create and the first photo go through; the second photo meets a 503.
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:none", "POST:none", "POST:503"]]])
        var d = try XCTUnwrap(store.draft(id: try queue(1)[0]))
        d.images = photos.map(\.path)
        try store.cancelQueueItem(id: try XCTUnwrap(store.queueItems().first).id, now: Date())
        try store.queueDraft(d, provider: .etsy, now: Date())
        let report = engine(FastClock().clock).sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        let listing = try XCTUnwrap((try etsyState()["listings"] as? [[String: Any]])?.first)
        XCTAssertEqual((listing["images"] as? [[String: Any]])?.compactMap { $0["rank"] as? Int }.sorted(), [1, 2])
        XCTAssertEqual(try store.outboxCounts(provider: .etsy)[.done], 2, "the listing and its photos")
        // A photo added later that cannot be read fails its item with the reason (the two sent
        // are not sent again).
        d.images = photos.map(\.path) + [dir.appendingPathComponent("missing.jpg").path]
        d.version = try store.draft(id: try XCTUnwrap(d.id))?.version
        try store.queueDraft(d, provider: .etsy, now: Date())
        let again = engine().sync(.etsy, pull: false)
        let items = try store.queueItems()
        XCTAssertTrue(items.contains { $0.state == .failed && $0.lastError?.contains("cannot read") == true }, "\(again) \(items)")
    }

    func testTheRateHeadersAndA429WithRetryAfterSlowThePushDown() throws {
        // The server allows 3/s while the client starts from Etsy's documented 10/s.
        try server.control(["etsy": ["per_second": 3, "retry_after": 1]])
        try queue(8)
        let report = engine().sync(.etsy, pull: false)
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
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.pushed, 1)
        XCTAssertEqual(report.failed, 1)
        let failed = try XCTUnwrap(store.queueItems().first { $0.state == .failed })
        XCTAssertEqual(failed.lastError, "taxonomy_id: unknown taxonomy node")
        XCTAssertEqual(try store.draft(id: ids[1])?.id, ids[1])
        XCTAssertEqual(try store.drafts(offset: 0, limit: 10, sort: .updated, filter: "").first { $0.id == ids[1] }?.state, "draft")
    }

    func testServerErrorsAndGarbledAnswersAreRetriedWithBackoffWithoutDuplicates() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:503", "POST:500", "POST:garbage", "POST:truncated", "POST:close"]]])
        try queue(3)
        let fast = FastClock()
        let report = engine(fast.clock).sync(.etsy, pull: false)
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
        let report = engine(fast.clock).sync(.etsy, pull: false, maxWait: 600)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(try serverTitles().count, 1)
        // Open for 30 s after the fifth failure; the probe fails, so open for 60 s.
        XCTAssertTrue(fast.slept.contains { (25...30).contains($0) }, "\(fast.slept)")
        XCTAssertTrue(fast.slept.contains { (55...60).contains($0) }, "\(fast.slept)")
        // With a shorter wait the pass stops, the item still pending.
        try server.control(["etsy": ["faults": Array(repeating: "POST:503", count: 6)]])
        try queue(1, title: { _ in "Another Cat Mug" })
        let short = engine(FastClock().clock).sync(.etsy, pull: false, maxWait: 20)
        XCTAssertEqual(short.outcome, .unavailable)
        XCTAssertEqual(short.pending, 1)
    }

    func testACreateWhoseAnswerIsLostIsReconciledNotSentAgain() throws {
        try server.control(["etsy": ["per_second": 1000, "faults": ["POST:lose_answer"]]])
        try queue(1)
        let report = engine(FastClock().clock).sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.reconciled, 1)
        XCTAssertEqual(try serverTitles().count, 1)
        XCTAssertEqual(try store.listingCount(filter: ""), 1)
    }

    func testAnItemLeftInFlightByAKilledPassIsReconciled() throws {
        try reconcileAfterAKill(pull: false)
    }

    /// The pull of the rerun brings the created listing in before the reconcile looks for it:
    /// it must still be adopted, not created again (found by the end-to-end kill test).
    func testAnItemLeftInFlightIsReconciledAfterThePullBroughtItsListingIn() throws {
        try reconcileAfterAKill(pull: true)
    }

    func reconcileAfterAKill(pull: Bool) throws {
        try server.control(["etsy": ["per_second": 1000]])
        try queue(2)
        // A pass claimed both and created the first, then died before writing anything.
        let items = try store.dueOutboxItems(provider: .etsy, now: Date(), limit: 10)
        for item in items { XCTAssertNotNil(try store.claimOutboxItem(id: item.id, now: Date())) }
        let client = EtsyClient(settings: try EtsySettings(settings["etsy"]!), token: "12345678.validtoken", transport: CurlTransport())
        _ = try client.createDraftListing(shopID: 5550001, draft: try XCTUnwrap(ListingDraft.fromJSON(items[0].payload)))
        let report = engine().sync(.etsy, pull: pull)
        XCTAssertEqual(report.reconciled, 1)
        XCTAssertEqual(report.pushed, 2)
        XCTAssertEqual(try serverTitles().count, 2)
        XCTAssertEqual(Set(try serverTitles()).count, 2)
        XCTAssertEqual(try store.listingCount(filter: ""), 2)
    }

    func testAnExpiredTokenStopsThePassAndKeepsTheItems() throws {
        try credentials.save(Credential(accessToken: "12345678.expired"), for: "etsy")
        try queue(3)
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .unauthorized)
        XCTAssertEqual(report.pending, 3)
        XCTAssertEqual(try store.connections().first?.state, .expired)
        XCTAssertEqual(try serverTitles().count, 0)
    }

    func testAWrongAPIKeyIsForbiddenAndNamed() throws {
        var s = settings
        s["etsy"]?["shared_secret"] = "wrong"
        try queue(1)
        let report = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: s).sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .unavailable)
        XCTAssertTrue(report.lastError?.contains("x-api-key") == true, report.lastError ?? "")
        XCTAssertEqual(report.pending, 1)
    }

    func testNotConnectedAndNotConfiguredSaySo() throws {
        try queue(1)
        try credentials.remove(provider: "etsy")
        XCTAssertEqual(engine().sync(.etsy, pull: false).outcome, .notConnected)
        let unconfigured = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: [:]).sync(.etsy, pull: false)
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
        let report = SyncEngine(store: store, credentials: credentials, transport: CurlTransport(), providers: s).sync(.etsy, pull: false)
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
        // Nothing left this second: the next request waits one slot at the new pace.
        let fresh = RateLimiter(perSecond: 10)
        fresh.observe(limitPerSecond: nil, remainingThisSecond: 0, remainingToday: nil, now: t0)
        XCTAssertEqual(fresh.reserve(now: t0), 1 / (10 * RateLimiter.headroom), accuracy: 1e-6)

        XCTAssertEqual(Backoff.delay(attempt: 1, retryAfter: nil, random: 0), 0.5)
        XCTAssertEqual(Backoff.delay(attempt: 4, retryAfter: nil, random: 1), 8)
        XCTAssertEqual(Backoff.delay(attempt: 30, retryAfter: nil, random: 1), Backoff.cap)
        XCTAssertEqual(Backoff.delay(attempt: 1, retryAfter: 7, random: 1), 7)

        var b = CircuitBreaker(threshold: 3, cooldown: 10)
        for _ in 0..<3 {
            XCTAssertTrue(b.allows(now: t0))
            b.recordFailure(now: t0)
        }
        XCTAssertFalse(b.allows(now: t0.addingTimeInterval(5)))
        XCTAssertTrue(b.allows(now: t0.addingTimeInterval(10)), "a probe after the cooldown")
        b.recordFailure(now: t0.addingTimeInterval(10))
        XCTAssertEqual(b.opensAt, t0.addingTimeInterval(30), "the cooldown doubles")
        XCTAssertTrue(b.allows(now: t0.addingTimeInterval(30)))
        b.recordSuccess()
        XCTAssertEqual(b.state, .closed)
    }

    func testReadsWaitOutA429AndBrokenAnswersButNotARefusal() throws {
        var slept: [TimeInterval] = []
        var answers: [ProviderError?] = [.rateLimited(retryAfter: 2), .server(status: 503, message: ""), nil]
        let value = try withReadRetries(sleep: { slept.append($0) }) { () throws(ProviderError) -> Int in
            if let e = answers.removeFirst() { throw e }
            return 7
        }
        XCTAssertEqual(value, 7)
        XCTAssertEqual(slept, [2, 1.5])
        XCTAssertThrowsError(try withReadRetries(sleep: { _ in }) { () throws(ProviderError) -> Int in throw .unauthorized("no") })
        var calls = 0
        XCTAssertThrowsError(
            try withReadRetries(sleep: { _ in }) { () throws(ProviderError) -> Int in
                calls += 1
                throw .server(status: 500, message: "")
            })
        XCTAssertEqual(calls, 4)
    }

    func testAPullAgainstAStricterLimitThanDocumentedSlowsDownInsteadOfStopping() throws {
        try server.control(["etsy": ["per_second": 2, "retry_after": 1]])
        try queue(2)
        let report = engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 2)
    }

    /// `retry-after: inf`, `1e12` or `nan`, and `x-limit-per-second: 0.001`: the pass still
    /// ends within `--max-wait` (on the real clock), the items left for a later pass.
    func testHostileRateHeadersCannotHoldAPassPastMaxWait() throws {
        for (retryAfter, advertised) in [("inf", "10"), ("1e12", "10"), ("nan", "10"), ("1", "0.001")] {
            let f = try SyncFixture()
            // A server that allows one request a second (so the client meets its 429s), or
            // one that says its limit is a request every 17 minutes.
            try f.server.control(["etsy": ["per_second": advertised == "10" ? 1 : 1000, "retry_after": retryAfter, "advertised_per_second": advertised]])
            try f.queue(4)
            let start = Date()
            let report = f.engine().sync(.etsy, pull: false, maxWait: 3)
            let what = "retry-after \(retryAfter), limit \(advertised): \(report.outcome) \(report.lastError ?? "")"
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, what)
            XCTAssertEqual(report.pushed + report.pending, 4, what)
            XCTAssertEqual(Set(try f.serverTitles()).count, try f.serverTitles().count, "no duplicates: \(what)")
            XCTAssertTrue([.done, .waiting].contains(report.outcome), what)
        }
        let limited = HTTPResponse(status: 429, headers: ["retry-after": "inf"])
        XCTAssertEqual(ProviderError.from(limited, fields: []), .rateLimited(retryAfter: Backoff.longestRetryAfter))
        XCTAssertEqual(ProviderError.from(HTTPResponse(status: 429, headers: ["retry-after": "nan"]), fields: []), .rateLimited(retryAfter: nil))
        let limiter = RateLimiter(perSecond: 10)
        limiter.observe(limitPerSecond: 0.001, remainingThisSecond: nil, remainingToday: nil, now: Date())
        XCTAssertEqual(limiter.perSecond, RateLimiter.believedLimits.lowerBound)
        limiter.observe(limitPerSecond: .nan, remainingThisSecond: nil, remainingToday: nil, now: Date())
        XCTAssertEqual(limiter.perSecond, RateLimiter.believedLimits.lowerBound)
    }

    func testEtsyErrorsNameTheField() {
        let r = HTTPResponse(status: 400, body: Data(#"{"error":"Invalid tags: 'x$' is not a valid tag"}"#.utf8))
        XCTAssertEqual(ProviderError.from(r, fields: EtsyClient.listingFields), .rejected(field: "tags", message: "Invalid tags: 'x$' is not a valid tag"))
        let limited = HTTPResponse(status: 429, headers: ["retry-after": "4"])
        XCTAssertEqual(ProviderError.from(limited, fields: []), .rateLimited(retryAfter: 4))
        // A timeout may have reached the provider: retried, after a reconcile; a refused
        // connection did not: retried as it is; a refusal of the data is final.
        XCTAssertTrue(ProviderError.transport(.timedOut).isRetryable && ProviderError.transport(.timedOut).mayHaveApplied)
        XCTAssertTrue(ProviderError.transport(.cannotConnect("x")).isRetryable && !ProviderError.transport(.cannotConnect("x")).mayHaveApplied)
        XCTAssertFalse(ProviderError.rejected(field: "title", message: "x").isRetryable)
        XCTAssertFalse(ProviderError.transport(.cancelled).isRetryable)
    }
}

final class PullTests: XCTestCase {
    var base: SyncFixture!

    override func setUpWithError() throws {
        base = try SyncFixture()
        try base.server.control(["etsy": ["per_second": 1000]])
    }

    override func tearDown() { base = nil }

    var store: Store { base.store }

    func listing(_ n: Int) throws -> [String: Any] { try XCTUnwrap((try base.etsyState()["listings"] as? [[String: Any]])?[n]) }

    /// A draft pushed to the shop, then edited here and queued again; a second later (Etsy's
    /// timestamps are in seconds), so that a change made there now is newer.
    func pushedThenEditedHere(_ edit: (inout ListingDraft) -> Void) throws -> (draftID: Int64, listingID: Int) {
        let draftID = try XCTUnwrap(base.queue(1).first)
        _ = base.engine().sync(.etsy)
        let listingID = try XCTUnwrap(listing(0)["listing_id"] as? Int)
        var d = try XCTUnwrap(store.draft(id: draftID))
        edit(&d)
        try store.queueDraft(d, provider: .etsy, now: Date())
        Thread.sleep(forTimeInterval: 1.1)
        return (draftID, listingID)
    }

    func testPullBringsProfilesTaxonomyAndChangedListingsIncrementally() throws {
        try base.queue(2)
        var report = base.engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(report.pushed, 2)
        XCTAssertEqual(report.shippingProfiles, 2)
        XCTAssertEqual(report.taxonomyNodes, 4)
        XCTAssertEqual(try store.shippingProfiles(provider: .etsy).map(\.title), ["Express", "Standard"])
        XCTAssertEqual(try store.connections().first?.accountName, "CatMugStudio", "the shop's name, from GET /shops/{id}")
        XCTAssertEqual(
            try store.taxonomy(provider: .etsy, matching: "mug", limit: 10),
            [TaxonomyNode(id: 1027, parentID: 2, name: "Mugs", path: "Home & Living › Mugs", isLeaf: true)])
        // The pushed listings come back unchanged; the taxonomy is not read again this week.
        report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pulled.inserted + report.pulled.updated, 0)
        XCTAssertEqual(report.taxonomyNodes, 0)
        // Changed on etsy.com: the next pull brings the change, and only it.
        let id = try XCTUnwrap(listing(0)["listing_id"] as? Int)
        try base.server.control(["etsy_edit": ["listing_id": id, "title": "Renamed On Etsy", "state": "active"]])
        report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pulled.updated, 1, "the listing is in the active list now")
        XCTAssertEqual(report.pulled.inserted, 0)
        XCTAssertEqual(try store.listings(offset: 0, limit: 10, sort: .title, filter: "Renamed").map(\.state), ["active"])
    }

    func testAnEditIsPushedWithPatchAndAConflictWaitsForTheSeller() throws {
        let draftID = try XCTUnwrap(base.queue(1).first)
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        let listingID = try XCTUnwrap(listing(0)["listing_id"] as? Int)
        // Edited here and queued again: an update, sent with PATCH.
        var d = try XCTUnwrap(store.draft(id: draftID))
        d.title = "Retro Cat Mug, Edited Here"
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(try store.queueItems().first?.operation, .updateListing)
        var report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Edited Here")
        XCTAssertEqual(try base.etsyState()["patches"] as? Int, 1)
        XCTAssertEqual(try base.serverTitles().count, 1, "updated, not created again")

        // Edited again here (from the draft as it now is), and meanwhile on etsy.com: the pull
        // keeps Etsy's version aside and the update waits.
        d.version = try store.draft(id: draftID)?.version
        d.title = "Retro Cat Mug, Mine"
        try store.queueDraft(d, provider: .etsy, now: Date())
        Thread.sleep(forTimeInterval: 1.1)  // Etsy's timestamps are in seconds
        try base.server.control(["etsy_edit": ["listing_id": listingID, "title": "Retro Cat Mug, Theirs"]])
        report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pulled.conflicts, 1)
        XCTAssertEqual(report.conflicts, 1)
        XCTAssertEqual(report.outcome, .waiting)
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Theirs")
        let conflict = try XCTUnwrap(store.listingConflicts().first)
        XCTAssertEqual(conflict.localTitle, "Retro Cat Mug, Mine")
        XCTAssertEqual(conflict.remote.title, "Retro Cat Mug, Theirs")
        XCTAssertEqual(conflict.fields, [.title], "the one field both sides changed")

        // Keeping mine sends it now.
        try store.resolveConflict(listingID: conflict.listingID, keepLocal: true, now: Date())
        report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Mine")
        XCTAssertTrue(try store.listingConflicts().isEmpty)
    }

    /// An edit of a listing on the shop sends only the fields that changed, in one PATCH.
    func testAnEditSendsOnlyTheChangedFields() throws {
        let draftID = try XCTUnwrap(base.queue(1).first)
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        var d = try XCTUnwrap(store.draft(id: draftID))
        d.title = "Retro Cat Mug, Edited Title"
        d.tags.append("kitten mug")
        try store.queueDraft(d, provider: .etsy, now: Date())
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertEqual(try base.etsyState()["patched_fields"] as? [[String]], [["tags", "title"]])
        XCTAssertEqual(try listing(0)["tags"] as? [String], ["cat mug", "cat lover gift", "kitten mug"])
        // Queued again with nothing changed: no request at all.
        d.version = try store.draft(id: draftID)?.version
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        XCTAssertEqual(try base.etsyState()["patches"] as? Int, 1)
    }

    /// A new price and quantity of a listing on the shop go with its inventory
    /// (updateListingInventory), since updateListing takes neither; the title with the PATCH.
    func testAPriceChangeGoesWithTheInventoryNotThePatch() throws {
        let draftID = try XCTUnwrap(base.queue(1).first)
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        var d = try XCTUnwrap(store.draft(id: draftID))
        (d.title, d.priceCents, d.quantity) = ("Retro Cat Mug, New Price", 2199, 7)
        try store.queueDraft(d, provider: .etsy, now: Date())
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 2, report.lastError ?? "")
        XCTAssertEqual(try base.etsyState()["patched_fields"] as? [[String]], [["title"]])
        XCTAssertEqual(try base.etsyState()["inventory_puts"] as? Int, 1)
        XCTAssertEqual((try listing(0)["price"] as? [String: Any])?["amount"] as? Int, 2199)
        XCTAssertEqual(try listing(0)["quantity"] as? Int, 7)
        XCTAssertEqual(try store.listingBase(draftID: draftID, provider: .etsy)?.priceCents, 2199, "the shop's price is the one sent")
        XCTAssertEqual(try store.providerStatus(draftID: draftID)?.editWaiting, false)
        // A price alone: no PATCH at all.
        d = try XCTUnwrap(store.draft(id: draftID))
        d.priceCents = 2299
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 2)
        XCTAssertEqual(try base.etsyState()["patches"] as? Int, 1)
        XCTAssertEqual((try listing(0)["price"] as? [String: Any])?["amount"] as? Int, 2299)
    }

    /// A 3 × 4 size/colour grid with a price per size and a SKU per combination goes out with
    /// the inventory (updateListingInventory) and reads back identical, here and in another
    /// workspace that pulls the listing; the category's properties come with the pull.
    func testAVariationsGridGoesOutWithTheInventoryAndReadsBackIdentical() throws {
        let draftID = try XCTUnwrap(base.queue(1).first)
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        let properties = try XCTUnwrap(store.taxonomyProperties(provider: .etsy, taxonomyID: 482))
        XCTAssertEqual(properties.map(\.name), ["Size", "Primary color"], "only the properties that can vary")
        var d = try XCTUnwrap(store.draft(id: draftID))
        var grid = Variations(properties: [
            .init(id: 100, name: "Size", values: ["S", "M", "L"]), .init(id: 200, name: "Primary color", values: ["Black", "White", "Navy", "Red"]),
        ])
        for i in grid.combinations.indices {
            let size = grid.combinations[i].values[0]
            grid.combinations[i].priceCents = ["S": 1999, "M": 2199, "L": 2399][size]
            grid.combinations[i].quantity = 5
            grid.combinations[i].sku = "MUG-\(size)-\(grid.combinations[i].values[1].prefix(3).uppercased())"
        }
        grid.combinations[11].enabled = false
        d.variations = grid
        try store.queueDraft(d, provider: .etsy, now: Date())
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 2, report.lastError ?? "")
        XCTAssertEqual(try base.etsyState()["patches"] as? Int ?? 0, 0, "updateListing has nothing to say about variations")
        XCTAssertEqual(try base.etsyState()["inventory_puts"] as? Int, 1)
        let inventory = try XCTUnwrap(listing(0)["inventory"] as? [String: Any])
        XCTAssertEqual((inventory["products"] as? [Any])?.count, 12)
        XCTAssertEqual(inventory["price_on_property"] as? [Int], [100, 200])
        XCTAssertEqual(try store.listingBase(draftID: draftID, provider: .etsy)?.variations, grid)
        XCTAssertEqual(try store.providerStatus(draftID: draftID)?.editWaiting, false)
        // Another workspace on the same shop pulls it: the same grid.
        let other = try Store(dataDirectory: base.dir.appendingPathComponent("other"))
        let engine = SyncEngine(store: other, credentials: base.credentials, transport: CurlTransport(), providers: base.settings)
        XCTAssertEqual(engine.sync(.etsy).pulled.inserted, 1)
        let row = try XCTUnwrap(other.listings(offset: 0, limit: 1, sort: .updated, filter: "").first)
        let pulled = try XCTUnwrap(other.draftForListing(id: row.id, now: Date()).flatMap { try other.draft(id: $0) })
        XCTAssertEqual(pulled.variations, grid)
        XCTAssertEqual(pulled.priceCents, 1999, "the listing's price is its lowest")
    }

    /// Changed on Etsy in one field and here in another: the pull brings theirs into the draft,
    /// the update sends mine, and nobody is asked anything.
    func testChangesToDifferentFieldsOnBothSidesMergeWithoutAConflict() throws {
        let (draftID, listingID) = try pushedThenEditedHere { $0.title = "Retro Cat Mug, Mine" }
        try base.server.control(["etsy_edit": ["listing_id": listingID, "description": "Their better description.", "quantity": 4]])
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pulled.conflicts, 0)
        XCTAssertEqual(report.pushed, 1, report.lastError ?? "")
        XCTAssertTrue(try store.listingConflicts().isEmpty)
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Mine")
        XCTAssertEqual(try listing(0)["description"] as? String, "Their better description.")
        XCTAssertEqual(try base.etsyState()["patched_fields"] as? [[String]], [["title"]], "only mine went out")
        let merged = try XCTUnwrap(store.draft(id: draftID))
        XCTAssertEqual(merged.description, "Their better description.")
        XCTAssertEqual(merged.quantity, 4)
        XCTAssertEqual(merged.title, "Retro Cat Mug, Mine")
    }

    /// A listing made on etsy.com (pulled, never drafted here) opens as a draft with the shop's
    /// fields; an edit of it sends only what changed.
    func testAPulledListingOpensAsADraftAndItsEditGoesOutAsAPatch() throws {
        try base.queue(1)
        _ = base.engine().sync(.etsy)
        // Another workspace on the same shop pulls it.
        let other = try Store(dataDirectory: base.dir.appendingPathComponent("other"))
        let engine = SyncEngine(store: other, credentials: base.credentials, transport: CurlTransport(), providers: base.settings)
        XCTAssertEqual(engine.sync(.etsy).pulled.inserted, 1)
        let row = try XCTUnwrap(other.listings(offset: 0, limit: 1, sort: .updated, filter: "").first)
        let draftID = try XCTUnwrap(other.draftForListing(id: row.id, now: Date()))
        XCTAssertEqual(try other.draftForListing(id: row.id, now: Date()), draftID, "opened twice, one draft")
        var d = try XCTUnwrap(other.draft(id: draftID))
        XCTAssertEqual(d.title, "Retro Cat Mug Number 0, Funny Cat Gift")
        XCTAssertEqual(d.tags, ["cat mug", "cat lover gift"])
        XCTAssertEqual(d.whenMade, "made_to_order")
        XCTAssertEqual(d.taxonomyID, 482)
        XCTAssertEqual(d.priceCents, 1999)
        d.title = "Retro Cat Mug, Edited Elsewhere"
        try other.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(try other.queueItems().first?.operation, .updateListing, "a listing on the shop is updated, never created again")
        XCTAssertEqual(engine.sync(.etsy).pushed, 1)
        XCTAssertEqual(try base.etsyState()["patched_fields"] as? [[String]], [["title"]])
        XCTAssertEqual(try base.serverTitles(), ["Retro Cat Mug, Edited Elsewhere"])
    }

    /// A draft with a photo is published, taken down and deleted, each an outbox item sent
    /// once; a listing without a photo on the shop is not sent to be published at all.
    func testAListingIsPublishedTakenDownAndDeleted() throws {
        let bare = try XCTUnwrap(base.queue(1).first)
        _ = base.engine().sync(.etsy)
        let bareRow = try XCTUnwrap(store.listings(offset: 0, limit: 1, sort: .updated, filter: "").first)
        XCTAssertThrowsError(try store.queueListingChange(listingID: bareRow.id, .activateListing, now: Date())) {
            XCTAssertEqual($0 as? ListingChangeRefusal, .needsPhoto)
        }
        XCTAssertThrowsError(try store.queueListingChange(listingID: bareRow.id, .deactivateListing, now: Date())) {
            XCTAssertEqual($0 as? ListingChangeRefusal, .already(state: "draft"))
        }
        // The photo goes up with the draft; then it can go live.
        let photo = base.dir.appendingPathComponent("photo.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 500)).write(to: photo)
        var d = try XCTUnwrap(store.draft(id: bare))
        d.images = [photo.path]
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        try store.queueListingChange(listingID: bareRow.id, .activateListing, now: Date())
        XCTAssertThrowsError(try store.queueListingChange(listingID: bareRow.id, .activateListing, now: Date())) {
            XCTAssertEqual($0 as? ListingChangeRefusal, .queued)
        }
        var report = base.engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual(try listing(0)["state"] as? String, "active")
        XCTAssertEqual(try store.listings(offset: 0, limit: 1, sort: .updated, filter: "").first?.state, "active")
        try store.queueListingChange(listingID: bareRow.id, .deactivateListing, now: Date())
        report = base.engine().sync(.etsy)
        XCTAssertEqual(try listing(0)["state"] as? String, "inactive", report.lastError ?? "")
        try store.queueListingChange(listingID: bareRow.id, .deleteListing, now: Date())
        report = base.engine().sync(.etsy)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        XCTAssertEqual((try base.etsyState()["listings"] as? [Any])?.count, 0)
        XCTAssertEqual(try store.listingCount(filter: ""), 0)
        XCTAssertEqual(try store.drafts(offset: 0, limit: 5, sort: .updated, filter: "").first?.state, "draft", "the draft stays, to publish anew")
        XCTAssertEqual(try base.etsyState()["deleted"] as? Int, 1, "deleted once")
    }

    /// A queued draft given `n` small PNG files (the first with `alt`, if any).
    func queuedWithPhotos(_ n: Int, alt: String? = nil) throws -> (Int64, [URL]) {
        let draftID = try XCTUnwrap(base.queue(1).first)
        let photos = (1...n).map { base.dir.appendingPathComponent("photo\($0).png") }
        for p in photos { try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 100)).write(to: p) }
        var d = try XCTUnwrap(store.draft(id: draftID))
        d.images = photos.map(\.path)
        d.imageAlts = alt.map { [photos[0].path: $0] }
        try store.saveDraft(d, now: Date())
        return (draftID, photos)
    }

    /// A photo taken off the draft is deleted from the listing (the other stays, not sent
    /// again); a file that is not the image its name says is refused with the reason.
    func testAPhotoRemovedLocallyIsGoneFromTheListing() throws {
        let (draftID, photos) = try queuedWithPhotos(2)
        var d: ListingDraft
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        func ranks() throws -> [Int] { ((try listing(0)["images"] as? [[String: Any]]) ?? []).compactMap { $0["rank"] as? Int }.sorted() }
        XCTAssertEqual(try ranks(), [1, 2])
        d = try XCTUnwrap(store.draft(id: draftID))
        d.images = [photos[0].path]
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try ranks(), [1], "the second photo is deleted there")
        XCTAssertEqual(try base.etsyState()["deleted_images"] as? Int, 1)
        XCTAssertEqual(try base.etsyState()["next_image_id"] as? Int, 5002, "the first photo was not sent again")
        // A text file named .jpg: refused here, with the reason, before anything is sent.
        let fake = base.dir.appendingPathComponent("photo3.jpg")
        try Data("not a photo".utf8).write(to: fake)
        d = try XCTUnwrap(store.draft(id: draftID))
        d.images = [photos[0].path, fake.path]
        try store.queueDraft(d, provider: .etsy, now: Date())
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.failed, 1)
        XCTAssertEqual(try store.queueItems().first?.lastError, "images: photo3.jpg is not a JPEG, PNG or GIF image")
    }

    /// Photos reordered in the draft are placed again by their ids (uploadListingImage with
    /// listing_image_id and rank), never uploaded again; an alt text goes with its photo.
    func testPhotosAreReorderedAndTheirAltTextSentWithoutUploadingAgain() throws {
        let (draftID, photos) = try queuedWithPhotos(3, alt: "A white mug with a retro cat")
        var d: ListingDraft
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        func shown() throws -> [(Int, String)] {
            ((try listing(0)["images"] as? [[String: Any]]) ?? []).sorted { ($0["rank"] as? Int ?? 0) < ($1["rank"] as? Int ?? 0) }
                .map { ($0["listing_image_id"] as? Int ?? 0, $0["alt_text"] as? String ?? "") }
        }
        let first = try shown()
        XCTAssertEqual(first.map(\.1), ["A white mug with a retro cat", "", ""])
        XCTAssertEqual(try base.etsyState()["uploaded_images"] as? Int, 3)
        // The third photo first, and an alt text for it.
        d = try XCTUnwrap(store.draft(id: draftID))
        d.images = [photos[2].path, photos[0].path, photos[1].path]
        d.imageAlts?[photos[2].path] = "The same mug from the side"
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        let after = try shown()
        XCTAssertEqual(after.map(\.0), [first[2].0, first[0].0, first[1].0])
        XCTAssertEqual(after.map(\.1), ["The same mug from the side", "A white mug with a retro cat", ""])
        XCTAssertEqual(try base.etsyState()["uploaded_images"] as? Int, 3, "nothing uploaded again")
        XCTAssertEqual(try base.etsyState()["reranked_images"] as? Int, 1, "one placed again; the others follow")
        // An alt text over Etsy's 500 characters is refused here, before anything is sent.
        d = try XCTUnwrap(store.draft(id: draftID))
        d.imageAlts?[photos[1].path] = String(repeating: "a", count: 501)
        XCTAssertTrue(ListingRules.check(d).contains { $0.code == "alt_too_long" })
    }

    /// The SKU typed in the composer reaches Etsy, through the listing's inventory (the only
    /// place Etsy takes it), and comes back with a pull.
    func testTheSKUReachesEtsyThroughTheInventory() throws {
        var d = SyncFixture.draft("Retro Cat Mug, Funny Cat Gift")
        d.sku = "CAT-MUG-1"
        let draftID = try store.queueDraft(d, provider: .etsy, now: Date()).draftID
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        func sku() throws -> String? {
            (((try listing(0)["inventory"] as? [String: Any])?["products"] as? [[String: Any]])?.first)?["sku"] as? String
        }
        XCTAssertEqual(try sku(), "CAT-MUG-1")
        XCTAssertEqual(try base.etsyState()["inventory_puts"] as? Int, 1)
        // Only the SKU changed: the inventory is written again, and no PATCH goes out.
        d = try XCTUnwrap(store.draft(id: draftID))
        d.sku = "CAT-MUG-2"
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try sku(), "CAT-MUG-2")
        XCTAssertEqual(try base.etsyState()["patches"] as? Int, 0)
        XCTAssertEqual(try base.etsyState()["inventory_puts"] as? Int, 2)
        // Another workspace pulls the listing with its SKU.
        let other = try Store(dataDirectory: base.dir.appendingPathComponent("other"))
        _ = SyncEngine(store: other, credentials: base.credentials, transport: CurlTransport(), providers: base.settings).sync(.etsy)
        let row = try XCTUnwrap(other.listings(offset: 0, limit: 1, sort: .updated, filter: "").first)
        XCTAssertEqual(try other.draftForListing(id: row.id, now: Date()).flatMap { try other.draft(id: $0) }?.sku, "CAT-MUG-2")
    }

    /// The shop's sections and return policies come with the pull; a listing goes out with
    /// them, and a change of section alone is one PATCH of that field.
    func testSectionsAndReturnPoliciesComeFromTheShopAndGoWithTheListing() throws {
        var d = SyncFixture.draft("Retro Cat Mug, Funny Cat Gift")
        (d.shopSectionID, d.returnPolicyID) = (31001, 41001)
        let draftID = try store.queueDraft(d, provider: .etsy, now: Date()).draftID
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try store.shopChoices(provider: .etsy, .section), [ShopChoice(id: 31001, title: "Mugs"), ShopChoice(id: 31002, title: "Shirts")])
        XCTAssertEqual(try store.shopChoices(provider: .etsy, .returnPolicy).map(\.title), ["0,0,", "1,1,30"])
        XCTAssertEqual(try listing(0)["shop_section_id"] as? Int, 31001)
        XCTAssertEqual(try listing(0)["return_policy_id"] as? Int, 41001)
        d = try XCTUnwrap(store.draft(id: draftID))
        d.shopSectionID = 31002
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).outcome, .done)
        XCTAssertEqual(try base.etsyState()["patched_fields"] as? [[String]], [["shop_section_id"]])
        XCTAssertEqual(try listing(0)["shop_section_id"] as? Int, 31002)
        // A section the shop does not have is refused by Etsy, with the field named.
        d = try XCTUnwrap(store.draft(id: draftID))
        d.shopSectionID = 99
        try store.queueDraft(d, provider: .etsy, now: Date())
        XCTAssertEqual(base.engine().sync(.etsy).failed, 1)
        XCTAssertEqual(try store.lastRefusal(draftID: draftID)?.field, .shopSectionID)
    }

    /// Two fields changed on both sides: each is settled on its own — mine for the title, the
    /// shop's for the description — and the update sends only what differs from the shop.
    func testAConflictIsSettledFieldByField() throws {
        let (draftID, listingID) = try pushedThenEditedHere { ($0.title, $0.description) = ("Retro Cat Mug, Mine", "My description.") }
        try base.server.control(["etsy_edit": ["listing_id": listingID, "title": "Retro Cat Mug, Theirs", "description": "Their description."]])
        _ = base.engine().sync(.etsy)
        let conflict = try XCTUnwrap(store.listingConflicts().first)
        XCTAssertEqual(conflict.fields, [.title, .description])
        XCTAssertEqual(conflict.mine?.title, "Retro Cat Mug, Mine")
        XCTAssertEqual(conflict.remote.content?.description, "Their description.")
        try store.resolveConflict(listingID: conflict.listingID, takingTheirs: [.description], now: Date())
        XCTAssertEqual(try store.draft(id: draftID)?.description, "Their description.")
        XCTAssertEqual(try store.draft(id: draftID)?.title, "Retro Cat Mug, Mine")
        XCTAssertEqual(base.engine().sync(.etsy).pushed, 1)
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Mine")
        XCTAssertEqual(try listing(0)["description"] as? String, "Their description.")
        XCTAssertEqual((try base.etsyState()["patched_fields"] as? [[String]])?.last, ["title"])
    }

    func testTakingTheProvidersVersionUpdatesTheDraftAndDropsTheEdit() throws {
        let (draftID, listingID) = try pushedThenEditedHere { $0.title = "Retro Cat Mug, Mine" }
        try base.server.control(["etsy_edit": ["listing_id": listingID, "title": "Retro Cat Mug, Theirs", "quantity": 3]])
        _ = base.engine().sync(.etsy)
        let conflict = try XCTUnwrap(store.listingConflicts().first)
        try store.resolveConflict(listingID: conflict.listingID, keepLocal: false, now: Date())
        XCTAssertEqual(try store.draft(id: draftID)?.title, "Retro Cat Mug, Theirs")
        XCTAssertEqual(try store.draft(id: draftID)?.quantity, 3)
        XCTAssertEqual(try store.queueItems().first?.state, .cancelled)
        let report = base.engine().sync(.etsy)
        XCTAssertEqual(report.pushed, 0)
        XCTAssertEqual(try listing(0)["title"] as? String, "Retro Cat Mug, Theirs")
    }
}

final class TokenRefreshTests: XCTestCase {
    var f: SyncFixture!
    override func setUpWithError() throws {
        f = try SyncFixture()
        var etsy = f.settings["etsy"]!
        etsy["token_url"] = f.server.base + "/etsy/oauth/token"
        settings = ["etsy": etsy]
    }
    override func tearDown() { f = nil }
    var settings: [String: [String: String]] = [:]

    func engine() -> SyncEngine { SyncEngine(store: f.store, credentials: f.credentials, transport: CurlTransport(), providers: settings) }

    func testALapsingTokenIsRefreshedAndTheRotatedRefreshTokenSavedBeforeUse() throws {
        try f.credentials.save(Credential(accessToken: "12345678.expired", refreshToken: "refresh-1", expiresAt: Date().addingTimeInterval(60)), for: "etsy")
        try f.queue(1)
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .done, report.lastError ?? "")
        let saved = try XCTUnwrap(f.credentials.credential(for: "etsy"))
        XCTAssertEqual(saved.accessToken, "12345678.access1")
        XCTAssertEqual(saved.refreshToken, "refresh-2")
        XCTAssertGreaterThan(saved.expiresAt ?? .distantPast, Date().addingTimeInterval(3000))
        // A second pass uses the saved token: no refresh, and the old refresh token is never sent again.
        XCTAssertEqual(engine().sync(.etsy, pull: false).outcome, .done)
        let state = try f.etsyState()
        XCTAssertEqual(state["refreshes"] as? Int, 1)
        XCTAssertEqual(state["reused_refresh"] as? Int, 0)
    }

    func testATokenRefusedEarlyIsRefreshedOnceAndARefusedRefreshExpires() throws {
        try f.credentials.save(Credential(accessToken: "12345678.revoked", refreshToken: "refresh-1", expiresAt: Date().addingTimeInterval(3000)), for: "etsy")
        try f.queue(1)
        XCTAssertEqual(engine().sync(.etsy, pull: false).pushed, 1)
        try f.credentials.save(Credential(accessToken: "12345678.revoked", refreshToken: "refresh-1", expiresAt: Date()), for: "etsy")
        let report = engine().sync(.etsy, pull: false)
        XCTAssertEqual(report.outcome, .unauthorized)
        XCTAssertTrue(report.lastError?.contains("refresh token was refused") == true, report.lastError ?? "")
        XCTAssertEqual(try f.etsyState()["reused_refresh"] as? Int, 1)
    }

    func testOneRefreshAtATimeForConcurrentCallers() throws {
        try f.credentials.save(Credential(accessToken: "12345678.expired", refreshToken: "refresh-1", expiresAt: Date()), for: "etsy")
        let refresher = TokenRefresher(credentials: f.credentials, transport: CurlTransport())
        let url = f.server.base + "/etsy/oauth/token"
        let tokens = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if let c = try? refresher.credential(provider: "etsy", tokenURL: url, clientID: "testkeystring", now: Date()) {
                tokens.mutate { $0.append(c.accessToken) }
            }
        }
        XCTAssertEqual(tokens.value, Array(repeating: "12345678.access1", count: 4))
        XCTAssertEqual(try f.etsyState()["refreshes"] as? Int, 1)
    }
}

final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.withLock { v } }
    func mutate(_ f: (inout T) -> Void) { lock.withLock { f(&v) } }
}
