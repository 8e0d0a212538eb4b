import Foundation
import PODSync
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore
@testable import PODStore

/// A state with a new draft open in the composer (as if the store had answered).
func openEditor(width: Int = 120, height: Int = 40, language: String = "en", draft: ListingDraft? = nil) throws -> AppState {
    var s = try makeState(width: width, height: height, language: language, screen: .composer)
    _ = startEffects(&s)
    let effects = press(&s, .char("n"))
    guard case .createDraft(var d)? = job(effects.last, ComposerScreen.self) else {
        Issue.record("n did not create a draft: \(effects)")
        return s
    }
    d.id = 7
    _ = reduce(&s, .to(ComposerScreen.self, .draftOpened(draft ?? d)))
    return s
}

func complete(_ d: ListingDraft = ListingDraft(id: 7)) -> ListingDraft {
    var d = d
    d.niche = "cat lovers"
    d.keyword = "retro cat"
    d.productType = "mug"
    d.title = "Retro Cat Mug, Funny Cat Lover Gift"
    d.description = "A mug."
    d.tags = ["cat mug"]
    d.taxonomyID = 1052
    d.whoMade = .iDid
    d.whenMade = "made_to_order"
    d.shippingProfileID = 3
    d.priceCents = 1999
    d.quantity = 5
    return d
}

