/// How much of a site people have checked: pages reviewed, partly reviewed and not reviewed,
/// in all, by collection, and by section (how many of the pages that have a section have it
/// signed off).
public struct Coverage: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var pages = 0
        public var reviewed = 0
        public var partlyReviewed = 0
        public var notReviewed = 0

        public init() {}

        mutating func add(_ state: PageReview.State) {
            pages += 1
            switch state {
            case .reviewed: reviewed += 1
            case .partlyReviewed: partlyReviewed += 1
            case .notReviewed: notReviewed += 1
            }
        }
    }

    public struct SectionCounts: Sendable, Equatable {
        /// `dosage`, or `other` for every section no kind names.
        public var section: String
        public var title: String
        /// Pages that have the section.
        public var pages = 0
        /// Of those, pages where it stands signed off.
        public var signedOff = 0
    }

    public var total = Counts()
    /// Of the pages readers opened most (the 100 with the most views in the last 30 days, when
    /// views were given): how many, and how many of them are reviewed.
    public var mostOpened = Counts()
    /// The state of each page, by id, while pages are added (for `mostOpened`).
    var states: [String: PageReview.State] = [:]
    /// By collection name.
    public var collections: [String: Counts] = [:]
    /// By section group (`dosage`; `other` for the rest).
    public var sections: [String: SectionCounts] = [:]

    public init() {}

    /// Adds a page: its collection, its state, and its sections with whether each stands signed off.
    public mutating func add(
        collection: String, state: PageReview.State, sections names: [(String, Bool)], id: String? = nil
    ) {
        total.add(state)
        if let id { states[id] = state }
        collections[collection, default: Counts()].add(state)
        // A page with two dosage sections is one page with dosage, signed off when both are.
        var groups: [String: Bool] = [:]
        for (name, signed) in names {
            groups[Self.group(of: name), default: true] = groups[Self.group(of: name), default: true] && signed
        }
        for (group, signed) in groups {
            sections[group, default: SectionCounts(section: group, title: Self.title(of: group))].pages += 1
            if signed { sections[group]?.signedOff += 1 }
        }
    }

    /// Counts `mostOpened` from views by page id: the 100 most opened pages of those added.
    public mutating func count(views: [String: Int]) {
        mostOpened = Counts()
        let top = views.filter { $0.value > 0 && states[$0.key] != nil }.sorted {
            ($1.value, $0.key) < ($0.value, $1.key)
        }
        for (id, _) in top.prefix(100) { mostOpened.add(states[id] ?? .notReviewed) }
    }

    /// Sections in the order pages show them, then the rest by name.
    public var sectionList: [SectionCounts] {
        sections.values.sorted { a, b in
            let order = Self.order
            return (order.firstIndex(of: a.section) ?? order.count, a.section)
                < (order.firstIndex(of: b.section) ?? order.count, b.section)
        }
    }

    static let order = [
        "preamble", "genericName", "summary", "usage", "dosage", "howItWorks", "sideEffects", "precautions",
        "contraindications", "interactions", "pregnancy", "overdose", "storage", "alternateNames",
        "popularCombinations", "faqs", "disclaimer", "note", "other",
    ]

    /// `dosage#2` and `dosage` are one group; `other:Storage Notes` is `other`.
    public static func group(of name: String) -> String {
        let base = String(name.split(separator: "#", maxSplits: 1).first ?? "")
        return base.hasPrefix("other:") ? "other" : base
    }

    static func title(of group: String) -> String { group == "other" ? "Other sections" : SectionText.title(of: group) }
}
