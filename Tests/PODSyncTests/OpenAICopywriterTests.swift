import Foundation
import PODCore
import XCTest

@testable import PODSync

final class OpenAICopywriterTests: XCTestCase {
    var server: LocalServer!
    override func setUpWithError() throws { server = try LocalServer() }
    override func tearDown() { server = nil }

    func writer(key: String = "sk-test-123", timeout: String = "5") -> OpenAICopywriter {
        let settings = OpenAISettings(["api_base_url": server.base + "/openai/v1", "model": "test-model", "timeout": timeout])!
        return OpenAICopywriter(settings: settings, apiKey: key, transport: CurlTransport())
    }

    var draft: ListingDraft {
        var d = ListingDraft()
        d.niche = "cat lovers"
        d.keyword = "cat mug"
        d.productType = "mug"
        d.language = "de"
        d.brandRules = "No puns."
        return d
    }

    func testWritesCopyThatPassesTheRules() throws {
        let copy = try writer().write(draft)
        XCTAssertEqual(copy.title, "Handmade Cat Mug for Coffee Lovers, Funny Cat Gift")
        XCTAssertEqual(copy.tags, ["cat mug", "cat lover gift", "coffee mug"])
        XCTAssertEqual(try XCTUnwrap(server.state()["openai"] as? [String: Any])["calls"] as? Int, 1)
    }

    func testAModelThatBreaksTheRulesIsConformed() throws {
        let reply =
            "Sure! ```json\n{\"title\": \"$$ Cat Mug: 100% fun: 50% off & more & more\", \"description\": \" Hi \", \"tags\": [\"cat mug\", \"Cat Mug\", \"a tag that is far too long\", \"x$\", \"gift\"]}\n```"
        try server.control(["openai": ["reply": reply]])
        let copy = try writer().write(draft)
        XCTAssertEqual(copy.title, "Cat Mug: 100% fun 50 off & more more")
        XCTAssertTrue(ListingRules.checkTitle(copy.title).isEmpty)
        XCTAssertEqual(copy.tags, ["cat mug", "gift"])
        XCTAssertEqual(copy.description, "Hi")
    }

    func testTheLanguageToneAndBrandRulesAreInThePrompt() {
        let messages = OpenAICopywriter.messages(for: draft)
        XCTAssertEqual(messages.map { $0["role"] }, ["system", "user"])
        XCTAssertTrue(messages[0]["content"]!.contains("140 characters"))
        XCTAssertTrue(messages[1]["content"]!.contains("Write in German."))
        XCTAssertTrue(messages[1]["content"]!.contains("Brand rules (follow them): No puns."))
    }

    func testErrorsAreClear() {
        XCTAssertThrowsError(try writer(key: "wrong").write(draft)) {
            XCTAssertEqual($0 as? ProviderError, .unauthorized("Incorrect API key provided"))
        }
        try? server.control(["openai": ["reply": "I cannot help with that."]])
        XCTAssertThrowsError(try writer().write(draft)) {
            XCTAssertEqual($0 as? ProviderError, .malformed("the model did not answer with a JSON object"))
        }
        try? server.control(["openai": ["faults": ["garbage"]]])
        XCTAssertThrowsError(try writer().write(draft)) { guard case .malformed = $0 as? ProviderError else { return XCTFail("\($0)") } }
    }

    func testTimeoutAndCancel() throws {
        try server.control(["openai": ["delay": 3]])
        XCTAssertThrowsError(try writer(timeout: "1").write(draft)) { XCTAssertEqual($0 as? ProviderError, .transport(.timedOut)) }
        let flag = CancelFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.cancel() }
        XCTAssertThrowsError(try writer().write(draft, cancel: flag)) { XCTAssertEqual($0 as? ProviderError, .transport(.cancelled)) }
    }

    func testNotConfiguredWithoutABaseURLOrModel() {
        XCTAssertNil(OpenAISettings([:]))
        XCTAssertEqual(OpenAISettings(["model": "m"])?.baseURL, OpenAISettings.defaultBaseURL)
    }
}
