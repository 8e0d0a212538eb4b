import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// Enter on a Listings row edits that listing in the composer.
@Suite struct ListingsScreenTests {
    func store() throws -> (Store, URL) {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("listings-\(UUID().uuidString)")
        return (try Store(dataDirectory: dir), dir)
    }

    /// A listing a pull brought in opens with every field the shop has, in a draft of its own.
    @Test func enterOpensAPulledListingInTheComposer() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        var content = ListingDraft()
        (content.title, content.description, content.tags, content.priceCents, content.quantity) = ("Moon Phase Mug", "A mug.", ["moon mug"], 2400, 7)
        (content.whoMade, content.whenMade, content.taxonomyID) = (.iDid, "made_to_order", 1027)
        _ = try store.mergePulledListings(
            provider: .etsy,
            [
                RemoteListing(
                    providerListingID: "900000001", shopID: "1", title: "Moon Phase Mug", state: "active", priceCents: 2400, currency: "USD",
                    quantity: 7, views: 3, favorites: 1, updatedAt: fixedNow, content: content, raw: #"{"listing_id":900000001}"#)
            ], now: fixedNow)
        let p = Program(state: try makeState(screen: .listings)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        #expect(view(p.state).text().contains("enter edit"))
        p.send(.key(.enter))
        p.settle()
        let d = try #require(p.state.composer.editor?.draft)
        #expect(p.state.screen == .composer)
        #expect(d.title == "Moon Phase Mug" && d.description == "A mug." && d.tags == ["moon mug"] && d.priceCents == 2400)
        #expect(d.whenMade == "made_to_order" && d.taxonomyID == 1027 && d.quantity == 7)
        #expect(view(p.state).text().contains("Etsy: active"), "the listing's state on the shop")
        // Edited and saved but not queued: the first line says the edit has not gone out.
        var edited = d
        edited.title = "Moon Phase Mug, Edited"
        let draftID = try #require(d.id)
        edited.version = try store.draft(id: draftID)?.version
        try store.saveDraft(edited, now: fixedNow)
        let status = try #require(try store.providerStatus(draftID: draftID))
        #expect(status.listingState == "active" && status.editWaiting && status.itemState == nil)
        var shown = p.state
        shown.width = 180
        shown.composer.editor?.providerStatus = status
        #expect(view(shown).text().contains("Etsy: active · your edit is not sent yet (alt-e queues it)"))
        // Opened again: the same draft.
        p.send(.key(.char("q")))
        p.settle()
        p.send(.go(.listings))
        p.settle()
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.composer.editor?.draft.id == d.id)
    }

