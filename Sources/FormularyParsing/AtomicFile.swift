import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file so that readers see the old text or the new, never half of either: a synced
/// temporary file beside it (with the old file's permissions), then a rename. Used by
/// `check --fix`, pages `generate` writes and approved edits.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `text` to `path`, making its folder when needed.
    public static func write(_ text: String, to path: String) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: path, reason: error.localizedDescription)
        }
        // The name's start (a name may already be near the 255-byte limit), then a unique tail.
        let name = String(decoding: (path as NSString).lastPathComponent.utf8.prefix(80), as: UTF8.self)
        let temporary = directory + "/.\(name).formulary-\(UUID().uuidString)"
        var existing = stat()
        let mode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        fchmod(descriptor, mode)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = written == bytes.count ? String(cString: strerror(errno)) : "short write"
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }
}
