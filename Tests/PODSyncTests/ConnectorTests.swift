import Foundation
import PODCore
import PODStore
import XCTest

@testable import PODSync

/// Connecting, renewing and forgetting accounts against the local authorization server, which
/// rotates refresh tokens (each works once) and checks tokens at `/auth/me`.
final class ConnectorTests: XCTestCase {
    var server: LocalServer!
    var dir: URL!
    var store: Store!
    var credentials: CredentialStore!

    override func setUpWithError() throws {
        server = try LocalServer()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("podpusher-connect-\(UUID().uuidString)")
        store = try Store(dataDirectory: dir)
        credentials = CredentialStore(dataDirectory: dir)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
        // XCTest keeps every test case object to the end of the run: the server must stop now,
        // or it outlives the test process and holds its output open.
        server = nil
        store = nil
    }

    func connector(now: @escaping @Sendable () -> Date = { Date() }) -> Connector {
        Connector(
            store: store, credentials: credentials,
            providers: [
                "acme": ["auth": "device", "issuer": server.base + "/auth", "client_id": "podpusher", "verify_url": server.base + "/auth/me"],
                "printify": ["api_base_url": server.base + "/printify/v1"],
            ], transport: CurlTransport(connectTimeout: 1), now: now)
    }

    func auth() throws -> [String: Any] { try XCTUnwrap(server.state()["auth"] as? [String: Any]) }

    @discardableResult
    func connectAcme(_ c: Connector) throws -> String? {
        try server.control(["auth": ["script": ["approve"], "interval": 1]])
        let flow = try c.deviceFlow("acme")
        return try c.completeDevice("acme", flow: flow, code: try flow.start(), cancel: nil)
    }

    func acme() throws -> ConnectionInfo { try XCTUnwrap(store.connections().first { $0.provider == "acme" }) }

    func testADeviceTokenIsRenewedWithRotationAndARetiredRefreshTokenIsNeverSentAgain() throws {
        let c = connector()
        XCTAssertEqual(try connectAcme(c), "Acme Seller", "the account's name comes from verify_url")
        XCTAssertEqual(try credentials.credential(for: "acme")?.refreshToken, "device-refresh-1")
        try c.refresh("acme")
        let second = try XCTUnwrap(credentials.credential(for: "acme"))
        XCTAssertEqual(second.accessToken, "device-token-2")
        XCTAssertEqual(second.refreshToken, "device-refresh-2", "the rotated refresh token is the one kept")
        try c.refresh("acme")
        XCTAssertEqual(try credentials.credential(for: "acme")?.refreshToken, "device-refresh-3")
        XCTAssertEqual(try auth()["reused_refresh"] as? Int, 0, "no refresh token was sent twice")
        let retired = try CurlTransport().send(
            .form(
                url: server.base + "/auth/token",
                fields: [
                    ("grant_type", "refresh_token"), ("client_id", "podpusher"), ("refresh_token", "device-refresh-1"),
                ]))
        XCTAssertEqual(retired.status, 400, "the server refuses a retired refresh token")
        XCTAssertEqual(try acme().state, .connected)
    }

    func testATokenLapsingSoonIsRenewedAheadAndARefusedRefreshMarksTheConnectionExpired() throws {
        let c = connector()
        try connectAcme(c)
        var stored = try XCTUnwrap(credentials.credential(for: "acme"))
        c.renewLapsing()
        XCTAssertEqual(try credentials.credential(for: "acme")?.accessToken, "device-token-1", "an hour left: nothing to renew yet")
        stored.expiresAt = Date().addingTimeInterval(60)
        try credentials.save(stored, for: "acme")
        c.renewLapsing()
        XCTAssertEqual(try credentials.credential(for: "acme")?.accessToken, "device-token-2")

        try server.control(["auth": ["refresh_tokens": [String]()]])  // the provider revokes the grant
        XCTAssertThrowsError(try c.refresh("acme")) { XCTAssertEqual($0 as? ConnectError, .refused(status: 401)) }
        XCTAssertEqual(try acme().state, .expired)
        XCTAssertEqual(try c.cards().first { $0.provider == "acme" }?.connection.state, .expired)
    }

    func testTheConnectionLapsesWithTheAccessTokenWhenThereIsNoRefreshToken() throws {
        try server.control(["auth": ["refresh": false, "token_expires_in": 7200]])
        let now = Date()
        try connectAcme(connector(now: { now }))
        let lapse = try XCTUnwrap(acme().expiresAt)
        XCTAssertEqual(lapse.timeIntervalSince(now), 7200, accuracy: 5)
        XCTAssertEqual(try connector().cards().first { $0.provider == "acme" }?.refreshable, false)

        try server.control(["auth": ["refresh": true]])
        try connectAcme(connector())
        XCTAssertNil(try acme().expiresAt, "a refreshable token with no documented end has no lapse date (the old one is replaced)")
    }

