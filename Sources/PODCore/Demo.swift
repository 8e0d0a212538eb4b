import Foundation

/// A small, fast, deterministic generator (SplitMix64), so that a demo seed always gives the
/// same workspace.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// The words the demo workspace is made of. Every demo row is marked demo and shown as DEMO.
public enum DemoVocabulary {
    public static let subjects = [
        "cat", "dog", "frog", "mushroom", "plant", "coffee", "book", "teacher", "nurse", "camping",
        "fishing", "hiking", "yoga", "gardening", "halloween", "christmas", "pumpkin", "ghost",
        "axolotl", "bee", "sunflower", "moon", "tarot", "vinyl", "retro", "cowgirl", "skeleton",
        "dinosaur", "unicorn", "llama", "sloth", "taco", "pickleball", "golf", "crochet", "witch",
        "grandma", "dad", "mama", "bride",
    ]
    public static let styles = [
        "vintage", "minimalist", "funny", "boho", "cottagecore", "y2k", "kawaii", "gothic",
        "watercolor", "personalized", "groovy", "western", "pastel", "distressed",
    ]
    public static let products = [
        "shirt", "mug", "sweatshirt", "tote bag", "poster", "sticker", "hoodie", "phone case",
        "canvas", "pillow", "ornament", "hat",
    ]
    public static let regions = ["US", "GB", "DE", "FR", "ES", "CA", "AU"]

    /// The `index`-th keyword of a fixed enumeration (style × subject × product), never random.
    public static func keyword(_ index: Int) -> String {
        let s = subjects[index % subjects.count]
        let st = styles[(index / subjects.count) % styles.count]
        let p = products[(index / (subjects.count * styles.count)) % products.count]
        return "\(st) \(s) \(p)"
    }

    public static var keywordCount: Int { subjects.count * styles.count * products.count }
}
