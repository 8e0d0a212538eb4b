import Foundation
import PODCore
import PODStore

/// Importing trend signals from a file (`podpusher trends import`).
public enum TrendFiles {
    public struct ImportReport: Equatable, Sendable {
        /// Rows read, signals written, rows refused.
        public var collected = 0
        public var persisted = 0
        /// "line N: reason; reason", one per refused row.
        public var rejected: [String] = []
        public var seconds = 0.0
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownFormat(String)
        case unreadable(String, String)
        case malformed(String, TrendFile.FileError)
        public var description: String {
            switch self {
            case .unknownFormat(let p): return "\(p): the format comes from the extension: .csv or .json"
            case .unreadable(let p, let why): return "cannot read \(p): \(why)"
            case .malformed(let p, let e): return "\(p): \(e); nothing was imported"
            }
        }
    }

    /// Reads the file and writes its valid signals in one transaction (then the summary).
    public static func importFile(_ path: String, into store: Store, now: Date) throws -> ImportReport {
        guard let format = ListingFile.format(forPath: path) else { throw Failure.unknownFormat(path) }
        let data: Data
        do { data = try Files.readInput(path, limit: Files.inputLimit) } catch { throw Failure.unreadable(path, error.reason) }
        let start = ContinuousClock.now
        var report = ImportReport()
        // Two threads: this one writes to SQLite while another parses the file a batch ahead.
        let batches = BatchQueue<TrendFile.Row>(capacity: 4)
        let parser = Thread {
            var batch: [TrendFile.Row] = []
            batch.reserveCapacity(BatchQueue<TrendFile.Row>.batchSize)
            do {
                try TrendFile.read(data, format: format, fetchedAt: now) { row in
                    batch.append(row)
                    if batch.count == BatchQueue<TrendFile.Row>.batchSize {
                        batches.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                batches.put(batch)
                batches.finish(error: nil)
            } catch {
                batches.finish(error: error)
            }
        }
        parser.start()
        do {
            report.persisted = try store.importSignals { insert in
                while let batch = try batches.take() {
                    for row in batch {
                        report.collected += 1
                        if let signal = row.signal {
                            try insert(signal)
                        } else {
                            report.rejected.append("line \(row.line): \(row.problems.joined(separator: "; "))")
                        }
                    }
                }
            }
        } catch let error as TrendFile.FileError {
            throw Failure.malformed(path, error)
        } catch {
            batches.cancel()
            throw error
        }
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }
}

/// Batches handed from one thread to another, at most `capacity` waiting.
final class BatchQueue<T>: @unchecked Sendable {
    static var batchSize: Int { 10_000 }
    private let condition = NSCondition()
    private var batches: [[T]] = []
    private var done = false
    private var cancelled = false
    private var error: Error?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while the queue is full (returns at once after `cancel`).
    func put(_ batch: [T]) {
        condition.lock()
        while batches.count >= capacity && !cancelled { condition.wait() }
        if !cancelled { batches.append(batch) }
        condition.broadcast()
        condition.unlock()
    }

    func finish(error: Error?) {
        condition.lock()
        done = true
        self.error = error
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gave up: the producer stops waiting.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil when the producer is done; rethrows the producer's error.
    func take() throws -> [T]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !done { condition.wait() }
        if !batches.isEmpty {
            let b = batches.removeFirst()
            condition.broadcast()
            return b
        }
        if let error { throw error }
        return nil
    }
}
