import FormularyModel
import FormularyParsing
import FormularySearch
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

// The JSON API of the built site: monographs, ingredients, search, the OpenAPI document.

extension SiteServer {
    // MARK: API

    func apiResponse(_ target: RequestTarget) -> ServerResponse {
        let path = target.path
        let api = self.api
        do throws(Problem) {
            try Self.checkParameters(target)
            switch path {
            case "/api/v1/openapi.json":
                var fields = Self.apiHeaders
                fields[.cacheControl] = "no-cache"
                return ServerResponse(
                    status: .ok, headers: fields,
                    body: .bytes(
                        ByteBuffer(
                            string: contributions == nil ? OpenAPIDocument.json : OpenAPIDocument.withContributions)))
            case "/api/v1/monographs", "/api/v1/monographs/":
                return json(try monographList(target, api: api))
            case "/api/v1/ingredients", "/api/v1/ingredients/":
                return json(try ingredientList(target, api: api))
            case "/api/v1/search":
                return search(target, api: api)
            default:
                break
            }
            if path.hasPrefix("/api/v1/monographs/") {
                var id = String(path.dropFirst("/api/v1/monographs/".count))
                if id.hasSuffix(".json") { id.removeLast(5) }
                guard let page = api.content.page(id: id) else {
                    throw Problem.notFound("no monograph has the id '\(id)'")
                }
                var fields = Self.apiHeaders
                fields[.lastModified] = nil
                return ServerResponse(
                    status: .ok, headers: fields,
                    body: .bytes(ByteBuffer(string: SiteContent.json(api.content.record(page)) + "\n")))
            }
            if path.hasPrefix("/api/v1/ingredients/") {
                let slug = String(path.dropFirst("/api/v1/ingredients/".count))
                guard let index = api.ingredientBySlug[slug] else {
                    throw Problem.notFound("no ingredient has the slug '\(slug)'")
                }
                let entry = api.content.catalog.ingredients[index]
                let catalog = api.content.catalog
                return json(
                    IngredientRecord(
                        name: entry.name, slug: entry.slug,
                        page: catalog.singlePage(forIngredient: entry.name).map(MonographSummary.init),
                        pages: entry.pages.map { MonographSummary(catalog.pages[$0]) }))
            }
            throw Problem.notFound("no API resource at \(path); the API is described at /api/v1/openapi.json")
        } catch {
            return problem(error, instance: path)
        }
    }

    /// The query parameters each API address takes; any other is refused, so that a typo
    /// (`knd=single`) is an error and not a filter silently ignored.
    static let parameters: [String: [String]] = [
        "/api/v1/monographs": ["kind", "ingredient", "collection", "regulatory", "limit", "offset"],
        "/api/v1/ingredients": ["prefix", "limit", "offset"],
        "/api/v1/search": ["q", "limit", "kind", "ingredient", "regulatory", "lang"],
    ]

