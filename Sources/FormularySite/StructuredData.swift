import FormularyModel
import FormularyParsing

/// schema.org markup for a monograph page: a `MedicalWebPage` whose main entity is the `Drug`.
enum StructuredData {
    static func medicalWebPage(
        _ page: PageSummary, url: String, siteTitle: String, siteURL: String, language: String, description: String
    ) -> String {
        var json = JSONText()
        json.openObject()
        json.string("@context", "https://schema.org")
        json.string("@type", "MedicalWebPage")
        json.string("name", page.title)
        json.string("url", url)
        json.string("description", description)
        json.string("inLanguage", language)
        json.string("dateModified", page.lastModified)
        if let review = page.review {
            if let date = review.at { json.string("lastReviewed", date) }
            json.openObject("reviewedBy")
            json.string("@type", "Person")
            json.string("name", review.by)
            json.closeObject()
        }
        json.openObject("isPartOf")
        json.string("@type", "WebSite")
        json.string("name", siteTitle)
        json.string("url", siteURL)
        json.closeObject()
        json.openObject("mainEntity")
        json.string("@type", "Drug")
        json.string("name", page.title)
        let names = page.ingredients.map(\.name)
        if !names.isEmpty {
            json.string("nonProprietaryName", names.joined(separator: " + "))
            json.string("activeIngredient", names.joined(separator: ", "))
        }
        json.bool("isProprietary", page.kind == .brand)
        let strengths = page.ingredients.compactMap { ingredient in ingredient.strength.map { (ingredient.name, $0) } }
        if !strengths.isEmpty {
            json.openArray("availableStrength")
            for (name, strength) in strengths {
                json.openObject()
                json.string("@type", "DrugStrength")
                json.string("activeIngredient", name)
                json.number("strengthValue", strength.value)
                json.string("strengthUnit", unitText(strength))
                json.closeObject()
            }
            json.closeArray()
        }
        json.closeObject()
        json.closeObject()
        return json.text
    }

    /// `mg`, `mg/5ml`, `% w/w`.
    static func unitText(_ strength: Strength) -> String {
        var unit = strength.unit
        if let per = strength.per {
            unit += "/" + (per.value == 1 ? "" : JSONText.format(per.value)) + per.unit
        }
        return unit
    }
}

/// A record as JSON, in the contract's shape and with the contract's key order (sorted, as
/// `formulary show --format json` writes it), for the API files a build writes 11,000 times.
/// A test checks it against `JSONEncoder` over the whole corpus.
enum MonographJSON {
    static func encode(_ monograph: Monograph) -> String {
        var json = JSONText()
        json.openObject()
        json.string("collection", monograph.collection)
        if let description = monograph.description { json.string("description", description) }
        if let disclaimer = monograph.disclaimer {
            json.string("disclaimer", disclaimer)
        } else {
            json.null("disclaimer")
        }
        json.openArray("faqs")
        for faq in monograph.faqs {
            json.openObject()
            json.string("answer", faq.answer)
            json.string("question", faq.question)
            json.closeObject()
        }
        json.closeArray()
        json.openObject("flags")
        json.bool("aiGenerated", monograph.flags.aiGenerated)
        json.bool("banned", monograph.flags.banned)
        json.closeObject()
        json.string("id", monograph.id)
        json.openArray("ingredients")
        for ingredient in monograph.ingredients {
            json.openObject()
            json.string("name", ingredient.name)
            if let strength = ingredient.strength {
                json.openObject("strength")
                if let per = strength.per {
                    json.openObject("per")
                    json.string("unit", per.unit)
                    json.number("value", per.value)
                    json.closeObject()
                } else {
                    json.null("per")
                }
                json.string("text", strength.text)
                json.string("unit", strength.unit)
                json.number("value", strength.value)
                json.closeObject()
            } else {
                json.null("strength")
            }
            json.closeObject()
        }
        json.closeArray()
        json.string("kind", monograph.kind.rawValue)
        if let lastModified = monograph.lastModified { json.string("lastModified", lastModified) }
        if let product = monograph.product {
            json.openObject("product")
            if let value = product.combinationSlug { json.string("combinationSlug", value) }
            if let value = product.company { json.string("company", value) }
            if let value = product.genericSlug { json.string("genericSlug", value) }
            if let value = product.mrp { json.number("mrp", value) }
            if let value = product.packSize { json.string("packSize", value) }
            if let value = product.strength { json.string("strength", value) }
            json.closeObject()
        }
        json.openArray("sections")
        for section in monograph.sections {
            json.openObject()
            json.string("heading", section.heading)
            json.string("kind", section.kind.rawValue)
            json.number("line", Double(section.line))
            json.string("markdown", section.markdown)
            json.closeObject()
        }
        json.closeArray()
        json.string("slug", monograph.slug)
        json.openObject("source")
        json.string("headingStyle", monograph.source.headingStyle.rawValue)
        json.string("path", monograph.source.path)
        json.closeObject()
        json.string("title", monograph.title)
        json.closeObject()
        return json.text
    }
}
