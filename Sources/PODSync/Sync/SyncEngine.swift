import Foundation
import Logging
import PODCore
import PODStore

/// Where a provider's push stands (what `podpusher sync` prints and the queue screen shows).
public struct SyncReport: Sendable, Equatable, Codable {
    /// Whether the pass needs the seller's attention: a provider that is not connected and has
    /// nothing waiting for it does not.
    public var isTrouble: Bool {
        switch outcome {
        case .done, .waiting, .running: return false
        case .notConnected: return total > 0
        default: return true
        }
    }

    public enum Outcome: String, Sendable, Codable {
        /// The pass is under way (progress reports).
        case running
        /// Every due item was pushed or refused for good.
        case done
        /// Items wait for a later attempt (a backoff longer than the pass waits).
        case waiting
        case notConnected = "not_connected"
        case notConfigured = "not_configured"
        /// The token was refused: connect again.
        case unauthorized
        /// The provider cannot be reached or keeps failing (its circuit breaker is open).
        case unavailable
        case dailyLimit = "daily_limit"
        case cancelled
    }

    public var provider: String
    public var outcome: Outcome = .done
    /// Items at the start of the pass (pending and in flight).
    public var total = 0
    public var pushed = 0
    /// Refused by the provider for good (the listing's data): each one's reason is in the queue.
    public var failed = 0
    /// In-flight items found already created at the provider after a crash or a timeout.
    public var reconciled = 0
    /// Attempts that will be retried (429, 5xx, timeouts).
    public var retried = 0
    /// Items still waiting when the pass ended.
    public var pending = 0
    public var lastError: String?
    /// Requests sent, and the seconds the pass spent sending them.
    public var requests = 0
    public var seconds = 0.0
    /// Updates held back because the provider changed the listing too (the seller chooses).
    public var conflicts = 0
    /// What the pull brought: listings (new, updated, unchanged, in conflict), shipping
    /// profiles and taxonomy categories (read once a week).
    public var pulled = PullMerge()
    public var shippingProfiles = 0
    public var taxonomyNodes = 0
    /// Orders the pull brought new or changed (Printify's, with what it charges), and Etsy
    /// receipts new or changed.
    public var orders = 0
    public var receipts = 0
    /// Entries of Etsy's payment ledger read for the first time.
    public var ledgerEntries = 0
    /// Why the shop's sales could not be read (a connection without `transactions_r`).
    public var salesUnavailable: String?
    /// Listing updates queued by running experiments (a variant's turn, or the end).
    public var experimentSwitches = 0
    /// The pace requests go at, what the provider says is left today, and until when the
    /// circuit breaker holds requests back (nil: closed).
    public var ratePerSecond: Double?
    public var remainingToday: Int?
    public var pausedUntil: Date?

    public init(provider: String) { self.provider = provider }
}

/// Time, sleep and chance, injectable so that tests run the engine on a fake clock.
public struct SyncClock: Sendable {
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (TimeInterval) -> Void
    public var random: @Sendable () -> Double
    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (TimeInterval) -> Void, random: @escaping @Sendable () -> Double) {
        self.now = now
        self.sleep = sleep
        self.random = random
    }

    public static let system = SyncClock(now: { Date() }, sleep: { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }, random: { Double.random(in: 0..<1) })
}

/// The push half of the sync engine (DESIGN.md §6): drains the outbox of a provider under its
/// rate limit, retries what can be retried with backoff, fails what the provider refuses with
/// its reason, and reconciles every in-flight item with the provider before sending it again,
/// so that nothing is created twice — even after a `kill -9` between the request and the
/// database write.
public final class SyncEngine: @unchecked Sendable {
    public let store: Store
    public let credentials: CredentialStore
    let transport: HTTPTransport
    let providers: [String: [String: String]]
    let clock: SyncClock
    /// Requests in flight at once per provider: enough to reach the limit over real latency.
    public var concurrency = 4
    /// A retryable failure is given up after this many attempts.
    public var maxAttempts = 10
    private let lock = NSLock()
    private var limiters: [ProviderID: RateLimiter] = [:]
    private var breakers: [ProviderID: CircuitBreaker] = [:]
    private var windows: [String: WindowLimiter] = [:]
    private let cancelled = CancelFlag()
    let refresher: TokenRefresher
    private let log = Logger(label: "podpusher.sync")

