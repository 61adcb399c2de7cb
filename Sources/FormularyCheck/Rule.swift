import Dispatch
import FormularyModel
import FormularyParsing

/// A check of one page. Each rule is one type in `Rules/`, named after what it finds.
public protocol Rule: Sendable {
    /// The name used in output, configuration and suppression comments: `missing-section`.
    var name: String { get }
    var defaultSeverity: Severity { get }
    /// Rules whose hand-checked precision on the corpus is below 90% ship turned off; a site
    /// turns them on in `formulary.yml`.
    var isEnabledByDefault: Bool { get }
    /// One line for `formulary check --explain RULE`.
    var summary: String { get }
    /// More for `--explain`: what the rule means and how to act on it (empty when the summary says it all).
    var explanation: String { get }
    /// Findings in `page`. A finding that depends on the other pages (a link's target, a page
    /// for the same medicine) carries the question in `awaiting`, and `resolve` decides it once
    /// every page has been read: pages are checked as they are parsed, never all held at once.
    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding]
    /// A finding of `check` that awaits the other pages, decided now that `corpus` knows them all
    /// (`page` says which page it came from); `nil` when it does not hold.
    func resolve(_ finding: Finding, of page: CheckedCorpus.Entry, in corpus: CheckedCorpus) -> Finding?
}

extension Rule {
    public var isEnabledByDefault: Bool { true }
    public var explanation: String { "" }
    public func resolve(_ finding: Finding, of page: CheckedCorpus.Entry, in corpus: CheckedCorpus) -> Finding? {
        finding
    }
}

extension ParsedPage {
    /// The line of the front matter's `title:`, where findings about the title or its
    /// ingredients point (line 1 when the title came from the heading).
    var titleLine: Int { frontMatter.entries.first { $0.key == "title" }?.line ?? 1 }
}

/// The pages checked together, indexed for rules that compare pages (duplicates, links): a few
/// facts a page, so a whole corpus is never held in memory while it is checked.
public struct CheckedCorpus: Sendable {
    /// What comparisons need from one page.
    public struct Entry: Sendable {
        public var id: String
        public var slug: String
        /// The collection and ingredient set (canonical names and strengths); `nil` for brands
        /// and pages without ingredients.
        public var medicineKey: String?

        public init(_ page: ParsedPage) {
            id = page.monograph.id
            slug = page.monograph.slug
            medicineKey = CheckedCorpus.medicineKey(page.monograph)
        }
    }

    /// Ids of pages by medicine key, sorted, for duplicates.
    let idsByMedicineKey: [String: [String]]
    /// Every slug, for links written as `/generic/slug` or `slug.md`.
    let slugs: Set<String>

    public init(entries: [Entry]) {
        var byKey: [String: [String]] = [:]
        var slugs: Set<String> = []
        slugs.reserveCapacity(entries.count)
        for entry in entries {
            slugs.insert(entry.slug)
            if let key = entry.medicineKey { byKey[key, default: []].append(entry.id) }
        }
        for key in byKey.keys { byKey[key]?.sort() }
        idsByMedicineKey = byKey
        self.slugs = slugs
    }

    /// The collection and the set of canonical ingredient names with strengths:
    /// `Paracetamol` and `Acetaminophen` have the same key.
    static func medicineKey(_ monograph: Monograph) -> String? {
        // A translation is its page in another language, not a second page for the medicine.
        guard monograph.kind != .brand, !monograph.ingredients.isEmpty, monograph.translationLanguage == nil
        else { return nil }
        let parts = Set(
            monograph.ingredients.map { ingredient -> String in
                let strength =
                    ingredient.strength.map {
                        " \($0.value) \($0.unit)" + ($0.per.map { "/\($0.value) \($0.unit)" } ?? "")
                    } ?? ""
                return NameEquivalents.canonicalName(ingredient.name) + strength
            })
        return monograph.collection + "|" + parts.sorted().joined(separator: "+")
    }

    /// Other pages of the same collection for the same medicine.
    func duplicates(of page: Entry) -> [String] {
        guard let key = page.medicineKey else { return [] }
        return (idsByMedicineKey[key] ?? []).filter { $0 != page.id }
    }
}
