import Foundation
import PODCore
import PODMedia
import PODStore
import PODSync

extension AppState {
    public var composer: ComposerState {
        get { screens[ComposerScreen.self] }
        _modify { yield &screens[ComposerScreen.self] }
    }
}

extension ComposerScreen {
    enum Message: ScreenMessage {
        case draftsLoaded(generation: Int, page: Int, rows: [DraftSummary], total: Int?)
        case draftOpened(ListingDraft)
        /// Why the provider refused the open draft last time (nil: it did not).
        case refusalLoaded(draftID: Int64, Refusal?)
        case statusLoaded(draftID: Int64, ProviderStatus?)
        case draftSaved(id: Int64, at: Date)
        case revisionSaved(at: Date)
        case draftQueued(provider: ProviderID)
        case queueRefused([RuleIssue])
        /// Queueing refused for another reason than the rules (a message key naming a provider).
        case queueBlocked(key: String, provider: String)
        /// Refused because the month's quota is used up (nothing was done).
        case overQuota(resource: QuotaResource, used: Int, limit: Int, resetsAt: Date)
        case draftsChanged
        case suggestionsLoaded(text: String, [KeywordTrend])
        case revisionsLoaded([RevisionInfo])
        case revisionRestored(ListingDraft)
        /// A save from an older version than the store's: the draft as it now is (the stale
        /// text is kept as a revision).
        case draftConflict(current: ListingDraft)
        case pickerLoaded(PickerState.Purpose, query: String, [PickerItem])
        case variationPropertiesLoaded(taxonomyID: Int, [TaxonomyProperty])
        case photosChecked([String: PhotoFile.Check])
        /// Printify's catalog for the product builder, and the configured defaults.
        case blueprintsLoaded([CatalogBlueprint], defaults: ProductDefaults?)
        case providersLoaded(blueprint: Int, [CatalogProvider])
        case productCatalogLoaded(blueprint: Int, provider: Int, [CatalogVariant], shipping: [ShippingRate], costs: [Int: Int], shipTo: String)
        /// The catalog could not be read (not connected, offline, refused): a message key and the provider's words.
        case catalogFailed(key: String, detail: String)
        case designPreviewed(path: String, Preview)
        case designPreviewFailed(path: String, String)
        case mockupsLoaded(draftID: Int64, [String])
        case fieldLabelsLoaded([EditorField: String])
        case copyWritten(request: Int, Copy)
        case copyFailed(request: Int, CopyFailure)
    }

    enum Job: ScreenJob {
        case loadDrafts(generation: Int, page: Int, sort: DraftSort, filter: String, withCount: Bool)
        /// Inserts a new draft and opens it (the editor only opens once the draft has its id).
        case createDraft(ListingDraft)
        case openDraft(id: Int64)
        /// Where the open draft stands at its provider, again after a save.
        case loadStatus(draftID: Int64)
        case saveDraft(ListingDraft)
        case saveRevision(ListingDraft)
        case queueDraft(ListingDraft, provider: ProviderID)
        case deleteDraft(id: Int64)
        case duplicateDraft(id: Int64)
        case loadSuggestions(text: String, region: String)
        case loadRevisions(draftID: Int64)
        case restoreRevision(id: Int64)
        /// The AI copywriter (configured in `[providers.openai]`) writes copy for the draft.
        case writeCopy(request: Int, draft: ListingDraft)
        case cancelCopy(request: Int)
        case loadPicker(PickerState.Purpose, query: String)
        /// What the category's listings can vary by (the variations grid).
        case loadVariationProperties(taxonomyID: Int)
        /// Each photo file's format, size and pixel size, read from its header.
        case checkPhotos([String])
        /// Printify's catalog (kept a week in the store): its blueprints, a blueprint's print
        /// providers, a provider's variants with their shipping and known costs.
        case loadBlueprints
        case loadProviders(blueprint: Int)
        case loadProductCatalog(blueprint: Int, provider: Int)
        /// A design (a file) or a mockup (an address, fetched once into `DATA_DIR/mockups/`)
        /// drawn for the terminal (libvips, chafa), off the UI thread, for cells of that many pixels.
        case previewDesign(path: String, cols: Int, rows: Int, mode: GraphicsMode, cellWidth: Int, cellHeight: Int)
        /// The mockups Printify made of the draft's product.
        case loadMockups(draftID: Int64)
        /// The names of a draft's category and shipping profile, for the fields that hold their ids.
        /// The names of the ids in the picked fields (a category's path, a profile's title…).
        case loadFieldLabels([EditorField: Int])

