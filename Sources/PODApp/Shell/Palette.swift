import TerminalUI

/// The command palette (`:` or Ctrl-K): type to narrow, Enter to run.
public struct PaletteState: Sendable, Equatable {
    public var query = TextFieldState()
    public var selected = 0
    public init() {}
}

/// Something the palette can run.
public struct PaletteEntry: Sendable, Equatable {
    public var title: String
    public var action: Action
}

public enum Fuzzy {
    /// A score for `query` as a subsequence of `candidate` (case-insensitive), or nil when it is
    /// not one. Consecutive letters and letters at word starts score higher.
    public static func score(_ query: String, _ candidate: String) -> Int? {
        let q = Array(query.lowercased().filter { !$0.isWhitespace })
        if q.isEmpty { return 0 }
        let c = Array(candidate.lowercased())
        // The query whole at the start of a word ranks first ("trends" finds "Go to Trends"
        // before "Refresh trends from the feeds": the greedy pass below would match its "t"
        // to "to"), shorter titles first.
        if q.count <= c.count {
            for i in 0...(c.count - q.count) where (i == 0 || !c[i - 1].isLetter) && Array(c[i..<(i + q.count)]) == q {
                return 1_000_000 - c.count
            }
        }
        var qi = 0, score = 0, last = -2
        for (i, ch) in c.enumerated() where qi < q.count && ch == q[qi] {
            score += 1
            if i == last + 1 { score += 3 }
            if i == 0 || !c[i - 1].isLetter { score += 5 }
            last = i
            qi += 1
        }
        guard qi == q.count else { return nil }
        return score * 100 - c.count
    }

    /// Entries that match, best first (stable for equal scores).
    public static func filter(_ entries: [PaletteEntry], query: String) -> [PaletteEntry] {
        entries.enumerated()
            .compactMap { i, e in score(query, e.title).map { (i, $0, e) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map(\.2)
    }
}
