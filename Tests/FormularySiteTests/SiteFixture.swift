import Foundation
@testable import FormularySite

/// Temporary site folders for build tests, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init(_ name: String = "site") {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("formulary-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes the file. A file written again gets a modification time a second past its
    /// previous one, so that builds see the change however coarse the file system's clock is
    /// (instead of the test sleeping and hoping).
    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let previous = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        try Data(text.utf8).write(to: url)
        if let previous {
            try FileManager.default.setAttributes(
                [.modificationDate: max(previous.addingTimeInterval(1), Date())], ofItemAtPath: url.path)
        }
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + relative) }

    /// Every file under `relative`, as sorted relative paths.
    func files(under relative: String) -> [String] {
        let root = path + "/" + relative
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + item, isDirectory: &isFolder), !isFolder.boolValue {
                result.append(item)
            }
        }
        return result.sorted()
    }

    /// Each file's bytes under `relative`, to compare a whole output before and after.
    func snapshot(under relative: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for file in files(under: relative) {
            result[file] = FileManager.default.contents(atPath: path + "/" + relative + "/" + file)
        }
        return result
    }
}

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
