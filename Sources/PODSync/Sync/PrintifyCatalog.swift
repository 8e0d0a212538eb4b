import Foundation
import PODCore
import PODStore

/// Printify's catalog for the product builder: blueprints, their print providers, a
/// provider's variants and shipping. Answers are kept in the store for a week, and calls keep
/// within the catalog's own limit (100 a minute) beside the general pace.
public struct PrintifyCatalog: Sendable {
    let client: PrintifyClient
    public var settings: PrintifySettings { client.settings }

    public func blueprints() throws(ProviderError) -> [CatalogBlueprint] { try client.blueprints() }
    public func providers(blueprint: Int) throws(ProviderError) -> [CatalogProvider] { try client.providers(blueprint: blueprint) }
    public func variants(blueprint: Int, provider: Int) throws(ProviderError) -> [CatalogVariant] {
        try client.variants(blueprint: blueprint, provider: provider)
    }
    public func shipping(blueprint: Int, provider: Int) throws(ProviderError) -> [ShippingRate] {
        try client.shipping(blueprint: blueprint, provider: provider)
    }
}

extension PrintifyCatalog {
    /// The print area a design at `position` of a product fills: the largest of its chosen
    /// variants' (every variant when none is chosen), from the catalog answer kept in the
    /// store — nil when it was never read (no request is made here).
    public static func keptArea(_ product: PrintProduct, position: String, store: Store) -> PrintArea? {
        guard let blueprint = product.blueprint?.id, let provider = product.provider?.id,
            let kept = try? store.syncCursor(
                provider: ProviderID.printify.rawValue, resource: "catalog:blueprints/\(blueprint)/print_providers/\(provider)/variants.json"),
            let newline = kept.firstIndex(of: "\n"),
            let answer = try? JSONSerialization.jsonObject(with: Data(kept[kept.index(after: newline)...].utf8)),
            let variants = PrintifyClient.variants(answer)
        else { return nil }
        let chosen = Set(product.variants.map(\.id))
        let areas = variants.filter { chosen.isEmpty || chosen.contains($0.id) }.flatMap(\.areas).filter { $0.position == position }
        return areas.max { $0.width * $0.height < $1.width * $1.height }
    }
}

extension SyncEngine {
    /// The catalog, read with the stored Printify token; nil when Printify is not connected.
    public func printifyCatalog() throws -> PrintifyCatalog? {
        let context = context(.printify, counter: Counter(), maxWait: 60)
        let provider = PrintifyProvider(settings: providers[ProviderID.printify.rawValue] ?? [:])
        guard let credential = try provider.credential(context) else { return nil }
        return PrintifyCatalog(client: PrintifyProvider.client(settings: provider.settings, token: credential.accessToken, pass: context))
    }

    /// A file from the web (a product's mockup), HTTPS only (or this machine), at most
    /// `maxBytes`.
    public func download(_ url: String, maxBytes: Int = 20 * 1_048_576) throws(ProviderError) -> Data {
        guard URLPolicy.isSecure(url) else { throw .rejected(field: nil, message: "\(url) is not an https:// address") }
        let response = try transport.exchange(HTTPRequest(url: url, timeout: 60, maxResponseBytes: maxBytes))
        guard response.isSuccess else { throw .server(status: response.status, message: "the mockup could not be fetched (HTTP \(response.status))") }
        return response.body
    }
}
