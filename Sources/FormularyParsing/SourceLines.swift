#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of a UTF-8 text, addressed by 1-based line number, for slicing source by position.
///
/// cmark-gfm reports block positions as lines and columns; sections, labels and FAQ pairs are
/// cut out of the original text with them, so what a page says reaches the record byte for byte.
struct SourceLines: Sendable {
    /// The whole file; the text addressed is `bytes[base...]`.
    let bytes: [UInt8]
    /// Byte offset (into `bytes`) where each line starts; `starts[0]` is line 1.
    private let starts: [Int]

    /// The lines of `bytes` from byte offset `base` on (the body after the front matter).
    init(_ bytes: [UInt8], from base: Int = 0) {
        self.bytes = bytes
        var starts = [base]
        starts.reserveCapacity((bytes.count - base) / 40 + 1)
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            guard let base0 = buffer.baseAddress, base < count else { return }
            if memchr(base0 + base, Int32(UInt8(ascii: "\r")), count - base) == nil {
                // No carriage returns (nearly every page): let memchr find the line feeds.
                var index = base
                while index < count, let found = memchr(base0 + index, Int32(UInt8(ascii: "\n")), count - index) {
                    index = base0.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                    starts.append(index)
                }
                return
            }
            var index = base
            while index < count {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\n") {
                    starts.append(index + 1)
                } else if byte == UInt8(ascii: "\r") {
                    // `\r\n` and a lone `\r` both end a line, as in CommonMark.
                    if index + 1 < count, buffer[index + 1] == UInt8(ascii: "\n") { index += 1 }
                    starts.append(index + 1)
                }
                index += 1
            }
        }
        self.starts = starts
    }

    var count: Int { starts.count }

    /// ASCII whitespace, as trimming sees it.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    /// The text of one line without its line ending.
    func line(_ number: Int) -> Substring {
        Substring(text(fromLine: number, column: 1, throughLine: number))
    }

    /// The text from a 1-based line and column through the end of `lastLine`, without the final line ending.
    func text(fromLine first: Int, column: Int = 1, throughLine last: Int) -> String {
        let range = range(fromLine: first, column: column, throughLine: last)
        guard !range.isEmpty else { return "" }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Where that text is in `bytes`.
    func range(fromLine first: Int, column: Int = 1, throughLine last: Int) -> Range<Int> {
        guard first >= 1, first <= count, last >= first else { return 0..<0 }
        let lower = min(starts[first - 1] + max(column - 1, 0), bytes.count)
        let lastIndex = min(last, count)
        var upper = lastIndex < count ? starts[lastIndex] : bytes.count
        if upper > lower, bytes[upper - 1] == UInt8(ascii: "\n") { upper -= 1 }
        if upper > lower, bytes[upper - 1] == UInt8(ascii: "\r") { upper -= 1 }
        return upper > lower ? lower..<upper : 0..<0
    }

    /// Whether the text at a line and column opens with `**` or `__`.
    func startsWithEmphasis(line: Int, column: Int) -> Bool {
        guard line >= 1, line <= count else { return false }
        let offset = starts[line - 1] + column - 1
        guard offset + 1 < bytes.count else { return false }
        let first = bytes[offset]
        return (first == UInt8(ascii: "*") || first == UInt8(ascii: "_")) && bytes[offset + 1] == first
    }

    /// Like `text(fromLine:column:throughLine:)`, without leading and trailing whitespace:
    /// trimmed as bytes before the string is made, so a section's text is copied once.
    func trimmedText(fromLine first: Int, column: Int = 1, throughLine last: Int) -> String {
        guard first >= 1, first <= count, last >= first else { return "" }
        var lower = min(starts[first - 1] + max(column - 1, 0), bytes.count)
        let lastIndex = min(last, count)
        var upper = lastIndex < count ? starts[lastIndex] : bytes.count
        while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
        guard upper > lower else { return "" }
        let text = String(decoding: bytes[lower..<upper], as: UTF8.self)
        // Unicode spaces (no-break, ideographic) at either end are rare: trim those as text.
        if bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 { return text.trimmingWhitespace() }
        return text
    }

    /// For a line that opens with `#` after any whitespace (an ATX heading), the text after the
    /// `#` marks, up to the line's end (its trailing whitespace trimmed); `nil` for other lines.
    func afterHashes(line number: Int) -> String? {
        guard number >= 1, number <= count else { return nil }
        var lower = starts[number - 1]
        var upper = number < count ? starts[number] : bytes.count
        while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
        guard lower < upper, bytes[lower] == UInt8(ascii: "#") else { return nil }
        while lower < upper, bytes[lower] == UInt8(ascii: "#") { lower += 1 }
        while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
        let text = String(decoding: bytes[lower..<upper], as: UTF8.self)
        // Unicode spaces (no-break, ideographic) at the end are rare: trim those as text.
        if upper > lower, bytes[upper - 1] >= 0x80 { return text.trimmingWhitespace() }
        return text
    }

    /// The text from a line and column through `lastLine`, each line after the first with up
    /// to `dedent` leading spaces or tabs removed, lines joined by `\n` (line endings dropped), as bytes.
    func joinedBytes(fromLine first: Int, column: Int, throughLine last: Int, dedent: Int) -> [UInt8] {
        guard first >= 1, first <= count, last >= first else { return [] }
        var result: [UInt8] = []
        for number in first...min(last, count) {
            var lower = starts[number - 1]
            if number == first {
                lower = min(lower + max(column - 1, 0), bytes.count)
            } else {
                result.append(UInt8(ascii: "\n"))
                var dropped = 0
                let limit = number < count ? starts[number] : bytes.count
                while dropped < dedent, lower < limit,
                    bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t")
                {
                    lower += 1
                    dropped += 1
                }
            }
            var upper = number < count ? starts[number] : bytes.count
            if upper > lower, bytes[upper - 1] == UInt8(ascii: "\n") { upper -= 1 }
            if upper > lower, bytes[upper - 1] == UInt8(ascii: "\r") { upper -= 1 }
            if upper > lower { result += bytes[lower..<upper] }
        }
        return result
    }
}
