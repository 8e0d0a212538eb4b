import CNcurses
import Foundation
import Testing

@testable import TerminalCurses
@testable import TerminalUI

@Suite struct KeyDecoderTests {
    @Test func controlCharactersAndCodes() {
        #expect(KeyDecoder.decode(isKeyCode: false, value: 9) == .tab)
        #expect(KeyDecoder.decode(isKeyCode: false, value: 13) == .enter)
        #expect(KeyDecoder.decode(isKeyCode: false, value: 127) == .backspace)
        #expect(KeyDecoder.decode(isKeyCode: false, value: 11) == .ctrl("k"))
        #expect(KeyDecoder.decode(isKeyCode: false, value: 3) == .ctrl("c"))
        #expect(KeyDecoder.decode(isKeyCode: false, value: 26) == .ctrl("z"))
        #expect(KeyDecoder.decode(isKeyCode: false, value: 0x65E5) == .char("日"))
        #expect(KeyDecoder.decode(isKeyCode: true, value: UInt32(KEY_UP)) == .up)
        #expect(KeyDecoder.decode(isKeyCode: true, value: UInt32(KEY_NPAGE)) == .pageDown)
        #expect(KeyDecoder.decode(isKeyCode: true, value: UInt32(KEY_BTAB)) == .backTab)
        #expect(KeyDecoder.decode(isKeyCode: true, value: UInt32(KEY_F0) + 5) == .function(5))
    }
}

/// The toolkit's pure width table agrees with the C library's wcwidth for the characters a
/// screen shows (in a UTF-8 locale).
@Suite struct WidthAgreementTests {
    @Test func textWidthMatchesWcwidth() {
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        let samples: [UInt32] =
            Array(0x20..<0x7F) + [
                0xE9, 0xF1, 0xDF, 0x301, 0x2013, 0x2026, 0x20AC, 0x2500, 0x2502, 0x2581, 0x2588,
                0x25CF, 0x25CB, 0x3042, 0x4E2D, 0x65E5, 0xAC00, 0xFF21, 0x1F431, 0x1F600, 0x200B,
            ]
        for v in samples {
            let scalar = Unicode.Scalar(v)!
            let c = Int(pod_wcwidth(v))
            #expect(TextWidth.width(of: scalar) == max(0, c), "U+\(String(v, radix: 16)): \(TextWidth.width(of: scalar)) vs wcwidth \(c)")
        }
    }
}
