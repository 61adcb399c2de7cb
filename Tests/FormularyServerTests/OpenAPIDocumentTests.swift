import Foundation
import Testing

@testable import FormularyServer

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// Sources/FormularyServer/OpenAPI, from this file's place (Tests/FormularyServerTests/).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/FormularyServer/OpenAPI").path

    @Test("the compiled-in documents match the files in Sources/FormularyServer/OpenAPI")
    func documentsAreEmbedded() throws {
        let site = try #require(FileManager.default.contents(atPath: Self.folder + "/site.json"))
        #expect(site == Data(OpenAPIDocument.json.utf8), "site.json; run python3 scripts/embed-openapi.py")
        let contributions = try #require(FileManager.default.contents(atPath: Self.folder + "/contributions.json"))
        #expect(
            contributions == Data(OpenAPIDocument.contributions.utf8),
            "contributions.json; run python3 scripts/embed-openapi.py")
        // Every document in the folder is compiled in.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
        #expect(Set(files) == ["site.json", "contributions.json"], "a new document needs embedding")
    }
}
