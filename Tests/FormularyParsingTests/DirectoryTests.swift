import Foundation
import FormularyTestSupport
import Testing

@testable import FormularyParsing

@Suite("listing folders")
struct DirectoryTests {
    @Test("every name is read whole, up to 255 bytes and in any script; . and .. are not entries")
    func names() throws {
        let folder = TemporaryFolder("directory")
        var expected: Set<String> = ["a", ".hidden", "पैरासिटामोल.hi.md"]
        for length in [1, 2, 3, 64, 200, 250, 255] { expected.insert(String(repeating: "x", count: length)) }
        expected.insert(String(repeating: "é", count: 127))  // 254 bytes
        for name in expected { try folder.write(name, name) }
        try FileManager.default.createDirectory(atPath: folder.path + "/sub", withIntermediateDirectories: false)
        var files: Set<String> = []
        var folders: [String] = []
        let opened = Directory.forEachEntry(in: folder.path) { entry, _ in
            if entry.isFolder { folders.append(entry.nameText) } else { files.insert(entry.nameText) }
        }
        #expect(opened)
        #expect(files == expected)
        #expect(folders == ["sub"])
        #expect(!Directory.forEachEntry(in: folder.path + "/missing") { _, _ in Issue.record("an entry") })
    }
}
