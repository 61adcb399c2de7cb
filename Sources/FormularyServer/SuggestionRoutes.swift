import FormularyReview
import FormularySite
import FormularyStore
import Foundation

/// Suggested edits: the suggest form, a suggestion and its decision, the review queue; and the
/// same through the API (`/api/v1/suggestions`).
enum SuggestionRoutes {
    static let routes: [ContributionRoute] =
        [
            ContributionRoute(.pages, .get, "suggest") { server, context in
                let id = try ContributionServer.required(context.target.parameter("page"), "page")
                return try await server.suggestPage(context, id: id, section: context.target.parameter("section"))
            },
            ContributionRoute(.pages, .post, "suggest") { server, context in try await server.suggest(context) },
            ContributionRoute(.pages, .get, "suggestions/:number") { server, context in
                let words = server.words(context)
                return try await server.suggestionPage(
                    context, ContributionServer.number(context.parameters.get("number")),
                    notice: context.target.parameter("sent") == "1" ? words["wfSentNotice"] : nil)
            },
            ContributionRoute(.pages, .post, "suggestions/:number") { server, context in
                try await server.decide(context, ContributionServer.number(context.parameters.get("number")))
            },
            ContributionRoute(.pages, .get, "review") { server, context in try await server.queuePage(context) },
            ContributionRoute(.api, .get, "suggestions") { server, context in try await server.listSuggestions(context)
            },
            ContributionRoute(.api, .post, "suggestions") { server, context in try await server.apiSuggest(context) },
            ContributionRoute(.api, .get, "suggestions/:number") { server, context in
                let id = try ContributionServer.number(context.parameters.get("number"))
                guard context.visitor.user != nil else { throw WebError.unauthorized("send an API token") }
                guard let suggestion = try await server.store.suggestion(id: id) else {
                    throw WebError.notFound("there is no suggestion #\(id)")
                }
                let merge = suggestion.status == .pending ? try await server.contributions.preview(suggestion) : nil
                return ContributionServer.json(
                    .ok,
                    SuggestionDetail(
                        suggestion: suggestion, mergesCleanly: merge.map { $0.text != nil },
                        conflicts: merge?.conflicts ?? [], sections: merge?.suggested ?? []))
            },
        ]
        + ["approve", "reject", "request-changes", "withdraw"].map { action in
            ContributionRoute(.api, .post, "suggestions/:number/" + action) { server, context in
                try await server.apiDecide(context, action: action)
            }
        }
}

