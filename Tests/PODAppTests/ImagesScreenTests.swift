import Foundation
import PODMedia
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

@Suite struct ImagesScreenTests {
    func entries() -> [ImageEntry] {
        [
            ImageEntry(
                id: 1, path: "/img/cat.png", kind: .photo, draftID: 9,
                file: ImageFile(format: "PNG", bytes: 900, width: 2400, height: 2000, hasAlpha: false, hash: 0xFF00)),
            ImageEntry(
                id: 2, path: "/img/cat-copy.png", kind: .file,
                file: ImageFile(format: "PNG", bytes: 800, width: 2400, height: 2000, hasAlpha: false, hash: 0xFF01)),
            ImageEntry(
                id: 3, path: "/img/design.png", kind: .design,
                file: ImageFile(format: "PNG", bytes: 700, width: 800, height: 900, hasAlpha: true, hash: 0x1234_5678_9ABC_DEF0), requirement: (4500, 5400)),
            ImageEntry(id: 4, path: "/img/empty.png", kind: .file, file: ImageFile(bytes: 0, error: "the file is empty (0 bytes)")),
        ]
    }

    /// The screen with `entries` loaded as the load job would give them, and the effects.
    func loadedWithEffects(width: Int = 120, height: Int = 40) throws -> (AppState, [Effect]) {
        var s = try makeState(width: width, height: height, screen: .images)
        let e = entries()
        let found = NearDuplicates.closest(e.compactMap { x in x.file.hash.map { (x.id, $0) } })
        var problems: [Int64: [ImageProblem]] = [:]
        for x in e { problems[x.id] = ImageChecks.problems(x, duplicate: found[x.id]) }
        let effects = reduce(
            &s,
            .to(
                ImagesScreen.self,
                .loaded(
                    generation: s.images.generation, page: false, total: e.count, e,
                    duplicates: found.mapValues { ImageDuplicate(id: $0.id, distance: $0.distance) }, problems: problems,
                    unread: 0, tags: ["cats"])))
        return (s, effects)
    }

    func loaded(width: Int = 120, height: Int = 40) throws -> AppState { try loadedWithEffects(width: width, height: height).0 }

    @Test func theGridShowsEachImageWithItsChecksAndAsksForThePreviewsOnScreen() throws {
        var s = try makeState(screen: .dashboard)
        #expect(reduce(&s, .go(.images)) == [.job(ImagesScreen.self, .load(generation: 1, page: ImagesScreen.firstPage))])
        // The first page shown, the whole table and the workspace's own images are asked for.
        let rest = reduce(&s, .to(ImagesScreen.self, .loaded(generation: 1, page: true, total: 4, [], duplicates: [:], problems: [:], unread: 0, tags: [])))
        #expect(rest == [.job(ImagesScreen.self, .load(generation: 1, page: nil)), .job(ImagesScreen.self, .collect)])
        // r reads the table again.
        #expect(press(&s, .char("r")).contains(.job(ImagesScreen.self, .load(generation: 2, page: ImagesScreen.firstPage))))
        var effects: [Effect]
        (s, effects) = try loadedWithEffects()
        let text = view(s).text()
        #expect(text.contains("Images: 4 of 4") && text.contains("2 with a near-duplicate") && text.contains("4 to look at"))
        #expect(text.contains("cat.png") && text.contains("design.png") && text.contains("⚠"))
        guard case .previews(let files, 18, 3)? = job(effects.first, ImagesScreen.self) else {
            Issue.record("no previews asked for")
            return
        }
        #expect(files == [1: "/img/cat.png", 2: "/img/cat-copy.png", 3: "/img/design.png"], "the unreadable one has none")
        #expect(ImagesScreen.previewLoads(&s).isEmpty, "asked once")
        let cells = [Preview.Cell](repeating: Preview.Cell(scalar: 0x2588, fg: 0x00FF00, bg: nil), count: 18 * 3)
        _ = reduce(
            &s, .to(ImagesScreen.self, .previewed(id: 1, Preview(cols: 18, rows: 3, mode: .symbols, graphics: nil, cells: cells, width: 2400, height: 2000))))
        #expect(view(s).text().contains(String(repeating: "█", count: 18)))
    }

    @Test func ratingFlaggingTaggingAndAltTextAreOneKeyAndStored() throws {
        var s = try loaded()
        #expect(press(&s, .char("+")) == [.job(ImagesScreen.self, .rate([1], 1))])
        #expect(press(&s, .char("+")) == [.job(ImagesScreen.self, .rate([1], 2))])
        #expect(press(&s, .char("f")) == [.job(ImagesScreen.self, .flag([1], .approved))])
        #expect(view(s).text().contains("★★ ✓"))
        press(&s, .char("t"))
        _ = typeText(&s, "c")
        press(&s, .tab)  // completes "cats"
        #expect(press(&s, .enter) == [.job(ImagesScreen.self, .tag([1], "cats"))])
        press(&s, .char("e"))
        _ = typeText(&s, "A grey cat")
        #expect(press(&s, .enter) == [.job(ImagesScreen.self, .alt(1, "A grey cat"))])
        // Marked images take the change together.
        press(&s, .char(" "), .char(" "))
        #expect(s.images.marked == [1, 2])
        #expect(press(&s, .char("f")) == [.job(ImagesScreen.self, .flag([1, 2], .needsWork))])
        press(&s, .escape)
        #expect(s.images.marked.isEmpty)
    }

