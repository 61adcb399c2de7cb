import Foundation
import HTTPTypes
import Testing

@testable import FormularyServer
@testable import FormularySite

@Suite("contribution routes, languages and templates")
struct ContributionRoutesTests {
    @Test("the OpenAPI document lists exactly the API's routes, each with its methods")
    func documentMatchesRoutes() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.contributions.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let shared = (document["components"] as? [String: Any])?["pathItems"] as? [String: [String: Any]] ?? [:]
        var documented: Set<String> = []
        for (path, item) in paths {
            var item = item
            if let reference = item["$ref"] as? String {
                item = try #require(shared[String(reference.split(separator: "/").last ?? "")])
            }
            for method in ["get", "post", "put", "patch", "delete"] where item[method] != nil {
                documented.insert(method.uppercased() + " " + path)
            }
        }
        var routed: Set<String> = []
        for route in ContributionServer.routes where route.door == .api {
            if let last = route.lastSegment {
                // A page id with slashes: `monographs/**`, then its last segment.
                routed.insert("\(route.method.rawValue) /api/v1/monographs/{id}/\(last)")
            } else {
                routed.insert(
                    "\(route.method.rawValue) " + route.fullPath.replacingOccurrences(of: ":number", with: "{number}"))
            }
        }
        #expect(routed.subtracting(documented).sorted() == [])
        #expect(documented.subtracting(routed).sorted() == [])
        #expect(routed.count == 16)
    }

    @Test("the route table answers which methods a path takes: 405 with Allow, else 404")
    func allowedMethods() async throws {
        #expect(ContributionServer.allowedMethods("/api/v1/suggestions/3/approve") == [.post])
        #expect(ContributionServer.allowedMethods("/api/v1/suggestions") == [.get, .post])
        #expect(ContributionServer.allowedMethods("/_formulary/suggestions/12") == [.get, .post])
        #expect(ContributionServer.allowedMethods("/api/v1/monographs/composition/aspirin/review") == [.get])
        #expect(ContributionServer.allowedMethods("/api/v1/monographs/composition/aspirin/sign-off") == [.post])
        // A record is the site's, not the contributions'.
        #expect(ContributionServer.allowedMethods("/api/v1/monographs/composition/aspirin") == nil)
        #expect(!ContributionServer.handles("/api/v1/monographs/composition/aspirin"))
        #expect(!ContributionServer.handles("/api/v1/monographs/review"))
        #expect(ContributionServer.handles("/api/v1/monographs/composition/aspirin/review"))
        #expect(ContributionServer.allowedMethods("/api/v1/suggestions/3/merge") == nil)
        #expect(ContributionServer.allowedMethods("/_formulary/nothing") == nil)
        #expect(ContributionServer.allowedMethods("/_formulary/suggestions/") == nil)

        let fixture = try await ContributionFixture.make()
        var browser = await fixture.signIn("sam")
        let approve = await fixture.send(.get, "/api/v1/suggestions/3/approve", browser: &browser)
        #expect(approve.status == .methodNotAllowed)
        #expect(approve.headers[.allow] == "POST")
        #expect(approve.headers[.contentType] == "application/problem+json")
        let review = await fixture.send(
            .post, "/api/v1/monographs/composition/aspirin/review", json: "{}", browser: &browser)
        #expect(review.status == .methodNotAllowed)
        #expect(review.headers[.allow] == "GET")
        let unknown = await fixture.send(.get, "/api/v1/suggestions/3/merge", browser: &browser)
        #expect(unknown.status == .notFound)
        #expect(unknown.text.contains("there is nothing at /api/v1/suggestions/3/merge"))
        let page = await fixture.send(.put, "/_formulary/sign-in", browser: &browser)
        #expect(page.status == .methodNotAllowed)
        #expect(page.headers[.allow] == "GET, POST")
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
    }

    @Test("review pages speak the reader's language: ?lang=, the page asked about, then the one chosen before")
    func languages() async throws {
        let fixture = try await ContributionFixture.make(languages: ["hi"])
        var browser = ContributionFixture.Browser()
        let english = await fixture.get("/_formulary/sign-in", &browser)
        #expect(english.text.contains("<html lang=\"en\">"))
        #expect(english.text.contains("<h1>Sign in</h1>"))
        #expect(english.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("formulary_lang=") })

        let hindi = await fixture.get("/_formulary/sign-in?lang=hi", &browser)
        #expect(hindi.text.contains("<html lang=\"hi\">"))
        #expect(hindi.text.contains("<h1>साइन इन करें</h1>"))
        #expect(hindi.text.contains("<span lang=\"hi\" aria-current=\"page\">हिन्दी</span>"))
        #expect(hindi.text.contains("<a href=\"/_formulary/sign-in?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"))
        #expect(browser.cookies["formulary_lang"] == "hi")
        // Remembered: the next page without ?lang= is in Hindi too, errors included.
        let again = await fixture.get("/_formulary/sign-in", &browser)
        #expect(again.text.contains("<h1>साइन इन करें</h1>"))
        let missing = await fixture.send(.get, "/_formulary/nothing-here", browser: &browser)
        #expect(missing.status == .notFound)
        #expect(missing.text.contains("<html lang=\"hi\">"))
        #expect(missing.text.contains("there is nothing at /_formulary/nothing-here"))
        // Its language switch leads to the same address in the other language.
        #expect(
            missing.text.contains(
                "<a href=\"/_formulary/nothing-here?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"))
        // Back to English, remembered as well.
        let back = await fixture.get("/_formulary/sign-in?lang=en", &browser)
        #expect(back.text.contains("<h1>Sign in</h1>"))
        #expect(browser.cookies["formulary_lang"] == "en")

        let server = fixture.server
        let aboutHindiPage = try RequestTarget.parse("/_formulary/report?page=hi/composition/aspirin")
        #expect(server.language(for: aboutHindiPage, headers: [:]) == ("hi", "hi"))
        let aboutEnglishPage = try RequestTarget.parse("/_formulary/report?page=composition/aspirin")
        #expect(server.language(for: aboutEnglishPage, headers: [.cookie: "formulary_lang=hi"]) == ("en", "en"))
        let unknown = try RequestTarget.parse("/_formulary/review?lang=xx")
        #expect(server.language(for: unknown, headers: [:]) == ("en", nil))
    }

    @Test("a site's own review template replaces the theme's, and a misspelt variable names its file and line")
    func siteTemplates() async throws {
        let fixture = try await ContributionFixture.make()
        try fixture.site.write(
            "templates/workflow-sign-in.mustache",
            "{{>workflow-top}}\n<h1>Members only: {{t.wfSignInTitle}}</h1>\n<form>{{csrf}}</form>\n{{>workflow-bottom}}\n"
        )
        let request = ServerFixture.request(fixture.site)
        fixture.server.replaceTemplates(try WorkflowTemplates(request: request, styleURL: "/assets/style.css"))
        var browser = ContributionFixture.Browser()
        let page = await fixture.get("/_formulary/sign-in", &browser)
        #expect(page.status == .ok)
        #expect(page.text.contains("<h1>Members only: Sign in</h1>"))

        try fixture.site.write(
            "templates/workflow-sign-in.mustache", "<h1>{{t.wfSignInTitle}}</h1>\n<p>{{name}}</p>\n{{nextURL}}\n")
        let templates = try WorkflowTemplates(request: request, styleURL: "/assets/style.css")
        do {
            let page = try templates.render("sign-in", language: "en", ["name": "sam"])
            Issue.record("rendered without its variable: \(page)")
        } catch {
            #expect(error.path == fixture.site.path + "/templates/workflow-sign-in.mustache")
            #expect(error.line == 3)
            #expect(error.column == 1)
            #expect(error.message == "'nextURL' is not a variable of template 'workflow-sign-in'")
        }
        // A word the theme does not have is refused when the templates are read.
        try fixture.site.write("templates/workflow-sign-in.mustache", "<h1>{{t.wfSignInTitel}}</h1>\n")
        #expect(throws: SiteBuilder.Failure.self) {
            _ = try WorkflowTemplates(request: request, styleURL: "/assets/style.css")
        }
    }
}
