import Foundation
import PODCore

/// How a provider call went wrong, in the terms the sync engine acts on.
public enum ProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer (refused, timed out, broken off). See `mayHaveApplied`.
    case transport(HTTPError)
    /// 429: too many requests; wait `retryAfter` seconds when the provider says.
    case rateLimited(retryAfter: TimeInterval?)
    /// The provider's daily allowance is used up.
    case dailyLimitReached
    /// 5xx.
    case server(status: Int, message: String)
    /// 401: the token is expired, revoked or unknown — connect again.
    case unauthorized(String)
    /// 403: the key or token may not do this (a wrong API key, a shop of someone else).
    case forbidden(String)
    /// 400/404/409/422: the provider refused the data; `field` names the listing field when known.
    case rejected(field: String?, message: String)
    /// A success status with a body that is not what the provider documents.
    case malformed(String)
    /// The provider is not configured (a missing key in config.toml).
    case notConfigured(String)

    public var description: String {
        switch self {
        case .transport(let e): return e.description
        case .rateLimited(let after): return "rate limited" + (after.map { ", retry after \(Int($0)) s" } ?? "")
        case .dailyLimitReached: return "the daily request allowance is used up; sync resumes tomorrow"
        case .server(let status, let m): return "server error \(status)" + (m.isEmpty ? "" : ": \(m)")
        case .unauthorized(let m): return "authorization expired or revoked (\(m)); connect again"
        case .forbidden(let m): return "forbidden: \(m)"
        case .rejected(let field, let m):
            // "title: too long", not "title: title: too long".
            guard let field, !m.lowercased().hasPrefix(field) else { return m }
            return "\(field): \(m)"
        case .malformed(let m): return "unexpected answer: \(m)"
        case .notConfigured(let m): return m
        }
    }

    /// Whether trying again later can help.
    public var isRetryable: Bool {
        switch self {
        case .transport(let e): return e != .cancelled
        case .rateLimited, .server, .malformed: return true
        default: return false
        }
    }

    /// Whether the request may have been carried out although no usable answer came back: then
    /// the provider is asked before the request is sent again.
    public var mayHaveApplied: Bool {
        switch self {
        case .transport(.timedOut), .transport(.network), .server, .malformed: return true
        default: return false
        }
    }

    /// Whether the failure says the provider is unwell (it counts towards its circuit breaker).
    public var countsAgainstProvider: Bool {
        switch self {
        case .transport, .server, .malformed: return true
        default: return false
        }
    }

    /// The error an HTTP answer stands for (nil for a success).
    static func from(_ response: HTTPResponse, fields: [String]) -> ProviderError? {
        if response.isSuccess { return nil }
        let message = Self.message(in: response)
        switch response.status {
        case 429: return .rateLimited(retryAfter: Checked.seconds(response.header("retry-after"), now: Date(), limit: Backoff.longestRetryAfter))
        case 401: return .unauthorized(message)
        case 403: return .forbidden(message)
        case 500...: return .server(status: response.status, message: message)
        default: return .rejected(field: field(in: message, among: fields), message: message)
        }
    }

    /// The provider's own words: `error`, `error_description`, `message` or `error.message`.
    static func message(in response: HTTPResponse) -> String {
        if let o = response.jsonObject {
            // Printify: "Validation failed." with the reason under `errors`.
            if let s = o["message"] as? String, let reason = (o["errors"] as? [String: Any])?["reason"] as? String, !reason.isEmpty {
                return s + " " + reason
            }
            for key in ["error_description", "message", "error"] {
                if let s = o[key] as? String, !s.isEmpty { return s }
                if let inner = o[key] as? [String: Any], let s = inner["message"] as? String { return s }
            }
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(response.status)" : text
    }

    /// The first listing field named in a provider's message ("title: …", "Invalid tags …").
    static func field(in message: String, among fields: [String]) -> String? {
        let words = message.lowercased().split(whereSeparator: { !($0.isLetter || $0 == "_") })
        return words.lazy.map(String.init).first(where: fields.contains)
    }
}

extension HTTPTransport {
    /// Sends a request; getting no answer at all becomes `ProviderError.transport`.
    func exchange(_ request: HTTPRequest, cancel: CancelFlag? = nil) throws(ProviderError) -> HTTPResponse {
        do {
            return try send(request, cancel: cancel)
        } catch {
            throw .transport(error)
        }
    }
}

/// A read (GET: safe to repeat) tried again in place when the provider asks for patience: a
/// 429 after its `retry-after`, a 5xx or a broken answer after a short backoff; at most
/// `tries` times in all. The pull and the calls a pass starts with go through here, so that a
/// busy provider slows a pass down instead of stopping it.
func withReadRetries<T>(
    tries: Int = 4, sleep: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) },
    _ body: () throws(ProviderError) -> T
) throws(ProviderError) -> T {
    var attempt = 1
    while true {
        do {
            return try body()
        } catch {
            guard error.isRetryable, attempt < tries else { throw error }
            if case .rateLimited(let after) = error {
                // A long wait is the pass's to schedule, not this call's to sit through.
                guard (after ?? 1) <= Backoff.longestWaitInPlace else { throw error }
                sleep(after ?? 1)
            } else {
                sleep(Backoff.delay(attempt: attempt, retryAfter: nil, random: 0.5))
            }
            attempt += 1
        }
    }
}
