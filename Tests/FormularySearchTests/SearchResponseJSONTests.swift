import Foundation
import FormularyModel
import FormularyParsing
import Testing

@testable import FormularySearch

/// The search answer's JSON, written by hand for `serve`, against `JSONEncoder`'s.
@Suite("search answers as JSON")
struct SearchResponseJSONTests {
    func encoderBytes(_ response: SearchResponse) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(response))
    }

    @Test("the same bytes as JSONEncoder: optional parts, awkward text, scores of every shape")
    func sameBytes() throws {
        let results = [
            SearchResult(
                id: "composition/paracetamol", slug: "paracetamol", title: "Paracetamol", kind: .single, score: 12,
                snippet: "Relieves <mark>pain</mark> &amp; fever", regulatory: nil, language: nil),
            SearchResult(
                id: "composition/a/x-y", slug: "x-y", title: "Quote \" back\\slash / tab\t line\nend \u{1}",
                kind: .combination, score: 3.141592653589793,
                snippet: "पैरासिटामोल (Paracetamol) — ’quotes’ \u{2028}",
                regulatory: ResultRegulatory(status: "under review (S.O. 1234(E))", match: "possible", banned: false),
                language: "hi"),
            SearchResult(
                id: "c/z", slug: "z", title: "Z", kind: .single, score: 0.000012345,
                snippet: "", regulatory: ResultRegulatory(status: "banned", match: "exact", banned: true), language: nil
            ),
            SearchResult(
                id: "c/big", slug: "big", title: "Big", kind: .single, score: 123_456_789.5, snippet: "s",
                regulatory: nil, language: "ta"),
        ]
        for response in [
            SearchResponse(query: "paracetmol 650", total: 4, tookMicroseconds: 812, results: results),
            SearchResponse(query: "", total: 0, tookMicroseconds: 0, results: []),
            SearchResponse(query: "<script>&\"", total: 1, tookMicroseconds: 1, results: [results[1]]),
        ] {
            #expect(
                String(decoding: response.json(), as: UTF8.self)
                    == String(decoding: try encoderBytes(response), as: UTF8.self))
        }
    }

    @Test("the engine's answers to the test site's queries: the same bytes as JSONEncoder")
    func engineAnswers() throws {
        for query in [
            "paracetamol", "pain", "beta blocker", "paracetmol 650", "amoxycillin clavulanic", "nothing here",
        ] {
            let response = SearchEngineTests.engine.search(query, options: SearchOptions(limit: 100))
            #expect(response.json() == (try encoderBytes(response)), "\(query)")
        }
        #expect(SearchEngineTests.engine.search("pain", options: SearchOptions()).results.count >= 2)
    }
}
