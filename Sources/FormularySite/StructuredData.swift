import FormularyModel

/// JSON written by hand for the few small shapes a build emits thousands of times (JSON-LD,
/// index entries): Foundation's encoders cost tens of microseconds an object.
struct JSONText {
    private(set) var text = ""
    private var needsComma: [Bool] = []

    init() {}

    mutating func openObject(_ key: String? = nil) {
        separate(key)
        text += "{"
        needsComma.append(false)
    }

    mutating func closeObject() {
        needsComma.removeLast()
        text += "}"
    }

    mutating func openArray(_ key: String? = nil) {
        separate(key)
        text += "["
        needsComma.append(false)
    }

    mutating func closeArray() {
        needsComma.removeLast()
        text += "]"
    }

    mutating func string(_ key: String?, _ value: String) {
        separate(key)
        Self.appendQuoted(value, to: &text)
    }

    mutating func number(_ key: String?, _ value: Double) {
        separate(key)
        text += Self.format(value)
    }

    mutating func bool(_ key: String?, _ value: Bool) {
        separate(key)
        text += value ? "true" : "false"
    }

    private mutating func separate(_ key: String?) {
        if let last = needsComma.last {
            if last { text += "," }
            needsComma[needsComma.count - 1] = true
        }
        if let key {
            Self.appendQuoted(key, to: &text)
            text += ":"
        }
    }

    /// `12` for whole numbers, `37.5` otherwise.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? "\(value)" : "null"
    }

    /// A JSON string literal, with `<`, `>` and `&` escaped too so that the text is safe inside
    /// an HTML `<script>` element whatever a page's title holds.
    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "<": text += "\\u003c"
            case ">": text += "\\u003e"
            case "&": text += "\\u0026"
            case "\u{2028}": text += "\\u2028"
            case "\u{2029}": text += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}

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
