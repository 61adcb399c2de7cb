import Dispatch

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

    /// The `.md` files at these paths, folders searched recursively, sorted, hidden entries skipped.
    public static func markdownFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw ContentLoaderError.notFound(path) }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                files.append(path)
                continue
            }
            var found: [String] = []
            var pending = [path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path]
            // Folders already walked, by device and inode: a symbolic link back up the tree
            // must not send the walk round in circles.
            var visited: Set<[UInt64]> = []
            while let folder = pending.popLast() {
                var folderInfo = stat()
                guard stat(folder, &folderInfo) == 0,
                    visited.insert([UInt64(folderInfo.st_dev), UInt64(folderInfo.st_ino)]).inserted
                else { continue }
                guard let directory = opendir(folder) else { continue }
                defer { closedir(directory) }
                while let entry = readdir(directory) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                    }
                    guard !name.hasPrefix(".") else { continue }
                    let child = folder + "/" + name
                    var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                    if entry.pointee.d_type == UInt8(DT_UNKNOWN) || entry.pointee.d_type == UInt8(DT_LNK) {
                        var childInfo = stat()
                        if stat(child, &childInfo) == 0 {
                            isFolder = (childInfo.st_mode & S_IFMT) == S_IFDIR
                        } else if name.hasSuffix(".md") {
                            found.append(child)  // a dangling link: reported as unreadable, not skipped silently
                            continue
                        } else {
                            continue
                        }
                    }
                    if isFolder {
                        pending.append(child)
                    } else if name.hasSuffix(".md") {
                        found.append(child)
                    }
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// Parses every file, spreading the work over all cores; the result keeps the input order.
    public func load(_ files: [String]) -> [Outcome] {
        let parser = self.parser
        let results = ResultSlots<Outcome>(count: files.count)
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
                results.set(index, outcome)
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
/// exactly one of them; read once all are done.
public final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value?>

    public init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    public func set(_ index: Int, _ value: Value) { storage[index] = value }

    /// Every slot's value; each must have been set.
    public func values() -> [Value] { storage.map { $0! } }
}
