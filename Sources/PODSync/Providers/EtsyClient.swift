import Foundation
import PODCore

/// `[providers.etsy]` of config.toml (DESIGN.md §5), with the real service as the default.
public struct EtsySettings: Sendable, Equatable {
    public var apiBaseURL: String
    public var tokenURL: String
    public var clientID: String
    public var sharedSecret: String

    public static let defaultAPIBaseURL = "https://openapi.etsy.com/v3/application"
    public static let defaultTokenURL = "https://api.etsy.com/v3/public/oauth/token"
    /// Etsy documents refresh tokens as valid for 90 days.
    public static let refreshTokenLifetime: TimeInterval = 90 * 86_400

    /// Reads the provider table; a missing keystring or secret is a configuration error that
    /// says where to put it.
    public init(_ values: [String: String]) throws(ProviderError) {
        apiBaseURL = values["api_base_url"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? Self.defaultAPIBaseURL
        tokenURL = values["token_url"] ?? Self.defaultTokenURL
        guard let id = values["client_id"], !id.isEmpty else {
            throw .notConfigured("providers.etsy.client_id (your app's keystring) is not set in config.toml (or PODPUSHER_ETSY_CLIENT_ID)")
        }
        guard let secret = values["shared_secret"], !secret.isEmpty else {
            throw .notConfigured("providers.etsy.shared_secret is not set in config.toml (or PODPUSHER_ETSY_SHARED_SECRET)")
        }
        clientID = id
        sharedSecret = secret
    }
}

/// A listing as Etsy returns it (the fields the app keeps).
public struct EtsyListing: Equatable, Sendable {
    public var listingID: Int64
    public var title: String
    public var state: String
    public var createdAt: Date?
    /// `last_modified_timestamp`.
    public var updatedAt: Date?
    public var quantity: Int
    public var priceCents: Int?
    public var currency: String?
    public var views: Int
    public var favorites: Int
    /// The fields the seller edits here, as the shop has them (no id).
    public var content = ListingDraft()
    /// Every field Etsy returned, as JSON (nil when the object was too large to keep).
    public var raw: String?
    /// Its photos, when the answer included them (`includes=Images`).
    public var imageCount: Int?
}

/// The Etsy Open API v3 calls PODPusher makes (DESIGN.md §4). Every call carries
/// `x-api-key: keystring:secret`; user calls add the Bearer token. Lists are read to the end,
/// 100 at a time.
public struct EtsyClient: Sendable {
    public let settings: EtsySettings
    let transport: HTTPTransport
    let token: String
    /// Called with every answer, so the limiter can follow the rate headers.
    let observe: @Sendable (HTTPResponse) -> Void
    /// Waits for the limiter before every request.
    let pace: @Sendable () throws(ProviderError) -> Void
    public var timeout: TimeInterval = 30

    /// The listing fields Etsy's messages may name (the field a refusal is about).
    public static let listingFields = [
        "title", "description", "price", "quantity", "tags", "materials", "styles", "taxonomy_id",
        "who_made", "when_made", "shipping_profile_id", "sku", "is_supply", "shop_section_id", "return_policy_id",
    ]

    public init(
        settings: EtsySettings, token: String, transport: HTTPTransport,
        pace: @escaping @Sendable () throws(ProviderError) -> Void = {}, observe: @escaping @Sendable (HTTPResponse) -> Void = { _ in }
    ) {
        self.settings = settings
        self.token = token
        self.transport = transport
        self.pace = pace
        self.observe = observe
    }

    var headers: [HTTPHeader] {
        [
            HTTPHeader("x-api-key", "\(settings.clientID):\(settings.sharedSecret)"), HTTPHeader("Authorization", "Bearer \(token)"),
            HTTPHeader("Accept", "application/json"),
        ]
    }

