import FormularyModel
import FormularyParsing

/// schema.org markup for a monograph page: a `MedicalWebPage` whose main entity is the `Drug`.
enum StructuredData {
    static func medicalWebPage(
        _ page: PageSummary, review: Review?, url: String, siteTitle: String, siteURL: String, language: String,
        description: String
    ) -> String {
        var json = JSONText()
        json.openObject()
        json.string("@context", "https://schema.org")
        json.string("@type", "MedicalWebPage")
        json.string("name", page.title)
        json.string("url", url)
        json.string("description", description)
        json.string("inLanguage", language)
        if !page.lastModified.isEmpty { json.string("dateModified", page.lastModified) }
        // Only for a page reviewed as a whole: a partly reviewed page has no single review date.
        if let review, review.isWhole, !review.by.isEmpty {
            if let date = review.at { json.string("lastReviewed", date) }
            let names = review.state == nil ? [review.by] : review.by.components(separatedBy: ", ")
            if names.count == 1 {
                json.openObject("reviewedBy")
                json.string("@type", "Person")
                json.string("name", names[0])
                json.closeObject()
            } else {
                json.openArray("reviewedBy")
                for name in names {
                    json.openObject()
                    json.string("@type", "Person")
                    json.string("name", name)
                    json.closeObject()
                }
                json.closeArray()
            }
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
        if page.banned {
            json.openObject("legalStatus")
            json.string("@type", "DrugLegalStatus")
            json.string("name", "Prohibited in India (fixed-dose combination banned by Gazette notification)")
            json.openObject("applicableLocation")
            json.string("@type", "Country")
            json.string("name", "India")
            json.closeObject()
            json.closeObject()
        }
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
