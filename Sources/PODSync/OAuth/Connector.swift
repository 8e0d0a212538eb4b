import Foundation
import PODCore
import PODStore

/// How a provider is connected (DESIGN.md §5).
public enum AuthKind: String, Sendable, Equatable, CaseIterable {
    /// RFC 8628: a code typed on another device.
    case device
    /// Etsy: authorization code + PKCE with a loopback redirect.
    case pkce
    /// A personal access token or API key pasted.
    case token
}

/// A provider as the Integrations screen shows it. No secrets.
public struct IntegrationCard: Sendable, Equatable {
    public var provider: String
    public var auth: AuthKind
    /// The store's record: state, account, when it lapses (`Credential.lapsesAt`), last error.
    public var connection: ConnectionInfo
    /// What is missing from config.toml before it can connect, if anything.
    public var problem: String?
    /// A refresh token is stored: the access token can be renewed.
    public var refreshable: Bool

    public init(provider: String, auth: AuthKind, connection: ConnectionInfo, problem: String?, refreshable: Bool) {
        self.provider = provider
        self.auth = auth
        self.connection = connection
        self.problem = problem
        self.refreshable = refreshable
    }
}

/// An Etsy authorization under way: the address to open and the listener awaiting the redirect.
public final class EtsyAuthorization {
    public let url: String
    let attempt: PKCE
    let settings: PKCESettings
    let etsy: EtsySettings
    let listener: LoopbackListener

    init(url: String, attempt: PKCE, settings: PKCESettings, etsy: EtsySettings, listener: LoopbackListener) {
        self.url = url
        self.attempt = attempt
        self.settings = settings
        self.etsy = etsy
        self.listener = listener
    }

    /// The redirected address: from the browser, from `pasted`, or (`readStdin`) typed; nil
    /// after ten minutes or when cancelled.
    public func awaitRedirect(readStdin: Bool, pasted: (() -> String?)? = nil, cancel: CancelFlag?) -> String? {
        listener.wait(timeout: 600, readStdin: readStdin, pasted: pasted, cancel: cancel, accepts: attempt.isOurs)
    }
}

/// Connecting, checking, renewing and forgetting provider accounts: the one place the connect
/// command and the Integrations screen share. Every token is checked with one real call before
/// it is stored (0600, atomically) and the store records the connection, never the secret.
public final class Connector: @unchecked Sendable {
    let store: Store
    public let credentials: CredentialStore
    let providers: [String: [String: String]]
    let transport: HTTPTransport
    let refresher: TokenRefresher
    let now: @Sendable () -> Date

    public static let builtIn = ProviderID.allCases.map(\.rawValue) + ["openai"]

    public init(
        store: Store, credentials: CredentialStore, providers: [String: [String: String]], transport: HTTPTransport,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.credentials = credentials
        self.providers = providers
        self.transport = transport
        self.refresher = TokenRefresher(credentials: credentials, transport: transport)
        self.now = now
    }

    func values(_ provider: String) -> [String: String] { providers[provider] ?? [:] }

    /// How `provider` connects; nil for a name config.toml does not know.
    public func auth(for provider: String) -> AuthKind? {
        // The SMTP password of `[providers.smtp]` is pasted like a token and checked by logging in.
        if provider == "smtp" { return providers["smtp"] == nil ? nil : .token }
        if let a = values(provider)["auth"] { return AuthKind(rawValue: a) }
        return provider == "openai" ? .token : ProviderID(rawValue: provider)?.sync.auth
    }

    /// The built-in providers, then those config.toml adds, by name.
    public var providerNames: [String] {
        Self.builtIn + providers.keys.filter { !Self.builtIn.contains($0) && auth(for: $0) != nil }.sorted()
    }

    /// Whether the sync engine has something to talk to: a shop provider's credential stored
    /// (and, for Etsy, its app keys configured) — a Printify-only seller syncs too.
    public var syncAvailable: Bool {
        let connected = (try? credentials.providers()) ?? []
        return ProviderID.allCases.contains { p in
            connected.contains(p.rawValue) && (p != .etsy || (try? EtsySettings(values(p.rawValue))) != nil)
        }
    }

