import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularySearch
import Foundation
import Synchronization

/// A page read for the build: its record, the summary other pages see, the file's stamp.
struct LoadedPage: Sendable {
    var path: String
    var monograph: Monograph
    var summary: PageSummary
    var search: StaticSearchEntry
    var modified: Int64
    var size: Int64
}

/// Reads monographs on every core, keeping only what the build needs.
enum PageLoader {
    typealias Outcome = Result<LoadedPage, SiteBuilder.Skip>

    static func load(
        _ files: [String], includeDrafts: Bool, reference: ReferenceLists, dates: PageDates, contentFolder: String,
        progress: SiteBuilder.Progress?
    ) -> [Outcome] {
        let parser = MonographParser(annotator: reference)
        let results = ResultSlots<Outcome>(count: files.count)
        let chunk = 16
        let chunks = (files.count + chunk - 1) / chunk
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            let range = (chunkIndex * chunk)..<min(files.count, (chunkIndex + 1) * chunk)
            for index in range {
                let path = files[index]
                do throws(MonographParseError) {
                    guard let stamp = OutputFiles.stamp(path) else {
                        throw MonographParseError(path: path, reason: .unreadable("the file disappeared"))
                    }
                    let page = try parser.parse(contentsOf: path)
                    if !includeDrafts, let skip = SiteBuilder.draftSkip(page, path: path) {
                        results.set(index, .failure(skip))
                        continue
                    }
                    let summary = PageSummary(
                        page.monograph,
                        date: dates.date(
                            id: page.monograph.address, relativePath: PageDates.relative(path, to: contentFolder),
                            frontMatter: page.monograph.lastModified))
                    results.set(
                        index,
                        .success(
                            LoadedPage(
                                path: path, monograph: page.monograph, summary: summary,
                                search: StaticSearchEntry(page), modified: stamp.modified, size: stamp.size)))
                } catch {
                    results.set(
                        index, .failure(SiteBuilder.Skip(path: path, reason: error.description + " (page skipped)")))
                }
            }
            if let progress { progress(.reading, done.add(range.count), files.count) }
        }
        return results.values()
    }
}

/// A thread-safe running count, for progress from worker threads.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// The count after adding `amount`.
    func add(_ amount: Int) -> Int { value.wrappingAdd(amount, ordering: .relaxed).newValue }
}

/// One output file: its path under the output folder and its bytes.
struct OutputFile: Sendable {
    var path: String
    var bytes: [UInt8]

    init(_ path: String, _ text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }

