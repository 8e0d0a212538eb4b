import Foundation
import PODCore
import PODStore
import TerminalUI

extension AppState {
    public var listings: ListingsState {
        get { screens[ListingsScreen.self] }
        _modify { yield &screens[ListingsScreen.self] }
    }
}

/// Every listing in the store (synced, imported or demo) in a table that only loads the rows
/// on screen, with sort and filter-as-you-type. Enter edits a listing in the composer; `A`, `D`
/// and `d` publish, take down or delete it on its shop; `m`/`t` settle a sync conflict. Space,
/// `V` (a range) and `*` (every match) mark listings, `E` makes one change to all of them
/// after a preview (BulkEditing.swift).
enum ListingsScreen: ScreenModule {
    static let id = ScreenID.listings
    static let initialState = ListingsState(sort: .updated)
    static let commands: [Command] = [
        .select, .filter, .sort, .reverseSort, .mark, .markRange, .markAll, .bulkEdit, .activate, .deactivate, .delete, .keepLocal, .takeRemote,
        .testTitle, .socialPosts, .refresh,
    ]
    static let hints: [Command] = [.select, .filter, .sort, .mark, .bulkEdit, .activate, .deactivate, .keepLocal, .takeRemote]

    enum Message: ScreenMessage {
        case loaded(generation: Int, page: Int, rows: [ListingRow], total: Int?)
        case conflictResolved(keepLocal: Bool)
        /// The draft the listing is edited in (nil: its fields are not here yet).
        case opened(draftID: Int64?)
        case changeQueued(OutboxOperation)
        case changeRefused(ListingChangeRefusal)
        case conflictLoaded(ListingConflict?)
        case marked([Int64])
        case choicesLoaded(BulkEdit.Kind, [PickerItem])
        case previewed(BulkEditForm, BulkEdit, BulkOutcome)
        case bulkApplied(BulkOutcome)
    }

    enum Job: ScreenJob {
        case load(generation: Int, page: Int, sort: ListingSort, filter: String, withCount: Bool)
        case resolveConflict(listingID: Int64, keepLocal: Bool)
        case open(listingID: Int64)
        /// Publish, take down or delete on the shop.
        case change(listingID: Int64, OutboxOperation)
        case loadConflict(listingID: Int64)
        /// Settle a conflict field by field.
        case settle(listingID: Int64, takingTheirs: Set<ListingField>)
        /// Mark the listings of a range of the table (every match with `count` -1).
        case markRange(offset: Int, count: Int, sort: ListingSort, filter: String)
        /// The shop's shipping profiles or sections, for a bulk edit.
        case loadChoices(BulkEdit.Kind)
        case preview(BulkEditForm, BulkEdit)
        case applyBulk(BulkEdit, listingIDs: [Int64])

