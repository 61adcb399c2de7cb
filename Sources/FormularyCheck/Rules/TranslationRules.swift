import FormularyModel
import FormularyParsing

/// The page a translation translates (`paracetamol.md` beside `paracetamol.hi.md`), read once
/// for both translation rules: nil when the page is not a translation, or the source cannot be
/// read (`missing` then says why).
struct TranslationSource {
    var source: Monograph?
    var missing: String?

    init(of page: ParsedPage) {
        guard let language = page.location.language else { return }
        let path = page.location.displayPath
        let suffix = "." + language + ".md"
        guard path.hasSuffix(suffix) else { return }
        let sourcePath = String(path.dropLast(suffix.count)) + ".md"
        do throws(MonographParseError) {
            source = try MonographParser(extractsFAQs: false).parse(contentsOf: sourcePath).monograph
        } catch {
            missing = "\(sourcePath): \(error.reason)"
        }
    }
}

/// A translation whose page changed after it was made, or that does not say what it was made from.
struct TranslationOutdatedRule: Rule {
    let name = "translation-outdated"
    let defaultSeverity = Severity.warning
    let summary =
        "A translation's page changed after it was translated, or the translation does not say which text it translates."
    let explanation = """
        A translation (`paracetamol.hi.md`) keeps in its front matter the fingerprint of the text
        it was made from: `translated_from: 1a2b3c4d5e6f7a8b`, written by `formulary generate
        --translate` and by `formulary translations mark-current FILE`. When the page it translates
        (`paracetamol.md`) changes, its fingerprint changes, and the translation may no longer say
        the same: the site marks it outdated and points readers to the page in the main language.

        Update the translation to say what its page says now, then run `formulary translations
        mark-current FILE` to record that it does. A translation without `translated_from` is
        reported too, since nobody can tell that it is current.
        """

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard page.location.language != nil, let source = TranslationSource(of: page).source else { return [] }
        let now = TranslationCheck.fingerprint(of: source)
        let line = page.frontMatter.entries.first { $0.key == "translated_from" }?.line ?? page.frontMatter.openingLine
        guard let recorded = page.monograph.translation?.sourceFingerprint else {
            return [
                Finding(
                    line: line,
                    message:
                        "the translation does not say which text it translates (no translated_from:); check it against its page, then run `formulary translations mark-current \(page.location.displayPath)`"
                )
            ]
        }
        guard recorded != now else { return [] }
        return [
            Finding(
                line: line,
                message:
                    "the page this translates changed since it was translated (translated_from: \(recorded), the text now: \(now)); update the translation, then run `formulary translations mark-current \(page.location.displayPath)`"
            )
        ]
    }
}

/// A translation that is not the same medicine or loses what must not change: sections,
/// numbers, strengths, the medicines' Latin names; or has no page to translate.
struct TranslationMismatchRule: Rule {
    let name = "translation-mismatch"
    let defaultSeverity = Severity.error
    let summary =
        "A translation names another medicine or strength than its page, or loses a section, a number or a Latin name."
    let explanation = """
        A translation is the same medicine as its page: the same ingredients and strengths (its
        title keeps the Latin name in parentheses: `पैरासिटामोल 650mg (Paracetamol 650mg)`), every
        section of the page (under the headings the parser knows in its language, `### खुराक`
        for Dosage), every number of the page and no other, each strength with its unit written as
        in the page (`500 mg`), and the medicines' names in Latin letters beside their own
        script's. A translation without a page beside it (`paracetamol.md` for
        `paracetamol.hi.md`) is reported too. Numbers are facts a reader doses by: a translation
        that changes one is an error.
        """

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard page.location.language != nil else { return [] }
        let lookup = TranslationSource(of: page)
        guard let source = lookup.source else {
            guard let missing = lookup.missing else { return [] }
            return [
                Finding(
                    line: page.frontMatter.openingLine,
                    message: "a translation with no page to translate beside it (\(missing))")
            ]
        }
        return TranslationCheck.problems(source: source, translation: page.monograph).map {
            Finding(line: page.titleLine, message: $0)
        }
    }
}
