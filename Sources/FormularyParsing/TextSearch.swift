#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Byte-level text helpers for the parser's hot paths.
//
// The standard library's generic `firstRange(of:)` and Foundation's `range(of:)` work on
// Characters and cost microseconds per call; the parser calls them for every heading, label
// and FAQ line of 11,000 pages. These search the UTF-8 bytes instead, which is exact for the
// ASCII markers they look for (`**`, `A:`, `Q:`).

extension Substring {
    /// The first occurrence of `needle`, compared byte for byte.
    public func find(_ needle: some StringProtocol) -> Range<Index>? {
        var needle = String(needle)
        return needle.withUTF8 { pattern -> Range<Index>? in
            guard let first = pattern.first else { return nil }
            let view = utf8
            let result = view.withContiguousStorageIfAvailable { haystack -> Int? in
                let count = haystack.count
                let length = pattern.count
                guard length <= count else { return nil }
                var index = 0
                let last = count - length
                while index <= last {
                    if haystack[index] == first {
                        var matched = 1
                        while matched < length, haystack[index + matched] == pattern[matched] { matched += 1 }
                        if matched == length { return index }
                    }
                    index += 1
                }
                return nil
            }
            let offset: Int?
            if let result {
                offset = result
            } else {
                // Not contiguous (a bridged string): fall back to a plain scan.
                let bytes = Array(view)
                offset = bytes.withUnsafeBufferPointer { haystack in
                    guard pattern.count <= haystack.count else { return nil }
                    for index in 0...(haystack.count - pattern.count)
                    where haystack[index] == first && haystack[index..<index + pattern.count].elementsEqual(pattern) {
                        return index
                    }
                    return nil
                }
            }
            guard let offset else { return nil }
            let lower = view.index(view.startIndex, offsetBy: offset)
            let upper = view.index(lower, offsetBy: pattern.count)
            return lower..<upper
        }
    }

    /// Whether `needle` occurs, compared byte for byte (much faster than a Character search).
    public func containsText(_ needle: some StringProtocol) -> Bool { find(needle) != nil }
}

extension String {
    /// The first occurrence of `needle`, compared byte for byte.
    public func find(_ needle: some StringProtocol) -> Range<Index>? { self[...].find(needle) }

    /// Whether `needle` occurs, compared byte for byte (much faster than a Character search).
    public func containsText(_ needle: some StringProtocol) -> Bool { self[...].find(needle) != nil }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (Unicode whitespace included).
    public func trimmingWhitespace() -> String {
        String(Substring(self).trimmedWhitespace())
    }
}

extension String {
    /// The text without leading and trailing whitespace; the string itself, not a copy, when
    /// there is none (the usual case).
    public func trimmingWhitespace() -> String {
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return self
        }
        return String(self[...].trimmedWhitespace())
    }
}

extension StringProtocol {
    /// Whether the text holds `byte`: `memchr` over its UTF-8 storage (the standard library's
    /// `utf8.contains` walks the view a byte at a time through index checks).
    @inline(__always)
    func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        } ?? utf8.contains(byte)
    }
}

extension Substring {
    /// Whether the text starts with `prefix`, compared byte for byte. The parser's prefixes are
    /// ASCII markers (`**`, `#`, `Q:`), for which this is exact; the standard library's
    /// `hasPrefix` on a Substring compares Characters, at a cost the parser pays per heading.
    @inline(__always)
    func hasPrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// Whether the text ends with `suffix`, compared byte for byte (see `hasPrefix`).
    @inline(__always)
    func hasSuffix(_ suffix: String) -> Bool {
        let bytes = utf8
        let count = suffix.utf8.count
        guard bytes.count >= count else { return false }
        return bytes[bytes.index(bytes.endIndex, offsetBy: -count)...].elementsEqual(suffix.utf8)
    }

    /// The same text without leading and trailing whitespace, as a slice: no copy.
    func trimmedWhitespace() -> Substring {
        // Nearly always: nothing to trim, or ASCII spaces only, trimmed as bytes.
        let bytes = utf8
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        while lower < upper, isASCIISpace(bytes[lower]) { lower = bytes.index(after: lower) }
        while lower < upper, isASCIISpace(bytes[bytes.index(before: upper)]) { upper = bytes.index(before: upper) }
        if lower == upper || (bytes[lower] < 0x80 && bytes[bytes.index(before: upper)] < 0x80) {
            return lower == bytes.startIndex && upper == bytes.endIndex ? self : self[lower..<upper]
        }
        // A non-ASCII character at either end may be Unicode whitespace (a no-break space).
        // The byte-trimmed bounds sit after or before ASCII bytes: scalar boundaries.
        let scalars = unicodeScalars
        while lower < upper, Self.isWhitespace(scalars[lower]) { lower = scalars.index(after: lower) }
        while lower < upper {
            let before = scalars.index(before: upper)
            guard Self.isWhitespace(scalars[before]) else { break }
            upper = before
        }
        return Substring(scalars[lower..<upper])
    }

    @inline(__always)
    fileprivate static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar.value == 0x0B
                || scalar.value == 0x0C
        }
        return scalar.properties.isWhitespace
    }
}
