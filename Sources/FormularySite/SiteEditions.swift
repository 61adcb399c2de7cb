import FormularyModel
import FormularyParsing

/// The site in each of its languages. The main language's pages make the site at the root;
/// each language of `languages:` in formulary.yml makes an edition of its own under `hi/`:
/// its translated pages at `hi/composition/paracetamol/`, and its home page, A–Z pages,
/// ingredient index, search page and 404 page, in its words. Pages link to the same medicine
/// in the other languages it exists in.
struct SiteEditions: Sendable {
    struct Edition: Sendable {
        let language: String
        /// Where the edition lives under the output and the base URL: "" for the main
        /// language, `hi/` for Hindi.
        let prefix: String
        let catalog: SiteCatalog
        let strings: SiteStrings
        var isMain: Bool { prefix.isEmpty }
    }

    /// The main language first, then `languages:` in their order.
    let editions: [Edition]
    /// The languages each medicine exists in (main language first), by id; only for medicines
    /// that have a translation.
    let languagesByID: [String: [String]]

    var main: Edition { editions[0] }
    var isMultilingual: Bool { editions.count > 1 }

    /// The editions of `pages` (main-language pages and translations into the site's languages;
    /// the builder skips translations into other languages before).
    init(pages: [PageSummary], configuration: SiteConfiguration, strings: [String: SiteStrings]) {
        var byLanguage: [String: [PageSummary]] = [:]
        var mainPages: [PageSummary] = []
        for page in pages {
            if let language = page.language {
                byLanguage[language, default: []].append(page)
            } else {
                mainPages.append(page)
            }
        }
        var editions = [
            Edition(
                language: configuration.language, prefix: "", catalog: SiteCatalog(pages: mainPages),
                strings: strings[configuration.language] ?? .english)
        ]
        var languagesByID: [String: [String]] = [:]
        for language in configuration.languages {
            let translated = byLanguage[language] ?? []
            editions.append(
                Edition(
                    language: language, prefix: language + "/",
                    catalog: SiteCatalog(pages: translated, letters: .native),
                    strings: strings[language] ?? .english))
            for page in translated { languagesByID[page.id, default: [configuration.language]].append(language) }
        }
        self.editions = editions
        self.languagesByID = languagesByID
    }

    /// The same editions with another catalog of the main language's pages.
    func replacingMain(_ catalog: SiteCatalog) -> SiteEditions {
        var editions = self.editions
        let main = editions[0]
        editions[0] = Edition(language: main.language, prefix: main.prefix, catalog: catalog, strings: main.strings)
        return SiteEditions(editions: editions, languagesByID: languagesByID)
    }

    private init(editions: [Edition], languagesByID: [String: [String]]) {
        self.editions = editions
        self.languagesByID = languagesByID
    }

    /// The languages a medicine exists in, the main language first.
    func languages(of id: String) -> [String] {
        languagesByID[id] ?? [main.language]
    }

    /// The words of every language the site shows, by language: the main language's and each
    /// of `languages:` (the site's `strings/` over the built-in ones).
    static func strings(for configuration: SiteConfiguration, stringsFolder: String?) throws(SiteStrings.Failure)
        -> [String: SiteStrings]
    {
        var strings: [String: SiteStrings] = [:]
        for language in [configuration.language] + configuration.languages {
            do throws(SiteStrings.Failure) {
                strings[language] = try SiteStrings.load(language: language, stringsFolder: stringsFolder)
            } catch {
                // A main language without words of its own keeps the English theme, as before.
                guard language == configuration.language, SiteStrings.builtIn(language) == nil,
                    stringsFolder.map({ OutputFiles.read("\($0)/\(language).yml") == nil }) ?? true
                else { throw error }
                strings[language] = .english
            }
        }
        return strings
    }
}
