import Foundation
import Testing

@testable import PODCore
@testable import PODStore

/// The scheduler with an injected clock: digests on time in the user's zone, catch-up after
/// days away with one of each, never a duplicate, alerts by state.
@Suite struct SchedulerTests {
    let berlin = Calendar.in("Europe/Berlin")

    func context(_ epoch: Double, settings: NotificationSettings = NotificationSettings(), plan: PlanTier = .free) -> SchedulerContext {
        SchedulerContext(now: Date(timeIntervalSince1970: epoch), calendar: berlin, settings: settings, plan: plan, region: "US")
    }

    func store() throws -> Store {
        let store = try Store(dataDirectory: temporaryDirectory())
        let p = Provenance(source: "test", method: "fixed", fetchedAt: now, confidence: 1, isEstimate: false)
        let day = Day.number(2026, 11, 22)
        _ = try store.importSignals { insert in
            for d in 0..<14 {
                try insert(
                    TrendSignal(keyword: "frog shirt", region: "US", day: day - d, volume: d < 7 ? 50 : 10, competition: nil, provenance: p, isDemo: false))
                try insert(TrendSignal(keyword: "cat mug", region: "US", day: day - d, volume: d < 7 ? 20 : 10, competition: nil, provenance: p, isDemo: false))
            }
        }
        return store
    }

    @Test func theWeeklyDigestArrivesOnceOnTimeInTheUsersZone() throws {
        let s = try store()
        #expect(try s.runScheduler(context(1_795_176_000)).isEmpty, "the first run only sets the clock (Fri 20 Nov)")
        // Monday 09:00 in Berlin is 08:00 UTC: a minute before, nothing.
        #expect(try s.runScheduler(context(1_795_420_740)).filter { $0.kind == "weekly_digest" }.isEmpty)
        let made = try s.runScheduler(context(1_795_420_800))
        let digest = try #require(made.first { $0.kind == "weekly_digest" })
        #expect(digest.title == "notify.weekly_digest" && digest.subject == "screen:trends")
        #expect(digest.body.contains(#""keywords":"frog shirt, cat mug""#) && digest.body.contains(#""count":"2""#))
        #expect(try s.runScheduler(context(1_795_422_600)).isEmpty, "half an hour later: nothing again")
        #expect(try s.notifications(limit: 50).filter { $0.kind == "weekly_digest" }.count == 1)
    }

    @Test func aStartAfterWeeksAwayCatchesUpWithOneOfEachNeverMore() throws {
        let s = try store()
        var settings = NotificationSettings()
        settings.launchDigestHour = 8
        try s.runScheduler(context(1_795_176_000, settings: settings))  // Fri 20 Nov
        // Closed until Wed 16 Dec: three Mondays, a new month, a fortnight of launch mornings passed.
        let made = try s.runScheduler(context(1_797_415_200, settings: settings))
        #expect(made.filter { $0.kind == "weekly_digest" }.count == 1, "the latest digest only")
        #expect(made.filter { $0.kind == "launch_digest" }.count == 1)
        #expect(made.filter { $0.kind == "quota_reset" }.count == 1)
        // Events whose launch window opened while away: New Year's (30 days ahead: 2 Dec), not
        // Valentine's Day (45 days ahead: 31 Dec).
        let seasons = made.filter { $0.kind == "seasonal" }.map(\.body)
        #expect(seasons == [#"{"days":"16","event":"event.new_year"}"#], "\(seasons)")
        // The same instant again, or a second process that never saw the first run: nothing new.
        #expect(try s.runScheduler(context(1_797_415_200, settings: settings)).isEmpty)
        try s.write { try $0.execute(sql: "UPDATE scheduler_runs SET last_run = 1795176000") }
        #expect(try s.runScheduler(context(1_797_415_200, settings: settings)).isEmpty, "dedupe keys: never twice")
    }

    @Test func theQuotaResetIsAtMidnightWhereTheUserIs() throws {
        let s = try store()
        try s.runScheduler(context(1_796_081_400 - 3_600))  // 30 Nov 23:30 Berlin
        // 30 Nov 23:30 UTC is already 1 December 00:30 in Berlin.
        let made = try s.runScheduler(context(1_796_081_400))
        #expect(made.first { $0.kind == "quota_reset" }?.body == #"{"plan":"plan.free"}"#)
    }

    @Test func quotaAlertsAndLapsingTokensAreCheckedEachRunOncePerOccasion() throws {
        let s = try store()
        let t = 1_795_420_800.0, calendar = berlin
        for _ in 0..<8 {
            _ = try s.consume(.listings, plan: .free, reason: "publish:etsy", subject: nil, now: Date(timeIntervalSince1970: t), calendar: calendar)
        }
        try s.recordConnection(provider: "etsy", state: .connected, expiresAt: Date(timeIntervalSince1970: t + 5 * 3_600), now: Date(timeIntervalSince1970: t))
        let made = try s.runScheduler(context(t))
        let alert = try #require(made.first { $0.kind == "quota_alert" })
        #expect(alert.body.contains(#""percent":"80""#) && alert.subject == "screen:quotas")
        #expect(made.first { $0.kind == "token_expiry" }?.body.contains(#""hours":"5""#) == true)
        #expect(try s.runScheduler(context(t + 60)).isEmpty, "once per month and per lapse")
        // A higher threshold is a new occasion; below it, nothing.
        var higher = NotificationSettings()
        higher.quotaAlertPercent = 90
        #expect(try s.runScheduler(context(t + 120, settings: higher)).isEmpty)
    }

    @Test func withInAppOffTheyAreKeptButNotUnread() throws {
        let s = try store()
        var settings = NotificationSettings()
        settings.inApp = false
        try s.runScheduler(context(1_795_176_000, settings: settings))
        let made = try s.runScheduler(context(1_795_420_800, settings: settings))
        #expect(!made.isEmpty && made.allSatisfy(\.isRead))
        try s.markNotifications(id: made[0].id, read: false, now: now)
        #expect(try s.notifications(limit: 10).filter { !$0.isRead }.count == 1)
        try s.markNotifications(id: nil, read: true, now: now)
        #expect(try s.notifications(limit: 10).allSatisfy(\.isRead))
    }

    @Test func theNextWakeUpIsTheNearestDueMoment() {
        var settings = NotificationSettings()
        settings.launchDigest = false
        // Monday 07:59 UTC (08:59 Berlin): the weekly digest at 09:00 comes before the next hour… which is the same moment.
        let next = Schedule.next(after: Date(timeIntervalSince1970: 1_795_420_740), settings: settings, calendar: berlin)
        #expect(next == Date(timeIntervalSince1970: 1_795_420_800))
        let lastMonday = Schedule.last(hour: 9, weekday: 2, atOrBefore: Date(timeIntervalSince1970: 1_795_420_740), calendar: berlin)
        #expect(lastMonday == Date(timeIntervalSince1970: 1_795_420_800 - 7 * 86_400))
    }
}
