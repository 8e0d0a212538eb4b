import Foundation
import PODStore
import Testing

@testable import PODApp
@testable import PODCore

final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var actions: [Action] = []
    func add(_ a: Action) {
        lock.lock()
        actions.append(a)
        lock.unlock()
    }
    var all: [Action] {
        lock.lock()
        defer { lock.unlock() }
        return actions
    }
}

@Suite struct EffectRunnerTests {
    @Test func effectsAnswerWithActionsFromTheStore() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("runner-\(UUID().uuidString)")
        let store = try Store(dataDirectory: dir)
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!)) { received.add($0) }
        runner.perform(.loadDemo(seed: 3))
        runner.perform(.loadDashboard(window: .days30, region: "US"))
        runner.perform(.job(ListingsScreen.self, .load(generation: 7, page: 1, sort: .price, filter: "", withCount: true)))
        runner.perform(
            .job(TrendsScreen.self, .load(generation: 2, page: 0, window: .days7, region: "US", sort: .growth, filter: "", category: nil, withCount: false)))
        let actions = received.all
        guard actions.count == 5 else {
            Issue.record("\(actions)")
            return
        }
        guard case .demoLoaded(let summary) = actions[0] else {
            Issue.record("\(actions[0])")
            return
        }
        #expect(summary.listings == Store.demoDefaultListings)
        guard case .dashboardLoaded(let d) = actions[1] else {
            Issue.record("\(actions[1])")
            return
        }
        #expect(d.isDemo && !d.trending.isEmpty)
        // The page comes first, then the same rows with the count.
        guard case .loaded(let g0, let page0, let rows0, let noCount)? = message(actions[2], ListingsScreen.self) else {
            Issue.record("\(actions[2])")
            return
        }
        #expect(g0 == 7 && page0 == 1 && noCount == nil)
        guard case .loaded(let g, let page, let rows, let total)? = message(actions[3], ListingsScreen.self) else {
            Issue.record("\(actions[3])")
            return
        }
        #expect(g == 7 && page == 1 && rows.count == 100 && rows == rows0 && total == Store.demoDefaultListings)
        #expect(rows.map(\.priceCents) == rows.map(\.priceCents).sorted())
        guard case .loaded(_, _, let trends, let none)? = message(actions[4], TrendsScreen.self) else {
            Issue.record("\(actions[4])")
            return
        }
        #expect(!trends.isEmpty && none == nil)
    }

    @Test func theTrendsTableExportsEveryRowOfItsViewAsCSV() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("runner-\(UUID().uuidString)")
        let store = try Store(dataDirectory: dir)
        _ = try store.loadDemo(seed: 3, signals: 20_000, listings: 10, today: Day.number(Date()), now: Date(), reset: false)
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!)) { received.add($0) }
        let path = dir.appendingPathComponent("trends.csv").path
        runner.perform(.exportTrends(path: path, window: .days30, region: "US", sort: .volume, filter: "cat", category: nil))
        let expected = try store.trendingCount(window: .days30, region: "US", filter: "cat")
        #expect(expected > 0 && received.all == [.trendsExported(path: path, count: expected)])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "keyword,region,window_days,volume,growth,demo" && lines.count == expected + 1)
        let volumes = lines.dropFirst().map { Double($0.split(separator: ",")[3])! }
        #expect(volumes == volumes.sorted(by: >), "in the table's order")
        #expect(lines.dropFirst().allSatisfy { $0.contains("cat") && $0.hasSuffix(",1") && $0.contains(",US,30,") })
    }

    @Test func aStoreErrorBecomesAFailedAction() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("runner-\(UUID().uuidString)")
        let store = try Store(dataDirectory: dir)
        try store.write { try $0.execute(sql: "DROP TABLE listings") }
        let received = Received()
        let runner = EffectRunner(store: store, calendar: .current) { received.add($0) }
        runner.perform(.job(ListingsScreen.self, .load(generation: 0, page: 0, sort: .updated, filter: "", withCount: true)))
        guard case .failed(let failure) = received.all.first else {
            Issue.record("\(received.all)")
            return
        }
        #expect(failure.detail.contains("listings") && failure.screen == .listings)
    }
}

@Suite struct EffectLaneTests {
    /// Writes go to the one writer, reads to the pool, provider calls to the network: the lane is
    /// the effect's own (a write missing from a list kept beside them ran on the read pool).
    @Test func eachEffectSaysItsLane() {
        #expect(Effect.job(ComposerScreen.self, .saveDraft(ListingDraft())).lane == .write)
        #expect(Effect.job(ComposerScreen.self, .queueDraft(ListingDraft(), provider: .etsy)).lane == .write)
        #expect(Effect.job(ComposerScreen.self, .writeCopy(request: 1, draft: ListingDraft())).lane == .network)
        #expect(Effect.job(SearchScreen.self, .markKeyword(keyword: "k", region: "US", saved: true, watched: false)).lane == .write)
        #expect(Effect.job(SearchScreen.self, .loadMemory(window: .days30, region: "US")).lane == .read)
        #expect(Effect.job(ComposerScreen.self, .loadDrafts(generation: 0, page: 0, sort: .updated, filter: "", withCount: false)).lane == .read)
        #expect(Effect.refreshTrends(ifOlderThan: nil).lane == .network && Effect.sync.lane == .sync)
        #expect(Effect.quit.lane == .terminal && Effect.job(IntegrationsScreen.self, .cancelConnect).lane == .immediate)
    }
}
