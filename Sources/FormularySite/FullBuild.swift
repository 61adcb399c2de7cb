import Dispatch
import FormularyModel
import FormularyParsing
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

    func run() throws(SiteBuilder.Failure) -> SiteBuilder.Report {
        let (pages, skipped) = Self.loadUnique(files, progress: progress)
        let catalog = SiteCatalog(pages: pages.map(\.summary))
        let renderer = SiteRenderer(
            templates: templates, configuration: request.configuration, catalog: catalog,
            styleVersion: Self.styleVersion(assets))
        let staging = Self.stagingFolder(for: request.outputFolder)
        OutputFiles.remove(staging)
        do throws(OutputFiles.Failure) {
            try OutputFiles.makeFolder(staging)
        } catch {
            throw .output(error.description)
        }
        var written = 0
        do throws(SiteBuilder.Failure) {
            written = try write(pages, renderer: renderer, into: staging)
            if let cacheFile = request.cacheFile {
                var cache = BuildCache(fingerprint: fingerprint, entries: [:])
                for page in pages {
                    cache.entries[page.path] = BuildCache.Entry(modified: page.modified, size: page.size, summary: page.summary)
                }
                do throws(OutputFiles.Failure) {
                    if let slash = cacheFile.lastIndex(of: "/") { try OutputFiles.makeFolder(String(cacheFile[..<slash])) }
                    try OutputFiles.replace(cacheFile, with: Array(cache.encoded().utf8))
                } catch {
                    throw .output(error.description)
                }
            }
            try Self.swap(staging, into: request.outputFolder)
        } catch {
            OutputFiles.remove(staging)
            throw error
        }
        return SiteBuilder.Report(
            pages: pages.count, rendered: pages.count, filesWritten: written, filesRemoved: 0, skipped: skipped,
            incremental: false)
    }

    /// The pages that parsed, each id once (the first file in path order wins), and the files skipped.
    static func loadUnique(_ files: [String], progress: SiteBuilder.Progress?) -> ([LoadedPage], [SiteBuilder.Skip]) {
        var pages: [LoadedPage] = []
        var skipped: [SiteBuilder.Skip] = []
        var firstPathForID: [String: String] = [:]
        for outcome in PageLoader.load(files, progress: progress) {
            switch outcome {
            case .success(let page):
                if let first = firstPathForID[page.monograph.id] {
                    skipped.append(
                        SiteBuilder.Skip(
                            path: page.path, reason: "same page address '\(page.monograph.id)/' as \(first); rename one of them"))
                } else {
                    firstPathForID[page.monograph.id] = page.path
                    pages.append(page)
                }
            case .failure(let skip):
                skipped.append(skip)
            }
        }
        return (pages, skipped)
    }

    /// Renders and writes every file of the site under `folder`; returns how many.
    private func write(_ pages: [LoadedPage], renderer: SiteRenderer, into folder: String) throws(SiteBuilder.Failure)
        -> Int
    {
        let data = renderer.pageData()
        var folders: Set<String> = []
        for page in pages {
            for path in [SiteURLs.monographPath(page.monograph.id), SiteURLs.monographJSONPath(page.monograph.id)] {
                if let slash = path.dropLast().lastIndex(of: "/") { folders.insert(String(path[..<slash])) }
            }
        }
        do throws(OutputFiles.Failure) {
            for path in folders.sorted() { try OutputFiles.makeFolder(folder + "/" + path) }
        } catch {
            throw .output(error.description)
        }

        // Monograph pages, on every core; each worker stops at the first failure of any.
        let failure = FirstFailure()
        let total = pages.count
        let done = Counter()
        let chunk = 32
        let chunks = (pages.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            guard !failure.isSet else { return }
            let encoder = SiteRenderer.recordEncoder()
            let range = (chunkIndex * chunk)..<min(pages.count, (chunkIndex + 1) * chunk)
            for index in range {
                do {
                    let page = pages[index]
                    guard mkdir(folder + "/" + page.monograph.id, 0o755) == 0 || errno == EEXIST else {
                        throw SiteBuilder.Failure.output(
                            "\(folder)/\(page.monograph.id): cannot create folder: \(OutputFiles.errorText())")
                    }
                    for file in try renderer.monographFiles(page, data: data, encoder: encoder) {
                        try OutputFiles.write(file.bytes, to: folder + "/" + file.path)
                    }
                } catch let error as TemplateError {
                    failure.set(.template(error))
                    return
                } catch let error as OutputFiles.Failure {
                    failure.set(.output(error.description))
                    return
                } catch {
                    failure.set(error as? SiteBuilder.Failure ?? .output("\(error)"))
                    return
                }
            }
            if let progress { progress(.rendering, done.add(range.count), total) }
        }
        if let error = failure.value { throw error }

        var others: [OutputFile] = []
        do throws(TemplateError) {
            others += try renderer.fixedPages(data: data)
            others += try renderer.letterPages(nil, data: data)
            others += try renderer.ingredientPages(nil, data: data)
        } catch {
            throw .template(error)
        }
        others += renderer.siteFiles()
        for (path, bytes) in assets { others.append(OutputFile(path, bytes: bytes)) }
        do throws(OutputFiles.Failure) {
            for file in others {
                let path = folder + "/" + file.path
                if let slash = path.lastIndex(of: "/") { try OutputFiles.makeFolder(String(path[..<slash])) }
                try OutputFiles.write(file.bytes, to: path)
            }
        } catch {
            throw .output(error.description)
        }
        if let progress { progress(.writing, others.count, others.count) }
        return pages.count * 2 + others.count
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

/// The first error any worker hit.
final class FirstFailure: @unchecked Sendable {
    private var error: SiteBuilder.Failure?
    private let lock = NSLock()

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return error != nil
    }

    var value: SiteBuilder.Failure? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    func set(_ failure: SiteBuilder.Failure) {
        lock.lock()
        defer { lock.unlock() }
        if error == nil { error = failure }
    }
}
