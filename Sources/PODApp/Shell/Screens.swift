/// Every screen the app has. The first nine are in the sidebar; the others are reached from
/// the palette, `--screen`, or from a screen that links to them.
public enum ScreenID: String, CaseIterable, Sendable {
    case dashboard, trends, seasonal, niches, composer, search, experiments, notifications, settings
    case connect, quotas, queue, listings, shipping, shop, posts, images

    public static let sidebar: [ScreenID] = [.dashboard, .trends, .seasonal, .niches, .composer, .search, .experiments, .notifications, .settings]

    /// The localisation key of the screen's name.
    public var titleKey: String { "screen.\(rawValue)" }

    /// The screen's module (its folder under Screens/): the one place the shell names a screen.
    var module: any ScreenModule.Type {
        switch self {
        case .dashboard: DashboardScreen.self
        case .trends: TrendsScreen.self
        case .seasonal: SeasonalScreen.self
        case .niches: NichesScreen.self
        case .composer: ComposerScreen.self
        case .search: SearchScreen.self
        case .experiments: ExperimentsScreen.self
        case .notifications: NotificationsScreen.self
        case .settings: SettingsScreen.self
        case .connect: IntegrationsScreen.self
        case .quotas: QuotasScreen.self
        case .queue: QueueScreen.self
        case .listings: ListingsScreen.self
        case .shipping: ShippingScreen.self
        case .shop: ShopScreen.self
        case .posts: PostsScreen.self
        case .images: ImagesScreen.self
        }
    }
}
