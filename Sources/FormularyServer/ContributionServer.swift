import FormularyModel
import FormularyReview
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Logging

/// Suggested edits, the review queue, history and revert, sign-offs, coverage, the worklist
/// and readers' reports: pages under `/_formulary/` that work without JavaScript, and the same
/// actions as JSON under `/api/v1/`. The routes are one table (`ContributionServer.routes`,
/// in `ContributionRoutes.swift`), put on Hummingbird's router with middleware for who is
/// asking, forms and rate limits; each concept's routes and pages live in a file of their own
/// (`SuggestionRoutes`, `HistoryRoutes`, `SignOffRoutes`, `ReportRoutes`, `AccountRoutes`).
///
/// Every change is made through `Contributions`, which holds the workflow's rules (a revision
/// first, then the Markdown file); then `changed` rebuilds the site before the response goes
/// out, so the next page view shows it.
final class ContributionServer: Sendable {
    let contributions: Contributions
    let accounts: Accounts
    let settings: SiteConfiguration.ContributionSettings
    private let currentTemplates: Locked<WorkflowTemplates>
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
    /// Searches reported as finding nothing, per address.
    let missLimiter = RateLimiter(perMinute: 30)
    static let logger = Logger(label: "formulary-contributions")
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

    init(
        contributions: Contributions, accounts: Accounts, settings: SiteConfiguration.ContributionSettings,
        templates: WorkflowTemplates, following: Locked<FollowerStatus>? = nil,
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
        currentTemplates = Locked(templates)
        self.changed = changed
        limiter = RateLimiter(perMinute: settings.rateLimit)
    }

    var store: any ContributionStore { contributions.store }

    /// The review pages' templates and words.
    var templates: WorkflowTemplates { currentTemplates.withLock { $0 } }

    /// Shows the review pages with `templates` from now on (the site's templates changed).
    func replaceTemplates(_ templates: WorkflowTemplates) {
        currentTemplates.withLock { $0 = templates }
    }

    // MARK: Who is asking

    /// An API token (`Authorization: Bearer`), on either door; for the pages, else the session
    /// cookie, and a signed-out browser's form token. The JSON API takes no cookie: a cookie
    /// there would make every API call a CSRF target.
    func visitor(headers: HTTPFields, door: ContributionRoute.Door) async throws -> Visitor {
        var visitor = Visitor()
        if let authorization = headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                let user = try await accounts.tokenUser(String(authorization.dropFirst(7)))
            else { throw WebError.unauthorized("the API token is not valid") }
            visitor.user = user
            return visitor
        }
        let cookies = Self.cookies(headers)
        visitor.anonymousCSRF = cookies[Self.csrfCookie].flatMap { Tokens.isWellFormed($0) ? $0 : nil }
        if door == .pages, let token = cookies[Self.sessionCookie],
            let session = try await accounts.session(token: token),
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

    /// The person signed in, or a redirect to sign-in that comes back here (a GET).
    static func signedIn(_ context: ContributionContext) throws -> User {
        guard let user = context.visitor.user else {
            throw WebError.signInRequired(
                next: context.method == .get ? context.target.path + queryString(context.target) : "/")
        }
        return user
    }

    /// The person asking, when a reviewer or admin.
    static func reviewer(_ context: ContributionContext) throws -> User {
        guard let user = context.visitor.user else { throw WebError.unauthorized("sign in as a reviewer first") }
        guard user.role.mayReview else {
            throw WebError.forbidden("\(user.name) is a contributor; only reviewers and admins may do this")
        }
        return user
    }

    // MARK: Reading requests

    static func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else { throw WebError.badRequest("'\(name)' is missing") }
        return value
    }

    /// A whole-number query parameter in `range`, or `default` when absent.
    static func bounded(_ text: String?, _ name: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw WebError.badRequest(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func number(_ text: String?) throws -> Int {
        let text = text ?? ""
        guard let value = Int(text), value >= 0, value < 1 << 40 else {
            throw WebError.badRequest("'\(text.prefix(40))' is not a number")
        }
        return value
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