@Suite struct ComposerReducerTests {
    @Test func newDraftIsCreatedThenOpenedOnProduct() throws {
        var s = try makeState(screen: .dashboard)
        let effects = press(&s, .char("n"))
        #expect(s.screen == .composer && s.composer.opening)
        guard case .createDraft(let d)? = job(effects.last, ComposerScreen.self) else {
            Issue.record("no create")
            return
        }
        #expect(d.id == nil && d.language == "en" && d.quantity == 1 && d.currency == "USD")
        // A second n while the store answers does not make a second draft.
        #expect(
            !press(&s, .char("n")).contains {
                if case .createDraft? = job($0, ComposerScreen.self) { return true }
                return false
            })
        var opened = d
        opened.id = 3
        _ = reduce(&s, .to(ComposerScreen.self, .draftOpened(opened)))
        #expect(s.composer.editor?.step == .product && s.composer.editor?.field == .niche && !s.composer.opening)
        #expect(s.keyContext == "editor")
    }

    @Test func enterOnATrendComposesForItsKeyword() throws {
        var s = try loadedState(width: 120, height: 40, screen: .trends)
        press(&s, .char("j"))
        let keyword = try #require(s.trends.rows.selectedRow?.keyword)
        let effects = press(&s, .enter)
        #expect(s.screen == .composer)
        guard case .createDraft(let d)? = job(effects.last, ComposerScreen.self) else {
            Issue.record("\(effects)")
            return
        }
        #expect(d.keyword == keyword && d.niche == keyword && d.tags.first == keyword && d.tags.count >= 8)
        #expect(ListingRules.checkTags(d.tags).isEmpty)
    }

    @Test func typingEditsTheDraftAndTheAutosaveFollowsHalfASecondLater() throws {
        var s = try openEditor()
        _ = typeText(&s, "cat lovers")
        #expect(s.composer.editor?.draft.niche == "cat lovers")
        #expect(s.composer.editor?.dirty == true)
        let due = try #require(s.nextDeadline)
        #expect(due == fixedNow.addingTimeInterval(0.5))
        #expect(reduce(&s, .tick(fixedNow.addingTimeInterval(0.3))).isEmpty)
        let saves = reduce(&s, .tick(fixedNow.addingTimeInterval(0.6)))
        #expect(saves.count == 1)
        guard case .saveDraft(let saved)? = job(saves.first, ComposerScreen.self) else {
            Issue.record("no save")
            return
        }
        #expect(saved.niche == "cat lovers" && saved.id == 7)
        #expect(reduce(&s, .tick(fixedNow.addingTimeInterval(2))).isEmpty)
        #expect(s.nextDeadline == nil)
        _ = reduce(&s, .to(ComposerScreen.self, .draftSaved(id: 7, at: fixedNow.addingTimeInterval(0.7))))
        #expect(s.composer.editor?.savedAt == fixedNow.addingTimeInterval(0.7))
    }

    @Test func tabWalksFieldsAndStepsAndStepKeysJump() throws {
        var s = try openEditor()
        press(&s, .tab)
        #expect(s.composer.editor?.field == .keyword)
        press(&s, .backTab, .backTab)
        #expect(s.composer.editor?.field == .niche && s.composer.editor?.step == .product)
        for _ in 0..<7 { press(&s, .tab) }
        #expect(s.composer.editor?.step == .keywords)
        press(&s, .pageDown)
        #expect(s.composer.editor?.step == .title)
        press(&s, .alt("7"))
        #expect(s.composer.editor?.step == .review && s.composer.editor?.draft.step == 6)
        press(&s, .pageUp, .alt("1"))
        #expect(s.composer.editor?.step == .product)
    }

    @Test func choicesCycleWithArrows() throws {
        var s = try openEditor()
        press(&s, .tab, .tab, .tab)
        #expect(s.composer.editor?.field == .tone)
        press(&s, .right)
        #expect(s.composer.editor?.draft.tone == .playful)
        press(&s, .left, .left)
        #expect(s.composer.editor?.draft.tone == .minimal)
        press(&s, .tab, .tab)
        press(&s, .right)
        #expect(s.composer.editor?.draft.language == "es")
    }

    /// When made is chosen from Etsy's values, shown in the seller's language.
    @Test func whenMadeIsAChoiceOfEtsysValues() throws {
        var s = try openEditor()
        press(&s, .alt("6"))
        while s.composer.editor?.field != .whenMade { press(&s, .tab) }
        #expect(s.composer.editor?.draft.whenMade == "")
        press(&s, .right)
        #expect(s.composer.editor?.draft.whenMade == "made_to_order")
        #expect(view(s).text().contains("‹ Made to order ›"))
        press(&s, .left, .left)
        #expect(s.composer.editor?.draft.whenMade == "before_1700")
        // A value from elsewhere shows as it is, and the rules say what to do.
        s.composer.editor?.draft.whenMade = "2020_2024"
        #expect(view(s).text().contains("‹ 2020_2024 ›"))
        #expect(ListingRules.check(try #require(s.composer.editor?.draft)).contains { $0.code == "when_made" })
    }

    @Test func ctrlGFillsFromTheNicheAndRegenerates() throws {
        var s = try openEditor()
        _ = typeText(&s, "cat lovers")
        press(&s, .ctrl("g"))
        let d = try #require(s.composer.editor?.draft)
        #expect(!d.title.isEmpty && d.title.count <= 140 && ListingRules.checkTitle(d.title).isEmpty)
        #expect(d.tags.count >= 8 && !d.description.isEmpty && d.keyword == "cat lovers")
        #expect(s.composer.editor?.inputs[.title]?.text == d.title)
        press(&s, .alt("3"), .ctrl("g"))
        #expect(s.composer.editor?.draft.title != d.title)
        #expect(s.composer.editor?.draft.description == d.description)
    }

    @Test func rulesShowWhileTypingInTheUIsLanguage() throws {
        var s = try openEditor()
        press(&s, .alt("3"))
        _ = typeText(&s, "Cat mug $5 100% 100%")
        let text = view(s).text()
        #expect(text.contains("“$” is not allowed"))
        #expect(text.contains("“%” may appear only once"))
        var de = try openEditor(language: "de")
        press(&de, .alt("3"))
        _ = typeText(&de, "Tasse $")
        #expect(view(de).text().contains("„$“ ist nicht erlaubt"))
    }

    @Test func publishingIsRefusedWithEveryReasonThenQueued() throws {
        var s = try openEditor()
        #expect(press(&s, .alt("e")).isEmpty)
        guard case .message(_, let lines)? = s.overlay else {
            Issue.record("no refusal")
            return
        }
        #expect(lines.contains { $0.hasPrefix("Title: required") } && lines.contains { $0.hasPrefix("Price: required") })
        #expect(lines.count == ListingRules.check(s.composer.editor!.draft).count)
        press(&s, .escape)
        s.composer.editor = EditorState(draft: complete(), formats: s.formats)
        let effects = press(&s, .alt("p"))
        #expect(effects == [.job(ComposerScreen.self, .queueDraft(complete(), provider: .printify))])
        let after = reduce(&s, .to(ComposerScreen.self, .draftQueued(provider: .printify)))
        #expect(s.screen == .queue && s.composer.editor == nil && after.contains(QueueScreen.load))
    }

    @Test func suggestionsAddButNeverDuplicate() throws {
        let k = { (w: String) in KeywordTrend(keyword: w, region: "US", window: .days30, volume: 10, growth: 0.1, series: [], isDemo: false) }
        var s = try openEditor()
        press(&s, .alt("2"))
        _ = typeText(&s, "Cat Mug")
        _ = reduce(&s, .to(ComposerScreen.self, .suggestionsLoaded(text: "cat", [k("cat mug"), k("cat lover")])))
        press(&s, .alt("a"))
        #expect(s.composer.editor?.draft.keywords == ["Cat Mug"])
        #expect(s.toast?.isError == true)
        // Tags: what is already a tag is not offered; the rest adds.
        press(&s, .alt("5"))
        _ = typeText(&s, "Cat Mug")
        _ = reduce(&s, .to(ComposerScreen.self, .suggestionsLoaded(text: "cat", [k("cat mug"), k("cat lover")])))
        #expect(s.composer.editor?.suggestions.map(\.text) == ["cat lover"])
        press(&s, .alt("a"))
        #expect(s.composer.editor?.draft.tags == ["Cat Mug", "cat lover"])
        // Alt-K moves the tag under the cursor (the last one) earlier.
        press(&s, .alt("k"))
        #expect(s.composer.editor?.draft.tags == ["cat lover", "Cat Mug"])
    }

    @Test func everyExitSavesTheOpenDraft() throws {
        var s = try openEditor()
        _ = typeText(&s, "x")
        let draft = s.composer.editor!.draft
        #expect(press(&s, .ctrl("c")) == [.job(ComposerScreen.self, .saveDraft(draft)), .quit])
        var t = try openEditor()
        _ = typeText(&t, "y")
        let typed = t.composer.editor!.draft
        let closing = press(&t, .escape)
        #expect(closing.first == .job(ComposerScreen.self, .saveDraft(typed)) && typed.niche == "y")
        #expect(
            t.composer.editor == nil
                && closing.contains {
                    if case .loadDrafts? = job($0, ComposerScreen.self) { return true }
                    return false
                })
        // Nothing to save: quitting is just quitting.
        var u = try openEditor()
        #expect(press(&u, .ctrl("c")) == [.quit])
    }

    /// Saves carry the version the draft was read at and move the editor on; a save another
    /// terminal overtook shows the draft as it now is, with a visible conflict.
    @Test func savesCarryTheirVersionAndAConflictIsShown() throws {
        var opened = ListingDraft(id: 7)
        opened.version = 3
        var s = try openEditor(draft: opened)
        _ = typeText(&s, "mine")
        guard case .saveDraft(let sent)? = job(press(&s, .ctrl("c")).first, ComposerScreen.self) else {
            Issue.record("no save")
            return
        }
        #expect(sent.version == 3 && s.composer.editor?.draft.version == 4)
        var theirs = ListingDraft(id: 7)
        theirs.niche = "theirs"
        theirs.version = 5
        _ = reduce(&s, .to(ComposerScreen.self, .draftConflict(current: theirs)))
        #expect(s.composer.editor?.draft.niche == "theirs" && s.composer.editor?.draft.version == 5 && s.composer.editor?.dirty == false)
        #expect(view(s).text().contains("Another terminal saved this draft meanwhile"))
        // A conflict about another draft changes nothing here.
        var other = theirs
        other.id = 8
        other.niche = "other"
        _ = reduce(&s, .to(ComposerScreen.self, .draftConflict(current: other)))
        #expect(s.composer.editor?.draft.niche == "theirs")
    }

    @Test func f1OpensTheHelpFromAnyField() throws {
        var s = try openEditor()
        _ = typeText(&s, "?")
        #expect(s.composer.editor?.draft.niche == "?" && s.overlay == nil)
        press(&s, .function(1))
        guard case .help(let scroll)? = s.overlay else {
            Issue.record("no help")
            return
        }
        #expect(scroll > 0 && view(s).text().contains("In the composer") && view(s).text().contains("Save a revision"))
    }

    @Test func ctrlSSavesARevision() throws {
        var s = try openEditor()
        _ = typeText(&s, "cats")
        #expect(press(&s, .ctrl("s")) == [.job(ComposerScreen.self, .saveRevision(s.composer.editor!.draft))])
        #expect(s.composer.editor?.dirty == false)
    }

    @Test func pricesAreReadInTheLocalesWay() throws {
        let en = Formats(language: "en", currency: "USD", timeZone: .gmt)
        #expect(en.parseAmount("19.99") == 1999 && en.parseAmount("19,99") == 1999 && en.parseAmount("1 299,5") == 129950)
        #expect(en.parseAmount("20") == 2000 && en.parseAmount("1,299") == 129900 && en.parseAmount("abc") == nil && en.parseAmount("") == nil)
        #expect(en.plainAmount(cents: 1999) == "19.99" && en.plainAmount(cents: 5) == "0.05")
        let de = Formats(language: "de", currency: "EUR", timeZone: .gmt)
        #expect(de.plainAmount(cents: 1999) == "19,99")
        var s = try openEditor()
        press(&s, .alt("6"))
        while s.composer.editor?.field != .price { press(&s, .tab) }
        _ = typeText(&s, "12,50")
        #expect(s.composer.editor?.draft.priceCents == 1250)
    }

    @Test func draftsListDeletesAfterConfirmAndDuplicates() throws {
        var s = try makeState(screen: .composer)
        _ = startEffects(&s)
        let rows = (0..<3).map { DraftSummary(id: Int64($0 + 1), title: "Draft \($0)", state: "draft", updatedAt: fixedNow, isDemo: false) }
        _ = reduce(&s, .to(ComposerScreen.self, .draftsLoaded(generation: 0, page: 0, rows: rows, total: 3)))
        press(&s, .char("j"))
        #expect(press(&s, .char("d")).isEmpty)
        #expect(s.overlay == .confirmDeleteDraft(id: 2, title: "Draft 1"))
        #expect(press(&s, .char("n")).isEmpty && s.overlay == nil)
        press(&s, .char("d"))
        #expect(press(&s, .char("y")) == [.job(ComposerScreen.self, .deleteDraft(id: 2))])
        #expect(press(&s, .char("c")) == [.job(ComposerScreen.self, .duplicateDraft(id: 2))])
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .openDraft(id: 2))])
    }
}

