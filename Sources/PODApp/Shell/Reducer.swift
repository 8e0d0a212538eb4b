import Foundation
import PODCore
import TerminalUI

/// What to do when the app starts: load the dashboard (for the sidebar footer and the
/// first-run check) and whatever the opening screen shows.
public func startEffects(_ s: inout AppState) -> [Effect] {
    var effects: [Effect] = [.loadDashboard(window: s.window, region: s.region)]
    // The saved and watched keywords: Trends marks them, the dashboard charts them.
    if s.screen != .search { effects.append(SearchScreen.memoryLoad(s)) }
    // The scheduler's first turn comes with the first data (the language is loaded by then:
    // emails speak it), not in the first frame's way.
    s.schedulerPending = true
    effects += s.screen == .dashboard ? NichesScreen.load(s) : enter(&s, s.screen)
    // The cards also renew OAuth tokens that lapse soon, and say whether sync can run.
    if s.screen != .connect { effects.append(IntegrationsScreen.load) }
    if s.sync.available {
        s.sync.running = true
        effects.append(.sync)
    }
    if s.trendsAutoRefreshHours > 0 {
        s.trendsRefreshing = true
        effects.append(.refreshTrends(ifOlderThan: s.trendsAutoRefreshHours * 3600))
    }
    return effects
}

/// The one reducer: pure and synchronous. Time and sizes come in as actions.
public func reduce(_ s: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .tick(let date):
        s.now = date
        if let t = s.toast, t.until <= date { s.toast = nil }
        var effects = ComposerScreen.tick(&s)
        if let due = s.schedulerDue, due <= date {
            s.schedulerDue = nil
            effects.append(schedulerRun(s))
        }
        return effects
    case .resize(let w, let h):
        s.width = max(0, w)
        s.height = max(0, h)
        return pageLoads(&s)
    case .key(let key):
        return handleKey(&s, key)
    case .run(let command):
        return run(&s, command)
    case .go(let screen):
        return go(&s, screen)
    case .dashboardLoaded(let data):
        s.dashboard = data
        s.dashboardError = nil
        var effects: [Effect] = []
        if s.schedulerPending {
            s.schedulerPending = false
            effects.append(schedulerRun(s))
        }
        // Not over the Integrations screen: connecting is already one of the offer's choices.
        if data.isEmptyWorkspace, !s.firstRunOffered, s.overlay == nil, s.screen != .connect {
            s.overlay = .firstRun(selected: 0)
            s.firstRunOffered = true
        }
        return effects
    case .demoLoaded(let summary):
        s.demoLoading = false
        toast(
            &s,
            s.strings.t(
                "toast.demo_loaded",
                [
                    "signals": s.formats.integer(summary.signals),
                    "listings": s.formats.integer(summary.listings),
                ]))
        return reloadAll(&s)
    case .demoCleared:
        s.demoLoading = false
        toast(&s, s.strings.t("toast.demo_cleared"))
        return reloadAll(&s)
    case .trendsRefreshed(let reports):
        s.trendsRefreshing = false
        let written = reports.reduce(0) { $0 + $1.persisted }
        if let failed = reports.first(where: { $0.error != nil && $0.persisted == 0 && $0.skipped == 0 }) {
            toast(&s, s.strings.t("toast.trends_failed", ["source": failed.source, "reason": failed.error ?? ""]), isError: true)
        } else if !reports.isEmpty {
            toast(&s, s.strings.t("toast.trends_refreshed", ["count": s.formats.integer(written)]))
        }
        guard written > 0 else { return [] }
        s.trends.rows.refresh()
        return [.loadDashboard(window: s.window, region: s.region)] + pageLoads(&s)
    case .syncProgress(let report):
        s.sync.update(report)
        return []
    case .syncFinished(let reports, let at):
        s.sync.running = false
        s.sync.finishedAt = at
        reports.forEach { s.sync.update($0) }
        let pushed = reports.reduce(0) { $0 + $1.pushed }, failed = reports.reduce(0) { $0 + $1.failed }
        let trouble = reports.first(where: \.isTrouble)
        if let trouble {
            toast(
                &s,
                s.strings.t(
                    "toast.sync_trouble",
                    [
                        "provider": s.strings.provider(trouble.provider),
                        "reason": trouble.lastError ?? trouble.outcome.rawValue,
                    ]), isError: true)
        } else if pushed + failed > 0 {
            toast(&s, s.strings.t("toast.sync_done", ["pushed": s.formats.integer(pushed), "failed": s.formats.integer(failed)]))
        }
        s.listings.rows.refresh()
        return [QueueScreen.load, .loadDashboard(window: s.window, region: s.region)] + pageLoads(&s)
    case .screenMessage(let message):
        s.failures[message.screen] = nil
        return message.screen.module.route(&s, message)
    case .notificationsCreated(let items, let next):
        return NotificationsScreen.created(&s, items, next: next)
    case .emailFailed(let reason):
        toast(&s, s.strings.t("notify.email_failed", ["reason": reason]), isError: true)
        return []
    case .listingsImported(let path, let report):
        let t = s.strings
        let summary = t.t("import.done", ["count": s.formats.integer(report.imported), "file": path])
        if report.rejected.isEmpty {
            toast(&s, summary)
        } else {
            s.overlay = .message(
                title: t.t("import.rejected_title", ["count": s.formats.integer(report.rejected.count)]),
                lines: [summary, ""] + report.rejected.prefix(30) + (report.rejected.count > 30 ? ["…"] : []))
        }
        s.composer.drafts.rows.refresh()
        return s.screen == .composer ? pageLoads(&s) : []
    case .draftsExported(let path, let count):
        toast(&s, s.strings.t("export.done", ["count": s.formats.integer(count), "file": path]))
        return []
    case .trendsExported(let path, let count):
        toast(&s, s.strings.t("export.trends_done", ["count": s.formats.integer(count), "file": path]))
        return []
    case .failed(let failure):
        let message = s.strings.t("error.effect", ["detail": failure.detail])
        toast(&s, message, isError: true)
        if let screen = failure.screen {
            s.failures[screen] = failure
            screen.module.failed(&s, failure)
            return []
        }
        s.demoLoading = false
        s.composer.opening = false
        s.dashboardError = message
        return []
    }
}

