import FormularyCheck
import FormularyModel
import FormularyParsing
import Foundation
import Mustache

/// What the model is asked to translate a page: a system message and a Mustache template for
/// the user message, which a site can replace with `templates/translate-prompt.mustache`.
public struct TranslationPrompt: Sendable {
    public let system: String
    public let templateText: String
    private let template: MustacheTemplate

    public static let defaultSystem = """
        You translate medicine information pages for a public, reviewed formulary in India into the \
        language people read them in. You translate faithfully and in plain words, you never change \
        a number, a strength or a unit, you never refuse, never mention being an AI or a language \
        model, and never add notes or text before or after the page.
        """

    public static let defaultTemplate = """
        Translate this medicine information page from {{from}} into {{languageName}}.

        Rules:
        - Write Markdown only: no front matter, no code fences, nothing before or after the page.
        - Start with the heading `# ` and the medicine's name written in {{languageName}}, followed by its name in Latin letters in parentheses exactly as here: `({{latinTitle}})`.
        - Keep the sections in the same order, each under its heading translated exactly as follows:
        {{#headings}}
          - `{{source}}` becomes `{{target}}`
        {{/headings}}
        - Keep every number, strength and unit exactly as written, in Latin digits and Latin units: `500 mg` stays `500 mg`.
        - At the first mention in each section, write a medicine's name in {{languageName}} followed by its Latin name in parentheses.
        - Write questions and answers as `* **{{question}}: ...?** {{answer}}: ...`.
        - Translate the disclaimer too, starting with `**{{disclaimer}}:**`.

        The page:

        {{{page}}}
        """

    /// The default prompt, or a site's template text (`path` names it in errors).
    public init(
        template text: String? = nil, path: String = "translate-prompt.mustache", system: String = defaultSystem
    )
        throws(DraftPrompt.Failure)
    {
        let source = text ?? Self.defaultTemplate
        template = try DraftPrompt.parse(source, path: path)
        templateText = source
        self.system = system
    }

    /// Identifies the prompt's wording in each page's provenance.
    public var version: String { DraftPrompt.version(system: system, template: templateText) }

    func messages(context: [String: Any]) -> [ChatCompletions.Message] {
        [.system(system), .user(template.render(context))]
    }
}

/// The words a translation into one language uses where the parser reads structure: section
/// headings, the FAQ and disclaimer labels, and the language's name for the prompt.
public struct TranslationLanguage: Sendable {
    public var code: String
    /// As its speakers write it (`हिन्दी`).
    public var name: String
    /// The heading of each kind of section.
    public var headings: [SectionKind: String]
    public var question: String
    public var answer: String
    public var disclaimer: String

    public init(
        code: String, name: String, headings: [SectionKind: String], question: String, answer: String,
        disclaimer: String
    ) {
        self.code = code
        self.name = name
        self.headings = headings
        self.question = question
        self.answer = answer
        self.disclaimer = disclaimer
    }
}

/// Translating one page: the task `Generator` runs, and the checks its answer must pass.
public enum TranslationTask {
    /// The translation of `source` (read from `sourcePath`, the file's text `sourceText`) into
    /// `language`, written beside it as `NAME.LANG.md` (`contentFolder` makes its path relative).
    public static func make(
        source: ParsedPage, sourceText: String, sourcePath: String, contentFolder: String, from: String,
        language: TranslationLanguage, prompt: TranslationPrompt,
        provenance: @escaping @Sendable () -> DraftValidator.Provenance
    ) -> DraftTask {
        let path = String(sourcePath.dropLast(3)) + "." + language.code + ".md"
        var relative = String(path.dropFirst(contentFolder.count))
        while relative.hasPrefix("/") { relative.removeFirst() }
        let monograph = source.monograph
        let latinTitle = TitleParser.latinName(in: monograph.title) ?? monograph.title
        var seen: Set<SectionKind> = []
        let headings: [[String: String]] = monograph.sections.compactMap { section in
            guard let target = language.headings[section.kind], section.kind != .disclaimer,
                seen.insert(section.kind).inserted
            else { return nil }
            return ["source": section.heading, "target": target]
        }
        let context: [String: Any] = [
            "from": from, "language": language.code, "languageName": language.name, "latinTitle": latinTitle,
            "headings": headings, "question": language.question, "answer": language.answer,
            "disclaimer": language.disclaimer, "page": String(decoding: source.bodyBytes, as: UTF8.self),
        ]
        let frontMatter = carriedFrontMatter(of: sourceText)
        let fingerprint = TranslationCheck.fingerprint(of: monograph)
        let page: @Sendable (String, Bool) -> String = { answer, invalid in
            let body = DraftValidator.body(of: answer)
            let title =
                body.split(whereSeparator: \.isNewline).first { $0.hasPrefix("# ") }.map {
                    String($0.dropFirst(2)).trimmingWhitespace()
                } ?? latinTitle
            let made = provenance()
            let lines =
                ["---", "title: \(DraftValidator.yamlString(title))"] + frontMatter + [
                    "ai_generated: true",
                    "status: \(invalid ? "invalid" : "draft")",
                    "translated_from: \(fingerprint)",
                    "model: \(DraftValidator.yamlString(made.model))",
                    "endpoint: \(DraftValidator.yamlString(made.endpointHost))",
                    "prompt_version: \(DraftValidator.yamlString(made.promptVersion))",
                    "generated_at: \(DraftValidator.yamlString(made.generatedAt))",
                    "---", "",
                ]
            return lines.joined(separator: "\n") + body + "\n"
        }
        let sourceMonograph = monograph
        return DraftTask(
            key: language.code + "/" + monograph.id, title: monograph.title, path: path, relativePath: relative,
            address: language.code + "/" + monograph.id,
            messages: prompt.messages(context: context),
            draft: { answer in
                let text = page(answer, false)
                return (text, problems(in: text, path: path, source: sourceMonograph))
            },
            invalid: { answer in page(answer, true) })
    }

