import CNcurses
import Foundation
import TerminalUI

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case dumbTerminal(String)
    case unknownTerminal(String)
    case startFailed(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "podpusher's screen needs a terminal on standard input and output; for scripts use the subcommands (podpusher --help)"
        case .dumbTerminal(let t):
            return "the terminal type '\(t)' cannot show a full-screen UI (set TERM to your terminal, e.g. xterm-256color); the subcommands work anywhere"
        case .unknownTerminal(let t):
            return "unknown terminal type '\(t)': terminfo has no entry for it (install ncurses-term or set TERM=xterm-256color)"
        case .startFailed(let t):
            return "could not start the terminal UI on '\(t)'"
        }
    }
}

/// The ncurses implementation of the terminal: starts and restores the terminal, decodes keys,
/// presents frames by repainting only the rows that changed. Used from one thread only.
public final class CursesTerminal {
    public private(set) var width: Int
    public private(set) var height: Int
    public let colorDepth: ColorDepth
    private var previous: Frame?
    /// The pictures on screen now (drawn past curses).
    private var shownImages: [FrameImage] = []
    private var pairs: [PairKey: Int32] = [:]
    /// Styles already turned into curses attributes and a colour pair; consecutive cells mostly
    /// share a style, so the last one is checked first.
    private var styleCache: [Style: (attrs: UInt32, pair: Int32)] = [:]
    private var lastStyle: Style?
    private var lastCurses: (attrs: UInt32, pair: Int32) = (0, 0)
    private var wideBuffer = [wchar_t](repeating: 0, count: 8)
    private var stopped = false
    private var cursorVisible = false
    private var pendingKey: (Int32, UInt32)?

    struct PairKey: Hashable {
        var fg: Color?
        var bg: Color?
    }

