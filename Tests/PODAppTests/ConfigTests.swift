import Foundation
import TerminalUI
import Testing

@testable import PODApp

@Suite struct ConfigTests {
    /// Inputs the TOML library underneath stops the program on (found by `make fuzz`, kept in
    /// Tests/Fuzz/crashers/config): a clear error naming the line instead.
    @Test func whatTheTOMLParserWouldAbortOnIsAnErrorNamingTheLine() {
        for (text, line, words) in [
            ("[\n[providers.x]\n", 1, "table header"), ("[ui]\n[\u{FFFD}i]\n", 2, "table header"),
            ("[ui]\nlocal\u{E9} = \"de\"\n", 2, "other than ASCII"), ("[trends]\nregions = [\"US\", }\"\n", 2, "'}'"),
            ("[trends]\nregions = [\n  \"US\",\n  }\n]\n", 4, "'}'"),
            ("[ui]\nx = 2026-11-27 1 \n", 2, "date and time"), ("[ui]\nx = [2026-11-27 1]\n", 2, "date and time"),
            ("x = 2026-ea-27 1 \n", 1, "date and time"),
        ] {
            #expect(throws: ConfigError.self) { try AppConfig.parse(text, file: "c.toml") }
            do { _ = try AppConfig.parse(text, file: "c.toml") } catch {
                #expect(error.line == line && error.message.contains(words), "\(text.debugDescription): \(error)")
            }
        }
        // What is allowed stays allowed: other scripts in strings and comments, nested arrays,
        // quoted table names, inline tables.
        #expect(throws: Never.self) {
            try AppConfig.parse(
                "# café\n[ui]\ntheme = \"thème\" # é\n[composer]\nrisky_terms = [\n  \"é\", # x\n  \"b\",\n]\n[providers.\"x y\"]\nk = \"\"\"\nmulti é\n\"\"\"\n",
                file: "c.toml")
        }
    }

    @Test func numbersFromTheConfigAreCheckedAndNamed() {
        for (text, words) in [
            ("[trends]\nauto_refresh_hours = inf\n", "auto_refresh_hours"), ("[trends]\nauto_refresh_hours = -1\n", "auto_refresh_hours"),
            ("[trends]\nauto_refresh_hours = nan\n", "auto_refresh_hours"), ("[network]\nallow_insecure_http = 1\n", "true or false"),
        ] {
            do {
                _ = try AppConfig.parse(text, file: "c.toml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == 2 && error.message.contains(words), "\(error)")
            }
        }
        #expect((try? AppConfig.parse("[network]\nallow_insecure_http = true\n", file: "c.toml"))?.allowInsecureHTTP == true)
        var c = AppConfig()
        c.applyEnvironment(["PODPUSHER_ALLOW_INSECURE_HTTP": "1"])
        #expect(c.allowInsecureHTTP)
    }

    @Test func aFullConfigParses() throws {
        let c = try AppConfig.parse(
            """
            [ui]
            locale = "de"
            theme = "light"
            currency = "eur"
            time_zone = "Europe/Berlin"
            region = "de"

            [plan]
            tier = "starter"

            [keys]
            quit = ["q", "ctrl-q"]
            help = "f1"

            [providers.etsy]
            client_id = "abc"
            redirect_port = 3003

            [composer]
            risky_terms = ["acme", "super bowl"]
            """, file: "config.toml")
        #expect(c.riskyTerms == ["acme", "super bowl"])
        #expect(c.locale == "de" && c.theme == "light" && c.currency == "EUR" && c.region == "DE")
        #expect(c.plan == .starter)
        #expect(c.keys["quit"] == ["q", "ctrl-q"] && c.keys["help"] == ["f1"])
        #expect(c.providers["etsy"]?["redirect_port"] == "3003")
    }

    @Test func brokenTomlNamesTheLine() {
        #expect(throws: ConfigError.self) { try AppConfig.parse("[ui]\nlocale = \"de\"\ntheme = \n", file: "c.toml") }
        do {
            _ = try AppConfig.parse("[ui]\nlocale = \"de\"\ntheme = \n", file: "c.toml")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("c.toml:3:"))
        }
    }

    /// `[fees]`: Etsy's US schedule unless given; amounts and percentages checked.
    @Test func theFeeTableIsReadAndChecked() throws {
        #expect(try AppConfig.parse("", file: "c.toml").fees == .etsyUS)
        let c = try AppConfig.parse("[fees]\nlisting_fee = 0.2\ntransaction_percent = 6.5\noffsite_ads_percent = 12\n", file: "c.toml")
        #expect(c.fees.listingFeeCents == 20 && c.fees.transactionRate == 0.065 && c.fees.offsiteAdsRate == 0.12)
        #expect(c.fees.processingRate == 0.03 && c.fees.processingFixedCents == 25, "what is not given stays Etsy's")
        do {
            _ = try AppConfig.parse("[fees]\n\ntransaction_percent = 650\n", file: "c.toml")
            Issue.record("accepted 650 %")
        } catch {
            #expect(error.line == 3 && error.message == "fees.transaction_percent must be a number from 0 to 100")
        }
        #expect(throws: ConfigError.self) { try AppConfig.parse("[fees]\nvat = 20\n", file: "c.toml") }
        #expect(throws: ConfigError.self) { try AppConfig.parse("[fees]\nlisting_fee = \"free\"\n", file: "c.toml") }
    }

    @Test func composerSectionIsChecked() {
        do {
            _ = try AppConfig.parse("[composer]\nrisky_terms = [1, 2]\n", file: "c.toml")
            Issue.record("accepted numbers as terms")
        } catch {
            #expect(error.line == 2 && error.message == "composer.risky_terms must be a string or a list of strings")
        }
        #expect(throws: ConfigError.self) { try AppConfig.parse("[composer]\ncolour = \"red\"\n", file: "c.toml") }
    }

    @Test func badValuesNameTheirLine() {
        let cases: [(String, Int)] = [
            ("[ui]\nlocale = \"xx\"\n", 2),
            ("\n[ui]\ncurrency = \"dollars\"\n", 3),
            ("[ui]\ntime_zone = \"Mars/Olympus\"\n", 2),
            ("[ui]\ncolour = \"red\"\n", 2),
            ("[plan]\ntier = \"gold\"\n", 2),
            ("[keys]\nquit = 3\n", 2),
            ("[weird]\nx = 1\n", 1),
        ]
        for (text, line) in cases {
            do {
                _ = try AppConfig.parse(text, file: "c.toml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line, "\(text)")
            }
        }
    }

    @Test func environmentOverridesProviderKeys() throws {
        let dir = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/config.toml"
        try "[providers.etsy]\napi_base_url = \"https://openapi.etsy.com/v3/application\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let c = try AppConfig.load(path: path, environment: ["PODPUSHER_ETSY_API_BASE_URL": "http://127.0.0.1:9999"])
        #expect(c.providers["etsy"]?["api_base_url"] == "http://127.0.0.1:9999")
        let missing = try AppConfig.load(path: dir + "/none.toml", environment: ["PODPUSHER_PRINTIFY_API_BASE_URL": "http://x"])
        #expect(missing.providers["printify"]?["api_base_url"] == "http://x")
    }
}

