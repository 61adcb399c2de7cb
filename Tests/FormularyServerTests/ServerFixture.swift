import Foundation
@_exported import FormularyTestSupport
import HTTPTypes

@testable import FormularyServer
@testable import FormularySite

enum ServerFixture {
    static func page(title: String, body: String, frontMatter: String = "") -> String {
        TestPages.page(title: title, body: body, frontMatter: frontMatter)
    }

    /// A small site, built: a single, a single at a strength, a combination, a brand.
    static func site() throws -> TemporaryFolder {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/aspirin.md",
            page(title: "Aspirin", body: "## Usage\nPain and fever.\n\n## Dosage\nOne tablet.\n"))
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
        _ = try SiteBuilder(request(site)).build()
        return site
    }

    static func request(_ site: TemporaryFolder) -> SiteBuilder.Request {
        var configuration = SiteConfiguration()
        configuration.title = "Test Formulary"
        configuration.baseURL = "https://med.example.org/"
        return SiteBuilder.Request(
            contentFolder: site.path + "/content", outputFolder: site.path + "/public",
            templatesFolder: site.path + "/templates", cacheFile: site.path + "/.formulary/build-cache",
            configuration: configuration)
    }

    static func server(_ site: TemporaryFolder, liveReload: Bool = false) throws -> SiteServer {
        SiteServer(
            outputFolder: site.path + "/public", content: try SiteContent.load(contentFolder: site.path + "/content"),
            options: .init(liveReload: liveReload))
    }
}

extension SiteServer {
    func get(_ target: String, _ headers: [HTTPField.Name: String] = [:], method: HTTPRequest.Method = .get)
        -> ServerResponse
    {
        var fields = HTTPFields()
        for (name, value) in headers { fields[name] = value }
        return respond(method: method, target: target, headers: RequestHeaders(fields))
    }
}

extension ServerResponse {
    var text: String { String(decoding: bodyBytes, as: UTF8.self) }

    func json() -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bodyBytes))) as? [String: Any]
    }
}
