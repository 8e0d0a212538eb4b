import PODCore
import TerminalUI

/// "b save · e exclude · enter compose": the commands' first keys in the keymap (as the user
/// rebound them) with their short labels; a command with no key is left out.
/// Neighbours with the same label share it: "k/j scroll".
func keyLine(_ s: AppState, _ commands: [Command], scope: String? = nil) -> String {
    var merged: [(key: String, label: String)] = []
    for h in hints(s, commands, scope: scope) {
        if let last = merged.last, last.label == h.label {
            merged[merged.count - 1].key += "/" + h.key
        } else {
            merged.append(h)
        }
    }
    return merged.map { $0.key + " " + $0.label }.joined(separator: " · ")
}

/// A screen's key line, from the hints it declares.
func keyLine<M: ScreenModule>(_ s: AppState, _ module: M.Type) -> String { keyLine(s, M.hints, scope: M.id.rawValue) }

/// Each command's first key and its label: `hint.<scope>.<command>` where a screen or a dialog
/// words it its own way, else `hint.<command>`.
func hints(_ s: AppState, _ commands: [Command], scope: String?) -> [(key: String, label: String)] {
    commands.compactMap { c in
        guard let key = s.keymap.keys(for: c.rawValue).first else { return nil }
        let own = scope.map { "hint.\($0).\(c.rawValue)" }
        return (key.notation, own.flatMap { s.strings.has($0) ? s.strings.t($0) : nil } ?? s.strings.t("hint.\(c.rawValue)"))
    }
}

extension AppState {
    /// What stands where a screen's data will be: "Loading…", or "Not loaded" once its load
    /// failed (the failure and its retry are shown above).
    func loadingText(for screen: ScreenID) -> String {
        strings.t(failures[screen] == nil ? "common.loading" : "common.not_loaded")
    }
}
