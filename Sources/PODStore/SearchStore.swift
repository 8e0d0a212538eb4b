import Foundation
import GRDB
import PODCore

extension Store {
    /// Keywords, niches, drafts and listings containing `query` (case-insensitive), at most
    /// `limit` of each kind, each kind's strongest first; `kind` limits it to one kind.
    public func search(_ query: String, kind: SearchKind?, window: TrendWindow, region: String, limit: Int) throws -> [SearchHit] {
        let q = query.trimmingWhitespace()
        guard !q.isEmpty else { return [] }
        let pattern = Self.likePattern(q)
        func wanted(_ k: SearchKind) -> Bool { kind == nil || kind == k }
        return try pool.read { db in
            var hits: [SearchHit] = []
            if wanted(.keyword) {
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT keyword, region, volume, growth, series, is_demo, competition FROM keyword_summary
                        WHERE window = ? AND region = ? AND keyword LIKE ? ESCAPE '\\' ORDER BY volume DESC LIMIT ?
                        """, arguments: [window.rawValue, region, pattern, limit]
                ).map { row in
                    let k = Self.keywordTrend(row, window: window)
                    var h = SearchHit(kind: .keyword, title: k.keyword, region: k.region)
                    (h.volume, h.growth, h.series, h.competition, h.isDemo) = (k.volume, k.growth, k.series, row["competition"], k.isDemo)
                    return h
                }
            }
            if wanted(.niche) {
                // A niche's keywords contain its name, so the matching keywords (the strongest
                // thousands) hold every niche the query names.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT keyword, volume, previous_volume, competition, is_demo FROM keyword_summary
                        WHERE window = ? AND region = ? AND keyword LIKE ? ESCAPE '\\' ORDER BY volume DESC LIMIT 5000
                        """, arguments: [window.rawValue, region, pattern]
                ).map(Self.nicheInput)
                let excluded = Set(try String.fetchAll(db, sql: "SELECT name FROM niches WHERE excluded"))
                let lower = q.lowercased()
                hits += NicheMath.niches(rows, region: region, days: window.rawValue, brand: try Self.activeBrand(db))
                    .filter { $0.name.contains(lower) && !excluded.contains($0.name) }.prefix(limit).map { Self.hit($0) }
            }
            if wanted(.draft) {
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, title, state, updated_at, is_demo, tags, keyword, price_cents, currency FROM drafts
                        WHERE title LIKE ?1 ESCAPE '\\' OR keyword LIKE ?1 ESCAPE '\\' OR niche LIKE ?1 ESCAPE '\\' OR tags LIKE ?1 ESCAPE '\\'
                        ORDER BY updated_at DESC LIMIT ?2
                        """, arguments: [pattern, limit]
                ).map { row in
                    let title: String = row["title"], keyword: String? = row["keyword"]
                    var h = SearchHit(kind: .draft, title: title.isEmpty ? (keyword ?? "") : title, id: row["id"])
                    (h.state, h.updatedAt, h.isDemo) = (row["state"], Date(timeIntervalSince1970: row["updated_at"]), row["is_demo"])
                    h.keywords = Self.decodeList(row["tags"])
                    (h.priceCents, h.currency) = (row["price_cents"], row["currency"])
                    return h
                }
            }
            if wanted(.listing) {
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, title, state, price_cents, currency, views, updated_at, is_demo FROM listings
                        WHERE title LIKE ? ESCAPE '\\' ORDER BY views DESC, id LIMIT ?
                        """, arguments: [pattern, limit]
                ).map { row in
                    var h = SearchHit(kind: .listing, title: row["title"], id: row["id"])
                    (h.state, h.priceCents, h.currency, h.views) = (row["state"], row["price_cents"], row["currency"], row["views"])
                    (h.updatedAt, h.isDemo) = (Date(timeIntervalSince1970: row["updated_at"]), row["is_demo"])
                    return h
                }
            }
            return hits
        }
    }

    static func hit(_ n: NicheRow) -> SearchHit {
        var h = SearchHit(kind: .niche, title: n.name, region: n.region)
        (h.volume, h.growth, h.competition, h.score) = (
            n.volume, TrendMath.growth(current: n.volume, previous: n.previousVolume), n.competition, n.score.opportunity
        )
        (h.keywords, h.isDemo) = (n.keywords, n.isDemo)
        return h
    }

    /// The saved searches (newest first), the recent queries (newest first, at most
    /// `recent`), and the keywords saved or watched in the region with their figures over the window.
    public func searchMemory(window: TrendWindow, region: String, recent: Int = 10) throws -> SearchMemory {
        try pool.read { db in
            let saved = try SavedSearch.fetchAll(db, sql: "SELECT query, kind FROM saved_searches ORDER BY saved_at DESC")
            let queries = try String.fetchAll(db, sql: "SELECT query FROM recent_searches ORDER BY at DESC LIMIT ?", arguments: [recent])
            let marks = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.keyword, m.region, m.saved, m.watched, m.marked_at, s.volume, s.growth, s.series, s.is_demo
                    FROM keyword_marks m LEFT JOIN keyword_summary s ON s.window = ? AND s.region = m.region AND s.keyword = m.keyword
                    WHERE m.region = ? ORDER BY m.watched DESC, m.marked_at DESC
                    """, arguments: [window.rawValue, region]
            ).map { row in
                let trend = (row["volume"] as Double?).map { _ in Self.keywordTrend(row, window: window) }
                return KeywordMark(
                    keyword: row["keyword"], region: row["region"], saved: row["saved"], watched: row["watched"],
                    markedAt: Date(timeIntervalSince1970: row["marked_at"]), trend: trend)
            }
            return SearchMemory(saved: saved, recent: queries, marks: marks)
        }
    }

    /// Remembers a query among the recent ones (the newest 50 are kept).
    public func recordSearch(_ query: String, now: Date) throws {
        let q = query.trimmingWhitespace()
        guard !q.isEmpty else { return }
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO recent_searches (query, at) VALUES (?, ?) ON CONFLICT(query) DO UPDATE SET at = excluded.at",
                arguments: [q, now.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM recent_searches WHERE query NOT IN (SELECT query FROM recent_searches ORDER BY at DESC LIMIT 50)")
        }
    }

    /// Saves a search (or, with `saved` false, forgets it).
    public func setSearchSaved(_ search: SavedSearch, saved: Bool, now: Date) throws {
        try pool.write { db in
            let kind = search.kind?.rawValue ?? ""
            if saved {
                try db.execute(
                    sql:
                        "INSERT INTO saved_searches (query, kind, saved_at) VALUES (?, ?, ?) ON CONFLICT(query, kind) DO UPDATE SET saved_at = excluded.saved_at",
                    arguments: [search.query, kind, now.timeIntervalSince1970])
            } else {
                try db.execute(sql: "DELETE FROM saved_searches WHERE query = ? AND kind = ?", arguments: [search.query, kind])
            }
        }
    }

    /// Forgets a recent query.
    public func forgetRecentSearch(_ query: String) throws {
        try pool.write { try $0.execute(sql: "DELETE FROM recent_searches WHERE query = ?", arguments: [query]) }
    }

    /// The keywords on the watchlist (any region), newest first: the trend refresh fetches
    /// their competition counts.
    public func watchedKeywords(limit: Int) throws -> [String] {
        try pool.read { try String.fetchAll($0, sql: "SELECT keyword FROM keyword_marks WHERE watched ORDER BY marked_at DESC LIMIT ?", arguments: [limit]) }
    }

    /// Marks a keyword saved and/or watched; with neither, the mark is taken off.
    public func markKeyword(_ keyword: String, region: String, saved: Bool, watched: Bool, now: Date) throws {
        try pool.write { db in
            if saved || watched {
                try db.execute(
                    sql: """
                        INSERT INTO keyword_marks (keyword, region, saved, watched, marked_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(keyword, region) DO UPDATE SET saved = excluded.saved, watched = excluded.watched
                        """, arguments: [keyword, region, saved, watched, now.timeIntervalSince1970])
            } else {
                try db.execute(sql: "DELETE FROM keyword_marks WHERE keyword = ? AND region = ?", arguments: [keyword, region])
            }
        }
    }
}
