import FormularyModel
import FormularyParsing
import Testing

@testable import FormularySearch

/// Search over a small site written for these tests.
@Suite("search")
struct SearchEngineTests {
    static let pages: [(String, String)] = [
        ("composition/p/paracetamol.md", "Paracetamol", "Paracetamol relieves pain and fever."),
        ("composition/i/ibuprofen-paracetamol.md", "Ibuprofen + Paracetamol", "Two pain relievers together."),
        (
            "composition/a/amoxycillin-clavulanic-acid.md", "Amoxycillin + Clavulanic Acid",
            "An antibiotic with a beta-lactamase inhibitor."
        ),
        ("composition/a/amoxycillin.md", "Amoxycillin", "A penicillin antibiotic."),
        (
            "composition/s/salbutamol.md", "Salbutamol",
            "Opens the airways. **Popular Brand Names (India):** Asthalin, Ventorlin"
        ),
        ("composition/m/metoprolol-succinate.md", "Metoprolol Succinate", "A beta blocker, extended release."),
        ("composition/m/metoprolol.md", "Metoprolol", "A beta blocker."),
        ("generic/paracetamol-500mg.md", "Paracetamol 500mg", "One tablet of 500 mg."),
        ("generic/paracetamol-650mg.md", "Paracetamol 650mg", "One tablet of 650 mg."),
        ("composition/a/alemtuzumab.md", "Alemtuzumab", "A monoclonal antibody against CD52 on lymphocytes."),
    ].map { path, title, usage in
        (path, "---\ntitle: \(title)\n---\n# \(title)\n\n### Usage\n\(usage)\n")
    }