@Suite struct ComposerScreenTests {
    @Test func editorSnapshots() throws {
        var s = try openEditor(width: 120, height: 40)
        _ = typeText(&s, "cat lovers")
        press(&s, .ctrl("g"))
        try assertSnapshot(view(s), named: "composer-product-120x40")
        press(&s, .alt("5"))
        try assertSnapshot(view(s), named: "composer-tags-120x40")
        press(&s, .alt("7"))
        try assertSnapshot(view(s), named: "composer-review-120x40")
        var small = try openEditor(width: 60, height: 20)
        press(&small, .alt("3"))
        _ = typeText(&small, "Cat $")
        try assertSnapshot(view(small), named: "composer-title-60x20")
        var empty = try makeState(width: 80, height: 24, screen: .composer)
        _ = startEffects(&empty)
        _ = reduce(&empty, .to(ComposerScreen.self, .draftsLoaded(generation: 0, page: 0, rows: [], total: 0)))
        try assertSnapshot(view(empty), named: "composer-empty-80x24")
    }

    @Test func everyStepInEveryLanguageHasNoRawKey() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for language in Localizer.supported {
            var s = try openEditor(width: 160, height: 50, language: language)
            _ = typeText(&s, "cat $ lovers")
            press(&s, .ctrl("g"))
            for step in 1...7 {
                press(&s, .alt(Character(String(step))))
                let text = view(s).text()
                for key in english.keys where text.contains(key) { Issue.record("\(language) step \(step): raw key \(key)") }
            }
            press(&s, .alt("e"))
            for key in english.keys where view(s).text().contains(key) { Issue.record("\(language) refusal: raw key \(key)") }
        }
    }
}

