import FormularyModel

/// Finds clean question and answer pairs in an FAQ section, in every shape the corpus uses:
///
/// - `* **Q: Question?** A: answer` and `* **Question?** answer` (bullets or numbers);
/// - `**Q:** question` and `**A:** answer` as paragraphs or lines of one paragraph;
/// - `### **Q1: Question?**` headings followed by `**A:** answer` paragraphs;
/// - a bold question paragraph followed by plain answer paragraphs.
///
/// Answers keep their Markdown as written; questions lose emphasis and `Q:` markers.
struct FAQExtractor {
    let lines: SourceLines
    let outline: MarkdownOutline

    /// Where a piece of the section's text is: a range of the page's bytes, or bytes of its own
    /// (a list item's lines joined, the text after a label).
    private enum Text {
        case range(Range<Int>)
        case owned([UInt8])
    }

    /// One piece of an FAQ section: a list item, a paragraph, a heading or other block.
    private enum Unit {
        case entry(Text, isListItem: Bool)  // a list item or a paragraph
        case heading(String)
        case other(String)
    }

    func extract(from section: SplitSection) -> [FAQ] {
        var units: [Unit] = []
        if !section.leadText.isEmpty { units.append(.entry(.owned(Array(section.leadText.utf8)), isListItem: false)) }
        for block in outline.blocks[section.blocks] {
            switch block.kind {
            case .list:
                for item in outline.children(of: block) where item.kind == .item {
                    units.append(.entry(itemText(item), isListItem: true))
                }
            case .paragraph:
                units.append(
                    .entry(
                        .range(
                            lines.range(
                                fromLine: block.startLine, column: block.startColumn, throughLine: block.endLine)),
                        isListItem: false))
            case .heading:
                let raw = lines.line(block.startLine).trimmingWhitespace().drop(while: { $0 == "#" })
                units.append(.heading(String(raw).trimmingWhitespace()))
            default:
                units.append(.other(text(of: block)))
            }
        }

        var faqs: [FAQ] = []
        var pendingQuestion: String?
        /// Whether paragraphs may still extend the last answer.
        var answerOpen = false

        func take(_ chunk: ByteText, isListItem: Bool) {
            if let pair = FAQText.pair(in: chunk) {
                if pair.answer.isEmpty {
                    pendingQuestion = pair.question
                    answerOpen = false
                } else {
                    faqs.append(pair)
                    pendingQuestion = nil
                    // A list item holds its whole answer; a closing paragraph after the
                    // list ("Always consult ...") answers nothing.
                    answerOpen = !isListItem
                }
            } else if let question = pendingQuestion {
                let answer = FAQText.cleanAnswer(chunk)
                if !answer.isEmpty {
                    faqs.append(FAQ(question: question, answer: answer))
                    pendingQuestion = nil
                    answerOpen = true
                }
            } else if FAQText.opensWithBoldLabel(chunk) || FAQText.looksLikeClosingRemark(chunk) {
                // `**Mebeverine:**` groups the questions that follow; it answers nothing.
                answerOpen = false
            } else if answerOpen, !faqs.isEmpty {
                faqs[faqs.count - 1].answer += "\n\n" + chunk.trimmed().string
            }
        }

        lines.bytes.withUnsafeBufferPointer { page in
            for unit in units {
                switch unit {
                case .heading(let text):
                    let question = FAQText.cleanQuestion(text)
                    if !question.isEmpty { pendingQuestion = question }
                    answerOpen = false
                case .entry(.range(let range), let isListItem):
                    FAQText.forEachQuestionChunk(of: ByteText(page, range).trimmed()) {
                        take($0, isListItem: isListItem)
                    }
                case .entry(.owned(let bytes), let isListItem):
                    bytes.withUnsafeBufferPointer { own in
                        FAQText.forEachQuestionChunk(of: ByteText(own).trimmed()) { take($0, isListItem: isListItem) }
                    }
                case .other(let text):
                    if let question = pendingQuestion {
                        faqs.append(FAQ(question: question, answer: text.trimmingWhitespace()))
                        pendingQuestion = nil
                        answerOpen = true
                    } else if answerOpen, !faqs.isEmpty {
                        faqs[faqs.count - 1].answer += "\n\n" + text.trimmingWhitespace()
                    }
                }
            }
        }
        return faqs
    }

