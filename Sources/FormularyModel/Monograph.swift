/// One medicine page as a typed record: the public shape of `contracts.md`.
///
/// The same record is printed by `formulary show --format json`, served by the JSON API
/// and written to the static site's `api/` files, so its encoded form is a contract:
/// fields may be added (optional), never renamed or dropped.
public struct Monograph: Sendable, Hashable, Codable {
    /// The path under the content root without `.md` and without a one-character shard folder,
    /// e.g. `composition/paracetamol` for `composition/p/paracetamol.md`.
    public var id: String
    /// The file's base name without `.md`.
    public var slug: String
    /// The collection folder the page lives in (`composition`, `generic`, `medicines`, ...).
    public var collection: String
    public var title: String
    public var kind: MonographKind
    /// Active ingredients in title order.
    public var ingredients: [Ingredient]
    /// Sections in file order.
    public var sections: [Section]
    /// Clean question and answer pairs, from the body when it has them, else from front matter.
    public var faqs: [FAQ]
    /// The disclaimer's text without its label.
    public var disclaimer: String?
    public var flags: Flags
    public var source: SourceInfo
    /// The front matter `description`, when the page has one (v2 pages).
    public var description: String?
    /// The front matter `lastModified`, as written (ISO 8601 in the corpus).
    public var lastModified: String?
    /// Product details of a brand page (`kind == .brand`).
    public var product: Product?
    /// Who last reviewed the page, and when (front matter `reviewed_by`, `reviewed_at`).
    public var review: Review?
    /// What a government list says of the medicine (India's prohibited combinations), when one names it.
    public var regulatory: Regulatory?
    /// Matching products of a government price list (Jan Aushadhi), when there are any.
    public var prices: [Price]?
    /// The page's language (`en`, `hi`): a translation's from its file name, else the site's.
    /// Absent from a record read without a site (`formulary show` of a lone file in the main language).
    public var language: String?
    /// Every language the page exists in, the site's main language first (set by a build).
    public var languages: [String]?
    /// For a translation: what it was translated from, and whether that page changed since.
    public var translation: Translation?
    /// The language a translation's file name gives; nil for a page in the site's main
    /// language. Not part of the record: it makes the page's `address`.
    public var translationLanguage: String?

    /// Where the page lives in a site: its id, under its language for a translation
    /// (`hi/composition/paracetamol`). Builds, stores and servers know pages by it.
    public var address: String { translationLanguage.map { $0 + "/" + id } ?? id }

    public init(
        id: String, slug: String, collection: String, title: String, kind: MonographKind,
        ingredients: [Ingredient], sections: [Section], faqs: [FAQ], disclaimer: String?,
        flags: Flags, source: SourceInfo, description: String? = nil, lastModified: String? = nil,
        product: Product? = nil
    ) {
        self.id = id
        self.slug = slug
        self.collection = collection
        self.title = title
        self.kind = kind
        self.ingredients = ingredients
        self.sections = sections
        self.faqs = faqs
        self.disclaimer = disclaimer
        self.flags = flags
        self.source = source
        self.description = description
        self.lastModified = lastModified
        self.product = product
    }

    /// The first section of the given kind, if any.
    public func section(_ kind: SectionKind) -> Section? {
        sections.first { $0.kind == kind }
    }

    private enum CodingKeys: String, CodingKey {
        case id, slug, collection, title, kind, ingredients, sections, faqs, disclaimer, flags, source
        case description, lastModified, product, review, regulatory, prices, language, languages, translation
    }

    // Written by hand so that `disclaimer: null` is always present, as the contract shows,
    // while the optional extensions are left out when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(slug, forKey: .slug)
        try container.encode(collection, forKey: .collection)
        try container.encode(title, forKey: .title)
        try container.encode(kind, forKey: .kind)
        try container.encode(ingredients, forKey: .ingredients)
        try container.encode(sections, forKey: .sections)
        try container.encode(faqs, forKey: .faqs)
        try container.encode(disclaimer, forKey: .disclaimer)
        try container.encode(flags, forKey: .flags)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(lastModified, forKey: .lastModified)
        try container.encodeIfPresent(product, forKey: .product)
        try container.encodeIfPresent(review, forKey: .review)
        try container.encodeIfPresent(regulatory, forKey: .regulatory)
        try container.encodeIfPresent(prices, forKey: .prices)
        try container.encodeIfPresent(language, forKey: .language)
        try container.encodeIfPresent(languages, forKey: .languages)
        try container.encodeIfPresent(translation, forKey: .translation)
    }
}