@Suite struct ImportExportPromptTests {
    @Test func thePaletteAsksForAPathThenImports() throws {
        var s = try makeState(screen: .composer)
        _ = reduce(&s, .run(.importListings))
        _ = typeText(&s, "drafts.txt")
        #expect(press(&s, .enter).isEmpty && s.toast?.isError == true)
        press(&s, .backspace, .backspace, .backspace)
        _ = typeText(&s, "csv")
        #expect(press(&s, .enter) == [.importListings(path: "drafts.csv", strings: s.strings)])
        #expect(s.overlay == nil)
        _ = reduce(&s, .listingsImported(path: "drafts.csv", ListingFiles.ImportReport(imported: 2, rejected: ["line 3: Title: required"])))
        guard case .message(let title, let lines)? = s.overlay else {
            Issue.record("no report")
            return
        }
        #expect(title == "1 rows rejected" && lines.contains("line 3: Title: required") && lines[0].contains("Imported 2 drafts"))
        _ = reduce(&s, .run(.exportDrafts))
        #expect(press(&s, .enter) == [.exportDrafts(path: "podpusher-drafts.csv")])
        press(&s, .char(":"))
        press(&s, .escape)
        _ = reduce(&s, .run(.exportDrafts))
        #expect(press(&s, .escape).isEmpty && s.overlay == nil)
    }
}

