import Foundation

/// One change applied to many listings at once (the Listings table's bulk edit): pure, so the
/// preview and the queueing compute the same result.
public enum BulkEdit: Equatable, Sendable {
    /// The price by a percentage (+10, −15), rounded to the cent, or to the nearest .99.
    case pricePercent(Double, roundTo99: Bool)
    /// The price by an amount in minor units (+200, −150), or to the nearest .99.
    case priceAmount(cents: Int, roundTo99: Bool)
    case addTag(String)
    case removeTag(String)
    case replaceTag(String, with: String)
    /// Find and replace (exact text) in titles and descriptions.
    case findReplace(String, with: String)
    case shippingProfile(Int)
    case shopSection(Int)
    /// Publish or take down (a change of state on the shop, not of the fields).
    case activate, deactivate

    public enum Kind: String, CaseIterable, Sendable {
        case pricePercent = "price_percent", priceAmount = "price_amount", addTag = "add_tag", removeTag = "remove_tag"
        case replaceTag = "replace_tag", findReplace = "find_replace", shippingProfile = "shipping_profile", shopSection = "shop_section"
        case activate, deactivate
    }

    public var kind: Kind {
        switch self {
        case .pricePercent: .pricePercent
        case .priceAmount: .priceAmount
        case .addTag: .addTag
        case .removeTag: .removeTag
        case .replaceTag: .replaceTag
        case .findReplace: .findReplace
        case .shippingProfile: .shippingProfile
        case .shopSection: .shopSection
        case .activate: .activate
        case .deactivate: .deactivate
        }
    }

    /// True for a change of state; the others change fields.
    public var changesState: Bool { self == .activate || self == .deactivate }

    /// The draft with the change made (unchanged for a change of state).
    public func apply(to draft: ListingDraft) -> ListingDraft {
        var d = draft
        switch self {
        case .pricePercent(let percent, let round99):
            guard let p = d.priceCents else { break }
            let raw = (Double(p) * (100 + percent) / 100).rounded()
            d.priceCents = Self.price(raw.isFinite ? Int(max(0, min(raw, Double(Int32.max)))) : p, roundTo99: round99)
        case .priceAmount(let cents, let round99):
            guard let p = d.priceCents else { break }
            d.priceCents = Self.price(max(0, p + cents), roundTo99: round99)
        case .addTag(let tag):
            if !d.tags.contains(where: { Self.same($0, tag) }) { d.tags.append(tag) }
        case .removeTag(let tag):
            d.tags.removeAll { Self.same($0, tag) }
        case .replaceTag(let old, let new):
            guard let i = d.tags.firstIndex(where: { Self.same($0, old) }) else { break }
            if d.tags.contains(where: { Self.same($0, new) }) { d.tags.remove(at: i) } else { d.tags[i] = new }
        case .findReplace(let find, let replacement):
            guard !find.isEmpty else { break }
            d.title = d.title.replacingOccurrences(of: find, with: replacement)
            d.description = d.description.replacingOccurrences(of: find, with: replacement)
        case .shippingProfile(let id): d.shippingProfileID = id
        case .shopSection(let id): d.shopSectionID = id
        case .activate, .deactivate: break
        }
        return d
    }

    /// A price, or the nearest one ending in .99 (never below 0.99).
    public static func price(_ cents: Int, roundTo99: Bool) -> Int {
        guard roundTo99 else { return cents }
        let up = (cents / 100) * 100 + 99, down = up - 100
        return down > 0 && cents - down <= up - cents ? down : up
    }

    /// Tags are the same regardless of case and surrounding spaces (as Etsy treats them).
    static func same(_ a: String, _ b: String) -> Bool {
        a.trimmingWhitespace().lowercased() == b.trimmingWhitespace().lowercased()
    }
}

/// What a bulk edit changes in one field of one listing, as the preview shows it: the price in
/// minor units, lists joined with ", ", and around the first difference for a long text.
public struct FieldChange: Equatable, Sendable {
    public var field: ListingField
    public var before: String
    public var after: String

    public init(field: ListingField, before: String, after: String) {
        self.field = field
        self.before = before
        self.after = after
    }

    /// The fields that differ between two versions of a listing, as the preview shows them.
    public static func between(_ a: ListingDraft, _ b: ListingDraft) -> [FieldChange] {
        ListingMerge.changed(from: a, to: b).map { field in
            switch field {
            case .price: return FieldChange(field: field, before: a.priceCents.map(String.init) ?? "", after: b.priceCents.map(String.init) ?? "")
            case .tags, .materials, .styles:
                let split = { (d: ListingDraft) in d.shopValue(field).split(separator: "\u{1F}").map(String.init) }
                let old = split(a), new = split(b)
                let removed = old.filter { !new.contains($0) }, added = new.filter { !old.contains($0) }
                return FieldChange(field: field, before: removed.joined(separator: ", "), after: added.joined(separator: ", "))
            default:
                let (x, y) = excerpt(a.shopValue(field), b.shopValue(field))
                return FieldChange(field: field, before: x, after: y)
            }
        }
    }

    /// Two long texts cut to the part around where they first differ.
    static func excerpt(_ a: String, _ b: String, room: Int = 60) -> (String, String) {
        guard a.count > room || b.count > room else { return (a, b) }
        let same = zip(a, b).prefix { $0 == $1 }.count
        let start = max(0, same - 20)
        func cut(_ s: String) -> String {
            let part = s.dropFirst(start).prefix(room)
            return (start > 0 ? "…" : "") + part + (start + part.count < s.count ? "…" : "")
        }
        return (cut(a), cut(b))
    }
}
