import Foundation
import PODSync
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Integrations screen: cards, the connect overlay's stages and keys, the lapse warning.
@Suite struct IntegrationsTests {
    func card(
        _ provider: String, _ auth: AuthKind, _ state: ConnectionInfo.State = .notConnected, account: String? = nil,
        lapses: Date? = nil, problem: String? = nil
    ) -> IntegrationCard {
        IntegrationCard(
            provider: provider, auth: auth,
            connection: ConnectionInfo(provider: provider, state: state, accountName: account, expiresAt: lapses, lastError: nil),
            problem: problem, refreshable: auth != .token)
    }

    func screen(_ cards: [IntegrationCard], language: String = "en") throws -> AppState {
        var s = try makeState(language: language, screen: .connect)
        #expect(startEffects(&s).contains(IntegrationsScreen.load))
        _ = reduce(&s, .to(IntegrationsScreen.self, .loaded(cards, syncAvailable: false)))
        return s
    }

    /// A long provider name (Spanish "IA compatible con OpenAI") is never run into by its state.
    @Test func aLongNameAndItsStateKeepApart() throws {
        for (width, height) in [(80, 24), (120, 40)] {
            var s = try screen([card("etsy", .pkce), card("printify", .token), card("openai", .token)], language: "es")
            _ = reduce(&s, .resize(width: width, height: height))
            let line = try #require(view(s).text().split(separator: "\n").first { $0.contains("IA compatible") })
            #expect(line.contains("IA compatible con OpenAI") && line.contains("IA compatible con OpenAI  "), "\(line)")
            #expect(line.contains("○ no conectado"), "\(line)")
        }
    }

    @Test func cardsShowEachStateAndWhatIsMissing() throws {
        let s = try screen([
            card("etsy", .pkce, problem: "providers.etsy.client_id (your app's keystring) is not set in config.toml"),
            card("printify", .token, .connected, account: "My POD shop"),
            card("acme", .device, .connected, account: "Acme Seller", lapses: fixedNow.addingTimeInterval(5 * 3600)),
            card("openai", .token, .expired),
        ])
        let text = view(s).text()
        #expect(text.contains("not connected"))
        #expect(text.contains("not set up: providers.etsy.client_id"))
        #expect(text.contains("connected as My POD shop"))
        #expect(text.contains("expires in 5 hours"))
        #expect(text.contains("expired: connect again"))
        #expect(text.contains("device code") && text.contains("browser sign-in") && text.contains("pasted token"))
    }

