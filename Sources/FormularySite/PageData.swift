import FormularyModel
import FormularyParsing
import FormularyReview

/// The data each template is rendered with. Every template gets the site-wide keys; each page
/// type adds its own. The keys are the templates' documented variables (README, "Templates").
struct PageData: @unchecked Sendable {
    // Unchecked: `letterLinks` and `siteKeys` hold `Any` values (Mustache takes `Any`), all of
    // them strings, numbers, and arrays and dictionaries of those, set in `init` and never
    // changed: immutable values that any thread may read.
    let configuration: SiteConfiguration
    let urls: SiteURLs
    let catalog: SiteCatalog
    let styleURL: String
    /// Shared by every page: the footer's letters, counts and links.
    private let letterLinks: [[String: Any]]
    private let letterCounts: [String: Int]
    private let siteKeys: [String: Any]
    let reviews: SiteReviews

    init(configuration: SiteConfiguration, catalog: SiteCatalog, styleVersion: String, reviews: SiteReviews = .none) {
        self.configuration = configuration
        self.reviews = reviews
        self.urls = SiteURLs(baseURL: configuration.baseURL, basePath: configuration.basePath)
        self.catalog = catalog
        self.styleURL = urls.link("assets/style.css?v=" + styleVersion)
        var counts: [String: Int] = [:]
        for (letter, pages) in catalog.pagesByLetter { counts[letter] = pages.count }
        self.letterCounts = counts
        let urls = self.urls
        self.letterLinks = SiteCatalog.letters.filter { counts[$0] != nil }.map { letter in
            [
                "label": Self.letterLabel(letter), "url": urls.link(SiteURLs.letterPath(letter)),
                "count": counts[letter]!,
            ]
        }
        self.siteKeys = Self.siteKeys(
            configuration: configuration, urls: urls, styleURL: styleURL, letterLinks: letterLinks,
            letterCounts: counts,
            pageCount: catalog.pages.count)
    }

    /// The site-wide values among `names` as one text that is equal exactly when the values
    /// are: what pages rendered with those names show of the whole site (`pageCount`,
    /// `letters` and their counts, `browseURL`).
    func siteValues(named names: Set<String>) -> String {
        names.intersection(siteKeys.keys).sorted().map { "\($0)=\(Self.stableText(siteKeys[$0]!))" }
            .joined(separator: "\n")
    }

    private static func stableText(_ value: Any) -> String {
        switch value {
        case let text as String: JSONText.quoted(text)
        case let items as [Any]: "[" + items.map(stableText).joined(separator: ",") + "]"
        case let object as [String: Any]:
            "{"
                + object.keys.sorted().map { JSONText.quoted($0) + ":" + stableText(object[$0]!) }.joined(
                    separator: ",")
                + "}"
        case is TemplateNull: "null"
        default: "\(value)"
        }
    }

    static func letterLabel(_ letter: String) -> String { letter == "0-9" ? "0–9" : letter.uppercased() }

    /// Keys every template has: the site's, made once, and the page's own.
    func common(title: String, description: String, path: String, ogType: String = "website", noindex: Bool = false)
        -> [String: Any]
    {
        var data = siteKeys
        data["pageTitle"] = title == configuration.title ? title : "\(title) | \(configuration.title)"
        data["ogTitle"] = title
        data["pageDescription"] = description
        data["canonicalURL"] = urls.absolute(path)
        data["ogType"] = ogType
        data["noindex"] = noindex
        data["jsonLD"] = TemplateNull()
        return data
    }

    private static func siteKeys(
        configuration: SiteConfiguration, urls: SiteURLs, styleURL: String, letterLinks: [[String: Any]],
        letterCounts: [String: Int], pageCount: Int
    ) -> [String: Any] {
        [
            "siteTitle": configuration.title,
            "siteDescription": configuration.description,
            "siteLanguage": configuration.language,
            "siteRoot": urls.basePath,
            "baseURL": configuration.baseURL,
            "assetsRoot": urls.link("assets/"),
            "styleURL": styleURL,
            "searchURL": urls.link(SiteURLs.searchPath),
            "browseURL": urls.link(SiteURLs.letterPath(SiteCatalog.letters.first { letterCounts[$0] != nil } ?? "a")),
            "ingredientsURL": urls.link(SiteURLs.ingredientsPath),
            "apiIndexURL": urls.link("api/v1/index.json"),
            "letters": letterLinks,
            "pageCount": pageCount,
            // Open Graph wants language_TERRITORY (`en_IN`); a bare `en` says nothing it needs.
            "ogLocale": configuration.language.contains("-")
                ? configuration.language.replacingOccurrences(of: "-", with: "_") : TemplateNull(),
        ]
    }

