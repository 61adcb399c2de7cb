import FormularyModel
import FormularyParsing
import FormularyReview

// What a medicine's page shows.

extension PageData {

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
}