    public init(
        store: Store, credentials: CredentialStore, transport: HTTPTransport,
        providers: [String: [String: String]], clock: SyncClock = .system
    ) {
        self.store = store
        self.credentials = credentials
        self.transport = transport
        self.providers = providers
        self.clock = clock
        refresher = TokenRefresher(credentials: credentials, transport: transport)
    }

    /// Stops the pass at the next item (requests already sent finish).
    public func cancel() { cancelled.cancel() }

    public func limiter(for provider: ProviderID) -> RateLimiter {
        lock.lock()
        defer { lock.unlock() }
        if let l = limiters[provider] { return l }
        let rate = providers[provider.rawValue]?["rate_per_second"].flatMap(Double.init) ?? provider.sync.defaultRate
        let l = RateLimiter(perSecond: rate)
        limiters[provider] = l
        return l
    }

    /// The limiter of `limit` requests in `seconds` kept for a key (Printify's catalog and
    /// publishing windows), shared by every pass of this engine.
    func window(_ key: String, limit: Int, seconds: TimeInterval) -> WindowLimiter {
        lock.lock()
        defer { lock.unlock() }
        if let w = windows[key] { return w }
        let w = WindowLimiter(limit: limit, window: seconds)
        windows[key] = w
        return w
    }

    public func breaker(for provider: ProviderID) -> CircuitBreaker {
        lock.lock()
        defer { lock.unlock() }
        return breakers[provider] ?? CircuitBreaker()
    }

    private func updateBreaker(_ provider: ProviderID, _ change: (inout CircuitBreaker) -> Void) -> CircuitBreaker {
        lock.lock()
        defer { lock.unlock() }
        var b = breakers[provider] ?? CircuitBreaker()
        change(&b)
        breakers[provider] = b
        return b
    }

    /// One pass for a provider: a pull (unless `pull` is false), then the push. Items due
    /// within `maxWait` seconds of the start (a backoff, a `retry-after`) are waited for; later
    /// ones are left for the next pass.
    public func sync(
        _ provider: ProviderID, pull: Bool = true, maxWait: TimeInterval = 120,
        progress: @escaping @Sendable (SyncReport) -> Void = { _ in }
    ) -> SyncReport {
        var report = SyncReport(provider: provider.rawValue)
        let start = clock.now()
        do {
            let counts = try store.outboxCounts(provider: provider)
            report.total = (counts[.pending] ?? 0) + (counts[.inFlight] ?? 0)
            try pass(provider, &report, pull: pull, start: start, maxWait: maxWait, progress: progress)
        } catch let e as ProviderError {
            report.lastError = e.description
            switch e {
            case .unauthorized: report.outcome = .unauthorized
            case .notConfigured: report.outcome = .notConfigured
            case .dailyLimitReached: report.outcome = .dailyLimit
            default: report.outcome = .unavailable
            }
        } catch {
            report.lastError = "\(error)"
            report.outcome = .unavailable
        }
        let counts = (try? store.outboxCounts(provider: provider)) ?? [:]
        report.pending = (counts[.pending] ?? 0) + (counts[.inFlight] ?? 0)
        if report.outcome == .running { report.outcome = report.pending > 0 ? .waiting : .done }
        report.seconds = clock.now().timeIntervalSince(start)
        describeLimits(&report, provider)
        log.info(
            "sync pass",
            metadata: [
                "provider": "\(provider.rawValue)", "outcome": "\(report.outcome.rawValue)",
                "pushed": "\(report.pushed)", "failed": "\(report.failed)", "pending": "\(report.pending)",
            ])
        progress(report)
        return report
    }

