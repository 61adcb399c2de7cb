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
        "translated_from",
        "regulatory_override",
        "model", "endpoint", "prompt_version", "generated_at", "aliases", "tags",
    ]
}

/// A front matter key nobody reads, usually a typo (`tittle`).
struct UnknownFrontMatterKeyRule: Rule {
    let name = "unknown-front-matter-key"
    let defaultSeverity = Severity.warning
    let summary = "A front matter key that Formulary does not know, usually a typo such as 'tittle' for 'title'."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
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
    let summary = "The front matter 'title' and the page's '# Title' heading disagree; the front matter wins."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let heading = page.titleHeading, let title = page.frontMatter["title"]?.string, heading.text != title
        else { return [] }
        let (a, b) = (Self.comparable(heading.text), Self.comparable(title))
        guard a != b, !Self.onlyAddsAName(a, to: b), !Self.onlyAddsAName(b, to: a),
            Self.ingredientSet(a) != Self.ingredientSet(b)
        else { return [] }
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
        return !Self.namesIsotope(added)
    }

    /// `(I-131)`, `(Sr-89)`, `(Tc 99m)`: an element and a mass number make another product.
    static func namesIsotope(_ text: String) -> Bool {
        text.range(of: #"[A-Za-z]{1,2}[- ]?\d{1,3}m?\b"#, options: .regularExpression) != nil
            && text.range(of: #"^[\(\[][A-Za-z]{1,2}[- ]?\d{1,3}m?[\)\]]$"#, options: .regularExpression) != nil
    }

    /// The ingredients, in any order and spelt with British or American variants:
    /// `Sulphate + Zinc` and `zinc + sulfate` are one set.
    static func ingredientSet(_ text: String) -> [String] {
        text.split(separator: "+").map { part in
            GenericNameMismatchRule.neutralSpelling(part.trimmingCharacters(in: .whitespaces))
        }.sorted()
    }

    /// Case, emphasis, runs of spaces and a stray full stop at the end do not count as disagreement.
    static func comparable(_ text: String) -> String {
        // Quotes around the whole heading (`# "Ringer's lactate"`) are YAML habits, not a different title.
        var words = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).split(whereSeparator: {
            $0 == " " || $0 == "*" || $0 == "_"
        })
        if words.last == "." { words.removeLast() }
        return words.joined(separator: " ")
    }
}
