import FormularyTestSupport
import Foundation
import Testing

/// `formulary check` as a user runs it.
@Suite("formulary check")
struct CheckCommandTests {
    let cli = ShowCommandTests()
    /// A page that is an AI refusal, not a monograph: an error of `check` (line 6).
    static let refusal = "---\ntitle: Nothing\n---\n# Nothing\n\nI cannot provide information on this medicine.\n"

    @Test("the example site, its Hindi translations too, is clean: exit 0 and a summary")
    func exampleSite() throws {
        let result = try cli.run(["check", "examples/site/content"])
        #expect(result.status == 0)
        #expect(result.output == "")
        #expect(result.errors == "checked 8 files: 0 errors, 0 warnings, 0 notes\n")
    }

    @Test("--site DIR checks the site's content folder with the site's formulary.yml; with PATHs it is refused")
    func site() throws {
        let folder = TemporaryFolder("check-site")
        defer { withExtendedLifetime(folder) {} }
        try folder.write("formulary.yml", "content: pages\ncheck:\n  rules:\n    ai-refusal: warning\n")
        let page = try folder.write("pages/refusal.md", Self.refusal)
        let result = try cli.run(["check", "--site", folder.path])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("\(page):6:1: warning: the page is an AI refusal"))
        #expect(result.errors == "checked 1 file: 0 errors, 1 warning, 0 notes (ai-refusal 1)\n")
        let both = try cli.run(["check", "--site", folder.path, "examples/site/content"])
        #expect(both.status == 64)
        #expect(both.errors.contains("give pages or folders to check, or --site DIR, not both"))
        let none = try cli.run(["check", "--site", folder.path + "/nothing"])
        #expect(none.status == 2)
        #expect(
            none.errors
                == "formulary check: \(folder.path)/nothing is not a site (no formulary.yml, no content/ folder); to check a folder of pages, give it as PATH\n"
        )
    }

    @Test("every command given a folder that is not a site says what to give instead, not build's advice")
    func notASite() throws {
        let lead = "examples is not a site (no formulary.yml, no content/ folder); "
        let doors: [(arguments: [String], errors: String)] = [
            (
                ["review", "list", "--site", "examples"],
                "formulary review: \(lead)give --site DIR, the folder of a site (or run this in one)\n"
            ),
            (
                ["user", "list", "--site", "examples"],
                "formulary user: \(lead)give --site DIR, the folder of a site (or run this in one)\n"
            ),
            (
                ["translations", "--site", "examples"],
                "formulary translations: \(lead)to list the translations in a folder of pages, give it as PATH\n"
            ),
            (
                ["generate", "examplamol", "--site", "examples"],
                "formulary generate: \(lead)to draft into a folder of pages, give --content DIR\n"
            ),
        ]
        for door in doors {
            let result = try cli.run(door.arguments)
            #expect(result.status == 2, "\(door.arguments)")
            #expect(result.errors == door.errors, "\(door.arguments)")
        }
    }

    @Test("errors give exit status 1, compiler-style lines, JSON and GitHub forms")
    func errors() throws {
        let folder = TemporaryFolder("check-cli")
        defer { withExtendedLifetime(folder) {} }
        let page = try folder.write("refusal.md", Self.refusal)
        let text = try cli.run(["check", folder.path])
        #expect(text.status == 1)
        #expect(
            text.output
                == "\(page):6:1: error: the page is an AI refusal ('I cannot provide ...'), not a monograph; regenerate or remove it [ai-refusal]\n"
        )
        #expect(text.errors == "checked 1 file: 1 error, 0 warnings, 0 notes (ai-refusal 1)\n")
        let json = try cli.run(["check", folder.path, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["rule"] as? String == "ai-refusal")
        #expect(object?["line"] as? Int == 6)
        let github = try cli.run(["check", folder.path, "--format", "github"])
        #expect(
            github.output.hasPrefix(
                "::error file=\(page),line=6,col=1,title=ai-refusal::the page is an AI refusal"))
    }

    @Test("--explain and --list-rules; an unknown rule gets a suggestion and exit 2")
    func explain() throws {
        let explained = try cli.run(["check", "--explain", "missing-section"])
        #expect(explained.status == 0)
        #expect(explained.output.hasPrefix("missing-section (default severity: warning)\nA section the site requires"))
        let listed = try cli.run(["check", "--list-rules"])
        #expect(listed.output.split(separator: "\n").count == 22, "a header and 21 rules")
        #expect(listed.output.contains("\ntitle-mismatch             warning  "))
        let unknown = try cli.run(["check", "--explain", "missing-sectoin"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("no rule named 'missing-sectoin'. Did you mean 'missing-section'?"))
    }

    @Test("a broken configuration stops the check with its place, exit 2")
    func brokenConfiguration() throws {
        let folder = TemporaryFolder("check-config")
        defer { withExtendedLifetime(folder) {} }
        try FileManager.default.createDirectory(atPath: folder.path + "/content", withIntermediateDirectories: true)
        let config = try folder.write("formulary.yml", "check:\n  rules:\n    title-mismach: off\n")
        let result = try cli.run(["check", folder.path + "/content"])
        #expect(result.status == 2)
        #expect(
            result.errors == "\(config):3:1: error: unknown rule 'title-mismach'; did you mean 'title-mismatch'?\n"
        )
    }
}

