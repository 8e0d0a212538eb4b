import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The program loop headless: keys through `reduce`, jobs on the runner's lanes against a real
/// store, answers back through the mailbox.
@Suite struct ProgramTests {
    func program(screen: ScreenID, _ store: Store) throws -> Program {
        let state = try makeState(screen: screen)
        return Program(state: state) { EffectRunner(store: store, calendar: Formats.calendar(in: TimeZone(identifier: "UTC")!), send: $0) }
    }

    func demoStore() throws -> (Store, URL) {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("program-\(UUID().uuidString)")
        let store = try Store(dataDirectory: dir)
        _ = try store.loadDemo(seed: 7, signals: 20_000, listings: 300, today: Day.number(Date()), now: Date(), reset: true)
        return (store, dir)
    }

    @Test func aWholeFlowRunsWithoutATerminal() throws {
        let (store, dir) = try demoStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try program(screen: .niches, store)
        p.start()
        p.settle()
        #expect(p.state.niches.loaded && !p.state.niches.rows.isEmpty)
        let name = p.state.niches.rows[0].name
        p.send(.key(.char("b")))
        p.settle()
        #expect(try store.niches(window: .days30, region: "US").first { $0.name == name }?.saved == true, "b saved the niche in the store")
        // The Listings table pages in what is on screen, then the filter narrows it.
        p.send(.key(.char("j")))
        p.send(.go(.listings))
        p.settle()
        #expect(p.state.listings.rows.table.rowCount == 300)
        p.send(.key(.char("/")))
        for c in "zzzz-no-such-title" { p.send(.key(.char(c))) }
        p.settle()
        #expect(p.state.listings.rows.countKnown && p.state.listings.rows.table.rowCount == 0)
        #expect(view(p.state).text().contains("No listing title contains"))
        p.send(.run(.forceQuit))
        #expect(!p.running)
    }

    /// A job that fails reaches its screen, which offers the retry; the retry that works clears it.
    @Test func aFailureReachesItsScreenAndTheRetryWorks() throws {
        let (store, dir) = try demoStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try store.write { try $0.execute(sql: "ALTER TABLE niches RENAME TO niches_away") }
        let p = try program(screen: .niches, store)
        p.start()
        p.settle()
        #expect(p.state.failures[.niches] != nil && !p.state.niches.loaded)
        #expect(view(p.state).text().contains("Could not load (R retry"))
        try store.write { try $0.execute(sql: "ALTER TABLE niches_away RENAME TO niches") }
        p.send(.key(.char("R")))
        p.settle()
        #expect(p.state.failures[.niches] == nil && p.state.niches.loaded)
    }
}
