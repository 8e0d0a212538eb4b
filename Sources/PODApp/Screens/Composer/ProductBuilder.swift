import Foundation
import PODCore
import PODMedia
import PODStore
import TerminalUI

/// The Printify product builder (Details → Printify product, `Enter`): a blueprint found by
/// typing, its print provider, then a grid of the provider's variants — on/off and price per
/// colour and size, with Printify's cost, the shipping it charges, Etsy's fees, the profit and
/// the margin — the design file on each print area, and what the buyer pays for shipping.
public struct ProductBuilder: Sendable, Equatable {
    public enum Stage: Sendable, Equatable { case blueprint, provider, grid }

    public var product: PrintProduct
    public var stage: Stage
    /// The blueprint search as typed.
    public var query = TextFieldState()
    /// The catalog as read (nil: still on its way).
    public var blueprints: [CatalogBlueprint]?
    public var providers: [CatalogProvider]?
    public var catalog: [CatalogVariant]?
    public var shipping: [ShippingRate] = []
    /// Printify's cost of each variant (cents, USD) as its products told (unknown ones absent).
    public var costs: [Int: Int] = [:]
    /// Where the shipping counted goes (`[providers.printify] ship_to`).
    public var shipTo = "US"
    /// The `[providers.printify]` defaults, for a draft without a product of its own.
    public var defaults: ProductDefaults?
    /// The list's selection; on the grid, the lines of `HeaderRow`, then the variants.
    public var selected = 0
    /// Which of `areas` the design and placement lines are on (`Alt-A` goes to the next).
    public var areaIndex = 0
    /// The design path, its placement, the shipping charged, or a variant's price, with the keyboard.
    public var input = TextFieldState()
    /// The line typed is not what it takes (placement "x y scale angle", shipping an amount).
    public var invalidLine: HeaderRow?
    public var designCheck: PhotoFile.Check?
    /// Why the catalog could not be read.
    public var error: String?
    public var currency: String
    public var listingPrice: Int?
    /// The design drawn large (`Alt-V`), once its preview is made, or why it cannot be.
    public var preview: DesignPreview?
    /// The mockups Printify made of the product (their addresses; none before it has it).
    public var mockups: [String] = []

    public struct DesignPreview: Sendable, Equatable {
        /// The design file, or a mockup's address.
        public var path: String
        /// In `pictures`: the designs, then the mockups.
        public var index = 0
        public var result: Preview?
        public var error: String?
    }

    /// What `Alt-V` shows, in turn: the design of each area, then each mockup.
    var pictures: [String] { areas.compactMap { product.design(on: $0.position)?.file } + mockups }

    public init(draft: ListingDraft) {
        product = draft.product ?? PrintProduct()
        stage = product.blueprint == nil ? .blueprint : product.provider == nil ? .provider : .grid
        currency = draft.currency
        listingPrice = draft.priceCents
        input = TextFieldState(product.designs.first?.file ?? "")
        areaIndex = max(0, areas.firstIndex { $0.position == product.designs.first?.position } ?? 0)
    }

    /// The blueprints the search finds.
    var matches: [CatalogBlueprint] { (blueprints ?? []).filter { $0.matches(query.text) } }

    /// The provider's variants, grouped by colour (in the catalog's order) then size.
    var rows: [CatalogVariant] {
        let list = catalog ?? []
        var colours: [String] = []
        for v in list where !colours.contains(v.color) { colours.append(v.color) }
        return colours.flatMap { c in list.filter { $0.color == c } }
    }

    /// The grid's lines before the variants.
    public enum HeaderRow: Int, Sendable, Equatable, CaseIterable { case design, placement, shipping }
    static let headerRows = HeaderRow.allCases.count
    var header: HeaderRow? { HeaderRow(rawValue: selected) }
    var variant: CatalogVariant? { selected >= Self.headerRows ? rows.element(at: selected - Self.headerRows) : nil }

