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
    /// Each page as the search index needs it, by path, with the file's stamp when it was read.
    let analysed: [String: (modified: Int64, size: Int64, page: SearchIndex.AnalysedPage)]

    /// The state for `content`; pages whose files did not change since `previous` are not
    /// analysed for search again (most of the time a new index takes).
    init(content: SiteContent, generation: Int, previous: APIState? = nil) {
        self.content = content
        self.generation = generation
        let kept: [SearchIndex.AnalysedPage?] = content.pages.map { page in
            guard let old = previous?.analysed[page.path], old.modified == page.modified, old.size == page.size
            else { return nil }
            return old.page
        }
        let missing = kept.indices.filter { kept[$0] == nil }
        var fresh = SearchIndex.analyse(missing.map { content.pages[$0].parsed }).makeIterator()
        let pages = kept.compactMap { $0 ?? fresh.next() }
        var analysed: [String: (modified: Int64, size: Int64, page: SearchIndex.AnalysedPage)] = [:]
        for (page, analysis) in zip(content.pages, pages) {
            analysed[page.path] = (page.modified, page.size, analysis)
        }
        self.analysed = analysed
        engine = SearchEngine(index: SearchIndex(analysed: pages))
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
    /// When the text last changed; absent when nothing says (never a file's modification time).
    var lastModified: String?
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
        lastModified = page.lastModified.isEmpty ? nil : page.lastModified
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
    /// With a store other servers share: how far this server's pages are behind it.
    var store: StoreStanding?

    struct StoreStanding: Codable, Sendable {
        /// The last change of the store's feed this server serves.
        var applied: Int
        /// The store's latest change, when last asked.
        var latest: Int
        var behind: Int
        var reachable: Bool
        /// Why the server is degraded on the store's account, when it is.
        var problem: String?
    }
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