    /// Sends one request and turns every failure into a `ProviderError`; a status in `accept`
    /// is an answer, whatever it says.
    func exchange(_ request: HTTPRequest, accept: Set<Int> = []) throws(ProviderError) -> HTTPResponse {
        try pace()
        let response = try transport.exchange(request)
        observe(response)
        if accept.contains(response.status) { return response }
        if response.status == 429, response.header("x-remaining-today") == "0" { throw .dailyLimitReached }
        if let error = ProviderError.from(response, fields: Self.listingFields) { throw error }
        return response
    }

    /// Sends one request whose answer is a JSON object.
    func call(_ request: HTTPRequest) throws(ProviderError) -> [String: Any] {
        let response = try exchange(request)
        guard let object = response.jsonObject else {
            throw .malformed("Etsy answered \(response.status) with a body that is not JSON")
        }
        return object
    }

    func get(_ path: String, query: [(String, String)] = []) throws(ProviderError) -> [String: Any] {
        let q = query.isEmpty ? "" : "?" + query.map { "\($0.0)=\(HTTPRequest.formEncode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(url: settings.apiBaseURL + path + q, headers: headers, timeout: timeout)
        return try withReadRetries { () throws(ProviderError) in try call(request) }
    }

    /// Every page of a `{count, results}` list, 100 at a time; `until` stops early when it
    /// returns true for a page's last item.
    func pages(_ path: String, query: [(String, String)] = [], until: ([String: Any]) -> Bool = { _ in false }) throws(ProviderError) -> [[String: Any]] {
        var all: [[String: Any]] = []
        var offset = 0
        while true {
            let page = try get(path, query: query + [("limit", "100"), ("offset", String(offset))])
            guard let results = page["results"] as? [[String: Any]], let count = page["count"] as? Int else {
                throw .malformed("a list without count and results")
            }
            all += results
            offset += results.count
            if results.isEmpty || offset >= count || results.last.map(until) == true { return all }
        }
    }

    /// `GET /users/me`: the user and their shop.
    public func me() throws(ProviderError) -> (userID: Int64, shopID: Int64?) {
        let o = try get("/users/me")
        guard let user = (o["user_id"] as? NSNumber)?.int64Value else { throw .malformed("users/me without user_id") }
        return (user, (o["shop_id"] as? NSNumber)?.int64Value)
    }

    /// `GET /shops/{shop_id}`: the shop's name and currency.
    public func shop(shopID: Int64) throws(ProviderError) -> (name: String, currency: String?) {
        let o = try get("/shops/\(shopID)")
        return (o["shop_name"] as? String ?? "shop \(shopID)", o["currency_code"] as? String)
    }

    /// `POST /shops/{shop_id}/listings` (createDraftListing): the new listing.
    public func createDraftListing(shopID: Int64, draft: ListingDraft) throws(ProviderError) -> EtsyListing {
        let request = HTTPRequest.form(
            url: settings.apiBaseURL + "/shops/\(shopID)/listings", headers: headers,
            fields: Self.formFields(draft), timeout: timeout)
        return try Self.listing(try call(request))
    }

    /// What updateListing takes of a draft's fields, as Etsy's Open API v3 document declares
    /// it: no price, quantity or SKU (those are the inventory's, updateListingInventory) and no
    /// styles (set when a listing is created only).
    public static let updatableFields: Set<ListingField> = [
        .title, .description, .tags, .materials, .whoMade, .whenMade, .taxonomyID, .shippingProfileID, .shopSectionID, .returnPolicyID,
    ]

    /// `PATCH /shops/{shop_id}/listings/{listing_id}` (updateListing) with the given fields only
    /// (all it takes when nil); a list emptied here is sent empty, so that it is emptied there.
    public func updateListing(shopID: Int64, listingID: Int64, draft: ListingDraft, only fields: [ListingField]? = nil) throws(ProviderError) -> EtsyListing {
        let updatable = Set(Self.updatableFields.map(\.rawValue))
        var form = Self.formFields(draft).filter { updatable.contains($0.0) }
        if let fields {
            let names = Set(fields.map(\.rawValue))
            form = form.filter { names.contains($0.0) }
            for list in [ListingField.tags, .materials] where names.contains(list.rawValue) && !form.contains(where: { $0.0 == list.rawValue }) {
                form.append((list.rawValue, ""))
            }
        }
        let request = HTTPRequest.form(
            "PATCH", url: settings.apiBaseURL + "/shops/\(shopID)/listings/\(listingID)", headers: headers, fields: form, timeout: timeout)
        return try Self.listing(try call(request))
    }

    /// `PATCH /shops/{shop_id}/listings/{listing_id}` with `state` (updateListing): `active`
    /// publishes a draft or an inactive listing (Etsy requires a photo), `inactive` takes it down.
    public func setListingState(shopID: Int64, listingID: Int64, active: Bool) throws(ProviderError) -> EtsyListing {
        let request = HTTPRequest.form(
            "PATCH", url: settings.apiBaseURL + "/shops/\(shopID)/listings/\(listingID)", headers: headers,
            fields: [("state", active ? "active" : "inactive")], timeout: timeout)
        return try Self.listing(try call(request))
    }

    /// `DELETE /listings/{listing_id}` (deleteListing): 204; a listing already gone (404) is
    /// deleted all the same, so a repeated request after a lost answer does no harm.
    public func deleteListing(listingID: Int64) throws(ProviderError) {
        _ = try exchange(
            HTTPRequest(method: "DELETE", url: settings.apiBaseURL + "/listings/\(listingID)", headers: headers, timeout: timeout), accept: [204, 404])
    }

    /// `PUT /listings/{listing_id}/inventory` (updateListingInventory, JSON): one product with
    /// the SKU, price and quantity for a listing without variations, else one per combination
    /// (`inventoryBody`). Returns the SKU and variations of the inventory Etsy answers with.
    @discardableResult
    public func updateInventory(listingID: Int64, draft: ListingDraft) throws(ProviderError) -> (sku: String, variations: Variations?) {
        let request: HTTPRequest
        do {
            request = try HTTPRequest.json(
                "PUT", url: settings.apiBaseURL + "/listings/\(listingID)/inventory", headers: headers, object: Self.inventoryBody(draft),
                timeout: timeout)
        } catch {
            throw .malformed("the inventory could not be written as JSON")
        }
        return Self.readInventory(try call(request))
    }

    /// The shop's draft listings, newest first, read until one was created before `since`.
    public func recentDraftListings(shopID: Int64, since: Date) throws(ProviderError) -> [EtsyListing] {
        let raw = try pages("/shops/\(shopID)/listings", query: [("state", "draft"), ("sort_on", "created"), ("sort_order", "desc")]) {
            (($0["created_timestamp"] as? NSNumber)?.doubleValue ?? .infinity) < since.timeIntervalSince1970
        }
        return try raw.map { object throws(ProviderError) in try Self.listing(object) }
    }

    /// A listing's images (`GET /listings/{listing_id}/images`): id, rank, and when each was made.
    public func listingImages(listingID: Int64) throws(ProviderError) -> [ListingImage] {
        (try get("/listings/\(listingID)/images")["results"] as? [[String: Any]] ?? []).compactMap { o in
            guard let id = (o["listing_image_id"] as? NSNumber)?.int64Value else { return nil }
            return ListingImage(
                id: id, rank: (o["rank"] as? NSNumber)?.intValue ?? 0,
                created: (o["created_timestamp"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) },
                altText: String((o["alt_text"] as? String ?? "").prefix(ListingRules.altTextMax)))
        }.sorted { $0.rank < $1.rank }
    }

    /// An image of a listing as Etsy lists it.
    public struct ListingImage: Equatable, Sendable {
        public var id: Int64
        public var rank: Int
        public var created: Date?
        public var altText: String
    }

    /// `POST /shops/{shop_id}/listings/{listing_id}/images` (uploadListingImage): one photo,
    /// multipart, at a rank. The file is checked first (readable, a JPEG, PNG or GIF as its name
    /// says); the new image's id.
    public func uploadListingImage(shopID: Int64, listingID: Int64, path: String, rank: Int, altText: String = "") throws(ProviderError) -> Int64 {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .rejected(field: "images", message: "cannot read \(path)")
        }
        if let problem = PhotoFile.problem(name: name, data: data) { throw .rejected(field: "images", message: problem) }
        let type = PhotoFile.format(of: data)?.mimeType ?? "application/octet-stream"
        let answer = try call(
            HTTPRequest(
                method: "POST", url: settings.apiBaseURL + "/shops/\(shopID)/listings/\(listingID)/images", headers: headers,
                parts: [
                    MultipartPart(name: "image", data: data, filename: name, contentType: type),
                    MultipartPart(name: "rank", data: Data(String(rank).utf8)),
                ] + (altText.isEmpty ? [] : [MultipartPart(name: "alt_text", data: Data(altText.utf8))]), timeout: 120))
        guard let id = (answer["listing_image_id"] as? NSNumber)?.int64Value else { throw .malformed("an uploaded image without listing_image_id") }
        return id
    }

