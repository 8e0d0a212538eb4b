import Foundation
import PODCore

/// `[providers.openai]`: an OpenAI-compatible chat completions endpoint (OpenAI itself, or a
/// local model server). Configured when the table names a base URL or a model.
public struct OpenAISettings: Sendable, Equatable {
    public var baseURL: String
    public var model: String
    public var timeout: TimeInterval

    public static let defaultBaseURL = "https://api.openai.com/v1"
    public static let defaultModel = "gpt-4o-mini"

    /// Nil when the user has not asked for an AI copywriter.
    public init?(_ values: [String: String]) {
        guard values["api_base_url"] != nil || values["model"] != nil else { return nil }
        baseURL = values["api_base_url"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? Self.defaultBaseURL
        model = values["model"] ?? Self.defaultModel
        // Seconds, 1 to 600 whatever the file says (`inf` or `nan` included).
        timeout = Checked.clamped(values["timeout"].flatMap(TimeInterval.init), to: 1...600) ?? 30
    }
}

/// Title, description and tags from an AI model, asked for JSON and made to pass Etsy's rules
/// (`Copywriter.conform`) before the seller sees them. One call per request.
public struct OpenAICopywriter: Sendable {
    public let settings: OpenAISettings
    /// Empty for a local model server that asks for none.
    let apiKey: String
    let transport: HTTPTransport

    public init(settings: OpenAISettings, apiKey: String, transport: HTTPTransport) {
        self.settings = settings
        self.apiKey = apiKey
        self.transport = transport
    }

    public func write(_ draft: ListingDraft, cancel: CancelFlag? = nil) throws(ProviderError) -> Copy {
        try Self.parse(try complete(Self.messages(for: draft), cancel: cancel))
    }

    /// A post for `platform` from the listing, in its language and the brand's voice, made to
    /// fit the platform's limits (`SocialWriter.conform`).
    public func writePost(
        _ draft: ListingDraft, platform: SocialPlatform, brand: PostBrand, link: String, cancel: CancelFlag? = nil
    ) throws(ProviderError) -> SocialPost {
        let content = try complete(Self.postMessages(for: draft, platform: platform, brand: brand, link: link), cancel: cancel)
        return try Self.parsePost(content, platform: platform, language: draft.language, link: link)
    }

    /// One chat completion: the first choice's text.
    func complete(_ messages: [[String: String]], cancel: CancelFlag?) throws(ProviderError) -> String {
        let body: [String: Any] = ["model": settings.model, "messages": messages, "temperature": 0.7]
        let request: HTTPRequest
        do {
            request = try HTTPRequest.json(
                "POST", url: settings.baseURL + "/chat/completions",
                headers: apiKey.isEmpty ? [] : [HTTPHeader("Authorization", "Bearer \(apiKey)")],
                object: body, timeout: settings.timeout)
        } catch {
            throw .malformed("the request could not be encoded")
        }
        let response = try transport.exchange(request, cancel: cancel)
        if let error = ProviderError.from(response, fields: []) { throw error }
        guard let choices = response.jsonObject?["choices"] as? [[String: Any]],
            let content = (choices.first?["message"] as? [String: Any])?["content"] as? String
        else {
            throw .malformed("the answer has no choices[0].message.content")
        }
        return content
    }

    static let platformNames: [SocialPlatform: String] = [
        .pinterest: "a Pinterest pin", .instagram: "an Instagram post", .x: "a post on X", .facebook: "a Facebook post", .tiktok: "a TikTok caption",
    ]

