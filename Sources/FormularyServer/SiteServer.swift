import FormularyModel
import FormularyParsing
import FormularySearch
import FormularySite
import Foundation
import HTTPTypes
import NIOCore

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
    let searchCache = SearchCache(
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
    func respond(method: HTTPRequest.Method, target rawTarget: String, headers: RequestHeaders) -> ServerResponse {
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

    private func answer(method: HTTPRequest.Method, target rawTarget: String, headers: RequestHeaders) -> ServerResponse
    {
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
        if headers.transferEncoding {
            return problem(
                Problem(
                    title: "Length Required", status: 411,
                    detail: "request bodies must come with a Content-Length (of at most \(options.largestBody) bytes)"),
                instance: target.path)
        }
        if let length = headers.contentLength.flatMap({ Int($0) }), length > options.largestBody {
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

    private func staticFile(_ path: String, target: RequestTarget, headers: RequestHeaders) -> ServerResponse? {
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
    func serve(_ file: ServedFile, status: HTTPResponse.Status, headers: RequestHeaders) -> ServerResponse {
        let gzip = file.gzipped != nil && Self.acceptsGzip(headers.acceptEncoding)
        let fields = gzip ? file.gzipHeaders : file.headers
        if status == .ok {
            let etag = gzip ? file.gzipETag : file.etag
            var notModified = false
            if let match = headers.ifNoneMatch {
                notModified = Self.matches(match, etag: etag)
            } else if let since = headers.ifModifiedSince.flatMap(HTTPDate.parse) {
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

    private func notFoundPage(headers: RequestHeaders) -> ServerResponse {
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

    // MARK: Writing

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(value))) ?? Array("{}".utf8)
    }

    func json<T: Encodable>(_ value: T, cacheControl: String = "no-cache") -> ServerResponse {
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

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
