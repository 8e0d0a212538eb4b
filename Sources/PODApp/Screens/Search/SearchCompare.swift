import Foundation
import PODCore
import TerminalUI

/// The compare view: up to three items side by side, one row per fact that at least one of
/// them has ("—" where an item lacks it).
enum SearchCompare {
    static func rows(_ s: AppState, width: Int) -> [(label: String, values: [String])] {
        let t = s.strings, fm = s.formats, items = s.search.compare
        let facts: [(String, (SearchHit) -> String?)] = [
            ("search.compare.kind", { SearchScreen.kindName(s, $0.kind) }),
            ("search.compare.region", { $0.region }),
            ("search.compare.score", { $0.score.map(fm.integer) }),
            ("search.compare.volume", { $0.volume.map(fm.compact) }),
            ("search.compare.growth", { $0.growth.map(fm.growth) }),
            ("search.compare.trend", { $0.series.isEmpty ? nil : Sparkline.string($0.series, width: max(4, min(24, width))) }),
            ("search.compare.competition", { $0.competition.map(fm.compact) }),
            ("search.compare.keywords", { $0.keywords.isEmpty ? nil : $0.keywords.prefix(4).joined(separator: ", ") }),
            ("search.compare.state", { $0.state }),
            ("search.compare.price", { h in h.priceCents.map { fm.money(cents: $0, currency: h.currency ?? "") } }),
            ("search.compare.views", { $0.views.map(fm.integer) }),
            ("search.compare.updated", { $0.updatedAt.map(fm.date) }),
            ("search.compare.source", { $0.isDemo ? t.t("search.compare.demo") : nil }),
        ]
        return facts.compactMap { key, value in
            let values = items.map(value)
            return values.allSatisfy({ $0 == nil }) ? nil : (t.t(key), values.map { $0 ?? "—" })
        }
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, items = s.search.compare
        f.put(t.t("search.compare.title", ["count": s.formats.integer(items.count)]), x: rect.x + 1, y: rect.y, style: th.title, maxWidth: rect.width - 2)
        let labelWidth = min(16, max(8, rect.width / 5))
        let columnWidth = max(6, (rect.width - 2 - labelWidth) / max(1, items.count) - 1)
        let table = rows(s, width: columnWidth)
        var y = rect.y + 2
        for (i, item) in items.enumerated() {
            f.put(
                item.title.isEmpty ? t.t("common.untitled") : item.title, x: rect.x + 1 + labelWidth + i * (columnWidth + 1), y: y,
                style: th.header, maxWidth: columnWidth)
        }
        y += 1
        for row in table where y < rect.maxY - 1 {
            f.put(row.label, x: rect.x + 1, y: y, style: th.muted, maxWidth: labelWidth - 1)
            for (i, value) in row.values.enumerated() {
                f.put(value, x: rect.x + 1 + labelWidth + i * (columnWidth + 1), y: y, style: th.base, maxWidth: columnWidth)
            }
            y += 1
        }
        f.put(keyLine(s, [.back, .compareView, .delete], scope: "search_compare"), x: rect.x + 1, y: rect.maxY - 1, style: th.muted, maxWidth: rect.width - 2)
    }
}
