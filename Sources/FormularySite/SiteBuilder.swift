import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularyReview
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the static site: a page per monograph, the indexes, the sitemap, JSON API files and
/// the search index.
///
/// A full build writes into a new folder beside the output and swaps it in at the end, so a
/// build that fails leaves the previous site as it was. When the build cache matches, only
/// what depends on changed pages is rendered again, and each file is replaced in one step.
public struct SiteBuilder: Sendable {
    public struct Request: Sendable {
        public var contentFolder: String
        public var outputFolder: String
        /// The site's own templates; the defaults fill in the rest.
        public var templatesFolder: String?
        /// Copied over the output as is.
        public var staticFolder: String?
        /// Where the incremental build cache lives; nil for no incremental builds.
        public var cacheFile: String?
        public var configuration: SiteConfiguration
        /// Ignore the cache and build everything.
        public var forceFull: Bool
        /// Publish pages whose front matter says `status: draft` (or `invalid`), as AI drafts
        /// are until a person has checked them.
        public var includeDrafts = false
        /// For a process that ends right after the build (`formulary build`): the cache and
        /// catalogs of an incremental build are left to the operating system instead of freed,
        /// which for 11,000 pages takes longer than the rest of a one-page rebuild's work.
        public var leavesMemoryToExit = false
        /// India's banned-combination and price lists every page is matched against.
        public var reference: ReferenceLists = .builtIn
        /// The store's sign-offs and dates of the pages (empty without a store).
        public var reviews: ReviewLedger = .empty
        /// The site's `strings/` folder: its words for the theme, by language (`hi.yml`).
        public var stringsFolder: String?
        /// The words of each language, read by `build` from `stringsFolder` and the built-in ones.
        var strings: [String: SiteStrings] = [:]

        public init(
            contentFolder: String, outputFolder: String, templatesFolder: String? = nil, staticFolder: String? = nil,
            cacheFile: String? = nil, configuration: SiteConfiguration = SiteConfiguration(), forceFull: Bool = false
        ) {
            self.contentFolder = contentFolder
            self.outputFolder = outputFolder
            self.templatesFolder = templatesFolder
            self.staticFolder = staticFolder
            self.cacheFile = cacheFile
            self.configuration = configuration
            self.forceFull = forceFull
        }
    }

    /// A file that did not become a page, and why: a whole message, path first.
    public struct Skip: Swift.Error, Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public struct Report: Sendable {
        /// Pages in the site.
        public var pages: Int
        /// Monograph pages rendered by this build (all of them in a full build).
        public var rendered: Int
        public var filesWritten: Int
        public var filesRemoved: Int
        public var skipped: [Skip]
        public var incremental: Bool
        /// The output files (relative to the output folder) an incremental build wrote or
        /// removed; nil after a full build, which replaces the whole folder.
        public var changedFiles: [String]? = nil
    }

    public enum Phase: String, Sendable {
        case reading, rendering
    }

    /// Called from worker threads as pages are done.
    public typealias Progress = @Sendable (_ phase: Phase, _ done: Int, _ total: Int) -> Void

    public enum Failure: Swift.Error, CustomStringConvertible {
        case template(TemplateError)
        case strings(SiteStrings.Failure)
        case content(String)
        case output(String)

        public var description: String {
            switch self {
            case .template(let error): return error.description
            case .strings(let error): return error.description
            case .content(let message): return "error: \(message)"
            case .output(let message): return "error: \(message)"
            }
        }
    }

    public private(set) var request: Request

    public init(_ request: Request) {
        self.request = request
    }

    public func build(progress: Progress? = nil) throws(Failure) -> Report {
        var builder = self
        do throws(SiteStrings.Failure) {
            builder.request.strings = try SiteEditions.strings(
                for: request.configuration, stringsFolder: request.stringsFolder)
        } catch {
            throw .strings(error)
        }
        return try builder.buildWithStrings(progress: progress)
    }