        var lane: EffectLane {
            switch self {
            case .cancelCopy: .immediate
            case .previewDesign: .media
            case .writeCopy, .loadBlueprints, .loadProviders, .loadProductCatalog: .network
            case .createDraft, .saveDraft, .saveRevision, .queueDraft, .deleteDraft, .duplicateDraft: .write
            case .loadDrafts, .openDraft, .loadStatus, .loadSuggestions, .loadRevisions, .restoreRevision, .loadPicker, .loadFieldLabels,
                .loadVariationProperties, .checkPhotos, .loadMockups:
                .read
            }
        }

        /// A copy request is cancellable (Esc) from the moment it is asked for.
        func submitted(_ run: EffectRunner) {
            if case .writeCopy(let request, _) = self { run.cancels.register(request) }
        }

        func perform(_ run: EffectRunner) throws {
            let store = run.store
            let answer = { (m: Message) in run.answer(ComposerScreen.self, m) }
            switch self {
            case .loadDrafts(let g, let page, let sort, let filter, let withCount):
                let size = Paged<DraftSummary>.pageSize
                try run.pageThenCount(
                    withCount: withCount,
                    rows: { try store.drafts(offset: page * size, limit: size, sort: sort, filter: filter) },
                    count: { try store.draftCount(filter: filter) }
                ) {
                    .to(ComposerScreen.self, .draftsLoaded(generation: g, page: page, rows: $0, total: $1))
                }
            case .createDraft(var draft):
                draft.id = try store.saveDraft(draft, now: Date())
                draft.version = 0
                answer(.draftOpened(draft))
            case .openDraft(let id):
                answer(try store.draft(id: id).map(Message.draftOpened) ?? .draftsChanged)
                answer(.refusalLoaded(draftID: id, try store.lastRefusal(draftID: id)))
                answer(.statusLoaded(draftID: id, try store.providerStatus(draftID: id)))
            case .loadStatus(let id):
                answer(.statusLoaded(draftID: id, try store.providerStatus(draftID: id)))
            case .saveDraft(let draft):
                let now = Date()
                _ = try keepingStale(draft, run, now: now) { answer(.draftSaved(id: try store.saveDraft(draft, now: now), at: now)) }
            case .saveRevision(let draft):
                let now = Date()
                _ = try keepingStale(draft, run, now: now) {
                    let saved = try store.saveRevision(draft, note: "", now: now)
                    answer(.draftSaved(id: saved.draftID, at: now))
                    answer(.revisionSaved(at: now))
                }
            case .queueDraft(let draft, let provider):
                do {
                    if try keepingStale(
                        draft, run, now: Date(), { _ = try store.queueDraft(draft, provider: provider, now: Date(), quota: (run.plan, run.calendar)) })
                    {
                        answer(.draftQueued(provider: provider))
                    }
                } catch let q as QuotaExceeded {
                    answer(.overQuota(resource: q.resource, used: q.used, limit: q.limit, resetsAt: q.resetsAt))
                } catch QueueError.rulesFailing(let issues) {
                    answer(.queueRefused(issues))
                } catch QueueError.alreadyQueued(let p) {
                    answer(.queueBlocked(key: "composer.already_queued", provider: p))
                } catch QueueError.ownedBy(let p) {
                    answer(.queueBlocked(key: "composer.owned_by", provider: p))
                }
            case .deleteDraft(let id):
                try store.deleteDraft(id: id)
                answer(.draftsChanged)
            case .duplicateDraft(let id):
                _ = try store.duplicateDraft(id: id, now: Date())
                answer(.draftsChanged)
            case .loadSuggestions(let text, let region):
                answer(.suggestionsLoaded(text: text, try store.keywordSuggestions(matching: text, region: region, limit: 12)))
            case .loadRevisions(let id):
                answer(.revisionsLoaded(try store.revisions(draftID: id)))
            case .restoreRevision(let id):
                if let d = try store.revision(id: id) { answer(.revisionRestored(d)) }
            case .loadPicker(let purpose, let query):
                answer(.pickerLoaded(purpose, query: query, try pickerItems(purpose, query: query, store: store)))
            case .checkPhotos(let paths):
                var checks: [String: PhotoFile.Check] = [:]
                for path in paths {
                    let name = URL(fileURLWithPath: path).lastPathComponent
                    guard let file = FileHandle(forReadingAtPath: path) else {
                        checks[path] = PhotoFile.Check(unreadable: "cannot read \(path)")
                        continue
                    }
                    defer { try? file.close() }
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                    checks[path] = PhotoFile.Check(name: name, head: (try? file.read(upToCount: 256 * 1024)) ?? Data(), bytes: size)
                }
                answer(.photosChecked(checks))
            case .loadBlueprints, .loadProviders, .loadProductCatalog:
                readCatalog(run)
            case .previewDesign(let path, let cols, let rows, let mode, let cellWidth, let cellHeight):
                do {
                    let file = try Self.localFile(path, run)
                    let preview = try run.previews.preview(
                        of: file, cols: cols, rows: rows, mode: mode, cell: (cellWidth, cellHeight), thumbnails: run.thumbnails)
                    answer(.designPreviewed(path: path, preview))
                } catch let error as ProviderError {
                    answer(.designPreviewFailed(path: path, error.description))
                } catch {
                    answer(.designPreviewFailed(path: path, "\(error)"))
                }
            case .loadMockups(let id):
                answer(.mockupsLoaded(draftID: id, try store.mockups(draftID: id)))
            case .loadVariationProperties(let taxonomyID):
                answer(.variationPropertiesLoaded(taxonomyID: taxonomyID, try store.taxonomyProperties(provider: .etsy, taxonomyID: taxonomyID) ?? []))
            case .loadFieldLabels(let ids):
                var labels: [EditorField: String] = [:]
                for (field, id) in ids {
                    guard let purpose = field.pickerPurpose else { continue }
                    labels[field] =
                        purpose == .taxonomy
                        ? try store.taxonomyNode(provider: .etsy, id: id)?.path : try pickerItems(purpose, query: "", store: store).first { $0.id == id }?.label
                }
                answer(.fieldLabelsLoaded(labels))
            case .writeCopy(let request, let draft):
                writeCopy(request: request, draft: draft, run)
            case .cancelCopy(let request):
                run.cancels.cancel(request)
            }
        }

