import Testing

@testable import TerminalUI

@Suite struct TextWidthTests {
    @Test func asciiIsOneCellEach() {
        #expect("hello".displayWidth == 5)
        #expect(TextWidth.width(of: "\u{7}" as Character) == 0)
    }

    @Test func cjkIsTwoCells() {
        #expect("日本語".displayWidth == 6)
        #expect("한국".displayWidth == 4)
        #expect("ｆｕｌｌ".displayWidth == 8)
    }

    @Test func emojiIsTwoCells() {
        #expect("🐱".displayWidth == 2)
        #expect("👩‍💻".displayWidth == 2)  // ZWJ sequence
        #expect("🇺🇸".displayWidth == 2)  // flag
        #expect("❤️".displayWidth == 2)  // text heart + VS16
        #expect("1️⃣".displayWidth == 2)  // keycap
    }

    @Test func combiningMarksTakeNoCell() {
        #expect("e\u{301}".displayWidth == 1)
        #expect("Cafe\u{301}".displayWidth == 4)
        #expect("\u{200B}".displayWidth == 0)
    }

    @Test func truncationEndsWithEllipsisWithinWidth() {
        #expect(TextWidth.truncate("Hello world", to: 8) == "Hello w…")
        #expect(TextWidth.truncate("short", to: 8) == "short")
        #expect(TextWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(TextWidth.truncate("日本語テキスト", to: 7).displayWidth <= 7)
        #expect(TextWidth.truncate("anything", to: 0) == "")
        #expect(TextWidth.truncate("anything", to: 1) == "…")
    }

    @Test func fitPadsAndAligns() {
        #expect(TextWidth.fit("ab", to: 4) == "ab  ")
        #expect(TextWidth.fit("ab", to: 4, alignRight: true) == "  ab")
        #expect(TextWidth.fit("日本", to: 5) == "日本 ")
    }
}

@Suite struct FrameTests {
    @Test func wideCharactersTakeTwoCellsAndClipAtTheEdge() {
        var f = Frame(width: 5, height: 1)
        f.put("日本語", x: 0, y: 0, style: .plain, ellipsis: false)
        #expect(f.text() == "日本 ")
        #expect(f[1, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var f = Frame(width: 4, height: 1)
        f.put("日本", x: 0, y: 0, style: .plain)
        f.put("x", x: 1, y: 0, style: .plain)
        #expect(f.text() == " x本")
    }

    @Test func combiningMarkJoinsThePreviousCell() {
        var f = Frame(width: 4, height: 1)
        f.put("e\u{301}x", x: 0, y: 0, style: .plain)
        #expect(f.text(atX: 0, y: 0) == "e\u{301}")
        #expect(f.text(atX: 1, y: 0) == "x")
    }

    @Test func drawingOutsideTheFrameIsClippedNotACrash() {
        var f = Frame(width: 3, height: 2)
        f.put("hello", x: 2, y: 1, style: .plain)
        f.put("hello", x: 0, y: 5, style: .plain)
        f.put("hello", x: 9, y: 0, style: .plain)
        f.fill(Rect(x: -5, y: -5, width: 100, height: 100), style: .plain)
        f.box(Rect(x: 0, y: 0, width: 1, height: 1), style: .plain)
        #expect(f.width == 3)
    }

    @Test func clustersCompareByTextAcrossFrames() {
        var a = Frame(width: 4, height: 1)
        a.put("👩‍💻", x: 0, y: 0, style: .plain)
        var b = Frame(width: 4, height: 1)
        b.put("🇺🇸", x: 2, y: 0, style: .plain)
        b.put("👩‍💻", x: 0, y: 0, style: .plain)
        #expect(a.text(atX: 0, y: 0) == "👩‍💻" && b.text(atX: 0, y: 0) == "👩‍💻")
        #expect(!b.rowEqual(0, a))
        b.put("  ", x: 2, y: 0, style: .plain)
        #expect(b.rowEqual(0, a))
    }

