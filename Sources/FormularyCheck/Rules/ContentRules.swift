import FormularyModel
import FormularyParsing

/// Front matter FAQ pairs with answer debris.
struct FAQDebrisRule: Rule {
    let name = "faq-debris"
    let defaultSeverity = Severity.warning
    let summary = "Front matter FAQs whose question carries its answer or marker debris ('**A:**', 'A:**')."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let entry = page.frontMatter.entries.first(where: { $0.key == "faqs" }) else { return [] }
        if case .unparsed(let yaml, let line) = entry.value {
            // The block as written: point at the first line with debris.
            let hits = ["A:**", "**A:", "**A**:"].compactMap { yaml.find($0)?.lowerBound }
            guard let first = hits.min() else { return [] }
            let newlines = yaml.utf8[..<first].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            return [
                Finding(
                    line: line + newlines,
                    message: "the front matter FAQs carry answer debris ('A:**'); the body's FAQs are the clean ones")
            ]
        }
        guard case .sequence(let items) = entry.value else { return [] }
        let debris = items.filter { item in
            let question = (item["q"] ?? item["question"])?.string ?? ""
            let answer = (item["a"] ?? item["answer"])?.string ?? ""
            return question.containsText("A:**") || question.containsText("**A:") || question.containsText("\nA:")
                || answer.hasPrefix("A:**") || answer.hasPrefix("**A:**")
        }.count
        guard debris > 0 else { return [] }
        return [
            Finding(
                line: entry.line, column: entry.column,
                message:
                    "\(debris) of \(items.count) FAQ entries carry answer debris ('A:**' in the question or answer)")
        ]
    }
}

/// A link to a page that is not there.
struct BrokenLinkRule: Rule {
    let name = "broken-link"
    let defaultSeverity = Severity.error
    let summary = "A Markdown link to another page of the site that does not exist."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let positions = PageText(page: page).occurrences(of: "](")
        guard !positions.isEmpty else { return [] }
        let lines = page.body.split(separator: "\n", omittingEmptySubsequences: false)
        return positions.compactMap { position in
            guard let target = Self.target(at: position, in: lines, bodyLine: page.bodyLine) else { return nil }
            guard Self.isInternal(target) else { return nil }
            let slug = Self.slug(of: target)
            guard !slug.isEmpty else { return nil }
            return Finding(
                line: position.line, column: position.column + 2,
                message: "the link '\(target)' points at a page that does not exist",
                awaiting: .pageExists(slug: slug))
        }
    }

    func resolve(_ finding: Finding, of page: CheckedCorpus.Entry, in corpus: CheckedCorpus) -> Finding? {
        guard case .pageExists(let slug) = finding.awaiting, corpus.slugs.contains(slug) else { return finding }
        return nil
    }

    /// The link target after `](` at a file position, given the body's lines.
    static func target(at position: (line: Int, column: Int), in lines: [Substring], bodyLine: Int) -> String? {
        let index = position.line - bodyLine
        guard index >= 0, index < lines.count else { return nil }
        let line = lines[index]
        guard let open = line.dropFirst(max(0, position.column - 1)).firstIndex(of: "(") else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(where: { $0 == ")" || $0 == " " }) else { return nil }
        return String(rest[..<close])
    }

    static func isInternal(_ target: String) -> Bool {
        let lower = target.lowercased()
        return
            !(lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("mailto:")
            || lower.hasPrefix("#")
            || lower.hasPrefix("tel:") || lower.contains("://"))
    }

    /// `../generic/paracetamol.md#dosage` and `/composition/paracetamol/` both name `paracetamol`.
    static func slug(of target: String) -> String {
        var path = Substring(target)
        if let hash = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = path[..<hash] }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return last.hasSuffix(".md")
            ? String(last.dropLast(3)) : (last.hasSuffix(".html") ? String(last.dropLast(5)) : last)
    }
}
