import Foundation

/// What a post is written from besides the listing: the brand's voice and rules.
public struct PostBrand: Sendable, Equatable {
    public var name: String
    public var tone: Tone?
    /// Handles without their `@`.
    public var handles: [String]
    public var bannedTopics: [String]
    public init(name: String = "", tone: Tone? = nil, handles: [String] = [], bannedTopics: [String] = []) {
        (self.name, self.tone, self.handles, self.bannedTopics) = (name, tone, handles, bannedTopics)
    }

    public init(_ profile: BrandProfile?) {
        self.init(name: profile?.name ?? "", tone: profile?.tone, handles: profile?.handles ?? [], bannedTopics: profile?.bannedTopics ?? [])
    }
}

/// The built-in post writer: rule-based and deterministic, in the listing's language (en, es,
/// fr, de) and the brand's tone. Each platform's post fits its limits as written: hashtags
/// are dropped, then the text cut at a sentence, until it does. Hashtags naming a banned
/// topic are never written. `variant` gives another opening and call to action.
public enum SocialWriter {
    struct Phrases {
        var hooks: [Tone: [String]]
        var shop: [String]
        var bio: String
        var follow: String
        var alt: String
        var altPlain: String
        var fallbackProduct: String
    }

    static let phrases: [String: Phrases] = [
        "en": Phrases(
            hooks: [
                .friendly: ["Meet your new favourite {product}: {keyword}.", "Looking for a {keyword} gift? This {product} is for you."],
                .playful: ["Warning: this {keyword} {product} causes spontaneous smiles.", "Plot twist: you need this {keyword} {product}."],
                .elegant: ["A quiet nod to {niche}: the {keyword} {product}.", "Refined, simple, yours: the {keyword} {product}."],
                .bold: ["Make a statement with this {keyword} {product}.", "{niche} pride, loud and clear: the {keyword} {product}."],
                .minimal: ["{keyword}. {product}. Nothing more.", "Clean lines, {niche} at heart: the {keyword} {product}."],
            ],
            shop: ["Shop it on Etsy", "Find it in our Etsy shop", "Made to order, on Etsy now"], bio: "link in bio",
            follow: "Follow @{handle} for new designs", alt: "{product} with a {keyword} design", altPlain: "A {keyword} design",
            fallbackProduct: "shirt"),
        "es": Phrases(
            hooks: [
                .friendly: ["Tu nueva {product} favorita: {keyword}.", "¿Buscas un regalo de {keyword}? Esta {product} es para ti."],
                .playful: ["Aviso: esta {product} {keyword} provoca sonrisas.", "Giro inesperado: necesitas esta {product} {keyword}."],
                .elegant: ["Un guiño discreto a {niche}: {product} {keyword}.", "Sencilla y refinada: {product} {keyword}."],
                .bold: ["Hazte notar con esta {product} {keyword}.", "Orgullo de {niche}: {product} {keyword}."],
                .minimal: ["{keyword}. {product}. Nada más.", "Líneas limpias, {niche} en el corazón: {product} {keyword}."],
            ],
            shop: ["Disponible en Etsy", "En nuestra tienda de Etsy", "Hecha bajo pedido, ya en Etsy"], bio: "enlace en la bio",
            follow: "Sigue a @{handle} para ver nuevos diseños", alt: "{product} con diseño de {keyword}", altPlain: "Diseño de {keyword}",
            fallbackProduct: "camiseta"),
        "fr": Phrases(
            hooks: [
                .friendly: ["Votre nouveau {product} préféré : {keyword}.", "Une idée cadeau {keyword} ? Ce {product} est pour vous."],
                .playful: ["Attention : ce {product} {keyword} déclenche des sourires.", "Rebondissement : il vous faut ce {product} {keyword}."],
                .elegant: ["Un clin d'œil discret à {niche} : le {product} {keyword}.", "Simple et raffiné : le {product} {keyword}."],
                .bold: ["Affirmez-vous avec ce {product} {keyword}.", "La fierté {niche}, haut et fort : le {product} {keyword}."],
                .minimal: ["{keyword}. {product}. Rien de plus.", "Des lignes épurées, {niche} au cœur : le {product} {keyword}."],
            ],
            shop: ["Disponible sur Etsy", "Dans notre boutique Etsy", "Fabriqué à la commande, sur Etsy"], bio: "lien en bio",
            follow: "Suivez @{handle} pour les nouveautés", alt: "{product} avec un motif {keyword}", altPlain: "Un motif {keyword}",
            fallbackProduct: "t-shirt"),
        "de": Phrases(
            hooks: [
                .friendly: ["Dein neues Lieblings-{product}: {keyword}.", "Auf der Suche nach einem {keyword} Geschenk? Dieses {product} ist für dich."],
                .playful: ["Achtung: Dieses {product} {keyword} macht gute Laune.", "Überraschung: Du brauchst dieses {product} {keyword}."],
                .elegant: ["Ein dezenter Gruß an {niche}: das {product} {keyword}.", "Schlicht und edel: das {product} {keyword}."],
                .bold: ["Setz ein Zeichen mit diesem {product} {keyword}.", "{niche} mit Stolz: das {product} {keyword}."],
                .minimal: ["{keyword}. {product}. Mehr nicht.", "Klare Linien, {niche} im Herzen: das {product} {keyword}."],
            ],
            shop: ["Jetzt auf Etsy entdecken", "In unserem Etsy-Shop", "Auf Bestellung gefertigt, jetzt auf Etsy"], bio: "Link in der Bio",
            follow: "Folge @{handle} für neue Designs", alt: "{product} mit {keyword}-Motiv", altPlain: "{keyword}-Motiv",
            fallbackProduct: "T-Shirt"),
    ]

