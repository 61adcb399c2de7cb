import FormularyModel
import FormularyStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What a contribution request carries through Hummingbird's router: the client's address,
/// and what the middleware found out (the decoded target, the body, who is asking, the
/// language of the review pages).
struct ContributionContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address, for rate limits.
    let peer: String
    /// The request target, decoded (`RequestTarget.parse`: the strict parser static files use).
    var target = RequestTarget(path: "/", query: [])
    var headers = HTTPFields()
    /// The Host the request was sent to.
    var authority: String?
    var method: HTTPRequest.Method = .get
    /// A POST's body, read up to the server's limit.
    var body: [UInt8] = []
    /// A page form's fields (POST to `/_formulary/`).
    var form = Form()
    var visitor = Visitor()
    /// The language the review pages are shown in.
    var language = ""
    /// When a request to a shared store is answered 503 (`StoreGuard`).
    var deadline: ContinuousClock.Instant?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// A context for a request that did not come from a socket (tests).
    init(peer: String, logger: Logger) {
        coreContext = .init(source: DetachedSource(logger: logger))
        self.peer = peer
    }

    private struct DetachedSource: RequestContextSource {
        var logger: Logger
    }

    var door: ContributionRoute.Door { target.path.hasPrefix("/api/") ? .api : .pages }
}

/// Who is asking: a person signed in with a cookie, a person with an API token, or nobody.
struct Visitor: Sendable {
    var user: User?
    /// The browser session, when signed in with a cookie.
    var session: SessionRecord?
    /// The `formulary_csrf` cookie of a signed-out browser.
    var anonymousCSRF: String?

    /// The form token this visitor's forms carry.
    var csrf: String? { session?.csrf ?? anonymousCSRF }
}