    @Test func changedRowsListsOnlyDifferences() {
        var a = Frame(width: 4, height: 3)
        a.put("ab", x: 0, y: 0, style: .plain)
        var b = a
        b.put("x", x: 0, y: 2, style: .plain)
        #expect(b.changedRows(since: a) == [2])
        #expect(b.changedRows(since: nil) == [0, 1, 2])
        #expect(b.changedRows(since: Frame(width: 5, height: 3)) == [0, 1, 2])
    }

    @Test func changedColumnsSpanOnlyTheDifferenceAndWholeWideCharacters() {
        var a = Frame(width: 10, height: 1)
        a.put("abcdefghij", x: 0, y: 0, style: .plain)
        var b = a
        b.put("XY", x: 3, y: 0, style: .plain)
        #expect(b.changedColumns(0, since: a) == 3..<5)
        var c = a
        c.restyle(Rect(x: 7, y: 0, width: 1, height: 1)) { $0.attributes.insert(.reverse) }
        #expect(c.changedColumns(0, since: a) == 7..<8)
        var wide = Frame(width: 10, height: 1)
        wide.put("ab漢cd", x: 0, y: 0, style: .plain)
        var other = wide
        other.put("字", x: 2, y: 0, style: .plain)
        #expect(other.changedColumns(0, since: wide) == 2..<4)
        #expect(wide.changedColumns(0, since: wide) == nil)
        #expect(Frame(width: 3, height: 2).changes(since: nil).map(\.columns) == [0..<3, 0..<3])
    }

    @Test func fillAndBoxCutWideCharactersCleanly() {
        var f = Frame(width: 8, height: 3)
        f.put("漢字漢字", x: 0, y: 1, style: .plain)
        f.fill(Rect(x: 1, y: 1, width: 2, height: 1), with: "x", style: .plain)
        #expect(f.line(1) == " xx 漢字")
        var g = Frame(width: 6, height: 3)
        g.put("inside", x: 0, y: 1, style: .plain)
        g.box(g.bounds, style: .plain, title: nil)
        #expect(g.text() == "┌────┐\n│nsid│\n└────┘")
    }

    @Test func rectSplitsCoverTheWhole() {
        let r = Rect(x: 0, y: 0, width: 100, height: 10)
        let cols = r.columns([3, 2], gap: 1)
        #expect(cols[0].width + cols[1].width + 1 == 100)
        #expect(cols[1].maxX == 100)
        let rows = r.rows([1, 1, 1])
        #expect(rows.map(\.height).reduce(0, +) == 10)
    }
}

@Suite struct TextFieldTests {
    func field(_ s: String, cursor: Int? = nil) -> TextFieldState {
        var f = TextFieldState(s)
        if let cursor {
            f.apply(.home)
            for _ in 0..<cursor { f.apply(.right) }
        }
        return f
    }

    @Test func insertAndDeleteAtTheCursor() {
        var f = field("helo", cursor: 3)
        f.apply(.insert("l"))
        #expect(f.text == "hello")
        f.apply(.backspace)
        #expect(f.text == "helo")
        f.apply(.deleteForward)
        #expect(f.text == "hel")
    }

    @Test func wordMovesAndDeletes() {
        var f = field("sell retro cat shirts")
        f.apply(.wordLeft)
        #expect(f.cursor == 15)
        f.apply(.wordLeft)
        #expect(f.cursor == 11)
        f.apply(.deleteWordBackward)
        #expect(f.text == "sell cat shirts")
        f.apply(.wordRight)
        #expect(f.cursor == 8)
        f.apply(.deleteWordForward)
        #expect(f.text == "sell cat")
        f.apply(.home)
        f.apply(.deleteToEnd)
        #expect(f.text.isEmpty)
    }