    /// Signs in, pulls, then drains the outbox: the same for every provider.
    private func pass(
        _ id: ProviderID, _ report: inout SyncReport, pull: Bool, start: Date, maxWait: TimeInterval,
        progress: @escaping @Sendable (SyncReport) -> Void
    ) throws {
        let provider = try id.sync.init(settings: providers[id.rawValue] ?? [:])
        let counter = Counter()
        let context = context(id, counter: counter, maxWait: maxWait)
        guard let credential = try provider.credential(context) else {
            report.outcome = .notConnected
            report.lastError = "\(id.displayName) is not connected: run podpusher connect \(id.rawValue)"
            return
        }
        if report.total == 0 && !pull { return }
        let session: any ProviderSession
        do {
            session = try provider.open(context, credential: credential)
        } catch {
            if case .unauthorized(let message)? = error as? ProviderError {
                try store.recordConnection(provider: id.rawValue, state: .expired, lastError: message, now: clock.now())
            }
            throw error
        }
        report.outcome = .running
        if pull {
            try session.pull(into: &report)
            progress(report)
        }
        try drain(session, counter: counter, report: &report, start: start, maxWait: maxWait, progress: progress)
    }

    /// What a provider is given for a pass (or for reading its catalog).
    func context(_ id: ProviderID, counter: Counter, maxWait: TimeInterval) -> ProviderPass {
        let limiter = limiter(for: id), clock = self.clock
        return ProviderPass(
            provider: id, store: store, credentials: credentials, refresher: refresher, transport: transport, clock: clock, limiter: limiter,
            pace: { () throws(ProviderError) in try Self.pace(limiter, clock: clock, counter: counter, longestWait: maxWait) },
            window: { self.window($0, limit: $1, seconds: $2) }, note: { message in counter.add { $0.lastError = message } })
    }

    /// Waits for the limiter's next slot before a request. A slot further off than `longestWait`
    /// (`--max-wait`: a provider that said `x-limit-per-second: 0.001`, a long `retry-after`) is
    /// not waited for: the request is not sent, and the item waits for a later pass.
    static func pace(_ limiter: RateLimiter, clock: SyncClock, counter: Counter, longestWait: TimeInterval) throws(ProviderError) {
        let wait = limiter.reserve(now: clock.now())
        guard wait <= max(longestWait, 0) else { throw .rateLimited(retryAfter: wait) }
        counter.add { $0.requests += 1 }
        clock.sleep(wait)
    }

    /// Pushes the provider's due items until none is due within `maxWait` of the start: in
    /// flight ones reconciled first, the others sent `concurrency` at a time, the breaker
    /// waited out when it opens within the pass.
    private func drain(
        _ target: any PushTarget, counter: Counter, report: inout SyncReport, start: Date, maxWait: TimeInterval,
        progress: @escaping @Sendable (SyncReport) -> Void
    ) throws {
        let provider = target.provider
        let pass = Pass(engine: self, target: target, counter: counter, progress: progress, base: report)
        defer {
            let outcome = report.outcome
            report = pass.report(counter)
            report.outcome = cancelled.isCancelled ? .cancelled : outcome
        }
        while !cancelled.isCancelled {
            if let stop = counter.stop { throw stop }
            let now = clock.now()
            if !updateBreakerAllows(provider) {
                // Down for a while: wait for the probe if it comes within the pass, else stop.
                guard let at = breaker(for: provider).opensAt, at.timeIntervalSince(start) <= maxWait else {
                    throw counter.lastProviderError ?? ProviderError.transport(.network("\(target.provider.displayName) keeps failing"))
                }
                clock.sleep(at.timeIntervalSince(now))
                continue
            }
            let uncertain = try store.inFlightOutboxItems(provider: provider, dueBy: now)
            if !uncertain.isEmpty { try pass.reconcile(uncertain) }
            let due = try store.dueOutboxItems(provider: provider, now: now, limit: 200)
            if due.isEmpty {
                guard let next = try store.nextOutboxAttempt(provider: provider), next.timeIntervalSince(start) <= maxWait else { break }
                clock.sleep(next.timeIntervalSince(now))
                continue
            }
            runConcurrently(due, width: concurrency) { pass.push($0) }
        }
        if let stop = counter.stop { throw stop }
    }

