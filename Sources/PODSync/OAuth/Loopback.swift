import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The loopback redirect listener of RFC 8252: 127.0.0.1 only, the registered port, one
/// callback. While it waits, a redirected address pasted on standard input does as well (when
/// no browser can reach this machine, over SSH).
public final class LoopbackListener {
    let fd: Int32
    public let port: UInt16

    public init(port: UInt16) throws(ProviderError) {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .notConfigured("cannot open a socket for the redirect") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw .notConfigured("port \(port) on 127.0.0.1 is taken: the redirect cannot be received (redirect_port in config.toml)")
        }
    }

    deinit { close(fd) }

    /// The redirected address (`http://localhost:PORT/callback?…`, or the line pasted on
    /// standard input or handed over by `pasted`), nil when the time runs out or `cancel` is set.
    /// A browser callback that `accepts` refuses (another page calling the port, without this
    /// attempt's state) is answered 400 and waited past.
    public func wait(
        timeout: TimeInterval, readStdin: Bool, pasted: (() -> String?)? = nil, cancel: CancelFlag? = nil,
        accepts: (String) -> Bool = { _ in true }
    ) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if readStdin { fds.append(pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)) }
        while Date() < deadline, cancel?.isCancelled != true {
            if let line = pasted?() { return line }
            for i in fds.indices { fds[i].revents = 0 }
            guard poll(&fds, nfds_t(fds.count), 200) > 0 else { continue }
            if fds.count > 1, fds[1].revents != 0 {
                if let line = readLine(strippingNewline: true), !line.trimmingCharacters(in: .whitespaces).isEmpty { return line }
                fds.removeLast()  // end of input: the browser's redirect only
            }
            if fds[0].revents & Int16(POLLIN) != 0, let target = acceptOne(accepts: { accepts("http://localhost:\(self.port)" + $0) }) {
                return "http://localhost:\(port)" + target
            }
        }
        return nil
    }

    /// Answers one connection; the request target when it is the callback and `accepts` it.
    func acceptOne(accepts: (String) -> Bool) -> String? {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        defer { close(client) }
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pfd = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        while request.count < 16_384, !request.suffix(4).elementsEqual([13, 10, 13, 10]), poll(&pfd, 1, 2000) > 0 {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let isCallback = line.count >= 2 && line[0] == "GET" && line[1].hasPrefix("/callback")
        let ours = isCallback && accepts(String(line[1]))
        let (status, page) =
            ours
            ? (
                "200 OK",
                "<!doctype html><meta charset=utf-8><title>PODPusher</title><p>PODPusher has the answer. You can close this tab and go back to the terminal.</p>"
            )
            : isCallback ? ("400 Bad Request", "this answer is not for the sign-in under way") : ("404 Not Found", "not found")
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(page.utf8.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + page).utf8)
        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        return ours ? String(line[1]) : nil
    }
}
