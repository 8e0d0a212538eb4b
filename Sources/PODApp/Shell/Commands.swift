import TerminalUI

/// The commands a key, the palette or a test can run. The raw value is the name used in
/// `config.toml`'s `[keys]` table and in the help overlay.
public enum Command: String, CaseIterable, Sendable {
    case quit, forceQuit = "force_quit", suspend, help, palette, filter, focusNext = "focus_next", focusPrevious = "focus_previous"
    case up, down, left, right, pageUp = "page_up", pageDown = "page_down", top, bottom, select, back
    case cycleWindow = "cycle_window", sort, reverseSort = "reverse_sort", newDraft = "new_draft", refresh
    case loadDemo = "load_demo", clearDemo = "clear_demo", delete, duplicate, retry, cancelItem = "cancel_item"
    case importListings = "import_listings", exportDrafts = "export_drafts", exportTrends = "export_trends"
    case syncNow = "sync_now", keepLocal = "keep_local", takeRemote = "take_remote", refreshTrends = "refresh_trends"
    case activate, deactivate, mark, markRange = "mark_range", markAll = "mark_all", bulkEdit = "bulk_edit"
    case save, exclude, details, previousPeriod = "previous_period", nextPeriod = "next_period"
    case watch, compare, compareView = "compare_view", category, markRead = "mark_read", markAllRead = "mark_all_read"
    case editorSave = "editor_save", editorGenerate = "editor_generate", editorClose = "editor_close"
    case editorNextStep = "editor_next_step", editorPreviousStep = "editor_previous_step"
    case editorNextField = "editor_next_field", editorPreviousField = "editor_previous_field"
    case editorQueueEtsy = "editor_queue_etsy", editorQueuePrintify = "editor_queue_printify"
    case editorSuggestionUp = "editor_suggestion_up", editorSuggestionDown = "editor_suggestion_down"
    case editorAddSuggestion = "editor_add_suggestion", editorRevisions = "editor_revisions", editorHelp = "editor_help"
    case editorTagEarlier = "editor_tag_earlier", editorTagLater = "editor_tag_later"
    case editorStep1 = "editor_step_1", editorStep2 = "editor_step_2", editorStep3 = "editor_step_3", editorStep4 = "editor_step_4"
    case editorStep5 = "editor_step_5", editorStep6 = "editor_step_6", editorStep7 = "editor_step_7"
    case screen1 = "screen_1", screen2 = "screen_2", screen3 = "screen_3", screen4 = "screen_4", screen5 = "screen_5"
    case screen6 = "screen_6", screen7 = "screen_7", screen8 = "screen_8", screen9 = "screen_9"
    case confirmYes = "confirm_yes", confirmNo = "confirm_no", choose1 = "choose_1", choose2 = "choose_2", choose3 = "choose_3"
    case listPrevious = "list_previous", listNext = "list_next", copyCode = "copy_code", openBrowser = "open_browser", fillDown = "fill_down"
    case moveEarlier = "move_earlier", moveLater = "move_later", toggleColour = "toggle_colour", priceForMargin = "price_for_margin"
    case viewDesign = "view_design", nextArea = "next_area", exportSales = "export_sales", pauseExperiment = "pause_experiment"
    case testTitle = "test_title", socialPosts = "social_posts", editorPosts = "editor_posts"
    case postVariant = "post_variant", postAI = "post_ai", postCopy = "post_copy", postExport = "post_export", postImage = "post_image"
    case postShape = "post_shape", postView = "post_view", postHistory = "post_history"
    case imageRateUp = "image_rate_up", imageRateDown = "image_rate_down", imageFlag = "image_flag", imageTag = "image_tag"
    case imageUntag = "image_untag", imageAlt = "image_alt", imageAddFolder = "image_add_folder", imageOpen = "image_open"

    public var helpKey: String { "command.\(rawValue)" }

