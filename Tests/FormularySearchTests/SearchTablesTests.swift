import FormularyParsing
import Testing

@testable import FormularySearch

@Suite("search tables")
struct SearchTablesTests {
    @Test("hash postings: each hash's values in the order given, with counts, among many hashes")
    func hashPostings() {
        // 20,000 hashes, three pages each, plus a few hashes that share their top bits.
        var keys: [UInt64] = []
        var values: [Int32] = []
        var counts: [UInt8] = []
        for page in 0..<3 {
            for word in 0..<20_000 {
                keys.append(TextWords.hash(Array("word\(word)".utf8)))
                values.append(Int32(page))
                counts.append(UInt8((word + page) % 200 + 1))
            }
        }
        for page in 0..<5 {
            keys.append(0xFFFF_0000_0000_0000 + UInt64(page % 2))
            values.append(Int32(10 + page))
            counts.append(9)
        }
        let postings = HashPostings(keys: keys, values: values, counts: counts)
        #expect(postings.entryCount == 60_005)
        let range = postings.range(of: TextWords.hash(Array("word1234".utf8)))
        #expect(range.map { postings.value($0) } == [0, 1, 2])
        #expect(range.map { postings.count($0) } == [35, 36, 37])
        let even = postings.range(of: 0xFFFF_0000_0000_0000)
        #expect(even.map { postings.value($0) } == [10, 12, 14])
        #expect(postings.range(of: 0xFFFF_0000_0000_0001).map { postings.value($0) } == [11, 13])
        #expect(postings.range(of: TextWords.hash(Array("absent".utf8))).isEmpty)
        #expect(HashPostings(keys: [], values: []).range(of: 42).isEmpty)
    }

    @Test("vocabulary: exact words and prefixes as ranges of ids")
    func vocabulary() {
        let words = ["amlodipine", "amoxicillin", "amoxycillin", "para", "paracetamol", "parecoxib", "zinc"]
        let vocabulary = Vocabulary(sorted: words.map { Array($0.utf8) })
        #expect(vocabulary.prefixRange(Array("amox".utf8)) == 1..<3)
        #expect(vocabulary.prefixRange(Array("para".utf8)) == 3..<5)
        #expect(vocabulary.prefixRange(Array("par".utf8)) == 3..<6)
        #expect(vocabulary.prefixRange(Array("b".utf8)).isEmpty)
        #expect(vocabulary.prefixRange(Array("zz".utf8)) == 7..<7)
        #expect(vocabulary.prefixRange([]) == 0..<7)
        #expect(vocabulary.id(of: Array("para".utf8)) == 3)
        #expect(vocabulary.id(of: Array("parac".utf8)) == nil)
        #expect(vocabulary.word(5) == "parecoxib")
    }

    @Test("postings: each key's items in the order given")
    func postings() {
        let postings = Postings(keyCount: 3, pairs: [(2, 7), (0, 1), (2, 8), (0, 3)])
        #expect(postings.range(0).map { postings[$0] } == [1, 3])
        #expect(postings.isEmpty(1))
        #expect(postings.range(2).map { postings[$0] } == [7, 8])
    }

    @Test(
        "edit distance on bytes agrees with the shared one",
        arguments: [
            ("paracetamol", "paracetmol"), ("paracetamol", "paracetaoml"), ("amoxil", "amoxxil"), ("abc", ""),
            ("", "abc"), ("kitten", "sitting"), ("metformin", "metfromin"), ("a", "a"),
        ])
    func editDistance(_ first: String, _ second: String) {
        for limit in 1...3 {
            let expected = min(EditDistance.between(first, second), limit + 1)
            let bytes = Array(first.utf8).withUnsafeBufferPointer { a in
                Array(second.utf8).withUnsafeBufferPointer { b in ByteEditDistance.between(a, b, limit: limit) }
            }
            #expect(min(bytes, limit + 1) == expected)
        }
    }

    @Test("typos: a letter missing, added, changed or two swapped; numbers and short words never")
    func typos() throws {
        let pages = ["Paracetamol", "Amoxil", "Metformin", "Zinc"].map { title in
            try! MonographParser().parse(
                bytes: Array("---\ntitle: \(title)\n---\n# \(title)\n\n### Usage\nText.\n".utf8),
                location: DocumentLocation(path: "composition/\(title.lowercased()).md"))
        }
        let index = SearchIndex(pages: pages)
        func matches(_ word: String) -> [String] {
            index.typoMatches(of: Array(word.utf8)).map { "\(index.vocabulary.word($0.id)) \($0.distance)" }
        }
        #expect(matches("paracetmol") == ["paracetamol 1"])
        #expect(matches("paraceetamol") == ["paracetamol 1"])
        #expect(matches("praacetmol") == ["paracetamol 2"])
        #expect(matches("amoxxil") == ["amoxil 1"])
        #expect(matches("amixil") == ["amoxil 1"])
        #expect(matches("metfromin") == ["metformin 1"])
        #expect(matches("zinx").isEmpty)  // four letters: no typo allowed
        #expect(matches("paracetamol").isEmpty)  // the word itself is not a typo of it
        #expect(matches(String(repeating: "a", count: 5_000)).isEmpty)
    }

    @Test("the best pages by score, then the shorter title, then index order")
    func topPages() {
        var top = TopPages(limit: 3)
        for (page, score, length) in [(0, 5.0, 10), (1, 9.0, 10), (2, 5.0, 4), (3, 9.0, 3), (4, 1.0, 1), (5, 5.0, 4)] {
            top.offer(page: Int32(page), score: score, titleLength: length)
        }
        #expect(top.pages.map(\.page) == [3, 1, 2])
        var none = TopPages(limit: 0)
        none.offer(page: 1, score: 1, titleLength: 1)
        #expect(none.pages.isEmpty)
    }
}
