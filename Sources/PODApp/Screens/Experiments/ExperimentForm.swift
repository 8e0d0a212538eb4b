import Foundation
import PODCore
import TerminalUI

/// A new A/B experiment on a live listing (`T` on the Listings screen): what is tested (title,
/// tags, price, description or first photo), the variants B to D against the listing as it is
/// (A), their weights, when it starts, how long it runs and how long each turn lasts.
public struct ExperimentForm: Sendable, Equatable {
    public enum Row: Int, CaseIterable, Sendable { case kind, b, c, d, weights, start, days, turn }

    public var listingID: Int64
    public var listingTitle: String
    /// The listing as it is here (nil while it loads).
    public var current: ListingDraft?
    public var kind = Experiment.Kind.title
    /// Variants B, C and D as typed; an empty one is left out.
    public var variants = [TextFieldState(), TextFieldState(), TextFieldState()]
    /// The share of turns of A, B, C, D ("2:1": A twice as often as B).
    public var weights = TextFieldState("1:1")
    /// Days until it starts (0: today, A's turn first).
    public var startIn = TextFieldState("0")
    public var days = TextFieldState("14")
    /// Days a turn lasts: views are counted by day, so a turn is whole days.
    public var turnDays = TextFieldState("1")
    public var row = Row.kind
    /// Why the experiment cannot start, in the user's language.
    public var error: String?

    public init(listingID: Int64, listingTitle: String) { (self.listingID, self.listingTitle) = (listingID, listingTitle) }

    /// The tested field's text for a listing.
    static func text(_ kind: Experiment.Kind, of d: ListingDraft, formats: Formats) -> String {
        switch kind {
        case .title: d.title
        case .tags: d.tags.joined(separator: ", ")
        case .price: d.priceCents.map { formats.plainAmount(cents: $0) } ?? ""
        case .description: d.description
        case .photo: d.imageList.enumerated().map { "\($0.offset + 1) " + URL(fileURLWithPath: $0.element).lastPathComponent }.joined(separator: " · ")
        }
    }

    /// A variant from its text (nil when a price does not read as one, or a photo is not one of
    /// the listing's by its number or file name).
    static func variant(_ kind: Experiment.Kind, _ text: String, weight: Int, on listing: ListingDraft, formats: Formats) -> Experiment.Variant? {
        let trimmed = text.trimmingWhitespace()
        switch kind {
        case .photo:
            let photos = listing.imageList
            let path = Int(trimmed).flatMap { photos.element(at: $0 - 1) } ?? photos.first { URL(fileURLWithPath: $0).lastPathComponent == trimmed }
            // That photo first, the others in the listing's order after it.
            return path.map { p in Experiment.Variant(weight: weight, photos: [p] + photos.filter { $0 != p }) }
        case .title: return Experiment.Variant(weight: weight, title: trimmed)
        case .tags: return Experiment.Variant(weight: weight, tags: splitList(trimmed))
        case .price: return formats.parseAmount(trimmed).map { Experiment.Variant(weight: weight, priceCents: $0) }
        case .description: return Experiment.Variant(weight: weight, description: trimmed)
        }
    }

    /// Starts over on `kind`: B holds the listing's value to edit from, C and D are empty.
    mutating func choose(_ kind: Experiment.Kind, formats: Formats) {
        self.kind = kind
        // B starts from A's value to edit; a photo test from the second photo.
        let b = kind == .photo ? ((current?.imageList.count ?? 0) > 1 ? "2" : "") : current.map { Self.text(kind, of: $0, formats: formats) } ?? ""
        variants = [TextFieldState(b), TextFieldState(), TextFieldState()]
        weights = TextFieldState("1:1")
        error = nil
    }

    /// The next (or previous) kind of test.
    mutating func cycleKind(by step: Int, formats: Formats) {
        let kinds = Experiment.Kind.allCases, i = kinds.firstIndex(of: kind) ?? 0
        choose(kinds[(i + step + kinds.count) % kinds.count], formats: formats)
    }

