import Foundation

/// Where the shipped locales and themes are read from: a folder holding `Locales/` and
/// `Themes/` (beside the binary, `../share/podpusher`, the source tree or
/// `PODPUSHER_SHARE_DIR`), or else the copies built into the binary (`BuiltInResources`), so
/// that a binary copied alone anywhere still starts in every language and theme.
public struct ShippedResources: Sendable, Equatable {
    /// The folder, or nil for the built-in copies.
    public let folder: URL?

    public init(folder: URL?) { self.folder = folder }

    public static let builtIn = ShippedResources(folder: nil)

    /// A shipped file (`Locales/en.json`, `Themes/dark.toml`): its bytes and the name messages
    /// give it; nil when there is no such file.
    public func file(_ relativePath: String) -> (data: Data, name: String)? {
        guard let folder else {
            return BuiltInResources.files[relativePath].map { (Data($0.utf8), "built-in \(relativePath)") }
        }
        let url = folder.appendingPathComponent(relativePath)
        return FileManager.default.contents(atPath: url.path).map { ($0, url.path) }
    }

}
