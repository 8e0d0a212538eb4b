import Foundation
import PODCore

/// `[providers.printify]`: the API, the shop, and the product a draft without one of its own
/// becomes (the defaults: blueprint, print provider, variants and a design file).
public struct PrintifySettings: Sendable, Equatable {
    public var apiBaseURL: String
    /// The shop to publish to (default: the account's first shop).
    public var shopID: Int?
    public var blueprintID: Int?
    public var printProviderID: Int?
    public var variantIDs: [Int]
    /// The design printed on a default product: a file path or an http(s) URL.
    public var image: String?
    /// Where most buyers are: the shipping the product builder counts (ISO country code).
    public var shipTo: String
    public static let defaultAPIBaseURL = "https://api.printify.com/v1"

    public init(_ values: [String: String]) {
        apiBaseURL = values["api_base_url"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? Self.defaultAPIBaseURL
        shopID = values["shop_id"].flatMap(Int.init)
        blueprintID = values["blueprint_id"].flatMap(Int.init)
        printProviderID = values["print_provider_id"].flatMap(Int.init)
        variantIDs = (values["variant_ids"] ?? "").split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
        image = values["image"]
        shipTo = (values["ship_to"] ?? "US").uppercased()
    }

    /// What is missing before a draft without a product of its own can become one, as the keys to set.
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
    public var blueprintID: Int?
    public var providerID: Int?
    /// What Printify charges for each variant (cents, USD), by variant id.
    public var costs: [Int: Int] = [:]
    /// The sales channel's listing the product was published as (`external.id`: on Etsy, the listing id).
    public var externalID: String?
    /// Its mockups' addresses (`images[].src`, the default first): HTTPS only.
    public var mockups: [String] = []
}

/// The Printify API v1 calls PODPusher makes (DESIGN.md §4): personal access token as Bearer,
/// the `User-Agent` Printify requires (the transport sends it), paging by `page`/`limit` with
/// `next_page_url`, prices in cents. Catalog answers change rarely and are kept for a week.
public struct PrintifyClient: Sendable {
    public let settings: PrintifySettings
    let token: String
    let transport: HTTPTransport
    /// Waits for a slot of the pace for a kind of request (the catalog and publishing have
    /// limits of their own besides the general one).
    let pace: @Sendable (RequestKind) throws(ProviderError) -> Void
    let catalogCache: @Sendable (String, () throws -> Data) throws -> Data
    public var timeout: TimeInterval = 30

    public static let productFields = ["title", "description", "tags", "variants", "price", "print_areas", "blueprint_id", "print_provider_id"]

    public init(
        settings: PrintifySettings, token: String, transport: HTTPTransport, pace: @escaping @Sendable (RequestKind) throws(ProviderError) -> Void = { _ in },
        catalogCache: @escaping @Sendable (String, () throws -> Data) throws -> Data = { _, fetch in try fetch() }
    ) {
        self.settings = settings
        self.token = token
        self.transport = transport
        self.pace = pace
        self.catalogCache = catalogCache
    }

    var headers: [HTTPHeader] { [HTTPHeader("Authorization", "Bearer \(token)"), HTTPHeader("Accept", "application/json")] }

    /// Printify's documented limits: 600 requests a minute in all, 100 a minute on the
    /// catalog, 200 publishes in 30 minutes.
    public enum RequestKind: Sendable {
        case general, catalog, publish
        public var window: (limit: Int, seconds: TimeInterval)? {
            switch self {
            case .general: return nil
            case .catalog: return (100, 60)
            case .publish: return (200, 1800)
            }
        }
    }

    func send(_ request: HTTPRequest, kind: RequestKind = .general) throws(ProviderError) -> HTTPResponse {
        try pace(kind)
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
            data = try catalogCache(path) { () throws(ProviderError) -> Data in
                try withReadRetries { () throws(ProviderError) in try send(request, kind: .catalog) }.body
            }
        } catch let e as ProviderError {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) else { throw .malformed("the catalog answer is not JSON") }
        return object
    }

