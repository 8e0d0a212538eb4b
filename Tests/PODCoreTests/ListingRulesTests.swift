import Foundation
import Testing

@testable import PODCore

/// A draft that passes every rule; each test breaks one thing.
func validDraft() -> ListingDraft {
    var d = ListingDraft()
    d.title = "Retro Cat Mug, Funny Cat Lover Gift"
    d.description = "A mug for cat people."
    d.tags = ["cat mug", "cat lover gift"]
    d.materials = ["ceramic"]
    d.styles = ["retro"]
    d.taxonomyID = 1052
    d.whoMade = .iDid
    d.whenMade = "made_to_order"
    d.shippingProfileID = 7
    d.priceCents = 1999
    d.quantity = 10
    return d
}

func codes(_ issues: [RuleIssue], _ field: ListingField) -> [String] { issues.filter { $0.field == field }.map(\.code) }

@Suite struct ListingRulesTests {
    @Test func aValidDraftPasses() {
        #expect(ListingRules.check(validDraft()) == [])
    }

    @Test func titleLengthEdges() {
        let base = String(repeating: "a", count: 139)
        #expect(ListingRules.checkTitle(base + "b").isEmpty)
        #expect(codes(ListingRules.checkTitle(base + "bc"), .title) == ["too_long"])
        #expect(ListingRules.checkTitle(base + "bc").first?.args["count"] == "141")
        // Characters, not bytes or cells: 140 wide characters fit, 141 do not.
        #expect(ListingRules.checkTitle(String(repeating: "猫", count: 140)).isEmpty)
        #expect(codes(ListingRules.checkTitle(String(repeating: "猫", count: 141)), .title) == ["too_long"])
        #expect(codes(ListingRules.checkTitle("   "), .title) == ["required"])
    }

    @Test func titleCharacters() {
        #expect(ListingRules.checkTitle("50% off: cats & dogs + birds").isEmpty)
        #expect(codes(ListingRules.checkTitle("100% cotton, 100% cat"), .title) == ["once_only"])
        #expect(ListingRules.checkTitle("a: b: c").first?.args["char"] == ":")
        let dollar = ListingRules.checkTitle("Cat mug $5")
        #expect(codes(dollar, .title) == ["characters"] && dollar.first?.args["chars"] == "$")
        #expect(ListingRules.checkTitle("Cat ^ mug `x`").first?.args["chars"] == "^`")
        #expect(ListingRules.checkTitle("Café Crème™ Tasse für Katzenfreunde®").isEmpty)
        #expect(ListingRules.checkTitle("Cat mug 😺").first?.args["chars"] == "😺")
    }

    @Test func tagEdges() {
        #expect(ListingRules.checkTag(String(repeating: "t", count: 20)).isEmpty)
        #expect(codes(ListingRules.checkTag(String(repeating: "t", count: 21)), .tags) == ["item_too_long"])
        #expect(ListingRules.checkTag("cat-lover's gift").isEmpty)
        #expect(ListingRules.checkTag("cat & dog").first?.args["chars"] == "&")
        let fourteen = (1...14).map { "tag \($0)" }
        #expect(codes(ListingRules.checkTags(fourteen), .tags) == ["too_many"])
        #expect(ListingRules.checkTags(Array(fourteen.prefix(13))).isEmpty)
        let dup = ListingRules.checkTags(["Cat Mug", "cat mug"])
        #expect(codes(dup, .tags) == ["duplicate"] && dup.first?.args["value"] == "cat mug")
    }

    @Test func materialsAndStyles() {
        #expect(codes(ListingRules.checkMaterials(["100% cotton"]), .materials) == ["item_characters"])
        #expect(ListingRules.checkMaterials(["organic cotton", "ink"]).isEmpty)
        #expect(codes(ListingRules.checkStyles(["boho", "retro", "minimal"]), .styles) == ["too_many"])
        #expect(codes(ListingRules.checkStyles([String(repeating: "s", count: 46)]), .styles) == ["item_too_long"])
    }

    @Test func priceQuantityAndRequiredFields() {
        var d = validDraft()
        d.priceCents = 0
        #expect(codes(ListingRules.check(d), .price) == ["price_positive"])
        d.priceCents = nil
        d.quantity = 0
        d.taxonomyID = nil
        d.whoMade = nil
        d.whenMade = ""
        d.shippingProfileID = nil
        d.description = " \n"
        let issues = ListingRules.check(d)
        #expect(codes(issues, .price) == ["required"])
        #expect(codes(issues, .quantity) == ["quantity_range"])
        #expect(Set(issues.map(\.field)).isSuperset(of: [.taxonomyID, .whoMade, .whenMade, .shippingProfileID, .description]))
    }

