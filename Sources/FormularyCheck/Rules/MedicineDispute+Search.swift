#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FormularyModel
import FormularyParsing

// Finding the sentences that doubt a page's medicine: byte searches over the page, words bounded.

extension MedicineDispute {

    /// The first disputing sentence in `body`; `isCombination` allows the wordings that only
    /// dispute a combination.
    static func first(in body: UnsafeBufferPointer<UInt8>, isCombination: Bool) -> MedicineDispute? {
        guard let base = body.baseAddress else { return nil }
        var best: (offset: Int, wording: Wording)?
        for pass in passes {
            var from = 0
            while from < body.count, let found = memchr(base + from, Int32(pass.key), body.count - from) {
                let key = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                from = key + 1
                // No anchor starts more than `reach` bytes before its key: later keys cannot be earlier.
                if let best, key - pass.reach >= best.offset { break }
                for index in pass.probes.indices {
                    let probe = pass.probes[index]
                    let beside = key + probe.besideOffset
                    guard beside >= 0, beside + 1 < body.count, body[beside] == probe.first,
                        body[beside + 1] == probe.second
                    else { continue }
                    for anchor in pass.groups[index].anchors where isCombination || !anchor.combinationsOnly {
                        let start = key - anchor.keyOffset
                        guard start >= 0, start + anchor.bytes.count <= body.count, start < best?.offset ?? body.count,
                            memcmp(base + start, anchor.bytes, anchor.bytes.count) == 0,
                            !(anchor.startsWord && start > 0 && isLetter(body[start - 1])),
                            confirms(anchor, at: start, in: body, isCombination: isCombination),
                            !namesRoute(around: start, in: body)
                        else { continue }
                        best = (start, anchor.wording)
                    }
                }
            }
        }
        guard let best else { return nil }
        let start = sentenceStart(before: best.offset, in: body)
        let end = sentenceEnd(after: best.offset, in: body)
        return MedicineDispute(
            sentenceOffset: start, excerpt: shortened(UnsafeBufferPointer(rebasing: body[start..<end])),
            wording: best.wording)
    }

    /// Whether what follows the anchor at `position` makes it a dispute. Most anchors are
    /// followed by something else ("not a substitute", "not recommended"), so the first word
    /// is read alone before the clause is.
    static func confirms(_ anchor: Anchor, at position: Int, in body: UnsafeBufferPointer<UInt8>, isCombination: Bool)
        -> Bool
    {
        let after = position + anchor.bytes.count
        let doubts = isCombination ? productDoubts : existenceDoubts
        switch anchor.wording {
        case .notAProduct, .doesNotAppear, .noSuchProduct:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(words(from: after, in: body)[...], doubts: doubts, needsDoubt: true)
        case .hypothetical:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(words(from: after, in: body)[...], doubts: doubts, needsDoubt: false)
        case .notFound:
            return true
        case .notAsOneProduct:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(
                    words(from: after, in: body)[...], doubts: productDoubts, needsDoubt: false,
                    requiring: oneProductWords)
        case .notMadeAsOne:
            guard let next = words(from: after, in: body, limit: 1).first,
                adverbs.contains(next.text) || makingVerbs.contains(next.text)
            else { return false }
            let following = words(from: after, in: body)
            var index = 0
            while index < following.count, adverbs.contains(following[index].text) { index += 1 }
            guard index + 2 < following.count, makingVerbs.contains(following[index].text),
                ["as", "into", "in"].contains(following[index + 1].text),
                ["a", "an"].contains(following[index + 2].text)
            else { return false }
            return isDisputedProduct(
                following[(index + 3)...], doubts: productDoubts, needsDoubt: false, requiring: oneProductWords)
        case .describedSeparately:
            let start = sentenceStart(before: position, in: body)
            return textNouns.contains { occurs($0, in: body, from: start, to: position) }
        }
    }

    /// Every word a disputing noun phrase may hold.
    static let phraseWords: Set<String> = productNouns.union(productDoubts).union(neutralWords).union(regulatoryWords)

    /// Whether the word at `start` may open a disputing noun phrase (a cheap test before the
    /// whole clause is read).
    static func opensPhrase(at start: Int, in body: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let next = words(from: start, in: body, limit: 1).first else { return false }
        return phraseWords.contains(next.text)
    }

    /// A word after an anchor, lowercased, and whether a comma or bracket came before it (a
    /// continuation after a comma starts a new clause: "not a pre-mixed medication, dosage ...").
    struct Word: Equatable {
        var text: String
        var followsPunctuation: Bool
    }

