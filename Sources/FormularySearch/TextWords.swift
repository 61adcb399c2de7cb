import FormularyParsing

/// The words of a page's text as 64-bit hashes, sorted and distinct, with no string made per
/// word: what `TextPostings`, the inverted index of page text, is built from.
enum TextWords {
    /// A word's hash (FNV-1a of its bytes, `StableHasher.hash`).
    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { StableHasher.hash(bytes) }

    /// Lower-cases ASCII letters in place of a copy; other bytes stay (so offsets match the text).
    static func folded(_ text: String) -> [UInt8] { folded(text.utf8) }

    static func folded(_ utf8: some Sequence<UInt8>) -> [UInt8] {
        var bytes = Array(utf8)
        fold(&bytes)
        return bytes
    }

    /// ASCII upper-case letters lowered in place.
    static func fold(_ bytes: inout [UInt8]) {
        for index in bytes.indices where bytes[index] >= 65 && bytes[index] <= 90 { bytes[index] += 32 }
    }

    /// Whether a byte belongs to a word: ASCII letters and digits, and any non-ASCII byte.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 97 && byte <= 122 || byte >= 48 && byte <= 57 || byte >= 0x80
    }

    /// The distinct hashes of the words of folded text, spelled as `SearchText.words` spells
    /// them (`sulphate` as `sulfate`), with how often each occurs (at most 255), in the order
    /// they first appear. One pass over the bytes, counted by `WordCounter`.
    static func countedHashes(of folded: [UInt8]) -> (hashes: [UInt64], counts: [UInt8]) {
        var counter = WordCounter(textLength: folded.count)
        folded.withUnsafeBufferPointer { bytes in
            var index = 0
            let end = bytes.count
            while index < end {
                while index < end, !isWordByte(bytes[index]) { index += 1 }
                let start = index
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                // Whether the word may hold a spelling to fold: `ph` (sulph), `oe` (oestr),
                // `ae` (caesium), `in` (aluminium); confirmed below.
                var mayFold = false
                // Devanagari (its letters start E0 A4 or E0 A5): folded as `SearchText.words` folds it.
                var devanagari = false
                var previous: UInt8 = 0
                while index < end {
                    let byte = bytes[index]
                    guard isWordByte(byte) else { break }
                    if byte == 0xE0, index + 1 < end, bytes[index + 1] == 0xA4 || bytes[index + 1] == 0xA5 {
                        devanagari = true
                    }
                    hash ^= UInt64(byte)
                    hash &*= 0x0000_0100_0000_01B3
                    if (byte == UInt8(ascii: "h") && previous == UInt8(ascii: "p"))
                        || (byte == UInt8(ascii: "e")
                            && (previous == UInt8(ascii: "o") || previous == UInt8(ascii: "a")))
                        || (byte == UInt8(ascii: "n") && previous == UInt8(ascii: "i"))
                    {
                        mayFold = true
                    }
                    previous = byte
                    index += 1
                }
                guard index > start else { continue }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if devanagari {
                    for folded in SearchText.words(String(decoding: word, as: UTF8.self)) {
                        counter.add(Self.hash(folded.utf8))
                    }
                } else if mayFold, word.count >= 5, needsSpellingFold(word) {
                    let spelled = SearchText.spellingFolded(String(decoding: word, as: UTF8.self))
                    counter.add(Self.hash(spelled.utf8))
                } else {
                    counter.add(hash)
                }
            }
        }
        return (counter.hashes, counter.counts.map { UInt8(min($0, 255)) })
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

/// A page's words counted by hash, in an open-addressing table that never fills: n bytes hold
/// fewer than n/2 + 64 distinct words (36 of one letter, 1,296 of two, then at least four bytes
/// a word). A dictionary would hash each hash again. Words keep the order they first appear in.
struct WordCounter {
    private var slots: [Int32]
    private let mask: Int
    private(set) var hashes: [UInt64] = []
    private(set) var counts: [Int] = []

    init(textLength: Int) {
        var capacity = 64
        while capacity < textLength / 2 + 64 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        hashes.reserveCapacity(textLength / 16)
        counts.reserveCapacity(textLength / 16)
    }

    /// Counts `hash` once more; true when it is new.
    @discardableResult
    mutating func add(_ hash: UInt64) -> Bool {
        var slot = Int(truncatingIfNeeded: HashPostings.mixed(hash)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 {
                slots[slot] = Int32(hashes.count)
                hashes.append(hash)
                counts.append(1)
                return true
            }
            if hashes[entry] == hash {
                counts[entry] += 1
                return false
            }
            slot = (slot + 1) & mask
        }
    }
}
