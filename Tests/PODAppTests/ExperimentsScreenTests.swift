import Foundation
import PODStore
import TerminalUI
import Testing

@testable import PODApp
@testable import PODCore

/// The Experiments screen: each variant's figures in its own turns, the tests, whether it is
/// early, the actions; and a title test started from the Listings screen.
@Suite struct ExperimentsScreenTests {
    static let day: TimeInterval = 86_400

    /// Two titles over 14 days from `fixedNow − 14 days`: A 21 orders in 7,000 views, B 35.
    static func overview(ended: Bool) -> ExperimentOverview {
        let start = fixedNow - 14 * day
        var e = Experiment(
            listingID: 1, kind: .title, variants: [.init(title: "Retro Cat Mug"), .init(title: "Cat Lover Mug")], start: start,
            end: ended ? fixedNow : fixedNow + 14 * day, minimumViews: 2_518)
        e.id = 9
        var a = VariantResult(), b = VariantResult()
        (a.days, a.views, a.orders, a.revenueCents) = (7, 7_000, 21, 52_500)
        (b.days, b.views, b.orders, b.revenueCents) = (7, 7_000, 35, 87_500)
        return ExperimentOverview(experiment: e, listingTitle: "Retro Cat Mug", results: [a, b])
    }

    func loaded(ended: Bool) throws -> AppState {
        var s = try makeState(screen: .experiments)
        #expect(reduce(&s, .go(.experiments)) == [.job(ExperimentsScreen.self, .load)])
        _ = reduce(&s, .to(ExperimentsScreen.self, .loaded([Self.overview(ended: ended)], asOf: fixedNow)))
        return s
    }

    @Test func theVariantsFiguresAndTheTestsAreShownAndSaidEarlyBeforeTheEnd() throws {
        var text = view(try loaded(ended: false)).text()
        #expect(text.contains("Retro Cat Mug") && text.contains("Cat Lover Mug") && text.contains("0.3%") && text.contains("0.5%"))
        // 21/7,000 against 35/7,000: z = 1.87, p = 0.061 (ExperimentStatsTests has it by hand).
        #expect(text.contains("Conversion B − A: 0.20 % (95 % interval -0.01 % to 0.41 %), z = 1.87, p = 0.061"), "\(text)")
        #expect(text.contains("Views a day B − A: 0.00, p = 1.000"))
        #expect(text.contains("Early — not significant yet · declared minimum 2,518 views a variant"))
        text = view(try loaded(ended: true)).text()
        #expect(text.contains("Not significant at 5 %"))
        var empty = try makeState(screen: .experiments)
        _ = reduce(&empty, .to(ExperimentsScreen.self, .loaded([], asOf: fixedNow)))
        #expect(view(empty).text().contains("press T to test another title"))
    }

    @Test func pauseEndAndPushTheLeaderAreJobs() throws {
        var s = try loaded(ended: false)
        #expect(press(&s, .char("p")) == [.job(ExperimentsScreen.self, .setStatus(id: 9, .paused))])
        #expect(press(&s, .char("x")) == [.job(ExperimentsScreen.self, .setStatus(id: 9, .ended))])
        #expect(press(&s, .char("A")) == [.job(ExperimentsScreen.self, .pushWinner(id: 9, variant: 1))], "B converts best")
    }

    /// `T` opens the form on the listing as it is; B starts from its title.
    func openForm(_ p: Program) throws -> ExperimentForm? {
        p.start()
        p.settle()
        if case .firstRun = p.state.overlay { p.send(.key(.escape)) }
        p.send(.key(.char("T")))
        p.settle()
        guard case .experimentForm(let form)? = p.state.overlay else {
            Issue.record("no form: \(view(p.state).text())")
            return nil
        }
        return form
    }

    func type(_ p: Program, _ text: String) {
        p.send(.key(.ctrl("u")))
        for c in text { p.send(.key(.char(c))) }
    }