    private func buildWithStrings(progress: Progress?) throws(Failure) -> Report {
        let timings = PhaseTimings()
        // India's lists are read for matching meanwhile too; the first changed page waits for them.
        request.reference.prepare()
        // The last build's cache is read on another thread while the templates and the content
        // are read here.
        let cacheJob: BackgroundJob<BuildCache?>? =
            request.forceFull
            ? nil
            : request.cacheFile.map { cacheFile in
                BackgroundJob {
                    OutputFiles.read(cacheFile).flatMap {
                        BuildCache.decode($0, journal: OutputFiles.read(BuildCache.journalFile(of: cacheFile)))
                    }
                }
            }
        // So is the catalog of its pages, which an edit that changes no listing reuses.
        let (configuration, strings) = (request.configuration, request.strings)
        let catalogJob = cacheJob.map { cacheJob in
            BackgroundJob {
                SiteEditions(
                    pages: cacheJob.wait()?.entries.values.map(\.summary) ?? [], configuration: configuration,
                    strings: strings)
            }
        }
        let templates: TemplateSet
        do throws(TemplateError) {
            templates = try TemplateSet(folder: request.templatesFolder)
            try templates.checkWords(request.strings[request.configuration.language]?.keys ?? SiteStrings.english.keys)
        } catch {
            throw .template(error)
        }
        timings.mark("templates")
        guard OutputFiles.isFolder(request.contentFolder) else {
            throw .content("content folder '\(request.contentFolder)' does not exist")
        }
        try Self.checkOutputFolder(request)
        let found: [(path: String, stamp: ContentLoader.FileStamp?)]
        do {
            // Stamped during the walk: an incremental build compares them with the cache's.
            found = try ContentLoader.markdownFilesWithStamps(in: [request.contentFolder])
        } catch {
            throw .content("\(error)")
        }
        var files: [String] = []
        var stamps: [ContentLoader.FileStamp?] = []
        var notMonographs: [Skip] = []
        for (path, stamp) in found {
            if let reason = Self.notAMonograph(path, under: request.contentFolder) {
                notMonographs.append(Skip(path: path, reason: reason))
            } else {
                files.append(path)
                stamps.append(stamp)
            }
        }
        timings.mark("file list")
        let assets = try collectAssets()
        let fingerprint = buildFingerprint(templates: templates, assets: assets)
        timings.mark("assets and fingerprint")
        // What the last build showed of the store (sign-offs, dates), page by page.
        let reviewStampsFile = request.cacheFile.map { $0 + ".reviews" }
        let dates = PageDates.of(contentFolder: request.contentFolder, ledger: request.reviews)
        let reviewStamps = ReviewStamps(request.reviews, git: dates.git)
        let previousStamps = reviewStampsFile.flatMap { ReviewStamps.read($0) }
        var incremental: Report?
        if let cacheJob, let catalogJob, OutputFiles.isFolder(request.outputFolder), let cache = cacheJob.wait(),
            cache.fingerprint == fingerprint, previousStamps != nil || reviewStamps.stamps.isEmpty
        {
            timings.mark("cache")
            var build = IncrementalBuild(
                request: request, templates: templates, assets: assets, cache: cache, files: files, stamps: stamps,
                previousEditions: catalogJob, progress: progress)
            let changed = reviewStamps.changed(since: previousStamps ?? ReviewStamps(.empty, git: [:]))
            build.reviewChanged = Set(changed.filter { !$0.hasPrefix(ReviewStamps.filePrefix) })
            build.datesChanged = Set(
                changed.filter { $0.hasPrefix(ReviewStamps.filePrefix) }.map {
                    String($0.dropFirst(ReviewStamps.filePrefix.count))
                })
            build.dates = dates
            incremental = try build.run()
        }
        var report: Report
        if let incremental {
            report = incremental
        } else {
            var build = FullBuild(
                request: request, templates: templates, assets: assets, fingerprint: fingerprint, files: files,
                progress: progress)
            build.dates = dates
            report = try build.run()
        }
        report.skipped = notMonographs + report.skipped
        if let reviewStampsFile, reviewStamps != previousStamps {
            // Without it, the next build is a full one (when there is a ledger).
            do throws(OutputFiles.Failure) {
                try OutputFiles.replace(reviewStampsFile, with: reviewStamps.encoded())
            } catch {
                OutputFiles.remove(reviewStampsFile)
            }
        }
        return report
    }