    /// uploadListingImage with the `listing_image_id` of an image the listing has: moves it to
    /// `rank` (Etsy moves the others along) and sets its alt text, without sending the file again.
    public func placeListingImage(shopID: Int64, listingID: Int64, imageID: Int64, rank: Int, altText: String) throws(ProviderError) {
        _ = try call(
            HTTPRequest(
                method: "POST", url: settings.apiBaseURL + "/shops/\(shopID)/listings/\(listingID)/images", headers: headers,
                parts: [
                    MultipartPart(name: "listing_image_id", data: Data(String(imageID).utf8)), MultipartPart(name: "rank", data: Data(String(rank).utf8)),
                    MultipartPart(name: "alt_text", data: Data(altText.utf8)),
                ], timeout: timeout))
    }

    /// `DELETE /shops/{shop_id}/listings/{listing_id}/images/{listing_image_id}`
    /// (deleteListingImage); an image already gone counts as deleted.
    public func deleteListingImage(shopID: Int64, listingID: Int64, imageID: Int64) throws(ProviderError) {
        _ = try exchange(
            HTTPRequest(
                method: "DELETE", url: settings.apiBaseURL + "/shops/\(shopID)/listings/\(listingID)/images/\(imageID)", headers: headers,
                timeout: timeout), accept: [204, 404])
    }