    /// What to start, or the key of why not.
    func experiment(formats: Formats) -> Result<ExperimentPlan, ExperimentFormError> {
        guard let current else { return .failure(.loading) }
        if kind == .price, Experiment.pricedPerVariation(current) { return .failure(.priceVariations) }
        if kind == .photo, current.imageList.count < 2 { return .failure(.photoCount) }
        let typed = variants.map { $0.text.trimmingWhitespace() }.enumerated().filter { !$0.element.isEmpty }
        guard !typed.isEmpty else { return .failure(.noVariant) }
        var weightList = weights.text.split(separator: ":").map { Int($0.trimmingWhitespace()) }
        // All ones ("1:1", "1") is equal turns, however many variants are typed.
        if !weightList.isEmpty, weightList.allSatisfy({ $0 == 1 }) { weightList = Array(repeating: 1, count: typed.count + 1) }
        guard weightList.count == typed.count + 1, weightList.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 9 }) else { return .failure(.weights) }
        guard let startIn = Int(startIn.text.trimmingWhitespace()), (0...60).contains(startIn) else { return .failure(.start) }
        guard let days = Int(days.text.trimmingWhitespace()), (2...90).contains(days) else { return .failure(.days) }
        guard let turn = Int(turnDays.text.trimmingWhitespace()), (1...7).contains(turn), turn * (typed.count + 1) <= days else {
            return .failure(.turn)
        }
        var out: [Experiment.Variant] = []
        let aText = kind == .photo ? "1" : Self.text(kind, of: current, formats: formats)
        guard let a = Self.variant(kind, aText, weight: weightList[0] ?? 1, on: current, formats: formats) else { return .failure(.price) }
        out.append(a)
        for (i, (_, text)) in typed.enumerated() {
            guard let v = Self.variant(kind, text, weight: weightList[i + 1] ?? 1, on: current, formats: formats) else {
                return .failure(kind == .photo ? .photo : .price)
            }
            guard !out.contains(where: { $0.applied(to: current) == v.applied(to: current) }) else { return .failure(.same) }
            out.append(v)
        }
        return .success(ExperimentPlan(listingID: listingID, kind: kind, variants: out, startIn: startIn, days: days, turnDays: turn))
    }
}

/// What the form asks to start; the job gives it its dates.
public struct ExperimentPlan: Sendable, Equatable {
    public var listingID: Int64
    public var kind: Experiment.Kind
    public var variants: [Experiment.Variant]
    /// Days from today (UTC) to the start.
    public var startIn = 0
    public var days: Int
    public var turnDays: Int

    /// The experiment from today (UTC), or `startIn` days later: A's turn first.
    func experiment(now: Date) -> Experiment {
        let start = Calendar.utc.startOfDay(for: now).addingTimeInterval(Double(startIn) * 86_400)
        return Experiment(
            listingID: listingID, kind: kind, variants: variants, start: start, end: start.addingTimeInterval(Double(days) * 86_400),
            slice: Double(turnDays) * 86_400, minimumViews: ExperimentStats.minimumViews(baseline: 0.02, lift: 0.5))
    }
}

enum ExperimentFormError: String, Error {
    case loading, noVariant = "no_variant", weights, start, days, turn, price, same, priceVariations = "price_variations", photo
    case photoCount = "photo_count"
}

extension ExperimentsScreen {
    /// `T` on a live Etsy listing: the form, while the listing's fields load.
    static func openForm(_ s: inout AppState, listingID: Int64, title: String) -> [Effect] {
        s.overlay = .experimentForm(ExperimentForm(listingID: listingID, listingTitle: title))
        return [.job(Self.self, .loadListing(listingID: listingID))]
    }

    static func handleForm(_ s: inout AppState, _ form: ExperimentForm, _ key: Key) -> [Effect] {
        var form = form
        defer { if case .experimentForm? = s.overlay { s.overlay = .experimentForm(form) } }
        let rows = ExperimentForm.Row.allCases
        let command = dialogCommand(s, key, typing: form.row != .kind)
        switch command {
        case .back?:
            s.overlay = nil
        case .focusNext?, .down?, .listNext?:
            form.row = rows[(form.row.rawValue + 1) % rows.count]
        case .focusPrevious?, .up?, .listPrevious?:
            form.row = rows[(form.row.rawValue + rows.count - 1) % rows.count]
        case .left? where form.row == .kind, .right? where form.row == .kind:
            form.cycleKind(by: command == .right ? 1 : -1, formats: s.formats)
        case .select?:
            switch form.experiment(formats: s.formats) {
            case .failure(let error):
                form.error = s.strings.t("experiments.form.error.\(error.rawValue)")
            case .success(let plan):
                // A variant that breaks Etsy's rules cannot start: the first reason, named.
                for (i, v) in plan.variants.enumerated().dropFirst() {
                    guard let current = form.current, let issue = ListingRules.check(v.applied(to: current)).first else { continue }
                    form.error = s.strings.t("experiments.form.error.rules", ["variant": variantName(i), "reason": s.strings.message(for: issue)])
                    return []
                }
                s.overlay = nil
                toast(&s, s.strings.t("experiments.starting"))
                return [.job(Self.self, .start(plan))]
            }
        default:
            if form.row == .kind {
                if key == .char(" ") { form.cycleKind(by: 1, formats: s.formats) }
            } else if let edit = TextFieldState.edit(for: key, keymap: s.keymap) {
                switch form.row {
                case .kind: break
                case .b, .c, .d: form.variants[form.row.rawValue - 1].apply(edit)
                case .weights: form.weights.apply(edit)
                case .start: form.startIn.apply(edit)
                case .days: form.days.apply(edit)
                case .turn: form.turnDays.apply(edit)
                }
                form.error = nil
            }
        }
        return []
    }

