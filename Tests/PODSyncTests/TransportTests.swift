import Foundation
import XCTest

@testable import PODSync

final class TransportTests: XCTestCase {
    var server: LocalServer!
    let http = CurlTransport(connectTimeout: 2)

    override func setUpWithError() throws { server = try LocalServer() }
    override func tearDown() { server = nil }

    func echo(_ request: HTTPRequest) throws -> [String: Any] {
        let r = try http.send(request)
        XCTAssertEqual(r.status, 200)
        return try XCTUnwrap(r.jsonObject)
    }

    func testGetSendsHeadersAndUserAgentAndReadsResponseHeaders() throws {
        let r = try http.send(HTTPRequest(url: server.base + "/t/echo?x=1", headers: [HTTPHeader("x-api-key", "k:s")]))
        XCTAssertEqual(r.header("X-Echo"), "yes")
        XCTAssertEqual(r.header("content-type"), "application/json")
        let body = try XCTUnwrap(r.jsonObject)
        let headers = try XCTUnwrap(body["headers"] as? [String: String])
        XCTAssertEqual(body["method"] as? String, "GET")
        XCTAssertEqual(headers["x-api-key"], "k:s")
        XCTAssertEqual(headers["user-agent"], CurlTransport.userAgent)
        XCTAssertEqual((body["query"] as? [String: String])?["x"], "1")
    }

    func testJSONFormPatchDeleteAndEmptyPost() throws {
        var body = try echo(try .json("POST", url: server.base + "/t/echo", object: ["a": 1]))
        XCTAssertEqual(body["method"] as? String, "POST")
        XCTAssertEqual(body["body"] as? String, #"{"a":1}"#)
        XCTAssertEqual((body["headers"] as? [String: String])?["content-type"], "application/json")
        body = try echo(.form("PATCH", url: server.base + "/t/echo", fields: [("title", "Cat & mug"), ("tags", "a,b")]))
        XCTAssertEqual(body["method"] as? String, "PATCH")
        XCTAssertEqual(body["body"] as? String, "title=Cat%20%26%20mug&tags=a%2Cb")
        body = try echo(HTTPRequest(method: "DELETE", url: server.base + "/t/echo"))
        XCTAssertEqual(body["method"] as? String, "DELETE")
        body = try echo(HTTPRequest(method: "POST", url: server.base + "/t/echo"))
        XCTAssertEqual(body["method"] as? String, "POST")
        XCTAssertEqual((body["headers"] as? [String: String])?["content-length"], "0")
    }

    func testMultipartUpload() throws {
        let image = Data(repeating: 0xAB, count: 50_000)
        let r = try http.send(
            HTTPRequest(
                method: "POST", url: server.base + "/t/multipart",
                parts: [
                    MultipartPart(name: "image", data: image, filename: "mug.png", contentType: "image/png"),
                    MultipartPart(name: "rank", data: Data("1".utf8)),
                ]))
        let parts = try XCTUnwrap(r.jsonObject?["parts"] as? [[String: Any]])
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[0]["name"] as? String, "image")
        XCTAssertEqual(parts[0]["filename"] as? String, "mug.png")
        XCTAssertEqual(parts[0]["type"] as? String, "image/png")
        XCTAssertEqual(parts[0]["size"] as? Int, 50_000)
        XCTAssertEqual(parts[1]["size"] as? Int, 1)
    }

    func testErrorStatusIsAnAnswerWithItsHeaders() throws {
        let r = try http.send(HTTPRequest(url: server.base + "/t/status/429?retry_after=3"))
        XCTAssertEqual(r.status, 429)
        XCTAssertEqual(r.header("retry-after"), "3")
        XCTAssertFalse(r.isSuccess)
    }

    func testGzipIsAskedForAndDecoded() throws {
        let r = try http.send(HTTPRequest(url: server.base + "/t/gzip"))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual((r.jsonObject?["zipped"] as? String)?.count, 300)
    }

    func testConnectionsAreReused() throws {
        let a = try echo(HTTPRequest(url: server.base + "/t/echo"))["client_port"] as? Int
        let b = try echo(HTTPRequest(url: server.base + "/t/echo"))["client_port"] as? Int
        XCTAssertNotNil(a)
        XCTAssertEqual(a, b)
    }

