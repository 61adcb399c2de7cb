import FormularyModel
import FormularyParsing
import Foundation
import Testing

/// `MonographJSON` writes records by hand (for `formulary show` and the API files); with
/// `htmlSafe: false` it must write exactly what `JSONEncoder` writes, byte for byte.
@Suite("record JSON")
struct MonographJSONTests {
    static func foundation(_ monograph: Monograph) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(monograph), as: UTF8.self)
    }

    @Test("hand-made records with every optional part, awkward text and numbers: the same bytes as JSONEncoder")
    func handMade() throws {
        var monograph = Monograph(
            id: "generic/a-b", slug: "a-b", collection: "generic", title: "A <b> & \"c\" / d\u{2028}é",
            kind: .brand,
            ingredients: [
                Ingredient(name: "Tab\there", strength: Strength(text: "0.025% w/w", value: 0.025, unit: "% w/w")),
                Ingredient(
                    name: "Syrup",
                    strength: Strength(text: "100mg/5ml", value: 100, unit: "mg", per: .init(value: 5, unit: "ml"))),
                Ingredient(name: "None"),
            ],
            sections: [Section(kind: .usage, heading: "Usage", line: 12, markdown: "Line\nnext\r\n\u{01}\\ end")],
            faqs: [FAQ(question: "Why?", answer: "Because </script>")], disclaimer: nil,
            flags: Flags(banned: true, aiGenerated: false),
            source: SourceInfo(path: "generic/a-b.md", headingStyle: .mixed),
            description: "Desc", lastModified: "2026-01-02",
            product: Product(
                genericSlug: "a", combinationSlug: nil, company: "Co", strength: "37.5mg", packSize: "10", mrp: 1234.5))
        monograph.review = Review(by: "Dr. R", at: "2026-11-01")
        #expect(MonographJSON.encode(monograph, htmlSafe: false) == (try Self.foundation(monograph)))
        monograph.review = Review(by: "Dr. R", at: nil)
        monograph.product = nil
        monograph.disclaimer = "Ask a doctor."
        #expect(MonographJSON.encode(monograph, htmlSafe: false) == (try Self.foundation(monograph)))
        // HTML-safe (the API files): the same JSON, with `<`, `>`, `&` and U+2028 escaped.
        let safe = MonographJSON.encode(monograph)
        #expect(!safe.contains("<") && !safe.contains("&") && safe.contains("\\u003c/script\\u003e"))
    }

    @Test(
        "every fifth page of the corpus: the same bytes as JSONEncoder",
        .enabled(if: CorpusFixture.isAvailable, CorpusFixture.missingMessage))
    func corpus() throws {
        let files = try ContentLoader.markdownFiles(in: [CorpusFixture.root]).enumerated().filter { $0.offset % 5 == 0 }
        var compared = 0
        for outcome in ContentLoader().load(files.map(\.element)) {
            guard case .success(let page) = outcome else { continue }
            #expect(MonographJSON.encode(page.monograph, htmlSafe: false) == (try Self.foundation(page.monograph)))
            compared += 1
        }
        #expect(compared > 2_000)
    }
}
