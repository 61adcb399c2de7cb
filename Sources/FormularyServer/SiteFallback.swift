import Hummingbird

/// The site's own answers (files, search, the JSON API, health) for requests that reach the
/// router: `DirectResponder` answers them itself, except one pipelined behind a request it
/// passed on, which goes the same way so that responses keep the order of requests. Without
/// this, such a request was answered 404 (the router has no route for the site's files).
struct SiteFallback: RouterMiddleware {
    let server: SiteServer

    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        let target = request.head.path ?? "/"
        if server.passesOn(target) { return try await next(request, context) }
        return Serve.response(
            server.respond(method: request.method, target: target, headers: RequestHeaders(request.headers)))
    }
}
