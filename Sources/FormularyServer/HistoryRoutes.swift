import FormularySite
import FormularyStore
import Foundation

/// A page's revisions: its history, two revisions compared, revert; and `/api/v1/revisions`.
enum HistoryRoutes {
    static let routes: [ContributionRoute] = [
        ContributionRoute(.pages, .get, "history") { server, context in
            try await server.historyPage(
                context, id: try ContributionServer.required(context.target.parameter("page"), "page"))
        },
        ContributionRoute(.pages, .get, "compare") { server, context in try await server.comparePage(context) },
        ContributionRoute(.pages, .post, "revert") { server, context in
            let user = try ContributionServer.signedIn(context)
            let id = try ContributionServer.required(context.form["page"], "page")
            _ = try await server.contributions.revert(
                monographID: id, to: try ContributionServer.number(context.form["to"]), author: user.name)
            await server.changed(true)
            return ContributionServer.redirect(to: "/_formulary/history?page=" + ContributionServer.queryValue(id))
        },
        ContributionRoute(.api, .get, "revisions") { server, context in try await server.listRevisions(context) },
        ContributionRoute(.api, .post, "revisions/revert") { server, context in
            guard let user = context.visitor.user else { throw WebError.unauthorized("send an API token") }
            guard let input = try JSONBody<RevertInput>.decode(context.body, allowEmpty: false) else {
                throw WebError.badRequest("send {\"monograph\": ID, \"to\": N}")
            }
            let revision = try await server.contributions.revert(
                monographID: input.monograph, to: input.to, author: user.name)
            await server.changed(false)
            return ContributionServer.json(.created, revision)
        },
    ]
}

extension ContributionServer {
    func historyPage(_ context: ContributionContext, id: String) async throws -> ServerResponse {
        guard let monograph = try await store.monograph(id: id) else {
            throw WebError.notFound("no page has the id '\(id)'")
        }
        let revisions = try await store.revisions(of: id)
        let words = words(context)
        let query = Self.queryValue(id)
        var pending: [[String: Any]] = []
        if context.visitor.user != nil {
            pending = try await store.suggestions(status: .pending, monographID: id).map { suggestion in
                [
                    "url": "/_formulary/suggestions/\(suggestion.id)", "number": suggestion.id,
                    "byLine": words.text("wfPendingBy", ["author": suggestion.author, "message": suggestion.message]),
                ]
            }
        }
        let mayRevert = context.visitor.user?.role.mayReview ?? false
        let rows: [[String: Any]] = revisions.reversed().map { revision in
            [
                "number": revision.number, "current": revision.number == monograph.currentRevision,
                "date": Self.shortDate(revision.createdAt), "author": revision.author, "message": revision.message,
                "changesURL": revision.parent.map {
                    "/_formulary/compare?page=\(query)&from=\($0)&to=\(revision.number)"
                } ?? WorkflowTemplates.none,
                "mayRevert": mayRevert && revision.number != monograph.currentRevision,
                "revertLabel": words.text("wfRevertTo", ["revision": String(revision.number)]),
            ]
        }
        var compare: Any = WorkflowTemplates.none
        if revisions.count > 1 {
            // Any two revisions, without JavaScript: a form that asks for the compare page.
            let options = { (selected: Int) in
                revisions.reversed().map { ["number": $0.number, "selected": $0.number == selected] as [String: Any] }
            }
            compare = [
                "from": options(revisions[revisions.count - 2].number), "to": options(monograph.currentRevision),
            ]
        }
        return try page(
            "history", title: words.text("wfHistoryOf", ["page": id]), context: context,
            [
                "id": id, "suggestURL": "/_formulary/suggest?page=" + query, "pending": Self.marked(pending),
                "revisions": rows, "compare": compare,
            ])
    }

    func comparePage(_ context: ContributionContext) async throws -> ServerResponse {
        let target = context.target
        let id = try Self.required(target.parameter("page"), "page")
        let from = try Self.number(target.parameter("from"))
        let to = try Self.number(target.parameter("to"))
        guard let old = try await store.revision(of: id, number: from),
            let new = try await store.revision(of: id, number: to)
        else { throw WebError.notFound("\(id) has no revision \(from) or \(to)") }
        let words = words(context)
        return try page(
            "compare", title: words.text("wfCompareTitle", ["page": id]), context: context,
            [
                "heading": words.text("wfCompareHeading", ["page": id, "from": String(from), "to": String(to)]),
                "historyURL": "/_formulary/history?page=" + Self.queryValue(id),
                "diff": diff(from: old.markdown, to: new.markdown, words: words),
            ])
    }

    func listRevisions(_ context: ContributionContext) async throws -> ServerResponse {
        let target = context.target
        let id = try Self.required(target.parameter("monograph"), "monograph")
        guard try await store.monograph(id: id) != nil else {
            throw WebError.notFound("no page has the id '\(id)'")
        }
        if let number = target.parameter("number") {
            guard let revision = try await store.revision(of: id, number: try Self.number(number)) else {
                throw WebError.notFound("\(id) has no revision \(number)")
            }
            return Self.json(.ok, revision)
        }
        let revisions = try await store.revisions(of: id).map {
            RevisionSummary(
                number: $0.number, parent: $0.parent, author: $0.author, message: $0.message, createdAt: $0.createdAt)
        }
        return Self.json(.ok, RevisionList(monograph: id, revisions: revisions))
    }
}