@Suite struct RevisionTests {
    @Test func ctrlOListsRevisionsAndEnterRestoresKeepingTheCurrentText() throws {
        var s = try openEditor()
        _ = typeText(&s, "now")
        #expect(press(&s, .ctrl("o")) == [.job(ComposerScreen.self, .loadRevisions(draftID: 7))])
        let older = RevisionInfo(id: 2, createdAt: fixedNow, note: "", title: "Older")
        let oldest = RevisionInfo(id: 1, createdAt: fixedNow, note: "", title: "Oldest")
        _ = reduce(&s, .to(ComposerScreen.self, .revisionsLoaded([older, oldest])))
        #expect(s.overlay == .revisions([older, oldest], selected: 0))
        #expect(view(s).text().contains("Oldest"))
        press(&s, .down)
        let current = s.composer.editor!.draft
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .saveRevision(current)), .job(ComposerScreen.self, .restoreRevision(id: 1))])
        var old = ListingDraft(id: 99)
        old.niche = "from the past"
        old.title = "Oldest"
        _ = reduce(&s, .to(ComposerScreen.self, .revisionRestored(old)))
        let e = try #require(s.composer.editor)
        #expect(e.draft.id == 7 && e.draft.niche == "from the past" && e.inputs[.niche]?.text == "from the past" && e.dirty)
    }
}

@Suite struct AICopywriterReducerTests {
    func aiEditor() throws -> AppState {
        var s = try openEditor()
        s.aiCopywriter = true
        return s
    }

    let copy = Copy(title: "Cat Mug From The Model", description: "Model text.", tags: ["model tag", "cat mug"])