    /// A catalog list: a JSON array, or Printify's paged object (`data`, `next_page_url`)
    /// followed page by page.
    func catalogList(_ path: String) throws(ProviderError) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var page = 1
        while true {
            let answer = try catalog(page == 1 ? path : path + "?page=\(page)")
            if let list = answer as? [[String: Any]] { return out + list }
            guard let o = answer as? [String: Any], let data = o["data"] as? [[String: Any]] else {
                throw .malformed("catalog/\(path) is not a list")
            }
            out += data
            guard o["next_page_url"] as? String != nil, !data.isEmpty, page < 1000 else { return out }
            page += 1
        }
    }

    /// Every blueprint of the catalog.
    public func blueprints() throws(ProviderError) -> [CatalogBlueprint] { try catalogList("blueprints.json").compactMap(Self.blueprint) }

    /// The print providers of a blueprint, with their location.
    public func providers(blueprint: Int) throws(ProviderError) -> [CatalogProvider] {
        try catalogList("blueprints/\(blueprint)/print_providers.json").compactMap(Self.provider)
    }

    /// The variants a provider offers for a blueprint (colour, size, print areas).
    public func variants(blueprint: Int, provider: Int) throws(ProviderError) -> [CatalogVariant] {
        guard let variants = Self.variants(try catalog("blueprints/\(blueprint)/print_providers/\(provider)/variants.json")) else {
            throw .malformed("the variants answer has no variants")
        }
        return variants
    }

    /// What the provider charges to ship each variant, by country.
    public func shipping(blueprint: Int, provider: Int) throws(ProviderError) -> [ShippingRate] {
        guard let rates = Self.shippingRates(try catalog("blueprints/\(blueprint)/print_providers/\(provider)/shipping.json")) else {
            throw .malformed("the shipping answer is not an object")
        }
        return rates
    }

    // The catalog's answers, each value checked before it is converted.

    static func blueprint(_ o: [String: Any]) -> CatalogBlueprint? {
        guard let id = JSONValue.int(o["id"]), let title = JSONValue.text(o["title"]) else { return nil }
        return CatalogBlueprint(id: id, title: title, brand: JSONValue.text(o["brand"]) ?? "", model: JSONValue.text(o["model"]) ?? "")
    }

    static func provider(_ o: [String: Any]) -> CatalogProvider? {
        guard let id = JSONValue.int(o["id"]), let title = JSONValue.text(o["title"]) else { return nil }
        let l = o["location"] as? [String: Any] ?? [:]
        let place = [JSONValue.text(l["city"]), JSONValue.text(l["country"])].compactMap { $0 }.filter { !$0.isEmpty }
        return CatalogProvider(id: id, title: title, location: place.joined(separator: ", "))
    }

    static func variants(_ answer: Any) -> [CatalogVariant]? {
        guard let list = (answer as? [String: Any])?["variants"] as? [[String: Any]] else { return nil }
        return list.compactMap { v in
            guard let id = JSONValue.int(v["id"]) else { return nil }
            let options = v["options"] as? [String: Any] ?? [:]
            let areas = (v["placeholders"] as? [[String: Any]] ?? []).compactMap { p -> PrintArea? in
                guard let position = JSONValue.text(p["position"]), let w = JSONValue.int(p["width"]), let h = JSONValue.int(p["height"]),
                    (1...100_000).contains(w), (1...100_000).contains(h)
                else { return nil }
                return PrintArea(position: position, width: w, height: h)
            }
            let title = JSONValue.text(v["title"]) ?? "\(id)"
            return CatalogVariant(
                id: id, title: title, color: JSONValue.text(options["color"]) ?? title, size: JSONValue.text(options["size"]) ?? "", areas: areas)
        }
    }

    static func shippingRates(_ answer: Any) -> [ShippingRate]? {
        guard let o = answer as? [String: Any] else { return nil }
        return (o["profiles"] as? [[String: Any]] ?? []).compactMap { p in
            let first = p["first_item"] as? [String: Any] ?? [:], more = p["additional_items"] as? [String: Any] ?? [:]
            guard let firstCents = JSONValue.int(first["cost"]), let ids = p["variant_ids"] as? [Any] else { return nil }
            return ShippingRate(
                variantIDs: ids.compactMap { JSONValue.int($0, in: 0...Int(Int32.max)) }, firstItemCents: firstCents,
                additionalItemCents: JSONValue.int(more["cost"]) ?? firstCents, currency: JSONValue.text(first["currency"]) ?? "USD",
                countries: (p["countries"] as? [Any] ?? []).compactMap { JSONValue.text($0) })
        }
    }

    /// Every product of the shop, newest first, following `next_page_url` to the end (or to
    /// the first page whose last product is `until`).
    public func products(shopID: Int, until: (PrintifyProduct) -> Bool = { _ in false }) throws(ProviderError) -> [PrintifyProduct] {
        try pages("/shops/\(shopID)/products.json", limit: 50, parse: Self.product, until: until)
    }

    /// The shop's orders, newest first (Printify gives at most 10 a page), back to `from` (nil:
    /// all of them): the pages are read until one ends older than that.
    public func orders(shopID: Int, from: Date?) throws(ProviderError) -> [PrintifyOrder] {
        try pages("/shops/\(shopID)/orders.json", limit: 10, parse: Self.order) { order in from.map { order.createdAt < $0 } ?? false }
    }

    /// A paged list, newest first: page after page while `next_page_url` says there is one,
    /// the page was not empty and its last item is not `until`.
    func pages<T>(_ path: String, limit: Int, parse: ([String: Any]) -> T?, until: (T) -> Bool) throws(ProviderError) -> [T] {
        var out: [T] = []
        var page = 1
        while true {
            guard
                let o = try json(HTTPRequest(url: url("\(path)?limit=\(limit)&page=\(page)"), headers: headers, timeout: timeout)) as? [String: Any],
                let data = o["data"] as? [[String: Any]]
            else { throw .malformed("\((path as NSString).lastPathComponent) has no data") }
            let items = data.compactMap(parse)
            out += items
            if o["next_page_url"] as? String == nil || items.isEmpty || items.last.map(until) == true { return out }
            page += 1
        }
    }

    /// An order as Printify answers it; nil without an id or a creation time. Amounts out of
    /// range, and lines without a product or variant, are left out rather than trusted.
    static func order(_ o: [String: Any]) -> PrintifyOrder? {
        guard let id = JSONValue.text(o["id"], limit: 64), !id.isEmpty, let created = JSONValue.date(o["created_at"]) else { return nil }
        let lines = (o["line_items"] as? [[String: Any]] ?? []).compactMap { l -> PrintifyOrder.Line? in
            guard let product = JSONValue.text(l["product_id"], limit: 64), let variant = JSONValue.int(l["variant_id"], in: 0...Int(Int32.max)),
                let quantity = JSONValue.int(l["quantity"], in: 1...10_000)
            else { return nil }
            let meta = l["metadata"] as? [String: Any] ?? [:]
            return PrintifyOrder.Line(
                productID: product, variantID: variant, quantity: quantity, costCents: JSONValue.int(l["cost"]) ?? 0,
                shippingCents: JSONValue.int(l["shipping_cost"]) ?? 0, status: JSONValue.text(l["status"], limit: 40) ?? "",
                title: [JSONValue.text(meta["title"], limit: 200), JSONValue.text(meta["variant_label"], limit: 100)].compactMap { $0 }.joined(separator: " — ")
            )
        }
        let meta = o["metadata"] as? [String: Any] ?? [:]
        return PrintifyOrder(
            id: id, shopOrderID: JSONValue.text(meta["shop_order_id"], limit: 64) ?? JSONValue.int(meta["shop_order_id"], in: 0...Int.max).map(String.init),
            status: JSONValue.text(o["status"], limit: 40) ?? "", createdAt: created,
            productionCents: JSONValue.int(o["total_price"]) ?? lines.reduce(0) { $0 + $1.costCents },
            shippingCents: JSONValue.int(o["total_shipping"]) ?? lines.reduce(0) { $0 + $1.shippingCents }, taxCents: JSONValue.int(o["total_tax"]) ?? 0,
            lines: lines)
    }

    /// `POST uploads/images.json`: a design, from a URL or a file's contents; its image id.
    public func uploadImage(_ source: String) throws(ProviderError) -> String {
        var body: [String: Any] = ["file_name": URL(fileURLWithPath: source).lastPathComponent]
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            body["url"] = source
        } else {
            guard let data = FileManager.default.contents(atPath: source) else { throw .notConfigured("cannot read the design \(source)") }
            guard PhotoFile.format(of: data) == .png || PhotoFile.format(of: data) == .jpeg else {
                throw .rejected(field: "print_areas", message: "the design \(source) is not a PNG or JPEG image")
            }
            body["contents"] = data.base64EncodedString()
        }
        guard let request = try? HTTPRequest.json("POST", url: url("/uploads/images.json"), headers: headers, object: body, timeout: 120),
            let o = try json(request) as? [String: Any], let id = o["id"] as? String ?? (o["id"] as? NSNumber)?.stringValue
        else {
            throw .malformed("the upload answer has no id")
        }
        return id
    }

    /// The product a draft becomes: its own (the product builder's), else the defaults of
    /// `[providers.printify]` at the draft's price with the default design on the front.
    public func product(for d: ListingDraft) throws(ProviderError) -> PrintProduct {
        if let p = d.product { return p }
        let s = settings
        guard let blueprint = s.blueprintID, let provider = s.printProviderID, !s.variantIDs.isEmpty, let image = s.image else {
            throw .notConfigured("providers.printify needs \(s.missingTemplate.joined(separator: ", ")) to make products")
        }
        var p = PrintProduct(blueprint: CatalogBlueprint(id: blueprint, title: ""), provider: CatalogProvider(id: provider, title: ""))
        p.variants = s.variantIDs.map { PrintProduct.Variant(id: $0, color: "", size: "") }
        p.designs = [PrintProduct.Design(position: "front", file: image)]
        return p
    }

    /// The product body: blueprint, provider, the variants for sale at their prices (cents),
    /// and each design on its print area for every variant.
    func productBody(_ d: ListingDraft, _ p: PrintProduct, imageIDs: [String: String]) throws(ProviderError) -> [String: Any] {
        guard let blueprint = p.blueprint?.id, let provider = p.provider?.id else {
            throw .notConfigured("the draft's Printify product has no \(p.blueprint == nil ? "blueprint" : "print provider") yet")
        }
        let ids = p.variants.map(\.id)
        return [
            "title": d.title, "description": d.description, "tags": d.tags, "blueprint_id": blueprint, "print_provider_id": provider,
            "variants": variantsBody(d, p),
            "print_areas": [
                [
                    "variant_ids": ids,
                    "placeholders": p.designs.map { design in
                        [
                            "position": design.position,
                            "images": [["id": imageIDs[design.file] ?? "", "x": design.x, "y": design.y, "scale": design.scale, "angle": design.angle]],
                        ] as [String: Any]
                    },
                ]
            ],
        ]
    }

    func variantsBody(_ d: ListingDraft, _ p: PrintProduct) -> [[String: Any]] {
        p.variants.map { ["id": $0.id, "price": p.price($0, listing: d.priceCents) ?? 0, "is_enabled": true] }
    }

    /// `POST`: the product, made from the draft's product with its designs' image ids.
    public func createProduct(shopID: Int, draft: ListingDraft, imageIDs: [String: String]) throws(ProviderError) -> PrintifyProduct {
        try write("POST", "/shops/\(shopID)/products.json", body: try productBody(draft, try product(for: draft), imageIDs: imageIDs))
    }

    /// `PUT` (Printify's update): the product whole — title, description, tags, the variants
    /// at their prices and the print areas.
    public func updateProduct(shopID: Int, productID: String, draft: ListingDraft, imageIDs: [String: String]) throws(ProviderError) -> PrintifyProduct {
        var body = try productBody(draft, try product(for: draft), imageIDs: imageIDs)
        // Printify keeps a product's blueprint and provider: they are not sent again.
        body["blueprint_id"] = nil
        body["print_provider_id"] = nil
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
        _ = try send(request, kind: .publish)
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
        func date(_ key: String) -> Date? { JSONValue.date(o[key]) }
        let variants = (o["variants"] as? [[String: Any]] ?? []).filter { $0["is_enabled"] as? Bool != false }
        let prices = variants.compactMap { JSONValue.int($0["price"]) }
        var costs: [Int: Int] = [:]
        for v in variants {
            if let id = JSONValue.int(v["id"]), let cost = JSONValue.int(v["cost"]), (0..<Checked.maxCents).contains(cost) { costs[id] = cost }
        }
        let externalID = ((o["external"] as? [String: Any])?["id"]).flatMap { JSONValue.text($0) ?? JSONValue.int($0, in: 0...Int.max).map(String.init) }
        let images = (o["images"] as? [[String: Any]] ?? []).filter { JSONValue.text($0["src"], limit: 2048).map(URLPolicy.isSecure) == true }
        let mockups = (images.filter { $0["is_default"] as? Bool == true } + images.filter { $0["is_default"] as? Bool != true })
            .compactMap { JSONValue.text($0["src"], limit: 2048) }
        return PrintifyProduct(
            id: id, title: o["title"] as? String ?? "", createdAt: date("created_at"), updatedAt: date("updated_at"), priceCents: prices.min(),
            published: o["visible"] as? Bool == true || externalID != nil, blueprintID: JSONValue.int(o["blueprint_id"]),
            providerID: JSONValue.int(o["print_provider_id"]), costs: costs, externalID: externalID, mockups: Array(mockups.prefix(20)))
    }
}

