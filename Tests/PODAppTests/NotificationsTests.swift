import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

@Suite struct DemoNotificationTests {
    /// The demo's feed item is a message in the user's language (it was English everywhere).
    @Test func theDemoLoadedItemSpeaksTheUsersLanguage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podpusher-demo-note-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(dataDirectory: dir)
        _ = try store.loadDemo(seed: 1, signals: 500, listings: 7, today: Day.number(fixedNow), now: fixedNow, reset: false)
        let item = try #require(try store.notifications(limit: 10).first)
        #expect(item.text(try Localizer.load(language: "es", from: shipped)).hasPrefix("Espacio de demostración cargado: 500 señales y 7 anuncios"))
        #expect(item.text(try Localizer.load(language: "en", from: shipped)).hasPrefix("Demo workspace loaded: 500 signals"))
    }
}

/// The feed, the scheduler's turns and what a new notification does on screen.
@Suite struct NotificationsTests {
    func item(_ id: Int64, _ title: String, args: String = "{}", subject: String? = nil, read: Bool = false) -> NotificationItem {
        var n = NotificationItem(id: id, title: title, body: args, createdAt: fixedNow, isRead: read, isDemo: false)
        (n.subject, n.kind) = (subject, "test")
        return n
    }

    @Test func theSchedulerRunsAtStartAndAgainWhenDue() throws {
        var s = try makeState()
        #expect(!startEffects(&s).contains(schedulerRun(s)), "not in the first frame's way")
        #expect(reduce(&s, .dashboardLoaded(sampleDashboard())) == [schedulerRun(s)], "with the first data")
        #expect(reduce(&s, .dashboardLoaded(sampleDashboard())).isEmpty, "once")
        let next = fixedNow.addingTimeInterval(1_800)
        _ = reduce(&s, .notificationsCreated([], next: next))
        #expect(s.nextDeadline == next, "the UI sleeps until then, not less")
        #expect(reduce(&s, .tick(next.addingTimeInterval(-1))).isEmpty)
        #expect(reduce(&s, .tick(next)) == [schedulerRun(s)])
        #expect(s.schedulerDue == nil)
    }

    @Test func aNewNotificationIsToastedPushedWhenAskedAndInTheUsersLanguage() throws {
        var s = try makeState(language: "de")
        s.settings.notifications.push = true
        let n = item(
            1, "notify.quota_alert", args: #"{"limit":"10","percent":"80","resource":"quotas.resource.listings","used":"8"}"#, subject: "screen:quotas")
        let effects = reduce(&s, .notificationsCreated([n], next: fixedNow.addingTimeInterval(3_600)))
        let text = "Angebote: 8 von 10 diesen Monat verbraucht (80 %)"
        #expect(effects.contains(.notifyTerminal(title: "PODPusher", body: text)))
        #expect(s.toast?.message == text)
        s.settings.notifications.push = false
        #expect(
            !reduce(&s, .notificationsCreated([n], next: fixedNow)).contains {
                if case .terminal(.notify) = $0 { return true }
                return false
            })
    }

    @Test func theFeedOpensWhatANotificationIsAbout() throws {
        var s = try makeState()
        #expect(reduce(&s, .go(.notifications)) == [NotificationsScreen.load])
        _ = reduce(
            &s,
            .to(
                NotificationsScreen.self,
                .loaded([
                    item(1, "notify.quota_reset", args: #"{"plan":"plan.free"}"#, subject: "screen:quotas"),
                    item(2, "Demo workspace loaded", read: true),
                ])))
        let text = view(s).text()
        #expect(text.contains("1 unread") && text.contains("● A new month: the Free plan's quotas start again from zero"))
        #expect(text.contains("Demo workspace loaded"))
        let effects = press(&s, .enter)
        #expect(effects.first == .job(NotificationsScreen.self, .mark(id: 1, read: true)) && effects.contains(QuotasScreen.load))
        #expect(s.screen == .quotas)
        press(&s, .char("q"))
        #expect(s.screen == .notifications && s.notifications.items[0].isRead)
        #expect(press(&s, .char("u")) == [.job(NotificationsScreen.self, .mark(id: 1, read: false))])
        #expect(press(&s, .char("U")) == [.job(NotificationsScreen.self, .mark(id: nil, read: true))])
        #expect(s.notifications.items.allSatisfy { $0.isRead })
    }

    @Test func anEmptyFeedSaysWhereNotificationsComeFrom() throws {
        var s = try makeState()
        _ = reduce(&s, .go(.notifications))
        _ = reduce(&s, .to(NotificationsScreen.self, .loaded([])))
        #expect(view(s).text().contains("Settings → Notifications chooses which and when"))
    }

    @Test func terminalNotificationsCannotCarryEscapes() {
        let plain = TerminalNotification.sequence(title: "PODPusher", body: "Weekly\u{1b}]52;c;evil\u{07} trends", environment: ["TERM": "xterm-256color"])
        #expect(plain == "\u{1b}]9;PODPusher: Weekly]52;c;evil trends\u{07}\u{07}")
        let foot = TerminalNotification.sequence(title: "A;B", body: "x", environment: ["TERM": "foot"])
        #expect(foot == "\u{1b}]777;notify;A,B;x\u{07}\u{07}")
        let tmux = TerminalNotification.sequence(title: "T", body: "x", environment: ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-1/default,1,0"])
        #expect(tmux == "\u{1b}Ptmux;\u{1b}\u{1b}]9;T: x\u{07}\u{1b}\\\u{07}")
    }
}
