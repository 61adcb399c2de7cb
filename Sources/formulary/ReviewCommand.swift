import ArgumentParser
import FormularyCheck
import FormularyParsing
import FormularyReview
import FormularySite
import FormularyStore
import Foundation

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review: the suggestion queue, sign-offs of pages as they stand, and what is left.",
        discussion: """
            formulary review                       pending suggestions, oldest first
            formulary review show 12               what #12 changes, section by section, word by word
            formulary review approve 12 --reviewer NAME [--override REASON]
            formulary review reject 12 --reviewer NAME --reason TEXT
            formulary review changes 12 --reviewer NAME --reason TEXT
            formulary review withdraw 12 --reviewer AUTHOR   (its author takes it back)
            formulary review sign-off ID --reviewer NAME [--sections dosage,precautions] [--message TEXT]
            formulary review status ID             which sections stand checked, by whom, and which changed since
            formulary review coverage [--format json]
            formulary review worklist [--format json] [--collection C] [--section S] [--reason R]
            formulary review zero-results [--days 30]   searches readers made that found nothing
            formulary review reports [--status open|closed] [--page ID]   readers' reports of problems
            formulary review close-report 4 --reviewer NAME --note TEXT
            A suggestion written against an older revision is merged by section when the sections
            it changes were not changed since; otherwise approval names the conflicting sections.
            Approving a suggestion signs off the sections it changes, by the approver.
            """,
        subcommands: [
            ListSuggestions.self, ShowSuggestion.self, Approve.self, Reject.self, RequestChanges.self,
            Withdraw.self, SignOffCommand.self, ReviewStatus.self, CoverageCommand.self, WorklistCommand.self,
            ZeroResults.self, Reports.self, CloseReport.self,
        ],
        defaultSubcommand: ListSuggestions.self)
}

extension ReviewCommand {
    struct ListSuggestions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Suggestions with a status (pending by default), oldest first.")

        @OptionGroup var store: StoreArguments

        @Option(help: "Only this status (pending, approved, rejected, withdrawn, changes-requested).")
        var status = "pending"

        @Option(help: "Only this page.")
        var page: String?

        func validate() throws {
            if Suggestion.Status(rawValue: status) == nil {
                throw ValidationError(
                    "--status is one of \(Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            try waitForContribution("review") {
                let contributions = try await store.contributions()
                let queue = try await contributions.store.suggestions(
                    status: Suggestion.Status(rawValue: status), monographID: page)
                for suggestion in queue {
                    let stale =
                        try await contributions.store.monograph(id: suggestion.monographID).map {
                            $0.currentRevision != suggestion.baseRevision
                        } ?? false
                    print(
                        "#\(suggestion.id)  \(suggestion.createdAt)  \(suggestion.monographID)  by \(suggestion.author): \(suggestion.message)"
                            + (stale ? "  [on revision \(suggestion.baseRevision), page has moved on]" : "")
                            + (suggestion.checkErrors.isEmpty ? "" : "  [\(suggestion.checkErrors.count) check errors]")
                    )
                }
                print("\(queue.count) \(status) suggestion\(queue.count == 1 ? "" : "s")")
            }
        }
    }

