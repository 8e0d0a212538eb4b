import Foundation
import PODCore

/// `[providers.printify]`: the API and the product template drafts are made into (Printify
/// needs a blueprint, a print provider, variants and a print file; drafts do not carry them
/// yet, so one template from the configuration serves every draft).
public struct PrintifySettings: Sendable, Equatable {
    public var apiBaseURL: String
    /// The shop to publish to (default: the account's first shop).
    public var shopID: Int?
    public var blueprintID: Int?
    public var printProviderID: Int?
    public var variantIDs: [Int]
    /// The design printed on every product: a file path or an http(s) URL.
    public var image: String?
    public static let defaultAPIBaseURL = "https://api.printify.com/v1"

    public init(_ values: [String: String]) {
        apiBaseURL = values["api_base_url"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? Self.defaultAPIBaseURL
        shopID = values["shop_id"].flatMap(Int.init)
        blueprintID = values["blueprint_id"].flatMap(Int.init)
        printProviderID = values["print_provider_id"].flatMap(Int.init)
        variantIDs = (values["variant_ids"] ?? "").split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
        image = values["image"]
    }

    /// What is missing before a draft can become a product, as the keys to set.
    public var missingTemplate: [String] {
        var out: [String] = []
        if blueprintID == nil { out.append("blueprint_id") }
        if printProviderID == nil { out.append("print_provider_id") }
        if variantIDs.isEmpty { out.append("variant_ids") }
        if image == nil { out.append("image") }
        return out
    }
}

public struct PrintifyShop: Equatable, Sendable {
    public var id: Int
    public var title: String
    /// "etsy" when the shop publishes to Etsy: then Printify creates the Etsy listing, and the
    /// listing must not also be pushed to Etsy directly.
    public var salesChannel: String
}

public struct PrintifyProduct: Equatable, Sendable {
    public var id: String
    public var title: String
    public var createdAt: Date?
    public var updatedAt: Date?
    /// The lowest enabled variant price, in cents.
    public var priceCents: Int?
    /// Published to the sales channel (visible there, or with the listing it made).
    public var published = false
}

/// The Printify API v1 calls PODPusher makes (DESIGN.md §4): personal access token as Bearer,
/// the `User-Agent` Printify requires (the transport sends it), paging by `page`/`limit` with
/// `next_page_url`, prices in cents. Catalog answers change rarely and are kept for a week.
public struct PrintifyClient: Sendable {
    public let settings: PrintifySettings
    let token: String
    let transport: HTTPTransport
    let pace: @Sendable () throws(ProviderError) -> Void
    let catalogCache: @Sendable (String, () throws -> Data) throws -> Data
    public var timeout: TimeInterval = 30

    public static let productFields = ["title", "description", "tags", "variants", "price", "print_areas", "blueprint_id", "print_provider_id"]

    public init(
        settings: PrintifySettings, token: String, transport: HTTPTransport, pace: @escaping @Sendable () throws(ProviderError) -> Void = {},
        catalogCache: @escaping @Sendable (String, () throws -> Data) throws -> Data = { _, fetch in try fetch() }
    ) {
        self.settings = settings
        self.token = token
        self.transport = transport
        self.pace = pace
        self.catalogCache = catalogCache
    }

    var headers: [HTTPHeader] { [HTTPHeader("Authorization", "Bearer \(token)"), HTTPHeader("Accept", "application/json")] }

    func send(_ request: HTTPRequest) throws(ProviderError) -> HTTPResponse {
        try pace()
        let response = try transport.exchange(request)
        if let error = ProviderError.from(response, fields: Self.productFields) { throw error }
        return response
    }

    func json(_ request: HTTPRequest) throws(ProviderError) -> Any {
        let response = request.method == "GET" ? try withReadRetries { () throws(ProviderError) in try send(request) } : try send(request)
        guard let object = try? JSONSerialization.jsonObject(with: response.body) else {
            throw .malformed("Printify answered \(response.status) with a body that is not JSON")
        }
        return object
    }

    func url(_ path: String) -> String { settings.apiBaseURL + path }

    public func shops() throws(ProviderError) -> [PrintifyShop] {
        guard let list = try json(HTTPRequest(url: url("/shops.json"), headers: headers, timeout: timeout)) as? [[String: Any]] else {
            throw .malformed("shops.json is not a list")
        }
        return list.compactMap { o in
            (o["id"] as? NSNumber).map { PrintifyShop(id: $0.intValue, title: o["title"] as? String ?? "", salesChannel: o["sales_channel"] as? String ?? "") }
        }
    }

    /// A catalog list (blueprints, a blueprint's print providers, their variants), from the
    /// week-long cache when it has it.
    public func catalog(_ path: String) throws(ProviderError) -> Any {
        let request = HTTPRequest(url: url("/catalog/" + path), headers: headers, timeout: timeout)
        let data: Data
        do {
            data = try catalogCache(path) { () throws(ProviderError) -> Data in try send(request).body }
        } catch let e as ProviderError {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) else { throw .malformed("the catalog answer is not JSON") }
        return object
    }

    /// Every product of the shop, newest first, following `next_page_url` to the end.
    public func products(shopID: Int, until: (PrintifyProduct) -> Bool = { _ in false }) throws(ProviderError) -> [PrintifyProduct] {
        var out: [PrintifyProduct] = []
        var page = 1
        while true {
            guard
                let o = try json(HTTPRequest(url: url("/shops/\(shopID)/products.json?limit=50&page=\(page)"), headers: headers, timeout: timeout))
                    as? [String: Any],
                let data = o["data"] as? [[String: Any]]
            else { throw .malformed("products.json has no data") }
            let products = data.compactMap(Self.product)
            out += products
            if o["next_page_url"] as? String == nil || products.isEmpty || products.last.map(until) == true { return out }
            page += 1
        }
    }

