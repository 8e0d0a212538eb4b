import Foundation
import GRDB
import PODCore
import XCTest

@testable import PODStore
@testable import PODSync

final class TrendFeedsTests: XCTestCase {
    var f: SyncFixture!
    override func setUpWithError() throws { f = try SyncFixture() }
    override func tearDown() { f = nil }

    func feeds(regions: [String] = ["US", "GB"], watch: [String] = ["cat mug"], etsy: Bool = true) throws -> TrendFeeds {
        var settings = TrendSettings()
        settings.rssURL = f.server.base + "/rss?geo={region}"
        settings.regions = regions
        settings.watch = watch
        return TrendFeeds(
            store: f.store, transport: CurlTransport(), settings: settings,
            etsy: etsy ? try EtsySettings(f.settings["etsy"]!) : nil)
    }

    let now = Date(timeIntervalSince1970: 1_795_780_800)  // 2026-11-27 12:00 UTC

    func signals() throws -> [(String, String, Int, Double, Double?, String, Bool)] {
        try f.store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT k.keyword, k.region, s.day, s.volume, s.competition, s.source, s.is_estimate FROM trend_signals s
                    JOIN keywords k ON k.id = s.keyword_id ORDER BY k.region, k.keyword, s.source
                    """
            ).map { ($0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[6]) }
        }
    }

    func testEachRegionsFeedAndEtsyCountsAreStoredWithTheirProvenance() throws {
        var d = ListingDraft()
        d.keyword = "Retro Cat"
        _ = try f.store.saveDraft(d, now: now)
        try f.store.markKeyword("Frog Hoodie", region: "US", saved: false, watched: true, now: now)
        try f.store.markKeyword("only saved", region: "US", saved: true, watched: false, now: now)
        let reports = try feeds().refresh(now: now)
        XCTAssertEqual(reports.map(\.source), ["rss:US", "rss:GB", "etsy-active-listings"])
        XCTAssertEqual(reports[0].collected, 4)
        XCTAssertEqual(reports[0].persisted, 3)
        XCTAssertEqual(reports[0].failed, 1, "the item without approx_traffic")
        XCTAssertEqual(reports[2].collected, 3)
        XCTAssertEqual(reports[2].persisted, 3)
        XCTAssertTrue(reports.allSatisfy { $0.error == nil }, "\(reports)")
        let rows = try signals()
        let us = rows.filter { $0.1 == "US" && $0.5 == "rss-trends" }
        XCTAssertEqual(us.map(\.0), ["cat mug & tea", "retro cat shirt", "thanksgiving us"])
        XCTAssertEqual(us.map(\.3), [20_000, 5_000, 200_000])
        XCTAssertEqual(us[0].2, TrendFile.parseDay("2026-11-27"), "Thu 26 Nov 20:00 -0800 is the 27th in UTC")
        XCTAssertTrue(us.allSatisfy { $0.6 }, "feed traffic is an estimate")
        let counts = rows.filter { $0.5 == "etsy-active-listings" }
        XCTAssertEqual(counts.map(\.0), ["cat mug", "frog hoodie", "retro cat"], "configured, on the watchlist, of a draft")
        XCTAssertTrue(counts.allSatisfy { $0.4 != nil && !$0.6 })
        XCTAssertEqual(try feeds().lastRefresh(), now)
        // The keyword summary has them: the trends screen shows real rows.
        XCTAssertEqual(
            try f.store.trending(window: .days7, region: "GB", offset: 0, limit: 10).map(\.keyword).sorted(),
            ["cat mug & tea", "retro cat shirt", "thanksgiving gb"])
    }

    func testAFeedThatIsNotRSSFailsAloneAndThreeFailuresPauseIt() throws {
        try f.server.control(["rss": ["faults": ["not_rss", "503", "not_rss"]]])
        let feeds = try self.feeds(regions: ["US"], etsy: false)
        for n in 1...3 {
            let r = feeds.refresh(now: now.addingTimeInterval(Double(n)))[0]
            XCTAssertEqual(r.persisted, 0)
            XCTAssertNotNil(r.error, "refresh \(n)")
        }
        let paused = feeds.refresh(now: now.addingTimeInterval(5))[0]
        XCTAssertEqual(paused.skipped, 1)
        XCTAssertTrue(paused.error?.contains("paused after 3 failed refreshes") == true, paused.error ?? "")
        XCTAssertEqual(try XCTUnwrap(f.server.state()["rss"] as? [String: Any])["calls"] as? Int, 3, "no call while paused")
        // After the pause it is read again.
        let back = feeds.refresh(now: now.addingTimeInterval(TrendFeeds.breakerPause + 10))[0]
        XCTAssertEqual(back.persisted, 3)
        XCTAssertNil(back.error)
    }

    /// A hostile feed: 20,000 items with attributes (quadratic for a string scanner), a NaN and
    /// an overflowing traffic, an entity declaration, an escape in a title — read in linear time,
    /// the bad items counted as failed, nothing crashing; then a gzip bomb, stopped at the
    /// feed's limit with memory bounded.
    func testAHostileFeedIsReadLinearlyAndItsBadItemsAloneFail() throws {
        try f.server.control(["rss": ["faults": ["hostile", "bomb"]]])
        let feeds = try self.feeds(regions: ["US"], etsy: false)
        let start = Date()
        let r = feeds.refresh(now: now)[0]
        // (Most of this is the store taking 20,000 new keywords in a debug build.)
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
        XCTAssertNil(r.error)
        XCTAssertEqual(r.failed, 2, "the NaN and the overflowing traffic")
        // The escape character is not XML: the reader stops there, keeping what came before.
        XCTAssertGreaterThanOrEqual(r.persisted, 19_900)
        XCTAssertTrue(try signals().allSatisfy { $0.3.isFinite && $0.3 <= Checked.maxCount })
        let before = peakResidentMiB()
        let bomb = feeds.refresh(now: now.addingTimeInterval(60))[0]
        XCTAssertEqual(bomb.persisted, 0)
        XCTAssertTrue(bomb.error?.contains("larger than") == true, bomb.error ?? "")
        XCTAssertLessThan(peakResidentMiB() - before, 64)
    }

    func testTheFeedReaderIsLinear() throws {
        func feed(_ n: Int) -> Data {
            Data(
                ("<rss><channel>"
                    + (0..<n).map { "<item id=\"\($0)\" a=\"b\"><title>k \($0)</title><ht:approx_traffic>\($0)+</ht:approx_traffic></item>" }.joined()
                    + "</channel></rss>").utf8)
        }
        let small = feed(2_000), large = feed(40_000)
        var start = Date()
        XCTAssertEqual(try RSS.items(small).count, 2_000)
        let t1 = Date().timeIntervalSince(start)
        start = Date()
        XCTAssertEqual(try RSS.items(large).count, 40_000)
        let t2 = Date().timeIntervalSince(start)
        // Twenty times the items: well under 400 times the time (quadratic), under 3 s at all.
        XCTAssertLessThan(t2, 3)
        XCTAssertLessThan(t2, max(t1, 0.005) * 100)
        // An entity declared to expand is not expanded; an external one is not fetched.
        let entities =
            "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss><channel><item><title>t&b;&x;</title></item></channel></rss>"
        XCTAssertEqual(try RSS.items(entities).map(\.title), ["t"])
    }

    func testRSSExtraction() throws {
        let xml =
            "<rss><channel><item><title>A &amp; B &#233;t&#xE9;</title><ht:approx_traffic>1.5M+</ht:approx_traffic></item><item><title></title></item></channel></rss>"
        XCTAssertEqual(try RSS.items(xml), [RSS.Item(title: "A & B été", traffic: "1.5M+", published: nil)])
        XCTAssertEqual(RSS.traffic("1.5M+"), 1_500_000)
        XCTAssertEqual(RSS.traffic("2K+"), 2_000)
        XCTAssertNil(RSS.traffic("lots"))
        XCTAssertNil(RSS.traffic("nan"))
        XCTAssertNil(RSS.traffic("99999999999999999999+"))
        XCTAssertNil(RSS.traffic("inf"))
        // Foundation's DateFormatter stopped the program on a combining mark in a month's name
        // (found by make fuzz; Tests/Fuzz/crashers/rss).
        XCTAssertNil(RSS.date("Thu, 25\u{5B1}ov 2026 20:00:00 -0800"))
        XCTAssertNotNil(RSS.date("Thu, 26 Nov 2026 20:00:00 -0800"))
        // Atom entries, CDATA, the first title kept.
        let atom = "<feed><entry><title><![CDATA[ Cat Mug ]]></title><title>second</title><published>2026-11-27T08:00:00Z</published></entry></feed>"
        XCTAssertEqual(try RSS.items(atom), [RSS.Item(title: "Cat Mug", traffic: nil, published: "2026-11-27T08:00:00Z")])
        XCTAssertThrowsError(try RSS.items("<html></html>"))
    }
}