    init(_ path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Turns records and the catalog of one language into output files: the main language's at
/// the root of the output, a translation language's under its prefix (`hi/`).
struct SiteRenderer: Sendable {
    let templates: TemplateSet
    let configuration: SiteConfiguration
    let editions: SiteEditions
    let edition: SiteEditions.Edition
    let styleVersion: String
    /// The sign-offs of the pages that have some.
    var reviews = SiteReviews.none

    var catalog: SiteCatalog { edition.catalog }

    init(
        templates: TemplateSet, configuration: SiteConfiguration, editions: SiteEditions,
        edition: SiteEditions.Edition? = nil, styleVersion: String, reviews: SiteReviews = .none
    ) {
        self.templates = templates
        self.configuration = configuration
        self.editions = editions
        self.edition = edition ?? editions.main
        self.styleVersion = styleVersion
        self.reviews = reviews
    }

    /// A renderer for each language of the site, the main language's first, each with the
    /// templates in its words.
    static func all(
        templates: TemplateSet, configuration: SiteConfiguration, editions: SiteEditions, styleVersion: String,
        reviews: SiteReviews
    ) throws(TemplateError) -> [SiteRenderer] {
        var renderers: [SiteRenderer] = []
        for edition in editions.editions {
            renderers.append(
                SiteRenderer(
                    templates: try templates.inliningWords(
                        edition.strings.templateValues(siteTitle: configuration.title)),
                    configuration: configuration, editions: editions, edition: edition, styleVersion: styleVersion,
                    reviews: reviews))
        }
        return renderers
    }

    /// A monograph's page and its JSON record (with its review, when it has sign-offs; its
    /// language and the languages it exists in).
    func monographFiles(_ page: LoadedPage, data: PageData) throws(TemplateError) -> [OutputFile] {
        var monograph = page.monograph
        monograph.language = edition.language
        monograph.languages = editions.languages(of: monograph.id)
        if monograph.translation != nil { monograph.translation?.from = editions.main.language }
        let html = try templates.render("monograph", data.monograph(monograph, summary: page.summary))
        if let review = reviews.reviews[monograph.address] { monograph.review = review.record }
        return [
            OutputFile(edition.prefix + SiteURLs.monographPath(monograph.id) + "index.html", html),
            OutputFile(
                edition.prefix + SiteURLs.monographJSONPath(monograph.id), MonographJSON.encode(monograph) + "\n"),
        ]
    }

    /// What every template gets, made once a build.
    func pageData() -> PageData {
        PageData(
            configuration: configuration, editions: editions, edition: edition, styleVersion: styleVersion,
            reviews: reviews)
    }

    /// The home page, the search page and the 404 page.
    func fixedPages(data: PageData) throws(TemplateError) -> [OutputFile] {
        let prefix = edition.prefix
        return [
            OutputFile(prefix + "index.html", try templates.render("home", data.home())),
            OutputFile(
                prefix + SiteURLs.searchPath + "index.html",
                try templates.render("search", data.search(indexURL: data.rootURLs.link("search/index.json")))),
            OutputFile(prefix + "404.html", try templates.render("not-found", data.notFound())),
            OutputFile(
                prefix + SiteURLs.ingredientsPath + "index.html",
                try templates.render("ingredients", data.ingredients())),
        ]
    }

    /// A–Z pages, for `letters` (all when nil).
    func letterPages(_ letters: Set<String>?, data: PageData) throws(TemplateError) -> [OutputFile] {
        var files: [OutputFile] = []
        for (letter, pages) in catalog.pagesByLetter where letters?.contains(letter) ?? true {
            files.append(
                OutputFile(
                    edition.prefix + SiteURLs.letterPath(letter) + "index.html",
                    try templates.render("letter", data.letter(letter, pages: pages))))
        }
        return files
    }

    /// Ingredient pages, one a letter, for `letters` (all when nil).
    func ingredientPages(_ letters: Set<String>?, data: PageData) throws(TemplateError) -> [OutputFile] {
        let groups = catalog.ingredientsByLetter
        let all = groups.map(\.letter)
        var files: [OutputFile] = []
        for (letter, entries) in groups where letters?.contains(letter) ?? true {
            files.append(
                OutputFile(
                    edition.prefix + SiteURLs.ingredientLetterPath(letter) + "index.html",
                    try templates.render(
                        "ingredient-letter", data.ingredientLetter(letter, entries: entries, letters: all))))
        }
        return files
    }

    /// `sitemap.xml` (every page once, with the date it last changed, and the same page in the
    /// site's other languages), `robots.txt` and each language's `api/v1/index.json`.
    /// `includingIndex` false leaves out the API indexes, which only change with a listing.
    func siteFiles(includingIndex: Bool = true) -> [OutputFile] {
        let urls = SiteURLs(baseURL: configuration.baseURL, basePath: configuration.basePath)
        let multilingual = editions.isMultilingual
        // Written as bytes: one line for each of 11,000 pages.
        var sitemap = Array(
            (multilingual
                ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
                .utf8)
        sitemap.reserveCapacity(editions.editions.map(\.catalog.pages.count).reduce(0, +) * 120)
        let base = Array(Self.xmlEscape(urls.baseURL).utf8)
        /// `path` in each language it exists in (`languages`, a prefix each), when there are two or more.
        func add(_ path: String, _ date: String?, prefix: String = "", alternates languages: [String] = []) {
            sitemap += "<url><loc>".utf8
            sitemap += base
            Self.appendEscapedPath(prefix + path, to: &sitemap)
            sitemap += "</loc>".utf8
            if let date, !date.isEmpty {
                sitemap += "<lastmod>".utf8
                sitemap += date.utf8
                sitemap += "</lastmod>".utf8
            }
            if languages.count > 1 {
                for language in languages {
                    let other = editions.editions.first { $0.language == language }?.prefix ?? ""
                    sitemap += "<xhtml:link rel=\"alternate\" hreflang=\"".utf8
                    sitemap += Self.xmlEscape(language).utf8
                    sitemap += "\" href=\"".utf8
                    sitemap += base
                    Self.appendEscapedPath(other + path, to: &sitemap)
                    sitemap += "\"/>".utf8
                }
            }
            sitemap += "</url>\n".utf8
        }
        let everyLanguage = multilingual ? editions.editions.map(\.language) : []
        for edition in editions.editions {
            let catalog = edition.catalog
            let prefix = edition.prefix
            let newest = catalog.pages.map(\.lastModified).max() ?? ""
            add("", newest, prefix: prefix, alternates: everyLanguage)
            for (letter, pages) in catalog.pagesByLetter {
                add(SiteURLs.letterPath(letter), pages.map(\.lastModified).max(), prefix: prefix)
            }
            add(SiteURLs.ingredientsPath, newest, prefix: prefix, alternates: everyLanguage)
            for (letter, entries) in catalog.ingredientsByLetter {
                add(
                    SiteURLs.ingredientLetterPath(letter),
                    entries.flatMap { $0.pages.map { catalog.pages[$0].lastModified } }.max(), prefix: prefix)
            }
            for index in catalog.pages.indices {
                let id = catalog.pages[index].id
                add(
                    SiteURLs.monographPath(id), catalog.pages[index].lastModified, prefix: prefix,
                    alternates: multilingual ? editions.languages(of: id) : [])
            }
        }
        sitemap += "</urlset>\n".utf8

        let robots =
            "User-agent: *\nAllow: /\n"
            + editions.editions.map { "Disallow: \(urls.basePath)\($0.prefix)search/\n" }.joined()
            + "\nSitemap: \(urls.absolute("sitemap.xml"))\n"
        var files = [OutputFile("sitemap.xml", bytes: sitemap), OutputFile("robots.txt", robots)]
        guard includingIndex else { return files }
        for edition in editions.editions {
            let catalog = edition.catalog
            let editionURLs = SiteURLs(
                baseURL: configuration.baseURL + edition.prefix, basePath: configuration.basePath + edition.prefix)
            var index = JSONText()
            index.openObject()
            index.string("formulary", FormularyVersion.current)
            index.string("title", configuration.title)
            if multilingual { index.string("language", edition.language) }
            index.number("count", Double(catalog.pages.count))
            index.openArray("monographs")
            for page in catalog.pages {
                index.openObject()
                index.string("id", page.id)
                index.string("title", page.title)
                index.string("kind", page.kind.rawValue)
                index.string("collection", page.collection)
                index.openArray("ingredients")
                for ingredient in page.ingredients { index.string(nil, ingredient.name) }
                index.closeArray()
                index.string("url", editionURLs.link(SiteURLs.monographPath(page.id)))
                index.string("json", editionURLs.link(SiteURLs.monographJSONPath(page.id)))
                index.string("lastModified", page.lastModified)
                index.closeObject()
            }
            index.closeArray()
            index.closeObject()
            files.append(OutputFile(edition.prefix + "api/v1/index.json", index.text + "\n"))
        }
        return files
    }

    /// `xmlEscape(SiteURLs.percentEncoded(path))`, appended as bytes.
    static func appendEscapedPath(_ path: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            if SiteURLs.urlSafe[Int(byte)] {
                if byte == UInt8(ascii: "&") { out += "&amp;".utf8 } else { out.append(byte) }
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
    }

    static func xmlEscape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }
}