    struct ShowSuggestion: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "What a suggestion changes, section by section, word by word.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The suggestion's number.")
        var number: Int

        func run() throws {
            try waitForContribution("review") {
                let contributions = try await store.contributions()
                let suggestion = try await found(contributions, number)
                guard
                    let base = try await contributions.store.revision(
                        of: suggestion.monographID, number: suggestion.baseRevision)
                else { throw ContributeError("the base revision is gone") }
                print(
                    "#\(suggestion.id) \(suggestion.monographID) by \(suggestion.author): \(suggestion.message) [\(suggestion.status.rawValue)]"
                )
                for error in suggestion.checkErrors { print("check error: \(error)") }
                let merge = try await contributions.preview(suggestion)
                if !merge.conflicts.isEmpty {
                    print(
                        "conflicts with changes since revision \(suggestion.baseRevision): \(merge.conflicts.joined(separator: ", "))"
                    )
                }
                print(SectionDiff(from: base.markdown, to: suggestion.markdown).plainText, terminator: "")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a suggestion: a new revision, written to the content folder; its sections signed off.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The suggestion's number.")
        var number: Int

        @Option(help: "Who approves: a reviewer or admin of the site, not the suggestion's author.")
        var reviewer: String

        @Option(help: "Approve despite check errors, for this reason.")
        var override: String?

        func run() throws {
            try waitForContribution("review") {
                let revision = try await store.contributions().approve(
                    suggestion: number, reviewer: reviewer, override: override)
                print(
                    "approved #\(number): \(revision.monographID) revision \(revision.number), written to the content folder"
                )
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a suggestion, saying why.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The suggestion's number.")
        var number: Int

        @Option(help: "Who decides: a reviewer or admin of the site.")
        var reviewer: String

        @Option(help: "Why, for the author.")
        var reason: String

        func run() throws {
            try waitForContribution("review") {
                try await store.contributions().reject(suggestion: number, reviewer: reviewer, reason: reason)
                print("rejected #\(number)")
            }
        }
    }

    struct RequestChanges: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "changes", abstract: "Send a suggestion back to its author, saying what to change.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The suggestion's number.")
        var number: Int

        @Option(help: "Who decides: a reviewer or admin of the site.")
        var reviewer: String

        @Option(help: "What to change, for the author.")
        var reason: String

        func run() throws {
            try waitForContribution("review") {
                try await store.contributions().requestChanges(suggestion: number, reviewer: reviewer, reason: reason)
                print("sent #\(number) back to its author")
            }
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take back a pending suggestion (its author only).")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The suggestion's number.")
        var number: Int

        @Option(help: "The suggestion's author.")
        var reviewer: String

        @Option(help: "Why (optional).")
        var reason: String?

        func run() throws {
            try waitForContribution("review") {
                try await store.contributions().withdraw(suggestion: number, by: reviewer, reason: reason ?? "")
                print("withdrew #\(number)")
            }
        }
    }

    struct SignOffCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-off",
            abstract: "Sign off a page's current text as right, whole or section by section, without an edit.",
            discussion: """
                A sign-off stands for as long as the section keeps the text that was signed off: an
                edit nobody signed off (a file changed by hand, a revert) leaves it behind, and the
                page then says that section changed since it was checked.
                Only reviewers and admins sign off; sections the site reserves for a qualification
                (formulary.yml, contributions: qualifications: dosage: pharmacist) need a reviewer
                who has it; nobody signs off text they wrote. `formulary review status ID` lists a
                page's sections by the names --sections takes.
                """)

        @OptionGroup var store: StoreArguments

        @Argument(help: "The page's id, such as generic/paracetamol-500mg.")
        var id: String

        @Option(help: "Who signs off: a reviewer or admin of the site.")
        var reviewer: String

        @Option(
            help: "Only these sections, comma-separated (dosage,precautions; default: every section of the page).",
            transform: {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            })
        var sections: [String] = []

        @Option(help: "A note kept with the sign-off (what was checked against what).")
        var message = ""

        @Option(help: "The revision that was read (default: the current one); refused if the page moved on.")
        var revision: Int?

        func run() throws {
            try waitForContribution("review sign-off") {
                let contributions = try await store.contributions()
                let (signed, review) = try await contributions.signOffReviewing(
                    monographID: id, sections: sections, reviewer: reviewer, message: message, revision: revision)
                print(
                    "signed off \(signed.map(\.section).joined(separator: ", ")) of \(id) at revision \(signed.first?.revision ?? 0) by \(reviewer)"
                )
                print("the page is now \(review.state.label)")
            }
        }
    }

    struct ReviewStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "A page's review: each section, who checked its current text and when, or that it changed since.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The page's id.")
        var id: String

        func run() throws {
            try waitForContribution("review status") {
                let review = try await store.contributions().review(of: id)
                print("\(id): \(review.state.label)")
                for section in review.sections {
                    let line: String
                    if let signOff = section.signedOff {
                        line =
                            "checked by \(signOff.reviewer) on \(signOff.at.prefix(10)) (revision \(signOff.revision))"
                    } else if let old = section.changedSince {
                        line = "changed since \(old.reviewer) checked it on \(old.at.prefix(10)); not checked"
                    } else {
                        line = "not checked"
                    }
                    print("  \(section.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(line)")
                }
            }
        }

    }
}

