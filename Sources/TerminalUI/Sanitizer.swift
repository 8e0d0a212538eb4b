/// The one sanitiser for text that reaches a terminal — the UI's cells, the command line's
/// standard output and error, the log file. Text from outside (a file, a feed, a provider's
/// message, an account name) may carry escape sequences that set the clipboard, retitle the
/// window or move the cursor, and bidi or invisible characters that make it read as something
/// else. Each such character is shown visibly escaped instead: `\x1B` for C0 and C1 controls
/// and DEL, `\u{202E}` for bidi controls, line and paragraph separators and invisible format
/// characters. Joiners (U+200C, U+200D) stay: scripts and emoji need them.
public enum Sanitizer {
    /// Whether `scalar` is shown escaped. Line feeds (and tabs) pass when `keepLineBreaks`.
    @inline(__always)
    public static func escapes(_ scalar: Unicode.Scalar, keepLineBreaks: Bool) -> Bool {
        let v = scalar.value
        if v < 0x20 { return !(keepLineBreaks && (v == 0x0A || v == 0x09)) }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }  // DEL and the C1 controls
        if v < 0xAD { return false }
        switch v {
        case 0x200C, 0x200D: return false
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF, 0xFFF9...0xFFFB: return true
        // No format character lies between: box drawing, blocks, CJK and the rest a frame draws
        // most skip the property lookup.
        case 0x2070..<0xFEFF: return false
        default: return v >= 0x0600 && scalar.properties.generalCategory == .format
        }
    }

    /// True when nothing in `text` would be escaped.
    public static func isClean<S: StringProtocol>(_ text: S, keepLineBreaks: Bool = false) -> Bool {
        // Printable ASCII needs no look at the scalars.
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || (keepLineBreaks && ($0 == 0x0A || $0 == 0x09)) }) { return true }
        return !text.unicodeScalars.contains { escapes($0, keepLineBreaks: keepLineBreaks) }
    }

    /// `text` with every character that could act on the terminal shown escaped.
    public static func visible<S: StringProtocol>(_ text: S, keepLineBreaks: Bool = false) -> String {
        if isClean(text, keepLineBreaks: keepLineBreaks) { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard escapes(scalar, keepLineBreaks: keepLineBreaks) else {
                out.append(scalar)
                continue
            }
            let v = scalar.value
            let hex = String(v, radix: 16, uppercase: true)
            let shown = v < 0x100 ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{" + hex + "}"
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }
}