    @Test func aTitleTestIsStartedFromTheListingsAndTakesItsTurns() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("experiments", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Program(state: try makeState(width: 120, screen: .listings)) { EffectRunner(store: store, calendar: .current, send: $0) }
        let form = try #require(try openForm(p))
        #expect(form.kind == .title && form.variants[0].text == complete(ListingDraft()).title)
        let text = view(p.state).text()
        #expect(text.contains("New A/B test") && text.contains("‹title›") && text.contains("A · now"), "\(text)")
        p.send(.key(.tab))
        type(p, "Cat Lover Mug, Retro Cat Gift")
        p.send(.key(.enter))
        p.settle()
        #expect(p.state.screen == .experiments)
        let started = try #require(try store.experiments().first)
        #expect(started.variants.map(\.title) == [complete(ListingDraft()).title, "Cat Lover Mug, Retro Cat Gift"] && started.sliceCount == 14)
        #expect(view(p.state).text().contains("Cat Lover Mug, Retro Cat Gift"))
        // A second one on the same listing is refused, and says why.
        #expect(throws: ExperimentRefusal.alreadyRunning) { try store.startExperiment(started, now: now) }
    }

    /// A price test of A at two turns to B's one, from tomorrow, over 12 days in turns of 2 days.
    @Test func aPriceTestHasItsWeightsDaysAndTurns() throws {
        let now = Date()
        let (store, dir) = try storeWithEtsyListing("price-test", now: now)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Program(state: try makeState(width: 120, screen: .listings)) { EffectRunner(store: store, calendar: .current, send: $0) }
        _ = try #require(try openForm(p))
        for _ in 0..<2 { p.send(.key(.right)) }  // title → tags → price
        guard case .experimentForm(let form)? = p.state.overlay else { return }
        #expect(form.kind == .price && form.variants[0].text == "19.99")
        p.send(.key(.tab))
        type(p, "24.99")
        for _ in 0..<3 { p.send(.key(.tab)) }  // C, D, the weights
        type(p, "2:1")
        p.send(.key(.tab))
        type(p, "1")  // from tomorrow
        p.send(.key(.tab))
        type(p, "12")
        p.send(.key(.tab))
        type(p, "2")
        p.send(.key(.enter))
        p.settle()
        let started = try #require(try store.experiments().first)
        #expect(started.kind == .price && started.variants.map(\.priceCents) == [1_999, 2_499] && started.variants.map(\.weight) == [2, 1])
        #expect(started.slice == 2 * 86_400 && started.sliceCount == 6 && started.order == [0, 0, 1, 1, 0, 0])
        #expect(started.start == Calendar.utc.startOfDay(for: now).addingTimeInterval(86_400))
    }

    /// What cannot start says why in the form, and nothing is started.
    @Test func aFormThatCannotStartSaysWhy() throws {
        var s = try makeState(width: 120, screen: .listings)
        var form = ExperimentForm(listingID: 1, listingTitle: "Moon Mug")
        form.current = complete(ListingDraft())
        form.choose(.tags, formats: s.formats)
        s.overlay = .experimentForm(form)
        func error(after keys: Key...) -> String? {
            for key in keys { _ = reduce(&s, .key(key)) }
            guard case .experimentForm(let f)? = s.overlay else { return nil }
            return f.error
        }
        // Weights left at 1:1 are equal turns for however many variants are typed.
        var three = form
        (three.variants[0], three.variants[1]) = (TextFieldState("moon mug"), TextFieldState("star mug"))
        #expect((try? three.experiment(formats: s.formats).get())?.variants.map(\.weight) == [1, 1, 1])
        // B the same as A.
        #expect(error(after: .enter) == "Two variants are the same: each must differ from A and from the others.")
        // B with a tag Etsy refuses (longer than 20 characters).
        _ = reduce(&s, .key(.tab))
        _ = reduce(&s, .key(.ctrl("u")))
        for c in "cat mug, a tag far longer than twenty" { _ = reduce(&s, .key(.char(c))) }
        #expect(error(after: .enter)?.hasPrefix("Variant B breaks Etsy's rules:") == true)
        // Weights that do not match the variants typed.
        _ = reduce(&s, .key(.ctrl("u")))
        for c in "cat mug, moon mug" { _ = reduce(&s, .key(.char(c))) }
        for _ in 0..<3 { _ = reduce(&s, .key(.tab)) }
        _ = reduce(&s, .key(.ctrl("u")))
        for c in "2:1:1" { _ = reduce(&s, .key(.char(c))) }
        #expect(error(after: .enter)?.hasPrefix("Weights:") == true)
        #expect(view(s).text().contains("Weights: one whole number"))
        // A priced per variation cannot test one price.
        form.current?.variations = Variations(
            properties: [.init(id: 1, name: "Size", values: ["S", "M"])], combinations: [.init(values: ["S"], priceCents: 1_500)])
        form.choose(.price, formats: s.formats)
        form.variants[0] = TextFieldState("21.00")
        s.overlay = .experimentForm(form)
        #expect(error(after: .enter)?.hasPrefix("This listing is priced per variation") == true)
        #expect(error(after: .escape) == nil && s.overlay == nil)
    }

