import Foundation
import Logging

/// swift-log handler that appends to `DATA_DIR/logs/podpusher.log` (folder 0700, file 0600),
/// never to the terminal the UI is drawn on.
struct FileLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)\(meta)\n")
    }

    /// Starts logging into the data folder; later calls do nothing (swift-log bootstraps once).
    static func bootstrap(dataDirectory: URL) {
        guard let sink = LogSink(directory: dataDirectory.appendingPathComponent("logs")) else { return }
        LoggingSystem.bootstrap { FileLogHandler(label: $0, sink: sink) }
    }
}

/// One open, append-only log file shared by every logger.
final class LogSink: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()

    init?(directory: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        fd = open(directory.appendingPathComponent("podpusher.log").path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { return nil }
    }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
