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

    /// Printify's orders as it answered: each one new or changed is written whole (its lines
    /// replaced). Returns how many were new or changed.
    @discardableResult
    public func recordPrintifyOrders(_ orders: [PrintifyOrder], now: Date) throws -> Int {
        try writeChanged(orders) { db, o in
            let kept = try Row.fetchOne(db, sql: "SELECT status, production_cents, shipping_cents FROM printify_orders WHERE id = ?", arguments: [o.id])
            return kept.map { $0["status"] == o.status && $0["production_cents"] == o.productionCents && $0["shipping_cents"] == o.shippingCents } ?? false
        } write: { db, o in
            try db.execute(
                sql: """
                    INSERT INTO printify_orders (id, shop_order_id, status, created_at, production_cents, shipping_cents, tax_cents, pulled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET shop_order_id = excluded.shop_order_id, status = excluded.status,
                        production_cents = excluded.production_cents, shipping_cents = excluded.shipping_cents,
                        tax_cents = excluded.tax_cents, pulled_at = excluded.pulled_at
                    """,
                arguments: [
                    o.id, o.shopOrderID, o.status, o.createdAt.timeIntervalSince1970, o.productionCents, o.shippingCents, o.taxCents,
                    now.timeIntervalSince1970,
                ])
            try db.execute(sql: "DELETE FROM printify_order_lines WHERE order_id = ?", arguments: [o.id])
            for (i, l) in o.lines.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO printify_order_lines (order_id, line, product_id, variant_id, quantity, cost_cents, shipping_cents, status, title)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [o.id, i, l.productID, l.variantID, l.quantity, l.costCents, l.shippingCents, l.status, l.title])
            }
        }
    }

    /// Writes, in one transaction, each of `items` that is not `unchanged` from what is kept;
    /// returns how many were written.
    func writeChanged<T>(_ items: [T], unchanged: (Database, T) throws -> Bool, write: (Database, T) throws -> Void) throws -> Int {
        try pool.write { db in
            var written = 0
            for item in items where try !unchanged(db, item) {
                try write(db, item)
                written += 1
            }
            return written
        }
    }

    /// The kept Printify orders, newest first, with their lines.
    public func printifyOrders() throws -> [PrintifyOrder] {
        try pool.read { db in
            var lines: [String: [PrintifyOrder.Line]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM printify_order_lines ORDER BY order_id, line") {
                lines[r["order_id"], default: []].append(
                    PrintifyOrder.Line(
                        productID: r["product_id"], variantID: r["variant_id"], quantity: r["quantity"], costCents: r["cost_cents"],
                        shippingCents: r["shipping_cents"], status: r["status"], title: r["title"]))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM printify_orders ORDER BY created_at DESC, id").map { r in
                PrintifyOrder(
                    id: r["id"], shopOrderID: r["shop_order_id"], status: r["status"], createdAt: Date(timeIntervalSince1970: r["created_at"]),
                    productionCents: r["production_cents"], shippingCents: r["shipping_cents"], taxCents: r["tax_cents"], lines: lines[r["id"]] ?? [])
            }
        }
    }

    /// How far back the next pull of orders reads: to the oldest order that is not settled yet
    /// (its costs and state can still change), else to the newest kept; nil when none is
    /// kept (every page is read).
    public func printifyOrdersPullFrom() throws -> Date? {
        try pool.read { db in
            let settled = PrintifyOrder.settled.map { "'\($0)'" }.joined(separator: ", ")
            let open = try Double.fetchOne(db, sql: "SELECT MIN(created_at) FROM printify_orders WHERE status NOT IN (\(settled))")
            let newest = try Double.fetchOne(db, sql: "SELECT MAX(created_at) FROM printify_orders")
            return (open ?? newest).map { Date(timeIntervalSince1970: $0) }
        }
    }
}
