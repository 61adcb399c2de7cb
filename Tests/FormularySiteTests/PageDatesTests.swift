import FormularyReview
import Foundation
import Testing

@testable import FormularySite

/// "Last updated", `dateModified` and the sitemap's `lastmod` say when the text changed: the
/// store's revision, else the file's last commit, else the front matter; never the day the
/// files were copied or cloned.
@Suite("dates a page shows", .serialized)
struct PageDatesTests {
    /// Runs git in `folder` with a fixed author and the commit date `date`.
    static func git(_ folder: String, _ arguments: [String], date: String = "2025-03-04T10:00:00Z") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        process.environment = [
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": folder,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
    }

    static var gitIsInstalled: Bool {
        ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("a page nothing dates shows no date: not the file's modification time")
    func undated() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let page = try #require(site.read("public/composition/aspirin/index.html"))
        #expect(!page.contains("Last updated"))
        #expect(!page.contains("\"dateModified\""))
        let sitemap = try #require(site.read("public/sitemap.xml"))
        #expect(sitemap.contains("<url><loc>https://med.example.org/composition/aspirin/</loc></url>"))
    }

    @Test(
        "the last commit dates a page in a git repository, over its front matter; the store's revision over both",
        .enabled(if: gitIsInstalled, "needs git"))
    func committed() throws {
        let site = try Fixture.smallSite()
        try site.write(
            "content/generic/aspirin-75mg.md",
            Fixture.page(
                title: "Aspirin 75mg", body: "## Usage\nHeart protection.\n",
                frontMatter: "lastModified: '2024-01-02T00:00:00Z'\n"))
        try Self.git(site.path, ["init", "-q"])
        try Self.git(site.path, ["add", "content/composition/aspirin.md"])
        try Self.git(site.path, ["commit", "-q", "-m", "first"])
        _ = try Fixture.build(site)
        var page = try #require(site.read("public/composition/aspirin/index.html"))
        #expect(page.contains("Last updated <time datetime=\"2025-03-04\">4 March 2025</time>."))
        #expect(page.contains("\"dateModified\":\"2025-03-04\""))
        // Not committed: its front matter dates it.
        let strength = try #require(site.read("public/generic/aspirin-75mg/index.html"))
        #expect(strength.contains("<time datetime=\"2024-01-02\">"))
        #expect(
            try #require(site.read("public/sitemap.xml")).contains(
                "<loc>https://med.example.org/composition/aspirin/</loc><lastmod>2025-03-04</lastmod>"))

        // A new commit of the same file (the file itself untouched): the next build follows.
        try Self.git(site.path, ["commit", "-q", "--amend", "-m", "again"], date: "2025-06-07T08:00:00Z")
        let report = try Fixture.build(site)
        #expect(report.incremental)
        page = try #require(site.read("public/composition/aspirin/index.html"))
        #expect(page.contains("<time datetime=\"2025-06-07\">7 June 2025</time>"))
        let incremental = site.snapshot(under: "public")
        _ = try Fixture.build(site, full: true)
        let full = site.snapshot(under: "public")
        for (file, bytes) in full where incremental[file] != bytes { Issue.record("differs: \(file)") }
        #expect(Set(full.keys) == Set(incremental.keys))

        // With a store, its latest revision dates the page.
        var request = SiteBuilder.Request(
            contentFolder: site.path + "/content", outputFolder: site.path + "/public",
            cacheFile: site.path + "/.formulary/build-cache", configuration: Fixture.configuration)
        request.reviews = ReviewLedger(changedAt: ["composition/aspirin": "2026-12-01T09:30:00Z"])
        _ = try SiteBuilder(request).build()
        page = try #require(site.read("public/composition/aspirin/index.html"))
        #expect(page.contains("<time datetime=\"2026-12-01\">1 December 2026</time>"))
    }
}
