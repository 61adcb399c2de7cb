/// The words of a page's text as 64-bit hashes, sorted and distinct, with no string made per
/// word: what `TextPostings`, the inverted index of page text, is built from.
enum TextWords {
    /// FNV-1a of a word's bytes.
    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Lower-cases ASCII letters in place of a copy; other bytes stay (so offsets match the text).
    static func folded(_ text: String) -> [UInt8] { folded(text.utf8) }

    static func folded(_ utf8: some Sequence<UInt8>) -> [UInt8] {
        var bytes = Array(utf8)
        for index in bytes.indices where bytes[index] >= 65 && bytes[index] <= 90 { bytes[index] += 32 }
        return bytes
    }

    /// Whether a byte belongs to a word: ASCII letters and digits, and any non-ASCII byte.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 97 && byte <= 122 || byte >= 48 && byte <= 57 || byte >= 0x80
    }

    /// The sorted, distinct hashes of the words of folded text, spelled as `SearchText.words`
    /// spells them (`sulphate` as `sulfate`), with how often each occurs (at most 255).
    static func countedHashes(of folded: [UInt8]) -> (hashes: [UInt64], counts: [UInt8]) {
        var result: [UInt64] = []
        result.reserveCapacity(folded.count / 6)
        folded.withUnsafeBufferPointer { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                while index < count, !isWordByte(bytes[index]) { index += 1 }
                let start = index
                while index < count, isWordByte(bytes[index]) { index += 1 }
                guard index > start else { continue }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if word.count >= 5, needsSpellingFold(word) {
                    let text = String(decoding: word, as: UTF8.self)
                    let spelled = SearchText.spellingFolded(text)
                    result.append(hash(spelled.utf8))
                } else {
                    result.append(hash(word))
                }
            }
        }
        result.sort()
        var unique: [UInt64] = []
        var counts: [UInt8] = []
        unique.reserveCapacity(result.count / 3)
        counts.reserveCapacity(result.count / 3)
        for value in result {
            if unique.last == value {
                if counts[counts.count - 1] < 255 { counts[counts.count - 1] += 1 }
            } else {
                unique.append(value)
                counts.append(1)
            }
        }
        return (unique, counts)
    }

    private static let foldPatterns: [(UInt8, [UInt8])] = [
        (UInt8(ascii: "s"), Array("sulph".utf8)), (UInt8(ascii: "o"), Array("oestr".utf8)),
        (UInt8(ascii: "a"), Array("aluminium".utf8)), (UInt8(ascii: "c"), Array("caesium".utf8)),
    ]

    /// Whether a word holds a spelling `SearchText.spellingFolded` changes (`sulph`, `oestr`,
    /// `aluminium`, `caesium`); checked on bytes so that most words cost no string.
    @inline(__always)
    static func needsSpellingFold(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in word.indices {
            let byte = word[index]
            guard
                byte == UInt8(ascii: "s") || byte == UInt8(ascii: "o") || byte == UInt8(ascii: "a")
                    || byte == UInt8(ascii: "c")
            else { continue }
            for (first, pattern) in foldPatterns where byte == first && index + pattern.count <= word.count {
                if word[index..<index + pattern.count].elementsEqual(pattern) { return true }
            }
        }
        return false
    }

}
