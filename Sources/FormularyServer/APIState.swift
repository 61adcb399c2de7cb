import FormularyModel
import FormularySearch
import FormularySite
import Foundation

/// What the JSON API answers from: the site's records, its catalog and the search engine, as
/// of one moment. Replaced whole when the content changes, so a request sees one consistent
/// state from start to end.
struct APIState: Sendable {
    let content: SiteContent
    let engine: SearchEngine
    /// Index into `content.catalog.ingredients`, by the ingredient's slug.
    let ingredientBySlug: [String: Int]
    /// Counts up with each new state; caches keyed on it go stale with it.
    let generation: Int

    init(content: SiteContent, generation: Int) {
        self.content = content
        self.generation = generation
        engine = SearchEngine(index: SearchIndex(pages: content.pages.map(\.parsed)))
        var bySlug: [String: Int] = [:]
        for (index, entry) in content.catalog.ingredients.enumerated() { bySlug[entry.slug] = index }
        ingredientBySlug = bySlug
    }
}

/// A monograph in a list: enough to show it and to fetch the whole record.
struct MonographSummary: Codable, Sendable, Equatable {
    var id: String
    var slug: String
    var collection: String
    var title: String
    var kind: MonographKind
    var ingredients: [Ingredient]
    var lastModified: String
    var aiGenerated: Bool
    var banned: Bool
    /// The page on the site.
    var url: String
    /// The whole record in the API.
    var record: String

    init(_ page: PageSummary) {
        id = page.id
        slug = page.slug
        collection = page.collection
        title = page.title
        kind = page.kind
        ingredients = page.ingredients
        lastModified = page.lastModified
        aiGenerated = page.aiGenerated
        banned = page.banned
        url = "/" + SiteURLs.percentEncoded(SiteURLs.monographPath(page.id))
        record = "/api/v1/monographs/" + SiteURLs.percentEncoded(page.id)
    }
}

/// One page of a list: `limit` items from `offset`, of `total`.
struct Listing<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    var total: Int
    var offset: Int
    var limit: Int
    var items: [Item]
    /// The next page of the list, or nil on the last.
    var next: String?
}

struct IngredientSummary: Codable, Sendable, Equatable {
    var name: String
    var slug: String
    /// How many pages contain it.
    var pages: Int
    var record: String
}

struct IngredientRecord: Codable, Sendable, Equatable {
    var name: String
    var slug: String
    /// The page about this ingredient alone, when the site has one.
    var page: MonographSummary?
    /// Every page that contains it, by title.
    var pages: [MonographSummary]
}

struct Health: Codable, Sendable {
    var status: String
    var pages: Int
    var generation: Int
    /// The last build's error, while it stands.
    var buildError: String?
}

/// An error as RFC 9457 problem details (`application/problem+json`).
struct Problem: Codable, Sendable, Equatable, Error {
    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String
    /// The request path.
    var instance: String?

    static func badRequest(_ detail: String) -> Problem { Problem(title: "Bad Request", status: 400, detail: detail) }
    static func notFound(_ detail: String) -> Problem { Problem(title: "Not Found", status: 404, detail: detail) }
}
