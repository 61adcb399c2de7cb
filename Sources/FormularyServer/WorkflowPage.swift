import FormularyReview
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Logging
import NIOCore

/// How the review pages are answered: a `workflow-*.mustache` template of the site's theme with
/// what every page shows (who is signed in, the form token, the languages), in the language
/// the reader chose; redirects and JSON for the rest.
extension ContributionServer {
    /// The words of the reader's language.
    func words(_ context: ContributionContext) -> SiteStrings { templates.words(context.language) }

    /// Template `workflow-NAME` with `data` and what every review page shows.
    func page(
        _ name: String, title: String, context: ContributionContext, status: HTTPResponse.Status = .ok,
        _ data: [String: Any]
    ) throws -> ServerResponse {
        var values = data
        values["pageTitle"] = title
        values["csrf"] = context.visitor.csrf ?? ""
        values["user"] = context.visitor.user.map { ["name": $0.name] as [String: Any] } ?? WorkflowTemplates.none
        values["signOut"] = context.visitor.session != nil
        values["queueURL"] = "/_formulary/review"
        values["worklistURL"] = "/_formulary/worklist"
        values["coverageURL"] = "/_formulary/coverage"
        values["accountURL"] = "/_formulary/account"
        values["signInURL"] = "/_formulary/sign-in"
        let languages = templates.languages
        values["hasLanguages"] = languages.count > 1
        // The same page in another language: GET pages with their query, others their path.
        let query = context.method == .get ? context.target.query.filter { $0.name != "lang" } : []
        values["languages"] = languages.map { code -> [String: Any] in
            let parameters = query + [(name: "lang", value: code)]
            return [
                "code": code, "name": templates.words(code)["languageName"], "current": code == context.language,
                "url": context.target.path + "?"
                    + parameters.map { Self.queryValue($0.name) + "=" + Self.queryValue($0.value) }.joined(
                        separator: "&"),
            ]
        }
        let html: String
        do {
            html = try templates.render(name, language: context.language, values)
        } catch {
            Self.logger.error("template workflow-\(name): \(error)")
            throw WebError.server("the page's template failed; the server's log says why")
        }
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: status, headers: fields, body: .bytes(ByteBuffer(string: html)))
    }

    /// The error page in `language`, or a redirect to sign-in when the page needs a person;
    /// `target` is the request's, for the language switch (the same page in another language).
    func errorPage(_ error: WebError, language: String, target: RequestTarget?) -> ServerResponse {
        if case .signInRequired(let next) = error {
            return Self.redirect(to: "/_formulary/sign-in?next=" + Self.queryValue(next))
        }
        var context = ContributionContext(peer: "", logger: Self.logger)
        context.language = language
        if let target { context.target = target }
        let page =
            (try? self.page(
                "error", title: error.title, context: context, status: error.status, ["detail": error.detail]))
            ?? ServerResponse(status: error.status, headers: [:], body: .bytes(ByteBuffer(string: error.detail)))
        var response = page
        for field in error.headers where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }

    /// The language the review pages are shown in: `?lang=`, else the language of the page
    /// asked about (`page=hi/composition/...`), else the one chosen before (a cookie), else the
    /// site's main language; with the cookie to set when the choice changed.
    func language(for target: RequestTarget, headers: HTTPFields) -> (language: String, remember: String?) {
        let languages = templates.languages
        let remembered = Self.cookies(headers)[Self.languageCookie].flatMap { languages.contains($0) ? $0 : nil }
        var chosen: String?
        if let asked = target.parameter("lang"), languages.contains(asked) {
            chosen = asked
        } else if let page = target.parameter("page") {
            let prefix = page.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            chosen = languages.dropFirst().contains(prefix) ? prefix : languages[0]
        }
        guard let chosen else { return (remembered ?? languages[0], nil) }
        return (chosen, chosen == remembered || (remembered == nil && chosen == languages[0]) ? nil : chosen)
    }

    // MARK: Answers that are not pages

    static func redirect(to location: String) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: .seeOther, headers: fields, body: .bytes(ByteBuffer()))
    }

    static func json<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> ServerResponse {
        jsonBytes(status, SiteServer.encode(value))
    }

    static func jsonText(_ status: HTTPResponse.Status, _ text: String) -> ServerResponse {
        jsonBytes(status, Array((text + "\n").utf8))
    }

    private static func jsonBytes(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> ServerResponse {
        var fields = SiteServer.securityHeaders
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return ServerResponse(status: status, headers: fields, body: .bytes(ByteBuffer(bytes: bytes)))
    }

    // MARK: What pages show

    /// The changed sections side by side, words deleted and inserted marked (`workflow-diff`).
    func diff(from old: String, to new: String, words: SiteStrings) -> [[String: Any]] {
        SectionDiff(from: old, to: new).sections.map { section in
            var item: [String: Any] = [
                "title": section.heading ?? (section.name == "preamble" ? words["sectionPreamble"] : section.name),
                "isAdded": false, "isRemoved": false, "isEdited": false, "text": "", "before": [], "after": [],
            ]
            switch section.change {
            case .added(let text):
                item["isAdded"] = true
                item["text"] = text
            case .removed(let text):
                item["isRemoved"] = true
                item["text"] = text
            case .edited(let runs):
                item["isEdited"] = true
                var before: [[String: Any]] = []
                var after: [[String: Any]] = []
                for run in runs {
                    switch run {
                    case .same(let text):
                        before.append(["text": text, "changed": false])
                        after.append(["text": text, "changed": false])
                    case .deleted(let text): before.append(["text": text, "changed": true])
                    case .inserted(let text): after.append(["text": text, "changed": true])
                    }
                }
                item["before"] = before
                item["after"] = after
            }
            return item
        }
    }

    /// `items` with `first` and `last` marked, for templates that open a table at the first.
    static func marked(_ items: [[String: Any]]) -> [[String: Any]] {
        items.enumerated().map { index, item in
            var item = item
            item["first"] = index == 0
            item["last"] = index == items.count - 1
            return item
        }
    }

    func statusLabel(_ status: Suggestion.Status, _ words: SiteStrings) -> String {
        switch status {
        case .pending: return words["wfStatusPending"]
        case .approved: return words["wfStatusApproved"]
        case .rejected: return words["wfStatusRejected"]
        case .withdrawn: return words["wfStatusWithdrawn"]
        case .changesRequested: return words["wfStatusChangesRequested"]
        }
    }

    func stateLabel(_ state: PageReview.State, _ words: SiteStrings) -> String {
        switch state {
        case .reviewed: return words["wfStateReviewed"]
        case .partlyReviewed: return words["wfStatePartlyReviewed"]
        case .notReviewed: return words["wfStateNotReviewed"]
        }
    }

    static func shortDate(_ iso: String) -> String {
        iso.count >= 16 ? String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC" : iso
    }

    /// A medicine's page on the site.
    static func pageLink(_ id: String) -> String { "/" + SiteURLs.percentEncoded(SiteURLs.monographPath(id)) }
}
