import Foundation

/// Why a file or folder is not trusted or cannot be read, in words for the user.
public struct FileTrustError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// The files PODPusher keeps secrets in, and the files it reads from the user: opened without
/// following a final symbolic link, owned by this user, private (folders 0700, files 0600) with
/// every mode change checked, and input files refused clearly when they are not regular files.
public enum Files {
    /// Creates the folder (and its parents) 0700, or checks the one there: a real folder (not a
    /// link), owned by this user; a group- or world-readable one is made private again.
    public static func preparePrivateFolder(_ url: URL) throws(FileTrustError) {
        let path = url.path
        var st = stat()
        if lstat(path, &st) != 0 {
            guard errno == ENOENT else { throw FileTrustError(path: path, reason: String(cString: strerror(errno))) }
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw FileTrustError(path: path, reason: "cannot be created: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
            }
            guard lstat(path, &st) == 0 else { throw FileTrustError(path: path, reason: String(cString: strerror(errno))) }
        }
        try checkOwned(path, st, kind: S_IFDIR, what: "a folder")
        if st.st_mode & 0o077 != 0 { try setMode(path, 0o700) }
    }

    /// Opens (creating when missing) a private file for writing without following a link, and
    /// makes it 0600 if it was not. Returns the descriptor; the caller closes it.
    public static func openPrivateFile(_ url: URL, flags: Int32 = O_WRONLY) throws(FileTrustError) -> Int32 {
        let path = url.path
        let fd = open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            throw FileTrustError(
                path: path,
                reason: errno == ELOOP
                    ? "is a symbolic link: refused (PODPusher follows no link to its private files)"
                    : String(cString: strerror(errno)))
        }
        var st = stat()
        do throws(FileTrustError) {
            guard fstat(fd, &st) == 0 else { throw FileTrustError(path: path, reason: String(cString: strerror(errno))) }
            try checkOwned(path, st, kind: S_IFREG, what: "a regular file")
            if st.st_mode & 0o077 != 0, fchmod(fd, 0o600) != 0 {
                throw FileTrustError(path: path, reason: "its mode cannot be set to 0600: \(String(cString: strerror(errno)))")
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Makes an existing secret file 0600 (not following a link). Returns the mode it had when
    /// that was looser, so the caller can say it was fixed; nil when there was nothing to fix.
    public static func tightenSecretFile(_ url: URL) throws(FileTrustError) -> mode_t? {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return nil }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw FileTrustError(
                path: url.path,
                reason: st.st_mode & S_IFMT == S_IFLNK
                    ? "is a symbolic link: refused (PODPusher follows no link to its private files)" : "is not a regular file")
        }
        guard st.st_mode & 0o077 != 0 else { return nil }
        let fd = try openPrivateFile(url, flags: O_RDONLY)
        close(fd)
        return st.st_mode & 0o777
    }

    /// Sets a mode and checks that it took.
    static func setMode(_ path: String, _ mode: mode_t) throws(FileTrustError) {
        guard chmod(path, mode) == 0 else {
            throw FileTrustError(path: path, reason: "its mode cannot be set to \(String(mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
    }

    static func checkOwned(_ path: String, _ st: stat, kind: mode_t, what: String) throws(FileTrustError) {
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK {
            throw FileTrustError(path: path, reason: "is a symbolic link: refused (give the real folder with --data-dir or PODPUSHER_DATA_DIR)")
        }
        guard type == kind else { throw FileTrustError(path: path, reason: "is not \(what)") }
        guard st.st_uid == geteuid() else {
            throw FileTrustError(path: path, reason: "belongs to another user (uid \(st.st_uid)): refused, PODPusher keeps private data only in what you own")
        }
    }

    /// The largest file an import reads (a million trend signals are about 40 MB).
    public static let inputLimit = 1 << 30

    /// The whole of a file the user gave (an import), read without blocking on a FIFO and
    /// refused in plain words when it is a folder, a device, a FIFO or larger than `limit`.
    public static func readInput(_ path: String, limit: Int) throws(FileTrustError) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let reason: String
            switch errno {
            case ENOENT: reason = "no such file"
            case EACCES: reason = "you don't have permission to read it"
            default: reason = String(cString: strerror(errno))
            }
            throw FileTrustError(path: path, reason: reason)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileTrustError(path: path, reason: String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileTrustError(path: path, reason: "is a folder, not a file")
        default: throw FileTrustError(path: path, reason: "is not a regular file (a device, a FIFO or a socket)")
        }
        guard st.st_size <= limit else { throw FileTrustError(path: path, reason: "is larger than \(limit / 1_048_576) MiB") }
        var data = Data(count: Int(st.st_size))
        var done = 0
        while done < data.count {
            let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        // A file that shrank while it was read is read as far as it went.
        if done < data.count { data.removeSubrange(done...) }
        return data
    }
}
