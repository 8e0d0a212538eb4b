import Foundation
import GRDB
import PODCore

/// What the scheduler needs to know besides the store: the clock, the user's calendar, their
/// notification settings, plan and region.
public struct SchedulerContext: Sendable {
    public var now: Date
    public var calendar: Calendar
    public var settings: NotificationSettings
    public var plan: PlanTier
    public var region: String
    public init(now: Date, calendar: Calendar, settings: NotificationSettings, plan: PlanTier, region: String) {
        self.now = now
        self.calendar = calendar
        self.settings = settings
        self.plan = plan
        self.region = region
    }
}

extension Store {
    static let schedulerJob = "scheduler"

    /// The feed, newest first.
    public func notifications(limit: Int) throws -> [NotificationItem] {
        try pool.read { db in
            try NotificationItem.fetchAll(
                db, sql: "SELECT id, title, body, created_at, read_at, is_demo, subject, kind FROM notifications ORDER BY created_at DESC, id DESC LIMIT ?",
                arguments: [limit])
        }
    }

    /// Marks one notification read (or unread), or, with no id, every one read.
    public func markNotifications(id: Int64?, read: Bool, now: Date) throws {
        try pool.write { db in
            let at: Double? = read ? now.timeIntervalSince1970 : nil
            if let id {
                try db.execute(sql: "UPDATE notifications SET read_at = ? WHERE id = ?", arguments: [at, id])
            } else {
                try db.execute(sql: "UPDATE notifications SET read_at = ? WHERE read_at IS NULL", arguments: [at])
            }
        }
    }

    /// Runs what is due at `context.now` and returns the notifications it made. Digests, the
    /// quota reset and seasonal reminders are due when their moment fell after the last run
    /// (so a start after days away catches up with the latest of each, once); quota alerts and
    /// lapsing tokens are checked every run. Each notification has a dedupe key: it is never
    /// made twice, whoever runs the scheduler. The first run only sets the clock.
    @discardableResult
    public func runScheduler(_ c: SchedulerContext) throws -> [NotificationItem] {
        try pool.write { db in
            let last = try Double.fetchOne(db, sql: "SELECT last_run FROM scheduler_runs WHERE job = ?", arguments: [Self.schedulerJob])
                .map { Date(timeIntervalSince1970: $0) }
            var due: [NewNotification] = []
            if let last { due += try Self.timedJobs(db, c, since: last) }
            due += try Self.stateChecks(db, c)
            try db.execute(
                sql: "INSERT INTO scheduler_runs (job, last_run) VALUES (?, ?) ON CONFLICT(job) DO UPDATE SET last_run = excluded.last_run",
                arguments: [Self.schedulerJob, c.now.timeIntervalSince1970])
            var made: [NotificationItem] = []
            for n in due {
                let body = String(decoding: try JSONSerialization.data(withJSONObject: n.args, options: .sortedKeys), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO notifications (kind, title, body, subject, dedupe_key, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        n.kind, n.titleKey, body, n.subject, n.dedupeKey, c.now.timeIntervalSince1970,
                        c.settings.inApp ? nil : c.now.timeIntervalSince1970,
                    ])
                guard db.changesCount > 0 else { continue }
                if let item = try NotificationItem.fetchOne(
                    db, sql: "SELECT id, title, body, created_at, read_at, is_demo, subject, kind FROM notifications WHERE id = ?",
                    arguments: [db.lastInsertedRowID])
                {
                    made.append(item)
                }
            }
            return made
        }
    }

    /// The date in the user's calendar as a day number.
    static func localDayNumber(_ d: Date, _ calendar: Calendar) -> DayNumber {
        let p = calendar.dateComponents([.year, .month, .day], from: d)
        return Day.number(p.year ?? 1970, p.month ?? 1, p.day ?? 1)
    }

    /// That date written 2026-11-27 (dedupe keys are per local day or month).
    static func localDay(_ d: Date, _ calendar: Calendar) -> String {
        let p = Day.components(localDayNumber(d, calendar))
        return DateFormatChoice.iso.format(year: p.year, month: p.month, day: p.day) ?? ""
    }

