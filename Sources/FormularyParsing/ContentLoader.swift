import Dispatch
import FormularyModel

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the monographs under files and folders and parses them on every core.
public struct ContentLoader: Sendable {
    public var parser: MonographParser

    public init(parser: MonographParser = MonographParser()) {
        self.parser = parser
    }

    /// One file's outcome, in the order of `markdownFiles(in:)`.
    public typealias Outcome = Result<ParsedPage, MonographParseError>

    /// A file's modification time (nanoseconds since 1970) and size, as `stat` gives them.
    public struct FileStamp: Sendable, Equatable {
        public var modified: Int64
        public var size: Int64

        public init(modified: Int64, size: Int64) {
            self.modified = modified
            self.size = size
        }

        init(_ info: stat) {
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            size = Int64(info.st_size)
        }
    }

    /// The `.md` files at these paths, folders searched recursively, sorted, hidden entries skipped.
    public static func markdownFiles(in paths: [String]) throws -> [String] {
        try walk(paths, stamping: false).map(\.path)
    }

    /// The same files with their stamps, read during the walk (relative to each open folder,
    /// which spares the kernel a walk of the whole path for every file); `nil` for a file that
    /// cannot be read.
    public static func markdownFilesWithStamps(in paths: [String]) throws -> [(path: String, stamp: FileStamp?)] {
        try walk(paths, stamping: true)
    }

    /// One folder's Markdown files (with stamps when asked) and subfolders.
    private static func list(_ folder: String, stamping: Bool) -> (
        files: [(path: String, stamp: FileStamp?)], folders: [String]
    ) {
        var files: [(path: String, stamp: FileStamp?)] = []
        var folders: [String] = []
        Directory.forEachEntry(in: folder) { entry, folderDescriptor in
            guard !entry.isHidden else { return }
            let raw = entry.name
            let length = raw.count
            let isMarkdown =
                length >= 3 && raw[length - 3] == UInt8(ascii: ".") && raw[length - 2] == UInt8(ascii: "m")
                && raw[length - 1] == UInt8(ascii: "d")
            var isFolder = entry.isFolder
            let unknown = entry.type == UInt8(DT_UNKNOWN) || entry.type == UInt8(DT_LNK)
            guard isFolder || isMarkdown || unknown else { return }
            let name = entry.nameText
            let child = folder + "/" + name
            var childInfo = stat()
            var stamped = false
            if unknown || (stamping && isMarkdown) {
                // Follows links, as `stat` does.
                if fstatat(folderDescriptor, name, &childInfo, 0) == 0 {
                    isFolder = (childInfo.st_mode & S_IFMT) == S_IFDIR
                    stamped = true
                } else if isMarkdown {
                    files.append((child, nil))  // a dangling link: reported as unreadable, not skipped silently
                    return
                } else {
                    return
                }
            }
            if isFolder {
                folders.append(child)
            } else if isMarkdown {
                files.append((child, stamping && stamped ? FileStamp(childInfo) : nil))
            }
        }
        return (files, folders)
    }

    private static func walk(_ paths: [String], stamping: Bool) throws -> [(path: String, stamp: FileStamp?)] {
        var files: [(path: String, stamp: FileStamp?)] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw ContentLoaderError.notFound(path) }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                files.append((path, stamping ? FileStamp(info) : nil))
                continue
            }
            // A level of folders at a time, the folders of a level on every core.
            var found: [(path: String, stamp: FileStamp?)] = []
            var level = [path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path]
            // Folders already walked, by device and inode: a symbolic link back up the tree
            // must not send the walk round in circles.
            var visited: Set<[UInt64]> = []
            while !level.isEmpty {
                let folders = level.filter { folder in
                    var folderInfo = stat()
                    return stat(folder, &folderInfo) == 0
                        && visited.insert([UInt64(folderInfo.st_dev), UInt64(folderInfo.st_ino)]).inserted
                }
                let listings = ResultSlots<(files: [(path: String, stamp: FileStamp?)], folders: [String])>(
                    count: folders.count)
                DispatchQueue.concurrentPerform(iterations: folders.count) { index in
                    listings.set(index, list(folders[index], stamping: stamping))
                }
                level = []
                for listing in listings.values() {
                    found += listing.files
                    level += listing.folders
                }
            }
            files += found.sorted { $0.path < $1.path }
        }
        return files
    }

    /// Parses every file, spreading the work over all cores; the result keeps the input order.
    public func load(_ files: [String]) -> [Outcome] {
        map(files) { $0 }
    }

    /// Parses every file on all cores and hands each outcome to `transform` on the worker that
    /// parsed it; the results keep the input order. A caller that needs only something made from
    /// each page (a line of output) keeps that, not the page: 11,000 pages hold 230 MB.
    public func map<Value: Sendable>(_ files: [String], _ transform: @Sendable (Outcome) -> Value) -> [Value] {
        let parser = self.parser
        let results = ResultSlots<Value>(count: files.count)
        // Chunks of several files keep scheduling overhead small against ~50 µs a file.
        let chunk = 16
        let chunks = (files.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            let range = (chunkIndex * chunk)..<min(files.count, (chunkIndex + 1) * chunk)
            for index in range {
                let outcome: Outcome
                do throws(MonographParseError) {
                    outcome = .success(try parser.parse(contentsOf: files[index]))
                } catch {
                    outcome = .failure(error)
                }
                results.set(index, transform(outcome))
            }
        }
        return results.values()
    }
}

/// A content path that cannot be used.
public enum ContentLoaderError: Error, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such file or folder"
        }
    }
}

/// Slots written by concurrent workers (`DispatchQueue.concurrentPerform`), each slot by
/// one of them; read once all are done. Each write takes a lock: next to the work that makes a
/// value (a page parsed, analysed, checked), the cost does not show.
public final class ResultSlots<Value: Sendable>: Sendable {
    private let storage: Locked<[Value?]>

    public init(count: Int) { storage = Locked([Value?](repeating: nil, count: count)) }

    public func set(_ index: Int, _ value: Value) { storage.withLock { $0[index] = value } }

    /// Every slot's value; each must have been set.
    public func values() -> [Value] {
        storage.withLock { slots in
            slots.map { slot in
                guard let slot else { preconditionFailure("a worker did not fill its slot") }
                return slot
            }
        }
    }
}
