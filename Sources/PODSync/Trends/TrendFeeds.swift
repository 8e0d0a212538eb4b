import Foundation
import Logging
import PODCore
import PODStore

/// `[trends]` of config.toml.
public struct TrendSettings: Sendable, Equatable {
    /// The RSS feed per region; `{region}` is replaced by the region's code.
    public var rssURL = "https://trends.google.com/trending/rss?geo={region}"
    public var regions: [String] = ["US"]
    /// Keywords whose Etsy active-listing counts (competition) are fetched, beside the primary
    /// keywords of the seller's drafts.
    public var watch: [String] = []
    /// The UI refreshes in the background when the last refresh is older (0: never).
    public var autoRefreshHours = 0.0
    public init() {}
}

/// What one source of a refresh did.
public struct TrendSourceReport: Sendable, Equatable, Codable {
    public var source: String
    /// Items read, signals written, items that could not be read, items left out (and sources
    /// skipped while their breaker is open).
    public var collected = 0
    public var persisted = 0
    public var failed = 0
    public var skipped = 0
    public var error: String?
    public init(source: String) { self.source = source }
}

/// The public trend feeds (DESIGN.md §4): an RSS trend feed per region (Google Trends' daily
/// RSS by default), and Etsy's active-listing counts for watched keywords (demand against
/// competition). Every signal keeps its provenance. A source that fails three refreshes in a
/// row is left out for six hours (its breaker, kept in the store so it holds across runs).
public final class TrendFeeds: Sendable {
    let store: Store
    let transport: HTTPTransport
    let settings: TrendSettings
    let etsy: EtsySettings?
    private let log = Logger(label: "podpusher.trends")
    public static let breakerThreshold = 3
    public static let breakerPause: TimeInterval = 6 * 3600

    public init(store: Store, transport: HTTPTransport, settings: TrendSettings, etsy: EtsySettings?) {
        self.store = store
        self.transport = transport
        self.settings = settings
        self.etsy = etsy
    }

    /// When the last refresh ran (nil: never).
    public func lastRefresh() throws -> Date? {
        try store.syncCursor(provider: "trends", resource: "last_refresh").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }

    /// Reads every source once and writes what they gave (the keyword summary is rebuilt).
    public func refresh(now: Date, cancel: CancelFlag? = nil) -> [TrendSourceReport] {
        var reports: [TrendSourceReport] = []
        var signals: [TrendSignal] = []
        for region in settings.regions {
            let name = "rss:\(region)"
            reports.append(
                guarded(name, now: now) { report in
                    let got = try rss(region: region, now: now, cancel: cancel, report: &report)
                    report.persisted = got.count
                    signals += got
                })
        }
        if let etsy {
            reports.append(
                guarded("etsy-active-listings", now: now) { report in
                    let got = try activeListingCounts(etsy, now: now, cancel: cancel, report: &report)
                    report.persisted = got.count
                    signals += got
                })
        }
        do {
            _ = try store.importSignals { insert in try signals.forEach(insert) }
            try store.setSyncCursor(provider: "trends", resource: "last_refresh", cursor: String(now.timeIntervalSince1970), now: now)
        } catch {
            for i in reports.indices {
                reports[i].persisted = 0
                reports[i].error = reports[i].error ?? "the store failed: \(error)"
            }
        }
        log.info("trend refresh", metadata: ["sources": "\(reports.map { "\($0.source)=\($0.persisted)/\($0.collected)" })"])
        return reports
    }

    /// Runs one source under its breaker: skipped while open; a failure counts, a success resets.
    private func guarded(_ source: String, now: Date, _ body: (inout TrendSourceReport) throws -> Void) -> TrendSourceReport {
        var report = TrendSourceReport(source: source)
        let key = "breaker:" + source
        let state = (try? store.syncCursor(provider: "trends", resource: key)).flatMap { $0 }.map { $0.split(separator: ",").compactMap { Double($0) } } ?? []
        let failures = state.first.map(Int.init) ?? 0, openUntil = state.count > 1 ? state[1] : 0
        if openUntil > now.timeIntervalSince1970 {
            report.skipped = 1
            report.error = "paused after \(failures) failed refreshes until \(Date(timeIntervalSince1970: openUntil))"
            return report
        }
        do {
            try body(&report)
            try? store.setSyncCursor(provider: "trends", resource: key, cursor: "0,0", now: now)
        } catch {
            report.error = "\(error)"
            let n = failures + 1
            let until = n >= Self.breakerThreshold ? now.timeIntervalSince1970 + Self.breakerPause : 0
            try? store.setSyncCursor(provider: "trends", resource: key, cursor: "\(n),\(until)", now: now)
        }
        return report
    }