    @Test func aDeviceFlowShowsTheCodeAndCountsDownAndEscCancelsAtOnce() throws {
        var s = try screen([card("acme", .device)])
        #expect(press(&s, .enter) == [.job(IntegrationsScreen.self, .connect(provider: "acme", auth: .device))])
        #expect(view(s).text().contains("Asking the provider for a code"))
        _ = reduce(
            &s,
            .to(
                IntegrationsScreen.self,
                .stage(
                    provider: "acme",
                    .device(
                        userCode: "WDJB-MJHT", url: "https://example.com/activate",
                        expiresAt: fixedNow.addingTimeInterval(600)))))
        let text = view(s).text()
        #expect(text.contains("W D J B - M J H T") && text.contains("https://example.com/activate") && text.contains("10:00"))
        // The countdown wakes the UI every second and moves.
        #expect(s.nextDeadline == fixedNow.addingTimeInterval(1))
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(61)))
        #expect(view(s).text().contains("8:59"))
        #expect(press(&s, .char("c")) == [.copyToClipboard("WDJB-MJHT")])
        #expect(press(&s, .char("o")) == [.openURL("https://example.com/activate")])
        #expect(press(&s, .escape) == [.job(IntegrationsScreen.self, .cancelConnect)])
        #expect(s.overlay == nil)
        // The cancelled flow's last word changes nothing.
        _ = reduce(&s, .to(IntegrationsScreen.self, .connectFailed(provider: "acme", .cancelled)))
        #expect(s.overlay == nil && s.toast?.isError != true)
    }

    @Test func approvalClosesThePromptAndReloads() throws {
        var s = try screen([card("acme", .device)])
        press(&s, .enter)
        let effects = reduce(&s, .to(IntegrationsScreen.self, .connected(provider: "acme", account: "Acme Seller")))
        #expect(s.overlay == nil && s.toast?.message == "Connected to acme as Acme Seller")
        #expect(effects.contains(IntegrationsScreen.load))
    }

    @Test func failuresSayWhyInTheUsersLanguageAndEnterStartsAgain() throws {
        var s = try screen([card("acme", .device)], language: "de")
        press(&s, .enter)
        _ = reduce(&s, .to(IntegrationsScreen.self, .connectFailed(provider: "acme", .expired)))
        #expect(view(s).text().contains("Der Code ist abgelaufen"))
        #expect(press(&s, .enter) == [.job(IntegrationsScreen.self, .connect(provider: "acme", auth: .device))])
        _ = reduce(
            &s, .to(IntegrationsScreen.self, .connectFailed(provider: "acme", .malformed("the token endpoint answered 200 with a body that is not JSON"))))
        #expect(view(s).text().contains("Die Antwort des Anbieters war unverständlich"))
    }

    @Test func aPastedTokenIsMaskedAndSentAsASecret() throws {
        var s = try screen([card("printify", .token)])
        #expect(press(&s, .enter).isEmpty)
        _ = typeText(&s, "printify-test-token")
        let text = view(s).text()
        #expect(!text.contains("printify-test-token") && text.contains("•••••"))
        let effects = press(&s, .enter)
        #expect(effects == [.job(IntegrationsScreen.self, .saveToken(provider: "printify", token: Secret("printify-test-token")))])
        #expect(!"\(effects)".contains("printify-test-token"), "a printed effect shows no secret")
        // Refused: the field is offered again, empty.
        _ = reduce(&s, .to(IntegrationsScreen.self, .connectFailed(provider: "printify", .refused(status: 401))))
        guard case .connect(let p) = s.overlay else {
            Issue.record("the prompt closed")
            return
        }
        #expect(p.stage == .token && p.field.text.isEmpty && s.toast?.isError == true)
    }

    @Test func etsyTakesAPastedRedirect() throws {
        var s = try screen([card("etsy", .pkce)])
        #expect(press(&s, .enter) == [.job(IntegrationsScreen.self, .connect(provider: "etsy", auth: .pkce))])
        _ = reduce(&s, .to(IntegrationsScreen.self, .stage(provider: "etsy", .browser(url: "https://www.etsy.com/oauth/connect?x=1"))))
        _ = typeText(&s, "http://localhost:3003/callback?code=a&state=b")
        #expect(press(&s, .enter) == [.job(IntegrationsScreen.self, .pasteRedirect("http://localhost:3003/callback?code=a&state=b"))])
        #expect(press(&s, .ctrl("y")) == [])  // checking: nothing to copy any more
    }

    @Test func disconnectAsksFirstAndRefreshIsForConnectedCards() throws {
        var s = try screen([card("printify", .token, .connected, account: "Shop"), card("openai", .token)])
        #expect(press(&s, .char("r")) == [.job(IntegrationsScreen.self, .refresh(provider: "printify"))])
        press(&s, .char("d"))
        #expect(s.overlay == .confirmDisconnect(provider: "printify"))
        #expect(press(&s, .char("y")) == [.job(IntegrationsScreen.self, .disconnect(provider: "printify"))])
        press(&s, .char("j"))
        #expect(press(&s, .char("d")).isEmpty && s.overlay == nil, "nothing to disconnect")
    }

    @Test func aNotConfiguredProviderSaysWhatToSet() throws {
        var s = try screen([card("etsy", .pkce, problem: "providers.etsy.client_id is not set")])
        #expect(press(&s, .enter).isEmpty)
        #expect(view(s).text().contains("providers.etsy.client_id is not set"))
    }

    @Test func aConnectionLapsingWithinADayIsWarnedInTheStatusBarAndOnTheDashboard() throws {
        var s = try makeState()
        var data = sampleDashboard(demo: false)
        data.connections[0] = ConnectionInfo(
            provider: "etsy", state: .connected, accountName: "Shop", expiresAt: fixedNow.addingTimeInterval(3 * 3600 + 60), lastError: nil)
        _ = reduce(&s, .dashboardLoaded(data))
        let lines = view(s).text().split(separator: "\n")
        #expect(lines.last?.contains("Etsy lapses in 4 hours") == true)
        #expect(lines.dropLast().contains { $0.contains("Etsy lapses in 4 hours") }, "and on the dashboard")
        data.connections[0].expiresAt = fixedNow.addingTimeInterval(30 * 86_400)
        _ = reduce(&s, .dashboardLoaded(data))
        #expect(!view(s).text().contains("lapses in"))
    }

    @Test func connectingMakesSyncAvailable() throws {
        var s = try screen([card("etsy", .pkce)])
        #expect(reduce(&s, .to(IntegrationsScreen.self, .loaded([card("etsy", .pkce, .connected)], syncAvailable: true))) == [.sync])
        #expect(s.sync.available && s.sync.running)
    }

    @Test func snapshots() throws {
        var s = try screen([
            card("etsy", .pkce, .connected, account: "user 1, shop 2", lapses: fixedNow.addingTimeInterval(80 * 86_400)),
            card("printify", .token), card("openai", .token, problem: "providers.openai is not set"),
            card("acme", .device, .connected, account: "Acme Seller", lapses: fixedNow.addingTimeInterval(2 * 3600)),
        ])
        s.width = 100
        s.height = 30
        try assertSnapshot(view(s), named: "integrations")
        press(&s, .char("G"), .enter)
        _ = reduce(
            &s,
            .to(
                IntegrationsScreen.self,
                .stage(
                    provider: "acme",
                    .device(
                        userCode: "WDJB-MJHT", url: "https://auth.example.com/activate?code=WDJB-MJHT",
                        expiresAt: fixedNow.addingTimeInterval(899)))))
        try assertSnapshot(view(s), named: "connect_device")
    }

    @Test func settingsHasTheIntegrationsTab() throws {
        var s = try makeState(screen: .settings)
        #expect(press(&s, .char("]"), .char("]")).isEmpty)
        #expect(press(&s, .char("]")) == [IntegrationsScreen.load])
        #expect(s.settingsScreen.tab == .integrations)
        _ = reduce(
            &s,
            .to(
                IntegrationsScreen.self,
                .loaded(
                    [
                        IntegrationCard(
                            provider: "etsy", auth: .pkce,
                            connection: ConnectionInfo(
                                provider: "etsy", state: .notConnected,
                                accountName: nil, expiresAt: nil, lastError: nil), problem: nil, refreshable: false)
                    ], syncAvailable: false)))
        #expect(view(s).text().contains("Etsy"))
        press(&s, .enter)
        guard case .connect(let p)? = s.overlay else {
            Issue.record("no connect prompt")
            return
        }
        #expect(p.provider == "etsy")
    }
}
