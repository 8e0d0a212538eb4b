import Testing

@testable import TerminalUI

@Suite struct TableTests {
    @Test func onlyVisibleRowsAreMaterialised() {
        var state = TableState(rowCount: 100_000)
        state.move(.to(50_000), visibleRows: 10)
        var asked: [Int] = []
        var f = Frame(width: 40, height: 11)
        TableView.render(
            into: &f, rect: f.bounds, columns: [TableColumn("N", .flex(1))], state: state,
            styles: TableStyles(header: .plain, row: .plain, selected: Style(.reverse), dim: .plain)
        ) { i in
            asked.append(i)
            return ["row \(i)"]
        }
        #expect(asked.count == 10)
        #expect(asked.contains(50_000))
        #expect(f.text().contains("row 50000"))
        // The selection marks the first column's text, not the whole line.
        let y = f.text().split(separator: "\n").firstIndex { $0.hasPrefix("row 50000") }!
        #expect(f[0, y].style == Style(.reverse))
        #expect(f[20, y].style == .plain)
    }

    @Test func selectionScrollsMinimallyAndClamps() {
        var t = TableState(rowCount: 30)
        t.move(.down, visibleRows: 10)
        #expect(t.selected == 1 && t.offset == 0)
        t.move(.to(15), visibleRows: 10)
        #expect(t.offset == 6)
        t.move(.pageDown, visibleRows: 10)
        #expect(t.selected == 24)
        t.move(.bottom, visibleRows: 10)
        #expect(t.selected == 29 && t.offset == 20)
        t.move(.down, visibleRows: 10)
        #expect(t.selected == 29)
        t.move(.top, visibleRows: 10)
        #expect(t.selected == 0 && t.offset == 0)
        t.rowCount = 0
        #expect(t.selected == 0)
    }

    @Test func columnLayoutFillsTheWidth() {
        let cols = [TableColumn("a", .flex(2)), TableColumn("b", .fixed(10)), TableColumn("c", .flex(1))]
        let w = TableColumn.layout(cols, width: 50)
        #expect(w.reduce(0, +) + 2 == 50)
        #expect(w[1] == 10)
        let tight = TableColumn.layout(cols, width: 8)
        #expect(tight.reduce(0, +) + 2 <= 8)
    }
}

