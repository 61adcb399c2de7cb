import FormularyModel
import FormularyParsing
import FormularySearch
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

/// A response before it meets the wire.
struct ServerResponse: Sendable {
    enum Body: Sendable {
        case bytes(ByteBuffer)
        case none
        /// Server-Sent Events until the stream ends.
        case events(AsyncStream<String>)
    }

    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Body
    /// `status` and `headers` already serialized, with Content-Length, up to the Date line.
    var wireHead: ByteBuffer?

    var bodyBytes: [UInt8] {
        if case .bytes(let buffer) = body { return Array(buffer.readableBytesView) }
        return []
    }
}

/// Everything the server answers, without the HTTP machinery: the built site's files, the
/// JSON API, search, health and live reload. `HTTPServer` puts it on a socket; tests call
/// `respond` directly.
final class SiteServer: Sendable {
    struct Options: Sendable {
        /// Add the live reload script to pages and serve its events.
        var liveReload = false
        /// Longest request body taken (bytes); the site takes none, so this only bounds what is read.
        var largestBody = 1024 * 1024
    }

    let files: SiteFiles
    let liveReload: LiveReload?
    /// Suggested edits and reviews, when the site takes them.
    let contributions: ContributionServer?
    /// Page views and searches that found nothing, with a store to keep them in.
    let counts: ReaderCounts?
    let options: Options
    private let state: Locked<APIState>
    /// `FORMULARY_SEARCH_CACHE=N` holds N answers (0: none, for measuring the engine alone).
    private let searchCache = SearchCache(
        capacity: ProcessInfo.processInfo.environment["FORMULARY_SEARCH_CACHE"].flatMap { Int($0) } ?? 4096)

    /// Headers on every response.
    static let securityHeaders: HTTPFields = {
        var fields = HTTPFields()
        fields[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        fields[.xContentTypeOptions] = "nosniff"
        fields[.referrerPolicy] = "strict-origin-when-cross-origin"
        fields[.xFrameOptions] = "DENY"
        return fields
    }()

    init(
        outputFolder: String, content: SiteContent, options: Options, contributions: ContributionServer? = nil,
        counts: ReaderCounts? = nil
    ) {
        self.options = options
        self.contributions = contributions
        self.counts = counts
        var fileOptions = SiteFiles.Options(security: Self.securityHeaders)
        if options.liveReload {
            fileOptions.htmlInjection = "<script src=\"/_formulary/live.js\" defer></script>\n"
            // Everything may change at the next save.
            fileOptions.assetCacheControl = "no-cache"
        }
        files = SiteFiles(folder: outputFolder, options: fileOptions)
        files.refresh()
        liveReload = options.liveReload ? LiveReload() : nil
        state = Locked(APIState(content: content, generation: 0))
    }

    var api: APIState { state.withLock { $0 } }

    /// Whether a request goes to Hummingbird's responder (the event stream, contribution
    /// pages and API) rather than being answered from memory at once.
    func passesOn(_ target: String) -> Bool {
        if target.hasPrefix("/_formulary/events") { return true }
        guard contributions != nil else { return false }
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(target[..<$0]) } ?? target
        return ContributionServer.handles(path)
    }

    /// Serves `content` from now on (after the content changed).
    func replaceContent(_ content: SiteContent) {
        let previous = state.withLock { $0 }
        let next = APIState(content: content, generation: previous.generation + 1, previous: previous)
        state.withLock { $0 = next }
    }

    // MARK: Answering

    /// The answer to a request; a HEAD request gets GET's status and headers, with GET's
    /// Content-Length, and no body.
    func respond(method: HTTPRequest.Method, target rawTarget: String, headers: HTTPFields) -> ServerResponse {
        var response = answer(method: method, target: rawTarget, headers: headers)
        // Page views are counted by the connection that answered (DirectResponder's tally).
        if let counts, method == .get, response.status.code == 200, rawTarget.hasPrefix("/api/v1/search?"),
            Self.foundNothing(response)
        {
            counts.miss((try? RequestTarget.parse(rawTarget))?.parameter("q") ?? "")
        }
        if method == .head {
            if case .bytes(let body) = response.body { response.headers[.contentLength] = String(body.readableBytes) }
            response.body = .none
            response.wireHead = nil
        }
        return response
    }

