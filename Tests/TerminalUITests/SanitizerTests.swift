import Testing

@testable import TerminalUI

@Suite struct SanitizerTests {
    /// xorshift64: the property runs on the same bytes every time.
    struct Xorshift: RandomNumberGenerator {
        var x: UInt64
        mutating func next() -> UInt64 {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return x
        }
    }

    func isSafe(_ s: String, keepLineBreaks: Bool) -> Bool {
        !s.unicodeScalars.contains { Sanitizer.escapes($0, keepLineBreaks: keepLineBreaks) }
    }

    /// Over arbitrary bytes (dense in controls, ESC and the UTF-8 of C1, bidi and format
    /// characters): nothing that acts on a terminal survives, and what was clean is unchanged.
    @Test func noControlSurvivesArbitraryBytes() {
        var rng = Xorshift(x: 20_261_206)
        let dangerous: [[UInt8]] = [
            [0x1B], [0x07], [0x9B], [0xC2, 0x9B], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6], [0xE2, 0x80, 0x8B],
            [0xEF, 0xBB, 0xBF], [0x0D], [0x0A], [0x09], [0x7F], [0xE2, 0x80, 0xA8], [0xD8, 0x9C],
        ]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...48, using: &rng) {
                if Bool.random(using: &rng) { bytes += dangerous.randomElement(using: &rng)! } else { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            for keep in [false, true] {
                let shown = Sanitizer.visible(text, keepLineBreaks: keep)
                #expect(isSafe(shown, keepLineBreaks: keep), "\(bytes)")
                #expect(!shown.utf8.contains(0x1B) && !shown.utf8.contains(0x07))
                if Sanitizer.isClean(text, keepLineBreaks: keep) { #expect(shown == text) }
            }
        }
    }

    @Test func escapesAreShownVisibly() {
        #expect(Sanitizer.visible("a\u{1B}]52;c;aGk=\u{07}b") == "a\\x1B]52;c;aGk=\\x07b")
        #expect(Sanitizer.visible("evil\u{202E}gpj.exe") == "evil\\u{202E}gpj.exe")
        #expect(Sanitizer.visible("zero\u{200B}width\u{FEFF}") == "zero\\u{200B}width\\u{FEFF}")
        #expect(Sanitizer.visible("\u{9B}31m") == "\\x9B31m")
        #expect(Sanitizer.visible("two\nlines\r") == "two\\x0Alines\\x0D")
        #expect(Sanitizer.visible("two\nlines\r", keepLineBreaks: true) == "two\nlines\\x0D")
        // Joiners stay: emoji sequences and scripts need them.
        #expect(Sanitizer.visible("👩‍💻 café 日本") == "👩‍💻 café 日本")
    }

    @Test func theUIDrawsTheEscapedForm() {
        var frame = Frame(width: 30, height: 1)
        frame.put("x\u{1B}[2Jy\u{202E}z", x: 0, y: 0, style: Style())
        #expect(frame.text().hasPrefix("x\\x1B[2Jy\\u{202E}z"))
    }
}

@Suite struct TextAreaBoundsTests {
    /// A huge text (a 10 MB description from a file) costs bounded memory per key, and typing
    /// stops at the limit.
    @Test func typingPastTheLimitDoesNothingAndUndoKeepsABoundedCopy() {
        var area = TextAreaState(String(repeating: "x", count: 9), limit: 10)
        #expect(area.apply(.insert("y")) && !area.apply(.insert("z")) && !area.apply(.newline))
        #expect(area.text == "xxxxxxxxxy" && area.apply(.backspace) && area.apply(.insert("z")))
        var big = TextAreaState(String(repeating: "a", count: 500_000))
        for _ in 0..<50 { big.apply(.insert("b")) }
        // Four 500,000-character copies fit the budget; the oldest steps were let go.
        var undone = 0
        while big.apply(.undo) { undone += 1 }
        #expect(undone == 3 && big.characterCount == 500_047)
    }
}
