import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularySearch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Everything from scratch, into a staging folder that replaces the output only at the end.
struct FullBuild {
    let request: SiteBuilder.Request
    let templates: TemplateSet
    let assets: [String: [UInt8]]
    let fingerprint: String
    let files: [String]
    let progress: SiteBuilder.Progress?
    /// When each page last changed.
    var dates = PageDates.none

    func run() throws(SiteBuilder.Failure) -> SiteBuilder.Report {
        let timings = PhaseTimings()
        var (pages, skipped) = Self.loadUnique(
            files, includeDrafts: request.includeDrafts, reference: request.reference, dates: dates,
            contentFolder: request.contentFolder, languages: request.configuration.languages, progress: progress)
        Translations.mark(&pages, record: \.monograph)
        let pageCount = pages.count
        timings.mark("read and parse")
        let editions = SiteEditions(
            pages: pages.map(\.summary), configuration: request.configuration, strings: request.strings)
        let reviews = SiteReviews(
            ledger: request.reviews,
            paths: Dictionary(pages.map { ($0.monograph.address, $0.path) }, uniquingKeysWith: { first, _ in first }))
        let renderers = try Self.rendering { () throws(TemplateError) in
            try SiteRenderer.all(
                templates: templates, configuration: request.configuration, editions: editions,
                styleVersion: Self.styleVersion(assets), reviews: reviews)
        }
        let staging = Self.stagingFolder(for: request.outputFolder)
        OutputFiles.remove(staging)
        do throws(OutputFiles.Failure) {
            try OutputFiles.makeFolder(staging)
            try OutputFiles.write(
                "Written by formulary build \(FormularyVersion.current); the next build replaces this whole folder.\n",
                to: staging + "/" + SiteBuilder.outputMarker)
        } catch {
            // Said of the folder the user named, not only of the working folder beside it.
            throw .output(
                "\(request.outputFolder): cannot write the site there: a build writes \(staging) beside it first, then swaps it in, and \(error.path): \(error.reason)"
            )
        }
        var written = 0
        var searchLayout = StaticSearchIndex.Layout()
        var searchEntries: [StaticSearchEntry] = []
        var cache = BuildCache(fingerprint: fingerprint, entries: [:])
        do throws(SiteBuilder.Failure) {
            written = try write(
                &pages, renderers: renderers, into: staging, timings: timings, searchLayout: &searchLayout,
                searchEntries: &searchEntries, cache: &cache)
            try Self.swap(staging, into: request.outputFolder)
            timings.mark("swap")
        } catch {
            OutputFiles.remove(staging)
            throw error
        }
        // The cache describes the output now in place, so it is written only after the swap; one
        // that cannot be written is removed, and the next build is a full one.
        if let cacheFile = request.cacheFile {
            do throws(OutputFiles.Failure) {
                if let slash = cacheFile.lastIndex(of: "/") { try OutputFiles.makeFolder(String(cacheFile[..<slash])) }
                try OutputFiles.replace(cacheFile, with: cache.encoded())
            } catch {
                OutputFiles.remove(cacheFile)
            }
            OutputFiles.remove(BuildCache.journalFile(of: cacheFile))
        }
        timings.mark("cache")
        return SiteBuilder.Report(
            pages: pageCount, rendered: pageCount, filesWritten: written, filesRemoved: 0, skipped: skipped,
            incremental: false)
    }

    /// Top-level folders of the output that the build writes itself.
    static let reservedFolders: Set<String> = [
        "api", "assets", "browse", "ingredients", "search", "404.html", "index.html",
    ]

