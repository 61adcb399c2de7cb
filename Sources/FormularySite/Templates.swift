import FormularyParsing
import Foundation
import Mustache

/// A mistake in a template, located like a compiler error: `templates/monograph.mustache:12:5`.
public typealias TemplateError = LocatedError

/// A value that is present but empty: `{{#brand}}` skips it and `{{brand}}` prints nothing,
/// without the lookup counting as a missing variable.
struct TemplateNull: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

/// The site's Mustache templates: the defaults, with the site's own `templates/*.mustache`
/// files in their place where the owner has written them.
///
/// Rendering is strict: a variable the data does not have is an error naming the template file
/// and line, not an empty string, so a misspelt `{{titel}}` cannot ship blank pages.
public struct TemplateSet: Sendable {
    /// One template's text and where it came from, for messages.
    struct Source: Sendable {
        var path: String
        var text: String
    }

    private let library: MustacheLibrary
    private let sources: [String: Source]
    /// Changes whenever any template's text does: a build cache made with other templates is stale.
    public let fingerprint: String

    /// The default templates, with overrides from `folder` when it exists.
    public init(folder: String?) throws(TemplateError) {
        var sources: [String: Source] = [:]
        for (name, text) in DefaultTheme.templates {
            sources[name] = Source(path: "(built-in template) \(name).mustache", text: text)
        }
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            // `generate-prompt.mustache` is `formulary generate`'s prompt, not part of the site.
            for file in names.sorted()
            where file.hasSuffix(".mustache") && !file.hasPrefix(".") && file != "generate-prompt.mustache" {
                let path = folder + "/" + file
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else {
                    throw TemplateError(
                        path: path, line: 1, column: 1, message: "cannot read this template as UTF-8 text")
                }
                sources[String(file.dropLast(".mustache".count))] = Source(path: path, text: text)
            }
        }
        try self.init(sources: sources)
    }

    init(sources: [String: Source], fingerprint given: String? = nil) throws(TemplateError) {
        FastHTMLEscaping.register()
        var library = MustacheLibrary()
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                library.register(try MustacheTemplate(string: FastHTMLEscaping.pragma + source.text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                let line = error.context.lineNumber
                let column = error.context.columnNumber - (line == 1 ? FastHTMLEscaping.pragma.count : 0)
                throw TemplateError(
                    path: source.path, line: line, column: max(column, 1), message: Self.describe(error.error))
            } catch {
                throw TemplateError(path: source.path, line: 1, column: 1, message: "\(error)")
            }
        }
        for (_, source) in sources {
            for reference in Self.references(in: source.text, sigil: ">") where sources[reference.name] == nil {
                throw TemplateError(
                    path: source.path, line: reference.line, column: reference.column,
                    message: "partial '\(reference.name)' does not exist; templates are "
                        + sources.keys.sorted().joined(separator: ", "))
            }
        }
        self.library = library
        self.sources = sources
        if let given {
            // Words written in by `inliningWords`: the templates are still the same ones.
            self.fingerprint = given
            return
        }
        var hasher = StableHasher()
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            hasher.combine(name)
            hasher.combine(source.text)
        }
        self.fingerprint = hasher.hexDigest
    }

    /// The same templates with the theme's words written in: each `{{t.NAME}}` as the word,
    /// escaped (`{{{t.NAME}}}` as it is), so that a page costs what literal text costs. A word
    /// that holds `{{` or `}}` stays a tag. One set a language.
    func inliningWords(_ words: [String: String]) throws(TemplateError) -> TemplateSet {
        var inlined: [String: Source] = [:]
        for (name, source) in sources {
            inlined[name] = Source(path: source.path, text: Self.inlining(words, into: source.text))
        }
        return try TemplateSet(sources: inlined, fingerprint: fingerprint)
    }

    /// `text` with its `{{t.NAME}}` and `{{{t.NAME}}}` tags written in, in one pass over it (a
    /// replacement a word for every word took half a second a build once the review pages' 157
    /// words came: every rebuild of `serve` paid it). Tags of words `words` does not have, or
    /// whose word holds `{{` or `}}`, stay as they are.
    static func inlining(_ words: [String: String], into text: String) -> String {
        let bytes = Array(text.utf8)
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        let prefix = Array("t.".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var copied = 0
        while index + 1 < bytes.count {
            guard bytes[index] == open, bytes[index + 1] == open else {
                index += 1
                continue
            }
            let braces = index + 2 < bytes.count && bytes[index + 2] == open ? 3 : 2
            let nameStart = index + braces + prefix.count
            guard nameStart < bytes.count, bytes[(index + braces)..<nameStart].elementsEqual(prefix),
                let nameEnd = bytes[nameStart...].firstIndex(where: { $0 == close || $0 == open }),
                nameEnd > nameStart, nameEnd + braces <= bytes.count,
                bytes[nameEnd..<(nameEnd + braces)].allSatisfy({ $0 == close }),
                let word = words[String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)],
                !word.contains("{{"), !word.contains("}}")
            else {
                index += 1
                continue
            }
            output += bytes[copied..<index]
            output += (braces == 3 ? word : HTMLText.escaped(word)).utf8
            index = nameEnd + braces
            copied = index
        }
        guard copied > 0 else { return text }
        output += bytes[copied...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Renders template `name` with `data`, refusing any variable `data` does not have.
    public func render(_ name: String, _ data: [String: Any]) throws(TemplateError) -> String {
        guard let template = library.getTemplate(named: name), let source = sources[name] else {
            throw TemplateError(
                path: "templates/\(name).mustache", line: 1, column: 1, message: "template '\(name)' does not exist")
        }
        let root = StrictScope(data)
        let output = template.render(root, library: library)
        if let missing = root.missing.first {
            throw missingVariableError(missing, in: name, source: source, available: Array(data.keys))
        }
        return output
    }

    /// The names template `name` looks up, its partials' included (transitively): what a page
    /// rendered with it can show.
    func variables(of name: String) -> Set<String> {
        var names: Set<String> = []
        var seen: Set<String> = []
        var pending = [name]
        while let template = pending.popLast() {
            guard seen.insert(template).inserted, let source = sources[template] else { continue }
            for reference in Self.references(in: source.text, sigil: nil) {
                names.insert(reference.name)
                // `{{letters.0.url}}` looks up `letters` first.
                if let dot = reference.name.firstIndex(of: ".") { names.insert(String(reference.name[..<dot])) }
            }
            pending += Self.references(in: source.text, sigil: ">").map(\.name)
        }
        return names
    }

    /// The first `{{t.NAME}}` of any template whose NAME `words` does not have, as an error at
    /// its line with the nearest word it has: a misspelt word would otherwise print nothing.
    func checkWords(_ words: Set<String>) throws(TemplateError) {
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            for reference in Self.references(in: source.text, sigil: nil) where reference.name.hasPrefix("t.") {
                let word = String(reference.name.dropFirst(2))
                guard !words.contains(word) else { continue }
                let suggestion =
                    Spelling.closest(to: word, among: Array(words)).map { "; did you mean 't.\($0)'?" } ?? ""
                throw TemplateError(
                    path: source.path, line: reference.line, column: reference.column,
                    message:
                        "'t.\(word)' is not one of the theme's words (strings/LANG.yml) in template '\(name)'\(suggestion)"
                )
            }
        }
    }

    /// Where `variable` is used, so the error points at the line to fix, with the nearest name
    /// the data does have.
    private func missingVariableError(_ variable: String, in template: String, source: Source, available: [String])
        -> TemplateError
    {
        let others = sources.filter { $0.key != template }.sorted { $0.key < $1.key }.map(\.value)
        var location: (Source, TemplateReference)?
        for candidate in [source] + others {
            if let reference = Self.references(in: candidate.text, sigil: nil).first(where: { $0.name == variable }) {
                location = (candidate, reference)
                break
            }
        }
        let (file, reference) = location ?? (source, TemplateReference(name: variable, line: 1, column: 1))
        let suggestion = Spelling.closest(to: variable, among: available).map { "; did you mean '\($0)'?" } ?? ""
        return TemplateError(
            path: file.path, line: reference.line, column: reference.column,
            message: "'\(variable)' is not a variable of template '\(template)'\(suggestion)")
    }

    struct TemplateReference {
        var name: String
        var line: Int
        var column: Int
    }

    /// The `{{...}}` tags of `text` whose sigil is `sigil` (`>` partials), or every
    /// variable and section name when `sigil` is nil; with 1-based lines and columns.
    static func references(in text: String, sigil: Character?) -> [TemplateReference] {
        var result: [TemplateReference] = []
        var line = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "\n" {
                line += 1
                lineStart = text.index(after: index)
                index = lineStart
                continue
            }
            guard text[index...].hasPrefix("{{") else {
                index = text.index(after: index)
                continue
            }
            let tagStart = index
            guard let close = text[index...].range(of: "}}") else { break }
            var inner = text[text.index(index, offsetBy: 2)..<close.lowerBound]
            if inner.hasPrefix("{") { inner = inner.dropFirst() }
            let first = inner.first
            var matches: Bool
            if let sigil {
                matches = first == sigil
            } else {
                matches = first.map { !"!>=/<$%".contains($0) } ?? false
            }
            if first == "#" || first == "^" || first == "&" || (first == sigil && sigil != nil) {
                inner = inner.dropFirst()
            }
            let name = inner.trimmingCharacters(in: .whitespaces)
            if name == "." || name.isEmpty { matches = false }
            if matches {
                let column = text.distance(from: lineStart, to: tagStart) + 1
                result.append(TemplateReference(name: name, line: line, column: column))
            }
            // Newlines inside a tag still count.
            for character in text[tagStart..<close.upperBound] where character == "\n" { line += 1 }
            index = close.upperBound
        }
        return result
    }

    private static func describe(_ error: any Swift.Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "this closing tag does not match the section it closes"
        case .unfinishedName: return "unfinished tag: a '{{' without its '}}'"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "invalid delimiter change"
        default: return "\(error)"
        }
    }
}

