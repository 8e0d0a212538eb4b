import Foundation
import PODStore
import XCTest

@testable import PODSync

/// Email through libcurl's SMTP to a local SMTP server started by the test.
final class SMTPMailerTests: XCTestCase {
    var server: LocalServer?
    var spool = ""
    override func setUpWithError() throws {
        spool = NSTemporaryDirectory() + "podpusher-smtp-\(UUID().uuidString).jsonl"
        server = try LocalServer(script: "fake_smtp.py", arguments: ["--spool", spool, "--user", "me@example.com", "--password", "s3cret-pass"])
    }
    override func tearDown() { server = nil }

    func settings(_ extra: [String: String] = [:]) throws -> SMTPSettings {
        var v = [
            "server": "127.0.0.1", "port": String(server!.port), "starttls": "false", "user": "me@example.com",
            "from": "me@example.com", "to": "me@example.com, shop@example.org",
        ]
        v.merge(extra) { $1 }
        return try XCTUnwrap(SMTPSettings.parse(v)).get()
    }

    func received() throws -> [[String: Any]] {
        try String(contentsOfFile: spool, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testAMessageIsDeliveredWithItsHeadersToEveryRecipient() throws {
        let mailer = SMTPMailer(settings: try settings(), password: "s3cret-pass")
        try mailer.send(subject: "Wochentrends (DE): 3 Schlüsselwörter", body: "Line one\n.starts with a dot\nLast")
        let mail = try XCTUnwrap(try received().first)
        XCTAssertEqual(mail["from"] as? String, "<me@example.com>")
        XCTAssertEqual(mail["to"] as? [String], ["<me@example.com>", "<shop@example.org>"])
        XCTAssertEqual(mail["login"] as? String, "me@example.com")
        let message = try XCTUnwrap(mail["message"] as? String)
        XCTAssertTrue(message.contains("Subject: =?UTF-8?B?" + Data("Wochentrends (DE): 3 Schlüsselwörter".utf8).base64EncodedString() + "?="), message)
        XCTAssertTrue(message.contains("Content-Type: text/plain; charset=UTF-8"))
        XCTAssertTrue(message.hasSuffix("Line one\r\n.starts with a dot\r\nLast"), "dot-stuffed on the wire, restored by the server: \(message)")
    }

    func testAWrongPasswordIsRefusedAndNeverShown() throws {
        let mailer = SMTPMailer(settings: try settings(), password: "wrong-pass-123")
        XCTAssertThrowsError(try mailer.send(subject: "x", body: "y")) { error in
            XCTAssertTrue("\(error)".contains("127.0.0.1") && "\(error)".contains("Login denied"), "\(error)")
            XCTAssertFalse("\(error)".contains("wrong-pass-123"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: spool))
    }

    func testSettingsSayWhatIsMissing() {
        XCTAssertNil(SMTPSettings.parse(nil))
        XCTAssertEqual(SMTPSettings.parse(["from": "a@b.c"]).flatMap { try? $0.get() }, nil)
        guard case .failure(let e)? = SMTPSettings.parse(["server": "mail.example.com", "from": "nobody"]) else { return XCTFail("accepted") }
        XCTAssertTrue("\(e)".contains("providers.smtp.from"))
        let implicit = try? SMTPSettings.parse(["server": "mail.example.com", "from": "a@b.c", "port": "465"])?.get()
        XCTAssertEqual(implicit?.url, "smtps://mail.example.com:465")
        XCTAssertEqual(implicit?.startTLS, true)
        XCTAssertEqual(implicit?.to, ["a@b.c"], "to defaults to from")
    }

    func testAnUnreachableServerFailsWithItsAddress() throws {
        let mailer = SMTPMailer(
            settings: try XCTUnwrap(SMTPSettings.parse(["server": "127.0.0.1", "port": "9", "starttls": "false", "from": "a@b.c"])).get(),
            password: nil)
        XCTAssertThrowsError(try mailer.send(subject: "x", body: "y")) { XCTAssertTrue("\($0)".contains("127.0.0.1:9"), "\($0)") }
    }
}

/// The SMTP password pasted like a token: checked by logging in, then stored 0600.
final class SMTPConnectTests: XCTestCase {
    var server: LocalServer?
    override func setUpWithError() throws {
        server = try LocalServer(
            script: "fake_smtp.py",
            arguments: [
                "--spool", NSTemporaryDirectory() + "unused-\(UUID().uuidString)",
                "--user", "me@example.com", "--password", "s3cret-pass",
            ])
    }
    override func tearDown() { server = nil }

    func testThePasswordIsCheckedByLoggingInBeforeItIsKept() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("smtp-\(UUID().uuidString)")
        let store = try Store(dataDirectory: dir)
        let smtp = ["server": "127.0.0.1", "port": String(server!.port), "starttls": "false", "user": "me@example.com", "from": "me@example.com"]
        let connector = Connector(store: store, credentials: CredentialStore(dataDirectory: dir), providers: ["smtp": smtp], transport: CurlTransport())
        XCTAssertEqual(connector.auth(for: "smtp"), .token)
        XCTAssertTrue(connector.providerNames.contains("smtp"))
        XCTAssertThrowsError(try connector.saveToken("smtp", token: "wrong")) { XCTAssertEqual($0 as? ConnectError, .refused(status: 535)) }
        XCTAssertNil(try CredentialStore(dataDirectory: dir).credential(for: "smtp"))
        XCTAssertEqual(try connector.saveToken("smtp", token: "s3cret-pass"), "me@example.com")
        XCTAssertEqual(try CredentialStore(dataDirectory: dir).credential(for: "smtp")?.accessToken, "s3cret-pass")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("credentials.json").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(
            Connector(store: store, credentials: CredentialStore(dataDirectory: dir), providers: ["smtp": ["server": "x"]], transport: CurlTransport())
                .problem("smtp", .token), "providers.smtp.from must be an email address")
    }
}
