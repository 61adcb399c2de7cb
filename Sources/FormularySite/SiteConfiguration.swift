import FormularyParsing
import FormularyReference
import Yams

/// A site's settings, from `formulary.yml` at the top of the site folder:
///
/// ```yaml
/// title: My Formulary
/// description: Plain-language information about medicines.
/// baseURL: https://medicines.example.org/
/// language: en
/// languages: [hi]     # translations: paracetamol.hi.md beside paracetamol.md, at /hi/...
/// ```
///
/// Every key is optional; folders default to `content/`, `templates/`, `static/` and `public/`.
/// Other parts of Formulary read their own keys from the same file (`check:`).
public struct SiteConfiguration: Sendable, Equatable {
    public var title = "Formulary"
    public var description = "Plain-language information about medicines: uses, dosage, side effects and precautions."
    /// The address the site is published at, always ending in `/`. Canonical links, the sitemap
    /// and Open Graph tags are absolute URLs under it; links between pages use its path.
    public var baseURL = "http://localhost:8080/"
    public var language = "en"
    /// The languages pages are translated into, besides `language`, in the order the language
    /// switch shows them (`languages: [hi]`). A translation sits beside its page with the code
    /// before `.md` (`paracetamol.hi.md`) and is published under `/hi/`.
    public var languages: [String] = []
    public var contentFolder = "content"
    public var templatesFolder = "templates"
    public var staticFolder = "static"
    public var outputFolder = "public"
    public var contributions = ContributionSettings()
    /// Newer copies of India's lists than the built-in ones (`reference:`), paths relative to the site folder.
    public var reference = ReferenceSettings()
    /// `review:` with `highRisk:`, the medicines whose pages the worklist puts first: class name
    /// to the ingredient names in it. Without the key, `HighRiskMedicines.defaults`.
    public var highRisk = HighRiskMedicines.defaults

    public init() {}

    /// `contributions:`: suggested edits and reviews, served by `formulary serve`.
    ///
    /// ```yaml
    /// contributions:
    ///   enabled: true         # "Suggest an edit" and "History" on every page
    ///   anonymous: false      # signed-out visitors may suggest edits
    ///   rateLimit: 30         # changes a minute, per person and per address
    ///   qualifications:       # sections only a reviewer with the qualification may approve
    ///     dosage: pharmacist
    /// ```
    public struct ContributionSettings: Sendable, Equatable {
        public var enabled = false
        public var anonymous = false
        public var rateLimit = 30
        public var qualifications: [String: String] = [:]

        public init() {}

        static let knownKeys = ["enabled", "anonymous", "rateLimit", "qualifications"]
    }

    /// The keys this file may hold; anything else is a typo worth reporting.
    static let knownKeys = [
        "title", "description", "baseURL", "language", "languages", "content", "templates", "static", "output",
        "check", "database", "generate", "contributions", "reference", "review",
    ]

    /// A problem in `formulary.yml`, with its place.
    public typealias Error = SettingsError

