public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let italic = TextAttributes(rawValue: 4)
    public static let underline = TextAttributes(rawValue: 8)
    public static let reverse = TextAttributes(rawValue: 16)
}

/// How a cell looks. Selection and focus must never rely on colour alone: themes give them
/// `reverse` or `bold` too, so they stay visible with `NO_COLOR`.
///
/// Stored as three 32-bit words, so a `Cell` is five words with no padding: frames are filled,
/// copied and compared as plain memory (`Frame.rowEqual` uses `memcmp`).
public struct Style: Hashable, Sendable {
    private var fgWord: UInt32
    private var bgWord: UInt32
    private var attributeWord: UInt32

    public init(fg: Color = .default, bg: Color = .default, _ attributes: TextAttributes = []) {
        fgWord = fg.word
        bgWord = bg.word
        attributeWord = UInt32(attributes.rawValue)
    }

    public var fg: Color {
        get { Color(word: fgWord) }
        set { fgWord = newValue.word }
    }
    public var bg: Color {
        get { Color(word: bgWord) }
        set { bgWord = newValue.word }
    }
    public var attributes: TextAttributes {
        get { TextAttributes(rawValue: UInt8(truncatingIfNeeded: attributeWord)) }
        set { attributeWord = UInt32(newValue.rawValue) }
    }

    public static let plain = Style()

    public func with(_ extra: TextAttributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }
}

extension Color {
    /// One word per colour: 0 is the default, 1 in the top byte an indexed colour, 2 an RGB one.
    var word: UInt32 {
        switch self {
        case .default: return 0
        case .indexed(let i): return 1 << 24 | UInt32(i)
        case .rgb(let r, let g, let b): return 2 << 24 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    init(word: UInt32) {
        switch word >> 24 {
        case 1: self = .indexed(UInt8(truncatingIfNeeded: word))
        case 2: self = .rgb(UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word))
        default: self = .default
        }
    }
}
