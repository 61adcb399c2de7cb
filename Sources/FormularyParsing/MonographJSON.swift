import FormularyModel

/// A record as JSON, in the contract's shape and with the contract's key order (sorted, as
/// `formulary show --format json` writes it), for the API files a build writes 11,000 times.
/// Tests check it byte for byte against `JSONEncoder` (`htmlSafe: false`) over the corpus and
/// hand-made records.
public enum MonographJSON {
    /// The record as JSON text; `htmlSafe` as `JSONText.htmlSafe`.
    public static func encode(_ monograph: Monograph, htmlSafe: Bool = true) -> String {
        String(decoding: bytes(monograph, htmlSafe: htmlSafe), as: UTF8.self)
    }

    /// The same as UTF-8 bytes.
    public static func bytes(_ monograph: Monograph, htmlSafe: Bool = true) -> [UInt8] {
        var json = JSONText(htmlSafe: htmlSafe)
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
        if let language = monograph.language { json.string("language", language) }
        if let languages = monograph.languages {
            json.openArray("languages")
            for language in languages { json.string(nil, language) }
            json.closeArray()
        }
        if let lastModified = monograph.lastModified { json.string("lastModified", lastModified) }
        if let prices = monograph.prices {
            json.openArray("prices")
            for price in prices {
                json.openObject()
                json.string("code", price.code)
                json.string("date", price.date)
                json.string("list", price.list)
                json.number("mrp", price.mrp)
                json.string("pack", price.pack)
                json.string("product", price.product)
                json.closeObject()
            }
            json.closeArray()
        }
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
        if let regulatory = monograph.regulatory {
            json.openObject("regulatory")
            json.string("combination", regulatory.combination)
            json.string("date", regulatory.date)
            json.number("item", Double(regulatory.item))
            json.string("list", regulatory.list)
            json.string("match", regulatory.match.rawValue)
            json.string("notification", regulatory.notification)
            if let override = regulatory.override {
                json.openObject("override")
                if let by = override.by { json.string("by", by) }
                json.string("reason", override.reason)
                json.closeObject()
            }
            if let reason = regulatory.reason { json.string("reason", reason) }
            json.string("source", regulatory.source)
            json.string("status", regulatory.status)
            json.closeObject()
        }
        if let review = monograph.review {
            json.openObject("review")
            if let at = review.at { json.string("at", at) }
            if !review.by.isEmpty { json.string("by", review.by) }
            if review.state != nil {
                json.openArray("sections")
                for section in review.sections {
                    json.openObject()
                    if let at = section.at { json.string("at", at) }
                    if let by = section.by { json.string("by", by) }
                    json.openArray("qualifications")
                    for qualification in section.qualifications { json.string(nil, qualification) }
                    json.closeArray()
                    if let revision = section.revision { json.number("revision", Double(revision)) }
                    json.string("section", section.section)
                    json.string("state", section.state)
                    json.string("title", section.title)
                    json.closeObject()
                }
                json.closeArray()
            }
            if let state = review.state { json.string("state", state) }
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
        if let translation = monograph.translation {
            json.openObject("translation")
            if let from = translation.from { json.string("from", from) }
            if let outdated = translation.outdated { json.bool("outdated", outdated) }
            if let fingerprint = translation.sourceFingerprint { json.string("sourceFingerprint", fingerprint) }
            json.closeObject()
        }
        json.closeObject()
        return json.bytes
    }
}
