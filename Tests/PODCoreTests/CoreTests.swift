import Foundation
import Testing

@testable import PODCore

@Suite struct TrendMathTests {
    @Test func growthComparesWithTheWindowBefore() {
        #expect(TrendMath.growth(current: 150, previous: 100) == 0.5)
        #expect(TrendMath.growth(current: 50, previous: 100) == -0.5)
        #expect(TrendMath.growth(current: 10, previous: 0) == nil)
    }

    @Test func seriesBucketsDaysIntoEqualSlices() {
        let points = (0..<10).map { (day: 100 + $0, volume: Double($0)) }
        let s = TrendMath.series(points: points, start: 100, end: 109, buckets: 5)
        #expect(s == [1, 5, 9, 13, 17])
        #expect(TrendMath.series(points: points, start: 100, end: 101, buckets: 30).count == 2)
        #expect(TrendMath.series(points: [(day: 50, volume: 3)], start: 100, end: 109, buckets: 5) == [0, 0, 0, 0, 0])
    }

    @Test func windowsCycle() {
        #expect(TrendWindow.days7.next == .days30)
        #expect(TrendWindow.days180.next == .days7)
    }

    @Test func dayNumbersRoundTrip() {
        let d = Date(timeIntervalSince1970: 86_400 * 20_000 + 3_600)
        #expect(Day.number(d) == 20_000)
        #expect(Day.date(20_000).timeIntervalSince1970 == 86_400 * 20_000)
    }
}

@Suite struct PlanTests {
    @Test func limitsPerTier() {
        #expect(QuotaResource.allCases.map { PlanTier.free.limit($0) } == [10, 20, 50, 1])
        #expect(QuotaResource.allCases.map { PlanTier.starter.limit($0) } == [50, 100, 200, 1])
        #expect(QuotaResource.allCases.map { PlanTier.professional.limit($0) } == [200, 500, 1000, 3])
        #expect(QuotaResource.allCases.map { PlanTier.enterprise.limit($0) } == [1000, 2500, 5000, 10])
        #expect(QuotaUsage(resource: .listings, used: 8, limit: 10).ratio == 0.8)
    }
}

@Suite struct DemoTests {
    @Test func seededRandomIsDeterministic() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var u = SeededRandom(seed: 1)
        for _ in 0..<1000 {
            let v = u.unit()
            #expect(v >= 0 && v < 1)
        }
    }

    @Test func vocabularyEnumeratesDistinctKeywords() {
        let n = DemoVocabulary.keywordCount
        #expect(Set((0..<n).map(DemoVocabulary.keyword)).count == n)
    }
}
