import FormularyAsync
import FormularyModel
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One route of the contributions: its door (the JSON API under `/api/v1/`, or the review
/// pages under `/_formulary/`), method, path in Hummingbird's syntax (`suggestions/:number`)
/// and what answers it.
struct ContributionRoute: Sendable {
    enum Door: Sendable {
        /// JSON, API tokens only (a browser's cookie does not drive it, so it needs no CSRF defence).
        case api
        /// Server-rendered pages that work without JavaScript; forms carry a form token.
        case pages

        var root: String { self == .api ? "/api/v1" : "/_formulary" }
    }

    let door: Door
    let method: HTTPRequest.Method
    let path: String
    /// Whether a page form must carry the visitor's form token. A reader's report and a search
    /// that found nothing come from static pages, which have none: they change no page and
    /// ride no one's session (their Origin is checked, and they are limited per address).
    var needsFormToken = true
    /// For a path ending in `**` (a page id with slashes): the last segment it must have
    /// (`/api/v1/monographs/{id}/review`); the router cannot say so itself.
    var lastSegment: String?
    let answer: @Sendable (ContributionServer, ContributionContext) async throws -> ServerResponse

    init(
        _ door: Door, _ method: HTTPRequest.Method, _ path: String, needsFormToken: Bool = true,
        lastSegment: String? = nil,
        _ answer: @escaping @Sendable (ContributionServer, ContributionContext) async throws -> ServerResponse
    ) {
        self.door = door
        self.method = method
        self.path = path
        self.needsFormToken = needsFormToken
        self.lastSegment = lastSegment
        self.answer = answer
    }

    /// The full path (`/api/v1/suggestions/:number`).
    var fullPath: String { door.root + "/" + path }

    /// Whether `path` (decoded, without query) is this route's, whatever the method.
    func matches(_ path: String) -> Bool {
        if let lastSegment, !path.hasSuffix("/" + lastSegment) { return false }
        let want = fullPath.split(separator: "/")
        let have = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard have.count >= want.count else { return false }
        for (pattern, segment) in zip(want, have) {
            if pattern == "**" {
                // At least one segment of the id, then the last segment.
                guard let lastSegment else { return true }
                return have.count >= want.count + 1 && have.last.map(String.init) == lastSegment
            }
            if pattern.hasPrefix(":") ? segment.isEmpty : pattern != segment { return false }
        }
        return have.count == want.count
    }
}

extension ContributionServer {
    /// Every route of the contributions: the one table the router, the 405 answers and the
    /// OpenAPI test (`ContributionRoutesTests`) read.
    static let routes: [ContributionRoute] =
        AccountRoutes.routes + SuggestionRoutes.routes + HistoryRoutes.routes + SignOffRoutes.routes
        + ReportRoutes.routes

    /// Whether a path is answered here rather than from the built site (`DirectResponder`
    /// passes these on to Hummingbird). Asked for every request the server gets: a page or an
    /// API record is told apart by a prefix and a dictionary lookup, without walking the table.
    static func handles(_ path: String) -> Bool {
        if path.hasPrefix("/_formulary/") {
            return !path.hasPrefix("/_formulary/live.js") && !path.hasPrefix("/_formulary/events")
        }
        guard path.hasPrefix("/api/v1/") else { return false }
        let rest = path.dropFirst("/api/v1/".count)
        let first = rest.prefix(while: { $0 != "/" })
        guard let candidates = apiRoutes[String(first)] else { return false }
        return candidates.contains { $0.matches(path) }
    }

    /// The API's routes by their first segment (`suggestions`, `monographs`).
    private static let apiRoutes: [String: [ContributionRoute]] = Dictionary(
        grouping: routes.filter { $0.door == .api }, by: { String($0.path.prefix(while: { $0 != "/" })) })

    /// The methods `path` takes, or nil when no route has it.
    static func allowedMethods(_ path: String) -> [HTTPRequest.Method]? {
        let methods = routes.filter { $0.matches(path) }.map(\.method)
        return methods.isEmpty ? nil : methods
    }

    /// Adds the contribution routes to `router`: one `RouteCollection` a door, each with the
    /// middleware that door needs, under the middleware both share.
    func addRoutes(to router: Router<ContributionContext>, largestBody: Int) {
        router.add(middleware: ContributionErrors(server: self))
        router.add(middleware: RequestReader(server: self, largestBody: largestBody))
        router.add(middleware: StoreGuard(server: self))
        for door in [ContributionRoute.Door.api, .pages] {
            let collection = RouteCollection(context: ContributionContext.self)
            collection.add(middleware: DoorMiddleware(server: self, door: door))
            for route in Self.routes where route.door == door {
                collection.on(RouterPath(route.path), method: route.method) { [self] _, context in
                    // `monographs/**` takes any id: the rest of the path must be this route's.
                    if route.lastSegment != nil, !route.matches(context.target.path) {
                        throw ContributionErrors.webError(
                            HTTPError(.notFound), method: route.method, path: context.target.path)
                    }
                    var context = context
                    if door == .pages, route.method == .post {
                        context.form = try Form(context.body)
                        if route.needsFormToken { try Self.checkCSRF(context.form, visitor: context.visitor) }
                    }
                    let answering = context
                    return Serve.response(try await context.within { try await route.answer(self, answering) })
                }
            }
            router.addRoutes(collection, atPath: RouterPath(door.root))
        }
    }

    /// The router's answer for the contributions alone (tests; `Serve` puts the routes on the
    /// application's router).
    func responder(largestBody: Int = 1024 * 1024) -> RouterResponder<ContributionContext> {
        let router = Router(context: ContributionContext.self, options: .autoGenerateHeadEndpoints)
        addRoutes(to: router, largestBody: largestBody)
        return router.buildResponder()
    }

    /// Answers a request without a socket, as the server would (tests).
    static func respond(
        _ responder: RouterResponder<ContributionContext>, method: HTTPRequest.Method, target: String,
        headers: HTTPFields, body: [UInt8], authority: String?, peer: String
    ) async -> ServerResponse {
        let request = Request(
            head: HTTPRequest(
                method: method, scheme: "http", authority: authority, path: target, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = ContributionContext(peer: peer, logger: Logger(label: "formulary-test"))
        do {
            let response = try await responder.respond(to: request, context: context)
            let collected = CollectedBody.Bytes()
            try await response.body.write(CollectedBody(into: collected))
            return ServerResponse(
                status: response.status, headers: response.headers,
                body: .bytes(ByteBuffer(bytes: collected.value.withLock { $0 })))
        } catch {
            return ServerResponse(status: .internalServerError, headers: [:], body: .none)
        }
    }

    /// The CSRF check for a form: its `csrf` field must be the visitor's form token.
    static func checkCSRF(_ form: Form, visitor: Visitor) throws {
        guard let expected = visitor.csrf, let sent = form["csrf"], Tokens.same(expected, sent) else {
            throw WebError.forbidden(
                "this form has expired or did not come from this site; go back, reload the page and send it again")
        }
    }

    static let sessionCookie = "formulary_session"
    static let csrfCookie = "formulary_csrf"
    static let languageCookie = "formulary_lang"
}

/// A response body written into memory.
private struct CollectedBody: ResponseBodyWriter {
    final class Bytes: Sendable {
        let value = Locked<[UInt8]>([])
    }

    let into: Bytes
    mutating func write(_ buffer: ByteBuffer) async throws { into.value.withLock { $0 += buffer.readableBytesView } }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

// MARK: Middleware

/// Reads what every contribution request needs before it is routed: its target (strictly
/// decoded), its body (POST, up to the limit), and the language its pages are shown in.
struct RequestReader: RouterMiddleware {
    let server: ContributionServer
    let largestBody: Int

    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.method = request.method
        context.headers = request.headers
        context.authority = request.head.authority
        do throws(RequestTarget.Failure) {
            context.target = try RequestTarget.parse(request.head.path ?? "/")
        } catch {
            throw WebError.badRequest("the request target is not valid")
        }
        if request.method == .post {
            do {
                context.body = Array(try await request.body.collect(upTo: largestBody).readableBytesView)
            } catch {
                throw WebError.contentTooLarge(largestBody)
            }
        }
        // The JSON API has no pages: no language to choose.
        guard context.door == .pages else { return try await next(request, context) }
        let chosen = server.language(for: context.target, headers: request.headers)
        context.language = chosen.language
        var response = try await next(request, context)
        if let cookie = chosen.remember {
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: "\(ContributionServer.languageCookie)=\(cookie); Path=/_formulary/; HttpOnly; SameSite=Lax"))
        }
        return response
    }
}

/// With a shared store: answers 503 at once while the store did not answer last time the feed
/// was read, and otherwise gives the request until `storeDeadline` (a store that goes away
/// mid-request would hold it until the connection pool gives up): the visitor's lookup and the
/// route's answer each run `within` what is left of it.
struct StoreGuard: RouterMiddleware {
    let server: ContributionServer

    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        guard let following = server.following else { return try await next(request, context) }
        guard following.withLock({ $0.reachable }) else {
            throw WebError.unavailable("the database cannot be reached; the site is served as it was")
        }
        var context = context
        context.deadline = .now + ContributionServer.storeDeadline
        return try await next(request, context)
    }
}

