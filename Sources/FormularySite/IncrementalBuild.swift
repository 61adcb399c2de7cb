import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularySearch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Re-renders only what changed since the cached build: changed pages, the pages that link to
/// them, and the indexes that list them. Every file is rendered before any is written, so a
/// template error leaves the site as it was; each file is then replaced in one step.
struct IncrementalBuild {
    let request: SiteBuilder.Request
    let templates: TemplateSet
    let assets: [String: [UInt8]]
    let cache: BuildCache
    let files: [String]
    /// Each file's modification time and size, read while listing the content.
    let stamps: [ContentLoader.FileStamp?]
    /// The site's languages, of the cached summaries.
    let previousEditions: BackgroundJob<SiteEditions>
    let progress: SiteBuilder.Progress?
    /// Pages whose sign-offs or store dates changed since the cached build: rendered again,
    /// with the home page, whose counts they are in.
    var reviewChanged: Set<String> = []
    /// Files (relative to the content folder) whose last commit changed: rendered again with their new date.
    var datesChanged: Set<String> = []
    /// When each page last changed.
    var dates = PageDates.none

    /// The build, or nil when every monograph page must be rendered again (the site-wide values
    /// its template shows, such as `pageCount`, changed): the caller then builds in full.
    func run() throws(SiteBuilder.Failure) -> SiteBuilder.Report? {
        let timings = PhaseTimings()
        // Which files changed, by modification time and size.
        var changedPaths: [String] = []
        // The summaries the catalog is built from: unchanged pages' from the cache (in file
        // order), changed pages' added below.
        var unchanged: [(path: String, summary: PageSummary)] = []
        unchanged.reserveCapacity(files.count)
        var known = 0  // files the cache has an entry for
        for (path, stamp) in zip(files, stamps) {
            guard let entry = cache.entries[path] else {
                changedPaths.append(path)
                continue
            }
            known += 1
            if let stamp, stamp.modified == entry.modified, stamp.size == entry.size {
                unchanged.append((path, entry.summary))
            } else {
                changedPaths.append(path)
            }
        }
        if !reviewChanged.isEmpty || !datesChanged.isEmpty {
            let folder = request.contentFolder
            let again = { (path: String, summary: PageSummary) in
                reviewChanged.contains(summary.address) || datesChanged.contains(PageDates.relative(path, to: folder))
            }
            changedPaths += unchanged.filter(again).map(\.path)
            unchanged.removeAll(where: again)
        }
        // Removed files: cache entries no file matched (none, when every entry was matched).
        let removedPaths: [String]
        if known == cache.entries.count {
            removedPaths = []
        } else {
            let present = Set(files)
            removedPaths = cache.entries.keys.filter { !present.contains($0) }
        }
        if changedPaths.isEmpty && removedPaths.isEmpty {
            return SiteBuilder.Report(
                pages: unchanged.count, rendered: 0, filesWritten: 0, filesRemoved: 0, skipped: [], incremental: true,
                changedFiles: [])
        }
        // A site in several languages: a translation changed, added or removed changes what
        // its page links to in every language, and is built in full; an edited page in the
        // main language is rendered with its translations (whether they are outdated changes).
        let languages = request.configuration.languages
        var translationPaths: [String] = []
        if !languages.isEmpty {
            if (changedPaths + removedPaths).contains(where: { Self.translationLanguage(ofPath: $0) != nil }) {
                return nil
            }
            let present = Set(files)
            for path in changedPaths {
                let stem = path.dropLast(3)
                for language in languages where present.contains(stem + "." + language + ".md") {
                    translationPaths.append(stem + "." + language + ".md")
                }
            }
        }

        timings.mark("stat")
        var (changed, skipped) = FullBuild.loadUnique(
            changedPaths, includeDrafts: request.includeDrafts, reference: request.reference, dates: dates,
            contentFolder: request.contentFolder, languages: languages, progress: nil)
        timings.mark("parse changed")
        let searchLayout = StaticSearchIndex.layout(at: request.outputFolder + "/search/layout.json")
        // Text words chosen as the full build chose them, with its site-wide counts.
        let common = Set(searchLayout.commonBodyWords.map { StaticSearchIndex.wordHash($0.utf8) })
        for index in changed.indices {
            if let table = cache.bodyWordPages {
                changed[index].search.chooseBodyWords(pagesWith: table, common: common)
            } else {
                changed[index].search.chooseBodyWords(pagesWith: nil, pageCount: 0, common: common)
            }
        }
        // A changed page may not take an address an unchanged page already has. The cache's
        // pages have one address each, so only a page with a new address can meet another.
        var unchangedIDs: [String: String] = [:]
        let newIDs = Set(changed.map(\.monograph.address)).subtracting(
            changedPaths.compactMap { cache.entries[$0]?.summary.address })
        if !newIDs.isEmpty {
            for (path, summary) in unchanged
            where newIDs.contains(summary.address) && unchangedIDs[summary.address] == nil {
                unchangedIDs[summary.address] = path
            }
        }
        changed.removeAll { page in
            guard let other = unchangedIDs[page.monograph.address] else { return false }
            skipped.append(
                SiteBuilder.Skip(
                    path: page.path,
                    reason:
                        "\(page.path): warning: skipped, same page address '\(page.monograph.address)/' as \(other); rename one of them"
                ))
            return true
        }
        let oldSummaries =
            changedPaths.compactMap { cache.entries[$0]?.summary }
            + removedPaths.compactMap { cache.entries[$0]?.summary }
        let newSummaries = changed.map(\.summary)
        let listingsChanged = Set(oldSummaries.map(Listing.init)) != Set(newSummaries.map(Listing.init))
        // The site as the last build saw it (built on another thread while the content was
        // listed), to tell which letters appeared or went; when no listing changed, it is the
        // new catalog once the changed pages' summaries are put in.
        let oldEditions = previousEditions.wait()
        // Which pages link to which language is known only to a full build.
        if listingsChanged && oldEditions.isMultilingual { return nil }
        let oldCatalog = oldEditions.main.catalog
        let catalog =
            (listingsChanged ? nil : oldCatalog.replacing(newSummaries))
            ?? SiteCatalog(pages: unchanged.map(\.summary) + newSummaries)
        let editions = oldEditions.replacingMain(catalog)
        if editions.isMultilingual {
            for index in changed.indices {
                changed[index].search.languages = editions.languagesByID[changed[index].monograph.id]?.joined(
                    separator: " ")
            }
        }

        // Pages that show something of a changed page: combinations naming the same ingredient,
        // brands pointing to it.
        var affectedKeys: Set<String> = []
        var affectedSlugs: Set<String> = []
        for summary in oldSummaries + newSummaries {
            for ingredient in summary.ingredients { affectedKeys.insert(SiteCatalog.ingredientKey(ingredient.name)) }
            affectedSlugs.insert(summary.slug)
        }
        var toRender = changed
        if listingsChanged {
            let changedSet = Set(changed.map(\.path))
            let dependents = unchanged.filter { path, summary in
                guard !changedSet.contains(path) else { return false }
                if let target = summary.productTarget, affectedSlugs.contains(target) { return true }
                return summary.ingredients.contains { affectedKeys.contains(SiteCatalog.ingredientKey($0.name)) }
            }.map(\.path).sorted()
            let (dependentPages, _) = FullBuild.loadUnique(
                dependents, includeDrafts: request.includeDrafts, reference: request.reference, dates: dates,
                contentFolder: request.contentFolder, languages: languages, progress: nil)
            toRender += dependentPages
        }
        if !translationPaths.isEmpty {
            var (translations, _) = FullBuild.loadUnique(
                translationPaths, includeDrafts: request.includeDrafts, reference: request.reference, dates: dates,
                contentFolder: request.contentFolder, languages: languages, progress: nil)
            var marked = changed + translations
            Translations.mark(&marked, record: \.monograph)
            translations = Array(marked.dropFirst(changed.count))
            toRender += translations
        }

        timings.mark("catalog and dependents")
        var paths: [String: String] = [:]
        if !request.reviews.signOffs.isEmpty {
            for (path, summary) in unchanged { paths[summary.address] = path }
            for page in changed { paths[page.monograph.address] = page.path }
        }
        let renderers = try FullBuild.rendering { () throws(TemplateError) in
            try SiteRenderer.all(
                templates: templates, configuration: request.configuration, editions: editions,
                styleVersion: FullBuild.styleVersion(assets),
                reviews: SiteReviews(ledger: request.reviews, paths: paths))
        }
        let renderer = renderers[0]
        let data = renderer.pageData()
        // Pages not rendered again show the site as it was: if what a template shows of it
        // (`pageCount`, `letters`, `browseURL`) changed, every page of that template is rendered.
        var siteChanged: (String) -> Bool = { _ in false }
        if listingsChanged {
            let before = SiteRenderer(
                templates: templates, configuration: request.configuration, editions: oldEditions,
                styleVersion: FullBuild.styleVersion(assets)
            ).pageData()
            siteChanged = { template in
                let shown = templates.variables(of: template)
                return before.siteValues(named: shown) != data.siteValues(named: shown)
            }
            if siteChanged("monograph") { return nil }
        }
        var outputs: [OutputFile] = []
        do throws(TemplateError) {
            for page in toRender {
                if let language = page.monograph.translationLanguage {
                    guard let other = renderers.first(where: { $0.edition.language == language && !$0.edition.isMain })
                    else { continue }
                    outputs += try other.monographFiles(page, data: other.pageData())
                } else {
                    outputs += try renderer.monographFiles(page, data: data)
                }
            }
            // The home page counts reviewed pages.
            if !listingsChanged && !reviewChanged.isEmpty { outputs += try renderer.fixedPages(data: data) }
            if listingsChanged {
                // The letters whose lists changed; all of them when a letter appears or goes,
                // since every letter page links every other.
                var letters: Set<String> = []
                for summary in oldSummaries + newSummaries { letters.insert(SiteCatalog.letter(of: summary.title)) }
                let sameLetters = oldCatalog.pagesByLetter.map(\.letter) == catalog.pagesByLetter.map(\.letter)
                outputs += try renderer.fixedPages(data: data)
                outputs += try renderer.letterPages(sameLetters && !siteChanged("letter") ? letters : nil, data: data)
                var ingredientLetters: Set<String> = []
                for summary in oldSummaries + newSummaries {
                    for ingredient in summary.ingredients {
                        ingredientLetters.insert(SiteCatalog.letter(of: ingredient.name))
                    }
                }
                let sameIngredientLetters =
                    oldCatalog.ingredientsByLetter.map(\.letter) == catalog.ingredientsByLetter.map(\.letter)
                outputs += try renderer.ingredientPages(
                    sameIngredientLetters && !siteChanged("ingredient-letter") ? ingredientLetters : nil, data: data)
            }
        } catch {
            throw .template(error)
        }
        timings.mark("render")
        // The API index lists each page's date too.
        let listedDatesChanged =
            Dictionary(oldSummaries.map { ($0.address, $0.lastModified) }, uniquingKeysWith: { first, _ in first })
            != Dictionary(newSummaries.map { ($0.address, $0.lastModified) }, uniquingKeysWith: { first, _ in first })
        outputs += renderer.siteFiles(includingIndex: listingsChanged || listedDatesChanged)
        timings.mark("site files")
        let (searchFiles, searchRemovals) = searchIndexChanges(
            changed: changed, changedPaths: changedPaths, removedPaths: removedPaths, layout: searchLayout)
        outputs += searchFiles
        var removals: [String] = searchRemovals
        if listingsChanged {
            // The sound shards come from titles and ingredients, which the summaries hold: made
            // again from all of them, as a full build makes them.
            var words: Set<String> = []
            for summary in unchanged.map(\.summary) + newSummaries {
                words.formUnion(
                    StaticSearchIndex.soundWords(
                        title: summary.title, ingredients: summary.ingredients.map(\.name),
                        productTarget: summary.productTarget))
            }
            let shards = StaticSearchIndex.soundShards(words)
            for (path, keys) in shards { outputs.append(OutputFile(path, StaticSearchIndex.encodeSoundShard(keys))) }
            let folder = request.outputFolder + "/search/k"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where shards["search/k/" + name] == nil {
                removals.append("search/k/" + name)
            }
        }

        timings.mark("search")
        // What no longer exists: removed pages, ingredients no page names any more.
        var goneIDs = Set(oldSummaries.map(\.address)).subtracting(newSummaries.map(\.address))
        if !goneIDs.isEmpty {
            for (_, summary) in unchanged where goneIDs.contains(summary.address) { goneIDs.remove(summary.address) }
        }
        for summary in oldSummaries where goneIDs.contains(summary.address) {
            removals.append(SiteURLs.monographPath(summary.id))
            removals.append(SiteURLs.monographJSONPath(summary.id))
        }
        if listingsChanged {
            let oldIngredientLetters = Set(oldCatalog.ingredientsByLetter.map(\.letter))
            let newIngredientLetters = Set(catalog.ingredientsByLetter.map(\.letter))
            for letter in oldIngredientLetters.subtracting(newIngredientLetters) {
                removals.append(SiteURLs.ingredientLetterPath(letter))
            }
            let oldLetters = Set(oldCatalog.pagesByLetter.map(\.letter))
            let newLetters = Set(catalog.pagesByLetter.map(\.letter))
            for letter in oldLetters.subtracting(newLetters) { removals.append(SiteURLs.letterPath(letter)) }
        }

        let output = request.outputFolder
        var written: [String] = []
        do throws(OutputFiles.Failure) {
            for file in outputs {
                let path = output + "/" + file.path
                if let existing = OutputFiles.read(path), existing == file.bytes { continue }
                if let slash = path.lastIndex(of: "/") { try OutputFiles.makeFolder(String(path[..<slash])) }
                try OutputFiles.replace(path, with: file.bytes)
                written.append(file.path)
            }
            for removal in removals { OutputFiles.remove(output + "/" + removal) }
            if let cacheFile = request.cacheFile {
                // Removed files, then changed ones: those that are no longer pages as removals.
                var pages: [String: LoadedPage] = [:]
                for page in changed { pages[page.path] = page }
                let changes =
                    removedPaths.map { BuildCache.Change(path: $0, entry: nil) }
                    + changedPaths.map { path in
                        guard let page = pages[path] else { return BuildCache.Change(path: path, entry: nil) }
                        return BuildCache.Change(
                            path: path,
                            entry: BuildCache.Entry(modified: page.modified, size: page.size, summary: page.summary),
                            shards: searchLayout.shardContributions(of: page.search))
                    }
                try cache.save(changes, to: cacheFile)
            }
        } catch {
            throw .output(error.description)
        }
        timings.mark("write and cache")
        if request.leavesMemoryToExit { ProcessMemory.keep((cache, unchanged, catalog, oldEditions)) }
        return SiteBuilder.Report(
            pages: unchanged.count + changed.count, rendered: toRender.count,
            filesWritten: written.count, filesRemoved: removals.count, skipped: skipped, incremental: true,
            changedFiles: written + removals)
    }

