import Foundation

/// A keyword or tag the composer offers.
public struct Suggestion: Equatable, Sendable {
    public var text: String
    /// The keyword's growth over its window, when it comes from the trend signals.
    public var growth: Double?
    public init(text: String, growth: Double? = nil) {
        self.text = text
        self.growth = growth
    }
}

/// Ranks tag suggestions from the store's trend signals, the title and the description:
/// each candidate scores its share of the best volume among the signals (0–1), plus 1 when
/// the title contains it and 0.5 when the description does. Phrases of the title (its parts
/// between `,` `–` `|` and the two-word runs within them) are candidates too. Candidates that break the tag
/// rules or are already tags are left out; two-word runs never start or end with a word such
/// as "for" or "the".
public enum TagSuggestions {
    /// Words a two-word phrase neither starts nor ends with (in the four listing languages).
    static let stopWords: Set<String> = [
        "a", "an", "and", "the", "for", "of", "to", "with", "in", "on", "or", "by",
        "y", "de", "del", "la", "el", "los", "las", "para", "con", "un", "una",
        "et", "le", "les", "du", "des", "pour", "avec", "au",
        "und", "der", "die", "das", "für", "mit", "zum", "zur", "ein", "eine",
    ]

    public static func rank(signals: [(keyword: String, volume: Double, growth: Double?)], draft: ListingDraft, limit: Int = 12) -> [Suggestion] {
        let title = draft.title.lowercased(), description = draft.description.lowercased()
        let existing = Set(draft.tags.map { $0.lowercased() })
        let best = max(1, signals.map(\.volume).max() ?? 1)
        var scored: [String: (score: Double, growth: Double?, order: Int)] = [:]
        func add(_ text: String, volumeShare: Double, growth: Double?) {
            let tag = text.trimmingWhitespace().lowercased()
            guard !tag.isEmpty, !existing.contains(tag), ListingRules.checkTag(tag).isEmpty else { return }
            let score = volumeShare + (title.contains(tag) ? 1 : 0) + (description.contains(tag) ? 0.5 : 0)
            if let old = scored[tag], old.score >= score { return }
            scored[tag] = (score, growth ?? scored[tag]?.growth, scored[tag]?.order ?? scored.count)
        }
        for s in signals { add(s.keyword, volumeShare: s.volume / best, growth: s.growth) }
        for part in title.split(whereSeparator: { ",–|".contains($0) }) {
            add(String(part), volumeShare: 0, growth: nil)
            let words = part.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "-" })
            for (a, b) in zip(words, words.dropFirst()) where !stopWords.contains(String(a)) && !stopWords.contains(String(b)) {
                add("\(a) \(b)", volumeShare: 0, growth: nil)
            }
        }
        return scored.sorted { $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.value.order < $1.value.order }
            .prefix(limit).map { Suggestion(text: $0.key, growth: $0.value.growth) }
    }
}
