/// A part of a monograph under one heading or label.
public struct Section: Sendable, Hashable, Codable {
    public var kind: SectionKind
    /// The heading or label as written, without `#`, emphasis and trailing colon.
    public var heading: String
    /// 1-based line of the heading or label in the source file.
    public var line: Int
    /// The section body, trimmed, without its heading or label.
    public var markdown: String

    public init(kind: SectionKind, heading: String, line: Int, markdown: String) {
        self.kind = kind
        self.heading = heading
        self.line = line
        self.markdown = markdown
    }
}

/// The canonical meaning of a section, whatever its heading says.
public enum SectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case genericName, usage, dosage, sideEffects, howItWorks, precautions, contraindications
    case interactions, pregnancy, alternateNames, popularCombinations, summary, storage, overdose
    case faqs, disclaimer, note
    /// A heading that names none of the above (a per-ingredient heading, say); `heading` keeps its text.
    case other

    /// The seven sections every v1 monograph is drafted with.
    public static let core: [SectionKind] = [
        .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs,
    ]
}

/// A clean question and answer pair.
public struct FAQ: Sendable, Hashable, Codable {
    public var question: String
    public var answer: String

    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}

/// Product details of a brand page.
public struct Product: Sendable, Hashable, Codable {
    /// The slug of the single-ingredient page the brand points at.
    public var genericSlug: String?
    /// The slug of the combination page the brand points at.
    public var combinationSlug: String?
    public var company: String?
    /// The pack's strength as written (`650 mg`).
    public var strength: String?
    public var packSize: String?
    /// Maximum retail price, in the site's currency.
    public var mrp: Double?

    public init(
        genericSlug: String? = nil, combinationSlug: String? = nil, company: String? = nil,
        strength: String? = nil, packSize: String? = nil, mrp: Double? = nil
    ) {
        self.genericSlug = genericSlug
        self.combinationSlug = combinationSlug
        self.company = company
        self.strength = strength
        self.packSize = packSize
        self.mrp = mrp
    }

    /// The slug of the page this brand points at.
    public var targetSlug: String? { genericSlug ?? combinationSlug }
}
