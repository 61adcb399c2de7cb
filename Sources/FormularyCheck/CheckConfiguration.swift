import FormularyModel
import FormularyParsing
import Yams

/// What the site owner has set for `check` in `formulary.yml`:
///
/// ```yaml
/// check:
///   required-sections: [usage, dosage, sideEffects, precautions]
///   rules:
///     missing-disclaimer: off        # or: note, warning, error (also turns on a rule that is off by default)
///     title-mismatch: error
/// ```
public struct CheckConfiguration: Sendable, Equatable {
    /// Sections every single or combination page must have.
    public var requiredSections: [SectionKind]
    /// Severity overrides; `nil` turns a rule off.
    public var severities: [String: Severity?]

    public static let defaultRequiredSections: [SectionKind] = [
        .usage, .dosage, .sideEffects, .howItWorks, .precautions,
    ]

    public init(requiredSections: [SectionKind] = defaultRequiredSections, severities: [String: Severity?] = [:]) {
        self.requiredSections = requiredSections
        self.severities = severities
    }

    /// The severity a rule reports with, or `nil` when it is turned off.
    public func severity(of rule: any Rule) -> Severity? {
        if let configured = severities[rule.name] { return configured }
        return rule.isEnabledByDefault ? rule.defaultSeverity : nil
    }

    /// A problem in the configuration file, with its place.
    public typealias Error = SettingsError

    /// Reads the `check:` part of a `formulary.yml`; a file without it gives the defaults.
    public static func load(yaml: String, path: String, knownRules: [String]) throws(Error) -> CheckConfiguration {
        var configuration = CheckConfiguration()
        guard let check = try SettingsFile.section("check", yaml: yaml, path: path) else { return configuration }
        if let sections = check["required-sections"] {
            guard case .sequence(let items) = sections else {
                throw Error(
                    path: path, line: sections.mark?.line ?? 1,
                    message: "'required-sections' must be a list of section kinds")
            }
            configuration.requiredSections = []
            for item in items {
                guard let kind = item.string.flatMap(SectionKind.init(rawValue:)), kind != .other else {
                    let known = SectionKind.allCases.filter { $0 != .other }.map(\.rawValue).joined(separator: ", ")
                    throw Error(
                        path: path, line: item.mark?.line ?? 1,
                        message: "unknown section kind '\(item.string ?? "?")'; use one of \(known)")
                }
                configuration.requiredSections.append(kind)
            }
        }
        if let rules = check["rules"] {
            guard case .mapping(let mapping) = rules else {
                throw Error(
                    path: path, line: rules.mark?.line ?? 1,
                    message: "'rules' must map rule names to off, note, warning or error")
            }
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard knownRules.contains(name) else {
                    let suggestion =
                        Spelling.closest(to: name, among: knownRules).map { "; did you mean '\($0)'?" } ?? ""
                    throw Error(path: path, line: key.mark?.line ?? 1, message: "unknown rule '\(name)'\(suggestion)")
                }
                switch value.string?.lowercased() {
                case "off", "false", "no": configuration.severities[name] = .some(nil)
                case let text?:
                    guard let severity = Severity(rawValue: text) else {
                        throw Error(
                            path: path, line: value.mark?.line ?? 1,
                            message: "'\(text)' is not off, note, warning or error")
                    }
                    configuration.severities[name] = severity
                case nil:
                    throw Error(
                        path: path, line: value.mark?.line ?? 1,
                        message: "give rule '\(name)' off, note, warning or error")
                }
            }
        }
        return configuration
    }
}