    /// `POST uploads/images.json`: the design, from a URL or a file's contents; its image id.
    public func uploadImage(_ source: String) throws(ProviderError) -> String {
        var body: [String: Any] = ["file_name": URL(fileURLWithPath: source).lastPathComponent]
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            body["url"] = source
        } else {
            guard let data = FileManager.default.contents(atPath: source) else { throw .notConfigured("providers.printify.image: cannot read \(source)") }
            body["contents"] = data.base64EncodedString()
        }
        guard let request = try? HTTPRequest.json("POST", url: url("/uploads/images.json"), headers: headers, object: body, timeout: 120),
            let o = try json(request) as? [String: Any], let id = o["id"] as? String ?? (o["id"] as? NSNumber)?.stringValue
        else {
            throw .malformed("the upload answer has no id")
        }
        return id
    }

    /// The product body for a draft: the template's blueprint, provider and variants at the
    /// draft's price (cents), its design on the front.
    func productBody(_ d: ListingDraft, imageID: String) throws(ProviderError) -> [String: Any] {
        let s = settings
        guard let blueprint = s.blueprintID, let provider = s.printProviderID, !s.variantIDs.isEmpty else {
            throw .notConfigured("providers.printify needs \(s.missingTemplate.joined(separator: ", ")) to make products")
        }
        return [
            "title": d.title, "description": d.description, "tags": d.tags, "blueprint_id": blueprint, "print_provider_id": provider,
            "variants": s.variantIDs.map { ["id": $0, "price": d.priceCents ?? 0, "is_enabled": true] },
            "print_areas": [
                [
                    "variant_ids": s.variantIDs,
                    "placeholders": [["position": "front", "images": [["id": imageID, "x": 0.5, "y": 0.5, "scale": 1, "angle": 0]]]],
                ]
            ],
        ]
    }

    public func createProduct(shopID: Int, draft: ListingDraft, imageID: String) throws(ProviderError) -> PrintifyProduct {
        try write("POST", "/shops/\(shopID)/products.json", body: try productBody(draft, imageID: imageID))
    }

    /// `PUT` (Printify's update): title, description, tags and prices.
    public func updateProduct(shopID: Int, productID: String, draft: ListingDraft) throws(ProviderError) -> PrintifyProduct {
        let body: [String: Any] = [
            "title": draft.title, "description": draft.description, "tags": draft.tags,
            "variants": settings.variantIDs.map { ["id": $0, "price": draft.priceCents ?? 0, "is_enabled": true] },
        ]
        return try write("PUT", "/shops/\(shopID)/products/\(productID).json", body: body)
    }

    public func deleteProduct(shopID: Int, productID: String) throws(ProviderError) {
        _ = try send(HTTPRequest(method: "DELETE", url: url("/shops/\(shopID)/products/\(productID).json"), headers: headers, timeout: timeout))
    }

    /// `GET /shops/{shop_id}/products/{product_id}.json`.
    public func product(shopID: Int, productID: String) throws(ProviderError) -> PrintifyProduct {
        let request = HTTPRequest(url: url("/shops/\(shopID)/products/\(productID).json"), headers: headers, timeout: timeout)
        guard let o = try json(request) as? [String: Any], let product = Self.product(o) else { throw .malformed("the product answer has no id") }
        return product
    }

    /// Publishes the product to the shop's sales channel.
    public func publish(shopID: Int, productID: String) throws(ProviderError) {
        let body: [String: Any] = ["title": true, "description": true, "images": true, "variants": true, "tags": true]
        guard
            let request = try? HTTPRequest.json(
                "POST", url: url("/shops/\(shopID)/products/\(productID)/publish.json"), headers: headers, object: body, timeout: timeout)
        else { return }
        _ = try send(request)
    }

    func write(_ method: String, _ path: String, body: [String: Any]) throws(ProviderError) -> PrintifyProduct {
        guard let request = try? HTTPRequest.json(method, url: url(path), headers: headers, object: body, timeout: timeout) else {
            throw .malformed("the request could not be encoded")
        }
        guard let o = try json(request) as? [String: Any], let product = Self.product(o) else { throw .malformed("the product answer has no id") }
        return product
    }

    static func product(_ o: [String: Any]) -> PrintifyProduct? {
        guard let id = o["id"] as? String ?? (o["id"] as? NSNumber)?.stringValue else { return nil }
        func date(_ key: String) -> Date? {
            if let n = o[key] as? NSNumber { return Date(timeIntervalSince1970: n.doubleValue) }
            if let s = (o[key] as? String).flatMap(Checked.dateText) {
                return ISO8601DateFormatter().date(from: s.replacingOccurrences(of: " ", with: "T") + (s.hasSuffix("Z") ? "" : "Z"))
            }
            return nil
        }
        let prices = (o["variants"] as? [[String: Any]] ?? []).compactMap { ($0["price"] as? NSNumber)?.intValue }
        let external = (o["external"] as? [String: Any])?["id"] != nil
        return PrintifyProduct(
            id: id, title: o["title"] as? String ?? "", createdAt: date("created_at"), updatedAt: date("updated_at"), priceCents: prices.min(),
            published: o["visible"] as? Bool == true || external)
    }
}