    /// The shop's listings in a state (active, draft…), most recently changed first, read until
    /// one changed before `since` (all of them when nil): an incremental pull.
    public func shopListings(shopID: Int64, state: String, since: Date?) throws(ProviderError) -> [EtsyListing] {
        // `includes` is an array: one `includes=` per value (form style, exploded).
        let query = [("state", state), ("sort_on", "updated"), ("sort_order", "desc"), ("includes", "Images"), ("includes", "Inventory")]
        let raw = try pages("/shops/\(shopID)/listings", query: query) {
            guard let since else { return false }
            return (($0["last_modified_timestamp"] as? NSNumber)?.doubleValue ?? .infinity) < since.timeIntervalSince1970
        }
        return try raw.map { object throws(ProviderError) in try Self.listing(object) }
            .filter { since == nil || ($0.updatedAt ?? .distantFuture) >= since! }
    }

    /// `GET /shops/{shop_id}/receipts` (scope `transactions_r`): the receipts changed since
    /// `modifiedSince` (`min_last_modified`), or the first time those made since `createdSince`
    /// (`min_created`); the oldest change first. A receipt Etsy answers without an id or a time
    /// is left out.
    public func receipts(shopID: Int64, modifiedSince: Date?, createdSince: Date) throws(ProviderError) -> [EtsyReceipt] {
        // Both filters are epoch seconds no earlier than 2000-01-01 (946684800).
        func seconds(_ d: Date) -> String { String(max(946_684_800, Int(d.timeIntervalSince1970))) }
        let filter = modifiedSince.map { ("min_last_modified", seconds($0)) } ?? ("min_created", seconds(createdSince))
        return try pages("/shops/\(shopID)/receipts", query: [filter, ("sort_on", "updated"), ("sort_order", "asc")]).compactMap(Self.receipt)
    }

