import FormularyReview
import FormularySite
import FormularyStore
import Foundation

/// Sign-offs (who checked which section), coverage and the worklist; and through the API
/// `/api/v1/coverage` and `/api/v1/monographs/{id}/sign-off` and `/review`.
enum SignOffRoutes {
    static let routes: [ContributionRoute] = [
        ContributionRoute(.pages, .get, "sign-off") { server, context in
            let user = try ContributionServer.signedIn(context)
            let id = try ContributionServer.required(context.target.parameter("page"), "page")
            return try await server.signOffPage(context, id: id, user: user, done: context.target.parameter("done"))
        },
        ContributionRoute(.pages, .post, "sign-off") { server, context in
            try await server.signOff(context, user: try ContributionServer.signedIn(context))
        },
        ContributionRoute(.pages, .get, "coverage") { server, context in try await server.coveragePage(context) },
        ContributionRoute(.pages, .get, "worklist") { server, context in
            _ = try ContributionServer.signedIn(context)
            return try await server.worklistPage(context)
        },
        ContributionRoute(.api, .get, "coverage") { server, _ in
            ContributionServer.jsonText(.ok, try await server.coverageCounts().json)
        },
        // A page's id has slashes (`composition/paracetamol`): the route takes the rest of the path.
        ContributionRoute(.api, .get, "monographs/**", lastSegment: "review") { server, context in
            let id = ContributionServer.monographID(context)
            guard let monograph = try await server.store.monograph(id: id) else {
                throw WebError.notFound("no page has the id '\(id)'")
            }
            let review = try await server.contributions.review(of: id)
            return ContributionServer.json(
                .ok, ReviewResult(monograph: id, revision: monograph.currentRevision, review: review))
        },
        ContributionRoute(.api, .post, "monographs/**", lastSegment: "sign-off") { server, context in
            let id = ContributionServer.monographID(context)
            guard let user = context.visitor.user else { throw WebError.unauthorized("send an API token") }
            let input = try JSONBody<SignOffInput>.decode(context.body, allowEmpty: true) ?? SignOffInput()
            let (signed, review) = try await server.contributions.signOffReviewing(
                monographID: id, sections: input.sections ?? [], reviewer: user.name, message: input.message ?? "",
                revision: input.revision)
            await server.changed(false)
            return ContributionServer.json(
                .created,
                SignOffResult(
                    monograph: id, revision: signed.first?.revision ?? 0, signedOff: signed,
                    state: review.state.rawValue))
        },
    ]
}

extension ContributionServer {
    /// The page id of `/api/v1/monographs/{id}/review` or `/sign-off` (the route checked the rest).
    static func monographID(_ context: ContributionContext) -> String {
        context.target.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(4).dropLast()
            .joined(separator: "/")
    }

    /// The site's coverage for the store's sign-offs, with the last 30 days' views.
    func coverageCounts() async throws -> Coverage {
        guard let coverage else { throw WebError.notFound("coverage is not available here") }
        var counts = coverage(try await store.reviewLedger())
        counts.count(views: try await store.views(since: Clock.day(daysAgo: 30)))
        return counts
    }

    /// A page's sections as they stand, each with its check, and a form to sign off the ones
    /// the reviewer ticks (none is ticked for them: a sign-off is a deliberate act).
    func signOffPage(_ context: ContributionContext, id: String, user: User, done: String?) async throws
        -> ServerResponse
    {
        guard let monograph = try await store.monograph(id: id) else {
            throw WebError.notFound("no page has the id '\(id)'")
        }
        let review = try await contributions.review(of: id)
        let policy = contributions.policy
        let words = words(context)
        var data: [String: Any] = [
            "pageURL": Self.pageLink(id), "id": id, "revision": monograph.currentRevision,
            "done": done.map { words.text("wfSignedOffNotice", ["sections": $0]) } ?? WorkflowTemplates.none,
            "stateLine": words.html(
                "wfPageState",
                [
                    "state": "<strong>" + Self.escape(stateLabel(review.state, words)) + "</strong>",
                    "revision": String(monograph.currentRevision),
                ]),
            "contributor": WorkflowTemplates.none, "form": false,
            "historyURL": "/_formulary/history?page=" + Self.queryValue(id),
            "suggestURL": "/_formulary/suggest?page=" + Self.queryValue(id),
        ]
        if user.role.mayReview {
            let qualified = Set(user.qualifications)
            data["form"] = true
            data["sections"] = review.sections.map { section -> [String: Any] in
                let needed = policy.required(for: [section.name])
                let allowed = needed.allSatisfy(qualified.contains)
                var state = words["wfSectionNotCheckedState"]
                if let signOff = section.signedOff {
                    state = words.text(
                        "wfSectionCheckedBy", ["name": signOff.reviewer, "date": Self.shortDate(signOff.at)])
                } else if let old = section.changedSince {
                    state = words.text("wfSectionChangedSince", ["name": old.reviewer, "date": Self.shortDate(old.at)])
                }
                if !allowed {
                    state = words.text(
                        "wfSectionNeeds", ["state": state, "qualification": needed.joined(separator: ", ")])
                }
                return [
                    "field": "section-" + Self.fieldName(section.name), "name": section.name,
                    "title": words.sectionTitle(ofName: section.name), "allowed": allowed, "state": state,
                ]
            }
        } else {
            data["contributor"] = words.text("wfContributorCannot", ["name": user.name])
        }
        return try page("sign-off", title: words.text("wfSignOffTitle", ["page": id]), context: context, data)
    }

