import CMedia
import Foundation
import Testing

@testable import PODMedia

/// A PNG of `w`×`h` in one colour (left half) and another (right half), written without
/// compression (stored deflate blocks): a real image for libvips to decode.
func writePNG(_ path: String, _ w: Int, _ h: Int, left: (UInt8, UInt8, UInt8), right: (UInt8, UInt8, UInt8)) throws {
    try writePNG(path, w, h) { x in
        let c = x < w / 2 ? left : right
        return [c.0, c.1, c.2]
    }
}

/// A PNG of `w`×`h` whose every row is `pixel(x)`: RGB, or RGBA when it gives 4 values.
func writePNG(_ path: String, _ w: Int, _ h: Int, pixel: (Int) -> [UInt8]) throws {
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    func crc(_ bytes: [UInt8]) -> UInt32 { ~bytes.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) } }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] { be32(UInt32(data.count)) + Array(type.utf8) + data + be32(crc(Array(type.utf8) + data)) }
    let row = (0..<w).flatMap(pixel), channels = row.count / w
    var raw: [UInt8] = []
    raw.reserveCapacity((row.count + 1) * h)
    for _ in 0..<h { raw += [0] + row }
    var z: [UInt8] = [0x78, 0x01]
    var i = 0
    repeat {
        let n = min(65_535, raw.count - i)
        z += [i + n == raw.count ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + raw[i..<i + n]
        i += n
    } while i < raw.count
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in raw {
        a = (a + UInt32(byte)) % 65_521
        b = (b + a) % 65_521
    }
    z += be32(b << 16 | a)
    let png =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be32(UInt32(w)) + be32(UInt32(h)) + [8, channels == 4 ? 6 : 2, 0, 0, 0])
        + chunk("IDAT", z)
        + chunk("IEND", [])
    try Data(png).write(to: URL(fileURLWithPath: path))
}

@Suite struct MediaTests {
    let dir = NSTemporaryDirectory() + "podmedia-\(UUID().uuidString)"
    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    @Test func aDesignBecomesSymbolCellsInItsOwnColoursKeepingItsShape() throws {
        let path = dir + "/design.png"
        try writePNG(path, 400, 200, left: (255, 0, 0), right: (0, 0, 255))
        #expect(try Media.size(of: path) == (400, 200))
        let p = try Media.preview(of: path, cols: 40, rows: 40, mode: .symbols, cell: (10, 20))
        // 400×200 px in cells of 10×20: 40 columns, 10 rows (its shape kept, not stretched to 40 rows).
        #expect((p.cols, p.rows, p.width, p.height) == (40, 10, 400, 200))
        #expect(p.cells.count == 400 && p.graphics == nil)
        func colours(_ c: Preview.Cell) -> Set<UInt32> { Set([c.fg, c.bg].compactMap { $0 }) }
        #expect(colours(p.cells[5 * 40 + 2]).contains(0xFF0000), "left half red")
        #expect(colours(p.cells[5 * 40 + 37]).contains(0x0000FF), "right half blue")
    }

    @Test func kittyAndSixelAreEscapeTextAndTheThumbnailIsKept() throws {
        let path = dir + "/design.png", thumbs = dir + "/thumbnails"
        try writePNG(path, 300, 300, left: (0, 200, 0), right: (200, 200, 0))
        let kitty = try Media.preview(of: path, cols: 20, rows: 10, mode: .kitty, cell: (10, 20), thumbnails: thumbs)
        #expect(kitty.graphics?.starts(with: Array("\u{1b}_G".utf8)) == true)
        let sixel = try Media.preview(of: path, cols: 20, rows: 10, mode: .sixel, cell: (10, 20), thumbnails: thumbs)
        #expect(sixel.graphics?.starts(with: Array("\u{1b}P".utf8)) == true)
        let kept = try FileManager.default.contentsOfDirectory(atPath: thumbs)
        #expect(kept.count == 1 && kept[0].hasSuffix("-200x200.png"), "\(kept)")
        // Kept: the next preview decodes the small file, with the same result.
        #expect(try Media.preview(of: path, cols: 20, rows: 10, mode: .kitty, cell: (10, 20), thumbnails: thumbs).graphics == kitty.graphics)
    }

