import Foundation

/// Where an image comes from.
public enum ImageKind: String, Sendable, CaseIterable, Codable {
    /// A design file placed on a Printify product.
    case design
    /// A listing photo (a draft's, or one pulled from the shop).
    case photo
    /// A Printify mockup, fetched.
    case mockup
    /// A post picture made by the Posts screen.
    case post
    /// A file from a folder the seller added.
    case file
}

/// The seller's verdict on an image.
public enum ImageFlag: String, Sendable, CaseIterable, Codable {
    case approved, needsWork = "needs_work", rejected

    /// The next flag `f` gives: none → approved → needs work → rejected → none.
    public static func next(after flag: ImageFlag?) -> ImageFlag? {
        switch flag {
        case nil: .approved
        case .approved?: .needsWork
        case .needsWork?: .rejected
        case .rejected?: nil
        }
    }
}

/// What an image file is: read from its first bytes, its header and a small decoded copy.
public struct ImageFile: Sendable, Equatable {
    public var format: String?
    public var bytes: Int?
    public var width: Int?
    public var height: Int?
    /// Some pixel is not opaque.
    public var hasAlpha: Bool?
    /// The 64-bit difference hash of the picture.
    public var hash: UInt64?
    /// Why the file cannot be read.
    public var error: String?

    public init(
        format: String? = nil, bytes: Int? = nil, width: Int? = nil, height: Int? = nil, hasAlpha: Bool? = nil, hash: UInt64? = nil, error: String? = nil
    ) {
        (self.format, self.bytes, self.width, self.height, self.hasAlpha, self.hash, self.error) = (format, bytes, width, height, hasAlpha, hash, error)
    }
}

/// An image as the Images screen knows it: its file (nothing known until it is read) and what
/// the seller said of it.
public struct ImageEntry: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var kind: ImageKind
    public var draftID: Int64?
    public var file: ImageFile
    /// The print area a design must fill, in pixels, when known.
    public var requirement: (width: Int, height: Int)?
    public var altText: String
    /// 0: not rated; 1–5 stars.
    public var rating: Int
    public var flag: ImageFlag?
    public var tags: [String]
    public var isDemo: Bool

    public init(
        id: Int64, path: String, kind: ImageKind, draftID: Int64? = nil, file: ImageFile = ImageFile(), requirement: (width: Int, height: Int)? = nil,
        altText: String = "", rating: Int = 0, flag: ImageFlag? = nil, tags: [String] = [], isDemo: Bool = false
    ) {
        (self.id, self.path, self.kind, self.draftID, self.file, self.requirement) = (id, path, kind, draftID, file, requirement)
        (self.altText, self.rating, self.flag, self.tags, self.isDemo) = (altText, rating, flag, tags, isDemo)
    }

    public static func == (a: ImageEntry, b: ImageEntry) -> Bool {
        a.id == b.id && a.path == b.path && a.kind == b.kind && a.draftID == b.draftID && a.file == b.file
            && a.requirement?.width == b.requirement?.width && a.requirement?.height == b.requirement?.height && a.altText == b.altText
            && a.rating == b.rating && a.flag == b.flag && a.tags == b.tags && a.isDemo == b.isDemo
    }

    public var name: String { URL(fileURLWithPath: path).lastPathComponent }
}

/// What a check found; the message key is `images.problem.CASE`.
public enum ImageProblem: Sendable, Equatable {
    case unreadable(String)
    /// Not a format Etsy takes for a listing photo (JPEG, PNG, GIF).
    case format(String)
    /// A photo below Etsy's advice for its shortest side.
    case smallPhoto(shortest: Int, advised: Int)
    /// A design smaller than the print area it fills.
    case smallDesign(width: Int, height: Int, needWidth: Int, needHeight: Int)
    /// Width over height beyond what a listing thumbnail shows well.
    case aspect(width: Int, height: Int)
    /// A listing photo without alt text.
    case missingAlt
    /// Another image looks the same (its perceptual hash is within a few bits).
    case nearDuplicate(of: Int64, distance: Int)
    /// A design for a print without transparency: its background prints too.
    case noTransparency

    public var key: String {
        switch self {
        case .unreadable: "images.problem.unreadable"
        case .format: "images.problem.format"
        case .smallPhoto: "images.problem.small_photo"
        case .smallDesign: "images.problem.small_design"
        case .aspect: "images.problem.aspect"
        case .missingAlt: "images.problem.missing_alt"
        case .nearDuplicate: "images.problem.duplicate"
        case .noTransparency: "images.problem.no_transparency"
        }
    }

