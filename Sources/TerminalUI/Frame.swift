import Foundation

/// A rectangle of cells: origin at the top left, x to the right, y down.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
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

/// One terminal cell: a grapheme and its style, as plain data (no reference counting, so a
/// frame of ten thousand cells is cheap to make, copy and compare).
public struct Cell: Hashable, Sendable {
    /// The grapheme's scalar, or 0 for the second half of a wide character.
    public var scalar: UInt32
    /// For a grapheme of several scalars (an emoji sequence, a letter and its accents):
    /// 1 + its index in the frame's `clusters`; 0 otherwise.
    public var cluster: UInt32
    public var style: Style

    public init(scalar: UInt32 = 32, style: Style = .plain) {
        self.scalar = scalar
        cluster = 0
        self.style = style
    }

    public var isContinuation: Bool { scalar == 0 }
}

/// A grid of cells that `view` renders into and the terminal adapter presents.
/// A picture in a frame: the cells it covers and the escape text that draws it there (made off
/// the UI thread, already encoded). Two are the same picture when their rectangle and `id` are.
public struct FrameImage: Sendable, Equatable {
    public var rect: Rect
    public var id: Int
    public var payload: [UInt8]
    public init(rect: Rect, id: Int, payload: [UInt8]) {
        (self.rect, self.id, self.payload) = (rect, id, payload)
    }
    public static func == (a: FrameImage, b: FrameImage) -> Bool { a.rect == b.rect && a.id == b.id }
}