    /// A build replaces its whole output folder, so the folder must be one Formulary made (it
    /// holds `outputMarker`), an empty one or a new one, and must not hold or be inside the
    /// content, templates or static files: `--out content` or `--out ~` must not delete anything.
    static func checkOutputFolder(_ request: Request) throws(Failure) {
        let output = absolutePath(request.outputFolder)
        for (name, folder) in [
            ("content", request.contentFolder), ("templates", request.templatesFolder),
            ("static", request.staticFolder),
        ] {
            guard let folder else { continue }
            let other = absolutePath(folder)
            if output == other || other.hasPrefix(output + "/") || output.hasPrefix(other + "/") || output == "/" {
                throw .output(
                    "the output folder \(request.outputFolder) overlaps the \(name) folder \(folder); a build replaces its whole output folder, so choose a folder of its own (such as public/)"
                )
            }
        }
        guard OutputFiles.exists(request.outputFolder) else { return }
        guard OutputFiles.isFolder(request.outputFolder) else {
            throw .output("\(request.outputFolder) exists and is not a folder; choose another --out or remove it")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: request.outputFolder)) ?? []
        guard entries.isEmpty || entries.contains(outputMarker) else {
            throw .output(
                "\(request.outputFolder) is not empty and was not written by formulary build; a build replaces its whole output folder, so choose a new or empty folder, or remove this one"
            )
        }
    }

    /// The file every build writes at the top of its output, so that the next build knows the
    /// folder is its own to replace.
    static let outputMarker = ".formulary-output"

    /// `path` made absolute and without `.`, `..` or symbolic links where it exists.
    static func absolutePath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        while resolved.count > 1 && resolved.hasSuffix("/") { resolved.removeLast() }
        return resolved
    }

    /// Whether a file name starting with this byte may be README, CHANGELOG, LICENSE,
    /// SECURITY, CONTRIBUTING, INDEX or 404 (no array made per file).
    private static func mayNameDocumentation(_ first: UInt8) -> Bool {
        switch first | 0x20 {
        case UInt8(ascii: "r"), UInt8(ascii: "c"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "i"): true
        default: first == UInt8(ascii: "4")
        }
    }

    /// Files a repository keeps beside its pages: a README is documentation, `index.md` a
    /// Jekyll home page, `_layouts/` and `_includes/` Jekyll's own folders.
    static func notAMonograph(_ path: String, under root: String) -> String? {
        // Most paths hold neither a `/_` folder nor a documentation name: decided on bytes.
        let utf8 = path.utf8
        var hasUnderscoreFolder = false
        var previous: UInt8 = 0
        for byte in utf8 {
            if previous == UInt8(ascii: "/") && byte == UInt8(ascii: "_") { hasUnderscoreFolder = true }
            previous = byte
        }
        let nameStart = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        let nameLength = utf8.distance(from: nameStart, to: utf8.endIndex)
        guard
            hasUnderscoreFolder
                || (nameLength <= 18 && Self.mayNameDocumentation(utf8[nameStart]))
        else { return nil }
        let relative = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
        let components = relative.split(separator: "/")
        if let folder = components.dropLast().first(where: { $0.hasPrefix("_") && $0 != "_posts" }) {
            return "\(path): note: skipped, not a monograph (inside \(folder)/, a Jekyll folder)"
        }
        let name = (components.last.map(String.init) ?? path).lowercased()
        let documentation = [
            "readme.md", "contributing.md", "license.md", "changelog.md", "code_of_conduct.md", "security.md",
            "index.md", "404.md",
        ]
        if documentation.contains(name) { return "\(path): note: skipped, not a monograph (\(components.last ?? ""))" }
        return nil
    }

    /// The files under `contentFolder` a build reads as pages (not READMEs and the like), with
    /// their stamps.
    static func pageFiles(in contentFolder: String) throws -> [(path: String, stamp: ContentLoader.FileStamp?)] {
        try ContentLoader.markdownFilesWithStamps(in: [contentFolder]).filter {
            notAMonograph($0.path, under: contentFolder) == nil
        }
    }

    /// What was read of each of `files` (nil for a file that is no page), keeping each page
    /// address once as a build does: the first file in path order wins.
    static func firstPerAddress<Item>(_ files: [String], _ items: [Item?], id: (Item) -> String) -> [(String, Item)] {
        var firstPathForID: [String: String] = [:]
        var kept: [(String, Item)] = []
        for (path, item) in zip(files, items) {
            guard let item else { continue }
            if FullBuild.addressConflict(id: id(item), path: path, firstPathForID: &firstPathForID) == nil {
                kept.append((path, item))
            }
        }
        return kept
    }

    /// Why a page is not published: its front matter says it is a draft (`status: draft`, as
    /// `formulary generate` writes) or failed validation (`status: invalid`).
    static func draftSkip(_ page: ParsedPage, path: String) -> Skip? {
        guard let status = page.frontMatter["status"]?.string?.trimmingWhitespace().lowercased(),
            status == "draft" || status == "invalid"
        else { return nil }
        return Skip(
            path: path,
            reason:
                "\(path): note: skipped, a draft (status: \(status)); --drafts includes drafts, and a page is published once a person has checked it and changed its status"
        )
    }

    /// The files copied into every build: the theme's assets, then the site's `static/` over them.
    private func collectAssets() throws(Failure) -> [String: [UInt8]] {
        var assets: [String: [UInt8]] = [:]
        for (name, text) in DefaultTheme.assets { assets["assets/" + name] = Array(text.utf8) }
        if let folder = request.staticFolder, OutputFiles.isFolder(folder) {
            guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return assets }
            while let relative = enumerator.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                let path = folder + "/" + relative
                guard !OutputFiles.isFolder(path) else { continue }
                guard let bytes = OutputFiles.read(path) else { throw .output("\(path): cannot read this static file") }
                assets[relative] = bytes
            }
        }
        return assets
    }

    private func buildFingerprint(templates: TemplateSet, assets: [String: [UInt8]]) -> String {
        var hasher = StableHasher()
        hasher.combine(FormularyVersion.current)
        hasher.combine(request.includeDrafts ? "drafts" : "")
        // Pages link to the suggest form only when the site takes contributions.
        hasher.combine(request.configuration.contributions.enabled ? "contributions" : "")
        hasher.combine(templates.fingerprint)
        // Another list can flag or clear any page: every page is rendered again.
        hasher.combine(request.reference.fingerprint)
        // The theme's words in every language, and which languages the site has.
        for language in [request.configuration.language] + request.configuration.languages {
            hasher.combine(language)
            hasher.combine(request.strings[language]?.fingerprint ?? "")
        }
        for (path, bytes) in assets.sorted(by: { $0.key < $1.key }) {
            hasher.combine(path)
            hasher.combine(bytes)
        }
        let configuration = request.configuration
        for value in [
            configuration.title, configuration.description, configuration.baseURL, configuration.language,
            request.contentFolder,
        ] {
            hasher.combine(value)
        }
        return hasher.hexDigest
    }
}

