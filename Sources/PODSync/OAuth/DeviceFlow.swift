import Foundation
import PODCore
import PODStore

/// A provider configured with `auth = "device"` (DESIGN.md §5): RFC 8628's device
/// authorization grant, its endpoints given or found by RFC 8414 discovery from `issuer`.
public struct DeviceFlowSettings: Sendable, Equatable {
    public var issuer: String?
    public var deviceAuthorizationURL: String?
    public var tokenURL: String?
    public var clientID: String
    public var scopes: String?
    /// A GET with the new token must answer 2xx before the token is stored.
    public var verifyURL: String?

    public init(provider: String, _ values: [String: String]) throws(ProviderError) {
        guard let id = values["client_id"], !id.isEmpty else {
            throw .notConfigured("providers.\(provider).client_id is not set in config.toml")
        }
        clientID = id
        issuer = values["issuer"]
        deviceAuthorizationURL = values["device_authorization_url"]
        tokenURL = values["token_url"]
        scopes = values["scopes"]
        verifyURL = values["verify_url"]
        if issuer == nil && (deviceAuthorizationURL == nil || tokenURL == nil) {
            throw .notConfigured("providers.\(provider) needs issuer (for discovery) or device_authorization_url and token_url")
        }
    }
}

/// What the user is shown: the code to type and where.
public struct DeviceCode: Sendable, Equatable {
    public var userCode: String
    public var verificationURI: String
    public var verificationURIComplete: String?
    public var expiresAt: Date
    public var interval: TimeInterval
    var deviceCode: String
}

/// Why a connect attempt ended without a connection.
public enum ConnectError: Error, Equatable, Sendable, CustomStringConvertible {
    case denied
    case expired
    case cancelled
    /// The provider refused the pasted token.
    case refused(status: Int)
    /// The provider cannot be reached: the address and the transport's reason.
    case unreachable(String)
    /// The provider answered something that is not what the standard says.
    case malformed(String)
    case notConfigured(String)
    case failed(String)

    public var description: String {
        switch self {
        case .denied: return "the request was denied"
        case .expired: return "the code expired before it was approved; start again"
        case .cancelled: return "cancelled"
        case .refused(let status): return "the token was refused (HTTP \(status))"
        case .unreachable(let why), .malformed(let why), .notConfigured(let why), .failed(let why): return why
        }
    }

    /// A provider call's failure in these terms.
    init(_ e: ProviderError) {
        switch e {
        case .transport(.cancelled): self = .cancelled
        case .transport(let t): self = .unreachable("\(t)")
        case .malformed(let m): self = .malformed(m)
        case .notConfigured(let m): self = .notConfigured(m)
        case .rejected(_, let m) where m.contains("access_denied"): self = .denied
        case .unauthorized: self = .refused(status: 401)
        default: self = .failed(e.description)
        }
    }
}

/// RFC 8628 from the client's side: ask for a code, then poll the token endpoint at the
/// interval — `authorization_pending` polls on, `slow_down` adds 5 s to this and every later
/// poll, `access_denied` and `expired_token` end it — and verify the token before it is kept.
public struct DeviceFlow: Sendable {
    public let settings: DeviceFlowSettings
    let transport: HTTPTransport
    let now: @Sendable () -> Date
    let sleep: @Sendable (TimeInterval) -> Void

    public init(
        settings: DeviceFlowSettings, transport: HTTPTransport, now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) {
        self.settings = settings
        self.transport = transport
        self.now = now
        self.sleep = sleep
    }