    static func timedJobs(_ db: Database, _ c: SchedulerContext, since last: Date) throws -> [NewNotification] {
        var out: [NewNotification] = []
        let s = c.settings
        func fell(_ moment: Date) -> Bool { moment > last && moment <= c.now }
        let weekly = Schedule.last(hour: s.weeklyDigestHour, weekday: s.weeklyDigestDay, atOrBefore: c.now, calendar: c.calendar)
        if s.weeklyDigest, fell(weekly) {
            let rising = try String.fetchAll(
                db,
                sql: """
                    SELECT keyword FROM keyword_summary WHERE window = 7 AND region = ? AND growth > 0 ORDER BY growth DESC LIMIT 3
                    """, arguments: [c.region])
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM keyword_summary WHERE window = 7 AND region = ? AND growth > 0",
                    arguments: [c.region]) ?? 0
            out.append(
                NewNotification(
                    kind: "weekly_digest", titleKey: count == 0 ? "notify.weekly_digest_none" : "notify.weekly_digest",
                    args: ["count": String(count), "region": c.region, "keywords": rising.joined(separator: ", ")],
                    subject: "screen:trends", dedupeKey: "weekly_digest/\(localDay(weekly, c.calendar))"))
        }
        let today = localDayNumber(c.now, c.calendar)
        let daily = Schedule.last(hour: s.launchDigestHour, atOrBefore: c.now, calendar: c.calendar)
        if s.launchDigest, fell(daily) {
            let open = SeasonalCalendar.upcoming(from: today, days: 120, region: c.region).filter { $0.inLaunchWindow(today) }
            if let next = open.first {
                out.append(
                    NewNotification(
                        kind: "launch_digest", titleKey: "notify.launch_digest",
                        args: ["count": String(open.count), "event": "event.\(next.key)", "days": String(next.daysUntil(today))],
                        subject: "screen:seasonal", dedupeKey: "launch_digest/\(localDay(daily, c.calendar))"))
            }
        }
        let month = Schedule.monthStart(c.now, calendar: c.calendar)
        if fell(month) {
            out.append(
                NewNotification(
                    kind: "quota_reset", titleKey: "notify.quota_reset", args: ["plan": "plan.\(c.plan.rawValue)"],
                    subject: "screen:quotas", dedupeKey: "quota_reset/\(localDay(month, c.calendar).prefix(7))"))
        }
        // Events whose launch window opened since the last run.
        let lastDay = localDayNumber(last, c.calendar)
        for o in SeasonalCalendar.upcoming(from: lastDay, days: 400, region: c.region) where o.launchStart > lastDay && o.launchStart <= today {
            out.append(
                NewNotification(
                    kind: "seasonal", titleKey: "notify.season_opens", args: ["event": "event.\(o.key)", "days": String(o.daysUntil(today))],
                    subject: "screen:seasonal", dedupeKey: "season/\(o.key)/\(o.year)/\(c.region)"))
        }
        return out
    }

    static func stateChecks(_ db: Database, _ c: SchedulerContext) throws -> [NewNotification] {
        var out: [NewNotification] = []
        let month = Schedule.monthStart(c.now, calendar: c.calendar)
        let monthKey = localDay(month, c.calendar).prefix(7)
        for row in try Row.fetchAll(
            db, sql: "SELECT resource, SUM(amount) AS used FROM usage_ledger WHERE at >= ? GROUP BY resource",
            arguments: [month.timeIntervalSince1970])
        {
            guard let resource = QuotaResource(rawValue: row["resource"]), resource != .seats else { continue }
            let used: Int = row["used"], limit = c.plan.limit(resource)
            guard limit > 0, used * 100 >= limit * c.settings.quotaAlertPercent else { continue }
            out.append(
                NewNotification(
                    kind: "quota_alert", titleKey: "notify.quota_alert",
                    args: [
                        "resource": "quotas.resource.\(resource.rawValue)", "used": String(used), "limit": String(limit),
                        "percent": String(used * 100 / limit),
                    ],
                    subject: "screen:quotas", dedupeKey: "quota_alert/\(resource.rawValue)/\(monthKey)/\(c.settings.quotaAlertPercent)"))
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT provider, expires_at FROM connections WHERE state = 'connected' AND expires_at > ? AND expires_at <= ?",
            arguments: [c.now.timeIntervalSince1970, c.now.timeIntervalSince1970 + 86_400])
        {
            let provider: String = row["provider"], lapse: Double = row["expires_at"]
            let hours = max(1, Int(((lapse - c.now.timeIntervalSince1970) / 3_600).rounded(.up)))
            out.append(
                NewNotification(
                    kind: "token_expiry", titleKey: "notify.token_expiry", args: ["provider": "provider.\(provider)", "hours": String(hours)],
                    subject: "screen:connect", dedupeKey: "token_expiry/\(provider)/\(Int(lapse))"))
        }
        return out + (try experimentNotices(db, now: c.now))
    }
}