        var lane: EffectLane {
            switch self {
            case .load, .loadConflict, .markRange, .loadChoices, .preview: .read
            case .resolveConflict, .open, .change, .settle, .applyBulk: .write
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load(let g, let page, let sort, let filter, let withCount):
                let size = Paged<ListingRow>.pageSize
                try run.pageThenCount(
                    withCount: withCount,
                    rows: { try run.store.listings(offset: page * size, limit: size, sort: sort, filter: filter) },
                    count: { try run.store.listingCount(filter: filter) }
                ) {
                    .to(ListingsScreen.self, .loaded(generation: g, page: page, rows: $0, total: $1))
                }
            case .resolveConflict(let id, let keepLocal):
                try run.store.resolveConflict(listingID: id, keepLocal: keepLocal, now: Date())
                run.answer(ListingsScreen.self, .conflictResolved(keepLocal: keepLocal))
            case .open(let id):
                run.answer(ListingsScreen.self, .opened(draftID: try run.store.draftForListing(id: id, now: Date())))
            case .loadConflict(let id):
                run.answer(ListingsScreen.self, .conflictLoaded(try run.store.listingConflicts().first { $0.listingID == id }))
            case .settle(let id, let theirs):
                try run.store.resolveConflict(listingID: id, takingTheirs: theirs, now: Date())
                run.answer(ListingsScreen.self, .conflictResolved(keepLocal: theirs.isEmpty))
            case .markRange(let offset, let count, let sort, let filter):
                run.answer(ListingsScreen.self, .marked(try run.store.listingIDs(offset: offset, limit: count, sort: sort, filter: filter)))
            case .loadChoices(let kind):
                let items =
                    kind == .shippingProfile
                    ? try run.store.shippingProfiles(provider: .etsy).map { PickerItem(id: $0.id, label: $0.title) }
                    : try run.store.shopChoices(provider: .etsy, .section).map { PickerItem(id: $0.id, label: $0.title) }
                run.answer(ListingsScreen.self, .choicesLoaded(kind, items))
            case .preview(let form, let edit):
                run.answer(ListingsScreen.self, .previewed(form, edit, try run.store.previewBulkEdit(edit, listingIDs: form.listingIDs)))
            case .applyBulk(let edit, let ids):
                run.answer(ListingsScreen.self, .bulkApplied(try run.store.applyBulkEdit(edit, listingIDs: ids, now: Date())))
            case .change(let id, let operation):
                do {
                    try run.store.queueListingChange(listingID: id, operation, now: Date())
                    run.answer(ListingsScreen.self, .changeQueued(operation))
                } catch let refusal as ListingChangeRefusal {
                    run.answer(ListingsScreen.self, .changeRefused(refusal))
                }
            }
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { pageLoads(&s) }

    /// The selection kept in view (the height may have changed), then the pages on screen.
    static func pageLoads(_ s: inout AppState) -> [Effect] {
        s.listings.rows.table.select(s.listings.rows.table.selected, visibleRows: s.tableRows)
        let l = s.listings
        return s.listings.rows.pagesToLoad(height: s.tableRows).map {
            .job(Self.self, .load(generation: l.rows.generation, page: $0, sort: l.sort, filter: l.filter.text, withCount: !l.rows.countKnown))
        }
    }

    static func forget(_ s: inout AppState) { s.listings.rows.reset() }

    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? {
        filterLineKey(&s, \.listings.list, key)
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let g, let page, let rows, let total):
            s.listings.rows.receive(generation: g, page: page, rows: rows, total: total, height: s.tableRows)
            return s.screen == id ? pageLoads(&s) : []
        case .conflictResolved(let keepLocal):
            toast(&s, s.strings.t(keepLocal ? "toast.kept_local" : "toast.took_remote"))
            s.listings.rows.refresh()
            return pageLoads(&s) + syncIfIdle(&s)
        case .opened(let draftID):
            guard let draftID else {
                s.composer.opening = false
                toast(&s, s.strings.t("listings.sync_first"), isError: true)
                return []
            }
            return go(&s, .composer) + [.job(ComposerScreen.self, .openDraft(id: draftID))]
        case .conflictLoaded(let conflict):
            guard let conflict, let mine = conflict.mine, let theirs = conflict.remote.content, !conflict.fields.isEmpty else {
                toast(&s, s.strings.t("listings.no_conflict"))
                return []
            }
            let rows = conflict.fields.map { ConflictChoice.Row(field: $0, mine: shown(mine, $0, s), theirs: shown(theirs, $0, s)) }
            s.overlay = .conflict(ConflictChoice(listingID: conflict.listingID, provider: ProviderID.etsy.rawValue, rows: rows))
            return []
        case .changeQueued(let operation):
            toast(&s, s.strings.t("listings.change_queued", ["change": s.strings.t("listings.change.\(operation.rawValue)")]))
            return syncIfIdle(&s)
        case .changeRefused(let refusal):
            toast(&s, refusalText(s.strings, refusal), isError: true)
            return []
        case .marked(let ids):
            s.listings.marked.formUnion(ids)
            toast(&s, s.strings.plural("listings.marked", count: s.listings.marked.count, formatted: s.formats.integer(s.listings.marked.count)))
            return []
        case .choicesLoaded(let kind, let items):
            guard case .bulkEdit(var form)? = s.overlay, form.kind == kind else { return [] }
            (form.choices, form.choice, form.choicesLoaded) = (items, 0, true)
            s.overlay = .bulkEdit(form)
            return []
        case .previewed(let form, let edit, let outcome):
            guard s.overlay == nil else { return [] }
            s.overlay = .bulkPreview(BulkPreviewState(form: form, edit: edit, outcome: outcome))
            return []
        case .bulkApplied(let outcome):
            let t = s.strings, fm = s.formats
            toast(
                &s, t.t("bulk.queued", ["changed": fm.integer(outcome.changed), "refused": fm.integer(outcome.refused)]),
                isError: outcome.refused > 0 && outcome.changed == 0)
            s.listings.marked = []
            s.listings.rows.refresh()
            return pageLoads(&s) + syncIfIdle(&s)
        }
    }