/// A translation's link to the page it was made from.
public struct Translation: Sendable, Hashable, Codable {
    /// The language of the page translated: the site's main language (set by a build).
    public var from: String?
    /// The fingerprint of the source page's text when it was translated (front matter
    /// `translated_from`), or nil when the file does not say.
    public var sourceFingerprint: String?
    /// Whether the source page's text changed since (its fingerprint differs), or the
    /// translation does not say what it was made from; set by a build or `check`.
    public var outdated: Bool?

    public init(from: String? = nil, sourceFingerprint: String?, outdated: Bool? = nil) {
        self.from = from
        self.sourceFingerprint = sourceFingerprint
        self.outdated = outdated
    }
}

/// A person's review of a page's text.
public struct Review: Sendable, Hashable, Codable {
    /// The reviewer's name (front matter), or everyone whose sign-off stands when the page is
    /// reviewed as a whole; empty otherwise.
    public var by: String
    /// `YYYY-MM-DD`, when front matter gives it, or of the latest sign-off of a page reviewed as a whole.
    public var at: String?
    /// From the store's sign-offs: `reviewed`, `partly-reviewed` or `not-reviewed`; nil for
    /// a review named in front matter (the whole page).
    public var state: String?
    /// From the store's sign-offs: each section's check.
    public var sections: [SectionCheck] = []

    /// One section: checked on its current text (`checked`), checked once and changed since
    /// (`changed`; who and when are of that check), or never checked (`not-checked`).
    public struct SectionCheck: Sendable, Hashable, Codable {
        public var section: String
        public var title: String
        public var state: String
        public var by: String?
        public var qualifications: [String]
        public var at: String?
        public var revision: Int?

        public init(
            section: String, title: String, state: String, by: String?, qualifications: [String], at: String?,
            revision: Int?
        ) {
            self.section = section
            self.title = title
            self.state = state
            self.by = by
            self.qualifications = qualifications
            self.at = at
            self.revision = revision
        }
    }

    public init(by: String, at: String?) {
        self.by = by
        self.at = at
    }

    /// Whether the whole page stands reviewed.
    public var isWhole: Bool { state == nil || state == "reviewed" }

    private enum CodingKeys: String, CodingKey { case at, by, sections, state }

    /// As `MonographJSON` writes it: `by` when there is one, `sections` with a state.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(at, forKey: .at)
        if !by.isEmpty { try container.encode(by, forKey: .by) }
        if state != nil { try container.encode(sections, forKey: .sections) }
        try container.encodeIfPresent(state, forKey: .state)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        by = try container.decodeIfPresent(String.self, forKey: .by) ?? ""
        at = try container.decodeIfPresent(String.self, forKey: .at)
        state = try container.decodeIfPresent(String.self, forKey: .state)
        sections = try container.decodeIfPresent([SectionCheck].self, forKey: .sections) ?? []
    }
}

/// What a page describes.
public enum MonographKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// One active ingredient.
    case single
    /// Two or more active ingredients.
    case combination
    /// A branded product that points at a single or combination page.
    case brand
}

/// Facts about a page that change how it is shown.
public struct Flags: Sendable, Hashable, Codable {
    /// The medicine is prohibited: front matter says so (v2 `is_banned`), or a government
    /// list's row names exactly this combination with status `banned` (see `regulatory`).
    public var banned: Bool
    /// The text was drafted by a language model and not yet reviewed.
    public var aiGenerated: Bool

    public init(banned: Bool, aiGenerated: Bool) {
        self.banned = banned
        self.aiGenerated = aiGenerated
    }
}

/// Where a record came from and how its sections were written.
public struct SourceInfo: Sendable, Hashable, Codable {
    /// The path under the content root, with its shard folder if any (`composition/p/paracetamol.md`).
    public var path: String
    public var headingStyle: HeadingStyle

    public init(path: String, headingStyle: HeadingStyle) {
        self.path = path
        self.headingStyle = headingStyle
    }
}

/// How a page marks its sections.
public enum HeadingStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// `### Usage`
    case heading
    /// `## **Usage**`
    case boldHeading
    /// `**Usage:** text`, or the label alone on its line.
    case inlineLabel
    /// More than one of the above in one file.
    case mixed
    /// No recognised section at all (an AI refusal, a stub). An extension of the contract's four values.
    case none
}
