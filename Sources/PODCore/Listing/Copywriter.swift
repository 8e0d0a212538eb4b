import Foundation

/// Title, description and tags written for a draft.
public struct Copy: Equatable, Sendable {
    public var title: String
    public var description: String
    public var tags: [String]
    public init(title: String, description: String, tags: [String]) {
        self.title = title
        self.description = description
        self.tags = tags
    }
}

/// The built-in copywriter: rule-based and deterministic. The same niche, keyword, audience,
/// product type, tone, language and variant give the same copy; "regenerate" asks for the next
/// variant. Everything it writes passes `ListingRules` (titles are cut at a separator to fit,
/// tags that would break a rule are skipped).
public enum Copywriter {
    struct Phrases {
        var adjectives: [Tone: String]
        var titles: [String]
        var gift: String
        var fallbackAudience: String
        var fallbackProduct: String
        var intro: [Tone: String]
        var features: [String]
        var closing: String
        var genericTags: [String]
        var titleCase: Bool
    }

    static let phrases: [String: Phrases] = [
        "en": Phrases(
            adjectives: [.friendly: "Cozy", .playful: "Funny", .elegant: "Elegant", .bold: "Bold", .minimal: "Minimalist"],
            titles: [
                "{keyword} {product}, {adj} {niche} Gift for {audience}, {niche} Lover Present",
                "{adj} {keyword} {product} – {niche} Design for {audience}, Unique Gift Idea",
                "{keyword} {product} for {audience} – {adj} {niche} Gift, Birthday and Holiday Present",
            ],
            gift: "gift", fallbackAudience: "everyone", fallbackProduct: "shirt",
            intro: [
                .friendly: "Say hello to your new favourite {product}: {keyword}, made for {audience}.",
                .playful: "Warning: this {keyword} {product} may cause spontaneous smiles. Made for {audience}.",
                .elegant: "A refined {keyword} {product} with a quiet nod to {niche}, made for {audience}.",
                .bold: "Make a statement with this {keyword} {product} – {niche} pride for {audience}.",
                .minimal: "{keyword} {product}. Clean lines, {niche} at heart, made for {audience}.",
            ],
            features: ["Printed on demand just for you", "Soft, durable and easy to care for", "A thoughtful gift for {audience}"],
            closing: "Each item is made to order, so please allow a few days for production before it ships.",
            genericTags: [
                "gift idea", "unique gift", "birthday gift", "present for her", "present for him", "custom gift", "christmas gift",
                "anniversary gift", "gift for friend", "novelty gift",
            ],
            titleCase: true),
        "es": Phrases(
            adjectives: [.friendly: "acogedor", .playful: "divertido", .elegant: "elegante", .bold: "atrevido", .minimal: "minimalista"],
            titles: [
                "{product} {keyword}, regalo {adj} de {niche} para {audience}",
                "{product} {adj} {keyword} – diseño de {niche} para {audience}, idea de regalo",
                "{product} {keyword} para {audience} – regalo {adj} de {niche} para cumpleaños",
            ],
            gift: "regalo", fallbackAudience: "todos", fallbackProduct: "camiseta",
            intro: [
                .friendly: "Te presentamos tu nueva {product} favorita: {keyword} para {audience} que aman {niche}.",
                .playful: "Aviso: esta {product} {keyword} provoca sonrisas. Hecha para {audience} que aman {niche}.",
                .elegant: "Una {product} {keyword} refinada, con un guiño discreto a {niche}, para {audience}.",
                .bold: "Hazte notar con esta {product} {keyword}: orgullo de {niche} para {audience}.",
                .minimal: "{product} {keyword}. Líneas limpias, {niche} en el corazón, para {audience}.",
            ],
            features: ["Impresa bajo pedido solo para ti", "Suave, resistente y fácil de cuidar", "Un regalo especial para {audience}"],
            closing: "Cada artículo se fabrica bajo pedido: cuenta con unos días de producción antes del envío.",
            genericTags: [
                "idea de regalo", "regalo original", "regalo cumpleaños", "regalo para ella", "regalo para él", "regalo navidad",
                "regalo aniversario", "regalo amigo", "regalo divertido",
            ],
            titleCase: false),
        "fr": Phrases(
            adjectives: [.friendly: "douillet", .playful: "drôle", .elegant: "élégant", .bold: "audacieux", .minimal: "minimaliste"],
            titles: [
                "{product} {keyword}, cadeau {adj} {niche} pour {audience}",
                "{product} {adj} {keyword} – motif {niche} pour {audience}, idée cadeau",
                "{product} {keyword} pour {audience} – cadeau {adj} {niche} pour anniversaire",
            ],
            gift: "cadeau", fallbackAudience: "tous", fallbackProduct: "t-shirt",
            intro: [
                .friendly: "Voici votre nouveau {product} préféré : {keyword} pour {audience} qui aiment {niche}.",
                .playful: "Attention : ce {product} {keyword} déclenche des sourires. Pour {audience} qui aiment {niche}.",
                .elegant: "Un {product} {keyword} raffiné, clin d'œil discret à {niche}, pour {audience}.",
                .bold: "Affirmez-vous avec ce {product} {keyword} : la fierté {niche} pour {audience}.",
                .minimal: "{product} {keyword}. Des lignes épurées, {niche} au cœur, pour {audience}.",
            ],
            features: ["Imprimé à la demande rien que pour vous", "Doux, résistant et facile d'entretien", "Un cadeau attentionné pour {audience}"],
            closing: "Chaque article est fabriqué à la commande : comptez quelques jours de production avant l'envoi.",
            genericTags: [
                "idée cadeau", "cadeau original", "cadeau anniversaire", "cadeau pour elle", "cadeau pour lui", "cadeau noël",
                "cadeau ami", "cadeau amusant", "cadeau fête",
            ],
            titleCase: false),
        "de": Phrases(
            adjectives: [.friendly: "gemütlich", .playful: "lustig", .elegant: "elegant", .bold: "auffällig", .minimal: "minimalistisch"],
            titles: [
                "{product} {keyword}, {niche} Geschenk für {audience}, {adj} und einzigartig",
                "{adj}es {product} {keyword} – {niche} Design für {audience}, Geschenkidee",
                "{product} {keyword} für {audience} – {niche} Geschenk zum Geburtstag",
            ],
            gift: "Geschenk", fallbackAudience: "alle", fallbackProduct: "T-Shirt",
            intro: [
                .friendly: "Dein neues Lieblings-{product}: {keyword} für {audience}, die {niche} lieben.",
                .playful: "Achtung: Dieses {product} {keyword} macht gute Laune. Für {audience}, die {niche} lieben.",
                .elegant: "Ein edles {product} {keyword} mit einem dezenten Gruß an {niche}, für {audience}.",
                .bold: "Setz ein Zeichen mit diesem {product} {keyword} – {niche} mit Stolz, für {audience}.",
                .minimal: "{product} {keyword}. Klare Linien, {niche} im Herzen, für {audience}.",
            ],
            features: ["Nur für dich auf Bestellung gedruckt", "Weich, langlebig und pflegeleicht", "Ein liebevolles Geschenk für {audience}"],
            closing: "Jeder Artikel wird auf Bestellung gefertigt: Bitte rechne mit einigen Tagen Produktionszeit vor dem Versand.",
            genericTags: [
                "Geschenkidee", "Geschenk", "Geburtstagsgeschenk", "Geschenk für sie", "Geschenk für ihn", "Weihnachtsgeschenk",
                "Jahrestag Geschenk", "Geschenk Freund", "lustiges Geschenk",
            ],
            titleCase: false),
    ]

