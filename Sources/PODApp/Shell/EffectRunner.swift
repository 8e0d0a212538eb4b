import Foundation
import Logging
import PODCore
import PODMedia
import PODStore
import PODSync

/// The AI copywriter and the plan whose AI credits it spends.
public struct AIWriter: Sendable {
    public let copywriter: OpenAICopywriter
    public let plan: PlanTier
    public init(copywriter: OpenAICopywriter, plan: PlanTier) {
        self.copywriter = copywriter
        self.plan = plan
    }
}

/// Runs effects off the UI thread and answers with actions through `send`. Reads run on two
/// threads; writes (demo load and clear) on one, in order.
public final class EffectRunner: Sendable {
    let store: Store
    let send: @Sendable (Action) -> Void
    /// The user's calendar (months for quotas start in their time zone): Settings can change it.
    private let userCalendar: Shared<Calendar>
    var calendar: Calendar {
        get { userCalendar.value }
        set { userCalendar.value = newValue }
    }
    let plan: PlanTier
    /// `Locales/`, for switching the language while the UI runs.
    let resources: ShippedResources?
    /// Email for notifications, when `[providers.smtp]` is configured.
    let mailer: SMTPMailer?
    let ai: AIWriter?
    let syncEngine: SyncEngine?
    let trendFeeds: TrendFeeds?
    let connector: Connector?
    private let trendsCancel = CancelFlag()
    /// The connect under way (one at a time): Esc cancels it, a pasted redirect reaches it.
    private let connecting = Current<ConnectSession>()
    /// The session of the connect job running now (connects run one at a time, on one thread).
    private let runningConnect = Current<ConnectSession>()
    var connectSession: ConnectSession? { runningConnect.value }
    private let reads = Workers(name: "podpusher.read", threads: 2)
    private let writes = Workers(name: "podpusher.write", threads: 1)
    /// Calls to providers, which may take seconds: never in the way of the store's reads.
    private let network = Workers(name: "podpusher.net", threads: 2)
    /// Sync passes, one at a time.
    private let syncs = Workers(name: "podpusher.sync", threads: 1)
    /// Connect flows, which wait minutes for the user: one at a time, apart from the rest.
    private let connects = Workers(name: "podpusher.connect", threads: 1)
    /// Image previews: decoding a large design takes a while, so one at a time, apart.
    private let media = Workers(name: "podpusher.media", threads: 1)
    /// The last previews made; the data folder, where thumbnails (`thumbnails/`), fetched
    /// mockups (`mockups/`) and post pictures (`posts/`) are kept.
    let previews = PreviewCache(limit: 50)
    let dataDirectory: String?
    var thumbnails: String? { dataDirectory.map { $0 + "/thumbnails" } }
    var mockups: String? { dataDirectory.map { $0 + "/mockups" } }
    /// Where a mockup's address is kept once fetched (named by the address).
    func mockupFile(for url: String) -> String? { mockups.map { $0 + "/" + Media.fileName(for: url) + ".img" } }
    /// Post pictures (`posts/DRAFT-PLATFORM-WxH.png`).
    var posts: String? { dataDirectory.map { $0 + "/posts" } }
    let cancels = CancelFlags()
    let log = Logger(label: "podpusher.effects")

    public init(
        store: Store, calendar: Calendar, plan: PlanTier = .free, resources: ShippedResources? = nil, ai: AIWriter? = nil, sync: SyncEngine? = nil,
        trends: TrendFeeds? = nil, connector: Connector? = nil, mailer: SMTPMailer? = nil, dataDirectory: String? = nil,
        send: @escaping @Sendable (Action) -> Void
    ) {
        self.dataDirectory = dataDirectory
        self.plan = plan
        self.mailer = mailer
        self.resources = resources
        self.trendFeeds = trends
        self.connector = connector
        self.store = store
        userCalendar = Shared(calendar)
        self.ai = ai
        self.syncEngine = sync
        self.send = send
    }

    /// One AI call under `request` (Esc cancels it): a credit is taken first (refused over
    /// quota) and given back when the call fails or is cancelled, so that only what the
    /// seller received is counted. Nil when it was cancelled.
    func creditedAICall<T: Sendable>(
        request: Int, reason: String, subject: String?, _ call: (AIWriter, CancelFlag) throws(ProviderError) -> T
    ) -> Result<T, CopyFailure>? {
        let flag = cancels.flag(request)
        defer { cancels.remove(request) }
        guard let ai else { return .failure(.provider("no AI copywriter is configured")) }
        let ledger: Int64
        do {
            ledger = try store.consume(.aiCredits, plan: ai.plan, reason: reason, subject: subject, now: Date(), calendar: calendar)
        } catch let q as QuotaExceeded {
            return .failure(.quota(used: q.used, limit: q.limit, resetsAt: q.resetsAt))
        } catch {
            return .failure(.provider("\(error)"))
        }
        do {
            return .success(try call(ai, flag))
        } catch {
            try? store.refund(ledgerID: ledger)
            log.warning("AI call failed", metadata: ["reason": "\(reason)", "error": "\(error)"])
            return error == .transport(.cancelled) ? nil : .failure(.provider(error.description))
        }
    }

