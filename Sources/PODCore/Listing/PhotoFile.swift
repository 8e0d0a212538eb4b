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
