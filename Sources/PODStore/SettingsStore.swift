import Foundation
import GRDB
import PODCore

extension Store {
    static let settingsKey = "user_settings"

    /// What the Settings screen saved (defaults when nothing was).
    public func userSettings() throws -> UserSettings { UserSettings.decode(try preference(Self.settingsKey)) }

    public func saveUserSettings(_ settings: UserSettings) throws { try setPreference(Self.settingsKey, settings.encoded) }

    // MARK: Brand profiles

    public func brandProfiles() throws -> [BrandProfile] { try pool.read { try Self.brandProfiles($0) } }

    static func brandProfiles(_ db: Database, activeOnly: Bool = false) throws -> [BrandProfile] {
        try BrandProfile.fetchAll(
            db,
            sql: """
                SELECT id, name, tone, audience, banned_topics, default_shop, handles, active FROM brand_profiles \(activeOnly ? "WHERE active" : "") ORDER BY id
                """)
    }

    /// Inserts or updates a profile; the first one saved is made active. Returns its id.
    @discardableResult
    public func saveBrandProfile(_ b: BrandProfile, now: Date) throws -> Int64 {
        try pool.write { db in
            let values: [(any DatabaseValueConvertible)?] = [
                b.name.trimmingCharacters(in: .whitespaces), b.tone.rawValue, b.audience,
                Self.jsonList(b.bannedTopics), b.defaultShop, Self.jsonList(b.handles.compactMap(SocialHandle.normalise)),
            ]
            if let id = b.id {
                try db.execute(
                    sql: "UPDATE brand_profiles SET name = ?, tone = ?, audience = ?, banned_topics = ?, default_shop = ?, handles = ? WHERE id = ?",
                    arguments: StatementArguments(values + [id]))
                return id
            }
            let first = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM brand_profiles") == 0
            try db.execute(
                sql:
                    "INSERT INTO brand_profiles (name, tone, audience, banned_topics, default_shop, handles, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: StatementArguments(values + [first, now.timeIntervalSince1970]))
            return db.lastInsertedRowID
        }
    }

    /// Makes one profile the active one (and no other).
    public func activateBrandProfile(id: Int64) throws {
        try pool.write { try $0.execute(sql: "UPDATE brand_profiles SET active = (id = ?)", arguments: [id]) }
    }

    /// Deletes a profile; when it was the active one, the oldest left becomes active.
    public func deleteBrandProfile(id: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM brand_profiles WHERE id = ?", arguments: [id])
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM brand_profiles WHERE active") == 0 {
                try db.execute(sql: "UPDATE brand_profiles SET active = 1 WHERE id = (SELECT MIN(id) FROM brand_profiles)")
            }
        }
    }

    // MARK: Quotas

    /// The newest rows of the usage ledger.
    public func ledger(limit: Int) throws -> [LedgerEntry] {
        try pool.read { db in
            try LedgerEntry.fetchAll(
                db, sql: "SELECT id, resource, amount, reason, subject, at FROM usage_ledger ORDER BY at DESC, id DESC LIMIT ?", arguments: [limit])
        }
    }
}
