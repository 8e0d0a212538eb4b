import Foundation
import GRDB
import PODCore

/// Why an experiment was not started.
public enum ExperimentRefusal: Error, Equatable, Sendable {
    /// The listing is not on Etsy (demo, or not pushed or pulled yet).
    case notOnShop
    /// It has an experiment that has not ended.
    case alreadyRunning
    /// The experiment itself: its `Experiment.problems` codes.
    case invalid([String])
}

/// A variant's figures, counted only in its own slices.
public struct VariantResult: Equatable, Sendable {
    public var days = 0.0
    public var views = 0.0
    public var favorites = 0.0
    public var orders = 0
    public var revenueCents = 0
    public init() {}
}

extension Store {
    /// The draft a listing is edited through (made from the listing when it has none yet);
    /// nil for a listing that is not on a shop.
    public func listingDraft(listingID: Int64, now: Date) throws -> ListingDraft? {
        try pool.write { db in try Self.draftForListing(db, id: listingID, now: now).flatMap { try Self.draft(db, id: $0) } }
    }

    /// Starts an experiment on a listing: checked against Etsy's rules, one per listing, the
    /// listing as it is kept to restore it at the end.
    @discardableResult
    public func startExperiment(_ e: Experiment, now: Date) throws -> Int64 {
        try pool.write { db in
            guard let draftID = try Self.draftForListing(db, id: e.listingID, now: now), let listing = try Self.draft(db, id: draftID),
                try String.fetchOne(db, sql: "SELECT provider FROM listings WHERE id = ? AND is_demo = 0", arguments: [e.listingID]) == ProviderID.etsy.rawValue
            else { throw ExperimentRefusal.notOnShop }
            let problems = e.problems(on: listing)
            guard problems.isEmpty else { throw ExperimentRefusal.invalid(problems) }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM experiments WHERE listing_id = ? AND status != 'ended')", arguments: [e.listingID])
                == true
            {
                throw ExperimentRefusal.alreadyRunning
            }
            try db.execute(
                sql: """
                    INSERT INTO experiments (listing_id, kind, status, variants, original, starts_at, ends_at, slice_seconds, minimum_views,
                        created_at, updated_at)
                    VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    e.listingID, e.kind.rawValue, Self.json(e.variants), listing.json(), e.start.timeIntervalSince1970, e.end.timeIntervalSince1970, e.slice,
                    e.minimumViews, now.timeIntervalSince1970, now.timeIntervalSince1970,
                ])
            return db.lastInsertedRowID
        }
    }

    static func experiment(_ r: Row) -> Experiment? {
        guard let kind = Experiment.Kind(rawValue: r["kind"]), let status = Experiment.Status(rawValue: r["status"]),
            let variants = try? JSONDecoder().decode([Experiment.Variant].self, from: Data((r["variants"] as String).utf8))
        else { return nil }
        var e = Experiment(
            listingID: r["listing_id"], kind: kind, variants: variants, start: Date(timeIntervalSince1970: r["starts_at"]),
            end: Date(timeIntervalSince1970: r["ends_at"]), slice: r["slice_seconds"], minimumViews: r["minimum_views"])
        (e.id, e.status, e.winner) = (r["id"], status, r["winner"])
        return e
    }

    /// The experiments, newest first (of one listing when given).
    public func experiments(listingID: Int64? = nil) throws -> [Experiment] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM experiments WHERE ? IS NULL OR listing_id = ? ORDER BY id DESC", arguments: [listingID, listingID]
            ).compactMap(Self.experiment)
        }
    }

    /// Puts each running experiment's listing on the variant its slice has: an update of the
    /// listing queued once for the slice (its key names the experiment and the slice), none when
    /// the listing has that variant already. An experiment past its end without a winner puts
    /// the listing back as it was and ends. Returns the updates queued.
    @discardableResult
    public func advanceExperiments(now: Date) throws -> Int {
        try pool.write { db in
            var queued = 0
            for e in try Row.fetchAll(db, sql: "SELECT * FROM experiments WHERE status = 'running'").compactMap(Self.experiment) {
                guard let id = e.id else { continue }
                if now >= e.end {
                    if try Self.restoreListing(db, e, now: now) { queued += 1 }
                    try db.execute(sql: "UPDATE experiments SET status = 'ended', updated_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, id])
                    continue
                }
                guard let slice = e.sliceIndex(at: now), let variant = e.order.element(at: slice),
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM experiment_switches WHERE experiment_id = ? AND slice = ?)", arguments: [id, slice])
                        == false
                else { continue }
                let key = "experiment-\(id)-slice-\(slice)"
                let sent = try Self.switchListing(db, e, key: key, now: now) { _, d in e.variants[variant].applied(to: d) }
                if sent { queued += 1 }
                try db.execute(
                    sql: "INSERT INTO experiment_switches (experiment_id, slice, variant, outbox_key, switched_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, slice, variant, sent ? key : nil, now.timeIntervalSince1970])
            }
            return queued
        }
    }

    /// Changes the listing's draft as `change` says and queues its update on Etsy under `key`
    /// (sent once); false, and nothing queued, when the change changes nothing.
    static func switchListing(_ db: Database, _ e: Experiment, key: String, now: Date, _ change: (Experiment, ListingDraft) -> ListingDraft) throws -> Bool {
        guard let draftID = try draftForListing(db, id: e.listingID, now: now), let draft = try Self.draft(db, id: draftID) else { return false }
        var next = change(e, draft)
        guard next != draft else { return false }
        // The listing as it was goes into its history first (noted with the switch's key), so
        // that any switch, the end or the winner can be undone from the composer's revisions.
        var before = draft
        before.version = nil
        _ = try insertRevision(db, draftID: draftID, json: before.json(), note: key, now: now)
        next.id = draftID
        let id = try saveDraft(db, next, now: now, state: "queued")
        next.id = id
        try enqueue(db, .etsy, .updateListing, draftID: id, payload: next.json(), key: key, now: now)
        return true
    }

    /// Puts the listing's tested field back as it was when the experiment started (queued once,
    /// under the key of the experiment's end); false when it is that already.
    static func restoreListing(_ db: Database, _ e: Experiment, now: Date) throws -> Bool {
        guard let id = e.id,
            let original = try String.fetchOne(db, sql: "SELECT original FROM experiments WHERE id = ?", arguments: [id]).flatMap(ListingDraft.fromJSON)
        else { return false }
        return try switchListing(db, e, key: "experiment-\(id)-end", now: now) { $0.kind.restore(from: original, into: $1) }
    }

    /// Sets an experiment's state: paused (no switches), running again, or ended with the
    /// listing back as it was.
    public func setExperimentStatus(id: Int64, _ status: Experiment.Status, now: Date) throws {
        try pool.write { db in
            guard let e = try Row.fetchOne(db, sql: "SELECT * FROM experiments WHERE id = ?", arguments: [id]).flatMap(Self.experiment), e.status != .ended
            else { return }
            if status == .ended { _ = try Self.restoreListing(db, e, now: now) }
            try db.execute(
                sql: "UPDATE experiments SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, now.timeIntervalSince1970, id])
        }
    }

    /// Ends an experiment with `variant` as the listing for good.
    public func pushExperimentWinner(id: Int64, variant: Int, now: Date) throws {
        try pool.write { db in
            guard let e = try Row.fetchOne(db, sql: "SELECT * FROM experiments WHERE id = ?", arguments: [id]).flatMap(Self.experiment),
                let chosen = e.variants.element(at: variant)
            else { return }
            _ = try Self.switchListing(db, e, key: "experiment-\(id)-winner", now: now) { _, d in chosen.applied(to: d) }
            try db.execute(
                sql: "UPDATE experiments SET status = 'ended', winner = ?, updated_at = ? WHERE id = ?", arguments: [variant, now.timeIntervalSince1970, id])
        }
    }

    /// Each variant's figures up to `now`, counted only in its own slices: its days live, the
    /// views and favourites of those days (a count spanning several days shared evenly among
    /// them), and the orders and revenue of the listing's sales made while it was live.
    public func experimentResults(id: Int64, now: Date) throws -> [VariantResult] {
        try pool.read { db in
            guard let e = try Row.fetchOne(db, sql: "SELECT * FROM experiments WHERE id = ?", arguments: [id]).flatMap(Self.experiment) else { return [] }
            return try Self.results(db, e, now: now)
        }
    }

    static func results(_ db: Database, _ e: Experiment, now: Date) throws -> [VariantResult] {
        guard let listing = try String.fetchOne(db, sql: "SELECT provider_listing_id FROM listings WHERE id = ?", arguments: [e.listingID]) else { return [] }
        var out = [VariantResult](repeating: VariantResult(), count: e.variants.count)
        let order = e.order, until = min(now, e.end)
        for slice in 0..<e.sliceCount {
            let from = e.start.addingTimeInterval(Double(slice) * e.slice)
            guard from < until, let v = order.element(at: slice) else { break }
            out[v].days += min(until, from.addingTimeInterval(e.slice)).timeIntervalSince(from) / 86_400
        }
        // A day's counts are what the day's first pass read less the pass before: the views of
        // the days between, each day's share going to the variant live that day.
        let days = try Row.fetchAll(db, sql: "SELECT day, views, favorites FROM listing_stats WHERE listing_id = ? ORDER BY day", arguments: [listing])
        for (before, after) in zip(days, days.dropFirst()) {
            guard let d0 = ListingStats.date(before["day"]), let d1 = ListingStats.date(after["day"]) else { continue }
            let span = max(1, Int((d1.timeIntervalSince(d0) / 86_400).rounded()))
            let views = Double(max(0, (after["views"] as Int) - (before["views"] as Int))) / Double(span)
            let favorites = Double(max(0, (after["favorites"] as Int) - (before["favorites"] as Int))) / Double(span)
            for k in 0..<span {
                // The middle of the day counted: the variant live then.
                guard let v = e.variant(at: d0.addingTimeInterval(Double(k) * 86_400 + 43_200)) else { continue }
                out[v].views += views
                out[v].favorites += favorites
            }
        }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT r.receipt_id, r.created_at, SUM(t.price_cents * t.quantity) AS revenue FROM etsy_transactions t
                JOIN etsy_receipts r ON r.receipt_id = t.receipt_id
                WHERE t.listing_id = ? AND r.counts = 1 AND r.created_at >= ? AND r.created_at < ? GROUP BY r.receipt_id
                """, arguments: [listing, e.start.timeIntervalSince1970, until.timeIntervalSince1970])
        {
            guard let v = e.variant(at: Date(timeIntervalSince1970: r["created_at"])) else { continue }
            out[v].orders += 1
            out[v].revenueCents += r["revenue"] as Int
        }
        return out
    }

