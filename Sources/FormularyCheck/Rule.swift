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
    /// Findings in `page`; `corpus` answers questions about the other pages checked with it.
    func check(_ page: ParsedPage, in corpus: CheckedCorpus, configuration: CheckConfiguration) -> [Finding]
}

extension Rule {
    public var isEnabledByDefault: Bool { true }
    public var explanation: String { "" }
}

extension ParsedPage {
    /// The line of the front matter's `title:`, where findings about the title or its
    /// ingredients point (line 1 when the title came from the heading).
    var titleLine: Int { frontMatter.entries.first { $0.key == "title" }?.line ?? 1 }
}

/// The pages checked together, indexed for rules that compare pages (duplicates, links).
public struct CheckedCorpus: Sendable {
    /// Every page by id.
    public let pagesByID: [String: ParsedPage]
    /// Ids of pages by collection and ingredient set (canonical names and strengths), for duplicates.
    let idsByMedicineKey: [String: [String]]
    /// Every slug, for links written as `/generic/slug` or `slug.md`.
    let slugs: Set<String>

    public init(pages: [ParsedPage]) {
        // Keys are the costly part (name equivalents for every ingredient): work them out on all cores.
        let keys = ResultSlots<String?>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: (pages.count + 63) / 64) { chunk in
            for index in (chunk * 64)..<min(pages.count, chunk * 64 + 64) {
                keys.set(index, Self.medicineKey(pages[index].monograph))
            }
        }
        var byID: [String: ParsedPage] = [:]
        var byKey: [String: [String]] = [:]
        var slugs: Set<String> = []
        byID.reserveCapacity(pages.count)
        for (page, key) in zip(pages, keys.values()) {
            byID[page.monograph.id] = page
            slugs.insert(page.monograph.slug)
            if let key { byKey[key, default: []].append(page.monograph.id) }
        }
        for key in byKey.keys { byKey[key]?.sort() }
        pagesByID = byID
        idsByMedicineKey = byKey
        self.slugs = slugs
    }

    /// The collection and the set of canonical ingredient names with strengths:
    /// `Paracetamol` and `Acetaminophen` have the same key.
    static func medicineKey(_ monograph: Monograph) -> String? {
        guard monograph.kind != .brand, !monograph.ingredients.isEmpty else { return nil }
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
    func duplicates(of monograph: Monograph) -> [String] {
        guard let key = Self.medicineKey(monograph) else { return [] }
        return (idsByMedicineKey[key] ?? []).filter { $0 != monograph.id }
    }
}
