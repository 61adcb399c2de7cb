#if canImport(Glibc)
    import Glibc
#endif

/// One entry of a folder as `readdir` gives it.
public struct DirectoryEntry {
    /// The name's bytes, without its NUL; valid only inside the call that gives the entry.
    public let name: UnsafeBufferPointer<UInt8>
    /// `DT_DIR`, `DT_REG`, `DT_LNK`, `DT_UNKNOWN` (a file system that does not say).
    public let type: UInt8

    public var nameText: String { String(decoding: name, as: UTF8.self) }
    public var isHidden: Bool { name.first == UInt8(ascii: ".") }
    public var isFolder: Bool { type == UInt8(DT_DIR) }
}

/// Folders read with `opendir` and `readdir`, the one way the code lists a folder (content,
/// the built site, leftovers of atomic writes).
///
/// A `dirent` record is only as long as its name: a copy of the struct's whole 256-byte
/// `d_name` reads past the record, which crashed a server once a record ended at the end of a
/// memory page. Names are read here within their record, up to their NUL.
public enum Directory {
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Calls `body` with each entry of `path` but `.` and `..`, and the folder's descriptor
    /// (for `fstatat`); false when the folder cannot be opened.
    @discardableResult
    public static func forEachEntry(in path: String, _ body: (DirectoryEntry, _ folder: Int32) -> Void) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        while let record = readdir(directory) {
            let start = UnsafeRawPointer(record).advanced(by: nameOffset)
            let length = strlen(start.assumingMemoryBound(to: CChar.self))
            let name = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length)
            if length <= 2, name.allSatisfy({ $0 == UInt8(ascii: ".") }) { continue }
            body(DirectoryEntry(name: name, type: record.pointee.d_type), descriptor)
        }
        return true
    }
}
