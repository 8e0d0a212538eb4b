import TerminalUI

/// Screens whose feature is not built yet. Each says so plainly and shows no invented data;
/// its own folder replaces this when it is built.
enum UnbuiltScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        let lines = [t.t("\(s.screen.rawValue).empty"), t.t("\(s.screen.rawValue).empty_hint")]
        for (i, line) in lines.enumerated() {
            f.put(line, x: rect.x + 1, y: rect.y + 1 + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
        }
    }
}
