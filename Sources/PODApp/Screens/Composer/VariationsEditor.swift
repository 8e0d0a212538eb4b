import Foundation
import PODCore
import PODStore
import TerminalUI

/// The composer's variations grid (Details → Variations, `Enter`): up to two properties of
/// the listing's category with their values, then one row per combination with its price,
/// quantity, SKU and whether it is for sale.
public struct VariationsEditor: Sendable, Equatable {
    /// The grid's columns after the values.
    public enum Column: Int, CaseIterable, Sendable { case price, quantity, sku, enabled }

    public var variations: Variations
    /// The category's properties that can vary (from the last sync); nil while loading.
    public var available: [TaxonomyProperty]?
    /// 0–3: the first property, its values, the second property, its values; 4 on: the grid's rows.
    public var row = 0
    public var column = Column.price
    /// The text of the line or cell with the keyboard.
    public var input = TextFieldState()
    /// The listing's price and quantity: what a new combination starts with.
    public var listingPrice: Int?
    public var listingQuantity: Int?

    static let headerRows = 4

    public init(draft: ListingDraft) {
        variations = draft.variations ?? Variations(properties: [])
        (listingPrice, listingQuantity) = (draft.priceCents, draft.quantity)
    }

    var onGrid: Bool { row >= Self.headerRows }
    var combination: Int { row - Self.headerRows }
    /// The header line's property (0 or 1) and whether it is its values line.
    var header: (property: Int, values: Bool) { (row / 2, row % 2 == 1) }
}

extension ComposerScreen {
    static func openVariations(_ s: inout AppState, _ e: EditorState) -> [Effect] {
        var editor = VariationsEditor(draft: e.draft)
        editor.input = lineText(s, editor)
        s.overlay = .variations(editor)
        guard let taxonomy = e.draft.taxonomyID else {
            editor.available = []
            s.overlay = .variations(editor)
            return []
        }
        return [.job(Self.self, .loadVariationProperties(taxonomyID: taxonomy))]
    }

    /// What the line or cell with the keyboard holds, as text.
    static func lineText(_ s: AppState, _ v: VariationsEditor) -> TextFieldState {
        let vs = v.variations
        if !v.onGrid {
            let (p, values) = v.header
            guard values, p < vs.properties.count else { return TextFieldState() }
            return TextFieldState(vs.properties[p].values.joined(separator: ", "))
        }
        guard let c = vs.combinations.element(at: v.combination) else { return TextFieldState() }
        switch v.column {
        case .price: return TextFieldState(c.priceCents.map { s.formats.plainAmount(cents: $0) } ?? "")
        case .quantity: return TextFieldState(c.quantity.map(String.init) ?? "")
        case .sku: return TextFieldState(c.sku, maxLength: ListingRules.skuMax)
        case .enabled: return TextFieldState()
        }
    }

    /// Takes the typed text into the variations (values re-make the grid).
    static func commitLine(_ s: AppState, _ v: inout VariationsEditor) {
        let text = v.input.text
        if !v.onGrid {
            let (p, values) = v.header
            guard values, p < v.variations.properties.count else { return }
            v.variations.properties[p].values = splitList(text)
            v.variations.reconcile()
            fillDefaults(&v)
            return
        }
        guard v.variations.combinations.indices.contains(v.combination) else { return }
        let t = text.trimmingWhitespace()
        switch v.column {
        case .price: v.variations.combinations[v.combination].priceCents = s.formats.parseAmount(t)
        case .quantity: v.variations.combinations[v.combination].quantity = Int(t)
        case .sku: v.variations.combinations[v.combination].sku = t
        case .enabled: break
        }
    }

    /// New combinations start at the listing's price and quantity, written out (what Etsy reads back).
    static func fillDefaults(_ v: inout VariationsEditor) {
        for i in v.variations.combinations.indices {
            if v.variations.combinations[i].priceCents == nil { v.variations.combinations[i].priceCents = v.listingPrice }
            if v.variations.combinations[i].quantity == nil { v.variations.combinations[i].quantity = v.listingQuantity }
        }
    }

    /// The property on header line `p` chosen from the category's, by `step` (none first).
    static func cycleProperty(_ v: inout VariationsEditor, _ p: Int, by step: Int) {
        let options: [TaxonomyProperty?] =
            [nil] + (v.available ?? []).filter { a in !v.variations.properties.enumerated().contains { $0.offset != p && $0.element.id == a.id } }
        let current = v.variations.properties.element(at: p)?.id
        let i = options.firstIndex { $0?.id == current } ?? 0
        let next = options[(i + step + options.count) % options.count]
        if var property = next {
            property.values = Array(property.values.prefix(4))
            if p < v.variations.properties.count { v.variations.properties[p] = property } else { v.variations.properties.append(property) }
        } else if p < v.variations.properties.count {
            v.variations.properties.remove(at: p)
        }
        v.variations.reconcile()
        fillDefaults(&v)
    }

