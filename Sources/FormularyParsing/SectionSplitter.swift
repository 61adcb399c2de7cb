import FormularyModel

/// A section found in a page body, with the blocks that belong to it.
struct SplitSection: Sendable {
    enum Style: Sendable { case heading, boldHeading, inlineLabel }

    var kind: SectionKind
    var heading: String
    /// 1-based line in the body text.
    var line: Int
    var style: Style
    var markdown: String
    /// Indexes of the top-level blocks after the heading or label paragraph, up to the next section.
    var blocks: Range<Int>
    /// The text after the label in the label's own paragraph (or on the heading line).
    var leadText: String
}

/// What a page body holds: the title heading, the text before the first section, the sections.
struct SplitBody: Sendable {
    var titleHeading: (text: String, line: Int)?
    var sections: [SplitSection]
}

/// Cuts a page body into sections, whatever the heading style.
///
/// The corpus writes sections four ways, sometimes mixed: `### Usage`, `## **Usage**` with
/// `###` subsections inside, bold labels (`**Usage:** text`), and qualified or per-ingredient
/// headings (`### Usage (Individual Components)`, `### Alprazolam`). The rules:
///
/// - The *section level* is the shallowest level of a heading that names a known section.
///   Every heading at that level or above starts a section, known (`usage`) or not (`other`).
/// - A deeper heading or a bold label that names a known section starts one only where it
///   cannot be a sub-part of the current section: before any section, inside an `other`
///   section (`### Mebeverine` then `**Usage:**`), after another label (label-style pages),
///   when it is an FAQ or disclaimer block, or when it is a core section not yet seen.
/// - In a combination, a bold line that names an ingredient (`**2. Cetirizine:**`,
///   `**Atropine**`, `**Component 1: Betahistine**`) and is followed by a section heading
///   starts an `other` section, as a per-ingredient heading would.
/// - A heading that names an ingredient and then a section (`### Cefixime Usage`,
///   `### Norfloxacin: Usage`) is that section.
/// - Labels inside Alternate Names, Popular Combinations and the Drug Profile Summary
///   (`**Generic Name:** ...`, `**Dosage:** ...`) belong to those sections.
/// - Anything else belongs to the current section.
struct SectionSplitter {
    let lines: SourceLines
    let outline: MarkdownOutline
    var blocks: [MarkdownBlock] { outline.blocks }
    /// The title's ingredient names, normalised: a bold label naming one of them alone on its
    /// line starts that ingredient's group of sections.
    var ingredientNames: Set<String> = []

    /// Core section names that may start a section even inside another one (the page switched style).
    private static let switchingNames: Set<String> = [
        "generic name", "usage", "dosage", "side effects", "how it works", "precautions", "faqs",
        "frequently asked questions",
    ]

    private struct Start {
        var blockIndex: Int
        var recognition: SectionRecognizer.Recognition
        var style: SplitSection.Style
        var line: Int
        /// Where the section's own text starts: the line after a heading, or the label's line and column.
        var contentLine: Int
        var contentColumn: Int
    }

    init(lines: SourceLines, outline: MarkdownOutline) {
        self.lines = lines
        self.outline = outline
    }

