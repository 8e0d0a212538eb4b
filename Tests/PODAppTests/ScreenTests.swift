import Foundation
import PODSync
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// Screens rendered to text and compared with the snapshots in `Snapshots/`. Set
/// `PODPUSHER_RECORD_SNAPSHOTS=1` to write them anew after a deliberate change, and review the diff.
func assertSnapshot(_ frame: Frame, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dir = repoRoot.appendingPathComponent("Tests/PODAppTests/Snapshots")
    let url = dir.appendingPathComponent("\(name).txt")
    let text = frame.text() + "\n"
    if ProcessInfo.processInfo.environment["PODPUSHER_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt; record with PODPUSHER_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "snapshot \(name) differs", sourceLocation: sourceLocation)
}

func loadedState(width: Int, height: Int, screen: ScreenID = .dashboard, language: String = "en", noColor: Bool = false) throws -> AppState {
    var s = try makeState(width: width, height: height, language: language, screen: screen, noColor: noColor)
    _ = startEffects(&s)
    _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
    _ = reduce(&s, .to(ListingsScreen.self, .loaded(generation: 0, page: 0, rows: sampleListings(page: 0), total: 250)))
    let trends = sampleDashboard().trending
    _ = reduce(&s, .to(TrendsScreen.self, .loaded(generation: 0, page: 0, rows: trends, total: trends.count)))
    return s
}

@Suite struct ScreenSnapshotTests {
    @Test(arguments: [(80, 24), (120, 40), (40, 12)])
    func dashboard(width: Int, height: Int) throws {
        try assertSnapshot(view(try loadedState(width: width, height: height)), named: "dashboard-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40), (40, 12)])
    func listingsTable(width: Int, height: Int) throws {
        var s = try loadedState(width: width, height: height, screen: .listings)
        press(&s, .char("j"), .char("j"))
        try assertSnapshot(view(s), named: "listings-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func trends(width: Int, height: Int) throws {
        try assertSnapshot(view(try loadedState(width: width, height: height, screen: .trends)), named: "trends-\(width)x\(height)")
    }

    @Test func emptyWorkspaceWithFirstRunOffer() throws {
        var s = try makeState(width: 80, height: 24)
        _ = reduce(&s, .dashboardLoaded(sampleDashboard(empty: true)))
        try assertSnapshot(view(s), named: "first-run-80x24")
    }

    @Test func helpAndPalette() throws {
        var s = try loadedState(width: 80, height: 24)
        press(&s, .char("?"))
        try assertSnapshot(view(s), named: "help-80x24")
        press(&s, .escape, .char(":"), .char("t"), .char("r"))
        try assertSnapshot(view(s), named: "palette-80x24")
    }

    @Test func germanDashboard() throws {
        try assertSnapshot(view(try loadedState(width: 120, height: 40, language: "de")), named: "dashboard-de-120x40")
    }
}

@Suite struct ScreenBehaviourTests {
    @Test func everyScreenRendersAtEverySizeWithoutCrashing() throws {
        for screen in ScreenID.allCases {
            for (w, h) in [(1, 1), (2, 1), (19, 5), (20, 6), (21, 7), (40, 12), (79, 23), (80, 24), (200, 50)] {
                var s = try loadedState(width: w, height: h, screen: screen)
                let f = view(s)
                #expect(f.width == w && f.height == h)
                press(&s, .char("?"))
                _ = view(s)
                press(&s, .escape, .char(":"))
                _ = view(s)
            }
        }
    }

    @Test func tooSmallSaysSo() throws {
        let s = try loadedState(width: 19, height: 5)
        #expect(view(s).text().contains("Terminal too small"))
        #expect(!view(try loadedState(width: 20, height: 6)).text().contains("Terminal too small"))
    }

    @Test func compactLayoutBelow80x24HidesTheSidebar() throws {
        let compact = view(try loadedState(width: 79, height: 24)).text()
        #expect(compact.hasPrefix("PODPusher 1/9 Dashboard"))
        let full = view(try loadedState(width: 80, height: 24)).text()
        #expect(full.contains(" 9 Settings"))
    }

    @Test func demoDataIsLabelled() throws {
        let text = view(try loadedState(width: 120, height: 40)).text()
        #expect(text.contains("DEMO"))
        #expect(text.contains("Volume (est.)"))
        #expect(text.contains("demo data"))
    }

    @Test func noColorKeepsTheSelectionVisibleByAttributes() throws {
        var s = try loadedState(width: 80, height: 24, screen: .listings, noColor: true)
        press(&s, .char("j"))
        let f = view(s)
        var selectedCells = 0
        for y in 0..<f.height {
            for x in 0..<f.width {
                let st = f[x, y].style
                #expect(st.fg == .default && st.bg == .default, "colour at \(x),\(y)")
                if st.attributes.contains(.reverse) && f.line(y).contains("Listing 1 ") { selectedCells += 1 }
            }
        }
        #expect(selectedCells > 0)
        // The selected listing (the second one) has its title drawn reversed.
        let row = (0..<f.height).first { f.line($0).contains("Listing 1 ") }
        let y = try #require(row)
        let title = f.row(y).dropFirst(s.bodyRect.x).prefix("Listing 1".count)
        #expect(title.allSatisfy { $0.style.attributes.contains(.reverse) })
    }

    @Test func everyScreenInEveryLanguageHasNoMissingKey() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for language in Localizer.supported {
            for screen in ScreenID.allCases {
                var s = try loadedState(width: 160, height: 50, screen: screen, language: language)
                var texts = [view(s).text()]
                press(&s, .char("?"))
                texts.append(view(s).text())
                press(&s, .escape, .char(":"))
                texts.append(view(s).text())
                for text in texts {
                    for key in english.keys where text.contains(key) {
                        Issue.record("\(language)/\(screen): the raw key \(key) is shown")
                    }
                }
            }
        }
    }
}

@Suite struct LocaleTests {
    /// Keys made from a value (a queue item's action, a listing's state change, a bulk edit's
    /// kind) exist in every language for every value.
    @Test func everyKeyMadeFromAValueIsThere() throws {
        let keys =
            OutboxOperation.allCases.map { "operation.\($0.rawValue)" }
            + OutboxOperation.allCases.filter { !$0.sendsFields && $0 != .uploadImages && $0 != .updateInventory }
            .map { "listings.change.\($0.rawValue)" } + BulkEdit.Kind.allCases.map { "bulk.kind.\($0.rawValue)" }
            + ListingField.allCases.map { "field.\($0.rawValue)" }
        for language in Localizer.supported {
            let table = try Localizer.table(language: language, from: shipped)
            for key in keys where table[key] == nil { Issue.record("\(language): \(key) is missing") }
        }
    }

    /// No English left in the other languages: a text the same as the English one must be on
    /// the reviewed list of words that are the same there (Niche, Etsy, Halloween, SKU…).
    @Test func noEnglishLeftInTheOtherLanguages() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        let reviewed = try JSONDecoder().decode(
            [String: [String]].self,
            from: Data(contentsOf: repoRoot.appendingPathComponent("Tests/PODAppTests/same-as-english.json")))
        for language in Localizer.supported where language != "en" {
            let table = try Localizer.table(language: language, from: shipped)
            let same = Set(english.keys.filter { table[$0] == english[$0] })
            let allowed = Set(reviewed[language] ?? [])
            for key in same.subtracting(allowed).sorted() { Issue.record("\(language): \(key) is still English: \(english[key] ?? "")") }
        }
    }

    /// Every state the store writes (drafts, listings, outbox) has a name in the locales.
    @Test func everyStoredStateHasAName() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for state in ["draft", "ready", "queued", "pushed", "active", "inactive", "sold_out", "expired"] {
            #expect(english["state.\(state)"] != nil, "\(state)")
        }
        for state in ["pending", "in_flight", "done", "failed", "cancelled"] { #expect(english["outbox.\(state)"] != nil, "\(state)") }
    }

    @Test func everyLocaleHasTheSameKeysAndPlaceholders() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        for language in Localizer.supported where language != "en" {
            let other = try Localizer.table(language: language, from: shipped)
            #expect(Set(other.keys) == Set(english.keys), "\(language): keys differ: \(Set(other.keys).symmetricDifference(english.keys).sorted())")
            for (key, text) in english {
                guard let translated = other[key] else { continue }
                #expect(Localizer.placeholders(in: translated) == Localizer.placeholders(in: text), "\(language): \(key) placeholders")
                #expect(!translated.isEmpty, "\(language): \(key) is empty")
            }
        }
    }

    @Test func everyKeyTheCodeBuildsExists() throws {
        let english = try Localizer.table(language: "en", from: shipped)
        var needed = ScreenID.allCases.map(\.titleKey) + Command.allCases.filter { $0.screen == nil }.map(\.helpKey)
        needed += Keymap.standard.bindings.filter(\.hint).map { "hint.\($0.command)" }
        needed += KeyGroups.all.map { "keys.group.\($0)" } + PlanTier.allCases.map { "plan.\($0.rawValue)" }
        needed += ProviderID.allCases.map { "provider.\($0.rawValue)" } + ListingSort.allCases.map { "sort.\($0.rawValue)" }
        needed += SeasonalCalendar.events.map { "event.\($0.key)" } + SeasonalEvent.Priority.allCases.map { "priority.\($0.name)" }
        needed += ScreenID.allCases.filter { ![.dashboard, .composer, .trends, .connect, .seasonal, .search, .settings, .quotas].contains($0) }.flatMap {
            ["\($0.rawValue).empty", "\($0.rawValue).empty_hint"]
        }
        needed += AuthKind.allCases.map { "connect.auth.\($0.rawValue)" } + Connector.builtIn.map { "provider.\($0)" }
        needed += ProductCategory.allCases.map { "category.\($0.rawValue)" } + ["category.all", "search.kind.all"]
        needed += SearchKind.allCases.flatMap { ["search.kind.\($0.rawValue)", "search.group.\($0.rawValue)"] }
        for key in needed { #expect(english[key] != nil, "missing \(key)") }
        // Each screen's hints: its own wording, or the command's.
        for module in ScreenID.allCases.compactMap(\.module) {
            for c in module.hints {
                #expect(english["hint.\(module.id.rawValue).\(c.rawValue)"] != nil || english["hint.\(c.rawValue)"] != nil, "no hint for \(c) on \(module.id)")
            }
        }
    }

    @Test func languageChoiceOrder() {
        #expect(Localizer.chooseLanguage(flag: "fr", config: "de", environment: ["LANG": "es_ES.UTF-8"]) == "fr")
        #expect(Localizer.chooseLanguage(flag: nil, config: "de", environment: ["LANG": "es_ES.UTF-8"]) == "de")
        #expect(Localizer.chooseLanguage(flag: nil, config: nil, environment: ["LC_ALL": "fr_FR.UTF-8", "LANG": "es_ES"]) == "fr")
        #expect(Localizer.chooseLanguage(flag: nil, config: nil, environment: ["LANG": "de_AT.UTF-8"]) == "de")
        #expect(Localizer.chooseLanguage(flag: nil, config: nil, environment: ["LANG": "C"]) == "en")
        #expect(Localizer.chooseLanguage(flag: nil, config: nil, environment: [:]) == "en")
    }

    @Test func pluralsAndPlaceholders() throws {
        let fr = try Localizer.load(language: "fr", from: shipped)
        #expect(fr.plural("listings.count", count: 1, formatted: "1") == "1 annonce")
        #expect(fr.plural("listings.count", count: 3, formatted: "3") == "3 annonces")
        #expect(fr.t("palette.go", ["screen": "X"]) == "Aller à X")
    }

    /// The trends' "as of" is a day: New York reads the same day as Trends does (it read the
    /// day before, from midnight UTC put in its zone).
    @Test func theDashboardsAsOfDayIsTheSameWestOfUTC() throws {
        var s = try makeState()
        s.formats = Formats(language: "en", currency: "USD", timeZone: TimeZone(identifier: "America/New_York")!)
        _ = reduce(&s, .dashboardLoaded(sampleDashboard()))
        let day = Day.number(fixedNow)
        let text = view(s).text()
        #expect(text.contains("as of \(s.formats.day(day))") && s.formats.day(day) == "Nov 18, 2026", "\(text)")
    }

    /// A provider config.toml adds (`[providers.acme]`) goes by its own name, never a raw key.
    @Test func aDeviceFlowProviderIsNamedNotShownAsAKey() throws {
        let s = try makeState()
        let (text, _) = DashboardScreen.connectionText(
            s, ConnectionInfo(provider: "acme", state: .connected, accountName: "Acme Seller", expiresAt: nil, lastError: nil))
        #expect(text.contains("acme") && !text.contains("provider."), "\(text)")
        #expect(s.strings.provider("etsy") == "Etsy" && s.strings.provider("acme") == "acme")
    }

    /// The rule: numbers follow the interface language, prices the chosen currency, whatever
    /// the marketplace region.
    @Test func aGermanSellerOnTheUSMarketplaceReadsGermanNumbersWithDollarPrices() {
        let de = Formats(language: "de", currency: "USD", timeZone: .gmt)
        #expect(de.integer(1_234_567) == "1.234.567" && de.decimal(0.75) == "0,75")
        #expect(de.price(cents: 123_456) == "1.234,56\u{A0}$")
        let en = Formats(language: "en", currency: "EUR", timeZone: .gmt)
        #expect(en.integer(1_234_567) == "1,234,567" && en.decimal(0.75) == "0.75" && en.price(cents: 123_456) == "€1,234.56")
    }

    /// Counts of one and many in one line: Spanish and French read right with either.
    @Test func theQueueLineAgreesWithAnyCount() throws {
        for language in ["es", "fr"] {
            var s = try makeState(language: language)
            var data = sampleDashboard()
            data.queue = QueueCounts(pending: 1, failed: 1)
            _ = reduce(&s, .dashboardLoaded(data))
            let text = view(s).text()
            #expect(!text.contains("1 pendientes") && !text.contains("1 fallidos") && !text.contains("1 en échec faits"), "\(text)")
            #expect(text.contains(language == "es" ? "pendientes 1" : "en attente 1"), "\(text)")
        }
    }

    @Test func formatsFollowLocaleCurrencyAndZone() {
        let de = Formats(language: "de", currency: "EUR", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(de.price(cents: 123_456) == "1.234,56\u{A0}€")
        #expect(de.integer(1_234_567) == "1.234.567")
        let us = Formats(language: "en", currency: "USD", timeZone: TimeZone(identifier: "America/Los_Angeles")!)
        #expect(us.price(cents: 1999) == "$19.99")
        #expect(us.growth(0.25) == "+25%")
        #expect(us.growth(-0.031) == "-3%")
        // 2026-11-18 02:00 UTC is still the 17th in Los Angeles.
        let d = Date(timeIntervalSince1970: 1_794_967_200)
        #expect(us.date(d) == "Nov 17, 2026")
        let fr = Formats(language: "fr", currency: "EUR", timeZone: TimeZone(identifier: "UTC")!)
        #expect(fr.date(d).contains("nov"))
    }
}
