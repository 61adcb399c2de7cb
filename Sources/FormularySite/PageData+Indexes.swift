import FormularyModel
import FormularyParsing
import FormularyReview

// What the home, A–Z, ingredient, search and 404 pages show.

extension PageData {

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
    var browseLinks: [String: String] {
        [
            "az": "<a href=\"\(HTMLText.escaped(siteKeys["browseURL"] as? String ?? ""))\">"
                + HTMLText.escaped(strings["azList"]) + "</a>",
            "ingredients": "<a href=\"\(HTMLText.escaped(urls.link(SiteURLs.ingredientsPath)))\">"
                + HTMLText.escaped(strings["ingredientIndex"]) + "</a>",
        ]
    }
}
