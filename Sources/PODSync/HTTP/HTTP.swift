import Foundation

/// One header line of a request.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One part of a multipart/form-data body (an image upload, say).
public struct MultipartPart: Sendable, Equatable {
    public var name: String
    public var data: Data
    public var filename: String?
    public var contentType: String?
    public init(name: String, data: Data, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.data = data
        self.filename = filename
        self.contentType = contentType
    }
}

/// The most a response body may be, by kind of call, counted after decoding: a gzip body
/// that inflates past it stops the transfer (`HTTPError.tooLarge`).
public enum ResponseLimit {
    /// A token endpoint's answer, a discovery document, a check of a key.
    public static let token = 64 * 1024
    /// A page of an API (100 listings with their fields are well under 1 MiB).
    public static let apiPage = 8 * 1_048_576
    /// A trend feed.
    public static let feed = 8 * 1_048_576
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: Data?
    public var parts: [MultipartPart]
    /// The whole exchange, connection included.
    public var timeout: TimeInterval
    /// The largest body taken (see `ResponseLimit`).
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: Data? = nil,
        parts: [MultipartPart] = [], timeout: TimeInterval = 30, maxResponseBytes: Int = ResponseLimit.apiPage
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.parts = parts
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// A request with a JSON body.
    public static func json(_ method: String, url: String, headers: [HTTPHeader] = [], object: Any, timeout: TimeInterval = 30) throws -> HTTPRequest {
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return HTTPRequest(method: method, url: url, headers: headers + [HTTPHeader("Content-Type", "application/json")], body: body, timeout: timeout)
    }

    /// A request with an `application/x-www-form-urlencoded` body.
    public static func form(_ method: String = "POST", url: String, headers: [HTTPHeader] = [], fields: [(String, String)], timeout: TimeInterval = 30)
        -> HTTPRequest
    {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return HTTPRequest(
            method: method, url: url, headers: headers + [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
            body: Data(body.utf8), timeout: timeout)
    }

    /// A form POST to an OAuth endpoint (token, device authorization): asks for JSON, and takes
    /// an answer of `ResponseLimit.token` at most.
    public static func oauthForm(url: String, fields: [(String, String)]) -> HTTPRequest {
        var r = form(url: url, headers: [HTTPHeader("Accept", "application/json")], fields: fields)
        r.maxResponseBytes = ResponseLimit.token
        return r
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names in lower case; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as a JSON object, or nil when it is not one (malformed, truncated, empty).
    public var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// Parses raw header lines (`Name: value` separated by CRLF; the status line is skipped).
    static func parseHeaders(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            out[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}

/// Why a request got no HTTP answer. An HTTP error status is an answer, not one of these.
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libcurl is missing on this machine.
    case unavailable(String)
    case timedOut
    /// Refused, unreachable or a name that does not resolve.
    case cannotConnect(String)
    /// The server's certificate could not be verified, or the TLS handshake failed.
    case tls(String)
    case cancelled
    /// The connection broke mid-way, or another transport failure.
    case network(String)
    /// The answer was larger than the call's limit (bytes); it was not read further.
    case tooLarge(Int)
    /// Refused before sending: secrets go over HTTPS only (loopback excepted).
    case insecure(String)

    public var description: String {
        switch self {
        case .unavailable(let m): return m
        case .timedOut: return "the request timed out"
        case .cannotConnect(let m): return "cannot connect: \(m)"
        case .tls(let m): return "TLS failure: \(m)"
        case .cancelled: return "cancelled"
        case .network(let m): return "network error: \(m)"
        case .tooLarge(let limit): return "the answer was larger than \(limit / 1024) KiB and was not read"
        case .insecure(let url):
            return
                "refused to send to \(url): credentials travel over HTTPS only (loopback addresses excepted); use https://, or set allow_insecure_http = true under [network] in config.toml for a lab server"
        }
    }
}

/// A flag a running request checks: set it and the transfer stops (within a second or so;
/// whoever cancels does not wait for that).
public final class CancelFlag: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }
    deinit { pointer.deallocate() }
    public func cancel() { pointer.pointee = 1 }
    public var isCancelled: Bool { pointer.pointee != 0 }
}

/// Whether a URL may carry secrets: HTTPS, or HTTP to this machine (127.0.0.0/8, ::1,
/// localhost).
public enum URLPolicy {
    public static func isSecure(_ url: String) -> Bool {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased() else { return false }
        if scheme == "https" { return true }
        guard scheme == "http", let host = c.host?.lowercased() else { return false }
        return isLoopback(host)
    }

    public static func isLoopback(_ host: String) -> Bool {
        let h = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if h == "localhost" || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

/// Sends HTTP requests. Blocking: callers run it on their own threads (effects, the sync
/// engine), never on the UI thread.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, cancel: CancelFlag?) throws(HTTPError) -> HTTPResponse
}

extension HTTPTransport {
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse { try send(request, cancel: nil) }
}
