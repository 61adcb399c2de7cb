/// Where a page sits in a content folder, and the id, slug and collection that follow.
///
/// `composition/p/paracetamol.md` has collection `composition`, slug `paracetamol` and id
/// `composition/paracetamol`: a one-character shard folder is not part of the id. A translation
/// sits beside its page with the language before `.md` (Hugo's convention):
/// `composition/p/paracetamol.hi.md` is the same medicine, id `composition/paracetamol`, in
/// language `hi`, at the address `hi/composition/paracetamol`.
public struct DocumentLocation: Sendable, Hashable {
    /// The path as the user gave it, for messages.
    public var displayPath: String
    /// The path under the content root, shard folder included: `composition/p/paracetamol.md`.
    public var relativePath: String
    public var collection: String
    public var slug: String
    /// The language a translation's file name gives (`hi` for `paracetamol.hi.md`); nil for a
    /// page in the site's main language.
    public var language: String?

    public var id: String { collection.isEmpty ? slug : collection + "/" + slug }
    /// Where the page lives in the site: its id, under its language for a translation.
    public var address: String { language.map { $0 + "/" + id } ?? id }

    public init(
        displayPath: String, relativePath: String, collection: String, slug: String, language: String? = nil
    ) {
        self.displayPath = displayPath
        self.relativePath = relativePath
        self.collection = collection
        self.slug = slug
        self.language = language
    }

    /// The location of a file from its path alone: the collection is the folder holding it,
    /// or the folder above when that folder is a one-character shard (`composition/p/`).
    public init(path: String) {
        // Split on the bytes: every page of a build makes one.
        var components = path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        let fileName = components.popLast() ?? path
        var slug = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        let language = Self.languageSuffix(of: slug)
        if let language { slug.removeLast(language.utf8.count + 1) }
        var relative = [fileName]
        if let parent = components.last, Self.isShard(parent), components.count >= 2 {
            relative.insert(components.removeLast(), at: 0)
        }
        let collection = components.last.flatMap { $0 == "." || $0 == ".." ? nil : $0 } ?? ""
        if !collection.isEmpty { relative.insert(collection, at: 0) }
        self.init(
            displayPath: path, relativePath: relative.joined(separator: "/"), collection: collection, slug: slug,
            language: language)
    }

    /// The language code ending a file's base name: two or three lower-case ASCII letters after
    /// the last dot (`paracetamol.hi`, `paracetamol.mai`), as ISO 639 codes are. Nil otherwise.
    public static func languageSuffix(of baseName: String) -> String? {
        let bytes = Array(baseName.utf8)
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return nil }
        let code = bytes[(dot + 1)...]
        guard (2...3).contains(code.count), code.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") })
        else { return nil }
        return String(decoding: code, as: UTF8.self)
    }

    /// `a` to `z` and `0` to `9` folders split big collections alphabetically.
    static func isShard(_ name: String) -> Bool {
        guard name.utf8.count <= 4 else { return false }  // one Character is at most a few bytes here
        return name.count == 1 && name.allSatisfy { $0.isLetter || $0.isNumber }
    }
}