    static func handleVariations(_ s: inout AppState, _ editor: VariationsEditor, _ key: Key) -> [Effect] {
        var v = editor
        let rows = VariationsEditor.headerRows + v.variations.combinations.count
        let onChoice = !v.onGrid && !v.header.values
        let onSwitch = v.onGrid && v.column == .enabled
        let command = dialogCommand(s, key, typing: !onChoice && !onSwitch)
        func move(_ to: () -> Void) {
            commitLine(s, &v)
            to()
            v.input = lineText(s, v)
        }
        switch command {
        case .back?:
            s.overlay = nil
            return []
        case .select?:
            commitLine(s, &v)
            s.overlay = nil
            guard var e = s.composer.editor else { return [] }
            let grid = v.variations.properties.isEmpty ? nil : v.variations
            e.draft.variations = grid
            // The listing shows its lowest price on Etsy.
            if let low = grid?.combinations.filter(\.enabled).compactMap(\.priceCents).min() {
                e.set(.price, s.formats.plainAmount(cents: low), formats: s.formats)
            }
            let effects = changed(&s, &e)
            s.composer.editor = e
            return effects
        case .up?, .listPrevious?: move { v.row = max(0, v.row - 1) }
        case .down?, .listNext?: move { v.row = min(rows - 1, v.row + 1) }
        case .focusNext?: move { if v.onGrid { v.column = Column(rawValue: (v.column.rawValue + 1) % 4) ?? .price } else { v.row = min(rows - 1, v.row + 1) } }
        case .focusPrevious?: move { if v.onGrid { v.column = Column(rawValue: (v.column.rawValue + 3) % 4) ?? .price } else { v.row = max(0, v.row - 1) } }
        case .fillDown?:
            guard v.onGrid else { break }
            commitLine(s, &v)
            let from = v.variations.combinations[v.combination]
            for i in v.combination..<v.variations.combinations.count {
                switch v.column {
                case .price: v.variations.combinations[i].priceCents = from.priceCents
                case .quantity: v.variations.combinations[i].quantity = from.quantity
                case .sku: v.variations.combinations[i].sku = from.sku
                case .enabled: v.variations.combinations[i].enabled = from.enabled
                }
            }
        case .left? where onChoice, .right? where onChoice:
            cycleProperty(&v, v.header.property, by: command == .left ? -1 : 1)
        default:
            if onSwitch {
                if key == .char(" ") { v.variations.combinations[v.combination].enabled.toggle() }
            } else if !onChoice, let edit = TextFieldState.edit(for: key, keymap: s.keymap) {
                v.input.apply(edit)
            }
        }
        s.overlay = .variations(v)
        return []
    }

    typealias Column = VariationsEditor.Column

    static func renderVariations(_ s: AppState, _ v: VariationsEditor, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let width = min(s.width - 2, 96), height = max(8, s.height - 2)
        let rect = Rect(x: (s.width - width) / 2, y: 1, width: width, height: min(height, s.height))
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: t.t("variations.title"), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        let label = min(18, inner.width / 4)
        var y = inner.y
        for p in 0..<Variations.propertiesMax where y + 1 < inner.maxY {
            let property = v.variations.properties.element(at: p)
            let choiceFocused = v.row == p * 2, valuesFocused = v.row == p * 2 + 1
            f.put(t.t("variations.property", ["n": "\(p + 1)"]), x: inner.x, y: y, style: choiceFocused ? th.accent : th.muted, maxWidth: label)
            let name = property?.name ?? t.t(v.available == nil ? "common.loading" : "variations.none")
            f.putPadded("‹ " + name + " ›", x: inner.x + label, y: y, width: min(30, inner.width - label), style: choiceFocused ? th.selection : th.input)
            y += 1
            f.put(t.t("variations.values"), x: inner.x, y: y, style: valuesFocused ? th.accent : th.muted, maxWidth: label)
            if valuesFocused {
                v.input.render(into: &f, x: inner.x + label, y: y, width: inner.width - label, style: th.input, focused: true)
            } else {
                f.put(property?.values.joined(separator: ", ") ?? "", x: inner.x + label, y: y, style: th.base, maxWidth: inner.width - label)
            }
            y += 1
        }
        if v.available?.isEmpty == true {
            f.put(t.t("variations.no_properties"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width)
        }
        y += 1
        // The grid: values, then price, quantity, SKU, on.
        let widths = [max(10, inner.width - 46), 12, 8, 18, 6]
        let headers = [
            v.variations.properties.map(\.name).joined(separator: " / "), t.t("field.price"), t.t("field.quantity"), t.t("field.sku"),
            t.t("variations.on"),
        ]
        var x = inner.x
        for (i, h) in headers.enumerated() {
            f.put(h, x: x, y: y, style: th.header, maxWidth: widths[i] - 1)
            x += widths[i]
        }
        y += 1
        let room = max(1, inner.maxY - 2 - y)
        let start = min(max(0, v.combination - room + 1), max(0, v.variations.combinations.count - room))
        for (i, c) in v.variations.combinations.enumerated().dropFirst(start).prefix(room) {
            let rowFocused = v.onGrid && i == v.combination
            let cells = [
                c.values.joined(separator: " / "), c.priceCents.map { s.formats.price(cents: $0) } ?? "", c.quantity.map(String.init) ?? "", c.sku,
                c.enabled ? "[x]" : "[ ]",
            ]
            x = inner.x
            for (col, text) in cells.enumerated() {
                let focused = rowFocused && col - 1 == v.column.rawValue
                if focused && v.column != .enabled {
                    v.input.render(into: &f, x: x, y: y, width: widths[col] - 1, style: th.input, focused: true)
                } else {
                    f.put(text, x: x, y: y, style: focused ? th.selection : (c.enabled ? th.base : th.muted), maxWidth: widths[col] - 1)
                }
                x += widths[col]
            }
            y += 1
        }
        let issues = v.variations.issues(listingPrice: v.listingPrice, listingQuantity: v.listingQuantity)
        if let issue = issues.first {
            f.put("✗ " + t.message(for: issue), x: inner.x, y: inner.maxY - 2, style: th.danger, maxWidth: inner.width)
        }
        f.put(keyLine(s, [.select, .back, .focusNext, .fillDown], scope: "variations"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }
}
