import Foundation
import GRDB
import PODCore
import Testing

@testable import PODStore

@Suite struct DraftStoreTests {
    func fullDraft() -> ListingDraft {
        var d = ListingDraft()
        d.niche = "cat lovers"
        d.keyword = "retro cat"
        d.productType = "mug"
        d.tone = .playful
        d.audience = "cat moms"
        d.language = "fr"
        d.brandRules = "No puns."
        d.keywords = ["retro cat", "cat mug"]
        d.title = "Retro Cat Mug"
        d.description = "Line one\n\nLine two"
        d.tags = ["cat mug", "retro cat"]
        d.materials = ["ceramic"]
        d.styles = ["retro", "boho"]
        d.occasion = "birthday"
        d.holiday = "christmas"
        d.recipient = "mom"
        d.taxonomyID = 1052
        d.whoMade = .iDid
        d.whenMade = "made_to_order"
        d.shippingProfileID = 7
        d.priceCents = 1999
        d.currency = "EUR"
        d.quantity = 10
        d.sku = "CAT-1"
        d.step = 4
        return d
    }

    @Test func saveLoadAndUpdateRoundTrip() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = fullDraft()
        let id = try store.saveDraft(d, now: Date(timeIntervalSince1970: 1000))
        d.id = id
        d.version = 0
        #expect(try store.draft(id: id) == d)
        d.title = "Retro Cat Mug, updated"
        d.priceCents = nil
        d.whoMade = nil
        #expect(try store.saveDraft(d, now: Date(timeIntervalSince1970: 2000)) == id)
        d.version = 1
        #expect(try store.draft(id: id) == d)
        #expect(try store.draft(id: 999) == nil)
    }

    /// Two terminals on one draft: the second one's save from the version it read does not
    /// overwrite the first one's; it is kept as a revision and reported as stale.
    @Test func aStaleSaveBecomesARevisionNeverASilentOverwrite() throws {
        let dir = temporaryDirectory()
        let first = try Store(dataDirectory: dir), second = try Store(dataDirectory: dir)
        let id = try first.saveDraft(fullDraft(), now: Date(timeIntervalSince1970: 1))
        var a = try #require(try first.draft(id: id)), b = try #require(try second.draft(id: id))
        #expect(a.version == 0 && b.version == 0)
        a.title = "Typed in the first terminal"
        _ = try first.saveDraft(a, now: Date(timeIntervalSince1970: 2))
        #expect(try first.draft(id: id)?.version == 1)
        b.title = "Typed in the second terminal"
        #expect(throws: StaleDraft(draftID: id)) { try second.saveDraft(b, now: Date(timeIntervalSince1970: 3)) }
        #expect(throws: StaleDraft(draftID: id)) { try second.saveRevision(b, note: "", now: Date(timeIntervalSince1970: 3)) }
        #expect(try first.draft(id: id)?.title == "Typed in the first terminal")
        let kept = try #require(try second.keepAside(b, now: Date(timeIntervalSince1970: 4)))
        #expect(kept.current.title == "Typed in the first terminal" && kept.current.version == 1)
        #expect(try second.revision(id: kept.revisionID)?.title == "Typed in the second terminal")
        // Kept once, however many stale saves come back.
        #expect(try second.keepAside(b, now: Date(timeIntervalSince1970: 5))?.revisionID == kept.revisionID)
        #expect(try second.revisions(draftID: id).count == 1)
        // From the version it now has, the second terminal saves again.
        b = kept.current
        b.title = "Both agreed"
        _ = try second.saveDraft(b, now: Date(timeIntervalSince1970: 6))
        #expect(try first.draft(id: id)?.title == "Both agreed")
        #expect(try first.draft(id: id)?.version == 2)
    }

    @Test func listsWithQuotesBackslashesAndControlCharactersRoundTrip() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = ListingDraft()
        d.tags = ["say \"hi\"", "back\\slash", "new\nline", "tab\tand\u{1}", "ünïcødé ✓"]
        d.keywords = []
        d.id = try store.saveDraft(d, now: Date())
        #expect(try store.draft(id: d.id!)?.tags == d.tags)
        #expect(try store.draft(id: d.id!)?.keywords == [])
    }

    @Test func aDeletedDraftSavedAgainComesBackUnderItsId() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = fullDraft()
        d.id = try store.saveDraft(d, now: Date())
        try store.deleteDraft(id: d.id!)
        #expect(try store.draft(id: d.id!) == nil)
        #expect(try store.saveDraft(d, now: Date()) == d.id)
        #expect(try store.draft(id: d.id!)?.title == d.title)
    }

    @Test func pagesFilterSortDuplicate() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        for (i, t) in ["Banana shirt", "apple mug", "Cherry tote"].enumerated() {
            var d = ListingDraft()
            d.title = t
            try store.saveDraft(d, now: Date(timeIntervalSince1970: Double(i)))
        }
        #expect(try store.drafts(offset: 0, limit: 10, sort: .updated, filter: "").map(\.title) == ["Cherry tote", "apple mug", "Banana shirt"])
        #expect(try store.drafts(offset: 0, limit: 10, sort: .title, filter: "").map(\.title) == ["apple mug", "Banana shirt", "Cherry tote"])
        let filtered = try store.drafts(offset: 0, limit: 10, sort: .title, filter: "AN")
        let filteredCount = try store.draftCount(filter: "AN")
        #expect(filtered.map(\.title) == ["Banana shirt"] && filteredCount == 1)
        let apple = try store.drafts(offset: 0, limit: 1, sort: .title, filter: "")[0]
        let copy = try #require(try store.duplicateDraft(id: apple.id, now: Date(timeIntervalSince1970: 10)))
        let copied = try store.draft(id: copy)
        #expect(copy != apple.id && copied?.title == "apple mug")
        #expect(try store.draftCount(filter: "") == 4)
    }

    @Test func revisionsAreSnapshotsThatRestore() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = fullDraft()
        let first = try store.saveRevision(d, note: "first", now: Date(timeIntervalSince1970: 100))
        d.id = first.draftID
        d.title = "Second title"
        let second = try store.saveRevision(d, note: "second", now: Date(timeIntervalSince1970: 200))
        #expect(second.draftID == first.draftID)
        let list = try store.revisions(draftID: first.draftID)
        #expect(list.map(\.note) == ["second", "first"] && list.map(\.title) == ["Second title", "Retro Cat Mug"])
        #expect(try store.revision(id: first.revisionID)?.title == "Retro Cat Mug")
        #expect(try store.revision(id: first.revisionID)?.tags == d.tags)
    }

    @Test func queueingNeedsEveryRuleAndHappensOnce() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var bad = fullDraft()
        bad.priceCents = 0
        #expect(throws: QueueError.self) { try store.queueDraft(bad, provider: .etsy, now: Date()) }
        #expect(try store.queueItems().isEmpty)
        var d = fullDraft()
        d.title = "Retro Cat Mug, Funny Gift"
        let q = try store.queueDraft(d, provider: .etsy, now: Date(timeIntervalSince1970: 10))
        d.id = q.draftID
        #expect(throws: QueueError.alreadyQueued(provider: "etsy")) { try store.queueDraft(d, provider: .etsy, now: Date()) }
        let items = try store.queueItems()
        #expect(items.count == 1 && items[0].state == .pending && items[0].title == d.title && items[0].draftID == q.draftID)
        #expect(try store.drafts(offset: 0, limit: 5, sort: .updated, filter: "").first?.state == "queued")
        let payload = try store.read { try String.fetchOne($0, sql: "SELECT payload FROM outbox") }
        #expect(ListingDraft.fromJSON(payload ?? "")?.title == d.title)

        try store.cancelQueueItem(id: q.outboxID, now: Date(timeIntervalSince1970: 20))
        #expect(try store.queueItems()[0].state == .cancelled)
        #expect(try store.drafts(offset: 0, limit: 5, sort: .updated, filter: "").first?.state == "draft")
        try store.retryQueueItem(id: q.outboxID, now: Date(timeIntervalSince1970: 30))
        #expect(try store.queueItems()[0].state == .pending)
        // A second queueing after a cancel gets its own idempotency key.
        try store.cancelQueueItem(id: q.outboxID, now: Date(timeIntervalSince1970: 40))
        _ = try store.queueDraft(d, provider: .etsy, now: Date(timeIntervalSince1970: 50))
        #expect(try store.queueItems().count == 2)
    }

    @Test func v3MigratesV2DraftsKeepingThem() throws {
        let dir = temporaryDirectory()
        do {
            let old = try Store(dataDirectory: dir, migrateUpTo: "v2")
            try old.write { db in
                try db.execute(sql: "INSERT INTO drafts (title, keyword, created_at, updated_at) VALUES ('Old one', 'cat', 1, 1)")
            }
        }
        let store = try Store(dataDirectory: dir)
        #expect(try store.appliedMigrations().contains("v3"))
        // v4 adds the index the dashboard's "as of" is read from.
        let plan = try store.read { try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN SELECT MAX(as_of) FROM keyword_summary WHERE window = 30") }
        #expect(plan.contains { ($0["detail"] as String? ?? "").contains("keyword_summary_as_of") }, "\(plan)")
        let d = try #require(try store.draft(id: 1))
        #expect(d.title == "Old one" && d.keyword == "cat" && d.tone == .friendly && d.keywords == [] && d.audience == "")
    }
}

@Suite struct ListingOwnerTests {
    @Test func aPrintifyShopLinkedToEtsyOwnsItsDraftsEtsyListings() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = ListingDraft()
        d.title = "Retro Cat Mug"
        d.description = "A mug."
        d.taxonomyID = 1
        d.whoMade = .iDid
        d.whenMade = "made_to_order"
        d.shippingProfileID = 1
        d.priceCents = 1000
        d.quantity = 1
        d.id = try store.queueDraft(d, provider: .printify, now: Date()).draftID
        // Not linked: both sides are allowed.
        #expect(throws: Never.self) { try store.queueDraft(d, provider: .etsy, now: Date()) }
        let other = try store.queueDraft(
            {
                var e = d
                e.id = nil
                return e
            }(), provider: .printify, now: Date()
        ).draftID
        try store.setPreference("printify.sales_channel", "etsy")
        var linked = d
        linked.id = other
        #expect(throws: QueueError.ownedBy(provider: "printify")) { try store.queueDraft(linked, provider: .etsy, now: Date()) }
        #expect("\(QueueError.ownedBy(provider: "printify"))".contains("one side owns each listing"))
    }
}