    /// "A", "B", "C", "D".
    static func variantName(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + min(max(0, i), 25)))) }

    static func renderForm(_ s: AppState, _ form: ExperimentForm, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let title = t.t("experiments.form.title", ["title": form.listingTitle])
        guard let inner = centredDialog(s, width: 84, height: 13, minWidth: 24, minHeight: 6, title: title, into: &f) else { return }
        let label = min(16, inner.width / 3), field = inner.width - label
        var y = inner.y
        func line(_ row: ExperimentForm.Row?, _ name: String, draw: (Int) -> Void) {
            guard y < inner.maxY - 2 else { return }
            f.put(name, x: inner.x, y: y, style: row == form.row ? th.accent : th.muted, maxWidth: label - 1)
            draw(y)
            y += 1
        }
        line(.kind, t.t("experiments.form.kind")) { y in
            let kinds = Experiment.Kind.allCases.map {
                ($0 == form.kind ? "‹" + t.t("experiments.kind.\($0.rawValue)") + "›" : t.t("experiments.kind.\($0.rawValue)"))
            }
            f.put(kinds.joined(separator: "  "), x: inner.x + label, y: y, style: form.row == .kind ? th.selection : th.base, maxWidth: field)
        }
        guard let current = form.current else {
            f.put(t.t("common.loading"), x: inner.x, y: y + 1, style: th.muted, maxWidth: inner.width)
            return
        }
        line(nil, "A · " + t.t("experiments.form.now")) { y in
            f.put(ExperimentForm.text(form.kind, of: current, formats: s.formats), x: inner.x + label, y: y, style: th.base, maxWidth: field)
        }
        for (i, row) in [ExperimentForm.Row.b, .c, .d].enumerated() {
            line(row, variantName(i + 1) + (i == 0 ? "" : " · " + t.t("experiments.form.optional"))) { y in
                form.variants[i].render(into: &f, x: inner.x + label, y: y, width: field, style: th.input, focused: form.row == row)
            }
        }
        line(.weights, t.t("experiments.form.weights")) { y in
            form.weights.render(into: &f, x: inner.x + label, y: y, width: min(field, 12), style: th.input, focused: form.row == .weights)
            f.put(t.t("experiments.form.weights_hint"), x: inner.x + label + 13, y: y, style: th.muted, maxWidth: max(0, field - 13))
        }
        line(.start, t.t("experiments.form.start")) { y in
            form.startIn.render(into: &f, x: inner.x + label, y: y, width: min(field, 6), style: th.input, focused: form.row == .start)
            f.put(t.t("experiments.form.start_hint"), x: inner.x + label + 7, y: y, style: th.muted, maxWidth: max(0, field - 7))
        }
        line(.days, t.t("experiments.form.days")) { y in
            form.days.render(into: &f, x: inner.x + label, y: y, width: min(field, 6), style: th.input, focused: form.row == .days)
        }
        line(.turn, t.t("experiments.form.turn")) { y in
            form.turnDays.render(into: &f, x: inner.x + label, y: y, width: min(field, 6), style: th.input, focused: form.row == .turn)
            f.put(t.t("experiments.form.turn_hint"), x: inner.x + label + 7, y: y, style: th.muted, maxWidth: max(0, field - 7))
        }
        if let error = form.error {
            f.put(error, x: inner.x, y: inner.maxY - 2, style: th.danger, maxWidth: inner.width)
        }
        f.put(keyLine(s, [.focusNext, .select, .back], scope: "experiment_form"), x: inner.x, y: inner.maxY - 1, style: th.muted, maxWidth: inner.width)
    }
}
