import Foundation
import PODCore
import PODMedia
import PODStore
import PODSync
import TerminalUI

/// Where the keyboard goes.
public enum Focus: Sendable, Equatable { case sidebar, content }

public enum Overlay: Sendable, Equatable {
    case help(scroll: Int)
    case palette(PaletteState)
    /// The first-run offer on an empty store: demo, connect, import.
    case firstRun(selected: Int)
    case confirmClearDemo
    case confirmDeleteDraft(id: Int64, title: String)
    /// Deleting a listing from its shop.
    case confirmDeleteListing(id: Int64, title: String)
    /// Editing a listing an experiment switches: its next turn overwrites the field tested.
    case confirmEditExperiment(id: Int64, title: String)
    /// A listing changed here and on the shop in the same fields: each side by side, chosen one by one.
    case conflict(ConflictChoice)
    /// A new A/B experiment on a live listing.
    case experimentForm(ExperimentForm)
    /// One change for the marked listings: which, and its values.
    case bulkEdit(BulkEditForm)
    /// What a bulk edit would do, listing by listing, before anything is queued.
    case bulkPreview(BulkPreviewState)
    /// The composer's variations grid.
    case variations(VariationsEditor)
    /// The composer's photos: order, alt text, each file's check.
    case photos(PhotosEditor)
    /// The composer's Printify product builder.
    case product(ProductBuilder)
    /// A file path asked for before importing or exporting listings.
    case prompt(PromptState)
    /// A draft's saved revisions, newest first; Enter restores the selected one.
    case revisions([RevisionInfo], selected: Int)
    /// A titled list of lines already in the user's language (e.g. why publishing was refused).
    case message(title: String, lines: [String])
    case info(titleKey: String, bodyKeys: [String])
    /// A searchable list to choose a field's value from (the seller taxonomy, the shop's
    /// shipping profiles), as the last sync stored them.
    case picker(PickerState)
    /// Connecting a provider: the device code, the browser address or the token field.
    case connect(ConnectPrompt)
    case confirmDisconnect(provider: String)
    /// Writing a brand profile (Settings → General).
    case brandForm(BrandForm)
    case confirmDeleteBrand(id: Int64, name: String)
}

public struct PickerItem: Sendable, Equatable {
    public var id: Int
    public var label: String
    public init(id: Int, label: String) {
        self.id = id
        self.label = label
    }
}

public struct PickerState: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case taxonomy, shippingProfile = "shipping_profile", shopSection = "shop_section", returnPolicy = "return_policy", timeZone = "time_zone"
    }
    public var purpose: Purpose
    public var query = TextFieldState()
    public var items: [PickerItem] = []
    public var selected = 0
    public var loaded = false
    public init(purpose: Purpose) { self.purpose = purpose }

    /// The composer field the choice goes to.
    public var field: EditorField {
        switch purpose {
        case .taxonomy: return .taxonomyID
        case .shopSection: return .shopSectionID
        case .returnPolicy: return .returnPolicyID
        case .shippingProfile, .timeZone: return .shippingProfileID
        }
    }
}

/// The fields of a listing in conflict, mine and the shop's side by side, and which to keep.
public struct ConflictChoice: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var field: ListingField
        public var mine: String
        public var theirs: String
    }
    public var listingID: Int64
    public var provider: String
    public var rows: [Row]
    /// The fields that take the shop's value (the others keep mine).
    public var takingTheirs: Set<ListingField> = []
    public var selected = 0
}

public struct PromptState: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case importListings, exportDrafts, exportTrends, exportSales, exportPosts }
    public var purpose: Purpose
    /// The path typed.
    public var path = TextFieldState()
    public init(purpose: Purpose, path: String = "") {
        self.purpose = purpose
        self.path = TextFieldState(path)
    }
}

public struct ToastState: Sendable, Equatable {
    public var message: String
    public var until: Date
    public var isError: Bool
}

/// A table read page by page from the store, with a sort order and a filter line.
public struct FilteredTable<Row: Sendable & Equatable, Sort: Sendable & Equatable>: Sendable, Equatable {
    public var rows = Paged<Row>()
    public var sort: Sort
    public var filter = TextFieldState()
    /// True while the filter line has the keyboard.
    public var filtering = false
    public init(sort: Sort) { self.sort = sort }
}

/// The Listings table, and the listings marked for a bulk edit.
@dynamicMemberLookup
public struct ListingsState: Sendable, Equatable {
    public var list: FilteredTable<ListingRow, ListingSort>
    /// The store ids of the marked listings.
    public var marked: Set<Int64> = []
    /// The row a range being marked (`V`) starts at.
    public var rangeStart: Int?
    public init(sort: ListingSort) { list = FilteredTable(sort: sort) }

