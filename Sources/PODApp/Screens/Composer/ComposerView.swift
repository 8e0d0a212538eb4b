import Foundation
import PODCore
import PODStore
import TerminalUI

extension ComposerScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        guard rect.height >= 3 else { return }
        if let e = s.composer.editor {
            renderEditor(s, e, into: &f, rect: rect)
        } else {
            renderDrafts(s, into: &f, rect: rect)
        }
    }

    // MARK: The drafts list

    static func renderDrafts(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, fm = s.formats
        let d = s.composer.drafts
        let count = countLabel(s, "composer.count", d.rows)
        guard
            let tableRect = filteredTableBody(
                s, d, hint: t.t("composer.filter_hint"),
                right: count + " · " + t.t("listings.sorted_by", ["order": t.t("sort.\(d.sort.rawValue)")]),
                empty: [t.t("composer.empty"), t.t("composer.empty_hint")],
                noMatch: t.t("composer.no_match", ["filter": d.filter.text]), into: &f, rect: rect)
        else { return }
        let columns = [
            TableColumn(t.t("column.title"), .flex(1)), TableColumn(t.t("column.state"), .fixed(10), dropOrder: 2),
            TableColumn(t.t("column.updated"), .fixed(14), alignRight: true, dropOrder: 1),
        ]
        var table = d.rows.table
        (table.sortColumn, table.ascending) = d.sort == .title ? (0, true) : (2, false)
        TableView.render(
            into: &f, rect: tableRect, columns: columns, state: table,
            styles: s.tableStyles,
            focused: s.focus == .content && !d.filtering
        ) { i in
            guard let r = d.rows.row(i) else { return nil }
            let title = r.title.isEmpty ? t.t("composer.untitled") : r.title
            return [(r.isDemo ? "[\(t.t("common.demo"))] " : "") + title, t.t("state.\(r.state)"), fm.date(r.updatedAt)]
        }
    }

    // MARK: The editor

    static func renderEditor(_ s: AppState, _ e: EditorState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        let issues = ListingRules.check(e.draft)
        let score = SEOScore(e.draft)
        // Line 1: which draft, whether it is saved, the SEO score.
        let name = e.draft.id.map { t.t("composer.draft_number", ["id": String($0)]) } ?? t.t("composer.new_draft")
        let saved = e.dirty ? t.t("composer.unsaved") : (e.savedAt.map { t.t("composer.saved_at", ["time": s.formats.time($0)]) } ?? t.t("composer.saved"))
        let lw = f.put(name + " · ", x: rect.x + 1, y: rect.y, style: th.title)
        let sw = f.put(saved, x: rect.x + 1 + lw, y: rect.y, style: e.dirty ? th.warning : th.muted, maxWidth: rect.width - lw - 2)
        if let status = e.providerStatus.map({ providerStatusText(s, $0) }), rect.width > lw + sw + 30 {
            f.put(" · " + status.text, x: rect.x + 1 + lw + sw, y: rect.y, style: status.alert ? th.warning : th.muted, maxWidth: rect.width - lw - sw - 24)
        }
        let seo = t.t("composer.seo", ["score": String(score.total)])
        if rect.width > lw + saved.displayWidth + seo.displayWidth + 4 {
            f.put(seo, x: rect.maxX - seo.displayWidth - 1, y: rect.y, style: score.total >= 80 ? th.success : (score.total >= 50 ? th.warning : th.danger))
        }
        // Line 2: the steps, the current one highlighted, a mark on those with broken rules.
        let steps = ComposerStep.allCases.map { step -> (step: ComposerStep, broken: Bool, full: String) in
            let fields = Set(step.fields.compactMap(\.ruleField))
            let broken = step != .review && issues.contains { fields.contains($0.field) }
            return (step, broken, " \(step.rawValue + 1) \(t.t(step.titleKey))\(broken ? " !" : "") ")
        }
        // When the names do not all fit, the other steps show their number only.
        let fits = steps.reduce(0) { $0 + $1.full.displayWidth } <= rect.width - 2
        var x = rect.x + 1
        for (step, broken, full) in steps {
            let label = fits || step == e.step ? full : " \(step.rawValue + 1)\(broken ? "!" : "") "
            guard x + label.displayWidth <= rect.maxX else { break }
            x += f.put(label, x: x, y: rect.y + 1, style: step == e.step ? th.selection : (broken ? th.warning : th.muted))
        }
        let body = Rect(x: rect.x, y: rect.y + 3, width: rect.width, height: rect.height - 3)
        guard body.height > 0 else { return }
        if e.step == .review {
            renderReview(s, e, issues: issues, score: score, into: &f, rect: body)
            return
        }
        // The panel (rules, suggestions, SEO) sits on the right when there is room for both,
        // else below the fields.
        let panelRight = body.width >= 100
        let panelWidth = panelRight ? min(50, body.width * 2 / 5) : 0
        let left = Rect(x: body.x + 1, y: body.y, width: body.width - panelWidth - 3, height: body.height)
        let used = renderFields(s, e, issues: issues, into: &f, rect: left)
        let stepFields = Set(e.step.fields.compactMap(\.ruleField))
        let stepIssues = issues.filter { stepFields.contains($0.field) }
        let panel =
            panelRight
            ? Rect(x: body.maxX - panelWidth - 1, y: body.y, width: panelWidth, height: body.height)
            : Rect(x: left.x, y: left.y + used + 1, width: left.width, height: left.height - used - 1)
        renderPanel(s, e, stepIssues: stepIssues, score: score, into: &f, rect: panel)
    }

    /// The step's fields, one line each (the description takes what is left); returns the lines used.
    static func renderFields(_ s: AppState, _ e: EditorState, issues: [RuleIssue], into f: inout Frame, rect: Rect) -> Int {
        let t = s.strings, th = s.theme
        let labelWidth = min(e.step.fields.map { t.t($0.labelKey).displayWidth + 2 }.max() ?? 0, max(8, rect.width / 3))
        let inputX = rect.x + labelWidth
        let inputWidth = max(1, rect.width - labelWidth - 8)
        var y = rect.y
        for (i, field) in e.step.fields.enumerated() where y < rect.maxY {
            let focused = i == e.fieldIndex
            let broken = field.ruleField.map { rf in issues.contains { $0.field == rf } } ?? false
            f.put(t.t(field.labelKey), x: rect.x, y: y, style: focused ? th.accent.with(.bold) : (broken ? th.warning : th.muted), maxWidth: labelWidth - 1)
            if field == .description {
                // At most 14 lines, so the rules and the score keep room below on a narrow screen.
                let area = Rect(x: rect.x, y: y + 1, width: rect.width, height: max(1, min(14, rect.maxY - y - 2)))
                e.description.render(into: &f, rect: area, style: th.input, focused: focused)
                counter(s, "\(e.description.characterCount)", x: rect.maxX, y: y, into: &f)
                return area.maxY - rect.y
            }
            if field == .variations || field == .product {
                let summary = field == .variations ? variationsSummary(s, e.draft) : productSummary(s, e.draft)
                f.put(summary, x: inputX, y: y, style: focused ? th.selection : th.input, maxWidth: inputWidth)
            } else if field.choices != nil {
                let value = e.choice(field)
                // A value from elsewhere (a file, an older list of Etsy's) shows as it is, for the rules to flag.
                let key = "choice.\(field.rawValue).\(value)"
                let shown = value.isEmpty ? t.t("composer.choose") : t.has(key) ? t.t(key) : value
                f.putPadded("‹ " + shown + " ›", x: inputX, y: y, width: min(inputWidth, 30), style: focused ? th.selection : th.input)
            } else if let input = e.inputs[field] {
                let picked = field.pickerPurpose != nil
                let width = picked ? min(inputWidth, 12) : inputWidth
                input.render(
                    into: &f, x: inputX, y: y, width: width, style: th.input,
                    placeholder: focused ? "" : t.t("placeholder.\(field.rawValue)"), placeholderStyle: th.muted, focused: focused)
                switch field {
                case .title:
                    counter(
                        s, "\(e.draft.title.count)/\(ListingRules.titleMax)", over: e.draft.title.count > ListingRules.titleMax, x: rect.maxX, y: y, into: &f)
                case .brandRules: counter(s, "\(e.draft.brandRules.count)/\(ListingRules.brandRulesMax)", x: rect.maxX, y: y, into: &f)
                case .tags:
                    counter(s, "\(e.draft.tags.count)/\(ListingRules.tagsMax)", over: e.draft.tags.count > ListingRules.tagsMax, x: rect.maxX, y: y, into: &f)
                case .price: f.put(s.formats.currency, x: inputX + inputWidth + 1, y: y, style: th.muted)
                case .taxonomyID, .shippingProfileID, .shopSectionID, .returnPolicyID:
                    f.put(
                        e.labels[field].map { shopChoiceText(s, field == .returnPolicyID ? .returnPolicy : nil, $0) }
                            ?? (focused ? t.t("composer.pick_hint") : ""), x: inputX + width + 2, y: y,
                        style: e.labels[field] == nil ? th.muted : th.base, maxWidth: rect.maxX - inputX - width - 2)
                default: break
                }
            }
            y += 1
            if field == .tags || field == .keywords {
                // Each item on its own line with its own verdict.
                let items = field == .tags ? e.draft.tags : e.draft.keywords
                for (n, item) in items.enumerated() where y < rect.maxY {
                    let own = field == .tags ? ListingRules.checkTag(item) : []
                    let dup = items.prefix(n).contains { $0.lowercased() == item.lowercased() }
                    let mark = own.isEmpty && !dup ? "✓" : "✗"
                    let note =
                        dup
                        ? t.t("composer.duplicate", ["value": item])
                        : own.first.map { t.t("rule.\($0.code)", $0.args.merging(["field": t.t("field.tags")]) { a, _ in a }) } ?? ""
                    f.put(String(format: "%2d ", n + 1) + mark + " " + item, x: inputX, y: y, style: mark == "✓" ? th.base : th.danger, maxWidth: inputWidth)
                    if !note.isEmpty, rect.width > labelWidth + item.displayWidth + 12 {
                        f.put(note, x: inputX + item.displayWidth + 8, y: y, style: th.danger, maxWidth: rect.maxX - inputX - item.displayWidth - 8)
                    }
                    y += 1
                }
            }
        }
        if e.aiRequest != nil, y + 1 < rect.maxY {
            f.put(t.t("composer.ai_writing"), x: rect.x, y: y + 1, style: th.accent, maxWidth: rect.width)
            y += 2
        } else if e.step == .product || e.step == .title || e.step == .tags, y + 1 < rect.maxY {
            let hint =
                e.step == .product
                ? t.t("composer.autofill_hint")
                : t.t("composer.regenerate_hint") + (e.step == .tags ? " · " + t.t("composer.move_hint") : "")
            f.put(hint, x: rect.x, y: y + 1, style: th.muted, maxWidth: rect.width)
            y += 2
        }
        return y - rect.y
    }

    static func counter(_ s: AppState, _ text: String, over: Bool = false, x: Int, y: Int, into f: inout Frame) {
        f.put(text, x: x - text.displayWidth, y: y, style: over ? s.theme.danger : s.theme.muted)
    }

    /// The right-hand panel: this step's broken rules, suggestions where they help, the SEO parts.
    static func renderPanel(_ s: AppState, _ e: EditorState, stepIssues: [RuleIssue], score: SEOScore, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height > 0, rect.width > 4 else { return }
        var y = rect.y
        f.put(t.t("composer.checks"), x: rect.x, y: y, style: th.title)
        y += 1
        // The provider's refusal, on the step of the field it names (or on the first step).
        if let refusal = e.refusal, e.step.fields.contains(where: { $0.ruleField == refusal.field }) || (refusal.field == nil && e.step == .product) {
            for line in refusalLines(s, refusal, width: rect.width).prefix(4) where y < rect.maxY {
                f.put(line, x: rect.x, y: y, style: th.danger, maxWidth: rect.width)
                y += 1
            }
        }
        if stepIssues.isEmpty {
            f.put("✓ " + t.t("composer.step_ok"), x: rect.x, y: y, style: th.success, maxWidth: rect.width)
            y += 1
        }
        // The rules come first; the suggestions and the SEO parts take the room left.
        let shown = max(3, rect.height - 3)
        for issue in stepIssues.prefix(shown) where y < rect.maxY {
            f.put("✗ " + issueText(s, issue), x: rect.x, y: y, style: th.danger, maxWidth: rect.width)
            y += 1
        }
        if stepIssues.count > shown, y < rect.maxY {
            f.put(t.t("composer.more_issues", ["count": String(stepIssues.count - shown)]), x: rect.x, y: y, style: th.muted, maxWidth: rect.width)
            y += 1
        }
        y += 1
        if [.keyword, .keywords, .tags].contains(e.field), y < rect.maxY {
            f.put(t.t("composer.suggestions"), x: rect.x, y: y, style: th.title, maxWidth: rect.width)
            y += 1
            let suggestions = e.suggestions
            if suggestions.isEmpty {
                f.put(t.t("composer.no_suggestions"), x: rect.x, y: y, style: th.muted, maxWidth: rect.width)
                y += 1
            } else {
                let items = suggestions.map { k in k.text + (k.growth.map { "  " + s.formats.growth($0) } ?? "") }
                let h = min(items.count, max(1, rect.maxY - y - 2))
                ListView.render(
                    into: &f, rect: Rect(x: rect.x, y: y, width: rect.width, height: h), items: items, selected: e.suggestionIndex,
                    style: th.base, selectedStyle: th.selection)
                y += h
                if y < rect.maxY {
                    f.put(t.t("composer.suggestion_hint"), x: rect.x, y: y, style: th.muted, maxWidth: rect.width)
                    y += 1
                }
            }
            y += 1
        }
        guard y < rect.maxY else { return }
        f.put(t.t("composer.seo", ["score": String(score.total)]), x: rect.x, y: y, style: th.title)
        y += 1
        for part in score.parts where y < rect.maxY {
            let line = String(format: "%2d/%-2d ", part.points, part.max) + t.t("seo.\(part.name)") + " — " + t.t("seo.reason.\(part.reason)")
            f.put(line, x: rect.x, y: y, style: part.points == part.max ? th.base : th.muted, maxWidth: rect.width)
            y += 1
        }
    }

    /// Review: the preview, the compliance panel and the SEO score with its parts.
    /// "Etsy: active", "Etsy: queued", "Etsy: draft · your edit is not sent (Alt-E)"…
    static func providerStatusText(_ s: AppState, _ p: ProviderStatus) -> (text: String, alert: Bool) {
        let t = s.strings
        let key = s.keymap.keys(for: Command.editorQueueEtsy.rawValue).first?.notation ?? ""
        let args = ["provider": t.provider(p.provider), "state": p.listingState.map { t.t("state.\($0)") } ?? "", "key": key]
        switch p.itemState {
        case .pending?: return (t.t("composer.status.queued", args), false)
        case .inFlight?: return (t.t("composer.status.sending", args), false)
        case .failed?: return (t.t("composer.status.refused", args), true)
        default: break
        }
        guard p.listingState != nil else { return (t.t("composer.status.not_on_shop", args), false) }
        if p.underExperiment { return (t.t("composer.status.under_experiment", args), true) }
        return p.editWaiting ? (t.t("composer.status.edit_waiting", args), true) : (t.t("composer.status.on_shop", args), false)
    }

    /// A shop choice as the seller reads it: a return policy's terms (`returns,exchanges,days`)
    /// worded in their language; anything else as it is.
    static func shopChoiceText(_ s: AppState, _ purpose: PickerState.Purpose?, _ raw: String) -> String {
        guard purpose == .returnPolicy else { return raw }
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return raw }
        let t = s.strings
        let takes = [parts[0] == "1" ? t.t("return_policy.returns") : nil, parts[1] == "1" ? t.t("return_policy.exchanges") : nil].compactMap { $0 }
        guard !takes.isEmpty else { return t.t("return_policy.none") }
        let days = Int(parts[2]).map { t.t("return_policy.days", ["days": s.formats.integer($0)]) }
        return (takes + [days].compactMap { $0 }).joined(separator: " · ")
    }

    /// "Etsy refused it last time: title: … — fix it here, then queue it again."
    static func refusalLines(_ s: AppState, _ r: Refusal, width: Int) -> [String] {
        let t = s.strings
        return wrapWords(
            "✗ " + t.t("composer.refused", ["provider": t.provider(r.provider)]) + " " + r.message + " — " + t.t("composer.refused_fix"), width: max(10, width))
    }

    static func renderReview(_ s: AppState, _ e: EditorState, issues: [RuleIssue], score: SEOScore, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, d = e.draft
        var lines: [(String, Style)] = []
        lines.append(
            (
                issues.isEmpty ? t.t("composer.ready") : t.plural("composer.not_ready", count: issues.count, formatted: s.formats.integer(issues.count)),
                issues.isEmpty ? th.success.with(.bold) : th.warning.with(.bold)
            ))
        if let refusal = e.refusal { lines += refusalLines(s, refusal, width: rect.width - 2).map { ($0, th.danger) } }
        lines.append(("", th.base))
        lines.append((t.t("composer.preview"), th.title))
        lines.append((d.title.isEmpty ? t.t("composer.untitled") : d.title, th.base.with(.bold)))
        let price = d.priceCents.map { s.formats.price(cents: $0) } ?? "—"
        lines.append((t.t("composer.preview_line", ["price": price, "quantity": d.quantity.map(String.init) ?? "—"]), th.base))
        lines.append((t.t("field.tags") + ": " + d.tags.joined(separator: ", "), th.muted))
        if let p = d.priceCents, p > 0 {
            // Labelled an estimate: the fee table's figures, not what Etsy charged.
            let fees = s.fees.fees(priceCents: p), left = s.fees.profit(priceCents: p).cents
            let money = { (c: Int) in s.formats.price(cents: c) }
            var parts = [
                t.t("fees.listing", ["amount": money(fees.listing)]), t.t("fees.transaction", ["amount": money(fees.transaction)]),
                t.t("fees.processing", ["amount": money(fees.processing)]),
            ]
            if fees.offsiteAds > 0 { parts.append(t.t("fees.offsite_ads", ["amount": money(fees.offsiteAds)])) }
            lines.append((t.t(s.fees == .etsyUS ? "fees.title_default" : "fees.title_own"), th.muted))
            lines.append(("  " + parts.joined(separator: " · ") + " = " + money(fees.total), th.muted))
            lines.append(("  " + t.t("fees.left", ["amount": money(left)]), th.base))
        }
        lines += d.description.split(separator: "\n", omittingEmptySubsequences: false).prefix(6).map { (String($0), th.base) }
        lines.append(("", th.base))
        lines.append((t.t("composer.compliance"), th.title))
        for check in Compliance.checks(d, riskyTerms: s.riskyTerms) {
            let (mark, style): (String, Style) = check.status == .pass ? ("✓", th.success) : (check.status == .fail ? ("✗", th.danger) : ("?", th.warning))
            lines.append(("\(mark) \(t.t("compliance.\(check.name)")) — \(t.t("compliance.status.\(check.status.rawValue)"))", style))
            for issue in check.issues { lines.append(("    " + issueText(s, issue), style)) }
        }
        lines.append(("", th.base))
        lines.append((t.t("composer.seo", ["score": String(score.total)]), th.title))
        for part in score.parts {
            lines.append(
                (
                    String(format: "%2d/%-2d ", part.points, part.max) + t.t("seo.\(part.name)") + " — " + t.t("seo.reason.\(part.reason)"),
                    part.points == part.max ? th.base : th.muted
                ))
        }
        let start = min(e.reviewScroll, max(0, lines.count - rect.height))
        for (i, line) in lines.dropFirst(start).prefix(rect.height).enumerated() {
            f.put(line.0, x: rect.x + 1, y: rect.y + i, style: line.1, maxWidth: rect.width - 2)
        }
    }

    /// The Printify product field: blueprint, provider, how many variants, the design.
    static func productSummary(_ s: AppState, _ d: ListingDraft) -> String {
        guard let p = d.product, let blueprint = p.blueprint else { return s.strings.t("product.summary_none") }
        var parts = [blueprint.title]
        if let provider = p.provider { parts.append(provider.title) }
        parts.append(s.strings.plural("product.summary_variants", count: p.variants.count, formatted: s.formats.integer(p.variants.count)))
        if let design = p.designs.first { parts.append("\(design.position): " + URL(fileURLWithPath: design.file).lastPathComponent) }
        return parts.joined(separator: " · ")
    }

    /// The variations field: the properties and how many combinations are for sale.
    static func variationsSummary(_ s: AppState, _ d: ListingDraft) -> String {
        guard let v = d.variations, !v.properties.isEmpty else { return s.strings.t("variations.summary_none") }
        return s.strings.t(
            "variations.summary",
            [
                "properties": v.properties.map(\.name).joined(separator: " × "), "count": "\(v.combinations.count)",
                "on": "\(v.combinations.filter(\.enabled).count)",
            ])
    }
}
