import FormularyModel

/// How far a page, as its text stands now, has been checked by people: each section with the
/// sign-off that stands for its current text, or the one its text has changed since.
///
/// A sign-off stands while the section has the text it was signed off on and no revision has
/// changed that text since (a revert back to it does not bring it back).
///
/// A page is *reviewed* when every section stands signed off, *partly reviewed* when some do,
/// *not reviewed* when none does. Nothing is stored about the state itself: it is worked out
/// from the text and the sign-offs each time, so an edit can never leave a stale "reviewed".
public struct PageReview: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case reviewed
        case partlyReviewed = "partly-reviewed"
        case notReviewed = "not-reviewed"

        /// `reviewed`, `partly reviewed`, `not reviewed`.
        public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
    }

    public struct Section: Sendable, Equatable {
        /// `dosage`, `other:Storage`, `preamble`: the name sign-offs and suggestions use.
        public var name: String
        /// What a reader calls it: `Dosage`, `Storage`, `Title and summary`.
        public var title: String
        /// The latest sign-off of the section's current text.
        public var signedOff: SignOff?
        /// When no sign-off stands: the latest one of an earlier text (the section changed since).
        public var changedSince: SignOff?

        /// `checked` (a sign-off stands), `changed` (one did, the text changed since), `not-checked`.
        public var check: String { signedOff != nil ? "checked" : changedSince != nil ? "changed" : "not-checked" }
    }

    public var sections: [Section]
    public var state: State

    /// The review of `text` given every sign-off of its page (in any order).
    public init(_ text: SectionText, signOffs: [SignOff]) {
        var bySection: [String: [SignOff]] = [:]
        for signOff in signOffs { bySection[signOff.section, default: []].append(signOff) }
        sections = text.reviewable.map { part in
            let all = (bySection[part.name] ?? []).sorted { ($0.at, $0.id) < ($1.at, $1.id) }
            // Hashed only when someone signed it off.
            let hash = all.isEmpty ? "" : SectionText.fingerprint(of: part)
            let standing = all.last { $0.textHash == hash && $0.voidedAt == nil }
            return Section(
                name: part.name, title: SectionText.title(of: part.name), signedOff: standing,
                changedSince: standing == nil ? all.last : nil)
        }
        let signed = sections.filter { $0.signedOff != nil }.count
        state = signed == 0 ? .notReviewed : signed == sections.count ? .reviewed : .partlyReviewed
    }

    /// The sections that stand signed off.
    public var signedOff: [Section] { sections.filter { $0.signedOff != nil } }
    /// The sections signed off once whose text has changed since.
    public var changed: [Section] { sections.filter { $0.changedSince != nil } }

    /// When the page is reviewed as a whole: the date of the latest sign-off (`YYYY-MM-DD`).
    public var lastReviewed: String? {
        guard state == .reviewed else { return nil }
        return sections.compactMap { $0.signedOff?.at }.max().map { String($0.prefix(10)) }
    }

    /// When the page is reviewed as a whole: everyone whose sign-off stands, in order of name.
    public var reviewers: [String] {
        guard state == .reviewed else { return [] }
        return Set(sections.compactMap { $0.signedOff?.reviewer }).sorted()
    }
}