        /// A picture's file: a path as it is; a mockup's address fetched once into the data
        /// folder's `mockups/` (named by the address) and read from there after.
        static func localFile(_ path: String, _ run: EffectRunner) throws -> String {
            guard path.hasPrefix("https://") || path.hasPrefix("http://") else { return path }
            guard let folder = run.mockups, let file = run.mockupFile(for: path), let engine = run.syncEngine else {
                throw ProviderError.notConfigured("no data folder for mockups")
            }
            if FileManager.default.fileExists(atPath: file) { return file }
            let data = try engine.download(path)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
            return file
        }

        /// Reads the catalog for the builder; a failure is told in the builder, not as a toast.
        private func readCatalog(_ run: EffectRunner) {
            let answer = { (m: Message) in run.answer(ComposerScreen.self, m) }
            do {
                guard let catalog = try run.syncEngine?.printifyCatalog() else { return answer(.catalogFailed(key: "product.not_connected", detail: "")) }
                switch self {
                case .loadBlueprints:
                    let s = catalog.settings
                    let defaults = ProductDefaults(blueprintID: s.blueprintID, providerID: s.printProviderID, variantIDs: s.variantIDs, design: s.image)
                    answer(.blueprintsLoaded(try catalog.blueprints(), defaults: defaults))
                case .loadProviders(let blueprint):
                    answer(.providersLoaded(blueprint: blueprint, try catalog.providers(blueprint: blueprint)))
                case .loadProductCatalog(let blueprint, let provider):
                    let variants = try catalog.variants(blueprint: blueprint, provider: provider)
                    let shipping = try catalog.shipping(blueprint: blueprint, provider: provider)
                    let costs = try run.store.printifyCosts(blueprintID: blueprint, providerID: provider)
                    answer(
                        .productCatalogLoaded(
                            blueprint: blueprint, provider: provider, variants, shipping: shipping, costs: costs, shipTo: catalog.settings.shipTo))
                default:
                    return
                }
            } catch {
                answer(.catalogFailed(key: "product.catalog_failed", detail: "\(error)"))
            }
        }

