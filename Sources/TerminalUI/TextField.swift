/// A one-line text editor's state: text, cursor (in characters), and undo/redo.
public struct TextFieldState: Equatable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    /// The character of the last edit when it was a one-character insert (for undo grouping).
    private var lastInserted: Character?
    /// Characters are refused past this many.
    public var maxLength: Int?

    struct Snapshot: Equatable, Sendable {
        var characters: [Character]
        var cursor: Int
    }

    public init(_ text: String = "", maxLength: Int? = nil) {
        characters = Array(text)
        cursor = characters.count
        self.maxLength = maxLength
    }

    public var text: String { String(characters) }

    public enum Edit: Equatable, Sendable {
        case insert(String)
        case backspace, deleteForward
        case left, right, home, end
        case wordLeft, wordRight
        case deleteWordBackward, deleteWordForward, deleteToStart, deleteToEnd
        case undo, redo
        case set(String)
    }

    /// Applies an edit. Returns whether it changed anything.
    @discardableResult
    public mutating func apply(_ edit: Edit) -> Bool {
        let before = Snapshot(characters: characters, cursor: cursor)
        if case .insert = edit {} else { lastInserted = nil }
        switch edit {
        case .insert(let s):
            var add = Array(s.filter { !$0.isNewline && $0 != "\t" })
            if let maxLength { add = Array(add.prefix(max(0, maxLength - characters.count))) }
            guard !add.isEmpty else { return false }
            // A word and the spaces after it are one undo step; a new word starts a new one.
            let startsWord = add.count != 1 || lastInserted == nil || (isWord(add[0]) && !isWord(lastInserted!))
            if startsWord { record(before) } else { redoStack.removeAll() }
            characters.insert(contentsOf: add, at: cursor)
            cursor += add.count
            lastInserted = add.count == 1 ? add[0] : nil
            return true
        case .backspace:
            guard cursor > 0 else { return false }
            record(before)
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .deleteForward:
            guard cursor < characters.count else { return false }
            record(before)
            characters.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = characters.count
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .deleteWordBackward:
            let start = wordStart(before: cursor)
            guard start < cursor else { return false }
            record(before)
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .deleteWordForward:
            let end = wordEnd(after: cursor)
            guard end > cursor else { return false }
            record(before)
            characters.removeSubrange(cursor..<end)
        case .deleteToStart:
            guard cursor > 0 else { return false }
            record(before)
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .deleteToEnd:
            guard cursor < characters.count else { return false }
            record(before)
            characters.removeSubrange(cursor...)
        case .undo:
            guard let s = undoStack.popLast() else { return false }
            redoStack.append(before)
            characters = s.characters
            cursor = s.cursor
            return true
        case .redo:
            guard let s = redoStack.popLast() else { return false }
            undoStack.append(before)
            characters = s.characters
            cursor = s.cursor
            return true
        case .set(let s):
            record(before)
            characters = Array(s)
            cursor = characters.count
        }
        return before != Snapshot(characters: characters, cursor: cursor)
    }

    private mutating func record(_ s: Snapshot) {
        undoStack.append(s)
        if undoStack.count > 200 { undoStack.removeFirst() }
        redoStack.removeAll()
    }

    private func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    private func wordStart(before i: Int) -> Int {
        var j = i
        while j > 0, !isWord(characters[j - 1]) { j -= 1 }
        while j > 0, isWord(characters[j - 1]) { j -= 1 }
        return j
    }

    private func wordEnd(after i: Int) -> Int {
        var j = i
        while j < characters.count, !isWord(characters[j]) { j += 1 }
        while j < characters.count, isWord(characters[j]) { j += 1 }
        return j
    }

    /// The commands of a text field, their edits and default keys (Emacs-style, as shells
    /// have them). They go into the app's keymap in the `text` context, so they can be
    /// rebound and are listed in the help.
    public static let commands: [(command: String, edit: Edit, keys: [String])] = [
        ("text_left", .left, ["left", "ctrl-b"]),
        ("text_right", .right, ["right", "ctrl-f"]),
        ("text_home", .home, ["home", "ctrl-a"]),
        ("text_end", .end, ["end", "ctrl-e"]),
        ("text_word_left", .wordLeft, ["alt-b"]),
        ("text_word_right", .wordRight, ["alt-f"]),
        ("text_backspace", .backspace, ["backspace", "ctrl-h"]),
        ("text_delete", .deleteForward, ["del", "ctrl-d"]),
        ("text_delete_word_backward", .deleteWordBackward, ["ctrl-w"]),
        ("text_delete_word_forward", .deleteWordForward, ["alt-d"]),
        ("text_delete_to_start", .deleteToStart, ["ctrl-u"]),
        ("text_delete_to_end", .deleteToEnd, ["ctrl-k"]),
        ("text_undo", .undo, ["alt-u", "ctrl-_"]),
        ("text_redo", .redo, ["alt-r"]),
    ]

    /// The keymap entries for `commands`, in the `text` context.
    public static func bindings(group: String) -> [KeyBinding] {
        commands.map { KeyBinding($0.command, $0.keys.compactMap(Key.init(notation:)), help: "command.\($0.command)", group: group, context: "text") }
    }

    /// The edit a key means in a text field under `keymap`: a bound text command, else a
    /// typed character.
    public static func edit(for key: Key, keymap: Keymap) -> Edit? {
        if let name = keymap.command(for: key, context: "text"), let e = commands.first(where: { $0.command == name })?.edit { return e }
        if case .char(let c) = key { return .insert(String(c)) }
        return nil
    }

    /// The same field with every character shown as `•` (a secret being typed).
    public var masked: TextFieldState {
        var copy = TextFieldState(String(repeating: "•", count: characters.count))
        copy.cursor = cursor
        return copy
    }

    /// Draws the field in `width` cells, scrolled so the cursor shows; returns the cursor column.
    @discardableResult
    public func render(
        into frame: inout Frame, x: Int, y: Int, width: Int, style: Style, placeholder: String = "", placeholderStyle: Style? = nil, focused: Bool = false
    ) -> Int {
        guard width > 0 else { return x }
        frame.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        if characters.isEmpty, !placeholder.isEmpty {
            frame.put(placeholder, x: x, y: y, style: placeholderStyle ?? style, maxWidth: width)
        }
        // Scroll so that the cursor is visible, measured in display cells.
        var start = 0
        var widthBefore = characters[0..<cursor].reduce(0) { $0 + TextWidth.width(of: $1) }
        while widthBefore >= width, start < cursor {
            widthBefore -= TextWidth.width(of: characters[start])
            start += 1
        }
        if !characters.isEmpty {
            frame.put(String(characters[start...]), x: x, y: y, style: style, maxWidth: width, ellipsis: false)
        }
        let cx = x + widthBefore
        if focused {
            frame.cursor = (cx, y)
        }
        return cx
    }
}
