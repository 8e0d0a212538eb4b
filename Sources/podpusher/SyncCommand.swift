import ArgumentParser
import Foundation
import PODCore
import PODStore
import PODSync

/// `podpusher sync`: one push pass per provider, progress on stderr, a summary (or `--json`)
/// at the end, and the exit codes of DESIGN.md §3.
struct Sync: RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Pull the shop, then push the publish queue to the providers (progress on stderr).",
        discussion: """
            The shop's listings are pulled first and merged field by field with your drafts (a field changed \
            on both sides is never overwritten: the conflict is listed). Queued drafts are then sent at the provider's rate limit; 429s, 5xx and timeouts are retried with \
            backoff (waiting up to --max-wait seconds within this pass, never longer), refused items are listed with the \
            provider's reason (exit 3), an expired token stops with exit 5. Ctrl-C stops after the requests in flight.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "One provider (default: all of them).") var provider: ProviderID?
    @Option(name: .customLong("max-wait"), help: "Seconds this pass waits for retries before leaving them for the next.") var maxWait: Double = 120
    @Flag(help: "Print a JSON summary on standard output.") var json = false

    func validate() throws {
        if maxWait < 0 { throw ValidationError("--max-wait must be 0 or more") }
    }

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        let store = try ws.openStore()
        let engine = ws.syncEngine(store: store)
        let interrupt = Self.onInterrupt { engine.cancel() }
        defer { interrupt.cancel() }
        let start = Date()
        let providers = provider.map { [$0] } ?? ProviderID.allCases
        let progress = ProgressLine()
        var reports: [SyncReport] = []
        for p in providers {
            reports.append(engine.sync(p, maxWait: maxWait) { progress.show(Self.line($0)) })
            progress.finish()
        }
        let refused = try store.queueItems().filter { $0.state == .failed && $0.updatedAt >= start }
        for item in refused {
            Output.err("refused by \(item.provider): draft \(item.draftID ?? 0) \"\(item.title)\": \(item.lastError ?? "")")
        }
        for c in try store.listingConflicts() {
            let fields = c.fields.isEmpty ? "" : " (" + c.fields.map(\.rawValue).joined(separator: ", ") + ")"
            Output.err(
                """
                conflict: "\(c.localTitle)" changed on Etsy too\(fields) while your edit waits; \
                choose in the Listings screen (m keeps yours, t takes Etsy's)
                """)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            Output.json(String(decoding: try encoder.encode(["providers": reports]), as: UTF8.self))
        }
        return Self.exitCode(reports)
    }

    static func line(_ r: SyncReport) -> String {
        var parts: [String] = []
        let p = r.pulled
        if p.inserted + p.updated + p.conflicts > 0 || r.shippingProfiles > 0 {
            parts.append(
                "pulled \(p.inserted) new and \(p.updated) changed listings" + (p.conflicts > 0 ? " (\(p.conflicts) in conflict)" : "")
                    + ", \(r.shippingProfiles) shipping profiles" + (r.taxonomyNodes > 0 ? ", \(r.taxonomyNodes) categories" : ""))
        }
        if r.orders > 0 { parts.append("pulled \(r.orders) new or changed orders") }
        if r.receipts > 0 { parts.append("pulled \(r.receipts) new or changed receipts") }
        if r.ledgerEntries > 0 { parts.append("pulled \(r.ledgerEntries) ledger entries (Etsy's fees)") }
        if r.salesUnavailable != nil { parts.append("sales not read: connect Etsy again to allow reading them") }
        parts.append(r.total == 0 && r.outcome == .done ? "nothing to push" : "\(r.pushed)/\(r.total) pushed")
        if r.conflicts > 0 { parts.append("\(r.conflicts) held back by a conflict") }
        if r.reconciled > 0 { parts.append("\(r.reconciled) found already created") }
        if r.failed > 0 { parts.append("\(r.failed) refused") }
        if r.retried > 0 { parts.append("\(r.retried) retried") }
        switch r.outcome {
        case .running: break
        case .done: parts.append(String(format: "done in %.1f s", r.seconds))
        case .waiting: parts.append("\(r.pending) waiting for a later pass")
        case .cancelled: parts.append("stopped; \(r.pending) left")
        default: parts.append(r.lastError ?? r.outcome.rawValue)
        }
        return "\(r.provider): " + parts.joined(separator: "; ")
    }

    /// 5 when a token was refused, 2 for configuration, 1 when a provider could not be reached
    /// (or is not connected while items wait), 3 when items were refused, else 0.
    static func exitCode(_ reports: [SyncReport]) -> Int32 {
        let outcomes = Set(reports.filter(\.isTrouble).map(\.outcome))
        if outcomes.contains(.unauthorized) { return Exit.expired }
        if outcomes.contains(.notConfigured) { return Exit.usage }
        if !outcomes.isDisjoint(with: [.unavailable, .notConnected, .dailyLimit, .cancelled]) { return Exit.failure }
        if reports.contains(where: { $0.failed > 0 }) { return Exit.rejected }
        return Exit.ok
    }

    /// Ctrl-C asks the engine to stop after the requests in flight; a second one ends at once.
    static func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT)
        source.setEventHandler {
            handler()
            signal(SIGINT, SIG_DFL)
        }
        source.resume()
        return source
    }
}

/// A status line on stderr: rewritten in place on a terminal, at most ten times a second; one
/// line per change (at most one a second) when stderr is a file or a pipe.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var last = Date.distantPast
    private var pending: String?

    func show(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= (isTerminal ? 0.1 : 1) else {
            pending = text
            return
        }
        last = now
        pending = nil
        write(text)
    }

    /// Writes the final state and ends the line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if let p = pending { write(p) }
        pending = nil
        last = .distantPast
        if isTerminal { Output.err("") }
    }

    private func write(_ text: String) {
        if isTerminal { Output.err(control: "\r\u{1B}[K", text) } else { Output.err(text) }
    }
}
