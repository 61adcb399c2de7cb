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
                            id: page.monograph.id, relativePath: PageDates.relative(path, to: contentFolder),
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

/// Turns records and the catalog into output files.
struct SiteRenderer: Sendable {
    let templates: TemplateSet
    let configuration: SiteConfiguration
    let catalog: SiteCatalog
    let styleVersion: String
    /// The sign-offs of the pages that have some.
    var reviews = SiteReviews.none

    /// A monograph's page and its JSON record (with its review, when it has sign-offs).
    func monographFiles(_ page: LoadedPage, data: PageData) throws(TemplateError) -> [OutputFile] {
        var monograph = page.monograph
        if let review = reviews.reviews[monograph.id] { monograph.review = review.record }
        let html = try templates.render("monograph", data.monograph(page.monograph, summary: page.summary))
        return [
            OutputFile(SiteURLs.monographPath(monograph.id) + "index.html", html),
            OutputFile(SiteURLs.monographJSONPath(monograph.id), MonographJSON.encode(monograph) + "\n"),
        ]
    }

    /// What every template gets, made once a build.
    func pageData() -> PageData {
        PageData(configuration: configuration, catalog: catalog, styleVersion: styleVersion, reviews: reviews)
    }

    /// The home page, the search page and the 404 page.
    func fixedPages(data: PageData) throws(TemplateError) -> [OutputFile] {
        [
            OutputFile("index.html", try templates.render("home", data.home())),
            OutputFile(
                SiteURLs.searchPath + "index.html",
                try templates.render("search", data.search(indexURL: data.urls.link("search/index.json")))),
            OutputFile("404.html", try templates.render("not-found", data.notFound())),
            OutputFile(
                SiteURLs.ingredientsPath + "index.html", try templates.render("ingredients", data.ingredients())),
        ]
    }

    /// A–Z pages, for `letters` (all when nil).
    func letterPages(_ letters: Set<String>?, data: PageData) throws(TemplateError) -> [OutputFile] {
        var files: [OutputFile] = []
        for (letter, pages) in catalog.pagesByLetter where letters?.contains(letter) ?? true {
            files.append(
                OutputFile(
                    SiteURLs.letterPath(letter) + "index.html",
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
                    SiteURLs.ingredientLetterPath(letter) + "index.html",
                    try templates.render(
                        "ingredient-letter", data.ingredientLetter(letter, entries: entries, letters: all))))
        }
        return files
    }

    /// `sitemap.xml` (every page once, with the date it last changed), `robots.txt` and `api/v1/index.json`.
    /// `includingIndex` false leaves out `api/v1/index.json`, which only changes with a listing.
    func siteFiles(includingIndex: Bool = true) -> [OutputFile] {
        let urls = SiteURLs(baseURL: configuration.baseURL, basePath: configuration.basePath)
        let newest = catalog.pages.map(\.lastModified).max() ?? ""
        // Written as bytes: one line for each of 11,000 pages.
        var sitemap = Array(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                .utf8)
        sitemap.reserveCapacity(catalog.pages.count * 120)
        let base = Array(Self.xmlEscape(urls.baseURL).utf8)
        func add(_ path: String, _ date: String?) {
            sitemap += "<url><loc>".utf8
            sitemap += base
            Self.appendEscapedPath(path, to: &sitemap)
            sitemap += "</loc>".utf8
            if let date, !date.isEmpty {
                sitemap += "<lastmod>".utf8
                sitemap += date.utf8
                sitemap += "</lastmod>".utf8
            }
            sitemap += "</url>\n".utf8
        }
        add("", newest)
        for (letter, pages) in catalog.pagesByLetter {
            add(SiteURLs.letterPath(letter), pages.map(\.lastModified).max())
        }
        add(SiteURLs.ingredientsPath, newest)
        for (letter, entries) in catalog.ingredientsByLetter {
            add(
                SiteURLs.ingredientLetterPath(letter),
                entries.flatMap { $0.pages.map { catalog.pages[$0].lastModified } }.max())
        }
        for index in catalog.pages.indices {
            add(SiteURLs.monographPath(catalog.pages[index].id), catalog.pages[index].lastModified)
        }
        sitemap += "</urlset>\n".utf8

        let robots =
            "User-agent: *\nAllow: /\nDisallow: \(urls.basePath)search/\n\nSitemap: \(urls.absolute("sitemap.xml"))\n"

        var index = JSONText()
        guard includingIndex else {
            return [OutputFile("sitemap.xml", bytes: sitemap), OutputFile("robots.txt", robots)]
        }
        index.openObject()
        index.string("formulary", FormularyVersion.current)
        index.string("title", configuration.title)
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
            index.string("url", urls.link(SiteURLs.monographPath(page.id)))
            index.string("json", urls.link(SiteURLs.monographJSONPath(page.id)))
            index.string("lastModified", page.lastModified)
            index.closeObject()
        }
        index.closeArray()
        index.closeObject()
        var files = [OutputFile("sitemap.xml", bytes: sitemap), OutputFile("robots.txt", robots)]
        if includingIndex { files.append(OutputFile("api/v1/index.json", index.text + "\n")) }
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
