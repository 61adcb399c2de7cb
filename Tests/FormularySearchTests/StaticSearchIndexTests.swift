import Foundation
import FormularyModel
import FormularyParsing
import Testing

@testable import FormularySearch

@Suite("static search index")
struct StaticSearchIndexTests {
    static func entry(_ path: String, _ text: String) -> StaticSearchEntry {
        StaticSearchEntry(try! MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path)))
    }

    static let pages = [
        entry(
            "composition/paracetamol.md",
            "---\ntitle: Paracetamol\n---\n## Usage\nFever and pain. Fever again; headache.\n\n**Brand names:** Crocin, Dolo\n"
        ),
        entry(
            "composition/caffeine-paracetamol.md",
            "---\ntitle: Caffeine + Paracetamol\n---\n## Usage\nHeadache, migraine.\n"),
        entry(
            "composition/odd.md",
            "---\ntitle: \"Odd \\\"quoted\\\" <b>&</b> é\"\n---\n## Usage\nA page with an odd title: migraine.\n"),
    ]

    @Test("shard keys: two letters, three where split, one-letter words apart")
    func shardKeys() {
        #expect(StaticSearchIndex.shardKey("paracetamol") == "pa")
        #expect(StaticSearchIndex.shardKey("paracetamol", split: ["pa"]) == "par")
        #expect(StaticSearchIndex.shardKey("pa", split: ["pa"]) == "pa")
        #expect(StaticSearchIndex.shardKey("c") == "c_")
    }

    @Test("a page is found by its name words (3), other names (2) and brands (1)")
    func postings() throws {
        var entries = Self.pages
        let (files, layout, _) = StaticSearchIndex.files(for: &entries)
        #expect(layout.nameSplit.isEmpty)
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.text) })
        func shard(_ path: String) -> StaticSearchIndex.Shard? {
            byPath[path].flatMap { StaticSearchIndex.Shard.decode(Data($0.utf8), isBody: path.hasPrefix("search/b/")) }
        }
        #expect(
            shard("search/n/pa.json")?.words["paracetamol"] == [
                "composition/paracetamol": 3, "composition/caffeine-paracetamol": 3,
            ])
        #expect(shard("search/n/cr.json")?.words["crocin"] == ["composition/paracetamol": 1])
        // Acetaminophen is paracetamol's US name.
        #expect(shard("search/n/ac.json")?.words["acetaminophen"]?["composition/paracetamol"] == 2)
        // Text words: "fever" twice on the paracetamol page.
        #expect(shard("search/b/fe.json")?.words["fever"] == ["composition/paracetamol": 2])
    }

    @Test("the fast shard reader and JSONSerialization read every shard alike, escapes included")
    func readers() throws {
        var entries = Self.pages
        let (files, _, _) = StaticSearchIndex.files(for: &entries)
        var compared = 0
        for file in files where file.path.hasPrefix("search/n/") || file.path.hasPrefix("search/b/") {
            let isBody = file.path.hasPrefix("search/b/")
            let data = Data(file.text.utf8)
            let fast = data.withUnsafeBytes { raw -> StaticSearchIndex.Shard? in
                var reader = ShardReader(bytes: raw.bindMemory(to: UInt8.self))
                return reader.read(isBody: isBody)
            }
            let foundation = StaticSearchIndex.Shard.decodeWithFoundation(data, isBody: isBody)
            #expect(fast != nil && fast == foundation, "\(file.path)")
            #expect(fast?.encoded() == file.text)
            compared += 1
        }
        #expect(compared > 10)
        let odd = try #require(files.first { $0.path == "search/n/od.json" })
        #expect(odd.text.contains(#"Odd \"quoted\" \u003cb\u003e\u0026\u003c/b\u003e é"#))
        // Spaced-out JSON is not this index's own form: the fallback reads it.
        let spaced = Data(#"{ "pages": [["a/b", "T", "s", 1]], "words": {"tt": [0, 3]} }"#.utf8)
        #expect(StaticSearchIndex.Shard.decode(spaced, isBody: false)?.words["tt"] == ["a/b": 3])
        #expect(StaticSearchIndex.Shard.decode(Data("garbage".utf8), isBody: false) == nil)
        #expect(StaticSearchIndex.Shard.decode(Data(#"{"pages":[],"words":{"x":[5,1]}}"#.utf8), isBody: false) == nil)
    }

    @Test("a shard takes a page out and puts it back")
    func patch() throws {
        var entries = Self.pages
        let (files, layout, _) = StaticSearchIndex.files(for: &entries)
        let original = try #require(files.first { $0.path == "search/n/pa.json" })
        var shard = try #require(StaticSearchIndex.Shard.decode(Data(original.text.utf8), isBody: false))
        shard.remove(["composition/paracetamol"])
        #expect(shard.words["paracetamol"] == ["composition/caffeine-paracetamol": 3])
        shard.add(entries[0], key: "pa", layout: layout)
        #expect(shard.encoded() == original.text)
    }
}
