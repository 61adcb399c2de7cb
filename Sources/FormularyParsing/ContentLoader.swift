import Dispatch
import Foundation

/// Finds the monographs under files and folders and parses them on every core.
public struct ContentLoader: Sendable {
    public var parser: MonographParser

    public init(parser: MonographParser = MonographParser()) {
        self.parser = parser
    }

    /// One file's outcome, in the order of `markdownFiles(in:)`.
    public typealias Outcome = Result<ParsedPage, MonographParseError>

    /// The `.md` files at these paths, folders searched recursively, sorted, hidden folders skipped.
    public static func markdownFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ContentLoaderError.notFound(path)
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let root = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard let enumerator = manager.enumerator(atPath: root) else { throw ContentLoaderError.notFound(path) }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                    enumerator.skipDescendants()
                    continue
                }
                if relative.hasSuffix(".md") { found.append(root + "/" + relative) }
            }
            files += found.sorted()
        }
        return files
    }

    /// Parses every file, spreading the work over all cores; the result keeps the input order.
    public func load(_ files: [String]) -> [Outcome] {
        let parser = self.parser
        let results = ResultBuffer(count: files.count)
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

/// Slots written by concurrent workers, each slot by exactly one of them.
private final class ResultBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<ContentLoader.Outcome?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: ContentLoader.Outcome) { storage[index] = value }

    func values() -> [ContentLoader.Outcome] { storage.map { $0! } }
}