    /// Whether `words` open with a noun phrase that disputes a product: only doubts, neutral
    /// words and product nouns, ending in a product noun (or a doubt after one), with a doubt
    /// among them when `needsDoubt`, and a word of `requiring` when given.
    static func isDisputedProduct(
        _ words: ArraySlice<Word>, doubts: Set<String>, needsDoubt: Bool, requiring: Set<String>? = nil
    ) -> Bool {
        var sawDoubt = false
        var sawProduct = false
        var sawRequired = requiring == nil
        var deniesAvailability = false
        var last: String?
        for (index, word) in words.enumerated() {
            guard index < 8 else { return false }
            if requiring?.contains(word.text) == true { sawRequired = true }
            if availabilityDoubts.contains(word.text) { deniesAvailability = true }
            if productNouns.contains(word.text) {
                sawProduct = true
                last = word.text
                continue
            }
            let isDoubt = doubts.contains(word.text)
            if isDoubt || neutralWords.contains(word.text) || productDoubts.contains(word.text)
                || regulatoryWords.contains(word.text)
            {
                if isDoubt { sawDoubt = true }
                if word.text != "or" && word.text != "and" { last = word.text }
                continue
            }
            if let last, productNouns.contains(last), continuations.contains(word.text), !word.followsPunctuation {
                return false
            }
            break
        }
        guard sawProduct, sawDoubt || !needsDoubt, sawRequired, let last,
            productNouns.contains(last) || postpositive.contains(last)
        else { return false }
        return deniesAvailability || !words.contains { namingWords.contains($0.text) }
    }

    /// Up to `limit` words from `start` to the end of the clause.
    static func words(from start: Int, in body: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> [Word] {
        let end = clauseEnd(from: start, in: body)
        var words: [Word] = []
        var index = start
        var followsPunctuation = false
        while index < end, words.count < limit {
            let byte = body[index]
            guard isWordByte(byte) else {
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                    followsPunctuation = true
                }
                index += 1
                continue
            }
            var stop = index
            while stop < end, isWordByte(body[stop]) { stop += 1 }
            // Quotes and dashes around a word are not part of it ('standard' -> standard).
            var first = index
            var last = stop
            while first < last, body[first] == UInt8(ascii: "'") || body[first] == UInt8(ascii: "-") { first += 1 }
            while last > first, body[last - 1] == UInt8(ascii: "'") || body[last - 1] == UInt8(ascii: "-") { last -= 1 }
            if first < last {
                let lowered = body[first..<last].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                words.append(
                    Word(text: String(decoding: lowered, as: UTF8.self), followsPunctuation: followsPunctuation))
                followsPunctuation = false
            }
            index = stop
        }
        return words
    }

    /// What may follow a full stop that ends a clause.
    static let afterFullStop: [UInt8] = Array(" \n*_)\"'".utf8)

    /// Where the clause from `start` ends: a line break, `!`, `?`, `;`, `:`, or a full stop
    /// before a space, a line break, emphasis or a closing bracket or quote (not `0.5 mg`).
    static func clauseEnd(from start: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var index = start
        while index < body.count {
            switch body[index] {
            case UInt8(ascii: "\n"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ";"), UInt8(ascii: ":"):
                return index
            case UInt8(ascii: "."):
                if index + 1 >= body.count || afterFullStop.contains(body[index + 1]) { return index }
            default:
                break
            }
            index += 1
        }
        return body.count
    }

    /// The first byte of the sentence holding `position` (after a line break, `!`, `?` or `. `),
    /// past leading spaces.
    static func sentenceStart(before position: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var start = position
        while start > 0 {
            let previous = body[start - 1]
            if previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "!") || previous == UInt8(ascii: "?") {
                break
            }
            if previous == UInt8(ascii: "."), body[start] == UInt8(ascii: " ") { break }
            start -= 1
        }
        while start < position, body[start] == UInt8(ascii: " ") { start += 1 }
        return start
    }

    /// The byte after the sentence holding `position`: past its `.`, `!` or `?`, or at the line break.
    static func sentenceEnd(after position: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var end = position
        while end < body.count {
            let byte = body[end]
            if byte == UInt8(ascii: "\n") { break }
            let endsSentence =
                byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
                || (byte == UInt8(ascii: ".")
                    && (end + 1 >= body.count || body[end + 1] == UInt8(ascii: " ")
                        || body[end + 1] == UInt8(ascii: "\n")))
            if endsSentence { return end + 1 }
            end += 1
        }
        return end
    }

    /// Whether the sentence holding `position` names an injection route or intensive care as a word.
    static func namesRoute(around position: Int, in body: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = sentenceStart(before: position, in: body)
        let end = sentenceEnd(after: position, in: body)
        for word in routeWords {
            var index = start
            while index + word.count <= end {
                if body[index] == word[0], memcmp(body.baseAddress! + index, word, word.count) == 0,
                    index == start || !isLetter(body[index - 1]),
                    index + word.count == end || !isLetter(body[index + word.count])
                {
                    return true
                }
                index += 1
            }
        }
        return false
    }

    /// Whether `needle` occurs in `body[start..<end]`.
    static func occurs(_ needle: [UInt8], in body: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        ByteSearch.firstOffset(of: needle, in: body, from: start, to: end) != nil
    }

    /// The sentence for a message: emphasis marks dropped, runs of spaces made one, and cut
    /// after a whole word to at most 80 characters.
    static func shortened(_ sentence: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: sentence, as: UTF8.self).filter { $0 != "*" }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var kept = ""
        for word in words {
            guard kept.count + 1 + word.count <= 80 || kept.isEmpty else { return kept + " ..." }
            kept += kept.isEmpty ? String(word) : " \(word)"
        }
        return kept
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")
    }
}
