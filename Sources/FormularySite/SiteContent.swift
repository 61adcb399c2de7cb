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

    /// Every published page, in path order.
    public let pages: [Page]
    /// Files that are not pages of the site, each with its reason (a whole message, path first).
    public let skipped: [SiteBuilder.Skip]
    public let catalog: SiteCatalog
    private let indexByID: [String: Int]

    public init(pages: [Page], skipped: [SiteBuilder.Skip]) {
        self.pages = pages
        self.skipped = skipped
        catalog = SiteCatalog(pages: pages.map(\.summary))
        var indexByID: [String: Int] = [:]
        for (index, page) in pages.enumerated() { indexByID[page.monograph.id] = index }
        self.indexByID = indexByID
    }

    public func page(id: String) -> Page? { indexByID[id].map { pages[$0] } }

    /// Reads the monographs under `contentFolder`, reusing `previous`'s records for files that
    /// did not change. Throws when the folder cannot be listed.
    public static func load(
        contentFolder: String, includeDrafts: Bool = false, reference: ReferenceLists = .builtIn,
        dates: PageDates = .none, reusing previous: SiteContent? = nil
    ) throws -> SiteContent {
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
                            id: old.monograph.id, relativePath: PageDates.relative(path, to: contentFolder),
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
                            id: parsed.monograph.id, relativePath: PageDates.relative(path, to: contentFolder),
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
        var pages: [Page] = []
        var firstPathForID: [String: String] = [:]
        for outcome in outcomes.values() {
            switch outcome {
            case .success(let page):
                if let skip = FullBuild.addressConflict(
                    id: page.monograph.id, path: page.path, firstPathForID: &firstPathForID)
                {
                    skipped.append(skip)
                } else {
                    pages.append(page)
                }
            case .failure(let skip):
                skipped.append(skip)
            }
        }
        return SiteContent(pages: pages, skipped: skipped)
    }

    /// The record as the API and `formulary show` give it: JSON in the contract's shape.
    public static func json(_ monograph: Monograph) -> String { MonographJSON.encode(monograph) }
}
