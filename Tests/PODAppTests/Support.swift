import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The checkout's root, for the shipped Locales/ and Themes/.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shipped = ShippedResources(folder: repoRoot)
let fixedNow = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

func makeState(
    width: Int = 120, height: Int = 40, language: String = "en", screen: ScreenID = .dashboard,
    theme: String = "dark", noColor: Bool = false
) throws -> AppState {
    let strings = try Localizer.load(language: language, from: shipped)
    var th = try ThemeLoader.load(name: theme, userDirectory: nil, shipped: shipped)
    if noColor { th = th.withoutColor() }
    let formats = Formats(language: language, currency: "USD", timeZone: TimeZone(identifier: "UTC")!)
    return AppState(
        width: width, height: height, screen: screen, now: fixedNow, strings: strings, formats: formats,
        theme: th, keymap: .standard, region: "US", plan: .free)
}

/// A dashboard with fixed, made-up-for-the-test rows (the test's own data, not the app's).
func sampleDashboard(empty: Bool = false, demo: Bool = true) -> DashboardData {
    let day = Day.number(fixedNow)
    var trending: [KeywordTrend] = []
    for i in 0..<(empty ? 0 : 12) {
        let series: [Double] = (0..<30).map { (d: Int) -> Double in Double((d * (i + 3)) % 17) }
        let growth: Double = 0.5 - Double(i) * 0.05
        trending.append(
            KeywordTrend(
                keyword: "keyword \(i)", region: "US", window: .days30, volume: Double(1_000 * (12 - i)),
                growth: growth, series: series, isDemo: demo))
    }
    let drafts = empty ? [] : (0..<3).map { DraftSummary(id: Int64($0), title: "Draft \($0)", state: "draft", updatedAt: fixedNow, isDemo: demo) }
    let notes = empty ? [] : [NotificationItem(id: 1, title: "Demo workspace loaded", body: "", createdAt: fixedNow, isRead: false, isDemo: demo)]
    return DashboardData(
        window: .days30, trendsAsOf: empty ? nil : day, trending: trending, recentDrafts: drafts,
        queue: QueueCounts(pending: empty ? 0 : 2, failed: empty ? 0 : 1),
        connections: [
            ConnectionInfo(provider: "etsy", state: .notConnected, accountName: nil, expiresAt: nil, lastError: nil),
            ConnectionInfo(provider: "printify", state: .notConnected, accountName: nil, expiresAt: nil, lastError: nil),
        ],
        notifications: notes, unreadNotifications: notes.count, listingsUsedThisMonth: empty ? 0 : 3,
        hasSignals: !empty, hasListings: !empty, hasDrafts: !drafts.isEmpty, isDemo: demo && !empty)
}

func sampleListings(page: Int, count: Int = 100) -> [ListingRow] {
    (0..<count).map { i in
        let n = page * 100 + i
        return ListingRow(
            id: Int64(n), title: "Listing \(n)", provider: n % 2 == 0 ? "etsy" : "printify", state: "active",
            priceCents: 1_000 + n, currency: "USD", quantity: 1, views: n, updatedAt: fixedNow, isDemo: false)
    }
}

/// Runs keys through the reducer and returns every effect they asked for.
@discardableResult
func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { reduce(&s, .key($0)) }
}

func typeText(_ s: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { reduce(&s, .key(.char($0))) }
}

/// What is inside the boxes of the screen (a pane's lines, wrapped at spaces) as one line.
func boxedText(_ s: AppState) -> String {
    view(s).text().split(separator: "\n").compactMap { line -> String? in
        guard let a = line.firstIndex(of: "│"), let b = line.lastIndex(of: "│"), a < b else { return nil }
        return line[line.index(after: a)..<b].trimmingCharacters(in: .whitespaces)
    }.joined(separator: " ")
}

/// The message inside an action when it is one of `module`'s.
func message<M: ScreenModule>(_ action: Action?, _ module: M.Type) -> M.Message? {
    guard case .screenMessage(let m)? = action else { return nil }
    return m.value as? M.Message
}

/// The job inside an effect when it is one of `module`'s.
func job<M: ScreenModule>(_ effect: Effect?, _ module: M.Type) -> M.Job? {
    guard case .screenJob(let j)? = effect else { return nil }
    return j.value as? M.Job
}

/// A store in a temporary folder (removed by the caller) with one live Etsy listing pulled from
/// the shop, its fields those of `complete()`.
func storeWithEtsyListing(_ name: String, now: Date = Date()) throws -> (store: Store, dir: URL) {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(name)-\(UUID().uuidString)")
    let store = try Store(dataDirectory: dir)
    let content = complete(ListingDraft())
    _ = try store.mergePulledListings(
        provider: .etsy,
        [
            RemoteListing(
                providerListingID: "900000001", shopID: "5550001", title: content.title, state: "active", priceCents: content.priceCents ?? 1_999,
                currency: "USD", quantity: 5, views: 10, favorites: 1, updatedAt: now, content: content)
        ], now: now)
    return (store, dir)
}
