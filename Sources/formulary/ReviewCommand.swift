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