/// The data a page is rendered with. Mustache looks a name up in the innermost section's value
/// first and in this root last, so a name the root does not have either is missing everywhere.
private final class StrictScope: MustacheParent {
    let values: [String: Any]
    var missing: [String] = []

    init(_ values: [String: Any]) { self.values = values }

    func child(named name: String) -> Any? {
        if let value = values[name] { return TemplateValue.wrap(value) }
        missing.append(name)
        return nil
    }
}

/// How page data reaches swift-mustache: strings as `TemplateText`, dictionaries as
/// `TemplateScope`, so that each value a template prints or opens answers swift-mustache's
/// questions (a template? custom renderable? lambda? optional? a parent of names?) in as few
/// runtime casts as possible. Rendering is the same; it is nearly a third of a build's work.
enum TemplateValue {
    static func wrap(_ value: Any) -> Any {
        switch value {
        case let text as String: TemplateText(text)
        case let items as [[String: Any]]: items.map(TemplateScope.init)
        case let object as [String: Any]: TemplateScope(object)
        default: value
        }
    }
}

/// A dictionary of the page data inside a section (`{{#sections}}`, `{{#product}}`): its
/// names, its strings and dictionaries wrapped as the root's are.
struct TemplateScope: MustacheParent {
    let values: [String: Any]

