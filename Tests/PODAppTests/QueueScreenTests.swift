import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Sync queue says what each item does and shows a refusal whole, in the seller's language.
@Suite struct QueueScreenTests {
    @Test func aRefusalIsShownWholeWithWhoSaidItAndWhatToDo() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("queue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        let queued = try store.queueDraft(complete(ListingDraft()), provider: .etsy, now: Date())
        let refusal = "title: contains characters that are not allowed: ¤ — and a long explanation that does not fit in the table's last error column at all"
        try store.failOutboxItem(id: queued.outboxID, error: refusal, now: Date())
        let p = Program(state: try makeState(width: 100, height: 30, language: "de", screen: .queue)) {
            EffectRunner(store: store, calendar: .current, send: $0)
        }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        let text = view(p.state).text()
        #expect(text.contains("anlegen"), "the action column: create")
        let joined = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(joined.contains("Etsy hat abgelehnt: title: contains characters that are not allowed"))
        #expect(joined.contains("at all"), "the whole message, wrapped")
        #expect(joined.contains("enter im Editor korrigieren · R erneut senden"))
        // Enter opens the draft: the refusal is on the step of the field it names, and on Review.
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.screen == .composer && p.state.composer.editor?.refusal?.field == .title)
        #expect(p.state.composer.editor?.providerStatus?.itemState == .failed)
        #expect(view(p.state).text().contains("Etsy: abgelehnt"))
        p.send(.key(.alt("3")))
        var composer = view(p.state).text().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(composer.contains("Etsy hat es zuletzt abgelehnt: title: contains characters"))
        p.send(.key(.alt("7")))
        composer = view(p.state).text()
        #expect(composer.contains("Etsy hat es zuletzt abgelehnt"))
    }

    /// A create blocked until the provider is set up says so, and how to send it once it is.
    @Test func aBlockedItemSaysWhatSetupItNeeds() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("queue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        try store.queueDraft(complete(ListingDraft()), provider: .printify, now: Date())
        #expect(try store.blockCreates(provider: .printify, reason: "providers.printify needs blueprint_id to make products", now: Date()) == 1)
        let p = Program(state: try makeState(width: 120, height: 30, screen: .queue)) { EffectRunner(store: store, calendar: .current, send: $0) }
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        let joined = view(p.state).text().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(joined.contains("Printify  blocked"))
        #expect(joined.contains("Not sent: Printify is not set up yet — providers.printify needs blueprint_id to make products"))
        #expect(joined.contains("It uses no quota meanwhile and is not tried again by itself:") && joined.contains("R send it again"))
    }
}