/// The scheduler, with the settings, zone, region and language of this moment.
func schedulerRun(_ s: AppState) -> Effect {
    .runScheduler(s.settings.notifications, timeZone: s.formats.timeZone, region: s.region, strings: s.strings)
}

func toast(_ s: inout AppState, _ message: String, isError: Bool = false) {
    s.toast = ToastState(message: message, until: s.now.addingTimeInterval(isError ? 6 : 3), isError: isError)
}

/// Forgets loaded rows and asks again for the dashboard and the current screen.
func reloadAll(_ s: inout AppState) -> [Effect] {
    for screen in ScreenID.allCases { screen.module.forget(&s) }
    var effects: [Effect] = [.loadDashboard(window: s.window, region: s.region), SearchScreen.memoryLoad(s)]
    if s.screen != .dashboard { effects += pageLoads(&s) }
    return effects + nicheLoads(s)
}

/// The niches, where they are shown: their screen and the dashboard's rising niches.
func nicheLoads(_ s: AppState) -> [Effect] {
    s.screen == .dashboard || s.screen == .niches ? NichesScreen.load(s) : []
}

func go(_ s: inout AppState, _ screen: ScreenID) -> [Effect] {
    if screen != s.screen {
        s.history.append(s.screen)
        if s.history.count > 50 { s.history.removeFirst() }
    }
    s.screen = screen
    s.overlay = nil
    return enter(&s, screen)
}

/// Effects to show a screen with fresh data.
func enter(_ s: inout AppState, _ screen: ScreenID) -> [Effect] { screen.module.enter(&s) }

/// The page loads the current screen's table needs for what is on screen.
func pageLoads(_ s: inout AppState) -> [Effect] { s.screen.module.pageLoads(&s) }

func handleKey(_ s: inout AppState, _ key: Key) -> [Effect] {
    // A screen's own keys first (the keymap's context named after it), then the main ones.
    let command = (s.keymap.command(for: key, context: s.screen.rawValue) ?? s.keymap.command(for: key)).flatMap(Command.init(rawValue:))
    // Quitting and suspending work from anywhere, overlays and text fields included.
    if let command, command == .forceQuit || command == .suspend { return run(&s, command) }
    if let overlay = s.overlay { return handleOverlayKey(&s, overlay, key) }
    if let effects = s.screen.module.handleKey(&s, key) { return effects }
    guard let command else { return [] }
    return run(&s, command)
}

