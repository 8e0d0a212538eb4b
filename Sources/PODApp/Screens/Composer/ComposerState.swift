import Foundation
import PODCore
import PODStore
import TerminalUI

/// The composer's seven steps.
public enum ComposerStep: Int, CaseIterable, Sendable {
    case product, keywords, title, description, tags, metadata, review

    public var titleKey: String { "step.\(self)" }

    /// The fields of the step, in Tab order.
    public var fields: [EditorField] {
        switch self {
        case .product: return [.niche, .keyword, .productType, .tone, .audience, .language, .brandRules]
        case .keywords: return [.keywords]
        case .title: return [.title]
        case .description: return [.description]
        case .tags: return [.tags]
        case .metadata:
            return [
                .materials, .styles, .occasion, .holiday, .recipient, .taxonomyID, .whoMade, .whenMade,
                .shippingProfileID, .shopSectionID, .returnPolicyID, .price, .quantity, .sku, .variations, .images, .product,
            ]
        case .review: return []
        }
    }
}

/// An editable field of the composer. Most are one-line text; a few are choices cycled with
/// ←/→; the description is a multi-line area.
public enum EditorField: String, CaseIterable, Sendable {
    case niche, keyword, productType = "product_type", tone, audience, language, brandRules = "brand_rules"
    case keywords, title, description, tags
    case materials, styles, occasion, holiday, recipient, taxonomyID = "taxonomy_id", whoMade = "who_made", whenMade = "when_made"
    case shippingProfileID = "shipping_profile_id", shopSectionID = "shop_section_id", returnPolicyID = "return_policy_id"
    case price, quantity, sku, variations, images, product

    public var labelKey: String { "field.\(rawValue)" }

    /// The values a choice field cycles through (nil for text fields).
    public var choices: [String]? {
        switch self {
        case .tone: return Tone.allCases.map(\.rawValue)
        case .language: return listingLanguages
        case .whoMade: return [""] + WhoMade.allCases.map(\.rawValue)
        case .whenMade: return [""] + WhenMade.allCases.map(\.rawValue)
        default: return nil
        }
    }

    /// What a picker offers for this field (an id typed by hand works too): the seller
    /// taxonomy, and the shop's shipping profiles, sections and return policies.
    public var pickerPurpose: PickerState.Purpose? {
        switch self {
        case .taxonomyID: return .taxonomy
        case .shippingProfileID: return .shippingProfile
        case .shopSectionID: return .shopSection
        case .returnPolicyID: return .returnPolicy
        default: return nil
        }
    }

    /// The rule field whose issues show beside this one.
    public var ruleField: ListingField? { ListingField(rawValue: rawValue) }

    /// Comma-separated lists.
    public var isList: Bool { [.keywords, .tags, .materials, .styles, .images].contains(self) }

    public var maxLength: Int? {
        switch self {
        case .brandRules: return ListingRules.brandRulesMax
        case .title: return 400
        default: return 2000
        }
    }
}

/// An open draft: the draft itself, the text of every field as typed, and where the keyboard is.
public struct EditorState: Sendable, Equatable {
    public var draft: ListingDraft
    public var step: ComposerStep
    public var fieldIndex = 0
    public var inputs: [EditorField: TextFieldState] = [:]
    public var description: TextAreaState
    /// Changed since the last save; `editedAt` is when (the autosave runs a moment after).
    public var dirty = false
    public var editedAt: Date?
    public var savedAt: Date?
    /// The copywriter's variant for "regenerate".
    public var variant = 0
    /// The AI copywriter request being waited for (Esc cancels it).
    public var aiRequest: Int?
    /// What the ids of the category and shipping profile fields stand for.
    public var labels: [EditorField: String] = [:]
    /// Keywords from the store's trend signals like the one being written.
    public var signals: [KeywordTrend] = []
    public var suggestionIndex = 0
    /// Where the review panel is scrolled.
    public var reviewScroll = 0
    /// The provider's last refusal of this draft, shown where the seller fixes it.
    public var refusal: Refusal?
    /// Where the draft stands at its provider (the first line says it).
    public var providerStatus: ProviderStatus?

    public init(draft: ListingDraft, formats: Formats) {
        self.draft = draft
        step = ComposerStep(rawValue: draft.step) ?? .product
        description = TextAreaState(draft.description, limit: ListingDraft.descriptionLimit)
        for field in EditorField.allCases where field != .description && field.choices == nil {
            inputs[field] = TextFieldState(Self.text(of: field, in: draft, formats: formats), maxLength: field.maxLength)
        }
    }

    /// What the suggestion list offers for the field: keywords from the signals; for tags,
    /// those and phrases of the title, ranked (`TagSuggestions`).
    public var suggestions: [Suggestion] {
        switch field {
        case .tags?: return TagSuggestions.rank(signals: signals.map { ($0.keyword, $0.volume, $0.growth) }, draft: draft)
        case .keyword?, .keywords?: return signals.map { Suggestion(text: $0.keyword, growth: $0.growth) }
        default: return []
        }
    }

