import FormularyTestSupport
import Foundation
import Testing

/// `formulary build` run as a user runs it (the helpers of `ShowCommandTests`).
@Suite("formulary build")
struct BuildCommandTests {
    @Test("the site folder as an argument or as --site, as the other commands take it; two different ones refused")
    func siteOption() throws {
        let folder = TemporaryFolder("build")
        defer { withExtendedLifetime(folder) {} }
        let out = URL(fileURLWithPath: folder.path + "/out")
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

    @Test("an output folder that cannot be made is named in the error, with why; nothing is left behind")
    func unwritableOutput() throws {
        let folder = TemporaryFolder("build-out")
        defer { withExtendedLifetime(folder) {} }
        // A file where the output's parent folder should be.
        try folder.write("file", "not a folder\n")
        let out = folder.path + "/file/site"
        let result = try ShowCommandTests().run(["build", "examples/site", "--out", out, "--quiet"])
        #expect(result.status == 2)
        let staging = try #require(
            result.errors.firstRange(of: folder.path + "/file/.site.building-").map { range in
                String(result.errors[range.lowerBound...].prefix { $0 != " " })
            })
        #expect(
            result.errors
                == "formulary build: error: \(out): cannot write the site there: a build writes \(staging) beside it first, then swaps it in, and \(staging): cannot create folder: Not a directory\n"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["file"])
    }
}
