import FormularyModel
import FormularyParsing
import FormularyReview

/// The data each template is rendered with. Every template gets the site-wide keys; each page
/// type adds its own. The keys are the templates' documented variables (README, "Templates").
struct PageData: @unchecked Sendable {
    // Unchecked: `letterLinks` and `siteKeys` hold `Any` values (Mustache takes `Any`), all of
    // them strings, numbers, and arrays and dictionaries of those, set in `init` and never
    // changed: immutable values that any thread may read.
    let configuration: SiteConfiguration
    let urls: SiteURLs
    let catalog: SiteCatalog
    let styleURL: String
    /// Shared by every page: the footer's letters, counts and links.
    let letterLinks: [[String: Any]]
    let siteKeys: [String: Any]
    let reviews: SiteReviews
    /// The language of these pages, their words, and the site's other languages.
    let edition: SiteEditions.Edition
    let editions: SiteEditions
    var strings: SiteStrings { edition.strings }
    /// Links to the site's root (the main language), for what all editions share: assets,
    /// the search index, the contribution pages.
    let rootURLs: SiteURLs

    init(
        configuration: SiteConfiguration, editions: SiteEditions, edition: SiteEditions.Edition? = nil,
        styleVersion: String, reviews: SiteReviews = .none
    ) {
        let edition = edition ?? editions.main
        self.configuration = configuration
        self.reviews = reviews
        self.edition = edition
        self.editions = editions
        self.rootURLs = SiteURLs(baseURL: configuration.baseURL, basePath: configuration.basePath)
        self.urls = SiteURLs(
            baseURL: configuration.baseURL + edition.prefix, basePath: configuration.basePath + edition.prefix)
        let catalog = edition.catalog
        self.catalog = catalog
        self.styleURL = rootURLs.link("assets/style.css?v=" + styleVersion)
        var counts: [String: Int] = [:]
        for (letter, pages) in catalog.pagesByLetter { counts[letter] = pages.count }
        let urls = self.urls
        self.letterLinks = catalog.pagesByLetter.map(\.letter).map { letter in
            [
                "label": Self.letterLabel(letter), "url": urls.link(SiteURLs.letterPath(letter)),
                "count": counts[letter]!,
            ]
        }
        var keys = Self.siteKeys(
            configuration: configuration, urls: urls, rootURLs: rootURLs, styleURL: styleURL,
            letterLinks: letterLinks, firstLetter: catalog.pagesByLetter.first?.letter ?? "a",
            pageCount: catalog.pages.count, edition: edition)
        keys["t"] = TemplateWords(
            edition.strings.templateValues(siteTitle: configuration.title),
            fingerprint: edition.strings.fingerprint + configuration.title)
        self.siteKeys = keys
    }

    /// The site-wide values among `names` as one text that is equal exactly when the values
    /// are: what pages rendered with those names show of the whole site (`pageCount`,
    /// `letters` and their counts, `browseURL`).
    func siteValues(named names: Set<String>) -> String {
        names.intersection(siteKeys.keys).sorted().map { "\($0)=\(Self.stableText(siteKeys[$0]!))" }
            .joined(separator: "\n")
    }

    private static func stableText(_ value: Any) -> String {
        switch value {
        case let text as String: JSONText.quoted(text)
        case let items as [Any]: "[" + items.map(stableText).joined(separator: ",") + "]"
        case let object as [String: Any]:
            "{"
                + object.keys.sorted().map { JSONText.quoted($0) + ":" + stableText(object[$0]!) }.joined(
                    separator: ",")
                + "}"
        case is TemplateNull: "null"
        default: "\(value)"
        }
    }

    static func letterLabel(_ letter: String) -> String { letter == "0-9" ? "0–9" : letter.uppercased() }

    /// Keys every template has: the site's, made once, and the page's own. `id`: the medicine
    /// a monograph page shows, for its language switch; nil for a page every language has at
    /// the same path (home, search, ingredients); `hasEveryLanguage` false for one only this
    /// language has (a letter page, whose letters differ).
    func common(
        title: String, description: String, path: String, ogType: String = "website", noindex: Bool = false,
        id: String? = nil, hasEveryLanguage: Bool = true
    )
        -> [String: Any]
    {
        var data = siteKeys
        if editions.isMultilingual {
            data.merge(languageKeys(path: path, id: id, hasEveryLanguage: hasEveryLanguage)) { _, new in new }
        }
        data["pageTitle"] = title == configuration.title ? title : "\(title) | \(configuration.title)"
        data["ogTitle"] = title
        data["pageDescription"] = description
        data["canonicalURL"] = urls.absolute(path)
        data["ogType"] = ogType
        data["noindex"] = noindex
        data["jsonLD"] = TemplateNull()
        return data
    }

    static func siteKeys(
        configuration: SiteConfiguration, urls: SiteURLs, rootURLs: SiteURLs, styleURL: String,
        letterLinks: [[String: Any]], firstLetter: String, pageCount: Int, edition: SiteEditions.Edition
    ) -> [String: Any] {
        [
            "siteTitle": configuration.title,
            "siteDescription": configuration.description,
            "siteLanguage": edition.language,
            "siteRoot": urls.basePath,
            "baseURL": urls.baseURL,
            "assetsRoot": rootURLs.link("assets/"),
            "styleURL": styleURL,
            "searchURL": urls.link(SiteURLs.searchPath),
            "browseURL": urls.link(SiteURLs.letterPath(firstLetter)),
            "ingredientsURL": urls.link(SiteURLs.ingredientsPath),
            "apiIndexURL": urls.link("api/v1/index.json"),
            "letters": letterLinks,
            "pageCount": pageCount,
            // Open Graph wants language_TERRITORY (`en_IN`); a bare `en` says nothing it needs.
            "ogLocale": edition.language.contains("-")
                ? edition.language.replacingOccurrences(of: "-", with: "_") : TemplateNull(),
            "hasLanguages": false,
            "languages": [[String: Any]](),
            "alternates": [[String: Any]](),
        ]
    }

    /// The language switch (`languages`: each language's name, in its own words, linking to this
    /// page in it, or to its home page with a note when the page is not translated) and the
    /// `hreflang` alternates of the languages the page exists in.
    private func languageKeys(path: String, id: String?, hasEveryLanguage: Bool) -> [String: Any] {
        var languages: [[String: Any]] = []
        var alternates: [[String: Any]] = []
        let available = id.map { Set(editions.languages(of: $0)) }
        for other in editions.editions {
            let exists = available?.contains(other.language) ?? hasEveryLanguage || other.language == edition.language
            let target = exists ? other.prefix + path : other.prefix
            languages.append([
                "code": other.language, "name": other.strings["languageName"],
                "url": rootURLs.link(target), "current": other.language == edition.language,
                "note": exists
                    ? TemplateNull()
                    : strings.text("notTranslated", ["language": other.strings["languageName"]]) as Any,
            ])
            if exists {
                alternates.append(["hreflang": other.language, "url": rootURLs.absolute(other.prefix + path)])
            }
        }
        if alternates.count > 1, available?.contains(editions.main.language) ?? true {
            alternates.append(["hreflang": "x-default", "url": rootURLs.absolute(editions.main.prefix + path)])
        } else {
            alternates = []
        }
        return ["hasLanguages": true, "languages": languages, "alternates": alternates]
    }

}
