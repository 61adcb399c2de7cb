import FormularyTestSupport
import Foundation
import Testing

/// `formulary import` and `formulary export` run as a user runs them (the helpers of `ShowCommandTests`).
@Suite("formulary export")
struct ExportCommandTests {
    @Test("export from a store with no pages says so and how to fill it; after import it writes every page")
    func exportEmptyStore() throws {
        let site = TemporaryFolder("export")
        defer { withExtendedLifetime(site) {} }
        try FileManager.default.copyItem(
            atPath: ShowCommandTests.repository.path + "/examples/site/content", toPath: site.path + "/content")
        let cli = ShowCommandTests()
        let empty = try cli.run(["export", "--site", site.path, "--out", site.path + "/out"])
        #expect(empty.status == 0)
        #expect(empty.output == "wrote 0 pages\n")
        #expect(
            empty.errors
                == "formulary export: the store has no pages yet; `formulary import` loads the site's content folder into it\n"
        )
        let imported = try cli.run(["import", "--site", site.path])
        #expect(imported.status == 0)
        let full = try cli.run(["export", "--site", site.path, "--out", site.path + "/out"])
        let written = try FileManager.default.subpathsOfDirectory(atPath: site.path + "/out").filter {
            $0.hasSuffix(".md")
        }
        #expect(written.count == 8)
        #expect(full.output == "wrote 8 pages\n")
        #expect(full.errors == "")
    }
}
