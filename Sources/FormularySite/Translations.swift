import FormularyModel
import FormularyParsing

/// What a build says of translations: whether the page each translates changed since it was
/// made.
enum Translations {
    /// Sets each translation's `outdated` (the monograph at `record` of each page): true when
    /// its `translated_from` is not the fingerprint of its page's text now, or it has none
    /// (nobody can tell it is current); false when it is. A translation whose page is not among
    /// `pages` stays unmarked.
    static func mark<Page>(_ pages: inout [Page], record: WritableKeyPath<Page, Monograph>) {
        guard pages.contains(where: { $0[keyPath: record].translationLanguage != nil }) else { return }
        var sources: [String: Int] = [:]
        for (index, page) in pages.enumerated() where page[keyPath: record].translationLanguage == nil {
            sources[page[keyPath: record].id] = index
        }
        var fingerprints: [String: String] = [:]
        for index in pages.indices where pages[index][keyPath: record].translationLanguage != nil {
            let id = pages[index][keyPath: record].id
            guard pages[index][keyPath: record].translation != nil, let source = sources[id] else { continue }
            let fingerprint = fingerprints[id] ?? TranslationCheck.fingerprint(of: pages[source][keyPath: record])
            fingerprints[id] = fingerprint
            let recorded = pages[index][keyPath: record].translation?.sourceFingerprint
            pages[index][keyPath: record].translation?.outdated = recorded != fingerprint
        }
    }
}