@Suite struct ThemeTests {
    @Test(arguments: ThemeLoader.builtIn)
    func shippedThemesLoad(name: String) throws {
        let t = try ThemeLoader.load(name: name, userDirectory: nil, shipped: shipped)
        // Selection and focus never by colour alone.
        #expect(!t.selection.attributes.isEmpty)
        #expect(!t.sidebarSelected.attributes.isEmpty)
    }

    @Test func darkIsOrange() throws {
        let t = try ThemeLoader.load(name: "dark", userDirectory: nil, shipped: shipped)
        #expect(t.accent.fg == .rgb(0xFF, 0x7A, 0x1A))
    }

    @Test func monochromeHasNoColour() throws {
        let t = try ThemeLoader.load(name: "monochrome", userDirectory: nil, shipped: shipped)
        for s in [t.base, t.selection, t.accent, t.statusBar] { #expect(s.fg == .default && s.bg == .default) }
    }

    @Test func brokenThemeNamesFileAndLine() {
        let bad: [(String, Int?)] = [
            ("name = \"x\"\n[roles.base]\nfg = \"#12\"\n", 3),
            ("[roles.base]\nfg = \"red\"\n[roles.nope]\nfg = \"red\"\n", 3),
            ("[roles.base]\nattrs = [\"blink\"]\n", 2),
            ("[roles.base\n", 1),
            ("name = \"x\"\n", nil),
        ]
        for (text, line) in bad {
            do {
                _ = try ThemeLoader.parse(text, file: "/home/u/.config/podpusher/themes/mine.toml", fallbackName: "mine")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.file.hasSuffix("mine.toml"))
                #expect(error.line == line, "\(text)")
            }
        }
    }

    @Test func userThemesComeFirst() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "name = \"Mine\"\n[roles.base]\nfg = \"#010203\"\n[roles.selection]\nattrs = [\"reverse\"]\n".write(
            to: dir.appendingPathComponent("dark.toml"), atomically: true, encoding: .utf8)
        let t = try ThemeLoader.load(name: "dark", userDirectory: dir, shipped: shipped)
        #expect(t.name == "Mine")
        #expect(throws: ConfigError.self) { try ThemeLoader.load(name: "nonexistent", userDirectory: dir, shipped: shipped) }
    }
}

@Suite struct ShippedResourcesTests {
    /// `tools/embed-resources` (`make resources`) was run after the last change to Locales/ or
    /// Themes/: the binary carries the same files.
    @Test func theBuiltInCopiesAreTheShippedFiles() throws {
        for folder in ["Locales", "Themes"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appendingPathComponent(folder).path).sorted()
            for name in names {
                let onDisk = try String(contentsOf: repoRoot.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
                #expect(BuiltInResources.files["\(folder)/\(name)"] == onDisk, "\(folder)/\(name) differs: run make resources")
            }
            #expect(BuiltInResources.files.keys.filter { $0.hasPrefix(folder + "/") }.count == names.count)
        }
    }

    @Test func everyLanguageAndThemeLoadsFromTheBuiltInCopies() throws {
        for language in Localizer.supported {
            #expect(try Localizer.load(language: language, from: .builtIn).language == language)
        }
        for name in ThemeLoader.builtIn { _ = try ThemeLoader.load(name: name, userDirectory: nil, shipped: .builtIn) }
        #expect(throws: ConfigError.self) { try ThemeLoader.load(name: "nope", userDirectory: nil, shipped: .builtIn) }
    }
}