func run(_ s: inout AppState, _ command: Command) -> [Effect] {
    if let screen = command.screen { return go(&s, screen) }
    switch command {
    case .quit:
        if let previous = s.history.popLast() {
            s.screen = previous
            return enter(&s, previous)
        }
        s.quitRequested = true
        return ComposerScreen.flush(&s) + PostsScreen.flush(&s) + [.quit]
    case .forceQuit:
        s.quitRequested = true
        return ComposerScreen.flush(&s) + PostsScreen.flush(&s) + [.quit]
    case .suspend:
        return [.suspend]
    case .help:
        s.overlay = .help(scroll: 0)
    case .palette:
        s.overlay = .palette(PaletteState())
    case .focusNext, .focusPrevious:
        if !s.isCompact { s.focus = s.focus == .sidebar ? .content : .sidebar }
    case .back where s.focus == .sidebar && !s.isCompact:
        s.focus = .content
    case .cycleWindow:
        s.window = s.window.next
        toast(&s, s.strings.t("toast.window", ["days": s.formats.integer(s.window.rawValue)]))
        return reloadAll(&s)
    case .refresh where s.screen != .connect:  // there, r renews and checks the selected account
        s.failures[s.screen] = nil
        return reloadAll(&s)
    case .retry where s.failures[s.screen] != nil:
        // The screen's failed job again.
        guard let failure = s.failures.removeValue(forKey: s.screen) else { return [] }
        toast(&s, s.strings.t("toast.retrying"))
        return [failure.retry]
    case .filter where s.focus == .sidebar || !s.screen.module.commands.contains(.filter):
        // `/` where the screen has no filter of its own: the one box that searches everything.
        s.focus = .content
        if s.screen == .search {
            s.search.editing = true
            return []
        }
        // A new query (the last one is among the recent searches).
        s.search.box = TextFieldState()
        s.search.selected = 0
        let effects = go(&s, .search)
        s.search.editing = true
        return effects
    case .loadDemo:
        guard !s.demoLoading else { return [] }
        s.demoLoading = true
        s.overlay = nil
        toast(&s, s.strings.t("toast.demo_loading"))
        return [.loadDemo(seed: s.demoSeed)]
    case .clearDemo:
        s.overlay = .confirmClearDemo
    case .newDraft:
        // `n` makes what the screen makes (a draft from its selection, a brand profile), even
        // from the sidebar; else a blank draft.
        guard s.screen.module.commands.contains(.newDraft) else { return ComposerScreen.newDraft(&s) }
        s.focus = .content
        return s.screen.module.handle(&s, .newDraft)
    case .importListings:
        s.overlay = .prompt(PromptState(purpose: .importListings))
    case .exportDrafts:
        s.overlay = .prompt(PromptState(purpose: .exportDrafts, path: "podpusher-drafts.csv"))
    case .exportTrends:
        s.overlay = .prompt(PromptState(purpose: .exportTrends, path: "podpusher-trends-\(s.window.rawValue)d-\(s.region).csv"))
    case .refreshTrends:
        guard !s.trendsRefreshing else { return [] }
        s.trendsRefreshing = true
        toast(&s, s.strings.t("toast.trends_refreshing"))
        return [.refreshTrends(ifOlderThan: nil)]
    case .syncNow:
        if !s.sync.available {
            toast(&s, s.strings.t("toast.sync_unavailable"), isError: true)
        } else if s.sync.running {
            toast(&s, s.strings.t("toast.sync_running"))
        } else {
            toast(&s, s.strings.t("toast.sync_started"))
            return syncIfIdle(&s)
        }
    default:
        if s.focus == .sidebar, !s.isCompact { return sidebarCommand(&s, command) }
        return screenCommand(&s, command)
    }
    return []
}

/// Up and down in the sidebar switch screens at once; Enter or → moves into the screen.
func sidebarCommand(_ s: inout AppState, _ command: Command) -> [Effect] {
    let items = ScreenID.sidebar
    let index = items.firstIndex(of: s.screen) ?? 0
    switch command {
    case .up: return go(&s, items[(index + items.count - 1) % items.count])
    case .down: return go(&s, items[(index + 1) % items.count])
    case .top: return go(&s, items[0])
    case .bottom: return go(&s, items[items.count - 1])
    case .select, .right:
        s.focus = .content
        return []
    default:
        return []
    }
}

func screenCommand(_ s: inout AppState, _ command: Command) -> [Effect] { s.screen.module.handle(&s, command) }

