import Foundation
import PODCore
import PODMedia
import PODStore
import PODSync
import TerminalUI

/// The images' orders.
public enum ImageSort: String, Sendable, CaseIterable { case added, name, rating, size, problems }

/// The closest near-duplicate of an image.
public struct ImageDuplicate: Sendable, Equatable {
    public var id: Int64
    public var distance: Int
}

/// What the Images screen's text line is typing.
public enum ImageInput: Sendable, Equatable {
    case tag(TextFieldState)
    case untag(TextFieldState)
    case alt(TextFieldState)
    case folder(TextFieldState)

    var field: TextFieldState {
        switch self {
        case .tag(let f), .untag(let f), .alt(let f), .folder(let f): f
        }
    }

    func with(_ f: TextFieldState) -> ImageInput {
        switch self {
        case .tag: .tag(f)
        case .untag: .untag(f)
        case .alt: .alt(f)
        case .folder: .folder(f)
        }
    }
}

public struct ImagesState: Sendable, Equatable {
    public var entries: [ImageEntry] = []
    public var duplicates: [Int64: ImageDuplicate] = [:]
    public var problems: [Int64: [ImageProblem]] = [:]
    /// The entries shown (indices into `entries`), filtered and sorted.
    public var order: [Int] = []
    public var loaded = false
    public var selected = 0
    public var marked: Set<Int64> = []
    public var filter = TextFieldState()
    public var filtering = false
    public var sort = ImageSort.added
    /// The selected image large, with its details.
    public var detail = false
    /// Files being read in the background: how many are done of how many.
    public var reading: (done: Int, total: Int)?
    /// Small previews of tiles, by image, as cells ready to draw.
    var previews: [Int64: SymbolCells] = [:]
    public var previewFailed: Set<Int64> = []
    /// Previews asked for and not answered yet.
    public var previewing: Set<Int64> = []
    /// The large preview of the detail view.
    public var large: PicturePreview?
    public var input: ImageInput?
    /// Tags in use, for completion.
    public var knownTags: [String] = []
    /// The newest load asked for: an older answer (two readers) is dropped.
    public var generation = 0
    /// The whole table of that load has arrived (its first page is dropped if it comes later).
    public var complete = false
    /// How many images the store has, and how many have a finding.
    public var total = 0
    public var withProblems = 0
    public init() {}

    public static func == (a: ImagesState, b: ImagesState) -> Bool {
        a.entries == b.entries && a.duplicates == b.duplicates && a.problems == b.problems && a.order == b.order && a.loaded == b.loaded
            && a.selected == b.selected && a.marked == b.marked && a.filter == b.filter && a.filtering == b.filtering && a.sort == b.sort
            && a.detail == b.detail && a.reading?.done == b.reading?.done && a.reading?.total == b.reading?.total && a.previews == b.previews
            && a.previewFailed == b.previewFailed && a.previewing == b.previewing && a.large == b.large && a.input == b.input
            && a.knownTags == b.knownTags && a.generation == b.generation && a.complete == b.complete && a.total == b.total
            && a.withProblems == b.withProblems
    }

    var current: ImageEntry? { order.element(at: selected).map { entries[$0] } }
    /// The images an action applies to: the marked ones, else the selected one.
    var targets: [Int64] { marked.isEmpty ? current.map { [$0.id] } ?? [] : entries.filter { marked.contains($0.id) }.map(\.id) }
}

extension AppState {
    public var images: ImagesState {
        get { screens[ImagesScreen.self] }
        _modify { yield &screens[ImagesScreen.self] }
    }
}

/// Every image the seller has — designs, listing photos, mockups, post pictures, and the files
/// of folders added with `a` — in a grid of previews that fill in as they are made. Each image
/// is checked (format, pixels against Etsy's advice or the print area, aspect, alt text,
/// transparency, near-duplicates by perceptual hash, read in the background with a progress
/// bar); the seller rates (`+`/`-`), flags (`f`), tags (`t`, `T` removes), writes alt text (`e`),
/// marks (space) to act on several, filters (`/`: words, `tag:`, `flag:`, `rating:`, `check:`,
/// `kind:`) and sorts (`s`). Enter shows one large with its details; `o` opens its draft, `S`
/// makes a post from it.
enum ImagesScreen: ScreenModule {
    static let id = ScreenID.images
    static let initialState = ImagesState()
    static let commands: [Command] = [
        .select, .filter, .sort, .mark, .imageRateUp, .imageRateDown, .imageFlag, .imageTag, .imageUntag, .imageAlt, .imageAddFolder, .imageOpen,
        .socialPosts, .refresh,
    ]
    static let hints: [Command] = [.select, .filter, .imageRateUp, .imageFlag, .imageTag, .imageAlt, .imageAddFolder]
    /// Files read per batch: the store is written once a batch, and a key waits for at most one file.
    static let batch = 50