    /// Starts curses on the controlling terminal: checks `TERM`, the alternate screen, raw keys,
    /// `ESCDELAY` 25 ms (unless set), and the crash handlers that restore the terminal.
    public init(environment: [String: String]) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { throw .dumbTerminal(term.isEmpty ? "(unset)" : term) }
        switch pod_check_terminal(term) {
        case 1: break
        case 0: throw .dumbTerminal(term)
        default: throw .unknownTerminal(term)
        }
        if environment["ESCDELAY"] == nil { pod_set_escdelay(25) }
        pod_capture_restore_state()
        guard pod_curses_start(term) == 0 else { throw .startFailed(term) }
        pod_install_crash_handlers()
        width = Int(pod_cols())
        height = Int(pod_lines())
        colorDepth = ColorDepth.detect(colors: Int(pod_colors()), hasColors: pod_has_colors() == 1, environment: environment)
    }

    deinit { stop() }

    /// The size of the terminal on standard output, before curses starts.
    public static func windowSize() -> (width: Int, height: Int)? {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return nil }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    /// A cell's size in pixels, when the terminal tells it (many report 0).
    public static func cellPixels() -> (width: Int, height: Int)? {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0, ws.ws_xpixel > 0, ws.ws_ypixel > 0 else { return nil }
        let w = Int(ws.ws_xpixel) / Int(ws.ws_col), h = Int(ws.ws_ypixel) / Int(ws.ws_row)
        return (4...64).contains(w) && (8...128).contains(h) ? (w, h) : nil
    }

    /// Leaves curses: the main screen, the cursor and the tty modes as they were.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        pod_curses_stop()
    }

    /// Ctrl-Z: leaves curses and stops the process as the terminal would; when the shell
    /// continues it (`fg`), curses comes back and the next frame is drawn in full.
    public func suspend() {
        pod_suspend()
        previous = nil
        shownImages = []
        _ = refreshSize()
    }

    /// OSC 52: asks the terminal to put `text` on the clipboard. It travels with the output,
    /// so it works over SSH and in tmux (`set-clipboard on`); a terminal that does not know the
    /// sequence ignores it.
    public func copyToClipboard(_ text: String) {
        writeRaw("\u{1b}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}")
    }

    /// A desktop notification (OSC 9 or 777, chosen from the environment) and the bell.
    public func notify(title: String, body: String, environment: [String: String]) {
        writeRaw(TerminalNotification.sequence(title: title, body: body, environment: environment))
    }

    /// A sequence straight to the terminal, past curses (which would print its bytes as text).
    private func writeRaw(_ sequence: String) { writeRaw(Array(sequence.utf8)) }

    private func writeRaw(_ bytes: [UInt8]) {
        fflush(nil)
        _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Re-reads the window size after SIGWINCH and tells curses when it changed; returns the
    /// new size. (`resizeterm` queues a KEY_RESIZE, which `readKeys` takes without resizing again.)
    public func refreshSize() -> (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0,
            Int(ws.ws_row) != Int(pod_lines()) || Int(ws.ws_col) != Int(pod_cols())
        {
            _ = pod_resize(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        return takeSize()
    }

    private func takeSize() -> (width: Int, height: Int) {
        width = Int(pod_cols())
        height = Int(pod_lines())
        previous = nil
        shownImages = []
        return (width, height)
    }

    /// Whether the last `readKeys` took any input at all (a key it could not decode included).
    public private(set) var consumedInput = false

    /// Reads every key waiting, without blocking.
    public func readKeys() -> [TerminalEvent] {
        var out: [TerminalEvent] = []
        consumedInput = false
        while let (rc, ch) = nextRaw() {
            consumedInput = true
            if rc == KEY_CODE_YES, ch == UInt32(KEY_RESIZE) {
                let size = takeSize()
                out.append(.resize(width: size.width, height: size.height))
                continue
            }
            if rc == OK, ch == 27 {
                // Esc then a character within ESCDELAY is Alt+character.
                if let (rc2, ch2) = nextRaw() {
                    if rc2 == OK, ch2 >= 32, ch2 != 127, let scalar = Unicode.Scalar(ch2) {
                        out.append(.key(.alt(Character(scalar))))
                        continue
                    }
                    pendingKey = (rc2, ch2)
                }
                out.append(.key(.escape))
                continue
            }
            if let key = KeyDecoder.decode(isKeyCode: rc == KEY_CODE_YES, value: ch) { out.append(.key(key)) }
        }
        return out
    }

    private func nextRaw() -> (Int32, UInt32)? {
        if let p = pendingKey {
            pendingKey = nil
            return p
        }
        var ch: UInt32 = 0
        let rc = pod_get_wch(&ch)
        return rc == ERR ? nil : (rc, ch)
    }

    /// Draws the rows that differ from the last frame and flushes once.
    public func present(_ frame: Frame) {
        guard frame.width > 0, frame.height > 0 else { return }
        for (y, columns) in frame.changes(since: previous) {
            for x in columns {
                let cell = frame[x, y]
                if !cell.isContinuation { draw(cell, in: frame, y: y, x: x) }
            }
        }
        if let c = frame.cursor {
            if !cursorVisible {
                _ = pod_curs_set(1)
                cursorVisible = true
            }
            _ = pod_move(Int32(c.y), Int32(c.x))
        } else if cursorVisible {
            _ = pod_curs_set(0)
            cursorVisible = false
        }
        // Pictures gone or moved: kitty's are deleted (those of before a resize too); sixel and
        // iTerm2 pixels stay until their cells are drawn again, so every cell is.
        let picturesChanged = frame.images != shownImages
        if picturesChanged {
            writeRaw("\u{1b}_Ga=d\u{1b}\\")
            if !shownImages.isEmpty { pod_repaint_all() }
        }
        _ = pod_flush()
        if picturesChanged {
            // Each at its rectangle's corner, the cursor saved and restored around it so curses'
            // idea of where it is stays true.
            for image in frame.images {
                writeRaw(Array("\u{1b}7\u{1b}[\(image.rect.y + 1);\(image.rect.x + 1)H".utf8) + image.payload + Array("\u{1b}8".utf8))
            }
            shownImages = frame.images
        }
        previous = frame
    }

    private func draw(_ cell: Cell, in frame: Frame, y: Int, x: Int) {
        let curses = cursesStyle(cell.style)
        var n = 1
        wideBuffer[0] = wchar_t(bitPattern: cell.scalar)
        if cell.cluster != 0 {
            n = 0
            // curses takes a spacing character and up to five combining ones.
            for scalar in frame.text(of: cell).unicodeScalars where n < 6 {
                wideBuffer[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
        }
        wideBuffer[n] = 0
        _ = pod_put_cell(Int32(y), Int32(x), wideBuffer, curses.attrs, curses.pair)
    }

    private func cursesStyle(_ style: Style) -> (attrs: UInt32, pair: Int32) {
        if style == lastStyle { return lastCurses }
        let result: (attrs: UInt32, pair: Int32)
        if let cached = styleCache[style] {
            result = cached
        } else {
            var attrs: UInt32 = 0
            let a = style.attributes
            if a.contains(.bold) { attrs |= pod_attr_bold() }
            if a.contains(.reverse) { attrs |= pod_attr_reverse() }
            if a.contains(.underline) { attrs |= pod_attr_underline() }
            if a.contains(.dim) { attrs |= pod_attr_dim() }
            if a.contains(.italic) { attrs |= pod_attr_italic() }
            result = (attrs, pairFor(style))
            styleCache[style] = result
        }
        lastStyle = style
        lastCurses = result
        return result
    }

    private func pairFor(_ style: Style) -> Int32 {
        let key = PairKey(fg: style.fg.downgraded(to: colorDepth), bg: style.bg.downgraded(to: colorDepth))
        if key.fg == nil && key.bg == nil { return 0 }
        if let p = pairs[key] { return p }
        let p = pod_pair_for(number(key.fg), number(key.bg))
        pairs[key] = p
        return p
    }

    private func number(_ c: Color?) -> Int32 {
        switch c {
        case .none, .some(.default): return -1
        case .some(.indexed(let i)): return Int32(i)
        case .some(.rgb(let r, let g, let b)): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }
}

public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// Turns ncurses key codes and characters into `Key`s.
public enum KeyDecoder {
    public static func decode(isKeyCode: Bool, value: UInt32) -> Key? {
        if isKeyCode {
            switch Int32(value) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_IC: return .insert
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            default:
                let f0 = Int32(KEY_F0)
                if Int32(value) > f0, Int32(value) <= f0 + 24 { return .function(Int(Int32(value) - f0)) }
                return nil
            }
        }
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 0x1F: return .ctrl("_")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + value))))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
