import Foundation

/// The languages a listing can be written in.
public let listingLanguages = ["en", "es", "fr", "de"]

/// How the copy should sound.
public enum Tone: String, CaseIterable, Sendable, Codable {
    case friendly, playful, elegant, bold, minimal
}

/// Who made the item, as Etsy names it.
public enum WhoMade: String, CaseIterable, Sendable, Codable {
    case iDid = "i_did", someoneElse = "someone_else", collective
}

/// Etsy's `when_made` values (Open API v3, createDraftListing and updateListing), in the order
/// of its published document. Etsy moves the recent ranges now and then; a draft keeps the
/// text it was given, and the rules say when it is not one of these.
public enum WhenMade: String, CaseIterable, Sendable {
    case madeToOrder = "made_to_order", from2020To2025 = "2020_2025", from2010To2019 = "2010_2019", from2006To2009 = "2006_2009"
    case before2006 = "before_2006", from2000To2005 = "2000_2005", the1990s = "1990s", the1980s = "1980s", the1970s = "1970s"
    case the1960s = "1960s", the1950s = "1950s", the1940s = "1940s", the1930s = "1930s", the1920s = "1920s", the1910s = "1910s"
    case the1900s = "1900s", the1800s = "1800s", the1700s = "1700s", before1700 = "before_1700"
}

/// A listing as the seller composes it: every field of the composer's seven steps.
/// Lists keep the seller's order; prices are in minor units of `currency`.
public struct ListingDraft: Equatable, Sendable, Codable {
    public var id: Int64?
    // Product
    public var niche = ""
    public var keyword = ""
    public var productType = ""
    public var tone: Tone = .friendly
    public var audience = ""
    public var language = "en"
    public var brandRules = ""
    // Keywords
    public var keywords: [String] = []
    // Title, description, tags
    public var title = ""
    public var description = ""
    public var tags: [String] = []
    // Metadata
    public var materials: [String] = []
    public var styles: [String] = []
    public var occasion = ""
    public var holiday = ""
    public var recipient = ""
    public var taxonomyID: Int?
    public var whoMade: WhoMade?
    public var whenMade = ""
    public var shippingProfileID: Int?
    /// The shop's section and return policy (ids from the shop, as the last sync read them).
    public var shopSectionID: Int?
    public var returnPolicyID: Int?
    public var priceCents: Int?
    public var currency = "USD"
    public var quantity: Int?
    public var sku = ""
    /// Photos for the listing, as file paths, in order (the first is the main one). Optional so
    /// that drafts saved before it existed still decode.
    public var images: [String]?
    public var imageList: [String] { images ?? [] }
    /// Each photo's alt text (≤ 500 characters), by its file.
    public var imageAlts: [String: String]?
    /// Sizes, colours…: the products of the listing's inventory (nil: none, one product).
    public var variations: Variations?
    /// The Printify product it becomes: blueprint, provider, variants and design (nil: the
    /// `[providers.printify]` defaults).
    public var product: PrintProduct?
    /// The step the composer was last on (0 = Product … 6 = Review).
    public var step = 0
    public var isDemo = false
    /// The row version this draft was read at (nil: not read from the store, or a write that
    /// need not check). A save from an older version is refused as stale, never applied over a
    /// newer one.
    public var version: Int?

    public init(id: Int64? = nil) { self.id = id }

    /// The longest description PODPusher takes, in characters: a file row with a longer one is
    /// refused, and the composer stops typing there (a bound on the work each key costs).
    public static let descriptionLimit = 65_535

    /// The draft with its identity, position and demo mark set aside: what a revision compares.
    public var content: ListingDraft {
        var c = self
        c.id = nil
        c.step = 0
        c.isDemo = false
        c.version = nil
        return c
    }

    /// The draft as JSON (a revision's snapshot, the export format's source).
    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func fromJSON(_ s: String) -> ListingDraft? {
        try? JSONDecoder().decode(ListingDraft.self, from: Data(s.utf8))
    }
}

/// Splits a comma-separated list as the composer and the CSV format write it: trimmed, empty
/// entries dropped.
public func splitList(_ s: String) -> [String] {
    s.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
}

extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, newlines), without a
    /// round trip through `NSString` (which costs microseconds per call on Linux).
    public func trimmingWhitespace() -> String {
        // Most values have nothing to trim: printable ASCII at both ends answers at once.
        let scalars = unicodeScalars
        if let first = scalars.first?.value, let last = scalars.last?.value, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return String(self) }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.index(after: scalars.lastIndex(where: { !$0.properties.isWhitespace })!)
        return first == startIndex && end == endIndex ? String(self) : String(self[first..<end])
    }
}