    private func answer(method: HTTPRequest.Method, target rawTarget: String, headers: HTTPFields) -> ServerResponse {
        let target: RequestTarget
        do throws(RequestTarget.Failure) {
            target = try RequestTarget.parse(rawTarget)
        } catch {
            switch error {
            case .tooLong:
                return problem(
                    Problem(
                        title: "URI Too Long", status: 414,
                        detail: "the request target is longer than \(RequestTarget.longestTarget) bytes"))
            case .malformed(let reason):
                return problem(.badRequest(reason))
            }
        }
        // The site takes no bodies: one of unknown length is not read to find out how long it is.
        if headers[.transferEncoding] != nil {
            return problem(
                Problem(
                    title: "Length Required", status: 411,
                    detail: "request bodies must come with a Content-Length (of at most \(options.largestBody) bytes)"),
                instance: target.path)
        }
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > options.largestBody {
            return problem(
                Problem(
                    title: "Content Too Large", status: 413,
                    detail: "request bodies are limited to \(options.largestBody) bytes"),
                instance: target.path)
        }
        guard method == .get || method == .head else {
            var response = problem(
                Problem(
                    title: "Method Not Allowed", status: 405,
                    detail: "\(method.rawValue) is not allowed here; this server answers GET and HEAD"),
                instance: target.path)
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        let path = target.path
        // Files first: the built site holds api/v1/index.json and api/v1/monographs/ID.json too.
        if let response = staticFile(path, target: target, headers: headers) {
            return response
        }
        if path == "/healthz" {
            do throws(Problem) {
                try Self.checkParameters(target)
            } catch {
                return problem(error, instance: path)
            }
            return health()
        }
        if path.hasPrefix("/_formulary/"), let liveReload {
            if path == "/_formulary/live.js" {
                var fields = Self.securityHeaders
                fields[.contentType] = "text/javascript; charset=utf-8"
                fields[.cacheControl] = "no-cache"
                return ServerResponse(
                    status: .ok, headers: fields,
                    body: .bytes(ByteBuffer(string: LiveReload.script)))
            }
            if path == "/_formulary/events" {
                var fields = Self.securityHeaders
                fields[.contentType] = "text/event-stream"
                fields[.cacheControl] = "no-cache"
                // A HEAD request gets the headers, not a stream.
                return ServerResponse(
                    status: .ok, headers: fields, body: method == .head ? .none : .events(liveReload.subscribe()))
            }
        }
        if path == "/api" || path.hasPrefix("/api/") {
            return apiResponse(target)
        }
        return notFoundPage(headers: headers)
    }

    // MARK: Files

    private func staticFile(_ path: String, target: RequestTarget, headers: HTTPFields) -> ServerResponse? {
        var relative = String(path.dropFirst())
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        if let file = files.file(relative) {
            return serve(file, status: .ok, headers: headers)
        }
        // `/composition/paracetamol` → `/composition/paracetamol/`, as every static server does.
        if !path.hasSuffix("/"), files.contains(relative + "/index.html") {
            var fields = Self.securityHeaders
            var location = SiteURLs.percentEncoded(path) + "/"
            if !target.query.isEmpty {
                location +=
                    "?"
                    + target.query.map { SiteURLs.percentEncoded($0.name) + "=" + SiteURLs.percentEncoded($0.value) }
                    .joined(separator: "&")
            }
            fields[.location] = location
            fields[.cacheControl] = "no-cache"
            return ServerResponse(status: .movedPermanently, headers: fields, body: .none)
        }
        return nil
    }

    /// A file with conditional requests (ETag first, then Last-Modified) and gzip when the client takes it.
    func serve(_ file: ServedFile, status: HTTPResponse.Status, headers: HTTPFields) -> ServerResponse {
        let gzip = file.gzipped != nil && Self.acceptsGzip(headers[.acceptEncoding])
        let fields = gzip ? file.gzipHeaders : file.headers
        if status == .ok {
            let etag = gzip ? file.gzipETag : file.etag
            var notModified = false
            if let match = headers[.ifNoneMatch] {
                notModified = Self.matches(match, etag: etag)
            } else if let since = headers[.ifModifiedSince].flatMap(HTTPDate.parse) {
                notModified = file.modified <= since
            }
            if notModified {
                return ServerResponse(status: .notModified, headers: fields, body: .none)
            }
        }
        return ServerResponse(
            status: status, headers: fields, body: .bytes(gzip ? file.gzipped! : file.body),
            wireHead: status == .ok ? (gzip ? file.gzipWireHead : file.wireHead) : nil)
    }

    /// If-None-Match against an ETag, by weak comparison (RFC 9110 13.1.2).
    static func matches(_ header: String, etag: String) -> Bool {
        let wanted = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == wanted { return true }
        }
        return false
    }

