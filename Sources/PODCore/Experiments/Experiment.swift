import Foundation

/// An A/B test of one live listing. Etsy cannot split traffic, so the variants take turns:
/// the listing is switched between them in time slices (a day by default), in the balanced order
/// of `ExperimentSchedule`, and each variant is counted only in its own slices.
public struct Experiment: Equatable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case title, tags, price, description, photo }
    public enum Status: String, Sendable, Codable { case running, paused, ended }

    /// One version of the listing: only the field the experiment is about is set.
    public struct Variant: Equatable, Sendable, Codable {
        public var weight = 1
        public var title: String?
        public var tags: [String]?
        public var priceCents: Int?
        public var description: String?
        /// The photos (their files) in this variant's order: the first is the one buyers see.
        public var photos: [String]?
        public init(
            weight: Int = 1, title: String? = nil, tags: [String]? = nil, priceCents: Int? = nil, description: String? = nil, photos: [String]? = nil
        ) {
            (self.weight, self.title, self.tags, self.priceCents, self.description) = (weight, title, tags, priceCents, description)
            self.photos = photos
        }

        /// The listing as this variant has it.
        public func applied(to d: ListingDraft) -> ListingDraft {
            var out = d
            if let title { out.title = title }
            if let tags { out.tags = tags }
            if let priceCents { out.priceCents = priceCents }
            if let description { out.description = description }
            if let photos {
                // In this order; a photo taken off meanwhile stays off, one added stays last.
                let have = d.imageList
                out.images = photos.filter(have.contains) + have.filter { !photos.contains($0) }
            }
            return out
        }
    }

    public var id: Int64?
    /// The listing's row in the store.
    public var listingID: Int64
    public var kind: Kind
    public var variants: [Variant]
    public var start: Date
    public var end: Date
    public var slice: TimeInterval = 86_400
    public var status = Status.running
    /// The views each variant needs before a result is more than early (declared up front).
    public var minimumViews: Int?
    public var winner: Int?

    public init(listingID: Int64, kind: Kind, variants: [Variant], start: Date, end: Date, slice: TimeInterval = 86_400, minimumViews: Int? = nil) {
        (self.listingID, self.kind, self.variants, self.start, self.end, self.slice) = (listingID, kind, variants, start, end, slice)
        self.minimumViews = minimumViews
    }

    public var sliceCount: Int { slice > 0 ? max(0, Int((end.timeIntervalSince(start) / slice).rounded(.up))) : 0 }
    /// Which variant has each slice.
    public var order: [Int] { ExperimentSchedule.order(weights: variants.map(\.weight), slices: sliceCount) }

    /// The slice `date` falls in (nil before the start or from the end on).
    public func sliceIndex(at date: Date) -> Int? {
        guard date >= start, date < end, slice > 0 else { return nil }
        return min(sliceCount - 1, Int(date.timeIntervalSince(start) / slice))
    }

    /// The variant live at `date` by the schedule.
    public func variant(at date: Date) -> Int? { sliceIndex(at: date).flatMap { order.element(at: $0) } }

    /// Whether a listing has prices of its own per variation, so that one price cannot take
    /// turns on it.
    public static func pricedPerVariation(_ listing: ListingDraft) -> Bool {
        listing.variations?.combinations.contains { $0.priceCents != nil } == true
    }

    /// Why it cannot start: fewer than two variants or more than four, a weight below one, a
    /// schedule without a turn for each variant, a price on a listing priced per variation, or
    /// a variant that breaks Etsy's rules on `listing`.
    public func problems(on listing: ListingDraft) -> [String] {
        var out: [String] = []
        if !(2...4).contains(variants.count) { out.append("experiment_variants") }
        if variants.contains(where: { $0.weight < 1 }) { out.append("experiment_weight") }
        if sliceCount < variants.count { out.append("experiment_schedule") }
        if kind == .price, Self.pricedPerVariation(listing) { out.append("experiment_price_variations") }
        for (i, v) in variants.enumerated() where !ListingRules.check(v.applied(to: listing)).isEmpty {
            out.append("experiment_rules_\(i)")
        }
        return out
    }
}

extension Array {
    /// The element at `i`, or nil when the array has none there.
    public func element(at i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