    /// A photo file is what its first bytes say, and must be what its name says.
    @Test func photoFilesAreCheckedByTheirContent() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])
        #expect(PhotoFile.problem(name: "a.png", data: png) == nil)
        #expect(PhotoFile.problem(name: "a.jpg", data: Data([0xFF, 0xD8, 0xFF, 0xE0])) == nil)
        #expect(PhotoFile.problem(name: "a.gif", data: Data("GIF89a..".utf8)) == nil)
        #expect(PhotoFile.problem(name: "a.jpg", data: png) == "a.jpg is a PNG image named as JPEG")
        #expect(PhotoFile.problem(name: "a.png", data: Data("<html>".utf8)) == "a.png is not a JPEG, PNG or GIF image")
        #expect(PhotoFile.problem(name: "a.png", data: Data()) == "a.png is empty")
        #expect(PhotoFile.format(of: Data([0x89, 0x50, 0x4E, 0x47])) == nil, "a truncated signature is not a PNG")
    }

    /// `when_made` is one of Etsy's values, not free text (an older range of Etsy's included).
    @Test func whenMadeIsOneOfEtsysValues() {
        var d = validDraft()
        for value in ["made_to_order", "2020_2025", "before_2006", "1970s", "before_1700"] {
            d.whenMade = value
            #expect(codes(ListingRules.check(d), .whenMade).isEmpty, "\(value)")
        }
        for value in ["2020_2024", "made to order", "vintage", "1975"] {
            d.whenMade = value
            #expect(codes(ListingRules.check(d), .whenMade) == ["when_made"], "\(value)")
        }
        #expect(WhenMade.allCases.count == 19 && WhenMade.allCases.first == .madeToOrder && WhenMade.allCases.last == .before1700)
    }
}

@Suite struct SEOAndComplianceTests {
    @Test func scoreParts() {
        var d = validDraft()
        d.keyword = "retro cat"
        d.title = "Retro Cat Mug, Funny Cat Lover Gift for Her and Him, Kitten Coffee Cup, Vintage Style Cat Mom Present Idea"
        d.description =
            "Our retro cat mug is for you.\n\nWhy you will love it:\n- Ceramic\n- Dishwasher safe\n" + String(repeating: "Lorem ipsum dolor. ", count: 15)
        d.tags = [
            "retro cat", "cat mug", "kitten cup", "coffee lover", "cat mom", "vintage style", "her gift", "him present",
            "tea time", "pet owner", "animal art", "mug gift", "birthday idea",
        ]
        let s = SEOScore(d)
        let parts = Dictionary(uniqueKeysWithValues: s.parts.map { ($0.name, $0.points) })
        #expect(parts["title_length"] == 20)
        #expect(parts["keyword_title"] == 20)
        #expect(parts["keyword_description"] == 10)
        #expect(parts["tags_used"] == 20)
        #expect(parts["description_length"] == 10)
        #expect(parts["description_structure"] == 10)
        // 22 distinct words of 26: varied enough for full points.
        #expect(parts["tag_variety"] == 10)
        #expect(s.total == 100)
        d.tags = ["cat mug", "cat mugs", "cat mug gift"]
        // 4 distinct words of 7 (57 %): 10 × (0.571 − 0.3) / 0.4 ≈ 7.
        #expect(SEOScore(d).parts.first { $0.name == "tag_variety" }?.points == 7)
        #expect(SEOScore(d).parts.first { $0.name == "tags_used" }?.points == 4)
    }

    @Test func emptyDraftScoresZeroAndLateKeywordHalf() {
        #expect(SEOScore(ListingDraft()).total == 0)
        var d = ListingDraft()
        d.keyword = "cat"
        d.title = String(repeating: "x", count: 45) + " cat"
        #expect(SEOScore(d).parts.first { $0.name == "keyword_title" }?.points == 10)
    }

    @Test func complianceGroupsAndRiskyTerms() {
        var d = validDraft()
        #expect(Compliance.checks(d).allSatisfy { $0.status == .pass })
        d.title = "Disney style mug $"
        d.tags = ["hello kitty fan"]
        let checks = Dictionary(uniqueKeysWithValues: Compliance.checks(d).map { ($0.name, $0) })
        #expect(checks["title"]?.status == .fail)
        #expect(checks["risky_terms"]?.status == .review)
        #expect(checks["risky_terms"]?.issues.map { $0.args["term"]! } == ["disney", "hello kitty"])
        // Whole words only, and the list is configurable.
        d.title = "Legolas mug"
        #expect(Compliance.risky(d, terms: ["lego"]).isEmpty)
        #expect(Compliance.risky(d, terms: ["legolas"]).count == 1)
    }
}

@Suite struct CopywriterTests {
    func input(_ language: String, tone: Tone = .friendly) -> ListingDraft {
        var d = ListingDraft()
        d.language = language
        d.niche = "cat lovers"
        d.keyword = "retro cat"
        d.productType = "mug"
        d.audience = "cat moms"
        d.tone = tone
        return d
    }