    enum Message: ScreenMessage {
        /// `page`: the first rows only (the first frame), the whole table follows.
        case loaded(
            generation: Int, page: Bool, total: Int, [ImageEntry], duplicates: [Int64: ImageDuplicate], problems: [Int64: [ImageProblem]], unread: Int,
            tags: [String])
        case collected(added: Int, unread: Int)
        case read(done: Int, remaining: Int)
        case previewed(id: Int64, Preview)
        case previewFailed(id: Int64)
        case largePreviewed(path: String, Preview)
        case largePreviewFailed(path: String, String)
        case folderAdded(path: String, count: Int)
        case folderRefused(String)
    }

    enum Job: ScreenJob {
        /// The first `page` images (nil: all of them).
        case load(generation: Int, page: Int?)
        /// The workspace's own images (drafts' photos and designs, post pictures) added.
        case collect
        case readBatch
        case previews([Int64: String], cols: Int, rows: Int)
        case largePreview(path: String, cols: Int, rows: Int, mode: GraphicsMode, cellWidth: Int, cellHeight: Int)
        case addFolder(String)
        case rate([Int64], Int)
        case flag([Int64], ImageFlag?)
        case tag([Int64], String)
        case untag([Int64], String)
        case alt(Int64, String)

        var lane: EffectLane {
            switch self {
            case .load: .read
            case .collect, .addFolder, .rate, .flag, .tag, .untag, .alt: .write
            case .readBatch, .previews, .largePreview: .media
            }
        }

        func perform(_ run: EffectRunner) throws {
            let store = run.store
            let answer = { (m: Message) in run.answer(ImagesScreen.self, m) }
            switch self {
            case .load(let generation, let page):
                let entries = try store.images(limit: page)
                let found = NearDuplicates.closest(entries.compactMap { e in e.file.hash.map { (e.id, $0) } })
                let duplicates = found.mapValues { ImageDuplicate(id: $0.id, distance: $0.distance) }
                var problems: [Int64: [ImageProblem]] = [:]
                for e in entries { problems[e.id] = ImageChecks.problems(e, duplicate: found[e.id]) }
                answer(
                    .loaded(
                        generation: generation, page: page != nil, total: page == nil ? entries.count : try store.imageCount(), entries, duplicates: duplicates,
                        problems: problems, unread: try store.unreadImageCount(),
                        tags: try store.imageTags()))
            case .collect:
                // A design's print area, from the catalog the product builder read.
                var drafts: [Int64: ListingDraft] = [:]
                let seeds = try store.workspaceImages().compactMap { seed -> ImageSeed? in
                    // A mockup by the file it was fetched to (the product builder's preview fetches it).
                    if seed.kind == .mockup {
                        guard let file = run.mockupFile(for: seed.path), FileManager.default.fileExists(atPath: file) else { return nil }
                        return ImageSeed(path: file, kind: .mockup, draftID: seed.draftID)
                    }
                    guard seed.kind == .design, let id = seed.draftID else { return seed }
                    if drafts[id] == nil { drafts[id] = try store.draft(id: id) }
                    guard let product = drafts[id]?.product, let design = product.designs.first(where: { $0.file == seed.path }) else { return seed }
                    var s = seed
                    // At the design's scale: half the area's pixels for a design at 50 %.
                    s.requirement = PrintifyCatalog.keptArea(product, position: design.position, store: store).map {
                        PrintArea(
                            position: $0.position, width: Int((Double($0.width) * design.scale).rounded()),
                            height: Int((Double($0.height) * design.scale).rounded()))
                    }
                    return s
                }
                let added = try store.addImages(seeds, now: Date())
                answer(.collected(added: added, unread: try store.unreadImageCount()))
            case .readBatch:
                let files = try store.imagesToRead(limit: ImagesScreen.batch)
                try store.recordImageReads(
                    files.map { f in
                        let r = ImagesScreen.read(f.path)
                        return (f.id, r.file, r.stamp)
                    })
                answer(.read(done: files.count, remaining: try store.unreadImageCount()))
            case .previews(let files, let cols, let rows):
                for (id, path) in files.sorted(by: { $0.key < $1.key }) {
                    do {
                        answer(
                            .previewed(
                                id: id, try run.previews.preview(of: path, cols: cols, rows: rows, mode: .symbols, cell: (10, 20), thumbnails: run.thumbnails)))
                    } catch {
                        answer(.previewFailed(id: id))
                    }
                }
            case .largePreview(let path, let cols, let rows, let mode, let cw, let ch):
                do {
                    answer(
                        .largePreviewed(
                            path: path, try run.previews.preview(of: path, cols: cols, rows: rows, mode: mode, cell: (cw, ch), thumbnails: run.thumbnails)))
                } catch {
                    answer(.largePreviewFailed(path: path, error.description))
                }
            case .addFolder(let folder):
                switch ImagesScreen.files(in: folder) {
                case .success(let paths):
                    let added = try store.addImages(paths.map { ImageSeed(path: $0, kind: .file) }, now: Date())
                    answer(.folderAdded(path: folder, count: added))
                case .failure(let reason):
                    answer(.folderRefused(reason.description))
                }
            // The screen shows these at once; a failure comes back as the screen's error.
            case .rate(let ids, let rating): try store.rateImages(ids: ids, rating: rating)
            case .flag(let ids, let flag): try store.flagImages(ids: ids, flag: flag)
            case .tag(let ids, let tag): try store.tagImages(ids: ids, tag: tag)
            case .untag(let ids, let tag): try store.untagImages(ids: ids, tag: tag)
            case .alt(let id, let text): try store.setImageAlt(id: id, text: text, now: Date())
            }
        }
    }

