import FormularyModel
import FormularyParsing
import Mustache

/// What the model is asked: a system message and a Mustache template for the user message,
/// which a site can replace with `templates/generate-prompt.mustache`.
public struct DraftPrompt: Sendable {
    public let system: String
    public let templateText: String
    private let template: MustacheTemplate

    /// The sections every draft must have, with their headings and what goes in them.
    public static let sections: [(kind: SectionKind, heading: String, guidance: String)] = [
        (
            .genericName, "Generic Name",
            "the generic (international nonproprietary) name or names, and common other names"
        ),
        (.usage, "Usage", "what it is used for, as a short list of conditions"),
        (.dosage, "Dosage", "usual adult doses and how to take it; say that the doctor decides the dose"),
        (.sideEffects, "Side Effects", "common side effects, then serious ones that need a doctor at once"),
        (.howItWorks, "How It Works", "how it works in the body, in plain words"),
        (.precautions, "Precautions", "who should not take it, pregnancy, alcohol, driving, important interactions"),
        (.faqs, "FAQs", "three to five questions patients ask, each as **Q: question** then A: answer"),
    ]

    public static let defaultSystem = """
        You write medicine information pages for a public, reviewed formulary in India. You write \
        accurate, plain-language Markdown for patients and carers. You never refuse, never mention \
        being an AI or a language model, and never add text before or after the page.
        """

    public static let defaultTemplate = """
        Write the medicine information page for: {{title}}
        {{#combination}}
        It is a combination of {{#ingredients}}{{name}}{{#strength}} {{strength}}{{/strength}}{{^last}} and {{/last}}{{/ingredients}}; explain the combination as a whole and what each part does.
        {{/combination}}

        Write Markdown only: no front matter, no code fences. Start with the heading `# {{title}}`, then these sections, each under a `## ` heading with exactly this text, in this order:
        {{#sections}}
        - `## {{heading}}`: {{guidance}}.
        {{/sections}}

        Keep the title exactly `{{title}}`, with every digit, strength and hyphen as written.
        """

    public enum Failure: Error, CustomStringConvertible {
        case template(String)
        public var description: String {
            switch self {
            case .template(let message): return message
            }
        }
    }

    /// The default prompt, or a site's template text (`path` names it in errors).
    public init(template text: String? = nil, path: String = "generate-prompt.mustache", system: String = defaultSystem)
        throws(Failure)
    {
        let source = text ?? Self.defaultTemplate
        template = try Self.parse(source, path: path)
        templateText = source
        self.system = system
    }

    /// A prompt template as plain text (no HTML escaping), its errors at `path:line:column`.
    static func parse(_ source: String, path: String) throws(Failure) -> MustacheTemplate {
        let pragma = "{{% CONTENT_TYPE: TEXT}}"
        do {
            return try MustacheTemplate(string: pragma + source)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = max(1, error.context.columnNumber - (line == 1 ? pragma.count : 0))
            throw .template(LocatedError(path: path, line: line, column: column, message: "\(error.error)").description)
        } catch {
            throw .template("\(path): error: \(error)")
        }
    }

    /// Identifies the prompt's wording in each page's provenance: FNV-1a 64 of both messages' templates.
    public var version: String { Self.version(system: system, template: templateText) }

    static func version(system: String, template: String) -> String {
        var hasher = StableHasher()
        hasher.combine((system + "\u{0}" + template).utf8)
        return hasher.hexDigest
    }

    public func messages(for name: GenerationName) -> [ChatCompletions.Message] {
        let ingredients: [[String: Any]] = name.ingredients.enumerated().map { index, ingredient in
            var item: [String: Any] = ["name": ingredient.name, "last": index == name.ingredients.count - 1]
            if let strength = ingredient.strength { item["strength"] = strength.text }
            return item
        }
        let context: [String: Any] = [
            "title": name.title, "slug": name.slug, "combination": name.ingredients.count > 1,
            "ingredients": ingredients,
            "sections": Self.sections.map { ["heading": $0.heading, "guidance": $0.guidance] },
        ]
        return [.system(system), .user(template.render(context))]
    }
}