    /// The print areas of the variants on (of the first offered before any is on), then any
    /// area a design is on that this product lacks (carried over from another product), so
    /// that it can be seen and taken away. A width of 0: the size is not known.
    var areas: [PrintArea] {
        var list = offeredAreas
        for d in product.designs where !list.contains(where: { $0.position == d.position }) {
            list.append(PrintArea(position: d.position, width: 0, height: 0))
        }
        return list.isEmpty ? [PrintArea(position: "front", width: 0, height: 0)] : list
    }

    /// The print areas of the variants on (of the first offered before any is on).
    var offeredAreas: [PrintArea] {
        let on = Set(product.variants.map(\.id))
        return (rows.first { on.contains($0.id) } ?? rows.first)?.areas ?? []
    }

    /// The print area the design and placement lines are on.
    var area: PrintArea {
        let list = areas
        return list[min(areaIndex, list.count - 1)]
    }
    /// Its design, if it has one.
    var design: PrintProduct.Design? { product.design(on: area.position) }
}

/// `[providers.printify]`'s product, which a draft without one of its own starts from.
public struct ProductDefaults: Sendable, Equatable {
    public var blueprintID: Int?
    public var providerID: Int?
    public var variantIDs: [Int]
    public var design: String?
    public init(blueprintID: Int?, providerID: Int?, variantIDs: [Int], design: String?) {
        (self.blueprintID, self.providerID, self.variantIDs, self.design) = (blueprintID, providerID, variantIDs, design)
    }
}

extension ComposerScreen {
    static func openProduct(_ s: inout AppState, _ e: EditorState) -> [Effect] {
        let b = ProductBuilder(draft: e.draft)
        s.overlay = .product(b)
        var effects: [Effect] = [.job(Self.self, .loadBlueprints)]
        if let blueprint = b.product.blueprint?.id {
            effects.append(.job(Self.self, .loadProviders(blueprint: blueprint)))
            if let provider = b.product.provider?.id { effects.append(.job(Self.self, .loadProductCatalog(blueprint: blueprint, provider: provider))) }
        }
        if let file = b.design?.file { effects += [.job(Self.self, .checkPhotos([file])), previewJob(s, file)].compactMap { $0 } }
        if let id = e.draft.id { effects.append(.job(Self.self, .loadMockups(draftID: id))) }
        return effects
    }

    /// The catalog answered: the builder takes it (a draft without a product starts from the
    /// configured defaults).
    static func productLoaded(_ s: inout AppState, _ change: (inout ProductBuilder) -> [Effect]) -> [Effect] {
        guard case .product(var b) = s.overlay else { return [] }
        let effects = change(&b)
        s.overlay = .product(b)
        return effects
    }

    static func blueprintsLoaded(_ b: inout ProductBuilder, _ list: [CatalogBlueprint], defaults: ProductDefaults?) -> [Effect] {
        b.blueprints = list
        b.defaults = defaults
        guard b.product.blueprint == nil, let id = defaults?.blueprintID, let i = list.firstIndex(where: { $0.id == id }) else { return [] }
        b.selected = i
        return []
    }

    static func providersLoaded(_ b: inout ProductBuilder, _ list: [CatalogProvider]) {
        b.providers = list
        if b.stage == .provider, let id = b.product.provider?.id ?? b.defaults?.providerID, let i = list.firstIndex(where: { $0.id == id }) {
            b.selected = i
        }
    }

    static func productCatalogLoaded(_ b: inout ProductBuilder, _ variants: [CatalogVariant], shipping: [ShippingRate], costs: [Int: Int], shipTo: String) {
        (b.catalog, b.shipping, b.costs, b.shipTo) = (variants, shipping, costs, shipTo)
        // A new product starts with the defaults' variants when this is their provider, else none.
        if b.product.variants.isEmpty, let d = b.defaults, d.providerID == b.product.provider?.id {
            b.product.variants = variants.filter { d.variantIDs.contains($0.id) }.map { PrintProduct.Variant(id: $0.id, color: $0.color, size: $0.size) }
        }
        // A design carried over from another product onto an area this one lacks moves to the
        // first area without one (the front of a shirt becomes the front of a mug).
        let offered = b.offeredAreas.map(\.position)
        for i in b.product.designs.indices where !offered.contains(b.product.designs[i].position) {
            if let free = offered.first(where: { b.product.design(on: $0) == nil }) { b.product.designs[i].position = free }
        }
        b.areaIndex = max(0, b.areas.firstIndex { $0.position == b.product.designs.first?.position } ?? 0)
    }

