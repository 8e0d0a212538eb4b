import Foundation

/// A photo file as Etsy takes it (JPEG, PNG or GIF): its format read from its first bytes, so
/// that a file whose content is not what its name says is refused here, with the reason,
/// instead of by the shop.
public enum PhotoFile {
    public enum Format: String, Sendable { case jpeg = "JPEG", png = "PNG", gif = "GIF" }

    /// The format the bytes are in (nil: none Etsy takes).
    public static func format(of data: Data) -> Format? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        return nil
    }

    /// The format a file name promises.
    public static func format(ofName name: String) -> Format? {
        switch (name.split(separator: ".").last.map(String.init) ?? "").lowercased() {
        case "jpg", "jpeg": return .jpeg
        case "png": return .png
        case "gif": return .gif
        default: return nil
        }
    }

    /// Etsy's advice for listing photos: at least this many pixels on the shortest side.
    public static let recommendedShortestSide = 2000

    /// The pixel size a JPEG, PNG or GIF declares in its header (nil when it cannot be read).
    public static func dimensions(of data: Data) -> (width: Int, height: Int)? {
        let b = [UInt8](data.prefix(256 * 1024))
        func be16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        switch format(of: data) {
        case .png?:
            // The IHDR chunk comes first: width and height, big-endian, at bytes 16 and 20.
            guard b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
            let w = be16(16) << 16 | be16(18), h = be16(20) << 16 | be16(22)
            return w > 0 && h > 0 ? (w, h) : nil
        case .gif?:
            guard b.count >= 10 else { return nil }
            let w = Int(b[6]) | Int(b[7]) << 8, h = Int(b[8]) | Int(b[9]) << 8
            return w > 0 && h > 0 ? (w, h) : nil
        case .jpeg?:
            // Segment by segment to a start of frame (SOF0–SOF15 but DHT, JPG and DAC).
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF {
                    i += 1
                    continue
                }
                let length = be16(i + 2)
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    let h = be16(i + 5), w = be16(i + 7)
                    return w > 0 && h > 0 ? (w, h) : nil
                }
                guard length >= 2 else { return nil }
                i += 2 + length
            }
            return nil
        case nil: return nil
        }
    }

    /// What the composer shows of a photo file before it is sent.
    public struct Check: Equatable, Sendable {
        public var format: Format?
        public var bytes: Int
        public var width: Int?
        public var height: Int?
        /// Why Etsy would not take it (nil: it would).
        public var problem: String?
        /// Below Etsy's advice for the shortest side.
        public var small: Bool { (width.map { w in height.map { min(w, $0) } ?? w }).map { $0 < recommendedShortestSide } ?? false }

        /// `head`: the file's first bytes (enough for its header); `bytes`: its size.
        public init(name: String, head: Data, bytes: Int) {
            (format, self.bytes, problem) = (PhotoFile.format(of: head), bytes, PhotoFile.problem(name: name, data: head))
            if let d = PhotoFile.dimensions(of: head) { (width, height) = (d.width, d.height) }
        }

        /// A file that cannot be read.
        public init(unreadable reason: String) {
            (format, bytes, problem) = (nil, 0, reason)
        }
    }

    /// Why the file cannot go to Etsy as a photo (nil: it can).
    public static func problem(name: String, data: Data) -> String? {
        if data.isEmpty { return "\(name) is empty" }
        guard let actual = format(of: data) else { return "\(name) is not a JPEG, PNG or GIF image" }
        if let named = format(ofName: name), named != actual { return "\(name) is a \(actual.rawValue) image named as \(named.rawValue)" }
        return nil
    }
}

extension PhotoFile.Format {
    public var mimeType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .gif: return "image/gif"
        }
    }
}