    /// A publishes, D takes down, d deletes after asking; each refusal says why.
    @Test func aListingIsPublishedTakenDownOrDeletedFromTheTable() throws {
        var s = try makeState(width: 140, screen: .listings)
        _ = startEffects(&s)
        let rows = sampleListings(page: 0, count: 2)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: s.listings.rows.generation, page: 0, rows: rows, total: 2)))
        #expect(view(s).text().contains("A publish") && view(s).text().contains("D take down"))
        #expect(press(&s, .char("A")) == [.job(ListingsScreen.self, .change(listingID: rows[0].id, .activateListing))])
        #expect(press(&s, .char("D")) == [.job(ListingsScreen.self, .change(listingID: rows[0].id, .deactivateListing))])
        #expect(press(&s, .char("d")).isEmpty && s.overlay == .confirmDeleteListing(id: rows[0].id, title: rows[0].title))
        #expect(view(s).text().contains("Delete this listing from the shop?"))
        #expect(press(&s, .char("n")).isEmpty && s.overlay == nil)
        press(&s, .char("d"))
        #expect(press(&s, .char("y")) == [.job(ListingsScreen.self, .change(listingID: rows[0].id, .deleteListing))])
        s.sync.available = true
        #expect(reduce(&s, .to(ListingsScreen.self, .changeQueued(.activateListing))) == [.sync])
        #expect(s.toast?.message == "Publishing is queued: it goes to the shop with the next sync")
        _ = reduce(&s, .to(ListingsScreen.self, .changeRefused(.needsPhoto)))
        #expect(s.toast?.isError == true && s.toast?.message.hasPrefix("Etsy publishes a listing only with a photo") == true)
        _ = reduce(&s, .to(ListingsScreen.self, .changeRefused(.already(state: "active"))))
        #expect(s.toast?.message == "It is active already")
    }

    /// Enter on a listing in conflict shows each field both sides changed, mine and the
    /// shop's side by side; each is chosen on its own, Enter settles.
    @Test func aConflictIsChosenFieldByFieldSideBySide() throws {
        var s = try makeState(width: 120, screen: .listings)
        _ = startEffects(&s)
        var rows = sampleListings(page: 0, count: 2)
        rows[0].hasConflict = true
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: s.listings.rows.generation, page: 0, rows: rows, total: 2)))
        #expect(press(&s, .enter) == [.job(ListingsScreen.self, .loadConflict(listingID: rows[0].id))])
        var mine = ListingDraft(id: 3)
        (mine.title, mine.priceCents) = ("Moon Mug, Mine", 2400)
        var theirs = ListingDraft()
        (theirs.title, theirs.priceCents) = ("Moon Mug, Theirs", 2600)
        var conflict = ListingConflict(
            listingID: rows[0].id, draftID: 3, localTitle: mine.title,
            remote: RemoteListing(
                providerListingID: "1", shopID: "1", title: theirs.title, state: "active", priceCents: 2600, currency: "USD", quantity: 1, views: 0,
                favorites: 0, updatedAt: fixedNow, content: theirs))
        (conflict.fields, conflict.mine) = ([.title, .price], mine)
        _ = reduce(&s, .to(ListingsScreen.self, .conflictLoaded(conflict)))
        let text = view(s).text()
        #expect(text.contains("Changed here and on Etsy: choose per field"))
        #expect(text.contains("● yours: Moon Mug, Mine") && text.contains("Etsy's: Moon Mug, Theirs") && text.contains("$26.00"))
        press(&s, .down, .char("t"))
        #expect(view(s).text().contains("● Etsy's: $26.00"))
        #expect(press(&s, .enter) == [.job(ListingsScreen.self, .settle(listingID: rows[0].id, takingTheirs: [.price]))])
        #expect(s.overlay == nil)
    }

    /// A listing pulled before its fields were kept is not opened half empty.
    @Test func aListingWithoutItsFieldsAsksForASync() throws {
        var s = try makeState(screen: .listings)
        _ = startEffects(&s)
        let rows = sampleListings(page: 0, count: 2)
        _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: s.listings.rows.generation, page: 0, rows: rows, total: 2)))
        #expect(press(&s, .enter) == [.job(ListingsScreen.self, .open(listingID: rows[0].id))])
        #expect(press(&s, .enter).isEmpty, "one at a time")
        _ = reduce(&s, .to(ListingsScreen.self, .opened(draftID: nil)))
        #expect(s.toast?.message == "This listing's fields are not here yet: sync (P), then open it again" && !s.composer.opening)
    }

    /// Space marks a row, V marks a range, E makes one change to all marked after a preview
    /// that shows each listing's change and refusals; Enter queues them, one update each.
    @Test func markedListingsGetOneChangeAfterAPreview() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let remote = (0..<4).map { i -> RemoteListing in
            var c = ListingDraft()
            (c.title, c.description, c.tags, c.priceCents, c.quantity) = ("Moon Mug \(i)", "A mug.", ["moon mug"], 2000, 5)
            (c.whoMade, c.whenMade, c.taxonomyID, c.shippingProfileID) = (.iDid, "made_to_order", 1027, 7)
            return RemoteListing(
                providerListingID: String(900 + i), shopID: "1", title: c.title, state: "active", priceCents: 2000, currency: "USD", quantity: 5,
                views: 0, favorites: 0, updatedAt: fixedNow, content: c)
        }
        _ = try store.mergePulledListings(provider: .etsy, remote, now: fixedNow)
        var state = try makeState(width: 120, screen: .listings)
        state.listings.sort = .title
        let p = Program(state: state) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        // Row 0 by space; rows 2–3 as a range; row 1 is left out.
        for key: Key in [.char(" "), .char("j"), .char("V"), .char("j"), .char("j"), .char("V")] {
            p.send(.key(key))
            p.settle()
        }
        #expect(p.state.listings.marked.count == 3)
        #expect(view(p.state).text().contains("3 marked") && view(p.state).text().contains("● Moon Mug 0"))
        p.send(.key(.char("E")))
        #expect(view(p.state).text().contains("Change 3 listings") && view(p.state).text().contains("Price by a percentage"))
        for key: Key in [.enter, .char("1"), .char("0"), .tab, .char(" ")] { p.send(.key(key)) }
        #expect(view(p.state).text().contains("[x] to the nearest .99"))
        p.send(.key(.enter))
        p.settle()
        guard case .bulkPreview(let preview)? = p.state.overlay else {
            Issue.record("no preview: \(String(describing: p.state.overlay))")
            return
        }
        #expect(preview.outcome.changed == 3, "\(preview.outcome)")
        let text = view(p.state).text()
        #expect(text.contains("3 to change · 0 refused · 0 unchanged") && text.contains("Price: $20.00 → $21.99"))
        #expect(try store.queueItems().isEmpty, "nothing queued before the seller confirms")
        p.send(.key(.enter))
        p.settle()
        let items = try store.queueItems()
        #expect(items.count == 3 && items.allSatisfy { $0.operation == .updateListing })
        #expect(p.state.listings.marked.isEmpty && p.state.toast?.message == "3 queued for the next sync, 0 refused")
        // A change the rules refuse is listed as refused and queues nothing. The reload after the
        // queueing kept the seller's place: the change goes to the selected row, where they were.
        p.send(.key(.char("E")))
        for key: Key in [.down, .down, .enter] { p.send(.key(key)) }
        for c in "a tag far longer than twenty" { p.send(.key(.char(c))) }
        p.send(.key(.enter))
        p.settle()
        #expect(view(p.state).text().contains("0 to change · 1 refused"))
        #expect(view(p.state).text().contains("✗ Moon Mug 3"))
        p.send(.key(.escape))
        #expect({ if case .bulkEdit? = p.state.overlay { true } else { false } }(), "Esc goes back to the change")
    }

    /// A new shipping profile is previewed by its name from the shop's list.
    @Test func theShippingProfileIsPreviewedByName() throws {
        var s = try makeState(width: 140, screen: .listings)
        var form = BulkEditForm(listingIDs: [1])
        (form.kind, form.editing) = (.shippingProfile, true)
        form.choices = [PickerItem(id: 777001, label: "Standard"), PickerItem(id: 777002, label: "Express")]
        var outcome = BulkOutcome()
        var row = BulkOutcome.Row(listingID: 1, title: "Moon Mug")
        row.changes = [FieldChange(field: .shippingProfileID, before: "777001", after: "777002")]
        outcome.rows = [row]
        s.overlay = .bulkPreview(BulkPreviewState(form: form, edit: .shippingProfile(777002), outcome: outcome))
        #expect(view(s).text().contains("Shipping profile id: Standard → Express"))
    }
}
