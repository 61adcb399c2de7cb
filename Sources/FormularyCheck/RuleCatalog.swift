import FormularyParsing

/// Failures of reading a page, reported as diagnostics under these rule names.
struct ReadFailureRule: Rule {
    let name: String
    let defaultSeverity = Severity.error
    let summary: String

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] { [] }

    static let invalidFrontMatter = ReadFailureRule(
        name: "invalid-front-matter",
        summary: "The front matter is missing, unterminated, not valid YAML, not a mapping, or has no title.")
    static let unreadablePage = ReadFailureRule(
        name: "unreadable-page",
        summary: "The file cannot be read as a page: empty, binary, not UTF-8, too large, or not readable.")
}

/// Every rule `check` runs, in the order they are listed by `--explain`.
public enum RuleCatalog {
    public static let all: [any Rule] = [
        ReadFailureRule.invalidFrontMatter,
        ReadFailureRule.unreadablePage,
        UnknownFrontMatterKeyRule(),
        TitleMismatchRule(),
        MissingSectionRule(),
        EmptySectionRule(),
        DuplicateSectionRule(),
        MissingDisclaimerRule(),
        AIRefusalRule(),
        AISelfReferenceRule(),
        DisputedMedicineRule(),
        DamagedNameRule(),
        GenericNameMismatchRule(),
        DuplicateMedicineRule(),
        BrokenLinkRule(),
        FAQDebrisRule(),
        OutdatedSectionRule(),
        ImplausibleStrengthRule(),
        BannedCombinationRule(),
        TranslationOutdatedRule(),
        TranslationMismatchRule(),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func rule(named name: String) -> (any Rule)? {
        all.first { $0.name == name }
    }
}