    /// A card per provider, from the store and the credentials file (never the secrets).
    public func cards() throws -> [IntegrationCard] {
        let known = Dictionary(try store.connections().map { ($0.provider, $0) }, uniquingKeysWith: { a, _ in a })
        return try providerNames.compactMap { p in
            guard let auth = auth(for: p) else { return nil }
            let credential = try credentials.credential(for: p)
            var connection = known[p] ?? ConnectionInfo(provider: p, state: .notConnected, accountName: nil, expiresAt: nil, lastError: nil)
            if credential == nil, connection.state == .connected { connection.state = .notConnected }
            // A key from the environment (PODPUSHER_OPENAI_API_KEY) or config.toml is what the
            // copywriter uses when none is stored: the card says it is there.
            if credential == nil, p == "openai", !(values(p)["api_key"] ?? "").isEmpty { connection.state = .connected }
            return IntegrationCard(
                provider: p, auth: auth, connection: connection, problem: problem(p, auth),
                refreshable: credential?.refreshToken != nil)
        }
    }

    /// What config.toml lacks for connecting `provider`.
    func problem(_ provider: String, _ auth: AuthKind) -> String? {
        do {
            switch auth {
            case .device: _ = try DeviceFlowSettings(provider: provider, values(provider))
            case .pkce: _ = try EtsySettings(values(provider))
            case .token:
                if provider == "smtp", case .failure(let e)? = SMTPSettings.parse(values(provider)) { return e.description }
                return nil
            }
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: Device authorization grant

    public func deviceFlow(_ provider: String) throws(ConnectError) -> DeviceFlow {
        do {
            return DeviceFlow(settings: try DeviceFlowSettings(provider: provider, values(provider)), transport: transport)
        } catch {
            throw .notConfigured(error.description)
        }
    }

    /// Polls until approved, checks the token, stores it. The account's name when known.
    public func completeDevice(
        _ provider: String, flow: DeviceFlow, code: DeviceCode, cancel: CancelFlag?,
        waiting: (TimeInterval) -> Void = { _ in }
    ) throws(ConnectError) -> String? {
        var credential = try flow.poll(code, cancel: cancel, waiting: waiting)
        credential.account = try flow.verify(credential)
        try keep(credential, for: provider, accountID: nil)
        return credential.account
    }

    // MARK: Etsy (PKCE)

    /// Opens the loopback listener and makes the authorization address.
    public func beginEtsy() throws(ConnectError) -> EtsyAuthorization {
        let etsy: EtsySettings, settings: PKCESettings
        do {
            etsy = try EtsySettings(values(ProviderID.etsy.rawValue))
            settings = try PKCESettings(etsy, values(ProviderID.etsy.rawValue))
        } catch {
            throw .notConfigured(error.description)
        }
        let attempt = PKCE()
        do {
            let listener = try LoopbackListener(port: settings.redirectPort)
            return EtsyAuthorization(url: try attempt.authorizeURL(settings), attempt: attempt, settings: settings, etsy: etsy, listener: listener)
        } catch {
            throw ConnectError(error)
        }
    }

    /// Trades the redirect's code (its `state` checked), checks the token with `users/me`,
    /// stores it. The account's name.
    public func completeEtsy(_ auth: EtsyAuthorization, redirect: String) throws(ConnectError) -> String {
        do {
            let code = try auth.attempt.code(fromRedirect: redirect)
            var credential = try auth.attempt.exchange(code, settings: auth.settings, transport: transport, now: now())
            let me = try EtsyClient(settings: auth.etsy, token: credential.accessToken, transport: transport).me()
            credential.account = "user \(me.userID)" + (me.shopID.map { ", shop \($0)" } ?? "")
            try keep(credential, for: ProviderID.etsy.rawValue, accountID: String(me.userID))
            return credential.account ?? ""
        } catch let e as ConnectError {
            throw e
        } catch let e as ProviderError {
            throw ConnectError(e)
        } catch {
            throw .failed("\(error)")
        }
    }

    // MARK: Tokens

    /// Checks a pasted token with one real call, then stores it. The account's name when known.
    public func saveToken(_ provider: String, token: String) throws(ConnectError) -> String? {
        var credential = Credential(accessToken: token)
        credential.account = try check(provider, credential)
        try keep(credential, for: provider, accountID: nil)
        return credential.account
    }

    /// One call with the token: Printify's shops, `verify_url` or an OpenAI-compatible
    /// `models`. The account's name when the answer gives one.
    func check(_ provider: String, _ credential: Credential) throws(ConnectError) -> String? {
        let v = values(provider)
        switch auth(for: provider) {
        case .device?:
            return try deviceFlow(provider).verify(credential)
        case .pkce?:
            do {
                let me = try EtsyClient(settings: try EtsySettings(v), token: credential.accessToken, transport: transport).me()
                return credential.account ?? "user \(me.userID)"
            } catch {
                throw ConnectError(error)
            }
        default:
            if provider == "smtp" {
                guard case .success(let settings)? = SMTPSettings.parse(v) else { throw .notConfigured("[providers.smtp] is incomplete") }
                do {
                    try SMTPMailer(settings: settings, password: credential.accessToken).verify()
                } catch .unauthorized {
                    throw .refused(status: 535)
                } catch {
                    throw .unreachable(error.description)
                }
                return settings.user ?? settings.from
            }
            let base = v["api_base_url"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? OpenAISettings.defaultBaseURL
            let printify = provider == ProviderID.printify.rawValue
            let url = printify ? PrintifySettings(v).apiBaseURL + "/shops.json" : v["verify_url"] ?? base + "/models"
            let bearer = HTTPHeader("Authorization", "Bearer \(credential.accessToken)")
            func send(_ request: HTTPRequest) throws(ConnectError) -> HTTPResponse {
                do { return try transport.send(request) } catch { throw .unreachable("\(request.url) cannot be reached: \(error)") }
            }
            var response = try send(HTTPRequest(url: url, headers: [bearer]))
            // An OpenAI-compatible server without `models` (many local ones): the key is
            // checked with the smallest completion instead.
            if response.status == 404, provider == "openai", v["verify_url"] == nil,
                let request = try? HTTPRequest.json(
                    "POST", url: base + "/chat/completions", headers: [bearer],
                    object: [
                        "model": v["model"] ?? OpenAISettings.defaultModel, "max_tokens": 1,
                        "messages": [["role": "user", "content": "ping"]],
                    ] as [String: Any])
            {
                response = try send(request)
            }
            guard response.isSuccess else { throw .refused(status: response.status) }
            let shops = (try? JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]] ?? []
            return printify ? shops.first?["title"] as? String : nil
        }
    }

    // MARK: Refresh, disconnect

    /// Renews the access token when a refresh token is stored (the rotated one saved first),
    /// then checks the token with one call; the connection is recorded either way.
    public func refresh(_ provider: String) throws(ConnectError) {
        do {
            guard var credential = try credentials.credential(for: provider) else {
                throw ConnectError.notConfigured("\(provider) is not connected")
            }
            if credential.refreshToken != nil {
                credential = try renew(provider, force: true) ?? credential
            }
            _ = try check(provider, credential)
            try store.recordConnection(provider: provider, state: .connected, expiresAt: credential.lapsesAt, lastError: nil, now: now())
        } catch {
            let e = error as? ConnectError ?? (error as? ProviderError).map(ConnectError.init) ?? .failed("\(error)")
            if e != .cancelled {
                try? store.recordConnection(provider: provider, state: e == .refused(status: 401) ? .expired : .error, lastError: e.description, now: now())
            }
            throw e
        }
    }

    /// Renews the tokens of OAuth providers that lapse within the refresher's margin (at start).
    public func renewLapsing() {
        for p in providerNames where auth(for: p) == .device {
            _ = try? renew(p, force: false)
        }
    }

    /// The provider's credential, refreshed at its token endpoint first when forced or lapsing.
    func renew(_ provider: String, force: Bool) throws -> Credential? {
        let tokenURL: String, clientID: String, lifetime: TimeInterval?
        if auth(for: provider) == .pkce {
            let etsy = try EtsySettings(values(provider))
            (tokenURL, clientID, lifetime) = (etsy.tokenURL, etsy.clientID, EtsySettings.refreshTokenLifetime)
        } else {
            let flow = try deviceFlow(provider)
            (tokenURL, clientID, lifetime) = (try flow.tokenEndpoint(), flow.settings.clientID, nil)
        }
        return try refresher.credential(
            provider: provider, tokenURL: tokenURL, clientID: clientID, now: now(), force: force,
            refreshLifetime: lifetime)
    }

    /// Forgets the provider's credentials; the store records it as not connected.
    public func disconnect(_ provider: String) throws {
        try credentials.remove(provider: provider)
        try store.recordConnection(provider: provider, state: .notConnected, replacing: true, now: now())
    }

    func keep(_ credential: Credential, for provider: String, accountID: String?) throws(ConnectError) {
        do {
            try credentials.save(credential, for: provider)
            try store.recordConnection(
                provider: provider, state: .connected, accountID: accountID, accountName: credential.account,
                expiresAt: credential.lapsesAt, lastError: nil, replacing: true, now: now())
        } catch {
            throw .failed("the credential could not be stored: \(error)")
        }
    }
}
