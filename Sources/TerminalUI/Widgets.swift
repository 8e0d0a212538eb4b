import Foundation

/// Tabs on one line; the active one in the selected style.
public enum Tabs {
    public static func render(into frame: inout Frame, rect: Rect, titles: [String], active: Int, style: Style, activeStyle: Style) {
        frame.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: style)
        var x = rect.x
        for (i, t) in titles.enumerated() {
            let label = " \(t) "
            let w = frame.put(label, x: x, y: rect.y, style: i == active ? activeStyle : style, maxWidth: rect.maxX - x)
            x += w + 1
            if x >= rect.maxX { break }
        }
    }
}

/// A horizontal gauge with its label; the fill colour follows the warning and danger thresholds.
public enum Gauge {
    public static func render(
        into frame: inout Frame, rect: Rect, ratio: Double, label: String,
        style: Style, fill: Style, warn: Style, danger: Style,
        warnAt: Double = 0.8, dangerAt: Double = 0.9
    ) {
        guard rect.width > 0 else { return }
        let r = max(0, min(1, ratio.isFinite ? ratio : 0))
        let filled = Int((Double(rect.width) * r).rounded())
        let fillStyle = r >= dangerAt ? danger : (r >= warnAt ? warn : fill)
        let text = TextWidth.fit(label, to: rect.width)
        var x = rect.x
        for (i, ch) in text.enumerated() where i < rect.width {
            let s = i < filled ? fillStyle.with(.reverse) : style
            frame.put(String(ch), x: x, y: rect.y, style: s)
            x += 1
        }
    }
}

/// A horizontal bar in eighths of a cell: `fraction` (0…1) of `width` cells.
public enum Bar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public static func string(_ fraction: Double, width: Int) -> String {
        guard width > 0, fraction.isFinite else { return "" }
        let units = Int((max(0, min(1, fraction)) * Double(width * 8)).rounded())
        return String(repeating: "█", count: units / 8) + eighths[units % 8]
    }
}

/// A one-line chart of values with the eight block heights.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as blocks, scaled between their minimum and maximum.
    public static func string(_ values: [Double], width: Int) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        // A value that is not finite is drawn as the lowest block and scales nothing.
        let shown = values.suffix(width).map { $0.isFinite ? $0 : 0 }
        let lo = shown.min() ?? 0, hi = shown.max() ?? 0
        let span = hi - lo
        return String(
            shown.map { v in
                guard span > 0, span.isFinite else { return blocks[v > 0 ? 3 : 0] }
                let level = ((v - lo) / span * 7).rounded()
                return blocks[level.isFinite ? min(7, max(0, Int(level))) : 0]
            })
    }
}

/// A centred box with a title, body lines and button hints, drawn over what is below.
public enum Modal {
    @discardableResult
    public static func render(
        into frame: inout Frame, title: String, lines: [String], footer: String,
        style: Style, borderStyle: Style, titleStyle: Style, maxWidth: Int = 70
    ) -> Rect {
        let contentWidth = max(title.displayWidth + 4, footer.displayWidth, lines.map(\.displayWidth).max() ?? 0)
        let w = min(min(maxWidth, frame.width), contentWidth + 4)
        let h = min(frame.height, lines.count + 4)
        let rect = frame.bounds.centered(width: w, height: h)
        frame.fill(rect, style: style)
        frame.box(rect, style: borderStyle, title: title, titleStyle: titleStyle)
        for (i, line) in lines.enumerated() where rect.y + 1 + i < rect.maxY - 2 || (h < 4 && i == 0) {
            frame.put(line, x: rect.x + 2, y: rect.y + 1 + i, style: style, maxWidth: rect.width - 4)
        }
        if h >= 3 { frame.put(footer, x: rect.x + 2, y: rect.maxY - 2, style: style.with(.dim), maxWidth: rect.width - 4) }
        return rect
    }
}

/// A short message at the bottom right of the body, shown for a moment.
public enum Toast {
    public static func render(into frame: inout Frame, above y: Int, message: String, style: Style) {
        let w = min(frame.width, message.displayWidth + 2)
        guard w > 2, y - 1 >= 0 else { return }
        let x = frame.width - w
        frame.putPadded(" " + message, x: x, y: y - 1, width: w, style: style)
    }
}

