import Foundation
import GRDB
import PODCore
import Testing

@testable import PODStore

@Suite struct SocialPostStoreTests {
    @Test func aPostIsKeptWithItsListingEachSaveAVersionAndTheNewestCurrent() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = ListingDraft()
        d.title = "Moon Mug"
        d.language = "de"
        let id = try store.saveDraft(d, now: Date(timeIntervalSince1970: 0))
        let first = SocialWriter.write(d, platform: .pinterest)
        try store.savePost(first, draftID: id, now: Date(timeIntervalSince1970: 10))
        // The same post again is not a new version.
        try store.savePost(first, draftID: id, now: Date(timeIntervalSince1970: 11))
        var edited = first
        edited.text = "Mein Text"
        edited.source = .edited
        try store.savePost(edited, draftID: id, now: Date(timeIntervalSince1970: 20))
        try store.savePost(SocialWriter.write(d, platform: .x), draftID: id, now: Date(timeIntervalSince1970: 30))

        let current = try store.posts(draftID: id)
        #expect(current[.pinterest]?.post == edited)
        #expect(current[.x]?.post.platform == .x)
        #expect(current[.instagram] == nil)
        #expect(try store.postHistory(draftID: id, platform: .pinterest).map(\.post) == [edited, first])
        #expect(try store.postHistory(draftID: id, platform: .pinterest).map(\.savedAt.timeIntervalSince1970) == [20, 10])
    }

    @Test func oldVersionsGoAndDeletingTheListingDeletesItsPosts() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        let id = try store.saveDraft(ListingDraft(), now: Date())
        for i in 0..<(Store.postVersionsKept + 5) {
            try store.savePost(SocialPost(platform: .facebook, language: "en", text: "v\(i)"), draftID: id, now: Date())
        }
        let history = try store.postHistory(draftID: id, platform: .facebook)
        #expect(history.count == Store.postVersionsKept)
        #expect(history.first?.post.text == "v\(Store.postVersionsKept + 4)")
        try store.deleteDraft(id: id)
        #expect(try store.posts(draftID: id).isEmpty)
    }

    @Test func aPostIsWrittenFromTheListingItsEtsyAddressAndTheActiveBrand() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var brand = BrandProfile(name: "Luna Print Co")
        brand.handles = ["lunaprint"]
        brand.bannedTopics = ["politics"]
        brand.active = true
        try store.saveBrandProfile(brand, now: Date())
        let id = try store.saveDraft(ListingDraft(), now: Date())
        #expect(try store.postSource(draftID: id)?.link == "")
        try store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO listings (provider, provider_listing_id, draft_id, title, state, price_cents, currency, created_at, updated_at)
                    VALUES ('etsy', '4242', ?, 'Moon Mug', 'active', 100, 'USD', 0, 0)
                    """, arguments: [id])
        }
        let source = try #require(try store.postSource(draftID: id))
        #expect(source.link == "https://www.etsy.com/listing/4242")
        #expect(source.brand == PostBrand(name: "Luna Print Co", tone: .friendly, handles: ["lunaprint"], bannedTopics: ["politics"]))
        #expect(try store.postSource(draftID: 999) == nil)
    }
}
