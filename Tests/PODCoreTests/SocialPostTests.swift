import Foundation
import Testing

@testable import PODCore

@Suite struct SocialPostTests {
    func listing(language: String = "en") -> ListingDraft {
        var d = ListingDraft()
        d.language = language
        d.niche = "astronomy"
        d.keyword = "moon phase"
        d.productType = language == "de" ? "T-Shirt" : "shirt"
        d.title = "Moon Phase Shirt, Astronomy Gift for Women, Lunar Cycle Tee, Celestial Top for Stargazers and Night Sky Lovers Everywhere"
        d.description = "A soft shirt with the lunar cycle printed across the chest. Made to order."
        d.tags = ["moon shirt", "lunar cycle", "celestial tee", "astronomy gift", "night sky", "stargazer", "moon lover", "space shirt"]
        return d
    }

    @Test func everyPlatformsPostFitsItsLimitsInEveryLanguage() {
        let brand = PostBrand(name: "Luna Print Co", tone: .friendly, handles: ["lunaprint"])
        for language in SocialWriter.languages {
            for platform in SocialPlatform.allCases {
                for variant in 0..<3 {
                    let post = SocialWriter.write(
                        listing(language: language), platform: platform, brand: brand, link: "https://www.etsy.com/listing/42", variant: variant)
                    #expect(post.problems() == [], "\(language) \(platform) \(variant): \(post.problems())")
                    #expect(post.language == language)
                }
            }
        }
    }

    @Test func aPinterestPostInGermanHasItsTitleLinkAndAltTextWithinLimits() {
        let post = SocialWriter.write(listing(language: "de"), platform: .pinterest, link: "https://www.etsy.com/listing/42")
        #expect(post.title.count <= 100)
        #expect(post.title.hasPrefix("Moon Phase Shirt"))
        #expect(post.text.count <= 500)
        #expect(post.text.contains("Etsy"))
        #expect(post.link == "https://www.etsy.com/listing/42")
        #expect(post.altText == "T-Shirt mit moon phase-Motiv")
        #expect(post.hashtags.count == 4)
    }

    @Test func xCountsALinkAs23AndEmojiAsTwo() {
        #expect(SocialRules.xLength("hello") == 5)
        #expect(SocialRules.xLength("see https://www.etsy.com/listing/1234567890/a-very-long-slug-indeed") == 4 + 23)
        #expect(SocialRules.xLength("moon 🌙") == 7)
        #expect(SocialRules.xLength("月") == 2)
        let long = SocialPost(
            platform: .x, language: "en", text: String(repeating: "a", count: 250) + " https://example.com/" + String(repeating: "x", count: 200))
        #expect(long.textLength == 250 + 1 + 23)
        #expect(long.problems() == [])
    }

    @Test func instagramRefusesMoreThanThirtyHashtagsAndTheWriterNeverWritesThem() {
        let tags = (1...31).map { "#tag\($0)" }.joined(separator: " ")
        let post = SocialPost(platform: .instagram, language: "en", text: "Hello " + tags)
        #expect(post.problems() == [.tooManyHashtags(count: 31, max: 30)])
        #expect(SocialWriter.conform(post).hashtags.count == 30)
    }

    @Test func hashtagsAreReadAsThePlatformsLinkThem() {
        #expect(SocialRules.hashtags(in: "#Mond und #Sterne, a#b &#39; #_x #über") == ["Mond", "Sterne", "_x", "über"])
        #expect(SocialRules.hashtag("moon phase shirt") == "MoonPhaseShirt")
        #expect(SocialRules.hashtag("t-shirt für Oma") == "TShirtFürOma")
        #expect(SocialRules.hashtag("2024") == nil)
    }

    @Test func bannedTopicsAreNeverWrittenAsHashtagsAndAreFlaggedWhenTyped() {
        var d = listing()
        d.tags = ["politics shirt", "moon lover"]
        let brand = PostBrand(bannedTopics: ["politics"])
        let post = SocialWriter.write(d, platform: .instagram, brand: brand)
        #expect(!post.hashtags.contains { $0.lowercased().contains("politics") })
        var edited = post
        edited.text += " Vote politics!"
        #expect(edited.problems(bannedTopics: brand.bannedTopics) == [.bannedTopic("politics")])
    }

    @Test func limitsAreChecked() {
        var post = SocialPost(platform: .pinterest, language: "en", title: String(repeating: "t", count: 101), text: String(repeating: "d", count: 501))
        post.altText = String(repeating: "a", count: 501)
        post.link = "javascript:alert(1)"
        #expect(
            post.problems() == [
                .titleTooLong(count: 101, max: 100), .textTooLong(count: 501, max: 500), .altTextTooLong(count: 501, max: 500), .linkInvalid,
            ])
        let fitted = SocialWriter.conform(post)
        #expect(fitted.title.count <= 100 && fitted.text.count <= 500 && fitted.altText.count <= 500)
        #expect(SocialPost(platform: .facebook, language: "en", text: "  ").problems() == [.textMissing])
    }

    @Test func aVariantIsAnotherPostAndTheSameVariantTheSamePost() {
        let a = SocialWriter.write(listing(), platform: .instagram, variant: 0)
        #expect(SocialWriter.write(listing(), platform: .instagram, variant: 0) == a)
        #expect(SocialWriter.write(listing(), platform: .instagram, variant: 1).text != a.text)
    }

    @Test func aPostFitsEvenWhenTheListingIsLong() {
        var d = listing()
        d.keyword = String(repeating: "very long keyword ", count: 30)
        d.description = String(repeating: "Long sentence without end ", count: 100)
        for platform in SocialPlatform.allCases {
            let post = SocialWriter.write(d, platform: platform, link: "https://www.etsy.com/listing/1")
            #expect(post.textLength <= platform.textMax, "\(platform)")
        }
    }
}
