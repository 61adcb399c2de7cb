/// The lower-cased words of letters in a text, split at anything else:
/// `Amoxicillin (500mg) Tablets` gives `amoxicillin`, `mg`, `tablets`.
public enum LetterWords {
    public static func of(_ text: some StringProtocol) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
        // ASCII, as names nearly always are: on bytes, without Unicode character lookups.
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if lower >= 97 && lower <= 122 {
                word.append(lower)
            } else if !word.isEmpty {
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }
}