    func testTimeout() {
        let start = Date()
        XCTAssertThrowsError(try http.send(HTTPRequest(url: server.base + "/t/slow?ms=3000", timeout: 0.3))) {
            XCTAssertEqual($0 as? HTTPError, .timedOut)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testConnectionRefused() throws {
        // A port that was just free: nothing listens there.
        let closed = try LocalServer()
        let port = closed.port
        closed.process.terminate()
        closed.process.waitUntilExit()
        XCTAssertThrowsError(try http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/t/echo"))) {
            guard case .cannotConnect = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
    }

    func testTruncatedBodyAndClosedConnectionAreNetworkErrors() {
        for path in ["truncated", "close"] {
            XCTAssertThrowsError(try http.send(HTTPRequest(url: server.base + "/t/" + path)), path) {
                guard case .network = $0 as? HTTPError else { return XCTFail("\(path): \($0)") }
            }
        }
        // The pool still works after a broken connection.
        XCTAssertEqual(try? http.send(HTTPRequest(url: server.base + "/t/echo")).status, 200)
    }

    func testMalformedJSONIsNoObject() throws {
        let r = try http.send(HTTPRequest(url: server.base + "/t/garbage"))
        XCTAssertEqual(r.status, 200)
        XCTAssertNil(r.jsonObject)
    }

    func testCancelStopsATransferInFlight() {
        let flag = CancelFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.cancel() }
        let start = Date()
        XCTAssertThrowsError(try http.send(HTTPRequest(url: server.base + "/t/slow?ms=5000"), cancel: flag)) {
            XCTAssertEqual($0 as? HTTPError, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
    }

    func testBodiesAreCappedAfterDecodingWithMemoryBounded() throws {
        let before = peakResidentMiB()
        let start = Date()
        // 250 KB of gzip inflating to 256 MiB; a plain 64 MiB body with no length; a length of
        // 200 MiB announced; a megabyte of headers.
        for (path, limit) in [
            ("bomb", ResponseLimit.feed), ("endless?mb=64", ResponseLimit.apiPage), ("announced", ResponseLimit.apiPage),
            ("headers", ResponseLimit.apiPage),
        ] {
            XCTAssertThrowsError(try http.send(HTTPRequest(url: server.base + "/t/" + path, maxResponseBytes: limit)), path) {
                XCTAssertEqual($0 as? HTTPError, .tooLarge(limit), path)
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertLessThan(peakResidentMiB() - before, 64, "the peak grew by more than a body's limit allows")
        // The same answer fits a larger limit: the cap is per call kind, not a fixed size.
        XCTAssertEqual(try http.send(HTTPRequest(url: server.base + "/t/endless?mb=1", maxResponseBytes: 2 << 20)).body.count, 1 << 20)
    }

    func testSecretsGoOverHTTPSOnlyExceptToThisMachine() throws {
        for url in ["http://api.example.com/v1", "http://127.0.0.1.example.com/", "ftp://127.0.0.1/", "file:///etc/passwd", "http://[::2]/"] {
            XCTAssertThrowsError(try http.send(HTTPRequest(url: url)), url) {
                XCTAssertEqual($0 as? HTTPError, .insecure(url), url)
                XCTAssertTrue("\($0)".contains("over HTTPS only") && "\($0)".contains(url))
            }
        }
        for url in ["https://api.example.com", "http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]:9/", "http://127.1.2.3/"] {
            XCTAssertTrue(URLPolicy.isSecure(url), url)
        }
        // An explicit setting lets a lab server through (checked here without leaving the machine).
        XCTAssertFalse(URLPolicy.isSecure("http://lab.example/"))
        XCTAssertEqual(CurlTransport(allowInsecureHTTP: true).allowInsecureHTTP, true)
    }

    func testTLSVerificationIsOn() {
        // A plain-HTTP server spoken to over TLS fails the handshake: never silently accepted.
        XCTAssertThrowsError(try http.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/t/echo", timeout: 3))) {
            guard case .tls = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
    }
}