/// The bottom line: a left part (mode or message) and key hints.
public enum StatusBar {
    public static func render(
        into frame: inout Frame, y: Int, left: String, hints: [(key: String, label: String)],
        right: String, style: Style, keyStyle: Style
    ) {
        guard y >= 0, y < frame.height else { return }
        frame.fill(Rect(x: 0, y: y, width: frame.width, height: 1), style: style)
        var x = frame.put(left, x: 0, y: y, style: style.with(.bold), maxWidth: frame.width)
        let rightWidth = right.displayWidth
        let limit = frame.width - rightWidth - 1
        for h in hints {
            let need = h.key.displayWidth + h.label.displayWidth + 3
            if x + need > limit { break }
            x += 2
            x += frame.put(h.key, x: x, y: y, style: keyStyle, maxWidth: limit - x)
            x += 1
            x += frame.put(h.label, x: x, y: y, style: style, maxWidth: limit - x)
        }
        if rightWidth < frame.width { frame.put(right, x: frame.width - rightWidth, y: y, style: style) }
    }
}

/// The `?` overlay: every binding of the keymap, grouped, generated from the same table that
/// handles the keys. `describe` turns a help key into the user's language.
public enum HelpOverlay {
    public static func lines(keymap: Keymap, groups: [String], groupTitle: (String) -> String, describe: (String) -> String) -> [String] {
        var out: [String] = []
        for g in groups {
            let bindings = keymap.bindings.filter { $0.group == g && !$0.keys.isEmpty }
            guard !bindings.isEmpty else { continue }
            if !out.isEmpty { out.append("") }
            out.append(groupTitle(g))
            for b in bindings {
                let keys = b.keys.map(\.notation).joined(separator: " ")
                out.append("  " + TextWidth.fit(keys, to: 16) + " " + describe(b.help))
            }
        }
        return out
    }
}

/// A multi-line text editor's state (lines of characters, a cursor, undo and redo).
public struct TextAreaState: Equatable, Sendable {
    public private(set) var lines: [[Character]]
    public private(set) var row: Int
    public private(set) var column: Int
    private var undoStack: [[[Character]]] = []
    private var redoStack: [[[Character]]] = []
    /// The characters each undo step keeps a copy of (the line it changed): the stack is cut
    /// from its oldest end past `undoBudget`, so a huge text cannot make typing cost memory
    /// without bound.
    private var undoCosts: [Int] = []
    static let undoBudget = 2_000_000
    /// The most characters the text may hold (nil: no limit); typing past it does nothing.
    public var limit: Int?

