#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// UTF-8 text as a range of a byte buffer that outlives it.
///
/// FAQ pairs are cut out of a page's bytes, trimmed and searched many times before a question
/// and an answer are made; on a `Substring` each of those steps retains and releases the
/// string's storage, which cost more than the work itself. The buffer must be valid UTF-8
/// (every page is checked before it is parsed) and must stay alive while the text is used.
struct ByteText {
    let buffer: UnsafeBufferPointer<UInt8>
    /// Offsets into `buffer`: the text is `buffer[lower..<upper]`. Every index taken or given
    /// by the methods below is an offset into `buffer`, not into the text.
    var lower: Int
    var upper: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.init(buffer, 0..<buffer.count)
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self.buffer = buffer
        lower = range.lowerBound
        upper = range.upperBound
    }

    var isEmpty: Bool { lower >= upper }
    var first: UInt8? { lower < upper ? buffer[lower] : nil }
    var last: UInt8? { lower < upper ? buffer[upper - 1] : nil }

    /// The text from `index` on.
    func from(_ index: Int) -> ByteText { ByteText(buffer, min(index, upper)..<upper) }

    /// The text before `index`.
    func before(_ index: Int) -> ByteText { ByteText(buffer, lower..<max(index, lower)) }

    var string: String { String(decoding: UnsafeBufferPointer(rebasing: buffer[lower..<upper]), as: UTF8.self) }

    var bytes: [UInt8] { Array(buffer[lower..<upper]) }

    /// Where `byte` first occurs at or after `start` (`memchr`).
    func firstIndex(of byte: UInt8, from start: Int? = nil) -> Int? {
        let start = start ?? lower
        guard start < upper, let base = buffer.baseAddress,
            let found = memchr(base + start, Int32(byte), upper - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    func contains(_ byte: UInt8) -> Bool { firstIndex(of: byte) != nil }

    /// Where `byte` twice in a row (`**`, `__`) first occurs at or after `start`.
    func firstPair(of byte: UInt8, from start: Int? = nil) -> Int? {
        var index = start ?? lower
        while let found = firstIndex(of: byte, from: index) {
            if found + 1 < upper, buffer[found + 1] == byte { return found }
            index = found + 1
        }
        return nil
    }

    /// The length of the first of `words` the text starts with, or nil.
    func prefixLength(oneOf words: [[UInt8]]) -> Int? {
        for word in words where upper - lower >= word.count {
            if word.indices.allSatisfy({ buffer[lower + $0] == word[$0] }) { return word.count }
        }
        return nil
    }

    func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard upper - lower >= count else { return false }
        let pattern = literal.utf8Start
        for offset in 0..<count where buffer[lower + offset] != pattern[offset] { return false }
        return true
    }

    /// Whether the text opens with `**` or `__`.
    var opensWithEmphasis: Bool {
        guard upper - lower >= 2 else { return false }
        let first = buffer[lower]
        return (first == UInt8(ascii: "*") || first == UInt8(ascii: "_")) && buffer[lower + 1] == first
    }

    /// The bytes with every `**`, then every `__`, removed: emphasis markers dropped from a
    /// label or a question (`SectionRecognizer.stripEmphasis` for strings).
    func withoutEmphasis() -> [UInt8] {
        var bytes = self.bytes
        for marker in [UInt8(ascii: "*"), UInt8(ascii: "_")] {
            var kept: [UInt8] = []
            kept.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if index + 1 < bytes.count, bytes[index] == marker, bytes[index + 1] == marker {
                    index += 2
                } else {
                    kept.append(bytes[index])
                    index += 1
                }
            }
            bytes = kept
        }
        return bytes
    }

    /// The text without leading and trailing whitespace, as `Substring.trimmedWhitespace`
    /// trims it: ASCII whitespace as bytes, Unicode whitespace (a no-break space) at either end
    /// by its scalar properties.
    func trimmed() -> ByteText {
        var lower = self.lower
        var upper = self.upper
        while lower < upper, Self.isASCIISpace(buffer[lower]) { lower += 1 }
        while lower < upper, Self.isASCIISpace(buffer[upper - 1]) { upper -= 1 }
        if lower < upper, buffer[lower] >= 0x80 || buffer[upper - 1] >= 0x80 {
            while lower < upper {
                let (scalar, length) = scalar(at: lower)
                guard Self.isWhitespace(scalar) else { break }
                lower += length
            }
            while lower < upper {
                var start = upper - 1
                while start > lower, buffer[start] & 0xC0 == 0x80 { start -= 1 }
                guard Self.isWhitespace(scalar(at: start).scalar) else { break }
                upper = start
            }
        }
        return ByteText(buffer, lower..<upper)
    }

    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? isASCIISpace(UInt8(scalar.value)) : scalar.properties.isWhitespace
    }

    /// The scalar whose first byte is at `index`, and its length in bytes.
    private func scalar(at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(buffer[index])
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= upper else { return (Unicode.Scalar(UInt8(0x3F)), 1) }
        guard length > 1 else { return (Unicode.Scalar(UInt8(lead)), 1) }
        var value = lead & (0xFF >> UInt32(length + 1))
        for offset in 1..<length { value = value << 6 | UInt32(buffer[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? Unicode.Scalar(UInt8(0x3F)), length)
    }
}