    /// "…Moon Shirt T-shirt": a keyword that names the product does not get the product word
    /// again, and the tags come from the niche and keyword, not from words nobody gave.
    @Test func theProductWordIsNotSaidTwiceAndTagsComeFromTheNiche() {
        var d = ListingDraft()
        (d.niche, d.keyword, d.productType) = ("moon phases", "moon shirt", "T-shirt")
        for variant in 0..<3 {
            let copy = Copywriter.write(d, variant: variant)
            #expect(!copy.title.lowercased().contains("shirt t-shirt"), "\(copy.title)")
            #expect(!copy.title.lowercased().contains("t-shirt moon shirt"), "\(copy.title)")
            #expect(!copy.tags.contains("everyone") && !copy.tags.contains("shirt"), "\(copy.tags)")
            #expect(Array(copy.tags.prefix(2)) == ["moon shirt", "moon phases"], "\(copy.tags)")
            #expect(!copy.tags.prefix(6).contains { ["present for her", "present for him", "gift idea"].contains($0) }, "\(copy.tags)")
        }
        #expect(Copywriter.names("cat mugs", product: "mug") && !Copywriter.names("retro cat", product: "mug"))
    }

    @Test(arguments: listingLanguages)
    func deterministicAndValidInEveryLanguage(language: String) {
        for tone in Tone.allCases {
            let a = Copywriter.write(input(language, tone: tone))
            #expect(a == Copywriter.write(input(language, tone: tone)))
            var d = validDraft()
            d.title = a.title
            d.description = a.description
            d.tags = a.tags
            #expect(ListingRules.check(d) == [], "\(language) \(tone): \(a.title)")
            #expect(a.tags.count >= 8 && a.tags.count <= 13)
            #expect(a.title.lowercased().contains("retro cat"))
        }
    }

    @Test func languagesDifferAndRegenerateGivesAnotherTitle() {
        let titles = listingLanguages.map { Copywriter.write(input($0)).title }
        #expect(Set(titles).count == 4)
        #expect(Copywriter.write(input("en"), variant: 1).title != Copywriter.write(input("en")).title)
        #expect(Copywriter.write(input("de")).description.contains("Katze") == false)  // the seller's words are kept, not translated
        #expect(Copywriter.write(input("de")).description.contains("für cat moms"))
    }

    @Test func aKeywordTooLongForATagGivesItsTwoWordRuns() {
        var d = input("en")
        d.keyword = "minimalist pumpkin shirt"
        d.niche = d.keyword
        let tags = Copywriter.write(d).tags
        #expect(tags.first == "minimalist pumpkin" && tags.contains("pumpkin shirt"))
        #expect(!tags.contains("minimalist pumpkin shirt"))
    }

    @Test func longInputsAreCutToFit() {
        var d = input("en")
        d.niche = String(repeating: "very long niche ", count: 8)
        let copy = Copywriter.write(d)
        #expect(copy.title.count <= 140)
        #expect(ListingRules.checkTitle(copy.title).isEmpty)
    }
}

@Suite struct TagSuggestionTests {
    @Test func rankedBySignalsTitleAndDescriptionWithoutExistingOrInvalidTags() {
        var d = ListingDraft()
        d.title = "Retro Cat Mug, Funny Kitten Gift"
        d.description = "A kitten gift for coffee time."
        d.tags = ["retro cat mug"]
        let signals: [(keyword: String, volume: Double, growth: Double?)] = [
            ("cat lover", 1000, 0.3), ("kitten gift", 200, 0.1), ("dog & cat", 5000, nil), ("retro cat mug", 900, nil),
        ]
        let list = TagSuggestions.rank(signals: signals, draft: d)
        // kitten gift: 0.2 + title 1 + description 0.5 = 1.7 beats cat lover's 1.0 and the title's own phrases.
        #expect(list.first == Suggestion(text: "kitten gift", growth: 0.1))
        #expect(list.map(\.text).contains("cat lover") && list.map(\.text).contains("funny kitten gift"))
        #expect(!list.map(\.text).contains("dog & cat") && !list.map(\.text).contains("retro cat mug"))
        #expect(list.allSatisfy { ListingRules.checkTag($0.text).isEmpty })
    }

    @Test func photosAreAtMostTwentyJPEGPNGOrGIFFiles() {
        var d = validDraft()
        d.images = ["a.JPG", "b.png", "c.gif", "d.jpeg"]
        #expect(ListingRules.check(d).isEmpty)
        d.images = ["scan.bmp", "noextension"]
        #expect(codes(ListingRules.check(d), .images) == ["image_type", "image_type"])
        d.images = (0..<21).map { "p\($0).jpg" }
        #expect(codes(ListingRules.check(d), .images) == ["too_many"])
    }
}
