import Foundation
import GRDB
import PODCore

/// An image to keep track of: its file, where it comes from, and what is known of it already.
public struct ImageSeed: Sendable, Equatable {
    public var path: String
    public var kind: ImageKind
    public var draftID: Int64?
    public var altText: String
    /// The print area a design fills (pixels), when known.
    public var requirement: PrintArea?
    public init(path: String, kind: ImageKind, draftID: Int64? = nil, altText: String = "", requirement: PrintArea? = nil) {
        (self.path, self.kind, self.draftID, self.altText, self.requirement) = (path, kind, draftID, altText, requirement)
    }
}

extension Store {
    /// Adds images by path (one already known keeps the seller's rating, flag, tags and alt
    /// text; its source and requirement are brought up to date). Returns how many were new.
    @discardableResult
    public func addImages(_ seeds: [ImageSeed], isDemo: Bool = false, now: Date) throws -> Int {
        try pool.write { db in
            let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images") ?? 0
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO images (path, kind, draft_id, alt_text, need_width, need_height, is_demo, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, draft_id = COALESCE(excluded.draft_id, draft_id),
                        need_width = COALESCE(excluded.need_width, need_width), need_height = COALESCE(excluded.need_height, need_height),
                        alt_text = CASE WHEN alt_text = '' THEN excluded.alt_text ELSE alt_text END
                    """)
            for s in seeds {
                try insert.execute(arguments: [
                    s.path, s.kind.rawValue, s.draftID, s.altText, s.requirement?.width, s.requirement?.height, isDemo, now.timeIntervalSince1970,
                ])
            }
            return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images") ?? 0) - before
        }
    }

    /// The images the workspace itself has: drafts' photos (with their alt text) and designs,
    /// Printify's mockups (their addresses) and post pictures.
    public func workspaceImages() throws -> [ImageSeed] {
        try pool.read { db in
            var seeds: [ImageSeed] = []
            // Only the drafts with photos or a product (a workspace has thousands without).
            for row in try Row.fetchAll(db, sql: "SELECT id FROM drafts WHERE images != '[]' OR product IS NOT NULL ORDER BY id") {
                let id: Int64 = row["id"]
                guard let d = try Self.draft(db, id: id) else { continue }
                for path in d.imageList where !path.hasPrefix("http") {
                    seeds.append(ImageSeed(path: path, kind: .photo, draftID: id, altText: d.imageAlts?[path] ?? ""))
                }
                for design in d.product?.designs ?? [] where !design.file.hasPrefix("http") {
                    seeds.append(ImageSeed(path: design.file, kind: .design, draftID: id))
                }
            }
            // Printify's mockups, as addresses: the screen keeps those fetched already.
            for row in try Row.fetchAll(
                db, sql: "SELECT draft_id, mockups FROM listings WHERE provider = ? AND mockups IS NOT NULL AND draft_id IS NOT NULL ORDER BY id",
                arguments: [ProviderID.printify])
            {
                let urls = (try? JSONDecoder().decode([String].self, from: Data((row["mockups"] as String).utf8))) ?? []
                seeds += urls.map { ImageSeed(path: $0, kind: .mockup, draftID: row["draft_id"]) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT draft_id, post FROM social_posts ORDER BY id") {
                guard let post = try? JSONDecoder().decode(SocialPost.self, from: Data((row["post"] as String).utf8)), let path = post.imagePath else {
                    continue
                }
                seeds.append(ImageSeed(path: path, kind: .post, draftID: row["draft_id"]))
            }
            return seeds
        }
    }

    /// Images whose file has not been read since it was added (or found changed), oldest first.
    public func imagesToRead(limit: Int) throws -> [(id: Int64, path: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, path FROM images WHERE stamp IS NULL ORDER BY id LIMIT ?", arguments: [limit]).map { ($0["id"], $0["path"]) }
        }
    }

    public func unreadImageCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images WHERE stamp IS NULL") ?? 0 }
    }

    /// Keeps what reading files found, with each file's size and time when read (a changed
    /// file is read again), in one transaction.
    public func recordImageReads(_ reads: [(id: Int64, file: ImageFile, stamp: String)]) throws {
        try pool.write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE images SET format = ?, bytes = ?, width = ?, height = ?, has_alpha = ?, hash = ?, error = ?, stamp = ? WHERE id = ?")
            for (id, r, stamp) in reads {
                try update.execute(arguments: [
                    r.format, r.bytes, r.width, r.height, r.hasAlpha, r.hash.map { Int64(bitPattern: $0) }, r.error, stamp, id,
                ])
            }
        }
    }

    /// Marks images to be read again (their file changed, or the seller asked).
    public func forgetImageReads(ids: [Int64]) throws {
        try pool.write { db in
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(ids.count, chunk + 500)])
                try db.execute(
                    sql: "UPDATE images SET stamp = NULL WHERE id IN (\(part.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(part))
            }
        }
    }

    public func imageCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images") ?? 0 }
    }

    /// Every image (or the first `limit`), with its tags, in the order they were added.
    public func images(limit: Int? = nil) throws -> [ImageEntry] {
        try pool.read { db in
            var tags: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT image_id, tag FROM image_tags ORDER BY image_id, tag") {
                tags[row["image_id"], default: []].append(row["tag"])
            }
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, path, kind, draft_id, format, bytes, width, height, has_alpha, hash, error, need_width, need_height, alt_text, rating, flag, is_demo
                    FROM images ORDER BY id LIMIT ?
                    """, arguments: [limit ?? -1])
            var out: [ImageEntry] = []
            while let r = try cursor.next() {
                let id: Int64 = r[0]
                let needW: Int? = r[11], needH: Int? = r[12]
                out.append(
                    ImageEntry(
                        id: id, path: r[1], kind: ImageKind(rawValue: r[2]) ?? .file, draftID: r[3],
                        file: ImageFile(
                            format: r[4], bytes: r[5], width: r[6], height: r[7], hasAlpha: r[8], hash: (r[9] as Int64?).map { UInt64(bitPattern: $0) },
                            error: r[10]),
                        requirement: needW.flatMap { w in needH.map { (w, $0) } }, altText: r[13], rating: r[14],
                        flag: (r[15] as String?).flatMap(ImageFlag.init(rawValue:)), tags: tags[id] ?? [], isDemo: r[16]))
            }
            return out
        }
    }