    /// The search shards whose part of a changed page differs (the page's words there, or
    /// what the shard shows of it), with the page taken out and put back in, keeping the
    /// layout of the last full build; shards left empty are removed, and the manifest lists
    /// what remains. A change that leaves a page's search words alone rewrites no shard.
    private func searchIndexChanges(
        changed: [LoadedPage], changedPaths: [String], removedPaths: [String], layout: StaticSearchIndex.Layout
    ) -> (files: [OutputFile], removals: [String]) {
        // Per shard: the pages to take out (their old part differs or is gone) and to put in.
        var takeOut: [String: Set<String>] = [:]
        var putIn: [String: [Int]] = [:]
        var newParts: [String: [String: UInt64]] = [:]  // source path → shard → hash
        for page in changed {
            var parts: [String: UInt64] = [:]
            for (path, hash) in layout.shardContributions(of: page.search) { parts[path] = hash }
            newParts[page.path] = parts
        }
        let changedByPath = Dictionary(uniqueKeysWithValues: changed.enumerated().map { ($1.path, $0) })
        for path in changedPaths + removedPaths {
            guard let entry = cache.entries[path] else { continue }
            let parts = newParts[path] ?? [:]
            // A search entry is known by the page's address.
            let sameID = changedByPath[path].map { changed[$0].search.id == entry.summary.address } ?? false
            for (shard, hash) in cache.shards(of: entry) where !sameID || parts[shard].map(BuildCache.shortHash) != hash
            {
                takeOut[shard, default: []].insert(entry.summary.address)
            }
        }
        for (index, page) in changed.enumerated() {
            let old =
                cache.entries[page.path].map { entry in
                    entry.summary.address == page.search.id
                        ? Dictionary(
                            cache.shards(of: entry).map { ($0.path, $0.hash) }, uniquingKeysWith: { a, _ in a })
                        : [:]
                } ?? [:]
            for (shard, hash) in newParts[page.path] ?? [:] where old[shard] != BuildCache.shortHash(hash) {
                // Whatever the page put there before goes first.
                takeOut[shard, default: []].insert(page.search.id)
                putIn[shard, default: []].append(index)
            }
        }
        var files: [OutputFile] = []
        var removals: [String] = []
        for shardPath in Set(takeOut.keys).union(putIn.keys).sorted() {
            let isBody = shardPath.hasPrefix("b/")
            let key = String(shardPath.dropFirst(2))
            let outputPath = isBody ? StaticSearchIndex.bodyPath(key) : StaticSearchIndex.namePath(key)
            let existing = FileManager.default.contents(atPath: request.outputFolder + "/" + outputPath)
            var shard =
                existing.flatMap { StaticSearchIndex.Shard.decode($0, isBody: isBody) }
                ?? StaticSearchIndex.Shard(isBody: isBody)
            shard.remove(takeOut[shardPath] ?? [])
            for index in putIn[shardPath] ?? [] { shard.add(changed[index].search, key: key, layout: layout) }
            shard.trim()
            if shard.isEmpty {
                removals.append(outputPath)
            } else {
                files.append(OutputFile(outputPath, shard.encoded()))
            }
        }
        let pageCount =
            cache.entries.count - removedPaths.count + changed.filter { cache.entries[$0.path] == nil }.count
        files.append(OutputFile("search/index.json", StaticSearchIndex.manifest(layout: layout, pages: pageCount)))
        return (files, removals)
    }

    /// The language a file's name gives it (`paracetamol.hi.md`), or nil.
    static func translationLanguage(ofPath path: String) -> String? {
        guard path.hasSuffix(".md") else { return nil }
        let name = path.split(separator: "/").last.map { String($0.dropLast(3)) } ?? ""
        return DocumentLocation.languageSuffix(of: name)
    }

    /// What index pages show of a page; when none of it changed, no index needs rendering.
    private struct Listing: Hashable {
        var id: String
        var slug: String
        var title: String
        var kind: MonographKind
        var ingredients: [String]
        var productTarget: String?

        init(_ summary: PageSummary) {
            id = summary.id
            slug = summary.slug
            title = summary.title
            kind = summary.kind
            ingredients = summary.ingredients.map { $0.name + "|" + ($0.strength?.text ?? "") }
            productTarget = summary.productTarget
        }
    }
}