    static let engine: SearchEngine = {
        let parsed = pages.map { path, text in
            try! MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path))
        }
        return SearchEngine(index: SearchIndex(pages: parsed))
    }()

    func top(_ query: String, _ options: SearchOptions = SearchOptions()) -> String? {
        Self.engine.search(query, options: options).results.first?.id
    }

    func ids(_ query: String) -> [String] { Self.engine.search(query).results.map(\.id) }

    @Test("the exact medicine first, before the combinations that contain it")
    func exactFirst() {
        #expect(ids("paracetamol").prefix(2) == ["composition/paracetamol", "generic/paracetamol-500mg"])
        #expect(ids("paracetamol").contains("composition/ibuprofen-paracetamol"))
        #expect(top("amoxycillin") == "composition/amoxycillin")
    }

    @Test(
        "international and US names are one medicine",
        arguments: [
            ("acetaminophen", "composition/paracetamol"), ("albuterol", "composition/salbutamol"),
            ("amoxicillin", "composition/amoxycillin"),
        ])
    func synonyms(_ query: String, _ expected: String) {
        #expect(top(query) == expected)
    }

    @Test(
        "prefixes as you type and typos",
        arguments: [
            ("parac", "composition/paracetamol"), ("salb", "composition/salbutamol"),
            ("paracetmol", "composition/paracetamol"),
            ("salbutmol", "composition/salbutamol"), ("alemtuzmab", "composition/alemtuzumab"),
            ("amoxycilin", "composition/amoxycillin"),
        ])
    func prefixesAndTypos(_ query: String, _ expected: String) {
        #expect(top(query) == expected)
    }

    @Test(
        "combinations in any order and with any joiner",
        arguments: [
            "amoxycillin clavulanic", "clavulanic acid + amoxycillin", "amoxycillin/clavulanic acid",
            "clavulanic and amoxycillin",
            "potassium clavulanate amoxycillin",
        ])
    func combinations(_ query: String) {
        #expect(top(query) == "composition/amoxycillin-clavulanic-acid")
    }

    @Test("numbers match exactly: 650 never finds 500")
    func strengths() {
        #expect(top("paracetamol 650") == "generic/paracetamol-650mg")
        #expect(top("paracetamol 500mg") == "generic/paracetamol-500mg")
        #expect(ids("paracetamol 650").firstIndex(of: "generic/paracetamol-500mg")! > 1)
    }

    @Test("salt forms: the page that names the salt, then the base")
    func saltForms() {
        #expect(
            ids("metoprolol succinate").prefix(2) == ["composition/metoprolol-succinate", "composition/metoprolol"])
        #expect(top("metoprolol") == "composition/metoprolol")
    }

    @Test("brands listed in a page find it")
    func brands() {
        #expect(top("asthalin") == "composition/salbutamol")
    }

    @Test("words only in the body find the page, after any title match")
    func bodyOnly() {
        #expect(top("CD52") == "composition/alemtuzumab")
        let response = Self.engine.search("lymphocytes")
        #expect(response.results.first?.snippet.contains("<mark>lymphocytes.</mark>") == true)
    }

    @Test("words in the text count how often they occur, and together count more")
    func bodyScores() {
        let response = Self.engine.search("beta blocker")
        // Both metoprolol pages say `beta blocker`; the shorter title first on a tie.
        #expect(response.results.map(\.id) == ["composition/metoprolol", "composition/metoprolol-succinate"])
        #expect(response.results.map(\.score) == [10.6, 10.6])  // 8 + 2 together + 2 words × 0.3
        #expect(Self.engine.search("blocker beta").results.map(\.score) == [8.6, 8.6])
    }

    @Test("a misspelt name with a strength still finds the medicine before combinations with that strength")
    func typoAndStrength() throws {
        let pages = [
            ("composition/paracetamol.md", "Paracetamol", "Pain and fever."),
            (
                "generic/aceclofenac-100mg-paracetamol-650mg.md", "Aceclofenac 100mg + Paracetamol 650mg",
                "Pain and swelling."
            ),
        ].map { path, title, usage in
            try! MonographParser().parse(
                bytes: Array("---\ntitle: \(title)\n---\n# \(title)\n\n### Usage\n\(usage)\n".utf8),
                location: DocumentLocation(path: path))
        }
        let engine = SearchEngine(index: SearchIndex(pages: pages))
        #expect(
            engine.search("paracetmol 650").results.map(\.id) == [
                "composition/paracetamol", "generic/aceclofenac-100mg-paracetamol-650mg",
            ])
        // Spelt right, as before.
        #expect(engine.search("paracetamol 650").results.first?.id == "composition/paracetamol")
    }

    @Test("of two pages found by name, the one whose text also has the word comes first")
    func nameAndText() throws {
        let pages = [
            ("composition/calcium-leucovorin.md", "Calcium Leucovorin", "Rescue after methotrexate."),
            ("composition/leucovorin-calcium.md", "Leucovorin Calcium", "Sold as Leucocorin in some places."),
        ].map { path, title, usage in
            try! MonographParser().parse(
                bytes: Array("---\ntitle: \(title)\n---\n# \(title)\n\n### Usage\n\(usage)\n".utf8),
                location: DocumentLocation(path: path))
        }
        let engine = SearchEngine(index: SearchIndex(pages: pages))
        #expect(engine.search("leucocorin").results.first?.id == "composition/leucovorin-calcium")
    }

    @Test("the snippet starts at the query's own word before a word it only resembles")
    func snippetAnchor() throws {
        let text = String(repeating: "Filler words here. ", count: 12) + "Amoxil helps. Later amoxxil is named."
        let page = try MonographParser().parse(
            bytes: Array("---\ntitle: Amoxil\n---\n# Amoxil\n\n### Usage\n\(text)\n".utf8),
            location: DocumentLocation(path: "composition/amoxil.md"))
        let engine = SearchEngine(index: SearchIndex(pages: [page]))
        let snippet = try #require(engine.search("amoxxil").results.first?.snippet)
        // 40 characters before `amoxxil`, not before the `Amoxil` it resembles.
        #expect(snippet == "…Filler words here. <mark>Amoxil</mark> helps. Later <mark>amoxxil</mark> is named.")
    }

    @Test("queries one after another, and at once, answer as each would alone")
    func repeatedAndConcurrent() async {
        let queries = ["paracetamol", "amoxicilin", "CD52", "beta blocker", "paracetamol 650", "asthalin", "pain"]
        let alone = queries.map { query in
            SearchEngine(index: Self.engine.index).search(query).results
        }
        for _ in 0..<3 {
            #expect(queries.map { Self.engine.search($0).results } == alone)
        }
        let together = await withTaskGroup(of: (Int, [SearchResult]).self) { group in
            for round in 0..<20 {
                for (position, query) in queries.enumerated() {
                    group.addTask { (round * 100 + position, Self.engine.search(query).results) }
                }
            }
            var answers: [Int: [SearchResult]] = [:]
            for await (key, results) in group { answers[key] = results }
            return answers
        }
        for (key, results) in together { #expect(results == alone[key % 100]) }
    }

    @Test("filters by kind and by ingredient (any of its names)")
    func filters() {
        #expect(top("paracetamol", SearchOptions(kind: .combination)) == "composition/ibuprofen-paracetamol")
        let withParacetamol = Self.engine.search("pain", options: SearchOptions(ingredient: "acetaminophen")).results
            .map(\.id)
        #expect(
            Set(withParacetamol).isSubset(of: [
                "composition/paracetamol", "composition/ibuprofen-paracetamol", "generic/paracetamol-500mg",
                "generic/paracetamol-650mg",
            ]))
        #expect(!withParacetamol.isEmpty)
    }

    @Test("snippets highlight the match and escape HTML")
    func snippets() throws {
        let result = try #require(Self.engine.search("paracetamol").results.first)
        #expect(result.snippet.hasPrefix("<mark>Paracetamol</mark> relieves pain"))
    }

    @Test(
        "hostile queries give an empty or sensible answer",
        arguments: [
            "", "   ", String(repeating: "a", count: 10_000), "!!!???", "'; DROP TABLE monographs; --", ".*[a-z]+(",
            "💊🤒",
            "\u{FFFD}\u{0000}", String(repeating: "paracetamol ", count: 1_000),
        ])
    func hostileQueries(_ query: String) {
        let response = Self.engine.search(query)
        #expect(response.query == query)
        #expect(response.results.count <= 10)
        #expect(response.total >= response.results.count)
    }

    @Test("the evaluation measures: success@1, success@5, MRR per category and overall")
    func evaluationMeasures() {
        let evaluation = SearchEvaluation(
            tsv: "category\tquery\texpected\n# comment\nexact\ta\tx\nexact\tb\ty|z\ntypo\tc\tw\n")
        #expect(evaluation.cases.count == 3)
        let scores = evaluation.score([["x", "q"], ["q", "q", "z"], ["a", "b", "c", "d", "e", "w"]])
        #expect(scores.map(\.category) == ["exact", "typo", "overall"])
        #expect(scores[0].successAt1 == 0.5)
        #expect(scores[0].successAt5 == 1)
        #expect(abs(scores[0].meanReciprocalRank - (1 + 1.0 / 3) / 2) < 1e-9)
        #expect(scores[1].successAt5 == 0)
        #expect(abs(scores[2].meanReciprocalRank - (1 + 1.0 / 3 + 1.0 / 6) / 3) < 1e-9)
    }
}