    public var field: EditorField? {
        let fields = step.fields
        return fields.isEmpty ? nil : fields[min(fieldIndex, fields.count - 1)]
    }

    /// The text a field shows for a draft's value.
    static func text(of field: EditorField, in d: ListingDraft, formats: Formats) -> String {
        switch field {
        case .niche: return d.niche
        case .keyword: return d.keyword
        case .productType: return d.productType
        case .audience: return d.audience
        case .brandRules: return d.brandRules
        case .keywords: return d.keywords.joined(separator: ", ")
        case .title: return d.title
        case .tags: return d.tags.joined(separator: ", ")
        case .materials: return d.materials.joined(separator: ", ")
        case .styles: return d.styles.joined(separator: ", ")
        case .occasion: return d.occasion
        case .holiday: return d.holiday
        case .recipient: return d.recipient
        case .taxonomyID: return d.taxonomyID.map(String.init) ?? ""
        case .shippingProfileID: return d.shippingProfileID.map(String.init) ?? ""
        case .shopSectionID: return d.shopSectionID.map(String.init) ?? ""
        case .returnPolicyID: return d.returnPolicyID.map(String.init) ?? ""
        case .price: return d.priceCents.map { formats.plainAmount(cents: $0) } ?? ""
        case .quantity: return d.quantity.map(String.init) ?? ""
        case .sku: return d.sku
        case .images: return d.imageList.joined(separator: ", ")
        case .description, .tone, .language, .whoMade, .whenMade, .variations, .product: return ""
        }
    }

    /// Copies a field's text into the draft. Numbers that do not parse are kept as typed in
    /// the field and leave the draft's value empty, so the rules say what is missing.
    mutating func commit(_ field: EditorField, formats: Formats) {
        let text = field == .description ? description.text : (inputs[field]?.text ?? "")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch field {
        case .niche: draft.niche = text
        case .keyword: draft.keyword = text
        case .productType: draft.productType = text
        case .audience: draft.audience = text
        case .brandRules: draft.brandRules = text
        case .keywords: draft.keywords = splitList(text)
        case .title: draft.title = text
        case .description: draft.description = text
        case .tags: draft.tags = splitList(text)
        case .materials: draft.materials = splitList(text)
        case .styles: draft.styles = splitList(text)
        case .occasion: draft.occasion = text
        case .holiday: draft.holiday = text
        case .recipient: draft.recipient = text
        case .taxonomyID: setPicked(.taxonomyID, \.taxonomyID, Int(trimmed))
        case .shippingProfileID: setPicked(.shippingProfileID, \.shippingProfileID, Int(trimmed))
        case .shopSectionID: setPicked(.shopSectionID, \.shopSectionID, Int(trimmed))
        case .returnPolicyID: setPicked(.returnPolicyID, \.returnPolicyID, Int(trimmed))
        case .price: draft.priceCents = formats.parseAmount(trimmed)
        case .quantity: draft.quantity = Int(trimmed)
        case .sku: draft.sku = trimmed
        case .images:
            let paths = splitList(text)
            draft.images = paths.isEmpty ? nil : paths
        case .tone, .language, .whoMade, .whenMade, .variations, .product: break
        }
    }

    /// A picked id typed by hand: the name shown beside it goes when the id changes.
    private mutating func setPicked(_ field: EditorField, _ id: WritableKeyPath<ListingDraft, Int?>, _ value: Int?) {
        if draft[keyPath: id] != value { labels[field] = nil }
        draft[keyPath: id] = value
    }

    /// Sets a field's text (after the copywriter or a suggestion) and the draft with it.
    mutating func set(_ field: EditorField, _ text: String, formats: Formats) {
        if field == .description {
            description = TextAreaState(text, limit: ListingDraft.descriptionLimit)
        } else {
            inputs[field, default: TextFieldState()].apply(.set(text))
        }
        commit(field, formats: formats)
    }

    /// The choice a choice field shows.
    func choice(_ field: EditorField) -> String {
        switch field {
        case .tone: return draft.tone.rawValue
        case .language: return draft.language
        case .whoMade: return draft.whoMade?.rawValue ?? ""
        case .whenMade: return draft.whenMade
        default: return ""
        }
    }

    mutating func setChoice(_ field: EditorField, _ value: String) {
        switch field {
        case .tone: draft.tone = Tone(rawValue: value) ?? draft.tone
        case .language: draft.language = value
        case .whoMade: draft.whoMade = WhoMade(rawValue: value)
        case .whenMade: draft.whenMade = value
        default: break
        }
    }
}

/// The composer screen: the drafts list, and the editor when a draft is open.
public struct ComposerState: Sendable, Equatable {
    public var drafts = FilteredTable<DraftSummary, DraftSort>(sort: .updated)
    public var editor: EditorState?
    /// A new draft or an opened one is on its way from the store.
    public var opening = false
    /// The last AI copywriter request's number (each request has its own).
    public var copyRequests = 0
}
