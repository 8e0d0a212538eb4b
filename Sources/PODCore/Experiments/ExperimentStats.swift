import Foundation

/// The statistics an experiment's variants are compared with. Etsy cannot split traffic, so
/// variants take turns; each is counted only in its own slices, and these tests say whether a
/// difference is more than chance.
public enum ExperimentStats {
    /// A comparison of B against A: the test statistic, its two-sided p-value, the difference
    /// (B − A) and its 95 % confidence interval.
    public struct Comparison: Equatable, Sendable {
        public var z: Double
        public var p: Double
        public var difference: Double
        public var low: Double
        public var high: Double
        public var isSignificant: Bool { p < 0.05 }
    }

    /// The standard normal distribution's cumulative probability.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Its inverse (the quantile), for 0 < p < 1: bisection on `normalCDF`, to 1e-12.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a probability strictly between 0 and 1")
        var (low, high) = (-40.0, 40.0)
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if normalCDF(mid) < p { low = mid } else { high = mid }
            if high - low < 1e-12 { break }
        }
        return (low + high) / 2
    }

    /// Conversion (orders / views) of B against A: the two-proportion z-test with the pooled
    /// proportion; the interval from the unpooled standard error. Nil without views on either
    /// side, or when neither converts at all.
    public static func twoProportions(successesA: Int, trialsA: Int, successesB: Int, trialsB: Int) -> Comparison? {
        guard trialsA > 0, trialsB > 0, successesA >= 0, successesB >= 0, successesA <= trialsA, successesB <= trialsB else { return nil }
        let (nA, nB) = (Double(trialsA), Double(trialsB))
        let (pA, pB) = (Double(successesA) / nA, Double(successesB) / nB)
        let pooled = Double(successesA + successesB) / (nA + nB)
        let se = (pooled * (1 - pooled) * (1 / nA + 1 / nB)).squareRoot()
        guard se > 0 else { return nil }
        let z = (pB - pA) / se
        let unpooled = (pA * (1 - pA) / nA + pB * (1 - pB) / nB).squareRoot()
        let margin = normalQuantile(0.975) * unpooled
        return Comparison(z: z, p: 2 * (1 - normalCDF(abs(z))), difference: pB - pA, low: pB - pA - margin, high: pB - pA + margin)
    }

    /// Views per day of B against A (counts over the days each was live): the test of two
    /// Poisson rates with the pooled rate under "no difference". Nil without days on either side
    /// or without any count.
    public static func twoRates(countA: Int, daysA: Double, countB: Int, daysB: Double) -> Comparison? {
        guard daysA > 0, daysB > 0, countA >= 0, countB >= 0, countA + countB > 0 else { return nil }
        let (rA, rB) = (Double(countA) / daysA, Double(countB) / daysB)
        let pooled = Double(countA + countB) / (daysA + daysB)
        let z = (rB - rA) / (pooled * (1 / daysA + 1 / daysB)).squareRoot()
        let margin = normalQuantile(0.975) * (rA / daysA + rB / daysB).squareRoot()
        return Comparison(z: z, p: 2 * (1 - normalCDF(abs(z))), difference: rB - rA, low: rB - rA - margin, high: rB - rA + margin)
    }

    /// The views each variant needs to tell `baseline` conversion from one `lift` higher
    /// (relative: 0.2 for +20 %), at 5 % significance (two-sided) and the given power.
    public static func minimumViews(baseline: Double, lift: Double, power: Double = 0.8) -> Int? {
        let target = baseline * (1 + lift)
        guard baseline > 0, baseline < 1, target > 0, target < 1, lift != 0, power > 0, power < 1 else { return nil }
        let mean = (baseline + target) / 2
        let a = normalQuantile(0.975) * (2 * mean * (1 - mean)).squareRoot()
        let b = normalQuantile(power) * (baseline * (1 - baseline) + target * (1 - target)).squareRoot()
        return Int(((a + b) * (a + b) / ((target - baseline) * (target - baseline))).rounded(.up))
    }
}

/// The order in which variants take turns: time slices proportional to the weights, in blocks
/// that contain each variant its weight's number of times, every other block reversed (A B, then
/// B A: ABBA), so that weekdays and trends fall on each variant alike.
public enum ExperimentSchedule {
    /// The variant (an index into `weights`) of each of `slices` slices.
    public static func order(weights: [Int], slices: Int) -> [Int] {
        guard !weights.isEmpty, weights.allSatisfy({ $0 > 0 }), slices > 0 else { return [] }
        let block = weights.enumerated().flatMap { i, w in [Int](repeating: i, count: w) }
        var out: [Int] = []
        var k = 0
        while out.count < slices {
            out += k % 2 == 0 ? block : block.reversed()
            k += 1
        }
        return Array(out.prefix(slices))
    }
}
