import Foundation

/// `credentials.json` in the data folder: tokens per provider, never in SQLite, written
/// atomically with mode 0600. Nothing here is ever printed or logged.
public struct CredentialsFile: Sendable {
    public let url: URL
    public init(dataDirectory: URL) { url = dataDirectory.appendingPathComponent("credentials.json") }

    public struct Entry: Codable, Equatable, Sendable {
        public var accessToken: String
        public var refreshToken: String?
        public var expiresAt: Date?
        public init(accessToken: String, refreshToken: String?, expiresAt: Date?) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.expiresAt = expiresAt
        }
    }

    public func load() throws -> [String: Entry] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        let data = try Data(contentsOf: url)
        if data.isEmpty { return [:] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode([String: Entry].self, from: data)
    }

    /// Writes the whole file to a 0600 temporary beside it, then renames it into place.
    public func save(_ entries: [String: Entry]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(entries)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".credentials.\(getpid()).tmp")
        let fd = open(tmp.path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        fchmod(fd, 0o600)
        let ok = data.withUnsafeBytes { buf in write(fd, buf.baseAddress, buf.count) == buf.count }
        fsync(fd)
        close(fd)
        guard ok, rename(tmp.path, url.path) == 0 else {
            unlink(tmp.path)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