    /// The thumbnail libvips would make of `path` at most `w`×`h`: its size and pixels (RGBA).
    func thumbnail(_ path: String, _ w: Int, _ h: Int) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        var image = cmedia_image()
        var error = [CChar](repeating: 0, count: 256)
        guard cmedia_thumbnail(path, Int32(w), Int32(h), nil, &image, nil, nil, &error, error.count) == 0 else {
            throw MediaError(description: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { cmedia_image_free(&image) }
        let (width, height) = (Int(image.width), Int(image.height))
        return (width, height, Array(UnsafeBufferPointer(start: image.pixels, count: width * height * 4)))
    }

    @Test func aLargePNGIsShrunkAsItIsReadAndTransparentPixelsLendNoColour() throws {
        // Opaque: red and blue halves, twelve times the thumbnail (shrunk in blocks while read).
        let opaque = dir + "/opaque.png"
        try writePNG(opaque, 1200, 600, left: (255, 0, 0), right: (0, 0, 255))
        let o = try thumbnail(opaque, 100, 100)
        #expect((o.width, o.height) == (100, 50))
        #expect(Array(o.pixels[(25 * 100 + 10) * 4..<(25 * 100 + 11) * 4]) == [255, 0, 0, 255])
        #expect(Array(o.pixels[(25 * 100 + 90) * 4..<(25 * 100 + 91) * 4]) == [0, 0, 255, 255])
        // With alpha: columns of transparent green between opaque red. Averaged by alpha, every
        // pixel is red at half opacity; averaged plainly it would be a muddy (128, 128, 0).
        let striped = dir + "/striped.png"
        try writePNG(striped, 1200, 600) { x in x % 2 == 0 ? [0, 255, 0, 0] : [255, 0, 0, 255] }
        let s = try thumbnail(striped, 100, 100)
        #expect((s.width, s.height) == (100, 50))
        let offColour = stride(from: 0, to: s.pixels.count, by: 4).filter { i in
            !(s.pixels[i] >= 250 && s.pixels[i + 1] <= 5 && s.pixels[i + 2] <= 5 && (120...135).contains(s.pixels[i + 3]))
        }
        #expect(offColour.count == 0, "first: \(offColour.first.map { Array(s.pixels[$0..<$0 + 4]) } ?? [])")
        // A file cut short is an error, not a picture of half a design.
        let data = try Data(contentsOf: URL(fileURLWithPath: opaque))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.png"))
        #expect(throws: MediaError.self) { try thumbnail(dir + "/cut.png", 100, 100) }
    }

    @Test func aFileThatIsNotAnImageIsAClearError() throws {
        let path = dir + "/notes.png"
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MediaError.self) { try Media.preview(of: path, cols: 10, rows: 5, mode: .symbols) }
        #expect(throws: MediaError.self) { try Media.size(of: dir + "/missing.png") }
    }

    /// A PNG that declares `w`×`h` in its header and holds one empty compressed block.
    func writePNGHeader(_ path: String, _ w: UInt32, _ h: UInt32) throws {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let ihdr = be32(w) + be32(h) + [8, 2, 0, 0, 0]
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(UInt32(data.count)) + body + be32(~body.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) })
        }
        let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        try Data(png + chunk("IEND", [])).write(to: URL(fileURLWithPath: path))
    }

    @Test func aPostPictureHasThePlatformsSizeThePhotoOnTopAndTheBandBelow() throws {
        let photo = dir + "/photo.png", out = dir + "/posts/pin.png"
        try writePNG(photo, 600, 400, left: (255, 0, 0), right: (255, 0, 0))
        try Media.composePost(photo: photo, width: 1000, height: 1500, headline: "Mond & Sterne <T-Shirt>", byline: "Luna Print Co", to: out)
        #expect(try Media.size(of: out) == (1000, 1500))
        let small = try thumbnail(out, 100, 150)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(small.pixels[(y * 100 + x) * 4..<(y * 100 + x) * 4 + 3]) }
        #expect(pixel(50, 30) == [255, 0, 0], "the photo fills the top")
        #expect(pixel(2, 148) == [0x1F, 0x29, 0x33], "the band's colour at its edge")
        // The headline is set in white somewhere in the band.
        let band = (110..<150).flatMap { y in (5..<95).map { pixel($0, y) } }
        #expect(band.contains { $0.allSatisfy { $0 > 200 } })
        // Without a photo: the band is the whole picture.
        try Media.composePost(photo: nil, width: 1080, height: 1080, headline: "Moon Phase Shirt", byline: "", to: dir + "/square.png")
        #expect(try Media.size(of: dir + "/square.png") == (1080, 1080))
    }

    @Test func aHugeCorruptOrEmptyPhotoIsAClearErrorAndNothingIsWritten() throws {
        let huge = dir + "/huge.png", empty = dir + "/empty.png", out = dir + "/post.png"
        try writePNGHeader(huge, 20_000, 20_000)
        #expect(try Media.size(of: huge) == (20_000, 20_000))
        let error = #expect(throws: MediaError.self) { try Media.composePost(photo: huge, width: 1000, height: 1500, headline: "x", byline: "", to: out) }
        #expect(error?.description.contains("20000 × 20000") == true, "\(String(describing: error))")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(throws: MediaError.self) { try Media.composePost(photo: empty, width: 1000, height: 1500, headline: "x", byline: "", to: out) }
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/notes.png"))
        #expect(throws: MediaError.self) { try Media.composePost(photo: dir + "/notes.png", width: 1000, height: 1500, headline: "x", byline: "", to: out) }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theModeComesFromTheTerminal() {
        #expect(GraphicsMode.detect(configured: nil, environment: ["TERM": "xterm-kitty"]) == .kitty)
        #expect(GraphicsMode.detect(configured: nil, environment: ["TERM": "xterm-kitty", "TMUX": "/tmp/x"]) == .symbols)
        #expect(GraphicsMode.detect(configured: nil, environment: ["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]) == .iterm2)
        #expect(GraphicsMode.detect(configured: nil, environment: ["TERM": "dumb"]) == .off)
        #expect(GraphicsMode.detect(configured: "sixel", environment: ["TERM": "xterm"]) == .sixel)
        #expect(GraphicsMode.detect(configured: "auto", environment: ["TERM": "xterm"]) == .symbols)
    }
}
