import Foundation
import Testing

@testable import PODCore
@testable import PODStore

/// Settings, brand profiles and quotas in a real store.
@Suite struct SettingsStoreTests {
    @Test func settingsRoundTripAndAnOldOrBrokenValueReadsAsDefaults() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        #expect(try store.userSettings() == UserSettings())
        var s = UserSettings()
        (s.language, s.currency, s.timeZone, s.dateFormat, s.region) = ("de", "EUR", "Europe/Berlin", .dotted, "DE")
        s.notifications.push = true
        s.notifications.weeklyDigestDay = 6
        try store.saveUserSettings(s)
        #expect(try store.userSettings() == s)
        // Written by an older version (fewer keys): what is there is kept, the rest defaults.
        try store.setPreference(Store.settingsKey, #"{"currency":"GBP","notifications":{"push":true}}"#)
        let old = try store.userSettings()
        #expect(old.currency == "GBP" && old.notifications.push && old.notifications.inApp && old.dateFormat == .locale)
        try store.setPreference(Store.settingsKey, "{broken")
        #expect(try store.userSettings() == UserSettings())
    }

    @Test func brandProfilesOneActive() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var cat = BrandProfile(name: " Cosy Cat ")
        (cat.tone, cat.audience, cat.bannedTopics, cat.handles) = (.playful, "cat moms", ["politics"], ["@cosy.cat"])
        let first = try store.saveBrandProfile(cat, now: now)
        let second = try store.saveBrandProfile(BrandProfile(name: "Dog Days"), now: now)
        var list = try store.brandProfiles()
        #expect(list.map(\.name) == ["Cosy Cat", "Dog Days"] && list.map(\.active) == [true, false], "the first is active")
        #expect(list[0].tone == .playful && list[0].bannedTopics == ["politics"] && list[0].handles == ["cosy.cat"])
        try store.activateBrandProfile(id: second)
        #expect(try store.brandProfiles().map(\.active) == [false, true])
        list[0].audience = "teachers"
        try store.saveBrandProfile(list[0], now: now)
        #expect(try store.brandProfiles()[0].audience == "teachers")
        try store.deleteBrandProfile(id: second)
        #expect(try store.brandProfiles().map(\.id) == [first] && store.brandProfiles()[0].active, "the one left becomes active")
    }

    func draft(_ n: Int, images: Int = 0) -> ListingDraft {
        var d = DraftStoreTests().fullDraft()
        d.title = "Retro Cat Mug Number \(n)"
        d.images = (0..<images).map { "/tmp/photo\($0).jpg" }
        return d
    }

    @Test func publishingIsRefusedAtTheLimitWithNothingWritten() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let utc = Calendar.utc
        let quota = (plan: PlanTier.free, calendar: utc)
        for n in 0..<10 { try store.queueDraft(draft(n), provider: .etsy, now: now, quota: quota) }
        let eleventh = draft(10, images: 2)
        #expect(throws: QuotaExceeded.self) { try store.queueDraft(eleventh, provider: .etsy, now: now, quota: quota) }
        #expect(try store.queueItems().count == 10, "no outbox row")
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM drafts") } == 10, "no draft written")
        #expect(try store.usage(since: .distantPast) == ["listings": 10])
        // Images count too: 2 photos over the free plan's 20 are refused even with listings left.
        let other = try Store(dataDirectory: temporaryDirectory())
        _ = try other.consume(.images, amount: 19, plan: .free, reason: "test", subject: nil, now: now, calendar: utc)
        #expect(throws: QuotaExceeded(resource: .images, used: 19, limit: 20, resetsAt: utc.dateInterval(of: .month, for: now)!.end)) {
            try other.queueDraft(self.draft(0, images: 2), provider: .etsy, now: now, quota: quota)
        }
        #expect(try other.usage(since: .distantPast) == ["images": 19], "the listing's unit is not kept either")
        // A draft already on Etsy is updated, not counted again.
        let report = try store.quotaReport(plan: .free, now: now, calendar: utc)
        #expect(report.usage.first { $0.resource == .listings }?.used == 10 && report.ledger.count == 10)
    }

    /// The month starts at midnight where the user is: the same instant is December in Auckland
    /// and still November in Los Angeles.
    @Test func theMonthlyResetFollowsTheUsersTimeZone() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let lastOfNovember = Date(timeIntervalSince1970: 1_796_018_400)  // 2026-11-30 06:00 UTC, 19:00 in Auckland
        for _ in 0..<10 { _ = try store.consume(.listings, plan: .free, reason: "publish:etsy", subject: nil, now: lastOfNovember, calendar: .utc) }
        let instant = Date(timeIntervalSince1970: 1_796_050_800)  // 2026-11-30 15:00 UTC
        let auckland = Calendar.in("Pacific/Auckland"), losAngeles = Calendar.in("America/Los_Angeles")
        // 15:00 UTC is 04:00 on 1 December in Auckland: a new month, the limit is free again.
        #expect(try store.quotaReport(plan: .free, now: instant, calendar: auckland).usage[0].used == 0)
        #expect(throws: Never.self) { try store.consume(.listings, plan: .free, reason: "t", subject: nil, now: instant, calendar: auckland) }
        // In Los Angeles it is 07:00 on 30 November: the month is used up until its midnight.
        #expect { try store.consume(.listings, plan: .free, reason: "t", subject: nil, now: instant, calendar: losAngeles) } throws: { error in
            (error as? QuotaExceeded)?.resetsAt == Date(timeIntervalSince1970: 1_796_112_000)  // 2026-12-01 08:00 UTC = midnight PST
        }
    }
}

extension Calendar {
    static let utc = Calendar.in("UTC")
    static func `in`(_ zone: String) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        return c
    }
}