/// A table screen's keys while its filter line is open (nil when it is not): a changed filter
/// reloads the table from the top.
func filterLineKey<Row, Sort>(_ s: inout AppState, _ table: WritableKeyPath<AppState, FilteredTable<Row, Sort>>, _ key: Key) -> [Effect]? {
    guard s[keyPath: table].filtering else { return nil }
    guard editFilter(&s[keyPath: table], key, keymap: s.keymap) else { return [] }
    s[keyPath: table].rows.reset()
    return pageLoads(&s)
}

/// Keys while a table's filter line has the focus: Enter (or ↓, Tab) keeps the filter and
/// returns to the table, Esc clears it, the text keys edit it. True when the filter changed.
func editFilter<Row, Sort>(_ table: inout FilteredTable<Row, Sort>, _ key: Key, keymap: Keymap) -> Bool {
    editFilterLine(&table.filter, filtering: &table.filtering, key, keymap: keymap)
}

/// The same for any filter line (a screen without a `FilteredTable`).
func editFilterLine(_ filter: inout TextFieldState, filtering: inout Bool, _ key: Key, keymap: Keymap) -> Bool {
    switch dialogCommand(keymap, key, typing: true) {
    case .select?, .listNext?, .focusNext?:
        filtering = false
        return false
    case .back?:
        filtering = false
        guard !filter.text.isEmpty else { return false }
        filter.apply(.set(""))
        return true
    default:
        guard let edit = TextFieldState.edit(for: key, keymap: keymap) else { return false }
        let before = filter.text
        filter.apply(edit)
        return filter.text != before
    }
}

/// What the table screens share: moving the selection, `/`, the sort keys, Esc clearing a
/// kept filter, ← to the sidebar. Nil when the command is the screen's own business.
func tableCommand<Row, Sort: CaseIterable & Equatable & RawRepresentable>(
    _ s: inout AppState, _ table: WritableKeyPath<AppState, FilteredTable<Row, Sort>>, _ command: Command
) -> [Effect]? where Sort.AllCases == [Sort], Sort.RawValue == String {
    let rows = s.tableRows
    if navigate(&s[keyPath: table].rows.table, command, visibleRows: rows) { return pageLoads(&s) }
    switch command {
    case .filter:
        s[keyPath: table].filtering = true
        return []
    case .sort, .reverseSort:
        cycleSort(&s[keyPath: table], forward: command == .sort)
        toast(&s, s.strings.t("toast.sorted", ["order": s.strings.t("sort.\(s[keyPath: table].sort.rawValue)")]))
        return pageLoads(&s)
    case .back where !s[keyPath: table].filter.text.isEmpty:
        s[keyPath: table].filter.apply(.set(""))
        s[keyPath: table].rows.reset()
        return pageLoads(&s)
    case .left:
        s.focus = .sidebar
        return []
    default:
        return nil
    }
}

/// The next (or previous) sort order of a table, reloading it from the top.
func cycleSort<Row, Sort: CaseIterable & Equatable>(_ table: inout FilteredTable<Row, Sort>, forward: Bool) where Sort.AllCases == [Sort] {
    let all = Sort.allCases
    let i = all.firstIndex(of: table.sort) ?? 0
    table.sort = all[(i + (forward ? 1 : all.count - 1)) % all.count]
    table.rows.reset()
}

/// Moves a short list's chosen index for ↑ ↓ top bottom; true when the command was one of them.
func moveIndex(_ index: inout Int, _ command: Command, count: Int) -> Bool {
    switch command {
    case .up: index = max(0, index - 1)
    case .down: index = min(max(0, count - 1), index + 1)
    case .top: index = 0
    case .bottom: index = max(0, count - 1)
    default: return false
    }
    return true
}

/// Moves a table's selection for a navigation command; true when it was one.
func navigate(_ table: inout TableState, _ command: Command, visibleRows: Int) -> Bool {
    switch command {
    case .up: table.move(.up, visibleRows: visibleRows)
    case .down: table.move(.down, visibleRows: visibleRows)
    case .pageUp: table.move(.pageUp, visibleRows: visibleRows)
    case .pageDown: table.move(.pageDown, visibleRows: visibleRows)
    case .top: table.move(.top, visibleRows: visibleRows)
    case .bottom: table.move(.bottom, visibleRows: visibleRows)
    default: return false
    }
    return true
}

