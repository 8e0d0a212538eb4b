import Foundation
import Logging
import PODCore
import PODStore

/// Runs effects off the UI thread and answers with actions through `send`. Reads run on two
/// threads; writes (demo load and clear) on one, in order.
public final class EffectRunner: Sendable {
    let store: Store
    let send: @Sendable (Action) -> Void
    let calendar: Calendar
    private let reads = Workers(name: "podpusher.read", threads: 2)
    private let writes = Workers(name: "podpusher.write", threads: 1)
    private let log = Logger(label: "podpusher.effects")

    public init(store: Store, calendar: Calendar, send: @escaping @Sendable (Action) -> Void) {
        self.store = store
        self.calendar = calendar
        self.send = send
    }

    public func run(_ effect: Effect) {
        switch effect {
        case .quit, .suspend:
            return // the terminal's own business: the composition root does these
        case .loadDemo, .clearDemo:
            writes.submit { self.perform(effect) }
        default:
            reads.submit { self.perform(effect) }
        }
    }

    /// Does one effect synchronously and sends its answer (used directly by tests and `bench`).
    public func perform(_ effect: Effect) {
        do {
            switch effect {
            case .loadDashboard(let window, let region):
                send(.dashboardLoaded(try store.dashboard(window: window, region: region, limit: 20, now: Date(), calendar: calendar)))
            case .loadListings(let g, let page, let sort, let filter, let withCount):
                let size = Paged<ListingRow>.pageSize
                let (rows, total) = try store.listingsPage(offset: page * size, limit: size, sort: sort, filter: filter, withCount: withCount)
                send(.listingsLoaded(generation: g, page: page, rows: rows, total: total))
            case .loadTrends(let g, let page, let window, let region, let sort, let filter, let withCount):
                let size = Paged<KeywordTrend>.pageSize
                let (rows, total) = try store.trendingPage(window: window, region: region, offset: page * size, limit: size,
                                                           sort: sort, filter: filter, withCount: withCount)
                send(.trendsLoaded(generation: g, page: page, rows: rows, total: total))
            case .loadDemo(let seed):
                log.info("loading the demo workspace", metadata: ["seed": "\(seed)"])
                let now = Date()
                send(.demoLoaded(try store.loadDemo(seed: seed, signals: Store.demoDefaultSignals, listings: Store.demoDefaultListings, today: Day.number(now), now: now, reset: true)))
            case .clearDemo:
                try store.clearDemo()
                send(.demoCleared)
            case .quit, .suspend:
                break
            }
        } catch {
            log.error("effect failed", metadata: ["effect": "\(effect)", "error": "\(error)"])
            send(.failed("\(error)"))
        }
    }
}

/// A few threads that sleep on a condition until work comes. Unlike libdispatch's global
/// queues on Linux (whose pool monitor ticks every second), an idle pool never wakes up.
final class Workers: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    init(name: String, threads: Int) {
        for i in 0..<threads {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "\(name).\(i)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