    public static func write(_ d: ListingDraft, variant: Int = 0) -> Copy {
        let p = phrases[d.language] ?? phrases["en"]!
        let keyword = clean(d.keyword.isEmpty ? d.niche : d.keyword)
        let niche = clean(d.niche.isEmpty ? d.keyword : d.niche)
        let product = clean(d.productType.isEmpty ? p.fallbackProduct : d.productType)
        let audience = clean(d.audience.isEmpty ? p.fallbackAudience : d.audience)
        let adjective = p.adjectives[d.tone] ?? ""
        let seed = stableHash([d.language, keyword, niche, product, audience, d.tone.rawValue].joined(separator: "\u{1}"))
        // "moon shirt" already names a T-shirt: the product word is not said twice beside it.
        let named = names(keyword, product: product)
        func fill(_ template: String, titled: Bool) -> String {
            let values = ["{keyword}": keyword, "{niche}": niche, "{product}": product, "{audience}": audience, "{adj}": adjective]
            var s = template
            if named {
                s = s.replacingOccurrences(of: "{keyword} {product}", with: "{keyword}").replacingOccurrences(of: "{product} {keyword}", with: "{keyword}")
            }
            for (k, v) in values { s = s.replacingOccurrences(of: k, with: titled && p.titleCase ? titleCased(v) : v) }
            return s.replacingOccurrences(of: "  ", with: " ").trimmingWhitespace()
        }
        let template = p.titles[(Int(seed % UInt64(p.titles.count)) + variant) % p.titles.count]
        let title = fit(capitalizedFirst(fill(template, titled: true)))

        var lines = [capitalizedFirst(fill(p.intro[d.tone] ?? "", titled: false)), ""]
        lines += p.features.map { "- " + fill($0, titled: false) }
        lines += ["", p.closing]
        let description = lines.joined(separator: "\n")

        // A keyword too long for a tag (20 characters) gives its two-word runs instead.
        func pieces(_ phrase: String) -> [String] {
            let words = phrase.split(separator: " ")
            return phrase.count <= ListingRules.tagLengthMax ? [phrase] : zip(words, words.dropFirst()).map { "\($0) \($1)" }
        }
        // The niche, the keyword and the seller's keywords (from the signals) first; words the
        // seller did not give (the fallback product and audience) never become tags alone.
        var candidates = d.keywords + pieces(keyword) + pieces(niche)
        candidates += [named ? keyword : "\(keyword) \(product)", "\(niche) \(product)", "\(niche) \(p.gift)", "\(adjective) \(product)"]
        if !d.productType.isEmpty { candidates.append(product) }
        if !d.audience.isEmpty { candidates += [audience, "\(p.gift) \(audience)"] }
        candidates += d.tags
        let generic = p.genericTags
        return Copy(
            title: title, description: description, tags: pickTags(candidates, fallback: (0..<generic.count).map { generic[($0 + variant) % generic.count] }))
    }