    static func checkParameters(_ target: RequestTarget) throws(Problem) {
        var path = target.path
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        let allowed = parameters[path] ?? []
        for parameter in target.query where !allowed.contains(parameter.name) {
            let known = allowed.isEmpty ? "takes no parameters" : "takes " + allowed.joined(separator: ", ")
            let suggestion =
                Spelling.closest(to: parameter.name, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
            throw .badRequest("unknown parameter '\(parameter.name)': \(path) \(known)\(suggestion)")
        }
    }

    static let apiHeaders: HTTPFields = {
        var fields = securityHeaders
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-cache"
        // Open data: any site may read the API from a browser.
        fields[.accessControlAllowOrigin] = "*"
        return fields
    }()

    static func integer(_ target: RequestTarget, _ name: String, default value: Int, in range: ClosedRange<Int>)
        throws(Problem) -> Int
    {
        guard let text = target.parameter(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func kind(_ target: RequestTarget) throws(Problem) -> MonographKind? {
        guard let text = target.parameter("kind") else { return nil }
        guard let kind = MonographKind(rawValue: text) else {
            throw .badRequest(
                "kind must be one of \(MonographKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return kind
    }

    /// `lang`: one of the site's translation languages, or nil for its own. A preference, as
    /// Accept-Language is: a language the site has no pages in gives the site's language.
    static func language(_ target: RequestTarget, content: SiteContent) -> String? {
        guard let language = target.parameter("lang"), content.languages.contains(language) else { return nil }
        return language
    }

    static func regulatory(_ target: RequestTarget) throws(Problem) -> RegulatoryFilter? {
        guard let text = target.parameter("regulatory") else { return nil }
        guard let filter = RegulatoryFilter(rawValue: text) else {
            throw .badRequest(
                "regulatory must be one of \(RegulatoryFilter.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'"
            )
        }
        return filter
    }

    func monographList(_ target: RequestTarget, api: APIState) throws(Problem) -> Listing<MonographSummary> {
        let limit = try Self.integer(target, "limit", default: 50, in: 1...500)
        let offset = try Self.integer(target, "offset", default: 0, in: 0...Int(Int32.max))
        let kind = try Self.kind(target)
        let regulatory = try Self.regulatory(target)
        let collection = target.parameter("collection").flatMap { $0.isEmpty ? nil : $0 }
        let ingredientKey = target.parameter("ingredient").flatMap {
            $0.isEmpty ? nil : SiteCatalog.ingredientKey($0)
        }
        let catalog = api.content.catalog
        var candidates: [PageSummary]
        if let ingredientKey {
            candidates = catalog.ingredient(key: ingredientKey)?.pages.map { catalog.pages[$0] } ?? []
        } else {
            candidates = catalog.pages
        }
        if kind != nil || collection != nil || regulatory != nil {
            candidates = candidates.filter { page in
                (kind == nil || page.kind == kind) && (collection == nil || page.collection == collection)
                    && (regulatory == nil || page.banned == (regulatory == .banned))
            }
        }
        let items = candidates.dropFirst(offset).prefix(limit).map(MonographSummary.init)
        let nextOffset = offset + limit
        return Listing(
            total: candidates.count, offset: offset, limit: limit, items: Array(items),
            next: nextOffset < candidates.count ? Self.link(target, offset: nextOffset) : nil)
    }

    func ingredientList(_ target: RequestTarget, api: APIState) throws(Problem) -> Listing<IngredientSummary> {
        let limit = try Self.integer(target, "limit", default: 100, in: 1...1000)
        let offset = try Self.integer(target, "offset", default: 0, in: 0...Int(Int32.max))
        var entries = api.content.catalog.ingredients
        if let prefix = target.parameter("prefix")?.lowercased(), !prefix.isEmpty {
            entries = entries.filter { $0.name.lowercased().hasPrefix(prefix) }
        }
        let items = entries.dropFirst(offset).prefix(limit).map {
            IngredientSummary(
                name: $0.name, slug: $0.slug, pages: $0.pages.count,
                record: "/api/v1/ingredients/" + SiteURLs.percentEncoded($0.slug))
        }
        let nextOffset = offset + limit
        return Listing(
            total: entries.count, offset: offset, limit: limit, items: Array(items),
            next: nextOffset < entries.count ? Self.link(target, offset: nextOffset) : nil)
    }

    /// This request's address with another offset.
    static func link(_ target: RequestTarget, offset: Int) -> String {
        var parameters = target.query.filter { $0.name != "offset" }.map {
            SiteURLs.percentEncoded($0.name) + "=" + queryEncoded($0.value)
        }
        parameters.append("offset=\(offset)")
        return target.path + "?" + parameters.joined(separator: "&")
    }

    static func queryEncoded(_ value: String) -> String {
        SiteURLs.percentEncoded(value).replacingOccurrences(of: "&", with: "%26").replacingOccurrences(
            of: "=", with: "%3D"
        ).replacingOccurrences(of: "?", with: "%3F")
    }

    func search(_ target: RequestTarget, api: APIState) -> ServerResponse {
        let key = SearchCache.Key(
            generation: api.generation, query: target.parameter("q"), limit: target.parameter("limit"),
            kind: target.parameter("kind"), ingredient: target.parameter("ingredient"),
            regulatory: target.parameter("regulatory"), language: target.parameter("lang"))
        let body: ByteBuffer
        if let cached = searchCache.get(key) {
            body = cached
        } else {
            do throws(Problem) {
                guard let query = key.query,
                    !query.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" })
                else {
                    throw .badRequest("give the words to search for as q, as in /api/v1/search?q=paracetamol")
                }
                guard query.count <= 256 else { throw .badRequest("q is longer than 256 characters") }
                let options = SearchOptions(
                    limit: try Self.integer(target, "limit", default: 10, in: 1...100), kind: try Self.kind(target),
                    ingredient: key.ingredient.flatMap { $0.isEmpty ? nil : $0 },
                    regulatory: try Self.regulatory(target), language: Self.language(target, content: api.content))
                let response = api.engine.search(query, options: options)
                body = ByteBuffer(bytes: response.json())
                searchCache.set(key, body)
            } catch {
                return problem(error, instance: target.path)
            }
        }
        return ServerResponse(status: .ok, headers: Self.apiHeaders, body: .bytes(body))
    }

    /// Whether a search answer lists no results (its JSON is short and says `"results":[]`).
    static func foundNothing(_ response: ServerResponse) -> Bool {
        guard case .bytes(let body) = response.body, body.readableBytes < 1_000 else { return false }
        return body.readableBytesView.withUnsafeBytes { bytes in
            let needle = Array("\"results\":[]".utf8)
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if zip(bytes[start..<(start + needle.count)], needle).allSatisfy({ $0 == $1 }) { return true }
            }
            return false
        }
    }
}
