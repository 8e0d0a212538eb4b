import Foundation
import PODCore
import TerminalUI

/// A brand profile being written: one text field per line, the tone a choice.
public struct BrandForm: Sendable, Equatable {
    public enum Field: String, CaseIterable, Sendable {
        case name, tone, audience, bannedTopics = "banned_topics", defaultShop = "default_shop", handles
    }
    public var profile: BrandProfile
    public var fields: [Field: TextFieldState]
    public var field: Field = .name
    /// What stopped the last save, in the user's language.
    public var errors: [String] = []

    public init(_ profile: BrandProfile) {
        self.profile = profile
        fields = [
            .name: TextFieldState(profile.name, maxLength: 60), .audience: TextFieldState(profile.audience, maxLength: 200),
            .bannedTopics: TextFieldState(profile.bannedTopics.joined(separator: ", ")),
            .defaultShop: TextFieldState(profile.defaultShop, maxLength: 80),
            .handles: TextFieldState(profile.handles.map { "@" + $0 }.joined(separator: " ")),
        ]
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The profile as typed (not checked yet).
    var typed: BrandProfile {
        var p = profile
        p.name = fields[.name]?.text.trimmingCharacters(in: .whitespaces) ?? ""
        p.audience = fields[.audience]?.text ?? ""
        p.bannedTopics = Self.list(fields[.bannedTopics]?.text ?? "")
        p.defaultShop = fields[.defaultShop]?.text.trimmingCharacters(in: .whitespaces) ?? ""
        p.handles = (fields[.handles]?.text ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        return p
    }
}

/// Settings → General: the brand profiles, one of them active (the composer's defaults and
/// what the niches are fitted to). `n` adds one, Enter edits, `b` makes it active, `d` deletes.
enum BrandProfiles {
    static func selected(_ s: AppState) -> BrandProfile? {
        s.settingsScreen.brands.element(at: s.settingsScreen.row)
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if moveIndex(&s.settingsScreen.row, command, count: s.settingsScreen.brands.count) { return [] }
        switch command {
        case .newDraft: s.overlay = .brandForm(BrandForm(BrandProfile()))
        case .select, .right:
            if let b = selected(s) { s.overlay = .brandForm(BrandForm(b)) } else { s.overlay = .brandForm(BrandForm(BrandProfile())) }
        case .save:
            guard let b = selected(s), let id = b.id, !b.active else { return [] }
            toast(&s, s.strings.t("brand.activated", ["name": b.name]))
            return [.job(SettingsScreen.self, .activateBrand(id: id))]
        case .delete:
            guard let b = selected(s), let id = b.id else { return [] }
            s.overlay = .confirmDeleteBrand(id: id, name: b.name)
        case .left: s.focus = .sidebar
        default: break
        }
        return []
    }

    /// Keys in the form: Tab/↓ and Shift-Tab/↑ move between fields, ←/→ change the tone,
    /// Enter saves (or says what is wrong), Esc leaves without saving.
    static func handleForm(_ s: inout AppState, _ form: BrandForm, _ key: Key) -> [Effect] {
        var form = form
        let all = BrandForm.Field.allCases
        let i = all.firstIndex(of: form.field) ?? 0
        switch dialogCommand(s, key, typing: form.field != .tone) {
        case .back?:
            s.overlay = nil
            return []
        case .focusNext?, .listNext?:
            form.field = all[(i + 1) % all.count]
        case .focusPrevious?, .listPrevious?:
            form.field = all[(i + all.count - 1) % all.count]
        case .select?:
            let profile = form.typed
            let problems = profile.problems
            guard problems.isEmpty else {
                form.errors = problems.map { s.strings.t($0.key, ["value": $0.value]) }
                s.overlay = .brandForm(form)
                return []
            }
            s.overlay = nil
            toast(&s, s.strings.t("brand.saved", ["name": profile.name]))
            return [.job(SettingsScreen.self, .saveBrand(profile))]
        case .left? where form.field == .tone, .right? where form.field == .tone:
            form.profile.tone = SettingsScreen.cycle(Tone.allCases, form.profile.tone, dialogCommand(s, key) == .left ? -1 : 1)
        default:
            guard form.field != .tone, let edit = TextFieldState.edit(for: key, keymap: s.keymap) else { break }
            form.fields[form.field]?.apply(edit)
        }
        s.overlay = .brandForm(form)
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        f.put(t.t("brand.heading"), x: rect.x + 1, y: rect.y, style: th.header, maxWidth: rect.width - 2)
        let list = s.settingsScreen.brands
        if list.isEmpty {
            let lines = s.settingsScreen.brandsLoaded ? [t.t("brand.empty"), t.t("brand.empty_hint")] : [s.loadingText(for: .settings)]
            for (i, line) in lines.enumerated() {
                f.put(line, x: rect.x + 1, y: rect.y + 2 + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
            }
        }
        let focused = s.focus == .content
        for (i, b) in list.enumerated() where rect.y + 2 + i * 2 + 1 < rect.maxY - 1 {
            let y = rect.y + 2 + i * 2
            let chosen = i == s.settingsScreen.row
            let style = chosen && focused ? th.selection : th.base
            f.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            let mark = b.active ? "● " : "○ "
            f.put(mark + b.name + (b.active ? "  " + t.t("brand.active") : ""), x: rect.x + 1, y: y, style: style, maxWidth: rect.width - 2)
            var facts = [t.t("choice.tone.\(b.tone.rawValue)")]
            if !b.audience.isEmpty { facts.append(b.audience) }
            if !b.defaultShop.isEmpty { facts.append(t.t("brand.shop", ["shop": b.defaultShop])) }
            if !b.handles.isEmpty { facts.append(b.handles.map { "@" + $0 }.joined(separator: " ")) }
            if !b.bannedTopics.isEmpty { facts.append(t.t("brand.banned", ["topics": b.bannedTopics.joined(separator: ", ")])) }
            f.put("  " + facts.joined(separator: " · "), x: rect.x + 1, y: y + 1, style: th.muted, maxWidth: rect.width - 2)
        }
        f.put(
            keyLine(s, [.previousPeriod, .nextPeriod, .newDraft, .select, .save, .delete], scope: ScreenID.settings.rawValue), x: rect.x + 1, y: rect.maxY - 1,
            style: th.muted,
            maxWidth: rect.width - 2)
    }

    static func renderForm(_ s: AppState, _ form: BrandForm, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let title = t.t(form.profile.id == nil ? "brand.new" : "brand.edit")
        guard let inner = centredDialog(s, width: 72, height: 12 + 2 * form.errors.count, minWidth: 20, minHeight: 6, title: title, into: &f) else { return }
        let labelWidth = min(20, inner.width / 3)
        var y = inner.y
        for field in BrandForm.Field.allCases where y < inner.maxY {
            let focused = field == form.field
            f.put(t.t("brand.field.\(field.rawValue)"), x: inner.x, y: y, style: focused ? th.accent : th.muted, maxWidth: labelWidth - 1)
            if field == .tone {
                f.put("‹ " + t.t("choice.tone.\(form.profile.tone.rawValue)") + " ›", x: inner.x + labelWidth, y: y, style: focused ? th.selection : th.base)
            } else {
                form.fields[field]?.render(
                    into: &f, x: inner.x + labelWidth, y: y, width: inner.width - labelWidth, style: th.input,
                    placeholder: t.t("brand.placeholder.\(field.rawValue)"), placeholderStyle: th.muted, focused: focused)
            }
            y += 1
        }
        y += 1
        for line in form.errors.flatMap({ wrapWords("✗ " + $0, width: inner.width) }) where y < inner.maxY - 1 {
            f.put(line, x: inner.x, y: y, style: th.danger, maxWidth: inner.width)
            y += 1
        }
        f.put(keyLine(s, [.focusNext, .right, .select, .back], scope: "brand_form"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }
}
