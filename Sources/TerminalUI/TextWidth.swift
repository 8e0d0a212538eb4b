/// Display width in terminal cells, right for ASCII, CJK, emoji and combining marks.
public enum TextWidth {
    /// Ranges of East Asian Wide and Fullwidth code points (Unicode 15, condensed).
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18AFF, 0x1B000...0x1B16F, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
        0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A,
        0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Width of one scalar on its own: 0 for combining marks, format and control characters.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        // Fast paths for the ranges a UI draws most: Latin, box drawing, blocks, shapes.
        if v < 0x300 || (v >= 0x2500 && v < 0x25FD) || (v >= 0x2190 && v < 0x2300) { return 1 }
        if v >= 0x300 && v < 0x370 { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if v >= 0x1160 && v <= 0x11FF { return 0 }  // Hangul jamo medial vowels and finals combine
        return isWide(v) ? 2 : 1
    }

    /// Width of one grapheme cluster.
    public static func width(of character: Character) -> Int {
        if let a = character.asciiValue { return (a >= 0x20 && a < 0x7F) ? 1 : 0 }
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        guard let second = scalars.next() else {
            return (0x1F1E6...0x1F1FF).contains(first.value) ? 1 : width(of: first)
        }
        // Emoji presentation selector, keycaps, flags and ZWJ sequences show as one wide glyph.
        if second.value == 0xFE0F || character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        return width(of: first)
    }

    /// True when every scalar is a one-cell character that never combines with a neighbour
    /// (Latin, punctuation, currency, arrows, box drawing, blocks, shapes): then each scalar
    /// is one grapheme of width 1, and no grapheme breaking is needed.
    @inline(__always)
    static func isSimple(_ v: UInt32) -> Bool {
        (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v < 0x300) || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E)
            || (v >= 0x20A0 && v <= 0x20C0) || (v >= 0x2100 && v <= 0x214F) || (v >= 0x2190 && v < 0x2300) || (v >= 0x2500 && v < 0x25FD)
    }

    static func isSimple<S: StringProtocol>(_ s: S) -> Bool {
        s.unicodeScalars.allSatisfy { isSimple($0.value) }
    }

    /// True when every byte is printable ASCII: then width = byte count, one cell per byte.
    @inline(__always)
    static func isPrintableASCII<S: StringProtocol>(_ s: S) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    public static func width(of string: Substring) -> Int {
        if isPrintableASCII(string) { return string.utf8.count }
        if isSimple(string) { return string.unicodeScalars.count }
        var total = 0
        for ch in string { total += width(of: ch) }
        return total
    }

    public static func width(of string: String) -> Int { width(of: Substring(string)) }

    /// The longest prefix of `string` that fits in `maxWidth` cells, ending with `…` when cut.
    public static func truncate(_ string: String, to maxWidth: Int, ellipsis: Bool = true) -> String {
        guard maxWidth > 0 else { return "" }
        if isPrintableASCII(string) {
            let n = string.utf8.count
            if n <= maxWidth { return string }
            let keep = ellipsis ? maxWidth - 1 : maxWidth
            return String(decoding: string.utf8.prefix(keep), as: UTF8.self) + (ellipsis ? "…" : "")
        }
        if isSimple(string) {
            let scalars = string.unicodeScalars
            if scalars.count <= maxWidth { return string }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars.prefix(ellipsis ? maxWidth - 1 : maxWidth))
            return String(out) + (ellipsis ? "…" : "")
        }
        if width(of: string) <= maxWidth { return string }
        let budget = ellipsis ? maxWidth - 1 : maxWidth
        var out = ""
        var used = 0
        for ch in string {
            let w = width(of: ch)
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// Pads (or truncates) to exactly `width` cells, aligned left or right.
    public static func fit(_ string: String, to width: Int, alignRight: Bool = false) -> String {
        let t = truncate(string, to: width)
        let pad = max(0, width - self.width(of: t))
        let spaces = String(repeating: " ", count: pad)
        return alignRight ? spaces + t : t + spaces
    }
}

extension String {
    public var displayWidth: Int { TextWidth.width(of: self) }
}

extension StringProtocol {
    /// The string without leading and trailing characters that match `drop` (spaces, tabs and
    /// carriage returns by default).
    public func trimmed(where drop: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }) -> String {
        guard let start = firstIndex(where: { !drop($0) }), let end = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[start...end])
    }
}