@Suite struct ColorTests {
    @Test func downgradeFollowsTheDepth() {
        let orange = Color.rgb(0xFF, 0x7A, 0x1A)
        #expect(orange.downgraded(to: .trueColor) == orange)
        #expect(orange.downgraded(to: .c256) == .indexed(208))
        if case .indexed(let i) = orange.downgraded(to: .c16) { #expect(i < 16) } else { Issue.record("not indexed") }
        if case .indexed(let i) = orange.downgraded(to: .c8) { #expect(i < 8) } else { Issue.record("not indexed") }
        #expect(orange.downgraded(to: .none) == nil)
        #expect(Color.rgb(0x80, 0x80, 0x80).downgraded(to: .c256) == .indexed(244))
        #expect(Color.indexed(9).downgraded(to: .c8) == .indexed(1))
    }

    @Test func detectionHonoursNoColor() {
        #expect(ColorDepth.detect(colors: 256, hasColors: true, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(colors: 256, hasColors: true, environment: ["NO_COLOR": ""]) == .c256)
        #expect(ColorDepth.detect(colors: 0x1000000, hasColors: true, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(colors: 16, hasColors: true, environment: [:]) == .c16)
        #expect(ColorDepth.detect(colors: 8, hasColors: true, environment: [:]) == .c8)
        #expect(ColorDepth.detect(colors: 2, hasColors: false, environment: [:]) == .none)
    }

    @Test func parsing() {
        #expect(Color(parsing: "#ff7a1a") == .rgb(255, 122, 26))
        #expect(Color(parsing: "#fff") == .rgb(255, 255, 255))
        #expect(Color(parsing: "red") == .indexed(1))
        #expect(Color(parsing: "bright-red") == .indexed(9))
        #expect(Color(parsing: "208") == .indexed(208))
        #expect(Color(parsing: "default") == .default)
        #expect(Color(parsing: "#zzzzzz") == nil)
        #expect(Color(parsing: "300") == nil)
    }

    @Test func withoutColorKeepsSelectionVisible() {
        let t = Theme(name: "x", roles: ["base": Style(fg: .rgb(1, 2, 3)), "selection": Style(fg: .rgb(0, 0, 0), bg: .rgb(255, 0, 0))])
        let mono = t.withoutColor()
        #expect(mono.selection.attributes.contains(.reverse))
        #expect(mono.selection.fg == .default && mono.selection.bg == .default)
        #expect(mono.sidebarSelected.attributes.contains(.reverse))
    }
}

@Suite struct KeymapTests {
    @Test func notationRoundTrips() {
        for n in ["j", "?", "ctrl-k", "alt-b", "up", "pgdn", "shift-tab", "f5", "space", "enter", "esc"] {
            #expect(Key(notation: n) != nil, "\(n)")
        }
        #expect(Key(notation: "ctrl-k") == .ctrl("k"))
        #expect(Key(notation: "G") == .char("G"))
        #expect(Key(notation: "nonsense") == nil)
    }

    @Test func overridesMoveAKeyToTheNewCommand() throws {
        var map = Keymap([
            KeyBinding("quit", [.char("q")], help: "h", group: "g"),
            KeyBinding("help", [.char("?")], help: "h", group: "g"),
        ])
        try map.override(["help": ["q", "f1"]])
        #expect(map.command(for: .char("q")) == "help")
        #expect(map.command(for: .function(1)) == "help")
        #expect(map.keys(for: "quit").isEmpty)
        #expect(throws: Keymap.OverrideError.unknownCommand("fly")) { try map.override(["fly": ["x"]]) }
        #expect(throws: Keymap.OverrideError.badKey(command: "quit", key: "ctrl-")) { try map.override(["quit": ["ctrl-"]]) }
    }

    @Test func helpOverlayListsEveryBoundCommandByGroup() {
        let map = Keymap([
            KeyBinding("quit", [.char("q")], help: "command.quit", group: "global"),
            KeyBinding("down", [.char("j"), .down], help: "command.down", group: "nav"),
            KeyBinding("unbound", [], help: "command.unbound", group: "nav"),
        ])
        let lines = HelpOverlay.lines(keymap: map, groups: ["global", "nav"], groupTitle: { $0.uppercased() }, describe: { "<\($0)>" })
        #expect(lines.first == "GLOBAL")
        #expect(lines.contains { $0.contains("j ↓") && $0.contains("<command.down>") })
        #expect(!lines.contains { $0.contains("unbound") })
    }
}

@Suite struct SmallWidgetTests {
    @Test func sparklineScalesBetweenMinAndMax() {
        #expect(Sparkline.string([0, 1, 2, 3, 4, 5, 6, 7], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.string([1, 2, 3], width: 2) == "▁█")
        #expect(Sparkline.string([], width: 5) == "")
        #expect(Sparkline.string([5, 5], width: 5) == "▄▄")
    }

    @Test func gaugeColoursByThreshold() {
        var f = Frame(width: 10, height: 1)
        let fill = Style(fg: .indexed(2)), warn = Style(fg: .indexed(3)), danger = Style(fg: .indexed(1))
        Gauge.render(into: &f, rect: f.bounds, ratio: 0.95, label: "9/10", style: .plain, fill: fill, warn: warn, danger: danger)
        #expect(f[0, 0].style.fg == .indexed(1))
        Gauge.render(into: &f, rect: f.bounds, ratio: 0.85, label: "x", style: .plain, fill: fill, warn: warn, danger: danger)
        #expect(f[0, 0].style.fg == .indexed(3))
        Gauge.render(into: &f, rect: f.bounds, ratio: 0.5, label: "x", style: .plain, fill: fill, warn: warn, danger: danger)
        #expect(f[0, 0].style.fg == .indexed(2))
        #expect(f[9, 0].style == .plain)
    }

    @Test func statusBarDropsHintsThatDoNotFit() {
        var f = Frame(width: 20, height: 1)
        StatusBar.render(into: &f, y: 0, left: "", hints: [("?", "help"), (":", "commands"), ("/", "filter")], right: "", style: .plain, keyStyle: .plain)
        #expect(f.text().contains("? help"))
        #expect(!f.text().contains("filter"))
    }

    @Test func modalFitsInATinyFrame() {
        var f = Frame(width: 8, height: 3)
        Modal.render(into: &f, title: "A long title", lines: ["one", "two", "three"], footer: "esc", style: .plain, borderStyle: .plain, titleStyle: .plain)
        #expect(f.width == 8)
    }
}

@Suite struct ColumnFittingTests {
    @Test func optionalColumnsGoFirstWhenNarrow() {
        let cols = [
            TableColumn("Title", .flex(1)), TableColumn("A", .fixed(10), dropOrder: 2),
            TableColumn("B", .fixed(10)), TableColumn("C", .fixed(10), dropOrder: 1),
        ]
        #expect(TableColumn.fitting(cols, width: 80, minimumFlex: 20) == [0, 1, 2, 3])
        #expect(TableColumn.fitting(cols, width: 45, minimumFlex: 20) == [0, 2, 3])
        #expect(TableColumn.fitting(cols, width: 30, minimumFlex: 20) == [0, 2])
        #expect(TableColumn.fitting(cols, width: 5, minimumFlex: 20) == [0, 2])
    }
}

@Suite struct ListViewTests {
    @Test func selectionStaysInViewAndIsMarked() {
        let items = (0..<20).map { "item \($0)" }
        #expect(ListView.firstVisible(selected: 0, count: 20, height: 5) == 0)
        #expect(ListView.firstVisible(selected: 12, count: 20, height: 5) == 8)
        #expect(ListView.firstVisible(selected: 19, count: 20, height: 50) == 0)
        var f = Frame(width: 12, height: 5)
        ListView.render(into: &f, rect: f.bounds, items: items, selected: 12, style: .plain, selectedStyle: Style(.reverse))
        #expect(f.line(4) == " item 12    ")
        #expect(f[11, 4].style == Style(.reverse))
        #expect(f[0, 3].style == .plain)
    }
}