    public init(_ text: String = "", limit: Int? = nil) {
        self.limit = limit
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        column = lines[row].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var characterCount: Int { lines.reduce(0) { $0 + $1.count } + lines.count - 1 }

    public enum Edit: Equatable, Sendable { case insert(Character), newline, backspace, up, down, left, right, home, end, undo, redo }

    @discardableResult
    public mutating func apply(_ edit: Edit) -> Bool {
        switch edit {
        case .insert, .newline, .backspace: redoStack.removeAll()
        default: break
        }
        if let limit, characterCount >= limit {
            switch edit {
            case .insert, .newline: return false
            default: break
            }
        }
        switch edit {
        case .insert(let c):
            undoStack.append(lines)
            lines[row].insert(c, at: column)
            column += 1
        case .newline:
            undoStack.append(lines)
            let tail = Array(lines[row][column...])
            lines[row].removeSubrange(column...)
            lines.insert(tail, at: row + 1)
            row += 1
            column = 0
        case .backspace:
            if column > 0 {
                undoStack.append(lines)
                lines[row].remove(at: column - 1)
                column -= 1
            } else if row > 0 {
                undoStack.append(lines)
                column = lines[row - 1].count
                lines[row - 1].append(contentsOf: lines[row])
                lines.remove(at: row)
                row -= 1
            } else {
                return false
            }
        case .up:
            guard row > 0 else { return false }
            row -= 1
            column = min(column, lines[row].count)
        case .down:
            guard row + 1 < lines.count else { return false }
            row += 1
            column = min(column, lines[row].count)
        case .left:
            if column > 0 {
                column -= 1
            } else if row > 0 {
                row -= 1
                column = lines[row].count
            } else {
                return false
            }
        case .right:
            if column < lines[row].count {
                column += 1
            } else if row + 1 < lines.count {
                row += 1
                column = 0
            } else {
                return false
            }
        case .home: column = 0
        case .end: column = lines[row].count
        case .undo:
            guard let last = undoStack.popLast() else { return false }
            redoStack.append(lines)
            restore(last)
        case .redo:
            guard let next = redoStack.popLast() else { return false }
            undoStack.append(lines)
            restore(next)
        }
        // Each step just taken copied the line it changed (the other lines are shared).
        while undoCosts.count < undoStack.count { undoCosts.append(lines[row].count + 1) }
        if undoCosts.count > undoStack.count { undoCosts.removeLast(undoCosts.count - undoStack.count) }
        var total = undoCosts.reduce(0, +)
        while undoStack.count > 200 || (total > Self.undoBudget && undoStack.count > 1) {
            undoStack.removeFirst()
            total -= undoCosts.removeFirst()
        }
        return true
    }

    private mutating func restore(_ text: [[Character]]) {
        lines = text
        row = min(row, lines.count - 1)
        column = min(column, lines[row].count)
    }

    /// Draws the text soft-wrapped at the area's width (at the last space that fits, else
    /// mid-word), scrolled so the cursor's line is on screen.
    public func render(into frame: inout Frame, rect: Rect, style: Style, focused: Bool) {
        frame.fill(rect, style: style)
        guard rect.height > 0, rect.width > 0 else { return }
        // Each visual line: its logical row and the range of characters it shows.
        var visual: [(row: Int, range: Range<Int>)] = []
        var cursorLine = 0, cursorX = 0
        for (r, line) in lines.enumerated() {
            var start = 0
            repeat {
                var end = start, used = 0, lastSpace: Int?
                while end < line.count {
                    let w = TextWidth.width(of: line[end])
                    if used + w > rect.width { break }
                    if line[end] == " " { lastSpace = end }
                    used += w
                    end += 1
                }
                if end < line.count, let space = lastSpace, space > start { end = space + 1 }
                if end == start, start < line.count { end = start + 1 }  // wider than the area: one character a line
                if r == row, column >= start, column < end || end == line.count || (column == end && end == start) {
                    cursorLine = visual.count
                    cursorX = line[start..<min(column, end)].reduce(0) { $0 + TextWidth.width(of: $1) }
                }
                visual.append((r, start..<end))
                start = end
            } while start < line.count
        }
        let top = max(0, cursorLine - rect.height + 1)
        for (i, v) in visual.dropFirst(top).prefix(rect.height).enumerated() {
            frame.put(String(lines[v.row][v.range]), x: rect.x, y: rect.y + i, style: style, maxWidth: rect.width, ellipsis: false)
        }
        if focused {
            frame.cursor = (rect.x + min(rect.width - 1, cursorX), rect.y + cursorLine - top)
        }
    }
}

/// A vertical list of one-line items; the selected one is kept in view and drawn in the
/// selected style across the list's width.
public enum ListView {
    /// The index of the first item shown so that `selected` is visible in `height` rows.
    public static func firstVisible(selected: Int, count: Int, height: Int) -> Int {
        max(0, min(selected - height + 1, count - height))
    }

    public static func render(into frame: inout Frame, rect: Rect, items: [String], selected: Int, style: Style, selectedStyle: Style) {
        guard rect.height > 0, rect.width > 0 else { return }
        let first = firstVisible(selected: selected, count: items.count, height: rect.height)
        for (i, item) in items.dropFirst(first).prefix(rect.height).enumerated() {
            frame.putPadded(" " + item, x: rect.x, y: rect.y + i, width: rect.width, style: first + i == selected ? selectedStyle : style)
        }
    }
}

/// A desktop notification through the terminal: OSC 777 (urxvt, foot, VTE) or OSC 9 (iTerm2,
/// WezTerm, Windows Terminal, kitty, Ghostty and most others), wrapped for tmux's passthrough
/// inside tmux, then the bell. Control characters are taken out of the text: nothing the
/// notification says can become a terminal command.
public enum TerminalNotification {
    public static func sequence(title: String, body: String, environment env: [String: String]) -> String {
        func clean(_ s: String) -> String { String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }) }
        let term = env["TERM"] ?? "", program = env["TERM_PROGRAM"] ?? ""
        let osc777 = term.contains("rxvt") || term.hasPrefix("foot") || env["VTE_VERSION"] != nil && program.isEmpty
        let osc =
            osc777
            ? "\u{1b}]777;notify;\(clean(title).replacingOccurrences(of: ";", with: ","));\(clean(body))\u{07}"
            : "\u{1b}]9;\(clean(title)): \(clean(body))\u{07}"
        let wrapped = env["TMUX"] != nil ? "\u{1b}Ptmux;" + osc.replacingOccurrences(of: "\u{1b}", with: "\u{1b}\u{1b}") + "\u{1b}\\" : osc
        return wrapped + "\u{07}"
    }
}
