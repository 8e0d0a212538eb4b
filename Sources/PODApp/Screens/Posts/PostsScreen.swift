import Foundation
import PODCore
import PODMedia
import PODStore
import PODSync
import TerminalUI

/// What the posts are written for: a draft, or a listing (edited through its draft).
public enum PostTarget: Sendable, Equatable {
    case draft(Int64)
    case listing(Int64)
}

/// A post's fields the seller edits; which ones a platform has.
public enum PostField: String, Sendable, CaseIterable {
    case title, text, altText = "alt_text", link

    static func fields(_ platform: SocialPlatform) -> [PostField] { platform == .pinterest ? [.title, .text, .altText, .link] : [.text] }
}

public struct PostsState: Sendable, Equatable {
    public var target: PostTarget?
    /// The draft the posts belong to, once the target is read.
    public var draftID: Int64?
    public var source: PostSource?
    public var posts: [SocialPlatform: StoredPost] = [:]
    public var loaded = false
    /// The target is gone (deleted, or a listing not on a shop).
    public var missing = false
    public var platform = SocialPlatform.pinterest
    public var field = PostField.text
    /// The field being typed in, and its text.
    public var editing: TextAreaState?
    /// A platform's versions, while they are shown (Ctrl-O), and the one chosen.
    public var history: [StoredPost]?
    public var historySelected = 0
    /// The picture shape chosen per platform (Instagram has two).
    public var shapes: [SocialPlatform: Int] = [:]
    /// The platforms whose picture is being made.
    public var composing: Set<SocialPlatform> = []
    /// The preview of the shown platform's picture, by its file.
    public var preview: PicturePreview?
    /// The picture drawn over the whole screen (`v`).
    public var large = false
    /// The AI request under way (Esc cancels it).
    public var aiRequest: Int?
    public var nextRequest = 1
    public init() {}

    var current: SocialPost? { posts[platform]?.post }
    var shape: PostImageShape {
        let shapes = platform.shapes
        return shapes[min(shapes.count - 1, self.shapes[platform] ?? 0)]
    }
}

extension AppState {
    public var posts: PostsState {
        get { screens[PostsScreen.self] }
        _modify { yield &screens[PostsScreen.self] }
    }
}

/// Social posts for one listing or draft, one per platform (Pinterest, Instagram, X, Facebook,
/// TikTok), in the listing's language and within each platform's limits. The built-in writer
/// makes the first one; `n` asks for another variant, `a` the AI copywriter; Enter edits a
/// field; `i` makes the post picture (libvips) and shows it; `y` copies the post (OSC 52), `x`
/// exports every post; Ctrl-O lists the versions kept.
enum PostsScreen: ScreenModule {
    static let id = ScreenID.posts
    static let initialState = PostsState()
    static let commands: [Command] = [
        .left, .right, .up, .down, .select, .postVariant, .postAI, .postImage, .postShape, .postView, .postCopy, .postExport, .postHistory,
    ]
    static let hints: [Command] = [.right, .select, .postVariant, .postImage, .postCopy, .postExport, .postHistory]

    enum Message: ScreenMessage {
        case loaded(draftID: Int64?, PostSource?, [SocialPlatform: StoredPost])
        case saved(StoredPost, draftID: Int64)
        case historyLoaded([StoredPost], platform: SocialPlatform)
        case composed(StoredPost, draftID: Int64)
        case composeFailed(SocialPlatform, String)
        case previewed(path: String, Preview)
        case previewFailed(path: String, String)
        case aiWritten(request: Int, SocialPost)
        case aiFailed(request: Int, CopyFailure)
        case exported(path: String, count: Int)
    }

    enum Job: ScreenJob {
        case load(PostTarget)
        case save(SocialPost, draftID: Int64)
        case loadHistory(draftID: Int64, SocialPlatform)
        /// The post's picture from the listing's first photo (or mockup), saved with the post.
        case compose(SocialPost, draftID: Int64, shape: PostImageShape, headline: String, byline: String)
        case preview(path: String, cols: Int, rows: Int, mode: GraphicsMode, cellWidth: Int, cellHeight: Int)
        case writeAI(request: Int, PostSource, SocialPlatform)
        case cancelAI(request: Int)
        case export(path: String, [SocialPost])

