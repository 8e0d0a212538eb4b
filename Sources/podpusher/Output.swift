import Foundation
import TerminalUI

/// Everything the command line writes goes through here, through the one sanitiser: text from
/// a file, a feed or a provider cannot act on the terminal (no escape sequence, no bidi
/// override reaches it).
enum Output {
    /// A line on standard output.
    static func out(_ line: String) { write(STDOUT_FILENO, Sanitizer.visible(line, keepLineBreaks: true) + "\n") }

    /// A JSON document on standard output: what the sanitiser would escape is written as JSON's
    /// own `\uXXXX` escape instead, so the document stays valid and still acts on no terminal.
    static func json(_ document: String) {
        var out = ""
        for scalar in document.unicodeScalars {
            guard Sanitizer.escapes(scalar, keepLineBreaks: true) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 { out += "\\u" + String(repeating: "0", count: 4 - String(unit, radix: 16).count) + String(unit, radix: 16) }
        }
        write(STDOUT_FILENO, out + "\n")
    }

    /// A line on standard error (`terminator` "" for a prompt).
    static func err(_ line: String, terminator: String = "\n") { write(STDERR_FILENO, Sanitizer.visible(line, keepLineBreaks: true) + terminator) }

    /// Our own control sequence (a progress line's carriage return and erase) before text that
    /// is sanitised.
    static func err(control: String, _ text: String) { write(STDERR_FILENO, control + Sanitizer.visible(text, keepLineBreaks: true)) }

    /// A file's bytes on standard output (`listings export`): as they are into a pipe or a
    /// file, so that export → import round-trips; sanitised when standard output is a terminal.
    static func data(_ data: Data) {
        if isatty(STDOUT_FILENO) == 1 {
            write(STDOUT_FILENO, Sanitizer.visible(String(decoding: data, as: UTF8.self), keepLineBreaks: true))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
