import FormularyModel
import FormularyParsing
import FormularyReview
import Yams

/// The words the default theme shows, in one language: headings, badges, buttons, dates, the
/// disclaimer, India's banners. Built in for English and Hindi (`Theme/strings/LANG.yml`); a
/// site replaces any of them, or adds a language, with `strings/LANG.yml` in its folder.
///
/// Templates read them as `{{t.key}}`; the builder fills the sentences that carry numbers or
/// names (`{count} medicines found.`). Values are text: what a template shows is escaped by it,
/// and `html(_:_:)` escapes a sentence before it puts links into it.
public struct SiteStrings: Sendable, Equatable {
    public let language: String
    private let values: [String: String]
    private let months: [String]

    /// A strings file that cannot be used, with its place.
    public typealias Failure = LocatedError

    /// The built-in words of a language, or nil when Formulary has none for it.
    public static func builtIn(_ language: String) -> SiteStrings? {
        guard let text = DefaultTheme.strings[language] else { return nil }
        do throws(Failure) {
            return try parse(text, path: "Theme/strings/\(language).yml", language: language, base: nil)
        } catch {
            preconditionFailure("the built-in strings of \(language) do not parse: \(error)")
        }
    }

    public static let english = builtIn("en")!

    /// The words of `language`: the site's `strings/LANG.yml` (when `siteFolder` has one) over
    /// the built-in ones. A language Formulary has no words for needs the site's file, with
    /// every key; a key the file leaves out of a built-in language keeps the built-in words.
    public static func load(language: String, stringsFolder: String?) throws(Failure) -> SiteStrings {
        let builtIn = builtIn(language)
        let path = stringsFolder.map { "\($0)/\(language).yml" }
        guard let path, let bytes = OutputFiles.read(path) else {
            if let builtIn { return builtIn }
            throw Failure(
                path: path ?? "strings/\(language).yml", line: 1,
                message:
                    "Formulary has no words for the language '\(language)': write strings/\(language).yml in the site folder (start from a copy of the English one, `formulary init` writes it to strings/en.yml)"
            )
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path, language: language, base: builtIn)
    }

    /// Reads a strings file; keys it leaves out come from `base`, or are an error without one.
    static func parse(_ text: String, path: String, language: String, base: SiteStrings?) throws(Failure)
        -> SiteStrings
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch {
            throw Failure(path: path, line: 1, message: "not valid YAML: \(error)")
        }
        let reference = base ?? (language == "en" ? nil : english)
        var values = base?.values ?? [:]
        var months = base?.months ?? []
        if let root {
            guard case .mapping(let mapping) = root else {
                throw Failure(path: path, line: root.mark?.line ?? 1, message: "expected 'key: words' lines")
            }
            for (key, value) in mapping {
                let name = key.string ?? ""
                let line = key.mark?.line ?? 1
                if let reference, name != "months", reference.values[name] == nil {
                    let suggestion =
                        Spelling.closest(to: name, among: Array(reference.values.keys)).map {
                            "; did you mean '\($0)'?"
                        }
                        ?? ""
                    throw Failure(path: path, line: line, message: "unknown key '\(name)'\(suggestion)")
                }
                if name == "months" {
                    guard case .sequence(let list) = value, list.count == 12,
                        list.allSatisfy({ !($0.string ?? "").trimmingWhitespace().isEmpty })
                    else {
                        throw Failure(path: path, line: line, message: "'months' must list the twelve month names")
                    }
                    months = list.map { $0.string!.trimmingWhitespace() }
                    continue
                }
                guard case .scalar(let scalar) = value else {
                    throw Failure(path: path, line: line, message: "'\(name)' must be text")
                }
                if let reference, let expected = reference.values[name] {
                    let missing = placeholders(in: expected).subtracting(placeholders(in: scalar.string))
                    if let first = missing.sorted().first {
                        throw Failure(
                            path: path, line: line,
                            message:
                                "'\(name)' leaves out {\(first)}, which Formulary fills in (the English words: \"\(expected)\")"
                        )
                    }
                }
                values[name] = scalar.string
            }
        }
        if let reference {
            let missing = Set(reference.values.keys).subtracting(values.keys)
            if let first = missing.sorted().first {
                throw Failure(
                    path: path, line: 1,
                    message:
                        "'\(first)' is missing\(missing.count > 1 ? " (and \(missing.count - 1) more keys)" : ""): a language Formulary has no words for needs every key of strings/en.yml"
                )
            }
        }
        guard months.count == 12 else { throw Failure(path: path, line: 1, message: "'months' is missing") }
        return SiteStrings(language: language, values: values, months: months)
    }

    /// The `{name}`s of a text.
    static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Every key (each language has them all).
    public var keys: Set<String> { Set(values.keys) }

    /// The words of `key` as written.
    public subscript(key: String) -> String {
        guard let value = values[key] else { preconditionFailure("no words for '\(key)'") }
        return value
    }

    /// The words of `key` with each `{name}` replaced by its value: text.
    public func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Self.fill(self[key], arguments)
    }

    /// The words of `key`, HTML-escaped, with each `{name}` replaced by its (HTML) value.
    public func html(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Self.fill(HTMLText.escaped(self[key]), arguments)
    }

    private static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            result += rest[..<open]
            if let value = arguments[name] { result += value } else { result += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// `2025-09-22` as `22 September 2025` (`22 सितंबर 2025`); other text as it is.
    public func date(_ date: String) -> String {
        let parts = date.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]) else {
            return date
        }
        return text("date", ["day": String(day), "month": months[month - 1], "year": String(parts[0])])
    }

    /// Each kind of section's heading in these words (`उपयोग`), as pages show them and
    /// translations into the language are asked to write them.
    public var sectionHeadings: [SectionKind: String] {
        var headings: [SectionKind: String] = [:]
        for (kind, key) in PageData.sectionTitleKeys { headings[kind] = self[key] }
        headings[.genericName] = self["sectionGenericName"]
        headings[.faqs] = self["faqsHeading"]
        return headings
    }

    /// A section's heading in these pages' words (`Dosage`, `खुराक`), by its review name
    /// (`dosage`, `other:storage-conditions`): what the report form lists.
    public func sectionTitle(ofName name: String) -> String {
        let pieces = name.split(separator: "#", maxSplits: 1)
        let base = String(pieces.first ?? "")
        let title: String
        switch base {
        case "preamble": title = self["sectionPreamble"]
        case SectionKind.genericName.rawValue: title = self["sectionGenericName"]
        case SectionKind.faqs.rawValue: title = self["sectionFAQs"]
        case SectionKind.disclaimer.rawValue: title = self["disclaimer"]
        default:
            if let kind = SectionKind(rawValue: base), let key = PageData.sectionTitleKeys[kind] {
                title = self[key]
            } else {
                return SectionText.title(of: name)
            }
        }
        return pieces.count > 1 ? "\(title) (\(pieces[1]))" : title
    }

    /// Every key's words for templates (`{{t.key}}`), `{site}` filled with the site's title.
    func templateValues(siteTitle: String) -> [String: String] {
        values.mapValues { Self.fill($0, ["site": siteTitle]) }
    }

    /// A text that is equal exactly when the words are: part of a build's fingerprint.
    var fingerprint: String {
        var hasher = StableHasher()
        hasher.combine(language)
        for key in values.keys.sorted() {
            hasher.combine(key)
            hasher.combine(values[key]!)
        }
        for month in months { hasher.combine(month) }
        return hasher.hexDigest
    }
}
