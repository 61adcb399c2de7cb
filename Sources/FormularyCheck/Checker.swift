import Dispatch
import FormularyModel
import FormularyParsing

/// Runs every enabled rule over a set of pages.
public struct Checker: Sendable {
    public var configuration: CheckConfiguration
    public var rules: [any Rule]

    public init(configuration: CheckConfiguration = CheckConfiguration(), rules: [any Rule] = RuleCatalog.all) {
        self.configuration = configuration
        self.rules = rules
    }

    /// Diagnostics for parsed pages and the files that could not be parsed, sorted by path, line and column.
    public func check(_ outcomes: [ContentLoader.Outcome]) -> [Diagnostic] {
        let examine = examiner()
        // Rules are independent per page: run pages on all cores.
        let reports = ResultSlots<PageReport>(count: outcomes.count)
        DispatchQueue.concurrentPerform(iterations: (outcomes.count + 31) / 32) { chunk in
            for index in (chunk * 32)..<min(outcomes.count, chunk * 32 + 32) {
                reports.set(index, examine(outcomes[index]))
            }
        }
        return finish(reports.values())
    }

    /// Reads, parses and checks `files` on all cores. Each page is checked on the worker that
    /// parsed it, while it is fresh, and only its diagnostics and the few facts that comparisons
    /// with other pages need are kept: a whole corpus is never in memory at once.
    public func check(files: [String], loader: ContentLoader) -> [Diagnostic] {
        let examine = examiner()
        return finish(loader.map(files) { examine($0) })
    }

    /// What checking one page leaves: its diagnostics, the findings that await the other pages,
    /// and what those need to know about it.
    struct PageReport: Sendable {
        var diagnostics: [Diagnostic] = []
        var awaiting: [Awaiting] = []
        var entry: CheckedCorpus.Entry?
        var path = ""
    }

    struct Awaiting: Sendable {
        var rule: any Rule
        var severity: Severity
        var finding: Finding
    }

    /// What the enabled rules find in one page by itself: findings that need the other pages
    /// (links, duplicates) are left out. For the review worklist, which reads pages one by one.
    public func pageChecker() -> @Sendable (ParsedPage) -> [Diagnostic] {
        let examine = examiner()
        return { page in examine(.success(page)).diagnostics }
    }

    /// Checks one outcome with the enabled rules, as far as one page allows.
    private func examiner() -> @Sendable (ContentLoader.Outcome) -> PageReport {
        let configuration = self.configuration
        let enabled = rules.compactMap { rule in configuration.severity(of: rule).map { (rule, $0) } }
        let failure = { @Sendable (error: MonographParseError) in self.diagnostic(for: error) }
        return { outcome in
            switch outcome {
            case .failure(let error):
                return PageReport(diagnostics: failure(error).map { [$0] } ?? [])
            case .success(let page):
                var report = PageReport(entry: CheckedCorpus.Entry(page), path: page.location.displayPath)
                let suppressions = Suppressions(page: page)
                for (rule, severity) in enabled {
                    for finding in rule.check(page, configuration: configuration)
                    where !suppressions.silences(rule.name, onLine: finding.line) {
                        if finding.awaiting != nil {
                            report.awaiting.append(Awaiting(rule: rule, severity: severity, finding: finding))
                        } else {
                            report.diagnostics.append(
                                Self.diagnostic(finding, of: rule, severity: severity, path: report.path))
                        }
                    }
                }
                return report
            }
        }
    }

    /// Decides the findings that awaited every page, and sorts the lot.
    private func finish(_ reports: [PageReport]) -> [Diagnostic] {
        let corpus = CheckedCorpus(entries: reports.compactMap(\.entry))
        var diagnostics: [Diagnostic] = []
        for report in reports {
            diagnostics += report.diagnostics
            guard let entry = report.entry else { continue }
            for awaiting in report.awaiting {
                guard let finding = awaiting.rule.resolve(awaiting.finding, of: entry, in: corpus) else { continue }
                diagnostics.append(
                    Self.diagnostic(finding, of: awaiting.rule, severity: awaiting.severity, path: report.path))
            }
        }
        return diagnostics.sorted { ($0.path, $0.line, $0.column, $0.rule) < ($1.path, $1.line, $1.column, $1.rule) }
    }

    private static func diagnostic(_ finding: Finding, of rule: any Rule, severity: Severity, path: String)
        -> Diagnostic
    {
        Diagnostic(
            path: path, line: finding.line, column: finding.column,
            severity: finding.softer.map { min($0, severity) } ?? severity,
            rule: rule.name, message: finding.message)
    }

    /// A parse failure as a diagnostic of `invalid-front-matter` or `unreadable-page`.
    func diagnostic(for error: MonographParseError) -> Diagnostic? {
        let rule: ReadFailureRule
        switch error.reason {
        case .missingFrontMatter, .unterminatedFrontMatter, .frontMatterTooLarge, .invalidYAML, .frontMatterNotMapping,
            .frontMatterTooComplex, .missingTitle:
            rule = .invalidFrontMatter
        case .unreadable, .emptyFile, .tooLarge, .binaryFile, .invalidUTF8:
            rule = .unreadablePage
        }
        guard let severity = configuration.severity(of: rule) else { return nil }
        return Diagnostic(
            path: error.path, line: error.line, column: error.column, severity: severity, rule: rule.name,
            message: error.message)
    }
}
