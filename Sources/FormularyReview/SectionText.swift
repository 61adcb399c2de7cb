import Crypto
import FormularyModel
import FormularyParsing

/// A page's text cut where its sections start, so that two versions can be compared and
/// merged section by section: the front matter and anything before the first section is one
/// part, then each section (its heading line to the line before the next section).
///
/// Parts are named by what the section is (`usage`, `dosage`; the heading itself for a
/// heading no kind matches), with a count for repeats, so a section keeps its name when its
/// text, or the text around it, changes.
public struct SectionText: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public init(name: String, heading: String?, text: String) {
            self.name = name
            self.heading = heading
            self.text = text
        }

        /// `preamble`, `usage`, `sideEffects`, `other:Storage Notes`, `faqs#2`...
        public var name: String
        /// The heading as written, or nil for the preamble.
        public var heading: String?
        /// The part's lines, each with its line ending.
        public var text: String
    }

    public var parts: [Part]

    /// The text again, byte for byte.
    public var text: String { parts.map(\.text).joined() }

    public func part(named name: String) -> Part? { parts.first { $0.name == name } }

    /// Cuts `markdown` at its sections as the parser reads them; text that does not parse is
    /// one part.
    public init(_ markdown: String, path: String = "page.md") {
        guard
            let parsed = try? MonographParser().parse(
                bytes: Array(markdown.utf8), location: DocumentLocation(path: path))
        else {
            self.init(parts: [Part(name: "preamble", heading: nil, text: markdown)])
            return
        }
        self.init(markdown, parsed: parsed.monograph.sections)
    }

    /// Cuts `markdown` where `sections` (the parser's reading of it) start.
    public init(_ markdown: String, parsed sections: [Section]) {
        let lines = Self.lines(markdown)
        let starts = Self.starts(of: sections, lineCount: lines.count)
        var parts: [Part] = []
        let firstLine = starts.first?.line ?? lines.count + 1
        parts.append(Part(name: "preamble", heading: nil, text: lines[0..<(firstLine - 1)].joined()))
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].line - 1 : lines.count
            parts.append(Part(name: start.name, heading: start.heading, text: lines[(start.line - 1)..<end].joined()))
        }
        self.init(parts: parts)
    }

    public init(parts: [Part]) { self.parts = parts }

    /// Where each named section starts. Sections the parser finds inside another (an inline
    /// label) share its lines: no name.
    private static func starts(of sections: [Section], lineCount: Int) -> [(line: Int, name: String, heading: String)] {
        var starts: [(line: Int, name: String, heading: String)] = []
        for (section, name) in zip(sections, SectionNames.names(of: sections)) where section.line <= lineCount {
            guard let name else { continue }
            starts.append((section.line, name, section.heading))
        }
        return starts
    }

    /// The names of the parts of a parsed page that hold text (what a reviewer signs off),
    /// without cutting its text: the preamble when anything comes before the first section.
    public static func reviewableNames(of sections: [Section]) -> [String] {
        let starts = starts(of: sections, lineCount: Int.max)
        return (starts.first.map { $0.line > 1 } ?? true ? ["preamble"] : []) + starts.map(\.name)
    }

    /// The parts that hold text: what a reviewer signs off.
    public var reviewable: [Part] { parts.filter { $0.text.contains { !$0.isWhitespace } } }

    /// Lines with their endings kept (`\n` or `\r\n`); a last line without one is kept too.
    public static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            utf8.formIndex(after: &index)
            if byte == UInt8(ascii: "\n") {
                lines.append(String(text[start..<index]))
                start = index
            }
        }
        if start != utf8.endIndex { lines.append(String(text[start...])) }
        return lines
    }
}

/// Three versions of a page, merged section by section: the suggestion was written against
/// `base`, the page is now `current`. Sections only one side changed merge cleanly; a section
/// both changed, differently, is a conflict for the reviewer.
public struct SectionMerge: Sendable, Equatable {
    /// The merged text, when nothing conflicts.
    public var text: String?
    /// Sections both sides changed, differently.
    public var conflicts: [String]
    /// Sections the suggestion changes (added, edited or removed).
    public var suggested: [String]

    public init(text: String?, conflicts: [String], suggested: [String]) {
        self.text = text
        self.conflicts = conflicts
        self.suggested = suggested
    }