extension ContributionContext {
    /// `work`, given until the request's deadline when it has one.
    func within<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let deadline else { return try await work() }
        return try await withDeadline(max(.zero, deadline - .now), work)
    }
}

/// A door's middleware: who is asking (an API token on either door; for pages, the session
/// cookie, and the form token of a signed-out browser, set on its first page: cookie and field
/// must match), and before a change (POST), that a form comes from this site (Origin, when the
/// browser sends it) and that changes by someone the site lets change things stay within the
/// rate limit, per person, else per address.
struct DoorMiddleware: RouterMiddleware {
    let server: ContributionServer
    let door: ContributionRoute.Door

    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let headers = request.headers
        context.visitor = try await context.within { [server, door] in
            try await server.visitor(headers: headers, door: door)
        }
        let visitor = context.visitor
        if request.method == .post {
            if door == .pages, !ContributionServer.sameOrigin(request.headers, authority: request.head.authority) {
                throw WebError.forbidden("this form was sent from another site")
            }
            if visitor.user != nil || server.settings.anonymous {
                let key = visitor.user.map { "user:" + $0.name } ?? "address:" + context.peer
                if let wait = server.limiter.take(key) { throw WebError.tooManyRequests(wait) }
            }
        }
        guard door == .pages, request.method == .get || request.method == .head, visitor.session == nil,
            visitor.anonymousCSRF == nil
        else { return try await next(request, context) }
        let token = Tokens.random()
        context.visitor.anonymousCSRF = token
        var response = try await next(request, context)
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: "\(ContributionServer.csrfCookie)=\(token); Path=/_formulary/; HttpOnly; SameSite=Strict"))
        return response
    }
}
