import ArgumentParser
import FormularyParsing
import FormularySite
import Foundation

/// `formulary translations`: which translations say what their page says now, and recording
/// that one does once a person has checked it.
struct TranslationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translations",
        abstract: "List translations and whether each is current; mark one current once checked.",
        discussion: """
            A translation sits beside its page with its language before .md (paracetamol.hi.md
            beside paracetamol.md) and keeps the fingerprint of the text it was made from as
            `translated_from:`. When the page changes, the translation is outdated: the site says
            so on it, and `formulary check` warns (translation-outdated).

              formulary translations                       every translation of the site, and its state
              formulary translations mark-current FILE     after checking FILE against its page
            """,
        subcommands: [Status.self, MarkCurrent.self],
        defaultSubcommand: Status.self)

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Each translation: current, outdated, unknown (no translated_from) or no-source; and its problems.")

        @Argument(help: "Files or folders (default: the site's content folder).", completion: .directory)
        var paths: [String] = []

        @Option(help: "The site folder, when no paths are given.", completion: .directory)
        var site = "."

        @Option(help: "Only translations into this language (hi).")
        var language: String?

        @Option(help: "text or json.")
        var format = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
        }

        func run() throws {
            var roots = paths
            if roots.isEmpty {
                do {
                    roots = [try SiteFolder.open(site).contentPath]
                } catch {
                    FileHandle.standardError.write(
                        Data(
                            "formulary translations: \(error.description(otherwise: "to list the translations in a folder of pages, give it as PATH"))\n"
                                .utf8))
                    throw ExitCode(2)
                }
            }
            let files = try ContentLoader.markdownFiles(in: roots).filter {
                TranslationFiles.sourcePath(of: $0) != nil
            }
            var statuses: [TranslationFiles.Status] = []
            var unreadable = 0
            for file in files {
                do throws(MonographParseError) {
                    guard let status = try TranslationFiles.status(of: file) else { continue }
                    if let language, status.language != language { continue }
                    statuses.append(status)
                } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                    unreadable += 1
                }
            }
            if format == "json" {
                var json = JSONText()
                json.openObject()
                json.number("translations", Double(statuses.count))
                json.openArray("entries")
                for status in statuses {
                    json.openObject()
                    json.string("path", status.path)
                    json.string("id", status.id)
                    json.string("language", status.language)
                    json.string("state", status.state.rawValue)
                    json.openArray("problems")
                    for problem in status.problems { json.string(nil, problem) }
                    json.closeArray()
                    json.closeObject()
                }
                json.closeArray()
                json.closeObject()
                print(json.text)
            } else {
                for status in statuses {
                    print("\(status.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(status.path)")
                    for problem in status.problems { print("           \(problem)") }
                }
                var counts: [TranslationFiles.Status.State: Int] = [:]
                for status in statuses { counts[status.state, default: 0] += 1 }
                let summary = [TranslationFiles.Status.State.current, .outdated, .unknown, .noSource].compactMap {
                    state in counts[state].map { "\($0) \(state.rawValue)" }
                }
                print(
                    "\(statuses.count) translation\(statuses.count == 1 ? "" : "s")"
                        + (summary.isEmpty ? "" : ": " + summary.joined(separator: ", ")))
            }
            if unreadable > 0 { throw ExitCode(1) }
        }
    }

    struct MarkCurrent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-current",
            abstract: "Record that a translation says what its page says now (writes translated_from:).",
            discussion: """
                Run it after checking the translation against its page: it writes the fingerprint
                of the page's text as `translated_from:` in the translation's front matter, and
                nothing else. Refused when the translation names another medicine or strength, or
                loses a section, a number or a Latin name (`formulary check` says which).
                """)

        @Argument(help: "Translation files (paracetamol.hi.md).", completion: .file(extensions: ["md"]))
        var files: [String]

        @Flag(help: "Mark it current even though it loses a section, number or name.")
        var force = false

        func run() throws {
            var failed = false
            for file in files {
                do throws(TranslationFiles.MarkFailure) {
                    let fingerprint = try TranslationFiles.markCurrent(file, force: force)
                    print("\(file): translated_from: \(fingerprint)")
                } catch {
                    FileHandle.standardError.write(Data("formulary translations: \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