    func split() -> SplitBody {
        let blocks = outline.blocks
        var titleHeading: (String, Int)?
        var titleIndex: Int?
        // The first level-1 heading before any other heading is the page title.
        for (index, block) in blocks.enumerated() {
            guard case .heading(let level) = block.kind else { continue }
            if level == 1 {
                titleHeading = (headingText(block), block.startLine)
                titleIndex = index
            }
            break
        }

        var recognised = Recognised(blockCount: blocks.count)
        var sectionLevel: Int?
        for (index, block) in blocks.enumerated() where index != titleIndex {
            guard case .heading(let level) = block.kind else { continue }
            let text = headingText(block)
            var recognition = SectionRecognizer.recognize(heading: text)
            if recognition.kind == .other, !ingredientNames.isEmpty {
                let kind = kindAfterIngredient(recognition)
                if kind != .other {
                    // The whole heading names the section; nothing on its line is body text.
                    recognition = SectionRecognizer.Recognition(
                        kind: kind, label: Substring(text.trimmingWhitespace()), remainder: "",
                        isBold: recognition.isBold, normalized: SectionRecognizer.normalize(text))
                }
            }
            recognised.set(index, recognition)
            if recognition.kind != .other { sectionLevel = min(sectionLevel ?? level, level) }
        }

        if sectionLevel == nil {
            // A page whose sections are all labels may still group them under headings
            // (`### Mebeverine`, then `**Usage:**` ...): those headings are section starts too.
            sectionLevel = blocks.indices.compactMap { index -> Int? in
                guard recognised[index] != nil, case .heading(let level) = blocks[index].kind else { return nil }
                return level
            }.min()
        }
        var starts: [Start] = []
        var seen = SeenKinds()
        for (index, block) in blocks.enumerated() where index != titleIndex {
            switch block.kind {
            case .heading(let level):
                guard let recognition = recognised[index] else { continue }
                let atSectionLevel = sectionLevel.map { level <= $0 } ?? false
                guard
                    atSectionLevel
                        || (recognition.kind != .other
                            && mayInterrupt(starts.last, with: recognition, seen: seen))
                else { continue }
                let isSetext = !lines.line(block.startLine).trimmingWhitespace().hasPrefix("#")
                starts.append(
                    Start(
                        blockIndex: index, recognition: recognition,
                        style: recognition.isBold ? .boldHeading : .heading, line: block.startLine,
                        contentLine: (isSetext ? block.endLine : block.startLine) + 1, contentColumn: 1))
                seen.insert(recognition.kind)
            case .paragraph:
                // Most paragraphs are prose: look at two bytes before making a string.
                guard lines.startsWithEmphasis(line: block.startLine, column: block.startColumn) else { continue }
                let firstLine = lines.text(
                    fromLine: block.startLine, column: block.startColumn, throughLine: block.startLine)
                if block.startLine == block.endLine, ingredientNames.count > 1,
                    let group = ingredientGroupLabel(firstLine),
                    opensKnownSection(at: index + 1, recognised: recognised)
                {
                    // `**Atropine**` or `**Component 1: Betahistine**` alone on its line, before a
                    // section heading, opens that ingredient's group.
                    starts.append(
                        Start(
                            blockIndex: index, recognition: group, style: .inlineLabel, line: block.startLine,
                            contentLine: block.endLine + 1, contentColumn: 1))
                    continue
                }
                guard let recognition = SectionRecognizer.recognize(labelParagraph: firstLine) else { continue }
                if recognition.kind == .other {
                    // `**2. Cetirizine:**` alone on its line groups one ingredient's sections.
                    guard ingredientNames.count > 1, recognition.remainder.isEmpty, block.startLine == block.endLine,
                        starts.last?.recognition.kind != .faqs,
                        ingredientNames.contains(recognition.normalized),
                        opensKnownSection(at: index + 1, recognised: recognised)
                    else { continue }
                } else {
                    guard mayInterrupt(starts.last, with: recognition, seen: seen) else { continue }
                }
                starts.append(
                    Start(
                        blockIndex: index, recognition: recognition, style: .inlineLabel, line: block.startLine,
                        contentLine: block.startLine,
                        contentColumn: block.startColumn + recognition.labelLength))
                seen.insert(recognition.kind)
            default:
                continue
            }
        }

        var sections: [SplitSection] = []
        for (position, start) in starts.enumerated() {
            let next = position + 1 < starts.count ? starts[position + 1] : nil
            let lastLine = (next?.line ?? (lines.count + 1)) - 1
            let lastBlock = next?.blockIndex ?? blocks.count
            var markdown = lines.trimmedText(
                fromLine: start.contentLine, column: start.contentColumn, throughLine: lastLine)
            var leadText = ""
            let sectionBlocks = (start.blockIndex + 1)..<lastBlock
            if start.style == .inlineLabel {
                // The label's paragraph goes on after the label: that text leads the section.
                let paragraph = blocks[start.blockIndex]
                leadText = lines.trimmedText(
                    fromLine: start.contentLine, column: start.contentColumn, throughLine: paragraph.endLine)
                if start.recognition.closesEmphasisInText, let close = markdown.find("**") {
                    markdown.removeSubrange(close)
                    markdown = markdown.trimmingWhitespace()
                    if let close = leadText.find("**") { leadText.removeSubrange(close) }
                    leadText = leadText.trimmingWhitespace()
                }
            } else if !start.recognition.remainder.isEmpty {
                leadText = start.recognition.remainder
                markdown = markdown.isEmpty ? leadText : leadText + "\n\n" + markdown
            }
            sections.append(
                SplitSection(
                    kind: start.recognition.kind, heading: start.recognition.heading, line: start.line,
                    style: start.style, markdown: markdown, blocks: sectionBlocks, leadText: leadText))
        }
        return SplitBody(titleHeading: titleHeading, sections: sections)
    }

