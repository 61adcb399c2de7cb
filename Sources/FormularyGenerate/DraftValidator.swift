import FormularyCheck
import FormularyModel
import FormularyParsing
import Foundation

/// Turns a model's answer into a page and decides whether it may be published: parsed by the
/// same parser and checked by the same rules as `formulary check`, plus an exact title.
public struct DraftValidator: Sendable {
    /// Rules whose findings send a draft back, at any severity: a page with one of these
    /// problems is not a page to publish.
    public static let blockingRules: Set<String> = [
        "invalid-front-matter", "unreadable-page", "title-mismatch", "missing-section", "empty-section",
        "duplicate-section", "ai-refusal", "ai-self-reference", "damaged-name", "faq-debris",
    ]

    /// What a page's front matter says about how it was made.
    public struct Provenance: Sendable, Equatable {
        public var model: String
        public var endpointHost: String
        public var promptVersion: String
        /// ISO 8601, UTC.
        public var generatedAt: String

        public init(model: String, endpointHost: String, promptVersion: String, generatedAt: String) {
            self.model = model
            self.endpointHost = endpointHost
            self.promptVersion = promptVersion
            self.generatedAt = generatedAt
        }
    }

    private let checker: Checker

    public init() {
        checker = Checker(configuration: CheckConfiguration(requiredSections: DraftPrompt.sections.map(\.kind)))
    }

    /// The page file for an answer: our front matter (title, draft status, provenance), then
    /// the answer's Markdown without code fences or front matter of its own.
    public func page(for name: GenerationName, answer: String, provenance: Provenance, invalid: Bool = false) -> String
    {
        var lines = [
            "---",
            "title: \(Self.yamlString(name.title))",
            "ai_generated: true",
            "status: \(invalid ? "invalid" : "draft")",
            "model: \(Self.yamlString(provenance.model))",
            "endpoint: \(Self.yamlString(provenance.endpointHost))",
            "prompt_version: \(Self.yamlString(provenance.promptVersion))",
            "generated_at: \(Self.yamlString(provenance.generatedAt))",
            "---",
            "",
        ]
        lines.append(Self.body(of: answer))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The problems that block publishing `page` (the text `page(for:...)` made), as
    /// diagnostics with lines in that text.
    public func problems(in page: String, for name: GenerationName, path: String) -> [Diagnostic] {
        let location = DocumentLocation(path: path)
        let outcome: ContentLoader.Outcome
        do throws(MonographParseError) {
            outcome = .success(try MonographParser().parse(bytes: Array(page.utf8), location: location))
        } catch {
            outcome = .failure(error)
        }
        var problems = checker.check([outcome]).filter { Self.blockingRules.contains($0.rule) }
        // The title is checked after the rules: a refusal has no heading, and saying so first would bury why.
        var titleProblems: [Diagnostic] = []
        if case .success(let parsed) = outcome {
            if let heading = parsed.titleHeading {
                if Self.comparable(heading.text) != Self.comparable(name.title) {
                    titleProblems.append(
                        Diagnostic(
                            path: path, line: heading.line, column: 1, severity: .error, rule: "generate-title",
                            message: "the heading is '\(heading.text)'; it must be exactly '# \(name.title)'"))
                }
            } else {
                titleProblems.append(
                    Diagnostic(
                        path: path, line: parsed.bodyLine, column: 1, severity: .error, rule: "generate-title",
                        message: "the page must start with the heading '# \(name.title)'"))
            }
        }
        problems.sort { ($0.line, $0.rule) < ($1.line, $1.rule) }
        // Ours says what title-mismatch says about the same heading, and what to write instead.
        let titleLines = Set(titleProblems.map(\.line))
        problems.removeAll { $0.rule == "title-mismatch" && titleLines.contains($0.line) }
        return problems + titleProblems
    }

    /// The message sent back with a rejected draft.
    public static func feedback(_ problems: [Diagnostic], bodyStartLine: Int) -> String {
        var text = "That page cannot be published yet. Fix these problems and write the whole page again:\n"
        for problem in problems {
            let line = max(1, problem.line - bodyStartLine + 1)
            text += "- line \(line) of your page: \(problem.message)\n"
        }
        return text + "Answer with the corrected page only."
    }

    /// The line of a page made by `page(for:...)` where the answer starts.
    public static let bodyStartLine = 11

    /// An answer's Markdown: without a fence around the whole (```markdown ... ```) and
    /// without a front matter block of its own.
    static func body(of answer: String) -> String {
        var lines = answer.trimmingWhitespace().split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        if let first = lines.first, first.hasPrefix("```"), let last = lines.last,
            last.trimmingWhitespace() == "```", lines.count >= 2
        {
            lines = Array(lines.dropFirst().dropLast())
        }
        if lines.first?.trimmingWhitespace() == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingWhitespace() == "---" })
        {
            lines = Array(lines[(end + 1)...])
        }
        return lines.joined(separator: "\n").trimmingWhitespace()
    }

    static func comparable(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// A double-quoted YAML scalar (JSON's string syntax, which YAML's includes).
    static func yamlString(_ text: String) -> String { JSONText.quoted(text, htmlSafe: false) }
}
