import Foundation
/// A short passage of a page around the first matched word, HTML-escaped, matches in `<mark>`.
enum Snippet {
    static let length = 160

    static func make(from text: String, folded: [UInt8], highlighting words: Set<String>) -> String {
        // Find the first match in the folded bytes; when folding kept byte offsets (nearly always),
        // they are the original's offsets too.
        var offset = 0
        if folded.count == text.utf8.count {
            let hits = words.filter { $0.count >= 2 }.compactMap { word in folded.firstOffset(of: Array(word.utf8)) }
            if let hit = hits.min() { offset = max(0, hit - 40) }
        }
        let utf8 = text.utf8
        var start = utf8.index(utf8.startIndex, offsetBy: offset)
        // Back to a character boundary.
        while start > utf8.startIndex, String.Index(start, within: text) == nil { start = utf8.index(before: start) }
        let window = String(text[start...].prefix(length + 20)).replacingOccurrences(of: "**", with: "")
            .replacingOccurrences(of: "\n", with: " ").prefix(length)
        let plainCount = utf8.count
        var result = offset > 0 ? "…" : ""
        // Mark whole words that start with a matched word.
        for token in window.split(separator: " ", omittingEmptySubsequences: false) {
            if !result.isEmpty && !result.hasSuffix("…") { result += " " }
            // The token lower-cased without its punctuation, as the index spells words.
            let folded = String(
                decoding: token.utf8.compactMap { $0 < 0x80 ? SearchText.fold(Unicode.Scalar($0)) : $0 }, as: UTF8.self)
            let escaped = escape(String(token))
            if !folded.isEmpty, words.contains(where: { folded.hasPrefix($0) && $0.count >= 3 || folded == $0 }) {
                result += "<mark>\(escaped)</mark>"
            } else {
                result += escaped
            }
        }
        if offset + length < plainCount { result += "…" }
        return result
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

extension Array where Element == UInt8 {
    /// The offset of the first occurrence of `needle` at or after `start`.
    func firstOffset(of needle: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, needle.count <= count else { return nil }
        var index = start
        let last = count - needle.count
        while index <= last {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
