import Foundation
import Testing

@testable import FormularySite

@Suite("incremental builds")
struct IncrementalBuildTests {
    private func modified(_ site: TemporaryFolder, _ relative: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: site.path + "/" + relative)[.modificationDate] as! Date
    }

    @Test("nothing changed: nothing rendered, nothing written")
    func upToDate() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let before = site.snapshot(under: "public")
        let report = try Fixture.build(site)
        #expect(report.incremental)
        #expect(report.rendered == 0)
        #expect(report.filesWritten == 0)
        #expect(site.snapshot(under: "public") == before)
    }

    @Test("editing one page's text re-renders that page only")
    func bodyEdit() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let otherPage = "public/composition/aspirin-clopidogrel/index.html"
        let otherBefore = try modified(site, otherPage)
        let home = site.read("public/index.html")
        try site.write(
            "content/composition/aspirin.md",
            Fixture.page(title: "Aspirin", body: "## Usage\nPain, fever and swelling.\n\n## Dosage\nOne tablet.\n"))
        let report = try Fixture.build(site)
        #expect(report.incremental)
        #expect(report.rendered == 1)
        #expect(
            site.read("public/composition/aspirin/index.html")?.contains("<p>Pain, fever and swelling.</p>") == true)
        #expect(
            site.read("public/api/v1/monographs/composition/aspirin.json")?.contains("Pain, fever and swelling.")
                == true)
        #expect(try modified(site, otherPage) == otherBefore)
        #expect(site.read("public/index.html") == home)
        // The result is what a full build makes.
        #expect(try Fixture.fullBuildGivesTheSame(site))
    }

    @Test("editing several pages at once gives what a full build gives, search shards included")
    func severalEdits() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        try site.write(
            "content/composition/aspirin.md",
            Fixture.page(title: "Aspirin", body: "## Usage\nPain and zorbulent fever.\n\n## Dosage\nOne tablet.\n"))
        try site.write(
            "content/composition/aspirin-clopidogrel.md",
            Fixture.page(title: "Aspirin + Clopidogrel", body: "## Usage\nAfter a quexian heart attack.\n"))
        let report = try Fixture.build(site)
        #expect(report.incremental)
        #expect(report.rendered == 2)
        let incremental = site.snapshot(under: "public")
        #expect(incremental.keys.contains { $0.hasPrefix("search/b/") })
        _ = try Fixture.build(site, full: true)
        #expect(site.snapshot(under: "public") == incremental)
    }

    @Test("renaming a page re-renders the pages that show it and the indexes")
    func titleEdit() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        try site.write(
            "content/composition/aspirin.md", Fixture.page(title: "Acetylsalicylic Acid", body: "## Usage\nPain.\n"))
        let report = try Fixture.build(site)
        // The page itself, the combination naming aspirin, the brand pointing to it; the 75 mg page
        // names aspirin too.
        #expect(report.rendered == 4)
        #expect(
            site.read("public/medicines/ecosprin-75/index.html")?.contains(">Acetylsalicylic Acid</a></dd>") == true)
        #expect(site.read("public/browse/a/index.html")?.contains(">Acetylsalicylic Acid</a>") == true)
        // The plain aspirin page is gone, so the combination links the 75 mg page instead.
        #expect(
            site.read("public/composition/aspirin-clopidogrel/index.html")?.contains(
                #"<li><a href="/generic/aspirin-75mg/">Aspirin</a></li>"#) == true)
        #expect(try Fixture.fullBuildGivesTheSame(site))
    }

    @Test("adding and removing pages updates indexes, sitemap and API, and removes what is gone")
    func addAndRemove() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        try FileManager.default.removeItem(atPath: site.path + "/content/medicines/ecosprin-75.md")
        try site.write("content/composition/zinc.md", Fixture.page(title: "Zinc", body: "## Usage\nDiarrhoea.\n"))
        let report = try Fixture.build(site)
        #expect(report.incremental)
        #expect(report.pages == 4)
        #expect(!site.exists("public/medicines/ecosprin-75"))
        #expect(!site.exists("public/api/v1/monographs/medicines/ecosprin-75.json"))
        #expect(!site.exists("public/browse/e"))
        #expect(site.exists("public/composition/zinc/index.html"))
        #expect(site.exists("public/browse/z/index.html"))
        let sitemap = try #require(site.read("public/sitemap.xml"))
        #expect(!sitemap.contains("ecosprin"))
        #expect(sitemap.contains("<loc>https://med.example.org/composition/zinc/</loc>"))
        #expect(site.read("public/api/v1/index.json")?.contains(#""id":"composition/zinc""#) == true)
        #expect(try Fixture.fullBuildGivesTheSame(site))
    }

    @Test("an incremental build names exactly the output files it changed; a full build names none")
    func changedFiles() throws {
        let site = try Fixture.smallSite()
        let full = try Fixture.build(site)
        #expect(full.changedFiles == nil)
        // Nothing to do: nothing changed.
        #expect(try Fixture.build(site).changedFiles == [])
        // An edit, a removal (its folders go) and an addition (a new letter) at once.
        let before = site.snapshot(under: "public")
        try site.write(
            "content/composition/aspirin.md",
            Fixture.page(title: "Aspirin", body: "## Usage\nPain, fever and swelling.\n\n## Dosage\nOne tablet.\n"))
        try FileManager.default.removeItem(atPath: site.path + "/content/medicines/ecosprin-75.md")
        try site.write("content/composition/zinc.md", Fixture.page(title: "Zinc", body: "## Usage\nDiarrhoea.\n"))
        let report = try Fixture.build(site)
        #expect(report.incremental)
        let after = site.snapshot(under: "public")
        let differ = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        let named = try #require(report.changedFiles)
        let covered = Set(
            Set(before.keys).union(after.keys).filter { file in
                named.contains { $0 == file || ($0.hasSuffix("/") && file.hasPrefix($0)) }
            })
        #expect(covered == differ)
        #expect(named.contains("medicines/ecosprin-75/"))
        #expect(named.contains("composition/zinc/index.html"))
    }

    @Test("a file added with an address a page already has is skipped and reported, as in a full build")
    func addressConflict() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let before = site.snapshot(under: "public")
        // `composition/a/aspirin.md` has the address of `composition/aspirin.md`: composition/aspirin.
        try site.write("content/composition/a/aspirin.md", Fixture.page(title: "Aspirin Two", body: "## Usage\nTwo.\n"))
        let report = try Fixture.build(site)
        #expect(report.incremental)
        #expect(report.rendered == 0)
        #expect(report.skipped.map(\.path) == [site.path + "/content/composition/a/aspirin.md"])
        #expect(
            report.skipped.first?.reason.contains(
                "same page address 'composition/aspirin/' as \(site.path)/content/composition/aspirin.md") == true)
        #expect(site.snapshot(under: "public") == before)
        // The second file renamed to an address of its own: published, as a full build would.
        try FileManager.default.removeItem(atPath: site.path + "/content/composition/a/aspirin.md")
        try site.write(
            "content/composition/a/aspirin-two.md", Fixture.page(title: "Aspirin Two", body: "## Usage\nTwo.\n"))
        let renamed = try Fixture.build(site)
        #expect(renamed.incremental)
        #expect(renamed.skipped.isEmpty)
        #expect(site.read("public/composition/aspirin-two/index.html")?.contains("<h1>Aspirin Two</h1>") == true)
        #expect(try Fixture.fullBuildGivesTheSame(site))
    }

    @Test("a template that shows site-wide counts: adding a page renders every page that shows them")
    func siteWideValues() throws {
        let site = try Fixture.smallSite()
        try site.write(
            "templates/footer.mustache",
            "<footer>{{pageCount}} medicines, {{#letters}}{{label}} {{/letters}}</footer>\n")
        _ = try Fixture.build(site)
        #expect(site.read("public/composition/aspirin/index.html")?.contains("4 medicines, A E </footer>") == true)
        // A body edit changes no count: one page rendered.
        try site.write(
            "content/composition/aspirin.md", Fixture.page(title: "Aspirin", body: "## Usage\nPain, fever.\n"))
        let edit = try Fixture.build(site)
        #expect(edit.incremental)
        #expect(edit.rendered == 1)
        // A new page changes what every page's footer says: all of them are rendered.
        try site.write("content/generic/zinc.md", Fixture.page(title: "Zinc", body: "## Usage\nZinc.\n"))
        let added = try Fixture.build(site)
        #expect(!added.incremental)
        #expect(added.rendered == 5)
        #expect(site.read("public/composition/aspirin/index.html")?.contains("5 medicines, A E Z </footer>") == true)
        #expect(try Fixture.fullBuildGivesTheSame(site))
    }

    @Test("a changed template, static file or setting means a full build")
    func fingerprint() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        try site.write("templates/footer.mustache", "<footer>{{siteTitle}} (edited)</footer>\n")
        let report = try Fixture.build(site)
        #expect(!report.incremental)
        #expect(
            site.read("public/composition/aspirin/index.html")?.contains("<footer>Test Formulary (edited)</footer>")
                == true)
    }

    @Test("the cache keeps every field of any text, and refuses damaged or foreign files")
    func cacheEscaping() throws {
        var summary = PageSummary(
            id: "c/x", slug: "x", collection: "c", title: "A\tB\\C\nD\r\nE", kind: .combination,
            ingredients: [
                .init(name: "A\tB", strength: nil),
                .init(
                    name: "C",
                    strength: .init(text: "100mg/5ml", value: 100, unit: "mg", per: .init(value: 5, unit: "ml"))),
            ],
            productTarget: nil, lastModified: "2025-01-02", description: "line\\nnot a newline", banned: true,
            aiGenerated: false)
        let cache = BuildCache(fingerprint: "abc", entries: ["c/x.md": .init(modified: 12, size: 34, summary: summary)])
        #expect(BuildCache.decode(cache.encoded()) == cache)
        summary.productTarget = ""
        summary.description = nil
        let second = BuildCache(
            fingerprint: "abc", entries: ["c/x.md": .init(modified: 12, size: 34, summary: summary)])
        #expect(BuildCache.decode(second.encoded()) == second)
        #expect(BuildCache.decode(Array("formulary-build-cache 0\tabc\n".utf8)) == nil)
        #expect(BuildCache.decode(Array("garbage".utf8)) == nil)
        let bytes = second.encoded()
        for cut in [0, 1, 10, bytes.count / 2, bytes.count - 1] {
            #expect(BuildCache.decode(Array(bytes.prefix(cut))) == nil, "cut at \(cut)")
        }
        #expect(BuildCache.decode(bytes + [0]) == nil)
    }

    @Test("edits append to the cache's journal; the cache file is left alone, and the result is a full build's")
    func journal() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let cacheFile = site.path + "/.formulary/build-cache"
        let base = try #require(FileManager.default.contents(atPath: cacheFile))
        for round in 1...3 {
            try site.write(
                "content/composition/aspirin.md",
                Fixture.page(title: "Aspirin", body: "## Usage\nPain, round \(round) of zorbulent fever.\n"))
            let report = try Fixture.build(site)
            #expect(report.incremental)
            #expect(report.rendered == 1)
        }
        #expect(FileManager.default.contents(atPath: cacheFile) == base)
        let journal = try #require(FileManager.default.contents(atPath: cacheFile + ".journal"))
        let incremental = site.snapshot(under: "public")
        // What the journal says is what a reader of the cache needs: the last edit's stamp.
        let cache = try #require(BuildCache.decode([UInt8](base), journal: [UInt8](journal)))
        let stamp = try #require(OutputFiles.stamp(site.path + "/content/composition/aspirin.md"))
        let entry = try #require(cache.entries[site.path + "/content/composition/aspirin.md"])
        #expect(entry.modified == stamp.modified && entry.size == stamp.size)
        #expect(!cache.shards(of: entry).isEmpty)
        _ = try Fixture.build(site, full: true)
        #expect(site.snapshot(under: "public") == incremental)
        // A full build starts a new cache file and drops the journal.
        #expect(!FileManager.default.fileExists(atPath: cacheFile + ".journal"))
    }

    @Test("a journal cut short, or of another cache file, loses nothing the cache had")
    func damagedJournal() throws {
        let summary = PageSummary(
            id: "c/x", slug: "x", collection: "c", title: "X", kind: .single, ingredients: [], productTarget: nil,
            lastModified: "2025-01-02", description: nil, banned: false, aiGenerated: true)
        var cache = BuildCache(fingerprint: "abc", entries: ["c/x.md": .init(modified: 1, size: 2, summary: summary)])
        cache.setShards([("n/xa", 7), ("b/fe", 9)], for: "c/x.md")
        let base = cache.encoded()
        #expect(BuildCache.decode(base) == cache)
        let changes: [BuildCache.Change] = [
            .init(path: "c/y.md", entry: .init(modified: 3, size: 4, summary: summary), shards: [("n/ya", 1)]),
            .init(path: "c/x.md", entry: nil),
        ]
        let edited = cache.applying(changes)
        #expect(edited.entries.keys.sorted() == ["c/y.md"])
        let records = cache.journalRecords(for: changes)
        let journal = cache.journalHeader() + records
        #expect(BuildCache.decode(base, journal: journal) == edited)
        // Cut inside the second record: the first still counts.
        let cut = try #require(BuildCache.decode(base, journal: Array(journal.dropLast(3))))
        #expect(cut.entries["c/y.md"] != nil)
        #expect(cut.entries["c/x.md"] != nil)
        // Another cache file's journal is ignored.
        var other = cache
        other.token &+= 1
        #expect(BuildCache.decode(base, journal: other.journalHeader() + records) == cache)
        #expect(BuildCache.decode(base, journal: Array("garbage".utf8)) == cache)
    }
}
