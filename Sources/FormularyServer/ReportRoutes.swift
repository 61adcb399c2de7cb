import FormularyReview
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes

/// Readers' reports (what is wrong with a page; open to anyone, limited per address), closing
/// them, and searches that found nothing; and `/api/v1/reports`.
enum ReportRoutes {
    static let routes: [ContributionRoute] = [
        ContributionRoute(.pages, .get, "report") { server, context in
            let id = try ContributionServer.required(context.target.parameter("page"), "page")
            return try await server.reportPage(context, id: id, sent: context.target.parameter("sent") == "1")
        },
        ContributionRoute(.pages, .post, "report", needsFormToken: false) { server, context in
            try await server.report(context)
        },
        ContributionRoute(.pages, .post, "reports/:number/close") { server, context in
            let user = try ContributionServer.signedIn(context)
            let number = try ContributionServer.number(context.parameters.get("number"))
            try await server.contributions.closeReport(number, reviewer: user.name, note: context.form["note"] ?? "")
            return ContributionServer.redirect(to: "/_formulary/review?closed=\(number)")
        },
        // The search page says a search found nothing: counted (no address kept), 204.
        ContributionRoute(.pages, .post, "search-miss", needsFormToken: false) { server, context in
            if server.missLimiter.take("address:" + context.peer) == nil {
                server.counts?.miss(context.form["q"] ?? "")
            }
            var fields = SiteServer.securityHeaders
            fields[.cacheControl] = "no-store"
            return ServerResponse(status: .noContent, headers: fields, body: .none)
        },
        ContributionRoute(.api, .post, "reports") { server, context in
            if let wait = server.reportLimiter.take("address:" + context.peer) {
                throw WebError.tooManyRequests(wait)
            }
            guard let input = try JSONBody<ReportInput>.decode(context.body, allowEmpty: false) else {
                throw WebError.badRequest("send {\"monograph\": ID, \"reason\": TEXT}")
            }
            let report = try await server.contributions.report(
                monographID: input.monograph, section: input.section ?? "", reason: input.reason,
                contact: input.contact ?? "")
            return ContributionServer.json(.created, report)
        },
        ContributionRoute(.api, .get, "reports") { server, context in
            _ = try ContributionServer.reviewer(context)
            let target = context.target
            let status = try target.parameter("status").map { name -> ReaderReport.Status in
                guard let status = ReaderReport.Status(rawValue: name) else {
                    throw WebError.badRequest("status must be open or closed")
                }
                return status
            }
            let limit = try ContributionServer.bounded(target.parameter("limit"), "limit", 1...1000, default: 100)
            let reports = try await server.store.reports(
                status: status, monographID: target.parameter("monograph"), limit: limit)
            return ContributionServer.json(.ok, ReportList(reports: reports))
        },
        ContributionRoute(.api, .post, "reports/:number/close") { server, context in
            guard let user = context.visitor.user else { throw WebError.unauthorized("send an API token") }
            let id = try ContributionServer.number(context.parameters.get("number"))
            let input = try JSONBody<CloseInput>.decode(context.body, allowEmpty: true) ?? CloseInput()
            try await server.contributions.closeReport(id, reviewer: user.name, note: input.note ?? "")
            guard let report = try await server.store.report(id: id) else {
                throw WebError.notFound("no report #\(id)")
            }
            return ContributionServer.json(.ok, report)
        },
    ]
}

extension ContributionServer {
    /// A reader's report form for one page (what the page's own form sends, for browsers that
    /// come here), or the thanks after one was sent.
    func reportPage(_ context: ContributionContext, id: String, sent: Bool) async throws -> ServerResponse {
        guard let monograph = try await store.monograph(id: id),
            let current = try await store.revision(of: id, number: monograph.currentRevision)
        else { throw WebError.notFound("no page has the id '\(id)'") }
        let words = words(context)
        let sections = SectionText(current.markdown, path: monograph.path).reviewable.map(\.name)
        return try page(
            "report", title: sent ? words["wfReportSentTitle"] : words["reportProblem"], context: context,
            [
                "heading": words.text("wfReportTitle", ["page": id]), "sent": sent, "id": id,
                "pageURL": Self.pageLink(id),
                "sections": sections.filter { $0 != "preamble" }.map {
                    ["name": $0, "title": words.sectionTitle(ofName: $0)] as [String: Any]
                },
            ])
    }

    func report(_ context: ContributionContext) async throws -> ServerResponse {
        let form = context.form
        let id = try Self.required(form["page"], "page")
        let thanks = "/_formulary/report?sent=1&page=" + Self.queryValue(id)
        // A field people do not see and bots fill in: a report that fills it is thanked and dropped.
        guard (form["website"] ?? "").isEmpty else {
            Self.logger.debug("a report with its honeypot field filled in was dropped")
            return Self.redirect(to: thanks)
        }
        if let wait = reportLimiter.take("address:" + context.peer) { throw WebError.tooManyRequests(wait) }
        _ = try await contributions.report(
            monographID: id, section: form["section"] ?? "", reason: form["reason"] ?? "",
            contact: form["contact"] ?? "")
        return Self.redirect(to: thanks)
    }

    /// The open reports from readers, each with a form to close it (reviewers), for the queue.
    func openReports(_ context: ContributionContext, page: String?) async throws -> [String: Any] {
        let reports = try await store.reports(status: .open, monographID: page, limit: 200)
        let words = words(context)
        let mayClose = context.visitor.user?.role.mayReview ?? false
        let closed = context.target.parameter("closed").flatMap { Int($0) }
        let rows: [[String: Any]] = reports.map { report in
            [
                "number": report.id, "url": Self.pageLink(report.monographID), "id": report.monographID,
                "part": report.section.isEmpty ? words["reportWholePage"] : words.sectionTitle(ofName: report.section),
                "sent": Self.shortDate(report.createdAt), "reason": report.reason,
                // Only reviewers see how to reach a reader.
                "contact": mayClose ? report.contact : report.contact.isEmpty ? "" : words["wfContactGiven"],
                "mayClose": mayClose, "closeURL": "/_formulary/reports/\(report.id)/close",
            ]
        }
        return [
            "closed": closed.map { words.text("wfReportClosed", ["number": String($0)]) } ?? WorkflowTemplates.none,
            "reports": Self.marked(rows),
        ]
    }
}