    /// The source's front matter lines a translation keeps (what makes it the same product:
    /// a brand's company, strength and generic; `example:`), without its title, status,
    /// reviews, dates, description and provenance, which are the translation's own.
    static func carriedFrontMatter(of text: String) -> [String] {
        // On bytes: in a String, `\r\n` is one Character, which a split on `\n` would not cut.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        guard lines.first?.trimmingWhitespace() == "---",
            let end = lines.indices.dropFirst().first(where: { lines[$0].trimmingWhitespace() == "---" })
        else { return [] }
        let own: Set<String> = [
            "title", "status", "reviewed_by", "reviewedBy", "reviewed_at", "reviewedAt", "translated_from",
            "ai_generated", "aiGenerated", "model", "endpoint", "prompt_version", "generated_at", "lastModified",
            "last_modified", "description", "faqs", "layout",
        ]
        var kept: [String] = []
        var keeping = false
        for line in lines[1..<end] {
            let indented = line.first == " " || line.first == "\t" || line.hasPrefix("-")
            if !indented, let colon = line.firstIndex(of: ":") {
                keeping = !own.contains(String(line[..<colon]).trimmingWhitespace())
            }
            if keeping { kept.append(line) }
        }
        return kept
    }

    /// Sentences that are about the translation or the translator rather than the medicine.
    static let notesAboutTranslating = [
        "मैं एक ai", "एक ai भाषा मॉडल", "भाषा मॉडल के रूप में", "मैं अनुवाद नहीं कर सकता", "मैं अनुवाद नहीं कर सकती",
        "अनुवादक का नोट", "translator's note", "translation note", "here is the translation", "as an ai",
    ]

    /// What blocks publishing a translation: a page that does not parse, a refusal or words about
    /// being an AI, an empty section, and what `TranslationCheck.problems` finds against the source.
    static func problems(in page: String, path: String, source: Monograph) -> [Diagnostic] {
        let parsed: ParsedPage
        do throws(MonographParseError) {
            parsed = try MonographParser().parse(bytes: Array(page.utf8), location: DocumentLocation(path: path))
        } catch {
            return [
                Diagnostic(
                    path: path, line: error.line, column: 1, severity: .error, rule: "unreadable-page",
                    message: error.description)
            ]
        }
        let checker = Checker(
            rules: RuleCatalog.all.filter { ["ai-refusal", "ai-self-reference", "empty-section"].contains($0.name) })
        var problems = checker.check([.success(parsed)])
        let lowered = page.lowercased()
        for note in notesAboutTranslating where lowered.contains(note) {
            problems.append(
                Diagnostic(
                    path: path, line: parsed.bodyLine, column: 1, severity: .error, rule: "translation-note",
                    message:
                        "the page talks about the translation or the translator ('\(note)'); translate the page only"))
        }
        for problem in TranslationCheck.problems(source: source, translation: parsed.monograph) {
            problems.append(
                Diagnostic(
                    path: path, line: parsed.titleHeading?.line ?? parsed.bodyLine, column: 1, severity: .error,
                    rule: "translation-mismatch", message: problem))
        }
        return problems
    }
}

extension TranslationTask {
    /// What keeps a page from being translated: the rules whose findings a faithful translation
    /// would repeat.
    static let sourceChecker = Checker(
        rules: RuleCatalog.all.filter { ["ai-refusal", "ai-self-reference", "disputed-medicine"].contains($0.name) })

    /// Which pages to translate into `language`: the pages `ids` names (all of the main
    /// language's when `ids` is empty), each once; pages already translated, translations and
    /// unknown ids are skipped, with why. `pages` are the content folder's, parsed, with their paths.
    public static func plan(ids: [String], language: String, pages: [(path: String, page: ParsedPage)]) -> (
        todo: [(path: String, page: ParsedPage)], skipped: [(id: String, reason: String)]
    ) {
        var byID: [String: (path: String, page: ParsedPage)] = [:]
        var translated: Set<String> = []
        for entry in pages {
            let monograph = entry.page.monograph
            if monograph.translationLanguage == language {
                translated.insert(monograph.id)
            } else if monograph.translationLanguage == nil, byID[monograph.id] == nil {
                byID[monograph.id] = entry
            }
        }
        let wanted = ids.isEmpty ? byID.keys.sorted() : ids
        var todo: [(path: String, page: ParsedPage)] = []
        var skipped: [(id: String, reason: String)] = []
        var seen: Set<String> = []
        for id in wanted {
            let id = id.hasSuffix("/") ? String(id.dropLast()) : id
            guard seen.insert(id).inserted else {
                skipped.append((id, "named twice"))
                continue
            }
            guard let entry = byID[id] else {
                skipped.append((id, "no page has this id (ids look like composition/paracetamol)"))
                continue
            }
            if translated.contains(id) {
                skipped.append((id, "already has a translation into \(language)"))
                continue
            }
            // A page that refuses, talks about being an AI or doubts its medicine would pass its
            // defect on: fixed first, translated after.
            let defects = sourceChecker.check([.success(entry.page)]).map(\.rule)
            if !defects.isEmpty {
                skipped.append(
                    (
                        id,
                        "the page itself has \(Set(defects).sorted().joined(separator: ", ")); fix it before translating it"
                    ))
                continue
            }
            todo.append(entry)
        }
        return (todo, skipped)
    }
}