/// Values read out of a provider's JSON, checked before they are converted: a whole number in
/// range (never a Bool, a fraction or 1e300), a string of bounded length.
enum JSONValue {
    static func int(_ value: Any?, in range: ClosedRange<Int> = 0...Checked.maxCents) -> Int? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }  // "c": a JSON true or false
        let d = n.doubleValue
        guard d == d.rounded() else { return nil }
        return Checked.int(d, in: range)
    }

    static func text(_ value: Any?, limit: Int = 500) -> String? {
        (value as? String).map { String($0.prefix(limit)) }
    }

    /// A time as Printify gives it: seconds since 1970, or "2019-07-25 13:40:41+00:00" (a
    /// space or a T, with an offset or Z, or none for UTC).
    static func date(_ value: Any?) -> Date? {
        if let n = value as? NSNumber, String(cString: n.objCType) != "c" {
            let seconds = n.doubleValue
            return seconds.isFinite && (0...32_503_680_000).contains(seconds) ? Date(timeIntervalSince1970: seconds) : nil
        }
        guard var s = (value as? String).flatMap(Checked.dateText) else { return nil }
        s = s.replacingOccurrences(of: " ", with: "T")
        let zoned = s.hasSuffix("Z") || s.dropFirst(19).contains("+") || s.dropFirst(19).contains("-")
        return ISO8601DateFormatter().date(from: zoned ? s : s + "Z")
    }
}