    @Test func theFilterFindsDuplicatesSmallDesignsAndMissingAltText() throws {
        var s = try loaded()
        press(&s, .char("/"))
        _ = typeText(&s, "check:duplicate")
        #expect(s.images.order.map { s.images.entries[$0].id } == [1, 2])
        press(&s, .escape, .char("/"))
        _ = typeText(&s, "check:small")
        #expect(s.images.order.map { s.images.entries[$0].id } == [3])
        press(&s, .escape, .char("/"))
        _ = typeText(&s, "check:alt kind:photo")
        #expect(s.images.order.map { s.images.entries[$0].id } == [1])
        press(&s, .escape)
        #expect(s.images.order.count == 4)
    }

    @Test func enterShowsTheDetailsAndEveryCheckInWords() throws {
        var s = try loaded(width: 200)
        press(&s, .right, .right)
        let effects = press(&s, .enter)
        #expect(s.images.detail)
        guard case .largePreview("/img/design.png", _, _, .symbols, _, _)? = job(effects.first, ImagesScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        let text = view(s).text()
        #expect(text.contains("Design too small: 800 × 900 px for a print area of 4,500 × 5,400 px"))
        #expect(text.contains("Perceptual hash: 123456789abcdef0"))
        press(&s, .escape)
        #expect(!s.images.detail)
        press(&s, .right)
        press(&s, .enter)
        #expect(view(s).text().contains("Cannot be read: the file is empty (0 bytes)"))
    }

    @Test func aFilterAfterTheDetailViewIsKept() throws {
        var s = try loaded()
        press(&s, .char("/"))
        _ = typeText(&s, "check:unreadable")
        press(&s, .enter, .enter)
        #expect(s.images.detail)
        press(&s, .escape)
        press(&s, .char("/"), .ctrl("u"))
        _ = typeText(&s, "cat")
        press(&s, .enter)
        #expect(s.images.filter.text == "cat" && s.images.order.count == 2)
    }

    @Test func aFolderIsAddedAndAnUnreadableOneSaysWhy() throws {
        var s = try loaded(width: 80, height: 24)
        press(&s, .char("a"))
        _ = typeText(&s, "/no/such/folder")
        #expect(press(&s, .enter) == [.job(ImagesScreen.self, .addFolder("/no/such/folder"))])
        _ = reduce(&s, .to(ImagesScreen.self, .folderRefused("/no/such/folder is not a folder")))
        #expect(view(s).text().contains("The folder was not added: /no/such/folder is not a folder"))
        var tiny = s
        (tiny.width, tiny.height) = (20, 6)
        _ = view(tiny)
    }

    @Test func theJobsReadFilesInBatchesAndFindNearDuplicatesOnDisk() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("images-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        let folder = dir.appendingPathComponent("pics").path
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try Media.composePost(photo: nil, width: 600, height: 900, headline: "Moon Phase", byline: "Luna", to: folder + "/a.png")
        try Media.composePost(photo: nil, width: 300, height: 450, headline: "Moon Phase", byline: "Luna", to: folder + "/sub/a-small.png")
        try Media.writeSample(to: folder + "/other.png", width: 600, height: 400)
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.png"))
        try Data("text".utf8).write(to: URL(fileURLWithPath: folder + "/notes.jpg"))
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!), dataDirectory: dir.path) { received.add($0) }
        runner.perform(.job(ImagesScreen.self, .addFolder(folder)))
        #expect(message(received.all.last, ImagesScreen.self) == .folderAdded(path: folder, count: 5))
        runner.perform(.job(ImagesScreen.self, .readBatch))
        #expect(message(received.all.last, ImagesScreen.self) == .read(done: 5, remaining: 0))
        runner.perform(.job(ImagesScreen.self, .load(generation: 1, page: nil)))
        guard case .loaded(1, false, 5, let entries, let duplicates, let problems, 0, _)? = message(received.all.last, ImagesScreen.self) else {
            Issue.record("\(received.all)")
            return
        }
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
        #expect(duplicates[byName["a.png"]!.id]?.id == byName["a-small.png"]!.id, "the same picture at half the size")
        #expect(duplicates[byName["other.png"]!.id] == nil)
        #expect(byName["empty.png"]?.file.error == "the file is empty (0 bytes)")
        #expect(byName["notes.jpg"]?.file.error == "not an image (JPEG, PNG, GIF or WebP)")
        #expect(problems[byName["a.png"]!.id]?.contains(.smallPhoto(shortest: 600, advised: 2000)) == true)
        runner.perform(.job(ImagesScreen.self, .addFolder(dir.appendingPathComponent("missing").path)))
        guard case .folderRefused(let reason)? = message(received.all.last, ImagesScreen.self) else {
            Issue.record("\(received.all)")
            return
        }
        #expect(reason.contains("is not a folder"))
    }
}
