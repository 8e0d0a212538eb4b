import Foundation
import PODCore
import Testing

@testable import PODStore

/// A bulk edit of the shop's listings: previewed without a write, queued in one transaction,
/// one update per listing however many edits, refusals said.
@Suite struct BulkEditStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// A store with `count` listings pulled from the shop (no drafts yet), each with its fields.
    func shop(_ count: Int) throws -> (Store, [Int64]) {
        let store = try Store(dataDirectory: temporaryDirectory())
        let remote = (0..<count).map { i -> RemoteListing in
            var c = ListingDraft()
            (c.title, c.description, c.tags, c.priceCents, c.quantity) = ("Moon Mug \(i)", "A mug.", ["moon mug"], 2000 + i, 5)
            (c.whoMade, c.whenMade, c.taxonomyID, c.shippingProfileID) = (.iDid, "made_to_order", 1027, 7)
            return RemoteListing(
                providerListingID: String(900_000 + i), shopID: "1", title: c.title, state: i == 0 ? "active" : "draft", priceCents: 2000 + i,
                currency: "USD", quantity: 5, views: 0, favorites: 0, updatedAt: now, content: c, raw: nil, imageCount: 1)
        }
        _ = try store.mergePulledListings(provider: .etsy, remote, now: now)
        let ids = try store.listingIDs(sort: .title, filter: "")
        return (store, ids)
    }

    @Test func aPreviewWritesNothingAndSaysEachChange() throws {
        let (store, ids) = try shop(3)
        let preview = try store.previewBulkEdit(.pricePercent(10, roundTo99: true), listingIDs: ids)
        #expect(preview.changed == 3 && preview.refused == 0 && preview.unchanged == 0)
        #expect(preview.rows.first?.changes == [FieldChange(field: .price, before: "2000", after: "2199")])
        #expect(try store.queueItems().isEmpty)
        #expect(try store.draftForListing(id: ids[0], now: now).flatMap { try store.draft(id: $0) }?.priceCents == 2000)
    }

    @Test func eachListingGetsOneUpdateCarryingEveryEdit() throws {
        let (store, ids) = try shop(3)
        try store.applyBulkEdit(.pricePercent(10, roundTo99: false), listingIDs: ids, now: now)
        let second = try store.applyBulkEdit(.addTag("gift idea"), listingIDs: ids, now: now.addingTimeInterval(1))
        #expect(second.changed == 3)
        let items = try store.queueItems()
        #expect(items.count == 3 && items.allSatisfy { $0.operation == .updateListing && $0.state == .pending })
        for id in ids {
            let d = try #require(try store.draftForListing(id: id, now: now).flatMap { try store.draft(id: $0) })
            #expect(d.tags == ["moon mug", "gift idea"])
            #expect(d.priceCents.map { $0 >= 2200 } == true)
        }
        // The same edit again changes nothing.
        #expect(try store.applyBulkEdit(.addTag("gift idea"), listingIDs: ids, now: now).unchanged == 3)
        #expect(try store.queueItems().count == 3)
        // Updates are free: no quota unit.
        #expect(try store.usage(since: .distantPast).isEmpty)
    }

    @Test func refusalsAreListedAndQueueNothing() throws {
        let (store, ids) = try shop(3)
        let tooLong = try store.applyBulkEdit(.addTag("a tag far longer than twenty"), listingIDs: ids, now: now)
        #expect(tooLong.refused == 3 && tooLong.rows.allSatisfy { $0.issues.contains { $0.field == .tags } })
        #expect(try store.queueItems().isEmpty)
        // Publish: the active one is already so (unchanged), the drafts have a photo.
        let publish = try store.applyBulkEdit(.activate, listingIDs: ids, now: now)
        #expect(publish.unchanged == 1 && publish.changed == 2)
        #expect(publish.rows.allSatisfy { $0.state == BulkOutcome.StateChange(from: "draft", to: "active") })
        #expect(try store.queueItems().filter { $0.operation == .activateListing }.count == 2)
        #expect(try store.applyBulkEdit(.activate, listingIDs: ids, now: now).changed == 0, "already queued")
    }
}
