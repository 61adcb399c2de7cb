import ArgumentParser
import FormularyGenerate
import FormularyModel
import FormularyReference
import FormularySite
import FormularyStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `formulary build [SITE]`: the static website.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the static website: pages, indexes, sitemap, JSON API and search index.",
        discussion: """
            Builds the site folder SITE (default: the current folder), which holds formulary.yml, \
            content/, templates/ and static/; `formulary init DIR` creates one. The site is written \
            to public/ (or --out): a page per monograph, A–Z and ingredient indexes, sitemap.xml, \
            robots.txt, api/v1/ JSON files, the search page and its index, and a 404 page.

            `formulary build --content DIR --out OUT` builds any folder of monographs (an RxHive \
            repository's composition/ and generic/, or its src/content/) with the default templates; \
            files that are not monographs are skipped with a note.

            The build is atomic: it writes into a new folder and swaps it in at the end, so a build \
            that fails leaves the previous site untouched. The next build re-renders only what \
            changed (a page, the pages linking to it, the indexes listing it); --full renders all.
            """
    )

    @OptionGroup var selection: SiteArguments

    @Flag(help: "Render every page, ignoring the build cache.")
    var full = false

    @Flag(help: "Exit with status 1 when any file was skipped.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    func run() throws {
        let started = Date()
        var request: SiteBuilder.Request
        do {
            request = try selection.request(forceFull: full)
        } catch let error as SiteFolder.Failure {
            fail("\(error)")
        } catch let error as SiteConfiguration.BaseURLError {
            fail(error.message)
        }
        // The process ends after the build: what it allocated is left to the operating system.
        request.leavesMemoryToExit = true
        // A site with a store: its pages show who checked which section, and when they changed.
        if let location = selection.storeLocation {
            do {
                request.reviews = try waitFor { try await openContributionStore(location).reviewLedger() }
            } catch {
                fail("cannot read the store's sign-offs (\(location)): \(error)")
            }
        }
        let progress = quiet ? nil : ProgressLine.make()
        let report: SiteBuilder.Report
        do {
            report = try SiteBuilder(request).build(progress: progress?.callback)
        } catch {
            progress?.finish()
            fail("\(error)")
        }
        progress?.finish()
        let seconds = Date().timeIntervalSince(started)
        if !quiet {
            var lines: [String] = []
            let shown = report.skipped.prefix(20)
            for skip in shown { lines.append(skip.reason) }
            if report.skipped.count > shown.count {
                lines.append("note: ... and \(report.skipped.count - shown.count) more skipped")
            }
            let timing = String(format: "%.2f s", seconds)
            let skippedText =
                report.skipped.isEmpty
                ? "" : "; \(report.skipped.count) file\(report.skipped.count == 1 ? "" : "s") skipped"
            if report.incremental {
                if report.rendered == 0 && report.filesWritten == 0 && report.filesRemoved == 0 {
                    lines.append(
                        "Site is up to date (\(report.pages) pages) in \(request.outputFolder) (\(timing))\(skippedText)"
                    )
                } else {
                    lines.append(
                        "Rebuilt \(report.rendered) of \(report.pages) pages into \(request.outputFolder): \(report.filesWritten) files written, \(report.filesRemoved) removed (\(timing))\(skippedText)"
                    )
                }
            } else {
                lines.append(
                    "Built \(report.pages) pages into \(request.outputFolder): \(report.filesWritten) files (\(timing))\(skippedText)"
                )
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        if strict, !report.skipped.isEmpty { throw ExitCode(1) }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("formulary build: \(message)\n".utf8))
        Build.exit(withError: ExitCode(2))
    }
}

