/// A rectangle of cells: origin at the top left, x to the right, y down.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func inset(by n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
    public func inset(dx: Int, dy: Int) -> Rect { Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy) }

    /// Splits off `n` columns on the left (or all there are).
    public func splitLeft(_ n: Int) -> (Rect, Rect) {
        let w = min(max(0, n), width)
        return (Rect(x: x, y: y, width: w, height: height), Rect(x: x + w, y: y, width: width - w, height: height))
    }
    public func splitTop(_ n: Int) -> (Rect, Rect) {
        let h = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: h), Rect(x: x, y: y + h, width: width, height: height - h))
    }
    public func splitBottom(_ n: Int) -> (Rect, Rect) {
        let h = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - h), Rect(x: x, y: maxY - h, width: width, height: h))
    }
    /// Splits into columns by weight, the last one taking the remainder.
    public func columns(_ weights: [Int], gap: Int = 0) -> [Rect] {
        let total = max(1, weights.reduce(0, +))
        let usable = max(0, width - gap * max(0, weights.count - 1))
        var out: [Rect] = []
        var cx = x
        for (i, w) in weights.enumerated() {
            let cw = i == weights.count - 1 ? max(0, maxX - cx) : usable * w / total
            out.append(Rect(x: cx, y: y, width: cw, height: height))
            cx += cw + gap
        }
        return out
    }
    public func rows(_ weights: [Int], gap: Int = 0) -> [Rect] {
        let total = max(1, weights.reduce(0, +))
        let usable = max(0, height - gap * max(0, weights.count - 1))
        var out: [Rect] = []
        var cy = y
        for (i, w) in weights.enumerated() {
            let ch = i == weights.count - 1 ? max(0, maxY - cy) : usable * w / total
            out.append(Rect(x: x, y: cy, width: width, height: ch))
            cy += ch + gap
        }
        return out
    }
    /// A centred rectangle of at most the given size.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

/// One terminal cell: a grapheme and its style. The cell after a wide grapheme holds `""`.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }
    public static let blank = Cell()
    public var isContinuation: Bool { text.isEmpty }
}

/// A grid of cells that `view` renders into and the terminal adapter presents.
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (a focused text field), if anywhere.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style: fill), count: self.width * self.height)
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * width)..<(y * width + width)] }

    /// Fills a rectangle (clipped to the frame) with spaces of a style.
    public mutating func fill(_ rect: Rect, style: Style) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { cells[y * width + x] = Cell(" ", style: style) } }
    }

    /// Draws text from (x, y), clipped to `maxWidth` cells and the frame, truncating with `…`.
    /// Returns the number of cells drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        let shown = TextWidth.truncate(text, to: limit, ellipsis: ellipsis)
        if x >= 0, TextWidth.isPrintableASCII(shown) {
            // One cell per byte: the common case, without grapheme breaking.
            var cx = x
            let base = y * width
            for b in shown.utf8 {
                if cells[base + cx].isContinuation || (cx + 1 < width && cells[base + cx + 1].isContinuation) { clearWide(at: cx, y: y) }
                cells[base + cx] = Cell(Self.asciiStrings[Int(b)], style: style)
                cx += 1
            }
            return cx - x
        }
        var cx = x
        for ch in shown {
            let w = TextWidth.width(of: ch)
            if w == 0 {
                // A lone zero-width cluster joins the previous cell.
                if cx > x, cx - 1 >= 0 { cells[y * width + cx - 1].text.append(ch) }
                continue
            }
            if cx + w > x + limit { break }
            if cx >= 0 {
                clearWide(at: cx, y: y)
                cells[y * width + cx] = Cell(String(ch), style: style)
                if w == 2, cx + 1 < width {
                    clearWide(at: cx + 1, y: y)
                    cells[y * width + cx + 1] = Cell("", style: style)
                }
            }
            cx += w
        }
        return cx - x
    }

    /// One-character strings for the printable ASCII bytes, made once.
    static let asciiStrings: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Overwriting half of a wide character blanks its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1].text = " " }
        if x + 1 < width, cells[i + 1].isContinuation, !cells[i].isContinuation, TextWidth.width(of: cells[i].text) == 2 {
            cells[i + 1].text = " "
        }
    }

    /// Draws text padded to exactly `width` cells in the style (so the background covers it).
    public mutating func putPadded(_ text: String, x: Int, y: Int, width w: Int, style: Style, alignRight: Bool = false) {
        put(TextWidth.fit(text, to: w, alignRight: alignRight), x: x, y: y, style: style, maxWidth: w)
    }

    /// Applies extra attributes or a style change to every cell of a rectangle.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { change(&cells[y * width + x].style) } }
    }

    /// A single-line box around `rect` with an optional title.
    public mutating func box(_ rect: Rect, style: Style, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let h = String(repeating: "─", count: rect.width - 2)
        put("┌" + h + "┐", x: rect.x, y: rect.y, style: style, ellipsis: false)
        for yy in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", x: rect.x, y: yy, style: style)
            put("│", x: rect.maxX - 1, y: yy, style: style)
        }
        put("└" + h + "┘", x: rect.x, y: rect.maxY - 1, style: style, ellipsis: false)
        if let title, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, maxWidth: rect.width - 2)
        }
    }

    /// The frame as plain text, one line a row, trailing spaces kept (for snapshots and tests).
    public func text() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = ""
            for c in row(y) where !c.isContinuation { line += c.text }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The rows that differ from `previous` (all rows when the size changed).
    public func changedRows(since previous: Frame?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(0..<height) }
        return (0..<height).filter { row($0) != previous.row($0) }
    }
}