    /// The pages that parsed, each address once (the first file in path order wins), and the
    /// files skipped: translations into a language `languages` does not list among them.
    static func loadUnique(
        _ files: [String], includeDrafts: Bool, reference: ReferenceLists, dates: PageDates, contentFolder: String,
        languages: [String], progress: SiteBuilder.Progress?
    ) -> (
        [LoadedPage], [SiteBuilder.Skip]
    ) {
        var pages: [LoadedPage] = []
        var skipped: [SiteBuilder.Skip] = []
        var firstPathForID: [String: String] = [:]
        for outcome in PageLoader.load(
            files, includeDrafts: includeDrafts, reference: reference, dates: dates, contentFolder: contentFolder,
            progress: progress)
        {
            switch outcome {
            case .success(let page):
                if let skip = addressConflict(
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
        return (pages, skipped)
    }

    /// Why `page` (read from `path`) cannot be published at its address: it is a translation
    /// into a language the site does not list, it is inside one of the site's own folders or a
    /// language's, or an earlier page has the address. Nil when it can, and then the address is taken.
    static func addressConflict(
        _ page: Monograph, path: String, languages: [String], firstPathForID: inout [String: String]
    ) -> SiteBuilder.Skip? {
        if let language = page.translationLanguage, !languages.contains(language) {
            return SiteBuilder.Skip(
                path: path,
                reason:
                    "\(path): warning: skipped, a translation into '\(language)', which formulary.yml does not list; add it to 'languages:' (languages: [\((languages + [language]).joined(separator: ", "))])"
            )
        }
        let id = page.id
        let top = id.split(separator: "/").first.map(String.init) ?? id
        if languages.contains(top) {
            return SiteBuilder.Skip(
                path: path,
                reason:
                    "\(path): warning: skipped, its address '\(id)/' is inside '\(top)/', where the site's pages in that language live; move it to another collection folder"
            )
        }
        return addressConflict(id: page.address, path: path, firstPathForID: &firstPathForID)
    }

    /// Why a page cannot have the address `id`: it is inside one of the site's own folders, or
    /// an earlier page has it. Nil when it can, and then `id` is taken.
    static func addressConflict(id: String, path: String, firstPathForID: inout [String: String]) -> SiteBuilder.Skip? {
        let segments = id.split(separator: "/")
        // A translation's address starts with its language: the folder that matters is the next.
        let top =
            (segments.count > 2 && segments[0].utf8.count <= 3 ? segments.dropFirst().first : segments.first)
            .map(String.init) ?? id
        if reservedFolders.contains(top) {
            return SiteBuilder.Skip(
                path: path,
                reason:
                    "\(path): warning: skipped, its address '\(id)/' is inside '\(top)/', which the site uses for its own files; move it to another collection folder"
            )
        }
        if let first = firstPathForID[id] {
            return SiteBuilder.Skip(
                path: path,
                reason: "\(path): warning: skipped, same page address '\(id)/' as \(first); rename one of them")
        }
        firstPathForID[id] = path
        return nil
    }

    /// Renders and writes every file of the site under `folder`; returns how many.
    /// Empties `pages` once they are rendered: the records are the bulk of a build's memory, and
    /// the search index after them needs only the search entries.
    private func write(
        _ pages: inout [LoadedPage], renderers: [SiteRenderer], into folder: String, timings: PhaseTimings,
        searchLayout: inout StaticSearchIndex.Layout, searchEntries: inout [StaticSearchEntry], cache: inout BuildCache
    ) throws(SiteBuilder.Failure) -> Int {
        let data = renderers.map { $0.pageData() }
        // Each page's language: its renderer and data.
        let editionOf = Dictionary(
            uniqueKeysWithValues: renderers.enumerated().map { ($0.element.edition.language, $0.offset) })
        let editionIndex = pages.map { page in page.monograph.translationLanguage.flatMap { editionOf[$0] } ?? 0 }
        var folders: Set<String> = []
        for (page, edition) in zip(pages, editionIndex) {
            let prefix = renderers[edition].edition.prefix
            for path in [SiteURLs.monographPath(page.monograph.id), SiteURLs.monographJSONPath(page.monograph.id)] {
                if let slash = path.dropLast().lastIndex(of: "/") { folders.insert(prefix + String(path[..<slash])) }
            }
        }
        do throws(OutputFiles.Failure) {
            for path in folders.sorted() { try OutputFiles.makeFolder(folder + "/" + path) }
        } catch {
            throw .output(error.description)
        }

        // A medicine with translations: its entries say every language it has a page in.
        let editions = renderers[0].editions
        if editions.isMultilingual {
            for index in pages.indices {
                pages[index].search.languages = editions.languagesByID[pages[index].monograph.id]?.joined(
                    separator: " ")
            }
        }
        // The search index is built beside the pages: its serial parts leave a core free.
        let searchJob = BackgroundJob { [entries = pages.map(\.search)] in
            var entries = entries
            let index = StaticSearchIndex.files(for: &entries)
            return (index.files, index.layout, entries, index.bodyWordPages)
        }

        // Monograph pages, on every core.
        let total = pages.count
        let rendering = pages
        let done = Counter()
        try Parallel.forEach(count: rendering.count, chunk: 32) { range throws(SiteBuilder.Failure) in
            for index in range {
                let page = rendering[index]
                let language = editionIndex[index]
                let pageFolder = folder + "/" + renderers[language].edition.prefix + page.monograph.id
                guard mkdir(pageFolder, 0o755) == 0 || errno == EEXIST else {
                    throw .output("\(pageFolder): cannot create folder: \(OutputFiles.errorText())")
                }
                try Self.write(
                    try Self.rendering { () throws(TemplateError) in
                        try renderers[language].monographFiles(page, data: data[language])
                    },
                    into: folder)
            }
            if let progress { progress(.rendering, done.add(range.count), total) }
        }
        timings.mark("monograph pages")
        let pageCount = pages.count
        for page in pages {
            cache.entries[page.path] = BuildCache.Entry(modified: page.modified, size: page.size, summary: page.summary)
        }
        let paths = pages.map(\.path)
        pages = []

        // Index pages, a letter at a time on every core.
        var others: [OutputFile] = []
        var indexLetters: [(renderer: Int, letter: String)] = []
        for (number, renderer) in renderers.enumerated() {
            others += try Self.rendering { () throws(TemplateError) in try renderer.fixedPages(data: data[number]) }
            let catalog = renderer.catalog
            var seen: Set<String> = []
            for letter in catalog.pagesByLetter.map(\.letter) + catalog.ingredientsByLetter.map(\.letter)
            where seen.insert(letter).inserted {
                indexLetters.append((number, letter))
            }
        }
        let letters = indexLetters
        try Parallel.forEach(count: letters.count, chunk: 1) { range throws(SiteBuilder.Failure) in
            let (number, letter) = letters[range.lowerBound]
            let files = try Self.rendering { () throws(TemplateError) in
                try renderers[number].letterPages([letter], data: data[number])
                    + renderers[number].ingredientPages([letter], data: data[number])
            }
            try Self.write(files, into: folder)
        }
        timings.mark("index pages")
        do {
            let (files, layout, entries, bodyWordPages) = searchJob.wait()
            searchLayout = layout
            searchEntries = entries
            try Self.write(files, into: folder)
            for (path, entry) in zip(paths, entries) {
                cache.setShards(layout.shardContributions(of: entry), for: path)
            }
            cache.bodyWordPages = bodyWordPages
        }
        timings.mark("search index")
        others += renderers[0].siteFiles()
        for (path, bytes) in assets { others.append(OutputFile(path, bytes: bytes)) }
        try Self.write(others, into: folder)
        timings.mark("site files")
        return pageCount * 2 + others.count + 2 * letters.count
    }

    static func rendering<T>(_ body: () throws(TemplateError) -> T) throws(SiteBuilder.Failure) -> T {
        do throws(TemplateError) {
            return try body()
        } catch {
            throw .template(error)
        }
    }

    /// Writes texts under `folder` on every core, creating folders as needed.
    static func write(_ files: [(path: String, text: String)], into folder: String) throws(SiteBuilder.Failure) {
        try Parallel.forEach(count: files.count, chunk: 64) { range throws(SiteBuilder.Failure) in
            for file in files[range] {
                try writeFile(folder + "/" + file.path) { path throws(OutputFiles.Failure) in
                    try OutputFiles.write(file.text, to: path)
                }
            }
        }
    }

    /// Writes `files` under `folder`, creating folders as needed.
    static func write(_ files: [OutputFile], into folder: String) throws(SiteBuilder.Failure) {
        for file in files {
            try writeFile(folder + "/" + file.path) { path throws(OutputFiles.Failure) in
                try OutputFiles.write(file.bytes, to: path)
            }
        }
    }

    /// Runs `write` for `path`; when it fails, makes the folder and tries once more, so that
    /// any other failure is reported with its own reason.
    private static func writeFile(_ path: String, _ write: (String) throws(OutputFiles.Failure) -> Void)
        throws(SiteBuilder.Failure)
    {
        do throws(OutputFiles.Failure) {
            do throws(OutputFiles.Failure) {
                try write(path)
            } catch {
                if let slash = path.lastIndex(of: "/") { try OutputFiles.makeFolder(String(path[..<slash])) }
                try write(path)
            }
        } catch {
            throw .output(error.description)
        }
    }

    static func styleVersion(_ assets: [String: [UInt8]]) -> String {
        var hasher = StableHasher()
        hasher.combine(assets["assets/style.css"] ?? [])
        return String(hasher.hexDigest.prefix(10))
    }

    /// A hidden folder beside the output, on the same file system so the swap is a rename.
    static func stagingFolder(for output: String) -> String {
        let trimmed = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        guard let slash = trimmed.lastIndex(of: "/") else { return ".\(trimmed).building-\(getpid())" }
        return trimmed[...slash] + ".\(trimmed[trimmed.index(after: slash)...]).building-\(getpid())"
    }

    /// Puts `staging` where `output` is; the old output is moved aside first and removed after.
    static func swap(_ staging: String, into output: String) throws(SiteBuilder.Failure) {
        let output = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        if OutputFiles.exists(output) || OutputFiles.isSymbolicLink(output) {
            guard OutputFiles.isFolder(output) else {
                throw .output("\(output) exists and is not a folder; choose another --out or remove it")
            }
            let old = staging + ".old"
            OutputFiles.remove(old)
            guard rename(output, old) == 0 else {
                throw .output("cannot replace \(output): \(OutputFiles.errorText())")
            }
            guard rename(staging, output) == 0 else {
                let reason = OutputFiles.errorText()
                _ = rename(old, output)
                throw .output("cannot replace \(output): \(reason)")
            }
            OutputFiles.remove(old)
        } else {
            if let slash = output.lastIndex(of: "/"), slash > output.startIndex {
                do throws(OutputFiles.Failure) {
                    try OutputFiles.makeFolder(String(output[..<slash]))
                } catch {
                    throw .output(error.description)
                }
            }
            guard rename(staging, output) == 0 else {
                throw .output("cannot create \(output): \(OutputFiles.errorText())")
            }
        }
    }
}
