import Foundation

/// The fields a listing has on the shop that the seller edits here: what a pull brings into a
/// draft, what an update sends when it changed, and what a merge compares.
public enum ListingMerge {
    public static let shopFields: [ListingField] = [
        .title, .description, .tags, .materials, .styles, .price, .quantity, .whoMade, .whenMade, .taxonomyID, .shippingProfileID, .sku,
        .shopSectionID, .returnPolicyID, .variations,
    ]

    /// The shop fields that differ between two versions of a listing.
    public static func changed(from base: ListingDraft, to draft: ListingDraft) -> [ListingField] {
        shopFields.filter { base.shopValue($0) != draft.shopValue($0) }
    }

    /// A three-way merge, field by field, of my version and the shop's (`theirs`) against the
    /// version both started from: a field only they changed is taken from theirs, a field only I
    /// changed keeps mine, and a field both changed to different values is a conflict (mine is
    /// kept in `merged` until the seller chooses).
    public static func merge(base: ListingDraft, mine: ListingDraft, theirs: ListingDraft) -> (merged: ListingDraft, conflicts: [ListingField]) {
        var merged = mine
        var conflicts: [ListingField] = []
        for field in shopFields {
            let b = base.shopValue(field), m = mine.shopValue(field), t = theirs.shopValue(field)
            if t == b || t == m { continue }
            if m == b {
                merged.take(field, from: theirs)
            } else {
                conflicts.append(field)
            }
        }
        return (merged, conflicts)
    }
}

extension ListingDraft {
    /// A shop field's value, comparable between versions (lists in their order).
    public func shopValue(_ field: ListingField) -> String {
        switch field {
        case .title: return title
        case .description: return description
        case .tags: return tags.joined(separator: "\u{1F}")
        case .materials: return materials.joined(separator: "\u{1F}")
        case .styles: return styles.joined(separator: "\u{1F}")
        case .price: return priceCents.map(String.init) ?? ""
        case .quantity: return quantity.map(String.init) ?? ""
        case .whoMade: return whoMade?.rawValue ?? ""
        case .whenMade: return whenMade
        case .taxonomyID: return taxonomyID.map(String.init) ?? ""
        case .shippingProfileID: return shippingProfileID.map(String.init) ?? ""
        case .sku: return sku
        case .shopSectionID: return shopSectionID.map(String.init) ?? ""
        case .returnPolicyID: return returnPolicyID.map(String.init) ?? ""
        case .variations: return variations.map { v in ListingDraft.variationsJSON(v) } ?? ""
        default: return ""
        }
    }

    /// Takes one shop field's value from another version.
    public mutating func take(_ field: ListingField, from other: ListingDraft) {
        switch field {
        case .title: title = other.title
        case .description: description = other.description
        case .tags: tags = other.tags
        case .materials: materials = other.materials
        case .styles: styles = other.styles
        case .price: priceCents = other.priceCents
        case .quantity: quantity = other.quantity
        case .whoMade: whoMade = other.whoMade
        case .whenMade: whenMade = other.whenMade
        case .taxonomyID: taxonomyID = other.taxonomyID
        case .shippingProfileID: shippingProfileID = other.shippingProfileID
        case .sku: sku = other.sku
        case .shopSectionID: shopSectionID = other.shopSectionID
        case .returnPolicyID: returnPolicyID = other.returnPolicyID
        case .variations: variations = other.variations
        default: break
        }
    }
}

extension ListingDraft {
    /// Variations as comparable text (keys sorted).
    static func variationsJSON(_ v: Variations) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
