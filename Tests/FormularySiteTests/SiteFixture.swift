import Foundation
@_exported import FormularyTestSupport
@testable import FormularySite

enum Fixture {
    /// The repository root, from this file's place (Tests/FormularySiteTests/).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let corpus = URL(fileURLWithPath: repository).deletingLastPathComponent().appendingPathComponent(
        "shared/corpus"
    ).path

    static var corpusIsAvailable: Bool { FileManager.default.fileExists(atPath: corpus + "/rxhive-v1") }

    static func page(title: String, body: String, frontMatter: String = "") -> String {
        "---\ntitle: \"\(title)\"\n\(frontMatter)---\n\n\(body)\n"
    }

    /// A small site: a single, a single at a strength, a combination, a brand.
    static func smallSite() throws -> TemporaryFolder {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/aspirin.md",
            page(
                title: "Aspirin",
                body: "## Usage\nPain and fever.\n\n## Dosage\nOne tablet.\n\n## FAQs\n**Q: Is it safe?**\nA: Mostly.\n"
            ))
        try site.write(
            "content/generic/aspirin-75mg.md", page(title: "Aspirin 75mg", body: "## Usage\nHeart protection.\n"))
        try site.write(
            "content/composition/aspirin-clopidogrel.md",
            page(title: "Aspirin + Clopidogrel", body: "## Usage\nAfter a heart attack.\n"))
        try site.write(
            "content/medicines/ecosprin-75.md",
            page(
                title: "Ecosprin 75", body: "A brand of aspirin.",
                frontMatter: "generic_slug: aspirin\ncompany: USV\nstrength: 75 mg\n"))
        return site
    }

    static func build(_ site: TemporaryFolder, full: Bool = false, drafts: Bool = false) throws -> SiteBuilder.Report {
        var request = SiteBuilder.Request(
            contentFolder: site.path + "/content", outputFolder: site.path + "/public",
            templatesFolder: site.path + "/templates",
            cacheFile: site.path + "/.formulary/build-cache",
            configuration: configuration, forceFull: full)
        request.includeDrafts = drafts
        return try SiteBuilder(request).build()
    }

    /// Whether a full build of the site's content writes exactly what is in `public/` now (an
    /// incremental build's result); the full build's output is left in place.
    static func fullBuildGivesTheSame(_ site: TemporaryFolder) throws -> Bool {
        let incremental = site.snapshot(under: "public")
        _ = try build(site, full: true)
        return site.snapshot(under: "public") == incremental
    }

    static var configuration: SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.title = "Test Formulary"
        configuration.baseURL = "https://med.example.org/"
        return configuration
    }
}