    /// Whether a deeper heading or a label may end the current section and start its own.
    private func mayInterrupt(
        _ current: Start?, with recognition: SectionRecognizer.Recognition, seen: SeenKinds
    ) -> Bool {
        guard let current else { return true }
        let kind = recognition.kind
        if kind == current.recognition.kind { return false }
        if current.recognition.kind == .other { return true }
        if current.style == .inlineLabel { return true }
        if kind == .disclaimer || kind == .faqs { return true }
        if kind == .note { return current.recognition.kind == .disclaimer }
        // Lists of names and summaries hold labels of their own (`**Generic Name:** ...`,
        // `**Brand Names:** ...`, `**Dosage:** ...`): those never start sections.
        if SectionKind.core.contains(kind), !seen.contains(kind),
            ![.summary, .alternateNames, .popularCombinations].contains(current.recognition.kind),
            Self.switchingNames.contains(recognition.normalized)
        {
            return true
        }
        return false
    }

    /// A line that is only a bold name of one of the title's ingredients (`**Atropine**`,
    /// `**Component 1: Betahistine**`), as an `other` section's recognition.
    private func ingredientGroupLabel(_ line: String) -> SectionRecognizer.Recognition? {
        // On bytes: this runs for every one-line bold paragraph of a combination page.
        let text = Substring(line).trimmedWhitespace()
        let bytes = text.utf8
        guard bytes.starts(with: "**".utf8), bytes.count > 4, bytes.count > 32 || text.count > 4 else { return nil }
        var lower = bytes.index(bytes.startIndex, offsetBy: 2)
        var upper = bytes.endIndex
        if bytes[bytes.index(before: upper)] == UInt8(ascii: ":") { upper = bytes.index(before: upper) }
        guard bytes.distance(from: lower, to: upper) >= 2,
            bytes[bytes.index(before: upper)] == UInt8(ascii: "*"),
            bytes[bytes.index(upper, offsetBy: -2)] == UInt8(ascii: "*")
        else { return nil }
        upper = bytes.index(upper, offsetBy: -2)
        if upper > lower, bytes[bytes.index(before: upper)] == UInt8(ascii: ":") { upper = bytes.index(before: upper) }
        guard lower <= upper, !bytes[lower..<upper].contains(UInt8(ascii: "*")) else { return nil }
        let inner = text[lower..<upper]
        // The name after a `Component 1:` prefix (the text after the first colon, when there is any).
        if let colon = bytes[lower..<upper].firstIndex(of: UInt8(ascii: ":")) {
            let after = bytes.index(after: colon)
            if after < upper { lower = after } else { upper = colon }
        }
        let normalized = SectionRecognizer.normalize(text[lower..<upper].trimmedWhitespace())
        guard ingredientNames.contains(normalized) else { return nil }
        return SectionRecognizer.Recognition(
            kind: .other, label: inner, remainder: "", isBold: true, normalized: normalized)
    }

