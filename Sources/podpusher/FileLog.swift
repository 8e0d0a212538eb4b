import Foundation
import Logging
import PODStore
import TerminalUI

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
        // One event, one line: text from outside cannot forge a line or reach a terminal that
        // shows the log.
        sink.write("\(Date().formatted(.iso8601)) \(event.level) \(label): " + Sanitizer.visible("\(event.message)\(meta)") + "\n")
    }

    /// Starts logging into the data folder; later calls do nothing (swift-log bootstraps once).
    static func bootstrap(dataDirectory: URL) {
        guard let sink = LogSink(directory: dataDirectory.appendingPathComponent("logs")) else { return }
        LoggingSystem.bootstrap { FileLogHandler(label: $0, sink: sink) }
    }
}

/// One open, append-only log file shared by every logger (never a link, never another user's).
final class LogSink: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()

    init?(directory: URL) {
        do {
            try Files.preparePrivateFolder(directory)
            fd = try Files.openPrivateFile(directory.appendingPathComponent("podpusher.log"), flags: O_WRONLY | O_APPEND)
        } catch {
            Output.err("podpusher: not logging: \(error)")
            return nil
        }
    }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
