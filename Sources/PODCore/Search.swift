import Foundation

/// What one search box finds: keywords, niches, drafts and listings.
public enum SearchKind: String, CaseIterable, Sendable, Codable {
    case keyword, niche, draft, listing
}

/// One thing found, with the facts the results list and the compare view show; a fact that
/// does not apply to its kind is nil.
public struct SearchHit: Sendable, Equatable {
    public var kind: SearchKind
    /// The keyword, the niche's name, the draft's or the listing's title.
    public var title: String
    /// The draft's or the listing's id.
    public var id: Int64?
    public var region: String?
    /// Volume over the window (keywords, niches).
    public var volume: Double?
    public var growth: Double?
    public var series: [Double] = []
    /// Competing listings, when known (keywords, niches).
    public var competition: Double?
    /// The niche's opportunity score, 0–100.
    public var score: Int?
    /// A niche's keywords, a draft's or a listing's tags.
    public var keywords: [String] = []
    /// A draft's or a listing's state.
    public var state: String?
    public var priceCents: Int?
    public var currency: String?
    public var views: Int?
    public var updatedAt: Date?
    public var isDemo = false

    public init(kind: SearchKind, title: String, id: Int64? = nil, region: String? = nil) {
        self.kind = kind
        self.title = title
        self.id = id
        self.region = region
    }

    /// Tells two hits apart across kinds (a draft and a keyword may share a title).
    public var key: String { "\(kind.rawValue):\(id.map(String.init) ?? title)" }
}

/// A query the seller saved, with the kind it was limited to.
public struct SavedSearch: Sendable, Equatable {
    public var query: String
    public var kind: SearchKind?
    public init(query: String, kind: SearchKind?) {
        self.query = query
        self.kind = kind
    }
}

/// A keyword the seller saved or watches, with its figures over the window when it has any.
public struct KeywordMark: Sendable, Equatable {
    public var keyword: String
    public var region: String
    public var saved: Bool
    public var watched: Bool
    public var markedAt: Date
    public var trend: KeywordTrend?
    public init(keyword: String, region: String, saved: Bool, watched: Bool, markedAt: Date, trend: KeywordTrend?) {
        self.keyword = keyword
        self.region = region
        self.saved = saved
        self.watched = watched
        self.markedAt = markedAt
        self.trend = trend
    }

    /// The mark as a search hit (for the Search screen's watchlist and the compare view).
    public var hit: SearchHit {
        var h = SearchHit(kind: .keyword, title: keyword, region: region)
        h.volume = trend?.volume
        h.growth = trend?.growth
        h.series = trend?.series ?? []
        h.isDemo = trend?.isDemo ?? false
        return h
    }
}

/// The saved searches, the recent queries and the marked keywords: what the Search screen
/// offers before anything is typed.
public struct SearchMemory: Sendable, Equatable {
    public var saved: [SavedSearch] = []
    public var recent: [String] = []
    public var marks: [KeywordMark] = []
    public init(saved: [SavedSearch] = [], recent: [String] = [], marks: [KeywordMark] = []) {
        self.saved = saved
        self.recent = recent
        self.marks = marks
    }
}