        var lane: EffectLane {
            switch self {
            case .loadHistory: .read
            case .load, .save, .export: .write
            case .compose, .preview: .media
            case .writeAI: .network
            case .cancelAI: .immediate
            }
        }

        func submitted(_ run: EffectRunner) {
            if case .writeAI(let request, _, _) = self { run.cancels.register(request) }
        }

        func perform(_ run: EffectRunner) throws {
            let store = run.store
            let answer = { (m: Message) in run.answer(PostsScreen.self, m) }
            switch self {
            case .load(let target):
                let draftID: Int64?
                switch target {
                case .draft(let id): draftID = id
                case .listing(let id): draftID = try store.draftForListing(id: id, now: Date())
                }
                guard let draftID, let source = try store.postSource(draftID: draftID) else { return answer(.loaded(draftID: nil, nil, [:])) }
                answer(.loaded(draftID: draftID, source, try store.posts(draftID: draftID)))
            case .save(let post, let draftID):
                answer(.saved(try store.savePost(post, draftID: draftID, now: Date()), draftID: draftID))
            case .loadHistory(let draftID, let platform):
                answer(.historyLoaded(try store.postHistory(draftID: draftID, platform: platform), platform: platform))
            case .compose(var post, let draftID, let shape, let headline, let byline):
                do {
                    let photo = try picture(for: draftID, run)
                    guard let folder = run.posts else { throw MediaError(description: "no data folder to keep the picture in") }
                    let path = folder + "/\(draftID)-\(post.platform.rawValue)-\(shape.width)x\(shape.height).png"
                    try Media.composePost(photo: photo, width: shape.width, height: shape.height, headline: headline, byline: byline, to: path)
                    (post.imagePath, post.imageShape) = (path, shape)
                    answer(.composed(try store.savePost(post, draftID: draftID, now: Date()), draftID: draftID))
                } catch let error as MediaError {
                    answer(.composeFailed(post.platform, error.description))
                } catch let error as ProviderError {
                    answer(.composeFailed(post.platform, error.description))
                }
            case .preview(let path, let cols, let rows, let mode, let cellWidth, let cellHeight):
                do {
                    answer(
                        .previewed(
                            path: path, try run.previews.preview(of: path, cols: cols, rows: rows, mode: mode, cell: (cellWidth, cellHeight), thumbnails: nil)))
                } catch {
                    answer(.previewFailed(path: path, error.description))
                }
            case .writeAI(let request, let source, let platform):
                let result = run.creditedAICall(request: request, reason: "social post", subject: source.draft.id.map { "draft \($0)" }) {
                    ai, flag throws(ProviderError) in
                    try ai.copywriter.writePost(source.draft, platform: platform, brand: source.brand, link: source.link, cancel: flag)
                }
                switch result {
                case .success(let post)?: answer(.aiWritten(request: request, post))
                case .failure(let failure)?: answer(.aiFailed(request: request, failure))
                case nil: break
                }
            case .cancelAI(let request):
                run.cancels.cancel(request)
            case .export(let path, let posts):
                try PostExport.write(posts, to: path)
                answer(.exported(path: path, count: posts.count))
            }
        }

        /// The listing's first photo that is a readable local file, else its first mockup
        /// (fetched once and kept), else none: the picture is then the band of type alone.
        private func picture(for draftID: Int64, _ run: EffectRunner) throws -> String? {
            let draft = try run.store.draft(id: draftID)
            if let photo = draft?.imageList.first(where: { FileManager.default.isReadableFile(atPath: $0) }) { return photo }
            guard let mockup = try run.store.mockups(draftID: draftID).first else { return nil }
            return try ComposerScreen.Job.localFile(mockup, run)
        }
    }

    /// Shows the posts of a draft or a listing.
    static func show(_ s: inout AppState, _ target: PostTarget) -> [Effect] {
        if s.posts.target != target {
            s.posts = PostsState()
            s.posts.target = target
        }
        return go(&s, .posts)
    }

    static func enter(_ s: inout AppState) -> [Effect] {
        guard let target = s.posts.target else { return [] }
        return [.job(Self.self, .load(target))]
    }

