import CMedia
import Foundation

/// How images reach the terminal: kitty's or iTerm2's graphics protocols, sixel, Unicode
/// symbol cells (anywhere, tmux included), or not at all.
public enum GraphicsMode: String, Sendable, CaseIterable {
    case kitty, iterm2, sixel, symbols, off

    /// `[ui] graphics` when set ("auto" or absent: from the environment). Inside tmux or
    /// screen, graphics would need passthrough: symbols. `TERM=dumb`: none.
    public static func detect(configured: String?, environment: [String: String]) -> GraphicsMode {
        if let c = configured, let mode = GraphicsMode(rawValue: c) { return mode }
        let term = environment["TERM"] ?? ""
        if term == "dumb" || term.isEmpty { return .off }
        if environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux") { return .symbols }
        if environment["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || environment["TERM_PROGRAM"] == "ghostty" { return .kitty }
        if ["iTerm.app", "WezTerm"].contains(environment["TERM_PROGRAM"] ?? "") { return .iterm2 }
        if term.contains("sixel") || term == "mlterm" || term.hasPrefix("foot") { return .sixel }
        return .symbols
    }

    var chafaMode: Int32 {
        switch self {
        case .sixel: return 1
        case .kitty: return 2
        case .iterm2: return 3
        case .symbols, .off: return 0
        }
    }
}

/// An image made ready for `cols`×`rows` cells: the escape text of a graphics protocol, or
/// symbol cells with their colours.
public struct Preview: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var scalar: UInt32
        /// 0xRRGGBB (nil: the terminal's own).
        public var fg: UInt32?
        public var bg: UInt32?
        public init(scalar: UInt32, fg: UInt32?, bg: UInt32?) { (self.scalar, self.fg, self.bg) = (scalar, fg, bg) }
    }
    public var cols: Int
    public var rows: Int
    public var mode: GraphicsMode
    /// kitty, iTerm2, sixel: what to write at the rectangle's top-left corner.
    public var graphics: [UInt8]?
    /// symbols: row after row.
    public var cells: [Cell]
    /// The source's pixel size.
    public var width: Int
    public var height: Int

    public init(cols: Int, rows: Int, mode: GraphicsMode, graphics: [UInt8]?, cells: [Cell], width: Int, height: Int) {
        (self.cols, self.rows, self.mode, self.graphics, self.cells, self.width, self.height) = (cols, rows, mode, graphics, cells, width, height)
    }
}

