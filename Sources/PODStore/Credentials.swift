import Foundation

/// A provider's secrets: an OAuth token pair, a personal access token or an API key.
public struct Credential: Codable, Equatable, Sendable {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresAt: Date?
    /// When the refresh token stops working, when the provider says (or documents) it.
    public var refreshExpiresAt: Date?
    public var account: String?

    public init(accessToken: String, refreshToken: String? = nil, expiresAt: Date? = nil, refreshExpiresAt: Date? = nil, account: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.refreshExpiresAt = refreshExpiresAt
        self.account = account
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", expiresAt = "expires_at"
        case refreshExpiresAt = "refresh_expires_at", account
    }

    /// When the connection lapses unless the seller connects again: a refreshable token lasts
    /// as long as its refresh token (nil: no known end); any other when it expires.
    public var lapsesAt: Date? { refreshToken != nil ? refreshExpiresAt : expiresAt }

    /// Never the secrets themselves: a credential printed by mistake shows nothing.
    public var redacted: String { "Credential(account: \(account ?? "-"), expires: \(expiresAt.map { "\($0)" } ?? "never"))" }
}

extension Credential: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { redacted }
    public var debugDescription: String { redacted }
}

public enum CredentialError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case cannotWrite(String, String)
    public var description: String {
        switch self {
        case .unreadable(let path, let why):
            return "\(path) cannot be read: \(why); `podpusher connect PROVIDER` sets it aside (as \(CredentialStore.setAsideSuffix)) and starts a new one"
        case .cannotWrite(let path, let why): return "cannot write \(path): \(why)"
        }
    }
}

/// `credentials.json` in the data folder: provider name → credential. Mode 0600; every write
/// goes to a new file that replaces the old one in one rename, so a crash leaves either the old
/// file or the new one, never half of one. Safe to use from several threads.
public final class CredentialStore: @unchecked Sendable {
    public static let fileName = "credentials.json"
    /// An unreadable credentials file is renamed with this suffix when a new one is written.
    public static let setAsideSuffix = ".unreadable"
    public let url: URL
    private let lock = NSLock()

    public init(dataDirectory: URL) {
        url = dataDirectory.appendingPathComponent(Self.fileName)
    }

    public func credential(for provider: String) throws -> Credential? {
        lock.lock()
        defer { lock.unlock() }
        return try readAll()[provider]
    }

    public func save(_ credential: Credential, for provider: String) throws {
        try update { $0[provider] = credential }
    }

    public func remove(provider: String) throws {
        try update { $0[provider] = nil }
    }

    /// The providers that have a credential.
    public func providers() throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return try readAll().keys.sorted()
    }

    private func update(_ change: (inout [String: Credential]) -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        var all: [String: Credential]
        do {
            all = try readAll()
        } catch CredentialError.unreadable {
            // Connecting again must work: the broken file is kept aside, not read, not lost.
            guard rename(url.path, url.path + Self.setAsideSuffix) == 0 else {
                throw CredentialError.cannotWrite(url.path, "the unreadable file cannot be set aside: \(String(cString: strerror(errno)))")
            }
            all = [:]
        }
        change(&all)
        try write(all)
    }

    /// Makes a credentials file that is readable by others 0600 again. Returns a sentence
    /// saying so when there was something to fix.
    public func tighten() throws -> String? {
        guard let was = try Files.tightenSecretFile(url) else { return nil }
        return "\(url.path) was mode \(String(was, radix: 8)); it holds secrets, so it is now 0600"
    }

    private func readAll() throws -> [String: Credential] {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return [:] }
        let fd = try Files.openPrivateFile(url, flags: O_RDONLY)
        let data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
        if data.isEmpty { return [:] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode([String: Credential].self, from: data)
        } catch {
            throw CredentialError.unreadable(url.path, "it is not a credentials file")
        }
    }

    private func write(_ all: [String: Credential]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(all)
        try Files.preparePrivateFolder(url.deletingLastPathComponent())
        let temp = url.path + ".tmp-\(getpid())"
        // A new file, 0600 from the start; never a file or link someone left at that name.
        var fd = open(temp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 && errno == EEXIST {
            unlink(temp)
            fd = open(temp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        guard fd >= 0 else { throw CredentialError.cannotWrite(url.path, String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp, url.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw CredentialError.cannotWrite(url.path, why)
        }
    }
}
