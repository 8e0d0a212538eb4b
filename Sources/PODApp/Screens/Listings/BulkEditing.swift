import Foundation
import PODCore
import PODStore
import TerminalUI

/// The bulk edit's form: the change chosen from a list, then its values.
public struct BulkEditForm: Sendable, Equatable {
    public var listingIDs: [Int64]
    public var kind: BulkEdit.Kind = .pricePercent
    /// False while the change is chosen, true while its values are typed.
    public var editing = false
    public var first = TextFieldState()
    public var second = TextFieldState()
    /// The field with the keyboard: 0 the first, 1 the second (for a price, the .99 switch).
    public var field = 0
    public var roundTo99 = false
    /// The shop's shipping profiles or sections, for those changes.
    public var choices: [PickerItem] = []
    public var choice = 0
    public var choicesLoaded = false
    /// Why the values were not taken, in the user's language.
    public var error: String?

    public init(listingIDs: [Int64]) { self.listingIDs = listingIDs }

    /// How many fields the change has (a price's second one is the .99 switch).
    var fieldCount: Int {
        switch kind {
        case .pricePercent, .priceAmount, .replaceTag, .findReplace: 2
        case .addTag, .removeTag: 1
        case .shippingProfile, .shopSection, .activate, .deactivate: 0
        }
    }
    var isPrice: Bool { kind == .pricePercent || kind == .priceAmount }
    var choosesFromShop: Bool { kind == .shippingProfile || kind == .shopSection }
}

/// A bulk edit's preview: every listing it changes, with its rule check, and those refused.
public struct BulkPreviewState: Sendable, Equatable {
    public var form: BulkEditForm
    public var edit: BulkEdit
    public var outcome: BulkOutcome
    public var scroll = 0
}

extension ListingsScreen {
    // MARK: Marking

    /// Space, `V`, `*`, Esc and `E` on the table; nil for other commands.
    static func handleMarks(_ s: inout AppState, _ command: Command) -> [Effect]? {
        let l = s.listings
        switch command {
        case .mark:
            guard let row = l.rows.row(l.rows.table.selected) else { return [] }
            if s.listings.marked.remove(row.id) == nil { s.listings.marked.insert(row.id) }
            return tableCommand(&s, \.listings.list, .down) ?? []
        case .markRange:
            guard let start = l.rangeStart else {
                s.listings.rangeStart = l.rows.table.selected
                toast(&s, s.strings.t("listings.range_started"))
                return []
            }
            s.listings.rangeStart = nil
            let (from, to) = (min(start, l.rows.table.selected), max(start, l.rows.table.selected))
            return [.job(Self.self, .markRange(offset: from, count: to - from + 1, sort: l.sort, filter: l.filter.text))]
        case .markAll:
            return [.job(Self.self, .markRange(offset: 0, count: -1, sort: l.sort, filter: l.filter.text))]
        case .back where !l.marked.isEmpty || l.rangeStart != nil:
            s.listings.marked = []
            s.listings.rangeStart = nil
            return []
        case .bulkEdit:
            let ids = l.marked.isEmpty ? l.rows.row(l.rows.table.selected).map { [$0.id] } ?? [] : l.marked.sorted()
            guard !ids.isEmpty else { return [] }
            s.overlay = .bulkEdit(BulkEditForm(listingIDs: ids))
            return []
        default:
            return nil
        }
    }

    /// Whether a row shows as marked (a range being marked included).
    static func isMarked(_ l: ListingsState, _ index: Int, id: Int64) -> Bool {
        if l.marked.contains(id) { return true }
        guard let start = l.rangeStart else { return false }
        return (min(start, l.rows.table.selected)...max(start, l.rows.table.selected)).contains(index)
    }

    // MARK: The form