public struct MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Decoding and scaling (libvips) and terminal encodings (chafa): pure functions from a file to
/// a `Preview`, with thumbnails kept on disk so a second look decodes a small PNG only.
public enum Media {
    static func failure(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(MediaError) {
        var buffer = [CChar](repeating: 0, count: 512)
        if body(&buffer, buffer.count) != 0 {
            throw MediaError(description: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// Whether libvips and chafa can be used here (else why not).
    public static func available() throws(MediaError) { try failure { cmedia_load($0, $1) } }

    /// A `width`×`height` PNG of gradients: the benchmark's stand-in for a design.
    public static func writeSample(to path: String, width: Int, height: Int) throws(MediaError) {
        try failure { cmedia_write_sample(path, Int32(width), Int32(height), $0, $1) }
    }

    /// A `width`×`height` PNG of noise from `seed`: the benchmark's distinct images.
    public static func writeNoise(to path: String, width: Int, height: Int, seed: Int) throws(MediaError) {
        try failure { cmedia_write_noise(path, Int32(width), Int32(height), Int32(truncatingIfNeeded: seed), $0, $1) }
    }

    /// The pixel size a file declares (libvips reads its header only).
    public static func size(of path: String) throws(MediaError) -> (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        try failure { cmedia_size(path, &w, &h, $0, $1) }
        return (Int(w), Int(h))
    }

    /// A preview of `path` fitting `cols`×`rows` cells of `cell` pixels, keeping its aspect.
    /// With `thumbnails` (a folder), the scaled image is kept there as PNG by the file's path,
    /// size and time: a later kitty or iTerm2 preview sends that file as it is, without decoding.
    public static func preview(
        of path: String, cols: Int, rows: Int, mode: GraphicsMode, cell: (width: Int, height: Int) = (10, 20), thumbnails: String? = nil
    ) throws(MediaError) -> Preview {
        guard cols > 0, rows > 0, mode != .off else { throw MediaError(description: "no room for a preview") }
        let (cw, ch) = (max(1, cell.width), max(1, cell.height))
        let source = try size(of: path)
        let maxW = cols * cw, maxH = rows * ch
        let thumbnail = thumbnails.flatMap { thumbnailPath(for: path, in: $0, width: maxW, height: maxH) }
        let kept = thumbnail.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        func fit(_ w: Int, _ h: Int) -> (cols: Int, rows: Int) {
            (max(1, min(cols, Int((Double(w) / Double(cw)).rounded(.up)))), max(1, min(rows, Int((Double(h) / Double(ch)).rounded(.up)))))
        }
        func graphics(png: Data, _ used: (cols: Int, rows: Int)) -> Preview {
            Preview(
                cols: used.cols, rows: used.rows, mode: mode, graphics: mode == .kitty ? kittySequence(png: png, used) : itermSequence(png: png, used),
                cells: [], width: source.width, height: source.height)
        }
        // A kept thumbnail goes to kitty or iTerm2 as the PNG it is.
        if mode == .kitty || mode == .iterm2, let kept, let png = FileManager.default.contents(atPath: kept), let size = try? size(of: kept) {
            return graphics(png: png, fit(size.width, size.height))
        }
        if let thumbnail {
            try? FileManager.default.createDirectory(atPath: (thumbnail as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        var image = cmedia_image()
        var png: UnsafeMutableRawPointer?
        var pngLength = 0
        let wantPNG = mode == .kitty || mode == .iterm2
        try failure { error, size in
            withUnsafeMutablePointer(to: &png) { out in
                cmedia_thumbnail(kept ?? path, Int32(maxW), Int32(maxH), kept == nil ? thumbnail : nil, &image, wantPNG ? out : nil, &pngLength, error, size)
            }
        }
        defer {
            cmedia_image_free(&image)
            free(png)
        }
        let used = fit(Int(image.width), Int(image.height))
        switch mode {
        case .kitty, .iterm2:
            guard let png else { throw MediaError(description: "libvips could not encode the image") }
            return graphics(png: Data(bytes: png, count: pngLength), used)
        case .sixel:
            var length = 0
            guard let text = cmedia_encode(&image, mode.chafaMode, Int32(used.cols), Int32(used.rows), Int32(cw), Int32(ch), &length) else {
                throw MediaError(description: "chafa could not encode the image")
            }
            defer { free(text) }
            let bytes = text.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            return Preview(cols: used.cols, rows: used.rows, mode: mode, graphics: bytes, cells: [], width: source.width, height: source.height)
        case .symbols, .off:
            let n = used.cols * used.rows
            var chars = [UInt32](repeating: 32, count: n), fg = [Int32](repeating: -1, count: n), bg = [Int32](repeating: -1, count: n)
            guard cmedia_symbols(&image, Int32(used.cols), Int32(used.rows), &chars, &fg, &bg) == 0 else {
                throw MediaError(description: "chafa could not draw the image")
            }
            let cells = (0..<n).map {
                Preview.Cell(scalar: chars[$0], fg: fg[$0] < 0 ? nil : UInt32(fg[$0]), bg: bg[$0] < 0 ? nil : UInt32(bg[$0]))
            }
            return Preview(cols: used.cols, rows: used.rows, mode: mode, graphics: nil, cells: cells, width: source.width, height: source.height)
        }
    }

    /// The most pixels an image may declare before anything decodes it: a 20,000 × 20,000
    /// picture (400 megapixels, over a gigabyte decoded) is refused from its header alone.
    public static let pixelsMax = 150_000_000

    /// Refuses an image too large to decode (read from its header only).
    public static func checkDecodable(_ path: String) throws(MediaError) -> (width: Int, height: Int) {
        let s = try size(of: path)
        guard s.width > 0, s.height > 0 else { throw MediaError(description: "the image declares no pixels") }
        guard s.width * s.height <= pixelsMax else {
            throw MediaError(description: "the image is too large to open: \(s.width) × \(s.height) pixels (at most \(pixelsMax / 1_000_000) megapixels)")
        }
        return s
    }

    /// A post picture (`width`×`height`, PNG at `path`): `photo` (nil: none) on top, cropped to
    /// fill, over a band of `band` (0xRRGGBB) with `headline` and `byline` set in white
    /// (DejaVu Sans, `make deps` installs it). Plain text: markup characters are escaped here.
    public static func composePost(
        photo: String?, width: Int, height: Int, headline: String, byline: String, band: UInt32 = 0x1F2933, to path: String
    ) throws(MediaError) {
        if let photo { _ = try checkDecodable(photo) }
        func markup(_ text: String, _ colour: String) -> String {
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            return escaped.isEmpty ? "" : "<span foreground=\"\(colour)\">\(escaped)</span>"
        }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: nil)
        } catch {
            throw MediaError(description: "the folder \(folder) could not be made: \(error.localizedDescription)")
        }
        try failure {
            cmedia_compose_post(photo, Int32(width), Int32(height), markup(headline, "#FFFFFF"), markup(byline, "#D9E2EC"), "DejaVu Sans", band, path, $0, $1)
        }
    }

    /// An image's perceptual fingerprint: its 64-bit difference hash (the picture shrunk to
    /// 9×8 grey, each bit whether a cell is brighter than its right neighbour; transparent
    /// pixels count as white) and whether any pixel is not opaque. The file is decoded at a
    /// small size only (a large PNG shrunk as it is read); one declaring over `pixelsMax` is
    /// refused from its header.
    public static func fingerprint(of path: String) throws(MediaError) -> (width: Int, height: Int, hash: UInt64, hasAlpha: Bool) {
        let size = try checkDecodable(path)
        var image = cmedia_image()
        try failure { cmedia_thumbnail(path, 64, 64, nil, &image, nil, nil, $0, $1) }
        defer { cmedia_image_free(&image) }
        let (w, h) = (Int(image.width), Int(image.height))
        guard w > 0, h > 0, let pixels = image.pixels else { throw MediaError(description: "libvips gave no pixels") }
        var grey = [Double](repeating: 0, count: w * h)
        var hasAlpha = false
        for i in 0..<(w * h) {
            let a = Double(pixels[i * 4 + 3]) / 255
            if pixels[i * 4 + 3] < 255 { hasAlpha = true }
            let y = 0.299 * Double(pixels[i * 4]) + 0.587 * Double(pixels[i * 4 + 1]) + 0.114 * Double(pixels[i * 4 + 2])
            grey[i] = y * a + 255 * (1 - a)
        }
        // Each of the 9×8 cells: the mean over the area it covers, a pixel counted by the part
        // of it inside the cell — the same picture at another size gives the same means.
        func weights(_ cell: Int, of cells: Int, _ size: Int) -> [(Int, Double)] {
            let start = Double(cell) * Double(size) / Double(cells), end = Double(cell + 1) * Double(size) / Double(cells)
            return (Int(start)..<min(size, Int(end.rounded(.up)))).map { p in (p, min(Double(p + 1), end) - max(Double(p), start)) }.filter { $0.1 > 0 }
        }
        let columns = (0..<9).map { weights($0, of: 9, w) }, rows = (0..<8).map { weights($0, of: 8, h) }
        func cell(_ cx: Int, _ cy: Int) -> Double {
            var sum = 0.0, total = 0.0
            for (y, wy) in rows[cy] {
                for (x, wx) in columns[cx] {
                    sum += grey[y * w + x] * wx * wy
                    total += wx * wy
                }
            }
            return total > 0 ? sum / total : 0
        }
        var hash: UInt64 = 0
        for cy in 0..<8 {
            let row = (0..<9).map { cell($0, cy) }
            for cx in 0..<8 where row[cx] > row[cx + 1] { hash |= 1 << UInt64(cy * 8 + cx) }
        }
        return (size.width, size.height, hash, hasAlpha)
    }

    /// kitty's graphics protocol: the PNG (`f=100`) shown at the cursor over `cols`×`rows`
    /// cells (`a=T`), in chunks of 4,096 base64 characters, the terminal asked not to answer
    /// (`q=2`: an answer would arrive as typed keys).
    static func kittySequence(png: Data, _ cells: (cols: Int, rows: Int)) -> [UInt8] {
        let encoded = Array(png.base64EncodedString().utf8)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 4096 * 16 + 64)
        var i = 0
        repeat {
            let end = min(encoded.count, i + 4096)
            let more = end < encoded.count ? 1 : 0
            let keys = i == 0 ? "a=T,f=100,q=2,C=1,c=\(cells.cols),r=\(cells.rows),m=\(more)" : "m=\(more)"
            out += Array("\u{1b}_G\(keys);".utf8) + encoded[i..<end] + Array("\u{1b}\\".utf8)
            i = end
        } while i < encoded.count
        return out
    }

    /// iTerm2's inline images: the PNG over `cols`×`rows` cells, its aspect kept.
    static func itermSequence(png: Data, _ cells: (cols: Int, rows: Int)) -> [UInt8] {
        Array("\u{1b}]1337;File=inline=1;size=\(png.count);width=\(cells.cols);height=\(cells.rows);preserveAspectRatio=1:".utf8)
            + Array(png.base64EncodedString().utf8) + [0x07]
    }

    /// Where the thumbnail of `path` at that size is kept: named by a hash of the path, its
    /// size and its time, so a changed file gets a new one.
    static func thumbnailPath(for path: String, in folder: String, width: Int, height: Int) -> String? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let stamp = "\(path)|\((a[.size] as? NSNumber)?.intValue ?? 0)|\((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        return (folder as NSString).appendingPathComponent(fileName(for: stamp) + "-\(width)x\(height).png")
    }

    /// A file name standing for `text` (FNV-1a, in hex): the same text, the same name.
    public static func fileName(for text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}

/// The last previews made, by file (its path, size and time), cells and mode: looking at a
/// design again costs nothing. At most `limit` are kept and at most `byteLimit` bytes of them
/// (a kitty picture is a PNG of about a megabyte; symbol cells a few kilobytes), the least
/// recently used going first — one put out comes back from its thumbnail in a millisecond.
public final class PreviewCache: @unchecked Sendable {
    public let limit: Int
    public let byteLimit: Int
    private let lock = NSLock()
    private var entries: [String: Preview] = [:]
    private var order: [String] = []
    private var bytes = 0

    public init(limit: Int = 50, byteLimit: Int = 8 << 20) {
        self.limit = max(1, limit)
        self.byteLimit = byteLimit
    }

    public var count: Int { lock.withLock { entries.count } }

    static func size(_ p: Preview) -> Int { (p.graphics?.count ?? 0) + p.cells.count * MemoryLayout<Preview.Cell>.stride }

    /// The preview from the cache, else made (outside the lock) and kept.
    public func preview(
        of path: String, cols: Int, rows: Int, mode: GraphicsMode, cell: (width: Int, height: Int), thumbnails: String?
    ) throws(MediaError) -> Preview {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\((attributes?[.size] as? NSNumber)?.intValue ?? -1)@\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        let key = "\(path)|\(stamp)|\(cols)x\(rows)|\(mode.rawValue)|\(cell.width)x\(cell.height)"
        if let hit = lock.withLock({ () -> Preview? in
            guard let p = entries[key] else { return nil }
            order.removeAll { $0 == key }
            order.append(key)
            return p
        }) {
            return hit
        }
        let made = try Media.preview(of: path, cols: cols, rows: rows, mode: mode, cell: cell, thumbnails: thumbnails)
        lock.withLock {
            if let old = entries.updateValue(made, forKey: key) {
                bytes -= Self.size(old)
            } else {
                order.append(key)
            }
            bytes += Self.size(made)
            while order.count > 1, order.count > limit || bytes > byteLimit {
                if let gone = entries.removeValue(forKey: order.removeFirst()) { bytes -= Self.size(gone) }
            }
        }
        return made
    }
}