    private func fetch(_ url: String, headers: [HTTPHeader] = [], cancel: CancelFlag?) throws -> HTTPResponse {
        let response = try transport.send(HTTPRequest(url: url, headers: headers, timeout: 20, maxResponseBytes: ResponseLimit.feed), cancel: cancel)
        if let error = ProviderError.from(response, fields: []) { throw error }
        return response
    }

    func rss(region: String, now: Date, cancel: CancelFlag?, report: inout TrendSourceReport) throws -> [TrendSignal] {
        let url = settings.rssURL.replacingOccurrences(of: "{region}", with: region)
        let response = try fetch(url, cancel: cancel)
        let items: [RSS.Item]
        do {
            items = try RSS.items(response.body)
        } catch .notRSS {
            throw ProviderError.malformed("\(url) is not an RSS feed")
        } catch .unreadable(let why) {
            throw ProviderError.malformed("\(url): \(why)")
        }
        report.collected = items.count
        var out: [TrendSignal] = []
        for item in items {
            guard let volume = item.traffic.flatMap(RSS.traffic) else {
                report.failed += 1
                continue
            }
            let day = item.published.flatMap(RSS.date).map(Day.number) ?? Day.number(now)
            out.append(
                TrendSignal(
                    keyword: item.title.lowercased(), region: region, day: day, volume: volume, competition: nil,
                    provenance: Provenance(
                        source: "rss-trends", method: "RSS approx_traffic (\(url))", fetchedAt: now,
                        confidence: 0.5, isEstimate: true),
                    isDemo: false))
        }
        return out
    }

    /// `GET /listings/active?keywords=K&limit=1` per keyword: its `count` is the competition.
    func activeListingCounts(_ etsy: EtsySettings, now: Date, cancel: CancelFlag?, report: inout TrendSourceReport) throws -> [TrendSignal] {
        var keywords: [String] = []
        let watched = (try? store.watchedKeywords(limit: 25)) ?? []
        for k in settings.watch + watched + ((try? store.draftKeywords(limit: 25)) ?? []) {
            let k = k.trimmingWhitespace().lowercased()
            if !k.isEmpty && !keywords.contains(k) { keywords.append(k) }
        }
        let limiter = RateLimiter(perSecond: 5)
        var out: [TrendSignal] = []
        var lastError: Error?
        for keyword in keywords.prefix(50) {
            report.collected += 1
            Thread.sleep(forTimeInterval: limiter.reserve(now: Date()))
            do {
                let url = etsy.apiBaseURL + "/listings/active?limit=1&keywords=" + HTTPRequest.formEncode(keyword)
                let response = try fetch(url, headers: [HTTPHeader("x-api-key", "\(etsy.clientID):\(etsy.sharedSecret)")], cancel: cancel)
                guard let count = (response.jsonObject?["count"] as? NSNumber)?.doubleValue, (0...Checked.maxCount).contains(count) else {
                    throw ProviderError.malformed("no count of 0 to \(Int(Checked.maxCount)) in the answer")
                }
                out.append(
                    TrendSignal(
                        keyword: keyword, region: settings.regions.first ?? "US", day: Day.number(now), volume: 0, competition: count,
                        provenance: Provenance(
                            source: "etsy-active-listings", method: "GET /listings/active count", fetchedAt: now,
                            confidence: 0.9, isEstimate: false),
                        isDemo: false))
            } catch {
                report.failed += 1
                lastError = error
            }
        }
        // Every keyword failing is the source failing (its breaker counts it).
        if let lastError, report.failed == report.collected { throw lastError }
        if let lastError { report.error = "\(lastError)" }
        return out
    }
}
