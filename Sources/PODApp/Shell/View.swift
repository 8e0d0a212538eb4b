import Foundation
import PODCore
import PODMedia
import TerminalUI

/// Draws the whole UI for a state. Pure: the same state always gives the same frame.
public func view(_ s: AppState) -> Frame {
    var f = Frame(width: s.width, height: s.height, fill: s.theme.base)
    guard s.width > 0, s.height > 0 else { return f }
    if s.isTooSmall {
        tooSmall(s, into: &f)
        return f
    }
    let body = s.bodyRect
    if s.isCompact {
        compactHeader(s, into: &f)
    } else {
        sidebar(s, into: &f)
        titleLine(s, into: &f, x: body.x, width: body.width)
    }
    s.screen.module.render(s, into: &f, rect: failureBanner(s, into: &f, rect: body))
    statusBar(s, into: &f)
    if let toast = s.toast {
        Toast.render(into: &f, above: s.height - 1, message: toast.message, style: toast.isError ? s.theme.danger.with(.reverse) : s.theme.selection)
    }
    if let overlay = s.overlay { render(overlay, s, into: &f) }
    return f
}

/// A screen whose job failed: the reason and how to retry on its first line; the rest of the
/// body is the screen's.
func failureBanner(_ s: AppState, into f: inout Frame, rect: Rect) -> Rect {
    guard let failure = s.failures[s.screen], rect.height > 2 else { return rect }
    let t = s.strings
    f.putPadded(
        " ⚠ " + t.t("error.screen", ["keys": keyLine(s, [.retry, .refresh]), "detail": failure.detail]), x: rect.x, y: rect.y,
        width: rect.width, style: s.theme.danger.with(.reverse))
    return Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
}

/// Below the minimum size: a notice that fits in whatever there is, down to 1×1.
func tooSmall(_ s: AppState, into f: inout Frame) {
    let t = s.strings
    let lines = [
        t.t("small.title"), t.t("small.need", ["width": "\(AppState.minimumWidth)", "height": "\(AppState.minimumHeight)"]),
        "\(s.width)×\(s.height)",
    ]
    let top = max(0, (s.height - lines.count) / 2)
    for (i, line) in lines.enumerated() where top + i < s.height {
        let w = min(line.displayWidth, s.width)
        f.put(line, x: max(0, (s.width - w) / 2), y: top + i, style: i == 0 ? s.theme.warning : s.theme.base)
    }
}

func titleLine(_ s: AppState, into f: inout Frame, x: Int, width: Int) {
    let t = s.strings, th = s.theme
    var cx = x + f.put(t.t(s.screen.titleKey), x: x, y: 0, style: th.title, maxWidth: width)
    if s.isDemo {
        cx += 1
        cx += f.put(" " + t.t("common.demo") + " ", x: cx, y: 0, style: th.demoBadge, maxWidth: x + width - cx)
    }
    if s.demoLoading {
        f.put("  " + t.t("toast.demo_loading"), x: cx, y: 0, style: th.muted, maxWidth: x + width - cx)
    }
}

func compactHeader(_ s: AppState, into f: inout Frame) {
    let t = s.strings, th = s.theme
    f.fill(Rect(x: 0, y: 0, width: s.width, height: 1), style: th.sidebar)
    var x = f.put("PODPusher ", x: 0, y: 0, style: th.accent.with(.bold))
    if let i = ScreenID.sidebar.firstIndex(of: s.screen) {
        x += f.put("\(i + 1)/\(ScreenID.sidebar.count) ", x: x, y: 0, style: th.muted)
    }
    x += f.put(t.t(s.screen.titleKey), x: x, y: 0, style: th.title)
    if s.isDemo { f.put(" " + t.t("common.demo") + " ", x: x + 1, y: 0, style: th.demoBadge) }
}

