import Foundation
import Testing

@testable import FormularySite

@Suite("formulary build")
struct SiteBuildTests {
    @Test("a small site: every page, index, API file and asset, and nothing else")
    func fileList() throws {
        let site = try Fixture.smallSite()
        let report = try Fixture.build(site)
        #expect(report.pages == 4)
        #expect(report.skipped.isEmpty)
        #expect(!report.incremental)
        let files = site.files(under: "public")
        #expect(
            files.filter { !$0.hasPrefix("search/n/") && !$0.hasPrefix("search/b/") && !$0.hasPrefix("search/k/") } == [
                ".formulary-output", "404.html", "api/v1/index.json",
                "api/v1/monographs/composition/aspirin-clopidogrel.json",
                "api/v1/monographs/composition/aspirin.json", "api/v1/monographs/generic/aspirin-75mg.json",
                "api/v1/monographs/medicines/ecosprin-75.json", "assets/icon.svg", "assets/search.js",
                "assets/style.css", "browse/a/index.html", "browse/e/index.html",
                "composition/aspirin-clopidogrel/index.html", "composition/aspirin/index.html",
                "generic/aspirin-75mg/index.html", "index.html", "ingredients/a/index.html",
                "ingredients/c/index.html", "ingredients/index.html", "medicines/ecosprin-75/index.html",
                "robots.txt", "search/index.html", "search/index.json", "search/layout.json", "sitemap.xml",
            ])
        // Name shards by the first two letters of every name, other name (aspirin is also
        // acetylsalicylic acid) and brand word.
        #expect(
            files.filter { $0.hasPrefix("search/n/") } == [
                "search/n/ac.json", "search/n/as.json", "search/n/cl.json", "search/n/ec.json",
            ])
        #expect(files.contains("search/b/pa.json"))  // "pain" in the aspirin page's text
    }

    @Test("drafts (status: draft or invalid) are not published unless asked for; once checked, they are")
    func drafts() throws {
        let site = try Fixture.smallSite()
        try site.write(
            "content/composition/draftamol.md",
            Fixture.page(
                title: "Draftamol", body: "## Usage\nPain.\n", frontMatter: "status: draft\nai_generated: true\n"))
        try site.write(
            "content/composition/badamol.md",
            Fixture.page(title: "Badamol", body: "## Usage\nPain.\n", frontMatter: "status: invalid\n"))
        let report = try Fixture.build(site)
        #expect(report.pages == 4)
        #expect(!site.exists("public/composition/draftamol/index.html"))
        #expect(!site.exists("public/api/v1/monographs/composition/badamol.json"))
        #expect(
            report.skipped.map(\.reason).filter { $0.contains("a draft") } == [
                site.path
                    + "/content/composition/badamol.md: note: skipped, a draft (status: invalid); --drafts includes drafts, and a page is published once a person has checked it and changed its status",
                site.path
                    + "/content/composition/draftamol.md: note: skipped, a draft (status: draft); --drafts includes drafts, and a page is published once a person has checked it and changed its status",
            ])
        // With drafts: a full build (the setting is part of the cache's fingerprint).
        let withDrafts = try Fixture.build(site, drafts: true)
        #expect(!withDrafts.incremental)
        #expect(withDrafts.pages == 6)
        // A person checks the draft and publishes it: the next ordinary build has it.
        _ = try Fixture.build(site)
        try site.write(
            "content/composition/draftamol.md",
            Fixture.page(title: "Draftamol", body: "## Usage\nPain.\n", frontMatter: "status: reviewed\n"))
        let published = try Fixture.build(site)
        #expect(published.incremental)
        #expect(published.pages == 5)
        #expect(site.exists("public/composition/draftamol/index.html"))
    }

    @Test("cross-links: a combination links its components, a brand its generic")
    func crossLinks() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let combination = try #require(site.read("public/composition/aspirin-clopidogrel/index.html"))
        #expect(combination.contains(#"<li><a href="/composition/aspirin/">Aspirin</a></li>"#))
        #expect(combination.contains("<li>Clopidogrel</li>"))  // no page of its own: text, not a dead link
        let brand = try #require(site.read("public/medicines/ecosprin-75/index.html"))
        #expect(brand.contains(#"<dt>Generic medicine</dt><dd><a href="/composition/aspirin/">Aspirin</a></dd>"#))
        #expect(brand.contains("<dt>Made by</dt><dd>USV</dd>"))
        // The single page does not link to itself.
        let single = try #require(site.read("public/composition/aspirin/index.html"))
        #expect(single.contains("<li>Aspirin</li>"))
        let ingredients = try #require(site.read("public/ingredients/a/index.html"))
        #expect(ingredients.contains(#"<section id="aspirin" class="ingredient""#))
        for title in ["Aspirin", "Aspirin 75mg", "Aspirin + Clopidogrel", "Ecosprin 75"] {
            #expect(ingredients.contains(">\(title)</a>"), "\(title)")
        }
    }

    @Test("sections in the canonical order with FAQs as a list, provenance and the disclaimer")
    func monographPage() throws {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/testol.md",
            Fixture.page(
                title: "Testol",
                body: "## FAQs\n**Q: Why?**\nA: Because.\n\n## Side Effects\nNausea.\n\n## Usage\nTesting.\n",
                frontMatter: "is_banned: true\n"))
        _ = try Fixture.build(site)
        let html = try #require(site.read("public/composition/testol/index.html"))
        let usage = try #require(html.range(of: "<section id=\"usage\" class=\"section\">\n        <h2>Uses</h2>"))
        let sideEffects = try #require(
            html.range(of: "<section id=\"sideeffects\" class=\"section\">\n        <h2>Side effects</h2>"))
        let faqs = try #require(html.range(of: #"<h2 id="faqs-heading">Frequently asked questions</h2>"#))
        #expect(usage.lowerBound < sideEffects.lowerBound && sideEffects.lowerBound < faqs.lowerBound)
        #expect(html.contains("<dt>Why?</dt>\n          <dd><p>Because.</p>\n</dd>"))
        #expect(html.contains(#"<div class="banner banned" role="alert">"#))
        #expect(html.contains(#"<span class="badge">AI draft, not reviewed</span>"#))
        #expect(html.contains(#"<aside class="disclaimer" aria-labelledby="disclaimer-heading">"#))
    }

    @Test("raw HTML and script links in a page come out inert")
    func unsafeMarkdown() throws {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/hostile.md",
            Fixture.page(
                title: "Hostile </title><script>alert(1)</script>",
                body: """
                    ## Usage
                    <script>alert('x')</script>

                    <img src=x onerror="alert(1)"> and <iframe src="https://evil.example"></iframe>

                    [click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

                    <a href="#" onclick="steal()">link</a>
                    """))
        _ = try Fixture.build(site)
        let html = try #require(site.read("public/composition/hostile/index.html"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("onerror="))
        #expect(!html.contains("onclick="))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:text/html"))
        #expect(
            html.contains("<title>Hostile &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; | Test Formulary</title>")
        )
        // In JSON-LD the title cannot close the script element.
        #expect(html.contains(#""name":"Hostile \u003c/title\u003e\u003cscript\u003ealert(1)\u003c/script\u003e""#))
    }

    @Test("a build that fails halfway leaves the previous output exactly as it was")
    func atomicFailure() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let before = site.snapshot(under: "public")
        #expect(before.count > 22)
        // A template that fails only on brand pages, which are rendered after others in the same run.
        var monograph = DefaultTheme.templates["monograph"]!
        monograph = monograph.replacingOccurrences(of: "{{#product}}", with: "{{#product}}{{brandOwner}}")
        try site.write("templates/monograph.mustache", monograph)
        try site.write("content/composition/aspirin.md", Fixture.page(title: "Aspirin", body: "## Usage\nChanged.\n"))
        #expect(throws: SiteBuilder.Failure.self) { try Fixture.build(site, full: true) }
        #expect(site.snapshot(under: "public") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.path).filter {
            $0.contains("building")
        }
        #expect(leftovers.isEmpty)
        // The same failure in an incremental build also writes nothing.
        #expect(throws: SiteBuilder.Failure.self) { try Fixture.build(site) }
        #expect(site.snapshot(under: "public") == before)
    }

    @Test("an unknown variable is an error naming the template file, line and column, with a suggestion")
    func missingVariable() throws {
        let site = try Fixture.smallSite()
        try site.write("templates/footer.mustache", "<footer>\n  <p>{{siteTitel}}</p>\n</footer>\n")
        do {
            _ = try Fixture.build(site)
            Issue.record("the build should fail")
        } catch let SiteBuilder.Failure.template(error) {
            #expect(error.path == site.path + "/templates/footer.mustache")
            #expect(error.line == 2)
            #expect(error.column == 6)
            #expect(error.message.hasPrefix("'siteTitel' is not a variable of template '"))
            #expect(error.message.hasSuffix("; did you mean 'siteTitle'?"))
        }
        #expect(!site.exists("public"))
    }

    @Test("a template that does not parse is located; a missing partial is named")
    func templateSyntax() throws {
        let site = try Fixture.smallSite()
        try site.write("templates/home.mustache", "<html>\n<body>\n{{#letters}}\n<p>{{label}}</p>\n</body>\n")
        #expect {
            try Fixture.build(site)
        } throws: { error in
            guard case SiteBuilder.Failure.template(let template) = error else { return false }
            return template.path.hasSuffix("templates/home.mustache")
                && template.message == "a section is opened but never closed"
        }
        try site.write("templates/home.mustache", "<html>\n{{>heaer}}\n</html>\n")
        #expect {
            try Fixture.build(site)
        } throws: { error in
            guard case SiteBuilder.Failure.template(let template) = error else { return false }
            return template.line == 2 && template.column == 1
                && template.message.hasPrefix("partial 'heaer' does not exist")
        }
    }

    @Test("README, index.md and Jekyll folders are skipped with a note; broken pages are reported and skipped")
    func notMonographs() throws {
        let site = try Fixture.smallSite()
        try site.write("content/README.md", "# About this repository\n")
        try site.write("content/index.md", "---\nlayout: home\n---\n")
        try site.write("content/_layouts/page.md", "# Layout\n")
        try site.write("content/composition/broken.md", "---\ntitle: [unclosed\n---\nText\n")
        let report = try Fixture.build(site)
        #expect(report.pages == 4)
        #expect(
            report.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "README.md", "page.md", "index.md", "broken.md",
            ])
        #expect(
            report.skipped[0].reason == site.path + "/content/README.md: note: skipped, not a monograph (README.md)")
        #expect(
            report.skipped[3].reason.hasPrefix(
                site.path + "/content/composition/broken.md:3:1: error: the front matter is not valid YAML"))
        #expect(report.skipped[3].reason.hasSuffix("(page skipped)"))
    }

    @Test("two files with the same address: the first wins, the second is reported")
    func duplicateAddresses() throws {
        let site = TemporaryFolder()
        try site.write("content/a/composition/aspirin.md", Fixture.page(title: "Aspirin", body: "## Usage\nOne.\n"))
        try site.write("content/b/composition/aspirin.md", Fixture.page(title: "Aspirin B", body: "## Usage\nTwo.\n"))
        let report = try Fixture.build(site)
        #expect(report.pages == 1)
        #expect(report.skipped.count == 1)
        #expect(
            report.skipped[0].reason.contains(
                "same page address 'composition/aspirin/' as \(site.path)/content/a/composition/aspirin.md"))
        #expect(site.read("public/composition/aspirin/index.html")?.contains("<h1>Aspirin</h1>") == true)
    }
}

