/// Every screen the app has. The first nine are in the sidebar; the others are reached from
/// the palette, `--screen`, or from a screen that links to them.
public enum ScreenID: String, CaseIterable, Sendable {
    case dashboard, trends, seasonal, niches, composer, search, experiments, notifications, settings
    case connect, quotas, queue, listings

    public static let sidebar: [ScreenID] = [.dashboard, .trends, .seasonal, .niches, .composer, .search, .experiments, .notifications, .settings]

    /// The localisation key of the screen's name.
    public var titleKey: String { "screen.\(rawValue)" }
}

extension ScreenID {
    /// The screen's module: every screen is listed here, and nowhere else in the shell.
    var module: (any ScreenModule.Type)? {
        switch self {
        case .niches: NichesScreen.self
        case .experiments: ExperimentsScreen.self
        case .quotas: QuotasScreen.self
        case .listings: ListingsScreen.self
        case .queue: QueueScreen.self
        case .notifications: NotificationsScreen.self
        case .seasonal: SeasonalScreen.self
        case .search: SearchScreen.self
        case .trends: TrendsScreen.self
        case .dashboard: DashboardScreen.self
        case .connect: IntegrationsScreen.self
        case .settings: SettingsScreen.self
        case .composer: nil
        }
    }
}