    @Test func ctrlGAsksTheAIAndItsAnswerFillsTheStep() throws {
        var s = try aiEditor()
        press(&s, .alt("3"))
        let effects = press(&s, .ctrl("g"))
        let draft = try #require(s.composer.editor?.draft)
        #expect(effects == [.job(ComposerScreen.self, .writeCopy(request: 1, draft: draft))])
        #expect(view(s).text().contains("Writing with the AI copywriter… Esc cancels"))
        // A second Ctrl-G while waiting asks nothing more.
        #expect(press(&s, .ctrl("g")).isEmpty)
        let saved = reduce(&s, .to(ComposerScreen.self, .copyWritten(request: 1, copy)))
        #expect(s.composer.editor?.draft.title == "Cat Mug From The Model")
        #expect(s.composer.editor?.draft.description == "", "only the title step's field")
        #expect(s.composer.editor?.aiRequest == nil && s.composer.editor?.dirty == true)
        #expect(s.toast?.message == "Written by the AI copywriter (1 AI credit used)")
        #expect(
            saved.isEmpty
                || saved.allSatisfy {
                    if case .loadSuggestions? = job($0, ComposerScreen.self) { return true }
                    return false
                })
    }

    @Test func onProductTheAnswerFillsEverything() throws {
        var s = try aiEditor()
        _ = typeText(&s, "cat lovers")
        press(&s, .ctrl("g"))
        _ = reduce(&s, .to(ComposerScreen.self, .copyWritten(request: 1, copy)))
        let d = try #require(s.composer.editor?.draft)
        #expect(d.title == copy.title && d.description == copy.description && d.tags == copy.tags && d.keyword == "cat lovers")
    }

    @Test func escCancelsTheRequestBeforeClosingAndALateAnswerIsIgnored() throws {
        var s = try aiEditor()
        press(&s, .alt("3"))
        press(&s, .ctrl("g"))
        #expect(press(&s, .escape) == [.job(ComposerScreen.self, .cancelCopy(request: 1))])
        #expect(s.composer.editor != nil, "the editor stays open")
        #expect(s.toast?.message == "AI copywriter cancelled; nothing was changed")
        _ = reduce(&s, .to(ComposerScreen.self, .copyWritten(request: 1, copy)))
        #expect(s.composer.editor?.draft.title == "")
    }

    @Test func aFailureFallsBackToTheBuiltInCopywriterAndSaysWhy() throws {
        var s = try aiEditor()
        _ = typeText(&s, "cat lovers")
        press(&s, .alt("3"), .ctrl("g"))
        _ = reduce(&s, .to(ComposerScreen.self, .copyFailed(request: 1, .provider("the request timed out"))))
        let title = try #require(s.composer.editor?.draft.title)
        #expect(!title.isEmpty && ListingRules.checkTitle(title).isEmpty)
        #expect(s.toast?.isError == true)
        #expect(s.toast?.message == "AI copywriter: the request timed out. The built-in copywriter wrote this instead")
        press(&s, .ctrl("g"))
        let resets = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 UTC
        _ = reduce(&s, .to(ComposerScreen.self, .copyFailed(request: 2, .quota(used: 50, limit: 50, resetsAt: resets))))
        #expect(s.toast?.message.contains("this month's AI credits are used up (50 of 50); they renew on Dec 1, 2026") == true)
    }
}

/// A transport that answers from a closure (the effect's accounting is under test, not HTTP).
struct StubTransport: HTTPTransport {
    let answer: @Sendable (HTTPRequest) throws(HTTPError) -> HTTPResponse
    func send(_ request: HTTPRequest, cancel: CancelFlag?) throws(HTTPError) -> HTTPResponse { try answer(request) }
}

@Suite struct AICopywriterEffectTests {
    func runner(plan: PlanTier, _ answer: @escaping @Sendable (HTTPRequest) throws(HTTPError) -> HTTPResponse) throws -> (EffectRunner, Store, Received) {
        let store = try Store(dataDirectory: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ai-\(UUID().uuidString)"))
        let writer = OpenAICopywriter(settings: OpenAISettings(["model": "m"])!, apiKey: "k", transport: StubTransport(answer: answer))
        let received = Received()
        let runner = EffectRunner(
            store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!),
            ai: AIWriter(copywriter: writer, plan: plan)
        ) { received.add($0) }
        return (runner, store, received)
    }

