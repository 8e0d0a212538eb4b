import Foundation
import PODCore

/// The items of an RSS 2.0 feed: title, `ht:approx_traffic` (Google Trends' extension) and
/// `pubDate`. A small extractor rather than an XML parser: Foundation's XMLParser lives in
/// FoundationXML, which would link libxml2 into the app and cost start-up time on every
/// launch for a feed read a few times a day. It reads CDATA and the XML entities, and refuses a
/// document without a channel.
enum RSS {
    struct Item: Equatable {
        var title: String
        var traffic: String?
        var published: String?
    }

    enum Failure: Error, Equatable { case notRSS }

    static func items(_ xml: String) throws(Failure) -> [Item] {
        guard xml.contains("<rss") || xml.contains("<channel") else { throw .notRSS }
        var out: [Item] = []
        var rest = Substring(xml)
        while let open = rest.range(of: "<item>") ?? rest.range(of: "<item "), let close = rest.range(of: "</item>", range: open.upperBound..<rest.endIndex) {
            let body = rest[open.upperBound..<close.lowerBound]
            if let title = text(of: "title", in: body), !title.isEmpty {
                out.append(Item(title: title, traffic: text(of: "ht:approx_traffic", in: body), published: text(of: "pubDate", in: body)))
            }
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The text of the first `<tag>` in `body`, entities decoded.
    static func text(of tag: String, in body: Substring) -> String? {
        guard let start = body.range(of: "<\(tag)>"), let end = body.range(of: "</\(tag)>", range: start.upperBound..<body.endIndex) else { return nil }
        var inner = body[start.upperBound..<end.lowerBound].trimmingWhitespace()
        if inner.hasPrefix("<![CDATA["), inner.hasSuffix("]]>") { return String(inner.dropFirst(9).dropLast(3)).trimmingWhitespace() }
        inner = decodeEntities(inner)
        return inner
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = rest[rest.index(after: amp)..<semi]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let v = named[String(name)] {
                out += v
            } else if name.hasPrefix("#x") || name.hasPrefix("#X"), let n = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(n) {
                out.unicodeScalars.append(u)
            } else if name.hasPrefix("#"), let n = UInt32(name.dropFirst()), let u = Unicode.Scalar(n) {
                out.unicodeScalars.append(u)
            } else {
                out += rest[amp...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    /// "20,000+" → 20000; "2K+" → 2000; "1.5M+" → 1500000.
    static func traffic(_ s: String) -> Double? {
        var t = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "+", with: "").trimmingWhitespace().uppercased()
        var scale = 1.0
        if t.hasSuffix("K") { scale = 1_000; t.removeLast() } else if t.hasSuffix("M") { scale = 1_000_000; t.removeLast() }
        return Double(t).map { $0 * scale }
    }

    /// An RFC 822 date ("Thu, 26 Nov 2026 20:00:00 -0800") as a Date.
    static func date(_ s: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z"] {
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }
}
