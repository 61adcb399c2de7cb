import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularySearch

/// The site's monographs as records, for a server's API: the same pages a build publishes
/// (files that are not monographs, unparsable pages, addresses inside the site's own folders
/// and second pages with one address are left out, with the same reasons), kept up to date by
/// reading again only the files whose size or modification time changed.
public struct SiteContent: Sendable {
    public struct Page: Sendable {
        public var path: String
        public var parsed: ParsedPage
        public var summary: PageSummary
        public var monograph: Monograph { parsed.monograph }
        /// The file's modification time (nanoseconds) and size when it was read.
        public internal(set) var modified: Int64
        public internal(set) var size: Int64
    }

    /// Every published page, in path order: the main language's and the translations.
    public let pages: [Page]
    /// Files that are not pages of the site, each with its reason (a whole message, path first).
    public let skipped: [SiteBuilder.Skip]
    /// The main language's pages.
    public let catalog: SiteCatalog
    private let indexByAddress: [String: Int]
    /// The site's language, and the languages each medicine with a translation exists in.
    public let mainLanguage: String
    /// The languages pages are translated into (`languages:` in formulary.yml).
    public let languages: [String]
    private let languagesByID: [String: [String]]

    public init(pages: [Page], skipped: [SiteBuilder.Skip], mainLanguage: String = "en", languages: [String] = []) {
        self.pages = pages
        self.skipped = skipped
        self.mainLanguage = mainLanguage
        self.languages = languages
        catalog = SiteCatalog(pages: pages.filter { $0.monograph.translationLanguage == nil }.map(\.summary))
        var indexByAddress: [String: Int] = [:]
        var byID: [String: Set<String>] = [:]
        for (index, page) in pages.enumerated() {
            indexByAddress[page.monograph.address] = index
            if let language = page.monograph.translationLanguage {
                byID[page.monograph.id, default: []].insert(language)
            }
        }
        self.indexByAddress = indexByAddress
        languagesByID = byID.mapValues { found in [mainLanguage] + languages.filter { found.contains($0) } }
    }

    /// The page at `address`: its id for a page in the main language, `hi/` and its id for a translation.
    public func page(id address: String) -> Page? { indexByAddress[address].map { pages[$0] } }

    /// A page's record as the build writes it: with its language, the languages it exists in
    /// and, for a translation, what it was translated from.
    public func record(_ page: Page) -> Monograph {
        var monograph = page.monograph
        monograph.language = monograph.translationLanguage ?? mainLanguage
        monograph.languages = languagesByID[monograph.id] ?? [mainLanguage]
        if monograph.translation != nil { monograph.translation?.from = mainLanguage }
        return monograph
    }

    /// Reads the monographs under `contentFolder`, reusing `previous`'s records for files that
    /// did not change. Throws when the folder cannot be listed.
    public static func load(
        contentFolder: String, includeDrafts: Bool = false, reference: ReferenceLists = .builtIn,
        dates: PageDates = .none, mainLanguage: String = "en", languages: [String] = [],
        reusing previous: SiteContent? = nil
    ) throws -> SiteContent {
        let timings = PhaseTimings(label: "records: ")
        var previousByPath: [String: Page] = [:]
        for page in previous?.pages ?? [] { previousByPath[page.path] = page }
        var files: [String] = []
        var skipped: [SiteBuilder.Skip] = []
        for path in try ContentLoader.markdownFiles(in: [contentFolder]) {
            if let reason = SiteBuilder.notAMonograph(path, under: contentFolder) {
                skipped.append(SiteBuilder.Skip(path: path, reason: reason))
            } else {
                files.append(path)
            }
        }
        timings.mark("file list")
        let parser = MonographParser(annotator: reference)
        let (pageFiles, previousPages) = (files, previousByPath)
        let outcomes = ResultSlots<Result<Page, SiteBuilder.Skip>>(count: pageFiles.count)
        DispatchQueue.concurrentPerform(iterations: (pageFiles.count + 15) / 16) { chunk in
            for index in (chunk * 16)..<min(pageFiles.count, chunk * 16 + 16) {
                let path = pageFiles[index]
                guard let stamp = OutputFiles.stamp(path) else {
                    outcomes.set(
                        index, .failure(SiteBuilder.Skip(path: path, reason: "\(path): error: the file disappeared")))
                    continue
                }
                if let old = previousPages[path], old.modified == stamp.modified, old.size == stamp.size,
                    old.summary.lastModified
                        == dates.date(
                            id: old.monograph.address, relativePath: PageDates.relative(path, to: contentFolder),
                            frontMatter: old.monograph.lastModified)
                {
                    outcomes.set(index, .success(old))
                    continue
                }
                do throws(MonographParseError) {
                    let parsed = try parser.parse(contentsOf: path)
                    if !includeDrafts, let skip = SiteBuilder.draftSkip(parsed, path: path) {
                        outcomes.set(index, .failure(skip))
                        continue
                    }
                    let summary = PageSummary(
                        parsed.monograph,
                        date: dates.date(
                            id: parsed.monograph.address, relativePath: PageDates.relative(path, to: contentFolder),
                            frontMatter: parsed.monograph.lastModified))
                    outcomes.set(
                        index,
                        .success(
                            Page(
                                path: path, parsed: parsed, summary: summary, modified: stamp.modified, size: stamp.size
                            )))
                } catch {
                    outcomes.set(
                        index, .failure(SiteBuilder.Skip(path: path, reason: error.description + " (page skipped)")))
                }
            }
        }
        timings.mark("pages read or reused")
        var pages: [Page] = []
        var firstPathForID: [String: String] = [:]
        for outcome in outcomes.values() {
            switch outcome {
            case .success(let page):
                if let skip = FullBuild.addressConflict(
                    page.monograph, path: page.path, languages: languages, firstPathForID: &firstPathForID)
                {
                    skipped.append(skip)
                } else {
                    pages.append(page)
                }
            case .failure(let skip):
                skipped.append(skip)
            }
        }
        Translations.mark(&pages, record: \.parsed.monograph)
        timings.mark("addresses and translations")
        let content = SiteContent(pages: pages, skipped: skipped, mainLanguage: mainLanguage, languages: languages)
        timings.mark("catalog")
        return content
    }

    /// The record as the API and `formulary show` give it: JSON in the contract's shape.
    public static func json(_ monograph: Monograph) -> String { MonographJSON.encode(monograph) }
}
