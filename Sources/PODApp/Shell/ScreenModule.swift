import Foundation
import PODCore
import TerminalUI

/// A screen of the app, in its own folder under `Screens/`: its state, the messages its jobs
/// answer with, its jobs (each says the lane it runs on and does its own work), its reducer and
/// its view. The app reducer only routes: global keys, navigation, overlays and toasts, then
/// the current screen's `handle`, and each message to the screen it belongs to (the way a
/// parent scopes a child reducer). Screens read the shared context of `AppState` (language,
/// formats, window, region) and change their own state.
///
/// Adding a screen: see docs/ARCHITECTURE.md, "Add a screen".
protocol ScreenModule {
    associatedtype State: Sendable
    associatedtype Message: ScreenMessage = NoMessage
    associatedtype Job: ScreenJob = NoJob

    static var id: ScreenID { get }
    static var initialState: State { get }
    /// The commands the screen honours beyond the global ones, in the order `?` lists them.
    static var commands: [Command] { get }
    /// The commands shown in the status bar and the screen's own key line.
    static var hints: [Command] { get }

    /// Effects to show the screen with fresh data (on the way in, and after `r`).
    static func enter(_ s: inout AppState) -> [Effect]
    /// A command the app did not take for itself.
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect]
    /// A key while the screen takes text (its filter line, a search box, the editor); nil
    /// when the key goes through the keymap as usual.
    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]?
    /// An answer of one of the screen's jobs.
    static func receive(_ s: inout AppState, _ message: Message) -> [Effect]
    /// One of the screen's jobs failed: `s.failures` has it already (the shell shows it with a
    /// retry); here the screen undoes what waited on it.
    static func failed(_ s: inout AppState, _ failure: EffectFailure)
    static func render(_ s: AppState, into f: inout Frame, rect: Rect)
    /// The loads a paged table needs for what is on screen (after a resize, a reload).
    static func pageLoads(_ s: inout AppState) -> [Effect]
    /// Forgets loaded rows (the window, the region or the data changed).
    static func forget(_ s: inout AppState)
}

extension ScreenModule {
    static var hints: [Command] { [] }
    static func handleKey(_ s: inout AppState, _ key: Key) -> [Effect]? { nil }
    static func failed(_ s: inout AppState, _ failure: EffectFailure) {}
    static func pageLoads(_ s: inout AppState) -> [Effect] { [] }
    static func forget(_ s: inout AppState) {}

    /// Routes a message to this screen's reducer.
    static func route(_ s: inout AppState, _ message: AnyScreenMessage) -> [Effect] {
        guard let m = message.value as? Message else { return [] }
        return receive(&s, m)
    }
}

extension ScreenModule where Message == NoMessage {
    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] { [] }
}

/// A message one of a screen's jobs answers with.
protocol ScreenMessage: Sendable, Equatable {}

/// A screen's effect: it says which lane it runs on and does its own work with the runner's
/// services, answering through `run.send`. What it throws comes back to its screen.
protocol ScreenJob: Sendable, Equatable {
    var lane: EffectLane { get }
    func perform(_ run: EffectRunner) throws
    /// Called on the submitting thread before the job waits for its lane (a request that may
    /// be cancelled before it starts registers here).
    func submitted(_ run: EffectRunner)
}

extension ScreenJob {
    func submitted(_ run: EffectRunner) {}
}

/// For a screen whose jobs never answer.
enum NoMessage: ScreenMessage {}

/// For a screen with no jobs of its own.
enum NoJob: ScreenJob {
    var lane: EffectLane { switch self {} }
    func perform(_ run: EffectRunner) throws {}
}

/// A screen's message on its way to the app reducer, which hands it to its screen.
public struct AnyScreenMessage: Sendable, Equatable, CustomStringConvertible {
    let screen: ScreenID
    let value: any Sendable
    private let equals: @Sendable (any Sendable) -> Bool

    init<M: ScreenModule>(_ module: M.Type, _ message: M.Message) {
        screen = M.id
        value = message
        equals = { ($0 as? M.Message) == message }
    }

    public static func == (a: Self, b: Self) -> Bool { a.screen == b.screen && a.equals(b.value) }
    public var description: String { "\(screen.rawValue).\(value)" }
}

/// A screen's job on its way to the runner.
public struct AnyScreenJob: Sendable, Equatable, CustomStringConvertible {
    /// The screen that asked: a failure goes back to it.
    let screen: ScreenID
    let lane: EffectLane
    let value: any Sendable
    private let equals: @Sendable (any Sendable) -> Bool
    private let body: @Sendable (EffectRunner) throws -> Void
    private let onSubmit: @Sendable (EffectRunner) -> Void

    init<M: ScreenModule>(_ module: M.Type, _ job: M.Job) {
        screen = M.id
        lane = job.lane
        value = job
        equals = { ($0 as? M.Job) == job }
        body = { try job.perform($0) }
        onSubmit = { job.submitted($0) }
    }

    func perform(_ run: EffectRunner) throws { try body(run) }
    func submitted(_ run: EffectRunner) { onSubmit(run) }
    public static func == (a: Self, b: Self) -> Bool { a.screen == b.screen && a.equals(b.value) }
    public var description: String { "\(screen.rawValue).\(value)" }
}

/// An effect that failed: the screen that asked (nil for the app's own), the reason, and the
/// effect again for a retry.
public struct EffectFailure: Sendable, Equatable {
    public var screen: ScreenID?
    public var detail: String
    public var retry: Effect
}

extension Action {
    /// A screen's message.
    static func to<M: ScreenModule>(_ module: M.Type, _ message: M.Message) -> Action { .screenMessage(AnyScreenMessage(module, message)) }
}

extension Effect {
    /// A screen's job.
    static func job<M: ScreenModule>(_ module: M.Type, _ job: M.Job) -> Effect { .screenJob(AnyScreenJob(module, job)) }
}

extension EffectRunner {
    /// Sends a screen's message.
    func answer<M: ScreenModule>(_ module: M.Type, _ message: M.Message) { send(.to(module, message)) }
}

/// Each screen's state, kept by the screen's type: a screen adds its state without touching
/// `AppState` (its folder gives it a named accessor).
public struct ScreenStates: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]
    public init() {}

    subscript<M: ScreenModule>(_ module: M.Type) -> M.State {
        get { values[ObjectIdentifier(module)].flatMap { $0 as? M.State } ?? M.initialState }
        _modify {
            // Taken out while it changes, so that its arrays are not copied on write.
            var value: M.State
            do {
                let boxed = values.removeValue(forKey: ObjectIdentifier(module))
                value = boxed.flatMap { $0 as? M.State } ?? M.initialState
            }
            defer { values[ObjectIdentifier(module)] = value }
            yield &value
        }
    }
}
