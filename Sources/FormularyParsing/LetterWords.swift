/// The lower-cased words of letters in a text, split at anything else:
/// `Amoxicillin (500mg) Tablets` gives `amoxicillin`, `mg`, `tablets`.
public enum LetterWords {
    public static func of(_ text: some StringProtocol) -> [String] {
        var string = String(text)
        // ASCII, as names nearly always are: on bytes, without Unicode character lookups.
        if let words = string.withUTF8({ ascii($0) }) { return words }
        return text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    }

    /// The words of ASCII text; nil at the first byte that is not ASCII.
    private static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var words: [String] = []
        var start = -1
        func add(_ end: Int) {
            // Short words (most) are stored inline by String: no allocation.
            words.append(
                String(unsafeUninitializedCapacity: end - start) { buffer in
                    for index in start..<end { buffer[index - start] = bytes[index] | 0x20 }
                    return end - start
                })
        }
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x80 else { return nil }
            let lower = byte | 0x20
            if lower >= 97 && lower <= 122 {
                if start < 0 { start = index }
            } else if start >= 0 {
                add(index)
                start = -1
            }
        }
        if start >= 0 { add(bytes.count) }
        return words
    }
}