    /// Reads the site settings from the text of a `formulary.yml`.
    public static func load(yaml: String, path: String) throws(Error) -> SiteConfiguration {
        let root = try SettingsFile.root(yaml: yaml, path: path)
        var configuration = SiteConfiguration()
        var languagesLine = 1
        guard let root else { return configuration }
        guard case .mapping(let mapping) = root else {
            throw Error(path: path, line: root.mark?.line ?? 1, message: "expected settings as 'key: value' lines")
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard knownKeys.contains(name) else {
                let suggestion = Spelling.closest(to: name, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw Error(path: path, line: key.mark?.line ?? 1, message: "unknown setting '\(name)'\(suggestion)")
            }
            if name == "contributions" {
                configuration.contributions = try contributionSettings(value, path: path)
                continue
            }
            if name == "reference" {
                configuration.reference = try referenceSettings(value, path: path)
                continue
            }
            if name == "review" {
                configuration.highRisk = try highRiskSettings(value, path: path)
                continue
            }
            if name == "languages" {
                configuration.languages = try languageList(value, path: path)
                languagesLine = key.mark?.line ?? 1
                continue
            }
            guard
                ["title", "description", "baseURL", "language", "content", "templates", "static", "output"]
                    .contains(name)
            else { continue }
            guard case .scalar(let scalar) = value, !scalar.string.trimmingWhitespace().isEmpty else {
                throw Error(path: path, line: value.mark?.line ?? 1, message: "'\(name)' must be a non-empty text")
            }
            let text = scalar.string.trimmingWhitespace()
            switch name {
            case "title": configuration.title = text
            case "description": configuration.description = text
            case "language": configuration.language = text
            case "content": configuration.contentFolder = text
            case "templates": configuration.templatesFolder = text
            case "static": configuration.staticFolder = text
            case "output": configuration.outputFolder = text
            default:
                do throws(BaseURLError) {
                    configuration.baseURL = try normalizedBaseURL(text)
                } catch {
                    throw Error(path: path, line: value.mark?.line ?? 1, message: error.message)
                }
            }
        }
        if configuration.languages.contains(configuration.language) {
            throw Error(
                path: path, line: languagesLine,
                message:
                    "'languages' lists the site's own language '\(configuration.language)': list only the languages pages are translated into"
            )
        }
        return configuration
    }

    /// `languages:` a list of language codes (`[hi, ta]`): two or three lower-case letters each,
    /// as a translation's file name carries them.
    private static func languageList(_ node: Node, path: String) throws(Error) -> [String] {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            throw Error(path: path, line: node.mark?.line ?? 1, message: "'languages' must be a list such as [hi]")
        }
        var languages: [String] = []
        for item in items {
            let code = item.string?.trimmingWhitespace() ?? ""
            guard DocumentLocation.languageSuffix(of: "x." + code) == code else {
                throw Error(
                    path: path, line: item.mark?.line ?? 1,
                    message:
                        "'\(code)' is not a language code: use two or three lower-case letters (ISO 639-1 or 639-2), such as hi, ta, bn, mr"
                )
            }
            guard !languages.contains(code) else {
                throw Error(path: path, line: item.mark?.line ?? 1, message: "'\(code)' is listed twice in 'languages'")
            }
            languages.append(code)
        }
        return languages
    }

