import FormularyReview
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import FormularyServer
@testable import FormularySite
@testable import FormularyStore

/// A built site with a store and three people: `rhea` (reviewer, pharmacist), `sam`
/// (reviewer) and `cara` (contributor).
struct ContributionFixture {
    let site: TemporaryFolder
    let server: ContributionServer
    let responder: RouterResponder<ContributionContext>
    let store: any ContributionStore
    let accounts: Accounts

    static let password = "a long enough password"

    static func make(
        anonymous: Bool = false, rateLimit: Int = 1000, qualifications: [String: String] = [:],
        languages: [String] = []
    ) async throws -> ContributionFixture {
        let site = try ServerFixture.site()
        let store = try SQLiteStore(path: site.path + "/.formulary/formulary.sqlite")
        let contributions = Contributions(
            store: store, contentFolder: site.path + "/content", policy: ReviewPolicy(qualifications: qualifications))
        _ = try await contributions.importContent()
        var accounts = Accounts(store: store)
        accounts.cost = .init(logN: 10, r: 8, p: 1)
        try await accounts.addUser(
            User(name: "rhea", role: .reviewer, qualifications: ["pharmacist"]), password: password)
        try await accounts.addUser(User(name: "sam", role: .reviewer), password: password)
        try await accounts.addUser(User(name: "cara", role: .contributor), password: password)
        var settings = SiteConfiguration.ContributionSettings()
        settings.enabled = true
        settings.anonymous = anonymous
        settings.rateLimit = rateLimit
        settings.qualifications = qualifications
        var request = ServerFixture.request(site)
        request.configuration.languages = languages
        let server = ContributionServer(
            contributions: contributions, accounts: accounts, settings: settings,
            templates: try WorkflowTemplates(request: request, styleURL: "/assets/style.css"),
            coverage: { ledger in
                (try? SiteContent.load(contentFolder: site.path + "/content"))?.coverage(ledger) ?? Coverage()
            },
            changed: { [request] _ in
                var request = request
                request.reviews = (try? await store.reviewLedger()) ?? .empty
                _ = try? SiteBuilder(request).build()
            })
        return ContributionFixture(
            site: site, server: server, responder: server.responder(), store: store, accounts: accounts)
    }

    /// A browser: its cookies, and the form token of the last page it read.
    struct Browser {
        var cookies: [String: String] = [:]
        var csrf: String?
    }

    func send(
        _ method: HTTPRequest.Method, _ target: String, form: [(String, String)]? = nil, json: String? = nil,
        browser: inout Browser, headers: [HTTPField.Name: String] = [:], peer: String = "10.0.0.1"
    ) async -> ServerResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields[name] = value }
        if !browser.cookies.isEmpty {
            fields[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        var body: [UInt8] = []
        if let form {
            body = Array(
                form.map { Self.formEscape($0.0) + "=" + Self.formEscape($0.1) }.joined(separator: "&").utf8)
        } else if let json {
            body = Array(json.utf8)
        }
        let response = await ContributionServer.respond(
            responder, method: method, target: target, headers: fields, body: body, authority: "127.0.0.1:8080",
            peer: peer)
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty { browser.cookies[name] = nil } else { browser.cookies[name] = value }
        }
        let html = response.text
        if let range = html.range(of: "name=\"csrf\" value=\"") {
            browser.csrf = String(html[range.upperBound...].prefix(while: { $0 != "\"" }))
        }
        return response
    }

    func get(_ target: String, _ browser: inout Browser) async -> ServerResponse {
        await send(.get, target, browser: &browser)
    }

    func post(_ target: String, _ fields: [(String, String)], _ browser: inout Browser) async -> ServerResponse {
        await send(.post, target, form: [("csrf", browser.csrf ?? "")] + fields, browser: &browser)
    }

    func signIn(_ name: String) async -> Browser {
        var browser = Browser()
        _ = await get("/_formulary/sign-in", &browser)
        let response = await post("/_formulary/sign-in", [("name", name), ("password", Self.password)], &browser)
        #expect(response.status == .seeOther)
        _ = await get("/_formulary/account", &browser)
        return browser
    }

    func token(_ name: String) async throws -> String {
        try await accounts.issueToken(for: name, label: "test")
    }

    func api(
        _ method: HTTPRequest.Method, _ target: String, token: String?, json: String? = nil
    ) async -> ServerResponse {
        var browser = Browser()
        return await send(
            method, target, json: json, browser: &browser,
            headers: token.map { [.authorization: "Bearer " + $0] } ?? [:])
    }

    var aspirin: String { (site.read("content/composition/aspirin.md") ?? "") }

    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension ServerResponse {
    var location: String? { headers[.location] }
}

