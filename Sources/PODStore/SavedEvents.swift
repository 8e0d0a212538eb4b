import Foundation
import GRDB

extension Store {
    /// The seasonal events the seller saved ("my events") in a region, as `key/year`.
    public func savedEvents(region: String) throws -> Set<String> {
        try pool.read { db in
            Set(
                try Row.fetchAll(db, sql: "SELECT event_key, year FROM seasonal_events WHERE region = ?", arguments: [region])
                    .map { "\($0["event_key"] as String)/\($0["year"] as Int)" })
        }
    }

    /// Saves an event to "my events", or takes it off.
    public func setEventSaved(key: String, year: Int, region: String, saved: Bool, now: Date) throws {
        try pool.write { db in
            if saved {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO seasonal_events (event_key, year, region, saved_at) VALUES (?, ?, ?, ?)",
                    arguments: [key, year, region, now.timeIntervalSince1970])
            } else {
                try db.execute(sql: "DELETE FROM seasonal_events WHERE event_key = ? AND year = ? AND region = ?", arguments: [key, year, region])
            }
        }
    }
}
