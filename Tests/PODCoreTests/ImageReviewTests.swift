import Foundation
import Testing

@testable import PODCore

@Suite struct ImageReviewTests {
    @Test func nearDuplicatesAreTheHashesWithinSixBitsAndOnlyThose() {
        let base: UInt64 = 0xF0F0_1234_ABCD_0F0F
        let hashes: [(id: Int64, hash: UInt64)] = [
            (1, base), (2, base ^ 0b111), (3, base ^ 0x8000_0000_0000_0001 ^ 0x0100_0000), (4, ~base), (5, base ^ 0xFF),
        ]
        let found = NearDuplicates.closest(hashes)
        #expect(found[1]?.id == 2 && found[1]?.distance == 3)
        #expect(found[2]?.id == 1)
        #expect(found[3]?.id == 1 && found[3]?.distance == 3)
        #expect(found[4] == nil, "every bit apart")
        #expect(found[5]?.id == 2 && found[5]?.distance == 5, "8 bits from 1, 5 from 2")
        // By brute force over random hashes: the buckets miss nothing.
        var rng = SystemRandomNumberGenerator()
        var many: [(id: Int64, hash: UInt64)] = (0..<600).map { (Int64($0), rng.next()) }
        for i in 0..<50 { many.append((Int64(1_000 + i), many[i].hash ^ (1 << UInt64(i % 64)) ^ (1 << UInt64((i * 7) % 64)))) }
        let fast = NearDuplicates.closest(many)
        for a in many {
            let brute = many.filter { $0.id != a.id }.map { ($0.id, NearDuplicates.hamming(a.hash, $0.hash)) }.filter { $0.1 <= 6 }
            #expect((fast[a.id] != nil) == !brute.isEmpty)
            if let best = brute.map(\.1).min() { #expect(fast[a.id]?.distance == best) }
        }
    }

    @Test func manyCopiesOfOnePictureAreEachOthersDuplicatesAtNoCost() {
        let copies: [(id: Int64, hash: UInt64)] = (0..<5_000).map { (Int64($0), 0xABCD) } + [(9_999, 0xABCD ^ 0b11)]
        let found = NearDuplicates.closest(copies)
        #expect(found.count == 5_001)
        #expect(found[0]?.id == 1 && found[0]?.distance == 0 && found[4_999]?.id == 0)
        #expect(found[9_999]?.id == 0 && found[9_999]?.distance == 2)
    }

    @Test func checksFlagWhatEtsyAndThePrintWouldRefuse() {
        let photo = ImageEntry(
            id: 1, path: "/p/a.png", kind: .photo, file: ImageFile(format: "PNG", bytes: 10, width: 1200, height: 300, hasAlpha: false, hash: 1))
        #expect(
            ImageChecks.problems(photo, duplicate: (2, 4)) == [
                .smallPhoto(shortest: 300, advised: 2000), .aspect(width: 1200, height: 300), .missingAlt, .nearDuplicate(of: 2, distance: 4),
            ])
        var good = photo
        (good.file.width, good.file.height, good.altText) = (2400, 2000, "A mug")
        #expect(ImageChecks.problems(good, duplicate: nil) == [])
        let design = ImageEntry(id: 3, path: "/d.png", kind: .design, file: ImageFile(width: 1000, height: 1200, hasAlpha: false), requirement: (4500, 5400))
        #expect(ImageChecks.problems(design, duplicate: nil) == [.smallDesign(width: 1000, height: 1200, needWidth: 4500, needHeight: 5400), .noTransparency])
        let broken = ImageEntry(id: 4, path: "/x.png", kind: .file, file: ImageFile(error: "the file is empty (0 bytes)"))
        #expect(ImageChecks.problems(broken, duplicate: nil) == [.unreadable("the file is empty (0 bytes)")])
        #expect(ImageFlag.next(after: nil) == .approved && ImageFlag.next(after: .rejected) == nil)
    }
}