    public static let languages = ["en", "es", "fr", "de"]

    /// The post for `platform` from the listing `d`, in its language.
    public static func write(_ d: ListingDraft, platform: SocialPlatform, brand: PostBrand = PostBrand(), link: String = "", variant: Int = 0) -> SocialPost {
        let language = phrases[d.language] != nil ? d.language : "en"
        let p = phrases[language]!
        let keyword = Copywriter.clean(d.keyword.isEmpty ? (d.niche.isEmpty ? headline(of: d.title) : d.niche) : d.keyword)
        let niche = Copywriter.clean(d.niche.isEmpty ? keyword : d.niche)
        // Without a product type, the headline's last word names the product ("… Ghost Pillow").
        let headlineWords = headline(of: d.title).split(separator: " ")
        let product = Copywriter.clean(
            !d.productType.isEmpty ? d.productType : headlineWords.count >= 2 ? String(headlineWords.last!) : p.fallbackProduct)
        let tone = brand.tone ?? d.tone
        let named = Copywriter.names(keyword, product: product)
        func fill(_ template: String) -> String {
            var s = template
            if named {
                s = s.replacingOccurrences(of: "{keyword} {product}", with: "{keyword}").replacingOccurrences(of: "{product} {keyword}", with: "{keyword}")
            }
            for (k, v) in ["{keyword}": keyword, "{niche}": niche, "{product}": product] { s = s.replacingOccurrences(of: k, with: v) }
            return Copywriter.capitalizedFirst(s.replacingOccurrences(of: "  ", with: " ").trimmingWhitespace())
        }
        let seed = Int(Copywriter.stableHash([language, keyword, platform.rawValue].joined(separator: "\u{1}")) % 1000)
        let hooks = p.hooks[tone] ?? p.hooks[.friendly]!
        let hook = fill(hooks[(seed + variant) % hooks.count])
        let cta = p.shop[(seed + variant) % p.shop.count]
        let follow = brand.handles.first.map { p.follow.replacingOccurrences(of: "{handle}", with: $0) }
        let feature = firstSentence(of: d.description)
        let tags = hashtags(for: d, keyword: keyword, niche: niche, product: named ? nil : product, banned: brand.bannedTopics, variant: variant)
        // The main photo's own alt text when the seller wrote one, else a line from the listing.
        let photoAlt = d.imageList.first.flatMap { d.imageAlts?[$0] }?.trimmingWhitespace() ?? ""
        let alt = photoAlt.isEmpty ? fill(d.productType.isEmpty ? p.altPlain : p.alt) : photoAlt

        var post = SocialPost(platform: platform, language: language, text: "", variant: variant)
        // Parts in the order they are dropped when the text does not fit: the hashtags one by
        // one from the end, then the follow line, then the description's sentence.
        var parts: (feature: String?, follow: String?, tags: [String]) = (feature, follow, Array(tags.prefix(platform.hashtagsWritten)))
        func compose() -> String {
            let hashtagLine = parts.tags.map { "#" + $0 }.joined(separator: " ")
            switch platform {
            case .pinterest:
                return [hook, parts.feature, cta + ".", hashtagLine].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            case .instagram, .tiktok:
                let call = "\(cta) (\(p.bio))."
                return [[hook, parts.feature].compactMap { $0 }.joined(separator: " "), call, parts.follow, hashtagLine].compactMap { $0 }
                    .filter { !$0.isEmpty }.joined(separator: "\n\n")
            case .x:
                return [hook, link.isEmpty ? nil : link, hashtagLine].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            case .facebook:
                let call = link.isEmpty ? cta + "." : "\(cta): \(link)"
                return [[hook, parts.feature].compactMap { $0 }.joined(separator: " "), call, parts.follow, hashtagLine].compactMap { $0 }
                    .filter { !$0.isEmpty }.joined(separator: "\n\n")
            }
        }
        post.text = compose()
        while SocialPost(platform: platform, language: language, text: post.text).textLength > platform.textMax {
            if !parts.tags.isEmpty {
                parts.tags.removeLast()
            } else if parts.follow != nil {
                parts.follow = nil
            } else if parts.feature != nil {
                parts.feature = nil
            } else {
                post.text = String(post.text.prefix(platform.textMax))
                break
            }
            post.text = compose()
        }
        if platform == .pinterest {
            post.title = fit(d.title.isEmpty ? hook : d.title, max: platform.titleMax ?? 100)
            post.link = link
            post.altText = String(alt.prefix(platform.altTextMax ?? 500))
        } else if platform.linkInText {
            post.link = link
        }
        return post
    }

