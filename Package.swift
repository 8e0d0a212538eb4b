// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The commit `podpusher --version` names (the Makefile sets PODPUSHER_COMMIT); hex only.
let commit = String((ProcessInfo.processInfo.environment["PODPUSHER_COMMIT"] ?? "").filter { $0.isHexDigit }.prefix(40))

let package = Package(
    name: "PODPusher",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "podpusher", targets: ["podpusher"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "CNcurses",
            cSettings: [.define("_XOPEN_SOURCE_EXTENDED"), .define("_GNU_SOURCE"), .define("NCURSES_WIDECHAR", to: "1")],
            linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("util")]
        ),
        // libcurl's headers only: the library is opened with dlopen on first use (see ccurl.h);
        // libxml2's reader for feeds likewise (feed.h).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        // libvips and chafa likewise, opened with dlopen on first use (see cmedia.h).
        .target(name: "CMedia", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "PODMedia", dependencies: ["CMedia"]),
        .target(name: "CBuildInfo", cSettings: commit.isEmpty ? [] : [.define("PODPUSHER_COMMIT", to: "\"\(commit)\"")]),
        .target(name: "PODCore"),
        .target(name: "PODStore", dependencies: ["PODCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "PODSync", dependencies: ["PODCore", "PODStore", "CCurl", .product(name: "Logging", package: "swift-log")]),
        .target(name: "TerminalUI"),
        .target(name: "TerminalCurses", dependencies: ["TerminalUI", "CNcurses"]),
        .target(
            name: "PODApp",
            dependencies: [
                "PODCore", "PODStore", "PODSync", "PODMedia", "TerminalUI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        .executableTarget(
            name: "podpusher",
            dependencies: [
                "CBuildInfo", "PODApp", "PODCore", "PODMedia", "PODStore", "PODSync", "TerminalUI", "TerminalCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The fuzz harness (`make fuzz`; replayed with seeded mutations by `make test`).
        .executableTarget(name: "PODFuzz", dependencies: ["PODApp", "PODCore", "PODStore", "PODSync"], path: "Tests/Fuzz/PODFuzz"),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "TerminalCursesTests", dependencies: ["TerminalCurses", "TerminalUI", "CNcurses"]),
        .testTarget(name: "PODCoreTests", dependencies: ["PODCore"]),
        .testTarget(name: "PODMediaTests", dependencies: ["PODMedia", "CMedia"]),
        .testTarget(name: "PODStoreTests", dependencies: ["PODStore", "PODCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PODSyncTests", dependencies: ["PODSync", "PODStore", "PODCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PODAppTests", dependencies: ["PODApp", "PODCore", "PODMedia", "PODStore", "PODSync", "TerminalUI"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
