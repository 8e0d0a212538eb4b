import Foundation

/// The scheduler's clock arithmetic, in the user's calendar (time zone): when each job last
/// fell due, and when the next one does. The store decides what to write for them.
public enum Schedule {
    /// The latest moment at or before `now` that is `hour`:00 — on `weekday` (1 = Sunday) when
    /// one is given, else on any day.
    public static func last(hour: Int, weekday: Int? = nil, atOrBefore now: Date, calendar: Calendar) -> Date {
        var c = DateComponents()
        (c.weekday, c.hour, c.minute, c.second) = (weekday, hour, 0, 0)
        return calendar.nextDate(after: now.addingTimeInterval(1), matching: c, matchingPolicy: .nextTime, direction: .backward) ?? now
    }

    /// Midnight on the 1st of the month `now` is in.
    public static func monthStart(_ now: Date, calendar: Calendar) -> Date {
        calendar.dateInterval(of: .month, for: now)?.start ?? now
    }

    /// The next moment after `now` when a job may fall due: the next digest hour, the next
    /// month, or the next hour (seasonal reminders, quota and token checks).
    public static func next(after now: Date, settings: NotificationSettings, calendar: Calendar) -> Date {
        var candidates = [
            calendar.dateInterval(of: .month, for: now)?.end ?? now.addingTimeInterval(86_400),
            calendar.dateInterval(of: .hour, for: now)?.end ?? now.addingTimeInterval(3_600),
        ]
        var c = DateComponents()
        (c.minute, c.second) = (0, 0)
        if settings.weeklyDigest {
            (c.weekday, c.hour) = (settings.weeklyDigestDay, settings.weeklyDigestHour)
            candidates += [calendar.nextDate(after: now, matching: c, matchingPolicy: .nextTime)].compactMap { $0 }
        }
        if settings.launchDigest {
            (c.weekday, c.hour) = (nil, settings.launchDigestHour)
            candidates += [calendar.nextDate(after: now, matching: c, matchingPolicy: .nextTime)].compactMap { $0 }
        }
        return candidates.min() ?? now.addingTimeInterval(3_600)
    }
}

/// A notification as stored: a message key and its arguments (so the feed speaks the user's
/// language of the day), what it is about, and the key that keeps it from being made twice.
public struct NewNotification: Sendable, Equatable {
    public var kind: String
    public var titleKey: String
    public var args: [String: String]
    /// Where Enter on it goes: `screen:trends`, `screen:seasonal`, `screen:quotas`, `screen:connect`.
    public var subject: String
    public var dedupeKey: String
    public init(kind: String, titleKey: String, args: [String: String], subject: String, dedupeKey: String) {
        self.kind = kind
        self.titleKey = titleKey
        self.args = args
        self.subject = subject
        self.dedupeKey = dedupeKey
    }
}
