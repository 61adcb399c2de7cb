import Foundation
import Testing

/// `formulary build` run as a user runs it (the helpers of `ShowCommandTests`).
@Suite("formulary build")
struct BuildCommandTests {
    @Test("the site folder as an argument or as --site, as the other commands take it; two different ones refused")
    func siteOption() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-build-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let cli = ShowCommandTests()
        let built = try cli.run(["build", "--site", "examples/site", "--out", out.path, "--quiet"])
        #expect(built.status == 0)
        #expect(FileManager.default.fileExists(atPath: out.path + "/composition/examplamol/index.html"))
        let same = try cli.run(["build", "examples/site", "--site", "examples/site", "--out", out.path, "--quiet"])
        #expect(same.status == 0)
        let two = try cli.run(["build", "examples/site", "--site", "elsewhere", "--out", out.path])
        #expect(two.status == 64)
        #expect(two.errors.contains("two site folders: 'examples/site' and --site 'elsewhere'; give one"))
    }
}
