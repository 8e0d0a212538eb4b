import Foundation
import PODCore
import PODStore
import TerminalUI

public struct ShippingState: Sendable, Equatable {
    public var profiles: [ShippingProfile] = []
    public var loaded = false
    public var selected = 0
    public init() {}
}

extension AppState {
    public var shipping: ShippingState {
        get { screens[ShippingScreen.self] }
        _modify { yield &screens[ShippingScreen.self] }
    }
}

/// The Etsy shop's shipping profiles as the last sync stored them; Enter starts a draft that
/// ships with the chosen one.
enum ShippingScreen: ScreenModule {
    static let id = ScreenID.shipping
    static let initialState = ShippingState()
    static let commands: [Command] = [.select, .newDraft, .refresh]
    static let hints: [Command] = [.select, .refresh]

    enum Message: ScreenMessage {
        case loaded([ShippingProfile])
    }

    enum Job: ScreenJob {
        case load

        var lane: EffectLane {
            switch self {
            case .load: .read
            }
        }

        func perform(_ run: EffectRunner) throws {
            switch self {
            case .load: run.answer(ShippingScreen.self, .loaded(try run.store.shippingProfiles(provider: .etsy)))
            }
        }
    }

    static func enter(_ s: inout AppState) -> [Effect] { [.job(Self.self, .load)] }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let profiles):
            s.shipping.profiles = profiles
            s.shipping.loaded = true
            s.shipping.selected = min(s.shipping.selected, max(0, profiles.count - 1))
        }
        return []
    }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if moveIndex(&s.shipping.selected, command, count: s.shipping.profiles.count) { return [] }
        switch command {
        case .select, .newDraft:
            guard let profile = s.shipping.profiles.element(at: s.shipping.selected) else { return [] }
            var seed = ListingDraft()
            seed.shippingProfileID = profile.id
            return ComposerScreen.newDraft(&s, seed: seed)
        case .left:
            s.focus = .sidebar
        default: break
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3 else { return }
        f.put(t.t("shipping.heading") + " · " + keyLine(s, Self.self), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
        guard s.shipping.loaded else {
            f.put(s.loadingText(for: id), x: rect.x + 1, y: rect.y + 2, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        guard !s.shipping.profiles.isEmpty else {
            for (i, key) in ["shipping.empty", "shipping.empty_hint"].enumerated() {
                f.put(t.t(key), x: rect.x + 1, y: rect.y + 2 + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
            }
            return
        }
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        var table = TableState(rowCount: s.shipping.profiles.count)
        table.select(s.shipping.selected, visibleRows: max(1, tableRect.height - 1))
        let columns = [TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("column.id"), .fixed(14), alignRight: true)]
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table, styles: s.tableStyles, focused: s.focus == .content) { i in
            let p = s.shipping.profiles[i]
            return [p.title, "#\(p.id)"]
        }
    }
}
