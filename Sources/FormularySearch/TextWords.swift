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

    /// The distinct hashes of the words of folded text, spelled as `SearchText.words` spells
    /// them (`sulphate` as `sulfate`), with how often each occurs (at most 255), in no
    /// particular order. One pass over the bytes, counted in a small open-addressing table.
    static func countedHashes(of folded: [UInt8]) -> (hashes: [UInt64], counts: [UInt8]) {
        // Never full: n bytes hold fewer than n/2 + 64 distinct words (36 of one letter, 1,296
        // of two, then at least four bytes a word).
        var capacity = 64
        while capacity < folded.count / 2 + 64 { capacity <<= 1 }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { table in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { counts in
                table.initialize(repeating: 0)
                counts.initialize(repeating: 0)
                let mask = capacity - 1
                var hashes: [UInt64] = []
                hashes.reserveCapacity(folded.count / 16)
                var slots: [Int32] = []
                slots.reserveCapacity(folded.count / 16)
                func count(_ hash: UInt64) {
                    // 0 marks an empty slot.
                    let key = hash == 0 ? 1 : hash
                    var slot = Int(truncatingIfNeeded: HashPostings.mixed(key)) & mask
                    while true {
                        if table[slot] == key {
                            if counts[slot] < 255 { counts[slot] += 1 }
                            return
                        }
                        if table[slot] == 0 {
                            table[slot] = key
                            counts[slot] = 1
                            hashes.append(hash)
                            slots.append(Int32(slot))
                            return
                        }
                        slot = (slot + 1) & mask
                    }
                }
                folded.withUnsafeBufferPointer { bytes in
                    var index = 0
                    let end = bytes.count
                    while index < end {
                        while index < end, !isWordByte(bytes[index]) { index += 1 }
                        let start = index
                        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                        // Whether the word may hold a spelling to fold: `ph` (sulph), `oe` (oestr),
                        // `ae` (caesium), `ini` (aluminium); confirmed below.
                        var mayFold = false
                        var previous: UInt8 = 0
                        while index < end {
                            let byte = bytes[index]
                            guard isWordByte(byte) else { break }
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
                        if mayFold, word.count >= 5, needsSpellingFold(word) {
                            let spelled = SearchText.spellingFolded(String(decoding: word, as: UTF8.self))
                            count(Self.hash(spelled.utf8))
                        } else {
                            count(hash)
                        }
                    }
                }
                return (hashes, slots.map { counts[Int($0)] })
            }
        }
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