    /// `reference:` with `banned_combinations: FILE.csv`, `jan_aushadhi: FILE.csv` and, when the
    /// price list's file name has no date, `jan_aushadhi_date: YYYY-MM-DD`.
    private static func referenceSettings(_ node: Node, path: String) throws(Error) -> ReferenceSettings {
        var settings = ReferenceSettings()
        guard case .mapping(let mapping) = node else {
            throw Error(path: path, line: node.mark?.line ?? 1, message: "'reference' must be 'key: value' lines")
        }
        let known = ["banned_combinations", "jan_aushadhi", "jan_aushadhi_date"]
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard known.contains(name) else {
                let suggestion = Spelling.closest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                throw Error(
                    path: path, line: key.mark?.line ?? 1, message: "unknown setting 'reference.\(name)'\(suggestion)")
            }
            guard let text = value.string?.trimmingWhitespace(), !text.isEmpty else {
                throw Error(
                    path: path, line: value.mark?.line ?? 1,
                    message:
                        "'reference.\(name)' must be \(name.hasSuffix("date") ? "a date, YYYY-MM-DD" : "the path of a CSV file")"
                )
            }
            switch name {
            case "banned_combinations": settings.bannedCombinations = text
            case "jan_aushadhi": settings.janAushadhi = text
            default: settings.janAushadhiDate = text
            }
        }
        return settings
    }

    /// `review:` with `highRisk:`, class names each with a list of ingredient names.
    private static func highRiskSettings(_ node: Node, path: String) throws(Error) -> HighRiskMedicines {
        guard case .mapping(let mapping) = node else {
            throw Error(path: path, line: node.mark?.line ?? 1, message: "'review' must be 'key: value' lines")
        }
        var classes: [(String, [String])] = []
        for (key, value) in mapping {
            guard key.string == "highRisk" else {
                throw Error(
                    path: path, line: key.mark?.line ?? 1,
                    message: "unknown setting 'review.\(key.string ?? "")'; did you mean 'highRisk'?")
            }
            guard case .mapping(let groups) = value else {
                throw Error(
                    path: path, line: value.mark?.line ?? 1,
                    message:
                        "'review.highRisk' must be 'class: [ingredient, ...]' lines, as 'anticoagulants: [warfarin, heparin]'"
                )
            }
            for (name, members) in groups {
                guard let name = name.string?.trimmingWhitespace(), !name.isEmpty, case .sequence(let list) = members,
                    !list.isEmpty, list.allSatisfy({ !($0.string ?? "").trimmingWhitespace().isEmpty })
                else {
                    throw Error(
                        path: path, line: members.mark?.line ?? 1,
                        message:
                            "each high-risk class must be 'class: [ingredient, ...]' with at least one ingredient name")
                }
                classes.append((name, list.compactMap { $0.string?.trimmingWhitespace() }))
            }
        }
        return HighRiskMedicines(classes: classes)
    }

    private static func contributionSettings(_ node: Node, path: String) throws(Error) -> ContributionSettings {
        var settings = ContributionSettings()
        guard case .mapping(let mapping) = node else {
            throw Error(path: path, line: node.mark?.line ?? 1, message: "'contributions' must be 'key: value' lines")
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            let line = value.mark?.line ?? 1
            switch name {
            case "enabled", "anonymous":
                guard let flag = value.bool else {
                    throw Error(path: path, line: line, message: "'contributions.\(name)' must be true or false")
                }
                if name == "enabled" { settings.enabled = flag } else { settings.anonymous = flag }
            case "rateLimit":
                guard let limit = value.int, limit > 0 else {
                    throw Error(
                        path: path, line: line, message: "'contributions.rateLimit' must be a whole number above 0")
                }
                settings.rateLimit = limit
            case "qualifications":
                guard case .mapping(let pairs) = value else {
                    throw Error(
                        path: path, line: line,
                        message: "'contributions.qualifications' must be 'section: qualification' lines")
                }
                for (section, qualification) in pairs {
                    guard let section = section.string, let qualification = qualification.string,
                        !qualification.isEmpty
                    else {
                        throw Error(
                            path: path, line: qualification.mark?.line ?? line,
                            message: "each qualification must be 'section: qualification', as 'dosage: pharmacist'")
                    }
                    settings.qualifications[section] = qualification
                }
            default:
                let suggestion = Spelling.closest(to: name, among: ContributionSettings.knownKeys).map {
                    "; did you mean '\($0)'?"
                }
                throw Error(
                    path: path, line: key.mark?.line ?? 1,
                    message: "unknown setting 'contributions.\(name)'\(suggestion ?? "")")
            }
        }
        return settings
    }

    public struct BaseURLError: Swift.Error, Equatable {
        public var message: String
    }

    /// `https://example.org/med` as `https://example.org/med/`; refuses what is not an http(s) URL.
    public static func normalizedBaseURL(_ text: String) throws(BaseURLError) -> String {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            let hostStart = text.range(of: "://")?.upperBound,
            !text[hostStart...].isEmpty, !text[hostStart...].hasPrefix("/"),
            !text.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" || $0 == "?" || $0 == "#" })
        else {
            throw BaseURLError(
                message: "base URL '\(text)' must be an http:// or https:// address such as https://example.org/")
        }
        return text.hasSuffix("/") ? text : text + "/"
    }

    /// The path part of `baseURL` (`/` or `/med/`), which every link between pages starts with.
    public var basePath: String {
        guard let hostStart = baseURL.range(of: "://")?.upperBound,
            let slash = baseURL[hostStart...].firstIndex(of: "/")
        else { return "/" }
        return String(baseURL[slash...])
    }
}
