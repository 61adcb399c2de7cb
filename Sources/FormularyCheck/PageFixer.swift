import FormularyModel
import FormularyParsing
import Foundation
import Yams

/// Fixes that cannot change what a page says (`formulary check --fix`):
///
/// - trailing spaces and tabs after a heading;
/// - a section label alone on its line (`**Usage:**`) in a page whose sections are `###`
///   headings becomes a heading of the same level (`### Usage`);
/// - the v2 front matter `faqs:` block rewritten from clean pairs, without `**A:**` debris.
public struct PageFixer: Sendable {
    public init() {}

    /// One kind of change made to a page, with how many times.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var what: String
        public var count: Int
        public var description: String { "\(what) (\(count))" }
    }

    /// The fixed text of the page, or `nil` when there is nothing to fix.
    public func fix(_ page: ParsedPage, text: String) -> (text: String, changes: [Change])? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var changes: [Change] = []

        let trimmed = trimHeadingWhitespace(&lines, from: page.bodyLine)
        if trimmed > 0 { changes.append(Change(what: "trailing whitespace removed from headings", count: trimmed)) }

        let converted = convertLabelsToHeadings(&lines, page: page)
        if converted > 0 { changes.append(Change(what: "section labels turned into headings", count: converted)) }

        let cleaned = cleanFrontMatterFAQs(&lines, page: page)
        if cleaned > 0 { changes.append(Change(what: "FAQ entries cleaned of answer debris", count: cleaned)) }

        guard !changes.isEmpty else { return nil }
        return (lines.joined(separator: "\n"), changes)
    }

    /// What `fixFiles` did to one page's file.
    public enum FileOutcome: Sendable, Equatable {
        /// Rewritten (atomically: a reader sees the old text or the new, never half of one).
        case fixed(path: String, changes: [Change])
        /// Something to fix, but the file could not be written; it is as it was.
        case notWritten(path: String, reason: String)
    }

    /// Rewrites the file of each page that has something to fix, and says what it did to each
    /// (pages with nothing to fix, or whose file can no longer be read, are not in the answer).
    /// The pages are read from their `location.displayPath`.
    public func fixFiles(of pages: [ParsedPage]) -> [FileOutcome] {
        var outcomes: [FileOutcome] = []
        for page in pages {
            let path = page.location.displayPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let (fixed, changes) = fix(page, text: text)
            else { continue }
            do {
                try AtomicFile.write(fixed, to: path)
                outcomes.append(.fixed(path: path, changes: changes))
            } catch {
                outcomes.append(.notWritten(path: path, reason: "\(error)"))
            }
        }
        return outcomes
    }

    /// ATX headings outside fenced code, from the body's first line on.
    private func headingLineIndexes(_ lines: [String], from bodyLine: Int) -> [Int] {
        var indexes: [Int] = []
        var fence: Substring?
        for index in max(0, bodyLine - 1)..<lines.count {
            let line = lines[index]
            let stripped = line.drop(while: { $0 == " " })
            if let open = fence {
                if stripped.hasPrefix(open) { fence = nil }
                continue
            }
            if stripped.hasPrefix("```") || stripped.hasPrefix("~~~") {
                fence = stripped.prefix(3)
                continue
            }
            if line.hasPrefix("#") { indexes.append(index) }
        }
        return indexes
    }

    private func trimHeadingWhitespace(_ lines: inout [String], from bodyLine: Int) -> Int {
        var count = 0
        for index in headingLineIndexes(lines, from: bodyLine) {
            var line = lines[index]
            let hadCarriageReturn = line.hasSuffix("\r")
            if hadCarriageReturn { line.removeLast() }
            guard let last = line.last, last == " " || last == "\t" else { continue }
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            lines[index] = line + (hadCarriageReturn ? "\r" : "")
            count += 1
        }
        return count
    }

    /// In a page whose known sections are mostly `###` headings, `**Usage:**` alone on its line
    /// becomes `### Usage`.
    private func convertLabelsToHeadings(_ lines: inout [String], page: ParsedPage) -> Int {
        guard page.monograph.source.headingStyle == .mixed else { return 0 }
        var levels: [Int: Int] = [:]
        var labelLines: [Int] = []
        for section in page.monograph.sections where section.kind != .other {
            let index = section.line - 1
            guard index < lines.count else { continue }
            let line = lines[index]
            if line.hasPrefix("#") {
                let level = line.prefix { $0 == "#" }.count
                if !line.dropFirst(level).trimmingCharacters(in: .whitespaces).hasPrefix("**") {
                    levels[level, default: 0] += 1
                }
            } else if line.hasPrefix("**") {
                labelLines.append(index)
            }
        }
        // Only when headings are the page's main style and labels the exception.
        guard let (level, headingCount) = levels.max(by: { $0.value < $1.value }), headingCount > labelLines.count
        else {
            return 0
        }
        var count = 0
        for index in labelLines {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            // Alone on its line: `**Usage:**` or `**Usage**:` and nothing after.
            guard line.hasSuffix(":**") || line.hasSuffix("**:") else { continue }
            var label = line.dropFirst(2)
            label = label.hasSuffix(":**") ? label.dropLast(3) : label.dropLast(3)
            guard !label.contains("*"), !label.isEmpty else { continue }
            lines[index] = String(repeating: "#", count: level) + " " + label
            count += 1
        }
        return count
    }

    /// Rewrites a `faqs:` block whose entries carry debris, from the cleaned pairs.
    private func cleanFrontMatterFAQs(_ lines: inout [String], page: ParsedPage) -> Int {
        guard let entry = page.frontMatter.entries.first(where: { $0.key == "faqs" }),
            let value = try? page.frontMatter.resolvedValue(forKey: "faqs", path: page.location.displayPath),
            case .sequence(let items) = value
        else { return 0 }
        var cleaned = 0
        var nodes: [Node] = []
        for item in items {
            let question = (item["q"] ?? item["question"])?.string ?? ""
            let answer = (item["a"] ?? item["answer"])?.string ?? ""
            let hasDebris =
                question.containsText("A:**") || question.containsText("**A:") || answer.hasPrefix("A:**")
                || answer.hasPrefix("**A:")
            var pair = (question, answer)
            if hasDebris, let clean = FAQText.frontMatterPair(question: question, answer: answer) {
                pair = (clean.question, clean.answer)
                cleaned += 1
            }
            nodes.append(Node([(Node("q"), Node(pair.0)), (Node("a"), Node(pair.1))]))
        }
        guard cleaned > 0,
            let yaml = try? Yams.serialize(node: Node([(Node("faqs"), Node(nodes))]), width: -1, allowUnicode: true)
        else { return 0 }
        // Replace from the key line to the end of the block (the next top-level key or the closing `---`).
        let start = entry.line - 1
        var end = start + 1
        while end < lines.count, end < page.frontMatter.closingLine - 1 {
            let line = lines[end]
            if let first = line.first, first != " ", first != "-", first != "\t", first != "#" { break }
            end += 1
        }
        var replacement = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if replacement.last == "" { replacement.removeLast() }
        lines.replaceSubrange(start..<end, with: replacement)
        return cleaned
    }
}