    func testAPastedTokenIsCheckedBeforeItIsStoredAndDisconnectForgetsIt() throws {
        let c = connector()
        XCTAssertThrowsError(try c.saveToken("printify", token: "wrong")) { XCTAssertEqual($0 as? ConnectError, .refused(status: 401)) }
        XCTAssertNil(try credentials.credential(for: "printify"))
        XCTAssertEqual(try c.saveToken("printify", token: "printify-test-token"), "My POD shop")
        let card = try XCTUnwrap(c.cards().first { $0.provider == "printify" })
        XCTAssertEqual(card.connection.state, .connected)
        XCTAssertEqual(card.connection.accountName, "My POD shop")
        try c.disconnect("printify")
        XCTAssertNil(try credentials.credential(for: "printify"))
        let after = try XCTUnwrap(c.cards().first { $0.provider == "printify" })
        XCTAssertEqual(after.connection.state, .notConnected)
        XCTAssertNil(after.connection.accountName)
    }

    /// A local OpenAI-compatible server without `models` (404 there): the key is checked with
    /// the smallest completion and kept; a wrong key is still refused.
    func testAnOpenAIKeyIsCheckedWhereTheServerHasNoModelsList() throws {
        let c = Connector(
            store: store, credentials: credentials, providers: ["openai": ["api_base_url": server.base + "/openai/v1", "model": "llama3.1"]],
            transport: CurlTransport(connectTimeout: 1))
        XCTAssertThrowsError(try c.saveToken("openai", token: "sk-wrong")) { XCTAssertEqual($0 as? ConnectError, .refused(status: 401)) }
        XCTAssertNil(try credentials.credential(for: "openai"))
        XCTAssertNoThrow(try c.saveToken("openai", token: "sk-test-123"))
        XCTAssertEqual(try credentials.credential(for: "openai")?.accessToken, "sk-test-123")
        // A key from PODPUSHER_OPENAI_API_KEY (config's api_key) and none stored: the card says
        // connected, as the copywriter works with it.
        let other = dir.appendingPathComponent("other")
        let otherStore = try Store(dataDirectory: other)
        let fromEnvironment = Connector(
            store: otherStore, credentials: CredentialStore(dataDirectory: other),
            providers: ["openai": ["model": "llama3.1", "api_key": "sk-test-123"]], transport: CurlTransport(connectTimeout: 1))
        XCTAssertEqual(try fromEnvironment.cards().first { $0.provider == "openai" }?.connection.state, .connected)
        let without = Connector(
            store: otherStore, credentials: CredentialStore(dataDirectory: other),
            providers: ["openai": ["model": "llama3.1"]], transport: CurlTransport(connectTimeout: 1))
        XCTAssertEqual(try without.cards().first { $0.provider == "openai" }?.connection.state, .notConnected)
    }

    func testCardsListEveryProviderAndWhatConfigLacks() throws {
        let cards = try connector().cards()
        XCTAssertEqual(cards.map(\.provider), ["etsy", "printify", "openai", "acme"])
        XCTAssertEqual(cards.map(\.auth), [.pkce, .token, .token, .device])
        XCTAssertTrue(cards[0].problem?.contains("providers.etsy.client_id") == true)
        XCTAssertNil(cards[3].problem)
        XCTAssertFalse(connector().syncAvailable)
    }

    func testAnUnreachableOrGarbledProviderIsSaidPlainly() throws {
        let c = Connector(
            store: store, credentials: credentials,
            providers: [
                "acme": ["auth": "device", "device_authorization_url": "http://127.0.0.1:9/device", "token_url": "http://127.0.0.1:9/token", "client_id": "x"]
            ], transport: CurlTransport(connectTimeout: 1))
        XCTAssertThrowsError(try c.deviceFlow("acme").start()) {
            guard case .unreachable? = $0 as? ConnectError else { return XCTFail("\($0)") }
        }
        try server.control(["auth": ["script": ["garbage"], "interval": 1]])
        let flow = try connector().deviceFlow("acme")
        XCTAssertThrowsError(try flow.poll(try flow.start())) {
            guard case .malformed(let why)? = $0 as? ConnectError else { return XCTFail("\($0)") }
            XCTAssertTrue(why.contains("not JSON"))
        }
    }
}