    static func handleBulkForm(_ s: inout AppState, _ form: BulkEditForm, _ key: Key) -> [Effect] {
        var form = form
        let kinds = BulkEdit.Kind.allCases
        defer { if case .bulkEdit? = s.overlay { s.overlay = .bulkEdit(form) } }
        guard form.editing else {
            let i = kinds.firstIndex(of: form.kind) ?? 0
            switch dialogCommand(s, key) {
            case .back?, .quit?: s.overlay = nil
            case .up?, .listPrevious?: form.kind = kinds[(i + kinds.count - 1) % kinds.count]
            case .down?, .listNext?: form.kind = kinds[(i + 1) % kinds.count]
            case .select?:
                (form.editing, form.field, form.error) = (true, 0, nil)
                if form.kind == .activate || form.kind == .deactivate { return preview(&s, &form) }
                if form.choosesFromShop {
                    form.choicesLoaded = false
                    return [.job(Self.self, .loadChoices(form.kind))]
                }
            default: break
            }
            return []
        }
        let onSwitch = form.isPrice && form.field == 1
        let command = dialogCommand(s, key, typing: form.fieldCount > 0 && !onSwitch)
        switch command {
        case .back?:
            (form.editing, form.error) = (false, nil)
        case .focusNext?, .focusPrevious?:
            if form.fieldCount > 1 { form.field = 1 - form.field }
        case .select?:
            return preview(&s, &form)
        case .up?, .listPrevious?, .down?, .listNext?:
            if form.choosesFromShop, !form.choices.isEmpty {
                let step = command == .up || command == .listPrevious ? -1 : 1
                form.choice = min(max(0, form.choice + step), form.choices.count - 1)
            }
        default:
            if onSwitch {
                if key == .char(" ") || command == .left || command == .right { form.roundTo99.toggle() }
            } else if form.fieldCount > 0, let edit = TextFieldState.edit(for: key, keymap: s.keymap) {
                if form.field == 0 { form.first.apply(edit) } else { form.second.apply(edit) }
                form.error = nil
            }
        }
        return []
    }

    /// The form's values as a change, or why they are not one.
    static func bulkEdit(_ form: BulkEditForm, formats: Formats) -> Result<BulkEdit, BulkFormError> {
        let a = form.first.text.trimmingWhitespace(), b = form.second.text.trimmingWhitespace()
        switch form.kind {
        case .pricePercent:
            guard let p = signedNumber(a, formats).map({ Double($0) / 100 }), p != 0, p > -100, p <= 1000 else { return .failure(.percent) }
            return .success(.pricePercent(p, roundTo99: form.roundTo99))
        case .priceAmount:
            guard let cents = signedNumber(a, formats), cents != 0 else { return .failure(.amount) }
            return .success(.priceAmount(cents: cents, roundTo99: form.roundTo99))
        case .addTag, .removeTag:
            guard !a.isEmpty else { return .failure(.required) }
            return .success(form.kind == .addTag ? .addTag(a) : .removeTag(a))
        case .replaceTag:
            guard !a.isEmpty, !b.isEmpty else { return .failure(.required) }
            return .success(.replaceTag(a, with: b))
        case .findReplace:
            guard !form.first.text.isEmpty else { return .failure(.required) }
            return .success(.findReplace(form.first.text, with: form.second.text))
        case .shippingProfile, .shopSection:
            guard let choice = form.choices.element(at: form.choice) else { return .failure(.noChoices) }
            return .success(form.kind == .shippingProfile ? .shippingProfile(choice.id) : .shopSection(choice.id))
        case .activate: return .success(.activate)
        case .deactivate: return .success(.deactivate)
        }
    }

    enum BulkFormError: String, Error {
        case percent, amount, required, noChoices = "no_choices"
    }

    /// "+10", "-2.50", "−15 %", "3,5": hundredths, signed (nil when it is not a number).
    static func signedNumber(_ text: String, _ formats: Formats) -> Int? {
        var rest = Substring(text.filter { $0 != "%" && !$0.isWhitespace })
        var sign = 1
        if let c = rest.first, "+-−".contains(c) {
            sign = c == "+" ? 1 : -1
            rest = rest.dropFirst()
        }
        return formats.parseAmount(String(rest)).map { $0 * sign }
    }

    /// The preview of the form's change, or the form with why not.
    static func preview(_ s: inout AppState, _ form: inout BulkEditForm) -> [Effect] {
        switch bulkEdit(form, formats: s.formats) {
        case .failure(let error):
            form.error = s.strings.t("bulk.error.\(error.rawValue)")
            return []
        case .success(let edit):
            s.overlay = nil
            toast(&s, s.strings.plural("bulk.checking", count: form.listingIDs.count, formatted: s.formats.integer(form.listingIDs.count)))
            return [.job(Self.self, .preview(form, edit))]
        }
    }

