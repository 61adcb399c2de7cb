import FormularyModel
import FormularyReview
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Logging
import NIOCore

/// A request for the contribution pages or API, with its body read.
struct ContributionRequest: Sendable {
    var method: HTTPRequest.Method
    var target: RequestTarget
    var headers: HTTPFields
    var body: [UInt8]
    /// The Host the request was sent to.
    var authority: String?
    /// The client's address, for rate limits.
    var peer: String
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

/// Suggested edits, the review queue, history and revert: server-rendered pages that work
/// without JavaScript under `/_formulary/`, and the same actions as JSON under
/// `/api/v1/suggestions` and `/api/v1/revisions` (API tokens only: a browser's cookie does
/// not drive the JSON API, so it needs no CSRF defence).
///
/// Every change is made through `Contributions` (a revision first, then the Markdown file),
/// then `changed` rebuilds the site before the response goes out, so the next page view
/// shows it.
final class ContributionServer: Sendable {
    let contributions: Contributions
    let accounts: Accounts
    let settings: SiteConfiguration.ContributionSettings
    let siteTitle: String
    let styleURL: String
    /// Rebuilds the site after an accepted change; with `true`, returns when the new pages
    /// are served (a person in a browser goes on to look); the API does not wait, and changes
    /// coming faster than rebuilds share one.
    let changed: @Sendable (_ wait: Bool) async -> Void
    let limiter: RateLimiter
    /// Readers' reports, per address: open to anyone, so limited on their own.
    let reportLimiter = RateLimiter(perMinute: ContributionServer.reportsPerMinute)
    static let reportsPerMinute = 5
    /// Sign-in attempts a minute from one address.
    let signInLimiter = RateLimiter(perMinute: 10)
    /// Server errors go here in full; the person sees a sentence without the database's details.
    private let logger = Logger(label: "formulary-contributions")
    /// With a shared store, whether it answered last time the feed was read: while it does not,
    /// requests are answered at once with 503 instead of waiting for a connection.
    let following: Locked<FollowerStatus>?
    /// How long a request may wait on the store before it is answered 503.
    static let storeDeadline: Duration = .seconds(20)

    /// The site's coverage for the store's sign-offs (the pages the server serves).
    let coverage: (@Sendable (ReviewLedger) -> Coverage)?
    /// Where the search page's "found nothing" goes (with a store).
    let counts: ReaderCounts?
    /// The worklist of the pages the server serves, for the store's sign-offs, open reports
    /// (by page: their sections) and views.
    let worklist: (@Sendable (ReviewLedger, [String: [String]], [String: Int], Worklist.Filter) -> Worklist)?
    /// Searches reported as finding nothing, per address.
    let missLimiter = RateLimiter(perMinute: 30)

    init(
        contributions: Contributions, accounts: Accounts, settings: SiteConfiguration.ContributionSettings,
        siteTitle: String, styleURL: String, following: Locked<FollowerStatus>? = nil,
        coverage: (@Sendable (ReviewLedger) -> Coverage)? = nil, counts: ReaderCounts? = nil,
        worklist: (@Sendable (ReviewLedger, [String: [String]], [String: Int], Worklist.Filter) -> Worklist)? = nil,
        changed: @escaping @Sendable (_ wait: Bool) async -> Void
    ) {
        self.coverage = coverage
        self.worklist = worklist
        self.counts = counts
        self.following = following
        self.contributions = contributions
        self.accounts = accounts
        self.settings = settings
        self.siteTitle = siteTitle
        self.styleURL = styleURL
        self.changed = changed
        limiter = RateLimiter(perMinute: settings.rateLimit)
    }

    var store: any ContributionStore { contributions.store }

    /// Whether a path is answered here rather than from the built site.
    static func handles(_ path: String) -> Bool {
        (path.hasPrefix("/_formulary/") && !path.hasPrefix("/_formulary/live.js")
            && !path.hasPrefix("/_formulary/events"))
            || path == "/api/v1/suggestions" || path.hasPrefix("/api/v1/suggestions/")
            || path == "/api/v1/revisions" || path.hasPrefix("/api/v1/revisions/") || path == "/api/v1/me"
            || path == "/api/v1/coverage" || path == "/api/v1/reports" || path.hasPrefix("/api/v1/reports/")
            || (path.hasPrefix("/api/v1/monographs/") && (path.hasSuffix("/sign-off") || path.hasSuffix("/review")))
    }

    static let sessionCookie = "formulary_session"
    static let csrfCookie = "formulary_csrf"

    func respond(_ request: ContributionRequest) async -> ServerResponse {
        let path = request.target.path
        let isAPI = path.hasPrefix("/api/")
        do {
            if let following, !following.withLock({ $0.reachable }) {
                throw WebError.unavailable("the database cannot be reached; the site is served as it was")
            }
            guard following != nil else { return try await answer(request, path: path, isAPI: isAPI) }
            // A shared store that goes away mid-request would hold the request until the
            // connection pool gives up: answer 503 at the deadline instead.
            return try await withDeadline(Self.storeDeadline) {
                try await self.answer(request, path: path, isAPI: isAPI)
            }
        } catch is DeadlinePassed {
            let web = WebError.unavailable("the database did not answer in time; try again shortly")
            return isAPI ? apiError(web, path: path) : htmlError(web, request: request)
        } catch let error as WebError {
            return isAPI ? apiError(error, path: path) : htmlError(error, request: request)
        } catch {
            logger.error("\(request.method.rawValue) \(path): \(error)")
            let web = WebError.server("the server could not do this; its log says why")
            return isAPI ? apiError(web, path: path) : htmlError(web, request: request)
        }
    }

    private func answer(_ request: ContributionRequest, path: String, isAPI: Bool) async throws -> ServerResponse {
        do {
            let visitor = try await visitor(for: request, api: isAPI)
            let allowed = isAPI ? Self.apiMethods(path) : Self.pageMethods(path)
            let method = request.method == .head ? .get : request.method
            guard let allowed else { throw WebError.notFound("there is nothing at \(path)") }
            guard allowed.contains(method) else {
                throw WebError.methodNotAllowed(allowed.map(\.rawValue).joined(separator: ", "))
            }
            if request.method == .post {
                // Origin, when the browser sends it, must be this server.
                if !isAPI, !Self.sameOrigin(request.headers, authority: request.authority) {
                    throw WebError.forbidden("this form was sent from another site")
                }
                // Changes by someone the site lets change things: per person, else per address.
                if visitor.user != nil || settings.anonymous {
                    let key = visitor.user.map { "user:" + $0.name } ?? "address:" + request.peer
                    if let wait = limiter.take(key) { throw WebError.tooManyRequests(wait) }
                }
            }
            if isAPI {
                return try await api(request, visitor: visitor)
            }
            return try await page(request, visitor: visitor)
        } catch let error as WebError {
            return isAPI ? apiError(error, path: path) : htmlError(error, request: request)
        } catch let error as StoreError {
            switch error {
            // Not when the request was given up at its deadline: that answer says so already.
            case .database,
                .unavailable where !Task.isCancelled:
                logger.error("\(request.method.rawValue) \(path): \(error)")
            default: break
            }
            let web = WebError(error)
            return isAPI ? apiError(web, path: path) : htmlError(web, request: request)
        }
    }

    /// The methods a JSON API path takes; nil when there is no such path.
    static func apiMethods(_ path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3)
        switch (segments.first ?? "", segments.count) {
        case ("me", 1): return [.get]
        case ("suggestions", 1): return [.get, .post]
        case ("suggestions", 2): return [.get]
        case ("suggestions", 3)
        where ["approve", "reject", "request-changes", "withdraw"].contains(String(segments.last!)):
            return [.post]
        case ("revisions", 1): return [.get]
        case ("revisions", 2) where segments.last == "revert": return [.post]
        case ("coverage", 1): return [.get]
        case ("reports", 1): return [.get, .post]
        case ("reports", 3) where segments.last == "close": return [.post]
        case ("monographs", 3...) where segments.last == "sign-off": return [.post]
        case ("monographs", 3...) where segments.last == "review": return [.get]
        default: return nil
        }
    }