    /// The pace, allowance and breaker of the report's provider, as they stand.
    func describeLimits(_ report: inout SyncReport, _ provider: ProviderID) {
        let limiter = limiter(for: provider)
        report.ratePerSecond = limiter.perSecond
        report.remainingToday = limiter.remainingToday
        report.pausedUntil = breaker(for: provider).opensAt
    }

    private func updateBreakerAllows(_ provider: ProviderID) -> Bool {
        var allowed = false
        let now = clock.now()
        _ = updateBreaker(provider) { allowed = $0.allows(now: now) }
        return allowed
    }

    /// One pass's work on single items (called from several threads).
    private struct Pass: Sendable {
        let engine: SyncEngine
        let target: any PushTarget
        let counter: Counter
        let progress: @Sendable (SyncReport) -> Void
        let base: SyncReport

        func report(_ counter: Counter) -> SyncReport {
            var r = base
            counter.read {
                r.pushed = $0.pushed
                r.failed = $0.failed
                r.reconciled = $0.reconciled
                r.retried = $0.retried
                r.requests = $0.requests
                r.conflicts = $0.conflicts
                r.lastError = $0.lastError ?? r.lastError
            }
            engine.describeLimits(&r, target.provider)
            return r
        }

        func push(_ item: OutboxItem) {
            let store = engine.store, clock = engine.clock
            let provider = target.provider
            guard counter.stop == nil, !engine.cancelled.isCancelled, engine.updateBreakerAllows(provider) else { return }
            do {
                guard let payload = try store.claimOutboxItem(id: item.id, now: clock.now()) else { return }
                guard let operation = item.operation, let draft = ListingDraft.fromJSON(payload) else {
                    try store.failOutboxItem(
                        id: item.id, error: "this version cannot carry out '\(item.rawOperation)' for \(target.provider.displayName)", now: clock.now())
                    counter.add { $0.failed += 1 }
                    return
                }
                // The draft as it is now: an edit made while it waited may break a rule.
                let issues = operation.sendsFields ? ListingRules.check(draft) : []
                if !issues.isEmpty {
                    let fields = Set(issues.map(\.field.rawValue)).sorted().joined(separator: ", ")
                    try store.failOutboxItem(
                        id: item.id, error: "the draft was edited since it was queued and breaks a rule (\(fields)): fix it and queue it again",
                        now: clock.now())
                    counter.add { $0.failed += 1 }
                    return
                }
                var existing: String?
                if operation != .createListing {
                    guard let draftID = item.entityID, let pushed = try store.pushedListing(draftID: draftID, provider: provider) else {
                        try store.failOutboxItem(
                            id: item.id, error: "the \(target.provider.displayName) listing to update is not known here; pull first", now: clock.now())
                        counter.add { $0.failed += 1 }
                        return
                    }
                    if pushed.inConflict, operation == .updateListing {
                        // The seller chooses first (keeping this edit makes it due again).
                        try store.rescheduleOutboxItem(
                            id: item.id, error: "the listing changed on \(target.provider.displayName) too: choose which version to keep",
                            at: clock.now().addingTimeInterval(86_400), mayHaveApplied: false, now: clock.now())
                        counter.add { $0.conflicts += 1 }
                        return
                    }
                    existing = pushed.providerListingID
                }
                // Work that sends no fields: photos, the listing's state, its deletion.
                if let existing, !operation.sendsFields {
                    var answer: PushedListing?, photos: (photos: [String: Int64], count: Int)?
                    let known = try item.entityID.map { try store.listingPhotos(draftID: $0, provider: provider) } ?? [:]
                    do {
                        switch operation {
                        case .activateListing, .deactivateListing: answer = try target.setState(listingID: existing, active: operation == .activateListing)
                        case .deleteListing:
                            try target.delete(listingID: existing)
                            answer = nil
                        case .updateInventory:
                            try target.updateInventory(listingID: existing, draft)
                            answer = nil
                        default:
                            // Sent a little before this claim, an upload may have gone through unanswered.
                            photos = try target.syncPhotos(
                                listingID: existing, paths: draft.imageList, alts: draft.imageAlts ?? [:], known: known,
                                since: item.updatedAt.addingTimeInterval(-600))
                        }
                    } catch {
                        try handle(error, item: item)
                        progress(report(counter))
                        return
                    }
                    _ = engine.updateBreaker(provider) { $0.recordSuccess() }
                    switch operation {
                    case .deleteListing: try store.completeDeletion(item, now: clock.now())
                    case .updateInventory: try store.completeInventory(item, sent: draft, now: clock.now())
                    case .uploadImages: try store.completePhotoSync(item, photos: photos?.photos ?? known, count: photos?.count ?? 0, now: clock.now())
                    default: try store.completeOutboxItem(item, listing: answer, now: clock.now())
                    }
                    if operation != .uploadImages { counter.add { $0.pushed += 1 } }
                    progress(report(counter))
                    return
                }
                // An update sends what changed since the shop's version this store last saw.
                let base = try existing == nil ? nil : item.entityID.flatMap { try store.listingBase(draftID: $0, provider: provider) }
                let listing: PushedListing?
                do {
                    if let existing {
                        listing = try target.update(listingID: existing, draft, base: base)
                    } else {
                        listing = try target.create(draft)
                    }
                } catch {
                    try handle(error, item: item)
                    progress(report(counter))
                    return
                }
                _ = engine.updateBreaker(provider) { $0.recordSuccess() }
                try store.completeOutboxItem(item, listing: listing, now: clock.now())
                counter.add { $0.pushed += 1 }
            } catch {
                counter.add { $0.stop = $0.stop ?? .malformed("the store failed: \(error)") }
            }
            progress(report(counter))
        }

