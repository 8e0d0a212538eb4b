import Foundation
import GRDB
import PODCore

/// A post as kept: its version's id and time.
public struct StoredPost: Sendable, Equatable {
    public var id: Int64
    public var post: SocialPost
    public var savedAt: Date
    public init(id: Int64, post: SocialPost, savedAt: Date) { (self.id, self.post, self.savedAt) = (id, post, savedAt) }
}

/// What a post is written from: the listing, its Etsy address once it is on Etsy, the brand.
public struct PostSource: Sendable, Equatable {
    public var draft: ListingDraft
    public var link: String
    public var brand: PostBrand
    public init(draft: ListingDraft, link: String, brand: PostBrand) { (self.draft, self.link, self.brand) = (draft, link, brand) }
}

extension Store {
    /// Versions kept per listing and platform; older ones go.
    public static let postVersionsKept = 30

    /// Keeps `post` as the listing's current post for its platform (a new version), unless it
    /// is the current one already. Returns the version kept.
    @discardableResult
    public func savePost(_ post: SocialPost, draftID: Int64, now: Date) throws -> StoredPost {
        try pool.write { db in
            if let current = try Self.posts(db, draftID: draftID, platform: post.platform, limit: 1).first, current.post == post { return current }
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            let json = String(decoding: try e.encode(post), as: UTF8.self)
            try db.execute(
                sql: "INSERT INTO social_posts (draft_id, platform, post, created_at) VALUES (?, ?, ?, ?)",
                arguments: [draftID, post.platform.rawValue, json, now.timeIntervalSince1970])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    DELETE FROM social_posts WHERE draft_id = ? AND platform = ? AND id NOT IN (
                        SELECT id FROM social_posts WHERE draft_id = ? AND platform = ? ORDER BY id DESC LIMIT ?)
                    """, arguments: [draftID, post.platform.rawValue, draftID, post.platform.rawValue, Self.postVersionsKept])
            return StoredPost(id: id, post: post, savedAt: now)
        }
    }

    /// The listing's current post for each platform that has one.
    public func posts(draftID: Int64) throws -> [SocialPlatform: StoredPost] {
        try pool.read { db in
            var out: [SocialPlatform: StoredPost] = [:]
            for platform in SocialPlatform.allCases {
                if let p = try Self.posts(db, draftID: draftID, platform: platform, limit: 1).first { out[platform] = p }
            }
            return out
        }
    }

    /// A platform's versions, newest first.
    public func postHistory(draftID: Int64, platform: SocialPlatform) throws -> [StoredPost] {
        try pool.read { db in try Self.posts(db, draftID: draftID, platform: platform, limit: Self.postVersionsKept) }
    }

    static func posts(_ db: Database, draftID: Int64, platform: SocialPlatform, limit: Int) throws -> [StoredPost] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, post, created_at FROM social_posts WHERE draft_id = ? AND platform = ? ORDER BY id DESC LIMIT ?"),
            arguments: [draftID, platform.rawValue, limit]
        ).compactMap { row in
            // A row another version wrote in a shape this one cannot read is skipped, not fatal.
            guard let post = try? JSONDecoder().decode(SocialPost.self, from: Data((row["post"] as String).utf8)) else { return nil }
            return StoredPost(id: row["id"], post: post, savedAt: Date(timeIntervalSince1970: row["created_at"]))
        }
    }

    /// What the posts of a draft are written from (nil when the draft is gone).
    public func postSource(draftID: Int64) throws -> PostSource? {
        try pool.read { db in
            guard let draft = try Self.draft(db, id: draftID) else { return nil }
            let listingID = try String.fetchOne(
                db, sql: "SELECT provider_listing_id FROM listings WHERE draft_id = ? AND provider = ? AND provider_listing_id IS NOT NULL AND is_demo = 0",
                arguments: [draftID, ProviderID.etsy])
            return PostSource(draft: draft, link: listingID.map(SocialRules.etsyLink) ?? "", brand: PostBrand(try Self.activeBrand(db)))
        }
    }
}
