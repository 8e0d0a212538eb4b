import Foundation

/// The fields a rule can concern; the raw value names it in messages (`field.NAME`) and in
/// the listing file format.
public enum ListingField: String, CaseIterable, Sendable {
    case niche, keyword, productType = "product_type", audience, language, brandRules = "brand_rules"
    case keywords, title, description, tags, materials, styles, occasion, holiday, recipient
    case taxonomyID = "taxonomy_id", whoMade = "who_made", whenMade = "when_made"
    case shippingProfileID = "shipping_profile_id", price, quantity, sku, images
    case shopSectionID = "shop_section_id", returnPolicyID = "return_policy_id", variations, product
}

/// One broken rule: the field, the rule's code (the message key is `rule.CODE`) and the
/// values the message names.
public struct RuleIssue: Equatable, Sendable {
    public var field: ListingField
    public var code: String
    public var args: [String: String]
    public init(_ field: ListingField, _ code: String, _ args: [String: String] = [:]) {
        self.field = field
        self.code = code
        self.args = args
    }
}

/// Etsy's listing rules (Open API v3, createDraftListing and updateListing), checked as the
/// seller types. Saving never needs them to pass; publishing needs every one.
public enum ListingRules {
    public static let titleMax = 140
    public static let tagsMax = 13
    public static let tagLengthMax = 20
    public static let materialsMax = 13
    public static let materialLengthMax = 45
    public static let stylesMax = 2
    public static let styleLengthMax = 45
    public static let brandRulesMax = 500
    public static let skuMax = 32
    /// Etsy takes up to 20 images per listing, as JPEG, PNG or GIF.
    public static let imagesMax = 20
    /// Etsy's longest alt text of a listing photo (uploadListingImage's `alt_text`).
    public static let altTextMax = 500
    public static let imageTypes: Set<String> = ["jpg", "jpeg", "png", "gif"]
    public static let quantityMax = 999
    /// Etsy's highest price, in minor units (50,000.00).
    public static let priceMaxCents = 5_000_000
    /// Each of these may appear in a title once.
    public static let onceOnly: [Character] = ["%", ":", "&", "+"]
    static let marks: Set<Unicode.Scalar> = ["™", "©", "®"]

