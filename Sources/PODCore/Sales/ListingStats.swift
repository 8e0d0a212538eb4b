import Foundation

/// A listing's counts as Etsy gave them on a day: views and favourites so far. A day's views
/// are the difference from the day before.
public struct ListingStats: Equatable, Sendable {
    public var listingID: String
    public var views: Int
    public var favorites: Int
    public init(listingID: String, views: Int, favorites: Int) { (self.listingID, self.views, self.favorites) = (listingID, views, favorites) }

    /// The start (UTC midnight) of a day as `day` writes it; nil for anything else.
    public static func date(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return Calendar.utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// The day a time falls on, as the statistics count days: "2026-12-07", in UTC.
    public static func day(_ date: Date) -> String {
        let c = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC: the days shop statistics are counted by.
    public static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? .current
        return c
    }()
}