    @Test func homeEndAndWideCharacters() {
        var f = field("日本")
        f.apply(.home)
        #expect(f.cursor == 0)
        f.apply(.insert("猫"))
        #expect(f.text == "猫日本")
        f.apply(.end)
        #expect(f.cursor == 3)
        var frame = Frame(width: 10, height: 1)
        let cx = f.render(into: &frame, x: 0, y: 0, width: 10, style: .plain, focused: true)
        #expect(cx == 6)
        #expect(frame.cursor?.x == 6)
    }

    @Test func undoIsPerWordAndRedoComesBack() {
        var f = TextFieldState()
        for c in "retro cat" { f.apply(.insert(String(c))) }
        f.apply(.undo)
        #expect(f.text == "retro ")
        f.apply(.undo)
        #expect(f.text == "")
        f.apply(.redo)
        #expect(f.text == "retro ")
        f.apply(.insert("x"))
        #expect(f.apply(.redo) == false)
    }

    @Test func maxLengthRefusesExtraCharacters() {
        var f = TextFieldState("", maxLength: 3)
        f.apply(.insert("abcdef"))
        #expect(f.text == "abc")
    }

    @Test func longTextScrollsToKeepTheCursorVisible() {
        let f = TextFieldState(String(repeating: "a", count: 30))
        var frame = Frame(width: 10, height: 1)
        let cx = f.render(into: &frame, x: 0, y: 0, width: 10, style: .plain, focused: true)
        #expect(cx < 10)
    }

    @Test func keysMapToEdits() throws {
        var map = Keymap(TextFieldState.bindings(group: "text") + [KeyBinding("palette", [.ctrl("k")], help: "", group: "g")])
        #expect(TextFieldState.edit(for: .ctrl("w"), keymap: map) == .deleteWordBackward)
        #expect(TextFieldState.edit(for: .alt("b"), keymap: map) == .wordLeft)
        #expect(TextFieldState.edit(for: .home, keymap: map) == .home)
        #expect(TextFieldState.edit(for: .char("x"), keymap: map) == .insert("x"))
        #expect(TextFieldState.edit(for: .up, keymap: map) == nil)
        // Contexts keep their own keys: Ctrl-K opens the palette on screens, deletes in text.
        #expect(TextFieldState.edit(for: .ctrl("k"), keymap: map) == .deleteToEnd)
        #expect(map.command(for: .ctrl("k")) == "palette")
        // And text keys can be rebound.
        try map.override(["text_word_left": ["f2"]])
        #expect(TextFieldState.edit(for: .function(2), keymap: map) == .wordLeft)
        #expect(TextFieldState.edit(for: .alt("b"), keymap: map) == nil)
    }
}

@Suite struct TextAreaTests {
    @Test func longLinesWrapAtSpacesAndTheCursorFollows() {
        let a = TextAreaState("one two three four\nfive")
        var f = Frame(width: 9, height: 4)
        a.render(into: &f, rect: f.bounds, style: .plain, focused: true)
        #expect(f.text() == "one two  \nthree    \nfour     \nfive     ")
        #expect(f.cursor?.x == 4 && f.cursor?.y == 3)
        var b = TextAreaState("abcdefghij")
        b.apply(.home)
        var g = Frame(width: 4, height: 2)
        b.render(into: &g, rect: g.bounds, style: .plain, focused: true)
        #expect(g.text() == "abcd\nefgh" && g.cursor?.x == 0 && g.cursor?.y == 0)
        var h = Frame(width: 1, height: 3)
        TextAreaState("漢字").render(into: &h, rect: h.bounds, style: .plain, focused: false)
        #expect(h.width == 1)
    }

    @Test func linesSplitJoinAndUndo() {
        var a = TextAreaState("ab")
        a.apply(.left)
        a.apply(.newline)
        #expect(a.text == "a\nb")
        a.apply(.backspace)
        #expect(a.text == "ab")
        a.apply(.undo)
        #expect(a.text == "a\nb")
        #expect(a.characterCount == 3)
        a.apply(.redo)
        #expect(a.text == "ab")
        a.apply(.undo)
        a.apply(.insert("x"))
        let redone = a.apply(.redo)
        #expect(!redone)
    }
}