    public subscript<T>(dynamicMember path: WritableKeyPath<FilteredTable<ListingRow, ListingSort>, T>) -> T {
        get { list[keyPath: path] }
        set { list[keyPath: path] = newValue }
    }
}
public typealias TrendsState = FilteredTable<KeywordTrend, TrendSort>

/// The whole state of the UI. `reduce` changes it, `view` draws it; neither does I/O.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
    public var screen: ScreenID
    public var history: [ScreenID] = []
    public var focus: Focus = .content
    public var overlay: Overlay?
    public var toast: ToastState?
    public var now: Date
    public var strings: Localizer
    public var formats: Formats
    public var theme: Theme
    public var keymap: Keymap
    public var region: String
    public var plan: PlanTier
    public var window: TrendWindow = .days30
    public var dashboard: DashboardData?
    public var dashboardError: String?
    public var sync = SyncState()
    /// What the Settings screen saved (each value set there wins over config.toml).
    public var settings = UserSettings()
    /// When the scheduler next has something to check (a digest hour, the next hour, the month).
    public var schedulerDue: Date?
    /// The scheduler has not had its first turn (it comes with the first dashboard data).
    public var schedulerPending = false
    /// `[trends] auto_refresh_hours`: the feeds are read at start when older (0: never).
    public var trendsAutoRefreshHours = 0.0
    public var trendsRefreshing = false
    /// Whether Ctrl-G asks the AI copywriter (`[providers.openai]` is configured).
    public var aiCopywriter = false
    /// Terms the compliance panel asks a human to review (config `risky_terms`).
    public var riskyTerms = Compliance.defaultRiskyTerms
    /// What Etsy takes from a sale (`[fees]`), for the composer's estimate.
    public var fees = FeeTable.etsyUS
    /// How the product builder prices for a margin (`[fees]`).
    public var pricing = Pricing()
    /// How pictures reach this terminal (`[ui] graphics`, else from the environment).
    public var graphics = GraphicsMode.symbols
    /// A cell's size in pixels (from the terminal when it tells, else a usual 10×20).
    public var cellWidth = 10
    public var cellHeight = 20
    public var demoLoading = false
    public var firstRunOffered = false
    public var quitRequested = false
    public var demoSeed: UInt64 = 42
    /// Each screen's own state (see `ScreenModule`).
    public var screens = ScreenStates()
    /// The last failed job of each screen, shown on it with a retry until it loads again.
    public var failures: [ScreenID: EffectFailure] = [:]

    public init(
        width: Int, height: Int, screen: ScreenID, now: Date, strings: Localizer, formats: Formats, theme: Theme,
        keymap: Keymap, region: String, plan: PlanTier
    ) {
        self.width = width
        self.height = height
        self.screen = screen
        self.now = now
        self.strings = strings
        self.formats = formats
        self.theme = theme
        self.keymap = keymap
        self.region = region
        self.plan = plan
    }

    /// The smallest terminal the UI draws in; below it a "too small" notice is shown.
    public static let minimumWidth = 20
    public static let minimumHeight = 6

    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
    /// Below 80×24 the sidebar folds into a one-line header.
    public var isCompact: Bool { width < 80 || height < 24 }
    public var isDemo: Bool { dashboard?.isDemo ?? false }

    /// When the UI next needs to wake without input (a toast to take down, an autosave), if ever.
    public var nextDeadline: Date? {
        [toast?.until, composer.editor?.autosaveDue, countdownTick, schedulerDue].compactMap { $0 }.min()
    }

    /// While a device code is shown, its countdown moves every second.
    var countdownTick: Date? {
        guard case .connect(let p) = overlay, case .device = p.stage else { return nil }
        return Date(timeIntervalSince1970: (now.timeIntervalSince1970 + 1).rounded(.down))
    }

    /// The keymap context of the keys: the editor's while a draft is open, else the main one.
    public var keyContext: String { screen == .composer && composer.editor != nil && overlay == nil ? "editor" : "main" }

    /// The body's rectangle: right of the sidebar (none when compact), below the title line,
    /// above the status bar.
    public var bodyRect: Rect {
        let x = isCompact ? 0 : Layout.sidebarWidth + 1
        return Rect(x: x, y: 1, width: width - x, height: height - 2)
    }

    /// Rows a table in the body shows (below its header and the screen's own line).
    public var tableRows: Int { max(1, bodyRect.height - 3) }
}

enum Layout {
    static let sidebarWidth = 24
}