extension ContributionServer {
    func suggestPage(_ context: ContributionContext, id: String, section: String?) async throws -> ServerResponse {
        guard context.visitor.user != nil || settings.anonymous else {
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
        return try suggestForm(
            context, id: id, base: current.number, section: section, text: text, message: "", checked: nil)
    }

    /// What `Check` found in a suggestion before it is sent.
    struct Checked {
        var errors: [String]
        var missingMessage: Bool
        var diff: [[String: Any]]
    }

    func suggestForm(
        _ context: ContributionContext, id: String, base: Int, section: String?, text: String, message: String,
        checked: Checked?
    ) throws -> ServerResponse {
        let words = words(context)
        let link = "<a href=\"/_formulary/history?page=\(Self.escape(Self.queryValue(id)))\">\(Self.escape(id))</a>"
        let intro =
            section.map {
                words.html(
                    "wfSuggestIntroSection",
                    ["page": link, "revision": String(base), "section": "<code>\(Self.escape($0))</code>"])
            } ?? words.html("wfSuggestIntro", ["page": link, "revision": String(base)])
        var data: [String: Any] = [
            "intro": intro, "id": id, "base": base, "section": section ?? WorkflowTemplates.none, "text": text,
            "message": message.isEmpty ? WorkflowTemplates.none : message as Any,
            "anonymous": context.visitor.user == nil, "checked": checked != nil, "missingMessage": false,
            "noProblems": false, "hasProblems": false, "problemCount": 0, "problems": [String](), "diff": [],
        ]
        if let checked {
            data["missingMessage"] = checked.missingMessage
            data["noProblems"] = checked.errors.isEmpty
            data["hasProblems"] = !checked.errors.isEmpty
            data["problemCount"] = checked.errors.count
            data["problems"] = checked.errors
            data["diff"] = checked.diff
        }
        return try page("suggest", title: words.text("wfSuggestTitleFor", ["page": id]), context: context, data)
    }

    func suggest(_ context: ContributionContext) async throws -> ServerResponse {
        let form = context.form
        guard context.visitor.user != nil || settings.anonymous else {
            throw WebError.unauthorized("sign in to suggest edits")
        }
        let id = try Self.required(form["page"], "page")
        let base = try Self.number(form["base"])
        let section = form["section"].flatMap { $0.isEmpty ? nil : $0 }
        let text = Self.normalizedNewlines(try Self.required(form["markdown"], "markdown"))
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
        let errors = contributions.checkErrors(page, path: monograph.path)
        let action = form["action"] ?? "submit"
        let acknowledged = form["acknowledge"] == "yes"
        if action == "check" || message.isEmpty || (!errors.isEmpty && !acknowledged) {
            let checked = Checked(
                errors: errors, missingMessage: message.isEmpty && action != "check",
                diff: diff(from: baseRevision.markdown, to: page, words: words(context)))
            return try suggestForm(
                context, id: id, base: base, section: section, text: text, message: message, checked: checked)
        }
        let suggestion = try await contributions.suggest(
            monographID: id, markdown: page, author: context.visitor.user?.name ?? "anonymous", message: message,
            baseRevision: base)
        return Self.redirect(to: "/_formulary/suggestions/\(suggestion.id)?sent=1")
    }

    func suggestionPage(_ context: ContributionContext, _ id: Int, notice: String?) async throws -> ServerResponse {
        guard let suggestion = try await store.suggestion(id: id) else {
            throw WebError.notFound("there is no suggestion #\(id)")
        }
        // Pending text is for people signed in, and for its author.
        guard context.visitor.user != nil || suggestion.status == .approved else {
            throw WebError.signInRequired(next: "/_formulary/suggestions/\(id)")
        }
        let words = words(context)
        var data: [String: Any] = [
            "status": suggestion.status.rawValue, "statusLabel": statusLabel(suggestion.status, words),
            "notice": notice ?? WorkflowTemplates.none,
            "historyURL": "/_formulary/history?page=" + Self.queryValue(suggestion.monographID),
            "id": suggestion.monographID, "author": suggestion.author, "sent": Self.shortDate(suggestion.createdAt),
            "message": suggestion.message,
            "writtenAgainst": words.text("wfRevisionNumber", ["revision": String(suggestion.baseRevision)]),
            "decidedBy": suggestion.reviewer.map { reviewer in
                reviewer + (suggestion.decidedAt.map { ", " + Self.shortDate($0) } ?? "")
            } ?? WorkflowTemplates.none,
            "reason": suggestion.reason.flatMap { $0.isEmpty ? nil : $0 } ?? WorkflowTemplates.none,
            "hasCheckErrors": !suggestion.checkErrors.isEmpty, "checkErrors": suggestion.checkErrors,
            "conflicts": WorkflowTemplates.none, "mergesCleanly": WorkflowTemplates.none,
            "qualification": WorkflowTemplates.none,
            "actionURL": "/_formulary/suggestions/\(id)",
        ]
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
                if merge.text == nil {
                    data["conflicts"] = words.text(
                        "wfConflicts",
                        ["current": String(current), "sections": merge.conflicts.joined(separator: ", ")])
                } else {
                    data["mergesCleanly"] = words.text("wfMergesCleanly", ["current": String(current)])
                }
            }
            let required = contributions.policy.required(for: merge.suggested)
            if !required.isEmpty { data["qualification"] = required.joined(separator: ", ") }
        }
        data["diff"] = diff(from: base, to: suggestion.markdown, words: words)
        var actions: [String: Any]?
        if suggestion.status == .pending, let user = context.visitor.user {
            actions = [
                "mayDecide": user.role.mayReview && user.name != suggestion.author,
                "mayWithdraw": user.name == suggestion.author,
            ]
        }
        data["actions"] = actions ?? WorkflowTemplates.none
        return try page(
            "suggestion", title: words.text("wfSuggestionTitle", ["number": String(id)]), context: context, data)
    }

    func decide(_ context: ContributionContext, _ id: Int) async throws -> ServerResponse {
        guard let user = context.visitor.user else { throw WebError.unauthorized("sign in first") }
        let form = context.form
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let words = words(context)
        let notice: String
        switch form["action"] ?? "" {
        case "approve":
            let revision = try await approve(id, by: user, override: form["override"], wait: true)
            notice = words.text(
                "wfApprovedNotice", ["revision": String(revision.number), "page": revision.monographID])
        case "reject":
            try await contributions.reject(suggestion: id, reviewer: user.name, reason: reason)
            notice = words["wfRejectedNotice"]
        case "request-changes":
            try await contributions.requestChanges(suggestion: id, reviewer: user.name, reason: reason)
            notice = words["wfSentBackNotice"]
        case "withdraw":
            try await contributions.withdraw(suggestion: id, by: user.name, reason: reason)
            notice = words["wfWithdrawnNotice"]
        default:
            throw WebError.badRequest("say what to do: approve, reject, request-changes or withdraw")
        }
        return try await suggestionPage(context, id, notice: notice)
    }

    /// Approves through `Contributions`, which refuses a contributor, an unknown name and the
    /// suggestion's own author; then rebuilds.
    func approve(_ id: Int, by user: User, override: String?, wait: Bool) async throws -> Revision {
        let revision = try await contributions.approve(
            suggestion: id, reviewer: user.name, override: override.flatMap { $0.isEmpty ? nil : $0 })
        await changed(wait)
        return revision
    }

    func queuePage(_ context: ContributionContext) async throws -> ServerResponse {
        let target = context.target
        guard context.visitor.user != nil else {
            throw WebError.signInRequired(next: "/_formulary/review" + Self.queryString(target))
        }
        let statusName = target.parameter("status") ?? "pending"
        let status = statusName == "all" ? nil : Suggestion.Status(rawValue: statusName)
        guard statusName == "all" || status != nil else {
            throw WebError.badRequest(
                "status must be one of all, " + Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let page = target.parameter("page").flatMap { $0.isEmpty ? nil : $0 }
        let offset = try Self.bounded(target.parameter("offset"), "offset", 0...Int(Int32.max), default: 0)
        let shown = 100
        // One more than shown, to know whether there is a next page.
        var suggestions = try await store.suggestions(
            status: status, monographID: page, limit: shown + 1, offset: offset)
        let more = suggestions.count > shown
        suggestions = Array(suggestions.prefix(shown))
        let words = words(context)
        let pageQuery = page.map { "&page=" + Self.queryValue($0) } ?? ""
        let filters: [[String: Any]] = [
            Suggestion.Status.pending, .changesRequested, .approved, .rejected, .withdrawn,
        ].map { ($0.rawValue, statusLabel($0, words)) }
            .appending(("all", words["wfStatusAll"]))
            .enumerated().map { index, filter in
                [
                    "label": filter.1, "current": filter.0 == statusName, "first": index == 0,
                    "url": "/_formulary/review?status=\(filter.0)" + pageQuery,
                ]
            }
        let rows: [[String: Any]] = suggestions.map { suggestion in
            [
                "url": "/_formulary/suggestions/\(suggestion.id)", "number": suggestion.id,
                "id": suggestion.monographID, "author": suggestion.author,
                "sent": Self.shortDate(suggestion.createdAt), "message": suggestion.message,
                "status": suggestion.status.rawValue, "statusLabel": statusLabel(suggestion.status, words),
                "checkErrors": suggestion.checkErrors.isEmpty
                    ? WorkflowTemplates.none
                    : words.text("wfCheckErrorCount", ["count": String(suggestion.checkErrors.count)]),
            ]
        }
        var paging: Any = WorkflowTemplates.none
        if offset > 0 || more {
            let link = { (start: Int) in "/_formulary/review?status=\(statusName)&offset=\(start)" + pageQuery }
            paging =
                [
                    "olderURL": offset > 0 ? link(max(0, offset - shown)) : WorkflowTemplates.none,
                    "newerURL": more ? link(offset + shown) : WorkflowTemplates.none,
                    "showing": words.text(
                        "wfShowing", ["from": String(offset + 1), "to": String(offset + suggestions.count)]),
                ] as [String: Any]
        }
        var data: [String: Any] = [
            "filters": filters, "suggestions": Self.marked(rows), "paging": paging,
        ]
        for (key, value) in try await openReports(context, page: page) { data[key] = value }
        return try self.page("queue", title: words["wfReviewQueue"], context: context, data)
    }

    // MARK: API

    func listSuggestions(_ context: ContributionContext) async throws -> ServerResponse {
        guard context.visitor.user != nil else { throw WebError.unauthorized("send an API token") }
        let target = context.target
        let status = try target.parameter("status").map { name -> Suggestion.Status in
            guard let status = Suggestion.Status(rawValue: name) else {
                throw WebError.badRequest(
                    "status must be one of " + Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
        let limit = try Self.bounded(target.parameter("limit"), "limit", 1...500, default: 100)
        let offset = try Self.bounded(target.parameter("offset"), "offset", 0...Int(Int32.max), default: 0)
        let list = try await store.suggestions(
            status: status, monographID: target.parameter("monograph"), limit: limit, offset: offset)
        return Self.json(.ok, SuggestionList(suggestions: list))
    }

    func apiSuggest(_ context: ContributionContext) async throws -> ServerResponse {
        let visitor = context.visitor
        guard visitor.user != nil || settings.anonymous else { throw WebError.unauthorized("send an API token") }
        guard let input = try JSONBody<SuggestionInput>.decode(context.body, allowEmpty: false) else {
            throw WebError.badRequest("send {\"monograph\": ID, \"markdown\": TEXT, \"message\": WHY}")
        }
        let author = visitor.user?.name ?? "anonymous"
        let message = input.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw WebError.unprocessable("say what changed, and why, in 'message'") }
        let dryRun = context.target.parameter("dryRun") == "true"
        let markdown: String
        switch (input.markdown, input.section, input.text) {
        case (let text?, nil, nil): markdown = Self.normalizedNewlines(text)
        case (nil, let section?, let text?):
            if dryRun { throw WebError.badRequest("dryRun takes a whole page ('markdown')") }
            let suggestion = try await contributions.suggestSection(
                monographID: input.monograph, section: section, text: Self.normalizedNewlines(text), author: author,
                message: message, baseRevision: input.baseRevision)
            return Self.json(.created, suggestion)
        default:
            throw WebError.badRequest("send either 'markdown' (the whole page) or 'section' with 'text'")
        }
        if dryRun {
            guard let monograph = try await store.monograph(id: input.monograph) else {
                throw WebError.notFound("no page has the id '\(input.monograph)'")
            }
            return Self.json(.ok, CheckResult(checkErrors: contributions.checkErrors(markdown, path: monograph.path)))
        }
        let suggestion = try await contributions.suggest(
            monographID: input.monograph, markdown: markdown, author: author, message: message,
            baseRevision: input.baseRevision)
        return Self.json(.created, suggestion)
    }

    func apiDecide(_ context: ContributionContext, action: String) async throws -> ServerResponse {
        guard let user = context.visitor.user else { throw WebError.unauthorized("send an API token") }
        let id = try Self.number(context.parameters.get("number"))
        let input = try JSONBody<DecisionInput>.decode(context.body, allowEmpty: true) ?? DecisionInput()
        let reason = input.reason ?? ""
        switch action {
        case "approve":
            return Self.json(.ok, try await approve(id, by: user, override: input.override, wait: false))
        case "reject":
            try await contributions.reject(suggestion: id, reviewer: user.name, reason: reason)
        case "request-changes":
            try await contributions.requestChanges(suggestion: id, reviewer: user.name, reason: reason)
        default:
            try await contributions.withdraw(suggestion: id, by: user.name, reason: reason)
        }
        guard let suggestion = try await store.suggestion(id: id) else {
            throw WebError.notFound("there is no suggestion #\(id)")
        }
        return Self.json(.ok, suggestion)
    }
}

extension Array {
    fileprivate func appending(_ element: Element) -> [Element] { self + [element] }
}
