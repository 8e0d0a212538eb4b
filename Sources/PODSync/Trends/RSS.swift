import CCurl
import Foundation
import PODCore

/// The items of an RSS 2.0 feed (or the entries of an Atom feed): title, `ht:approx_traffic`
/// (Google Trends' extension) and `pubDate`. Read by libxml2's streaming reader (see feed.h):
/// linear in the document, no DTD, no external or declared entity expanded, no network; CDATA
/// and the XML entities are decoded. A document without a channel or feed is refused.
enum RSS {
    struct Item: Equatable {
        var title: String
        var traffic: String?
        var published: String?
    }

    enum Failure: Error, Equatable {
        case notRSS
        case unreadable(String)
    }

    static func items(_ xml: String) throws(Failure) -> [Item] { try items(Data(xml.utf8)) }

    static func items(_ data: Data) throws(Failure) -> [Item] {
        final class Collected { var items: [Item] = [] }
        let collected = Collected()
        var error = [CChar](repeating: 0, count: 200)
        let result = data.withUnsafeBytes { raw in
            cxml_feed_items(
                raw.bindMemory(to: CChar.self).baseAddress, raw.count, Unmanaged.passUnretained(collected).toOpaque(),
                { context, title, traffic, published in
                    guard let context, let title, let traffic, let published else { return }
                    let box = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
                    func text(_ p: UnsafePointer<CChar>) -> String {
                        String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self).trimmingWhitespace()
                    }
                    let t = text(title), a = text(traffic), d = text(published)
                    guard !t.isEmpty else { return }
                    box.items.append(Item(title: t, traffic: a.isEmpty ? nil : a, published: d.isEmpty ? nil : d))
                }, &error, error.count)
        }
        switch result {
        case Int32(CXML_OK): return collected.items
        case Int32(CXML_NOT_A_FEED): throw .notRSS
        default: throw .unreadable(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// "20,000+" → 20000; "2K+" → 2000; "1.5M+" → 1500000.
    static func traffic(_ s: String) -> Double? {
        var t = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "+", with: "").trimmingWhitespace().uppercased()
        var scale = 1.0
        if t.hasSuffix("K") {
            scale = 1_000
            t.removeLast()
        } else if t.hasSuffix("M") {
            scale = 1_000_000
            t.removeLast()
        }
        guard case .success(let v) = Checked.double(t, field: "approx_traffic", in: 0...Checked.maxCount / scale) else { return nil }
        return v * scale
    }

    /// An RFC 822 date ("Thu, 26 Nov 2026 20:00:00 -0800") as a Date.
    static func date(_ s: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z"] {
            f.dateFormat = format
            if let text = Checked.dateText(s), let d = f.date(from: text) { return d }
        }
        return nil
    }
}