    /// The conversation for a post: the platform's limits and the output shape, then the
    /// listing's facts and the brand's voice, handles and banned topics.
    static func postMessages(for d: ListingDraft, platform: SocialPlatform, brand: PostBrand, link: String) -> [[String: String]] {
        var rules = ["The text is at most \(platform.textMax) characters\(platform == .x ? " (a link counts as 23)" : "")."]
        if let max = platform.titleMax { rules.append("The title is at most \(max) characters.") }
        if let max = platform.altTextMax { rules.append("The alt text describes the picture for screen readers in at most \(max) characters.") }
        if let max = platform.hashtagsMax { rules.append("At most \(max) hashtags.") }
        if platform.linkInText, !link.isEmpty { rules.append("Include the link \(link) once.") }
        let system = """
            You write \(platformNames[platform] ?? "a social media post") for a print-on-demand seller's Etsy listing. Answer with one JSON object and nothing else: \
            {"title": string, "text": string, "alt_text": string}. Hashtags go at the end of the text. \(rules.joined(separator: " ")) \
            Never use trademarks, brand or celebrity names, or medical claims.
            """
        var facts = ["Write in \(languageNames[d.language] ?? "English")."]
        func add(_ label: String, _ value: String) { if !value.isEmpty { facts.append("\(label): \(value)") } }
        add("Listing title", d.title)
        add("Primary keyword", d.keyword)
        add("Niche", d.niche)
        add("Product type", d.productType)
        add("Tags", d.tags.joined(separator: ", "))
        add("Tone", (brand.tone ?? d.tone).rawValue)
        add("Brand", brand.name)
        add("Handles to mention", brand.handles.map { "@" + $0 }.joined(separator: ", "))
        add("Never mention these topics", brand.bannedTopics.joined(separator: ", "))
        return [["role": "system", "content": system], ["role": "user", "content": facts.joined(separator: "\n")]]
    }

    static func parsePost(_ content: String, platform: SocialPlatform, language: String, link: String) throws(ProviderError) -> SocialPost {
        guard let open = content.firstIndex(of: "{"), let close = content.lastIndex(of: "}"), open < close,
            let object = (try? JSONSerialization.jsonObject(with: Data(content[open...close].utf8))) as? [String: Any]
        else {
            throw .malformed("the model did not answer with a JSON object")
        }
        let text = (object["text"] as? String ?? "").trimmingWhitespace()
        guard !text.isEmpty else { throw .malformed("the model's JSON has no text") }
        return SocialWriter.conform(
            SocialPost(
                platform: platform, language: language, title: object["title"] as? String ?? "", text: text,
                link: platform.hasLinkField || platform.linkInText ? link : "", altText: object["alt_text"] as? String ?? "", source: .ai))
    }

    static let languageNames = ["en": "English", "es": "Spanish", "fr": "French", "de": "German"]

    /// The conversation: Etsy's rules and the output shape in the system message, the draft's
    /// facts in the user message.
    static func messages(for d: ListingDraft) -> [[String: String]] {
        let system = """
            You write Etsy listings for a print-on-demand seller. Answer with one JSON object and nothing else: \
            {"title": string, "description": string, "tags": [string]}. \
            Rules: the title is at most 140 characters, starts with the primary keyword, never contains $ ^ or `, and uses each of % : & + at most once. \
            Exactly 13 tags, each at most 20 characters of letters, digits, spaces, - and ', all different, little word overlap. \
            The description opens with the keyword in its first sentence, then short paragraphs or "- " bullet lines (materials, sizing, care, gifting). \
            Never use trademarks, brand or celebrity names, or medical claims.
            """
        var facts = ["Write in \(languageNames[d.language] ?? "English")."]
        func add(_ label: String, _ value: String) { if !value.isEmpty { facts.append("\(label): \(value)") } }
        add("Niche", d.niche)
        add("Primary keyword", d.keyword)
        add("Other keywords", d.keywords.joined(separator: ", "))
        add("Product type", d.productType)
        add("Target audience", d.audience)
        add("Tone", d.tone.rawValue)
        add("Occasion", d.occasion)
        add("Holiday", d.holiday)
        add("Recipient", d.recipient)
        add("Materials", d.materials.joined(separator: ", "))
        add("Brand rules (follow them)", d.brandRules)
        return [["role": "system", "content": system], ["role": "user", "content": facts.joined(separator: "\n")]]
    }

    /// The JSON object in a model's answer (models often wrap it in a code fence or a sentence).
    static func parse(_ content: String) throws(ProviderError) -> Copy {
        guard let open = content.firstIndex(of: "{"), let close = content.lastIndex(of: "}"), open < close,
            let object = (try? JSONSerialization.jsonObject(with: Data(content[open...close].utf8))) as? [String: Any]
        else {
            throw .malformed("the model did not answer with a JSON object")
        }
        let title = object["title"] as? String ?? ""
        let description = object["description"] as? String ?? ""
        let tags = (object["tags"] as? [Any])?.compactMap { $0 as? String } ?? (object["tags"] as? String).map(splitList) ?? []
        guard !title.isEmpty || !description.isEmpty || !tags.isEmpty else { throw .malformed("the model's JSON has no title, description or tags") }
        return Copywriter.conform(Copy(title: title, description: description, tags: tags))
    }
}