    /// The kind of a heading that names an ingredient and then a section: `### Cefixime Usage`,
    /// `### Norfloxacin: Usage` (the ingredient's own Usage, in a per-ingredient page).
    private func kindAfterIngredient(_ recognition: SectionRecognizer.Recognition) -> SectionKind {
        let label =
            recognition.remainder.isEmpty
            ? recognition.normalized
            : SectionRecognizer.normalize(recognition.label + " " + recognition.remainder)
        let bytes = label.utf8
        for name in ingredientNames where !name.isEmpty && bytes.count > name.utf8.count + 1 {
            // `label` starts with the name and a space (compared as bytes: no string is made
            // for the many headings that name no ingredient).
            guard bytes.starts(with: name.utf8),
                bytes[bytes.index(bytes.startIndex, offsetBy: name.utf8.count)] == UInt8(ascii: " ")
            else { continue }
            let rest = String(Substring(label.utf8.dropFirst(name.utf8.count + 1)))
            if let kind = SectionRecognizer.names[rest], SectionKind.core.contains(kind) { return kind }
        }
        return .other
    }

    /// Whether the block at `index` is a heading or label naming a known section: what follows
    /// a per-ingredient group label (`**Metformin:**` then `### Usage:`), unlike a sub-label
    /// inside a section (`**Bromfenac:**` then a list of its side effects).
    private func opensKnownSection(at index: Int, recognised: Recognised) -> Bool {
        guard index < blocks.count else { return false }
        let block = blocks[index]
        switch block.kind {
        case .heading:
            return (recognised[index]?.kind ?? .other) != .other
        case .paragraph:
            guard lines.startsWithEmphasis(line: block.startLine, column: block.startColumn) else { return false }
            let text = lines.text(fromLine: block.startLine, column: block.startColumn, throughLine: block.startLine)
            return (SectionRecognizer.recognize(labelParagraph: text)?.kind ?? .other) != .other
        default:
            return false
        }
    }

    /// The text of a heading without its `#` marks (ATX) or underline (setext).
    private func headingText(_ block: MarkdownBlock) -> String {
        if let atx = lines.afterHashes(line: block.startLine) { return atx }
        let lastTextLine = max(block.startLine, block.endLine - 1)
        return lines.text(fromLine: block.startLine, throughLine: lastTextLine)
            .split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ")
    }
}

/// The recognitions of a page's headings by block index, without an optional (large) value
/// for every block.
struct Recognised {
    private var items: [SectionRecognizer.Recognition] = []
    private var slots: [Int32]

    init(blockCount: Int) { slots = [Int32](repeating: -1, count: blockCount) }

    mutating func set(_ index: Int, _ recognition: SectionRecognizer.Recognition) {
        slots[index] = Int32(items.count)
        items.append(recognition)
    }

    subscript(index: Int) -> SectionRecognizer.Recognition? {
        let slot = slots[index]
        return slot < 0 ? nil : items[Int(slot)]
    }
}

/// The section kinds seen so far in a page, as bits (a `Set` would hash each kind's name).
struct SeenKinds {
    private var bits: UInt32 = 0

    @inline(__always)
    private static func bit(_ kind: SectionKind) -> UInt32 {
        let position: UInt32 =
            switch kind {
            case .genericName: 0
            case .usage: 1
            case .dosage: 2
            case .sideEffects: 3
            case .howItWorks: 4
            case .precautions: 5
            case .contraindications: 6
            case .interactions: 7
            case .pregnancy: 8
            case .alternateNames: 9
            case .popularCombinations: 10
            case .summary: 11
            case .storage: 12
            case .overdose: 13
            case .faqs: 14
            case .disclaimer: 15
            case .note: 16
            case .other: 17
            }
        return 1 << position
    }

    mutating func insert(_ kind: SectionKind) { bits |= Self.bit(kind) }
    func contains(_ kind: SectionKind) -> Bool { bits & Self.bit(kind) != 0 }
}
