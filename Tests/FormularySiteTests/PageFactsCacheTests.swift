import FormularyParsing
import Foundation
import Synchronization
import Testing

@testable import FormularySite

@Suite("facts kept of each page between runs")
struct PageFactsCacheTests {
    /// A page's title, counting the pages read to get it.
    struct Title: PageFacts {
        var title: String

        func write(to writer: inout CacheWriter) { writer.string(title) }

        static func read(from reader: inout CacheReader) -> Title? { reader.string().map(Title.init) }
    }

    /// The titles under `folder`, and how many files were parsed to get them.
    static func titles(_ folder: String, cache: String, fingerprint: String = "titles") throws -> (
        titles: [String?], parsed: Int
    ) {
        let parsed = Atomic<Int>(0)
        let facts = try PageFactsCache.facts(
            under: folder, cacheFile: cache, fingerprint: fingerprint, loader: ContentLoader()
        ) { outcome -> Title? in
            parsed.add(1, ordering: .relaxed)
            guard case .success(let page) = outcome, page.monograph.title != "Skipped" else { return nil }
            return Title(title: page.monograph.title)
        }
        return (facts.map { $0.facts?.title }, parsed.load(ordering: .relaxed))
    }

    @Test("a second run parses nothing; a changed, added or removed file is read again; nil facts are kept too")
    func reuse() throws {
        let site = TemporaryFolder()
        let content = site.path + "/content"
        let cache = site.path + "/.formulary/titles"
        try site.write("content/a/one.md", Fixture.page(title: "One", body: "## Usage\nFever.\n"))
        try site.write("content/a/two.md", Fixture.page(title: "Skipped", body: "## Usage\nFever.\n"))
        try site.write("content/b/three.md", Fixture.page(title: "Three", body: "## Usage\nFever.\n"))
        try site.write("content/README.md", "# Not a page\n")

        #expect(try Self.titles(content, cache: cache) == (["One", nil, "Three"], 3))
        #expect(try Self.titles(content, cache: cache) == (["One", nil, "Three"], 0))

        try site.write("content/a/one.md", Fixture.page(title: "One, changed", body: "## Usage\nFever.\n"))
        try site.write("content/a/zero.md", Fixture.page(title: "Zero", body: "## Usage\nFever.\n"))
        try FileManager.default.removeItem(atPath: content + "/b/three.md")
        #expect(try Self.titles(content, cache: cache) == (["One, changed", nil, "Zero"], 2))
        #expect(try Self.titles(content, cache: cache) == (["One, changed", nil, "Zero"], 0))
    }

    @Test("a cache of another fingerprint, a damaged one or a missing one reads every page")
    func distrust() throws {
        let site = TemporaryFolder()
        let content = site.path + "/content"
        let cache = site.path + "/.formulary/titles"
        try site.write("content/a/one.md", Fixture.page(title: "One", body: "## Usage\nFever.\n"))
        try site.write("content/a/two.md", Fixture.page(title: "Two", body: "## Usage\nFever.\n"))
        #expect(try Self.titles(content, cache: cache).parsed == 2)
        #expect(try Self.titles(content, cache: cache, fingerprint: "other rules").parsed == 2)
        #expect(try Self.titles(content, cache: cache, fingerprint: "other rules").parsed == 0)

        // Cut short, then garbage: never trusted, never a crash.
        let whole = try Data(contentsOf: URL(fileURLWithPath: cache))
        try whole.prefix(whole.count - 3).write(to: URL(fileURLWithPath: cache))
        #expect(try Self.titles(content, cache: cache, fingerprint: "other rules") == (["One", "Two"], 2))
        try Data(repeating: 0xff, count: 64).write(to: URL(fileURLWithPath: cache))
        #expect(try Self.titles(content, cache: cache, fingerprint: "other rules") == (["One", "Two"], 2))
        try FileManager.default.removeItem(atPath: cache)
        #expect(try Self.titles(content, cache: cache, fingerprint: "other rules") == (["One", "Two"], 2))
    }

    @Test("a cache that cannot be written changes nothing but speed")
    func unwritable() throws {
        let site = TemporaryFolder()
        try site.write("content/a/one.md", Fixture.page(title: "One", body: "## Usage\nFever.\n"))
        // The cache's folder is a file: every run reads the page, and answers.
        try site.write("blocked", "a file where a folder should be")
        let cache = site.path + "/blocked/titles"
        #expect(try Self.titles(site.path + "/content", cache: cache) == (["One"], 1))
        #expect(try Self.titles(site.path + "/content", cache: cache) == (["One"], 1))
    }
}