    /// Whether a keyword already names the product ("moon shirt" a T-shirt, "cat mugs" a mug):
    /// the product's last word, singular, is one of the keyword's.
    static func names(_ keyword: String, product: String) -> Bool {
        func words(_ s: String) -> [String] {
            s.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map { w in w.count > 3 && w.hasSuffix("s") ? String(w.dropLast()) : String(w) }
        }
        guard let head = words(product).last else { return false }
        return words(keyword).contains(head)
    }

    /// Up to 13 candidates that pass the tag rules, lower-cased, without duplicates. Tags
    /// made only of words not used yet go first (in the candidates' order), then the rest:
    /// varied tags reach more searches (the SEO score's "tag variety"). `fallback` (generic
    /// gift words) only fills what room is left.
    public static func pickTags(_ candidates: [String], fallback: [String] = []) -> [String] {
        func valid(_ list: [String]) -> [String] {
            list.map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty && ListingRules.checkTag($0).isEmpty }
        }
        let own = valid(candidates)
        func words(_ tag: String) -> [Substring] { tag.split(whereSeparator: { $0 == " " || $0 == "-" }) }
        var out: [String] = []
        var seen = Set<String>(), usedWords = Set<Substring>()
        for tag in own where out.count < ListingRules.tagsMax && !seen.contains(tag) && words(tag).allSatisfy({ !usedWords.contains($0) }) {
            out.append(tag)
            seen.insert(tag)
            usedWords.formUnion(words(tag))
        }
        for tag in own + valid(fallback) where out.count < ListingRules.tagsMax && seen.insert(tag).inserted { out.append(tag) }
        return out
    }

    /// Copy from elsewhere (an AI model) made to pass the rules: characters a title refuses
    /// dropped (each of `% : & +` kept once), cut to 140 characters at a separator; only valid,
    /// distinct tags, at most 13; the description trimmed.
    public static func conform(_ copy: Copy) -> Copy {
        var seen = Set<Character>()
        let title = String(
            copy.title.filter { c in
                if "$^`\n\r\t".contains(c) { return false }
                if "%:&+".contains(c) { return seen.insert(c).inserted }
                return true
            })
        let words = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return Copy(title: fit(words), description: copy.description.trimmingWhitespace(), tags: pickTags(copy.tags))
    }

    /// Cuts a title at the last separator that lets it fit in 140 characters.
    static func fit(_ title: String) -> String {
        var t = title
        while t.count > ListingRules.titleMax {
            guard let cut = t.lastIndex(where: { $0 == "," || $0 == "–" || $0 == "|" }) else { return String(t.prefix(ListingRules.titleMax)) }
            t = String(t[..<cut]).trimmingWhitespace()
        }
        return t
    }

    /// Input words without characters a title refuses.
    static func clean(_ s: String) -> String {
        String(s.unicodeScalars.filter { !"$^`%:&+".unicodeScalars.contains($0) }).trimmingWhitespace()
    }

    static func titleCased(_ s: String) -> String {
        s.split(separator: " ").map { capitalizedFirst(String($0)) }.joined(separator: " ")
    }

    static func capitalizedFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }

    /// FNV-1a: stable across runs and machines (Swift's `hashValue` is seeded per process).
    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
