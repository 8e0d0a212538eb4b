import Foundation
import GRDB
import PODCore

extension Store {
    /// What Printify charges for variants of a blueprint by a provider (cents, USD), as a
    /// product it answered with said.
    public func recordPrintifyCosts(blueprintID: Int, providerID: Int, _ costs: [Int: Int], now: Date) throws {
        guard !costs.isEmpty else { return }
        try pool.write { db in
            for (variant, cents) in costs {
                try db.execute(
                    sql: """
                        INSERT INTO printify_costs (blueprint_id, provider_id, variant_id, cost_cents, seen_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(blueprint_id, provider_id, variant_id) DO UPDATE SET cost_cents = excluded.cost_cents, seen_at = excluded.seen_at
                        """, arguments: [blueprintID, providerID, variant, cents, now.timeIntervalSince1970])
            }
        }
    }

    /// The known costs of a blueprint's variants by a provider, by variant id.
    public func printifyCosts(blueprintID: Int, providerID: Int) throws -> [Int: Int] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT variant_id, cost_cents FROM printify_costs WHERE blueprint_id = ? AND provider_id = ?",
                arguments: [blueprintID, providerID])
            return Dictionary(rows.map { ($0["variant_id"], $0["cost_cents"]) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A Printify product was published as the Etsy listing `externalID`: the product's row
    /// records it, and the Etsy listing (once pulled) is Printify's — edited through Printify.
    public func recordExternalListing(printifyProductID: String, externalID: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE listings SET external_id = ? WHERE provider = ? AND provider_listing_id = ?",
                arguments: [externalID, ProviderID.printify, printifyProductID])
            try db.execute(
                sql: """
                    UPDATE listings SET owner = ?,
                        draft_id = COALESCE(draft_id, (SELECT draft_id FROM listings WHERE provider = ? AND provider_listing_id = ?))
                    WHERE provider = ? AND provider_listing_id = ?
                    """,
                arguments: [ProviderID.printify, ProviderID.printify, printifyProductID, ProviderID.etsy, externalID])
        }
    }

    /// The Etsy listing a draft's Printify product was published as (nil: not yet).
    public func externalListing(draftID: Int64) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT external_id FROM listings WHERE draft_id = ? AND provider = ? AND external_id IS NOT NULL",
                arguments: [draftID, ProviderID.printify])
        }
    }

    /// A Printify product's mockups, as its answer gave them (the default first).
    public func recordMockups(printifyProductID: String, _ urls: [String]) throws {
        guard !urls.isEmpty else { return }
        try pool.write { db in
            try db.execute(
                sql: "UPDATE listings SET mockups = ? WHERE provider = ? AND provider_listing_id = ?",
                arguments: [Self.json(urls), ProviderID.printify, printifyProductID])
        }
    }

    /// The mockups of a draft's Printify product (none until Printify has made it).
    public func mockups(draftID: Int64) throws -> [String] {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT mockups FROM listings WHERE draft_id = ? AND provider = ? AND mockups IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: [draftID, ProviderID.printify]
            ).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        }
    }

    /// Forgets the kept catalog answers (`catalog:` cursors): the next read asks Printify again.
    public func forgetPrintifyCatalog() throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM sync_cursors WHERE provider = ? AND resource LIKE 'catalog:%'", arguments: [ProviderID.printify])
        }
    }
}
