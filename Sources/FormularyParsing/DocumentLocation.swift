/// Where a page sits in a content folder, and the id, slug and collection that follow.
///
/// `composition/p/paracetamol.md` has collection `composition`, slug `paracetamol` and id
/// `composition/paracetamol`: a one-character shard folder is not part of the id.
public struct DocumentLocation: Sendable, Hashable {
    /// The path as the user gave it, for messages.
    public var displayPath: String
    /// The path under the content root, shard folder included: `composition/p/paracetamol.md`.
    public var relativePath: String
    public var collection: String
    public var slug: String

    public var id: String { collection.isEmpty ? slug : collection + "/" + slug }

    public init(displayPath: String, relativePath: String, collection: String, slug: String) {
        self.displayPath = displayPath
        self.relativePath = relativePath
        self.collection = collection
        self.slug = slug
    }

    /// The location of a file from its path alone: the collection is the folder holding it,
    /// or the folder above when that folder is a one-character shard (`composition/p/`).
    public init(path: String) {
        // Split on the bytes: every page of a build makes one.
        var components = path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        let fileName = components.popLast() ?? path
        let slug = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        var relative = [fileName]
        if let parent = components.last, Self.isShard(parent), components.count >= 2 {
            relative.insert(components.removeLast(), at: 0)
        }
        let collection = components.last.flatMap { $0 == "." || $0 == ".." ? nil : $0 } ?? ""
        if !collection.isEmpty { relative.insert(collection, at: 0) }
        self.init(displayPath: path, relativePath: relative.joined(separator: "/"), collection: collection, slug: slug)
    }

    /// `a` to `z` and `0` to `9` folders split big collections alphabetically.
    static func isShard(_ name: String) -> Bool {
        guard name.utf8.count <= 4 else { return false }  // one Character is at most a few bytes here
        return name.count == 1 && name.allSatisfy { $0.isLetter || $0.isNumber }
    }
}
