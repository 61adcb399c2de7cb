import ArgumentParser
import FormularySite
import FormularyStore
import Foundation

/// The site folder and its store, for the contribution commands.
struct StoreArguments: ParsableArguments {
    @Option(name: .long, help: "The site folder (default: the current folder).", completion: .directory)
    var site = "."

    @Option(
        help:
            "The store: a SQLite file, or postgres://user:password@host/database (default: $FORMULARY_DATABASE, else SITE/.formulary/formulary.sqlite)."
    )
    var database: String?

    func contributions() async throws -> Contributions {
        let folder: SiteFolder
        do {
            folder = try SiteFolder.open(site)
        } catch {
            throw ContributeError("\(error)")
        }
        let location =
            database ?? ProcessInfo.processInfo.environment["FORMULARY_DATABASE"]
            ?? site + "/.formulary/formulary.sqlite"
        let store = try await openContributionStore(location)
        return Contributions(
            store: store, contentFolder: folder.contentPath,
            policy: ReviewPolicy(qualifications: folder.configuration.contributions.qualifications))
    }
}

struct ContributeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a contribution command to its end, turning store errors into one line and exit status 2.
func waitForContribution(_ command: String, _ work: @escaping @Sendable () async throws -> Void) throws {
    do {
        try waitFor(work)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("formulary \(command): \(error)\n".utf8))
        throw ExitCode(2)
    } catch let error as ContributeError {
        FileHandle.standardError.write(Data("formulary \(command): \(error)\n".utf8))
        throw ExitCode(2)
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load the content folder into the site's store as revisions (unchanged pages add none).")

    @OptionGroup var store: StoreArguments

    @Option(help: "The author recorded for new revisions.")
    var author = "import"

    func run() throws {
        try waitForContribution("import") {
            let report = try await store.contributions().importContent(author: author)
            for skipped in report.skipped { print("skipped: \(skipped)") }
            for id in report.restored { print("restored \(id): its file held an older revision") }
            for path in report.leftovers { print("removed \(path): the temporary file of a write that never finished") }
            print(
                "\(report.added.count) added, \(report.changed.count) changed, \(report.unchanged) unchanged, \(report.restored.count) restored, \(report.skipped.count) skipped"
            )
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every page's current revision out as Markdown (byte for byte as imported when unchanged).")

    @OptionGroup var store: StoreArguments

    @Option(help: "The folder to write into (default: the content folder).", completion: .directory)
    var out: String?

    func run() throws {
        try waitForContribution("export") {
            let count = try await store.contributions().export(to: out)
            print("wrote \(count) pages")
        }
    }
}

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Propose a new text for a page; check errors are shown now and block approval.")

    @OptionGroup var store: StoreArguments

    @Argument(help: "The page's id, such as composition/paracetamol.")
    var id: String

    @Option(help: "The new Markdown (the whole page).", completion: .file())
    var file: String

    @Option(help: "Who suggests it.")
    var author: String

    @Option(help: "Why.")
    var message: String

    @Option(help: "The revision edited (default: the current one).")
    var base: Int?

    func run() throws {
        try waitForContribution("suggest") {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else { throw ContributeError("cannot read \(file) as UTF-8") }
            let suggestion = try await store.contributions().suggest(
                monographID: id, markdown: text, author: author, message: message, baseRevision: base)
            for error in suggestion.checkErrors { print("\(file):\(error)") }
            print(
                "suggestion #\(suggestion.id) for \(id) (on revision \(suggestion.baseRevision)) is pending review"
                    + (suggestion.checkErrors.isEmpty
                        ? "" : "; its \(suggestion.checkErrors.count) check error(s) block approval until fixed"))
        }
    }
}

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
