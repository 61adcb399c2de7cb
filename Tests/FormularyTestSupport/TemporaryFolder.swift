import Foundation

/// A folder under the system's temporary folder for one test, removed when the test ends:
/// what the test targets share instead of a copy each.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    /// `formulary-NAME-UUID` in the temporary folder.
    public init(_ name: String = "test") {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("formulary-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes the file (and its folders), and returns its full path. A file written again gets a
    /// modification time a second past its previous one, so that builds see the change however
    /// coarse the file system's clock is (instead of the test sleeping and hoping).
    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let previous = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        try Data(text.utf8).write(to: url)
        if let previous {
            try FileManager.default.setAttributes(
                [.modificationDate: max(previous.addingTimeInterval(1), Date())], ofItemAtPath: url.path)
        }
        return url.path
    }

    /// The file's text, nil when there is no such file.
    public func read(_ relative: String) -> String? {
        bytes(relative).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes, nil when there is no such file.
    public func bytes(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path + "/" + relative).map { [UInt8]($0) }
    }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + relative) }

    /// Every file under `relative`, as sorted relative paths.
    public func files(under relative: String) -> [String] {
        let root = path + "/" + relative
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + item, isDirectory: &isFolder), !isFolder.boolValue {
                result.append(item)
            }
        }
        return result.sorted()
    }

    /// Each file's bytes under `relative`, to compare a whole output before and after.
    public func snapshot(under relative: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for file in files(under: relative) {
            result[file] = FileManager.default.contents(atPath: path + "/" + relative + "/" + file)
        }
        return result
    }
}

/// Monograph pages for tests.
public enum TestPages {
    /// A page with `title` in its front matter (and `frontMatter`'s lines), then `body`.
    public static func page(title: String, body: String, frontMatter: String = "") -> String {
        "---\ntitle: \"\(title)\"\n\(frontMatter)---\n\n\(body)\n"
    }
}