/// The version written into build caches and generated files.
/// What a build showed of the store, page by page (`ReviewLedger.stamp(of:)`), and of git
/// (each file's last commit date, under `file:` and its path), kept beside the build cache:
/// the pages whose stamp changed are rendered again.
struct ReviewStamps: Equatable {
    var stamps: [String: String]

    static let filePrefix = "file:"

    init(_ ledger: ReviewLedger, git: [String: String]) {
        var stamps: [String: String] = [:]
        for id in ledger.ids { stamps[id] = ledger.stamp(of: id) }
        for (path, date) in git { stamps[Self.filePrefix + path] = date }
        self.stamps = stamps
    }

    private init(stamps: [String: String]) { self.stamps = stamps }

    /// The pages whose stamp is not what it was.
    func changed(since previous: ReviewStamps) -> Set<String> {
        Set(stamps.keys).union(previous.stamps.keys).filter { stamps[$0] != previous.stamps[$0] }
    }

    func encoded() -> [UInt8] { Array((try? JSONEncoder().encode(stamps)) ?? Data("{}".utf8)) }

    static func read(_ path: String) -> ReviewStamps? {
        guard let bytes = OutputFiles.read(path),
            let stamps = try? JSONDecoder().decode([String: String].self, from: Data(bytes))
        else { return nil }
        return ReviewStamps(stamps: stamps)
    }
}

public enum FormularyVersion {
    public static let current = "0.3.0"
}

/// What a build that ends its process leaves allocated (`Request.leavesMemoryToExit`).
enum ProcessMemory {
    private final class Kept {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    /// Keeps `value` to the end of the process: a reference never released, so freeing it is
    /// left to the exit (nothing shared, no lock).
    static func keep(_ value: Any) { _ = Unmanaged.passRetained(Kept(value)) }
}
