import Foundation
import PODCore
import TerminalUI

/// The composer's photos (Details → Photos, `Enter`): their order on the listing (the first is
/// the main one), each one's alt text, and what each file is — format, size, pixels — before
/// anything is sent. Files are added or removed in the Photos field itself.
public struct PhotosEditor: Sendable, Equatable {
    public var paths: [String]
    public var alts: [String: String]
    public var selected = 0
    /// The selected photo's alt text as typed.
    public var input = TextFieldState()
    public var checks: [String: PhotoFile.Check] = [:]

    public init(draft: ListingDraft) {
        paths = draft.imageList
        alts = draft.imageAlts ?? [:]
        input = Self.field(alts[paths.first ?? ""] ?? "")
    }

    static func field(_ text: String) -> TextFieldState { TextFieldState(text, maxLength: ListingRules.altTextMax + 100) }
}

extension ComposerScreen {
    static func openPhotos(_ s: inout AppState, _ e: EditorState) -> [Effect] {
        let editor = PhotosEditor(draft: e.draft)
        s.overlay = .photos(editor)
        return [.job(Self.self, .checkPhotos(editor.paths))]
    }

    static func handlePhotos(_ s: inout AppState, _ editor: PhotosEditor, _ key: Key) -> [Effect] {
        var p = editor
        let command = dialogCommand(s, key, typing: true)
        func keepAlt() {
            guard let path = p.paths.element(at: p.selected) else { return }
            let alt = p.input.text.trimmingWhitespace()
            p.alts[path] = alt.isEmpty ? nil : alt
        }
        func select(_ i: Int) {
            keepAlt()
            p.selected = min(max(0, i), max(0, p.paths.count - 1))
            p.input = PhotosEditor.field(p.alts[p.paths.element(at: p.selected) ?? ""] ?? "")
        }
        switch command {
        case .back?:
            s.overlay = nil
            return []
        case .select?:
            keepAlt()
            s.overlay = nil
            guard var e = s.composer.editor else { return [] }
            e.set(.images, p.paths.joined(separator: ", "), formats: s.formats)
            let alts = p.alts.filter { p.paths.contains($0.key) }
            e.draft.imageAlts = alts.isEmpty ? nil : alts
            let effects = changed(&s, &e)
            s.composer.editor = e
            return effects
        case .up?, .listPrevious?: select(p.selected - 1)
        case .down?, .listNext?: select(p.selected + 1)
        case .moveEarlier?, .moveLater?:
            let to = p.selected + (command == .moveEarlier ? -1 : 1)
            guard p.paths.indices.contains(to) else { break }
            keepAlt()
            p.paths.swapAt(p.selected, to)
            p.selected = to
        default:
            if let edit = TextFieldState.edit(for: key, keymap: s.keymap) { p.input.apply(edit) }
        }
        s.overlay = .photos(p)
        return []
    }

    /// A photo's check as one line: format · pixels · size, or why Etsy would not take it.
    static func photoLine(_ s: AppState, _ check: PhotoFile.Check?) -> (text: String, problem: Bool) {
        let t = s.strings
        guard let c = check else { return (t.t("common.loading"), false) }
        if let problem = c.problem { return ("✗ " + problem, true) }
        var parts = [c.format?.rawValue ?? ""]
        if let w = c.width, let h = c.height { parts.append("\(w)×\(h) px") }
        parts.append(s.formats.integer(max(1, (c.bytes + 1023) / 1024)) + " KB")
        if c.small { parts.append(t.t("photos.small", ["px": "\(PhotoFile.recommendedShortestSide)"])) }
        return (parts.joined(separator: " · "), false)
    }

    static func renderPhotos(_ s: AppState, _ p: PhotosEditor, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let width = min(s.width - 2, 96), height = max(8, s.height - 2)
        let rect = Rect(x: (s.width - width) / 2, y: 1, width: width, height: min(height, s.height))
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: t.t("photos.title", ["count": "\(p.paths.count)", "max": "\(ListingRules.imagesMax)"]), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        var y = inner.y
        let room = max(1, (inner.maxY - 1 - y) / 3)
        let start = min(max(0, p.selected - room + 1), max(0, p.paths.count - room))
        for (i, path) in p.paths.enumerated().dropFirst(start).prefix(room) {
            let chosen = i == p.selected
            let name = URL(fileURLWithPath: path).lastPathComponent
            f.put(
                (chosen ? "▶ " : "  ") + "\(i + 1). " + name + (i == 0 ? "  " + t.t("photos.main") : ""), x: inner.x, y: y,
                style: chosen ? th.selection : th.base, maxWidth: inner.width)
            let line = photoLine(s, p.checks[path])
            f.put("     " + line.text, x: inner.x, y: y + 1, style: line.problem ? th.danger : th.muted, maxWidth: inner.width)
            let label = "     " + t.t("photos.alt") + " "
            f.put(label, x: inner.x, y: y + 2, style: th.muted)
            let ax = inner.x + label.displayWidth, aw = inner.width - label.displayWidth - 10
            if chosen {
                p.input.render(
                    into: &f, x: ax, y: y + 2, width: aw, style: th.input, placeholder: t.t("photos.alt_placeholder"), placeholderStyle: th.muted,
                    focused: true)
                let over = p.input.text.count > ListingRules.altTextMax
                f.put("\(p.input.text.count)/\(ListingRules.altTextMax)", x: ax + aw + 1, y: y + 2, style: over ? th.danger : th.muted)
            } else {
                f.put(p.alts[path] ?? "—", x: ax, y: y + 2, style: th.base, maxWidth: aw)
            }
            y += 3
        }
        f.put(keyLine(s, [.select, .back, .moveEarlier, .moveLater], scope: "photos"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }
}
