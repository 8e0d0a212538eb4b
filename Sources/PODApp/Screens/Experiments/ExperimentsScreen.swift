import TerminalUI

/// Experiments (A/B tests of titles and photos) are not built yet: the screen says so plainly
/// and shows no invented data.
enum ExperimentsScreen: ScreenModule {
    static let id = ScreenID.experiments
    static let initialState: Void = ()
    static let commands: [Command] = []

    static func enter(_ s: inout AppState) -> [Effect] { [] }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if command == .left { s.focus = .sidebar }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        for (i, key) in ["experiments.empty", "experiments.empty_hint"].enumerated() {
            f.put(t.t(key), x: rect.x + 1, y: rect.y + 1 + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
        }
    }
}
