import Foundation
import FormularyModel
import FormularyParsing

/// One result, in the contract's shape.
public struct SearchResult: Sendable, Hashable, Codable {
    public var id: String
    public var slug: String
    public var title: String
    public var kind: MonographKind
    public var score: Double
    /// A short passage with the matched words in `<mark>`; the rest HTML-escaped.
    public var snippet: String
    /// What India's list of prohibited combinations says of the page, when it names it:
    /// its status as given (`banned`, `under review (...)`) and whether the match is `exact` or
    /// `possible`. Absent for pages no list names.
    public var regulatory: ResultRegulatory?
    /// A translation's language (`hi`): the page is at `hi/` and its id. Absent for a page in
    /// the site's main language.
    public var language: String?
}

/// The regulatory status a search result carries.
public struct ResultRegulatory: Sendable, Hashable, Codable {
    public var status: String
    public var match: String
    /// The page is shown as prohibited (an exact match with status banned, or front matter says so).
    public var banned: Bool
}

/// Which pages a search keeps by their regulatory status.
public enum RegulatoryFilter: String, Sendable, Hashable, CaseIterable {
    /// Only pages shown as prohibited in India.
    case banned
    /// Only pages not shown as prohibited.
    case notBanned = "not-banned"
}

/// A query's answer, in the contract's shape.
public struct SearchResponse: Sendable, Hashable, Codable {
    public var query: String
    public var total: Int
    public var tookMicroseconds: Int
    public var results: [SearchResult]
}

/// Filters and limits of a search.
public struct SearchOptions: Sendable {
    public var limit: Int
    public var kind: MonographKind?
    /// Only pages that contain this ingredient (any of its names).
    public var ingredient: String?
    /// Only pages prohibited in India, or only pages that are not.
    public var regulatory: RegulatoryFilter?
    /// The reader's language, when the site has translations: each medicine found is given in
    /// it when it has a page in it, else in the site's main language. Nil for the main language.
    public var language: String?

    public init(
        limit: Int = 10, kind: MonographKind? = nil, ingredient: String? = nil, regulatory: RegulatoryFilter? = nil,
        language: String? = nil
    ) {
        self.limit = limit
        self.kind = kind
        self.ingredient = ingredient
        self.regulatory = regulatory
        self.language = language
    }
}

extension SearchResponse {
    /// The answer as JSON, the same bytes `JSONEncoder` writes with `.sortedKeys` and
    /// `.withoutEscapingSlashes` (a test compares them), written by hand: every uncached search
    /// of `serve` writes one, and `JSONEncoder` took as long as the search itself (a quarter of
    /// the server's time in `perf`, issue #17).
    public func json() -> [UInt8] {
        var json = JSONText(htmlSafe: false)
        json.openObject()
        json.string("query", query)
        json.openArray("results")
        for result in results {
            json.openObject()
            json.string("id", result.id)
            json.string("kind", result.kind.rawValue)
            if let language = result.language { json.string("language", language) }
            if let regulatory = result.regulatory {
                json.openObject("regulatory")
                json.bool("banned", regulatory.banned)
                json.string("match", regulatory.match)
                json.string("status", regulatory.status)
                json.closeObject()
            }
            json.number("score", result.score)
            json.string("slug", result.slug)
            json.string("snippet", result.snippet)
            json.string("title", result.title)
            json.closeObject()
        }
        json.closeArray()
        json.number("tookMicroseconds", Double(tookMicroseconds))
        json.number("total", Double(total))
        json.closeObject()
        return json.bytes
    }
}
