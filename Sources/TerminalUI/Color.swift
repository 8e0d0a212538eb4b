import Foundation

/// A colour as a theme names it. The terminal adapter downgrades it to what the terminal can show.
public enum Color: Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// One of the 256 indexed colours (0–15 are the ANSI colours).
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// Parses `#rrggbb`, `#rgb`, `default`, a number 0–255 or one of the eight ANSI names.
    public init?(parsing text: String) {
        let t = text.trimmed().lowercased()
        if t == "default" || t == "none" {
            self = .default
            return
        }
        if let n = Int(t), (0...255).contains(n) {
            self = .indexed(UInt8(n))
            return
        }
        if let i = Color.ansiNames.firstIndex(of: t) {
            self = .indexed(UInt8(i))
            return
        }
        if t.hasPrefix("bright"), let i = Color.ansiNames.firstIndex(of: t.dropFirst(6).trimmed(where: { "-_ ".contains($0) })) {
            self = .indexed(UInt8(i + 8))
            return
        }
        guard t.hasPrefix("#") else { return nil }
        var hex = String(t.dropFirst())
        if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
        self = .rgb(UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The colour as the given depth can show it: `nil` means "do not colour".
    public func downgraded(to depth: ColorDepth) -> Color? {
        switch (self, depth) {
        case (_, .none): return nil
        case (.default, _): return .default
        case (.rgb, .trueColor): return self
        case (.indexed(let i), .trueColor), (.indexed(let i), .c256): return .indexed(i)
        case (.rgb(let r, let g, let b), .c256): return .indexed(Color.nearest256(r, g, b))
        case (.indexed(let i), .c16): return .indexed(i < 16 ? i : Color.nearestANSI(Color.rgbOf(index: i), count: 16))
        case (.indexed(let i), .c8): return .indexed(i < 8 ? i : (i < 16 ? i - 8 : Color.nearestANSI(Color.rgbOf(index: i), count: 8)))
        case (.rgb(let r, let g, let b), .c16): return .indexed(Color.nearestANSI((r, g, b), count: 16))
        case (.rgb(let r, let g, let b), .c8): return .indexed(Color.nearestANSI((r, g, b), count: 8))
        }
    }

    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgbOf(index i: UInt8) -> (UInt8, UInt8, UInt8) {
        let n = Int(i)
        if n < 16 {
            let c = ansiRGB[n]
            return (UInt8(c.0), UInt8(c.1), UInt8(c.2))
        }
        if n >= 232 {
            let v = UInt8(8 + (n - 232) * 10)
            return (v, v, v)
        }
        let c = n - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    /// Nearest of the 6×6×6 cube and the grey ramp of the 256-colour palette.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for (i, l) in cubeLevels.enumerated() where abs(l - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (level(r), level(g), level(b))
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let target = (Int(r), Int(g), Int(b))
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = max(0, min(23, (avg - 8 + 5) / 10))
        let greyValue = 8 + greyIndex * 10
        if distance((greyValue, greyValue, greyValue), target) < distance(cube, target) {
            return UInt8(232 + greyIndex)
        }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    static func nearestANSI(_ c: (UInt8, UInt8, UInt8), count: Int) -> UInt8 {
        let target = (Int(c.0), Int(c.1), Int(c.2))
        var best = 0
        for i in 0..<count where distance(ansiRGB[i], target) < distance(ansiRGB[best], target) { best = i }
        return UInt8(best)
    }
}

/// How many colours the terminal can show.
public enum ColorDepth: String, Sendable, CaseIterable {
    case none, c8 = "8", c16 = "16", c256 = "256", trueColor = "24bit"

    /// From the colour count terminfo reports and `NO_COLOR`. 24-bit needs a terminfo entry with
    /// direct colour (e.g. `xterm-direct`); ncurses cannot send it otherwise.
    public static func detect(colors: Int, hasColors: Bool, environment: [String: String]) -> ColorDepth {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .none }
        guard hasColors, colors >= 8 else { return .none }
        if colors >= 0x1000000 { return .trueColor }
        if colors >= 256 { return .c256 }
        if colors >= 16 { return .c16 }
        return .c8
    }
}
