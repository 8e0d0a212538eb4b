import Foundation
import PODStore
import TerminalUI

/// The publish queue: every outbox item with its provider, state, attempts and last error;
/// retry a failed or cancelled one, cancel a waiting one, open its draft.
enum QueueScreen {
    static func handle(_ s: inout AppState, _ command: Command) -> [Effect] {
        let item = s.queue.indices.contains(s.queueSelected) ? s.queue[s.queueSelected] : nil
        switch command {
        case .up: s.queueSelected = max(0, s.queueSelected - 1)
        case .down: s.queueSelected = min(max(0, s.queue.count - 1), s.queueSelected + 1)
        case .top: s.queueSelected = 0
        case .bottom: s.queueSelected = max(0, s.queue.count - 1)
        case .retry: if let item { return [.retryQueueItem(id: item.id)] }
        case .cancelItem: if let item { return [.cancelQueueItem(id: item.id)] }
        case .refresh: return [.loadQueue]
        case .select:
            if let id = item?.draftID {
                s.composer.opening = true
                return go(&s, .composer) + [.openDraft(id: id)]
            }
        case .left: s.focus = .sidebar
        default: break
        }
        return []
    }

    static func render(_ s: AppState, into f: inout Frame, rect: Rect) {
        let t = s.strings, th = s.theme
        guard rect.height >= 3 else { return }
        f.put(t.t("queue.help"), x: rect.x + 1, y: rect.y, style: th.muted, maxWidth: rect.width - 2)
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        if s.queue.isEmpty {
            f.put(t.t("queue.empty"), x: tableRect.x + 1, y: tableRect.y, style: th.base, maxWidth: tableRect.width - 2)
            f.put(t.t("queue.empty_hint"), x: tableRect.x + 1, y: tableRect.y + 1, style: th.muted, maxWidth: tableRect.width - 2)
            return
        }
        let columns = [TableColumn(t.t("column.title"), .flex(2)), TableColumn(t.t("column.provider"), .fixed(9)),
                       TableColumn(t.t("column.state"), .fixed(11)), TableColumn(t.t("column.attempts"), .fixed(8), alignRight: true, dropOrder: 2),
                       TableColumn(t.t("column.last_error"), .flex(1), dropOrder: 1), TableColumn(t.t("column.updated"), .fixed(14), alignRight: true, dropOrder: 3)]
        var table = TableState(rowCount: s.queue.count)
        table.select(s.queueSelected, visibleRows: max(1, tableRect.height - 1))
        TableView.render(into: &f, rect: tableRect, columns: columns, state: table,
                         styles: s.tableStyles,
                         focused: s.focus == .content) { i in
            let q = s.queue[i]
            return [q.title.isEmpty ? t.t("composer.untitled") : q.title, t.t("provider.\(q.provider)"), t.t("outbox.\(q.state)"),
                    s.formats.integer(q.attempts), q.lastError ?? "", s.formats.date(q.updatedAt)]
        }
    }
}
