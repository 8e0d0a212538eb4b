import Foundation
import PODMedia
import PODStore
import PODSync
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

@Suite struct PostsScreenTests {
    func germanListing() -> ListingDraft {
        var d = complete(ListingDraft(id: 7))
        d.language = "de"
        d.productType = "Tasse"
        return d
    }

    /// The posts screen for `draft`, loaded with no posts kept yet.
    func loaded(_ draft: ListingDraft, language: String = "en", width: Int = 120, link: String = "https://www.etsy.com/listing/42") throws -> (
        AppState, [Effect]
    ) {
        var s = try makeState(width: width, language: language, screen: .composer)
        _ = PostsScreen.show(&s, .draft(draft.id!))
        let source = PostSource(draft: draft, link: link, brand: PostBrand(name: "Luna Print Co", handles: ["lunaprint"]))
        let effects = reduce(&s, .to(PostsScreen.self, .loaded(draftID: draft.id, source, [:])))
        return (s, effects)
    }

    @Test func sOnAListingOpensItsPostsAndReverseSortStaysElsewhere() throws {
        var s = try makeState(screen: .listings)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: s.listings.rows.generation, page: 0, rows: sampleListings(page: 0), total: 100)))
        press(&s, .down)
        let effects = press(&s, .char("S"))
        #expect(s.screen == .posts)
        #expect(effects == [.job(PostsScreen.self, .load(.listing(1)))])
        // On Trends, S is still the reverse sort.
        var t = try makeState(screen: .trends)
        let before = t.trends.sort
        press(&t, .char("S"))
        #expect(t.trends.sort != before && t.screen == .trends)
    }

    @Test func aGermanPinterestPostIsWrittenSavedAndShownWithinItsLimits() throws {
        let (s, effects) = try loaded(germanListing(), language: "de")
        guard case .save(let post, 7)? = job(effects.first, PostsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(post.platform == .pinterest && post.language == "de" && post.problems() == [])
        #expect(post.text.contains("Etsy") && post.link == "https://www.etsy.com/listing/42")
        let text = view(s).text()
        #expect(text.contains("Pinterest ✓"))
        #expect(text.contains("Innerhalb der Grenzen von Pinterest"))
        #expect(text.contains("Titel \(post.title.count)/100"))
        #expect(text.contains("Alt-Text"))
    }

    @Test func eachPlatformGetsItsOwnPostAndAVariantKeepsThePicture() throws {
        var (s, _) = try loaded(germanListing())
        let effects = press(&s, .char("l"))
        #expect(s.posts.platform == .instagram)
        guard case .save(let instagram, 7)? = job(effects.first, PostsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(instagram.platform == .instagram && instagram.hashtags.count <= 30 && instagram.text.contains("@lunaprint"))
        var withPicture = instagram
        (withPicture.imagePath, withPicture.imageShape) = ("/tmp/p.png", PostImageShape(width: 1080, height: 1080))
        _ = reduce(&s, .to(PostsScreen.self, .saved(StoredPost(id: 3, post: withPicture, savedAt: fixedNow), draftID: 7)))
        guard case .save(let variant, 7)? = job(press(&s, .char("n")).first, PostsScreen.self) else {
            Issue.record("no variant saved")
            return
        }
        #expect(variant.variant == 1 && variant.text != instagram.text && variant.imagePath == "/tmp/p.png")
        // Back past the first platform: TikTok.
        press(&s, .char("h"), .char("h"))
        #expect(s.posts.platform == .tiktok)
    }

    @Test func editingAFieldKeepsANewVersionMarkedEditedAndOverLimitsShowWhy() throws {
        var (s, _) = try loaded(germanListing())
        press(&s, .char("k"))  // the title
        #expect(s.posts.field == .title)
        press(&s, .enter)
        #expect(s.posts.editing != nil)
        let typed = typeText(&s, String(repeating: "x", count: 120))
        #expect(typed.isEmpty, "typing saves nothing until the field is left")
        let effects = press(&s, .enter)  // one line: Enter ends it
        guard case .save(let post, 7)? = job(effects.first, PostsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(post.source == .edited && post.title.hasSuffix(String(repeating: "x", count: 120)))
        #expect(view(s).text().contains("The title is \(post.title.count) characters; at most 100"))
        #expect(view(s).text().contains("Pinterest ✗"))
        // The text takes new lines; Esc ends it and keeps what was typed.
        press(&s, .char("j"), .enter)
        press(&s, .end, .enter)
        _ = typeText(&s, "Neu!")
        guard case .save(let edited, 7)? = job(press(&s, .escape).first, PostsScreen.self) else {
            Issue.record("Esc saved nothing")
            return
        }
        #expect(edited.text.hasSuffix("\nNeu!"))
    }

    @Test func copyExportPictureAndVersionsAreOneKeyEach() throws {
        var (s, _) = try loaded(germanListing())
        let post = try #require(s.posts.current)
        #expect(press(&s, .char("y")) == [.copyToClipboard(PostExport.text(post))])
        press(&s, .char("x"))
        guard case .prompt(let prompt)? = s.overlay, prompt.purpose == .exportPosts else {
            Issue.record("\(String(describing: s.overlay))")
            return
        }
        guard case .export(_, let posts)? = job(press(&s, .enter).first, PostsScreen.self) else {
            Issue.record("no export")
            return
        }
        #expect(posts == [post])
        guard case .compose(_, 7, let shape, let headline, let byline)? = job(press(&s, .char("i")).first, PostsScreen.self) else {
            Issue.record("no picture asked for")
            return
        }
        #expect(shape == PostImageShape(width: 1000, height: 1500) && headline == post.title && byline == "Luna Print Co")
        #expect(view(s).text().contains("Bild in 1000×1500 wird erstellt") == false)  // English UI here
        #expect(view(s).text().contains("making the 1000×1500 picture"))
        #expect(press(&s, .ctrl("o")) == [.job(PostsScreen.self, .loadHistory(draftID: 7, .pinterest))])
        var older = post
        older.text = "Ältere Fassung"
        _ = reduce(
            &s,
            .to(
                PostsScreen.self,
                .historyLoaded([StoredPost(id: 2, post: post, savedAt: fixedNow), StoredPost(id: 1, post: older, savedAt: fixedNow)], platform: .pinterest)))
        #expect(view(s).text().contains("Ältere Fassung"))
        press(&s, .down)
        guard case .save(let restored, 7)? = job(press(&s, .enter).first, PostsScreen.self) else {
            Issue.record("nothing restored")
            return
        }
        #expect(restored.text == "Ältere Fassung" && s.posts.history == nil)
    }

    @Test func instagramHasTwoShapesAndTheWideScreenShowsThePictureBeside() throws {
        var (s, _) = try loaded(germanListing(), width: 140)
        press(&s, .char("l"))
        press(&s, .char("t"))
        #expect(s.posts.shape == PostImageShape(width: 1080, height: 1350))
        var post = try #require(s.posts.current)
        (post.imagePath, post.imageShape) = ("/tmp/ig.png", s.posts.shape)
        let effects = reduce(&s, .to(PostsScreen.self, .composed(StoredPost(id: 4, post: post, savedAt: fixedNow), draftID: 7)))
        guard case .preview("/tmp/ig.png", let cols, let rows, .symbols, _, _)? = job(effects.first, PostsScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(cols > 0 && rows > 0)
        let cells = [Preview.Cell](repeating: Preview.Cell(scalar: 0x2588, fg: 0xFF0000, bg: nil), count: 4)
        _ = reduce(
            &s,
            .to(
                PostsScreen.self,
                .previewed(path: "/tmp/ig.png", Preview(cols: 2, rows: 2, mode: .symbols, graphics: nil, cells: cells, width: 1080, height: 1350))))
        #expect(view(s).text().contains("██"))
        #expect(view(s).text().contains("1080×1350 · ig.png"))
    }

    @Test func theScreenFitsSmallTerminalsAndSaysWhatToDoWhenEmpty() throws {
        var s = try makeState(width: 80, height: 24, screen: .posts)
        #expect(view(s).text().contains("No listing chosen."))
        (s, _) = try loaded(germanListing(), width: 80)
        s.height = 24
        let text = view(s).text()
        #expect(text.contains("Pinterest ✓") && text.contains("Within Pinterest's limits"))
        var tiny = s
        tiny.width = 20
        tiny.height = 6
        _ = view(tiny)
    }

    @Test func theJobsWriteThePictureKeepThePostAndExport() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("posts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        var d = germanListing()
        d.id = nil
        let id = try store.saveDraft(d, now: Date())
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!), dataDirectory: dir.path) { received.add($0) }
        runner.perform(.job(PostsScreen.self, .load(.draft(id))))
        guard case .loaded(id?, let source?, let posts)? = message(received.all.first, PostsScreen.self) else {
            Issue.record("\(received.all)")
            return
        }
        #expect(posts.isEmpty && source.link == "")
        let post = SocialWriter.write(source.draft, platform: .pinterest, brand: source.brand)
        runner.perform(.job(PostsScreen.self, .compose(post, draftID: id, shape: PostImageShape(width: 1000, height: 1500), headline: post.title, byline: "")))
        guard case .composed(let stored, id)? = message(received.all.last, PostsScreen.self), let path = stored.post.imagePath else {
            Issue.record("\(received.all)")
            return
        }
        #expect(path == dir.path + "/posts/\(id)-pinterest-1000x1500.png")
        #expect(try Media.size(of: path) == (1000, 1500))
        #expect(try store.posts(draftID: id)[.pinterest]?.post.imagePath == path)

        let json = dir.path + "/posts.json", text = dir.path + "/posts.txt"
        runner.perform(.job(PostsScreen.self, .export(path: json, [stored.post])))
        runner.perform(.job(PostsScreen.self, .export(path: text, [stored.post])))
        let exported = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(exported.first?["platform"] as? String == "pinterest" && exported.first?["alt_text"] as? String == post.altText)
        #expect(try String(contentsOfFile: text, encoding: .utf8).hasPrefix("# pinterest (de)\n\n\(post.title)\n\n"))
        // A listing that is gone says so.
        runner.perform(.job(PostsScreen.self, .load(.draft(999))))
        #expect(message(received.all.last, PostsScreen.self) == .loaded(draftID: nil, nil, [:]))
    }

    @Test func theAICopywriterWritesAPostForOneCredit() throws {
        let store = try Store(dataDirectory: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ai-post-\(UUID().uuidString)"))
        let content = #"{"title": "Mond Tasse", "text": "Für Sternengucker. #Mond", "alt_text": "Eine Tasse"}"#
        let body = try JSONSerialization.data(withJSONObject: ["choices": [["message": ["content": content]]]])
        let writer = OpenAICopywriter(
            settings: OpenAISettings(["model": "m"])!, apiKey: "k", transport: StubTransport { _ in HTTPResponse(status: 200, body: body) })
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!), ai: AIWriter(copywriter: writer, plan: .free)) {
            received.add($0)
        }
        let source = PostSource(draft: germanListing(), link: "https://www.etsy.com/listing/42", brand: PostBrand())
        runner.perform(.job(PostsScreen.self, .writeAI(request: 1, source, .pinterest)))
        guard case .aiWritten(1, let post)? = message(received.all.first, PostsScreen.self) else {
            Issue.record("\(received.all)")
            return
        }
        #expect(
            post.title == "Mond Tasse" && post.text == "Für Sternengucker. #Mond" && post.source == .ai && post.link == source.link && post.language == "de")
        #expect(try store.usage(since: .distantPast)["ai_credits"] == 1)
    }
}
