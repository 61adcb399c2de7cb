import ArgumentParser
import FormularySite
import FormularyStore
import Foundation

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A page's revisions; with two revision numbers, what changed between them; --revert N restores one.")

    @OptionGroup var store: StoreArguments

    @Argument(help: "The page's id.")
    var id: String

    @Argument(help: "Two revision numbers to compare.")
    var revisions: [Int] = []

    @Option(help: "Make revision N's text the current one again, as a new revision.")
    var revert: Int?

    @Option(help: "Who reverts: a reviewer or admin of the site.")
    var author: String?

    func validate() throws {
        if !revisions.isEmpty, revisions.count != 2 { throw ValidationError("give two revision numbers to compare") }
        if revert != nil, author == nil { throw ValidationError("give --author NAME with --revert") }
    }

    func run() throws {
        try waitForContribution("history") {
            let contributions = try await store.contributions()
            if let revert {
                let revision = try await contributions.revert(monographID: id, to: revert, author: author!)
                print("\(id) is at revision \(revision.number): the text of revision \(revert)")
                return
            }
            if revisions.count == 2 {
                guard let from = try await contributions.store.revision(of: id, number: revisions[0]),
                    let to = try await contributions.store.revision(of: id, number: revisions[1])
                else { throw ContributeError("\(id) has no such revision") }
                print(SectionDiff(from: from.markdown, to: to.markdown).plainText, terminator: "")
                return
            }
            let all = try await contributions.store.revisions(of: id)
            guard !all.isEmpty else { throw ContributeError("no page has the id '\(id)'") }
            for revision in all.reversed() {
                print("\(revision.number)  \(revision.createdAt)  \(revision.author): \(revision.message)")
            }
        }
    }
}

/// `formulary revert ID --to REV`: the same as `history ID --revert REV`.
struct RevertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Make an older revision's text a page's current one again (as a new revision; nothing is lost).")

    @OptionGroup var store: StoreArguments

    @Argument(help: "The page's id, such as composition/paracetamol.")
    var id: String

    @Option(help: "The revision whose text comes back.")
    var to: Int

    @Option(help: "Who reverts: a reviewer or admin of the site (default: $USER).")
    var author = ProcessInfo.processInfo.environment["USER"] ?? "command line"

    func run() throws {
        try waitForContribution("revert") {
            let revision = try await store.contributions().revert(monographID: id, to: to, author: author)
            print("\(id) is at revision \(revision.number): the text of revision \(to), written to the content folder")
        }
    }
}

/// `formulary audit`: the newest entries of the audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract:
            "Every change to the store, newest first: suggestions, decisions, revisions, sign-ins, people, tokens.")

    @OptionGroup var store: StoreArguments

    @Option(help: "How many entries.")
    var limit = 50

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000") }
    }

    func run() throws {
        try waitForContribution("audit") {
            for entry in try await store.contributions().store.auditLog(limit: limit) {
                print(
                    "\(entry.at)  \(entry.actor)  \(entry.action)  \(entry.target)"
                        + (entry.detail.isEmpty ? "" : "  \(entry.detail)"))
            }
        }
    }
}