@Suite("contributions on the server", .serialized)
struct ContributionServerTests {
    @Test("a contributor suggests from the page, a reviewer approves, the page and its history follow")
    func flow() async throws {
        let fixture = try await ContributionFixture.make()
        var cara = await fixture.signIn("cara")
        let form = await fixture.get("/_formulary/suggest?page=composition/aspirin", &cara)
        #expect(form.status == .ok)
        #expect(form.text.contains("Pain and fever."))
        let edited = fixture.aspirin.replacingOccurrences(of: "Pain and fever.", with: "Pain, fever and swelling.")
        // Check first: problems (none) and the diff, nothing recorded.
        let check = await fixture.post(
            "/_formulary/suggest",
            [
                ("page", "composition/aspirin"), ("base", "1"), ("markdown", edited), ("message", "swelling"),
                ("action", "check"),
            ],
            &cara)
        #expect(check.text.contains("No problems found."))
        #expect(check.text.contains("<del>Pain </del>and <del>fever.\n\n</del>"))
        #expect(check.text.contains("<ins>Pain, fever </ins>and <ins>swelling.\n\n</ins>"))
        #expect(try await fixture.store.suggestions(status: nil, monographID: nil).isEmpty)
        let sent = await fixture.post(
            "/_formulary/suggest",
            [
                ("page", "composition/aspirin"), ("base", "1"), ("markdown", edited), ("message", "swelling"),
                ("action", "submit"),
            ],
            &cara)
        #expect(sent.status == .seeOther)
        #expect(sent.location == "/_formulary/suggestions/1?sent=1")

        var rhea = await fixture.signIn("rhea")
        let queue = await fixture.get("/_formulary/review", &rhea)
        #expect(queue.text.contains("<a href=\"/_formulary/suggestions/1\">#1</a>"))
        _ = await fixture.get("/_formulary/suggestions/1", &rhea)
        let approved = await fixture.post("/_formulary/suggestions/1", [("action", "approve")], &rhea)
        #expect(approved.status == .ok)
        #expect(approved.text.contains("Approved: revision 2 of composition/aspirin is published."))
        #expect(fixture.aspirin.contains("Pain, fever and swelling."))
        // The approver checked the section the suggestion changed: signed off, nothing in the file.
        #expect(!fixture.aspirin.contains("reviewed_by"))
        let page = (fixture.site.read("public/composition/aspirin/index.html") ?? "")
        #expect(page.contains("Pain, fever and swelling."))
        #expect(page.contains("<span class=\"badge\">Partly reviewed</span>"))
        #expect(
            page.contains(
                "<h2>Uses</h2>\n        <p class=\"section-check check-checked\">Checked by a pharmacist, rhea, "))
        // Not reviewed as a whole: no review date for search engines.
        #expect(!page.contains("\"reviewedBy\""))

