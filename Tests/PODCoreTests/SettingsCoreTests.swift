import Foundation
import Testing

@testable import PODCore

@Suite struct SettingsCoreTests {
    @Test func socialHandles() {
        #expect(SocialHandle.normalise("@cosy.cat") == "cosy.cat")
        #expect(SocialHandle.normalise(" cosy_cat_2 ") == "cosy_cat_2")
        #expect(SocialHandle.normalise(String(repeating: "a", count: 30)) != nil)
        for bad in ["", "@", String(repeating: "a", count: 31), "bad!handle", "two words", "@@double", "émile"] {
            #expect(SocialHandle.normalise(bad) == nil, "\(bad)")
        }
    }

    @Test func aBrandProfileSaysWhatIsWrong() {
        var b = BrandProfile(name: "  ")
        b.handles = ["@ok", "not ok"]
        #expect(b.problems.map(\.key) == ["brand.error.name_missing", "brand.error.handle"])
        #expect(b.problems.last?.value == "not ok")
        b.name = "Cosy Cat"
        b.handles = ["@ok"]
        #expect(b.problems.isEmpty)
    }

    @Test func nicheFitWithTheBrand() {
        var b = BrandProfile(name: "Cosy Cat")
        b.audience = "cat moms, teachers"
        b.bannedTopics = ["politics", "halloween"]
        #expect(b.fit(niche: "cat mom") == 1, "every word in the audience (plural or not)")
        #expect(b.fit(niche: "funny cat") == 0.75)
        #expect(b.fit(niche: "golf dad") == 0.5, "the audience says nothing about it")
        #expect(b.fit(niche: "spooky halloween cat") == 0, "a banned topic")
    }

    @Test func dateFormatChoices() {
        #expect(DateFormatChoice.iso.format(year: 2026, month: 3, day: 5) == "2026-03-05")
        #expect(DateFormatChoice.dotted.format(year: 2026, month: 12, day: 31) == "31.12.2026")
        #expect(DateFormatChoice.locale.format(year: 2026, month: 3, day: 5) == nil)
    }
}