    /// The extensions a folder's images are found by.
    static let extensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]

    /// The image files under `folder` (its subfolders too, hidden ones skipped), or why it
    /// cannot be read.
    static func files(in folder: String) -> Result<[String], MediaError> {
        let path = (folder as NSString).expandingTildeInPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return .failure(MediaError(description: "\(folder) is not a folder"))
        }
        guard FileManager.default.isReadableFile(atPath: path), let walker = FileManager.default.enumerator(atPath: path) else {
            return .failure(MediaError(description: "\(folder) cannot be read (permissions)"))
        }
        var out: [String] = []
        while let name = walker.nextObject() as? String {
            if (name as NSString).lastPathComponent.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if extensions.contains((name as NSString).pathExtension.lowercased()) { out.append((path as NSString).appendingPathComponent(name)) }
        }
        return .success(out.sorted())
    }

    /// Reads one image file: its size, format, pixels, transparency and fingerprint, or why it
    /// cannot be read (missing, empty, not an image, too large to decode, corrupt); and its
    /// size and time, to read it again when it changes.
    static func read(_ path: String) -> (file: ImageFile, stamp: String) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let bytes = (attributes?[.size] as? NSNumber)?.intValue
        let stamp = "\(bytes ?? -1)@\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        guard let bytes, let handle = FileHandle(forReadingAtPath: path) else { return (ImageFile(error: "the file cannot be read"), stamp) }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        try? handle.close()
        guard bytes > 0 else { return (ImageFile(bytes: 0, error: "the file is empty (0 bytes)"), stamp) }
        let format = PhotoFile.format(of: head)?.rawValue ?? (head.count >= 12 && head[8..<12] == Data("WEBP".utf8) ? "WebP" : nil)
        guard let format else { return (ImageFile(bytes: bytes, error: "not an image (JPEG, PNG, GIF or WebP)"), stamp) }
        do {
            let f = try Media.fingerprint(of: path)
            return (ImageFile(format: format, bytes: bytes, width: f.width, height: f.height, hasAlpha: f.hasAlpha, hash: f.hash), stamp)
        } catch {
            return (ImageFile(format: format, bytes: bytes, error: error.description), stamp)
        }
    }

    /// What the store has at once, and the workspace's images looked for meanwhile.
    /// The first page alone first (the first frame has the machine to itself), then the whole
    /// table and the workspace's images looked for.
    static func enter(_ s: inout AppState) -> [Effect] { [load(&s, page: firstPage)] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let generation, let page, let total, let entries, let duplicates, let problems, let unread, let tags):
            guard generation == s.images.generation, !(page && s.images.complete) else { return [] }
            s.images.complete = !page
            let rest: [Effect] = page ? [.job(Self.self, .load(generation: generation, page: nil)), .job(Self.self, .collect)] : []
            s.images.total = total
            s.images.withProblems = problems.values.filter { !$0.isEmpty }.count
            let keep = s.images.current?.id
            (s.images.entries, s.images.duplicates, s.images.problems, s.images.knownTags) = (entries, duplicates, problems, tags)
            s.images.loaded = true
            s.images.marked.formIntersection(entries.map(\.id))
            arrange(&s, keeping: keep)
            if unread == 0 { s.images.reading = nil }
            return rest + previewLoads(&s)
        case .collected(let added, let unread):
            if unread > 0, s.images.reading == nil {
                s.images.reading = (0, unread)
                return [load(&s), .job(Self.self, .readBatch)]
            }
            return added > 0 ? [load(&s)] : []
        case .read(let done, let remaining):
            let before = s.images.reading ?? (0, done + remaining)
            s.images.reading = (before.done + done, max(before.total, before.done + done + remaining))
            // Read on in batches; the grid is read again after the first (the tiles on screen
            // come first), every 20 and the last.
            guard remaining > 0 else { return [load(&s)] }
            let read = s.images.reading!.done
            return [.job(Self.self, .readBatch)] + (read == done || read % (batch * 20) == 0 ? [load(&s)] : [])
        case .previewed(let id, let preview):
            s.images.previewing.remove(id)
            s.images.previews[id] = SymbolCells(preview)
            // Only the tiles near the screen are kept.
            if s.images.previews.count > 400 { s.images.previews = s.images.previews.filter { visibleIDs(s).contains($0.key) } }
        case .previewFailed(let id):
            s.images.previewing.remove(id)
            s.images.previewFailed.insert(id)
        case .largePreviewed(let path, let preview):
            if s.images.large?.path == path { s.images.large?.result = preview }
        case .largePreviewFailed(let path, let reason):
            if s.images.large?.path == path { s.images.large?.error = reason }
        case .folderAdded(let path, let count):
            toast(&s, s.strings.t("images.folder_added", ["count": s.formats.integer(count), "path": path]))
            guard s.images.reading == nil, count > 0 else { return [load(&s)] }
            s.images.reading = (0, count)
            return [load(&s), .job(Self.self, .readBatch)]
        case .folderRefused(let reason):
            toast(&s, s.strings.t("images.folder_refused", ["reason": reason]), isError: true)
        }
        return []
    }

    /// A new load; answers of the ones before it are dropped.
    static func load(_ s: inout AppState, page: Int? = nil) -> Effect {
        s.images.generation += 1
        s.images.complete = false
        return .job(Self.self, .load(generation: s.images.generation, page: page))
    }

    /// The images of the first screens, for the first frame, then all of them.
    static let firstPage = 400

    static func failed(_ s: inout AppState, _ failure: EffectFailure) {
        s.images.loaded = true
        s.images.reading = nil
        s.images.previewing = []
    }

    // MARK: Order and filter

    /// The shown order from the filter and sort, the selection kept on the same image.
    static func arrange(_ s: inout AppState, keeping id: Int64?) {
        let i = s.images
        let query = ImageQuery(i.filter.text)
        var order = i.entries.indices.filter { query.matches(i.entries[$0], problems: i.problems[i.entries[$0].id] ?? []) }
        let e = i.entries
        switch i.sort {
        case .added: break
        case .name: order.sort { e[$0].name.localizedStandardCompare(e[$1].name) == .orderedAscending }
        case .rating: order.sort { (e[$0].rating, e[$1].id) > (e[$1].rating, e[$0].id) }
        case .size: order.sort { (e[$0].file.bytes ?? 0, e[$1].id) > (e[$1].file.bytes ?? 0, e[$0].id) }
        case .problems: order.sort { ((i.problems[e[$0].id] ?? []).count, e[$1].id) > ((i.problems[e[$1].id] ?? []).count, e[$0].id) }
        }
        s.images.order = order
        s.images.selected = id.flatMap { id in order.firstIndex { e[$0].id == id } } ?? min(s.images.selected, max(0, order.count - 1))
    }

    // MARK: Keys

    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? {
        if let input = s.images.input { return inputKey(&s, input, key) }
        if s.images.filtering {
            var (filter, filtering) = (s.images.filter, s.images.filtering)
            let changed = editFilterLine(&filter, filtering: &filtering, key, keymap: s.keymap)
            (s.images.filter, s.images.filtering) = (filter, filtering)
            guard changed else { return [] }
            arrange(&s, keeping: s.images.current?.id)
            return previewLoads(&s)
        }
        if s.images.detail {
            if [Command.back.rawValue, Command.select.rawValue, Command.quit.rawValue].contains(s.keymap.command(for: key)) {
                s.images.detail = false
                s.images.large = nil
                return previewLoads(&s)
            }
        }
        return nil
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let columns = gridColumns(s)
        let count = s.images.order.count
        var moved = true
        switch command {
        case .left where s.images.selected % columns == 0: s.focus = .sidebar
        case .left: s.images.selected = max(0, s.images.selected - 1)
        case .right: s.images.selected = min(max(0, count - 1), s.images.selected + 1)
        case .up: s.images.selected = max(0, s.images.selected - columns)
        case .down: s.images.selected = min(max(0, count - 1), s.images.selected + columns)
        case .pageDown: s.images.selected = min(max(0, count - 1), s.images.selected + columns * gridRows(s))
        case .pageUp: s.images.selected = max(0, s.images.selected - columns * gridRows(s))
        case .top: s.images.selected = 0
        case .bottom: s.images.selected = max(0, count - 1)
        default: moved = false
        }
        if moved { return s.images.detail ? largeLoads(&s) : previewLoads(&s) }
        let targets = s.images.targets
        switch command {
        case .select:
            guard s.images.current != nil else { return [] }
            s.images.detail = true
            return largeLoads(&s)
        case .filter:
            s.images.filtering = true
        case .sort:
            let all = ImageSort.allCases
            s.images.sort = all[((all.firstIndex(of: s.images.sort) ?? 0) + 1) % all.count]
            arrange(&s, keeping: s.images.current?.id)
            toast(&s, s.strings.t("toast.sorted", ["order": s.strings.t("images.sort.\(s.images.sort.rawValue)")]))
            return previewLoads(&s)
        case .mark:
            guard let id = s.images.current?.id else { return [] }
            if !s.images.marked.insert(id).inserted { s.images.marked.remove(id) }
            s.images.selected = min(max(0, count - 1), s.images.selected + 1)
            return previewLoads(&s)
        case .back where !s.images.marked.isEmpty:
            s.images.marked = []
        case .back where !s.images.filter.text.isEmpty:
            // Esc clears a kept filter, as on the tables.
            s.images.filter.apply(.set(""))
            arrange(&s, keeping: s.images.current?.id)
            return previewLoads(&s)
        case .imageRateUp, .imageRateDown:
            // The first of the images acted on sets the step for all of them.
            guard let first = s.images.entries.first(where: { $0.id == targets.first }) else { return [] }
            let rating = max(0, min(5, first.rating + (command == .imageRateUp ? 1 : -1)))
            update(&s, targets) { $0.rating = rating }
            return [.job(Self.self, .rate(targets, rating))]
        case .imageFlag:
            guard let first = s.images.entries.first(where: { $0.id == targets.first }) else { return [] }
            let flag = ImageFlag.next(after: first.flag)
            update(&s, targets) { $0.flag = flag }
            return [.job(Self.self, .flag(targets, flag))]
        case .imageTag, .imageUntag:
            guard !targets.isEmpty else { return [] }
            s.images.input = command == .imageTag ? .tag(TextFieldState()) : .untag(TextFieldState())
        case .imageAlt:
            guard let current = s.images.current else { return [] }
            s.images.input = .alt(TextFieldState(current.altText))
        case .imageAddFolder:
            s.images.input = .folder(TextFieldState())
        case .imageOpen:
            guard let draftID = s.images.current?.draftID else {
                toast(&s, s.strings.t("images.no_draft"), isError: true)
                return []
            }
            return go(&s, .composer) + [.job(ComposerScreen.self, .openDraft(id: draftID))]
        case .socialPosts:
            guard let draftID = s.images.current?.draftID else {
                toast(&s, s.strings.t("images.no_draft"), isError: true)
                return []
            }
            return PostsScreen.show(&s, .draft(draftID))
        default: break
        }
        return []
    }

    /// Changes entries at once (what the store is told in the same key).
    static func update(_ s: inout AppState, _ ids: [Int64], _ change: (inout ImageEntry) -> Void) {
        let wanted = Set(ids)
        for i in s.images.entries.indices where wanted.contains(s.images.entries[i].id) {
            change(&s.images.entries[i])
            let e = s.images.entries[i]
            s.images.problems[e.id] = ImageChecks.problems(e, duplicate: s.images.duplicates[e.id].map { ($0.id, $0.distance) })
        }
        s.images.withProblems = s.images.problems.values.filter { !$0.isEmpty }.count
    }

    /// The text line (tag, alt text, folder): Enter keeps it, Esc leaves it; Tab completes a tag.
    static func inputKey(_ s: inout AppState, _ input: ImageInput, _ key: Key) -> [Effect] {
        var field = input.field
        switch dialogCommand(s, key, typing: true) {
        case .back?:
            s.images.input = nil
            return []
        case .select?:
            s.images.input = nil
            let text = field.text.trimmingWhitespace()
            let targets = s.images.targets
            switch input {
            case .tag:
                guard !text.isEmpty else { return [] }
                let tag = String(text.lowercased().prefix(40))
                update(&s, targets) { if !$0.tags.contains(tag) { $0.tags = ($0.tags + [tag]).sorted() } }
                if !s.images.knownTags.contains(tag) { s.images.knownTags.append(tag) }
                return [.job(Self.self, .tag(targets, tag))]
            case .untag:
                let tag = text.lowercased()
                update(&s, targets) { $0.tags.removeAll { $0 == tag } }
                return [.job(Self.self, .untag(targets, tag))]
            case .alt:
                guard let id = s.images.current?.id else { return [] }
                let alt = String(text.prefix(ListingRules.altTextMax))
                update(&s, [id]) { $0.altText = alt }
                return [.job(Self.self, .alt(id, alt))]
            case .folder:
                guard !text.isEmpty else { return [] }
                toast(&s, s.strings.t("images.folder_adding", ["path": text]))
                return [.job(Self.self, .addFolder(text))]
            }
        case .focusNext? where isTag(input):
            // Tab: the first known tag that starts with what is typed.
            let typed = field.text.lowercased()
            if let match = s.images.knownTags.first(where: { $0.hasPrefix(typed) && $0 != typed }) { field.apply(.set(match)) }
        default:
            if let edit = TextFieldState.edit(for: key, keymap: s.keymap) { field.apply(edit) }
        }
        if case .alt = input, field.text.count > ListingRules.altTextMax { field.apply(.set(String(field.text.prefix(ListingRules.altTextMax)))) }
        s.images.input = input.with(field)
        return []
    }

    static func isTag(_ input: ImageInput) -> Bool {
        switch input {
        case .tag, .untag: true
        case .alt, .folder: false
        }
    }

    // MARK: The grid

    static let tileWidth = 20
    static let tileHeight = 6
    static let previewSize = (cols: 18, rows: 3)

    static func gridRect(_ s: AppState) -> Rect {
        let body = s.bodyRect
        return Rect(x: body.x + 1, y: body.y + 3, width: max(1, body.width - 2), height: max(1, body.height - 4))
    }

    static func gridColumns(_ s: AppState) -> Int { max(1, gridRect(s).width / tileWidth) }
    static func gridRows(_ s: AppState) -> Int { max(1, gridRect(s).height / tileHeight) }

    /// The first tile on screen: the selected one's row kept in view.
    static func firstVisible(_ s: AppState) -> Int {
        let columns = gridColumns(s), rows = gridRows(s)
        let row = s.images.selected / columns
        return max(0, row - rows + 1) * columns
    }

    static func visibleIDs(_ s: AppState) -> Set<Int64> {
        let start = firstVisible(s), count = gridColumns(s) * gridRows(s)
        return Set(s.images.order.dropFirst(start).prefix(count).map { s.images.entries[$0].id })
    }

    /// Previews for the tiles on screen that have none yet (made off the UI thread).
    static func previewLoads(_ s: inout AppState) -> [Effect] {
        guard s.graphics != .off, !s.images.detail else { return [] }
        var files: [Int64: String] = [:]
        let start = firstVisible(s), count = gridColumns(s) * gridRows(s)
        for i in s.images.order.dropFirst(start).prefix(count) {
            let e = s.images.entries[i]
            guard e.file.hash != nil || e.file.width != nil, e.file.error == nil, s.images.previews[e.id] == nil, !s.images.previewFailed.contains(e.id),
                !s.images.previewing.contains(e.id)
            else { continue }
            files[e.id] = e.path
        }
        guard !files.isEmpty else { return [] }
        s.images.previewing.formUnion(files.keys)
        return [.job(Self.self, .previews(files, cols: previewSize.cols, rows: previewSize.rows))]
    }

    /// After `r` (or a failed load) the table is read again; else the pictures on screen.
    static func pageLoads(_ s: inout AppState) -> [Effect] {
        if !s.images.complete { return enter(&s) }
        return s.images.detail ? largeLoads(&s) : previewLoads(&s)
    }

    static func largeRect(_ s: AppState) -> Rect {
        let body = s.bodyRect
        let width = max(10, body.width / 2)
        return Rect(x: body.maxX - width - 1, y: body.y + 3, width: width, height: max(1, body.height - 4))
    }

    /// The detail view's picture, in the terminal's graphics.
    static func largeLoads(_ s: inout AppState) -> [Effect] {
        guard s.images.detail, let e = s.images.current, e.file.error == nil, s.graphics != .off else {
            s.images.large = nil
            return []
        }
        let r = largeRect(s)
        if let l = s.images.large, l.path == e.path, l.cols == r.width, l.rows == r.height { return [] }
        s.images.large = PicturePreview(path: e.path, cols: r.width, rows: r.height)
        return [.job(Self.self, .largePreview(path: e.path, cols: r.width, rows: r.height, mode: s.graphics, cellWidth: s.cellWidth, cellHeight: s.cellHeight))]
    }

    static func forget(_ s: inout AppState) {
        s.images.previews = [:]
        s.images.previewing = []
        s.images.complete = false
    }
}