    /// The figures of a variant's sale (nil: its cost is not known yet, or no rate turns USD
    /// into the shop's currency).
    static func figures(_ s: AppState, _ b: ProductBuilder, _ v: CatalogVariant, price: Int?) -> VariantFigures? {
        guard let price else { return nil }
        return VariantFigures(
            priceCents: price, costUSD: b.costs[v.id], shippingUSD: ShippingRate.firstItem(b.shipping, variant: v.id, country: b.shipTo)?.firstItemCents,
            shippingChargedCents: b.product.shippingChargedCents, currency: b.currency, usdRate: s.pricing.usdRate, fees: s.fees)
    }

    /// The text of the line with the keyboard: the area's design path or placement, the
    /// shipping charged, or the variant's price.
    static func productLine(_ s: AppState, _ b: ProductBuilder) -> TextFieldState {
        switch b.header {
        case .design?: return TextFieldState(b.design?.file ?? "")
        case .placement?: return TextFieldState(b.design?.placementText ?? "")
        case .shipping?: return TextFieldState(s.formats.plainAmount(cents: b.product.shippingChargedCents))
        case nil: break
        }
        guard let v = b.variant else { return TextFieldState() }
        let price = b.product.variants.first { $0.id == v.id }.flatMap { b.product.price($0, listing: b.listingPrice) }
        return TextFieldState(price.map { s.formats.plainAmount(cents: $0) } ?? "")
    }

    /// Takes the typed line into the product: a design on the area, its placement, the
    /// shipping charged, or a variant's price.
    static func commitProductLine(_ s: AppState, _ b: inout ProductBuilder) -> [Effect] {
        let text = b.input.text.trimmingWhitespace()
        switch b.header {
        case .placement?:
            let position = b.area.position
            let i = b.product.designs.firstIndex { $0.position == position }
            let valid = text.isEmpty || i.map { b.product.designs[$0].setPlacement(text) } ?? true
            b.invalidLine = valid ? nil : .placement
            return []
        case .shipping?:
            guard let cents = text.isEmpty ? 0 : s.formats.parseAmount(text), cents >= 0 else {
                b.invalidLine = .shipping
                return []
            }
            (b.product.shippingChargedCents, b.invalidLine) = (cents, nil)
            return []
        case .design?:
            guard b.design?.file ?? "" != text else { return [] }
            b.product.setDesign(text, on: b.area.position)
            b.designCheck = nil
            return designJobs(s, b)
        case nil: break
        }
        guard let v = b.variant else { return [] }
        if let i = b.product.variants.firstIndex(where: { $0.id == v.id }) { b.product.variants[i].priceCents = s.formats.parseAmount(text) }
        return []
    }

