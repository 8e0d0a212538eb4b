import Foundation
import GRDB
import PODCore
import Testing

@testable import PODStore

@Suite struct ImageStoreTests {
    @Test func imagesAreAddedOnceAndKeepTheSellersRatingFlagTagsAndAltText() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        #expect(try store.addImages([ImageSeed(path: "/a.png", kind: .file), ImageSeed(path: "/b.png", kind: .file)], now: Date()) == 2)
        let ids = try store.images().map(\.id)
        try store.rateImages(ids: [ids[0]], rating: 4)
        try store.flagImages(ids: ids, flag: .needsWork)
        try store.tagImages(ids: ids, tag: "  Halloween ")
        try store.tagImages(ids: [ids[1]], tag: "cats")
        try store.setImageAlt(id: ids[0], text: "A pumpkin", now: Date())
        #expect(try store.addImages([ImageSeed(path: "/a.png", kind: .file)], now: Date()) == 0)
        try store.recordImageReads([(ids[0], ImageFile(format: "PNG", bytes: 10, width: 20, height: 30, hasAlpha: true, hash: UInt64.max), "10@1")])
        let again = try Store(dataDirectory: store.dataDirectory).images()
        #expect(again[0].rating == 4 && again[0].flag == .needsWork && again[0].tags == ["halloween"] && again[0].altText == "A pumpkin")
        #expect(again[0].file == ImageFile(format: "PNG", bytes: 10, width: 20, height: 30, hasAlpha: true, hash: UInt64.max))
        #expect(again[1].tags == ["cats", "halloween"] && again[1].file == ImageFile())
        #expect(try store.imageTags() == ["halloween", "cats"])
        #expect(try store.imagesToRead(limit: 10).map(\.path) == ["/b.png"])
        try store.untagImages(ids: ids, tag: "halloween")
        #expect(try store.images().map(\.tags) == [[], ["cats"]])
    }

    @Test func theWorkspacesPhotosDesignsAndPostPicturesAreFoundAndAPhotosAltTextGoesToItsDraft() throws {
        let store = try Store(dataDirectory: temporaryDirectory())
        var d = ListingDraft()
        d.title = "Mug"
        d.images = ["/photos/mug.png"]
        d.imageAlts = ["/photos/mug.png": "A mug"]
        var product = PrintProduct()
        product.setDesign("/designs/cat.png", on: "front")
        d.product = product
        let id = try store.saveDraft(d, now: Date())
        var post = SocialPost(platform: .pinterest, language: "en", text: "Hi")
        post.imagePath = "/posts/1.png"
        try store.savePost(post, draftID: id, now: Date())
        try store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO listings (provider, provider_listing_id, draft_id, title, state, price_cents, currency, mockups, created_at, updated_at)
                    VALUES ('printify', 'p1', ?, 'Mug', 'draft', 100, 'USD', '["https://images.printify.com/m1.png"]', 0, 0)
                    """, arguments: [id])
        }
        let seeds = try store.workspaceImages()
        #expect(seeds.map(\.path) == ["/photos/mug.png", "/designs/cat.png", "https://images.printify.com/m1.png", "/posts/1.png"])
        #expect(seeds.map(\.kind) == [.photo, .design, .mockup, .post] && seeds[0].altText == "A mug")
        try store.addImages(seeds.filter { $0.kind != .mockup }, now: Date())
        let photo = try #require(try store.images().first { $0.kind == .photo })
        try store.setImageAlt(id: photo.id, text: "A white mug with a cat", now: Date())
        #expect(try store.draft(id: id)?.imageAlts?["/photos/mug.png"] == "A white mug with a cat")
    }
}
