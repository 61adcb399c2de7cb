/// A reviewer's word that one section of a page, as it stood at one revision, is right: who,
/// when, which text (by its fingerprint), and with which qualifications. A sign-off stands for
/// as long as the section has that text; an edit nobody signed off leaves it behind.
public struct SignOff: Sendable, Equatable, Codable {
    /// The store's number for it (0 before it is stored).
    public var id: Int
    public var monographID: String
    /// The revision that was current when it was signed off.
    public var revision: Int
    /// The section's name as `SectionText` gives it: `dosage`, `other:Storage`, `preamble`.
    public var section: String
    /// `SectionText.fingerprint(of:)` of the section's text when it was signed off.
    public var textHash: String
    public var reviewer: String
    /// The reviewer's qualifications when they signed off (`pharmacist`).
    public var qualifications: [String]
    public var message: String
    /// ISO 8601, UTC.
    public var at: String
    /// The suggestion whose approval signed the section off, if that is how.
    public var suggestion: Int?
    /// The revision that changed the section's text after it was signed off (an edit nobody
    /// signed off, a revert): the sign-off no longer stands, even if the text comes back.
    public var voidedAt: Int?

    public init(
        id: Int = 0, monographID: String, revision: Int, section: String, textHash: String, reviewer: String,
        qualifications: [String], message: String, at: String, suggestion: Int? = nil, voidedAt: Int? = nil
    ) {
        self.voidedAt = voidedAt
        self.id = id
        self.monographID = monographID
        self.revision = revision
        self.section = section
        self.textHash = textHash
        self.reviewer = reviewer
        self.qualifications = qualifications
        self.message = message
        self.at = at
        self.suggestion = suggestion
    }
}
