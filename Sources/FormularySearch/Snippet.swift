import FormularyParsing

/// A short passage of a page around the first matched word, HTML-escaped, matches in `<mark>`.
/// Worked out on bytes: a query makes ten of these.
enum Snippet {
    /// Characters shown.
    static let length = 160

    /// The words a query matched, ready for finding and marking.
    struct Marker {
        /// Words of two letters or more whose first occurrence places the passage: the query's
        /// own words, else the words it matched (a word that starts with another of the same
        /// list is left out: the shorter one occurs there too).
        let anchors: [[UInt8]]
        let fallbackAnchors: [[UInt8]]
        /// A text word is marked when it is one of these, or starts with one of three letters or more.
        let words: [[UInt8]]
        /// The first two letters of every word, for a quick first test: one bit a pair.
        private let firstLetters: [UInt64]

        init(terms: [[UInt8]], matched: [[UInt8]]) {
            words = terms + matched
            func shortest(_ words: [[UInt8]]) -> [[UInt8]] {
                let long = words.filter { $0.count >= 2 }
                return long.filter { word in !long.contains { $0.count < word.count && word.starts(with: $0) } }
            }
            anchors = shortest(terms)
            fallbackAnchors = shortest(matched)
            var bits = [UInt64](repeating: 0, count: 16)
            for word in words {
                let key = Self.key(word.first ?? 0, word.count > 1 ? word[1] : 0)
                bits[key >> 6] |= 1 << UInt64(key & 63)
            }
            firstLetters = bits
        }

        @inline(__always)
        private static func key(_ first: UInt8, _ second: UInt8) -> Int { Int(first & 31) | Int(second & 31) << 5 }

        /// Whether a text word (folded) is marked.
        func marks(_ folded: ArraySlice<UInt8>) -> Bool {
            guard let first = folded.first else { return false }
            let second = folded.count > 1 ? folded[folded.startIndex + 1] : 0
            // Most words share no first two letters with any matched word.
            let key = Self.key(first, second)
            guard firstLetters[key >> 6] & (1 << UInt64(key & 63)) != 0 else { return false }
            return words.contains { word in
                word.count >= 3 ? folded.starts(with: word) : folded.elementsEqual(word)
            }
        }
    }

    static func make(from text: String, folded: [UInt8], marker: Marker) -> String {
        var text = text
        text.makeContiguousUTF8()  // native strings are already
        return text.utf8.withContiguousStorageIfAvailable { make(from: $0, folded: folded, marker: marker) } ?? ""
    }

    private static func make(from text: UnsafeBufferPointer<UInt8>, folded: [UInt8], marker: Marker) -> String {
        // The first match in the folded bytes, whose offsets are the original's (folding
        // changes ASCII case only).
        var offset = 0
        if folded.count == text.count,
            let first = firstOccurrence(of: marker.anchors, in: folded)
                ?? firstOccurrence(of: marker.fallbackAnchors, in: folded)
        {
            offset = max(0, first - 40)
        }
        // Back to a character boundary.
        var start = offset
        while start > 0, start < text.count, text[start] & 0xC0 == 0x80 { start -= 1 }

        // The window: `length` + 20 characters from there, without `**`, newlines as spaces,
        // cut to `length` characters.
        var end = start
        var read = 0
        while end < text.count {
            if text[end] & 0xC0 != 0x80 {
                if read == length + 20 { break }
                read += 1
            }
            end += 1
        }
        var window: [UInt8] = []
        window.reserveCapacity(end - start)
        var index = start
        var shown = 0
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: "*"), index + 1 < end, text[index + 1] == UInt8(ascii: "*") {
                index += 2
                continue
            }
            if byte & 0xC0 != 0x80 {
                if shown == length { break }
                shown += 1
            }
            window.append(byte == UInt8(ascii: "\n") ? UInt8(ascii: " ") : byte)
            index += 1
        }

        var result: [UInt8] = []
        result.reserveCapacity(window.count + 64)
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        if offset > 0 { result += ellipsis }
        var folded: [UInt8] = []
        folded.reserveCapacity(64)
        window.withUnsafeBufferPointer { window in
            var tokenStart = 0
            while tokenStart <= window.count {
                var tokenEnd = tokenStart
                while tokenEnd < window.count, window[tokenEnd] != UInt8(ascii: " ") { tokenEnd += 1 }
                if !result.isEmpty && !Self.endsWithEllipsis(result) { result.append(UInt8(ascii: " ")) }
                // The token lower-cased without its punctuation, as the index spells words.
                folded.removeAll(keepingCapacity: true)
                for index in tokenStart..<tokenEnd {
                    let byte = window[index]
                    if byte >= 0x80 {
                        folded.append(byte)
                    } else if let letter = SearchText.fold(Unicode.Scalar(byte)) {
                        folded.append(letter)
                    }
                }
                let marked = marker.marks(folded[...])
                if marked { result.append(contentsOf: "<mark>".utf8) }
                for index in tokenStart..<tokenEnd {
                    let byte = window[index]
                    switch byte {
                    case UInt8(ascii: "&"): result.append(contentsOf: "&amp;".utf8)
                    case UInt8(ascii: "<"): result.append(contentsOf: "&lt;".utf8)
                    case UInt8(ascii: ">"): result.append(contentsOf: "&gt;".utf8)
                    case UInt8(ascii: "\""): result.append(contentsOf: "&quot;".utf8)
                    default: result.append(byte)
                    }
                }
                if marked { result.append(contentsOf: "</mark>".utf8) }
                tokenStart = tokenEnd + 1
            }
        }
        if offset + length < text.count { result += ellipsis }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `bytes` ends with "…" (no space is put after one).
    @inline(__always)
    private static func endsWithEllipsis(_ bytes: [UInt8]) -> Bool {
        let count = bytes.count
        return count >= 3 && bytes[count - 3] == 0xE2 && bytes[count - 2] == 0x80 && bytes[count - 1] == 0xA6
    }

    /// The offset of the earliest occurrence of any of `words` in `text`.
    private static func firstOccurrence(of words: [[UInt8]], in text: [UInt8]) -> Int? {
        var first = Int.max
        text.withUnsafeBufferPointer { haystack in
            for word in words {
                // Only the part before the earliest occurrence so far can hold an earlier one.
                let searched = min(haystack.count, first == .max ? haystack.count : first - 1 + word.count)
                if let hit = ByteSearch.firstOffset(of: word, in: haystack, to: searched) { first = min(first, hit) }
            }
        }
        return first == .max ? nil : first
    }
}

extension Array where Element == UInt8 {
    /// The offset of the first occurrence of `needle` at or after `start`.
    func firstOffset(of needle: [UInt8], from start: Int = 0) -> Int? {
        withUnsafeBufferPointer { ByteSearch.firstOffset(of: needle, in: $0, from: start) }
    }
}