    /// A post from elsewhere (an AI model) made to fit: the title cut at a separator, the text
    /// with its hashtags over the limit and then its end dropped, the alt text cut.
    public static func conform(_ post: SocialPost) -> SocialPost {
        var p = post
        p.title = p.platform.titleMax.map { fit(p.title.replacingOccurrences(of: "\n", with: " "), max: $0) } ?? ""
        if let max = p.platform.hashtagsMax {
            var seen = 0
            p.text = p.text.split(separator: " ", omittingEmptySubsequences: false).filter { word in
                guard word.hasPrefix("#") else { return true }
                seen += 1
                return seen <= max
            }.joined(separator: " ")
        }
        while p.textLength > p.platform.textMax, !p.text.isEmpty { p.text = String(p.text.dropLast(max(1, (p.textLength - p.platform.textMax) / 2))) }
        p.text = p.text.trimmingWhitespace()
        p.altText = p.platform.altTextMax.map { String(p.altText.prefix($0)) } ?? ""
        return p
    }

    /// The listing's headline: its title up to the first separator.
    public static func headline(of title: String) -> String {
        String(title.split(whereSeparator: { ",–|-:".contains($0) }).first ?? "").trimmingWhitespace()
    }

    /// The description's first sentence, when it is short enough to quote.
    static func firstSentence(of description: String) -> String? {
        let line = description.split(separator: "\n").first.map(String.init)?.trimmingWhitespace() ?? ""
        guard !line.isEmpty else { return nil }
        let end = line.firstIndex(where: { ".!?".contains($0) }).map { line.index(after: $0) } ?? line.endIndex
        let sentence = String(line[..<end])
        return sentence.count <= 160 ? sentence : nil
    }

    /// Hashtags from the keyword, niche, product (nil when the keyword names it) and tags,
    /// without repeats or banned topics; a variant starts the tags' part elsewhere.
    static func hashtags(for d: ListingDraft, keyword: String, niche: String, product: String?, banned: [String], variant: Int) -> [String] {
        let bannedWords = banned.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } }.filter { !$0.isEmpty }
        var rest = d.tags
        if !rest.isEmpty { rest = Array(rest[(variant % rest.count)...] + rest[..<(variant % rest.count)]) }
        var seen = Set<String>()
        return ([keyword, niche] + (product.map { ["\(niche) \($0)"] } ?? []) + rest).compactMap(SocialRules.hashtag).filter { tag in
            let lower = tag.lowercased()
            return !bannedWords.contains(where: { lower.contains($0) }) && seen.insert(lower).inserted
        }
    }

    /// Cut at the last separator (or word) that fits.
    static func fit(_ text: String, max: Int) -> String {
        var t = text.trimmingWhitespace()
        while t.count > max {
            if let cut = t.lastIndex(where: { $0 == "," || $0 == "–" || $0 == "|" }), t.distance(from: t.startIndex, to: cut) > max / 3 {
                t = String(t[..<cut]).trimmingWhitespace()
            } else if let space = t.prefix(max + 1).lastIndex(of: " ") {
                t = String(t[..<space]).trimmingWhitespace()
            } else {
                t = String(t.prefix(max))
            }
        }
        return t
    }
}