    /// The sidebar screen a `screen_N` command goes to.
    public var screen: ScreenID? {
        guard rawValue.hasPrefix("screen_"), let n = Int(rawValue.dropFirst(7)), n >= 1, n <= ScreenID.sidebar.count else { return nil }
        return ScreenID.sidebar[n - 1]
    }
}

public enum KeyGroups {
    public static let all = ["global", "navigation", "lists", "workspace", "posts", "images", "editor", "dialog", "text"]
}

extension Keymap {
    /// The shipped keymap: vim keys and arrows both.
    public static let standard: Keymap = {
        func b(_ c: Command, _ keys: [String], _ group: String, hint: Bool = false) -> KeyBinding {
            KeyBinding(c.rawValue, keys.compactMap(Key.init(notation:)), help: c.helpKey, group: group, hint: hint)
        }
        var list: [KeyBinding] = [
            b(.help, ["?"], "global", hint: true),
            b(.palette, [":", "ctrl-k"], "global", hint: true),
            b(.filter, ["/"], "global", hint: true),
            b(.quit, ["q"], "global", hint: true),
            b(.forceQuit, ["ctrl-c"], "global"),
            b(.suspend, ["ctrl-z"], "global"),
            b(.focusNext, ["tab"], "global"),
            b(.focusPrevious, ["shift-tab"], "global"),
            b(.back, ["esc"], "global"),
            b(.up, ["k", "up"], "navigation"),
            b(.down, ["j", "down"], "navigation"),
            b(.left, ["h", "left"], "navigation"),
            b(.right, ["l", "right"], "navigation"),
            b(.pageUp, ["pgup", "ctrl-b"], "navigation"),
            b(.pageDown, ["pgdn", "ctrl-f"], "navigation"),
            b(.top, ["g", "home"], "navigation"),
            b(.bottom, ["G", "end"], "navigation"),
            b(.select, ["enter"], "navigation"),
            b(.sort, ["s"], "lists"),
            b(.reverseSort, ["S"], "lists"),
            b(.cycleWindow, ["w"], "lists", hint: true),
            b(.refresh, ["r"], "lists"),
            b(.save, ["b"], "lists"),
            b(.exclude, ["e"], "lists"),
            b(.details, ["v"], "lists"),
            b(.previousPeriod, ["["], "lists"),
            b(.nextPeriod, ["]"], "lists"),
            b(.category, ["f"], "lists"),
            b(.watch, ["W"], "lists"),
            b(.compare, ["a"], "lists"),
            b(.compareView, ["C"], "lists"),
            b(.markRead, ["u"], "lists"),
            b(.markAllRead, ["U"], "lists"),
            b(.mark, ["space"], "lists"),
            b(.markRange, ["V"], "lists"),
            b(.markAll, ["*"], "lists"),
            b(.newDraft, ["n"], "workspace"),
            b(.delete, ["d"], "workspace"),
            b(.activate, ["A"], "workspace"),
            b(.deactivate, ["D"], "workspace"),
            b(.bulkEdit, ["E"], "workspace"),
            b(.duplicate, ["c"], "workspace"),
            b(.retry, ["R"], "workspace"),
            b(.cancelItem, ["x"], "workspace"),
            b(.syncNow, ["P"], "workspace"),
            b(.keepLocal, ["m"], "workspace"),
            b(.takeRemote, ["t"], "workspace"),
            b(.refreshTrends, [], "workspace"),
            b(.loadDemo, [], "workspace"),
            b(.clearDemo, [], "workspace"),
            b(.importListings, [], "workspace"),
            b(.exportDrafts, [], "workspace"),
            b(.exportTrends, [], "workspace"),
            b(.exportSales, ["X"], "lists"),
            b(.pauseExperiment, ["p"], "workspace"),
            b(.testTitle, ["T"], "workspace"),
        ]
        // A screen's own keys (its context is its name), looked up before the main ones there:
        // `S` writes posts on the two screens of listings and drafts, and is reverse sort elsewhere.
        func screen(_ c: Command, _ keys: [String], _ group: String, _ screens: [ScreenID]) -> KeyBinding {
            KeyBinding(c.rawValue, keys.compactMap(Key.init(notation:)), help: c.helpKey, group: group, context: screens.map(\.rawValue).joined(separator: ","))
        }
        list += [
            screen(.socialPosts, ["S"], "workspace", [.listings, .composer, .images]),
            screen(.postVariant, ["n"], "posts", [.posts]), screen(.postAI, ["a"], "posts", [.posts]), screen(.postCopy, ["y"], "posts", [.posts]),
            screen(.postExport, ["x"], "posts", [.posts]), screen(.postImage, ["i"], "posts", [.posts]), screen(.postShape, ["t"], "posts", [.posts]),
            screen(.postView, ["v"], "posts", [.posts]), screen(.postHistory, ["ctrl-o"], "posts", [.posts]),
            screen(.imageRateUp, ["+"], "images", [.images]), screen(.imageRateDown, ["-"], "images", [.images]),
            screen(.imageFlag, ["f"], "images", [.images]), screen(.imageTag, ["t"], "images", [.images]),
            screen(.imageUntag, ["T"], "images", [.images]), screen(.imageAlt, ["e"], "images", [.images]),
            screen(.imageAddFolder, ["a"], "images", [.images]), screen(.imageOpen, ["o"], "images", [.images]),
        ]
        for (i, _) in ScreenID.sidebar.enumerated() {
            list.append(KeyBinding("screen_\(i + 1)", [.char(Character(String(i + 1)))], help: "command.screen_\(i + 1)", group: "navigation"))
        }
        func e(_ c: Command, _ keys: [String], hint: Bool = false) -> KeyBinding {
            KeyBinding(c.rawValue, keys.compactMap(Key.init(notation:)), help: c.helpKey, group: "editor", hint: hint, context: "editor")
        }
        list += [
            e(.editorNextField, ["tab"]), e(.editorPreviousField, ["shift-tab"]),
            e(.editorNextStep, ["pgdn"], hint: true), e(.editorPreviousStep, ["pgup"]),
            e(.editorSave, ["ctrl-s"], hint: true), e(.editorGenerate, ["ctrl-g"], hint: true), e(.editorRevisions, ["ctrl-o"]),
            e(.editorQueueEtsy, ["alt-e"]), e(.editorQueuePrintify, ["alt-p"]),
            e(.editorSuggestionUp, ["up"]), e(.editorSuggestionDown, ["down"]), e(.editorAddSuggestion, ["alt-a"]),
            e(.editorTagEarlier, ["alt-k"]), e(.editorTagLater, ["alt-j"]),
            e(.editorClose, ["esc"], hint: true), e(.editorHelp, ["f1"], hint: true), e(.editorPosts, ["alt-s"]),
        ]
        list += (1...7).map { e(Command(rawValue: "editor_step_\($0)")!, ["alt-\($0)"]) }
        // Dialogs (confirmations, the first-run offer, pickers, connecting) look here before the
        // main keys; where a dialog has a text field, printable keys type instead.
        func d(_ c: Command, _ keys: [String]) -> KeyBinding {
            KeyBinding(c.rawValue, keys.compactMap(Key.init(notation:)), help: c.helpKey, group: "dialog", context: "dialog")
        }
        list += [
            d(.confirmYes, ["y", "Y"]), d(.confirmNo, ["n", "N"]), d(.choose1, ["1"]), d(.choose2, ["2"]), d(.choose3, ["3"]),
            d(.listPrevious, ["up", "ctrl-p"]), d(.listNext, ["down", "ctrl-n"]), d(.copyCode, ["c", "ctrl-y"]), d(.openBrowser, ["o", "ctrl-o"]),
            d(.fillDown, ["ctrl-t"]), d(.moveEarlier, ["alt-k"]), d(.moveLater, ["alt-j"]), d(.toggleColour, ["alt-c"]), d(.priceForMargin, ["alt-m"]),
            d(.viewDesign, ["alt-v"]), d(.nextArea, ["alt-a"]),
        ]
        return Keymap(list + TextFieldState.bindings(group: "text"))
    }()
}