/// A key in a multi-line text area: Enter a new line, ↑/↓ a line up or down, the rest as
/// in a text field. True when the text changed.
func editTextArea(_ area: inout TextAreaState, _ key: Key, keymap: Keymap) -> Bool {
    let before = area.text
    switch key {
    case .enter: area.apply(.newline)
    case .up: area.apply(.up)
    case .down: area.apply(.down)
    default:
        switch TextFieldState.edit(for: key, keymap: keymap) {
        case .insert(let text)?: text.forEach { _ = area.apply(.insert($0)) }
        case .backspace?: area.apply(.backspace)
        case .left?: area.apply(.left)
        case .right?: area.apply(.right)
        case .home?: area.apply(.home)
        case .end?: area.apply(.end)
        case .undo?: area.apply(.undo)
        case .redo?: area.apply(.redo)
        default: break
        }
    }
    return area.text != before
}

/// The command a key means in a dialog: the dialog keys first (y/n, 1–3, c/o…), then the main
/// ones. In a dialog with a text field (`typing`), a printable key types instead.
func dialogCommand(_ s: AppState, _ key: Key, typing: Bool = false) -> Command? { dialogCommand(s.keymap, key, typing: typing) }

func dialogCommand(_ keymap: Keymap, _ key: Key, typing: Bool = false) -> Command? {
    if typing, case .char = key { return nil }
    return (keymap.command(for: key, context: "dialog") ?? keymap.command(for: key)).flatMap(Command.init(rawValue:))
}

func handleOverlayKey(_ s: inout AppState, _ overlay: Overlay, _ key: Key) -> [Effect] {
    switch overlay {
    case .help(let scroll):
        switch dialogCommand(s, key) {
        case .back?, .quit?, .help?, .select?: s.overlay = nil
        case .down?, .listNext?: s.overlay = .help(scroll: scroll + 1)
        case .up?, .listPrevious?: s.overlay = .help(scroll: max(0, scroll - 1))
        case .pageDown?: s.overlay = .help(scroll: scroll + 10)
        case .pageUp?: s.overlay = .help(scroll: max(0, scroll - 10))
        default: break
        }
        return []
    case .palette(var p):
        let matches = Fuzzy.filter(paletteEntries(s), query: p.query.text)
        switch dialogCommand(s, key, typing: true) {
        case .back?:
            s.overlay = nil
        case .select?:
            s.overlay = nil
            guard p.selected < matches.count else { return [] }
            return reduce(&s, matches[p.selected].action)
        case .listPrevious?:
            p.selected = max(0, p.selected - 1)
            s.overlay = .palette(p)
        case .listNext?, .focusNext?:
            p.selected = min(max(0, matches.count - 1), p.selected + 1)
            s.overlay = .palette(p)
        default:
            if let edit = TextFieldState.edit(for: key, keymap: s.keymap), p.query.apply(edit) {
                p.selected = 0
            }
            s.overlay = .palette(p)
        }
        return []
    case .firstRun(let selected):
        switch dialogCommand(s, key) {
        case .back?, .quit?: s.overlay = nil
        case .up?, .listPrevious?: s.overlay = .firstRun(selected: (selected + 2) % 3)
        case .down?, .listNext?, .focusNext?: s.overlay = .firstRun(selected: (selected + 1) % 3)
        case .choose1?: return chooseFirstRun(&s, 0)
        case .choose2?: return chooseFirstRun(&s, 1)
        case .choose3?: return chooseFirstRun(&s, 2)
        case .select?: return chooseFirstRun(&s, selected)
        default: break
        }
        return []
    case .confirmClearDemo:
        return confirm(&s, key) { s in
            s.demoLoading = true
            return [.clearDemo]
        }
    case .info, .message:
        s.overlay = nil
        return []
    case .picker(let p):
        return ComposerScreen.handlePicker(&s, p, key)
    case .variations(let editor):
        return ComposerScreen.handleVariations(&s, editor, key)
    case .photos(let editor):
        return ComposerScreen.handlePhotos(&s, editor, key)
    case .product(let builder):
        return ComposerScreen.handleProduct(&s, builder, key)
    case .connect(let p):
        return IntegrationsScreen.handlePrompt(&s, p, key)
    case .confirmDisconnect(let provider):
        return confirm(&s, key) { _ in [.job(IntegrationsScreen.self, .disconnect(provider: provider))] }
    case .brandForm(let form):
        return BrandProfiles.handleForm(&s, form, key)
    case .confirmDeleteBrand(let id, _):
        return confirm(&s, key) { _ in [.job(SettingsScreen.self, .deleteBrand(id: id))] }
    case .revisions(let list, let selected):
        switch dialogCommand(s, key) {
        case .back?, .quit?: s.overlay = nil
        case .up?, .listPrevious?: s.overlay = .revisions(list, selected: max(0, selected - 1))
        case .down?, .listNext?: s.overlay = .revisions(list, selected: min(max(0, list.count - 1), selected + 1))
        case .select?:
            s.overlay = nil
            // What is there now becomes a revision first, so restoring never loses anything.
            guard selected < list.count, var e = s.composer.editor else { return [] }
            let save = ComposerScreen.save(&e, revision: true)
            s.composer.editor = e
            return [save, .job(ComposerScreen.self, .restoreRevision(id: list[selected].id))]
        default: break
        }
        return []
    case .prompt(var p):
        switch dialogCommand(s, key, typing: true) {
        case .back?:
            s.overlay = nil
        case .select?:
            let path = p.path.text.trimmed()
            guard !path.isEmpty else { return [] }
            if p.purpose == .importListings, ListingFile.format(forPath: path) == nil {
                toast(&s, s.strings.t("import.extension"), isError: true)
                return []
            }
            s.overlay = nil
            toast(&s, s.strings.t(p.purpose == .importListings ? "import.working" : "export.working"))
            switch p.purpose {
            case .importListings: return [.importListings(path: path, strings: s.strings)]
            case .exportDrafts: return [.exportDrafts(path: path)]
            case .exportTrends:
                return [
                    .exportTrends(path: path, window: s.window, region: s.region, sort: s.trends.sort, filter: s.trends.filter.text, category: s.trendCategory)
                ]
            case .exportSales: return [.job(ShopScreen.self, .export(path: path, csv: ShopScreen.csv(s)))]
            case .exportPosts: return [.job(PostsScreen.self, .export(path: path, SocialPlatform.allCases.compactMap { s.posts.posts[$0]?.post }))]
            }
        default:
            if let edit = TextFieldState.edit(for: key, keymap: s.keymap) { p.path.apply(edit) }
            s.overlay = .prompt(p)
        }
        return []
    case .confirmDeleteDraft(let id, _):
        return confirm(&s, key) { _ in [.job(ComposerScreen.self, .deleteDraft(id: id))] }
    case .conflict(let choice):
        return ListingsScreen.handleConflict(&s, choice, key)
    case .experimentForm(let form):
        return ExperimentsScreen.handleForm(&s, form, key)
    case .bulkEdit(let form):
        return ListingsScreen.handleBulkForm(&s, form, key)
    case .bulkPreview(let preview):
        return ListingsScreen.handleBulkPreview(&s, preview, key)
    case .confirmDeleteListing(let id, _):
        return confirm(&s, key) { _ in [.job(ListingsScreen.self, .change(listingID: id, .deleteListing))] }
    case .confirmEditExperiment(let id, _):
        return confirm(&s, key) { ListingsScreen.open(&$0, listingID: id) }
    }
}