        let history = await fixture.get("/_formulary/history?page=composition/aspirin", &rhea)
        #expect(history.text.contains("<td>2 (current)</td>"))
        #expect(history.text.contains("swelling (suggestion #1, approved by rhea)"))
        #expect(
            history.text.contains(
                "<select id=\"from\" name=\"from\"><option value=\"2\">2</option><option value=\"1\" selected>1</option></select>"
            ))
        let compare = await fixture.get("/_formulary/compare?page=composition/aspirin&from=1&to=2", &rhea)
        #expect(compare.text.contains("<ins>Pain, fever </ins>and <ins>swelling.\n\n</ins>"))
        let reverted = await fixture.post(
            "/_formulary/revert", [("page", "composition/aspirin"), ("to", "1")], &rhea)
        #expect(reverted.status == .seeOther)
        #expect(fixture.aspirin.contains("Pain and fever."))
        #expect(try await fixture.store.revisions(of: "composition/aspirin").map(\.number) == [1, 2, 3])
    }

    @Test("each section of a page links to its own suggest form, which changes that section only")
    func sectionEdit() async throws {
        let fixture = try await ContributionFixture.make()
        var request = ServerFixture.request(fixture.site)
        request.configuration.contributions.enabled = true
        _ = try SiteBuilder(request).build()
        let page = (fixture.site.read("public/composition/aspirin/index.html") ?? "")
        let link = "/_formulary/suggest?page=composition/aspirin&amp;section=dosage"
        #expect(page.contains("<p class=\"section-edit\"><a href=\"\(link)\">Suggest an edit to Dosage</a></p>"))
        #expect(page.contains("<a href=\"/_formulary/suggest?page=composition/aspirin\">Suggest an edit</a>"))
        var cara = await fixture.signIn("cara")
        let form = await fixture.get(link.replacingOccurrences(of: "&amp;", with: "&"), &cara)
        #expect(form.status == .ok)
        #expect(
            form.text.contains(
                "<textarea id=\"markdown\" name=\"markdown\" spellcheck=\"true\">## Dosage\nOne tablet.\n\n</textarea>")
        )
        let sent = await fixture.post(
            "/_formulary/suggest",
            [
                ("page", "composition/aspirin"), ("base", "1"), ("section", "dosage"),
                ("markdown", "## Dosage\r\nTwo tablets.\r\n"), ("message", "m"), ("action", "submit"),
            ],
            &cara)
        #expect(sent.status == .seeOther)
        let suggestion = try #require(try await fixture.store.suggestion(id: 1))
        #expect(suggestion.markdown == fixture.aspirin.replacingOccurrences(of: "One tablet.", with: "Two tablets."))
    }

    @Test("a contributor cannot approve, reject or revert; nobody approves their own suggestion")
    func contributorsCannotDecide() async throws {
        let fixture = try await ContributionFixture.make()
        let cara = try await fixture.token("cara")
        let sam = try await fixture.token("sam")
        let body =
            ###"{"monograph":"composition/aspirin","section":"usage","text":"## Usage\nPain.\n","message":"m"}"###
        let created = await fixture.api(.post, "/api/v1/suggestions", token: cara, json: body)
        #expect(created.status == .created)
        #expect(await fixture.api(.post, "/api/v1/suggestions/1/approve", token: cara).status == .forbidden)
        #expect(
            await fixture.api(.post, "/api/v1/suggestions/1/reject", token: cara, json: #"{"reason":"no"}"#).status
                == .forbidden)
        #expect(
            await fixture.api(
                .post, "/api/v1/revisions/revert", token: cara, json: #"{"monograph":"composition/aspirin","to":1}"#
            )
            .status == .forbidden)
        var browser = await fixture.signIn("cara")
        _ = await fixture.get("/_formulary/suggestions/1", &browser)
        #expect(await fixture.post("/_formulary/suggestions/1", [("action", "approve")], &browser).status == .forbidden)
        #expect(try await fixture.store.suggestion(id: 1)?.status == .pending)

        let own = await fixture.api(.post, "/api/v1/suggestions", token: sam, json: body)
        #expect(own.status == .created)
        #expect(await fixture.api(.post, "/api/v1/suggestions/2/approve", token: sam).status == .forbidden)
        #expect(await fixture.api(.post, "/api/v1/suggestions/1/approve", token: sam).status == .ok)
    }

    @Test("signed-out visitors cannot suggest unless the site allows it")
    func signedOut() async throws {
        let closed = try await ContributionFixture.make()
        var visitor = ContributionFixture.Browser()
        let form = await closed.get("/_formulary/suggest?page=composition/aspirin", &visitor)
        #expect(form.status == .seeOther)
        #expect(form.location == "/_formulary/sign-in?next=/_formulary/suggest%3Fpage%3Dcomposition/aspirin")
        _ = await closed.get("/_formulary/sign-in", &visitor)
        let post = await closed.post(
            "/_formulary/suggest",
            [("page", "composition/aspirin"), ("base", "1"), ("markdown", "x"), ("message", "m")], &visitor)
        #expect(post.status == .unauthorized)
        #expect(await closed.api(.post, "/api/v1/suggestions", token: nil, json: "{}").status == .unauthorized)
        #expect(try await closed.store.suggestions(status: nil, monographID: nil).isEmpty)
        // The queue and pending text are for people signed in.
        #expect(await closed.get("/_formulary/review", &visitor).status == .seeOther)

        let open = try await ContributionFixture.make(anonymous: true)
        var anonymous = ContributionFixture.Browser()
        let page = await open.get("/_formulary/suggest?page=composition/aspirin", &anonymous)
        #expect(page.status == .ok)
        let edited = open.aspirin.replacingOccurrences(of: "One tablet.", with: "Two tablets.")
        let sent = await open.post(
            "/_formulary/suggest",
            [("page", "composition/aspirin"), ("base", "1"), ("markdown", edited), ("message", "m")], &anonymous)
        #expect(sent.status == .seeOther)
        #expect(try await open.store.suggestion(id: 1)?.author == "anonymous")
    }

    @Test("a token acts only as its owner; cookies do not drive the JSON API")
    func tokens() async throws {
        let fixture = try await ContributionFixture.make()
        let cara = try await fixture.token("cara")
        let rhea = try await fixture.token("rhea")
        let body =
            ###"{"monograph":"composition/aspirin","section":"usage","text":"## Usage\nPain.\n","message":"m"}"###
        #expect(await fixture.api(.post, "/api/v1/suggestions", token: rhea, json: body).status == .created)
        // Cara may not withdraw Rhea's suggestion; the author is always the token's owner.
        #expect(await fixture.api(.post, "/api/v1/suggestions/1/withdraw", token: cara).status == .forbidden)
        let spoof =
            ###"{"monograph":"composition/aspirin","section":"usage","text":"## Usage\nAche.\n","message":"m","author":"rhea"}"###
        let created = await fixture.api(.post, "/api/v1/suggestions", token: cara, json: spoof)
        #expect(try await fixture.store.suggestion(id: 2)?.author == "cara")
        #expect(created.status == .created)
        let page = await fixture.api(.get, "/api/v1/suggestions?limit=1&offset=1", token: cara)
        #expect((page.json()?["suggestions"] as? [[String: Any]])?.map { $0["id"] as? Int } == [2])
        #expect(await fixture.api(.get, "/api/v1/suggestions?limit=0", token: cara).status == .badRequest)
        #expect(await fixture.api(.get, "/api/v1/me", token: "fm_" + Tokens.random()).status == .unauthorized)
        #expect(await fixture.api(.get, "/api/v1/me", token: "not a token at all").status == .unauthorized)
        #expect(await fixture.api(.get, "/api/v1/me", token: cara).text.contains("\"name\":\"cara\""))
        var browser = await fixture.signIn("rhea")
        let withCookie = await fixture.send(.post, "/api/v1/suggestions/2/approve", json: "{}", browser: &browser)
        #expect(withCookie.status == .unauthorized)
        #expect(try await fixture.store.suggestion(id: 2)?.status == .pending)
    }

    @Test("forms without the visitor's own CSRF token, or sent from another site, are refused")
    func csrf() async throws {
        let fixture = try await ContributionFixture.make()
        var rhea = await fixture.signIn("rhea")
        var cara = await fixture.signIn("cara")
        let edited = fixture.aspirin.replacingOccurrences(of: "One tablet.", with: "Two tablets.")
        let fields = [("page", "composition/aspirin"), ("base", "1"), ("markdown", edited), ("message", "m")]
        #expect(await fixture.send(.post, "/_formulary/suggest", form: fields, browser: &cara).status == .forbidden)
        #expect(
            await fixture.send(.post, "/_formulary/suggest", form: [("csrf", "x")] + fields, browser: &cara).status
                == .forbidden)
        // Another person's token is not this session's.
        #expect(
            await fixture.send(.post, "/_formulary/suggest", form: [("csrf", rhea.csrf!)] + fields, browser: &cara)
                .status == .forbidden)
        let foreign = await fixture.send(
            .post, "/_formulary/suggest", form: [("csrf", cara.csrf!)] + fields, browser: &cara,
            headers: [.origin: "https://evil.example"])
        #expect(foreign.status == .forbidden)
        #expect(try await fixture.store.suggestions(status: nil, monographID: nil).isEmpty)
        #expect(await fixture.post("/_formulary/suggest", fields, &cara).status == .seeOther)
        // Sign-in itself needs the form token its page set.
        var stranger = ContributionFixture.Browser()
        let blind = await fixture.send(
            .post, "/_formulary/sign-in", form: [("name", "rhea"), ("password", ContributionFixture.password)],
            browser: &stranger)
        #expect(blind.status == .forbidden)
        #expect(stranger.cookies[ContributionServer.sessionCookie] == nil)
        _ = await fixture.get("/_formulary/review", &rhea)
        #expect(await fixture.post("/_formulary/suggestions/1", [("action", "approve")], &rhea).status == .ok)
    }

    @Test("HTML and Markdown in suggestions come out escaped on every page that shows them")
    func escaping() async throws {
        let fixture = try await ContributionFixture.make()
        let attack = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
        var cara = await fixture.signIn("cara")
        let edited = fixture.aspirin.replacingOccurrences(of: "One tablet.", with: "One tablet. " + attack)
            .replacingOccurrences(of: "## Dosage", with: "## Dosage " + attack)
        let sent = await fixture.post(
            "/_formulary/suggest",
            [
                ("page", "composition/aspirin"), ("base", "1"), ("markdown", edited), ("message", attack),
                ("action", "submit"),
            ],
            &cara)
        #expect(sent.status == .seeOther)
        var rhea = await fixture.signIn("rhea")
        let pages = [
            await fixture.get("/_formulary/suggestions/1", &rhea),
            await fixture.get("/_formulary/review", &rhea),
            await fixture.get("/_formulary/history?page=composition/aspirin", &rhea),
        ]
        for page in pages {
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(!page.text.contains("<img src=x"))
        }
        #expect(
            pages[0].text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(pages[1].text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(pages[2].text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let approved = await fixture.post("/_formulary/suggestions/1", [("action", "approve")], &rhea)
        #expect(approved.status == .ok)
        let compare = await fixture.get("/_formulary/compare?page=composition/aspirin&from=1&to=2", &rhea)
        #expect(!compare.text.contains("<script>alert"))
        #expect(!compare.text.contains("<img src=x"))
        // The published page: cmark-gfm leaves raw HTML out.
        let published = (fixture.site.read("public/composition/aspirin/index.html") ?? "")
        #expect(published.contains("One tablet."))
        #expect(!published.contains("<script>alert"))
        #expect(!published.contains("<img src=x"))
        // Check errors (and the names of people) are text too.
        #expect(ContributionServer.escape("<b title='x'>&</b>") == "&lt;b title=&#39;x&#39;&gt;&amp;&lt;/b&gt;")
        // Control characters HTML forbids (a reader's report, a search typed with them) never reach a page.
        #expect(ContributionServer.escape("a\u{0F}b\u{0}c\u{7F}\td\ne") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}\td\ne")
    }

    @Test("rate limits answer 429 with Retry-After, per person and per address")
    func rateLimits() async throws {
        let fixture = try await ContributionFixture.make(rateLimit: 3)
        let cara = try await fixture.token("cara")
        let body =
            ###"{"monograph":"composition/aspirin","section":"usage","text":"## Usage\nPain.\n","message":"m"}"###
        for _ in 0..<3 {
            #expect(await fixture.api(.post, "/api/v1/suggestions", token: cara, json: body).status == .created)
        }
        let limited = await fixture.api(.post, "/api/v1/suggestions", token: cara, json: body)
        #expect(limited.status == .tooManyRequests)
        // One change every 20 s comes back: the wait is 20 s less the time the three took
        // (seconds on a busy machine), never more, never none.
        let wait = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
        #expect((1...20).contains(wait))
        #expect(try await fixture.store.suggestions(status: nil, monographID: nil).count == 3)
        // Someone else is not held up by Cara.
        let sam = try await fixture.token("sam")
        #expect(await fixture.api(.post, "/api/v1/suggestions", token: sam, json: body).status == .created)
        // Sign-in attempts: ten a minute from one address.
        var browser = ContributionFixture.Browser()
        _ = await fixture.get("/_formulary/sign-in", &browser)
        var statuses: [Int] = []
        for _ in 0..<11 {
            statuses.append(
                await fixture.send(
                    .post, "/_formulary/sign-in",
                    form: [("csrf", browser.csrf!), ("name", "cara"), ("password", "wrong")],
                    browser: &browser, peer: "10.9.9.9"
                ).status.code)
        }
        #expect(statuses.prefix(3) == [401, 401, 401])
        #expect(statuses.last == 429)
    }

    @Test("sections reserved for a qualification need a qualified reviewer")
    func qualifications() async throws {
        let fixture = try await ContributionFixture.make(qualifications: ["dosage": "pharmacist"])
        let cara = try await fixture.token("cara")
        let body =
            ###"{"monograph":"composition/aspirin","section":"dosage","text":"## Dosage\nTwo tablets.\n","message":"m"}"###
        #expect(await fixture.api(.post, "/api/v1/suggestions", token: cara, json: body).status == .created)
        let sam = await fixture.api(.post, "/api/v1/suggestions/1/approve", token: try await fixture.token("sam"))
        #expect(sam.status == .forbidden)
        #expect(sam.text.contains("need a reviewer qualified as pharmacist; sam is not"))
        let rhea = await fixture.api(.post, "/api/v1/suggestions/1/approve", token: try await fixture.token("rhea"))
        #expect(rhea.status == .ok)
        #expect(fixture.aspirin.contains("Two tablets."))
    }

    @Test("sign-offs through the API and the page: every rule holds at both doors; the page and coverage follow")
    func signOffs() async throws {
        let fixture = try await ContributionFixture.make(qualifications: ["dosage": "pharmacist"])
        let path = "/api/v1/monographs/composition/aspirin/sign-off"
        let usage = #"{"sections": ["usage"]}"#
        #expect(await fixture.api(.post, path, token: nil, json: usage).status == .unauthorized)
        let cara = await fixture.api(.post, path, token: try await fixture.token("cara"), json: usage)
        #expect(cara.status == .forbidden)
        #expect(cara.text.contains("cara is a contributor; only reviewers and admins may sign off a page"))
        let sam = try await fixture.token("sam")
        let samDosage = await fixture.api(.post, path, token: sam, json: #"{"sections": ["dosage"]}"#)
        #expect(samDosage.status == .forbidden)
        #expect(samDosage.text.contains("signing off dosage needs a reviewer qualified as pharmacist; sam is not"))
        #expect(await fixture.api(.post, path, token: sam, json: #"{"sections": ["nope"]}"#).status.code == 422)
        #expect(await fixture.api(.post, path, token: sam, json: #"{"sections": 5}"#).status == .badRequest)
        #expect(
            await fixture.api(.post, path, token: sam, json: #"{"sections": ["usage"], "revision": 7}"#).status
                == .conflict)
        #expect(
            await fixture.api(.post, "/api/v1/monographs/composition/nope/sign-off", token: sam, json: usage).status
                == .notFound)
        #expect(try await fixture.store.signOffs(of: "composition/aspirin") == [])

        let rhea = await fixture.api(
            .post, path, token: try await fixture.token("rhea"),
            json: #"{"sections": ["usage", "dosage"], "message": "checked", "revision": 1}"#)
        #expect(rhea.status == .created)
        #expect(rhea.text.contains(#""state":"partly-reviewed""#))
        let review = await fixture.api(.get, "/api/v1/monographs/composition/aspirin/review", token: nil)
        #expect(review.status == .ok)
        #expect(review.text.contains(#""section":"dosage""#))
        #expect(review.text.contains(#""state":"checked""#))

        // In the browser: sam may not tick the dosage; he signs off the rest.
        var browser = await fixture.signIn("sam")
        let form = await fixture.get("/_formulary/sign-off?page=composition/aspirin", &browser)
        #expect(form.status == .ok)
        #expect(form.text.contains("needs a reviewer qualified as pharmacist"))
        #expect(form.text.contains("name=\"section:dosage\" disabled"))
        let posted = await fixture.post(
            "/_formulary/sign-off",
            [("page", "composition/aspirin"), ("revision", "1"), ("section:preamble", "on")], &browser)
        #expect(posted.status == .seeOther)
        let page = (fixture.site.read("public/composition/aspirin/index.html") ?? "")
        #expect(page.contains("<span class=\"badge\">Reviewed</span>"))
        #expect(page.contains(#""reviewedBy":[{"@type":"Person","name":"rhea"},{"@type":"Person","name":"sam"}]"#))
        #expect(page.contains("<strong>Dosage:</strong> Checked by a pharmacist, rhea, "))
        let record = (fixture.site.read("public/api/v1/monographs/composition/aspirin.json") ?? "")
        #expect(record.contains(#""by":"rhea, sam""#))
        #expect(record.contains(#""state":"reviewed""#))
        let home = (fixture.site.read("public/index.html") ?? "")
        #expect(home.contains("<strong>1</strong> of 4 pages reviewed by people"))

        let coverage = await fixture.api(.get, "/api/v1/coverage", token: nil)
        #expect(coverage.status == .ok)
        #expect(coverage.text.hasPrefix(#"{"pages":4,"reviewed":1,"partlyReviewed":0,"notReviewed":3,"#))
        var anonymous = ContributionFixture.Browser()
        #expect(
            await fixture.get("/_formulary/coverage", &anonymous).text.contains(
                "<strong>1</strong> of 4 pages reviewed"))
    }

    @Test("readers report from the page without signing in; bots that fill the hidden field and floods are not stored")
    func readerReports() async throws {
        let fixture = try await ContributionFixture.make()
        var reader = ContributionFixture.Browser()
        // As the static page's form sends it: no form token, no cookie.
        let sent = await fixture.send(
            .post, "/_formulary/report",
            form: [
                ("page", "composition/aspirin"), ("section", "dosage"), ("reason", "Is one tablet right?"),
                ("contact", ""), ("website", ""),
            ], browser: &reader, peer: "10.1.1.1")
        #expect(sent.status == .seeOther)
        #expect(sent.location == "/_formulary/report?sent=1&page=composition/aspirin")
        #expect(await fixture.get(sent.location!, &reader).text.contains("Thank you: the report is with"))
        // The honeypot: thanked, dropped.
        let bot = await fixture.send(
            .post, "/_formulary/report",
            form: [("page", "composition/aspirin"), ("reason", "buy now"), ("website", "http://spam.example")],
            browser: &reader, peer: "10.1.1.2")
        #expect(bot.status == .seeOther)
        // From another site: refused.
        let foreign = await fixture.send(
            .post, "/_formulary/report", form: [("page", "composition/aspirin"), ("reason", "hello there")],
            browser: &reader, headers: [.origin: "https://evil.example"], peer: "10.1.1.3")
        #expect(foreign.status == .forbidden)
        // Five a minute an address, then 429.
        var codes: [Int] = []
        for index in 0..<6 {
            codes.append(
                await fixture.api(
                    .post, "/api/v1/reports", token: nil,
                    json: #"{"monograph":"composition/aspirin","reason":"report number \#(index)"}"#
                ).status.code)
        }
        #expect(codes == [201, 201, 201, 201, 201, 429])
        let open = try await fixture.store.reports(status: .open, monographID: nil, limit: nil)
        #expect(open.count == 6)
        #expect(open.first?.section == "dosage")
        #expect(!open.contains { $0.reason == "buy now" })

        // Reviewers list and close them; contributors and anonymous readers may not.
        #expect(await fixture.api(.get, "/api/v1/reports", token: nil).status == .unauthorized)
        #expect(await fixture.api(.get, "/api/v1/reports", token: try await fixture.token("cara")).status == .forbidden)
        let rhea = try await fixture.token("rhea")
        let list = await fixture.api(.get, "/api/v1/reports?status=open", token: rhea)
        #expect(list.status == .ok)
        #expect(list.text.contains("Is one tablet right?"))
        var browser = await fixture.signIn("rhea")
        let queue = await fixture.get("/_formulary/review", &browser)
        #expect(queue.text.contains("<h2 id=\"reports\">Reports from readers</h2>"))
        #expect(queue.text.contains("Is one tablet right?"))
        let closed = await fixture.post(
            "/_formulary/reports/\(open[0].id)/close", [("note", "One tablet is right; the label agrees.")], &browser)
        #expect(closed.status == .seeOther)
        #expect(try await fixture.store.report(id: open[0].id)?.status == .closed)
        let again = await fixture.api(
            .post, "/api/v1/reports/\(open[0].id)/close", token: rhea, json: #"{"note":"again"}"#)
        #expect(again.status == .conflict)
    }

    @Test("malformed and hostile requests get a clear 4xx, never a crash or a change")
    func hostile() async throws {
        let fixture = try await ContributionFixture.make()
        let cara = try await fixture.token("cara")
        let cases: [(String, String, Int)] = [
            ("/api/v1/suggestions", "not json", 400),
            ("/api/v1/suggestions", #"{"monograph": 5, "markdown": "x", "message": "m"}"#, 400),
            ("/api/v1/suggestions", #"{"monograph": "composition/aspirin", "message": "m"}"#, 400),
            ("/api/v1/suggestions", #"{"monograph": "composition/nope", "markdown": "x", "message": "m"}"#, 404),
            ("/api/v1/suggestions", #"{"monograph": "composition/aspirin", "markdown": "x", "message": " "}"#, 422),
            ("/api/v1/suggestions", "", 400),
            ("/api/v1/suggestions/abc/approve", "", 400),
            ("/api/v1/suggestions/99999999999999999999/approve", "", 400),
            ("/api/v1/suggestions/7/approve", "", 403),
            ("/api/v1/suggestions/1/explode", "", 404),
        ]
        for (target, body, status) in cases {
            let response = await fixture.api(.post, target, token: cara, json: body)
            #expect(response.status.code == status, "\(target) \(body)")
            #expect(response.headers[.contentType] == "application/problem+json")
        }
        // A page with a NUL byte or a binary blob is checked, not stored as is without word.
        let nul = #"{"monograph": "composition/aspirin", "markdown": "---\ntitle: A\n---\n\u0000", "message": "m"}"#
        let stored = await fixture.api(.post, "/api/v1/suggestions", token: cara, json: nul)
        #expect(stored.status == .created)
        #expect(try await fixture.store.suggestion(id: 1)?.checkErrors.isEmpty == false)
        // A huge page is checked and kept whole (the HTTP layer bounds bodies at 1 MB).
        let huge = "---\ntitle: Aspirin\n---\n\n## Usage\n" + String(repeating: "word ", count: 150_000) + "\n"
        let big = try String(
            decoding: JSONEncoder().encode(["monograph": "composition/aspirin", "markdown": huge, "message": "m"]),
            as: UTF8.self)
        #expect(await fixture.api(.post, "/api/v1/suggestions", token: cara, json: big).status == .created)
        #expect(try await fixture.store.suggestion(id: 2)?.markdown == huge)
        // Forms: bad escapes, wrong password, unknown pages.
        var browser = await fixture.signIn("cara")
        let bad = await fixture.send(
            .post, "/_formulary/suggest", browser: &browser)
        #expect(bad.status == .forbidden)
        #expect(await fixture.get("/_formulary/suggest?page=composition/nope", &browser).status == .notFound)
        #expect(await fixture.get("/_formulary/suggestions/12345", &browser).status == .notFound)
        #expect(
            await fixture.get("/_formulary/compare?page=composition/aspirin&from=1&to=9", &browser).status == .notFound)
        #expect(await fixture.get("/_formulary/nothing", &browser).status == .notFound)
        #expect(await fixture.send(.delete, "/_formulary/review", browser: &browser).status == .methodNotAllowed)
        var stranger = ContributionFixture.Browser()
        _ = await fixture.get("/_formulary/sign-in", &stranger)
        let wrong = await fixture.post("/_formulary/sign-in", [("name", "cara"), ("password", "nope")], &stranger)
        #expect(wrong.status == .unauthorized)
        #expect(wrong.text.contains("That name and password do not match."))
        #expect(stranger.cookies[ContributionServer.sessionCookie] == nil)
        // An open redirect through ?next= goes home instead.
        let elsewhere = await fixture.post(
            "/_formulary/sign-in",
            [("name", "cara"), ("password", ContributionFixture.password), ("next", "//evil.example/")], &stranger)
        #expect(elsewhere.location == "/_formulary/review")
    }

    @Test("the site passes contribution paths on only when it takes contributions")
    func routing() throws {
        #expect(ContributionServer.handles("/_formulary/review"))
        #expect(ContributionServer.handles("/api/v1/suggestions/3/approve"))
        #expect(ContributionServer.handles("/api/v1/revisions"))
        #expect(!ContributionServer.handles("/_formulary/live.js"))
        #expect(!ContributionServer.handles("/_formulary/events"))
        #expect(!ContributionServer.handles("/api/v1/monographs"))
        let site = try ServerFixture.site()
        let plain = try ServerFixture.server(site)
        #expect(!plain.passesOn("/_formulary/review"))
        #expect(plain.passesOn("/_formulary/events"))
        #expect(plain.get("/_formulary/review").status == .notFound)
    }
}
