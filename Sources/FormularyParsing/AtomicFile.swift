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

    /// Removes the temporary files of writes that never finished (`.NAME.formulary-UUID`: the
    /// process was killed between creating and renaming one) anywhere under `folder`, when
    /// they are older than `age` seconds (a younger one may be another process's write in
    /// progress). Returns the paths removed.
    @discardableResult
    public static func removeLeftovers(under folder: String, olderThan age: Double = 600) -> [String] {
        var removed: [String] = []
        let cutoff = Date().timeIntervalSince1970 - age
        var pending = [folder]
        var visited = 0
        while let current = pending.popLast(), visited < 100_000 {
            visited += 1
            Directory.forEachEntry(in: current) { entry, _ in
                let name = entry.nameText
                let path = current + "/" + name
                if entry.isFolder {
                    pending.append(path)
                    return
                }
                guard isTemporaryName(name) else { return }
                var info = stat()
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                    Double(info.st_mtim.tv_sec) < cutoff, unlink(path) == 0
                else { return }
                removed.append(path)
            }
        }
        return removed.sorted()
    }

    /// `.NAME.formulary-` followed by a UUID, as `write` names its temporary files.
    static func isTemporaryName(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        let marker = Array(".formulary-".utf8)
        guard utf8.first == UInt8(ascii: "."), utf8.count > marker.count + 36 + 1 else { return false }
        let tail = utf8.suffix(36)
        guard utf8[(utf8.count - 36 - marker.count)..<(utf8.count - 36)].elementsEqual(marker) else { return false }
        return UUID(uuidString: String(decoding: tail, as: UTF8.self)) != nil
    }
}
