import Foundation
import FormularyParsing
import Testing

@testable import FormularyCheck

/// Folders no content tree should look like: each gives diagnostics or a clear error, never a crash or a hang.
@Suite("check on hostile folders")
struct HostileInputTests {
    /// A fresh temporary folder, removed after the test.
    func withFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "formulary-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    func checkFolder(_ folder: URL) throws -> (files: [String], diagnostics: [Diagnostic]) {
        let files = try ContentLoader.markdownFiles(in: [folder.path])
        return (files, Checker().check(ContentLoader().load(files)))
    }

    @Test("a folder with 100,000 empty files: one diagnostic each")
    func manyEmptyFiles() throws {
        try withFolder { folder in
            let empty = Data()
            // Every file is counted below, so a failed creation fails the test there.
            for index in 0..<100_000 {
                _ = FileManager.default.createFile(
                    atPath: folder.appendingPathComponent("page-\(index).md").path, contents: empty)
            }
            let (files, diagnostics) = try checkFolder(folder)
            #expect(files.count == 100_000)
            #expect(diagnostics.count == 100_000)
            #expect(Set(diagnostics.map(\.rule)) == ["unreadable-page"])
            #expect(diagnostics.allSatisfy { $0.severity == .error && $0.line == 1 })
        }
    }

    @Test("a symbolic link loop is walked once")
    func symlinkLoop() throws {
        try withFolder { folder in
            let collection = folder.appendingPathComponent("composition")
            try FileManager.default.createDirectory(at: collection, withIntermediateDirectories: true)
            try Data("---\ntitle: Loop\n---\n### Usage\nText.\n".utf8).write(
                to: collection.appendingPathComponent("loop.md"))
            try FileManager.default.createSymbolicLink(
                atPath: collection.appendingPathComponent("again").path, withDestinationPath: folder.path)
            let (files, diagnostics) = try checkFolder(folder)
            #expect(files == [collection.appendingPathComponent("loop.md").path])
            #expect(diagnostics.map(\.rule).contains("missing-section"))
        }
    }

    @Test("files listed with their stamps: as stat gives them, links followed, none for a dangling link")
    func stampedWalk() throws {
        try withFolder { folder in
            let nested = folder.appendingPathComponent("composition/p")
            try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
            let page = nested.appendingPathComponent("paracetamol.md")
            try Data("---\ntitle: Paracetamol\n---\n".utf8).write(to: page)
            try Data("hidden".utf8).write(to: nested.appendingPathComponent(".draft.md"))
            try Data("notes".utf8).write(to: nested.appendingPathComponent("notes.txt"))
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("linked.md").path, withDestinationPath: page.path)
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("dangling.md").path, withDestinationPath: "/nonexistent/x.md")
            let listed = try ContentLoader.markdownFilesWithStamps(in: [folder.path])
            let plain = try ContentLoader.markdownFiles(in: [folder.path])
            #expect(listed.map(\.path) == plain)
            #expect(
                listed.map(\.path) == [
                    folder.appendingPathComponent("composition/p/paracetamol.md").path,
                    folder.appendingPathComponent("dangling.md").path,
                    folder.appendingPathComponent("linked.md").path,
                ])
            var info = stat()
            #expect(stat(page.path, &info) == 0)
            let expected = ContentLoader.FileStamp(
                modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                size: Int64(info.st_size))
            #expect(listed[0].stamp == expected)
            #expect(listed[1].stamp == nil)
            #expect(listed[2].stamp == expected)  // the link's target, as stat sees it
        }
    }

    @Test("an unreadable file and a dangling link are reported, and the rest is checked")
    func unreadableFiles() throws {
        try withFolder { folder in
            try Data("---\ntitle: Fine\n---\n### Usage\nText.\n".utf8).write(
                to: folder.appendingPathComponent("fine.md"))
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("dangling.md").path,
                withDestinationPath: folder.appendingPathComponent("nowhere.md").path)
            let locked = folder.appendingPathComponent("locked.md")
            try Data("---\ntitle: Locked\n---\n".utf8).write(to: locked)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            let (files, diagnostics) = try checkFolder(folder)
            #expect(files.count == 3)
            let unreadable = diagnostics.filter { $0.rule == "unreadable-page" }.map {
                URL(fileURLWithPath: $0.path).lastPathComponent
            }
            // Root reads any file whatever its permissions; everyone else cannot read `locked.md`.
            #expect(unreadable == (getuid() == 0 ? ["dangling.md"] : ["dangling.md", "locked.md"]))
            #expect(diagnostics.contains { $0.path.hasSuffix("fine.md") && $0.rule == "missing-section" })
        }
    }

    @Test("the parser's hostile files give diagnostics, not crashes")
    func parserHostileFiles() throws {
        try withFolder { folder in
            var alias = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...12 {
                alias +=
                    "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
            }
            let files: [(String, [UInt8])] = [
                ("alias-bomb.md", Array((alias + "title: Bomb\n---\n").utf8)),
                ("nul.md", Array("---\ntitle: X\n---\n".utf8) + [0, 1, 2]),
                ("latin1.md", Array("---\ntitle: Caf".utf8) + [0xE9] + Array("\n---\n".utf8)),
                ("not-mapping.md", Array("---\n- a\n---\n".utf8)),
                ("deep.md", Array(("---\ntitle: Deep\n---\n" + String(repeating: "- ", count: 10_000) + "x\n").utf8)),
            ]
            for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
            let (_, diagnostics) = try checkFolder(folder)
            let byFile = Dictionary(grouping: diagnostics, by: { URL(fileURLWithPath: $0.path).lastPathComponent })
            #expect(byFile["alias-bomb.md"]?.map(\.rule) == ["invalid-front-matter"])
            #expect(byFile["nul.md"]?.map(\.rule) == ["unreadable-page"])
            #expect(byFile["latin1.md"]?.map(\.rule) == ["unreadable-page"])
            #expect(byFile["not-mapping.md"]?.map(\.rule) == ["invalid-front-matter"])
            #expect(byFile["deep.md"]?.map(\.rule) == ["missing-disclaimer", "missing-section"])
        }
    }
}
