/// The named styles a screen draws with. Loaded from `Themes/*.toml` by the app.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var base: Style
    public var accent: Style
    public var muted: Style
    public var border: Style
    public var title: Style
    public var sidebar: Style
    public var sidebarSelected: Style
    public var header: Style
    public var selection: Style
    public var statusBar: Style
    public var statusKey: Style
    public var success: Style
    public var warning: Style
    public var danger: Style
    public var demoBadge: Style
    public var input: Style

    public init(
        name: String, base: Style, accent: Style, muted: Style, border: Style, title: Style, sidebar: Style,
        sidebarSelected: Style, header: Style, selection: Style, statusBar: Style, statusKey: Style,
        success: Style, warning: Style, danger: Style, demoBadge: Style, input: Style
    ) {
        self.name = name
        self.base = base
        self.accent = accent
        self.muted = muted
        self.border = border
        self.title = title
        self.sidebar = sidebar
        self.sidebarSelected = sidebarSelected
        self.header = header
        self.selection = selection
        self.statusBar = statusBar
        self.statusKey = statusKey
        self.success = success
        self.warning = warning
        self.danger = danger
        self.demoBadge = demoBadge
        self.input = input
    }

    /// The names of the roles, as the theme files spell them.
    public static let roles = [
        "base", "accent", "muted", "border", "title", "sidebar", "sidebar_selected", "header",
        "selection", "status_bar", "status_key", "success", "warning", "danger", "demo_badge", "input",
    ]

    /// Builds a theme from role styles; a missing role falls back to `base`.
    public init(name: String, roles: [String: Style]) {
        let b = roles["base"] ?? .plain
        func r(_ k: String) -> Style { roles[k] ?? b }
        self.init(
            name: name, base: b, accent: r("accent"), muted: r("muted"), border: r("border"), title: r("title"),
            sidebar: r("sidebar"), sidebarSelected: r("sidebar_selected"), header: r("header"), selection: r("selection"),
            statusBar: r("status_bar"), statusKey: r("status_key"), success: r("success"), warning: r("warning"),
            danger: r("danger"), demoBadge: r("demo_badge"), input: r("input"))
    }

    /// Drops colour from every role (for `NO_COLOR` and terminals without colour), keeping the
    /// attributes so that selection and focus stay visible.
    public func withoutColor() -> Theme {
        func strip(_ s: Style) -> Style { Style(fg: .default, bg: .default, s.attributes) }
        var t = self
        t.base = strip(base)
        t.accent = strip(accent)
        t.muted = strip(muted)
        t.border = strip(border)
        t.title = strip(title)
        t.sidebar = strip(sidebar)
        t.header = strip(header)
        t.success = strip(success)
        t.warning = strip(warning)
        t.danger = strip(danger)
        t.input = strip(input)
        t.sidebarSelected = strip(sidebarSelected).with(.reverse)
        t.selection = strip(selection).with(.reverse)
        t.statusBar = strip(statusBar).with(.reverse)
        t.statusKey = strip(statusKey).with([.reverse, .bold])
        t.demoBadge = strip(demoBadge).with([.reverse, .bold])
        return t
    }
}