        /// The picker's choices: Etsy's seller taxonomy and the shop's shipping profiles as the
        /// last sync stored them, or the time zones.
        private func pickerItems(_ purpose: PickerState.Purpose, query: String, store: Store) throws -> [PickerItem] {
            let q = query.lowercased()
            switch purpose {
            case .taxonomy:
                return try store.taxonomy(provider: .etsy, matching: query, limit: 200).map { PickerItem(id: $0.id, label: $0.path) }
            case .timeZone:
                return TimeZone.knownTimeZoneIdentifiers.sorted().enumerated()
                    .filter { q.isEmpty || $0.element.lowercased().contains(q) || $0.element.lowercased().replacingOccurrences(of: "_", with: " ").contains(q) }
                    .map { PickerItem(id: $0.offset, label: $0.element) }
            case .shippingProfile:
                return try store.shippingProfiles(provider: .etsy).filter { q.isEmpty || $0.title.lowercased().contains(q) }
                    .map { PickerItem(id: $0.id, label: $0.title) }
            case .shopSection, .returnPolicy:
                return try store.shopChoices(provider: .etsy, purpose == .shopSection ? .section : .returnPolicy)
                    .filter { q.isEmpty || $0.title.lowercased().contains(q) || String($0.id).contains(q) }.map { PickerItem(id: $0.id, label: $0.title) }
            }
        }

        /// Runs a save of `draft`; when another terminal saved it first, keeps this text as a
        /// revision and tells the composer (`draftConflict`). True when the save went through.
        private func keepingStale(_ draft: ListingDraft, _ run: EffectRunner, now: Date, _ body: () throws -> Void) throws -> Bool {
            do {
                try body()
                return true
            } catch is StaleDraft {
                if let kept = try run.store.keepAside(draft, now: now) { run.answer(ComposerScreen.self, .draftConflict(current: kept.current)) }
                return false
            }
        }

