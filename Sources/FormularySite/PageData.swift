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
    private let siteKeys: [String: Any]
    let reviews: SiteReviews
    /// The language of these pages, their words, and the site's other languages.
    let edition: SiteEditions.Edition
    let editions: SiteEditions
    var strings: SiteStrings { edition.strings }
    /// Links to the site's root (the main language), for what all editions share: assets,
    /// the search index, the contribution pages.
    let rootURLs: SiteURLs

    init(
        configuration: SiteConfiguration, editions: SiteEditions, edition: SiteEditions.Edition? = nil,
        styleVersion: String, reviews: SiteReviews = .none
    ) {
        let edition = edition ?? editions.main
        self.configuration = configuration
        self.reviews = reviews
        self.edition = edition
        self.editions = editions
        self.rootURLs = SiteURLs(baseURL: configuration.baseURL, basePath: configuration.basePath)
        self.urls = SiteURLs(
            baseURL: configuration.baseURL + edition.prefix, basePath: configuration.basePath + edition.prefix)
        let catalog = edition.catalog
        self.catalog = catalog
        self.styleURL = rootURLs.link("assets/style.css?v=" + styleVersion)
        var counts: [String: Int] = [:]
        for (letter, pages) in catalog.pagesByLetter { counts[letter] = pages.count }
        let urls = self.urls
        self.letterLinks = catalog.pagesByLetter.map(\.letter).map { letter in
            [
                "label": Self.letterLabel(letter), "url": urls.link(SiteURLs.letterPath(letter)),
                "count": counts[letter]!,
            ]
        }
        var keys = Self.siteKeys(
            configuration: configuration, urls: urls, rootURLs: rootURLs, styleURL: styleURL,
            letterLinks: letterLinks, firstLetter: catalog.pagesByLetter.first?.letter ?? "a",
            pageCount: catalog.pages.count, edition: edition)
        keys["t"] = TemplateWords(
            edition.strings.templateValues(siteTitle: configuration.title),
            fingerprint: edition.strings.fingerprint + configuration.title)
        self.siteKeys = keys
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

    /// Keys every template has: the site's, made once, and the page's own. `id`: the medicine
    /// a monograph page shows, for its language switch; nil for a page every language has at
    /// the same path (home, search, ingredients); `hasEveryLanguage` false for one only this
    /// language has (a letter page, whose letters differ).
    func common(
        title: String, description: String, path: String, ogType: String = "website", noindex: Bool = false,
        id: String? = nil, hasEveryLanguage: Bool = true
    )
        -> [String: Any]
    {
        var data = siteKeys
        if editions.isMultilingual {
            data.merge(languageKeys(path: path, id: id, hasEveryLanguage: hasEveryLanguage)) { _, new in new }
        }
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
        configuration: SiteConfiguration, urls: SiteURLs, rootURLs: SiteURLs, styleURL: String,
        letterLinks: [[String: Any]], firstLetter: String, pageCount: Int, edition: SiteEditions.Edition
    ) -> [String: Any] {
        [
            "siteTitle": configuration.title,
            "siteDescription": configuration.description,
            "siteLanguage": edition.language,
            "siteRoot": urls.basePath,
            "baseURL": urls.baseURL,
            "assetsRoot": rootURLs.link("assets/"),
            "styleURL": styleURL,
            "searchURL": urls.link(SiteURLs.searchPath),
            "browseURL": urls.link(SiteURLs.letterPath(firstLetter)),
            "ingredientsURL": urls.link(SiteURLs.ingredientsPath),
            "apiIndexURL": urls.link("api/v1/index.json"),
            "letters": letterLinks,
            "pageCount": pageCount,
            // Open Graph wants language_TERRITORY (`en_IN`); a bare `en` says nothing it needs.
            "ogLocale": edition.language.contains("-")
                ? edition.language.replacingOccurrences(of: "-", with: "_") : TemplateNull(),
            "hasLanguages": false,
            "languages": [[String: Any]](),
            "alternates": [[String: Any]](),
        ]
    }

    /// The language switch (`languages`: each language's name, in its own words, linking to this
    /// page in it, or to its home page with a note when the page is not translated) and the
    /// `hreflang` alternates of the languages the page exists in.
    private func languageKeys(path: String, id: String?, hasEveryLanguage: Bool) -> [String: Any] {
        var languages: [[String: Any]] = []
        var alternates: [[String: Any]] = []
        let available = id.map { Set(editions.languages(of: $0)) }
        for other in editions.editions {
            let exists = available?.contains(other.language) ?? hasEveryLanguage || other.language == edition.language
            let target = exists ? other.prefix + path : other.prefix
            languages.append([
                "code": other.language, "name": other.strings["languageName"],
                "url": rootURLs.link(target), "current": other.language == edition.language,
                "note": exists
                    ? TemplateNull()
                    : strings.text("notTranslated", ["language": other.strings["languageName"]]) as Any,
            ])
            if exists {
                alternates.append(["hreflang": other.language, "url": rootURLs.absolute(other.prefix + path)])
            }
        }
        if alternates.count > 1, available?.contains(editions.main.language) ?? true {
            alternates.append(["hreflang": "x-default", "url": rootURLs.absolute(editions.main.prefix + path)])
        } else {
            alternates = []
        }
        return ["hasLanguages": true, "languages": languages, "alternates": alternates]
    }

    // MARK: Monograph pages

    /// The order sections appear in on every page, whatever order the source file had.
    static let sectionOrder: [SectionKind] = [
        .summary, .usage, .dosage, .howItWorks, .sideEffects, .precautions, .contraindications, .interactions,
        .pregnancy, .overdose, .storage, .alternateNames, .popularCombinations, .other,
    ]

    /// The key of each kind's heading in the strings.
    static let sectionTitleKeys: [SectionKind: String] = [
        .summary: "sectionSummary", .usage: "sectionUsage", .dosage: "sectionDosage", .howItWorks: "sectionHowItWorks",
        .sideEffects: "sectionSideEffects", .precautions: "sectionPrecautions",
        .contraindications: "sectionContraindications", .interactions: "sectionInteractions",
        .pregnancy: "sectionPregnancy", .overdose: "sectionOverdose", .storage: "sectionStorage",
        .alternateNames: "sectionAlternateNames", .popularCombinations: "sectionPopularCombinations",
    ]

    /// A section's heading in these pages' words (`Dosage`, `खुराक`), by its review name.
    func sectionTitle(ofName name: String) -> String { strings.sectionTitle(ofName: name) }

    func monograph(_ monograph: Monograph, summary: PageSummary) -> [String: Any] {
        let path = SiteURLs.monographPath(monograph.id)
        let description = Self.description(of: monograph, summary: summary, strings: strings)
        var data = common(
            title: monograph.title, description: description, path: path, ogType: "article", id: monograph.id)
        let review = reviews.reviews[monograph.address]
        data["jsonLD"] = StructuredData.medicalWebPage(
            summary, review: review?.record ?? monograph.review, url: urls.absolute(path),
            siteTitle: configuration.title, siteURL: configuration.baseURL, language: edition.language,
            description: description)
        let letter = SiteCatalog.letters(of: monograph.title, scheme: catalog.letterScheme)[0]
        data["title"] = monograph.title
        data["kind"] = monograph.kind.rawValue
        data["kindLabel"] = kindLabel(monograph.kind)
        data["letterLabel"] = Self.letterLabel(letter)
        data["letterURL"] = urls.link(SiteURLs.letterPath(letter))
        data["banned"] = monograph.flags.banned
        data.merge(RegulatoryText.values(for: monograph, strings: strings)) { _, new in new }
        data.merge(provenance(monograph, review: review)) { _, new in new }
        data.merge(translation(monograph)) { _, new in new }
        data["contributions"] = configuration.contributions.enabled
        data["suggestURL"] = "/_formulary/suggest?page=" + SiteURLs.queryValue(monograph.address)
        data["historyURL"] = "/_formulary/history?page=" + SiteURLs.queryValue(monograph.address)
        data["signOffURL"] = "/_formulary/sign-off?page=" + SiteURLs.queryValue(monograph.address)
        data["reportID"] = monograph.address
        data["reportSections"] = SectionText.reviewableNames(of: monograph.sections).filter { $0 != "preamble" }.map {
            ["name": $0, "title": sectionTitle(ofName: $0)]
        }
        // Only a date the text is known to have changed on (never the file's modification time).
        data["dateModified"] = summary.lastModified.isEmpty ? TemplateNull() : summary.lastModified
        data["dateModifiedLabel"] = strings.date(summary.lastModified)
        data["lastUpdatedHTML"] = strings.html(
            "lastUpdated",
            [
                "date": "<time datetime=\"\(HTMLText.escaped(summary.lastModified))\">"
                    + HTMLText.escaped(strings.date(summary.lastModified)) + "</time>"
            ])
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
        data["ingredientsLabel"] = strings[monograph.ingredients.count > 1 ? "ingredientsLabel" : "ingredientLabel"]

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
        if let review {
            let byName = Dictionary(review.sections.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for (section, name) in zip(monograph.sections, SectionNames.names(of: monograph.sections)) {
                guard let name, let state = byName[name] else { continue }
                sectionChecks[section] = check(state)
            }
        }
        for section in ordered {
            let canonical = Self.sectionTitleKeys[section.kind].map { strings[$0] }
            let heading =
                (kindCounts[section.kind] == 1 ? canonical : nil)
                ?? Self.cleanHeading(section.heading, fallback: canonical ?? strings["moreInformation"])
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
                    "/_formulary/suggest?page=" + SiteURLs.queryValue(monograph.address) + "&section="
                        + SiteURLs.queryValue($0)
                } ?? TemplateNull(),
                "editLabel": strings.text("suggestEditTo", ["section": heading]),
            ])
        }
        data["sections"] = sections
        data["hasFAQs"] = !monograph.faqs.isEmpty
        data["faqs"] = monograph.faqs.map { ["question": $0.question, "answerHTML": MarkdownHTML.render($0.answer)] }
        var contents = sections.map { ["anchor": $0["anchor"]!, "heading": $0["heading"]!] }
        if !monograph.faqs.isEmpty { contents.append(["anchor": "faqs", "heading": strings["faqsShort"]]) }
        data["contents"] = contents
        data["hasContents"] = contents.count > 1
        let disclaimer = monograph.disclaimer ?? strings["standardDisclaimer"]
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
        data["provenanceLabel"] = strings[monograph.flags.aiGenerated ? "aiDraftLabel" : "peopleLabel"]
        data["provenanceText"] = strings[monograph.flags.aiGenerated ? "aiDraftText" : "peopleText"]
        data["reviewedBy"] = monograph.review?.by ?? TemplateNull()
        data["reviewedAt"] = monograph.review?.at ?? TemplateNull()
        data["reviewState"] = monograph.review == nil ? "not-reviewed" : "reviewed"
        data["reviewChecks"] = [[String: Any]]()
        if let review {
            data["reviewState"] = review.state.rawValue
            data["reviewChecks"] = review.sections.map { section in
                var check = check(section)
                check["title"] = sectionTitle(ofName: section.name)
                return check
            }
            data["reviewedBy"] = review.reviewers.isEmpty ? TemplateNull() : review.reviewers.joined(separator: ", ")
            data["reviewedAt"] = review.lastReviewed ?? TemplateNull()
            switch review.state {
            case .reviewed:
                data["provenanceClass"] = "provenance-reviewed"
                data["provenanceLabel"] = strings["reviewedLabel"]
                data["provenanceText"] = strings.text("reviewedText", ["date": strings.date(review.lastReviewed ?? "")])
            case .partlyReviewed:
                let checked = review.signedOff.map { sectionTitle(ofName: $0.name) }
                data["provenanceClass"] = "provenance-partly"
                data["provenanceLabel"] = strings["partlyLabel"]
                data["provenanceText"] = strings.text(
                    monograph.flags.aiGenerated ? "partlyDraftText" : "partlyText",
                    [
                        "checked": String(checked.count), "sections": String(review.sections.count),
                        "names": checked.joined(separator: ", "),
                    ])
            case .notReviewed:
                if !review.changed.isEmpty {
                    data["provenanceText"] = strings[monograph.flags.aiGenerated ? "changedDraftText" : "changedText"]
                }
            }
        } else if let legacy = monograph.review {
            data["provenanceClass"] = "provenance-reviewed"
            data["provenanceLabel"] = strings["reviewedLabel"]
            data["provenanceText"] =
                legacy.at.map { strings.text("reviewedByOnText", ["name": legacy.by, "date": strings.date($0)]) }
                ?? strings.text("reviewedByText", ["name": legacy.by])
        }
        data["hasReviewChecks"] = !(data["reviewChecks"] as? [[String: Any]] ?? []).isEmpty
        return data
    }

    /// A translation's note: what it was translated from, and whether that page changed since.
    func translation(_ monograph: Monograph) -> [String: Any] {
        guard let translation = monograph.translation, !edition.isMain else {
            return ["isTranslation": false, "translationOutdated": false, "translationHTML": TemplateNull()]
        }
        let source = editions.main.strings["languageName"]
        let link =
            "<a href=\"\(HTMLText.escaped(rootURLs.link(SiteURLs.monographPath(monograph.id))))\" hreflang=\"\(HTMLText.escaped(editions.main.language))\">"
        let outdated = translation.outdated ?? false
        return [
            "isTranslation": true, "translationOutdated": outdated,
            "translationHTML": strings.html(
                outdated ? "translationOutdated" : "translationOf",
                ["language": link + HTMLText.escaped(source) + "</a>"]),
        ]
    }

    /// One section's check, for the template: `state` (`checked`, `changed`, `not-checked`) and
    /// a sentence: "Checked by a pharmacist, A. Sharma, 3 December 2026."
    func check(_ section: PageReview.Section) -> [String: Any] {
        func who(_ signOff: SignOff) -> String {
            guard let qualification = signOff.qualifications.first else { return signOff.reviewer }
            let vowel = "aeiou".contains(qualification.lowercased().first ?? "x")
            return strings.text(
                vowel ? "reviewerWithQualificationVowel" : "reviewerWithQualification",
                ["qualification": qualification, "name": signOff.reviewer])
        }
        if let signOff = section.signedOff {
            return [
                "state": "checked",
                "text": strings.text(
                    "checkedBy", ["who": who(signOff), "date": strings.date(String(signOff.at.prefix(10)))]),
            ]
        }
        if let old = section.changedSince {
            return [
                "state": "changed",
                "text": strings.text(
                    old.qualifications.isEmpty ? "changedSince" : "changedSinceQualified",
                    ["who": who(old), "date": strings.date(String(old.at.prefix(10)))]),
            ]
        }
        return ["state": "not-checked", "text": strings["notChecked"]]
    }

    func kindLabel(_ kind: MonographKind) -> String {
        switch kind {
        case .single: return strings["kindMedicine"]
        case .combination: return strings["kindCombination"]
        case .brand: return strings["kindBrand"]
        }
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
    static func description(of monograph: Monograph, summary: PageSummary, strings: SiteStrings) -> String {
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
            return strings.text("pageDescription", ["title": monograph.title])
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
        for (kind, label) in [
            (MonographKind.single, "countMedicines"), (.combination, "countCombinations"), (.brand, "countBrands"),
        ] {
            if let count = counts[kind] { kinds.append(["count": count, "label": strings[label]]) }
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
        func strong(_ count: Int) -> String { "<strong>\(count)</strong>" }
        var coverage = strings.html(
            "coverageReviewed", ["reviewed": strong(reviewed.reviewed), "pages": String(catalog.pages.count)])
        if reviewed.partly > 0 { coverage += strings.html("coveragePartly", ["partly": strong(reviewed.partly)]) }
        coverage += strings.html(
            "coverageNotReviewed", ["notReviewed": String(catalog.pages.count - reviewed.reviewed - reviewed.partly)])
        if drafts > 0 { coverage += strings.html("coverageDrafts", ["drafts": String(drafts)]) }
        data["coverageHTML"] = coverage + strings.html("coverageEnd")
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
            title: strings.text("letterTitle", ["letter": label]),
            description: strings.text("letterDescription", ["letter": label]),
            path: SiteURLs.letterPath(letter), hasEveryLanguage: false)
        data["heading"] = strings.text("letterTitle", ["letter": label])
        data["letters"] = letterLinks.map { link -> [String: Any] in
            var link = link
            link["current"] = (link["label"] as? String) == label
            return link
        }
        data["entryCount"] = pages.count
        data["entryCountText"] = strings.text("letterCount", ["count": String(pages.count)])
        data["entries"] = pages.map { page -> [String: Any] in
            [
                "title": page.title, "url": urls.link(SiteURLs.monographPath(page.id)), "kind": page.kind.rawValue,
                "kindLabel": kindLabel(page.kind), "banned": page.banned,
            ]
        }
        return data
    }

    func ingredients() -> [String: Any] {
        var data = common(
            title: strings["ingredientsTitle"], description: strings["ingredientsDescription"],
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
        data["ingredientCountText"] = strings.text("ingredientsCount", ["count": String(catalog.ingredients.count)])
        return data
    }

    /// The ingredients starting with one letter, each with every page that contains it.
    func ingredientLetter(_ letter: String, entries: [SiteCatalog.IngredientEntry], letters: [String]) -> [String: Any]
    {
        let label = Self.letterLabel(letter)
        var data = common(
            title: strings.text("ingredientLetterTitle", ["letter": label]),
            description: strings.text("ingredientLetterDescription", ["letter": label]),
            path: SiteURLs.ingredientLetterPath(letter), hasEveryLanguage: false)
        data["heading"] = strings.text("ingredientLetterTitle", ["letter": label])
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
            let groups = [
                (MonographKind.single, "onItsOwn"), (.combination, "inCombinations"), (.brand, "brandsGroup"),
            ]
            .compactMap { kind, label -> [String: Any]? in
                byKind[kind].map { ["label": strings[label], "entries": $0] }
            }
            return ["name": entry.name, "anchor": entry.slug, "count": entry.pages.count, "groups": groups]
        }
        return data
    }

    func search(indexURL: String) -> [String: Any] {
        var data = common(
            title: strings["searchTitle"], description: strings["searchDescription"], path: SiteURLs.searchPath,
            noindex: true)
        data["searchIndexURL"] = indexURL
        data["searchRoot"] = rootURLs.basePath
        data["noScriptHTML"] = strings.html("searchNeedsJavaScript", browseLinks)
        var json = JSONText()
        json.openObject()
        for key in [
            "searchNothing", "searchOne", "searchMany", "searchManyShown", "searchUnavailable",
            "kindMedicine", "kindCombination", "kindBrand", "prohibitedBadge",
        ] {
            json.string(key, strings[key])
        }
        json.closeObject()
        data["searchStrings"] = json.text
        data["missesURL"] = configuration.contributions.enabled ? "/_formulary/search-miss" : TemplateNull()
        return data
    }

    func notFound() -> [String: Any] {
        var data = common(
            title: strings["notFoundTitle"], description: strings["notFoundDescription"], path: "404.html",
            noindex: true)
        data["notFoundBrowseHTML"] = strings.html("notFoundBrowse", browseLinks)
        return data
    }

    /// `{az}` and `{ingredients}`: links to the A–Z and ingredient indexes, in sentences that
    /// point readers to them.
    private var browseLinks: [String: String] {
        [
            "az": "<a href=\"\(HTMLText.escaped(siteKeys["browseURL"] as? String ?? ""))\">"
                + HTMLText.escaped(strings["azList"]) + "</a>",
            "ingredients": "<a href=\"\(HTMLText.escaped(urls.link(SiteURLs.ingredientsPath)))\">"
                + HTMLText.escaped(strings["ingredientIndex"]) + "</a>",
        ]
    }
}
