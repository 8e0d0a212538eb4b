import Foundation
import PODCore
import PODStore

/// What `podpusher status` prints: connection states (never a secret), queue counts and the
/// plan's use this month.
struct StatusReport: Encodable {
    struct Connection: Encodable {
        var provider: String
        var state: String
        var account: String?
        var expiresAt: Date?
        var lastError: String?
    }
    struct Quota: Encodable {
        var used: Int
        var limit: Int
    }
    var connections: [Connection]
    var queue: [String: Int]
    var plan: String
    var quotas: [String: Quota]
    var demo: Bool

    static func make(store: Store, plan: PlanTier, now: Date, calendar: Calendar) throws -> StatusReport {
        let q = try store.queueCounts()
        let monthStart = calendar.dateInterval(of: .month, for: now)?.start ?? now
        let used = try store.usage(since: monthStart)
        var quotas: [String: Quota] = [:]
        for r in QuotaResource.allCases { quotas[r.rawValue] = Quota(used: used[r.rawValue] ?? 0, limit: plan.limit(r)) }
        return StatusReport(
            connections: try store.connections().map {
                Connection(provider: $0.provider, state: $0.state.rawValue, account: $0.accountName, expiresAt: $0.expiresAt, lastError: $0.lastError)
            },
            queue: ["pending": q.pending, "in_flight": q.inFlight, "done": q.done, "failed": q.failed],
            plan: plan.rawValue, quotas: quotas, demo: try store.preference("workspace.demo") == "1")
    }

    func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func text() -> String {
        var lines = ["Connections:"]
        for c in connections {
            var l = "  \(c.provider): \(c.state.replacingOccurrences(of: "_", with: " "))"
            if let a = c.account { l += " as \(a)" }
            if let e = c.expiresAt { l += ", expires \(e.formatted(.iso8601))" }
            if let err = c.lastError { l += " (last error: \(err))" }
            lines.append(l)
        }
        lines.append(
            "Queue: \(queue["pending"] ?? 0) pending, \(queue["in_flight"] ?? 0) in flight, \(queue["failed"] ?? 0) failed, \(queue["done"] ?? 0) done")
        lines.append("Plan: \(plan) — this month:")
        for r in QuotaResource.allCases {
            if let q = quotas[r.rawValue] { lines.append("  \(r.rawValue.replacingOccurrences(of: "_", with: " ")): \(q.used) of \(q.limit)") }
        }
        if demo { lines.append("The store holds DEMO data (podpusher demo --reset replaces it).") }
        return lines.joined(separator: "\n")
    }
}
