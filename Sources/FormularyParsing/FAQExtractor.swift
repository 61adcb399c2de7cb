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

    /// One piece of an FAQ section: a list item, a paragraph, a heading or other block.
    private enum Unit {
        case entry(String, isListItem: Bool)  // a list item or a paragraph
        case heading(String)
        case other(String)
    }

    func extract(from section: SplitSection) -> [FAQ] {
        var units: [Unit] = []
        if !section.leadText.isEmpty { units.append(.entry(section.leadText, isListItem: false)) }
        for block in outline.blocks[section.blocks] {
            switch block.kind {
            case .list:
                for item in outline.children(of: block) where item.kind == .item {
                    units.append(.entry(itemText(item), isListItem: true))
                }
            case .paragraph:
                units.append(.entry(text(of: block), isListItem: false))
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

        for unit in units {
            switch unit {
            case .heading(let text):
                let question = FAQText.cleanQuestion(text)
                if question.isEmpty {
                    answerOpen = false
                } else {
                    pendingQuestion = question
                    answerOpen = false
                }
            case .entry(let text, let isListItem):
                let chunks = FAQText.splitAtQuestionLines(text)
                for chunk in chunks {
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
                        faqs[faqs.count - 1].answer += "\n\n" + chunk.trimmingWhitespace()
                    }
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
        return faqs
    }

    private func text(of block: MarkdownBlock) -> String {
        lines.text(fromLine: block.startLine, column: block.startColumn, throughLine: block.endLine)
            .trimmingWhitespace()
    }

    /// An item's text without its list marker, its continuation lines dedented.
    private func itemText(_ item: MarkdownBlock) -> String {
        guard let first = outline.children(of: item).first else { return "" }
        guard item.endLine > first.startLine else {
            return lines.trimmedText(fromLine: first.startLine, column: first.startColumn, throughLine: first.startLine)
        }
        // Continuation lines lose up to the first block's indentation of spaces and tabs.
        return lines.joinedText(
            fromLine: first.startLine, column: first.startColumn, throughLine: item.endLine,
            dedent: first.startColumn - 1
        ).trimmingWhitespace()
    }
}

/// The text rules of FAQ pairs, shared by the body and the v2 front matter `faqs:`.
public enum FAQText {
    /// A question and its answer in one piece of text, or `nil` when the text does not open with a question.
    static func pair(in text: String) -> FAQ? {
        let text = Substring(text).trimmedWhitespace()
        if SectionRecognizer.opensWithEmphasis(text) {
            let bytes = text.utf8
            let boldStart = bytes.index(bytes.startIndex, offsetBy: 2)
            guard let close = SectionRecognizer.closingEmphasis(bytes[bytes.startIndex], in: text, from: boldStart)
            else { return nil }
            let bold = text[boldStart..<close]
            var rest = text[bytes.index(close, offsetBy: 2)...]
            let boldQuestion = stripQuestionMarker(bold)
            if boldQuestion.isEmpty {
                // `**Q:** question ... **A:** answer`: the marker alone is bold.
                guard hasQuestionMarker(bold) else { return nil }
                rest = rest.trimmedWhitespace()
                if rest.utf8.first == UInt8(ascii: ":") { rest = rest[rest.utf8.index(after: rest.startIndex)...] }
                return splitAtAnswer(rest)
            }
            // A bold lead that is neither a question nor marked as one is a sub-heading, not a question.
            let question = cleanQuestion(boldQuestion)
            if let inner = answerMarkerRange(in: boldQuestion) {
                // `**Q: question? A: answer**`
                let q = cleanQuestion(boldQuestion[..<inner.lowerBound])
                let a = cleanAnswer(String(boldQuestion[inner.upperBound...]) + rest)
                return q.isEmpty ? nil : FAQ(question: q, answer: a)
            }
            guard hasQuestionMarker(bold) || question.utf8.last == UInt8(ascii: "?") else { return nil }
            if rest.utf8.first == UInt8(ascii: ":") { rest = rest[rest.utf8.index(after: rest.startIndex)...] }
            return FAQ(question: question, answer: cleanAnswer(rest))
        }
        if hasQuestionMarker(text) {
            return splitAtAnswer(stripQuestionMarker(text))
        }
        return nil
    }

    /// Splits `question A: answer` (the answer may be on a later line).
    private static func splitAtAnswer(_ text: Substring) -> FAQ? {
        if let marker = answerMarkerRange(in: text) {
            let question = cleanQuestion(text[..<marker.lowerBound])
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(text[marker.upperBound...]))
        }
        // No answer marker: a question mark ends the question.
        if let mark = text.firstIndex(of: "?") {
            let question = cleanQuestion(text[...mark])
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(text[text.index(after: mark)...]))
        }
        let question = cleanQuestion(text)
        return question.isEmpty ? nil : FAQ(question: question, answer: "")
    }

    /// Splits a paragraph whose lines each open a new question (`**Q:** ...` lines without blank lines between).
    static func splitAtQuestionLines(_ text: String) -> [String] {
        guard text.containsByte(UInt8(ascii: "\n")) else { return [text] }
        let bytes = text.utf8
        var chunks: [String] = []
        var chunkStart = bytes.startIndex
        var lineStart = bytes.startIndex
        while true {
            // A line after the first that opens with a question marker (after spaces and `**`) starts a chunk.
            if lineStart != bytes.startIndex {
                var start = lineStart
                while start < bytes.endIndex, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") {
                    start = bytes.index(after: start)
                }
                var line = text[start...]
                if line.utf8.starts(with: "**".utf8) { line = line[bytes.index(start, offsetBy: 2)...] }
                if hasQuestionMarker(line) {
                    chunks.append(String(text[chunkStart..<bytes.index(before: lineStart)]))
                    chunkStart = lineStart
                }
            }
            guard let end = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            lineStart = bytes.index(after: end)
        }
        chunks.append(String(text[chunkStart...]))
        return chunks
    }

    /// `Q:`, `Q1:`, `Q1.`, `Question:` or `Question 1:` at the start.
    static func hasQuestionMarker(_ text: some StringProtocol) -> Bool {
        questionMarkerLength(Substring(text)) != nil
    }

    /// The UTF-8 length of the question marker at the start, spaces before it included.
    private static func questionMarkerLength(_ text: Substring) -> Int? {
        let bytes = text.utf8
        var index = bytes.startIndex
        func skip(while condition: (UInt8) -> Bool) {
            while index < bytes.endIndex, condition(bytes[index]) { index = bytes.index(after: index) }
        }
        skip { $0 == UInt8(ascii: " ") }
        guard index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "q") else { return nil }
        // `Question` in any case, compared as ASCII bytes.
        let isWord =
            bytes.distance(from: index, to: bytes.endIndex) >= 8
            && zip(bytes[index...].prefix(8), "question".utf8).allSatisfy { $0 | 0x20 == $1 }
        index = bytes.index(index, offsetBy: isWord ? 8 : 1)
        skip { $0 == UInt8(ascii: " ") }
        skip { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard index < bytes.endIndex,
            bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ")")
        else { return nil }
        return bytes.distance(from: bytes.startIndex, to: bytes.index(after: index))
    }

    private static func stripQuestionMarker(_ text: Substring) -> Substring {
        guard let length = questionMarkerLength(text) else { return text }
        return text[text.utf8.index(text.startIndex, offsetBy: length)...].trimmedWhitespace()
    }

    /// Where an answer marker (`A:`, `**A:**`, `A:**`, `**A**:`, `Answer:`) sits in a question's text:
    /// the first `A` that stands alone (at the start, or after a space, line break or `*`) and
    /// is followed by a colon, with the emphasis around it. One pass over the bytes.
    static func answerMarkerRange(in text: Substring) -> Range<Substring.Index>? {
        let bytes = text.utf8
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: UInt8(ascii: "A")) {
            index = bytes.index(after: found)
            if found != bytes.startIndex {
                let before = bytes[bytes.index(before: found)]
                guard
                    before == UInt8(ascii: " ") || before == UInt8(ascii: "\n") || before == UInt8(ascii: "*")
                        || before == UInt8(ascii: "\t")
                else { continue }
            }
            guard let end = markerEnd(afterA: found, in: bytes) else { continue }
            var lower = found
            while lower > bytes.startIndex, bytes[bytes.index(before: lower)] == UInt8(ascii: "*") {
                lower = bytes.index(before: lower)
            }
            return lower..<end
        }
        return nil
    }

    /// The end of an answer marker whose `A` is at `position`: `A:**`, `A**:`, `A:`, `Answer:**`, `Answer:`.
    private static func markerEnd(afterA position: Substring.UTF8View.Index, in bytes: Substring.UTF8View)
        -> Substring.UTF8View.Index?
    {
        var cursor = bytes.index(after: position)
        func consume(_ literal: String) -> Bool {
            var probe = cursor
            for byte in literal.utf8 {
                guard probe < bytes.endIndex, bytes[probe] == byte else { return false }
                probe = bytes.index(after: probe)
            }
            cursor = probe
            return true
        }
        if consume("nswer") {
            guard consume(":") else { return nil }
            _ = consume("**")
            return cursor
        }
        if consume(":") {
            _ = consume("**")
            return cursor
        }
        if consume("**:") { return cursor }
        return nil
    }

    /// A question without markers, emphasis debris or surrounding space.
    static func cleanQuestion(_ text: some StringProtocol) -> String {
        // Emphasis is rare inside a question's text: only then is a stripped copy made.
        let hasEmphasis = text.containsByte(UInt8(ascii: "*")) || text.containsByte(UInt8(ascii: "_"))
        let source = hasEmphasis ? Substring(SectionRecognizer.stripEmphasis(text)) : Substring(text)
        var question = stripQuestionMarker(source.trimmedWhitespace())
        while let last = question.utf8.last,
            last == UInt8(ascii: "*") || last == UInt8(ascii: "_") || last == UInt8(ascii: ":")
        {
            question = question[..<question.utf8.index(before: question.endIndex)]
        }
        while let first = question.utf8.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "_") {
            question = question[question.utf8.index(after: question.startIndex)...]
        }
        return String(question.trimmedWhitespace())
    }

    /// An answer without its `A:` marker and emphasis debris around it.
    static func cleanAnswer(_ text: some StringProtocol) -> String {
        var answer = Substring(text).trimmedWhitespace()
        // A marker at the start, after emphasis or spaces only.
        let lead = answer.utf8.prefix(while: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: " ") })
        if lead.endIndex < answer.utf8.endIndex, answer.utf8[lead.endIndex] == UInt8(ascii: "A"),
            let end = markerEnd(afterA: lead.endIndex, in: answer.utf8)
        {
            answer = answer[end...]
        }
        answer = answer.trimmedWhitespace()
        // Debris such as a stray `**` left by a broken marker.
        while answer.utf8.starts(with: "**".utf8) {
            let after = answer[answer.utf8.index(answer.startIndex, offsetBy: 2)...]
            guard !after.containsText("**") else { break }
            answer = after
        }
        while answer.utf8.first == UInt8(ascii: ":") { answer = answer[answer.utf8.index(after: answer.startIndex)...] }
        return String(answer.trimmedWhitespace())
    }

    /// `**Label:**` at the start: a group heading inside an FAQ section.
    static func opensWithBoldLabel(_ text: String) -> Bool {
        SectionRecognizer.recognize(labelParagraph: text.trimmingWhitespace()) != nil
    }

    /// A closing paragraph that is not part of the last answer (`**Disclaimer:** ...`, a horizontal note).
    static func looksLikeClosingRemark(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace()
        return trimmed.hasPrefix("**Note") || trimmed.hasPrefix("**Disclaimer") || trimmed.hasPrefix("Note:")
            || trimmed.hasPrefix("Disclaimer:")
    }

    /// Recovers a clean pair from a v2 front matter entry, whose `q` often runs on into
    /// `**\n\n**A:** answer` and whose `a` starts with `A:**`.
    public static func frontMatterPair(question rawQuestion: String, answer rawAnswer: String) -> FAQ? {
        var question = Substring(rawQuestion)
        var answerFromQuestion = ""
        if let marker = answerMarkerRange(in: question) {
            answerFromQuestion = String(question[marker.upperBound...])
            question = question[..<marker.lowerBound]
        }
        let cleanQ = cleanQuestion(question)
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