    static func renderBulkForm(_ s: AppState, _ form: BulkEditForm, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let title = t.plural("bulk.title", count: form.listingIDs.count, formatted: s.formats.integer(form.listingIDs.count))
        let height = 8 + max(BulkEdit.Kind.allCases.count, form.choices.count)
        guard let inner = centredDialog(s, width: 72, height: height, minWidth: 20, minHeight: 5, title: title, into: &f) else { return }
        var y = inner.y
        guard form.editing else {
            for kind in BulkEdit.Kind.allCases where y < inner.maxY - 1 {
                let chosen = kind == form.kind
                f.put(
                    (chosen ? "▶ " : "  ") + t.t("bulk.kind.\(kind.rawValue)"), x: inner.x, y: y, style: chosen ? th.selection : th.base, maxWidth: inner.width)
                y += 1
            }
            f.put(keyLine(s, [.up, .down, .select, .back], scope: "bulk_kinds"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
            return
        }
        f.put(t.t("bulk.kind.\(form.kind.rawValue)"), x: inner.x, y: y, style: th.header, maxWidth: inner.width)
        y += 2
        let labelWidth = min(24, inner.width / 3)
        if form.choosesFromShop {
            if form.choices.isEmpty {
                f.put(t.t(form.choicesLoaded ? "bulk.error.no_choices" : "common.loading"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width)
            }
            let room = max(1, inner.maxY - 2 - y)
            let start = min(max(0, form.choice - room + 1), max(0, form.choices.count - room))
            for (i, item) in form.choices.enumerated().dropFirst(start).prefix(room) {
                f.put((i == form.choice ? "▶ " : "  ") + item.label, x: inner.x, y: y, style: i == form.choice ? th.selection : th.base, maxWidth: inner.width)
                y += 1
            }
        } else {
            for i in 0..<form.fieldCount where y < inner.maxY - 2 {
                let focused = i == form.field
                f.put(t.t("bulk.field.\(form.kind.rawValue).\(i)"), x: inner.x, y: y, style: focused ? th.accent : th.muted, maxWidth: labelWidth - 1)
                if form.isPrice && i == 1 {
                    f.put((form.roundTo99 ? "[x] " : "[ ] ") + t.t("bulk.round_99"), x: inner.x + labelWidth, y: y, style: focused ? th.selection : th.base)
                } else {
                    (i == 0 ? form.first : form.second).render(
                        into: &f, x: inner.x + labelWidth, y: y, width: inner.width - labelWidth, style: th.input,
                        placeholder: t.t("bulk.placeholder.\(form.kind.rawValue).\(i)"), placeholderStyle: th.muted, focused: focused)
                }
                y += 1
            }
        }
        if let error = form.error, inner.maxY - 2 > inner.y {
            f.put("✗ " + error, x: inner.x, y: inner.maxY - 2, style: th.danger, maxWidth: inner.width)
        }
        let keys: [Command] = form.fieldCount > 1 ? [.focusNext, .select, .back] : [.select, .back]
        f.put(keyLine(s, keys, scope: "bulk_form"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }

    // MARK: The preview

    static func handleBulkPreview(_ s: inout AppState, _ preview: BulkPreviewState, _ key: Key) -> [Effect] {
        var p = preview
        let lines = previewLines(s, p).count
        switch dialogCommand(s, key) {
        case .back?:
            s.overlay = .bulkEdit(p.form)
            return []
        case .quit?, .confirmNo?:
            s.overlay = nil
            return []
        case .select?, .confirmYes?:
            guard p.outcome.changed > 0 else { return [] }
            s.overlay = nil
            toast(&s, s.strings.t("bulk.queueing"))
            return [.job(Self.self, .applyBulk(p.edit, listingIDs: p.form.listingIDs))]
        case .up?, .listPrevious?: p.scroll = max(0, p.scroll - 1)
        case .down?, .listNext?: p.scroll = min(max(0, lines - 1), p.scroll + 1)
        case .pageUp?: p.scroll = max(0, p.scroll - 10)
        case .pageDown?: p.scroll = min(max(0, lines - 1), p.scroll + 10)
        default: break
        }
        s.overlay = .bulkPreview(p)
        return []
    }

    /// The preview's lines: each listing that changes or is refused, what changes, and why not.
    static func previewLines(_ s: AppState, _ p: BulkPreviewState) -> [(text: String, refused: Bool)] {
        let t = s.strings
        var out: [(String, Bool)] = []
        for row in p.outcome.rows {
            let title = row.title.isEmpty ? t.t("composer.untitled") : row.title
            out.append(((row.refused ? "✗ " : "✓ ") + title, row.refused))
            if let state = row.state { out.append(("    " + t.t("state.\(state.from)") + " → " + t.t("state.\(state.to)"), false)) }
            for change in row.changes { out.append(("    " + changeText(s, change, choices: p.form.choices), false)) }
            if let refusal = row.refusal { out.append(("    " + refusalText(t, refusal), true)) }
            for issue in row.issues { out.append(("    " + t.message(for: issue), true)) }
        }
        return out
    }

    /// One field's change: a price in the seller's format, a list as what it loses and gains,
    /// a shipping profile or section by its name when the shop's list has it.
    static func changeText(_ s: AppState, _ c: FieldChange, choices: [PickerItem] = []) -> String {
        let name = s.strings.t("field.\(c.field.rawValue)")
        switch c.field {
        case .shippingProfileID, .shopSectionID:
            let label = { (id: String) in Int(id).flatMap { id in choices.first { $0.id == id }?.label } ?? id }
            return name + ": " + label(c.before) + " → " + label(c.after)
        case .price:
            let money = { (text: String) in Int(text).map { s.formats.price(cents: $0) } ?? "" }
            return name + ": " + money(c.before) + " → " + money(c.after)
        case .tags, .materials, .styles:
            let removed = c.before.isEmpty ? [] : ["−" + c.before], added = c.after.isEmpty ? [] : ["+" + c.after]
            return name + ": " + (removed + added).joined(separator: " ")
        default:
            return name + ": " + c.before + " → " + c.after
        }
    }

    static func renderBulkPreview(_ s: AppState, _ p: BulkPreviewState, into f: inout Frame) {
        let t = s.strings, th = s.theme, fm = s.formats
        let width = min(s.width - 4, 100), height = max(6, s.height - 2)
        let rect = Rect(x: (s.width - width) / 2, y: 1, width: width, height: min(height, s.height))
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: t.t("bulk.preview_title", ["change": t.t("bulk.kind.\(p.edit.kind.rawValue)")]), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        let o = p.outcome
        let summary = t.t(
            "bulk.summary", ["changed": fm.integer(o.changed), "refused": fm.integer(o.refused), "unchanged": fm.integer(o.unchanged)])
        f.put(summary, x: inner.x, y: inner.y, style: o.refused > 0 ? th.warning : th.base.with(.bold), maxWidth: inner.width)
        let lines = previewLines(s, p)
        var y = inner.y + 2
        for line in lines.dropFirst(p.scroll) where y < inner.maxY - 1 {
            f.put(line.text, x: inner.x, y: y, style: line.refused ? th.danger : th.base, maxWidth: inner.width)
            y += 1
        }
        if lines.isEmpty { f.put(t.t("bulk.nothing"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width) }
        let keys: [Command] = o.changed > 0 ? [.select, .down, .back] : [.down, .back]
        f.put(keyLine(s, keys, scope: "bulk_preview"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }

    /// Why a listing cannot take a change, in the user's language.
    static func refusalText(_ t: Localizer, _ refusal: ListingChangeRefusal) -> String {
        switch refusal {
        case .notOnShop: t.t("listings.refused.not_on_shop")
        case .needsPhoto: t.t("listings.refused.needs_photo")
        case .already(let state): t.t("listings.refused.already", ["state": t.t("state.\(state)")])
        case .queued: t.t("listings.refused.queued")
        case .inConflict: t.t("listings.refused.in_conflict")
        case .notSynced: t.t("listings.sync_first")
        }
    }
}
