import Foundation
import FormularyParsing

#if canImport(Glibc)
    import Glibc
#endif

/// Writing a build's files: plain POSIX calls, since a build writes tens of thousands of them.
enum OutputFiles {
    struct Failure: Swift.Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason)" }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Creates `path` and any missing parents.
    static func makeFolder(_ path: String) throws(Failure) {
        if mkdir(path, 0o755) == 0 { return }
        if errno == EEXIST { return }
        if errno == ENOENT, let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try makeFolder(String(path[..<slash]))
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        }
        throw Failure(path: path, reason: "cannot create folder: \(errorText())")
    }

    static func write(_ text: String, to path: String) throws(Failure) {
        var text = text
        let result: Result<Void, Failure> = text.withUTF8 { buffer in
            Result { () throws(Failure) in try write(UnsafeRawBufferPointer(buffer), to: path) }
        }
        try result.get()
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let result: Result<Void, Failure> = bytes.withUnsafeBytes { buffer in
            Result { () throws(Failure) in try write(buffer, to: path) }
        }
        try result.get()
    }

    static func write(_ buffer: UnsafeRawBufferPointer, to path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(path: path, reason: "cannot write: \(errorText())") }
        defer { close(descriptor) }
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: "cannot write: \(errorText())")
            }
            offset += written
        }
    }

    /// Adds `bytes` at the end of `path` in one write (a crash may cut it short; readers of an
    /// appended file must tolerate a damaged tail).
    static func append(_ bytes: [UInt8], to path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(path: path, reason: "cannot append: \(errorText())") }
        defer { close(descriptor) }
        let result: Result<Void, Failure> = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return .failure(Failure(path: path, reason: "cannot append: \(errorText())"))
                }
                offset += written
            }
            return .success(())
        }
        try result.get()
    }

    /// Replaces `path` in one step: readers see the old file or the new one, never half of it.
    static func replace(_ path: String, with bytes: [UInt8]) throws(Failure) {
        let temporary = path + ".formulary-tmp"
        try write(bytes, to: temporary)
        guard rename(temporary, path) == 0 else {
            let reason = errorText()
            unlink(temporary)
            throw Failure(path: path, reason: "cannot replace: \(reason)")
        }
    }

    /// The whole file (the build cache is megabytes, read on every incremental build: no
    /// Foundation `Data` in between); nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? { try? FileBytes.read(path) }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Modification time in nanoseconds and size, or nil when the file is gone.
    static func stamp(_ path: String) -> (modified: Int64, size: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec), Int64(info.st_size))
    }

    /// Removes a file or a whole folder.
    static func remove(_ path: String) {
        guard exists(path) || isSymbolicLink(path) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}
