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
            throw ContributeError(
                error.description(otherwise: "give --site DIR, the folder of a site (or run this in one)"))
        }
        let location = SiteFolder.storeLocation(given: database, siteRoot: site)
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
            print("wrote \(count) page\(count == 1 ? "" : "s")")
            if count == 0 {
                FileHandle.standardError.write(
                    Data(
                        "formulary export: the store has no pages yet; `formulary import` loads the site's content folder into it\n"
                            .utf8))
            }
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
