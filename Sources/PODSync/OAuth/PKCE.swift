import CCurl
import Foundation
import PODCore
import PODStore

/// `[providers.etsy]` for connecting: authorization code + PKCE S256 with a loopback redirect
/// (RFC 8252) at `http://localhost:PORT/callback`, the port registered with Etsy.
public struct PKCESettings: Sendable, Equatable {
    public var authorizeURL: String
    public var tokenURL: String
    public var clientID: String
    public var redirectPort: UInt16
    public var scopes: String
    public var redirectURI: String { "http://localhost:\(redirectPort)/callback" }

    public init(_ etsy: EtsySettings, _ values: [String: String]) throws(ProviderError) {
        authorizeURL = values["authorize_url"] ?? "https://www.etsy.com/oauth/connect"
        tokenURL = etsy.tokenURL
        clientID = etsy.clientID
        switch values["redirect_port"].map({ Checked.int($0, field: "providers.etsy.redirect_port", in: 1...65_535, expected: "a port from 1 to 65535") }) {
        case nil: redirectPort = 3003
        case .success(let p)?: redirectPort = UInt16(p)
        case .failure(let refusal)?: throw .notConfigured(refusal.description)
        }
        scopes = values["scopes"] ?? "listings_r listings_w listings_d shops_r shops_w transactions_r"
    }
}

/// One authorization attempt: the verifier and the state it sends and later checks.
public struct PKCE: Sendable {
    public let verifier: String
    public let state: String

    public init() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        verifier = String((0..<64).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        state = String((0..<24).map { _ in alphabet[Int(rng.next() % 62)] })
    }

    /// BASE64URL(SHA-256(verifier)), no padding (RFC 7636 S256).
    public static func challenge(_ verifier: String) throws(ProviderError) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(verifier.utf8)
        guard ccurl_sha256(bytes, bytes.count, &digest) == 0 else { throw .notConfigured("libcrypto (OpenSSL) could not be loaded for SHA-256") }
        return Data(digest).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public func authorizeURL(_ s: PKCESettings) throws(ProviderError) -> String {
        let q: [(String, String)] = [
            ("response_type", "code"), ("client_id", s.clientID), ("redirect_uri", s.redirectURI),
            ("scope", s.scopes), ("state", state), ("code_challenge", try Self.challenge(verifier)),
            ("code_challenge_method", "S256"),
        ]
        return s.authorizeURL + "?" + q.map { "\($0.0)=\(HTTPRequest.formEncode($0.1))" }.joined(separator: "&")
    }

    /// The code of a redirect (`?code=…&state=…`), refused when the state is not this attempt's
    /// or the provider sent an error. The state is checked first: an answer without it, error
    /// or not, is nobody's to act on.
    public func code(fromRedirect url: String) throws(ProviderError) -> String {
        guard let items = Self.query(url) else {
            throw .rejected(field: nil, message: "that is not the address the browser was sent to")
        }
        guard items["state"] == state else { throw .rejected(field: nil, message: "the state does not match this attempt; the redirect was refused") }
        if let error = items["error"] { throw .rejected(field: nil, message: "Etsy said \(error)" + (items["error_description"].map { ": \($0)" } ?? "")) }
        guard let code = items["code"], !code.isEmpty else { throw .rejected(field: nil, message: "the redirect carries no code") }
        return code
    }

    /// Whether a redirect carries this attempt's state (the listener ignores any other caller).
    public func isOurs(_ url: String) -> Bool { Self.query(url)?["state"] == state }

    static func query(_ url: String) -> [String: String]? {
        guard let comps = URLComponents(string: url.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return Dictionary(comps.queryItems?.compactMap { i in i.value.map { (i.name, $0) } } ?? [], uniquingKeysWith: { a, _ in a })
    }

    /// Trades the code for tokens at the token endpoint (form, `client_id` = keystring).
    public func exchange(_ code: String, settings s: PKCESettings, transport: HTTPTransport, now: Date) throws(ProviderError) -> Credential {
        let response = try transport.exchange(
            .oauthForm(
                url: s.tokenURL,
                fields: [
                    ("grant_type", "authorization_code"), ("client_id", s.clientID), ("redirect_uri", s.redirectURI), ("code", code),
                    ("code_verifier", verifier),
                ]))
        if let error = ProviderError.from(response, fields: []) { throw error }
        guard let credential = response.jsonObject.flatMap({ Credential(tokenAnswer: $0, now: now, refreshLifetime: EtsySettings.refreshTokenLifetime) }) else {
            throw .malformed("the token answer has no access_token")
        }
        return credential
    }
}