@Suite("hostile content folders")
struct HostileContentTests {
    @Test("file names with spaces and non-ASCII letters: pages written, addresses percent-encoded everywhere")
    func oddFileNames() throws {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/vitamin b12 (cyanocobalamin).md",
            Fixture.page(title: "Vitamin B12", body: "## Usage\nAnaemia.\n"))
        try site.write("content/composition/café-é.md", Fixture.page(title: "Cafe E", body: "## Usage\nTesting.\n"))
        let report = try Fixture.build(site)
        #expect(report.pages == 2)
        #expect(site.exists("public/composition/vitamin b12 (cyanocobalamin)/index.html"))
        #expect(site.exists("public/composition/café-é/index.html"))
        let sitemap = try #require(site.read("public/sitemap.xml"))
        #expect(
            sitemap.contains("<loc>https://med.example.org/composition/vitamin%20b12%20%28cyanocobalamin%29/</loc>"))
        #expect(sitemap.contains("<loc>https://med.example.org/composition/caf%C3%A9-%C3%A9/</loc>"))
        let letter = try #require(site.read("public/browse/v/index.html"))
        #expect(letter.contains(#"<a href="/composition/vitamin%20b12%20%28cyanocobalamin%29/">Vitamin B12</a>"#))
    }

    @Test("empty, binary, huge and title-less files are skipped with their reason; the rest builds")
    func brokenFiles() throws {
        let site = try Fixture.smallSite()
        try site.write("content/composition/empty.md", "")
        try site.write("content/composition/untitled.md", "Just text, no title anywhere.\n")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0xFF, 0xFE]).write(
            to: URL(fileURLWithPath: site.path + "/content/composition/binary.md"))
        try Data(repeating: UInt8(ascii: "a"), count: 9 * 1024 * 1024).write(
            to: URL(fileURLWithPath: site.path + "/content/composition/huge.md"))
        let report = try Fixture.build(site)
        #expect(report.pages == 4)
        #expect(
            Set(report.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent }) == [
                "empty.md", "untitled.md", "binary.md", "huge.md",
            ])
        #expect(report.skipped.allSatisfy { $0.reason.hasSuffix("(page skipped)") })
        #expect(site.exists("public/composition/aspirin/index.html"))
    }

    @Test("an output path that is a file is refused and left alone")
    func outputIsAFile() throws {
        let site = try Fixture.smallSite()
        try site.write("public", "not a folder\n")
        #expect(throws: SiteBuilder.Failure.self) { try Fixture.build(site) }
        #expect(site.read("public") == "not a folder\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.path).filter {
            $0.contains("building")
        }
        #expect(leftovers.isEmpty)
    }
}

