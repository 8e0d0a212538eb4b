import Foundation

/// A listing's search-readiness, 0–100, as the sum of seven parts, each with its points, its
/// maximum and a reason code (`seo.PART.REASON` in the locales) that says what to do:
///
/// | part | max | full points when |
/// |---|---|---|
/// | title length | 20 | 100–140 characters (70–99: 14, 40–69: 8, 1–39: 3) |
/// | keyword early in title | 20 | the primary keyword starts within the first 40 characters (later: 10) |
/// | keyword in description | 10 | it appears in the first 160 characters (later: 6) |
/// | tags used | 20 | all 13 tags (20 × n / 13) |
/// | tag variety | 10 | at least 70 % of the words across tags are distinct (10 × (ratio − 0.3) / 0.4, 0 at 30 % or less) |
/// | description length | 10 | 300 characters or more (150–299: 6, 1–149: 2) |
/// | description structure | 10 | two or more paragraphs (5) and a list of `-`/`•`/`*` lines (5) |
public struct SEOScore: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public var name: String
        public var points: Int
        public var max: Int
        public var reason: String
    }

    public var parts: [Part]
    public var total: Int { parts.reduce(0) { $0 + $1.points } }

    public init(_ d: ListingDraft) {
        let title = d.title.trimmingWhitespace()
        let keyword = d.keyword.trimmingWhitespace().lowercased()
        let description = d.description.trimmingWhitespace()
        var parts: [Part] = []

        let n = title.count
        let (titlePoints, titleReason) = n >= 100 ? (20, "good") : n >= 70 ? (14, "short") : n >= 40 ? (8, "short") : n > 0 ? (3, "short") : (0, "missing")
        parts.append(Part(name: "title_length", points: titlePoints, max: 20, reason: titleReason))

        if keyword.isEmpty {
            parts.append(Part(name: "keyword_title", points: 0, max: 20, reason: "no_keyword"))
            parts.append(Part(name: "keyword_description", points: 0, max: 10, reason: "no_keyword"))
        } else {
            let at = Self.position(of: keyword, in: title.lowercased())
            parts.append(
                at.map {
                    $0 < 40
                        ? Part(name: "keyword_title", points: 20, max: 20, reason: "good")
                        : Part(name: "keyword_title", points: 10, max: 20, reason: "late")
                }
                    ?? Part(name: "keyword_title", points: 0, max: 20, reason: "missing"))
            let inDescription = Self.position(of: keyword, in: description.lowercased())
            parts.append(
                inDescription.map {
                    $0 < 160
                        ? Part(name: "keyword_description", points: 10, max: 10, reason: "good")
                        : Part(name: "keyword_description", points: 6, max: 10, reason: "late")
                }
                    ?? Part(name: "keyword_description", points: 0, max: 10, reason: "missing"))
        }

        let tagCount = min(d.tags.count, ListingRules.tagsMax)
        parts.append(
            Part(
                name: "tags_used", points: 20 * tagCount / ListingRules.tagsMax, max: 20,
                reason: tagCount == ListingRules.tagsMax ? "good" : "few"))

        let words = d.tags.flatMap { $0.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init) }
        if words.isEmpty {
            parts.append(Part(name: "tag_variety", points: 0, max: 10, reason: "missing"))
        } else {
            let ratio = Double(Set(words).count) / Double(words.count)
            let points = Int((10 * min(1, max(0, ratio - 0.3) / 0.4)).rounded())
            parts.append(Part(name: "tag_variety", points: points, max: 10, reason: points >= 8 ? "good" : "overlap"))
        }

        let length = description.count
        let (dPoints, dReason) = length >= 300 ? (10, "good") : length >= 150 ? (6, "short") : length > 0 ? (2, "short") : (0, "missing")
        parts.append(Part(name: "description_length", points: dPoints, max: 10, reason: dReason))

        let paragraphs = description.components(separatedBy: "\n\n").filter { !$0.trimmingWhitespace().isEmpty }.count
        let hasList = description.split(separator: "\n").contains { line in
            let t = line.trimmingWhitespace()
            return t.hasPrefix("- ") || t.hasPrefix("• ") || t.hasPrefix("* ")
        }
        let sPoints = (paragraphs >= 2 ? 5 : 0) + (hasList ? 5 : 0)
        parts.append(
            Part(
                name: "description_structure", points: sPoints, max: 10,
                reason: sPoints == 10 ? "good" : paragraphs < 2 ? "paragraphs" : "list"))
        self.parts = parts
    }

    /// The character offset where `needle` starts in `haystack`, if it does.
    static func position(of needle: String, in haystack: String) -> Int? {
        haystack.range(of: needle).map { haystack.distance(from: haystack.startIndex, to: $0.lowerBound) }
    }
}