    func signOff(_ context: ContributionContext, user: User) async throws -> ServerResponse {
        let form = context.form
        let id = try Self.required(form["page"], "page")
        let revision = try Self.number(form["revision"])
        let sections = form.names(withPrefix: "section:")
        guard !sections.isEmpty else { throw WebError.badRequest("tick at least one section to sign off") }
        let signed = try await contributions.signOff(
            monographID: id, sections: sections, reviewer: user.name,
            message: (form["message"] ?? "").trimmingCharacters(in: .whitespaces), revision: revision)
        await changed(true)
        let words = words(context)
        let titles = signed.map { words.sectionTitle(ofName: $0.section) }.joined(separator: ", ")
        return Self.redirect(
            to: "/_formulary/sign-off?page=" + Self.queryValue(id) + "&done=" + Self.queryValue(titles))
    }

    /// How much of the site is reviewed: counts, by collection and by section.
    func coveragePage(_ context: ContributionContext) async throws -> ServerResponse {
        let counts = try await coverageCounts()
        func percent(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "–" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
        }
        func strong(_ number: Int) -> String { "<strong>\(number)</strong>" }
        let words = words(context)
        let total = counts.total
        var data: [String: Any] = [
            "totals": words.html(
                "wfCoverageTotals",
                [
                    "reviewed": strong(total.reviewed), "pages": String(total.pages),
                    "partly": strong(total.partlyReviewed), "notReviewed": String(total.notReviewed),
                ]),
            "mostOpened": WorkflowTemplates.none,
        ]
        if counts.mostOpened.pages > 0 {
            data["mostOpened"] = words.html(
                "wfMostOpened",
                [
                    "pages": String(counts.mostOpened.pages), "reviewed": strong(counts.mostOpened.reviewed),
                    "partly": String(counts.mostOpened.partlyReviewed),
                ])
        }
        data["collections"] = counts.collections.sorted(by: { $0.key < $1.key }).map { name, row in
            [
                "name": name, "pages": row.pages, "reviewed": row.reviewed, "partly": row.partlyReviewed,
                "notReviewed": row.notReviewed,
            ] as [String: Any]
        }
        data["sections"] = counts.sectionList.map { section in
            [
                "title": section.title, "pages": section.pages, "signedOff": section.signedOff,
                "percent": percent(section.signedOff, section.pages),
            ] as [String: Any]
        }
        return try page("coverage", title: words["wfCoverageTitle"], context: context, data)
    }

    /// The pages not yet reviewed, most urgent first, with why; filters by collection, section
    /// left unchecked and reason; then the searches that found nothing.
    func worklistPage(_ context: ContributionContext) async throws -> ServerResponse {
        guard let worklist else { throw WebError.notFound("the worklist is not available here") }
        let target = context.target
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
        let words = words(context)
        let shown = 100
        let entries: [[String: Any]] = list.entries.prefix(shown).enumerated().map { rank, entry in
            [
                "rank": rank + 1, "url": Self.pageLink(entry.id), "title": entry.title, "id": entry.id,
                "state": stateLabel(entry.state, words), "score": entry.score,
                "signOffURL": "/_formulary/sign-off?page=" + Self.queryValue(entry.id),
                "reasons": entry.reasons.sorted(by: { $0.weight > $1.weight }).map {
                    ["kind": $0.kind, "detail": $0.detail] as [String: Any]
                },
            ]
        }
        return try page(
            "worklist", title: words["wfWorklist"], context: context,
            [
                "summary": words.text(
                    "wfWorklistSummary", ["notReviewed": String(list.notReviewed), "pages": String(list.pages)]),
                "collection": filter.collection ?? "", "section": filter.section ?? "",
                "reasons": ["check", "report", "high-risk", "changed", "views"].map { (name: String) in
                    ["name": name, "selected": filter.reason == name] as [String: Any]
                },
                "entries": Self.marked(entries),
                "more": list.entries.count > shown
                    ? words.text("wfFirstShown", ["shown": String(shown), "count": String(list.entries.count)])
                    : WorkflowTemplates.none,
                "misses": Self.marked(misses.map { ["query": $0.query, "count": $0.count] }),
            ])
    }

    /// A section name as an HTML id: letters and digits kept, the rest `-`.
    static func fieldName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