    /// Runs an effect on its lane (`Effect.lane`).
    public func run(_ effect: Effect) {
        if case .screenJob(let job) = effect { job.submitted(self) }
        switch effect.lane {
        case .terminal:
            return  // the composition root does these
        case .immediate:
            // At once: the flow or the request's thread may be waiting on the network.
            perform(effect)
        case .connect:
            // A new connect cancels the one before at once (it may be waiting minutes for the user).
            let session = ConnectSession()
            connecting.replace(with: session)?.cancel.cancel()
            connects.submit {
                _ = self.runningConnect.replace(with: session)
                self.perform(effect)
                _ = self.runningConnect.replace(with: nil)
            }
        case .network:
            network.submit { self.perform(effect) }
        case .sync:
            syncs.submit { self.perform(effect) }
        case .media:
            media.submit { self.perform(effect) }
        case .write:
            writes.submit { self.perform(effect) }
        case .read:
            reads.submit { self.perform(effect) }
        }
    }

    /// A table page: its rows are sent at once (the screen shows them while the count is
    /// still being taken), then, when asked, the same rows again with the count of all rows.
    func pageThenCount<Row>(withCount: Bool, rows: () throws -> [Row], count: () throws -> Int, answer: ([Row], Int?) -> Action) throws {
        let page = try rows()
        send(answer(page, nil))
        if withCount { send(answer(page, try count())) }
    }

    /// Each new notification as one email, in the user's language.
    private func email(_ items: [NotificationItem], strings: Localizer, mailer: SMTPMailer) {
        for item in items {
            let text = item.text(strings)
            do {
                try mailer.send(subject: "PODPusher: " + text, body: text + "\n\n— " + strings.t("notify.email_footer"))
            } catch {
                log.warning("email not sent", metadata: ["error": "\(error)"])
                return send(.emailFailed(error.description))
            }
        }
    }

    /// A pass per provider, its progress sent at most ten times a second.
    private func runSync() {
        guard let engine = syncEngine else { return send(.syncFinished([], at: Date())) }
        let throttle = Throttle(interval: 0.1)
        var reports: [SyncReport] = []
        for provider in ProviderID.allCases {
            let report = engine.sync(provider) { r in if throttle.allows(Date()) { self.send(.syncProgress(r)) } }
            reports.append(report)
            send(.syncProgress(report))
        }
        send(.syncFinished(reports, at: Date()))
    }

    /// Cancels the connect under way (Esc on its prompt).
    func cancelConnect() { connecting.replace(with: nil)?.cancel.cancel() }

    /// Hands the address the browser was redirected to to the newest connect.
    func pasteRedirect(_ address: String) { connecting.value?.paste(address) }

    /// Waits until every lane is idle, cancelling nothing (a headless program between steps).
    public func settle() {
        let lanes = [connects, syncs, network, writes, reads]
        // A job may submit another on an earlier lane (the scheduler's email): round again.
        repeat { lanes.forEach { $0.waitUntilIdle() } } while !lanes.allSatisfy(\.isIdle)
    }

    /// Waits until every effect submitted so far has finished, cancelling what waits on the
    /// network or the user (before the process exits, so that the last autosave is on disk).
    public func waitUntilIdle() {
        connecting.replace(with: nil)?.cancel.cancel()
        connects.waitUntilIdle()
        cancels.cancelAll()
        syncEngine?.cancel()
        trendsCancel.cancel()
        syncs.waitUntilIdle()
        network.waitUntilIdle()
        reads.waitUntilIdle()
        writes.waitUntilIdle()
    }

