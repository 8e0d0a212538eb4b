/// A key press, decoded by the terminal adapter.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)  // always lower case: ctrl("k")
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, tab, backTab, backspace, delete, insert, escape
    case function(Int)

    /// Parses the keymap notation: `j`, `?`, `ctrl-k`, `alt-b`, `up`, `pgdn`, `shift-tab`, `f1`, `space`.
    public init?(notation raw: String) {
        let t = raw.trimmed()
        let lower = t.lowercased()
        if lower.hasPrefix("ctrl-") || lower.hasPrefix("c-"), let c = lower.split(separator: "-", maxSplits: 1).last, c.count == 1 {
            self = .ctrl(c.first!)
            return
        }
        if lower.hasPrefix("alt-") || lower.hasPrefix("m-"), let c = t.split(separator: "-", maxSplits: 1).last, c.count == 1 {
            self = .alt(c.first!)
            return
        }
        switch lower {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "enter", "return", "ret": self = .enter
        case "tab": self = .tab
        case "shift-tab", "backtab", "s-tab": self = .backTab
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        case "insert", "ins": self = .insert
        case "esc", "escape": self = .escape
        case "space": self = .char(" ")
        default:
            if lower.count >= 2, lower.first == "f", let n = Int(lower.dropFirst()), (1...24).contains(n) {
                self = .function(n)
                return
            }
            guard t.count == 1 else { return nil }
            self = .char(t.first!)
        }
    }

    /// The notation shown in hints and the help overlay.
    public var notation: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl-\(c)"
        case .alt(let c): return "alt-\(c)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .enter: return "enter"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .backspace: return "backspace"
        case .delete: return "del"
        case .insert: return "ins"
        case .escape: return "esc"
        case .function(let n): return "f\(n)"
        }
    }
}

/// One entry of a keymap: a command name, the keys that run it and a help text key.
public struct KeyBinding: Sendable, Equatable {
    public var command: String
    public var keys: [Key]
    /// The localisation key of the command's description.
    public var help: String
    /// The group it is listed under in the help overlay.
    public var group: String
    /// Shown in the status bar's hints.
    public var hint: Bool
    /// Where the binding applies: `main` for screens and overlays, `text` inside a text field
    /// (where a plain character is typed, and Ctrl-K deletes to the end of the line); several
    /// contexts are separated by commas.
    public var context: String

    public init(_ command: String, _ keys: [Key], help: String, group: String, hint: Bool = false, context: String = "main") {
        self.command = command
        self.keys = keys
        self.help = help
        self.group = group
        self.hint = hint
        self.context = context
    }
}

/// Keymaps are data: the same table drives key handling, status hints and the help overlay.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [KeyBinding]
    private var index: [String: [Key: String]] = [:]

    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
        reindex()
    }

    private mutating func reindex() {
        index = [:]
        // Earlier bindings win when two claim the same key in one context.
        for b in bindings.reversed() {
            for context in b.context.split(separator: ",") { for k in b.keys { index[String(context), default: [:]][k] = b.command } }
        }
    }

    public func command(for key: Key, context: String = "main") -> String? { index[context]?[key] }

    public func keys(for command: String) -> [Key] { bindings.first { $0.command == command }?.keys ?? [] }

    public enum OverrideError: Error, Equatable {
        case unknownCommand(String)
        case badKey(command: String, key: String)
    }

    /// Replaces the keys of commands (`command = ["key", …]`); the user's keys take the key from
    /// any other command that had it.
    public mutating func override(_ overrides: [String: [String]]) throws(OverrideError) {
        for (command, notations) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let i = bindings.firstIndex(where: { $0.command == command }) else { throw .unknownCommand(command) }
            var keys: [Key] = []
            for n in notations {
                guard let k = Key(notation: n) else { throw .badKey(command: command, key: n) }
                keys.append(k)
            }
            for j in bindings.indices where j != i && bindings[j].context == bindings[i].context {
                bindings[j].keys.removeAll { keys.contains($0) }
            }
            bindings[i].keys = keys
        }
        reindex()
    }
}