/// Which site to build or serve: a site folder, or a folder of monographs with the default templates.
struct SiteArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp("The site folder (default: the current folder).", valueName: "site"),
        completion: .directory)
    var siteArgument: String?

    /// As the other commands take it: `formulary serve --site DIR` works as `formulary serve DIR`.
    @Option(
        name: .customLong("site"), help: "The site folder, as the argument gives it (as other commands take it).",
        completion: .directory)
    var siteOption: String?

    /// The site folder given, by argument or option.
    var site: String? { siteArgument ?? siteOption }

    @Option(
        help: "Use this folder of monographs with the default templates instead of a site folder.",
        completion: .directory)
    var content: String?

    @Option(
        help: "Where to write the site (default: the site's public/, or ./public with --content).",
        completion: .directory)
    var out: String?

    @Option(help: "The address the site will be published at, for canonical links and the sitemap.")
    var baseURL: String?

    @Flag(help: "Publish draft pages too (front matter `status: draft` or `invalid`, as `generate` writes them).")
    var drafts = false

    func validate() throws {
        if let siteArgument, let siteOption, siteArgument != siteOption {
            throw ValidationError("two site folders: '\(siteArgument)' and --site '\(siteOption)'; give one")
        }
        if content != nil, site != nil {
            throw ValidationError("give either a site folder or --content, not both")
        }
    }

    func request(forceFull: Bool = false) throws -> SiteBuilder.Request {
        var request: SiteBuilder.Request
        if let content {
            let output = out ?? "public"
            request = SiteBuilder.Request(
                contentFolder: content, outputFolder: output, cacheFile: Self.cacheFile(beside: output),
                forceFull: forceFull)
        } else {
            let folder = try SiteFolder.open(site ?? ".")
            request = SiteBuilder.Request(
                contentFolder: folder.contentPath, outputFolder: out ?? folder.outputPath,
                templatesFolder: folder.templatesPath, staticFolder: folder.staticPath, cacheFile: folder.cachePath,
                configuration: folder.configuration, forceFull: forceFull)
            request.stringsFolder = folder.stringsPath
            if out != nil { request.cacheFile = nil }
            do throws(ReferenceListError) {
                request.reference = try folder.referenceLists()
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let baseURL { request.configuration.baseURL = try SiteConfiguration.normalizedBaseURL(baseURL) }
        request.includeDrafts = drafts
        return request
    }

    /// The site's store, when it has one: `$FORMULARY_DATABASE`, else `SITE/.formulary/formulary.sqlite`
    /// if that file exists (a build never creates one).
    var storeLocation: String? {
        guard content == nil else { return nil }
        let location = SiteFolder.storeLocation(given: nil, siteRoot: site ?? ".")
        return location.hasPrefix("postgres") || FileManager.default.fileExists(atPath: location) ? location : nil
    }

    /// The build cache for an output folder outside a site folder: `.NAME.formulary-cache` beside it.
    static func cacheFile(beside output: String) -> String {
        let trimmed = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        if let slash = trimmed.lastIndex(of: "/") {
            return trimmed[...slash] + ".\(trimmed[trimmed.index(after: slash)...]).formulary-cache"
        }
        return ".\(trimmed).formulary-cache"
    }
}

/// `formulary init DIR`: a new site with example pages and the default templates.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new site folder with example pages and the default templates.",
        discussion: """
            Writes formulary.yml, content/ (four example pages, marked `example: true`: a \
            generic, a generic at a strength, a combination and a brand), templates/ (the \
            default Mustache templates, yours to edit) and static/assets/ (the stylesheet). \
            Then `formulary build DIR` builds it.
            """
    )

    @Argument(help: "The folder to create (must not exist or be empty).", completion: .directory)
    var folder: String

    @Option(help: "The site's title.")
    var title = "My Formulary"

    func run() throws {
        do {
            let files = try SiteFolder.create(at: folder, title: title)
            // The prompt `formulary generate` drafts pages with, the owner's to edit like the page templates.
            let prompt = folder + "/templates/generate-prompt.mustache"
            try Data(DraftPrompt.defaultTemplate.utf8).write(to: URL(fileURLWithPath: prompt))
            print(
                """
                Created \(folder) with \(files.count + 1) files: formulary.yml, content/ (example pages), templates/, static/.
                Next: formulary serve \(folder)  (builds it and serves it at http://127.0.0.1:8080/, reloading as you edit)
                Or build it once: formulary build \(folder)  (writes \(folder)/public/)
                """)
        } catch {
            FileHandle.standardError.write(Data("formulary init: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// One line on a terminal, redrawn: phase, pages done, rate and time left. Nothing when
/// standard error is not a terminal (logs get the summary line only).
final class ProgressLine: Sendable {
    private struct State {
        var started = Date()
        var phase: SiteBuilder.Phase?
        var lastDraw = Date.distantPast
        var drawn = false
    }

    private let state = Locked(State())

    static func make() -> ProgressLine? { isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil }

    var callback: SiteBuilder.Progress {
        { [self] phase, done, total in self.update(phase, done, total) }
    }

    private func update(_ current: SiteBuilder.Phase, _ done: Int, _ total: Int) {
        state.withLock { state in
            let now = Date()
            // Rates and time left are per phase: reading and rendering go at different speeds.
            if state.phase != current {
                state.phase = current
                state.started = now
            }
            guard now.timeIntervalSince(state.lastDraw) > 0.1 || done == total else { return }
            state.lastDraw = now
            let elapsed = max(now.timeIntervalSince(state.started), 0.001)
            let rate = Double(done) / elapsed
            let left = rate > 0 ? Double(total - done) / rate : 0
            let text = String(format: "%@ %d/%d pages, %.0f/s, %.1f s left", current.rawValue, done, total, rate, left)
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
            state.drawn = true
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        }
    }
}