        func handle(_ error: ProviderError, item: OutboxItem) throws {
            let store = engine.store, clock = engine.clock
            let now = clock.now()
            if error.countsAgainstProvider { _ = engine.updateBreaker(target.provider) { $0.recordFailure(now: now) } }
            let attempts = item.attempts + 1
            counter.add { $0.lastProviderError = error }
            switch error {
            case .rejected:
                try store.failOutboxItem(id: item.id, error: error.description, now: now)
                counter.add {
                    $0.failed += 1
                    $0.lastError = error.description
                }
            case .rateLimited(let after):
                let wait = after ?? 1
                engine.limiter(for: target.provider).hold(until: now.addingTimeInterval(wait))
                try store.rescheduleOutboxItem(id: item.id, error: error.description, at: now.addingTimeInterval(wait), mayHaveApplied: false, now: now)
                counter.add { $0.retried += 1 }
            case _ where error.isRetryable && attempts < engine.maxAttempts:
                let wait = Backoff.delay(attempt: attempts, retryAfter: nil, random: clock.random())
                try store.rescheduleOutboxItem(
                    id: item.id, error: error.description, at: now.addingTimeInterval(wait), mayHaveApplied: error.mayHaveApplied, now: now)
                counter.add {
                    $0.retried += 1
                    $0.lastError = error.description
                }
            case _ where error.isRetryable:
                // Given up: but a create that may have gone through is left in flight, so the
                // next pass asks the provider before anything is sent again.
                if error.mayHaveApplied {
                    try store.rescheduleOutboxItem(
                        id: item.id, error: error.description, at: now.addingTimeInterval(Backoff.cap), mayHaveApplied: true, now: now)
                } else {
                    try store.failOutboxItem(id: item.id, error: "gave up after \(attempts) attempts: \(error)", now: now)
                    counter.add { $0.failed += 1 }
                }
                counter.add { $0.lastError = error.description }
            default:
                // The token or the key, not the item: it waits, and the pass stops. Creates
                // that need a setup first are blocked instead, using no quota meanwhile.
                try store.rescheduleOutboxItem(id: item.id, error: error.description, at: now, mayHaveApplied: false, now: now)
                if case .notConfigured(let reason) = error { try store.blockCreates(provider: target.provider, reason: reason, now: now) }
                counter.add {
                    $0.stop = $0.stop ?? error
                    $0.lastError = error.description
                }
            }
        }

