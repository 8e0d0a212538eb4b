import Foundation
import Testing

@testable import PODCore

/// Niche grouping and the opportunity score on fixed inputs.
@Suite struct NicheTests {
    @Test func aKeywordsNicheIsItsWordsWithoutTheProductWords() {
        #expect(NicheMath.niche(of: "funny cat mug") == "funny cat")
        #expect(NicheMath.niche(of: "Retro Cat T-Shirt") == "retro cat")
        #expect(NicheMath.niche(of: "tote bag frog") == "frog")
        #expect(NicheMath.niche(of: "phone case") == nil)
        #expect(NicheMath.niche(of: "mug mug") == nil)
    }

    @Test func theScoreIsItsWeightedParts() {
        // 1,000 a day, +50 % on the window before, 1,000 competing listings.
        let s = NicheMath.score(volume: 30_000, previousVolume: 20_000, competition: 1_000, days: 30)
        #expect(abs(s.demand - log10(1_001) / 4) < 1e-9)
        #expect(abs(s.growth - 1.0 / 1.5) < 1e-9)
        #expect(abs(s.competition! - (1 - log10(1_001) / 6)) < 1e-9)
        #expect(s.opportunity == 66)
        // Without a competition figure its weight is shared between the others.
        let unknown = NicheMath.score(volume: 30_000, previousVolume: 20_000, competition: nil, days: 30)
        #expect(unknown.competition == nil && unknown.opportunity == 71)
        // No window before: growth is neutral, not invented.
        #expect(NicheMath.score(volume: 30_000, previousVolume: 0, competition: nil, days: 30).growth == 0.5)
        // Bounds.
        let top = NicheMath.score(volume: 1e9, previousVolume: 1, competition: 0, days: 1)
        #expect(top.opportunity == 100)
        #expect(NicheMath.score(volume: 0, previousVolume: 100, competition: 1e7, days: 30).opportunity == 0)
    }

    @Test func keywordsAreGroupedAndCompetitionIsVolumeWeighted() {
        let rows: [(keyword: String, volume: Double, previous: Double, competition: Double?, isDemo: Bool)] = [
            ("funny cat mug", 100, 50, 1_000, false), ("funny cat shirt", 300, 100, 3_000, false), ("dog mug", 10, 10, nil, false), ("mug", 999, 1, nil, false),
        ]
        let niches = NicheMath.niches(rows, region: "US", days: 30)
        #expect(niches.map(\.name) == ["funny cat", "dog"])
        let cat = niches[0]
        #expect(cat.keywords == ["funny cat shirt", "funny cat mug"] && cat.volume == 400 && cat.previousVolume == 150)
        #expect(cat.competition == 2_500)
        #expect(niches[1].competition == nil && !niches[1].isDemo)
    }

    @Test func aKeywordsCategoryIsItsFirstProductWord() {
        #expect(NicheMath.category(of: "Funny Cat T-Shirt") == .apparel)
        #expect(NicheMath.category(of: "cat mom tote bag") == .bags)
        #expect(NicheMath.category(of: "frog phone case") == .accessories)
        #expect(NicheMath.category(of: "retro sunset poster print") == .wallArt)
        #expect(NicheMath.category(of: "teacher mug") == .drinkware)
        #expect(NicheMath.category(of: "teacher appreciation") == .other, "no product word")
        #expect(NicheMath.category(of: "teeth") == .other, "whole words only")
        #expect(NicheMath.niche(of: "cat mom tote bag") == "cat mom")
    }
}
