import Foundation
import FormularyModel
import Testing

@testable import FormularyParsing

/// Bad input gets a clear error with path and line, never a crash or a hang.
@Suite("Malformed, hostile and huge input")
struct MalformedInputTests {
    let parser = MonographParser()
    let location = DocumentLocation(path: "content/composition/x/example.md")

    func parse(_ text: String) throws(MonographParseError) -> ParsedPage {
        try parser.parse(bytes: Array(text.utf8), location: location)
    }

    func error(_ bytes: [UInt8]) -> MonographParseError? {
        do {
            _ = try parser.parse(bytes: bytes, location: location)
            return nil
        } catch {
            return error
        }
    }

    @Test("an empty file")
    func emptyFile() {
        #expect(error([]) == MonographParseError(path: location.displayPath, line: 1, column: 1, reason: .emptyFile))
        #expect(error(Array("  \n\n\t\n".utf8))?.reason == .emptyFile)
    }

    @Test("no front matter")
    func noFrontMatter() {
        let failure = error(Array("# Paracetamol\n\n### Usage\nPain.\n".utf8))
        #expect(failure?.reason == .missingFrontMatter)
        #expect(failure?.line == 1)
        #expect(failure?.description.hasPrefix("content/composition/x/example.md:1:1: error: no front matter") == true)
    }

    @Test("unterminated front matter")
    func unterminated() {
        let failure = error(Array("---\ntitle: Paracetamol\n# Paracetamol\n\nText\n".utf8))
        #expect(failure?.reason == .unterminatedFrontMatter)
        #expect(failure?.line == 1)
    }

    @Test(
        "front matter that is not a mapping",
        arguments: [
            ("---\n- one\n- two\n---\n# X\n", "a list"),
            ("---\njust a sentence\n---\n# X\n", "a single value"),
        ])
    func notMapping(_ text: String, _ found: String) {
        let failure = error(Array(text.utf8))
        #expect(failure?.reason == .frontMatterNotMapping(found: found))
        #expect(failure?.line == 2)
    }

    @Test("invalid YAML points at its line in the file")
    func invalidYAML() throws {
        let failure = try #require(error(Array("---\nlayout: x\ntitle: [unclosed\nother: 1\n---\n# X\n".utf8)))
        guard case .invalidYAML(let problem) = failure.reason else {
            Issue.record("expected invalid YAML, got \(failure.reason)")
            return
        }
        #expect(!problem.isEmpty)
        #expect(failure.line >= 3 && failure.line <= 5)
    }

    @Test("duplicated keys are invalid YAML")
    func duplicatedKeys() {
        let failure = error(Array("---\ntitle: A\ntitle: B\n---\nText\n".utf8))
        #expect(failure?.reason == .invalidYAML("duplicated keys 'title'"))
    }

    @Test("a YAML alias bomb is refused, quickly")
    func aliasBomb() throws {
        var yaml = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...12 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        yaml += "title: Bomb\n---\n# Bomb\n"
        // Refused by counting nodes before anything is expanded (expanded, it would be 10^13
        // scalars: the test would never end rather than fail).
        let failure = error(Array(yaml.utf8))
        #expect(failure?.reason == .frontMatterTooComplex(limit: FrontMatterReader.nodeLimit))
    }

    @Test("invalid UTF-8 is reported at its line and column")
    func invalidUTF8() {
        var bytes = Array("---\ntitle: Caf\n---\n\n# Caf".utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array(" au lait\n".utf8)
        let failure = error(bytes)
        #expect(failure?.reason == .invalidUTF8)
        #expect(failure?.line == 5)
        #expect(failure?.column == 6)
    }

    @Test(
        "UTF-8 validation agrees with the standard library",
        arguments: [
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80],
            [0xE2, 0x80, 0x99],
        ] as [[UInt8]])
    func validation(_ sequence: [UInt8]) {
        let bytes = Array("abcdefghij".utf8) + sequence + Array("klmnop".utf8)
        let standard = String(validating: bytes, as: UTF8.self) == nil
        #expect((UTF8Validation.firstInvalidOffset(in: bytes) != nil) == standard)
    }

    @Test("NUL bytes mean a binary file")
    func nulBytes() {
        var bytes = Array("---\ntitle: X\n---\nText".utf8)
        bytes.append(0)
        let failure = error(bytes)
        #expect(failure?.reason == .binaryFile)
        #expect(failure?.line == 4)
    }

