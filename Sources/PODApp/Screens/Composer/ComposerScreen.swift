import Foundation
import PODCore
import PODStore
import TerminalUI

extension EditorState {
    /// Autosave waits this long after the last change (then at most this much typing is at risk).
    static let autosaveDelay: TimeInterval = 0.5

    public var autosaveDue: Date? { dirty ? editedAt?.addingTimeInterval(Self.autosaveDelay) : nil }
}

/// The composer: the drafts list (new, open, duplicate, delete, filter, sort) and the
/// seven-step editor with live rules, SEO score, copywriter, autosave and revisions.
enum ComposerScreen: ScreenModule {
    static let id = ScreenID.composer
    static let initialState = ComposerState()
    static let commands: [Command] = [.newDraft, .select, .duplicate, .delete, .socialPosts, .filter, .sort, .reverseSort]
    static let hints: [Command] = [.newDraft, .select, .filter, .duplicate, .delete]

    static func enter(_ s: inout AppState) -> [Effect] { pageLoads(&s) }

    static func pageLoads(_ s: inout AppState) -> [Effect] { s.composer.editor == nil ? draftLoads(&s) : [] }

    static func forget(_ s: inout AppState) { s.composer.drafts.rows.reset() }

    /// The editor takes every key while a draft is open; the filter line while it is open.
    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? {
        if s.composer.editor != nil { return handleEditorKey(&s, key) }
        return filterLineKey(&s, \.composer.drafts, key)
    }

