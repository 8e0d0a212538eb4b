import Foundation
import Testing

@testable import PODCore

/// The experiment statistics against numbers worked out independently.
@Suite struct ExperimentStatsTests {
    @Test func conversionIsComparedWithTheTwoProportionZTest() throws {
        // 30 orders in 1,000 views against 50 in 1,000: pooled 0.04, standard error
        // √(0.04 · 0.96 · 2/1000) = 0.0087636, z = 0.02 / 0.0087636 = 2.2822, p = 0.0225.
        let c = try #require(ExperimentStats.twoProportions(successesA: 30, trialsA: 1_000, successesB: 50, trialsB: 1_000))
        #expect(abs(c.z - 2.28) < 0.005)
        #expect(abs(c.p - 0.022) < 0.001)
        #expect(c.isSignificant && abs(c.difference - 0.02) < 1e-12)
        // The interval: ±1.96 · √(0.03 · 0.97 / 1000 + 0.05 · 0.95 / 1000) = ±0.017154.
        #expect(abs(c.low - (0.02 - 0.017154)) < 1e-5 && abs(c.high - (0.02 + 0.017154)) < 1e-5)
        #expect(ExperimentStats.twoProportions(successesA: 0, trialsA: 0, successesB: 1, trialsB: 10) == nil)
        #expect(ExperimentStats.twoProportions(successesA: 0, trialsA: 10, successesB: 0, trialsB: 10) == nil, "nothing converts")
    }

    @Test func viewsPerDayAreComparedWithTheRateTest() throws {
        // 700 views in 7 days against 840 in 7: rates 100 and 120 a day; pooled 110 a day;
        // z = 20 / √(110 · 2/7) = 20 / 5.6061 = 3.5676; p = 2 · (1 − Φ(3.5676)) = 0.00036.
        let c = try #require(ExperimentStats.twoRates(countA: 700, daysA: 7, countB: 840, daysB: 7))
        let z = 20 / (110.0 * 2 / 7).squareRoot()
        #expect(abs(c.z - z) < 1e-9 && abs(c.z - 3.5676) < 1e-4)
        #expect(abs(c.p - 0.00036) < 0.00002)
        #expect(ExperimentStats.twoRates(countA: 5, daysA: 0, countB: 5, daysB: 1) == nil)
    }

    @Test func theQuantileInvertsTheDistribution() {
        #expect(abs(ExperimentStats.normalQuantile(0.975) - 1.959964) < 1e-6)
        #expect(abs(ExperimentStats.normalQuantile(0.8) - 0.841621) < 1e-6)
        #expect(abs(ExperimentStats.normalCDF(0) - 0.5) < 1e-15)
    }

    @Test func theMinimumSampleIsDeclaredUpFront() throws {
        // 3 % baseline, +50 % (to 4.5 %), 80 % power: (1.96·√(2·0.0375·0.9625) + 0.8416·√(0.0291 + 0.042975))²
        // / 0.015² = 2,517.003, so 2,518 views a variant.
        let n = try #require(ExperimentStats.minimumViews(baseline: 0.03, lift: 0.5))
        let a = 1.959964 * (2 * 0.0375 * 0.9625).squareRoot(), b = 0.841621 * (0.03 * 0.97 + 0.045 * 0.955).squareRoot()
        #expect(n == Int(((a + b) * (a + b) / (0.015 * 0.015)).rounded(.up)) && n == 2_518)
        #expect(ExperimentStats.minimumViews(baseline: 0, lift: 0.5) == nil)
    }

    @Test func variantsTakeTurnsInBalancedBlocks() {
        #expect(ExperimentSchedule.order(weights: [1, 1], slices: 14) == [0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1])
        // Weighted 2:1: each block has A twice, B once; every other block reversed.
        #expect(ExperimentSchedule.order(weights: [2, 1], slices: 6) == [0, 0, 1, 1, 0, 0])
        let three = ExperimentSchedule.order(weights: [1, 1, 1], slices: 12)
        #expect((0..<3).map { v in three.filter { $0 == v }.count } == [4, 4, 4])
        #expect(ExperimentSchedule.order(weights: [1, 0], slices: 4).isEmpty)
    }
}
