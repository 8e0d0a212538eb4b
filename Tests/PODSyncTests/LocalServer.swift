import Foundation
import XCTest

@testable import PODSync

/// `Tests/Servers/fake_providers.py`, started for one test and stopped after it.
final class LocalServer {
    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts one of `Tests/Servers/` (the fake providers by default) on a free port.
    init(script name: String = "fake_providers.py", arguments: [String] = []) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Servers/\(name)").path
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--port", "0"] + arguments
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw NSError(domain: "LocalServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "the fake server did not start"]) }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text.split(separator: " ").last ?? "") else {
            throw NSError(domain: "LocalServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "unexpected first line: \(text)"])
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// Changes the server's behaviour (`/_control`).
    func control(_ change: [String: Any]) throws {
        let r = try CurlTransport().send(try .json("POST", url: base + "/_control", object: change))
        XCTAssertEqual(r.status, 200)
    }

    /// What the server holds (`/_state`).
    func state() throws -> [String: Any] {
        try XCTUnwrap(try CurlTransport().send(HTTPRequest(url: base + "/_state")).jsonObject)
    }
}

/// The peak resident memory of this process, in MiB (a test that a hostile answer cannot make
/// it grow past a limit).
func peakResidentMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}