        /// One AI copywriter call (`EffectRunner.creditedAICall`).
        private func writeCopy(request: Int, draft: ListingDraft, _ run: EffectRunner) {
            let result = run.creditedAICall(request: request, reason: "copywriter", subject: draft.id.map { "draft \($0)" }) { ai, flag throws(ProviderError) in
                try ai.copywriter.write(draft, cancel: flag)
            }
            switch result {
            case .success(let copy)?: run.answer(ComposerScreen.self, .copyWritten(request: request, copy))
            case .failure(let failure)?: run.answer(ComposerScreen.self, .copyFailed(request: request, failure))
            case nil: break
            }
        }
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .draftsLoaded(let g, let page, let rows, let total):
            s.composer.drafts.rows.receive(generation: g, page: page, rows: rows, total: total, height: s.tableRows)
            return s.screen == .composer && s.composer.editor == nil ? pageLoads(&s) : []
        case .draftOpened(let draft):
            return opened(&s, draft)
        case .statusLoaded(let id, let status):
            if s.composer.editor?.draft.id == id { s.composer.editor?.providerStatus = status }
        case .refusalLoaded(let id, let refusal):
            if s.composer.editor?.draft.id == id { s.composer.editor?.refusal = refusal }
        case .draftSaved(let id, let at):
            if s.composer.editor?.draft.id == id {
                s.composer.editor?.savedAt = at
                if s.composer.editor?.providerStatus != nil { return [.job(Self.self, .loadStatus(draftID: id))] }
            }
        case .draftConflict(let current):
            conflict(&s, current: current)
        case .revisionSaved:
            toast(&s, s.strings.t("toast.revision_saved"))
        case .draftQueued(let provider):
            s.composer.editor = nil
            s.composer.drafts.rows.refresh()
            toast(&s, s.strings.t("toast.queued", ["provider": s.strings.provider(provider.rawValue)]))
            return go(&s, .queue) + [.loadDashboard(window: s.window, region: s.region)] + syncIfIdle(&s)
        case .queueBlocked(let key, let provider):
            toast(&s, s.strings.t(key, ["provider": s.strings.provider(provider)]), isError: true)
        case .queueRefused(let issues):
            s.overlay = .message(title: s.strings.t("composer.publish_refused"), lines: issues.map { issueText(s, $0) })
        case .overQuota(let resource, let used, let limit, let resetsAt):
            let t = s.strings
            s.overlay = .message(
                title: t.t("quotas.refused_title"),
                lines: [
                    t.t(
                        "quotas.refused",
                        [
                            "resource": t.t("quotas.resource.\(resource.rawValue)"), "used": s.formats.integer(used),
                            "limit": s.formats.integer(limit), "plan": t.t("plan.\(s.plan.rawValue)"),
                        ]),
                    t.t("quotas.refused_reset", ["date": s.formats.date(resetsAt), "time": s.formats.time(resetsAt)]),
                    t.t("quotas.refused_nothing"),
                ])
            s.composer.opening = false
            return [QuotasScreen.load]
        case .draftsChanged:
            s.composer.opening = false
            s.composer.drafts.rows.refresh()
            return s.screen == .composer ? pageLoads(&s) : []
        case .suggestionsLoaded(_, let rows):
            if var e = s.composer.editor {
                e.signals = rows
                e.suggestionIndex = min(e.suggestionIndex, max(0, e.suggestions.count - 1))
                s.composer.editor = e
            }
        case .revisionsLoaded(let list):
            if s.composer.editor != nil, s.overlay == nil { s.overlay = .revisions(list, selected: 0) }
        case .revisionRestored(let draft):
            restore(&s, draft)
        case .pickerLoaded(let purpose, let query, let items):
            if case .picker(var p) = s.overlay, p.purpose == purpose, p.query.text == query {
                p.items = items
                p.loaded = true
                p.selected = min(p.selected, max(0, items.count - 1))
                s.overlay = .picker(p)
            }
        case .photosChecked(let checks):
            if case .photos(var p) = s.overlay {
                p.checks.merge(checks) { _, new in new }
                s.overlay = .photos(p)
            }
            if case .product(var b) = s.overlay, let file = b.design?.file, let check = checks[file] {
                b.designCheck = check
                s.overlay = .product(b)
            }
        case .blueprintsLoaded(let list, let defaults):
            return productLoaded(&s) { blueprintsLoaded(&$0, list, defaults: defaults) }
        case .providersLoaded(let blueprint, let list):
            return productLoaded(&s) { b in
                if b.product.blueprint?.id == blueprint { providersLoaded(&b, list) }
                return []
            }
        case .productCatalogLoaded(let blueprint, let provider, let variants, let shipping, let costs, let shipTo):
            return productLoaded(&s) { b in
                if b.product.blueprint?.id == blueprint, b.product.provider?.id == provider {
                    productCatalogLoaded(&b, variants, shipping: shipping, costs: costs, shipTo: shipTo)
                }
                return []
            }
        case .designPreviewed(let path, let preview):
            return productLoaded(&s) { b in
                if b.preview?.path == path { b.preview?.result = preview }
                return []
            }
        case .mockupsLoaded(let id, let urls):
            if s.composer.editor?.draft.id == id {
                return productLoaded(&s) { b in
                    b.mockups = urls
                    return []
                }
            }
        case .designPreviewFailed(let path, let message):
            return productLoaded(&s) { b in
                if b.preview?.path == path { b.preview?.error = message }
                return []
            }
        case .catalogFailed(let key, let detail):
            let message = s.strings.t(key, ["error": detail])
            return productLoaded(&s) { b in
                b.error = message
                return []
            }
        case .variationPropertiesLoaded(let taxonomyID, let properties):
            if case .variations(var v) = s.overlay, s.composer.editor?.draft.taxonomyID == taxonomyID {
                v.available = properties
                s.overlay = .variations(v)
            }
        case .fieldLabelsLoaded(let labels):
            s.composer.editor?.labels.merge(labels) { _, new in new }
        case .copyWritten(let request, let copy):
            return copyWritten(&s, request: request, copy)
        case .copyFailed(let request, let failure):
            return copyFailed(&s, request: request, failure)
        }
        return []
    }

    /// A job failed: the list is not waiting for a draft to open any more.
    static func failed(_ s: inout AppState, _ failure: EffectFailure) { s.composer.opening = false }
}