    init(_ values: [String: Any]) { self.values = values }

    func child(named name: String) -> Any? { values[name].map(TemplateValue.wrap) }
}

/// The theme's words as templates see them (`{{t.search}}`): made once a build, each word
/// already the value templates print. As a plain dictionary, every `{{t.x}}` would convert all of
/// them again (a `[String: String]` read as `[String: Any]` is a copy).
struct TemplateWords: MustacheParent, CustomStringConvertible {
    let words: [String: TemplateText]
    /// Equal exactly when the words are (for `PageData.siteValues`).
    let description: String

    init(_ values: [String: String], fingerprint: String) {
        words = values.mapValues(TemplateText.init)
        description = "words " + fingerprint
    }

    func child(named name: String) -> Any? { words[name] }
}

/// A string value as templates see it. swift-mustache tries a string as a template, a custom
/// renderable, a lambda and an optional before printing it with `String(describing:)` (a copy);
/// this type answers the second question, so a page's hundred-odd values each cost a few
/// runtime casts fewer. It behaves as the string would: it has no names of its own, and
/// transforms (`{{uppercased(title)}}`) apply to its text.
struct TemplateText: MustacheCustomRenderable, MustacheParent, MustacheTransformable {
    let text: String

    init(_ text: String) { self.text = text }

    var renderText: String { text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { nil }
    func transform(_ name: String) -> Any? { text.transform(name) }
}

/// HTML escaping as swift-mustache's default does it (`&`, `<`, `>`, `"`, `'`), over bytes:
/// the default looks every Character up in a dictionary, which was a seventh of a build.
///
/// Every template is parsed with `pragma` in front of its text, which selects this content type
/// through swift-mustache's public registry; it adds no line, so positions in errors stay true.
struct FastHTMLEscaping: MustacheContentType {
    static let name = "FORMULARY_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(name)}}"

    private static let registration: Void = MustacheContentTypes.register(FastHTMLEscaping(), named: name)

    static func register() { _ = registration }

    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}

/// HTML escaping, for templates and for pages written in Swift (the server's contribution pages).
public enum HTMLText {
    /// C0 controls but tab, line feed and carriage return, and DEL: not allowed in HTML.
    static func isForbidden(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe in HTML text and
    /// in quoted attribute values. Control characters HTML forbids (all but tab, line feed and
    /// carriage return; text readers typed may hold them) become U+FFFD.
    public static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            var needsEscaping = false
            for byte in bytes
            where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 || isForbidden(byte) {
                needsEscaping = true
                break
            }
            guard needsEscaping else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case 0x26: output += Array("&amp;".utf8)
                case 0x3C: output += Array("&lt;".utf8)
                case 0x3E: output += Array("&gt;".utf8)
                case 0x22: output += Array("&quot;".utf8)
                case 0x27: output += Array("&#39;".utf8)
                case _ where isForbidden(byte): output += [0xEF, 0xBF, 0xBD]
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