private func found(_ contributions: Contributions, _ number: Int) async throws -> Suggestion {
    guard let suggestion = try await contributions.store.suggestion(id: number) else {
        throw ContributeError("no suggestion #\(number)")
    }
    return suggestion
}

extension ReviewCommand {
    struct CoverageCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract:
                "How much of the site people have checked: pages reviewed, partly, not; by collection and section.",
            discussion: """
                A page is reviewed when every section stands signed off on its current text, partly
                reviewed when some do, not reviewed when none does (pages whose front matter names a
                reviewer count as reviewed). Pages are read from the content folder, as the site
                shows them.
                """)

        @OptionGroup var store: StoreArguments

        @Option(help: "text or json.")
        var format = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
        }

        func run() throws {
            try waitForContribution("review coverage") {
                let contributions = try await store.contributions()
                let ledger = try await contributions.store.reviewLedger()
                var coverage: Coverage
                do {
                    coverage = try Coverage.of(
                        contentFolder: contributions.contentFolder, ledger: ledger,
                        cacheFile: (try? SiteFolder.open(store.site))?.cacheFile("coverage-cache"))
                } catch {
                    throw ContributeError("cannot read \(contributions.contentFolder): \(error)")
                }
                coverage.count(views: try await contributions.store.views(since: Clock.day(daysAgo: 30)))
                print(format == "json" ? coverage.json : coverage.text, terminator: format == "json" ? "\n" : "")
            }
        }
    }
}

extension ReviewCommand {
    struct Reports: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports",
            abstract: "Readers' reports of problems with pages, oldest first (open ones by default).")

        @OptionGroup var store: StoreArguments

        @Option(help: "open, closed or all.")
        var status = "open"

        @Option(help: "Only this page.")
        var page: String?

        func validate() throws {
            guard status == "all" || ReaderReport.Status(rawValue: status) != nil else {
                throw ValidationError("--status is open, closed or all")
            }
        }

        func run() throws {
            try waitForContribution("review reports") {
                let reports = try await store.contributions().store.reports(
                    status: ReaderReport.Status(rawValue: status), monographID: page, limit: nil)
                for report in reports {
                    let part = report.section.isEmpty ? "the whole page" : report.section
                    print("#\(report.id)  \(report.createdAt)  \(report.monographID) (\(part)): \(report.reason)")
                    if !report.contact.isEmpty { print("     contact: \(report.contact)") }
                    if let closedBy = report.closedBy {
                        print("     closed by \(closedBy) on \(report.closedAt ?? ""): \(report.note ?? "")")
                    }
                }
                print("\(reports.count) \(status == "all" ? "" : status + " ")report\(reports.count == 1 ? "" : "s")")
            }
        }
    }

    struct CloseReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close-report", abstract: "Close a reader's report, saying what was done about it.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The report's number.")
        var number: Int

        @Option(help: "Who closes it: a reviewer or admin of the site.")
        var reviewer: String

        @Option(help: "What was done (kept with the report, in the audit log).")
        var note: String

        func run() throws {
            try waitForContribution("review close-report") {
                try await store.contributions().closeReport(number, reviewer: reviewer, note: note)
                print("closed report #\(number)")
            }
        }
    }
}