    /// Whether Accept-Encoding takes gzip (not refused with `q=0`).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var star = false
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                    quality = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if name == "gzip" || name == "x-gzip" { return quality > 0 }
            if name == "*" { star = quality > 0 }
        }
        return star
    }

    private func notFoundPage(headers: HTTPFields) -> ServerResponse {
        if let page = files.file("404.html") {
            return serve(page, status: .notFound, headers: headers)
        }
        var fields = Self.securityHeaders
        fields[.contentType] = "text/plain; charset=utf-8"
        return ServerResponse(
            status: .notFound, headers: fields,
            body: .bytes(ByteBuffer(string: "Not found\n")))
    }

    private func health() -> ServerResponse {
        let api = self.api
        let status = liveReload?.status
        let store = contributions?.following.map { following in
            let standing = following.withLock { $0 }
            return Health.StoreStanding(
                applied: standing.applied, latest: standing.latest, behind: standing.behind,
                reachable: standing.reachable, problem: standing.problem())
        }
        return json(
            Health(
                status: status?.buildError == nil && store?.problem == nil ? "ok" : "degraded",
                pages: api.content.pages.count, generation: api.generation, buildError: status?.buildError,
                store: store),
            cacheControl: "no-store")
    }

    // MARK: API

    private func apiResponse(_ target: RequestTarget) -> ServerResponse {
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

    private static func checkParameters(_ target: RequestTarget) throws(Problem) {
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

    private static func integer(_ target: RequestTarget, _ name: String, default value: Int, in range: ClosedRange<Int>)
        throws(Problem) -> Int
    {
        guard let text = target.parameter(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func kind(_ target: RequestTarget) throws(Problem) -> MonographKind? {
        guard let text = target.parameter("kind") else { return nil }
        guard let kind = MonographKind(rawValue: text) else {
            throw .badRequest(
                "kind must be one of \(MonographKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return kind
    }

    /// `lang`: one of the site's translation languages, or nil for its own. A preference, as
    /// Accept-Language is: a language the site has no pages in gives the site's language.
    private static func language(_ target: RequestTarget, content: SiteContent) -> String? {
        guard let language = target.parameter("lang"), content.languages.contains(language) else { return nil }
        return language
    }

    private static func regulatory(_ target: RequestTarget) throws(Problem) -> RegulatoryFilter? {
        guard let text = target.parameter("regulatory") else { return nil }
        guard let filter = RegulatoryFilter(rawValue: text) else {
            throw .badRequest(
                "regulatory must be one of \(RegulatoryFilter.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'"
            )
        }
        return filter
    }

    private func monographList(_ target: RequestTarget, api: APIState) throws(Problem) -> Listing<MonographSummary> {
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

    private func ingredientList(_ target: RequestTarget, api: APIState) throws(Problem) -> Listing<IngredientSummary> {
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
    private static func link(_ target: RequestTarget, offset: Int) -> String {
        var parameters = target.query.filter { $0.name != "offset" }.map {
            SiteURLs.percentEncoded($0.name) + "=" + queryEncoded($0.value)
        }
        parameters.append("offset=\(offset)")
        return target.path + "?" + parameters.joined(separator: "&")
    }

    private static func queryEncoded(_ value: String) -> String {
        SiteURLs.percentEncoded(value).replacingOccurrences(of: "&", with: "%26").replacingOccurrences(
            of: "=", with: "%3D"
        ).replacingOccurrences(of: "?", with: "%3F")
    }

    private func search(_ target: RequestTarget, api: APIState) -> ServerResponse {
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
                body = ByteBuffer(bytes: Self.encode(response))
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

    // MARK: Writing

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(value))) ?? Array("{}".utf8)
    }

    private func json<T: Encodable>(_ value: T, cacheControl: String = "no-cache") -> ServerResponse {
        var fields = Self.apiHeaders
        fields[.cacheControl] = cacheControl
        return ServerResponse(
            status: .ok, headers: fields, body: .bytes(ByteBuffer(bytes: Self.encode(value))))
    }

    func problem(_ problem: Problem, instance: String? = nil) -> ServerResponse {
        var problem = problem
        problem.instance = instance ?? problem.instance
        var fields = Self.securityHeaders
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        fields[.accessControlAllowOrigin] = "*"
        return ServerResponse(
            status: HTTPResponse.Status(code: problem.status, reasonPhrase: problem.title), headers: fields,
            body: .bytes(ByteBuffer(bytes: Self.encode(problem))))
    }
}

/// Search answers by query, for the queries people repeat. Two generations of entries: when
/// the newer fills up it becomes the older and the oldest are dropped, so recently used
/// answers stay without tracking order on every hit.
final class SearchCache: Sendable {
    struct Key: Hashable, Sendable {
        var generation: Int
        var query: String?
        var limit: String?
        var kind: String?
        var ingredient: String?
        var regulatory: String?
        var language: String?
    }

    private struct Generations {
        var newer: [Key: ByteBuffer] = [:]
        var older: [Key: ByteBuffer] = [:]
    }

    private let capacity: Int
    private let storage = Locked(Generations())

    init(capacity: Int) { self.capacity = capacity }

    func get(_ key: Key) -> ByteBuffer? {
        storage.withLock { storage in
            if let value = storage.newer[key] { return value }
            guard let value = storage.older.removeValue(forKey: key) else { return nil }
            insert(key, value, into: &storage)
            return value
        }
    }

    func set(_ key: Key, _ value: ByteBuffer) {
        guard capacity > 0 else { return }
        storage.withLock { insert(key, value, into: &$0) }
    }

    private func insert(_ key: Key, _ value: ByteBuffer, into storage: inout Generations) {
        if storage.newer.count >= capacity / 2 {
            storage.older = storage.newer
            storage.newer = [:]
        }
        storage.newer[key] = value
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