    static func failed(_ s: inout AppState, _ failure: EffectFailure) { s.composer.opening = false }

    /// A field's value as the conflict view shows it (a price in the seller's format).
    static func shown(_ d: ListingDraft, _ field: ListingField, _ s: AppState) -> String {
        switch field {
        case .price: return d.priceCents.map { s.formats.price(cents: $0) } ?? ""
        case .tags, .materials, .styles: return d.shopValue(field).split(separator: "\u{1F}").joined(separator: ", ")
        case .variations: return ComposerScreen.variationsSummary(s, d)
        default: return d.shopValue(field)
        }
    }

    /// Keys in the conflict view: ↑/↓ a field, m/← keeps mine, t/→ takes the shop's, Enter
    /// settles with these choices, Esc leaves it unsettled.
    static func handleConflict(_ s: inout AppState, _ choice: ConflictChoice, _ key: Key) -> [Effect] {
        var c = choice
        let field = c.rows.element(at: c.selected)?.field
        switch dialogCommand(s, key) {
        case .back?, .quit?: s.overlay = nil
        case .up?, .listPrevious?: c.selected = max(0, c.selected - 1)
        case .down?, .listNext?: c.selected = min(max(0, c.rows.count - 1), c.selected + 1)
        case .keepLocal?, .left?: if let field { c.takingTheirs.remove(field) }
        case .takeRemote?, .right?: if let field { c.takingTheirs.insert(field) }
        case .select?:
            s.overlay = nil
            return [.job(Self.self, .settle(listingID: c.listingID, takingTheirs: c.takingTheirs))]
        default: break
        }
        if s.overlay != nil { s.overlay = .conflict(c) }
        return []
    }

