import Foundation
import PODApp
import TerminalCurses

/// When `PODPUSHER_BENCH_FD` names an open file descriptor (the benchmark harness sets it),
/// the UI writes one line per flushed frame: `flush <monotonic ns> <1 if the screen's data is
/// loaded, else 0>`. Nothing is written otherwise.
final class BenchProbe {
    private let fd: Int32
    private var dataLoaded = false

    init?(environment: [String: String]) {
        guard let s = environment["PODPUSHER_BENCH_FD"], let fd = Int32(s), fcntl(fd, F_GETFD) != -1 else { return nil }
        self.fd = fd
    }

    /// The `start` milestone, read straight from the C environment: nothing of Foundation is
    /// touched before it, so it shows what process start-up itself costs.
    static func markStart() {
        guard let raw = getenv("PODPUSHER_BENCH_FD"), let fd = Int32(String(cString: raw)), fcntl(fd, F_GETFD) != -1 else { return }
        let line = "phase start \(EventLoop.now())\n"
        _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
    }

    func handled(_ state: AppState) {
        switch state.screen {
        case .dashboard: dataLoaded = state.dashboard != nil
        case .listings: dataLoaded = state.listings.rows.selectedRow != nil || (state.listings.rows.countKnown && state.listings.rows.table.rowCount == 0)
        case .composer:
            dataLoaded =
                state.composer.editor != nil || state.composer.drafts.rows.selectedRow != nil
                || (state.composer.drafts.rows.countKnown && state.composer.drafts.rows.table.rowCount == 0)
        case .shop: dataLoaded = state.shop.now != nil && state.shop.before != nil
        case .images: dataLoaded = state.images.loaded
        case .trends: dataLoaded = state.trends.rows.selectedRow != nil || (state.trends.rows.countKnown && state.trends.rows.table.rowCount == 0)
        default: dataLoaded = true
        }
    }

    func flushed(handleNs: Int64, renderNs: Int64, presentNs: Int64) {
        write("flush \(EventLoop.now()) \(dataLoaded ? 1 : 0) \(handleNs) \(renderNs) \(presentNs)")
    }

    /// A start-up milestone: `phase <name> <monotonic ns>`.
    func phase(_ name: String) { write("phase \(name) \(EventLoop.now())") }

    private func write(_ line: String) {
        _ = (line + "\n").withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