    /// Every rule the draft breaks, in the order of the composer's fields.
    public static func check(_ d: ListingDraft) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if d.brandRules.count > brandRulesMax { out.append(RuleIssue(.brandRules, "too_long", ["max": "\(brandRulesMax)", "count": "\(d.brandRules.count)"])) }
        out += checkTitle(d.title)
        if d.description.trimmingWhitespace().isEmpty { out.append(RuleIssue(.description, "required")) }
        out += checkTags(d.tags)
        out += checkMaterials(d.materials)
        out += checkStyles(d.styles)
        out += checkImages(d.imageList)
        for path in d.imageList {
            if let alt = d.imageAlts?[path], alt.count > altTextMax {
                out.append(RuleIssue(.images, "alt_too_long", ["value": path, "max": "\(altTextMax)", "count": "\(alt.count)"]))
            }
        }
        if d.taxonomyID == nil { out.append(RuleIssue(.taxonomyID, "required")) }
        if d.whoMade == nil { out.append(RuleIssue(.whoMade, "required")) }
        if d.whenMade.isEmpty {
            out.append(RuleIssue(.whenMade, "required"))
        } else if WhenMade(rawValue: d.whenMade) == nil {
            out.append(RuleIssue(.whenMade, "when_made", ["value": d.whenMade]))
        }
        if d.shippingProfileID == nil { out.append(RuleIssue(.shippingProfileID, "required_physical")) }
        switch d.priceCents {
        case nil: out.append(RuleIssue(.price, "required"))
        case let p? where p <= 0: out.append(RuleIssue(.price, "price_positive"))
        case let p? where p > priceMaxCents: out.append(RuleIssue(.price, "price_max", ["max": "50000"]))
        default: break
        }
        switch d.quantity {
        case nil: out.append(RuleIssue(.quantity, "required"))
        case let q? where q < 1 || q > quantityMax: out.append(RuleIssue(.quantity, "quantity_range", ["max": "\(quantityMax)"]))
        default: break
        }
        if d.sku.count > skuMax { out.append(RuleIssue(.sku, "too_long", ["max": "\(skuMax)", "count": "\(d.sku.count)"])) }
        if let v = d.variations { out += v.issues(listingPrice: d.priceCents, listingQuantity: d.quantity) }
        if !listingLanguages.contains(d.language) { out.append(RuleIssue(.language, "language", ["value": d.language])) }
        return out
    }

    /// Title: required, at most 140 characters of letters, digits, punctuation, spaces and
    /// ™©®; never `$`, `^` or a backtick; each of `% : & +` at most once.
    public static func checkTitle(_ title: String) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if title.trimmingWhitespace().isEmpty { return [RuleIssue(.title, "required")] }
        if title.count > titleMax { out.append(RuleIssue(.title, "too_long", ["max": "\(titleMax)", "count": "\(title.count)"])) }
        let bad = disallowed(in: title) { s in
            s.properties.isAlphabetic || s.properties.numericType == .decimal || isPunctuation(s) || isMathSymbol(s)
                || s.properties.generalCategory == .spaceSeparator || marks.contains(s)
        }
        if !bad.isEmpty { out.append(RuleIssue(.title, "characters", ["chars": bad])) }
        for c in onceOnly where title.filter({ $0 == c }).count > 1 {
            out.append(RuleIssue(.title, "once_only", ["char": String(c)]))
        }
        return out
    }

    /// Tags: at most 13, each at most 20 characters of letters, digits, spaces, `-`, `'` and
    /// ™©®, no two the same ignoring case.
    public static func checkTags(_ tags: [String]) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if tags.count > tagsMax { out.append(RuleIssue(.tags, "too_many", ["max": "\(tagsMax)", "count": "\(tags.count)"])) }
        var seen = Set<String>()
        for tag in tags {
            out += checkTag(tag)
            if !seen.insert(tag.lowercased()).inserted { out.append(RuleIssue(.tags, "duplicate", ["value": tag])) }
        }
        return out
    }

    /// One tag's own rules (length and characters).
    public static func checkTag(_ tag: String) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if tag.count > tagLengthMax { out.append(RuleIssue(.tags, "item_too_long", ["value": tag, "max": "\(tagLengthMax)"])) }
        let bad = disallowed(in: tag) { s in
            s.properties.isAlphabetic || s.properties.numericType == .decimal || s.properties.generalCategory == .spaceSeparator
                || s == "-" || s == "'" || marks.contains(s)
        }
        if !bad.isEmpty { out.append(RuleIssue(.tags, "item_characters", ["value": tag, "chars": bad])) }
        return out
    }

    /// Materials: letters, digits and spaces; at most 13 of at most 45 characters.
    public static func checkMaterials(_ materials: [String]) -> [RuleIssue] {
        checkPlainList(materials, field: .materials, max: materialsMax, lengthMax: materialLengthMax)
    }

    /// Styles: at most 2 of at most 45 characters of letters, digits and spaces.
    public static func checkStyles(_ styles: [String]) -> [RuleIssue] {
        checkPlainList(styles, field: .styles, max: stylesMax, lengthMax: styleLengthMax)
    }

    /// At most 20 images, each a .jpg, .jpeg, .png or .gif file (whether the file can be read
    /// is checked when it is sent).
    public static func checkImages(_ images: [String]) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if images.count > imagesMax { out.append(RuleIssue(.images, "too_many", ["max": "\(imagesMax)", "count": "\(images.count)"])) }
        for path in images where !imageTypes.contains((path.split(separator: ".").last.map(String.init) ?? "").lowercased()) || !path.contains(".") {
            out.append(RuleIssue(.images, "image_type", ["value": path]))
        }
        return out
    }

    static func checkPlainList(_ items: [String], field: ListingField, max: Int, lengthMax: Int) -> [RuleIssue] {
        var out: [RuleIssue] = []
        if items.count > max { out.append(RuleIssue(field, "too_many", ["max": "\(max)", "count": "\(items.count)"])) }
        for item in items {
            if item.count > lengthMax { out.append(RuleIssue(field, "item_too_long", ["value": item, "max": "\(lengthMax)"])) }
            let bad = disallowed(in: item) { s in
                s.properties.isAlphabetic || s.properties.numericType == .decimal || s.properties.generalCategory == .spaceSeparator
            }
            if !bad.isEmpty { out.append(RuleIssue(field, "item_characters", ["value": item, "chars": bad])) }
        }
        return out
    }

    /// The distinct characters of `s` that `allowed` refuses, in order of appearance.
    static func disallowed(in s: String, allowed: (Unicode.Scalar) -> Bool) -> String {
        var out = ""
        for scalar in s.unicodeScalars
        where !isAllowedASCIILetterOrDigit(scalar) && !allowed(scalar) && !isCombining(scalar)
            && !out.unicodeScalars.contains(scalar)
        {
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Letters, digits and the space pass every rule: checked without Unicode tables.
    @inline(__always)
    static func isAllowedASCIILetterOrDigit(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x20
    }

    static func isCombining(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value)
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// Math symbols (`+`, `=`, `<`…) are allowed in titles; `^` is a modifier symbol and `$`
    /// a currency symbol, both refused.
    static func isMathSymbol(_ s: Unicode.Scalar) -> Bool { s.properties.generalCategory == .mathSymbol }
}
