import Foundation
import PODStore

/// Keeps OAuth access tokens fresh: a token that lapses within `margin` is refreshed first.
/// The provider rotates the refresh token on every refresh, so the new pair is written to
/// `credentials.json` before the new access token is used — a crash in between never leaves
/// only a refresh token that the provider has already retired. One refresh at a time per
/// provider (a second caller waits and gets the fresh token).
public final class TokenRefresher: @unchecked Sendable {
    let credentials: CredentialStore
    let transport: HTTPTransport
    public var margin: TimeInterval = 300
    private var locks: [String: NSLock] = [:]
    private let lock = NSLock()

    public init(credentials: CredentialStore, transport: HTTPTransport) {
        self.credentials = credentials
        self.transport = transport
    }

    private func lock(for provider: String) -> NSLock {
        lock.withLock {
            if let l = locks[provider] { return l }
            let l = NSLock()
            locks[provider] = l
            return l
        }
    }

    /// The provider's credential, refreshed first when it lapses within the margin (or at
    /// once when `force`, after the provider refused it). Nil when there is none.
    /// `refreshLifetime`: how long a new refresh token lasts, as the provider documents it.
    public func credential(
        provider: String, tokenURL: String, clientID: String, now: Date, force: Bool = false,
        refreshLifetime: TimeInterval? = nil
    ) throws(ProviderError) -> Credential? {
        let l = lock(for: provider)
        l.lock()
        defer { l.unlock() }
        let current: Credential?
        do {
            current = try credentials.credential(for: provider)
        } catch {
            throw .notConfigured("\(error)")
        }
        guard let c = current else { return nil }
        let lapsing = c.expiresAt.map { $0.timeIntervalSince(now) < margin } ?? false
        guard force || lapsing else { return c }
        guard let refresh = c.refreshToken else {
            throw .unauthorized("the access token has expired and there is no refresh token")
        }
        let request = HTTPRequest.oauthForm(url: tokenURL, fields: [("grant_type", "refresh_token"), ("client_id", clientID), ("refresh_token", refresh)])
        let response = try transport.exchange(request)
        if response.status == 400 || response.status == 401 {
            throw .unauthorized("the refresh token was refused (\(ProviderError.message(in: response)))")
        }
        if let error = ProviderError.from(response, fields: []) { throw error }
        guard let fresh = response.jsonObject.flatMap({ Credential(tokenAnswer: $0, now: now, previous: c, refreshLifetime: refreshLifetime) }) else {
            throw .malformed("the token answer has no access_token")
        }
        do {
            try credentials.save(fresh, for: provider)
        } catch {
            throw .notConfigured("the refreshed token could not be saved: \(error)")
        }
        return fresh
    }
}
