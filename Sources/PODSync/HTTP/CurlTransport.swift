import CCurl
import Foundation
import PODCore

/// The transport every provider call goes through: libcurl with TLS verification on, a
/// connect timeout and a total timeout, gzip, the `User-Agent` providers ask for, and the
/// usual proxy variables (`https_proxy`, `http_proxy`, `no_proxy`, read by libcurl itself).
/// Easy handles are pooled, so connections to a host are kept alive between requests.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    public static let userAgent = "PODPusher/0.1 (terminal; +https://github.com/podpusher/podpusher)"
    public let connectTimeout: TimeInterval
    /// Plain HTTP to another machine is allowed (`[network] allow_insecure_http`): for a lab
    /// server or a proxy that terminates TLS; off by default.
    public let allowInsecureHTTP: Bool
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    public init(connectTimeout: TimeInterval = 10, allowInsecureHTTP: Bool = false) {
        self.connectTimeout = connectTimeout
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    deinit { idle.forEach(ccurl_handle_free) }

    public func send(_ request: HTTPRequest, cancel: CancelFlag?) throws(HTTPError) -> HTTPResponse {
        var reason = [CChar](repeating: 0, count: 256)
        if ccurl_load(&reason, reason.count) != 0 {
            throw .unavailable(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        if cancel?.isCancelled == true { throw .cancelled }
        guard allowInsecureHTTP || URLPolicy.isSecure(request.url) else { throw .insecure(request.url) }
        guard let handle = take() else { throw .unavailable("libcurl could not create a handle") }
        var keep = true
        defer { keep ? give(handle) : ccurl_handle_free(handle) }
        var response = ccurl_response()
        defer { ccurl_response_free(&response) }
        let code = perform(request, handle: handle, cancel: cancel, into: &response)
        guard code == 0 else {
            keep = false
            if response.too_large != 0 || CURLcode(UInt32(code)) == CURLE_FILESIZE_EXCEEDED { throw .tooLarge(request.maxResponseBytes) }
            throw Self.error(code: code, detail: Self.detail(&response, code: code))
        }
        let headers = response.headers.map { String(cString: $0) } ?? ""
        let body = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
        return HTTPResponse(status: response.status, headers: HTTPResponse.parseHeaders(headers), body: body)
    }

    private func perform(_ request: HTTPRequest, handle: UnsafeMutableRawPointer, cancel: CancelFlag?, into response: inout ccurl_response) -> Int32 {
        // Everything handed to C is copied into memory that lives until `ccurl_perform` returns.
        let arena = Arena()
        defer { arena.free() }
        let headerLines = arena.array(request.headers.map { Optional(arena.string("\($0.name): \($0.value)")) })
        let parts = arena.array(
            request.parts.map {
                ccurl_part(
                    name: arena.string($0.name), data: arena.bytes($0.data), length: $0.data.count,
                    filename: $0.filename.map(arena.string), type: $0.contentType.map(arena.string))
            })
        var rq = ccurl_request()
        rq.method = arena.string(request.method)
        rq.url = arena.string(request.url)
        rq.headers = UnsafePointer(headerLines)
        rq.header_count = request.headers.count
        rq.body = request.body.map { UnsafeRawPointer(arena.bytes($0)) }
        rq.body_length = request.body?.count ?? 0
        rq.parts = UnsafePointer(parts)
        rq.part_count = request.parts.count
        // Milliseconds from 1 ms to a day, whatever a caller computed.
        rq.connect_timeout_ms = Checked.clampedInt(min(connectTimeout, request.timeout) * 1000, in: 1...86_400_000)
        rq.timeout_ms = Checked.clampedInt(request.timeout * 1000, in: 1...86_400_000)
        rq.user_agent = arena.string(Self.userAgent)
        rq.cancel = cancel.map { UnsafePointer($0.pointer) }
        rq.max_body = max(0, request.maxResponseBytes)
        return ccurl_perform(handle, &rq, &response)
    }

    private func take() -> UnsafeMutableRawPointer? {
        lock.lock()
        let h = idle.popLast()
        lock.unlock()
        return h ?? ccurl_handle_new()
    }

    private func give(_ handle: UnsafeMutableRawPointer) {
        lock.lock()
        idle.append(handle)
        lock.unlock()
    }

    private static func detail(_ response: inout ccurl_response, code: Int32) -> String {
        let detail = withUnsafeBytes(of: &response.error) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return detail.isEmpty ? String(cString: ccurl_strerror(code)) : detail
    }

    static func error(code: Int32, detail: String) -> HTTPError {
        switch CURLcode(UInt32(code)) {
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .cannotConnect(detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: return .tls(detail)
        default: return .network(detail)
        }
    }
}

/// C memory for one request, freed at once when it is done.
private final class Arena {
    private var blocks: [UnsafeMutableRawPointer] = []

    func bytes(_ data: Data) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 1)
        data.copyBytes(to: p.assumingMemoryBound(to: UInt8.self), count: data.count)
        blocks.append(p)
        return p
    }

    func string(_ s: String) -> UnsafePointer<CChar> {
        UnsafePointer(bytes(Data(s.utf8) + [0]).assumingMemoryBound(to: CChar.self))
    }

    func array<T>(_ items: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(items.count, 1))
        p.initialize(from: items, count: items.count)
        blocks.append(UnsafeMutableRawPointer(p))
        return p
    }

    func free() { blocks.forEach { $0.deallocate() } }
}