/// The Images filter: words match the name, path or tags; `tag:`, `flag:` (approved,
/// needs_work, rejected, none), `rating:N` (N stars or more), `check:` (a problem's name, or
/// `ok`), `kind:` (design, photo, mockup, post, file).
struct ImageQuery {
    var words: [String] = []
    var tags: [String] = []
    var flags: [String] = []
    var rating: Int?
    var checks: [String] = []
    var kinds: [String] = []

    init(_ text: String) {
        for token in text.lowercased().split(separator: " ").map(String.init) {
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                words.append(token)
                continue
            }
            switch parts[0] {
            case "tag": tags.append(parts[1])
            case "flag": flags.append(parts[1])
            case "rating": rating = Int(parts[1].filter(\.isNumber))
            case "check": checks.append(parts[1])
            case "kind": kinds.append(parts[1])
            default: words.append(token)
            }
        }
    }

    func matches(_ e: ImageEntry, problems: [ImageProblem]) -> Bool {
        if !kinds.isEmpty, !kinds.contains(e.kind.rawValue) { return false }
        if let rating, e.rating < rating { return false }
        for t in tags where !e.tags.contains(t) { return false }
        for f in flags where (e.flag?.rawValue ?? "none") != f { return false }
        for c in checks where c == "ok" ? !problems.isEmpty : !problems.contains(where: { $0.name == c }) { return false }
        if !words.isEmpty {
            let haystack = (e.path + " " + e.tags.joined(separator: " ")).lowercased()
            for w in words where !haystack.contains(w) { return false }
        }
        return true
    }
}