    /// The short name the filter matches (`check:NAME`).
    public var name: String {
        switch self {
        case .unreadable: "unreadable"
        case .format: "format"
        case .smallPhoto, .smallDesign: "small"
        case .aspect: "aspect"
        case .missingAlt: "alt"
        case .nearDuplicate: "duplicate"
        case .noTransparency: "transparency"
        }
    }
}

public enum ImageChecks {
    /// Etsy's widest and narrowest sensible photo (its thumbnails are 4:3; beyond 1:3 or 3:1
    /// they are mostly crop).
    public static let aspectRange = (1.0 / 3.0)...3.0
    /// Hashes this many bits apart or fewer are near-duplicates.
    public static let duplicateDistance = 6

    /// Every problem of `e`; `duplicate` is the closest other image within the distance.
    public static func problems(_ e: ImageEntry, duplicate: (id: Int64, distance: Int)?) -> [ImageProblem] {
        let file = e.file
        if let error = file.error { return [.unreadable(error)] }
        var out: [ImageProblem] = []
        if e.kind == .photo, let f = file.format, PhotoFile.Format(rawValue: f) == nil { out.append(.format(f)) }
        if let w = file.width, let h = file.height {
            if e.kind == .photo || e.kind == .file, min(w, h) < PhotoFile.recommendedShortestSide {
                out.append(.smallPhoto(shortest: min(w, h), advised: PhotoFile.recommendedShortestSide))
            }
            if e.kind == .design, let need = e.requirement,
                let short = PrintProduct.designShortfall(width: w, height: h, area: PrintArea(position: "", width: need.width, height: need.height), scale: 1)
            {
                out.append(.smallDesign(width: w, height: h, needWidth: short.width, needHeight: short.height))
            }
            if e.kind == .photo, h > 0, !aspectRange.contains(Double(w) / Double(h)) { out.append(.aspect(width: w, height: h)) }
        }
        if e.kind == .photo, e.altText.trimmingWhitespace().isEmpty { out.append(.missingAlt) }
        if e.kind == .design, file.hasAlpha == false { out.append(.noTransparency) }
        if let d = duplicate { out.append(.nearDuplicate(of: d.id, distance: d.distance)) }
        return out
    }
}

/// Near-duplicates by perceptual hash: two images whose 64-bit difference hashes differ in at
/// most `distance` bits. The hash is cut into eight bytes; two hashes within 7 bits share at
/// least one byte exactly, so only images sharing a byte at the same place are compared —
/// about 8 × n² / 512 comparisons instead of n² / 2.
public enum NearDuplicates {
    public static func hamming(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// For each image with a near-duplicate: the closest other one and its distance (the
    /// lower id on a tie). Images with the same hash are grouped first, so a thousand copies of
    /// one picture cost one comparison, not a million.
    public static func closest(_ hashes: [(id: Int64, hash: UInt64)], distance: Int = ImageChecks.duplicateDistance) -> [Int64: (id: Int64, distance: Int)] {
        precondition(distance < 8, "the byte buckets find distances up to 7")
        var groups: [UInt64: [Int64]] = [:]
        for h in hashes { groups[h.hash, default: []].append(h.id) }
        let unique = Array(groups.keys)
        let first = unique.map { groups[$0]!.min()! }
        var best: [Int64: (id: Int64, distance: Int)] = [:]
        // The same hash: distance 0, the lowest other id.
        for ids in groups.values where ids.count > 1 {
            let sorted = ids.sorted()
            for id in sorted { best[id] = (id == sorted[0] ? sorted[1] : sorted[0], 0) }
        }
        // Distinct hashes: each pair sharing a byte compared once per byte it shares (a pair
        // met twice just finds the same distance again), the nearer kept for both.
        var nearest = [(index: Int, distance: Int)?](repeating: nil, count: unique.count)
        func offer(_ i: Int, _ j: Int, _ d: Int) {
            if let n = nearest[i], n.distance < d || (n.distance == d && first[n.index] <= first[j]) { return }
            nearest[i] = (j, d)
        }
        for band in 0..<8 {
            var buckets = [[Int]](repeating: [], count: 256)
            for (i, h) in unique.enumerated() { buckets[Int(UInt8(truncatingIfNeeded: h >> (band * 8)))].append(i) }
            for bucket in buckets where bucket.count > 1 {
                for a in 0..<(bucket.count - 1) {
                    let i = bucket[a], hi = unique[i]
                    for b in (a + 1)..<bucket.count {
                        let j = bucket[b], d = (hi ^ unique[j]).nonzeroBitCount
                        guard d <= distance else { continue }
                        offer(i, j, d)
                        offer(j, i, d)
                    }
                }
            }
        }
        for (i, n) in nearest.enumerated() {
            guard let n, groups[unique[i]]!.count == 1 else { continue }
            best[first[i]] = (first[n.index], n.distance)
        }
        return best
    }
}