    /// The shown platform's post, written by the built-in writer when it has none yet.
    static func ensurePost(_ s: inout AppState) -> [Effect] {
        guard let draftID = s.posts.draftID, let source = s.posts.source, s.posts.posts[s.posts.platform] == nil else { return previewLoads(&s) }
        let post = SocialWriter.write(source.draft, platform: s.posts.platform, brand: source.brand, link: source.link)
        s.posts.posts[post.platform] = StoredPost(id: 0, post: post, savedAt: s.now)
        return [.job(Self.self, .save(post, draftID: draftID))]
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let draftID, let source, let posts):
            s.posts.loaded = true
            s.posts.missing = source == nil
            (s.posts.draftID, s.posts.source, s.posts.posts) = (draftID, source, posts)
            s.posts.field = PostField.fields(s.posts.platform).contains(s.posts.field) ? s.posts.field : .text
            return s.screen == .posts ? ensurePost(&s) : []
        case .saved(let stored, let draftID):
            guard draftID == s.posts.draftID else { return [] }
            s.posts.posts[stored.post.platform] = stored
        case .historyLoaded(let versions, let platform):
            guard platform == s.posts.platform else { return [] }
            s.posts.history = versions
            s.posts.historySelected = 0
        case .composed(let stored, let draftID):
            guard draftID == s.posts.draftID else { return [] }
            s.posts.composing.remove(stored.post.platform)
            s.posts.posts[stored.post.platform] = stored
            if let path = stored.post.imagePath { toast(&s, s.strings.t("posts.image_made", ["path": path])) }
            s.posts.preview = nil
            return previewLoads(&s)
        case .composeFailed(let platform, let reason):
            s.posts.composing.remove(platform)
            toast(&s, s.strings.t("posts.image_failed", ["reason": reason]), isError: true)
        case .previewed(let path, let preview):
            guard s.posts.preview?.path == path else { return [] }
            s.posts.preview?.result = preview
        case .previewFailed(let path, let reason):
            guard s.posts.preview?.path == path else { return [] }
            s.posts.preview?.error = reason
        case .aiWritten(let request, let post):
            guard s.posts.aiRequest == request, let draftID = s.posts.draftID else { return [] }
            s.posts.aiRequest = nil
            return replace(&s, with: keepingPicture(s, post), draftID: draftID)
        case .aiFailed(let request, let failure):
            guard s.posts.aiRequest == request else { return [] }
            s.posts.aiRequest = nil
            let reason: String
            switch failure {
            case .quota(let used, let limit, let resetsAt):
                reason = s.strings.t(
                    "composer.ai_quota", ["used": s.formats.integer(used), "limit": s.formats.integer(limit), "date": s.formats.date(resetsAt)])
            case .provider(let message):
                reason = message
            }
            toast(&s, s.strings.t("posts.ai_failed", ["reason": reason]), isError: true)
        case .exported(let path, let count):
            toast(&s, s.strings.t("posts.exported", ["count": s.formats.integer(count), "path": path]))
        }
        return []
    }

    static func failed(_ s: inout AppState, _ failure: EffectFailure) {
        s.posts.loaded = true
        s.posts.composing = []
        s.posts.aiRequest = nil
    }

    /// A new text for the shown platform, keeping the picture already made.
    static func keepingPicture(_ s: AppState, _ post: SocialPost) -> SocialPost {
        var p = post
        if let old = s.posts.posts[post.platform]?.post { (p.imagePath, p.imageShape) = (old.imagePath, old.imageShape) }
        return p
    }

    /// Shows `post` at once and keeps it as a new version.
    static func replace(_ s: inout AppState, with post: SocialPost, draftID: Int64) -> [Effect] {
        s.posts.posts[post.platform] = StoredPost(id: s.posts.posts[post.platform]?.id ?? 0, post: post, savedAt: s.now)
        return [.job(Self.self, .save(post, draftID: draftID))]
    }

    // MARK: Keys

    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? {
        if s.posts.editing != nil { return editKey(&s, key) }
        if s.posts.history != nil { return historyKey(&s, key) }
        if s.posts.large {
            s.posts.large = false
            return previewLoads(&s)
        }
        if s.posts.aiRequest != nil, s.keymap.command(for: key) == Command.back.rawValue, let request = s.posts.aiRequest {
            s.posts.aiRequest = nil
            toast(&s, s.strings.t("composer.ai_cancelled"))
            return [.job(Self.self, .cancelAI(request: request))]
        }
        return nil
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        guard s.posts.loaded, !s.posts.missing, let draftID = s.posts.draftID, let source = s.posts.source else {
            if command == .left { s.focus = .sidebar }
            return []
        }
        let fields = PostField.fields(s.posts.platform)
        let i = fields.firstIndex(of: s.posts.field) ?? 0
        switch command {
        case .left, .right:
            let all = SocialPlatform.allCases
            let p = all.firstIndex(of: s.posts.platform) ?? 0
            s.posts.platform = all[(p + (command == .right ? 1 : all.count - 1)) % all.count]
            if !PostField.fields(s.posts.platform).contains(s.posts.field) { s.posts.field = .text }
            s.posts.preview = nil
            return ensurePost(&s)
        case .up: s.posts.field = fields[max(0, i - 1)]
        case .down: s.posts.field = fields[min(fields.count - 1, i + 1)]
        case .select:
            guard let post = s.posts.current else { return [] }
            s.posts.editing = TextAreaState(value(post, s.posts.field))
        case .postVariant:
            guard let old = s.posts.current else { return [] }
            let post = SocialWriter.write(source.draft, platform: s.posts.platform, brand: source.brand, link: source.link, variant: old.variant + 1)
            toast(&s, s.strings.t("posts.variant", ["n": s.formats.integer(post.variant + 1)]))
            return replace(&s, with: keepingPicture(s, post), draftID: draftID)
        case .postAI:
            guard s.posts.aiRequest == nil else { return [] }
            let request = s.posts.nextRequest
            s.posts.nextRequest += 1
            s.posts.aiRequest = request
            toast(&s, s.strings.t("posts.ai_writing"))
            return [.job(Self.self, .writeAI(request: request, source, s.posts.platform))]
        case .postImage:
            guard let post = s.posts.current, !s.posts.composing.contains(post.platform) else { return [] }
            s.posts.composing.insert(post.platform)
            let headline = post.platform == .pinterest && !post.title.isEmpty ? post.title : SocialWriter.headline(of: source.draft.title)
            return [.job(Self.self, .compose(post, draftID: draftID, shape: s.posts.shape, headline: headline, byline: source.brand.name))]
        case .postShape:
            let count = s.posts.platform.shapes.count
            guard count > 1 else {
                toast(&s, s.strings.t("posts.one_shape", ["shape": s.posts.shape.description]))
                return []
            }
            s.posts.shapes[s.posts.platform] = ((s.posts.shapes[s.posts.platform] ?? 0) + 1) % count
            toast(&s, s.strings.t("posts.shape", ["shape": s.posts.shape.description]))
        case .postView:
            guard s.posts.current?.imagePath != nil else {
                toast(&s, s.strings.t("posts.no_image"), isError: true)
                return []
            }
            s.posts.large = true
            return previewLoads(&s)
        case .postCopy:
            guard let post = s.posts.current else { return [] }
            toast(&s, s.strings.t("posts.copied", ["platform": s.strings.t("platform.\(post.platform.rawValue)")]))
            return [.copyToClipboard(PostExport.text(post))]
        case .postExport:
            s.overlay = .prompt(PromptState(purpose: .exportPosts, path: "podpusher-posts-\(draftID).txt"))
        case .postHistory:
            return [.job(Self.self, .loadHistory(draftID: draftID, s.posts.platform))]
        default: break
        }
        return []
    }

    /// The text of a field of a post.
    static func value(_ post: SocialPost, _ field: PostField) -> String {
        switch field {
        case .title: post.title
        case .text: post.text
        case .altText: post.altText
        case .link: post.link
        }
    }

    /// Typing in a field: Esc (or Enter on a one-line field) ends it and keeps the post as a
    /// new version when it changed; Enter in the text starts a new line.
    static func editKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard var area = s.posts.editing else { return [] }
        let multiline = s.posts.field == .text
        if s.keymap.command(for: key) == Command.back.rawValue || (!multiline && key == .enter) { return finishEditing(&s) }
        if !multiline, key == .up || key == .down { return [] }
        _ = editTextArea(&area, key, keymap: s.keymap)
        s.posts.editing = area
        return []
    }

    /// Ends typing: the field's new text kept as the post's new version (marked edited).
    static func finishEditing(_ s: inout AppState) -> [Effect] {
        guard let area = s.posts.editing else { return [] }
        s.posts.editing = nil
        guard var post = s.posts.current, let draftID = s.posts.draftID else { return [] }
        let text = s.posts.field == .text ? area.text : area.text.replacingOccurrences(of: "\n", with: " ")
        guard text != value(post, s.posts.field) else { return [] }
        switch s.posts.field {
        case .title: post.title = text
        case .text: post.text = text
        case .altText: post.altText = text
        case .link: post.link = text.trimmingWhitespace()
        }
        post.source = .edited
        return replace(&s, with: post, draftID: draftID)
    }

    /// Saves what is being typed (the app is closing).
    static func flush(_ s: inout AppState) -> [Effect] { s.posts.editing == nil ? [] : finishEditing(&s) }

    /// The versions list: ↑/↓ choose, Enter makes the chosen one current again, Esc closes.
    static func historyKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard let versions = s.posts.history else { return [] }
        switch dialogCommand(s, key) {
        case .up?, .listPrevious?: s.posts.historySelected = max(0, s.posts.historySelected - 1)
        case .down?, .listNext?: s.posts.historySelected = min(max(0, versions.count - 1), s.posts.historySelected + 1)
        case .select?:
            s.posts.history = nil
            guard let chosen = versions.element(at: s.posts.historySelected), let draftID = s.posts.draftID else { return [] }
            toast(&s, s.strings.t("posts.restored"))
            s.posts.preview = nil
            return replace(&s, with: chosen.post, draftID: draftID) + previewLoads(&s)
        case .back?, .quit?, .postHistory?:
            s.posts.history = nil
        default: break
        }
        return []
    }

    // MARK: The picture

    /// Where the picture is drawn: beside the fields when the screen is wide, over them (`v`)
    /// otherwise.
    static func pictureRect(_ s: AppState) -> Rect? {
        let body = s.bodyRect
        if s.posts.large { return Rect(x: body.x + 1, y: body.y + 2, width: body.width - 2, height: max(1, body.height - 3)) }
        guard body.width >= 100, body.height >= 12 else { return nil }
        let width = min(body.width / 3, 48)
        return Rect(x: body.maxX - width - 1, y: body.y + 3, width: width, height: body.height - 4)
    }

    /// The preview of the shown picture at the size it is drawn, when there is one to make.
    static func previewLoads(_ s: inout AppState) -> [Effect] {
        guard let path = s.posts.current?.imagePath, s.graphics != .off, let r = pictureRect(s) else { return [] }
        if let p = s.posts.preview, p.path == path, p.cols == r.width, p.rows == r.height { return [] }
        s.posts.preview = PicturePreview(path: path, cols: r.width, rows: r.height)
        return [.job(Self.self, .preview(path: path, cols: r.width, rows: r.height, mode: s.graphics, cellWidth: s.cellWidth, cellHeight: s.cellHeight))]
    }

    static func pageLoads(_ s: inout AppState) -> [Effect] { previewLoads(&s) }
}

/// Posts as text (what is copied, and the export's text format) or JSON.
enum PostExport {
    static func text(_ post: SocialPost) -> String {
        var parts: [String] = []
        if !post.title.isEmpty { parts.append(post.title) }
        parts.append(post.text)
        if post.platform.hasLinkField, !post.link.isEmpty { parts.append(post.link) }
        return parts.joined(separator: "\n\n")
    }

    /// Every post to `path`: JSON (an array of objects) when it ends in `.json`, else text with
    /// a heading per platform.
    static func write(_ posts: [SocialPost], to path: String) throws {
        let data: Data
        if path.lowercased().hasSuffix(".json") {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            e.keyEncodingStrategy = .convertToSnakeCase
            data = try e.encode(posts)
        } else {
            let sections = posts.map { p in
                var lines = ["# \(p.platform.rawValue) (\(p.language))", "", text(p)]
                if !p.altText.isEmpty { lines += ["", "alt: " + p.altText] }
                if let image = p.imagePath { lines += ["image: " + image] }
                return lines.joined(separator: "\n")
            }
            data = Data((sections.joined(separator: "\n\n") + "\n").utf8)
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
