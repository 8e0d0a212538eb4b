import Foundation

/// The resources a plan limits each month.
public enum QuotaResource: String, CaseIterable, Sendable, Codable {
    case listings, images, aiCredits = "ai_credits", seats
}

/// The subscription tiers and their monthly limits.
public enum PlanTier: String, CaseIterable, Sendable, Codable {
    case free, starter, professional, enterprise

    public func limit(_ r: QuotaResource) -> Int {
        switch (self, r) {
        case (.free, .listings): return 10
        case (.free, .images): return 20
        case (.free, .aiCredits): return 50
        case (.free, .seats): return 1
        case (.starter, .listings): return 50
        case (.starter, .images): return 100
        case (.starter, .aiCredits): return 200
        case (.starter, .seats): return 1
        case (.professional, .listings): return 200
        case (.professional, .images): return 500
        case (.professional, .aiCredits): return 1000
        case (.professional, .seats): return 3
        case (.enterprise, .listings): return 1000
        case (.enterprise, .images): return 2500
        case (.enterprise, .aiCredits): return 5000
        case (.enterprise, .seats): return 10
        }
    }
}

/// Use of one resource against its limit.
public struct QuotaUsage: Equatable, Sendable {
    public var resource: QuotaResource
    public var used: Int
    public var limit: Int
    public init(resource: QuotaResource, used: Int, limit: Int) {
        self.resource = resource
        self.used = used
        self.limit = limit
    }
    public var ratio: Double { limit > 0 ? Double(used) / Double(limit) : 1 }
}

/// One row of the usage ledger: what used (or gave back) units of a resource, and when.
public struct LedgerEntry: Equatable, Sendable {
    public var id: Int64
    /// Nil for a resource this version does not know.
    public var resource: QuotaResource?
    public var amount: Int
    public var reason: String
    public var subject: String?
    public var at: Date
    public init(id: Int64, resource: QuotaResource?, amount: Int, reason: String, subject: String?, at: Date) {
        self.id = id
        self.resource = resource
        self.amount = amount
        self.reason = reason
        self.subject = subject
        self.at = at
    }
}

/// A month's use of every resource against the plan, and when the month starts again.
public struct QuotaReport: Equatable, Sendable {
    public var plan: PlanTier
    public var usage: [QuotaUsage]
    public var resetsAt: Date
    public var ledger: [LedgerEntry]
    public init(plan: PlanTier, usage: [QuotaUsage], resetsAt: Date, ledger: [LedgerEntry]) {
        self.plan = plan
        self.usage = usage
        self.resetsAt = resetsAt
        self.ledger = ledger
    }
}