public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// The graphemes of more than one scalar, referenced by `Cell.cluster`.
    public private(set) var clusters: [String] = []
    /// Where the terminal cursor should be shown (a focused text field), if anywhere.
    public var cursor: (x: Int, y: Int)?
    /// Pictures drawn over cells by a graphics protocol (kitty, iTerm2, sixel), written by the
    /// terminal adapter after the cells.
    public var images: [FrameImage] = []

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(style: fill), count: self.width * self.height)
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.width == b.width && a.height == b.height && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y && a.images == b.images
            && (0..<a.height).allSatisfy { a.rowEqual($0, b) }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * width)..<(y * width + width)] }

    /// The text of the grapheme at (x, y); "" for the second half of a wide character.
    public func text(atX x: Int, y: Int) -> String { text(of: self[x, y]) }

    public func text(of cell: Cell) -> String {
        if cell.cluster > 0 { return clusters[Int(cell.cluster) - 1] }
        if cell.scalar == 0 { return "" }
        return Unicode.Scalar(cell.scalar).map { String(Character($0)) } ?? " "
    }

    /// One row as text.
    public func line(_ y: Int) -> String {
        var s = ""
        for c in row(y) where !c.isContinuation { s += text(of: c) }
        return s
    }

    /// Fills a rectangle (clipped to the frame) with spaces of a style.
    public mutating func fill(_ rect: Rect, style: Style) { fill(rect, with: " ", style: style) }

    /// Fills a rectangle (clipped to the frame) with one narrow character, e.g. a box line.
    public mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar, style: Style) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        let cell = Cell(scalar: scalar.value, style: style)
        for y in y0..<y1 {
            let base = y * width
            // A wide character cut by either edge loses its other half.
            if cells[base + x0].isContinuation, x0 > 0 { cells[base + x0 - 1] = Cell(style: cells[base + x0 - 1].style) }
            if x1 < width, cells[base + x1].isContinuation { cells[base + x1] = Cell(style: cells[base + x1].style) }
            for x in x0..<x1 { cells[base + x] = cell }
        }
    }

    /// Draws text from (x, y), clipped to `maxWidth` cells and the frame, truncating with `…`.
    /// Returns the number of cells drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        let base = y * width
        if x >= 0, let drawn = putASCII(text, at: base + x, limit: limit, style: style, ellipsis: ellipsis) { return drawn }
        // Controls, bidi overrides and invisible characters from data are drawn escaped.
        let shown = TextWidth.truncate(Sanitizer.visible(text), to: limit, ellipsis: ellipsis)
        if x >= 0, TextWidth.isSimple(shown) {
            var cx = x
            for scalar in shown.unicodeScalars {
                setCell(at: base + cx, rowStart: base, Cell(scalar: scalar.value, style: style))
                cx += 1
            }
            return cx - x
        }
        var cx = x
        for ch in shown {
            let w = TextWidth.width(of: ch)
            if w == 0 {
                // A lone zero-width cluster joins the previous cell.
                if cx > x, cx - 1 >= 0 { appendToCell(at: cx - 1, y: y, ch) }
                continue
            }
            if cx + w > x + limit { break }
            if cx >= 0 {
                clearWide(at: cx, y: y)
                cells[base + cx] = cell(for: ch, style: style)
                if w == 2, cx + 1 < width {
                    clearWide(at: cx + 1, y: y)
                    var half = Cell(scalar: 0, style: style)
                    half.cluster = 0
                    cells[base + cx + 1] = half
                }
            }
            cx += w
        }
        return cx - x
    }

    /// The common case, printable ASCII: one cell per byte, without grapheme breaking. Returns
    /// nil, drawing nothing, when the text is not all printable ASCII.
    private mutating func putASCII(_ text: String, at start: Int, limit: Int, style: Style, ellipsis: Bool) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            for b in bytes where b < 0x20 || b >= 0x7F { return nil }
            let cut = bytes.count > limit
            let n = cut ? (ellipsis ? limit - 1 : limit) : bytes.count
            let rowStart = start - start % width
            for i in 0..<n { setCell(at: start + i, rowStart: rowStart, Cell(scalar: UInt32(bytes[i]), style: style)) }
            if cut && ellipsis { setCell(at: start + n, rowStart: rowStart, Cell(scalar: 0x2026, style: style)) }
            return cut ? limit : n
        }
    }

    /// Sets one narrow cell, blanking the other half of any wide character it overwrites.
    @inline(__always)
    private mutating func setCell(at i: Int, rowStart: Int, _ cell: Cell) {
        if cells[i].isContinuation || (i + 1 < rowStart + width && cells[i + 1].isContinuation) { clearWide(at: i - rowStart, y: i / width) }
        cells[i] = cell
    }

    private mutating func cell(for ch: Character, style: Style) -> Cell {
        let scalars = ch.unicodeScalars
        var c = Cell(scalar: scalars.first?.value ?? 32, style: style)
        if scalars.count > 1 {
            clusters.append(String(ch))
            c.cluster = UInt32(clusters.count)
        }
        return c
    }

    private mutating func appendToCell(at x: Int, y: Int, _ ch: Character) {
        let i = y * width + x
        let joined = text(of: cells[i]) + String(ch)
        clusters.append(joined)
        cells[i].cluster = UInt32(clusters.count)
    }

    /// Overwriting half of a wide character blanks its other half.
    private mutating func clearWide(at x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(style: cells[i - 1].style) }
        if x + 1 < width, cells[i + 1].isContinuation, !cells[i].isContinuation {
            cells[i + 1] = Cell(style: cells[i + 1].style)
        }
    }

    /// Draws text padded to exactly `width` cells in the style (so the background covers it).
    public mutating func putPadded(_ text: String, x: Int, y: Int, width w: Int, style: Style, alignRight: Bool = false) {
        guard w > 0 else { return }
        var start = x
        if alignRight {
            let tw = TextWidth.width(of: text)
            if tw < w {
                fill(Rect(x: x, y: y, width: w - tw, height: 1), style: style)
                start = x + w - tw
            }
        }
        let drawn = put(text, x: start, y: y, style: style, maxWidth: x + w - start)
        if start + drawn < x + w { fill(Rect(x: start + drawn, y: y, width: x + w - start - drawn, height: 1), style: style) }
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
        func line(_ y: Int, _ left: Unicode.Scalar, _ middle: Unicode.Scalar, _ right: Unicode.Scalar) {
            fill(Rect(x: rect.x, y: y, width: 1, height: 1), with: left, style: style)
            fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), with: middle, style: style)
            fill(Rect(x: rect.maxX - 1, y: y, width: 1, height: 1), with: right, style: style)
        }
        line(rect.y, "┌", "─", "┐")
        let sides = Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2)
        fill(sides, with: "│", style: style)
        fill(Rect(x: rect.maxX - 1, y: sides.y, width: 1, height: sides.height), with: "│", style: style)
        line(rect.maxY - 1, "└", "─", "┘")
        if let title, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, maxWidth: rect.width - 2)
        }
    }

    /// The frame as plain text, one line a row, trailing spaces kept (for snapshots and tests).
    public func text() -> String {
        (0..<height).map(line).joined(separator: "\n")
    }

    /// Whether row `y` looks the same in both frames.
    public func rowEqual(_ y: Int, _ other: Frame) -> Bool { changedColumns(y, since: other) == nil }

    /// The columns of row `y` that look different in `other` (a frame of the same size),
    /// widened to whole wide characters; nil when the row looks the same. Rows without
    /// multi-scalar graphemes compare as plain memory.
    public func changedColumns(_ y: Int, since other: Frame) -> Range<Int>? {
        let base = y * width
        return cells.withUnsafeBufferPointer { a in
            other.cells.withUnsafeBufferPointer { b in
                let pa = a.baseAddress! + base, pb = b.baseAddress! + base
                var hasClusters = false
                for x in 0..<width where pa[x].cluster != 0 {
                    hasClusters = true
                    break
                }
                if !hasClusters, memcmp(pa, pb, width * MemoryLayout<Cell>.stride) == 0 { return nil }
                func same(_ x: Int) -> Bool {
                    let c = pa[x], d = pb[x]
                    guard c.scalar == d.scalar, c.style == d.style else { return false }
                    return c.cluster == 0 && d.cluster == 0 ? true : text(of: c) == other.text(of: d)
                }
                guard var lo = (0..<width).first(where: { !same($0) }) else { return nil }
                var hi = (lo..<width).last(where: { !same($0) })! + 1
                if pa[lo].isContinuation, lo > 0 { lo -= 1 }
                if hi < width, pa[hi].isContinuation { hi += 1 }
                return lo..<hi
            }
        }
    }

    /// The rows that differ from `previous` (all rows when the size changed).
    public func changedRows(since previous: Frame?) -> [Int] { changes(since: previous).map(\.row) }

    /// Each row that differs from `previous` with its changed columns (every row, whole, when
    /// there is no previous frame of the same size).
    public func changes(since previous: Frame?) -> [(row: Int, columns: Range<Int>)] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { ($0, 0..<width) }
        }
        return (0..<height).compactMap { y in changedColumns(y, since: previous).map { (y, $0) } }
    }
}
