#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads whole files with POSIX calls: one `fstat`, one buffer, no Foundation on the hot path.
public enum FileBytes {
    public enum Failure: Error {
        case unreadable(String)
        case tooLarge(Int)
    }

    /// The whole regular file at `path`, at most `limit` bytes long.
    public static func read(_ path: String, limit: Int = .max) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(size) }
        // Read straight into the array's storage: zero-filling it first cost as much as the read.
        var failure: Failure?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var filled = 0
            while filled < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + filled, size - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = .unreadable(String(cString: strerror(errno)))
                    break
                }
                if count == 0 { break }  // the file shrank since fstat
                filled += count
            }
            initialized = filled
        }
        if let failure { throw failure }
        return bytes
    }
}
