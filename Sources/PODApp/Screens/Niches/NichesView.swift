import Foundation
import PODCore
import TerminalUI

extension NichesScreen {
    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard rect.height >= 4 else { return }
        f.put(
            t.t("niches.heading", ["days": fm.integer(s.window.rawValue), "region": s.region]), x: rect.x + 1, y: rect.y, style: th.muted,
            maxWidth: rect.width - 2)
        guard s.niches.loaded else {
            f.put(s.loadingText(for: NichesScreen.id), x: rect.x + 1, y: rect.y + 2, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        guard !s.niches.rows.isEmpty else {
            for (i, key) in ["niches.empty", "niches.empty_hint"].enumerated() {
                f.put(t.t(key), x: rect.x + 1, y: rect.y + 2 + i, style: i == 0 ? th.base : th.muted, maxWidth: rect.width - 2)
            }
            return
        }
        let detailHeight = rect.height >= 14 ? 6 : 0
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2 - detailHeight)
        let estimate = s.niches.rows.contains(where: \.isDemo)
        let demand = t.t(estimate ? "column.volume_est" : "column.volume")
        let columns = [
            TableColumn("", .fixed(1)), TableColumn(t.t("column.niche"), .flex(1)), TableColumn(t.t("column.score"), .fixed(6), alignRight: true),
            TableColumn(demand, .fixed(max(8, demand.displayWidth)), alignRight: true), TableColumn(t.t("column.growth"), .fixed(8), alignRight: true),
            TableColumn(t.t("column.competition"), .fixed(12), alignRight: true, dropOrder: 1),
            TableColumn(t.t("column.keywords"), .fixed(9), alignRight: true, dropOrder: 2),
        ]
        var table = TableState(rowCount: s.niches.rows.count)
        table.select(s.niches.selected, visibleRows: max(1, tableRect.height - 1))
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table, styles: s.tableStyles, focused: s.focus == .content) { i in
            let n = s.niches.rows[i]
            let growth = TrendMath.growth(current: n.volume, previous: n.previousVolume).map(fm.growth) ?? "—"
            return [
                n.saved ? "★" : (n.excluded ? "✗" : ""), n.excluded ? n.name + " · " + t.t("niches.excluded_mark") : n.name,
                fm.integer(n.score.opportunity), fm.compact(n.volume), growth,
                n.competition.map(fm.compact) ?? "—", fm.integer(n.keywords.count),
            ]
        }
        guard detailHeight > 0, let n = selectedRow(s) else { return }
        let y = rect.maxY - detailHeight
        let sc = n.score
        func part(_ key: String, _ value: Double?, _ weight: Double) -> String {
            t.t(key, ["value": value.map(fm.decimal) ?? "—", "weight": fm.integer(Int((weight * 100).rounded()))])
        }
        var parts = [part("niches.part.demand", sc.demand, sc.weights.demand), part("niches.part.growth", sc.growth, sc.weights.growth)]
        parts.append(sc.competition == nil ? t.t("niches.part.no_competition") : part("niches.part.competition", sc.competition, sc.weights.competition))
        if sc.fit != nil { parts.append(part("niches.part.fit", sc.fit, sc.weights.fit)) }
        // The score and its parts over two lines where one is not enough.
        let score = wrapWords(
            t.t("niches.score_line", ["niche": n.name, "score": fm.integer(sc.opportunity)]) + " " + parts.joined(separator: " + "),
            width: rect.width - 2)
        for (i, line) in score.prefix(2).enumerated() { f.put(line, x: rect.x + 1, y: y + 1 + i, style: th.base, maxWidth: rect.width - 2) }
        f.put(
            t.t("niches.keywords_line", ["keywords": n.keywords.prefix(8).joined(separator: ", ")]), x: rect.x + 1, y: y + 3, style: th.muted,
            maxWidth: rect.width - 2)
        let variants: String
        if s.niches.variantsFor != n.name + "|" + s.region {
            variants = t.t("common.loading")
        } else if s.niches.variants.isEmpty {
            variants = t.t("niches.no_variants")
        } else {
            variants = t.t(
                "niches.variants", ["regions": s.niches.variants.map { "\($0.region) \(fm.integer($0.score.opportunity))" }.joined(separator: " · ")])
        }
        f.put(variants, x: rect.x + 1, y: y + 4, style: th.muted, maxWidth: rect.width - 2)
        f.put(keyLine(s, NichesScreen.self), x: rect.x + 1, y: y + 5, style: th.muted, maxWidth: rect.width - 2)
    }
}
