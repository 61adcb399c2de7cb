import CFastSearch

/// Finding bytes in bytes: the C library's `memmem` (a two-way search), the one byte search of
/// the code (phrases in pages for `check`, words in snippets and phrase queries for search).
public enum ByteSearch {
    /// The offset of the first `needle` in `haystack[start..<end]` (to its end without `end`),
    /// counted from the start of `haystack`; nil when there is none, or `needle` is empty.
    public static func firstOffset(
        of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0,
        to end: Int? = nil
    ) -> Int? {
        let end = min(end ?? haystack.count, haystack.count)
        guard let base = haystack.baseAddress, let bytes = needle.baseAddress, !needle.isEmpty, start >= 0,
            end - start >= needle.count
        else { return nil }
        return formulary_memmem(base + start, end - start, bytes, needle.count).map {
            base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
        }
    }

    public static func firstOffset(
        of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil
    ) -> Int? {
        needle.withUnsafeBufferPointer { firstOffset(of: $0, in: haystack, from: start, to: end) }
    }
}