    // MARK: Monograph pages

    /// The order sections appear in on every page, whatever order the source file had.
    static let sectionOrder: [SectionKind] = [
        .summary, .usage, .dosage, .howItWorks, .sideEffects, .precautions, .contraindications, .interactions,
        .pregnancy, .overdose, .storage, .alternateNames, .popularCombinations, .other,
    ]

    static let sectionTitles: [SectionKind: String] = [
        .summary: "Summary", .usage: "Uses", .dosage: "Dosage", .howItWorks: "How it works",
        .sideEffects: "Side effects", .precautions: "Precautions", .contraindications: "Who should not take it",
        .interactions: "Interactions", .pregnancy: "Pregnancy and breastfeeding", .overdose: "Overdose",
        .storage: "Storage", .alternateNames: "Other names", .popularCombinations: "Popular combinations",
    ]

    func monograph(_ monograph: Monograph, summary: PageSummary) -> [String: Any] {
        let path = SiteURLs.monographPath(monograph.id)
        let description = Self.description(of: monograph, summary: summary)
        var data = common(title: monograph.title, description: description, path: path, ogType: "article")
        data["jsonLD"] = StructuredData.medicalWebPage(
            summary, review: reviews.reviews[monograph.id]?.record ?? monograph.review, url: urls.absolute(path),
            siteTitle: configuration.title, siteURL: configuration.baseURL, language: configuration.language,
            description: description)
        let letter = SiteCatalog.letter(of: monograph.title)
        data["title"] = monograph.title
        data["kind"] = monograph.kind.rawValue
        data["kindLabel"] = Self.kindLabel(monograph.kind)
        data["letterLabel"] = Self.letterLabel(letter)
        data["letterURL"] = urls.link(SiteURLs.letterPath(letter))
        data["banned"] = monograph.flags.banned
        data.merge(RegulatoryText.values(for: monograph)) { _, new in new }
        data.merge(provenance(monograph, review: reviews.reviews[monograph.id])) { _, new in new }
        data["contributions"] = configuration.contributions.enabled
        data["suggestURL"] = "/_formulary/suggest?page=" + SiteURLs.queryValue(monograph.id)
        data["historyURL"] = "/_formulary/history?page=" + SiteURLs.queryValue(monograph.id)
        data["signOffURL"] = "/_formulary/sign-off?page=" + SiteURLs.queryValue(monograph.id)
        data["reportID"] = monograph.id
        data["reportSections"] = SectionText.reviewableNames(of: monograph.sections).filter { $0 != "preamble" }.map {
            ["name": $0, "title": SectionText.title(of: $0)]
        }
        // Only a date the text is known to have changed on (never the file's modification time).
        data["dateModified"] = summary.lastModified.isEmpty ? TemplateNull() : summary.lastModified
        data["dateModifiedLabel"] = Self.dateLabel(summary.lastModified)
        data["jsonURL"] = urls.link(SiteURLs.monographJSONPath(monograph.id))
        data["sourcePath"] = monograph.source.path

        let ingredients: [[String: Any]] = monograph.ingredients.map { ingredient in
            let page = catalog.singlePage(forIngredient: ingredient.name)
            let link: Any =
                page.flatMap { $0.id == monograph.id ? nil : urls.link(SiteURLs.monographPath($0.id)) }
                ?? TemplateNull()
            return ["name": ingredient.name, "strength": ingredient.strength?.text ?? TemplateNull(), "url": link]
        }
        data["hasIngredients"] = !ingredients.isEmpty
        data["ingredients"] = ingredients
        data["ingredientsLabel"] = monograph.ingredients.count > 1 ? "Ingredients" : "Ingredient"

        if let product = monograph.product {
            let target = catalog.target(ofBrand: summary)
            data["product"] =
                [
                    "company": product.company ?? TemplateNull(),
                    "strength": product.strength ?? TemplateNull(),
                    "packSize": product.packSize ?? TemplateNull(),
                    "mrp": product.mrp.map { JSONText.format($0) } ?? TemplateNull(),
                    "targetURL": target.map { urls.link(SiteURLs.monographPath($0.id)) } ?? TemplateNull(),
                    "targetTitle": target?.title ?? TemplateNull(),
                ] as [String: Any]
        } else {
            data["product"] = TemplateNull()
        }

        var sections: [[String: Any]] = []
        var anchors: Set<String> = ["faqs", "disclaimer-heading", "toc-heading", "main"]
        let shown = monograph.sections.filter { section in
            switch section.kind {
            case .genericName, .disclaimer, .note: return false
            case .faqs: return monograph.faqs.isEmpty && !section.markdown.isEmpty
            default: return !section.markdown.trimmingWhitespace().isEmpty
            }
        }
        let ordered = shown.enumerated().sorted { first, second in
            let a = Self.sectionOrder.firstIndex(of: first.element.kind == .faqs ? .other : first.element.kind) ?? 99
            let b = Self.sectionOrder.firstIndex(of: second.element.kind == .faqs ? .other : second.element.kind) ?? 99
            return (a, first.offset) < (b, second.offset)
        }.map(\.element)
        var kindCounts: [SectionKind: Int] = [:]
        for section in ordered { kindCounts[section.kind, default: 0] += 1 }
        // Each section's own "Suggest an edit", by the name the suggest form knows it by.
        var editNames: [Section: String] = [:]
        if configuration.contributions.enabled {
            for (section, name) in zip(monograph.sections, SectionNames.names(of: monograph.sections)) {
                if let name, editNames[section] == nil { editNames[section] = name }
            }
        }
        // What reviewers said of each section, when the page has sign-offs.
        var sectionChecks: [Section: [String: Any]] = [:]
        if let review = reviews.reviews[monograph.id] {
            let byName = Dictionary(review.sections.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for (section, name) in zip(monograph.sections, SectionNames.names(of: monograph.sections)) {
                guard let name, let state = byName[name] else { continue }
                sectionChecks[section] = Self.check(state)
            }
        }
        for section in ordered {
            let canonical = Self.sectionTitles[section.kind]
            let heading =
                (kindCounts[section.kind] == 1 ? canonical : nil)
                ?? Self.cleanHeading(section.heading, fallback: canonical)
            var anchor =
                section.kind == .other
                ? (Slug.make(heading).isEmpty ? "section" : Slug.make(heading)) : Slug.make(section.kind.rawValue)
            if anchors.contains(anchor) {
                var counter = 2
                while anchors.contains("\(anchor)-\(counter)") { counter += 1 }
                anchor = "\(anchor)-\(counter)"
            }
            anchors.insert(anchor)
            sections.append([
                "check": sectionChecks[section] ?? TemplateNull(),
                "anchor": anchor, "heading": heading, "kind": section.kind.rawValue,
                "html": MarkdownHTML.render(section.markdown),
                "editURL": editNames[section].map {
                    "/_formulary/suggest?page=" + SiteURLs.queryValue(monograph.id) + "&section="
                        + SiteURLs.queryValue($0)
                } ?? TemplateNull(),
            ])
        }
        data["sections"] = sections
        data["hasFAQs"] = !monograph.faqs.isEmpty
        data["faqs"] = monograph.faqs.map { ["question": $0.question, "answerHTML": MarkdownHTML.render($0.answer)] }
        var contents = sections.map { ["anchor": $0["anchor"]!, "heading": $0["heading"]!] }
        if !monograph.faqs.isEmpty { contents.append(["anchor": "faqs", "heading": "FAQs"]) }
        data["contents"] = contents
        data["hasContents"] = contents.count > 1
        let disclaimer = monograph.disclaimer ?? Self.standardDisclaimer
        data["disclaimerHTML"] = MarkdownHTML.render(disclaimer)
        data["noteHTML"] = monograph.section(.note).map { MarkdownHTML.render($0.markdown) } ?? ""
        return data
    }

    /// The badge and the line under a page's title: reviewed, partly reviewed (which sections,
    /// by whom, when; which changed since), or an AI draft nobody has checked.
    func provenance(_ monograph: Monograph, review: PageReview?) -> [String: Any] {
        var data: [String: Any] = [:]
        data["provenanceClass"] = monograph.flags.aiGenerated ? "provenance-draft" : "provenance-reviewed"
        // Front matter says a page is not AI-drafted (`ai_generated: false`) or names who
        // reviewed it; the badge says no more than that.
        data["provenanceLabel"] = monograph.flags.aiGenerated ? "AI draft, not reviewed" : "Written by people"
        data["provenanceText"] =
            monograph.flags.aiGenerated
            ? "Drafted with the help of AI; no person has checked it yet."
            : "Written or reviewed by people, not drafted by AI."
        data["reviewedBy"] = monograph.review?.by ?? TemplateNull()
        data["reviewedAt"] = monograph.review?.at ?? TemplateNull()
        data["reviewState"] = monograph.review == nil ? "not-reviewed" : "reviewed"
        data["reviewChecks"] = [[String: Any]]()
        if let review {
            data["reviewState"] = review.state.rawValue
            data["reviewChecks"] = review.sections.map { section in
                var check = Self.check(section)
                check["title"] = section.title
                return check
            }
            data["reviewedBy"] = review.reviewers.isEmpty ? TemplateNull() : review.reviewers.joined(separator: ", ")
            data["reviewedAt"] = review.lastReviewed ?? TemplateNull()
            switch review.state {
            case .reviewed:
                data["provenanceClass"] = "provenance-reviewed"
                data["provenanceLabel"] = "Reviewed"
                data["provenanceText"] =
                    "Every section checked by people, last on \(Self.dateLabel(review.lastReviewed ?? "")); "
                    + "who checked which is listed below."
            case .partlyReviewed:
                let checked = review.signedOff.map(\.title)
                data["provenanceClass"] = "provenance-partly"
                data["provenanceLabel"] = "Partly reviewed"
                data["provenanceText"] =
                    "\(checked.count) of \(review.sections.count) sections checked by people ("
                    + checked.joined(separator: ", ") + "); the rest is "
                    + (monograph.flags.aiGenerated ? "an AI draft " : "")
                    + "not checked yet."
            case .notReviewed:
                if !review.changed.isEmpty {
                    data["provenanceText"] =
                        (monograph.flags.aiGenerated ? "Drafted with the help of AI. " : "")
                        + "Sections checked before have changed since; no section stands checked."
                }
            }
        } else if let legacy = monograph.review {
            data["provenanceClass"] = "provenance-reviewed"
            data["provenanceLabel"] = "Reviewed"
            data["provenanceText"] =
                "Reviewed by \(legacy.by)" + (legacy.at.map { " on \(Self.dateLabel($0))" } ?? "") + "."
        }
        data["hasReviewChecks"] = !(data["reviewChecks"] as? [[String: Any]] ?? []).isEmpty
        return data
    }

    /// One section's check, for the template: `state` (`checked`, `changed`, `not-checked`) and
    /// a sentence: "Checked by a pharmacist, A. Sharma, 3 December 2026."
    static func check(_ section: PageReview.Section) -> [String: Any] {
        func who(_ signOff: SignOff) -> String {
            guard let qualification = signOff.qualifications.first else { return signOff.reviewer }
            let article = "aeiou".contains(qualification.lowercased().first ?? "x") ? "an" : "a"
            return "\(article) \(qualification), \(signOff.reviewer)"
        }
        if let signOff = section.signedOff {
            return [
                "state": "checked",
                "text": "Checked by \(who(signOff)), \(dateLabel(String(signOff.at.prefix(10)))).",
            ]
        }
        if let old = section.changedSince {
            return [
                "state": "changed",
                "text":
                    "Changed since \(who(old))\(old.qualifications.isEmpty ? "" : ",") checked it on "
                    + "\(dateLabel(String(old.at.prefix(10)))); not checked since.",
            ]
        }
        return ["state": "not-checked", "text": "Not checked by a person yet."]
    }

    static let standardDisclaimer =
        "This information is for general knowledge only and is not medical advice. Always consult a doctor or pharmacist about your own treatment."

    static func kindLabel(_ kind: MonographKind) -> String {
        switch kind {
        case .single: return "Medicine"
        case .combination: return "Combination"
        case .brand: return "Brand"
        }
    }

    /// `2025-09-22` as `22 September 2025`.
    static func dateLabel(_ date: String) -> String {
        let parts = date.split(separator: "-")
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]) else {
            return date
        }
        return "\(day) \(months[month - 1]) \(parts[0])"
    }

    /// A source heading without its Markdown emphasis or trailing colon.
    static func cleanHeading(_ heading: String, fallback: String?) -> String {
        var text = heading.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            .trimmingWhitespace()
        while text.hasSuffix(":") { text = String(text.dropLast()).trimmingWhitespace() }
        if text.isEmpty { return fallback ?? "More information" }
        return text
    }

    /// The front matter's description, or the first sentence or two of the uses.
    static func description(of monograph: Monograph, summary: PageSummary) -> String {
        if let description = monograph.description, !description.isEmpty { return description }
        let source = (monograph.section(.usage) ?? monograph.section(.summary))?.markdown ?? ""
        var plain = ""
        var length = 0  // characters in `plain` (`plain.count` walks the whole string)
        var pendingSpace = false
        var inTag = false
        var inLinkTarget = false
        var previous: Character = " "
        for character in source {
            defer { previous = character }
            // Raw HTML and link targets are not text: `<b>`, `(https://...)` after `]`.
            if inTag {
                if character == ">" { inTag = false }
                continue
            }
            if inLinkTarget {
                if character == ")" { inLinkTarget = false }
                continue
            }
            if character == "<" {
                inTag = true
                continue
            }
            if character == "(" && previous == "]" {
                inLinkTarget = true
                continue
            }
            if character == "*" || character == "_" || character == "#" || character == "`" || character == "["
                || character == "]"
            {
                continue
            }
            if character.isWhitespace {
                pendingSpace = !plain.isEmpty
                continue
            }
            if pendingSpace {
                plain.append(" ")
                length += 1
            }
            pendingSpace = false
            plain.append(character)
            length += 1
            if length >= 155 { break }
        }
        if plain.isEmpty {
            return "\(monograph.title): uses, dosage, side effects and precautions in plain language."
        }
        if length >= 155, let space = plain.lastIndex(of: " ") { plain = String(plain[..<space]) + "…" }
        return plain
    }

    // MARK: Index pages

    func home() -> [String: Any] {
        var data = common(title: configuration.title, description: configuration.description, path: "")
        data["letters"] = letterLinks
        var kinds: [[String: Any]] = []
        let counts = Dictionary(grouping: catalog.pages, by: \.kind).mapValues(\.count)
        for (kind, label) in [(MonographKind.single, "medicines"), (.combination, "combinations"), (.brand, "brands")] {
            if let count = counts[kind] { kinds.append(["count": count, "label": label]) }
        }
        data["kinds"] = kinds
        data["ingredientCount"] = catalog.ingredients.count
        let banned = catalog.pages.filter(\.banned).count
        data["bannedCount"] = banned
        data["hasBanned"] = banned > 0
        // No more than the sign-offs show.
        let reviewed = reviews.counts(catalog)
        data["reviewedCount"] = reviewed.reviewed
        data["partlyReviewedCount"] = reviewed.partly
        data["hasPartlyReviewed"] = reviewed.partly > 0
        data["notReviewedCount"] = catalog.pages.count - reviewed.reviewed - reviewed.partly
        let drafts = catalog.pages.filter { $0.aiGenerated && reviews.state(of: $0) == .notReviewed }.count
        data["aiDraftCount"] = drafts
        data["hasAIDrafts"] = drafts > 0
        data["coverageURL"] = configuration.contributions.enabled ? "/_formulary/coverage" : TemplateNull()
        var json = JSONText()
        json.openObject()
        json.string("@context", "https://schema.org")
        json.string("@type", "WebSite")
        json.string("name", configuration.title)
        json.string("url", configuration.baseURL)
        json.openObject("potentialAction")
        json.string("@type", "SearchAction")
        json.string("target", urls.absolute(SiteURLs.searchPath) + "?q={search_term_string}")
        json.string("query-input", "required name=search_term_string")
        json.closeObject()
        json.closeObject()
        data["jsonLD"] = json.text
        return data
    }

    func letter(_ letter: String, pages: [PageSummary]) -> [String: Any] {
        let label = Self.letterLabel(letter)
        var data = common(
            title: "Medicines: \(label)", description: "Medicines starting with \(label), A–Z.",
            path: SiteURLs.letterPath(letter))
        data["heading"] = "Medicines: \(label)"
        data["letters"] = letterLinks.map { link -> [String: Any] in
            var link = link
            link["current"] = (link["label"] as? String) == label
            return link
        }
        data["entryCount"] = pages.count
        data["entries"] = pages.map { page -> [String: Any] in
            [
                "title": page.title, "url": urls.link(SiteURLs.monographPath(page.id)), "kind": page.kind.rawValue,
                "kindLabel": Self.kindLabel(page.kind), "banned": page.banned,
            ]
        }
        return data
    }

    func ingredients() -> [String: Any] {
        var data = common(
            title: "Active ingredients",
            description: "Every active ingredient, with the medicines, combinations and brands that contain it.",
            path: SiteURLs.ingredientsPath)
        var groups: [String: [[String: Any]]] = [:]
        for entry in catalog.ingredients {
            groups[SiteCatalog.letter(of: entry.name), default: []].append([
                "name": entry.name, "url": urls.link(SiteURLs.ingredientPath(entry)), "count": entry.pages.count,
            ])
        }
        data["groups"] = SiteCatalog.letters.compactMap { letter -> [String: Any]? in
            groups[letter].map { ["id": letter, "label": Self.letterLabel(letter), "items": $0] }
        }
        data["ingredientCount"] = catalog.ingredients.count
        return data
    }

    /// The ingredients starting with one letter, each with every page that contains it.
    func ingredientLetter(_ letter: String, entries: [SiteCatalog.IngredientEntry], letters: [String]) -> [String: Any]
    {
        let label = Self.letterLabel(letter)
        var data = common(
            title: "Ingredients: \(label)",
            description:
                "Active ingredients starting with \(label), with the medicines, combinations and brands that contain them.",
            path: SiteURLs.ingredientLetterPath(letter))
        data["heading"] = "Ingredients: \(label)"
        data["letters"] = letters.map { other -> [String: Any] in
            [
                "label": Self.letterLabel(other), "url": urls.link(SiteURLs.ingredientLetterPath(other)),
                "current": other == letter,
            ]
        }
        data["ingredients"] = entries.map { entry -> [String: Any] in
            var byKind: [MonographKind: [[String: Any]]] = [:]
            for index in entry.pages {
                let page = catalog.pages[index]
                byKind[page.kind, default: []].append([
                    "title": page.title, "url": urls.link(SiteURLs.monographPath(page.id)), "banned": page.banned,
                ])
            }
            let groups = [(MonographKind.single, "On its own"), (.combination, "In combinations"), (.brand, "Brands")]
                .compactMap { kind, label -> [String: Any]? in
                    byKind[kind].map { ["label": label, "entries": $0] }
                }
            return ["name": entry.name, "anchor": entry.slug, "count": entry.pages.count, "groups": groups]
        }
        return data
    }

    func search(indexURL: String) -> [String: Any] {
        var data = common(
            title: "Search", description: "Search medicines by name, brand, ingredient or spelling variant.",
            path: SiteURLs.searchPath, noindex: true)
        data["searchIndexURL"] = indexURL
        data["missesURL"] = configuration.contributions.enabled ? "/_formulary/search-miss" : TemplateNull()
        return data
    }

    func notFound() -> [String: Any] {
        common(title: "Page not found", description: "This page does not exist.", path: "404.html", noindex: true)
    }
}
