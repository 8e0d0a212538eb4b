import Foundation
import PODCore

/// The pace requests go out at for one provider: evenly spaced at a little under the documented
/// per-second limit (so a sliding one-second window on the provider's side never sees more than
/// the limit), corrected by the rate headers it answers with, and held back after a 429.
/// Reservations are handed out in order, so several workers share one pace.
public final class RateLimiter: @unchecked Sendable {
    /// The share of the documented limit aimed at: close enough to reach ≥ 0.9 of it, far enough
    /// that network jitter does not push a window over.
    public static let headroom = 0.95
    /// The per-second limits a provider's header is believed within: below, a `0.001` would
    /// space requests 17 minutes apart; above, nothing real.
    public static let believedLimits: ClosedRange<Double> = 0.2...10_000
    private let lock = NSLock()
    private var interval: TimeInterval
    private var nextFree: Date = .distantPast
    public private(set) var perSecond: Double
    /// What the provider last said is left of its allowance (nil: not said).
    public private(set) var remainingToday: Int?

    public init(perSecond: Double) {
        self.perSecond = perSecond
        interval = 1 / (perSecond * Self.headroom)
    }

    /// Reserves the next slot: how long the caller waits before sending.
    public func reserve(now: Date) -> TimeInterval {
        lock.lock()
        defer { lock.unlock() }
        let slot = max(now, nextFree)
        nextFree = slot.addingTimeInterval(interval)
        return slot.timeIntervalSince(now)
    }

    /// Follows the provider's rate headers: a new per-second limit, nothing left this second.
    public func observe(limitPerSecond: Double?, remainingThisSecond: Int?, remainingToday: Int?, now: Date) {
        lock.lock()
        defer { lock.unlock() }
        if let limit = Checked.clamped(limitPerSecond, to: Self.believedLimits), limit != perSecond {
            perSecond = limit
            interval = 1 / (limit * Self.headroom)
        }
        // Nothing left this second: the next request waits a slot more. (A whole second would
        // halve the pace: at 95 % of the limit a one-second window is often just full. If the
        // provider still refuses, its 429 and retry-after hold everything back.)
        if remainingThisSecond == 0 { nextFree = max(nextFree, now.addingTimeInterval(interval)) }
        if let r = remainingToday { self.remainingToday = r }
    }

    /// Nothing is sent before `date` (a 429's `retry-after`).
    public func hold(until date: Date) {
        lock.lock()
        nextFree = max(nextFree, date)
        lock.unlock()
    }
}

/// A limit of `limit` requests in any `window` seconds (Printify: 100 catalog calls a minute,
/// 200 publishes in 30 minutes), kept beside the per-second pace: a request waits until the
/// oldest of the last `limit` is a window old.
public final class WindowLimiter: @unchecked Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let lock = NSLock()
    private var sent: [Date] = []

    public init(limit: Int, window: TimeInterval) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Reserves a slot: how long the caller waits before sending.
    public func reserve(now: Date) -> TimeInterval {
        lock.lock()
        defer { lock.unlock() }
        sent.removeAll { now.timeIntervalSince($0) >= window }
        let slot = sent.count < limit ? now : sent[sent.count - limit].addingTimeInterval(window)
        sent.append(slot)
        return max(0, slot.timeIntervalSince(now))
    }
}

/// Exponential backoff with jitter: attempt n waits base·2^(n−1), capped, scaled by a random
/// factor in [0.5, 1) so that many clients do not retry in step; never less than the
/// provider's `retry-after`.
public enum Backoff {
    public static let base: TimeInterval = 1
    public static let cap: TimeInterval = 300
    /// A `retry-after` longer than an hour is taken as an hour (a provider's `inf` or `1e12`
    /// must not park the queue for ever).
    public static let longestRetryAfter: TimeInterval = 3_600
    /// A read asked to wait longer than this gives up at once instead of sleeping in place.
    public static let longestWaitInPlace: TimeInterval = 30

    public static func delay(attempt: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval {
        let exponential = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        let jittered = exponential * (0.5 + 0.5 * min(max(random, 0), 1))
        return max(jittered, retryAfter ?? 0)
    }
}

/// Stops hammering a provider that is down: after `threshold` failures in a row it opens for
/// `cooldown` (doubling each time it opens again, up to ten minutes); then one request probes,
/// and a success closes it.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable { case closed, open(until: Date), halfOpen }
    public private(set) var state: State = .closed
    public private(set) var failures = 0
    public let threshold: Int
    public let baseCooldown: TimeInterval
    private var cooldown: TimeInterval

    public init(threshold: Int = 5, cooldown: TimeInterval = 30) {
        self.threshold = threshold
        baseCooldown = cooldown
        self.cooldown = cooldown
    }

    /// Whether a request may go now (an open breaker whose time is up lets one probe through).
    public mutating func allows(now: Date) -> Bool {
        switch state {
        case .closed, .halfOpen: return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        }
    }

    public mutating func recordSuccess() {
        state = .closed
        failures = 0
        cooldown = baseCooldown
    }

    public mutating func recordFailure(now: Date) {
        failures += 1
        if state == .halfOpen {
            cooldown = min(cooldown * 2, 600)
            state = .open(until: now.addingTimeInterval(cooldown))
        } else if failures >= threshold {
            state = .open(until: now.addingTimeInterval(cooldown))
        }
    }

    /// When an open breaker lets a probe through (nil when it is not open).
    public var opensAt: Date? {
        if case .open(let until) = state { return until }
        return nil
    }
}