func sidebar(_ s: AppState, into f: inout Frame) {
    let t = s.strings, th = s.theme
    let rect = Rect(x: 0, y: 0, width: Layout.sidebarWidth, height: s.height - 1)
    f.fill(rect, style: th.sidebar)
    f.put(" PODPusher", x: 0, y: 0, style: th.accent.with(.bold).mergedBackground(th.sidebar))
    for (i, screen) in ScreenID.sidebar.enumerated() where 2 + i < rect.maxY {
        let selected = screen == s.screen
        var style = selected ? th.sidebarSelected : th.sidebar
        if selected && s.focus != .sidebar { style = style.with(.bold) }
        var label = " \(i + 1) " + t.t(screen.titleKey)
        if screen == .notifications, let unread = s.dashboard?.unreadNotifications, unread > 0 { label += " (\(s.formats.integer(unread)))" }
        f.putPadded(label, x: 0, y: 2 + i, width: rect.width, style: style)
        if selected && s.focus == .sidebar { f.put("▶", x: rect.width - 2, y: 2 + i, style: style) }
    }
    // The foot: plan quota and connections.
    let footTop = rect.maxY - 4
    guard footTop > 2 + ScreenID.sidebar.count, let data = s.dashboard else { return }
    let limit = s.plan.limit(.listings)
    f.put(" " + t.t("sidebar.quota", ["plan": t.t("plan.\(s.plan.rawValue)")]), x: 0, y: footTop, style: th.sidebar.with(.dim), maxWidth: rect.width)
    Gauge.render(
        into: &f, rect: Rect(x: 1, y: footTop + 1, width: rect.width - 2, height: 1),
        ratio: Double(data.listingsUsedThisMonth) / Double(max(1, limit)),
        label: "\(s.formats.integer(data.listingsUsedThisMonth))/\(s.formats.integer(limit))",
        style: th.sidebar, fill: th.success, warn: th.warning, danger: th.danger)
    for (i, c) in data.connections.prefix(2).enumerated() {
        let connected = c.state == .connected
        let mark = connected ? "●" : (c.state == .notConnected ? "○" : "!")
        f.put(
            " \(mark) " + t.provider(c.provider), x: 0, y: footTop + 2 + i,
            style: connected ? th.success.mergedBackground(th.sidebar) : th.sidebar.with(.dim), maxWidth: rect.width)
    }
}

func statusBar(_ s: AppState, into f: inout Frame) {
    let t = s.strings, th = s.theme
    let y = s.height - 1
    let left: String
    if s.screen == .listings && s.listings.filtering {
        left = " " + t.t("status.filter") + " "
    } else if s.focus == .sidebar && !s.isCompact {
        left = " " + t.t("status.sidebar") + " "
    } else {
        left = ""
    }
    let context = s.keyContext
    // `?` first (it lists everything), then the screen's own hints, then the other global ones.
    let own = context == "main" && s.focus == .content ? hints(s, s.screen.module.hints, scope: s.screen.rawValue) : []
    let global = s.keymap.bindings.filter { $0.hint && !$0.keys.isEmpty && $0.context == context }
    let (help, others) = (global.filter { $0.command == Command.help.rawValue }, global.filter { $0.command != Command.help.rawValue })
    let label = { (b: KeyBinding) in (key: b.keys[0].notation, label: t.t("hint.\(b.command)")) }
    let shown = help.map(label) + own + others.map(label).filter { g in !own.contains { $0.key == g.key } }
    // A connection lapsing within a day outranks the demo label: it needs the seller.
    let warning = IntegrationsScreen.lapseWarning(s)
    let right = warning.map { " ⚠ " + $0 + " " } ?? (s.isDemo ? " " + t.t("status.demo_data") + " " : "")
    StatusBar.render(into: &f, y: y, left: left, hints: shown, right: right, style: th.statusBar, keyStyle: th.statusKey)
    if warning != nil, right.displayWidth < s.width {
        f.put(right, x: s.width - right.displayWidth, y: y, style: th.warning.mergedBackground(th.statusBar).with(.bold))
    }
}

