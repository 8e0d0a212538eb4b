import Foundation

/// Where a post goes, with that platform's documented limits and picture shapes.
public enum SocialPlatform: String, CaseIterable, Sendable, Codable {
    case pinterest, instagram, x, facebook, tiktok

    /// The longest title (Pinterest's pin title), nil where a post has none.
    public var titleMax: Int? { self == .pinterest ? 100 : nil }
    /// The longest text: Pinterest's description 500, Instagram's caption 2,200, X's post 280
    /// (weighted, a link counted as 23), Facebook's post 63,206, TikTok's caption 2,200.
    public var textMax: Int {
        switch self {
        case .pinterest: 500
        case .instagram, .tiktok: 2_200
        case .x: 280
        case .facebook: 63_206
        }
    }
    /// Instagram refuses a caption with more than 30 hashtags.
    public var hashtagsMax: Int? { self == .instagram ? 30 : nil }
    /// How many hashtags the writer puts in (fewer than the limit: what each platform's own
    /// guidance suggests).
    var hashtagsWritten: Int {
        switch self {
        case .pinterest: 4
        case .instagram: 15
        case .x: 2
        case .facebook: 3
        case .tiktok: 5
        }
    }
    /// Pinterest's alt text (500), shown to screen readers.
    public var altTextMax: Int? { self == .pinterest ? 500 : nil }
    /// Whether the post carries its link in a field of its own (Pinterest's pin link), in its
    /// text (X, Facebook) or not at all (Instagram and TikTok captions do not link).
    public var linkInText: Bool { self == .x || self == .facebook }
    public var hasLinkField: Bool { self == .pinterest }

    /// The picture sizes a post image is made in, the first the default: Pinterest's 2:3
    /// 1000×1500, Instagram's square 1080×1080 and portrait 1080×1350, X's 16:9 1600×900,
    /// Facebook's square, TikTok's 9:16 photo.
    public var shapes: [PostImageShape] {
        switch self {
        case .pinterest: [PostImageShape(width: 1000, height: 1500)]
        case .instagram: [PostImageShape(width: 1080, height: 1080), PostImageShape(width: 1080, height: 1350)]
        case .x: [PostImageShape(width: 1600, height: 900)]
        case .facebook: [PostImageShape(width: 1080, height: 1080)]
        case .tiktok: [PostImageShape(width: 1080, height: 1920)]
        }
    }
}

public struct PostImageShape: Sendable, Equatable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { (self.width, self.height) = (width, height) }
    public var description: String { "\(width)×\(height)" }
}

/// One post for one platform, in the listing's language: what the seller copies, exports or
/// publishes. Hashtags are part of the text, as the platforms take them.
public struct SocialPost: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable { case writer, ai, edited }

    public var platform: SocialPlatform
    public var language: String
    /// Pinterest's pin title; empty elsewhere.
    public var title: String
    public var text: String
    /// The listing's address on Etsy (empty before it is published).
    public var link: String
    public var altText: String
    /// The writer's variant it came from (regenerate asks for the next).
    public var variant: Int
    public var source: Source
    /// The post image, under the data folder (nil before one is made).
    public var imagePath: String?
    public var imageShape: PostImageShape?

    public init(
        platform: SocialPlatform, language: String, title: String = "", text: String, link: String = "", altText: String = "", variant: Int = 0,
        source: Source = .writer, imagePath: String? = nil, imageShape: PostImageShape? = nil
    ) {
        (self.platform, self.language, self.title, self.text, self.link, self.altText) = (platform, language, title, text, link, altText)
        (self.variant, self.source, self.imagePath, self.imageShape) = (variant, source, imagePath, imageShape)
    }

    /// The hashtags in the text, without their `#`, in order.
    public var hashtags: [String] { SocialRules.hashtags(in: text) }

    /// The text's length as the platform counts it (X weighs characters and links).
    public var textLength: Int { platform == .x ? SocialRules.xLength(text) : text.count }

    /// Every limit or brand rule the post breaks.
    public func problems(bannedTopics: [String] = []) -> [SocialProblem] {
        var out: [SocialProblem] = []
        if let max = platform.titleMax, title.count > max { out.append(.titleTooLong(count: title.count, max: max)) }
        if text.trimmingWhitespace().isEmpty { out.append(.textMissing) }
        if textLength > platform.textMax { out.append(.textTooLong(count: textLength, max: platform.textMax)) }
        if let max = platform.hashtagsMax, hashtags.count > max { out.append(.tooManyHashtags(count: hashtags.count, max: max)) }
        if let max = platform.altTextMax, altText.count > max { out.append(.altTextTooLong(count: altText.count, max: max)) }
        if !link.isEmpty, !SocialRules.isWebAddress(link) { out.append(.linkInvalid) }
        let words = (title + " " + text + " " + altText).lowercased()
        for topic in bannedTopics.map({ $0.trimmingWhitespace().lowercased() }) where !topic.isEmpty && SocialRules.names(words, topic) {
            out.append(.bannedTopic(topic))
        }
        return out
    }
}