    /// A receipt as Etsy answers it, each amount a `Money` (`amount` / `divisor`) checked into
    /// minor units; nil without an id or a creation time.
    static func receipt(_ o: [String: Any]) -> EtsyReceipt? {
        func id(_ value: Any?) -> Int64? { JSONValue.int(value, in: 1...Int(Int64.max / 2)).map(Int64.init) }
        func date(_ value: Any?) -> Date? { JSONValue.int(value, in: 946_684_800...32_503_680_000).map { Date(timeIntervalSince1970: Double($0)) } }
        guard let receiptID = id(o["receipt_id"]), let created = date(o["created_timestamp"]) ?? date(o["create_timestamp"]) else { return nil }
        let currency = ((o["grandtotal"] as? [String: Any])?["currency_code"] as? String).flatMap { $0.count == 3 ? $0.uppercased() : nil } ?? "USD"
        let transactions = (o["transactions"] as? [[String: Any]] ?? []).prefix(1_000).compactMap { t -> EtsyReceipt.Transaction? in
            guard let tid = id(t["transaction_id"]), let quantity = JSONValue.int(t["quantity"], in: 1...10_000) else { return nil }
            return EtsyReceipt.Transaction(
                id: tid, listingID: id(t["listing_id"]), title: String((t["title"] as? String ?? "").prefix(200)), quantity: quantity,
                priceCents: cents(t["price"]) ?? 0, shippingCents: cents(t["shipping_cost"]) ?? 0)
        }
        let refunds = (o["refunds"] as? [[String: Any]] ?? []).compactMap { cents($0["amount"]) }.reduce(0, +)
        return EtsyReceipt(
            id: receiptID, status: String((o["status"] as? String ?? "").prefix(40)), createdAt: created,
            updatedAt: date(o["updated_timestamp"]) ?? date(o["update_timestamp"]) ?? created, currency: currency,
            grandTotalCents: cents(o["grandtotal"]) ?? 0, taxCents: (cents(o["total_tax_cost"]) ?? 0) + (cents(o["total_vat_cost"]) ?? 0),
            shippingCents: cents(o["total_shipping_cost"]) ?? 0, refundCents: refunds, transactions: Array(transactions))
    }

    /// `GET /shops/{shop_id}/payment-account/ledger-entries` (getShopPaymentAccountLedgerEntries,
    /// scope `transactions_r`): the entries made from `from` to `to`. Etsy requires both bounds
    /// (epoch seconds, no earlier than 2000-01-01) and refuses a window of more than 31 days
    /// (2,678,400 s): a longer span is read a window at a time. An entry Etsy answers without an
    /// id, an amount or a time is left out.
    public func ledgerEntries(shopID: Int64, from: Date, to: Date) throws(ProviderError) -> [EtsyLedgerEntry] {
        var start = max(946_684_800, Int(from.timeIntervalSince1970))
        let end = max(start, Int(to.timeIntervalSince1970))
        var entries: [EtsyLedgerEntry] = []
        repeat {
            let stop = min(end, start + Self.ledgerWindow)
            entries += try pages(
                "/shops/\(shopID)/payment-account/ledger-entries", query: [("min_created", String(start)), ("max_created", String(stop))]
            ).compactMap(Self.ledgerEntry)
            start = stop
        } while start < end
        return entries
    }

    /// The widest span one ledger request may ask for: 31 days.
    static let ledgerWindow = 2_678_400

