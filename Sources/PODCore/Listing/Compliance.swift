import Foundation

/// One line of the compliance panel.
public struct ComplianceCheck: Equatable, Sendable {
    public enum Status: String, Sendable { case pass, fail, review }
    /// The check's name (`compliance.NAME` in the locales).
    public var name: String
    public var status: Status
    /// For a failure, the broken rules; for a review, what to look at.
    public var issues: [RuleIssue]
}

/// The compliance panel: every Etsy rule group passes or fails with its reasons, and terms
/// that are often trademarks or prohibited content ask for a human review.
public enum Compliance {
    /// Terms checked when the configuration names none: well-known trademarks and wording
    /// Etsy's policies prohibit or restrict. Matched as whole words, ignoring case.
    public static let defaultRiskyTerms = [
        "disney", "marvel", "pixar", "star wars", "harry potter", "pokemon", "pokémon", "nintendo", "hello kitty",
        "nike", "adidas", "gucci", "chanel", "louis vuitton", "nfl", "nba", "mlb", "taylor swift", "barbie", "lego",
        "coca-cola", "olympic", "cure", "covid", "fda approved",
    ]

    public static func checks(_ d: ListingDraft, riskyTerms: [String] = defaultRiskyTerms) -> [ComplianceCheck] {
        let issues = ListingRules.check(d)
        func group(_ name: String, _ fields: Set<ListingField>) -> ComplianceCheck {
            let mine = issues.filter { fields.contains($0.field) }
            return ComplianceCheck(name: name, status: mine.isEmpty ? .pass : .fail, issues: mine)
        }
        var out = [
            group("title", [.title]),
            group("description", [.description]),
            group("tags", [.tags]),
            group("materials_styles", [.materials, .styles]),
            group("required", [.taxonomyID, .whoMade, .whenMade, .shippingProfileID, .quantity, .sku, .language, .brandRules]),
            group("price", [.price]),
        ]
        let found = risky(d, terms: riskyTerms)
        out.append(ComplianceCheck(name: "risky_terms", status: found.isEmpty ? .pass : .review, issues: found))
        return out
    }

    /// Risky terms found, one issue per term and field.
    public static func risky(_ d: ListingDraft, terms: [String]) -> [RuleIssue] {
        let fields: [(ListingField, String)] = [(.title, d.title), (.description, d.description), (.tags, d.tags.joined(separator: ", "))]
        var out: [RuleIssue] = []
        for term in terms where !term.isEmpty {
            for (field, text) in fields where containsWord(term.lowercased(), in: text.lowercased()) {
                out.append(RuleIssue(field, "risky_term", ["term": term]))
            }
        }
        return out
    }

    static func containsWord(_ term: String, in text: String) -> Bool {
        var searchStart = text.startIndex
        while let r = text.range(of: term, range: searchStart..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before?.isLetter ?? false) && !(before?.isNumber ?? false) && !(after?.isLetter ?? false) && !(after?.isNumber ?? false) { return true }
            searchStart = text.index(after: r.lowerBound)
        }
        return false
    }
}