    @Test("a binary file (PNG header and noise)")
    func binaryFile() {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4096 { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        #expect(error(bytes)?.reason == .binaryFile)
    }

    @Test("a 50 MB file is refused before it is read")
    func hugeFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "formulary-huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.md").path
        let line = Data(String(repeating: "Paracetamol relieves pain. ", count: 40).utf8 + [0x0A])
        var data = Data("---\ntitle: Huge\n---\n".utf8)
        while data.count < 50 * 1024 * 1024 { data.append(line) }
        try data.write(to: URL(fileURLWithPath: path))
        do {
            _ = try parser.parse(contentsOf: path)
            Issue.record("a 50 MB file must be refused")
        } catch {
            #expect(error.reason == .tooLarge(bytes: data.count, limit: parser.maximumFileSize))
            #expect(error.description.contains("huge.md:1:1: error: the file is \(data.count) bytes"))
        }
    }

    @Test("a large page under the limit still parses in bounded time")
    func largePage() throws {
        var text = "---\ntitle: Large\n---\n# Large\n\n### Usage\n"
        for index in 0..<20_000 { text += "Line \(index) of the usage section.\n\n" }
        text += "### FAQs\n\n* **Q: Is it large?** A: Yes.\n"
        let page = try parse(text)
        #expect(page.monograph.sections.map(\.kind) == [.usage, .faqs])
        #expect(page.monograph.faqs == [FAQ(question: "Is it large?", answer: "Yes.")])
    }

    @Test("10,000 nested list levels")
    func deeplyNestedLists() throws {
        var text = "---\ntitle: Nested\n---\n# Nested\n\n### Usage\n"
        // `- - - ... deep` opens one list inside the other on a single line.
        text += String(repeating: "- ", count: 10_000) + "deep\n"
        // And a staircase of ordered lists, each indented under the last, for a few hundred levels more.
        for depth in 0..<300 { text += String(repeating: "   ", count: depth) + "1. level \(depth)\n" }
        text += "\n### Dosage\nOne tablet.\n"
        let page = try parse(text)
        #expect(page.monograph.sections.map(\.kind) == [.usage, .dosage])
        #expect(page.monograph.section(.dosage)?.markdown == "One tablet.")
    }

    @Test("10,000 nested block quotes")
    func deeplyNestedQuotes() throws {
        let text = "---\ntitle: Quotes\n---\n### Usage\n" + String(repeating: ">", count: 10_000) + " deep\n"
        let page = try parse(text)
        #expect(page.monograph.sections.map(\.kind) == [.usage])
    }

    @Test("a title is required, from front matter or the H1")
    func missingTitle() throws {
        #expect(error(Array("---\nlayout: x\n---\nNo heading here.\n".utf8))?.reason == .missingTitle)
        let fromHeading = try parse("---\nlayout: x\n---\n# Paracetamol\n\n### Usage\nPain.\n")
        #expect(fromHeading.monograph.title == "Paracetamol")
    }

    @Test("Windows line endings and a byte order mark")
    func crlfAndBOM() throws {
        let text =
            "\u{FEFF}---\r\ntitle: Paracetamol 500mg\r\n---\r\n\r\n# Paracetamol 500mg\r\n\r\n### Usage\r\nPain.\r\n\r\n### Dosage\r\nOne tablet.\r\n"
        let record = try parse(text).monograph
        #expect(record.sections.map(\.kind) == [.usage, .dosage])
        #expect(record.sections.map(\.line) == [7, 10])
        #expect(record.section(.usage)?.markdown == "Pain.")
        #expect(record.ingredients.first?.strength?.value == 500)
    }

    @Test("a front matter title that YAML would read as a number or a date stays text")
    func scalarTitles() throws {
        #expect(try parse("---\ntitle: 2024\n---\nText\n").monograph.title == "2024")
        #expect(try parse("---\ntitle: 'Ringer''s Lactate: IV'\n---\nText\n").monograph.title == "Ringer's Lactate: IV")
    }

    @Test("a directory or a missing file is a clear error")
    func unreadable() {
        do {
            _ = try parser.parse(contentsOf: "/nonexistent/formulary/page.md")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .unreadable("No such file or directory"))
            #expect(
                error.description
                    == "/nonexistent/formulary/page.md:1:1: error: cannot read the file: No such file or directory")
        }
        do {
            _ = try parser.parse(contentsOf: FileManager.default.temporaryDirectory.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .unreadable("not a regular file"))
        }
    }
}
