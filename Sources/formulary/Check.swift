import ArgumentParser
import FormularyCheck
import FormularyParsing
import FormularyReference
import FormularySite
import Foundation

/// `formulary check PATH...`: the linter for medical pages.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the known defects of medicine pages, compiler-style.",
        discussion: """
            Checks Markdown monographs (files or folders, searched recursively) and prints one \
            diagnostic a line: `path:line:column: severity: message [rule]`. A summary with \
            counts per severity and rule goes to standard error.

            Exit status: 0 when there is no error (warnings and notes allowed), 1 when there are \
            errors, 2 when the check could not run (a missing path, a broken configuration).

            Configuration: the `check:` part of `formulary.yml` (in the current folder or above \
            the first PATH; the site's with --site DIR, which checks its content folder) turns \
            rules off, changes severities and sets the required sections:

              check:
                required-sections: [usage, dosage, sideEffects, howItWorks, precautions]
                rules:
                  missing-disclaimer: off
                  title-mismatch: error

            In a page, `<!-- formulary-ignore RULE -->` silences RULE on the next line, and \
            `<!-- formulary-ignore-file RULE -->` in the whole page.

            `formulary check --explain RULE` says what a rule finds; `--list-rules` lists them all.
            """
    )

    @Argument(help: "Pages or folders to check (default: ./content).", completion: .file(extensions: ["md"]))
    var paths: [String] = []

    @Option(help: "Output: text (compiler-style), json (one object a line) or github (workflow annotations).")
    var format: OutputFormat = .text

    @Option(
        help: "A formulary.yml to read instead of looking for one.", completion: .file(extensions: ["yml", "yaml"]))
    var config: String?

    @Option(
        help: "A site folder: check its content folder with its formulary.yml (instead of PATHs).",
        completion: .directory)
    var site: String?

    @Option(help: "Explain one rule and exit.")
    var explain: String?

    @Flag(help: "List every rule with its default severity and exit.")
    var listRules = false

    @Flag(
        help:
            "Fix what cannot change a page's meaning (heading whitespace, lone labels as headings, FAQ debris), then check."
    )
    var fix = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    func validate() throws {
        if site != nil, !paths.isEmpty {
            throw ValidationError("give pages or folders to check, or --site DIR, not both")
        }
    }

    func run() throws {
        if listRules {
            print("RULE                       DEFAULT  FINDS")
            for rule in RuleCatalog.all {
                let name = rule.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                let severity = (rule.isEnabledByDefault ? rule.defaultSeverity.rawValue : "off")
                    .padding(toLength: 8, withPad: " ", startingAt: 0)
                print("\(name) \(severity) \(rule.summary)")
            }
            return
        }
        if let explain {
            guard let rule = RuleCatalog.rule(named: explain) else {
                let suggestion =
                    Spelling.closest(to: explain, among: RuleCatalog.names).map { " Did you mean '\($0)'?" } ?? ""
                fail("no rule named '\(explain)'.\(suggestion) `formulary check --list-rules` lists them.")
            }
            let state =
                rule.isEnabledByDefault
                ? "default severity: \(rule.defaultSeverity.rawValue)"
                : "off by default; turn it on in formulary.yml with '\(rule.name): \(rule.defaultSeverity.rawValue)'"
            print("\(rule.name) (\(state))\n\(rule.summary)")
            if !rule.explanation.isEmpty { print("\n" + rule.explanation) }
            return
        }

        var targets = paths
        var config = self.config
        if let site {
            let folder: SiteFolder
            do {
                folder = try SiteFolder.open(site)
            } catch {
                fail(error.description(otherwise: "to check a folder of pages, give it as PATH"))
            }
            targets = [folder.contentPath]
            config = config ?? folder.settingsFile
        } else if targets.isEmpty {
            guard FileManager.default.fileExists(atPath: "content") else {
                fail("no PATH given and no ./content folder here; give the pages or folders to check, or --site DIR")
            }
            targets = ["content"]
        }
        let timings = PhaseTimings()
        let configuration = try loadConfiguration(near: targets[0], config: config)
        // India's banned list is read for matching while the files are listed.
        let reference = try ConfigurationFile.referenceLists(near: targets[0], config: config, withPrices: false)
        reference.prepare()
        timings.mark("configuration")
        let files: [String]
        do {
            files = try ContentLoader.markdownFiles(in: targets)
        } catch {
            fail("\(error)")
        }
        // No rule reads FAQ pairs (FAQ debris is a front matter matter): skip extracting them.
        let loader = ContentLoader(parser: MonographParser(extractsFAQs: false, annotator: reference))
        if fix { applyFixes(to: loader.load(files)) }
        timings.mark("list \(files.count) files")
        let diagnostics = Checker(configuration: configuration).check(files: files, loader: loader)
        timings.mark("read, parse and check")

        let outputFormat = DiagnosticFormat(rawValue: format.rawValue) ?? .text
        var output = ""
        for diagnostic in diagnostics {
            output += outputFormat.format(diagnostic)
            output += "\n"
            if output.utf8.count > 1 << 20 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        FileHandle.standardError.write(Data((DiagnosticSummary.line(for: diagnostics, files: files.count) + "\n").utf8))
        timings.mark("output")
        // Exit here rather than return: freeing thousands of parsed pages one by one only delays the prompt.
        Foundation.exit(diagnostics.contains(where: { $0.severity == .error }) ? 1 : 0)
    }

    /// Rewrites each page that has something to fix and says what changed.
    private func applyFixes(to outcomes: [ContentLoader.Outcome]) {
        let pages = outcomes.compactMap { try? $0.get() }
        var fixedFiles = 0
        for outcome in PageFixer().fixFiles(of: pages) {
            switch outcome {
            case .fixed(let path, let changes):
                fixedFiles += 1
                let list = changes.map(\.description).joined(separator: ", ")
                FileHandle.standardError.write(Data("fixed \(path): \(list)\n".utf8))
            case .notWritten(let path, let reason):
                FileHandle.standardError.write(Data("formulary check: could not fix \(path): \(reason)\n".utf8))
            }
        }
        FileHandle.standardError.write(Data("fixed \(fixedFiles) file\(fixedFiles == 1 ? "" : "s")\n".utf8))
    }

    /// `config` (`--config`, or the site's), else `formulary.yml` in the current folder or a
    /// folder above the first path.
    private func loadConfiguration(near path: String, config: String?) throws -> CheckConfiguration {
        guard let file = ConfigurationFile.find(near: path, config: config) else {
            if let config { fail("\(config): no such configuration file") }
            return CheckConfiguration()
        }
        guard let yaml = try? String(contentsOfFile: file, encoding: .utf8) else {
            fail("\(file): cannot read the configuration")
        }
        do {
            return try CheckConfiguration.load(yaml: yaml, path: file, knownRules: RuleCatalog.names)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("formulary check: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
