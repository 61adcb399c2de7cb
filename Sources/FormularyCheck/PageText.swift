#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FormularyParsing

/// Byte-level searches over a page's body, with positions as file lines and columns.
struct PageText {
    let page: ParsedPage

    /// Every occurrence of `phrase` (exact bytes) as (line, column) in the file.
    func occurrences(of phrase: String, limit: Int = .max) -> [(line: Int, column: Int)] {
        let needle = Array(phrase.utf8)
        var result: [(Int, Int)] = []
        page.bodyBytes.withUnsafeBufferPointer { body in
            var offset = 0
            while result.count < limit, let position = ByteSearch.firstOffset(of: needle, in: body, from: offset) {
                result.append(location(ofBodyOffset: position, in: body))
                offset = position + needle.count
            }
        }
        return result
    }

    /// The first occurrence of any of the phrases.
    func firstOccurrence(ofAny phrases: [String]) -> (phrase: String, line: Int, column: Int)? {
        var best: (String, Int, Int)?
        for phrase in phrases {
            if let hit = occurrences(of: phrase, limit: 1).first,
                best == nil || (hit.line, hit.column) < (best!.1, best!.2)
            {
                best = (phrase, hit.line, hit.column)
            }
        }
        return best
    }

    /// The file line and column of a byte offset in the body.
    func location(ofBodyOffset offset: Int) -> (line: Int, column: Int) {
        page.bodyBytes.withUnsafeBufferPointer { location(ofBodyOffset: offset, in: $0) }
    }

    private func location(ofBodyOffset offset: Int, in body: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = page.bodyLine
        var lineStart = 0
        var index = 0
        while index < offset {
            if body[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        // Columns count characters, as editors do.
        let column = String(decoding: UnsafeBufferPointer(rebasing: body[lineStart..<offset]), as: UTF8.self).count + 1
        return (line, column)
    }
}
