import Foundation

/// A niche as the store's signals describe it over a window: its keywords' demand, the demand of
/// the window before, and the competing listings seen for them.
public struct NicheRow: Sendable, Equatable {
    public var name: String
    public var region: String
    /// Its keywords, strongest first.
    public var keywords: [String]
    public var volume: Double
    public var previousVolume: Double
    /// Competing listings (e.g. Etsy's active-listing counts), volume-weighted; nil when unknown.
    public var competition: Double?
    public var score: NicheScore
    public var saved = false
    public var excluded = false
    public var isDemo: Bool

    public init(
        name: String, region: String, keywords: [String], volume: Double, previousVolume: Double, competition: Double?,
        score: NicheScore, isDemo: Bool
    ) {
        self.name = name
        self.region = region
        self.keywords = keywords
        self.volume = volume
        self.previousVolume = previousVolume
        self.competition = competition
        self.score = score
        self.isDemo = isDemo
    }
}

/// A niche's opportunity, 0–100, and the parts it is made of (each 0…1), so the screen can show
/// how it was reached.
public struct NicheScore: Sendable, Equatable {
    /// Demand: log of the average daily volume (10,000 a day is 1).
    public var demand: Double
    /// Growth against the window before (−50 % is 0, +100 % is 1; 0.5 when there is no window before).
    public var growth: Double
    /// Room left by the competition (1,000,000 competing listings is 0); nil when unknown.
    public var competition: Double?
    /// Fit with the active brand profile (`BrandProfile.fit`); nil without one.
    public var fit: Double?
    /// The weights the parts were given (without a competition figure, its weight is shared
    /// out; with a brand, its fit takes a fifth).
    public var weights: (demand: Double, growth: Double, competition: Double, fit: Double)
    public var opportunity: Int

    public static func == (a: NicheScore, b: NicheScore) -> Bool {
        a.demand == b.demand && a.growth == b.growth && a.competition == b.competition && a.fit == b.fit && a.opportunity == b.opportunity
    }
}

/// The kind of product a keyword is about, read from its product words; the Trends table's
/// category filter.
public enum ProductCategory: String, CaseIterable, Sendable, Codable {
    case apparel, drinkware, wallArt = "wall_art", stickers, bags, home, jewellery, stationery, accessories, digital, other
}

public enum NicheMath {
    /// Product words and the category each names, longest first where one contains another:
    /// what is left of a keyword without them is its niche ("funny cat mug" → "funny cat").
    static let products: [(term: String, category: ProductCategory)] = [
        ("phone case", .accessories), ("tote bag", .bags), ("t-shirt", .apparel), ("t shirt", .apparel), ("tshirt", .apparel),
        ("sweatshirt", .apparel), ("shirt", .apparel), ("tee", .apparel), ("hoodie", .apparel), ("hat", .apparel), ("cap", .apparel),
        ("mug", .drinkware), ("tumbler", .drinkware), ("poster", .wallArt), ("print", .wallArt), ("canvas", .wallArt),
        ("sticker", .stickers), ("pillow", .home), ("ornament", .home), ("blanket", .home), ("card", .stationery),
        ("tote", .bags), ("bag", .bags), ("necklace", .jewellery), ("earrings", .jewellery), ("svg", .digital), ("png", .digital),
    ]

    static func words(_ keyword: String) -> [String] {
        keyword.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// Where the words of `term` stand in `words`, as a range, if they do.
    static func find(_ term: String, in words: [String]) -> Range<Int>? {
        let parts = term.split(separator: " ").map(String.init)
        guard parts.count <= words.count else { return nil }
        return (0...(words.count - parts.count)).first { Array(words[$0..<($0 + parts.count)]) == parts }.map { $0..<($0 + parts.count) }
    }

    /// The niche a keyword belongs to: its words without the product words; nil when nothing is left.
    public static func niche(of keyword: String) -> String? {
        var words = words(keyword)
        for (term, _) in products {
            while let range = find(term, in: words) { words.removeSubrange(range) }
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The kind of product a keyword names (the first product word of the list found in it);
    /// `.other` when it names none.
    public static func category(of keyword: String) -> ProductCategory {
        let words = words(keyword)
        return products.first { find($0.term, in: words) != nil }?.category ?? .other
    }

    static func clamp(_ x: Double) -> Double { min(1, max(0, x)) }

    /// The score of a niche over a window of `days` days.
    public static func score(volume: Double, previousVolume: Double, competition: Double?, days: Int, fit: Double? = nil) -> NicheScore {
        let daily = volume / Double(max(1, days))
        let demand = clamp(log10(1 + daily) / 4)
        let growth = TrendMath.growth(current: volume, previous: previousVolume).map { clamp(($0 + 0.5) / 1.5) } ?? 0.5
        let room = competition.map { 1 - clamp(log10(1 + $0) / 6) }
        let fitWeight = fit == nil ? 0 : 0.2, market = 1 - fitWeight
        let base = room == nil ? (0.4 / 0.75, 0.35 / 0.75, 0.0) : (0.4, 0.35, 0.25)
        let weights = (demand: base.0 * market, growth: base.1 * market, competition: base.2 * market, fit: fitWeight)
        let total = weights.demand * demand + weights.growth * growth + weights.competition * (room ?? 0) + weights.fit * (fit ?? 0)
        return NicheScore(
            demand: demand, growth: growth, competition: room, fit: fit, weights: weights, opportunity: Checked.clampedInt(total * 100, in: 0...100))
    }

    /// Niches from keyword rows (keyword, volume, volume before, competition, demo), strongest
    /// opportunity first.
    /// With a brand profile, each niche's fit with it is part of its score.
    public static func niches(
        _ rows: [(keyword: String, volume: Double, previous: Double, competition: Double?, isDemo: Bool)],
        region: String, days: Int, brand: BrandProfile? = nil
    ) -> [NicheRow] {
        struct Acc {
            var keywords: [(String, Double)] = []
            var volume = 0.0, previous = 0.0, weighted = 0.0, weight = 0.0
            var demo = true
        }
        var groups: [String: Acc] = [:]
        for r in rows {
            guard let name = niche(of: r.keyword) else { continue }
            var a = groups[name] ?? Acc()
            a.keywords.append((r.keyword, r.volume))
            a.volume += r.volume
            a.previous += r.previous
            if let c = r.competition {
                a.weighted += c * max(1, r.volume)
                a.weight += max(1, r.volume)
            }
            a.demo = a.demo && r.isDemo
            groups[name] = a
        }
        return groups.map { name, a in
            let competition = a.weight > 0 ? a.weighted / a.weight : nil
            return NicheRow(
                name: name, region: region, keywords: a.keywords.sorted { $0.1 > $1.1 }.map(\.0), volume: a.volume,
                previousVolume: a.previous, competition: competition,
                score: score(
                    volume: a.volume, previousVolume: a.previous, competition: competition, days: days,
                    fit: brand?.fit(niche: name)), isDemo: a.demo)
        }.sorted { ($0.score.opportunity, $0.volume, $1.name) > ($1.score.opportunity, $1.volume, $0.name) }
    }
}