    /// The two endpoints, from the configuration or from discovery.
    func endpoints() throws(ConnectError) -> (device: String, token: String) {
        if let d = settings.deviceAuthorizationURL, let t = settings.tokenURL { return (d, t) }
        guard let issuer = settings.issuer else { throw .notConfigured("no device authorization endpoint is configured") }
        let url = (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/oauth-authorization-server"
        let o = try object(
            HTTPRequest(url: url, headers: [HTTPHeader("Accept", "application/json")], maxResponseBytes: ResponseLimit.token), what: "the discovery document")
        guard let d = settings.deviceAuthorizationURL ?? o["device_authorization_endpoint"] as? String,
            let t = settings.tokenURL ?? o["token_endpoint"] as? String
        else {
            throw .malformed("\(url) names no device_authorization_endpoint and token_endpoint")
        }
        return (d, t)
    }

    /// Asks for a device code.
    public func start() throws(ConnectError) -> DeviceCode {
        let (device, _) = try endpoints()
        var fields = [("client_id", settings.clientID)]
        if let s = settings.scopes { fields.append(("scope", s)) }
        let o = try object(.oauthForm(url: device, fields: fields), what: "the device authorization answer")
        guard let code = o["device_code"] as? String, let user = o["user_code"] as? String,
            // Google spells it verification_url.
            let uri = o["verification_uri"] as? String ?? o["verification_url"] as? String
        else {
            throw .malformed("the device authorization answer lacks device_code, user_code or verification_uri")
        }
        // A code lives at most a day here, and is polled every 1 to 60 seconds, whatever is said.
        let expires = Checked.clamped((o["expires_in"] as? NSNumber)?.doubleValue, to: 1...86_400) ?? 600
        let interval = Checked.clamped((o["interval"] as? NSNumber)?.doubleValue, to: 1...60) ?? 5
        return DeviceCode(
            userCode: user, verificationURI: uri, verificationURIComplete: o["verification_uri_complete"] as? String,
            expiresAt: now().addingTimeInterval(expires), interval: interval, deviceCode: code)
    }

    /// Polls until the user approves (the token), denies, the code expires or `cancel` is set.
    /// `waiting` is told the seconds to the next poll.
    public func poll(_ code: DeviceCode, cancel: CancelFlag? = nil, waiting: (TimeInterval) -> Void = { _ in }) throws(ConnectError) -> Credential {
        let (_, token) = try endpoints()
        var interval = code.interval
        while true {
            waiting(interval)
            var slept = 0.0
            while slept < interval {
                if cancel?.isCancelled == true { throw .cancelled }
                let step = min(0.2, interval - slept)
                sleep(step)
                slept += step
            }
            if now() >= code.expiresAt { throw .expired }
            let request = HTTPRequest.oauthForm(
                url: token,
                fields: [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", code.deviceCode), ("client_id", settings.clientID),
                ])
            let response: HTTPResponse
            do {
                response = try transport.send(request, cancel: cancel)
            } catch {
                if error == .cancelled { throw .cancelled }
                throw .unreachable("the token endpoint cannot be reached: \(error)")
            }
            guard let o = response.jsonObject else { throw .malformed("the token endpoint answered \(response.status) with a body that is not JSON") }
            if response.isSuccess, let credential = Credential(tokenAnswer: o, now: now()) { return credential }
            switch o["error"] as? String {
            case "authorization_pending": continue
            case "slow_down": interval += 5
            case "access_denied": throw .denied
            case "expired_token": throw .expired
            case let other:
                throw .failed("the token endpoint said \(other ?? "HTTP \(response.status)")" + ((o["error_description"] as? String).map { ": \($0)" } ?? ""))
            }
        }
    }

    /// A GET of `verify_url` with the token must answer 2xx (no verify URL: nothing to check).
    /// The account's name when the answer gives one.
    public func verify(_ credential: Credential) throws(ConnectError) -> String? {
        guard let url = settings.verifyURL else { return nil }
        let response: HTTPResponse
        do {
            response = try transport.send(HTTPRequest(url: url, headers: [HTTPHeader("Authorization", "Bearer \(credential.accessToken)")]))
        } catch {
            throw .unreachable("the token could not be checked at \(url): \(error)")
        }
        guard response.isSuccess else { throw .failed("\(url) refused the new token (HTTP \(response.status)); it was not stored") }
        let o = response.jsonObject ?? [:]
        return ["name", "preferred_username", "login", "username", "email"].lazy.compactMap { o[$0] as? String }.first { !$0.isEmpty }
    }

    /// The token endpoint, for refreshing (from the configuration or discovery).
    public func tokenEndpoint() throws(ConnectError) -> String { try endpoints().token }

    func object(_ request: HTTPRequest, what: String) throws(ConnectError) -> [String: Any] {
        let response: HTTPResponse
        do {
            response = try transport.send(request)
        } catch {
            throw .unreachable("cannot reach \(request.url): \(error)")
        }
        guard let o = response.jsonObject else { throw .malformed("\(what) is not JSON (HTTP \(response.status))") }
        guard response.isSuccess else {
            throw .failed("\(what): HTTP \(response.status) \(o["error"] as? String ?? "")" + ((o["error_description"] as? String).map { " — \($0)" } ?? ""))
        }
        return o
    }
}

extension Credential {
    /// The longest lifetime a token answer is believed (ten years): more is taken as that.
    static let longestLifetime: TimeInterval = 10 * 365 * 86_400

    /// A token endpoint's answer (RFC 6749 §5.1); nil without an access token. A refresh
    /// answer without a new refresh token keeps the previous one; a refresh token's end is
    /// `refresh_token_expires_in` when given, else `refreshLifetime` (what the provider documents).
    init?(tokenAnswer o: [String: Any], now: Date, previous: Credential? = nil, refreshLifetime: TimeInterval? = nil) {
        guard let access = o["access_token"] as? String, !access.isEmpty else { return nil }
        let newRefresh = o["refresh_token"] as? String
        func lifetime(_ key: String) -> Date? {
            Checked.clamped((o[key] as? NSNumber)?.doubleValue, to: 0...Credential.longestLifetime).map(now.addingTimeInterval)
        }
        let refreshEnd =
            lifetime("refresh_token_expires_in")
            ?? (newRefresh != nil ? refreshLifetime.map { now.addingTimeInterval($0) } : previous?.refreshExpiresAt)
        self.init(
            accessToken: access, refreshToken: newRefresh ?? previous?.refreshToken,
            expiresAt: lifetime("expires_in"),
            refreshExpiresAt: refreshEnd, account: previous?.account)
    }
}
