import Foundation
import PODCore
import TerminalUI

extension AppState {
    /// The plan's use this month, as last loaded.
    public var quotas: QuotaReport? {
        get { screens[QuotasScreen.self] }
        _modify { yield &screens[QuotasScreen.self] }
    }
}

/// The plan's quotas (the Quotas screen, and Settings → Quotas): a gauge per resource (amber
/// from 80 %, red from 90 %), when the month starts again in the user's time zone, and the
/// newest rows of the usage ledger.
enum QuotasScreen: ScreenModule {
    static let id = ScreenID.quotas
    static let initialState: QuotaReport? = nil
    static let commands: [Command] = [.refresh]
    static let hints: [Command] = [.refresh]

    enum Message: ScreenMessage {
        case loaded(QuotaReport)
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
            case .load: run.answer(QuotasScreen.self, .loaded(try run.store.quotaReport(plan: run.plan, now: Date(), calendar: run.calendar)))
            }
        }
    }

    static let load = Effect.job(Self.self, .load)

    static func enter(_ s: inout AppState) -> [Effect] { [load] }

    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        if command == .left { s.focus = .sidebar }
        return []
    }

    static func receive(_ s: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .loaded(let report): s.quotas = report
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme, fm = s.formats
        guard let q = s.quotas else {
            f.put(s.loadingText(for: id), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        f.put(t.t("quotas.plan", ["plan": t.t("plan.\(q.plan.rawValue)")]), x: rect.x + 1, y: rect.y, style: th.header, maxWidth: rect.width - 2)
        var y = rect.y + 2
        let gaugeWidth = min(60, rect.width - 4)
        for u in q.usage where y < rect.maxY {
            let label = t.t(
                u.resource == .seats ? "quotas.usage_seats" : "quotas.usage",
                [
                    "resource": t.t("quotas.resource.\(u.resource.rawValue)"), "used": fm.integer(u.used),
                    "limit": fm.integer(u.limit), "percent": fm.integer(Int((u.ratio * 100).rounded())),
                ])
            Gauge.render(
                into: &f, rect: Rect(x: rect.x + 2, y: y, width: gaugeWidth, height: 1), ratio: u.ratio, label: label,
                style: th.base, fill: th.success, warn: th.warning, danger: th.danger)
            y += 1
        }
        y += 1
        let reset = t.t("quotas.resets", ["date": fm.date(q.resetsAt), "time": fm.time(q.resetsAt), "zone": fm.timeZone.identifier])
        if y < rect.maxY { f.put(reset, x: rect.x + 1, y: y, style: th.muted, maxWidth: rect.width - 2) }
        y += 2
        guard y < rect.maxY - 1 else { return }
        f.put(t.t("quotas.ledger"), x: rect.x + 1, y: y, style: th.header, maxWidth: rect.width - 2)
        y += 1
        if q.ledger.isEmpty {
            f.put(t.t("quotas.ledger_empty"), x: rect.x + 1, y: y, style: th.muted, maxWidth: rect.width - 2)
            return
        }
        for entry in q.ledger where y < rect.maxY - 1 {
            let resource = entry.resource.map { t.t("quotas.resource.\($0.rawValue)") } ?? "?"
            let amount = (entry.amount > 0 ? "+" : "") + fm.integer(entry.amount)
            let line = [fm.date(entry.at) + " " + fm.time(entry.at), resource, amount, reasonText(t, entry.reason), subjectText(t, entry.subject)]
                .filter { !$0.isEmpty }.joined(separator: "  ")
            f.put(line, x: rect.x + 2, y: y, style: th.base, maxWidth: rect.width - 3)
            y += 1
        }
        f.put(keyLine(s, QuotasScreen.self), x: rect.x + 1, y: rect.maxY - 1, style: th.muted, maxWidth: rect.width - 2)
    }

    /// The ledger keeps codes (`copywriter`, `publish:etsy`); the screen says them in the
    /// user's language.
    static func reasonText(_ t: Localizer, _ reason: String) -> String {
        if reason == "copywriter" { return t.t("quotas.reason.copywriter") }
        if reason.hasPrefix("publish:") { return t.t("quotas.reason.publish", ["provider": t.provider(String(reason.dropFirst(8)))]) }
        return reason
    }

    /// `draft 12` as the user's language says it.
    static func subjectText(_ t: Localizer, _ subject: String?) -> String {
        guard let subject else { return "" }
        guard subject.hasPrefix("draft "), let id = Int(subject.dropFirst(6)) else { return subject }
        return t.t("quotas.subject.draft", ["id": String(id)])
    }
}
