import FormularyModel
import Foundation
import FormularyParsing

/// Front matter keys Formulary and the RxHive sites use.
enum KnownFrontMatterKeys {
    static let all: [String] = [
        // v1 (Jekyll) and common
        "title", "layout", "nav_exclude", "permalink", "description",
        // v2 (Astro)
        "is_banned", "lastModified", "last_modified", "faqs",
        // brand pages
        "type", "generic_slug", "combination_slug", "company", "strength", "pack_size", "mrp",
        // Formulary
        "example", "ai_generated", "aiGenerated", "reviewed_by", "reviewedBy", "reviewed_at", "status",
        "model", "endpoint", "prompt_version", "generated_at", "aliases", "tags",
    ]
}

/// A front matter key nobody reads, usually a typo (`tittle`).
struct UnknownFrontMatterKeyRule: Rule {
    let name = "unknown-front-matter-key"
    let defaultSeverity = Severity.warning
    let summary = "A front matter key that Formulary does not know, usually a typo such as 'tittle' for 'title'."

    func check(_ page: ParsedPage, in corpus: CheckedCorpus, configuration: CheckConfiguration) -> [Finding] {
        page.frontMatter.entries.compactMap { entry in
            guard !KnownFrontMatterKeys.all.contains(entry.key) else { return nil }
            let suggestion =
                Spelling.closest(to: entry.key, among: KnownFrontMatterKeys.all).map { "; did you mean '\($0)'?" } ?? ""
            return Finding(
                line: entry.line, column: entry.column, message: "unknown front matter key '\(entry.key)'\(suggestion)")
        }
    }
}

/// The front matter title and the `# Title` heading say different things.
struct TitleMismatchRule: Rule {
    let name = "title-mismatch"
    let defaultSeverity = Severity.warning
    /// Off until its precision on the corpus reaches 90% (63% in the hand check of 2026-11-25).
    let isEnabledByDefault = false
    let summary = "The front matter 'title' and the page's '# Title' heading disagree; the front matter wins."

    func check(_ page: ParsedPage, in corpus: CheckedCorpus, configuration: CheckConfiguration) -> [Finding] {
        guard let heading = page.titleHeading, let title = page.frontMatter["title"]?.string else { return [] }
        let (a, b) = (Self.comparable(heading.text), Self.comparable(title))
        guard a != b, !Self.onlyAddsAName(a, to: b), !Self.onlyAddsAName(b, to: a) else { return [] }
        return [
            Finding(
                line: heading.line,
                message: "the heading '\(heading.text)' differs from the front matter title '\(title)'")
        ]
    }

    /// `Docosahexaenoic Acid (DHA)` against `Docosahexaenoic Acid`: a bracket that adds an
    /// abbreviation, a synonym or a brand. A bracket with a digit names another product
    /// (`Iodine (I-131)`), so it still counts.
    static func onlyAddsAName(_ longer: String, to shorter: String) -> Bool {
        guard longer.hasPrefix(shorter) else { return false }
        let added = longer.dropFirst(shorter.count).trimmingCharacters(in: .whitespaces)
        guard let first = added.first, let last = added.last,
            (first == "(" && last == ")") || (first == "[" && last == "]")
        else { return false }
        return !added.contains(where: \.isNumber)
    }

    /// Case, emphasis, runs of spaces and a stray full stop at the end do not count as disagreement.
    static func comparable(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "_" })
        if words.last == "." { words.removeLast() }
        return words.joined(separator: " ")
    }
}