    /// Does one effect synchronously and sends its answer (used directly by tests and `bench`).
    public func perform(_ effect: Effect) {
        do {
            switch effect {
            case .loadDashboard(let window, let region):
                send(.dashboardLoaded(try store.dashboard(window: window, region: region, limit: 20, now: Date(), calendar: calendar)))
            case .loadDemo(let seed):
                log.info("loading the demo workspace", metadata: ["seed": "\(seed)"])
                let now = Date()
                send(
                    .demoLoaded(
                        try store.loadDemo(
                            seed: seed, signals: Store.demoDefaultSignals, listings: Store.demoDefaultListings, today: Day.number(now), now: now, reset: true)))
            case .clearDemo:
                try store.clearDemo()
                send(.demoCleared)
            case .importListings(let path, let strings):
                send(.listingsImported(path: path, try ListingFiles.importFile(path, into: store, strings: strings, now: Date())))
            case .exportDrafts(let path):
                let format = ListingFile.format(forPath: path) ?? .csv
                send(.draftsExported(path: path, count: try ListingFiles.export(from: store, format: format, to: path).count))
            case .sync:
                runSync()
            case .refreshTrends(let olderThan):
                guard let feeds = trendFeeds else { return send(.trendsRefreshed([])) }
                let now = Date()
                if let olderThan, let last = try feeds.lastRefresh(), now.timeIntervalSince(last) < olderThan { return send(.trendsRefreshed([])) }
                send(.trendsRefreshed(feeds.refresh(now: now, cancel: trendsCancel)))
            case .exportTrends(let path, let window, let region, let sort, let filter, let category):
                let count = try store.trendingCount(window: window, region: region, filter: filter, category: category)
                let rows = try store.trending(window: window, region: region, offset: 0, limit: max(1, count), sort: sort, filter: filter, category: category)
                try TrendFile.summaryCSV(rows).write(to: URL(fileURLWithPath: path), options: .atomic)
                send(.trendsExported(path: path, count: rows.count))
            case .runScheduler(let settings, let zone, let region, let strings):
                let now = Date(), calendar = Formats.calendar(in: zone)
                let made = try store.runScheduler(SchedulerContext(now: now, calendar: calendar, settings: settings, plan: plan, region: region))
                send(.notificationsCreated(made, next: Schedule.next(after: now, settings: settings, calendar: calendar)))
                if settings.email, let mailer, !made.isEmpty {
                    network.submit { self.email(made, strings: strings, mailer: mailer) }
                }
            case .screenJob(let job):
                try job.perform(self)
            case .terminal:
                break
            }
        } catch {
            log.error("effect failed", metadata: ["effect": "\(String(describing: effect).prefix(300))", "error": "\(error)"])
            send(.failed(EffectFailure(screen: effect.screen, detail: "\(error)", retry: effect)))
        }
    }
}

/// A few threads that sleep on a condition until work comes. Unlike libdispatch's global
/// queues on Linux (whose pool monitor ticks every second), an idle pool never wakes up.
final class Workers: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var running = 0

    init(name: String, threads: Int) {
        for i in 0..<threads {
            // The threads keep the pool alive: they sleep for the life of the process.
            let thread = Thread { self.loop() }
            thread.name = "\(name).\(i)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        // Broadcast: `waitUntilIdle` waits on the same condition and must not take the wake-up.
        condition.broadcast()
        condition.unlock()
    }

    var isIdle: Bool {
        condition.lock()
        defer { condition.unlock() }
        return jobs.isEmpty && running == 0
    }

    func waitUntilIdle() {
        condition.lock()
        while !jobs.isEmpty || running > 0 { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            running += 1
            condition.unlock()
            job()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// The cancel flags of the requests under way, by request number.
final class CancelFlags: @unchecked Sendable {
    private let lock = NSLock()
    private var flags: [Int: CancelFlag] = [:]

    func register(_ request: Int) {
        lock.withLock { flags[request] = CancelFlag() }
    }

    func flag(_ request: Int) -> CancelFlag {
        lock.withLock { flags[request] ?? CancelFlag() }
    }

    func cancel(_ request: Int) {
        lock.withLock { flags[request]?.cancel() }
    }

    func remove(_ request: Int) {
        lock.withLock { flags[request] = nil }
    }

    func cancelAll() {
        lock.withLock { flags.values.forEach { $0.cancel() } }
    }
}

/// One connect attempt: its cancel flag and the redirect address the user pasted, if any.
final class ConnectSession: @unchecked Sendable {
    let cancel = CancelFlag()
    private let lock = NSLock()
    private var pasted: String?

    func paste(_ address: String) { lock.withLock { pasted = address } }

    /// The pasted address, once.
    func takePasted() -> String? {
        lock.withLock {
            defer { pasted = nil }
            return pasted
        }
    }
}

/// A value several threads swap and read under a lock.
final class Current<T: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var current: T?

    var value: T? { lock.withLock { current } }

    /// Puts `new` in place; the one it replaces.
    func replace(with new: T?) -> T? {
        lock.withLock {
            defer { current = new }
            return current
        }
    }
}

/// A value several threads read and one replaces, under a lock.
final class Shared<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Lets something through at most once per interval.
final class Throttle: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: TimeInterval
    private var last = Date.distantPast
    init(interval: TimeInterval) { self.interval = interval }

    func allows(_ now: Date) -> Bool {
        lock.withLock {
            guard now.timeIntervalSince(last) >= interval else { return false }
            last = now
            return true
        }
    }
}
