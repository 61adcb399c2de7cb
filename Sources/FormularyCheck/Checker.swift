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
        let pages = outcomes.compactMap { try? $0.get() }
        let corpus = CheckedCorpus(pages: pages)
        var diagnostics: [Diagnostic] = []
        for outcome in outcomes {
            if case .failure(let error) = outcome, let diagnostic = diagnostic(for: error) {
                diagnostics.append(diagnostic)
            }
        }
        // Rules are independent per page: run pages on all cores.
        let perPage = ResultSlots<[Diagnostic]>(count: pages.count)
        let configuration = self.configuration
        let enabled = rules.compactMap { rule in configuration.severity(of: rule).map { (rule, $0) } }
        DispatchQueue.concurrentPerform(iterations: (pages.count + 31) / 32) { chunk in
            for index in (chunk * 32)..<min(pages.count, chunk * 32 + 32) {
                perPage.set(
                    index, Self.check(pages[index], rules: enabled, corpus: corpus, configuration: configuration))
            }
        }
        diagnostics += perPage.values().joined()
        return diagnostics.sorted { ($0.path, $0.line, $0.column, $0.rule) < ($1.path, $1.line, $1.column, $1.rule) }
    }

    private static func check(
        _ page: ParsedPage, rules: [(any Rule, Severity)], corpus: CheckedCorpus, configuration: CheckConfiguration
    ) -> [Diagnostic] {
        let suppressions = Suppressions(page: page)
        var diagnostics: [Diagnostic] = []
        for (rule, severity) in rules {
            for finding in rule.check(page, in: corpus, configuration: configuration)
            where !suppressions.silences(rule.name, onLine: finding.line) {
                diagnostics.append(
                    Diagnostic(
                        path: page.location.displayPath, line: finding.line, column: finding.column,
                        severity: finding.softer.map { min($0, severity) } ?? severity,
                        rule: rule.name, message: finding.message))
            }
        }
        return diagnostics
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