    // MARK: The drafts list

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if let effects = tableCommand(&s, \.composer.drafts, command) { return effects }
        let selected = s.composer.drafts.rows.selectedRow
        switch command {
        case .select:
            guard let d = selected, !s.composer.opening else { return [] }
            s.composer.opening = true
            return [.job(ComposerScreen.self, .openDraft(id: d.id))]
        case .delete:
            if let d = selected { s.overlay = .confirmDeleteDraft(id: d.id, title: d.title) }
        case .duplicate:
            if let d = selected { return [.job(ComposerScreen.self, .duplicateDraft(id: d.id))] }
        case .newDraft:
            return newDraft(&s)
        case .socialPosts:
            if let d = selected { return PostsScreen.show(&s, .draft(d.id)) }
        default: break
        }
        return []
    }

    /// `n` anywhere: a new draft in the listing language of the interface, opened on Product.
    /// A new draft; from a keyword (a trend row), with it as keyword and niche and the tags the
    /// copywriter draws from it.
    /// Opens a new draft, pre-filled from `seed` (a research screen's niche, keyword,
    /// keywords, holiday); tags are written from them when the seed has none.
    static func newDraft(_ s: inout AppState, seed: ListingDraft = ListingDraft()) -> [Effect] {
        guard !s.composer.opening else { return [] }
        var d = seed
        d.language = listingLanguages.contains(s.strings.language) ? s.strings.language : "en"
        d.currency = s.formats.currency
        d.quantity = 1
        if d.niche.isEmpty { d.niche = d.keyword }
        if !d.keyword.isEmpty, d.tags.isEmpty {
            d.tags = Copywriter.write(d).tags
        }
        s.composer.opening = true
        // Typing goes to the draft: the focus leaves the sidebar with it.
        s.focus = .content
        return go(&s, .composer) + [.job(ComposerScreen.self, .createDraft(d))]
    }

    /// The selection kept in view (the height may have changed), then the pages on screen.
    static func draftLoads(_ s: inout AppState) -> [Effect] {
        s.composer.drafts.rows.table.select(s.composer.drafts.rows.table.selected, visibleRows: s.tableRows)
        let d = s.composer.drafts
        return s.composer.drafts.rows.pagesToLoad(height: s.tableRows).map {
            .job(Self.self, .loadDrafts(generation: d.rows.generation, page: $0, sort: d.sort, filter: d.filter.text, withCount: !d.rows.countKnown))
        }
    }

    static func opened(_ s: inout AppState, _ draft: ListingDraft) -> [Effect] {
        s.composer.opening = false
        s.composer.editor = EditorState(draft: draft, formats: s.formats)
        s.screen = .composer
        let ids = EditorField.allCases.reduce(into: [EditorField: Int]()) { ids, field in
            if field.pickerPurpose != nil, let id = Int(EditorState.text(of: field, in: draft, formats: s.formats)) { ids[field] = id }
        }
        let labels: [Effect] = ids.isEmpty ? [] : [.job(ComposerScreen.self, .loadFieldLabels(ids))]
        return suggestionLoads(&s) + labels
    }

    // MARK: The editor

    static func handleEditorKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        if s.keymap.command(for: key, context: "editor") == Command.editorClose.rawValue {
            // Esc first cancels an AI request under way, then closes.
            if let request = s.composer.editor?.aiRequest {
                s.composer.editor?.aiRequest = nil
                toast(&s, s.strings.t("composer.ai_cancelled"))
                return [.job(ComposerScreen.self, .cancelCopy(request: request))]
            }
            return close(&s)
        }
        guard var e = s.composer.editor else { return [] }
        defer { s.composer.editor = e }
        let fm = s.formats
        if let name = s.keymap.command(for: key, context: "editor"), let command = Command(rawValue: name) {
            // ↑/↓ move in a suggestion list where there is one; elsewhere they are the text's.
            let hasSuggestions = !e.suggestions.isEmpty
            if !([.editorSuggestionUp, .editorSuggestionDown, .editorAddSuggestion].contains(command) && !hasSuggestions) {
                return editorCommand(&s, &e, command)
            }
        }
        let command = s.keymap.command(for: key).flatMap(Command.init(rawValue:))
        if e.step == .review {
            switch command {
            case .down?: e.reviewScroll += 1
            case .up?: e.reviewScroll = max(0, e.reviewScroll - 1)
            default: break
            }
            return []
        }
        guard let field = e.field else { return [] }
        if let choices = field.choices {
            let i = choices.firstIndex(of: e.choice(field)) ?? 0
            switch command {
            case .left?: e.setChoice(field, choices[(i + choices.count - 1) % choices.count])
            case .right?: e.setChoice(field, choices[(i + 1) % choices.count])
            case .select?: return editorCommand(&s, &e, .editorNextField)
            default: return []
            }
            return changed(&s, &e)
        }
        if field == .description {
            guard editTextArea(&e.description, key, keymap: s.keymap) else { return [] }
            e.commit(.description, formats: fm)
            return changed(&s, &e)
        }
        let typed = dialogCommand(s, key, typing: true)
        if field == .variations || field == .product {
            // The grid and the product are edited in their own views; typing here does nothing.
            return typed != .select ? [] : field == .variations ? openVariations(&s, e) : openProduct(&s, e)
        }
        if field == .images, typed == .select, !e.draft.imageList.isEmpty { return openPhotos(&s, e) }
        if typed == .select, let purpose = field.pickerPurpose {
            let picker = PickerState(purpose: purpose)
            s.overlay = .picker(picker)
            return [.job(ComposerScreen.self, .loadPicker(picker.purpose, query: ""))]
        }
        if typed == .select { return editorCommand(&s, &e, .editorNextField) }
        guard let edit = TextFieldState.edit(for: key, keymap: s.keymap), var input = e.inputs[field] else { return [] }
        let before = input.text
        input.apply(edit)
        e.inputs[field] = input
        guard input.text != before else { return [] }
        e.commit(field, formats: fm)
        // The suggestions follow the primary keyword as it is typed (for the keyword set and
        // tags they depend on the keyword or niche, not on what is typed there).
        return changed(&s, &e) + (field == .keyword ? suggestionLoads(s, e) : [])
    }

    /// After any change to the draft: mark it for the autosave.
    static func changed(_ s: inout AppState, _ e: inout EditorState) -> [Effect] {
        e.dirty = true
        e.editedAt = s.now
        return []
    }

    static func editorCommand(_ s: inout AppState, _ e: inout EditorState, _ command: Command) -> [Effect] {
        let fm = s.formats
        switch command {
        case .editorNextField:
            if e.fieldIndex + 1 < e.step.fields.count { e.fieldIndex += 1 } else { return moveStep(&s, &e, by: 1) }
        case .editorPreviousField:
            if e.fieldIndex > 0 {
                e.fieldIndex -= 1
            } else if e.step != .product {
                let effects = moveStep(&s, &e, by: -1)
                e.fieldIndex = max(0, e.step.fields.count - 1)
                return effects
            }
        case .editorNextStep: return moveStep(&s, &e, by: 1)
        case .editorPreviousStep: return moveStep(&s, &e, by: -1)
        case .editorStep1, .editorStep2, .editorStep3, .editorStep4, .editorStep5, .editorStep6, .editorStep7:
            let n = Int(command.rawValue.suffix(1))! - 1
            return moveStep(&s, &e, by: n - e.step.rawValue)
        case .editorSave:
            e.dirty = false
            return [save(&e, revision: true)]
        case .editorHelp:
            // Opened at the composer's own keys.
            let title = s.strings.t("keys.group.editor")
            s.overlay = .help(scroll: helpLines(s).firstIndex { $0.contains(title) } ?? 0)
        case .editorPosts:
            // Saved first: the posts are written from the draft as it is now.
            guard let id = e.draft.id else {
                toast(&s, s.strings.t("posts.save_first"), isError: true)
                return []
            }
            let saving = e.dirty ? [save(&e)] : []
            e.dirty = false
            return saving + PostsScreen.show(&s, .draft(id))
        case .editorRevisions:
            guard let id = e.draft.id else { return [] }
            return [.job(ComposerScreen.self, .loadRevisions(draftID: id))]
        case .editorGenerate:
            if s.aiCopywriter {
                guard e.aiRequest == nil else { return [] }
                s.composer.copyRequests += 1
                e.aiRequest = s.composer.copyRequests
                return [.job(ComposerScreen.self, .writeCopy(request: s.composer.copyRequests, draft: e.draft))]
            }
            generate(&e, formats: fm)
            return changed(&s, &e)
        case .editorQueueEtsy, .editorQueuePrintify:
            let issues = ListingRules.check(e.draft)
            if !issues.isEmpty {
                s.overlay = .message(title: s.strings.t("composer.publish_refused"), lines: issues.map { issueText(s, $0) })
                return []
            }
            e.dirty = false
            let queued = Effect.job(Self.self, .queueDraft(e.draft, provider: command == .editorQueueEtsy ? .etsy : .printify))
            _ = save(&e)
            return [queued]
        case .editorSuggestionUp: e.suggestionIndex = max(0, e.suggestionIndex - 1)
        case .editorSuggestionDown: e.suggestionIndex = min(e.suggestions.count - 1, e.suggestionIndex + 1)
        case .editorAddSuggestion:
            let list = e.suggestions
            guard e.suggestionIndex < list.count else { return [] }
            let word = list[e.suggestionIndex].text
            return addSuggestion(&s, &e, word)
        case .editorTagEarlier, .editorTagLater:
            guard let field = e.field, field.isList, var input = e.inputs[field] else { return [] }
            var items = splitList(input.text)
            let at = itemIndex(atCursor: input)
            let to = at + (command == .editorTagEarlier ? -1 : 1)
            guard at < items.count, to >= 0, to < items.count else { return [] }
            items.swapAt(at, to)
            input.apply(.set(items.joined(separator: ", ")))
            e.inputs[field] = input
            e.commit(field, formats: fm)
            return changed(&s, &e)
        default:
            break
        }
        return []
    }

    /// The index of the comma-separated item the cursor is in.
    static func itemIndex(atCursor input: TextFieldState) -> Int {
        let before = String(input.text.prefix(input.cursor))
        return splitList(before + "x").count - 1
    }

    static func moveStep(_ s: inout AppState, _ e: inout EditorState, by delta: Int) -> [Effect] {
        let target = ComposerStep(rawValue: min(ComposerStep.allCases.count - 1, max(0, e.step.rawValue + delta))) ?? e.step
        guard target != e.step else { return [] }
        e.step = target
        e.fieldIndex = 0
        e.suggestionIndex = 0
        e.reviewScroll = 0
        e.draft.step = target.rawValue
        e.dirty = true
        e.editedAt = s.now
        return suggestionLoads(s, e)
    }

    static func addSuggestion(_ s: inout AppState, _ e: inout EditorState, _ word: String) -> [Effect] {
        let field: EditorField = e.field == .keyword ? .keyword : (e.field == .keywords ? .keywords : .tags)
        if field == .keyword {
            e.set(.keyword, word, formats: s.formats)
            return changed(&s, &e)
        }
        var items = splitList(e.inputs[field]?.text ?? "")
        if items.contains(where: { $0.lowercased() == word.lowercased() }) {
            toast(&s, s.strings.t("composer.duplicate", ["value": word]), isError: true)
            return []
        }
        if field == .tags, items.count >= ListingRules.tagsMax {
            toast(
                &s, s.strings.t("rule.too_many", ["field": s.strings.t("field.tags"), "max": "\(ListingRules.tagsMax)", "count": "\(items.count + 1)"]),
                isError: true)
            return []
        }
        items.append(word)
        e.set(field, items.joined(separator: ", "), formats: s.formats)
        e.suggestionIndex = max(0, min(e.suggestionIndex, e.suggestions.count - 1))
        return changed(&s, &e)
    }

    /// Keys in the picker: type to search, ↑/↓ to move, Enter to choose, Esc to leave.
    static func handlePicker(_ s: inout AppState, _ p: PickerState, _ key: Key) -> [Effect] {
        var p = p
        switch dialogCommand(s, key, typing: true) {
        case .back?:
            s.overlay = nil
        case .listPrevious?: p.selected = max(0, p.selected - 1)
        case .listNext?: p.selected = min(max(0, p.items.count - 1), p.selected + 1)
        case .select?:
            s.overlay = nil
            guard let item = p.items.element(at: p.selected) else { return [] }
            if p.purpose == .timeZone { return SettingsScreen.chooseTimeZone(&s, item.label) }
            guard var e = s.composer.editor else { return [] }
            e.set(p.field, String(item.id), formats: s.formats)
            e.labels[p.field] = item.label
            defer { s.composer.editor = e }
            return changed(&s, &e)
        default:
            guard let edit = TextFieldState.edit(for: key, keymap: s.keymap) else { return [] }
            let before = p.query.text
            p.query.apply(edit)
            guard p.query.text != before else { break }
            p.selected = 0
            s.overlay = .picker(p)
            return [.job(ComposerScreen.self, .loadPicker(p.purpose, query: p.query.text))]
        }
        if s.overlay != nil { s.overlay = .picker(p) }
        return []
    }

    /// The AI copywriter's answer: it fills what Ctrl-G asked for, like the built-in one does.
    static func copyWritten(_ s: inout AppState, request: Int, _ copy: Copy) -> [Effect] {
        guard var e = s.composer.editor, e.aiRequest == request else { return [] }
        e.aiRequest = nil
        apply(copy, to: &e, formats: s.formats)
        toast(&s, s.strings.t("composer.ai_done"))
        defer { s.composer.editor = e }
        return changed(&s, &e)
    }

    /// The AI copywriter failed: the built-in copywriter writes instead, and the toast says why.
    static func copyFailed(_ s: inout AppState, request: Int, _ failure: CopyFailure) -> [Effect] {
        guard var e = s.composer.editor, e.aiRequest == request else { return [] }
        e.aiRequest = nil
        generate(&e, formats: s.formats)
        let reason: String
        switch failure {
        case .quota(let used, let limit, let resetsAt):
            reason = s.strings.t("composer.ai_quota", ["used": s.formats.integer(used), "limit": s.formats.integer(limit), "date": s.formats.date(resetsAt)])
        case .provider(let message):
            reason = message
        }
        toast(&s, s.strings.t("composer.ai_failed", ["reason": reason]), isError: true)
        defer { s.composer.editor = e }
        return changed(&s, &e)
    }

    /// Puts copy where Ctrl-G was pressed: the title, the description or the tags on their
    /// steps; everything (and the keyword set, when empty) elsewhere.
    static func apply(_ copy: Copy, to e: inout EditorState, formats: Formats) {
        switch e.step {
        case .title: e.set(.title, copy.title, formats: formats)
        case .description: e.set(.description, copy.description, formats: formats)
        case .tags: e.set(.tags, copy.tags.joined(separator: ", "), formats: formats)
        default:
            if e.draft.keyword.isEmpty { e.set(.keyword, e.draft.niche, formats: formats) }
            if e.draft.keywords.isEmpty { e.set(.keywords, Array(copy.tags.prefix(5)).joined(separator: ", "), formats: formats) }
            e.set(.title, copy.title, formats: formats)
            e.set(.description, copy.description, formats: formats)
            e.set(.tags, copy.tags.joined(separator: ", "), formats: formats)
        }
    }

    /// Ctrl-G: on Product, auto-fill everything from the niche; on Title, Description or Tags,
    /// regenerate that part (the next variant each time).
    static func generate(_ e: inout EditorState, formats: Formats) {
        switch e.step {
        case .title, .description, .tags:
            e.variant += 1
            let copy = Copywriter.write(e.draft, variant: e.variant)
            switch e.step {
            case .title: e.set(.title, copy.title, formats: formats)
            case .description: e.set(.description, copy.description, formats: formats)
            default:
                var tagsOnly = e.draft
                tagsOnly.tags = []
                e.set(.tags, Copywriter.write(tagsOnly, variant: e.variant).tags.joined(separator: ", "), formats: formats)
            }
        default:
            if e.draft.keyword.isEmpty { e.set(.keyword, e.draft.niche, formats: formats) }
            apply(Copywriter.write(e.draft, variant: e.variant), to: &e, formats: formats)
        }
    }

    /// Suggestions for the field the keyboard is in, from the store's trend signals.
    static func suggestionLoads(_ s: AppState, _ e: EditorState) -> [Effect] {
        switch e.field {
        case .keyword?: return [.job(ComposerScreen.self, .loadSuggestions(text: e.draft.keyword.isEmpty ? e.draft.niche : e.draft.keyword, region: s.region))]
        case .keywords?, .tags?:
            let words = [e.draft.keyword, e.draft.niche].first { !$0.isEmpty } ?? ""
            return [.job(ComposerScreen.self, .loadSuggestions(text: words.split(separator: " ").first.map(String.init) ?? "", region: s.region))]
        default: return []
        }
    }

    static func suggestionLoads(_ s: inout AppState) -> [Effect] {
        guard let e = s.composer.editor else { return [] }
        return suggestionLoads(s, e)
    }

    /// A revision's content replaces the open draft's (same id, same step); the autosave
    /// then keeps it, and the revision list still has what was there before if it was saved.
    static func restore(_ s: inout AppState, _ revision: ListingDraft) {
        guard let e = s.composer.editor else { return }
        var d = revision
        d.id = e.draft.id
        d.step = e.step.rawValue
        d.isDemo = e.draft.isDemo
        d.version = e.draft.version
        var restored = EditorState(draft: d, formats: s.formats)
        restored.fieldIndex = min(e.fieldIndex, max(0, restored.step.fields.count - 1))
        restored.dirty = true
        restored.editedAt = s.now
        s.composer.editor = restored
        toast(&s, s.strings.t("toast.revision_restored"))
    }

    /// Esc: save what is unsaved and go back to the drafts list.
    static func close(_ s: inout AppState) -> [Effect] {
        guard var e = s.composer.editor else { return [] }
        s.composer.editor = nil
        s.composer.drafts.rows.reset()
        return (e.dirty ? [save(&e)] : []) + draftLoads(&s)
    }

    /// The autosave: once the delay after the last change has passed.
    static func tick(_ s: inout AppState) -> [Effect] {
        guard var e = s.composer.editor, let due = e.autosaveDue, due <= s.now else { return [] }
        e.dirty = false
        let effect = save(&e)
        s.composer.editor = e
        return [effect]
    }

    /// Every exit path (quit, Ctrl-C, SIGTERM, SIGHUP) saves the open draft first.
    static func flush(_ s: inout AppState) -> [Effect] {
        guard var e = s.composer.editor, e.dirty else { return [] }
        e.dirty = false
        let effect = save(&e)
        s.composer.editor = e
        return [effect]
    }

    /// A save of the open draft. It carries the version the draft was read at; the editor moves
    /// on to the version that save makes (the one writer runs saves in order, so the next one
    /// builds on it). A save another terminal overtook comes back as `draftConflict`.
    static func save(_ e: inout EditorState, revision: Bool = false) -> Effect {
        let effect = Effect.job(Self.self, revision ? .saveRevision(e.draft) : .saveDraft(e.draft))
        if e.draft.id != nil, let v = e.draft.version { e.draft.version = v + 1 }
        return effect
    }

    /// Another terminal saved the draft first: the editor shows the draft as it now is, and
    /// what was typed here is kept as a revision (the revisions list restores it).
    static func conflict(_ s: inout AppState, current: ListingDraft) {
        guard let e = s.composer.editor, e.draft.id == current.id else { return }
        var d = current
        d.step = e.step.rawValue
        var shown = EditorState(draft: d, formats: s.formats)
        shown.fieldIndex = min(e.fieldIndex, max(0, shown.step.fields.count - 1))
        s.composer.editor = shown
        toast(&s, s.strings.t("toast.draft_conflict"), isError: true)
    }

    static func issueText(_ s: AppState, _ issue: RuleIssue) -> String { s.strings.message(for: issue) }
}