/// A yes/no overlay's keys: y or Enter closes it and does `yes`; n, Esc or q only close it.
func confirm(_ s: inout AppState, _ key: Key, yes: (inout AppState) -> [Effect]) -> [Effect] {
    switch dialogCommand(s, key) {
    case .confirmYes?, .select?:
        s.overlay = nil
        return yes(&s)
    case .confirmNo?, .back?, .quit?:
        s.overlay = nil
    default: break
    }
    return []
}

func chooseFirstRun(_ s: inout AppState, _ choice: Int) -> [Effect] {
    s.overlay = nil
    switch choice {
    case 0: return run(&s, .loadDemo)
    case 1: return go(&s, .connect)
    default:
        s.overlay = .prompt(PromptState(purpose: .importListings))
        return []
    }
}

/// What the palette offers: every screen, then the actions, in the user's language.
func paletteEntries(_ s: AppState) -> [PaletteEntry] {
    let t = s.strings
    var out = ScreenID.allCases.map { PaletteEntry(title: t.t("palette.go", ["screen": t.t($0.titleKey)]), action: .go($0)) }
    let commands: [Command] = [
        .newDraft, .importListings, .exportDrafts, .exportTrends, .syncNow, .refreshTrends, .loadDemo, .clearDemo, .cycleWindow, .refresh, .help, .quit,
    ]
    out += commands.map { PaletteEntry(title: t.t($0.helpKey), action: .run($0)) }
    return out
}

/// A sync pass, unless one runs or no provider is connected.
func syncIfIdle(_ s: inout AppState) -> [Effect] {
    guard s.sync.available, !s.sync.running else { return [] }
    s.sync.running = true
    return [.sync]
}