    public init(base: String, current: String, suggestion: String) {
        let base = SectionText(base)
        let current = SectionText(current)
        let suggestion = SectionText(suggestion)
        func changed(_ from: SectionText, _ to: SectionText) -> Set<String> {
            let names = Set(from.parts.map(\.name)).union(to.parts.map(\.name))
            return names.filter { from.part(named: $0)?.text != to.part(named: $0)?.text }
        }
        let theirs = changed(base, current)
        let ours = changed(base, suggestion)
        suggested =
            suggestion.parts.map(\.name).filter(ours.contains)
            + base.parts.map(\.name).filter { ours.contains($0) && suggestion.part(named: $0) == nil }
        conflicts = ours.intersection(theirs).filter {
            current.part(named: $0)?.text != suggestion.part(named: $0)?.text
        }
        .sorted()
        guard conflicts.isEmpty else {
            text = nil
            return
        }
        // The current page, with the suggestion's sections in: edited in place, removed, or
        // added after the section they follow in the suggestion.
        var merged = current.parts
        for name in ours {
            guard let index = merged.firstIndex(where: { $0.name == name }) else { continue }
            if let replacement = suggestion.part(named: name) {
                merged[index] = replacement
            } else {
                merged.remove(at: index)
            }
        }
        for (index, part) in suggestion.parts.enumerated() where ours.contains(part.name) {
            guard !merged.contains(where: { $0.name == part.name }) else { continue }
            let previous = index > 0 ? suggestion.parts[index - 1].name : nil
            let at = previous.flatMap { name in merged.firstIndex { $0.name == name } }.map { $0 + 1 } ?? merged.count
            merged.insert(part, at: at)
        }
        text = merged.map(\.text).joined()
    }
}

extension SectionText {
    /// Front matter keys that record a page's review or dates rather than its content: their
    /// changes do not change what a reviewer signed off.
    static let bookkeepingKeys = [
        "reviewed_by:", "reviewedBy:", "reviewed_at:", "reviewedAt:", "status:", "lastModified:", "last_modified:",
    ]

    /// SHA-256 (hex) of a part's text as a reader sees it: line endings and trailing spaces
    /// (ASCII: space, tab, carriage return, vertical tab, form feed) do not count, nor blank lines at its end; in the preamble, neither do the front matter's
    /// review and date keys (an approval changes `status: draft`). Two texts with the same
    /// fingerprint are the same text.
    public static func fingerprint(of part: Part) -> String {
        // Lines without their ending and trailing spaces, tabs and carriage returns.
        var lines: [ArraySlice<UInt8>] = []
        let bytes = Array(part.text.utf8)
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            var end = index
            while end > start, [0x20, 0x09, 0x0D, 0x0B, 0x0C].contains(bytes[end - 1]) { end -= 1 }
            lines.append(bytes[start..<end])
            start = index + 1
        }
        if part.name == "preamble", lines.first.map({ Array($0) }) == Array("---".utf8),
            let end = lines.indices.dropFirst().first(where: { Array(lines[$0]) == Array("---".utf8) })
        {
            let kept = lines[1..<end].filter { line in
                !bookkeepingKeys.contains { line.starts(with: $0.utf8) }
            }
            lines = [lines[0]] + kept + lines[end...]
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        var hash = SHA256()
        for (index, line) in lines.enumerated() {
            if index > 0 { hash.update(data: [UInt8(ascii: "\n")]) }
            hash.update(data: line)
        }
        return hash.finalize().map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// The names of the parts whose text differs between `old` and `new` (changed, added or
    /// removed): the sections whose sign-offs an edit voids.
    public static func changedSections(from old: SectionText, to new: SectionText) -> [String] {
        var before: [String: String] = [:]
        for part in old.parts { before[part.name] = fingerprint(of: part) }
        var after: [String: String] = [:]
        for part in new.parts { after[part.name] = fingerprint(of: part) }
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// What a reader calls a part: `Dosage`, `Side effects`, `Storage` (for `other:Storage`),
    /// `Dosage (2)` for a second dosage section, `Title and summary` for the preamble.
    public static func title(of name: String) -> String {
        let pieces = name.split(separator: "#", maxSplits: 1)
        let base = String(pieces.first ?? "")
        let title: String
        if base == "preamble" {
            title = "Title and summary"
        } else if base.hasPrefix("other:") {
            title = String(base.dropFirst("other:".count))
        } else if let kind = SectionKind(rawValue: base) {
            title = kindTitles[kind] ?? base
        } else {
            title = base
        }
        return pieces.count > 1 ? "\(title) (\(pieces[1]))" : title
    }

    static let kindTitles: [SectionKind: String] = [
        .genericName: "Generic name", .usage: "Uses", .dosage: "Dosage", .sideEffects: "Side effects",
        .howItWorks: "How it works", .precautions: "Precautions", .contraindications: "Who should not take it",
        .interactions: "Interactions", .pregnancy: "Pregnancy and breastfeeding", .alternateNames: "Other names",
        .popularCombinations: "Popular combinations", .summary: "Summary", .storage: "Storage",
        .overdose: "Overdose", .faqs: "Questions and answers", .disclaimer: "Disclaimer", .note: "Note",
    ]
}
