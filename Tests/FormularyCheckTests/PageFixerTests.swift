import Foundation
import FormularyModel
import FormularyParsing
import Testing

@testable import FormularyCheck

/// `check --fix`: changes that keep the meaning, written atomically.
@Suite("check --fix")
struct PageFixerTests {
    func parse(_ text: String) throws -> ParsedPage {
        try MonographParser().parse(
            bytes: Array(text.utf8), location: DocumentLocation(path: "compositions/examplamol.md"))
    }

    @Test("trailing whitespace after headings is removed, not inside code")
    func headingWhitespace() throws {
        let text = "---\ntitle: X\n---\n### Usage  \nPain.\n\n```\n# comment  \n```\n### Dosage\t\nOne.\n"
        let (fixed, changes) = try #require(PageFixer().fix(try parse(text), text: text))
        #expect(fixed == "---\ntitle: X\n---\n### Usage\nPain.\n\n```\n# comment  \n```\n### Dosage\nOne.\n")
        #expect(changes.map(\.description) == ["trailing whitespace removed from headings (2)"])
    }

    @Test("a lone label in a page of ### headings becomes a heading")
    func labelToHeading() throws {
        let text =
            "---\ntitle: X\n---\n### Usage\nPain.\n\n### Dosage\nOne.\n\n**Side Effects:**\n\nRash.\n\n### Precautions\nLiver.\n"
        let page = try parse(text)
        #expect(page.monograph.source.headingStyle == .mixed)
        let (fixed, changes) = try #require(PageFixer().fix(page, text: text))
        #expect(fixed.contains("\n### Side Effects\n\nRash.\n"))
        #expect(changes.map(\.description) == ["section labels turned into headings (1)"])
        let reparsed = try parse(fixed).monograph
        #expect(reparsed.source.headingStyle == .heading)
        #expect(reparsed.sections.map(\.markdown) == page.monograph.sections.map(\.markdown))
    }

    @Test("FAQ debris in front matter is rewritten from clean pairs; the rest of the page is untouched")
    func faqDebris() throws {
        let text = """
            ---
            title: X
            faqs:
              - q: >-
                  Is it safe?**


                  **A:** Mostly.
                a: 'A:** Mostly.'
              - q: Clean?
                a: Yes.
            is_banned: false
            ---
            ## **Usage**
            Text.

            """
        let (fixed, changes) = try #require(PageFixer().fix(try parse(text), text: text))
        #expect(
            fixed
                == "---\ntitle: X\nfaqs:\n- q: Is it safe?\n  a: Mostly.\n- q: Clean?\n  a: Yes.\nis_banned: false\n---\n## **Usage**\nText.\n"
        )
        #expect(changes.map(\.description) == ["FAQ entries cleaned of answer debris (1)"])
    }

    @Test("a clean page needs no fix")
    func nothingToFix() throws {
        let text = "---\ntitle: X\n---\n### Usage\nPain.\n"
        #expect(PageFixer().fix(try parse(text), text: text) == nil)
    }

    @Test("fixing files rewrites the pages with something to fix and says what it did, and leaves the rest")
    func fixFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let messy = folder.path + "/messy.md"
        let clean = folder.path + "/clean.md"
        let gone = folder.path + "/gone.md"
        let messyText = "---\ntitle: X\n---\n### Usage  \nPain.\n"
        let cleanText = "---\ntitle: Y\n---\n### Usage\nPain.\n"
        for (path, text) in [(messy, messyText), (clean, cleanText), (gone, messyText)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let pages = try ContentLoader().load([messy, clean, gone]).map { try $0.get() }
        try FileManager.default.removeItem(atPath: gone)

        let outcomes = PageFixer().fixFiles(of: pages)

        #expect(
            outcomes == [
                .fixed(
                    path: messy,
                    changes: [PageFixer.Change(what: "trailing whitespace removed from headings", count: 1)])
            ])
        #expect(try String(contentsOfFile: messy, encoding: .utf8) == "---\ntitle: X\n---\n### Usage\nPain.\n")
        #expect(try String(contentsOfFile: clean, encoding: .utf8) == cleanText)
        #expect(!FileManager.default.fileExists(atPath: gone), "a page whose file went is not written again")
    }

    @Test("an atomic write replaces the file whole and keeps its permissions")
    func atomicWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("page.md").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        try AtomicFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["page.md"],
            "no temporary file left behind")
        // A name near the 255-byte limit (the corpus has one of 251 bytes) is written too.
        let long = folder.appendingPathComponent(String(repeating: "a", count: 240) + ".md").path
        try AtomicFile.write("long", to: long)
        #expect(try String(contentsOfFile: long, encoding: .utf8) == "long")
    }

    @Test("temporary files of writes that never finished are removed once they are old, and nothing else")
    func leftovers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-leftovers-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("composition/p"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = folder.path
        let old = base + "/composition/p/.paracetamol.md.formulary-\(UUID().uuidString)"
        let young = base + "/composition/.aspirin.md.formulary-\(UUID().uuidString)"
        let lookalike = base + "/composition/.notes.formulary-draft"
        let page = base + "/composition/p/paracetamol.md"
        for path in [old, young, lookalike, page] { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        let hourAgo = Date().addingTimeInterval(-3600)
        for path in [old, lookalike, page] {
            try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: path)
        }
        #expect(AtomicFile.removeLeftovers(under: base) == [old])
        for path in [young, lookalike, page] { #expect(FileManager.default.fileExists(atPath: path)) }
        #expect(!FileManager.default.fileExists(atPath: old))
        // A younger one goes once it is old enough for the caller.
        #expect(AtomicFile.removeLeftovers(under: base, olderThan: -1) == [young])
    }
}
