import Foundation
import PODStore

@testable import PODApp
@testable import PODCore
@testable import PODSync

/// The parsers of outside data, as fuzz targets. Built with libFuzzer (`make fuzz`) it explores
/// one target by coverage; built plainly (`make test`) it replays the kept corpus and crashers,
/// then runs a seeded random mutation of them — a property run where libFuzzer is not used.
enum Target: String, CaseIterable {
    case listings, trends, rss, config, providers

    func run(_ data: Data) {
        switch self {
        case .listings:
            for format in ListingFile.Format.allCases { _ = try? ListingFile.read(data, format: format) }
        case .trends:
            for format in ListingFile.Format.allCases { try? TrendFile.read(data, format: format, fetchedAt: Date(timeIntervalSince1970: 0)) { _ in } }
        case .rss:
            for item in (try? RSS.items(data)) ?? [] {
                _ = item.traffic.flatMap(RSS.traffic)
                _ = item.published.flatMap(RSS.date)
            }
        case .config:
            _ = try? AppConfig.parse(String(decoding: data, as: UTF8.self), file: "fuzz.toml")
        case .providers:
            // Token answers, Etsy listings, inventories, receipts and ledger entries, Printify
            // products, orders and catalog answers, error bodies, rate headers, and a photo file's
            // header (its pixel size).
            _ = PhotoFile.Check(name: "fuzz.jpg", head: data, bytes: data.count)
            // An AI model's post, and the counts and checks any post text goes through.
            let whole = String(decoding: data, as: UTF8.self)
            for platform in SocialPlatform.allCases {
                if let post = try? OpenAICopywriter.parsePost(whole, platform: platform, language: "de", link: "https://www.etsy.com/listing/1") {
                    _ = post.problems(bannedTopics: ["x"])
                }
            }
            _ = SocialRules.xLength(whole)
            _ = SocialRules.hashtags(in: whole)
            let text = String(decoding: data.prefix(64), as: UTF8.self)
            _ = ProviderError.from(HTTPResponse(status: 429, headers: ["retry-after": text], body: data), fields: EtsyClient.listingFields)
            _ = ProviderError.from(HTTPResponse(status: 400, body: data), fields: EtsyClient.listingFields)
            let limiter = RateLimiter(perSecond: 10)
            limiter.observe(limitPerSecond: Double(text), remainingThisSecond: Int(text), remainingToday: Int(text), now: Date())
            _ = limiter.reserve(now: Date())
            guard let object = try? JSONSerialization.jsonObject(with: data) else { return }
            _ = PrintifyClient.variants(object)
            _ = PrintifyClient.shippingRates(object)
            for o in (object as? [[String: Any]]) ?? [object as? [String: Any]].compactMap({ $0 }) {
                _ = Credential(tokenAnswer: o, now: Date(), refreshLifetime: 86_400)
                _ = try? EtsyClient.listing(o)
                _ = EtsyClient.readInventory(o)
                _ = PrintifyClient.product(o)
                _ = PrintifyClient.blueprint(o)
                _ = PrintifyClient.provider(o)
                _ = PrintifyClient.order(o)
                _ = EtsyClient.receipt(o)
                _ = EtsyClient.ledgerEntry(o)
            }
        }
    }
}

/// A small deterministic generator for the seeded run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations a fuzzer would make: bytes flipped, inserted, deleted, spliced, and the values a
/// parser fears (huge and odd numbers, controls, quotes) dropped in.
func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
    let tokens = [
        "1e19", "nan", "inf", "-1", "99999999999999999999", "\u{1B}]52;c;aGk=\u{07}", "\u{202E}", "\"", ",", "\n", "\r\n", "<item>",
        "</item>", "]]>", "&#0;", "{", "}", "[", "]", "0x10", "92233720368547759", "1.5M+", "=", "[[", "\\",
    ].map { Array($0.utf8) }
    var out = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0 where !out.isEmpty: out[at] = UInt8.random(in: 0...255, using: &rng)
        case 1: out.insert(UInt8.random(in: 0...255, using: &rng), at: at)
        case 2 where !out.isEmpty: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...16, using: &rng)))
        case 3: out.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
        default:
            let from = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
            out.insert(contentsOf: out[from..<min(out.count, from + 32)], at: at)
        }
    }
    return out
}

func inputs(_ paths: [String]) -> [(String, Data)] {
    paths.flatMap { path -> [(String, Data)] in
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return (try? Data(contentsOf: URL(fileURLWithPath: path))).map { [(path, $0)] } ?? [] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        return inputs(names.map { path + "/" + $0 })
    }
}

nonisolated(unsafe) var current = Target.listings

#if FUZZING
    /// libFuzzer's entry: the target comes from PODFUZZ_TARGET (`make fuzz` sets it).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let target = ProcessInfo.processInfo.environment["PODFUZZ_TARGET"].flatMap(Target.init(rawValue:)) else {
            fatalError("set PODFUZZ_TARGET to one of \(Target.allCases.map(\.rawValue))")
        }
        target.run(data.map { Data(bytes: $0, count: size) } ?? Data())
        return 0
    }
#endif

@main struct Fuzz {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = Target(rawValue: arguments[1]) else {
            print("usage: PODFuzz TARGET [libFuzzer flags] CORPUS… (targets: \(Target.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        current = target
        #if FUZZING
            // libFuzzer's driver, with the rest of the arguments (its flags and corpus folders).
            typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
            typealias Driver =
                @convention(c) (UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>, Callback) -> CInt
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else { fatalError("not built with -sanitize=fuzzer") }
            setenv("PODFUZZ_TARGET", target.rawValue, 1)
            var cArgs: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
            var argc = CInt(cArgs.count - 1)
            exit(
                cArgs.withUnsafeMutableBufferPointer { buffer -> CInt in
                    var argv = buffer.baseAddress
                    return unsafeBitCast(symbol, to: Driver.self)(&argc, &argv, fuzzOne)
                })
        #else
            // PODFuzz TARGET [--runs N] [--seed S] [--last FILE] FILE|FOLDER…  (--last: each input
            // is written there before it runs, so a crash leaves it behind)
            var runs = 0, seed: UInt64 = 1, paths: [String] = [], last: String?
            var rest = arguments.dropFirst(2).makeIterator()
            while let a = rest.next() {
                switch a {
                case "--runs": runs = Int(rest.next() ?? "") ?? 0
                case "--seed": seed = UInt64(rest.next() ?? "") ?? 1
                case "--last": last = rest.next()
                default: paths.append(a)
                }
            }
            let corpus = inputs(paths)
            for (_, data) in corpus { target.run(data) }
            var rng = SplitMix(state: seed)
            let seeds = corpus.map { Array($0.1) }
            for _ in 0..<runs {
                let input = Data(mutate(seeds.randomElement(using: &rng) ?? [], &rng))
                if let last { FileManager.default.createFile(atPath: last, contents: input) }
                target.run(input)
            }
            print("\(target.rawValue): \(corpus.count) kept inputs replayed, \(runs) seeded mutations (seed \(seed)), no crash")
        #endif
    }
}