    /// A ledger entry as Etsy answers it: the amount in minor units (negative for a debit).
    static func ledgerEntry(_ o: [String: Any]) -> EtsyLedgerEntry? {
        guard let id = JSONValue.int(o["entry_id"], in: 1...Int(Int64.max / 2)),
            let amount = JSONValue.int(o["amount"], in: -Checked.maxCents...Checked.maxCents),
            let created = JSONValue.int(o["created_timestamp"] ?? o["create_date"], in: 946_684_800...32_503_680_000)
        else { return nil }
        let currency = JSONValue.text(o["currency"], limit: 3).flatMap { $0.count == 3 ? $0.uppercased() : nil } ?? "USD"
        let reference = JSONValue.text(o["reference_id"], limit: 40) ?? JSONValue.int(o["reference_id"], in: 0...Int(Int64.max / 2)).map(String.init)
        return EtsyLedgerEntry(
            id: Int64(id), createdAt: Date(timeIntervalSince1970: Double(created)), amountCents: amount, currency: currency,
            ledgerType: JSONValue.text(o["ledger_type"], limit: 60) ?? "", description: JSONValue.text(o["description"], limit: 200) ?? "",
            referenceType: JSONValue.text(o["reference_type"], limit: 40) ?? "", referenceID: reference ?? "")
    }

    /// `GET /shops/{shop_id}/shipping-profiles`.
    public func shippingProfiles(shopID: Int64) throws(ProviderError) -> [(id: Int, title: String)] {
        try pages("/shops/\(shopID)/shipping-profiles").compactMap { o in
            (o["shipping_profile_id"] as? NSNumber).map { ($0.intValue, o["title"] as? String ?? "") }
        }
    }

    /// `GET /shops/{shop_id}/sections` (getShopSections).
    public func shopSections(shopID: Int64) throws(ProviderError) -> [(id: Int, title: String)] {
        (try get("/shops/\(shopID)/sections")["results"] as? [[String: Any]] ?? []).compactMap { o in
            (o["shop_section_id"] as? NSNumber).map { ($0.intValue, String((o["title"] as? String ?? "").prefix(200))) }
        }
    }

    /// `GET /shops/{shop_id}/policies/return` (getShopReturnPolicies): each policy's id, whether
    /// it takes returns and exchanges, and its deadline in days.
    public func returnPolicies(shopID: Int64) throws(ProviderError) -> [(id: Int, returns: Bool, exchanges: Bool, days: Int?)] {
        (try get("/shops/\(shopID)/policies/return")["results"] as? [[String: Any]] ?? []).compactMap { o in
            guard let id = (o["return_policy_id"] as? NSNumber)?.intValue else { return nil }
            let days = (o["return_deadline"] as? NSNumber).flatMap { Checked.int($0.doubleValue, in: 0...3650) }
            return (id, (o["accepts_returns"] as? Bool) ?? false, (o["accepts_exchanges"] as? Bool) ?? false, days)
        }
    }

    /// `GET /seller-taxonomy/nodes`, flattened: every node with its path from the root.
    public func sellerTaxonomy() throws(ProviderError) -> [(id: Int, parentID: Int?, name: String, path: String, isLeaf: Bool)] {
        let roots = try get("/seller-taxonomy/nodes")["results"] as? [[String: Any]] ?? []
        var out: [(id: Int, parentID: Int?, name: String, path: String, isLeaf: Bool)] = []
        func walk(_ nodes: [[String: Any]], parent: Int?, path: String) {
            for n in nodes {
                guard let id = (n["id"] as? NSNumber)?.intValue, let name = n["name"] as? String else { continue }
                let children = n["children"] as? [[String: Any]] ?? []
                let full = path.isEmpty ? name : path + " › " + name
                out.append((id, parent, name, full, children.isEmpty))
                walk(children, parent: id, path: full)
            }
        }
        walk(roots, parent: nil, path: "")
        return out
    }

    /// The form body of createDraftListing / updateListing. Lists are comma-separated; the
    /// price is in the shop's currency, as a decimal.
    static func formFields(_ d: ListingDraft) -> [(String, String)] {
        var f: [(String, String)] = [("title", d.title), ("description", d.description)]
        if let q = d.quantity { f.append(("quantity", String(q))) }
        if let p = d.priceCents { f.append(("price", String(format: "%d.%02d", p / 100, p % 100))) }
        if let w = d.whoMade { f.append(("who_made", w.rawValue)) }
        if !d.whenMade.isEmpty { f.append(("when_made", d.whenMade)) }
        if let t = d.taxonomyID { f.append(("taxonomy_id", String(t))) }
        if let s = d.shippingProfileID { f.append(("shipping_profile_id", String(s))) }
        if let s = d.shopSectionID { f.append(("shop_section_id", String(s))) }
        if let r = d.returnPolicyID { f.append(("return_policy_id", String(r))) }
        if !d.tags.isEmpty { f.append(("tags", d.tags.joined(separator: ","))) }
        if !d.materials.isEmpty { f.append(("materials", d.materials.joined(separator: ","))) }
        if !d.styles.isEmpty { f.append(("styles", d.styles.joined(separator: ","))) }
        return f
    }