@Suite("output folder safety")
struct OutputFolderSafetyTests {
    @Test("an output folder that overlaps the content, or holds files Formulary did not write, is refused untouched")
    func refusals() throws {
        let site = try Fixture.smallSite()
        let contentBefore = site.snapshot(under: "content")
        for output in [
            site.path + "/content", site.path, site.path + "/content/composition", site.path + "/content/../content/",
        ] {
            #expect(throws: SiteBuilder.Failure.self, "\(output)") {
                try SiteBuilder(SiteBuilder.Request(contentFolder: site.path + "/content", outputFolder: output))
                    .build()
            }
        }
        try site.write("mine/notes.txt", "my notes\n")
        do {
            _ = try SiteBuilder(
                SiteBuilder.Request(contentFolder: site.path + "/content", outputFolder: site.path + "/mine")
            ).build()
            Issue.record("a folder of someone else's files must not be replaced")
        } catch {
            #expect("\(error)".contains("is not empty and was not written by formulary build"))
        }
        #expect(site.read("mine/notes.txt") == "my notes\n")
        #expect(site.snapshot(under: "content") == contentBefore)
    }

    @Test("an empty folder, a new one and Formulary's own output are built into")
    func accepted() throws {
        let site = try Fixture.smallSite()
        try FileManager.default.createDirectory(atPath: site.path + "/empty", withIntermediateDirectories: true)
        for output in ["empty", "new/nested", "empty"] {
            let report = try SiteBuilder(
                SiteBuilder.Request(contentFolder: site.path + "/content", outputFolder: site.path + "/" + output)
            ).build()
            #expect(report.pages == 4)
            #expect(site.exists(output + "/.formulary-output"))
        }
    }
}

extension OutputFolderSafetyTests {
    @Test("a collection named like the site's own folders is skipped with a note, not mixed into them")
    func reservedCollections() throws {
        let site = try Fixture.smallSite()
        try site.write("content/search/index.md", Fixture.page(title: "Search", body: "## Usage\nX.\n"))
        try site.write("content/assets/style.md", Fixture.page(title: "Style", body: "## Usage\nX.\n"))
        let report = try Fixture.build(site)
        #expect(report.pages == 4)
        #expect(report.skipped.count == 2)
        #expect(
            report.skipped.contains { $0.reason.contains("is inside 'assets/', which the site uses for its own files") }
        )
        #expect(site.read("public/assets/style.css")?.hasPrefix("/* Formulary default theme.") == true)
    }
}