    /// The form in every language has no raw key, and a tiny terminal draws what fits.
    @Test func theFormInEveryLanguageAndATinyTerminal() throws {
        for language in Localizer.supported {
            var s = try makeState(width: 120, height: 30, language: language, screen: .listings)
            var form = ExperimentForm(listingID: 1, listingTitle: "Moon Mug")
            form.current = complete(ListingDraft())
            form.choose(.description, formats: s.formats)
            form.error = s.strings.t("experiments.form.error.turn")
            s.overlay = .experimentForm(form)
            let text = view(s).text()
            #expect(!text.contains("experiments.form") && !text.contains("hint.experiment_form"), "\(language): \(text)")
            #expect(text.contains("A mug."), "\(language): A's description")
        }
        var tiny = try makeState(width: 20, height: 6, screen: .listings)
        tiny.overlay = .experimentForm(ExperimentForm(listingID: 1, listingTitle: "Moon Mug"))
        _ = view(tiny)
    }

    /// A revision an experiment kept says so in the composer's revisions.
    @Test func aRevisionKeptByAnExperimentSaysWhy() throws {
        let s = try makeState(screen: .composer)
        #expect(revisionNote(s.strings, "experiment-3-slice-4") == "  · before an A/B turn")
        #expect(revisionNote(s.strings, "experiment-3-winner") == "  · before the A/B winner")
        #expect(revisionNote(s.strings, "experiment-3-end") == "  · before the A/B test ended")
        #expect(revisionNote(s.strings, "") == "" && revisionNote(s.strings, "conflict: saved in another terminal meanwhile") == "")
    }

    /// A photo test: A lists the listing's photos by number, B is the number of the one shown
    /// first; a listing with one photo cannot test it.
    @Test func aPhotoTestChoosesThePhotoShownFirst() throws {
        var s = try makeState(width: 120, screen: .listings)
        var form = ExperimentForm(listingID: 1, listingTitle: "Moon Mug")
        form.current = complete(ListingDraft())
        form.current?.images = ["/p/front.png", "/p/side.png", "/p/back.png"]
        form.choose(.photo, formats: s.formats)
        #expect(form.variants[0].text == "2")
        s.overlay = .experimentForm(form)
        #expect(view(s).text().contains("1 front.png · 2 side.png · 3 back.png"))
        let plan = try #require(try? form.experiment(formats: s.formats).get())
        #expect(plan.variants.map(\.photos) == [["/p/front.png", "/p/side.png", "/p/back.png"], ["/p/side.png", "/p/front.png", "/p/back.png"]])
        form.variants[0] = TextFieldState("back.png")
        #expect((try? form.experiment(formats: s.formats).get())?.variants.last?.photos?.first == "/p/back.png", "by its file name too")
        form.variants[0] = TextFieldState("9")
        #expect(throws: ExperimentFormError.photo) { try form.experiment(formats: s.formats).get() }
        form.current?.images = ["/p/front.png"]
        #expect(throws: ExperimentFormError.photoCount) { try form.experiment(formats: s.formats).get() }
    }
}