extension ReviewCommand {
    struct WorklistCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "worklist",
            abstract: "Pages not yet reviewed, most urgent first, each with why.",
            discussion: """
                Each page not reviewed as a whole scores what makes it urgent: what `check` finds in it
                (an AI refusal 100, a draft that doubts its medicine 90, a banned combination 80, a
                damaged name or an implausible strength 40, ...), readers' open reports (60 each, up to
                three), a high-risk medicine (50; the classes in formulary.yml, review: highRisk:),
                each section changed since it was checked (30), and how often readers opened it in
                the last 30 days (10 × log2(1 + views)). Searches that found nothing in the last 30
                days follow (also: `formulary review zero-results`).
                """)

        @OptionGroup var store: StoreArguments

        @Option(help: "text or json.")
        var format = "text"

        @Option(help: "How many pages to list.")
        var limit = 50

        @Option(help: "Only pages of this collection.")
        var collection: String?

        @Option(help: "Only pages where this section is not checked (dosage, usage, other...).")
        var section: String?

        @Option(help: "Only pages with this reason: check, report, high-risk, changed, views.")
        var reason: String?

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
            guard limit > 0 else { throw ValidationError("--limit must be above 0") }
            if let reason, !["check", "report", "high-risk", "changed", "views"].contains(reason) {
                throw ValidationError("--reason is one of check, report, high-risk, changed, views")
            }
        }

        func run() throws {
            try waitForContribution("review worklist") {
                let (worklist, misses) = try await Self.worklist(
                    store, filter: Worklist.Filter(collection: collection, section: section, reason: reason))
                print(
                    format == "json"
                        ? worklist.json(limit: limit, misses: misses) : worklist.text(limit: limit, misses: misses),
                    terminator: format == "json" ? "\n" : "")
            }
        }

        /// The worklist of a site's store and content folder, and its searches that found nothing.
        static func worklist(_ arguments: StoreArguments, filter: Worklist.Filter) async throws
            -> (Worklist, [(query: String, count: Int)])
        {
            let timings = PhaseTimings()
            let contributions = try await arguments.contributions()
            let store = contributions.store
            let folder = try? SiteFolder.open(arguments.site)
            let since = Clock.day(daysAgo: 30)
            timings.mark("open the store")
            var reports: [String: [String]] = [:]
            for report in try await store.reports(status: .open, monographID: nil, limit: nil) {
                reports[report.monographID, default: []].append(report.section)
            }
            let reference = (try? folder?.referenceLists()) ?? .builtIn
            // India's lists are read while the store is.
            reference.prepare()
            let rules = RuleCatalog.all.filter { Worklist.ruleWeights[$0.name] != nil }
            let checker = Checker(rules: rules).pageChecker()
            let ledger = try await store.reviewLedger()
            let views = try await store.views(since: since)
            timings.mark("sign-offs, reports, views")
            let inputs = Worklist.Inputs(
                ledger: ledger, reports: reports, views: views,
                highRisk: folder?.configuration.highRisk ?? HighRiskMedicines.defaults,
                check: { page in checker(page).filter { $0.severity != .note }.map { ($0.rule, $0.message) } })
            do {
                let worklist = try Worklist.of(
                    contentFolder: contributions.contentFolder, parser: MonographParser(annotator: reference),
                    inputs: inputs,
                    cache: folder.map {
                        (
                            $0.cacheFile("worklist-cache"),
                            rules.map(\.name).joined(separator: " ") + " " + reference.fingerprint
                        )
                    },
                    filter: filter)
                timings.mark("pages read and checked")
                let misses = try await store.misses(since: since, limit: 20)
                timings.mark("searches that found nothing")
                return (worklist, misses)
            } catch let error as StoreError {
                throw error
            } catch {
                throw ContributeError("cannot read \(contributions.contentFolder): \(error)")
            }
        }
    }

    struct ZeroResults: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zero-results",
            abstract: "The searches readers made that found nothing, most frequent first (counted by `serve`).")

        @OptionGroup var store: StoreArguments

        @Option(help: "Over the last this many days.")
        var days = 30

        @Option(help: "How many to list.")
        var limit = 50

        func run() throws {
            try waitForContribution("review zero-results") {
                let misses = try await store.contributions().store.misses(
                    since: Clock.day(daysAgo: days), limit: limit)
                for miss in misses {
                    print("\(String(miss.count).padding(toLength: 7, withPad: " ", startingAt: 0))\(miss.query)")
                }
                print("\(misses.count) searches that found nothing in the last \(days) days")
            }
        }
    }

}
