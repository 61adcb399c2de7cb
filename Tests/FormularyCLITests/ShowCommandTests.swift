import FormularyTestSupport
import Foundation
import Testing

/// `formulary show` run as a user runs it: the built executable, its output and exit status.
@Suite("formulary show")
struct ShowCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `formulary` executable built beside this test bundle.
    static var executable: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("formulary")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repository.appendingPathComponent(".build/debug/formulary")
    }

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            errors: String(decoding: errData, as: UTF8.self))
    }

    @Test("a folder as JSON gives one record a line, in the contract's shape")
    func jsonLines() throws {
        let result = try run(["show", "examples/site/content", "--format", "json"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 8)
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        // Each page's Hindi translation (`.hi.md` sorts first), then the page: the same id.
        #expect(
            records.map { $0["id"] as? String } == [
                "composition/examplamol-sampleprofen", "composition/examplamol-sampleprofen",
                "composition/examplamol", "composition/examplamol", "generic/examplamol-500mg",
                "generic/examplamol-500mg", "medicines/examplix-500", "medicines/examplix-500",
            ])
        #expect(records.map { $0["language"] as? String } == ["hi", nil, "hi", nil, "hi", nil, "hi", nil])
        let generic = records[5]
        #expect(generic["kind"] as? String == "single")
        let ingredient = (generic["ingredients"] as? [[String: Any]])?.first
        let strength = ingredient?["strength"] as? [String: Any]
        #expect(strength?["text"] as? String == "500mg")
        #expect(strength?["value"] as? Double == 500)
        #expect(strength?["unit"] as? String == "mg")
        #expect(strength?.keys.contains("per") == true, "per is present as null, not left out")
        #expect(generic["disclaimer"] as? String == "This is an example page for Formulary, not medical advice.")
        let source = generic["source"] as? [String: Any]
        #expect(source?["path"] as? String == "generic/examplamol-500mg.md")
        #expect(source?["headingStyle"] as? String == "inlineLabel")
        let hindi = records[4]
        #expect(hindi["title"] as? String == "एग्ज़ाम्पलामॉल 500mg (Examplamol 500mg)")
        #expect((hindi["ingredients"] as? [[String: Any]])?.first?["name"] as? String == "Examplamol")
        #expect((hindi["translation"] as? [String: Any])?["sourceFingerprint"] as? String != nil)
        let brand = records[7]
        #expect(brand["kind"] as? String == "brand")
        #expect(brand["disclaimer"] is NSNull)
    }

    @Test("text output for a person")
    func text() throws {
        let result = try run(["show", "examples/site/content/generic/examplamol-500mg.md"])
        #expect(result.status == 0)
        #expect(
            result.output.hasPrefix(
                "Examplamol 500mg  [single]  generic/examplamol-500mg\n  Ingredients:\n    - Examplamol  500mg\n"))
        #expect(result.output.contains("    line 23: faqs (12 words)\n"))
    }

    @Test("a page that cannot be read is reported compiler-style with exit status 1")
    func badPage() throws {
        let directory = TemporaryFolder("cli")
        defer { withExtendedLifetime(directory) {} }
        try directory.write("broken.md", "# No front matter\n")
        try directory.write("fine.md", "---\ntitle: Fine\n---\n### Usage\nText.\n")
        let result = try run(["show", directory.path, "--format", "json"])
        #expect(result.status == 1)
        #expect(result.output.split(separator: "\n").count == 1, "the good page is still printed")
        #expect(result.errors.contains("\(directory.path)/broken.md:1:1: error: no front matter"))
        #expect(result.errors.contains("1 of 2 files could not be read"))
    }

    @Test("a missing path exits with status 2 and says so")
    func missingPath() throws {
        let result = try run(["show", "no/such/folder"])
        #expect(result.status == 2)
        #expect(result.errors == "formulary: no/such/folder: no such file or folder\n")
    }
}