func render(_ overlay: Overlay, _ s: AppState, into f: inout Frame) {
    let t = s.strings, th = s.theme
    switch overlay {
    case .help(let scroll):
        let all = helpLines(s)
        let room = max(1, s.height - 6)
        let start = min(scroll, max(0, all.count - room))
        Modal.render(
            into: &f, title: t.t("help.title"), lines: Array(all[start...].prefix(room)),
            footer: keyLine(s, [.up, .down, .back], scope: "help") + " · " + t.t("help.rebind"),
            style: th.base, borderStyle: th.accent, titleStyle: th.title)
    case .palette(let p):
        let matches = Fuzzy.filter(paletteEntries(s), query: p.query.text)
        let width = min(s.width - 2, 60)
        let height = min(s.height - 2, min(matches.count, 12) + 4)
        let rect = Rect(x: (s.width - width) / 2, y: 1, width: width, height: max(4, height))
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: t.t("palette.title"), titleStyle: th.title)
        let inner = rect.inset(by: 1)
        let prompt = "› "
        f.put(prompt, x: inner.x, y: inner.y, style: th.accent)
        p.query.render(
            into: &f, x: inner.x + 2, y: inner.y, width: inner.width - 2, style: th.input,
            placeholder: t.t("palette.placeholder"), placeholderStyle: th.muted.with(.italic), focused: true)
        if matches.isEmpty {
            f.put(t.t("palette.no_match"), x: inner.x, y: inner.y + 1, style: th.muted, maxWidth: inner.width)
        }
        ListView.render(
            into: &f, rect: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1),
            items: matches.map(\.title), selected: p.selected, style: th.base, selectedStyle: th.selection)
    case .firstRun(let selected):
        let options = ["firstrun.demo", "firstrun.connect", "firstrun.import"]
        var lines = [t.t("firstrun.body"), ""]
        for (i, o) in options.enumerated() { lines.append((i == selected ? "▶ " : "  ") + "\(i + 1). " + t.t(o)) }
        let rect = Modal.render(
            into: &f, title: t.t("firstrun.title"), lines: lines, footer: keyLine(s, [.up, .down, .select, .back], scope: "first_run"),
            style: th.base, borderStyle: th.accent, titleStyle: th.title)
        // The chosen line also in the selection style (reverse in monochrome), never colour alone.
        let y = rect.y + 3 + selected
        if y < rect.maxY - 1 { f.restyle(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1)) { $0 = th.selection } }
    case .confirmClearDemo:
        Modal.render(
            into: &f, title: t.t("demo.clear_title"), lines: [t.t("demo.clear_body")], footer: keyLine(s, [.confirmYes, .confirmNo]),
            style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .info(let titleKey, let bodyKeys):
        Modal.render(
            into: &f, title: t.t(titleKey), lines: bodyKeys.map { t.t($0) }, footer: t.t("common.any_key"),
            style: th.base, borderStyle: th.accent, titleStyle: th.title)
    case .message(let title, let lines):
        Modal.render(into: &f, title: title, lines: lines, footer: t.t("common.any_key"), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .picker(let p):
        renderPicker(s, p, into: &f)
    case .variations(let editor):
        ComposerScreen.renderVariations(s, editor, into: &f)
    case .photos(let editor):
        ComposerScreen.renderPhotos(s, editor, into: &f)
    case .product(let builder):
        ComposerScreen.renderProduct(s, builder, into: &f)
    case .connect(let p):
        IntegrationsScreen.renderPrompt(s, p, into: &f)
    case .confirmDisconnect(let provider):
        let name = s.strings.provider(provider)
        Modal.render(
            into: &f, title: t.t("connect.disconnect_title", ["provider": name]), lines: [t.t("connect.disconnect_body", ["provider": name])],
            footer: keyLine(s, [.confirmYes, .confirmNo]), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .revisions(let list, let selected):
        let lines =
            list.isEmpty
            ? [t.t("revisions.none")]
            : list.enumerated().map { i, r in
                (i == selected ? "▶ " : "  ") + s.formats.date(r.createdAt) + " " + s.formats.time(r.createdAt) + "  "
                    + (r.title.isEmpty ? t.t("composer.untitled") : r.title) + revisionNote(t, r.note)
            }
        let room = max(1, s.height - 6)
        let start = min(max(0, selected - room + 1), max(0, lines.count - room))
        Modal.render(
            into: &f, title: t.t("revisions.title"), lines: Array(lines[start...].prefix(room)),
            footer: keyLine(s, [.up, .down, .select, .back], scope: "revisions"),
            style: th.base, borderStyle: th.accent, titleStyle: th.title)
    case .prompt(let p):
        let (title, hint): (String, String)
        switch p.purpose {
        case .importListings: (title, hint) = (t.t("import.title"), t.t("import.hint"))
        case .exportDrafts: (title, hint) = (t.t("export.title"), t.t("export.hint"))
        case .exportTrends: (title, hint) = (t.t("export.trends_title"), t.t("export.trends_hint"))
        case .exportSales: (title, hint) = (t.t("export.shop_title"), t.t("export.shop_hint"))
        case .exportPosts: (title, hint) = (t.t("export.posts_title"), t.t("export.posts_hint"))
        }
        let width = min(s.width - 4, 70)
        let rect = Rect(x: (s.width - width) / 2, y: max(0, s.height / 2 - 3), width: width, height: 6)
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: title, titleStyle: th.title)
        f.put(hint, x: rect.x + 2, y: rect.y + 1, style: th.muted, maxWidth: rect.width - 4)
        p.path.render(into: &f, x: rect.x + 2, y: rect.y + 3, width: rect.width - 4, style: th.input, focused: true)
        f.put(keyLine(s, [.select, .back], scope: "prompt"), x: rect.x + 2, y: rect.y + 4, style: th.muted, maxWidth: rect.width - 4)
    case .brandForm(let form):
        BrandProfiles.renderForm(s, form, into: &f)
    case .confirmDeleteBrand(_, let name):
        Modal.render(
            into: &f, title: t.t("brand.delete_title"), lines: [t.t("brand.delete_body", ["name": name])],
            footer: keyLine(s, [.confirmYes, .confirmNo]), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .conflict(let choice):
        ListingsScreen.renderConflict(s, choice, into: &f)
    case .experimentForm(let form):
        ExperimentsScreen.renderForm(s, form, into: &f)
    case .bulkEdit(let form):
        ListingsScreen.renderBulkForm(s, form, into: &f)
    case .bulkPreview(let preview):
        ListingsScreen.renderBulkPreview(s, preview, into: &f)
    case .confirmDeleteListing(_, let title):
        Modal.render(
            into: &f, title: t.t("listings.delete_title"), lines: [t.t("listings.delete_body", ["title": title])],
            footer: keyLine(s, [.confirmYes, .confirmNo]), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .confirmEditExperiment(_, let title):
        Modal.render(
            into: &f, title: t.t("listings.experiment_title"), lines: [t.t("listings.experiment_body", ["title": title])],
            footer: keyLine(s, [.confirmYes, .confirmNo]), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    case .confirmDeleteDraft(_, let title):
        Modal.render(
            into: &f, title: t.t("composer.delete_title"), lines: [t.t("composer.delete_body", ["title": title.isEmpty ? t.t("composer.untitled") : title])],
            footer: keyLine(s, [.confirmYes, .confirmNo]), style: th.base, borderStyle: th.warning, titleStyle: th.warning)
    }
}

/// What a revision was kept for, when it says: before an A/B test switched the listing, ended
/// or pushed its winner (the note is the switch's outbox key, `experiment-<id>-…`).
func revisionNote(_ t: Localizer, _ note: String) -> String {
    guard note.hasPrefix("experiment-") else { return "" }
    let kind = note.hasSuffix("-end") ? "end" : note.hasSuffix("-winner") ? "winner" : "switch"
    return "  · " + t.t("revisions.note.experiment_\(kind)")
}

/// The help overlay's lines: the current screen's commands first, then every key of the keymap
/// by group, in the user's language.
func helpLines(_ s: AppState) -> [String] {
    let t = s.strings
    var own = [t.t("keys.group.screen", ["screen": t.t(s.screen.titleKey)])]
    for c in s.screen.module.commands {
        let keys = s.keymap.keys(for: c.rawValue).map(\.notation).joined(separator: " ")
        guard !keys.isEmpty else { continue }
        own.append("  " + TextWidth.fit(keys, to: 16) + " " + t.t(c.helpKey))
    }
    own.append("")
    return own
        + HelpOverlay.lines(keymap: s.keymap, groups: KeyGroups.all, groupTitle: { t.t("keys.group.\($0)") }) { help in
            if help.hasPrefix("command.screen_"), let n = Int(help.dropFirst("command.screen_".count)), n <= ScreenID.sidebar.count {
                return t.t("palette.go", ["screen": t.t(ScreenID.sidebar[n - 1].titleKey)])
            }
            return t.t(help)
        }
}

/// A table screen's first line: the filter field (or how to open it) and, on the right, a
/// count and the sort order when there is room.
func renderFilterLine(_ s: AppState, _ field: TextFieldState, filtering: Bool, hint: String, right: String, into f: inout Frame, rect: Rect) {
    let th = s.theme
    let lw = f.put(s.strings.t("common.filter") + " ", x: rect.x, y: rect.y, style: filtering ? th.accent : th.muted)
    let showRight = rect.width > lw + 42 + right.displayWidth
    let room = rect.width - lw - (showRight ? right.displayWidth + 2 : 0)
    if filtering || !field.text.isEmpty {
        field.render(into: &f, x: rect.x + lw, y: rect.y, width: min(40, room), style: th.input, focused: filtering)
    } else {
        f.put(hint, x: rect.x + lw, y: rect.y, style: th.muted, maxWidth: room)
    }
    if showRight { f.put(right, x: rect.maxX - right.displayWidth, y: rect.y, style: th.muted) }
}

/// The top of a filtered table screen: the filter line, then either the empty state (the
/// `empty` lines, or `noMatch` when a filter is set) and nil, or the rectangle for the table.
func filteredTableBody<Row, Sort>(
    _ s: AppState, _ table: FilteredTable<Row, Sort>, hint: String, right: String,
    empty: [String], noMatch: String, into f: inout Frame, rect: Rect
) -> Rect? {
    renderFilterLine(s, table.filter, filtering: table.filtering, hint: hint, right: right, into: &f, rect: rect)
    let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
    guard table.rows.countKnown && table.rows.table.rowCount == 0 else { return body }
    let lines = table.filter.text.isEmpty ? empty : [noMatch]
    for (i, line) in lines.enumerated() {
        f.put(line, x: body.x + 1, y: body.y + i, style: i == 0 ? s.theme.base : s.theme.muted, maxWidth: body.width - 2)
    }
    return nil
}

/// "1,234 drafts" once the count is known, "loading…" before.
func countLabel<Row>(_ s: AppState, _ key: String, _ rows: Paged<Row>) -> String {
    rows.countKnown ? s.strings.plural(key, count: rows.table.rowCount, formatted: s.formats.integer(rows.table.rowCount)) : s.strings.t("common.loading")
}

extension AppState {
    /// How the screens' tables look.
    var tableStyles: TableStyles { TableStyles(header: theme.header, row: theme.base, selected: theme.selection, dim: theme.muted) }
}

extension Style {
    /// This style's foreground and attributes on another style's background.
    func mergedBackground(_ other: Style) -> Style { Style(fg: fg, bg: other.bg, attributes) }
}

/// A dialog centred on the screen: at most `width` × `height`, `margin` cells narrower than the
/// screen and 2 lines shorter; filled, boxed and titled. Returns its inside (2 cells in from the
/// sides, 1 from the top and bottom), or nil when the screen leaves less than `minWidth` ×
/// `minHeight`.
func centredDialog(
    _ s: AppState, width: Int, height: Int, minWidth: Int, minHeight: Int, margin: Int = 4, title: String, into f: inout Frame
) -> Rect? {
    let width = min(s.width - margin, width), height = min(s.height - 2, height)
    guard width > minWidth, height > minHeight else { return nil }
    let rect = Rect(x: (s.width - width) / 2, y: max(0, (s.height - height) / 2), width: width, height: height)
    f.fill(rect, style: s.theme.base)
    f.box(rect, style: s.theme.accent, title: title, titleStyle: s.theme.title)
    return rect.inset(dx: 2, dy: 1)
}

/// The picker: a search line, then the matching items (the selected one marked), or why
/// there are none.
func renderPicker(_ s: AppState, _ p: PickerState, into f: inout Frame) {
    let t = s.strings, th = s.theme
    guard let inner = centredDialog(s, width: 76, height: 18, minWidth: 10, minHeight: 4, title: t.t("picker.\(p.purpose.rawValue)"), into: &f)
    else { return }
    f.put(t.t("picker.search") + " ", x: inner.x, y: inner.y, style: th.muted)
    let label = t.t("picker.search").displayWidth + 1
    p.query.render(
        into: &f, x: inner.x + label, y: inner.y, width: inner.width - label, style: th.input,
        placeholder: "", placeholderStyle: th.muted, focused: true)
    let room = inner.height - 3
    if p.loaded && p.items.isEmpty {
        let why = t.t(p.query.text.isEmpty ? "picker.none_stored" : "picker.no_match", ["query": p.query.text])
        f.put(why, x: inner.x, y: inner.y + 2, style: th.muted, maxWidth: inner.width)
    } else {
        let start = min(max(0, p.selected - room + 1), max(0, p.items.count - room))
        for (row, i) in (start..<min(p.items.count, start + room)).enumerated() {
            let item = p.items[i]
            let id = p.purpose == .timeZone ? "" : "  #\(item.id)"
            f.putPadded(
                (i == p.selected ? "▶ " : "  ") + ComposerScreen.shopChoiceText(s, p.purpose, item.label) + id, x: inner.x, y: inner.y + 2 + row,
                width: inner.width, style: i == p.selected ? th.selection : th.base)
        }
    }
    f.put(
        t.t("picker.type") + " · " + keyLine(s, [.listPrevious, .listNext, .select, .back], scope: "picker"), x: inner.x, y: inner.maxY - 1, style: th.muted,
        maxWidth: inner.width)
}

/// Splits a message into lines of at most `width` cells at spaces.
func wrapWords(_ text: String, width: Int) -> [String] {
    var lines: [String] = [], current = ""
    for word in text.split(separator: " ").map(String.init) {
        if !current.isEmpty, current.displayWidth + 1 + word.displayWidth > width {
            lines.append(current)
            current = ""
        }
        current += (current.isEmpty ? "" : " ") + word
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// A picture's preview for the cells it is shown in (the Posts and Images screens), or why
/// there is none.
public struct PicturePreview: Sendable, Equatable {
    public var path: String
    public var cols: Int
    public var rows: Int
    public var result: Preview?
    public var error: String?
}

/// A preview drawn centred at the top of `rect`: the graphics protocol's picture (written by
/// the terminal adapter after the cells), or symbol cells in their colours.
func drawPicture(_ p: Preview, id: String, into f: inout Frame, rect r: Rect) {
    let x = r.x + max(0, (r.width - p.cols) / 2)
    if let graphics = p.graphics {
        f.images.append(FrameImage(rect: Rect(x: x, y: r.y, width: p.cols, height: p.rows), id: "\(id)|\(p.cols)x\(p.rows)".hashValue, payload: graphics))
        return
    }
    SymbolCells(p).draw(into: &f, x: x, y: r.y)
}

/// A symbols preview as frame cells, made once (a grid of previews redraws them every frame).
struct SymbolCells: Sendable, Equatable {
    let cols: Int
    let rows: Int
    let cells: [Cell]

    init(_ p: Preview) {
        func colour(_ c: UInt32?) -> Color { c.map { .rgb(UInt8($0 >> 16 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 & 0xFF)) } ?? .default }
        (cols, rows) = (p.cols, p.rows)
        cells = p.cells.map { cell in
            let scalar = Unicode.Scalar(cell.scalar).flatMap { TextWidth.width(of: $0) == 1 ? $0 : nil } ?? " "
            return Cell(scalar: scalar.value, style: Style(fg: colour(cell.fg), bg: colour(cell.bg)))
        }
    }

    /// Each cell at its place from (x, y), clipped to the frame (every one is narrow).
    func draw(into f: inout Frame, x: Int, y: Int) {
        for row in 0..<rows where y + row >= 0 && y + row < f.height {
            for col in 0..<cols where x + col >= 0 && x + col < f.width {
                let i = row * cols + col
                if i < cells.count { f[x + col, y + row] = cells[i] }
            }
        }
    }
}