    /// The notifications experiments call for: one that ended, and one whose variants each
    /// reached the declared minimum views with B's conversion different from A's at 5 %
    /// (not before: stopping at the first lucky look finds differences that are not there).
    static func experimentNotices(_ db: Database, now: Date) throws -> [NewNotification] {
        var out: [NewNotification] = []
        for e in try Row.fetchAll(db, sql: "SELECT * FROM experiments").compactMap(Self.experiment) {
            guard let id = e.id else { continue }
            let title = try String.fetchOne(db, sql: "SELECT title FROM listings WHERE id = ?", arguments: [e.listingID]) ?? ""
            if e.status == .ended {
                out.append(
                    NewNotification(
                        kind: "experiment", titleKey: "notify.experiment_ended", args: ["title": title], subject: "screen:experiments",
                        dedupeKey: "experiment_end/\(id)"))
                continue
            }
            let r = try results(db, e, now: now)
            guard r.count >= 2, let minimum = e.minimumViews, r.allSatisfy({ $0.views >= Double(minimum) }),
                let c = ExperimentStats.twoProportions(successesA: r[0].orders, trialsA: Int(r[0].views), successesB: r[1].orders, trialsB: Int(r[1].views)),
                c.isSignificant
            else { continue }
            out.append(
                NewNotification(
                    kind: "experiment", titleKey: "notify.experiment_significant", args: ["title": title, "p": String(format: "%.3f", c.p)],
                    subject: "screen:experiments", dedupeKey: "experiment_significant/\(id)"))
        }
        return out
    }
}