    /// Sets the rating (0–5) of images.
    public func rateImages(ids: [Int64], rating: Int) throws {
        try eachImage(ids, sql: "UPDATE images SET rating = ? WHERE id = ?") { [max(0, min(5, rating))] }
    }

    /// Sets (nil: clears) the flag of images.
    public func flagImages(ids: [Int64], flag: ImageFlag?) throws {
        try eachImage(ids, sql: "UPDATE images SET flag = ? WHERE id = ?") { [flag?.rawValue] }
    }

    /// Adds a tag to images (lower case, trimmed; at most 40 characters).
    public func tagImages(ids: [Int64], tag: String) throws {
        let t = String(tag.trimmingWhitespace().lowercased().prefix(40))
        guard !t.isEmpty else { return }
        try eachImage(ids, sql: "INSERT OR IGNORE INTO image_tags (tag, image_id) VALUES (?, ?)") { [t] }
    }

    public func untagImages(ids: [Int64], tag: String) throws {
        try eachImage(ids, sql: "DELETE FROM image_tags WHERE tag = ? AND image_id = ?") { [tag] }
    }

    /// Every tag in use, the most used first (for completion).
    public func imageTags() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT tag FROM image_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag") }
    }

    /// Sets an image's alt text (at most `ListingRules.altTextMax`); a listing photo's goes to
    /// its draft too, so that it is sent to Etsy with the photo.
    public func setImageAlt(id: Int64, text: String, now: Date) throws {
        let alt = String(text.trimmingWhitespace().prefix(ListingRules.altTextMax))
        try pool.write { db in
            try db.execute(sql: "UPDATE images SET alt_text = ? WHERE id = ?", arguments: [alt, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT path, kind, draft_id FROM images WHERE id = ?", arguments: [id]),
                (row["kind"] as String) == ImageKind.photo.rawValue, let draftID: Int64 = row["draft_id"], var d = try Self.draft(db, id: draftID)
            else { return }
            let path: String = row["path"]
            guard d.imageList.contains(path) else { return }
            var alts = d.imageAlts ?? [:]
            alts[path] = alt.isEmpty ? nil : alt
            d.imageAlts = alts.isEmpty ? nil : alts
            _ = try Self.saveDraft(db, d, now: now)
        }
    }

    private func eachImage(_ ids: [Int64], sql: String, _ values: () -> [DatabaseValueConvertible?]) throws {
        try pool.write { db in
            let statement = try db.cachedStatement(sql: sql)
            let v = values()
            for id in ids { try statement.execute(arguments: StatementArguments(v + [id])) }
        }
    }
}