/// Something the reducer wants done outside: the `EffectRunner` does it and answers with actions.
public enum Effect: Sendable, Equatable {
    case loadDashboard(window: TrendWindow, region: String)
    case loadDemo(seed: UInt64)
    case clearDemo
    case importListings(path: String, strings: Localizer)
    case exportDrafts(path: String)
    /// The Trends table of this window, region, order and filter, every row, as CSV.
    case exportTrends(path: String, window: TrendWindow, region: String, sort: TrendSort, filter: String, category: ProductCategory?)
    /// One sync pass (pull, then push) for every provider, in the background.
    case sync
    /// Reads the public trend feeds (only when the last refresh is older than the interval, when one is given).
    case refreshTrends(ifOlderThan: TimeInterval?)
    /// Digests, reminders and alerts due now (and those missed while the app was closed).
    case runScheduler(NotificationSettings, timeZone: TimeZone, region: String, strings: Localizer)
    /// What the terminal itself does (the composition root, on the UI thread).
    case terminal(TerminalEffect)
    /// A screen's own effect (`ScreenJob`): its lane and its work come with it.
    case screenJob(AnyScreenJob)
}

/// The effects only the terminal can carry out.
public enum TerminalEffect: Equatable, Sendable {
    case quit
    /// Ctrl-Z: give the terminal back to the shell until `fg`.
    case suspend
    /// OSC 52: the terminal (even over SSH) puts the text on the clipboard.
    case copyToClipboard(String)
    /// Opens an address in the desktop's browser, where there is one.
    case openURL(String)
    /// A desktop notification through the terminal (OSC 9/777), or the bell.
    case notify(title: String, body: String)
}

extension Effect {
    public static let quit = Effect.terminal(.quit)
    public static let suspend = Effect.terminal(.suspend)
    public static func copyToClipboard(_ text: String) -> Effect { .terminal(.copyToClipboard(text)) }
    public static func openURL(_ url: String) -> Effect { .terminal(.openURL(url)) }
    public static func notifyTerminal(title: String, body: String) -> Effect { .terminal(.notify(title: title, body: body)) }
}

/// Where an effect runs. It is part of the effect's type: the switch below names every effect,
/// so a new one does not compile until it says, and a write cannot slip onto the read pool.
public enum EffectLane: Sendable, Equatable {
    /// The terminal's own business (the composition root does these on the UI thread).
    case terminal
    /// Done at once on the caller's thread: cancelling, handing over.
    case immediate
    /// The pool of readers.
    case read
    /// The one writer: writes run in order.
    case write
    /// Calls to providers.
    case network
    /// The sync pass (one at a time).
    case sync
    /// A connect flow (one at a time; a new one cancels the one before).
    case connect
    /// Decoding and encoding images (one at a time, never in the way of reads or the network).
    case media
}

extension Effect {
    public var lane: EffectLane {
        switch self {
        case .terminal:
            return .terminal
        case .screenJob(let job):
            return job.lane
        case .sync:
            return .sync
        case .refreshTrends:
            return .network
        case .runScheduler, .exportTrends, .loadDemo, .clearDemo,
            .importListings, .exportDrafts:
            return .write
        case .loadDashboard:
            return .read
        }
    }
}

public enum Action: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick(Date)
    case run(Command)
    case go(ScreenID)
    case dashboardLoaded(DashboardData)
    case demoLoaded(DemoSummary)
    case demoCleared
    case listingsImported(path: String, ListingFiles.ImportReport)
    case draftsExported(path: String, count: Int)
    case trendsExported(path: String, count: Int)
    case trendsRefreshed([TrendSourceReport])
    case syncProgress(SyncReport)
    case syncFinished([SyncReport], at: Date)
    case notificationsCreated([NotificationItem], next: Date)
    /// An email could not be sent (the reason, never a secret).
    case emailFailed(String)
    /// A screen's message (`ScreenMessage`), for the screen's own reducer.
    case screenMessage(AnyScreenMessage)
    /// An effect failed: back to the screen that asked, with the effect for a retry.
    case failed(EffectFailure)
}

/// Why the AI copywriter wrote nothing.
public enum CopyFailure: Error, Sendable, Equatable {
    /// This month's AI credits are used up.
    case quota(used: Int, limit: Int, resetsAt: Date)
    /// The endpoint failed: the reason in its own (technical) words.
    case provider(String)
}

/// The background sync as the UI shows it.
public struct SyncState: Sendable, Equatable {
    /// A provider is connected and configured: sync runs at start, after queueing, and on `P`.
    public var available = false
    public var running = false
    /// Per provider: the pass under way, or the last one.
    public var reports: [SyncReport] = []
    public var finishedAt: Date?
    public init() {}

    mutating func update(_ r: SyncReport) {
        if let i = reports.firstIndex(where: { $0.provider == r.provider }) { reports[i] = r } else { reports.append(r) }
    }
}

extension Effect {
    /// The screen whose job this is (its failure goes back to it); nil for the app's own.
    var screen: ScreenID? {
        if case .screenJob(let job) = self { return job.screen }
        return nil
    }
}