    private func text(of block: MarkdownBlock) -> String {
        lines.text(fromLine: block.startLine, column: block.startColumn, throughLine: block.endLine)
            .trimmingWhitespace()
    }

    /// An item's text without its list marker, its continuation lines dedented.
    private func itemText(_ item: MarkdownBlock) -> Text {
        guard let first = outline.children(of: item).first else { return .range(0..<0) }
        guard item.endLine > first.startLine else {
            return .range(
                lines.range(fromLine: first.startLine, column: first.startColumn, throughLine: first.startLine))
        }
        // Continuation lines lose up to the first block's indentation of spaces and tabs.
        return .owned(
            lines.joinedBytes(
                fromLine: first.startLine, column: first.startColumn, throughLine: item.endLine,
                dedent: first.startColumn - 1))
    }
}

/// The text rules of FAQ pairs, shared by the body and the v2 front matter `faqs:`.
///
/// They work on `ByteText`: a page's 74,000 pairs are cut, trimmed and searched without a
/// string until the question and the answer are made.
public enum FAQText {
    /// A question and its answer in one piece of text, or `nil` when the text does not open with a question.
    static func pair(in raw: ByteText) -> FAQ? {
        let text = raw.trimmed()
        let buffer = text.buffer
        if text.opensWithEmphasis {
            let boldStart = text.lower + 2
            guard let close = text.firstPair(of: buffer[text.lower], from: boldStart) else { return nil }
            let bold = ByteText(buffer, boldStart..<close)
            var rest = text.from(close + 2)
            let boldQuestion = stripQuestionMarker(bold)
            if boldQuestion.isEmpty {
                // `**Q:** question ... **A:** answer`: the marker alone is bold.
                guard hasQuestionMarker(bold) else { return nil }
                rest = rest.trimmed()
                if rest.first == UInt8(ascii: ":") { rest.lower += 1 }
                return splitAtAnswer(rest)
            }
            if let inner = answerMarkerRange(in: boldQuestion) {
                // `**Q: question? A: answer**`
                let q = cleanQuestion(boldQuestion.before(inner.lowerBound))
                let joined = boldQuestion.from(inner.upperBound).bytes + rest.bytes
                let a = joined.withUnsafeBufferPointer { cleanAnswer(ByteText($0)) }
                return q.isEmpty ? nil : FAQ(question: q, answer: a)
            }
            // A bold lead that is neither a question nor marked as one is a sub-heading, not a question.
            let question = cleanQuestion(boldQuestion)
            guard hasQuestionMarker(bold) || question.utf8.last == UInt8(ascii: "?") else { return nil }
            if rest.first == UInt8(ascii: ":") { rest.lower += 1 }
            return FAQ(question: question, answer: cleanAnswer(rest))
        }
        if hasQuestionMarker(text) {
            return splitAtAnswer(stripQuestionMarker(text))
        }
        return nil
    }