    static func renderConflict(_ s: AppState, _ c: ConflictChoice, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let width = min(s.width - 4, 100), height = min(s.height - 2, c.rows.count * 3 + 5)
        let rect = Rect(x: (s.width - width) / 2, y: max(0, (s.height - height) / 2), width: width, height: height)
        f.fill(rect, style: th.base)
        f.box(rect, style: th.warning, title: t.t("listings.conflict_title", ["provider": t.provider(c.provider)]), titleStyle: th.warning)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        var y = inner.y
        for (i, row) in c.rows.enumerated() where y + 2 < inner.maxY {
            let theirs = c.takingTheirs.contains(row.field)
            f.put(
                (i == c.selected ? "▶ " : "  ") + t.t("field.\(row.field.rawValue)"), x: inner.x, y: y, style: i == c.selected ? th.title : th.muted,
                maxWidth: inner.width)
            f.put(
                (theirs ? "  " : "● ") + t.t("listings.conflict_mine") + ": " + row.mine, x: inner.x + 2, y: y + 1,
                style: theirs ? th.muted : th.base.with(.bold), maxWidth: inner.width - 2)
            f.put(
                (theirs ? "● " : "  ") + t.t("listings.conflict_theirs", ["provider": t.provider(c.provider)]) + ": " + row.theirs, x: inner.x + 2, y: y + 2,
                style: theirs ? th.base.with(.bold) : th.muted, maxWidth: inner.width - 2)
            y += 3
        }
        f.put(keyLine(s, [.keepLocal, .takeRemote, .select, .back], scope: "conflict"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }

    /// Opens a listing in the composer: its draft, or one made from the shop's fields.
    static func open(_ s: inout AppState, listingID: Int64) -> [Effect] {
        guard !s.composer.opening else { return [] }
        s.composer.opening = true
        return [.job(Self.self, .open(listingID: listingID))]
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if let effects = handleMarks(&s, command) { return effects }
        if command == .select {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected) else { return [] }
            // A listing in conflict is settled first, field by field.
            if row.hasConflict { return [.job(Self.self, .loadConflict(listingID: row.id))] }
            // A listing an experiment switches: an edit now is overwritten by its next turn.
            if row.underExperiment {
                s.overlay = .confirmEditExperiment(id: row.id, title: row.title)
                return []
            }
            return open(&s, listingID: row.id)
        }
        if command == .activate || command == .deactivate || command == .delete {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected) else { return [] }
            if command == .delete {
                s.overlay = .confirmDeleteListing(id: row.id, title: row.title)
                return []
            }
            return [.job(Self.self, .change(listingID: row.id, command == .activate ? .activateListing : .deactivateListing))]
        }
        if command == .testTitle {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected), row.provider == ProviderID.etsy.rawValue, !row.isDemo else {
                toast(&s, s.strings.t("experiments.not_on_shop"), isError: true)
                return []
            }
            return ExperimentsScreen.openForm(&s, listingID: row.id, title: row.title)
        }
        if command == .socialPosts {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected) else { return [] }
            return PostsScreen.show(&s, .listing(row.id))
        }
        if command == .keepLocal || command == .takeRemote {
            guard let row = s.listings.rows.row(s.listings.rows.table.selected), row.hasConflict else {
                toast(&s, s.strings.t("listings.no_conflict"))
                return []
            }
            return [.job(Self.self, .resolveConflict(listingID: row.id, keepLocal: command == .keepLocal))]
        }
        return tableCommand(&s, \.listings.list, command) ?? []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        guard rect.height >= 3 else { return }
        let l = s.listings
        let marked = l.marked.isEmpty ? "" : " · " + t.plural("listings.marked", count: l.marked.count, formatted: fm.integer(l.marked.count))
        let countText = countLabel(s, "listings.count", l.rows) + marked
        guard
            let tableRect = filteredTableBody(
                s, l.list, hint: t.t("listings.filter_hint"),
                right: countText + " · " + t.t("listings.sorted_by", ["order": t.t("sort.\(l.sort.rawValue)")]),
                empty: [t.t("listings.empty"), t.t("listings.empty_hint")],
                noMatch: t.t("listings.no_match", ["filter": l.filter.text]), into: &f, rect: rect)
        else { return }
        let columns = [
            TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("column.provider"), .fixed(27), dropOrder: 3),
            TableColumn(t.t("column.state"), .fixed(11), dropOrder: 2), TableColumn(t.t("column.price"), .fixed(11), alignRight: true),
            TableColumn(t.t("column.views"), .fixed(7), alignRight: true, dropOrder: 4),
            TableColumn(t.t("column.updated"), .fixed(12), alignRight: true, dropOrder: 1),
        ]
        let marking = !l.marked.isEmpty || l.rangeStart != nil
        // The header shows which column the store sorts by.
        var table = l.rows.table
        switch l.sort {
        case .title: (table.sortColumn, table.ascending) = (0, true)
        case .price: (table.sortColumn, table.ascending) = (3, true)
        case .views: (table.sortColumn, table.ascending) = (4, false)
        case .updated: (table.sortColumn, table.ascending) = (5, false)
        }
        TableView.render(
            into: &f, rect: tableRect, columns: columns, state: table,
            styles: s.tableStyles,
            focused: s.focus == .content && !l.filtering
        ) { i in
            guard let r = l.rows.row(i) else { return nil }
            let mark = marking ? (isMarked(l, i, id: r.id) ? "● " : "  ") : ""
            return [
                mark + (r.isDemo ? "[\(t.t("common.demo"))] " : "") + r.title, providerCell(s, r),
                r.hasConflict ? "⚠ " + t.t("listings.conflict") : (r.underExperiment ? t.t("listings.under_experiment") + " " : "") + t.t("state.\(r.state)"),
                fm.money(cents: r.priceCents, currency: r.currency), fm.integer(r.views), fm.date(r.updatedAt),
            ]
        }
    }

    /// Who has the listing: its provider, where a Printify product went ("Printify → Etsy
    /// 4100000001"), or who edits it ("Etsy, by Printify").
    static func providerCell(_ s: AppState, _ r: ListingRow) -> String {
        let t = s.strings
        if let external = r.externalID { return t.provider(r.provider) + " → " + t.provider(ProviderID.etsy.rawValue) + " " + external }
        if let owner = r.owner, owner != r.provider { return t.t("listings.owned_by", ["provider": t.provider(r.provider), "owner": t.provider(owner)]) }
        return t.provider(r.provider)
    }
}
