import CCurl
import Foundation

/// `[providers.smtp]`: where digests and alerts are emailed.
///
/// ```toml
/// [providers.smtp]
/// server = "smtp.example.com"
/// port = 587             # 465 means TLS from the start (smtps)
/// starttls = "true"      # default true except on port 25 and 1025
/// user = "me@example.com"
/// from = "me@example.com"
/// to = "me@example.com"  # several: comma-separated
/// ```
/// The password is `PODPUSHER_SMTP_PASSWORD`, or `smtp` in credentials.json (0600) — never
/// config.toml.
public struct SMTPSettings: Sendable, Equatable {
    public var server: String
    public var port: Int
    public var startTLS: Bool
    public var user: String?
    public var from: String
    public var to: [String]

    /// Nil when `[providers.smtp]` is missing; a message naming what is wrong when it is incomplete.
    public static func parse(_ v: [String: String]?) -> Result<SMTPSettings, ProviderError>? {
        guard let v, !v.isEmpty else { return nil }
        guard let server = v["server"], !server.isEmpty else { return .failure(.notConfigured("providers.smtp.server is missing")) }
        guard let from = v["from"], from.contains("@") else { return .failure(.notConfigured("providers.smtp.from must be an email address")) }
        let to = (v["to"] ?? from).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !to.isEmpty, to.allSatisfy({ $0.contains("@") }) else { return .failure(.notConfigured("providers.smtp.to must be email addresses")) }
        guard let port = Int(v["port"] ?? "587"), (1...65_535).contains(port) else {
            return .failure(.notConfigured("providers.smtp.port must be a port number"))
        }
        let startTLS = v["starttls"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? ![25, 1025].contains(port)
        return .success(SMTPSettings(server: server, port: port, startTLS: startTLS, user: v["user"], from: from, to: to))
    }

    var url: String { (port == 465 ? "smtps://" : "smtp://") + server + ":\(port)" }
}

/// Sends plain-text mail through libcurl's SMTP.
public struct SMTPMailer: Sendable {
    public let settings: SMTPSettings
    let password: String?

    public init(settings: SMTPSettings, password: String?) {
        self.settings = settings
        self.password = password
    }

    /// The message as sent: UTF-8 text, the subject encoded for headers (RFC 2047), CRLF lines.
    public static func message(from: String, to: [String], subject: String, body: String, date: Date, id: String) -> String {
        let encodedSubject = subject.allSatisfy(\.isASCII) ? subject : "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let headers = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(encodedSubject)", "Date: \(f.string(from: date))",
            "Message-ID: <\(id)@podpusher>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit",
        ]
        let text = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + text + "\r\n"
    }

    static func load() throws(ProviderError) {
        var reason = [CChar](repeating: 0, count: 256)
        guard ccurl_load(&reason, reason.count) == 0 else {
            throw .transport(.unavailable(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
    }

    /// A curl result as the error it is, naming the server (never the password).
    func failure(_ code: Int32, _ error: [CChar]) -> ProviderError {
        let detail = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let reason = detail.isEmpty ? String(cString: ccurl_strerror(code)) : detail
        // 67: CURLE_LOGIN_DENIED.
        return code == 67 ? .unauthorized("\(settings.server): \(reason)") : .transport(.network("\(settings.server):\(settings.port): " + reason))
    }

    /// Logs in without sending anything: whether the server takes this password.
    public func verify() throws(ProviderError) {
        try Self.load()
        var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let code = ccurl_smtp_check(settings.url, settings.startTLS ? 1 : 0, settings.user, password, 20_000, &error)
        guard code == 0 else { throw failure(code, error) }
    }

    public func send(subject: String, body: String, now: Date = Date()) throws(ProviderError) {
        try Self.load()
        let s = settings
        let text = Self.message(from: s.from, to: s.to, subject: subject, body: body, date: now, id: UUID().uuidString)
        var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let recipients = s.to.map { strdup("<\($0)>") }
        defer { recipients.forEach { free($0) } }
        let code = recipients.map { UnsafePointer($0) }.withUnsafeBufferPointer { rcpt in
            ccurl_smtp_send(s.url, s.startTLS ? 1 : 0, s.user, password, "<\(s.from)>", rcpt.baseAddress, rcpt.count, text, text.utf8.count, 20_000, &error)
        }
        guard code == 0 else { throw failure(code, error) }
    }
}
