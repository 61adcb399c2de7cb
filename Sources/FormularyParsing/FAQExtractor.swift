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
        let indent = first.startColumn - 1
        var result = lines.text(fromLine: first.startLine, column: first.startColumn, throughLine: first.startLine)
        if item.endLine > first.startLine {
            for number in (first.startLine + 1)...item.endLine {
                let line = lines.line(number)
                var dropped = 0
                let body = line.drop { character in
                    guard dropped < indent, character == " " || character == "\t" else { return false }
                    dropped += 1
                    return true
                }
                result += "\n" + body
            }
        }
        return result.trimmingWhitespace()
    }
}

/// The text rules of FAQ pairs, shared by the body and the v2 front matter `faqs:`.
public enum FAQText {
    /// A question and its answer in one piece of text, or `nil` when the text does not open with a question.
    static func pair(in text: String) -> FAQ? {
        let text = Substring(text.trimmingWhitespace())
        if text.hasPrefix("**") || text.hasPrefix("__") {
            let marker = text.prefix(2)
            guard let close = text.dropFirst(2).find(marker) else { return nil }
            let bold = text[text.index(text.startIndex, offsetBy: 2)..<close.lowerBound]
            var rest = text[close.upperBound...]
            let boldQuestion = stripQuestionMarker(bold)
            if boldQuestion.isEmpty {
                // `**Q:** question ... **A:** answer`: the marker alone is bold.
                guard hasQuestionMarker(bold) else { return nil }
                rest = Substring(rest.trimmingWhitespace())
                if rest.hasPrefix(":") { rest = rest.dropFirst() }
                return splitAtAnswer(rest)
            }
            // A bold lead that is neither a question nor marked as one is a sub-heading, not a question.
            let question = cleanQuestion(String(boldQuestion))
            if let inner = answerMarkerRange(in: Substring(boldQuestion)) {
                // `**Q: question? A: answer**`
                let q = cleanQuestion(String(boldQuestion[..<inner.lowerBound]))
                let a = cleanAnswer(String(boldQuestion[inner.upperBound...]) + rest)
                return q.isEmpty ? nil : FAQ(question: q, answer: a)
            }
            guard hasQuestionMarker(bold) || question.hasSuffix("?") else { return nil }
            if rest.hasPrefix(":") { rest = rest.dropFirst() }
            return FAQ(question: question, answer: cleanAnswer(String(rest)))
        }
        if hasQuestionMarker(text) {
            return splitAtAnswer(Substring(stripQuestionMarker(text)))
        }
        return nil
    }

    /// Splits `question A: answer` (the answer may be on a later line).
    private static func splitAtAnswer(_ text: Substring) -> FAQ? {
        if let marker = answerMarkerRange(in: text) {
            let question = cleanQuestion(String(text[..<marker.lowerBound]))
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(String(text[marker.upperBound...])))
        }
        // No answer marker: a question mark ends the question.
        if let mark = text.firstIndex(of: "?") {
            let question = cleanQuestion(String(text[...mark]))
            guard !question.isEmpty else { return nil }
            return FAQ(question: question, answer: cleanAnswer(String(text[text.index(after: mark)...])))
        }
        let question = cleanQuestion(String(text))
        return question.isEmpty ? nil : FAQ(question: question, answer: "")
    }

    /// Splits a paragraph whose lines each open a new question (`**Q:** ...` lines without blank lines between).
    static func splitAtQuestionLines(_ text: String) -> [String] {
        guard text.utf8.contains(UInt8(ascii: "\n")) else { return [text] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var chunks: [String] = []
        var current: [Substring] = []
        for line in lines {
            var start = line.drop(while: { $0 == " " || $0 == "\t" })
            if start.hasPrefix("**") { start = start.dropFirst(2) }
            if !current.isEmpty, hasQuestionMarker(start) {
                chunks.append(current.joined(separator: "\n"))
                current = []
            }
            current.append(line)
        }
        chunks.append(current.joined(separator: "\n"))
        return chunks
    }

    /// `Q:`, `Q1:`, `Q1.`, `Question:` or `Question 1:` at the start.
    static func hasQuestionMarker(_ text: some StringProtocol) -> Bool {
        questionMarkerLength(Substring(text)) != nil
    }

    private static func questionMarkerLength(_ text: Substring) -> Int? {
        var rest = text.drop(while: { $0 == " " })
        guard rest.first == "Q" || rest.first == "q" else { return nil }
        // `Question` in any case, compared as ASCII bytes.
        let isWord = rest.utf8.count >= 8 && zip(rest.utf8.prefix(8), "question".utf8).allSatisfy { $0 | 0x20 == $1 }
        rest = rest.dropFirst(isWord ? 8 : 1)
        rest = rest.drop(while: { $0 == " " })
        rest = rest.drop(while: { $0.isASCII && $0.isNumber })
        guard let separator = rest.first, separator == ":" || separator == "." || separator == ")" else { return nil }
        rest = rest.dropFirst()
        return text.distance(from: text.startIndex, to: rest.startIndex)
    }

    private static func stripQuestionMarker(_ text: Substring) -> Substring {
        guard let length = questionMarkerLength(text) else { return text }
        return Substring(text.dropFirst(length).trimmingWhitespace())
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
    static func cleanQuestion(_ text: String) -> String {
        var question = Substring(SectionRecognizer.stripEmphasis(text).trimmingWhitespace())
        question = stripQuestionMarker(question)
        while let last = question.last, last == "*" || last == "_" || last == ":" { question.removeLast() }
        while let first = question.first, first == "*" || first == "_" { question.removeFirst() }
        return question.trimmingWhitespace()
    }

    /// An answer without its `A:` marker and emphasis debris around it.
    static func cleanAnswer(_ text: String) -> String {
        var answer = Substring(text.trimmingWhitespace())
        // A marker at the start, after emphasis or spaces only.
        let lead = answer.utf8.prefix(while: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: " ") })
        if lead.endIndex < answer.utf8.endIndex, answer.utf8[lead.endIndex] == UInt8(ascii: "A"),
            let end = markerEnd(afterA: lead.endIndex, in: answer.utf8)
        {
            answer = answer[end...]
        }
        answer = Substring(answer.trimmingWhitespace())
        // Debris such as a stray `**` left by a broken marker.
        while answer.hasPrefix("**"), !answer.dropFirst(2).containsText("**") { answer = answer.dropFirst(2) }
        while answer.hasPrefix(":") { answer = answer.dropFirst() }
        return answer.trimmingWhitespace()
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
        let cleanQ = cleanQuestion(String(question))
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
