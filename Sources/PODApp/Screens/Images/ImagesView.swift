import Foundation
import PODCore
import PODMedia
import TerminalUI

extension ImagesScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats, i = s.images
        guard rect.height >= 3, rect.width >= 10 else { return }
        let inner = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        // The heading: how many, what the checks found, the order; the reading's progress.
        let duplicates = i.duplicates.count
        var heading = t.t("images.heading", ["count": fm.integer(i.complete ? i.order.count : i.total), "total": fm.integer(i.total)])
        if duplicates > 0 { heading += " · " + t.t("images.duplicates", ["count": fm.integer(duplicates)]) }
        if i.withProblems > 0, i.complete { heading += " · " + t.t("images.with_problems", ["count": fm.integer(i.withProblems)]) }
        if !i.marked.isEmpty { heading += " · " + t.t("images.marked", ["count": fm.integer(i.marked.count)]) }
        heading += " · " + t.t("images.sorted_by", ["order": t.t("images.sort.\(i.sort.rawValue)")])
        f.put(heading, x: inner.x, y: inner.y, style: th.header, maxWidth: inner.width)
        if let reading = i.reading, reading.total > 0 {
            let label = t.t("images.reading", ["done": fm.integer(reading.done), "total": fm.integer(reading.total)]) + " "
            let used = f.put(label, x: inner.x, y: inner.y + 1, style: th.accent, maxWidth: inner.width)
            f.put(
                Bar.string(Double(reading.done) / Double(reading.total), width: max(0, min(30, inner.width - used))), x: inner.x + used, y: inner.y + 1,
                style: th.accent)
        } else if let input = i.input {
            renderInput(s, input, into: &f, x: inner.x, y: inner.y + 1, width: inner.width)
        } else if i.filtering || !i.filter.text.isEmpty {
            let w = f.put(t.t("common.filter") + " ", x: inner.x, y: inner.y + 1, style: i.filtering ? th.accent : th.muted)
            i.filter.render(
                into: &f, x: inner.x + w, y: inner.y + 1, width: inner.width - w, style: th.input, placeholder: t.t("images.filter_hint"),
                placeholderStyle: th.muted,
                focused: i.filtering)
        } else {
            f.put(keyLine(s, Self.self), x: inner.x, y: inner.y + 1, style: th.muted, maxWidth: inner.width)
        }
        if let input = i.input, i.reading != nil { renderInput(s, input, into: &f, x: inner.x, y: inner.y + 2, width: inner.width) }
        guard i.loaded else {
            f.put(s.loadingText(for: id), x: inner.x, y: inner.y + 3, style: th.muted, maxWidth: inner.width)
            return
        }
        guard !i.entries.isEmpty else {
            for (n, key) in ["images.empty", "images.empty_hint"].enumerated() {
                f.put(t.t(key), x: inner.x, y: inner.y + 3 + n, style: n == 0 ? th.base : th.muted, maxWidth: inner.width)
            }
            return
        }
        guard !i.order.isEmpty else {
            f.put(t.t("images.none_match"), x: inner.x, y: inner.y + 3, style: th.muted, maxWidth: inner.width)
            return
        }
        if i.detail, let e = i.current {
            renderDetail(s, e, into: &f, rect: Rect(x: inner.x, y: inner.y + 3, width: inner.width, height: max(1, inner.height - 3)))
        } else {
            renderGrid(s, into: &f)
        }
    }

    private static func renderInput(_ s: AppState, _ input: ImageInput, into f: inout Frame, x: Int, y: Int, width: Int) {
        let t = s.strings, th = s.theme
        let key: String
        switch input {
        case .tag: key = "images.input.tag"
        case .untag: key = "images.input.untag"
        case .alt: key = "images.input.alt"
        case .folder: key = "images.input.folder"
        }
        var label = t.t(key, ["count": s.formats.integer(s.images.targets.count)]) + " "
        if case .alt(let field) = input { label += s.formats.integer(field.text.count) + "/" + s.formats.integer(ListingRules.altTextMax) + " " }
        let w = f.put(label, x: x, y: y, style: th.accent, maxWidth: width)
        input.field.render(into: &f, x: x + w, y: y, width: max(1, width - w), style: th.input, focused: true)
    }

    private static func renderGrid(_ s: AppState, into f: inout Frame) {
        let th = s.theme, i = s.images
        let r = gridRect(s)
        let columns = gridColumns(s), rows = gridRows(s)
        let start = firstVisible(s)
        for (n, index) in i.order.dropFirst(start).prefix(columns * rows).enumerated() {
            let e = i.entries[index]
            let x = r.x + (n % columns) * tileWidth, y = r.y + (n / columns) * tileHeight
            let selected = start + n == i.selected
            let problems = i.problems[e.id] ?? []
            if let p = i.previews[e.id] {
                p.draw(into: &f, x: x + max(0, (previewSize.cols - p.cols) / 2), y: y)
            } else {
                let note = e.file.error != nil ? "✗" : i.previewFailed.contains(e.id) ? "?" : "…"
                f.put(note, x: x + previewSize.cols / 2, y: y + 1, style: e.file.error != nil ? th.danger : th.muted)
            }
            let mark = i.marked.contains(e.id) ? "● " : ""
            f.putPadded(mark + e.name, x: x, y: y + previewSize.rows, width: previewSize.cols, style: selected ? th.selection : th.base)
            let stars = e.rating > 0 ? String(repeating: "★", count: e.rating) : ""
            let flag = e.flag.map { $0 == .approved ? "✓" : $0 == .rejected ? "✗" : "!" } ?? ""
            let status = [stars, flag, problems.isEmpty ? "" : "⚠\(problems.count)"].filter { !$0.isEmpty }.joined(separator: " ")
            f.put(status, x: x, y: y + previewSize.rows + 1, style: problems.isEmpty ? th.muted : th.warning, maxWidth: previewSize.cols)
        }
    }

    private static func renderDetail(_ s: AppState, _ e: ImageEntry, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats, i = s.images
        let picture = largeRect(s)
        let width = max(10, picture.x - rect.x - 2)
        var lines: [(String, Style)] = [(e.name, th.header), (e.path, th.muted)]
        func line(_ key: String, _ value: String) { lines.append((t.t(key) + ": " + value, th.base)) }
        line("images.detail.kind", t.t("images.kind.\(e.kind.rawValue)"))
        let file = e.file
        if let format = file.format { line("images.detail.format", format) }
        if let bytes = file.bytes { line("images.detail.bytes", fileSize(fm, bytes)) }
        if let w = file.width, let h = file.height { line("images.detail.pixels", "\(fm.integer(w)) × \(fm.integer(h))") }
        if let alpha = file.hasAlpha { line("images.detail.alpha", t.t(alpha ? "common.yes" : "common.no")) }
        if let hash = file.hash { line("images.detail.hash", String(format: "%016llx", hash)) }
        line(
            "images.detail.rating", e.rating > 0 ? String(repeating: "★", count: e.rating) + String(repeating: "☆", count: 5 - e.rating) : t.t("images.unrated")
        )
        line("images.detail.flag", e.flag.map { t.t("images.flag.\($0.rawValue)") } ?? t.t("images.unflagged"))
        line("images.detail.tags", e.tags.isEmpty ? "—" : e.tags.joined(separator: ", "))
        line("images.detail.alt", e.altText.isEmpty ? "—" : e.altText)
        lines.append(("", th.base))
        let problems = i.problems[e.id] ?? []
        if problems.isEmpty { lines.append(("✓ " + t.t("images.checks_pass"), th.success)) }
        for p in problems { lines += wrapWords("✗ " + problemText(s, p), width: width).map { ($0, th.danger) } }
        for (n, l) in lines.prefix(rect.height).enumerated() { f.put(l.0, x: rect.x, y: rect.y + n, style: l.1, maxWidth: width) }
        guard s.graphics != .off, let large = i.large, large.path == e.path else { return }
        if let error = large.error {
            f.put("✗ " + error, x: picture.x, y: picture.y, style: th.danger, maxWidth: picture.width)
        } else if let result = large.result {
            drawPicture(result, id: e.path, into: &f, rect: picture)
        } else {
            f.put(t.t("product.preview_loading"), x: picture.x, y: picture.y, style: th.muted, maxWidth: picture.width)
        }
    }

    /// Bytes as B, KB or MB (of 1,024), in the user's number format.
    static func fileSize(_ fm: Formats, _ bytes: Int) -> String {
        if bytes < 1_024 { return fm.integer(bytes) + " B" }
        if bytes < 1_048_576 { return fm.decimal(Double(bytes) / 1_024) + " KB" }
        return fm.decimal(Double(bytes) / 1_048_576) + " MB"
    }

    /// A check's message, its numbers in the user's format.
    static func problemText(_ s: AppState, _ p: ImageProblem) -> String {
        let fm = s.formats
        switch p {
        case .unreadable(let reason): return s.strings.t(p.key, ["reason": reason])
        case .format(let f): return s.strings.t(p.key, ["format": f])
        case .smallPhoto(let shortest, let advised): return s.strings.t(p.key, ["shortest": fm.integer(shortest), "advised": fm.integer(advised)])
        case .smallDesign(let w, let h, let nw, let nh):
            return s.strings.t(p.key, ["width": fm.integer(w), "height": fm.integer(h), "need_width": fm.integer(nw), "need_height": fm.integer(nh)])
        case .aspect(let w, let h): return s.strings.t(p.key, ["width": fm.integer(w), "height": fm.integer(h)])
        case .missingAlt, .noTransparency: return s.strings.t(p.key)
        case .nearDuplicate(let other, let distance):
            let name = s.images.entries.first { $0.id == other }?.name ?? "#\(other)"
            return s.strings.t(p.key, ["name": name, "bits": fm.integer(distance)])
        }
    }
}
