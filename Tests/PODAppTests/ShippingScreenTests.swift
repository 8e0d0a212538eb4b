import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Shipping profiles screen: what the last sync stored, and a draft that ships with one.
@Suite struct ShippingScreenTests {
    @Test func theStoredProfilesAreListedAndEnterStartsADraftWithOne() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("shipping-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        try store.replaceShippingProfiles(
            provider: .etsy, shopID: "1", profiles: [ShippingProfile(id: 41, title: "Standard US"), ShippingProfile(id: 42, title: "Express EU")], now: Date())
        let p = Program(state: try makeState(screen: .shipping)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        let text = view(p.state).text()
        #expect(text.contains("Shipping profiles") && text.contains("Express EU") && text.contains("#41"))
        #expect(text.contains("enter new draft with it"))
        // The store has no trends, listings or drafts: the first-run offer is shown over it.
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        p.send(.key(.char("j")))
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.screen == .composer && p.state.composer.editor?.draft.shippingProfileID == 41)
    }

    @Test func anEmptyShopSaysWhereProfilesComeFrom() throws {
        var s = try makeState(screen: .shipping)
        #expect(reduce(&s, .go(.shipping)) == [.job(ShippingScreen.self, .load)])
        #expect(view(s).text().contains("Loading…"))
        _ = reduce(&s, .to(ShippingScreen.self, .loaded([])))
        #expect(view(s).text().contains("No shipping profile stored yet."))
        #expect(press(&s, .enter).isEmpty)
    }
}