/// A broken limit or brand rule; the message key is `post.problem.CASE`.
public enum SocialProblem: Sendable, Equatable {
    case titleTooLong(count: Int, max: Int)
    case textMissing
    case textTooLong(count: Int, max: Int)
    case tooManyHashtags(count: Int, max: Int)
    case altTextTooLong(count: Int, max: Int)
    case linkInvalid
    case bannedTopic(String)

    public var key: String {
        switch self {
        case .titleTooLong: "post.problem.title_long"
        case .textMissing: "post.problem.text_missing"
        case .textTooLong: "post.problem.text_long"
        case .tooManyHashtags: "post.problem.hashtags"
        case .altTextTooLong: "post.problem.alt_long"
        case .linkInvalid: "post.problem.link"
        case .bannedTopic: "post.problem.banned"
        }
    }

    /// The values the message names.
    public var args: [String: String] {
        switch self {
        case .titleTooLong(let c, let m), .textTooLong(let c, let m), .tooManyHashtags(let c, let m), .altTextTooLong(let c, let m):
            ["count": "\(c)", "max": "\(m)"]
        case .textMissing, .linkInvalid: [:]
        case .bannedTopic(let t): ["topic": t]
        }
    }
}

/// How the platforms count: hashtags, X's weighted length, web addresses.
public enum SocialRules {
    /// X counts every link as 23 characters (its t.co address).
    public static let xLinkLength = 23

    /// `#` then letters, digits or `_` (any script): what Instagram, TikTok and X link.
    public static func hashtags(in text: String) -> [String] {
        var out: [String] = []
        var current: String?
        var previous: Character = " "
        for c in text + " " {
            if var tag = current {
                if c.isLetter || c.isNumber || c == "_" {
                    tag.append(c)
                    current = tag
                } else {
                    if !tag.isEmpty { out.append(tag) }
                    current = nil
                }
            }
            if current == nil, c == "#", !(previous.isLetter || previous.isNumber || previous == "_" || previous == "&") { current = "" }
            previous = c
        }
        return out
    }

    /// X's length (its counting rules, version 3): a link is 23; a character in Latin, Greek,
    /// Cyrillic and the common punctuation ranges is 1; an emoji or any other character is 2.
    public static func xLength(_ text: String) -> Int {
        var total = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if word.hasPrefix("http://") || word.hasPrefix("https://") {
                total += xLinkLength
                continue
            }
            for g in word {
                let scalars = g.unicodeScalars
                if scalars.contains(where: { $0.properties.isEmojiPresentation })
                    || (scalars.count > 1 && scalars.contains { $0.properties.isEmoji && $0.value > 0xFF })
                {
                    total += 2
                } else {
                    total += scalars.reduce(0) { $0 + (light($1.value) ? 1 : 2) }
                }
            }
        }
        return total + max(0, text.split(separator: " ", omittingEmptySubsequences: false).count - 1)
    }

    static func light(_ v: UInt32) -> Bool {
        (0...4351).contains(v) || (8192...8205).contains(v) || (8208...8223).contains(v) || (8242...8247).contains(v)
    }

    /// An http(s) address with a host, no spaces.
    public static func isWebAddress(_ s: String) -> Bool {
        guard !s.contains(where: \.isWhitespace), let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else { return false }
        return !(url.host ?? "").isEmpty
    }

    /// Whether `text` (lower case) names `topic`: as a word, or inside a hashtag.
    static func names(_ text: String, _ topic: String) -> Bool {
        if text.replacingOccurrences(of: " ", with: "").contains("#" + topic.replacingOccurrences(of: " ", with: "")) { return true }
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
        return " \(words) ".contains(" \(topic.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")) ")
    }

    /// A phrase as one hashtag: its words capitalised and joined, anything but letters and
    /// digits dropped ("moon phase shirt" → `MoonPhaseShirt`); nil when nothing is left.
    public static func hashtag(_ phrase: String) -> String? {
        let words = phrase.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        let tag = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return tag.isEmpty || tag.allSatisfy(\.isNumber) ? nil : String(tag.prefix(60))
    }

    /// The Etsy address of a listing.
    public static func etsyLink(listingID: String) -> String { "https://www.etsy.com/listing/\(listingID)" }
}
