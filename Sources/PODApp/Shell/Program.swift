import Foundation

/// The program loop: an action goes through `reduce`, its effects go to the runner (or, for the
/// terminal's own, to `terminal`), and the runner's answers come back as actions through the
/// mailbox. The terminal UI drives it from its event loop; a test or the benchmark drives it
/// headless with `settle()`, on a real store, with no terminal.
public final class Program {
    public private(set) var state: AppState
    public let runner: EffectRunner
    private let mailbox: Mailbox
    private let terminal: (TerminalEffect) -> Void
    /// False once a quit was asked for (by `q` on the first screen, Ctrl-C or a signal).
    public private(set) var running = true

    /// `makeRunner` is given the `send` that puts the runner's answers in this program's mailbox.
    public init(
        state: AppState, terminal: @escaping (TerminalEffect) -> Void = { _ in },
        makeRunner: (@escaping @Sendable (Action) -> Void) -> EffectRunner
    ) {
        let mailbox = Mailbox()
        self.mailbox = mailbox
        self.state = state
        self.terminal = terminal
        runner = makeRunner { mailbox.push($0) }
    }

    /// The opening screen's loads (and sync, the feeds, the scheduler's first turn).
    public func start() { perform(startEffects(&state)) }

    /// Applies one action; false once the program should end.
    @discardableResult
    public func send(_ action: Action) -> Bool {
        perform(reduce(&state, action))
        return running
    }

    /// Applies the answers waiting in the mailbox, in order; the answers applied.
    @discardableResult
    public func drain() -> [Action] {
        let actions = mailbox.take()
        for action in actions { send(action) }
        return actions
    }

    /// Changes the state outside the loop (the composition root fills in the language, theme
    /// and keys once they are read).
    public func update(_ change: (inout AppState) -> Void) { change(&state) }

    /// Called (on any thread) when an answer arrives: the event loop's wake-up.
    public func onAnswer(_ wake: @escaping @Sendable () -> Void) { mailbox.connect(wake) }

    /// Headless: waits for every effect under way and applies its answers, until none is left.
    public func settle() {
        repeat { runner.settle() } while !drain().isEmpty
    }

    /// Waits for what is still running (the last autosave) before the process ends.
    public func finish() { runner.waitUntilIdle() }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            guard case .terminal(let t) = effect else {
                runner.run(effect)
                continue
            }
            if t == .quit { running = false } else { terminal(t) }
        }
        if state.quitRequested { running = false }
    }
}

/// Answers of effects on other threads, waiting for the loop's thread. Effects may answer
/// before the event loop exists; `connect` hands over the wake-up then.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Action] = []
    private var wake: (@Sendable () -> Void)?

    func push(_ a: Action) {
        let w = lock.withLock {
            items.append(a)
            return wake
        }
        w?()
    }

    func connect(_ w: @escaping @Sendable () -> Void) {
        let waiting = lock.withLock {
            wake = w
            return !items.isEmpty
        }
        if waiting { w() }
    }

    func take() -> [Action] {
        lock.withLock {
            defer { items = [] }
            return items
        }
    }
}
