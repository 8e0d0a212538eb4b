import CNcurses
import Foundation
import TerminalUI

/// What woke the loop.
public enum LoopEvent: Equatable, Sendable {
    case terminal(TerminalEvent)
    /// Work finished elsewhere (an effect answered).
    case wake
    /// The deadline asked for has come.
    case timer
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: restore the terminal and leave.
    case terminate(signal: Int32)
}

/// Wakes the loop from any thread: one byte into a pipe the loop polls.
public final class Wakeup: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    public func signal() {
        var b: UInt8 = 1
        _ = write(fd, &b, 1)
    }
}

/// The event loop: sleeps in `poll()` on stdin, a signal self-pipe and a wake pipe, with no
/// timeout unless a deadline is asked for — so an idle UI makes no wake-ups at all. After input
/// it drains every key and renders once for the batch.
public final class EventLoop {
    public let terminal: CursesTerminal
    public let wakeup: Wakeup
    private let signalRead: Int32
    private let wakeRead: Int32
    /// Called after each flush with the time spent handling the batch, rendering the frame and
    /// presenting it, in nanoseconds (for the benchmark harness).
    public var afterPresent: ((_ handleNs: Int64, _ renderNs: Int64, _ presentNs: Int64) -> Void)?

    public init(terminal: CursesTerminal) {
        self.terminal = terminal
        var sig: [Int32] = [0, 0], wake: [Int32] = [0, 0]
        _ = pipe(&sig)
        _ = pipe(&wake)
        for fd in sig + wake {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalRead = sig[0]
        wakeRead = wake[0]
        wakeup = Wakeup(fd: wake[1])
        pod_install_signal_pipe(sig[1])
    }

    /// Runs until `handle` returns false. `render` is called once per batch of events;
    /// `deadline` tells when to wake without input (nil: never).
    public func run(handle: ([LoopEvent]) -> Bool, render: () -> Frame, deadline: () -> Date?) {
        // A resize that came before the signal pipe was installed would otherwise go unseen.
        let known = (terminal.width, terminal.height)
        let size = terminal.refreshSize()
        if size != known, !handle([.terminal(.resize(width: size.width, height: size.height))]) { return }
        presentTimed(render: render, handleNs: 0)
        var emptyReads = 0
        while true {
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            var timeout: Int32 = -1
            if let d = deadline() { timeout = Int32(max(0, min(Double(Int32.max), (d.timeIntervalSinceNow * 1000).rounded(.up)))) }
            let n = poll(&fds, 3, timeout)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            var events: [LoopEvent] = []
            if fds[1].revents != 0 {
                for s in drain(signalRead) {
                    if Int32(s) == SIGWINCH {
                        let size = terminal.refreshSize()
                        events.append(.terminal(.resize(width: size.width, height: size.height)))
                    } else {
                        events.append(.terminate(signal: Int32(s)))
                    }
                }
            }
            if fds[0].revents != 0 {
                // Keys typed before a hang-up still count; then a hang-up, an error, or a
                // terminal that is readable with nothing to read (end of file, EIO after the
                // pane closed) means the terminal is gone, whether or not SIGHUP came (under
                // `make run`, nohup and some multiplexers it does not).
                events += terminal.readKeys().map(LoopEvent.terminal)
                // Readable with nothing to read, several times running (once can be half a
                // character the terminal library keeps for the next read).
                emptyReads = !terminal.consumedInput && Self.isAtEnd(STDIN_FILENO) ? emptyReads + 1 : 0
                if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 || emptyReads >= 3 {
                    events.append(.terminate(signal: SIGHUP))
                }
            }
            if fds[2].revents != 0 {
                _ = drain(wakeRead)
                events.append(.wake)
            }
            if n == 0 { events.append(.timer) }
            if events.isEmpty { continue }
            let t0 = Self.now()
            if !handle(events) { return }
            presentTimed(render: render, handleNs: Self.now() - t0)
        }
    }

    private func presentTimed(render: () -> Frame, handleNs: Int64) {
        guard let afterPresent else {
            terminal.present(render())
            return
        }
        let t0 = Self.now()
        let frame = render()
        let t1 = Self.now()
        terminal.present(frame)
        afterPresent(handleNs, t1 - t0, Self.now() - t1)
    }

    /// The monotonic clock in nanoseconds (shared with the benchmark harness).
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Whether a descriptor that `poll` called readable has nothing to read: end of file, or a
    /// terminal that is gone (the read fails with EIO).
    static func isAtEnd(_ fd: Int32) -> Bool {
        var available: Int32 = 0
        if ioctl(fd, UInt(FIONREAD), &available) != 0 { return true }
        return available == 0
    }

    private func drain(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }
}