extension Experiment.Kind {
    /// The listing with this kind's field as it was in `original` (the rest as it is now).
    func restore(from original: ListingDraft, into d: ListingDraft) -> ListingDraft {
        var out = d
        switch self {
        case .title: out.title = original.title
        case .tags: out.tags = original.tags
        case .price: out.priceCents = original.priceCents
        case .description: out.description = original.description
        case .photo: out.images = original.images
        }
        return out
    }
}

/// An experiment as its screen shows it: with its listing's title and each variant's figures.
public struct ExperimentOverview: Equatable, Sendable {
    public var experiment: Experiment
    public var listingTitle: String
    public var results: [VariantResult]
    public init(experiment: Experiment, listingTitle: String, results: [VariantResult]) {
        (self.experiment, self.listingTitle, self.results) = (experiment, listingTitle, results)
    }
}

extension Store {
    /// Every experiment, newest first, with its listing's title and its variants' figures up to `now`.
    public func experimentOverviews(now: Date) throws -> [ExperimentOverview] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM experiments ORDER BY id DESC").compactMap(Self.experiment).map { e in
                let title = try String.fetchOne(db, sql: "SELECT title FROM listings WHERE id = ?", arguments: [e.listingID]) ?? ""
                return ExperimentOverview(experiment: e, listingTitle: title, results: try Self.results(db, e, now: now))
            }
        }
    }
}