    /// The methods a contribution page takes; nil when there is no such page.
    static func pageMethods(_ path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2)
        switch (segments.first ?? "", segments.count) {
        case ("sign-in", 1), ("suggest", 1), ("suggestions", 2), ("sign-off", 1), ("report", 1): return [.get, .post]
        case ("search-miss", 1): return [.post]
        case ("reports", 3) where segments.last == "close": return [.post]
        case ("coverage", 1), ("worklist", 1): return [.get]
        case ("sign-out", 1), ("revert", 1), ("tokens", 1): return [.post]
        case ("review", 1), ("history", 1), ("compare", 1), ("account", 1): return [.get]
        default: return nil
        }
    }

    // MARK: Who is asking

    private func visitor(for request: ContributionRequest, api: Bool) async throws -> Visitor {
        var visitor = Visitor()
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                let user = try await accounts.tokenUser(String(authorization.dropFirst(7)))
            else { throw WebError.unauthorized("the API token is not valid") }
            visitor.user = user
            return visitor
        }
        let cookies = Self.cookies(request.headers)
        visitor.anonymousCSRF = cookies[Self.csrfCookie].flatMap { Tokens.isWellFormed($0) ? $0 : nil }
        // The JSON API is for tokens: a cookie there would make every API call a CSRF target.
        if !api, let token = cookies[Self.sessionCookie], let session = try await accounts.session(token: token),
            let user = try await store.user(named: session.user)?.user
        {
            visitor.user = user
            visitor.session = session
        }
        return visitor
    }

    static func cookies(_ headers: HTTPFields) -> [String: String] {
        var cookies: [String: String] = [:]
        for field in headers where field.name == .cookie {
            for pair in field.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if cookies[name] == nil { cookies[name] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return cookies
    }

    /// No Origin (an old browser, curl) passes; an Origin must name the host the request was sent to.
    static func sameOrigin(_ headers: HTTPFields, authority: String?) -> Bool {
        guard let origin = headers[.origin] else { return true }
        guard let host = authority else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// The CSRF check for a form: its `csrf` field must be the visitor's form token.
    private func checkCSRF(_ form: Form, visitor: Visitor) throws {
        guard let expected = visitor.csrf, let sent = form["csrf"], Tokens.same(expected, sent) else {
            throw WebError.forbidden(
                "this form has expired or did not come from this site; go back, reload the page and send it again")
        }
    }

    // MARK: Pages

    private func page(_ request: ContributionRequest, visitor: Visitor) async throws -> ServerResponse {
        guard request.method == .get, visitor.session == nil, visitor.anonymousCSRF == nil else {
            return try await route(request, visitor: visitor)
        }
        // A form token for a browser that has none yet (double-submit: cookie and field must match).
        var visitor = visitor
        let token = Tokens.random()
        visitor.anonymousCSRF = token
        var response = try await route(request, visitor: visitor)
        response.headers.append(
            HTTPField(
                name: .setCookie, value: "\(Self.csrfCookie)=\(token); Path=/_formulary/; HttpOnly; SameSite=Strict"))
        return response
    }

    private func route(_ request: ContributionRequest, visitor: Visitor) async throws -> ServerResponse {
        let target = request.target
        let post = request.method == .post
        let form = post ? try Form(request.body) : Form()
        let segments = target.path.split(separator: "/").dropFirst().map(String.init)
        // A reader's report comes from a static page, which has no form token; it changes no
        // page and rides no one's session: its Origin is checked, and it is limited per address.
        if post, segments.first != "report", segments.first != "search-miss" { try checkCSRF(form, visitor: visitor) }
        switch (segments.first ?? "", segments.count, post) {
        case ("sign-in", 1, false):
            return signInPage(visitor: visitor, next: target.parameter("next"), message: nil, name: "")
        case ("sign-in", 1, true):
            return try await signIn(form, visitor: visitor, request: request)
        case ("sign-out", 1, true):
            if let token = Self.cookies(request.headers)[Self.sessionCookie] {
                try await accounts.endSession(token: token)
            }
            var response = redirect(to: "/")
            response.headers.append(
                HTTPField(name: .setCookie, value: "\(Self.sessionCookie)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
            return response
        case ("suggest", 1, false):
            let id = try required(target.parameter("page"), "page")
            return try await suggestPage(id: id, section: target.parameter("section"), visitor: visitor)
        case ("suggest", 1, true):
            return try await suggest(form, visitor: visitor)
        case ("suggestions", 2, false):
            let sent =
                target.parameter("sent") == "1"
                ? "<div class=\"notice\" role=\"status\">Sent: reviewers see it in the review queue now.</div>\n" : nil
            return try await suggestionPage(number(segments[1]), visitor: visitor, notice: sent)
        case ("suggestions", 2, true):
            return try await decide(number(segments[1]), form: form, visitor: visitor)
        case ("review", 1, false):
            return try await queuePage(target, visitor: visitor)
        case ("history", 1, false):
            return try await historyPage(id: try required(target.parameter("page"), "page"), visitor: visitor)
        case ("compare", 1, false):
            return try await comparePage(target, visitor: visitor)
        case ("revert", 1, true):
            return try await revert(form, visitor: visitor)
        case ("account", 1, false):
            let user = try signedIn(visitor, request: request)
            return accountPage(user: user, visitor: visitor, newToken: nil)
        case ("sign-off", 1, false):
            let user = try signedIn(visitor, request: request)
            let id = try required(target.parameter("page"), "page")
            return try await signOffPage(id: id, user: user, visitor: visitor, done: target.parameter("done"))
        case ("sign-off", 1, true):
            let user = try signedIn(visitor, request: request)
            return try await signOff(form, user: user)
        case ("coverage", 1, false):
            return try await coveragePage(visitor: visitor)
        case ("worklist", 1, false):
            _ = try signedIn(visitor, request: request)
            return try await worklistPage(target, visitor: visitor)
        case ("search-miss", 1, true):
            // The search page says a search found nothing: counted (no address kept), 204.
            if missLimiter.take("address:" + request.peer) == nil { counts?.miss(form["q"] ?? "") }
            var fields = SiteServer.securityHeaders
            fields[.cacheControl] = "no-store"
            return ServerResponse(status: .noContent, headers: fields, body: .none)
        case ("report", 1, false):
            let id = try required(target.parameter("page"), "page")
            return try await reportPage(id: id, visitor: visitor, sent: target.parameter("sent") == "1")
        case ("report", 1, true):
            return try await report(form, peer: request.peer)
        case ("reports", 3, true) where segments[2] == "close":
            let user = try signedIn(visitor, request: request)
            try await contributions.closeReport(try number(segments[1]), reviewer: user.name, note: form["note"] ?? "")
            return redirect(to: "/_formulary/review?closed=" + segments[1])
        case ("tokens", 1, true):
            let user = try signedIn(visitor, request: request)
            let label = (form["label"] ?? "").trimmingCharacters(in: .whitespaces)
            let token = try await accounts.issueToken(for: user.name, label: label.isEmpty ? "API token" : label)
            return accountPage(user: user, visitor: visitor, newToken: token)
        default:
            throw WebError.notFound("there is no page at \(target.path)")
        }
    }

    private func signedIn(_ visitor: Visitor, request: ContributionRequest) throws -> User {
        guard let user = visitor.user else {
            throw WebError.signInRequired(
                next: request.method == .get ? request.target.path + Self.queryString(request.target) : "/")
        }
        return user
    }

    private func reviewer(_ visitor: Visitor) throws -> User {
        guard let user = visitor.user else { throw WebError.unauthorized("sign in as a reviewer first") }
        guard user.role.mayReview else {
            throw WebError.forbidden("\(user.name) is a contributor; only reviewers and admins may do this")
        }
        return user
    }

    private func signIn(_ form: Form, visitor: Visitor, request: ContributionRequest) async throws -> ServerResponse {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let next = Self.safeNext(form["next"])
        if let wait = signInLimiter.take("address:" + request.peer) { throw WebError.tooManyRequests(wait) }
        guard let user = try await accounts.verify(name: name, password: form["password"] ?? "") else {
            var response = signInPage(
                visitor: visitor, next: next, message: "That name and password do not match.", name: name)
            response.status = .unauthorized
            return response
        }
        let (token, _) = try await accounts.startSession(for: user)
        var response = redirect(to: next ?? "/_formulary/review")
        let secure = Self.isLocal(request.authority) ? "" : "; Secure"
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value:
                    "\(Self.sessionCookie)=\(token); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(Int(accounts.sessionLifetime))\(secure)"
            ))
        return response
    }

    /// Cookies go without `Secure` only to a server on this machine (plain http://localhost).
    static func isLocal(_ authority: String?) -> Bool {
        let host = (authority ?? "").lowercased()
        let name =
            host.hasPrefix("[")
            ? String(host.prefix(while: { $0 != "]" })) + "]" : String(host.split(separator: ":").first ?? "")
        return ["localhost", "127.0.0.1", "[::1]"].contains(name)
    }

    /// A `next` that stays on this site (a path, not `//elsewhere`).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return nil }
        return next
    }

    private func suggestPage(id: String, section: String?, visitor: Visitor) async throws -> ServerResponse {
        guard visitor.user != nil || settings.anonymous else {
            throw WebError.signInRequired(
                next: "/_formulary/suggest?page=" + Self.queryValue(id)
                    + (section.map { "&section=" + Self.queryValue($0) } ?? ""))
        }
        guard let monograph = try await store.monograph(id: id),
            let current = try await store.revision(of: id, number: monograph.currentRevision)
        else { throw WebError.notFound("no page has the id '\(id)'") }
        var text = current.markdown
        if let section {
            guard let part = SectionText(current.markdown, path: monograph.path).part(named: section) else {
                throw WebError.notFound("\(id) has no section '\(section)'")
            }
            text = part.text
        }
        return html(
            title: "Suggest an edit: \(id)", visitor: visitor,
            body: suggestForm(
                id: id, base: current.number, section: section, text: text, message: "", visitor: visitor,
                notice: nil))
    }

    private func suggestForm(
        id: String, base: Int, section: String?, text: String, message: String, visitor: Visitor, notice: String?
    ) -> String {
        var body = "<h1>Suggest an edit</h1>\n"
        body +=
            "<p>Page <a href=\"/_formulary/history?page=\(Self.escape(Self.queryValue(id)))\">\(Self.escape(id))</a>, revision \(base)"
        if let section { body += ", section <code>\(Self.escape(section))</code>" }
        body +=
            ". Edit the Markdown below; <em>Check</em> shows what <code>formulary check</code> finds, <em>Submit</em> sends it to the reviewers.</p>\n"
        if let notice { body += notice }
        if visitor.user == nil {
            body +=
                "<p class=\"notice\">You are not signed in: the suggestion will be recorded as from <em>anonymous</em>.</p>\n"
        }
        body += "<form method=\"post\" action=\"/_formulary/suggest\">\n"
        body += hidden("csrf", visitor.csrf ?? "") + hidden("page", id) + hidden("base", String(base))
        if let section { body += hidden("section", section) }
        body += "<label for=\"markdown\">\(section == nil ? "The page" : "The section, heading included")</label>\n"
        body += "<textarea id=\"markdown\" name=\"markdown\" spellcheck=\"true\">\(Self.escape(text))</textarea>\n"
        body += "<label for=\"message\">What you changed, and why</label>\n"
        body +=
            "<input type=\"text\" id=\"message\" name=\"message\" required maxlength=\"500\" value=\"\(Self.escape(message))\">\n"
        body += "<button type=\"submit\" name=\"action\" value=\"check\" class=\"secondary\">Check</button>"
        body += "<button type=\"submit\" name=\"action\" value=\"submit\">Submit suggestion</button>\n</form>\n"
        return body
    }

    private func suggest(_ form: Form, visitor: Visitor) async throws -> ServerResponse {
        guard visitor.user != nil || settings.anonymous else {
            throw WebError.unauthorized("sign in to suggest edits")
        }
        let id = try required(form["page"], "page")
        let base = try number(form["base"] ?? "")
        let section = form["section"].flatMap { $0.isEmpty ? nil : $0 }
        let text = Self.normalizedNewlines(try required(form["markdown"], "markdown"))
        let message = (form["message"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let monograph = try await store.monograph(id: id),
            let baseRevision = try await store.revision(of: id, number: base)
        else { throw WebError.notFound("no page has the id '\(id)' with revision \(base)") }
        // The whole page this suggestion makes, to check and to show as a diff.
        var page = text
        if let section {
            page = try Contributions.replacing(
                section: section, of: baseRevision.markdown, path: monograph.path, with: text)
        }
        // A textarea may lose the page's last newline on the way.
        if baseRevision.markdown.hasSuffix("\n"), !page.hasSuffix("\n") { page += "\n" }
        let errors = Contributions.checkErrors(page, path: monograph.path)
        let action = form["action"] ?? "submit"
        let acknowledged = form["acknowledge"] == "yes"
        if action == "check" || message.isEmpty || (!errors.isEmpty && !acknowledged) {
            var notice = ""
            if message.isEmpty && action != "check" {
                notice += "<div class=\"notice error\" role=\"alert\">Say what you changed, and why.</div>\n"
            }
            if errors.isEmpty {
                notice += "<div class=\"notice\" role=\"status\">No problems found.</div>\n"
            } else {
                notice +=
                    "<div class=\"notice error\" role=\"alert\"><strong>\(errors.count) problem(s) found</strong>; they block approval unless a reviewer overrides them.<ul>"
                notice += errors.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>\n"
                notice +=
                    "<form method=\"post\" action=\"/_formulary/suggest\">" + hidden("csrf", visitor.csrf ?? "")
                    + hidden("page", id) + hidden("base", String(base)) + (section.map { hidden("section", $0) } ?? "")
                    + hidden("markdown", text) + hidden("message", message) + hidden("acknowledge", "yes")
                    + (message.isEmpty
                        ? ""
                        : "<button type=\"submit\" name=\"action\" value=\"submit\">Submit anyway</button>")
                    + "</form></div>\n"
            }
            notice += "<h2>Your changes</h2>\n" + Self.diffHTML(from: baseRevision.markdown, to: page)
            return html(
                title: "Suggest an edit: \(id)", visitor: visitor,
                body: suggestForm(
                    id: id, base: base, section: section, text: text, message: message, visitor: visitor,
                    notice: notice))
        }
        let suggestion = try await contributions.suggest(
            monographID: id, markdown: page, author: visitor.user?.name ?? "anonymous", message: message,
            baseRevision: base)
        return redirect(to: "/_formulary/suggestions/\(suggestion.id)?sent=1")
    }

    private func suggestionPage(_ id: Int, visitor: Visitor, notice: String?) async throws -> ServerResponse {
        guard let suggestion = try await store.suggestion(id: id) else {
            throw WebError.notFound("there is no suggestion #\(id)")
        }
        // Pending text is for people signed in, and for its author.
        guard visitor.user != nil || suggestion.status == .approved else {
            throw WebError.signInRequired(next: "/_formulary/suggestions/\(id)")
        }
        var body =
            "<h1>Suggestion #\(id) <span class=\"status status-\(suggestion.status.rawValue)\">\(Self.statusLabel(suggestion.status))</span></h1>\n"
        if let notice { body += notice }
        body += "<dl class=\"facts\">"
        body +=
            "<dt>Page</dt><dd><a href=\"/_formulary/history?page=\(Self.escape(Self.queryValue(suggestion.monographID)))\">\(Self.escape(suggestion.monographID))</a></dd>"
        body +=
            "<dt>By</dt><dd>\(Self.escape(suggestion.author)), \(Self.escape(Self.shortDate(suggestion.createdAt)))</dd>"
        body += "<dt>Message</dt><dd>\(Self.escape(suggestion.message))</dd>"
        body += "<dt>Written against</dt><dd>revision \(suggestion.baseRevision)</dd>"
        if let reviewer = suggestion.reviewer {
            body +=
                "<dt>Decided by</dt><dd>\(Self.escape(reviewer))\(suggestion.decidedAt.map { ", " + Self.escape(Self.shortDate($0)) } ?? "")</dd>"
        }
        if let reason = suggestion.reason, !reason.isEmpty {
            body += "<dt>Reason</dt><dd>\(Self.escape(reason))</dd>"
        }
        body += "</dl>\n"
        if !suggestion.checkErrors.isEmpty {
            body +=
                "<div class=\"notice error\"><strong>Check errors</strong> (they block approval unless overridden with a reason):<ul>"
            body += suggestion.checkErrors.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul></div>\n"
        }
        var base = ""
        if suggestion.baseRevision > 0,
            let revision = try await store.revision(of: suggestion.monographID, number: suggestion.baseRevision)
        {
            base = revision.markdown
        }
        if suggestion.status == .pending {
            let merge = try await contributions.preview(suggestion)
            let current = try await store.monograph(id: suggestion.monographID)?.currentRevision ?? 0
            if current != suggestion.baseRevision && suggestion.baseRevision != 0 {
                body +=
                    merge.text == nil
                    ? "<div class=\"notice error\" role=\"alert\">The page is at revision \(current) now, and these sections were changed there too: \(Self.escape(merge.conflicts.joined(separator: ", "))). The author must rebase it.</div>\n"
                    : "<div class=\"notice\">Written against an older revision (the page is at \(current)); it touches only sections nobody changed since, so it merges cleanly.</div>\n"
            }
            let required = contributions.policy.required(for: merge.suggested)
            if !required.isEmpty {
                body +=
                    "<p>Changes to these sections need a reviewer qualified as <strong>\(Self.escape(required.joined(separator: ", ")))</strong>.</p>\n"
            }
        }
        body += "<h2>Changes</h2>\n" + Self.diffHTML(from: base, to: suggestion.markdown)
        if suggestion.status == .pending, let user = visitor.user {
            body += "<div class=\"actions\">"
            let action = "/_formulary/suggestions/\(id)"
            if user.role.mayReview && user.name != suggestion.author {
                body += "<form method=\"post\" action=\"\(action)\">" + hidden("csrf", visitor.csrf ?? "")
                body += "<h2>Approve</h2>"
                if !suggestion.checkErrors.isEmpty {
                    body +=
                        "<label for=\"override\">Why approve despite the check errors</label><input type=\"text\" id=\"override\" name=\"override\" required>"
                }
                body += "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button></form>"
                body += "<form method=\"post\" action=\"\(action)\">" + hidden("csrf", visitor.csrf ?? "")
                body +=
                    "<h2>Reject or send back</h2><label for=\"reason\">Reason, for the author</label><input type=\"text\" id=\"reason\" name=\"reason\" required>"
                body +=
                    "<button type=\"submit\" name=\"action\" value=\"request-changes\" class=\"secondary\">Request changes</button>"
                body +=
                    "<button type=\"submit\" name=\"action\" value=\"reject\" class=\"secondary\">Reject</button></form>"
            }
            if user.name == suggestion.author {
                body += "<form method=\"post\" action=\"\(action)\">" + hidden("csrf", visitor.csrf ?? "")
                body +=
                    "<h2>Withdraw</h2><button type=\"submit\" name=\"action\" value=\"withdraw\" class=\"secondary\">Withdraw this suggestion</button></form>"
            }
            body += "</div>\n"
        }
        return html(title: "Suggestion #\(id)", visitor: visitor, body: body)
    }

    private func decide(_ id: Int, form: Form, visitor: Visitor) async throws -> ServerResponse {
        guard let user = visitor.user else { throw WebError.unauthorized("sign in first") }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let notice: String
        switch form["action"] ?? "" {
        case "approve":
            let revision = try await approve(id, by: user, override: form["override"], wait: true)
            notice = "Approved: revision \(revision.number) of \(revision.monographID) is published."
        case "reject":
            _ = try reviewer(visitor)
            try await contributions.reject(suggestion: id, reviewer: user.name, reason: reason)
            notice = "Rejected."
        case "request-changes":
            _ = try reviewer(visitor)
            try await contributions.requestChanges(suggestion: id, reviewer: user.name, reason: reason)
            notice = "Sent back to its author."
        case "withdraw":
            try await contributions.withdraw(suggestion: id, by: user.name, reason: reason)
            notice = "Withdrawn."
        default:
            throw WebError.badRequest("say what to do: approve, reject, request-changes or withdraw")
        }
        return try await suggestionPage(
            id, visitor: visitor, notice: "<div class=\"notice\" role=\"status\">\(Self.escape(notice))</div>\n")
    }

    private func approve(_ id: Int, by user: User, override: String?, wait: Bool) async throws -> Revision {
        guard user.role.mayReview else {
            throw WebError.forbidden("\(user.name) is a contributor; only reviewers and admins may approve")
        }
        // Nobody approves their own suggestion: `Contributions.approve` refuses it (403).
        let revision = try await contributions.approve(
            suggestion: id, reviewer: user.name, override: override.flatMap { $0.isEmpty ? nil : $0 })
        await changed(wait)
        return revision
    }

    private func queuePage(_ target: RequestTarget, visitor: Visitor) async throws -> ServerResponse {
        guard visitor.user != nil else {
            throw WebError.signInRequired(next: "/_formulary/review" + Self.queryString(target))
        }
        let statusName = target.parameter("status") ?? "pending"
        let status = statusName == "all" ? nil : Suggestion.Status(rawValue: statusName)
        guard statusName == "all" || status != nil else {
            throw WebError.badRequest(
                "status must be one of all, " + Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let page = target.parameter("page").flatMap { $0.isEmpty ? nil : $0 }
        let offset = try bounded(target.parameter("offset"), "offset", 0...Int(Int32.max), default: 0)
        let shown = 100
        // One more than shown, to know whether there is a next page.
        var suggestions = try await store.suggestions(
            status: status, monographID: page, limit: shown + 1, offset: offset)
        let more = suggestions.count > shown
        suggestions = Array(suggestions.prefix(shown))
        var body = "<h1>Review queue</h1>\n<p>"
        body +=
            (["pending", "changes-requested", "approved", "rejected", "withdrawn", "all"].map { name in
                name == statusName
                    ? "<strong>\(name)</strong>"
                    : "<a href=\"/_formulary/review?status=\(name)\(page.map { "&amp;page=" + Self.escape(Self.queryValue($0)) } ?? "")\">\(name)</a>"
            }).joined(separator: " · ")
        body += "</p>\n"
        if suggestions.isEmpty {
            body += "<p>Nothing here.</p>\n"
        } else {
            body +=
                "<table class=\"listing\"><thead><tr><th>#</th><th>Page</th><th>By</th><th>Sent</th><th>Message</th><th>Status</th></tr></thead><tbody>\n"
            for suggestion in suggestions {
                body += "<tr><td><a href=\"/_formulary/suggestions/\(suggestion.id)\">#\(suggestion.id)</a></td>"
                body += "<td>\(Self.escape(suggestion.monographID))</td><td>\(Self.escape(suggestion.author))</td>"
                body +=
                    "<td>\(Self.escape(Self.shortDate(suggestion.createdAt)))</td><td>\(Self.escape(suggestion.message))</td>"
                body +=
                    "<td><span class=\"status status-\(suggestion.status.rawValue)\">\(Self.statusLabel(suggestion.status))</span>"
                if !suggestion.checkErrors.isEmpty { body += " (\(suggestion.checkErrors.count) check errors)" }
                body += "</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        if offset > 0 || more {
            let link = { (start: Int) in
                "/_formulary/review?status=\(statusName)&amp;offset=\(start)"
                    + (page.map { "&amp;page=" + Self.escape(Self.queryValue($0)) } ?? "")
            }
            body += "<p>"
            if offset > 0 { body += "<a href=\"\(link(max(0, offset - shown)))\">Older</a> " }
            body += "Showing \(offset + 1) to \(offset + suggestions.count)"
            if more { body += " <a href=\"\(link(offset + shown))\">Newer</a>" }
            body += "</p>\n"
        }
        body += try await openReports(page: page, visitor: visitor, closed: target.parameter("closed"))
        return html(title: "Review queue", visitor: visitor, body: body)
    }

    /// The open reports from readers, each with a form to close it (reviewers), after the suggestions.
    private func openReports(page: String?, visitor: Visitor, closed: String?) async throws -> String {
        let reports = try await store.reports(status: .open, monographID: page, limit: 200)
        var body = "<h2 id=\"reports\">Reports from readers</h2>\n"
        if let closed, Int(closed) != nil {
            body += "<div class=\"notice\" role=\"status\">Report #\(closed) is closed.</div>\n"
        }
        guard !reports.isEmpty else { return body + "<p>No open reports.</p>\n" }
        let mayClose = visitor.user?.role.mayReview ?? false
        body +=
            "<table class=\"listing\"><thead><tr><th>#</th><th>Page</th><th>Part</th><th>Sent</th><th>What is wrong</th><th>Contact</th><th></th></tr></thead><tbody>\n"
        for report in reports {
            let link = "/" + SiteURLs.percentEncoded(SiteURLs.monographPath(report.monographID))
            body +=
                "<tr><td>\(report.id)</td><td><a href=\"\(Self.escape(link))\">\(Self.escape(report.monographID))</a></td>"
            body +=
                "<td>\(Self.escape(report.section.isEmpty ? "the whole page" : SectionText.title(of: report.section)))</td>"
            body += "<td>\(Self.escape(Self.shortDate(report.createdAt)))</td><td>\(Self.escape(report.reason))</td>"
            // Only reviewers see how to reach a reader.
            body += "<td>\(mayClose ? Self.escape(report.contact) : report.contact.isEmpty ? "" : "(given)")</td><td>"
            if mayClose {
                body +=
                    "<form method=\"post\" action=\"/_formulary/reports/\(report.id)/close\" class=\"close-report\">"
                    + hidden("csrf", visitor.csrf ?? "")
                    + "<label for=\"note-\(report.id)\">Note</label><input type=\"text\" id=\"note-\(report.id)\" name=\"note\" required maxlength=\"500\">"
                    + "<button type=\"submit\" class=\"secondary\">Close</button></form>"
            }
            body += "</td></tr>\n"
        }
        return body + "</tbody></table>\n"
    }

    private func historyPage(id: String, visitor: Visitor) async throws -> ServerResponse {
        guard let monograph = try await store.monograph(id: id) else {
            throw WebError.notFound("no page has the id '\(id)'")
        }
        let revisions = try await store.revisions(of: id)
        let query = Self.escape(Self.queryValue(id))
        var body = "<h1>History of \(Self.escape(id))</h1>\n"
        body += "<p><a href=\"/_formulary/suggest?page=\(query)\">Suggest an edit</a></p>\n"
        if visitor.user != nil {
            let pending = try await store.suggestions(status: .pending, monographID: id)
            if !pending.isEmpty {
                body += "<h2>Pending suggestions</h2><ul>"
                for suggestion in pending {
                    body +=
                        "<li><a href=\"/_formulary/suggestions/\(suggestion.id)\">#\(suggestion.id)</a> by \(Self.escape(suggestion.author)): \(Self.escape(suggestion.message))</li>"
                }
                body += "</ul>\n"
            }
        }
        body +=
            "<h2>Revisions</h2>\n<table class=\"listing\"><thead><tr><th>Revision</th><th>Date</th><th>Author</th><th>Message</th><th></th></tr></thead><tbody>\n"
        let mayRevert = visitor.user?.role.mayReview ?? false
        for revision in revisions.reversed() {
            body += "<tr><td>\(revision.number)\(revision.number == monograph.currentRevision ? " (current)" : "")</td>"
            body +=
                "<td>\(Self.escape(Self.shortDate(revision.createdAt)))</td><td>\(Self.escape(revision.author))</td>"
            body += "<td>\(Self.escape(revision.message))</td><td>"
            if let parent = revision.parent {
                body +=
                    "<a href=\"/_formulary/compare?page=\(query)&amp;from=\(parent)&amp;to=\(revision.number)\">changes</a>"
            }
            if mayRevert, revision.number != monograph.currentRevision {
                body +=
                    "<form method=\"post\" action=\"/_formulary/revert\">" + hidden("csrf", visitor.csrf ?? "")
                    + hidden("page", id) + hidden("to", String(revision.number))
                    + "<button type=\"submit\" class=\"secondary\">Revert to \(revision.number)</button></form>"
            }
            body += "</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if revisions.count > 1 {
            // Any two revisions, without JavaScript: a form that asks for the compare page.
            let options = { (selected: Int) in
                revisions.reversed().map {
                    "<option value=\"\($0.number)\"\($0.number == selected ? " selected" : "")>\($0.number)</option>"
                }.joined()
            }
            body += "<form method=\"get\" action=\"/_formulary/compare\" class=\"compare\">" + hidden("page", id)
            body +=
                "<h2>Compare two revisions</h2><label for=\"from\">From</label><select id=\"from\" name=\"from\">"
                + options(revisions[revisions.count - 2].number) + "</select>"
            body +=
                "<label for=\"to\">To</label><select id=\"to\" name=\"to\">" + options(monograph.currentRevision)
                + "</select><button type=\"submit\">Compare</button></form>\n"
        }
        return html(title: "History: \(id)", visitor: visitor, body: body)
    }

    private func comparePage(_ target: RequestTarget, visitor: Visitor) async throws -> ServerResponse {
        let id = try required(target.parameter("page"), "page")
        let from = try number(target.parameter("from") ?? "")
        let to = try number(target.parameter("to") ?? "")
        guard let old = try await store.revision(of: id, number: from),
            let new = try await store.revision(of: id, number: to)
        else { throw WebError.notFound("\(id) has no revision \(from) or \(to)") }
        var body = "<h1>\(Self.escape(id)): revision \(from) to \(to)</h1>\n"
        body += "<p><a href=\"/_formulary/history?page=\(Self.escape(Self.queryValue(id)))\">History</a></p>\n"
        body += Self.diffHTML(from: old.markdown, to: new.markdown)
        return html(title: "Compare revisions: \(id)", visitor: visitor, body: body)
    }

    private func revert(_ form: Form, visitor: Visitor) async throws -> ServerResponse {
        let user = try reviewer(visitor)
        let id = try required(form["page"], "page")
        let to = try number(form["to"] ?? "")
        _ = try await contributions.revert(monographID: id, to: to, author: user.name)
        await changed(true)
        return redirect(to: "/_formulary/history?page=" + Self.queryValue(id))
    }

    private func signInPage(visitor: Visitor, next: String?, message: String?, name: String) -> ServerResponse {
        var body = "<h1>Sign in</h1>\n"
        if let message { body += "<div class=\"notice error\" role=\"alert\">\(Self.escape(message))</div>\n" }
        if let user = visitor.user { body += "<p>You are signed in as \(Self.escape(user.name)).</p>\n" }
        body += "<form method=\"post\" action=\"/_formulary/sign-in\">" + hidden("csrf", visitor.csrf ?? "")
        if let next = Self.safeNext(next) { body += hidden("next", next) }
        body +=
            "<label for=\"name\">Name</label><input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"username\" required value=\"\(Self.escape(name))\">"
        body +=
            "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
        body += "<button type=\"submit\">Sign in</button></form>\n"
        body += "<p>Accounts are made by the site's administrators (<code>formulary user add</code>).</p>\n"
        return html(title: "Sign in", visitor: visitor, body: body)
    }

    private func accountPage(user: User, visitor: Visitor, newToken: String?) -> ServerResponse {
        var body = "<h1>\(Self.escape(user.name))</h1>\n<p>Role: \(user.role.rawValue)"
        if !user.qualifications.isEmpty {
            body += "; qualified as \(Self.escape(user.qualifications.joined(separator: ", ")))"
        }
        body += ".</p>\n"
        if let newToken {
            body +=
                "<div class=\"notice\" role=\"status\">Your new API token (shown this once; keep it secret): <code id=\"new-token\">\(Self.escape(newToken))</code></div>\n"
        }
        body +=
            "<h2>API tokens</h2><p>For scripts: send <code>Authorization: Bearer TOKEN</code> to <code>/api/v1/suggestions</code>.</p>"
        body += "<form method=\"post\" action=\"/_formulary/tokens\">" + hidden("csrf", visitor.csrf ?? "")
        body +=
            "<label for=\"label\">What it is for</label><input type=\"text\" id=\"label\" name=\"label\" maxlength=\"100\">"
        body += "<button type=\"submit\">Make a token</button></form>\n"
        var response = html(title: "Account", visitor: visitor, body: body)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: JSON API

    private func api(_ request: ContributionRequest, visitor: Visitor) async throws -> ServerResponse {
        let target = request.target
        let segments = target.path.split(separator: "/").dropFirst(2).map(String.init)
        let post = request.method == .post
        switch (segments.first ?? "", segments.count, post) {
        case ("me", 1, false):
            guard let user = visitor.user else { throw WebError.unauthorized("send an API token") }
            return json(.ok, user)
        case ("suggestions", 1, false):
            guard visitor.user != nil else { throw WebError.unauthorized("send an API token") }
            let status = try target.parameter("status").map { name -> Suggestion.Status in
                guard let status = Suggestion.Status(rawValue: name) else {
                    throw WebError.badRequest(
                        "status must be one of " + Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return status
            }
            let limit = try bounded(target.parameter("limit"), "limit", 1...500, default: 100)
            let offset = try bounded(target.parameter("offset"), "offset", 0...Int(Int32.max), default: 0)
            let list = try await store.suggestions(
                status: status, monographID: target.parameter("monograph"), limit: limit, offset: offset)
            return json(.ok, SuggestionList(suggestions: list))
        case ("suggestions", 1, true):
            return try await apiSuggest(request, visitor: visitor)
        case ("suggestions", 2, false):
            guard visitor.user != nil else { throw WebError.unauthorized("send an API token") }
            let id = try number(segments[1])
            guard let suggestion = try await store.suggestion(id: id) else {
                throw WebError.notFound("there is no suggestion #\(id)")
            }
            let merge = suggestion.status == .pending ? try await contributions.preview(suggestion) : nil
            return json(
                .ok,
                SuggestionDetail(
                    suggestion: suggestion, mergesCleanly: merge.map { $0.text != nil },
                    conflicts: merge?.conflicts ?? [], sections: merge?.suggested ?? []))
        case ("suggestions", 3, true):
            guard let user = visitor.user else { throw WebError.unauthorized("send an API token") }
            let id = try number(segments[1])
            let input = try JSONBody<DecisionInput>.decode(request.body, allowEmpty: true) ?? DecisionInput()
            let reason = input.reason ?? ""
            switch segments[2] {
            case "approve":
                let revision = try await approve(id, by: user, override: input.override, wait: false)
                return json(.ok, revision)
            case "reject", "request-changes":
                guard user.role.mayReview else {
                    throw WebError.forbidden("\(user.name) is a contributor; only reviewers and admins may do this")
                }
                if segments[2] == "reject" {
                    try await contributions.reject(suggestion: id, reviewer: user.name, reason: reason)
                } else {
                    try await contributions.requestChanges(suggestion: id, reviewer: user.name, reason: reason)
                }
            case "withdraw":
                try await contributions.withdraw(suggestion: id, by: user.name, reason: reason)
            default:
                throw WebError.notFound("no action '\(segments[2])'; use approve, reject, request-changes or withdraw")
            }
            guard let suggestion = try await store.suggestion(id: id) else {
                throw WebError.notFound("there is no suggestion #\(id)")
            }
            return json(.ok, suggestion)
        case ("revisions", 1, false):
            let id = try required(target.parameter("monograph"), "monograph")
            guard try await store.monograph(id: id) != nil else {
                throw WebError.notFound("no page has the id '\(id)'")
            }
            if let number = target.parameter("number") {
                guard let revision = try await store.revision(of: id, number: try self.number(number)) else {
                    throw WebError.notFound("\(id) has no revision \(number)")
                }
                return json(.ok, revision)
            }
            let revisions = try await store.revisions(of: id).map {
                RevisionSummary(
                    number: $0.number, parent: $0.parent, author: $0.author, message: $0.message,
                    createdAt: $0.createdAt)
            }
            return json(.ok, RevisionList(monograph: id, revisions: revisions))
        case ("reports", 1, true):
            if let wait = reportLimiter.take("address:" + request.peer) { throw WebError.tooManyRequests(wait) }
            guard let input = try JSONBody<ReportInput>.decode(request.body, allowEmpty: false) else {
                throw WebError.badRequest("send {\"monograph\": ID, \"reason\": TEXT}")
            }
            let report = try await contributions.report(
                monographID: input.monograph, section: input.section ?? "", reason: input.reason,
                contact: input.contact ?? "")
            return json(.created, report)
        case ("reports", 1, false):
            _ = try reviewer(visitor)
            let status = try target.parameter("status").map { name -> ReaderReport.Status in
                guard let status = ReaderReport.Status(rawValue: name) else {
                    throw WebError.badRequest("status must be open or closed")
                }
                return status
            }
            let limit = try bounded(target.parameter("limit"), "limit", 1...1000, default: 100)
            let reports = try await store.reports(
                status: status, monographID: target.parameter("monograph"), limit: limit)
            return json(.ok, ReportList(reports: reports))
        case ("reports", 3, true) where segments[2] == "close":
            let user = try reviewer(visitor)
            let id = try number(segments[1])
            let input = try JSONBody<CloseInput>.decode(request.body, allowEmpty: true) ?? CloseInput()
            try await contributions.closeReport(id, reviewer: user.name, note: input.note ?? "")
            guard let report = try await store.report(id: id) else { throw WebError.notFound("no report #\(id)") }
            return json(.ok, report)
        case ("coverage", 1, false):
            guard let coverage else { throw WebError.notFound("coverage is not available here") }
            var counts = coverage(try await store.reviewLedger())
            counts.count(
                views: try await store.views(
                    since: Clock.day(daysAgo: 30)))
            return jsonText(.ok, counts.json)
        case ("monographs", 3..., true) where segments.last == "sign-off":
            guard let user = visitor.user else { throw WebError.unauthorized("send an API token") }
            let id = segments.dropFirst().dropLast().joined(separator: "/")
            let input = try JSONBody<SignOffInput>.decode(request.body, allowEmpty: true) ?? SignOffInput()
            let (signed, review) = try await contributions.signOffReviewing(
                monographID: id, sections: input.sections ?? [], reviewer: user.name, message: input.message ?? "",
                revision: input.revision)
            await changed(false)
            return json(
                .created,
                SignOffResult(
                    monograph: id, revision: signed.first?.revision ?? 0, signedOff: signed,
                    state: review.state.rawValue))
        case ("monographs", 3..., false) where segments.last == "review":
            let id = segments.dropFirst().dropLast().joined(separator: "/")
            guard let monograph = try await store.monograph(id: id) else {
                throw WebError.notFound("no page has the id '\(id)'")
            }
            let review = try await contributions.review(of: id)
            return json(.ok, ReviewResult(monograph: id, revision: monograph.currentRevision, review: review))
        case ("revisions", 2, true) where segments[1] == "revert":
            let user = try reviewer(visitor)
            guard let input = try JSONBody<RevertInput>.decode(request.body, allowEmpty: false) else {
                throw WebError.badRequest("send {\"monograph\": ID, \"to\": N}")
            }
            let revision = try await contributions.revert(monographID: input.monograph, to: input.to, author: user.name)
            await changed(false)
            return json(.created, revision)
        default:
            throw WebError.notFound("there is no API at \(request.method.rawValue) \(target.path)")
        }
    }

    private func apiSuggest(_ request: ContributionRequest, visitor: Visitor) async throws -> ServerResponse {
        guard visitor.user != nil || settings.anonymous else { throw WebError.unauthorized("send an API token") }
        guard let input = try JSONBody<SuggestionInput>.decode(request.body, allowEmpty: false) else {
            throw WebError.badRequest("send {\"monograph\": ID, \"markdown\": TEXT, \"message\": WHY}")
        }
        let author = visitor.user?.name ?? "anonymous"
        let message = input.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw WebError.unprocessable("say what changed, and why, in 'message'") }
        let markdown: String
        switch (input.markdown, input.section, input.text) {
        case (let text?, nil, nil): markdown = Self.normalizedNewlines(text)
        case (nil, let section?, let text?):
            if request.target.parameter("dryRun") == "true" {
                throw WebError.badRequest("dryRun takes a whole page ('markdown')")
            }
            let suggestion = try await contributions.suggestSection(
                monographID: input.monograph, section: section, text: Self.normalizedNewlines(text), author: author,
                message: message, baseRevision: input.baseRevision)
            return json(.created, suggestion)
        default:
            throw WebError.badRequest("send either 'markdown' (the whole page) or 'section' with 'text'")
        }
        if request.target.parameter("dryRun") == "true" {
            guard let monograph = try await store.monograph(id: input.monograph) else {
                throw WebError.notFound("no page has the id '\(input.monograph)'")
            }
            return json(.ok, CheckResult(checkErrors: Contributions.checkErrors(markdown, path: monograph.path)))
        }
        let suggestion = try await contributions.suggest(
            monographID: input.monograph, markdown: markdown, author: author, message: message,
            baseRevision: input.baseRevision)
        return json(.created, suggestion)
    }

    // MARK: Answers

    private func html(title: String, visitor: Visitor, body: String) -> ServerResponse {
        var page = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"robots\" content=\"noindex\">\n"
        page += "<title>\(Self.escape(title)) · \(Self.escape(siteTitle))</title>\n"
        page += "<link rel=\"stylesheet\" href=\"\(Self.escape(styleURL))\">\n</head>\n<body>\n"
        page +=
            "<header class=\"site-header\"><div class=\"wrap header-row\"><a class=\"brand\" href=\"/\"><span>\(Self.escape(siteTitle))</span></a>"
        page += "<nav class=\"site-nav\" aria-label=\"Contributions\">"
        if let user = visitor.user {
            page +=
                "<a href=\"/_formulary/review\">Review queue</a><a href=\"/_formulary/worklist\">Worklist</a>"
                + "<a href=\"/_formulary/coverage\">Coverage</a><a href=\"/_formulary/account\">\(Self.escape(user.name))</a>"
            if visitor.session != nil {
                page +=
                    "<form method=\"post\" action=\"/_formulary/sign-out\" class=\"inline\">"
                    + hidden("csrf", visitor.csrf ?? "")
                    + "<button type=\"submit\" class=\"link\">Sign out</button></form>"
            }
        } else {
            page += "<a href=\"/_formulary/sign-in\">Sign in</a>"
        }
        page += "</nav></div></header>\n<main id=\"main\" class=\"wrap\"><div class=\"workflow\">\n"
        page += body
        page += "</div></main>\n</body>\n</html>\n"
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: .ok, headers: fields, body: .bytes(ByteBuffer(string: page)))
    }

    // MARK: Sign-offs and coverage

    /// A page's sections as they stand, each with its check, and a form to sign off the ones
    /// the reviewer ticks (none is ticked for them: a sign-off is a deliberate act).
    private func signOffPage(id: String, user: User, visitor: Visitor, done: String?) async throws -> ServerResponse {
        guard let monograph = try await store.monograph(id: id) else {
            throw WebError.notFound("no page has the id '\(id)'")
        }
        let review = try await contributions.review(of: id)
        let policy = contributions.policy
        var body = "<h1>Sign off \(Self.escape(id))</h1>\n"
        body +=
            "<p><a href=\"/\(Self.escape(SiteURLs.percentEncoded(SiteURLs.monographPath(id))))\">Read the page</a></p>\n"
        if let done {
            body +=
                "<div class=\"notice\" role=\"status\">Signed off: \(Self.escape(done)). The page now shows it.</div>\n"
        }
        body +=
            "<p>The page is <strong>\(Self.escape(review.state.label))</strong> at revision \(monograph.currentRevision). "
            + "Tick the sections you have checked and found right, as they stand now. A sign-off holds until the section's text changes.</p>\n"
        guard user.role.mayReview else {
            body += "<p>\(Self.escape(user.name)) is a contributor: only reviewers and admins sign off pages.</p>\n"
            return html(title: "Sign off \(id)", visitor: visitor, body: body)
        }
        let qualified = Set(user.qualifications)
        body += "<form method=\"post\" action=\"/_formulary/sign-off\" class=\"sign-off\">"
        body +=
            hidden("csrf", visitor.csrf ?? "") + hidden("page", id)
            + hidden("revision", String(monograph.currentRevision))
        body += "<fieldset><legend>Sections</legend>\n"
        for section in review.sections {
            let needed = policy.required(for: [section.name])
            let allowed = needed.allSatisfy(qualified.contains)
            let field = "section-" + Self.fieldName(section.name)
            var state = "not checked"
            if let signOff = section.signedOff {
                state = "checked by \(signOff.reviewer) on \(Self.shortDate(signOff.at))"
            } else if let old = section.changedSince {
                state = "changed since \(old.reviewer) checked it on \(Self.shortDate(old.at))"
            }
            body +=
                "<div class=\"check\"><input type=\"checkbox\" id=\"\(field)\" name=\"section:\(Self.escape(section.name))\""
            body += allowed ? "" : " disabled"
            body +=
                "><label for=\"\(field)\">\(Self.escape(section.title)) <span class=\"muted\">(\(Self.escape(state))"
            body += allowed ? ")" : "; needs a reviewer qualified as \(Self.escape(needed.joined(separator: ", "))))"
            body += "</span></label></div>\n"
        }
        body += "</fieldset>\n"
        body +=
            "<label for=\"message\">Note (optional: what you checked it against)</label><input type=\"text\" id=\"message\" name=\"message\" maxlength=\"500\">\n"
        body += "<button type=\"submit\">Sign off the ticked sections</button></form>\n"
        body +=
            "<p><a href=\"/_formulary/history?page=\(Self.escape(Self.queryValue(id)))\">History</a> · <a href=\"/_formulary/suggest?page=\(Self.escape(Self.queryValue(id)))\">Suggest an edit instead</a></p>\n"
        return html(title: "Sign off \(id)", visitor: visitor, body: body)
    }

    private func signOff(_ form: Form, user: User) async throws -> ServerResponse {
        let id = try required(form["page"], "page")
        let revision = try number(form["revision"] ?? "")
        let sections = form.names(withPrefix: "section:")
        guard !sections.isEmpty else { throw WebError.badRequest("tick at least one section to sign off") }
        let signed = try await contributions.signOff(
            monographID: id, sections: sections, reviewer: user.name,
            message: (form["message"] ?? "").trimmingCharacters(in: .whitespaces), revision: revision)
        await changed(true)
        let titles = signed.map { SectionText.title(of: $0.section) }.joined(separator: ", ")
        return redirect(
            to: "/_formulary/sign-off?page=" + Self.queryValue(id) + "&done=" + Self.queryValue(titles))
    }

    /// How much of the site is reviewed: counts, by collection and by section.
    private func coveragePage(visitor: Visitor) async throws -> ServerResponse {
        guard let coverage else { throw WebError.notFound("coverage is not available here") }
        var counts = coverage(try await store.reviewLedger())
        counts.count(
            views: try await store.views(
                since: Clock.day(daysAgo: 30)))
        func percent(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "–" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
        }
        var body = "<h1>Review coverage</h1>\n"
        body +=
            "<p><strong>\(counts.total.reviewed)</strong> of \(counts.total.pages) pages reviewed (every section checked on its current text), "
            + "<strong>\(counts.total.partlyReviewed)</strong> partly reviewed, \(counts.total.notReviewed) not reviewed.</p>\n"
        if counts.mostOpened.pages > 0 {
            body +=
                "<p>Of the \(counts.mostOpened.pages) pages readers opened most in the last 30 days, <strong>\(counts.mostOpened.reviewed)</strong> are reviewed and \(counts.mostOpened.partlyReviewed) partly.</p>\n"
        }
        body +=
            "<h2>By collection</h2>\n<table class=\"listing\"><thead><tr><th>Collection</th><th>Pages</th><th>Reviewed</th><th>Partly</th><th>Not reviewed</th></tr></thead><tbody>\n"
        for (name, row) in counts.collections.sorted(by: { $0.key < $1.key }) {
            body +=
                "<tr><td>\(Self.escape(name))</td><td>\(row.pages)</td><td>\(row.reviewed)</td><td>\(row.partlyReviewed)</td><td>\(row.notReviewed)</td></tr>\n"
        }
        body += "</tbody></table>\n"
        body +=
            "<h2>By section</h2>\n<table class=\"listing\"><thead><tr><th>Section</th><th>Pages with it</th><th>Signed off</th><th></th></tr></thead><tbody>\n"
        for section in counts.sectionList {
            body +=
                "<tr><td>\(Self.escape(section.title))</td><td>\(section.pages)</td><td>\(section.signedOff)</td><td>\(percent(section.signedOff, section.pages))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return html(title: "Review coverage", visitor: visitor, body: body)
    }

    /// A reader's report form for one page (what the page's own form sends, for browsers that
    /// come here), or the thanks after one was sent.
    private func reportPage(id: String, visitor: Visitor, sent: Bool) async throws -> ServerResponse {
        guard let monograph = try await store.monograph(id: id),
            let current = try await store.revision(of: id, number: monograph.currentRevision)
        else { throw WebError.notFound("no page has the id '\(id)'") }
        let link = "/" + SiteURLs.percentEncoded(SiteURLs.monographPath(id))
        var body = "<h1>Report a problem with \(Self.escape(id))</h1>\n"
        if sent {
            body +=
                "<div class=\"notice\" role=\"status\">Thank you: the report is with the site's reviewers, who check the page and close the report with a note.</div>\n"
            body += "<p><a href=\"\(Self.escape(link))\">Back to the page</a></p>\n"
            return html(title: "Report sent", visitor: visitor, body: body)
        }
        let sections = SectionText(current.markdown, path: monograph.path).reviewable.map(\.name)
        body +=
            "<p>Say what is wrong or unclear; a reviewer reads every report. Leave a way to reach you only if you want an answer.</p>\n"
        body += "<form method=\"post\" action=\"/_formulary/report\" class=\"report\">" + hidden("page", id)
        body +=
            "<label for=\"section\">Which part</label><select id=\"section\" name=\"section\"><option value=\"\">The whole page</option>"
        for name in sections where name != "preamble" {
            body += "<option value=\"\(Self.escape(name))\">\(Self.escape(SectionText.title(of: name)))</option>"
        }
        body += "</select>\n"
        body +=
            "<label for=\"reason\">What is wrong</label><textarea id=\"reason\" name=\"reason\" required minlength=\"3\" maxlength=\"2000\" rows=\"5\"></textarea>\n"
        body +=
            "<label for=\"contact\">Your email or phone (optional)</label><input type=\"text\" id=\"contact\" name=\"contact\" maxlength=\"200\" autocomplete=\"email\">\n"
        body += Self.honeypot
        body += "<button type=\"submit\">Send the report</button></form>\n"
        body += "<p><a href=\"\(Self.escape(link))\">Back to the page</a></p>\n"
        return html(title: "Report a problem", visitor: visitor, body: body)
    }

    /// A field people do not see and bots fill in: a report that fills it is thanked and dropped.
    static let honeypot =
        "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">Leave this empty</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"

    private func report(_ form: Form, peer: String) async throws -> ServerResponse {
        let id = try required(form["page"], "page")
        let thanks = "/_formulary/report?sent=1&page=" + Self.queryValue(id)
        guard (form["website"] ?? "").isEmpty else {
            logger.debug("a report with its honeypot field filled in was dropped")
            return redirect(to: thanks)
        }
        if let wait = reportLimiter.take("address:" + peer) { throw WebError.tooManyRequests(wait) }
        _ = try await contributions.report(
            monographID: id, section: form["section"] ?? "", reason: form["reason"] ?? "",
            contact: form["contact"] ?? "")
        return redirect(to: thanks)
    }

    /// The pages not yet reviewed, most urgent first, with why; filters by collection, section
    /// left unchecked and reason; then the searches that found nothing.
    private func worklistPage(_ target: RequestTarget, visitor: Visitor) async throws -> ServerResponse {
        guard let worklist else { throw WebError.notFound("the worklist is not available here") }
        let filter = Worklist.Filter(
            collection: target.parameter("collection").flatMap { $0.isEmpty ? nil : $0 },
            section: target.parameter("section").flatMap { $0.isEmpty ? nil : $0 },
            reason: target.parameter("reason").flatMap { $0.isEmpty ? nil : $0 })
        let since = Clock.day(daysAgo: 30)
        var reports: [String: [String]] = [:]
        for report in try await store.reports(status: .open, monographID: nil, limit: nil) {
            reports[report.monographID, default: []].append(report.section)
        }
        let list = worklist(try await store.reviewLedger(), reports, try await store.views(since: since), filter)
        let misses = try await store.misses(since: since, limit: 20)
        var body = "<h1>Worklist</h1>\n"
        body +=
            "<p>\(list.notReviewed) of \(list.pages) pages are not reviewed; most urgent first: what check finds (AI refusals, drafts that doubt their medicine, banned combinations), readers' reports, high-risk medicines, sections changed since they were checked, and how often readers open the page.</p>\n"
        body += "<form method=\"get\" action=\"/_formulary/worklist\" class=\"filters\">"
        body +=
            "<label for=\"collection\">Collection</label><input type=\"text\" id=\"collection\" name=\"collection\" value=\"\(Self.escape(filter.collection ?? ""))\" size=\"12\">"
        body +=
            "<label for=\"section\">Section not checked</label><input type=\"text\" id=\"section\" name=\"section\" value=\"\(Self.escape(filter.section ?? ""))\" size=\"10\">"
        body +=
            "<label for=\"reason\">Reason</label><select id=\"reason\" name=\"reason\"><option value=\"\">any</option>"
        for reason in ["check", "report", "high-risk", "changed", "views"] {
            body += "<option\(filter.reason == reason ? " selected" : "")>\(reason)</option>"
        }
        body += "</select><button type=\"submit\">Filter</button></form>\n"
        if list.entries.isEmpty {
            body += "<p>Nothing to review here.</p>\n"
        } else {
            body +=
                "<table class=\"listing\"><thead><tr><th>#</th><th>Page</th><th>Why</th><th>Score</th><th></th></tr></thead><tbody>\n"
            for (rank, entry) in list.entries.prefix(100).enumerated() {
                let link = "/" + SiteURLs.percentEncoded(SiteURLs.monographPath(entry.id))
                body += "<tr><td>\(rank + 1)</td><td><a href=\"\(Self.escape(link))\">\(Self.escape(entry.title))</a>"
                body +=
                    "<br><span class=\"muted\">\(Self.escape(entry.id)) · \(Self.escape(entry.state.label))</span></td><td><ul>"
                for reason in entry.reasons.sorted(by: { $0.weight > $1.weight }) {
                    body += "<li><strong>\(Self.escape(reason.kind))</strong>: \(Self.escape(reason.detail))</li>"
                }
                body += "</ul></td><td>\(entry.score)</td>"
                body +=
                    "<td><a href=\"/_formulary/sign-off?page=\(Self.escape(Self.queryValue(entry.id)))\">Sign off</a></td></tr>\n"
            }
            body += "</tbody></table>\n"
            if list.entries.count > 100 { body += "<p>The first 100 of \(list.entries.count) are shown.</p>\n" }
        }
        body += "<h2>Searches that found nothing (last 30 days)</h2>\n"
        if misses.isEmpty {
            body += "<p>None counted.</p>\n"
        } else {
            body += "<table class=\"listing\"><thead><tr><th>Search</th><th>Times</th></tr></thead><tbody>\n"
            for miss in misses {
                body += "<tr><td>\(Self.escape(miss.query))</td><td>\(miss.count)</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return html(title: "Worklist", visitor: visitor, body: body)
    }

    /// A section name as an HTML id: letters and digits kept, the rest `-`.
    static func fieldName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    private func jsonText(_ status: HTTPResponse.Status, _ text: String) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: status, headers: fields, body: .bytes(ByteBuffer(string: text + "\n")))
    }

    private func redirect(to location: String) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: .seeOther, headers: fields, body: .bytes(ByteBuffer()))
    }

    private func json<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return ServerResponse(
            status: status, headers: fields, body: .bytes(ByteBuffer(bytes: SiteServer.encode(value))))
    }

    private func apiError(_ error: WebError, path: String) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        if let seconds = error.retryAfter { fields[.retryAfter] = String(seconds) }
        if case .unauthorized = error { fields[.wwwAuthenticate] = "Bearer" }
        if case .methodNotAllowed(let allow) = error { fields[.allow] = allow }
        let problem = Problem(
            title: error.status.reasonPhrase, status: error.status.code, detail: error.detail, instance: path)
        return ServerResponse(
            status: error.status, headers: fields, body: .bytes(ByteBuffer(bytes: SiteServer.encode(problem))))
    }

    private func htmlError(_ error: WebError, request: ContributionRequest) -> ServerResponse {
        if case .signInRequired(let next) = error {
            return redirect(to: "/_formulary/sign-in?next=" + Self.queryValue(next))
        }
        let visitor = Visitor()
        var response = html(
            title: error.status.reasonPhrase, visitor: visitor,
            body:
                "<h1>\(Self.escape(error.status.reasonPhrase))</h1>\n<div class=\"notice error\" role=\"alert\">\(Self.escape(error.detail))</div>\n<p><a href=\"/\">Home</a> · <a href=\"/_formulary/review\">Review queue</a></p>\n"
        )
        response.status = error.status
        if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
        if case .methodNotAllowed(let allow) = error { response.headers[.allow] = allow }
        return response
    }

    // MARK: Helpers

    private func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else { throw WebError.badRequest("'\(name)' is missing") }
        return value
    }

    /// A whole-number query parameter in `range`, or `default` when absent.
    private func bounded(_ text: String?, _ name: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw WebError.badRequest(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private func number(_ text: String) throws -> Int {
        guard let value = Int(text), value >= 0, value < 1 << 40 else {
            throw WebError.badRequest("'\(text.prefix(40))' is not a number")
        }
        return value
    }

    private func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(Self.escape(value))\">"
    }

    static func escape(_ text: String) -> String { HTMLText.escaped(text) }

    static func queryValue(_ text: String) -> String { SiteURLs.queryValue(text) }

    static func queryString(_ target: RequestTarget) -> String {
        target.query.isEmpty
            ? "" : "?" + target.query.map { queryValue($0.name) + "=" + queryValue($0.value) }.joined(separator: "&")
    }

    /// Browsers send a textarea's lines ending in CRLF; pages keep `\n`.
    static func normalizedNewlines(_ text: String) -> String {
        text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    static func shortDate(_ iso: String) -> String {
        iso.count >= 16 ? String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC" : iso
    }

    static func statusLabel(_ status: Suggestion.Status) -> String {
        switch status {
        case .pending: return "pending"
        case .approved: return "approved"
        case .rejected: return "rejected"
        case .withdrawn: return "withdrawn"
        case .changesRequested: return "changes requested"
        }
    }

    /// The changed sections side by side, words deleted and inserted marked; everything escaped.
    static func diffHTML(from old: String, to new: String) -> String {
        let diff = SectionDiff(from: old, to: new)
        guard !diff.sections.isEmpty else { return "<p>No changes.</p>\n" }
        var out = ""
        for section in diff.sections {
            let title = section.heading ?? (section.name == "preamble" ? "Front matter" : section.name)
            out += "<section class=\"diff-section\"><h3>\(escape(title))</h3><div class=\"diff-sides\">"
            switch section.change {
            case .added(let text):
                out +=
                    "<pre aria-label=\"before\"><em>(not there)</em></pre><pre aria-label=\"after\"><ins>\(escape(text))</ins></pre>"
            case .removed(let text):
                out +=
                    "<pre aria-label=\"before\"><del>\(escape(text))</del></pre><pre aria-label=\"after\"><em>(removed)</em></pre>"
            case .edited(let words):
                var before = ""
                var after = ""
                for word in words {
                    switch word {
                    case .same(let text):
                        before += escape(text)
                        after += escape(text)
                    case .deleted(let text): before += "<del>\(escape(text))</del>"
                    case .inserted(let text): after += "<ins>\(escape(text))</ins>"
                    }
                }
                out += "<pre aria-label=\"before\">\(before)</pre><pre aria-label=\"after\">\(after)</pre>"
            }
            out += "</div></section>\n"
        }
        return out
    }
}

/// What went wrong, as an HTTP status and a sentence for the person.
enum WebError: Error {
    case badRequest(String)
    case unauthorized(String)
    case signInRequired(next: String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case unprocessable(String)
    case tooManyRequests(Int)
    /// With the methods that are allowed.
    case methodNotAllowed(String)
    case server(String)
    /// The database is away: try again shortly (Retry-After).
    case unavailable(String)

    init(_ error: StoreError) {
        switch error {
        case .notFound(let message): self = .notFound(message)
        case .conflict(let message), .stale(let message): self = .conflict(message)
        case .invalid(let message): self = .unprocessable(message)
        case .forbidden(let message): self = .forbidden(message)
        case .database: self = .server("the database could not do this; the server's log says why")
        case .unavailable: self = .unavailable("the database cannot be reached; try again shortly")
        }
    }

    /// Seconds to wait before trying again, for the Retry-After header.
    var retryAfter: Int? {
        switch self {
        case .tooManyRequests(let seconds): return seconds
        case .unavailable: return 5
        default: return nil
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: return .badRequest
        case .unauthorized, .signInRequired: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .unprocessable: return .unprocessableContent
        case .tooManyRequests: return .tooManyRequests
        case .methodNotAllowed: return .methodNotAllowed
        case .server: return .internalServerError
        case .unavailable: return .serviceUnavailable
        }
    }

    var detail: String {
        switch self {
        case .badRequest(let message), .unauthorized(let message), .forbidden(let message), .notFound(let message),
            .conflict(let message), .unprocessable(let message), .server(let message), .unavailable(let message):
            return message
        case .signInRequired: return "sign in first"
        case .tooManyRequests(let seconds): return "too many changes at once; try again in \(seconds) s"
        case .methodNotAllowed(let allow): return "this takes \(allow) only"
        }
    }
}

/// A URL-encoded form body (`application/x-www-form-urlencoded`).
struct Form {
    private var fields: [String: String] = [:]

    init() {}

    init(_ body: [UInt8]) throws {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw WebError.badRequest("the form is not UTF-8")
        }
        // A form's text may hold NUL bytes: the page's check reports them, with their line.
        let parameters: [(name: String, value: String)]
        do throws(RequestTarget.Failure) {
            parameters = try RequestTarget.parameters(text[...], allowingNUL: true)
        } catch {
            guard case .malformed(let reason) = error else { throw WebError.badRequest("the form is too large") }
            throw WebError.badRequest(reason.replacingOccurrences(of: "the query", with: "the form"))
        }
        for (name, value) in parameters where fields[name] == nil { fields[name] = value }
    }

    subscript(name: String) -> String? { fields[name] }

    /// The names of the fields that start with `prefix`, without it (ticked checkboxes).
    func names(withPrefix prefix: String) -> [String] {
        fields.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }
}

struct ReportInput: Decodable {
    var monograph: String
    var section: String?
    var reason: String
    var contact: String?
}

struct CloseInput: Decodable {
    var note: String?
}

struct ReportList: Encodable {
    var reports: [ReaderReport]
}

struct SignOffInput: Decodable {
    var sections: [String]?
    var message: String?
    var revision: Int?
}

struct SignOffResult: Encodable {
    var monograph: String
    var revision: Int
    var signedOff: [SignOff]
    /// The page's state after it: `reviewed`, `partly-reviewed`, `not-reviewed`.
    var state: String
}

/// `GET /api/v1/monographs/{id}/review`: each section of the current revision and its check.
struct ReviewResult: Encodable {
    var monograph: String
    var revision: Int
    var state: String
    var sections: [Section]

    struct Section: Encodable {
        var section: String
        var title: String
        var state: String
        var signOff: SignOff?
    }

    init(monograph: String, revision: Int, review: PageReview) {
        self.monograph = monograph
        self.revision = revision
        state = review.state.rawValue
        sections = review.sections.map {
            Section(
                section: $0.name, title: $0.title,
                state: $0.check,
                signOff: $0.signedOff ?? $0.changedSince)
        }
    }
}

enum JSONBody<T: Decodable> {
    static func decode(_ body: [UInt8], allowEmpty: Bool) throws -> T? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if allowEmpty { return nil }
            throw WebError.badRequest("the request needs a JSON body")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw WebError.badRequest("the JSON body needs '\(key.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context) {
            throw WebError.badRequest(
                "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw WebError.badRequest("the body is not the JSON expected")
        }
    }
}

struct SuggestionInput: Decodable {
    var monograph: String
    var markdown: String?
    var section: String?
    var text: String?
    var message: String
    var baseRevision: Int?
}

struct DecisionInput: Decodable {
    var reason: String?
    var override: String?
}

struct RevertInput: Decodable {
    var monograph: String
    var to: Int
}

struct SuggestionList: Encodable {
    var suggestions: [Suggestion]
}

struct SuggestionDetail: Encodable {
    var suggestion: Suggestion
    /// For a pending suggestion: whether approving it now merges without conflicts.
    var mergesCleanly: Bool?
    var conflicts: [String]
    /// The sections it changes.
    var sections: [String]
}

struct RevisionSummary: Encodable {
    var number: Int
    var parent: Int?
    var author: String
    var message: String
    var createdAt: String
}

struct RevisionList: Encodable {
    var monograph: String
    var revisions: [RevisionSummary]
}

struct CheckResult: Encodable {
    var checkErrors: [String]
}

/// Token buckets: each key may spend `perMinute` changes a minute, in bursts up to that many.
final class RateLimiter: Sendable {
    private let perMinute: Int
    private let buckets = Locked<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
    }

    /// Takes one change for `key`: nil when allowed, else the seconds to wait.
    func take(_ key: String) -> Int? {
        let now = ContinuousClock.now
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll() }
            var bucket = buckets[key] ?? (Double(perMinute), now)
            let elapsed = now - bucket.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(perMinute), bucket.tokens + seconds * rate)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }
}
