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
        let lines = Self.lines(markdown)
        guard
            let parsed = try? MonographParser().parse(
                bytes: Array(markdown.utf8), location: DocumentLocation(path: path))
        else {
            parts = [Part(name: "preamble", heading: nil, text: markdown)]
            return
        }
        var starts: [(line: Int, name: String, heading: String)] = []
        // Sections the parser finds inside another (an inline label) share its lines: no name.
        let sections = parsed.monograph.sections
        for (section, name) in zip(sections, SectionNames.names(of: sections))
        where section.line <= lines.count {
            guard let name else { continue }
            starts.append((section.line, name, section.heading))
        }
        var parts: [Part] = []
        let firstLine = starts.first?.line ?? lines.count + 1
        parts.append(Part(name: "preamble", heading: nil, text: lines[0..<(firstLine - 1)].joined()))
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].line - 1 : lines.count
            parts.append(Part(name: start.name, heading: start.heading, text: lines[(start.line - 1)..<end].joined()))
        }
        self.parts = parts
    }

    /// Lines with their endings kept (`\n` or `\r\n`); a last line without one is kept too.
    static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
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