        /// In-flight items may have been created before the pass that sent them died: each is
        /// looked for among the shop's newest draft listings (same title, created since shortly
        /// before it was sent, not already known here). Found, it is done; not found, it is
        /// pending again and sent.
        func reconcile(_ items: [OutboxItem]) throws {
            let store = engine.store, clock = engine.clock
            let window: TimeInterval = 600
            let since = items.map(\.updatedAt).min()!.addingTimeInterval(-window)
            var candidates = try target.recent(since: since)
            var known = try store.knownProviderListingIDs(provider: target.provider)
            for item in items {
                // Updates and photo uploads are safe to send again; only a create is looked for.
                guard item.operation == .createListing else {
                    try store.rescheduleOutboxItem(id: item.id, error: nil, at: clock.now(), mayHaveApplied: false, now: clock.now())
                    continue
                }
                let draft = ListingDraft.fromJSON(item.payload)
                let earliest = item.updatedAt.addingTimeInterval(-window)
                if let draft,
                    let i = candidates.firstIndex(where: {
                        !known.contains($0.id) && $0.title == draft.title && ($0.createdAt ?? earliest) >= earliest
                    })
                {
                    let found = candidates.remove(at: i)
                    known.insert(found.id)
                    var listing = found.listing
                    listing.currency = draft.currency
                    try store.completeOutboxItem(item, listing: listing, now: clock.now())
                    counter.add {
                        $0.reconciled += 1
                        $0.pushed += 1
                    }
                } else {
                    try store.rescheduleOutboxItem(id: item.id, error: nil, at: clock.now(), mayHaveApplied: false, now: clock.now())
                }
            }
            progress(report(counter))
        }
    }
}

/// The pass's tallies, shared by its worker threads.
final class Counter: @unchecked Sendable {
    struct Tally {
        var pushed = 0, failed = 0, reconciled = 0, retried = 0, requests = 0, conflicts = 0
        var lastError: String?
        var lastProviderError: ProviderError?
        var stop: ProviderError?
    }
    private let lock = NSLock()
    private var tally = Tally()

    func add(_ change: (inout Tally) -> Void) {
        lock.lock()
        change(&tally)
        lock.unlock()
    }

    func read(_ body: (Tally) -> Void) {
        lock.lock()
        body(tally)
        lock.unlock()
    }

    var stop: ProviderError? {
        lock.lock()
        defer { lock.unlock() }
        return tally.stop
    }

    var lastProviderError: ProviderError? {
        lock.lock()
        defer { lock.unlock() }
        return tally.lastProviderError
    }
}

/// Runs `body` over `items` on `width` threads and returns when all are done.
func runConcurrently<T: Sendable>(_ items: [T], width: Int, _ body: @escaping @Sendable (T) -> Void) {
    let cursor = Cursor()
    let group = DispatchGroup()
    for _ in 0..<max(1, min(width, items.count)) {
        group.enter()
        Thread {
            while case let i = cursor.take(), i < items.count { body(items[i]) }
            group.leave()
        }.start()
    }
    group.wait()
}

/// Hands out 0, 1, 2… to several threads.
private final class Cursor: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}