    /// Switches variants on or off: all of them given on when any is off, else all off.
    static func toggle(_ b: inout ProductBuilder, _ variants: [CatalogVariant]) {
        let on = Set(b.product.variants.map(\.id))
        if variants.allSatisfy({ on.contains($0.id) }) {
            let ids = Set(variants.map(\.id))
            b.product.variants.removeAll { ids.contains($0.id) }
        } else {
            for v in variants where !on.contains(v.id) {
                b.product.variants.append(PrintProduct.Variant(id: v.id, color: v.color, size: v.size, priceCents: b.listingPrice))
            }
            let order = Dictionary(b.rows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            b.product.variants.sort { (order[$0.id] ?? .max) < (order[$1.id] ?? .max) }
        }
    }

    /// The area's design checked, and its preview made ahead (off the UI thread), so that
    /// asking for it shows it at once.
    static func designJobs(_ s: AppState, _ b: ProductBuilder) -> [Effect] {
        guard let file = b.design?.file else { return [] }
        return [.job(Self.self, .checkPhotos([file]))] + [previewJob(s, file)].compactMap { $0 }
    }

    /// Where the builder draws a design large: its box, less the header and the key line.
    static func previewRect(_ s: AppState) -> Rect {
        let width = min(s.width - 2, 100), height = min(max(8, s.height - 2), s.height)
        return Rect(x: max(0, (s.width - width) / 2) + 2, y: 4, width: max(1, width - 4), height: max(1, height - 5))
    }

    /// The preview of a design at the size the builder shows it (nil: this terminal shows none).
    static func previewJob(_ s: AppState, _ path: String) -> Effect? {
        guard s.graphics != .off else { return nil }
        let r = previewRect(s)
        return .job(
            Self.self, .previewDesign(path: path, cols: r.width, rows: r.height - 1, mode: s.graphics, cellWidth: s.cellWidth, cellHeight: s.cellHeight))
    }

    /// Shows a design or a mockup (by its place in `pictures`), asking for its preview.
    static func showPicture(_ s: AppState, _ b: inout ProductBuilder, _ index: Int) -> [Effect] {
        guard let path = b.pictures.element(at: index) else { return [] }
        guard s.graphics != .off else {
            b.preview = .init(path: path, index: index, error: s.strings.t("product.preview_off"))
            return []
        }
        b.preview = .init(path: path, index: index)
        return [previewJob(s, path)].compactMap { $0 }
    }

    static func handleProduct(_ s: inout AppState, _ builder: ProductBuilder, _ key: Key) -> [Effect] {
        var b = builder
        var effects: [Effect] = []
        if let shown = b.preview {
            // ←/→ go through the design and the mockups; any other key puts them away.
            let command = dialogCommand(s, key)
            let step = command == .right ? 1 : command == .left ? -1 : 0
            let pictures = b.pictures
            if step != 0, pictures.count > 1 {
                effects = showPicture(s, &b, (shown.index + step + pictures.count) % pictures.count)
            } else {
                b.preview = nil
            }
            s.overlay = .product(b)
            return effects
        }
        let command = dialogCommand(s, key, typing: true)
        switch (b.stage, command) {
        case (_, .back?):
            s.overlay = nil
            return []
        case (.blueprint, .up?), (.blueprint, .listPrevious?), (.provider, .up?), (.provider, .listPrevious?):
            b.selected = max(0, b.selected - 1)
        case (.blueprint, .down?), (.blueprint, .listNext?):
            b.selected = min(max(0, b.matches.count - 1), b.selected + 1)
        case (.provider, .down?), (.provider, .listNext?):
            b.selected = min(max(0, (b.providers ?? []).count - 1), b.selected + 1)
        case (.blueprint, .select?):
            guard let picked = b.matches.element(at: b.selected) else { break }
            if picked.id != b.product.blueprint?.id {
                // Another product (a mug after a shirt): the design and the buyer's shipping carry over.
                var product = PrintProduct(blueprint: picked)
                (product.designs, product.shippingChargedCents) = (b.product.designs, b.product.shippingChargedCents)
                b.product = product
            }
            (b.stage, b.selected, b.providers, b.catalog) = (.provider, 0, nil, nil)
            effects.append(.job(Self.self, .loadProviders(blueprint: picked.id)))
        case (.provider, .select?):
            guard let picked = b.providers?.element(at: b.selected), let blueprint = b.product.blueprint else { break }
            if picked.id != b.product.provider?.id {
                b.product.provider = picked
                b.product.variants = []
            }
            (b.stage, b.selected, b.catalog) = (.grid, 0, nil)
            if b.product.designs.isEmpty, let design = b.defaults?.design { b.product.designs = [PrintProduct.Design(position: "front", file: design)] }
            b.areaIndex = 0
            b.input = productLine(s, b)
            effects.append(.job(Self.self, .loadProductCatalog(blueprint: blueprint.id, provider: picked.id)))
        case (.provider, .focusPrevious?):
            (b.stage, b.selected) = (.blueprint, b.blueprints?.firstIndex { $0.id == b.product.blueprint?.id } ?? 0)
        case (.grid, .focusPrevious?):
            effects += commitProductLine(s, &b)
            (b.stage, b.selected) = (.provider, b.providers?.firstIndex { $0.id == b.product.provider?.id } ?? 0)
        case (.grid, .select?):
            effects += commitProductLine(s, &b)
            s.overlay = nil
            guard var e = s.composer.editor else { return effects }
            e.draft.product = b.product
            // The listing shows its lowest price.
            if let low = b.product.variants.compactMap({ b.product.price($0, listing: nil) }).min() {
                e.set(.price, s.formats.plainAmount(cents: low), formats: s.formats)
            }
            effects += changed(&s, &e)
            s.composer.editor = e
            return effects
        case (.grid, .up?), (.grid, .listPrevious?), (.grid, .down?), (.grid, .listNext?):
            effects += commitProductLine(s, &b)
            let up = command == .up || command == .listPrevious
            b.selected = min(max(0, b.selected + (up ? -1 : 1)), b.rows.count + ProductBuilder.headerRows - 1)
            b.input = productLine(s, b)
        case (.grid, .fillDown?):
            // The price of this variant for every one below it that is on.
            effects += commitProductLine(s, &b)
            guard let v = b.variant, let from = b.product.variants.first(where: { $0.id == v.id }) else { break }
            let below = Set(b.rows.dropFirst(b.selected - ProductBuilder.headerRows).map(\.id))
            for i in b.product.variants.indices where below.contains(b.product.variants[i].id) { b.product.variants[i].priceCents = from.priceCents }
        case (.grid, .viewDesign?):
            effects += commitProductLine(s, &b)
            effects += showPicture(s, &b, 0)
        case (.grid, .nextArea?):
            effects += commitProductLine(s, &b)
            b.areaIndex = (min(b.areaIndex, b.areas.count - 1) + 1) % b.areas.count
            (b.designCheck, b.invalidLine) = (nil, nil)
            b.input = productLine(s, b)
            effects += designJobs(s, b)
        case (.grid, .toggleColour?):
            guard let v = b.variant else { break }
            effects += commitProductLine(s, &b)
            toggle(&b, b.rows.filter { $0.color == v.color })
            b.input = productLine(s, b)
        case (.grid, .priceForMargin?):
            effects += commitProductLine(s, &b)
            for i in b.product.variants.indices {
                let id = b.product.variants[i].id
                if let price = s.pricing.price(
                    costUSD: b.costs[id], shippingUSD: ShippingRate.firstItem(b.shipping, variant: id, country: b.shipTo)?.firstItemCents,
                    shippingChargedCents: b.product.shippingChargedCents, currency: b.currency, fees: s.fees)
                {
                    b.product.variants[i].priceCents = price
                }
            }
            b.input = productLine(s, b)
        default:
            if b.stage == .grid, let v = b.variant, key == .char(" ") {
                effects += commitProductLine(s, &b)
                toggle(&b, [v])
                b.input = productLine(s, b)
            } else if b.stage != .provider, let edit = TextFieldState.edit(for: key, keymap: s.keymap) {
                if b.stage == .blueprint {
                    b.query.apply(edit)
                    b.selected = 0
                } else if b.variant == nil || b.product.variants.contains(where: { $0.id == b.variant?.id }) {
                    b.input.apply(edit)
                }
            }
        }
        s.overlay = .product(b)
        return effects
    }

    static func renderProduct(_ s: AppState, _ b: ProductBuilder, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let width = min(s.width - 2, 100), height = max(8, s.height - 2)
        let rect = Rect(x: max(0, (s.width - width) / 2), y: 1, width: width, height: min(height, s.height))
        f.fill(rect, style: th.base)
        f.box(rect, style: th.accent, title: t.t("product.title"), titleStyle: th.title)
        let inner = rect.inset(dx: 2, dy: 1)
        var y = inner.y
        let chosen = [b.product.blueprint?.title, b.product.provider.map { $0.title + ($0.location.isEmpty ? "" : " (\($0.location))") }]
            .compactMap { $0 }.joined(separator: " · ")
        f.put(chosen.isEmpty ? t.t("product.choose_blueprint") : chosen, x: inner.x, y: y, style: th.header, maxWidth: inner.width)
        y += 2
        let footerY = inner.maxY - 1
        if let error = b.error {
            f.put("✗ " + error, x: inner.x, y: y, style: th.danger, maxWidth: inner.width)
            y += 2
        }
        switch b.stage {
        case .blueprint:
            f.put(t.t("product.search"), x: inner.x, y: y, style: th.muted)
            let label = t.t("product.search").displayWidth + 1
            b.query.render(into: &f, x: inner.x + label, y: y, width: inner.width - label, style: th.input, focused: true)
            y += 2
            let list = b.matches
            if b.blueprints == nil {
                f.put(t.t("product.loading_catalog"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width)
            } else if list.isEmpty {
                f.put(t.t("product.no_match"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width)
            }
            renderList(list.map { "\($0.title)  — \($0.brand) \($0.model)" }, selected: b.selected, y: y, until: footerY - 1, inner: inner, s: s, into: &f)
            f.put(
                t.t("product.count", ["shown": s.formats.integer(list.count), "all": s.formats.integer(b.blueprints?.count ?? 0)]), x: inner.x, y: footerY - 1,
                style: th.muted, maxWidth: inner.width)
            f.put(keyLine(s, [.select, .back], scope: "product"), x: inner.x, y: footerY, style: th.muted, maxWidth: inner.width)
        case .provider:
            if b.providers == nil { f.put(t.t("common.loading"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width) }
            if b.providers?.isEmpty == true { f.put(t.t("product.no_providers"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width) }
            let lines = (b.providers ?? []).map { $0.title + ($0.location.isEmpty ? "" : "  — " + $0.location) }
            renderList(lines, selected: b.selected, y: y, until: footerY, inner: inner, s: s, into: &f)
            f.put(keyLine(s, [.select, .focusPrevious, .back], scope: "product"), x: inner.x, y: footerY, style: th.muted, maxWidth: inner.width)
        case .grid:
            if let preview = b.preview {
                renderPreview(s, b, preview, into: &f)
            } else {
                renderGrid(s, b, y: y, inner: inner, into: &f)
            }
        }
    }

    /// The design drawn large: a picture by the terminal's graphics protocol, or symbol cells.
    private static func renderPreview(_ s: AppState, _ b: ProductBuilder, _ preview: ProductBuilder.DesignPreview, into f: inout Frame) {
        let t = s.strings, th = s.theme
        let r = previewRect(s)
        f.fill(Rect(x: r.x, y: r.y - 2, width: r.width, height: r.height + 3), style: th.base)
        let designs = b.pictures.count - b.mockups.count
        let name =
            preview.index < designs
            ? URL(fileURLWithPath: preview.path).lastPathComponent : t.t("product.mockup", ["n": s.formats.integer(preview.index - designs + 1)])
        let size = preview.result.map { " — " + t.t("product.preview_size", ["width": s.formats.integer($0.width), "height": s.formats.integer($0.height)]) }
        f.put(name + (size ?? ""), x: r.x, y: r.y - 2, style: th.header, maxWidth: r.width)
        f.put(t.t(b.pictures.count > 1 ? "product.preview_keys" : "common.any_key"), x: r.x, y: r.maxY, style: th.muted, maxWidth: r.width)
        if let error = preview.error {
            f.put("✗ " + error, x: r.x, y: r.y, style: th.danger, maxWidth: r.width)
            return
        }
        guard let p = preview.result else {
            f.put(t.t("product.preview_loading"), x: r.x, y: r.y, style: th.muted, maxWidth: r.width)
            return
        }
        drawPicture(p, id: preview.path, into: &f, rect: r)
    }

    private static func renderList(_ lines: [String], selected: Int, y: Int, until: Int, inner: Rect, s: AppState, into f: inout Frame) {
        let room = max(1, until - y)
        let start = min(max(0, selected - room + 1), max(0, lines.count - room))
        for (i, line) in lines.enumerated().dropFirst(start).prefix(room) {
            f.putPadded(line, x: inner.x, y: y + i - start, width: inner.width, style: i == selected ? s.theme.selection : s.theme.base)
        }
    }

    private static func renderGrid(_ s: AppState, _ b: ProductBuilder, y start: Int, inner: Rect, into f: inout Frame) {
        let t = s.strings, th = s.theme
        var y = start
        // The area's design: the file, its pixels against the print area's, its placement.
        let label = min(24, inner.width / 3)
        let area = b.area, design = b.design
        func line(_ row: ProductBuilder.HeaderRow, _ title: String, _ value: String, width: Int) {
            f.put(title, x: inner.x, y: y, style: b.header == row ? th.accent : th.muted, maxWidth: label)
            if b.header == row {
                b.input.render(into: &f, x: inner.x + label, y: y, width: width, style: th.input, focused: true)
            } else {
                f.put(value, x: inner.x + label, y: y, style: th.base, maxWidth: width)
            }
        }
        func hint(_ row: ProductBuilder.HeaderRow, _ text: String, _ invalid: String) {
            let (note, style) = b.invalidLine == row ? ("✗ " + t.t(invalid), th.danger) : (t.t(text), th.muted)
            f.put(note, x: inner.x + label + 26, y: y, style: style, maxWidth: max(0, inner.width - label - 26))
        }
        line(.design, t.t("product.design", ["area": area.position]), design?.file ?? "", width: inner.width - label)
        y += 1
        if let check = b.designCheck {
            let (text, style) = designNote(s, check, area: area.width > 0 ? area : nil, scale: design?.scale ?? 1)
            f.put(text, x: inner.x + label, y: y, style: style, maxWidth: inner.width - label)
        }
        y += 1
        // Placement: centre x and y (0–1 of the area), scale (1: the area's width), angle.
        line(.placement, t.t("product.placement"), design?.placementText ?? "", width: min(24, inner.width - label))
        hint(.placement, "product.placement_hint", "product.placement_invalid")
        y += 1
        // What the buyer pays for shipping, against what Printify charges (the Shipping column).
        line(.shipping, t.t("product.shipping_charged"), s.formats.money(cents: b.product.shippingChargedCents, currency: b.currency), width: 24)
        hint(.shipping, "product.shipping_charged_hint", "product.shipping_charged_invalid")
        y += 1
        // Every print area, the one shown marked, each with its design or none.
        let areas = b.areas
        if areas.count > 1 {
            let list = areas.map { a in
                (a.position == area.position ? "▸" : " ") + a.position + (b.product.design(on: a.position) == nil ? " —" : " ✓")
            }
            f.put(
                t.t("product.areas", ["areas": list.joined(separator: "  "), "key": keyLine(s, [.nextArea], scope: "product")]), x: inner.x, y: y,
                style: th.muted,
                maxWidth: inner.width)
        }
        y += 2
        // The grid.
        let widths = [4, max(8, inner.width - 70), 6, 10, 9, 9, 9, 10, 7]
        let headers = [
            "", "product.colour", "product.size", "field.price", "product.cost", "product.shipping", "product.fees", "product.profit", "product.margin",
        ]
        .map { $0.isEmpty ? "" : t.t($0) }
        var x = inner.x
        for (i, h) in headers.enumerated() {
            f.put(h, x: x, y: y, style: th.header, maxWidth: widths[i] - 1)
            x += widths[i]
        }
        y += 1
        let rows = b.rows
        if b.catalog == nil { f.put(t.t("common.loading"), x: inner.x, y: y, style: th.muted, maxWidth: inner.width) }
        let room = max(1, inner.maxY - 4 - y)
        let focusedRow = b.selected - ProductBuilder.headerRows
        let first = min(max(0, focusedRow - room + 1), max(0, rows.count - room))
        let on = Dictionary(b.product.variants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let unknownCost = b.product.variants.filter { b.costs[$0.id] == nil }.count
        for (i, v) in rows.enumerated().dropFirst(first).prefix(room) {
            let chosen = on[v.id]
            let sale: VariantFigures? = chosen.flatMap { figures(s, b, v, price: b.product.price($0, listing: b.listingPrice)) }
            let cells = gridCells(s, b, v, chosen: chosen, figures: sale)
            var rowStyle = chosen == nil ? th.muted : th.base
            if let sale { rowStyle = sale.profitCents < 0 ? th.danger : sale.margin < s.pricing.targetMargin ? th.warning : th.base }
            x = inner.x
            let rowY = y + i - first
            for (col, text) in cells.enumerated() {
                if i == focusedRow && col == 3 && chosen != nil {
                    b.input.render(into: &f, x: x, y: rowY, width: widths[col] - 1, style: th.input, focused: true)
                } else {
                    f.put(text, x: x, y: rowY, style: i == focusedRow && col <= 2 ? th.selection : rowStyle, maxWidth: widths[col] - 1)
                }
                x += widths[col]
            }
        }
        // What the figures rest on, and what is missing.
        var notes: [(String, Style)] = []
        let issues = b.product.issues(listingPrice: b.listingPrice, catalog: b.catalog)
        if let issue = issues.first { notes.append(("✗ " + t.message(for: issue), th.danger)) }
        if unknownCost > 0 {
            notes.append((t.t("product.cost_unknown", ["count": s.formats.integer(unknownCost)]), th.warning))
        } else if b.currency != "USD" {
            notes.append(
                s.pricing.usdRate.map { (t.t("product.rate", ["rate": s.formats.decimal($0), "currency": b.currency]), th.muted) }
                    ?? (t.t("product.rate_missing", ["currency": b.currency]), th.warning))
        }
        notes.append(
            (
                t.t("product.estimate", ["country": b.shipTo, "target": s.formats.percent(s.pricing.targetMargin), "count": s.formats.integer(on.count)]),
                th.muted
            ))
        for (i, note) in notes.suffix(3).enumerated() {
            f.put(note.0, x: inner.x, y: inner.maxY - 1 - notes.suffix(3).count + i, style: note.1, maxWidth: inner.width)
        }
        f.put(
            keyLine(s, [.select, .back, .toggleColour, .fillDown, .priceForMargin, .viewDesign, .focusPrevious], scope: "product"), x: inner.x,
            y: inner.maxY - 1,
            style: th.muted, maxWidth: inner.width)
    }

    /// A variant's line of the grid: on, colour, size, price, cost, shipping, fees, profit, margin.
    private static func gridCells(_ s: AppState, _ b: ProductBuilder, _ v: CatalogVariant, chosen: PrintProduct.Variant?, figures: VariantFigures?)
        -> [String]
    {
        func money(_ cents: Int) -> String { s.formats.money(cents: cents, currency: b.currency) }
        func usd(_ cents: Int?) -> String { cents.map { s.formats.money(cents: $0, currency: "USD") } ?? "—" }
        let price: Int? = chosen.flatMap { b.product.price($0, listing: b.listingPrice) }
        let shippingUSD: Int? = ShippingRate.firstItem(b.shipping, variant: v.id, country: b.shipTo)?.firstItemCents
        guard let f = figures else {
            return [chosen == nil ? "[ ]" : "[x]", v.color, v.size, price.map(money) ?? "", usd(b.costs[v.id]), usd(shippingUSD), "", "", ""]
        }
        let margin = s.formats.percent(f.margin) + (f.margin < s.pricing.targetMargin ? "!" : "")
        return ["[x]", v.color, v.size, money(f.priceCents), money(f.costCents), money(f.shippingPaidCents), money(f.feesCents), money(f.profitCents), margin]
    }

    /// What the design file is, against the print area it fills.
    static func designNote(_ s: AppState, _ check: PhotoFile.Check, area: PrintArea?, scale: Double) -> (String, Style) {
        let t = s.strings, th = s.theme
        guard let format = check.format, format != .gif, let w = check.width, let h = check.height else {
            return (t.t("product.design_not_image"), th.danger)
        }
        let size = t.t("product.design_size", ["format": format.rawValue, "width": s.formats.integer(w), "height": s.formats.integer(h)])
        guard let area else { return (size, th.muted) }
        if let need = PrintProduct.designShortfall(width: w, height: h, area: area, scale: scale) {
            return (
                size + " — "
                    + t.t("product.design_small", ["area": area.position, "width": s.formats.integer(need.width), "height": s.formats.integer(need.height)]),
                th.warning
            )
        }
        return (size + " — " + t.t("product.design_fits", ["area": area.position]), th.success)
    }
}
