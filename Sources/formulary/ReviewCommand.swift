import ArgumentParser
import FormularySite
import FormularyStore
import Foundation

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The review queue: list, show (a section diff), approve, reject, request changes.",
        discussion: """
            formulary review                       pending suggestions, oldest first
            formulary review show 12               what #12 changes, section by section, word by word
            formulary review approve 12 --reviewer NAME [--override REASON]
            formulary review reject 12 --reviewer NAME --reason TEXT
            formulary review changes 12 --reviewer NAME --reason TEXT
            formulary review withdraw 12 --reviewer AUTHOR   (its author takes it back)
            A suggestion written against an older revision is merged by section when the sections
            it changes were not changed since; otherwise approval names the conflicting sections.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case list, show, approve, reject, changes, withdraw
    }

    @OptionGroup var store: StoreArguments

    @Argument(help: "list, show, approve, reject or changes.")
    var action: Action = .list

    @Argument(help: "The suggestion's number.")
    var number: Int?

    @Option(help: "With list: only this status (pending, approved, rejected, withdrawn, changes-requested).")
    var status = "pending"

    @Option(help: "With list: only this page.")
    var page: String?

    @Option(help: "Who decides: a reviewer or admin of the site (withdraw: the author).")
    var reviewer: String?

    @Option(help: "Why (rejecting, requesting changes), or why check errors are overridden (approving).")
    var reason: String?

    @Option(help: "Approve despite check errors, for this reason.")
    var override: String?

    func validate() throws {
        if action != .list, number == nil { throw ValidationError("give the suggestion's number") }
        if [.approve, .reject, .changes, .withdraw].contains(action), reviewer == nil {
            throw ValidationError("give --reviewer NAME")
        }
        if [.reject, .changes].contains(action), reason == nil { throw ValidationError("give --reason TEXT") }
        if Suggestion.Status(rawValue: status) == nil {
            throw ValidationError(
                "--status is one of \(Suggestion.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        try waitForContribution("review") {
            let contributions = try await store.contributions()
            switch action {
            case .list:
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
            case .show:
                let suggestion = try await found(contributions, number!)
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
            case .approve:
                let revision = try await contributions.approve(
                    suggestion: number!, reviewer: reviewer!, override: override)
                print(
                    "approved #\(number!): \(revision.monographID) revision \(revision.number), written to the content folder"
                )
            case .reject:
                try await contributions.reject(suggestion: number!, reviewer: reviewer!, reason: reason!)
                print("rejected #\(number!)")
            case .changes:
                try await contributions.requestChanges(suggestion: number!, reviewer: reviewer!, reason: reason!)
                print("sent #\(number!) back to its author")
            case .withdraw:
                try await contributions.withdraw(suggestion: number!, by: reviewer!, reason: reason ?? "")
                print("withdrew #\(number!)")
            }
        }
    }

    private func found(_ contributions: Contributions, _ number: Int) async throws -> Suggestion {
        guard let suggestion = try await contributions.store.suggestion(id: number) else {
            throw ContributeError("no suggestion #\(number)")
        }
        return suggestion
    }
}
