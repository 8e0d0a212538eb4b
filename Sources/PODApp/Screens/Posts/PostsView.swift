import Foundation
import PODCore
import PODMedia
import PODStore
import TerminalUI

extension PostsScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, p = s.posts
        guard rect.height >= 3, rect.width >= 10 else { return }
        let inner = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        let listing = p.source.map { " · " + $0.draft.title } ?? ""
        f.put(t.t("posts.heading") + listing, x: inner.x, y: inner.y, style: th.header, maxWidth: inner.width)
        guard p.target != nil else {
            for (i, key) in ["posts.empty", "posts.empty_hint"].enumerated() {
                f.put(t.t(key), x: inner.x, y: inner.y + 2 + i, style: i == 0 ? th.base : th.muted, maxWidth: inner.width)
            }
            return
        }
        guard p.loaded else {
            f.put(s.loadingText(for: id), x: inner.x, y: inner.y + 2, style: th.muted, maxWidth: inner.width)
            return
        }
        guard !p.missing, let source = p.source else {
            f.put(t.t("posts.missing"), x: inner.x, y: inner.y + 2, style: th.danger, maxWidth: inner.width)
            return
        }
        f.put(keyLine(s, Self.self), x: inner.x, y: inner.y + 1, style: th.muted, maxWidth: inner.width)
        let titles = SocialPlatform.allCases.map { platform -> String in
            let mark = s.posts.posts[platform].map { $0.post.problems(bannedTopics: source.brand.bannedTopics).isEmpty ? " ✓" : " ✗" } ?? ""
            return t.t("platform.\(platform.rawValue)") + mark
        }
        Tabs.render(
            into: &f, rect: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: 1), titles: titles,
            active: SocialPlatform.allCases.firstIndex(of: p.platform) ?? 0, style: th.muted, activeStyle: th.selection)
        let body = Rect(x: inner.x, y: inner.y + 4, width: inner.width, height: max(0, inner.height - 4))
        if p.large, let r = pictureRect(s) {
            renderPicture(s, into: &f, rect: r)
            return
        }
        if let versions = p.history {
            renderHistory(s, versions, into: &f, rect: body)
            return
        }
        guard let post = p.current else {
            f.put(t.t("common.loading"), x: body.x, y: body.y, style: th.muted, maxWidth: body.width)
            return
        }
        var fieldsRect = body
        if let r = pictureRect(s) {
            fieldsRect.width = max(10, r.x - body.x - 2)
            renderPicture(s, into: &f, rect: r)
        }
        renderFields(s, post, source, into: &f, rect: fieldsRect)
    }

    private static func renderFields(_ s: AppState, _ post: SocialPost, _ source: PostSource, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, p = s.posts, fm = s.formats
        let problems = post.problems(bannedTopics: source.brand.bannedTopics)
        let fields = PostField.fields(post.platform)
        func counter(_ field: PostField) -> (count: Int, max: Int?) {
            switch field {
            case .title: (post.title.count, post.platform.titleMax)
            case .text: (post.textLength, post.platform.textMax)
            case .altText: (post.altText.count, post.platform.altTextMax)
            case .link: (post.link.count, nil)
            }
        }
        func labelText(_ field: PostField) -> String {
            let c = counter(field)
            return t.t("posts.field.\(field.rawValue)") + (c.max.map { " " + fm.integer(c.count) + "/" + fm.integer($0) } ?? "")
        }
        let label = min(max(12, rect.width / 3), (fields.map { TextWidth.width(of: labelText($0)) }.max() ?? 10) + 4)
        let width = max(1, rect.width - label)
        // Rows: one per one-line field, the picture's, a blank, the checks (at least one), the
        // version; the text takes what it needs of the rest.
        let fixed = fields.count - 1 + 1 + 1 + max(1, problems.count) + 1
        let textLines = post.text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapWords(String($0), width: width) }
        let textRows = max(1, min(p.editing != nil && p.field == .text ? rect.height - fixed : textLines.count, rect.height - fixed))
        var y = rect.y
        for field in fields {
            let c = counter(field)
            let over = c.max.map { c.count > $0 } ?? false
            let selected = p.field == field
            f.put((selected ? "› " : "  ") + labelText(field), x: rect.x, y: y, style: over ? th.danger : selected ? th.accent : th.muted, maxWidth: label - 1)
            let rows = field == .text ? textRows : 1
            let area = Rect(x: rect.x + label, y: y, width: width, height: rows)
            if selected, let editing = p.editing {
                editing.render(into: &f, rect: area, style: th.input, focused: true)
            } else if field == .text {
                for (i, line) in textLines.prefix(rows).enumerated() { f.put(line, x: area.x, y: y + i, style: th.base, maxWidth: width) }
                if textLines.count > rows { f.put("…", x: area.x + width - 1, y: y + rows - 1, style: th.muted) }
            } else {
                let value = PostsScreen.value(post, field)
                f.put(
                    value.isEmpty ? t.t(field == .link ? "posts.no_link" : "posts.empty_field") : value, x: area.x, y: y,
                    style: value.isEmpty ? th.muted : th.base, maxWidth: width)
            }
            y += rows
        }
        // The picture: its size and file, or how to make one.
        f.put("  " + t.t("posts.field.image"), x: rect.x, y: y, style: th.muted, maxWidth: label - 1)
        let picture: String
        if p.composing.contains(post.platform) {
            picture = t.t("posts.image_making", ["shape": p.shape.description])
        } else if let path = post.imagePath, let shape = post.imageShape {
            picture = shape.description + " · " + URL(fileURLWithPath: path).lastPathComponent
        } else {
            picture = t.t("posts.image_none", ["shape": p.shape.description])
        }
        f.put(picture, x: rect.x + label, y: y, style: post.imagePath == nil ? th.muted : th.base, maxWidth: width)
        y += 2
        if problems.isEmpty {
            f.put(
                "✓ " + t.t("posts.within_limits", ["platform": t.t("platform.\(post.platform.rawValue)")]), x: rect.x, y: y, style: th.success,
                maxWidth: rect.width)
            y += 1
        }
        for problem in problems {
            var args = problem.args
            for k in ["count", "max"] { if let n = args[k].flatMap(Int.init) { args[k] = fm.integer(n) } }
            f.put("✗ " + t.t(problem.key, args), x: rect.x, y: y, style: th.danger, maxWidth: rect.width)
            y += 1
        }
        if let saved = p.posts[post.platform]?.savedAt {
            let source = t.t("posts.source.\(post.source.rawValue)")
            let language = t.t("choice.language.\(post.language)")
            f.put(
                t.t("posts.version", ["source": source, "language": language, "date": fm.date(saved), "time": fm.time(saved)]), x: rect.x, y: y,
                style: th.muted, maxWidth: rect.width)
        }
    }

    private static func renderHistory(_ s: AppState, _ versions: [StoredPost], into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        f.put(t.t("posts.history_title"), x: rect.x, y: rect.y, style: th.header, maxWidth: rect.width)
        let room = max(1, rect.height - 2)
        let start = ListView.firstVisible(selected: s.posts.historySelected, count: versions.count, height: room)
        for (i, v) in versions.enumerated().dropFirst(start).prefix(room) {
            let first = v.post.text.split(separator: "\n").first.map(String.init) ?? ""
            let line = "\(fm.date(v.savedAt)) \(fm.time(v.savedAt)) · \(t.t("posts.source.\(v.post.source.rawValue)")) · \(first)"
            f.putPadded(line, x: rect.x, y: rect.y + 1 + i - start, width: rect.width, style: i == s.posts.historySelected ? th.selection : th.base)
        }
    }

    private static func renderPicture(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard let path = s.posts.current?.imagePath else {
            f.put(t.t(s.graphics == .off ? "posts.preview_off" : "posts.preview_none"), x: rect.x, y: rect.y, style: th.muted, maxWidth: rect.width)
            return
        }
        guard s.graphics != .off else {
            f.put(t.t("posts.preview_off"), x: rect.x, y: rect.y, style: th.muted, maxWidth: rect.width)
            return
        }
        guard let preview = s.posts.preview, preview.path == path else { return }
        if let error = preview.error {
            f.put("✗ " + error, x: rect.x, y: rect.y, style: th.danger, maxWidth: rect.width)
        } else if let result = preview.result {
            drawPicture(result, id: path, into: &f, rect: rect)
        } else {
            f.put(t.t("product.preview_loading"), x: rect.x, y: rect.y, style: th.muted, maxWidth: rect.width)
        }
    }
}