    static let reply = HTTPResponse(
        status: 200, body: Data(#"{"choices":[{"message":{"content":"{\"title\":\"T\",\"description\":\"D\",\"tags\":[\"a\"]}"}}]}"#.utf8))

    @Test func eachAnswerCostsOneCreditAndAFailureCostsNone() throws {
        let (ok, store, received) = try runner(plan: .free) { _ in Self.reply }
        ok.perform(.job(ComposerScreen.self, .writeCopy(request: 1, draft: ListingDraft(id: 3))))
        #expect(received.all == [.to(ComposerScreen.self, .copyWritten(request: 1, Copy(title: "T", description: "D", tags: ["a"])))])
        #expect(try store.usage(since: .distantPast)["ai_credits"] == 1)

        let (failing, failingStore, failed) = try runner(plan: .free) { _ throws(HTTPError) in throw .timedOut }
        failing.perform(.job(ComposerScreen.self, .writeCopy(request: 2, draft: ListingDraft())))
        #expect(failed.all == [.to(ComposerScreen.self, .copyFailed(request: 2, .provider("the request timed out")))])
        #expect(try failingStore.usage(since: .distantPast)["ai_credits"] == nil)
    }

    @Test func overTheQuotaNothingIsSentAndTheResetIsTheNextMonthInTheUsersZone() throws {
        let (runner, store, received) = try runner(plan: .free) { _ in
            Issue.record("no request may be sent over quota")
            return Self.reply
        }
        let utc = Formats.calendar(in: TimeZone(identifier: "UTC")!)
        for _ in 0..<50 { _ = try store.consume(.aiCredits, plan: .free, reason: "test", subject: nil, now: Date(), calendar: utc) }
        runner.perform(.job(ComposerScreen.self, .writeCopy(request: 1, draft: ListingDraft())))
        guard case .copyFailed(1, .quota(let used, let limit, let resets))? = message(received.all.first, ComposerScreen.self) else {
            Issue.record("\(received.all)")
            return
        }
        #expect(used == 50 && limit == 50)
        #expect(resets == utc.dateInterval(of: .month, for: Date())!.end)
        #expect(try store.usage(since: .distantPast)["ai_credits"] == 50)
    }
}

@Suite struct PickerTests {
    @Test func theCategoryIsChosenFromTheStoredTaxonomyBySearching() throws {
        var s = try openEditor()
        press(&s, .alt("6"), .tab, .tab, .tab, .tab, .tab)
        #expect(s.composer.editor?.field == .taxonomyID)
        #expect(view(s).text().contains("Enter: choose from your shop's list"))
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .loadPicker(.taxonomy, query: ""))])
        _ = reduce(&s, .to(ComposerScreen.self, .pickerLoaded(.taxonomy, query: "", [])))
        #expect(view(s).text().contains("Nothing stored yet"))
        #expect(
            typeText(&s, "mug") == [
                .job(ComposerScreen.self, .loadPicker(.taxonomy, query: "m")), .job(ComposerScreen.self, .loadPicker(.taxonomy, query: "mu")),
                .job(ComposerScreen.self, .loadPicker(.taxonomy, query: "mug")),
            ])
        let items = [PickerItem(id: 1027, label: "Home & Living › Mugs"), PickerItem(id: 1028, label: "Home & Living › Travel Mugs")]
        _ = reduce(&s, .to(ComposerScreen.self, .pickerLoaded(.taxonomy, query: "mu", [items[0]])))  // an older answer: ignored
        guard case .picker(let stale)? = s.overlay else {
            Issue.record("closed")
            return
        }
        #expect(stale.items.isEmpty)
        _ = reduce(&s, .to(ComposerScreen.self, .pickerLoaded(.taxonomy, query: "mug", items)))
        #expect(view(s).text().contains("Home & Living › Travel Mugs  #1028"))
        press(&s, .down, .enter)
        #expect(s.overlay == nil)
        #expect(s.composer.editor?.draft.taxonomyID == 1028)
        #expect(view(s).text().contains("Home & Living › Travel Mugs"))
        // Typing another id drops the name that no longer fits.
        press(&s, .backspace)
        #expect(s.composer.editor?.labels[.taxonomyID] == nil)
    }

    @Test func anOpenedDraftAsksForItsNamesAndTheStoreAnswers() throws {
        var d = complete()
        d.taxonomyID = 1027
        d.shippingProfileID = 777001
        d.shopSectionID = 31001
        d.returnPolicyID = 41001
        var s = try makeState(width: 140, language: "de", screen: .composer)
        let ids: [EditorField: Int] = [.taxonomyID: 1027, .shippingProfileID: 777001, .shopSectionID: 31001, .returnPolicyID: 41001]
        #expect(reduce(&s, .to(ComposerScreen.self, .draftOpened(d))).contains(.job(ComposerScreen.self, .loadFieldLabels(ids))))

        let store = try Store(dataDirectory: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("picker-\(UUID().uuidString)"))
        try store.replaceTaxonomy(
            provider: .etsy,
            nodes: [
                TaxonomyNode(id: 2, parentID: nil, name: "Home & Living", path: "Home & Living", isLeaf: false),
                TaxonomyNode(id: 1027, parentID: 2, name: "Mugs", path: "Home & Living › Mugs", isLeaf: true),
            ])
        try store.replaceShippingProfiles(provider: .etsy, shopID: "1", profiles: [ShippingProfile(id: 777001, title: "Standard")], now: Date())
        try store.replaceShopChoices(provider: .etsy, .section, [ShopChoice(id: 31001, title: "Tassen"), ShopChoice(id: 31002, title: "Shirts")])
        try store.replaceShopChoices(provider: .etsy, .returnPolicy, [ShopChoice(id: 41001, title: "1,1,30"), ShopChoice(id: 41002, title: "0,0,")])
        let received = Received()
        let runner = EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!)) { received.add($0) }
        runner.perform(.job(ComposerScreen.self, .loadFieldLabels(ids)))
        runner.perform(.job(ComposerScreen.self, .loadPicker(.taxonomy, query: "MUG")))
        runner.perform(.job(ComposerScreen.self, .loadPicker(.shippingProfile, query: "")))
        runner.perform(.job(ComposerScreen.self, .loadPicker(.shopSection, query: "tas")))
        #expect(
            received.all == [
                .to(
                    ComposerScreen.self,
                    .fieldLabelsLoaded([
                        .taxonomyID: "Home & Living › Mugs", .shippingProfileID: "Standard", .shopSectionID: "Tassen", .returnPolicyID: "1,1,30",
                    ])),
                .to(ComposerScreen.self, .pickerLoaded(.taxonomy, query: "MUG", [PickerItem(id: 1027, label: "Home & Living › Mugs")])),
                .to(ComposerScreen.self, .pickerLoaded(.shippingProfile, query: "", [PickerItem(id: 777001, label: "Standard")])),
                .to(ComposerScreen.self, .pickerLoaded(.shopSection, query: "tas", [PickerItem(id: 31001, label: "Tassen")])),
            ])
        _ = reduce(&s, received.all[0])
        press(&s, .alt("6"))
        let text = view(s).text()
        #expect(text.contains("Home & Living › Mugs") && text.contains("Standard") && text.contains("Tassen"))
        #expect(text.contains("Rückgabe · Umtausch · innerhalb"), "a return policy in the seller's words")
        #expect(ComposerScreen.shopChoiceText(s, .returnPolicy, "1,1,30") == "Rückgabe · Umtausch · innerhalb von 30 Tagen")
        #expect(ComposerScreen.shopChoiceText(s, .returnPolicy, "0,0,") == "keine Rückgabe, kein Umtausch")
        // Enter on the section field opens the shop's sections.
        while s.composer.editor?.field != .shopSectionID { press(&s, .tab) }
        #expect(press(&s, .enter) == [.job(ComposerScreen.self, .loadPicker(.shopSection, query: ""))])
    }
}