/// `formulary search` as a user runs it.
@Suite("formulary search")
struct SearchCommandTests {
    let cli = ShowCommandTests()

    @Test("JSON in the search contract, best first")
    func json() throws {
        let result = try cli.run(["search", "examplamol", "--content", "examples/site/content", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "examplamol")
        #expect(object["total"] as? Int == 4)
        #expect(object["tookMicroseconds"] is Int)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.first?["id"] as? String == "composition/examplamol")
        #expect(results.first?["kind"] as? String == "single")
        #expect((results.first?["snippet"] as? String)?.contains("<mark>") == true)
        #expect(results.first?["score"] is Double)
    }

    @Test("--site DIR searches the site's content folder, as --content does; both at once are refused")
    func site() throws {
        let bySite = try cli.run(["search", "examplamol 500mg", "--site", "examples/site", "--format", "json"])
        let byContent = try cli.run([
            "search", "examplamol 500mg", "--content", "examples/site/content", "--format", "json",
        ])
        #expect(bySite.status == 0)
        let ids = { (run: ShowCommandTests.Run) throws -> [String] in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
            return (object["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try ids(bySite) == ids(byContent))
        #expect(try ids(bySite).prefix(2) == ["generic/examplamol-500mg", "composition/examplamol"])
        let both = try cli.run(["search", "x", "--site", "examples/site", "--content", "examples/site/content"])
        #expect(both.status == 64)
        #expect(both.errors.contains("give --content or --site, not both"))
        let none = try cli.run(["search", "x", "--site", "examples"])
        #expect(none.status == 2)
        #expect(
            none.errors
                == "formulary search: examples is not a site (no formulary.yml, no content/ folder); to search a folder of pages, give --content DIR\n"
        )
    }

    @Test("--queries answers one query a line; --kind filters")
    func batch() throws {
        let folder = TemporaryFolder("search")
        defer { withExtendedLifetime(folder) {} }
        let queries = try folder.write("q.txt", "examplamol 500mg\nsampleprofen\nexamplix\n")
        let result = try cli.run([
            "search", "--queries", queries, "--content", "examples/site/content", "--limit", "1",
        ])
        let tops = try result.output.split(separator: "\n").map { line -> String? in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["results"] as? [[String: Any]])?.first?["id"] as? String
        }
        #expect(tops == ["generic/examplamol-500mg", "composition/examplamol-sampleprofen", "medicines/examplix-500"])
        let brands = try cli.run([
            "search", "examplamol", "--content", "examples/site/content", "--kind", "brand", "--format", "json",
        ])
        #expect(brands.output.contains("\"id\":\"medicines/examplix-500\""))
        #expect(!brands.output.contains("\"id\":\"composition/examplamol\""))
    }

    @Test("no query, or an empty one, is a usage error")
    func usage() throws {
        let result = try cli.run(["search", "--content", "examples/site/content"])
        #expect(result.status == 64)
        #expect(result.errors.contains("give a QUERY, --queries FILE or --evaluate FILE"))
        for blank in ["", "  "] {
            let empty = try cli.run(["search", blank, "--content", "examples/site/content"])
            #expect(empty.status == 64)
            #expect(
                empty.errors.hasPrefix(
                    "Error: the query is empty; give words to search for, such as a medicine's name or a use\n"))
        }
    }
}