    /// A price as Etsy gives it — Money (`amount` over `divisor`), a decimal string or a
    /// number — in minor units, checked before it is converted.
    static func cents(_ value: Any?) -> Int? {
        if let m = value as? [String: Any] {
            guard let amount = (m["amount"] as? NSNumber)?.doubleValue, let divisor = (m["divisor"] as? NSNumber)?.doubleValue, divisor >= 1 else {
                return nil
            }
            return Checked.int(amount * 100 / divisor, in: 0...Checked.maxCents)
        }
        let decimal = (value as? String).flatMap { try? Checked.double($0, field: "price", in: 0...Double(Checked.maxCents) / 100).get() }
        return (decimal ?? (value as? NSNumber)?.doubleValue).flatMap { Checked.int($0 * 100, in: 0...Checked.maxCents) }
    }

    static func listing(_ o: [String: Any]) throws(ProviderError) -> EtsyListing {
        guard let id = (o["listing_id"] as? NSNumber)?.int64Value else { throw .malformed("a listing without listing_id") }
        let price = Self.cents(o["price"])
        func date(_ key: String) -> Date? { (o[key] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) } }
        func count(_ key: String) -> Int? { (o[key] as? NSNumber).flatMap { Checked.int($0.doubleValue, in: 0...Int(Int32.max)) } }
        func positive(_ key: String) -> Int? { (o[key] as? NSNumber).flatMap { Checked.int($0.doubleValue, in: 1...Int(Int64.max / 2)) } }
        func text(_ key: String, max: Int) -> String { String((o[key] as? String ?? "").prefix(max)) }
        func list(_ key: String) -> [String] { ((o[key] as? [Any]) ?? []).prefix(100).compactMap { ($0 as? String).map { String($0.prefix(200)) } } }
        let quantity = count("quantity") ?? (o["quantity"] as? String).flatMap(Int.init) ?? 0
        var content = ListingDraft()
        content.title = text("title", max: 1_000)
        content.description = text("description", max: ListingDraft.descriptionLimit)
        (content.tags, content.materials, content.styles) = (list("tags"), list("materials"), list("style"))
        (content.priceCents, content.quantity) = (price, quantity)
        content.whoMade = (o["who_made"] as? String).flatMap(WhoMade.init(rawValue:))
        content.whenMade = text("when_made", max: 40)
        (content.taxonomyID, content.shippingProfileID) = (positive("taxonomy_id"), positive("shipping_profile_id"))
        (content.shopSectionID, content.returnPolicyID) = (positive("shop_section_id"), positive("return_policy_id"))
        // A listing without variations has one product: its SKU is the listing's.
        if let inventory = o["inventory"] as? [String: Any] { (content.sku, content.variations) = Self.readInventory(inventory) }
        let currency = (o["price"] as? [String: Any])?["currency_code"] as? String
        content.currency = currency ?? content.currency
        let json = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])).flatMap { $0.count <= 256 * 1024 ? $0 : nil }
        return EtsyListing(
            listingID: id, title: content.title, state: o["state"] as? String ?? "draft",
            createdAt: date("created_timestamp"), updatedAt: date("last_modified_timestamp") ?? date("updated_timestamp"),
            quantity: quantity, priceCents: price, currency: currency, views: count("views") ?? 0, favorites: count("num_favorers") ?? 0,
            content: content, raw: json.map { String(decoding: $0, as: UTF8.self) }, imageCount: (o["images"] as? [Any])?.count)
    }
}
