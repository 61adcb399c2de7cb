import Dispatch
import Foundation
import FormularyModel
import FormularyParsing

/// Reads a shard in exactly the form `Shard.encoded()` writes; nil at the first surprise.
struct ShardReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read(isBody: Bool) -> StaticSearchIndex.Shard? {
        var shard = StaticSearchIndex.Shard(isBody: isBody)
        guard literal("{\"pages\":[") else { return nil }
        var ids: [String] = []
        while peek() == UInt8(ascii: "[") {
            offset += 1
            guard let id = string(), literal(","), let title = string(), literal(","), let code = string(),
                literal(","), let count = integer(),
                let kind = MonographKind.allCases.first(where: { $0.rawValue.hasPrefix(code.lowercased()) })
            else { return nil }
            var languages: String?
            if peek() == UInt8(ascii: ",") {
                offset += 1
                guard let list = string() else { return nil }
                languages = list
            }
            guard literal("]") else { return nil }
            ids.append(id)
            shard.pages[id] = .init(
                title: title, kind: kind, ingredientCount: count, banned: code != code.lowercased(),
                languages: languages)
            if peek() == UInt8(ascii: ",") { offset += 1 }
        }
        guard literal("],\"words\":{") else { return nil }
        while peek() == UInt8(ascii: "\"") {
            guard let word = string(), literal(":[") else { return nil }
            var postings: [String: Int] = [:]
            while peek() != UInt8(ascii: "]") {
                guard let page = integer(), page >= 0, page < ids.count, literal(","), let number = integer() else {
                    return nil
                }
                postings[ids[page]] = number
                if peek() == UInt8(ascii: ",") { offset += 1 }
            }
            offset += 1
            shard.words[word] = postings
            if peek() == UInt8(ascii: ",") { offset += 1 }
        }
        guard literal("}}"), offset == bytes.count else { return nil }
        return shard
    }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for index in 0..<count where bytes[offset + index] != text.utf8Start[index] { return false }
        offset += count
        return true
    }

    private mutating func integer() -> Int? {
        var value = 0
        var digits = 0
        while let byte = peek(), byte >= 48, byte <= 57, digits < 15 {
            value = value * 10 + Int(byte - 48)
            offset += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// A JSON string as `JSONText` writes it: `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` escapes.
    private mutating func string() -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        offset += 1
        let start = offset
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { offset += 1 }
        if peek() == UInt8(ascii: "\"") {
            defer { offset += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }
        var result = Array(bytes[start..<offset])
        while let byte = peek() {
            offset += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: result, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                continue
            }
            guard let escaped = peek() else { return nil }
            offset += 1
            switch escaped {
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                guard offset + 4 <= bytes.count,
                    let value = UInt32(
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + 4]), as: UTF8.self),
                        radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                offset += 4
                result += Array(String(Character(scalar)).utf8)
            default: result.append(escaped)
            }
        }
        return nil
    }
}

/// In how many pages of the site each text word is a candidate, by the word's hash (from the
/// last full build), in two sorted arrays: what choosing a page's text words by tf-idf needs.
public struct BodyWordPages: Sendable, Equatable {
    public private(set) var hashes: [UInt64]
    public private(set) var pages: [Int32]
    public private(set) var pageCount: Int

    public init(hashes: [UInt64], pages: [Int32], pageCount: Int) {
        self.hashes = hashes
        self.pages = pages
        self.pageCount = pageCount
    }

    init(_ table: [UInt64: Int32], pageCount: Int) {
        let sorted = table.sorted { $0.key < $1.key }
        hashes = sorted.map(\.key)
        pages = sorted.map(\.value)
        self.pageCount = pageCount
    }

    /// The number of pages for `hash`, if any page has the word.
    public func pages(with hash: UInt64) -> Int32? {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == hash ? pages[low] : nil
    }
}