    /// Splits `question A: answer` (the answer may be on a later line).
    private static func splitAtAnswer(_ text: ByteText) -> FAQ? {
        if let marker = answerMarkerRange(in: text) {
            let question = cleanQuestion(text.before(marker.lowerBound))
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(text.from(marker.upperBound)))
        }
        // No answer marker: a question mark ends the question.
        if let mark = questionMark(in: text) {
            let question = cleanQuestion(text.before(mark.upperBound))
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(text.from(mark.upperBound)))
        }
        let question = cleanQuestion(text)
        return question.isEmpty ? nil : FAQ(question: question, answer: "")
    }

    /// The first `?` that is a character of its own, with any marks that belong to it: a byte
    /// search, or a character search when a non-ASCII byte sits beside the first `?` found.
    private static func questionMark(in text: ByteText) -> Range<Int>? {
        guard let mark = text.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        let buffer = text.buffer
        guard (mark > text.lower && buffer[mark - 1] >= 0x80) || (mark + 1 < text.upper && buffer[mark + 1] >= 0x80)
        else { return mark..<(mark + 1) }
        let string = text.string
        guard let index = string.firstIndex(of: "?") else { return nil }
        let utf8 = string.utf8
        return
            (text.lower + utf8.distance(from: utf8.startIndex, to: index))..<(text.lower
            + utf8.distance(from: utf8.startIndex, to: string.index(after: index)))
    }

    /// Calls `body` with each piece of `text` that opens a new question: a paragraph whose
    /// lines each open one (`**Q:** ...` lines without blank lines between) gives one piece per
    /// such line, any other text itself. Each piece is trimmed.
    static func forEachQuestionChunk(of text: ByteText, _ body: (ByteText) -> Void) {
        guard text.contains(UInt8(ascii: "\n")) else { return body(text) }
        let buffer = text.buffer
        var chunkStart = text.lower
        var lineStart = text.lower
        while true {
            // A line after the first that opens with a question marker (after spaces and `**`) starts a chunk.
            if lineStart != text.lower {
                var start = lineStart
                while start < text.upper, buffer[start] == UInt8(ascii: " ") || buffer[start] == UInt8(ascii: "\t") {
                    start += 1
                }
                var line = text.from(start)
                if line.starts(with: "**") { line.lower += 2 }
                if hasQuestionMarker(line) {
                    body(ByteText(buffer, chunkStart..<(lineStart - 1)).trimmed())
                    chunkStart = lineStart
                }
            }
            guard let end = text.firstIndex(of: UInt8(ascii: "\n"), from: lineStart) else { break }
            lineStart = end + 1
        }
        body(text.from(chunkStart).trimmed())
    }

    /// `Q:`, `Q1:`, `Q1.`, `Question:` or `Question 1:` at the start.
    static func hasQuestionMarker(_ text: ByteText) -> Bool {
        questionMarkerLength(text) != nil
    }

    /// The UTF-8 length of the question marker at the start, spaces before it included.
    private static func questionMarkerLength(_ text: ByteText) -> Int? {
        let buffer = text.buffer
        var index = text.lower
        func skip(while condition: (UInt8) -> Bool) {
            while index < text.upper, condition(buffer[index]) { index += 1 }
        }
        skip { $0 == UInt8(ascii: " ") }
        if let hindi = ByteText(buffer, index..<text.upper).prefixLength(oneOf: hindiQuestionWords) {
            // `प्रश्न:` or `सवाल:` in a Hindi page.
            index += hindi
        } else {
            guard index < text.upper, buffer[index] | 0x20 == UInt8(ascii: "q") else { return nil }
            // `Question` in any case, compared as ASCII bytes.
            let isWord =
                text.upper - index >= 8
                && zip(buffer[index..<(index + 8)], "question".utf8).allSatisfy { $0 | 0x20 == $1 }
            index += isWord ? 8 : 1
        }
        skip { $0 == UInt8(ascii: " ") }
        skip { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard index < text.upper,
            buffer[index] == UInt8(ascii: ":") || buffer[index] == UInt8(ascii: ".")
                || buffer[index] == UInt8(ascii: ")")
        else { return nil }
        return index + 1 - text.lower
    }

    private static func stripQuestionMarker(_ text: ByteText) -> ByteText {
        guard let length = questionMarkerLength(text) else { return text }
        return text.from(text.lower + length).trimmed()
    }

    /// Where an answer marker (`A:`, `**A:**`, `A:**`, `**A**:`, `Answer:`) sits in a question's text:
    /// the first `A` that stands alone (at the start, or after a space, line break or `*`) and
    /// is followed by a colon, with the emphasis around it. One pass over the bytes.
    static func answerMarkerRange(in text: ByteText) -> Range<Int>? {
        if text.contains(0xE0), let hindi = hindiAnswerMarkerRange(in: text) { return hindi }
        var index = text.lower
        while let found = text.firstIndex(of: UInt8(ascii: "A"), from: index) {
            index = found + 1
            guard standsAlone(found, in: text), let end = markerEnd(afterA: found, in: text) else { continue }
            return withEmphasisBefore(found, in: text)..<end
        }
        return nil
    }

    /// The words that mark a question and an answer in a Hindi page (`प्रश्न:` ... `उत्तर:`).
    static let hindiQuestionWords: [[UInt8]] = ["प्रश्न", "सवाल"].map { Array($0.utf8) }
    static let hindiAnswerWords: [[UInt8]] = ["उत्तर", "जवाब"].map { Array($0.utf8) }

    /// `उत्तर:` (or `जवाब:`, emphasis around it as for `A:`) standing alone in a question's text.
    private static func hindiAnswerMarkerRange(in text: ByteText) -> Range<Int>? {
        var index = text.lower
        while let found = text.firstIndex(of: 0xE0, from: index) {
            index = found + 1
            guard
                let length = ByteText(text.buffer, found..<text.upper).prefixLength(oneOf: hindiAnswerWords),
                standsAlone(found, in: text), let end = colonEnd(from: found + length, in: text)
            else { continue }
            return withEmphasisBefore(found, in: text)..<end
        }
        return nil
    }

    /// Whether a marker at `position` stands alone: at the start, or after a space, tab, line
    /// break or `*`.
    private static func standsAlone(_ position: Int, in text: ByteText) -> Bool {
        guard position != text.lower else { return true }
        let before = text.buffer[position - 1]
        return before == UInt8(ascii: " ") || before == UInt8(ascii: "\n") || before == UInt8(ascii: "*")
            || before == UInt8(ascii: "\t")
    }

    /// Where a marker starting at `position` starts with the emphasis before it (`**A:**`).
    private static func withEmphasisBefore(_ position: Int, in text: ByteText) -> Int {
        var lower = position
        while lower > text.lower, text.buffer[lower - 1] == UInt8(ascii: "*") { lower -= 1 }
        return lower
    }

    /// The end of an answer marker whose `A` is at `position`: `A:**`, `A**:`, `A:`, `Answer:**`, `Answer:`.
    private static func markerEnd(afterA position: Int, in text: ByteText) -> Int? {
        let cursor = position + 1
        guard text.from(cursor).starts(with: "nswer") else { return colonEnd(from: cursor, in: text) }
        let colon = cursor + 5
        guard text.from(colon).starts(with: ":") else { return nil }
        return text.from(colon + 1).starts(with: "**") ? colon + 3 : colon + 1
    }

    /// The end of a marker word's colon and emphasis, from just after the word: `:`, `:**` or `**:`.
    private static func colonEnd(from cursor: Int, in text: ByteText) -> Int? {
        let rest = text.from(cursor)
        if rest.starts(with: ":") { return text.from(cursor + 1).starts(with: "**") ? cursor + 3 : cursor + 1 }
        if rest.starts(with: "**:") { return cursor + 3 }
        return nil
    }

    /// A question without markers, emphasis debris or surrounding space.
    static func cleanQuestion(_ text: ByteText) -> String {
        // Emphasis is rare inside a question's text: only then is a stripped copy made.
        guard text.contains(UInt8(ascii: "*")) || text.contains(UInt8(ascii: "_")) else { return cleanedQuestion(text) }
        return text.withoutEmphasis().withUnsafeBufferPointer { cleanedQuestion(ByteText($0)) }
    }

    static func cleanQuestion(_ text: String) -> String {
        var text = text
        return text.withUTF8 { cleanQuestion(ByteText($0)) }
    }

    private static func cleanedQuestion(_ source: ByteText) -> String {
        var question = stripQuestionMarker(source.trimmed())
        while let last = question.last,
            last == UInt8(ascii: "*") || last == UInt8(ascii: "_") || last == UInt8(ascii: ":")
        {
            question.upper -= 1
        }
        while let first = question.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "_") {
            question.lower += 1
        }
        return question.trimmed().string
    }

    /// An answer without its `A:` marker and emphasis debris around it.
    static func cleanAnswer(_ text: ByteText) -> String {
        let buffer = text.buffer
        var answer = text.trimmed()
        // A marker at the start, after emphasis or spaces only.
        var leadEnd = answer.lower
        while leadEnd < answer.upper, buffer[leadEnd] == UInt8(ascii: "*") || buffer[leadEnd] == UInt8(ascii: " ") {
            leadEnd += 1
        }
        if leadEnd < answer.upper, buffer[leadEnd] == UInt8(ascii: "A"),
            let end = markerEnd(afterA: leadEnd, in: answer)
        {
            answer.lower = end
        } else if leadEnd < answer.upper, buffer[leadEnd] == 0xE0,
            let marker = hindiAnswerMarkerRange(in: ByteText(buffer, leadEnd..<answer.upper)),
            marker.lowerBound == leadEnd
        {
            answer.lower = marker.upperBound
        }
        answer = answer.trimmed()
        // Debris such as a stray `**` left by a broken marker.
        while answer.starts(with: "**") {
            let after = answer.from(answer.lower + 2)
            guard after.firstPair(of: UInt8(ascii: "*")) == nil else { break }
            answer = after
        }
        while answer.first == UInt8(ascii: ":") { answer.lower += 1 }
        return answer.trimmed().string
    }

    static func cleanAnswer(_ text: String) -> String {
        var text = text
        return text.withUTF8 { cleanAnswer(ByteText($0)) }
    }

    /// `**Label:**` at the start: a group heading inside an FAQ section.
    static func opensWithBoldLabel(_ text: ByteText) -> Bool {
        let trimmed = text.trimmed()
        return trimmed.opensWithEmphasis && SectionRecognizer.recognize(labelParagraph: trimmed.string) != nil
    }

    /// A closing paragraph that is not part of the last answer (`**Disclaimer:** ...`, a horizontal note).
    static func looksLikeClosingRemark(_ text: ByteText) -> Bool {
        let trimmed = text.trimmed()
        return hasPrefix(trimmed, "**Note") || hasPrefix(trimmed, "**Disclaimer") || hasPrefix(trimmed, "Note:")
            || hasPrefix(trimmed, "Disclaimer:") || hasPrefix(trimmed, "**अस्वीकरण") || hasPrefix(trimmed, "अस्वीकरण:")
    }

    /// `String.hasPrefix` on bytes: a character compare only when a non-ASCII byte follows the
    /// prefix (a combining mark would make the prefix's last character another one).
    private static func hasPrefix(_ text: ByteText, _ prefix: StaticString) -> Bool {
        guard text.starts(with: prefix) else { return false }
        let after = text.lower + prefix.utf8CodeUnitCount
        guard after < text.upper, text.buffer[after] >= 0x80 else { return true }
        return text.string.hasPrefix(prefix.description)
    }

    /// Recovers a clean pair from a v2 front matter entry, whose `q` often runs on into
    /// `**\n\n**A:** answer` and whose `a` starts with `A:**`.
    public static func frontMatterPair(question rawQuestion: String, answer rawAnswer: String) -> FAQ? {
        var rawQuestion = rawQuestion
        let (cleanQ, answerFromQuestion) = rawQuestion.withUTF8 { bytes -> (String, String) in
            var question = ByteText(bytes)
            var answerFromQuestion = ""
            if let marker = answerMarkerRange(in: question) {
                answerFromQuestion = question.from(marker.upperBound).string
                question = question.before(marker.lowerBound)
            }
            return (cleanQuestion(question), answerFromQuestion)
        }
        var answer = cleanAnswer(rawAnswer)
        if answer.isEmpty { answer = cleanAnswer(answerFromQuestion) }
        guard !cleanQ.isEmpty, !answer.isEmpty else { return nil }
        // The v2 extraction sometimes caught pieces of other sections (`Adults:\n* 4 mg daily`,
        // an answer `## **Side Effects`): a question holds no list, heading or paragraph break.
        let structure = ["\n*", "\n-", "\n#", "\n\n"]
        if structure.contains(where: { cleanQ.containsText($0) }) || answer.hasPrefix("#") { return nil }
        return FAQ(question: cleanQ, answer: answer)
    }
}
