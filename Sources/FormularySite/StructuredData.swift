import FormularyModel

/// JSON written by hand for the few small shapes a build emits thousands of times (JSON-LD,
/// index entries): Foundation's encoders cost tens of microseconds an object.
struct JSONText {
    private var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init() { bytes.reserveCapacity(4096) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func openObject(_ key: String? = nil) {
        separate(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func closeObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func openArray(_ key: String? = nil) {
        separate(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func closeArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ key: String?, _ value: String) {
        separate(key)
        Self.appendQuoted(value, to: &bytes)
    }

    mutating func number(_ key: String?, _ value: Double) {
        separate(key)
        bytes += Self.format(value).utf8
    }

    mutating func null(_ key: String?) {
        separate(key)
        bytes += "null".utf8
    }

    mutating func bool(_ key: String?, _ value: Bool) {
        separate(key)
        bytes += (value ? "true" : "false").utf8
    }

    private mutating func separate(_ key: String?) {
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
        if let key {
            Self.appendQuoted(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// `12` for whole numbers, `37.5` otherwise.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? "\(value)" : "null"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string literal, with `<`, `>` and `&` escaped too so that the text is safe inside
    /// an HTML `<script>` element whatever a page's title holds; U+2028 and U+2029 as well, for
    /// old JavaScript parsers.
    static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { input in
            // Bytes that need no escaping are copied in runs.
            var runStart = 0
            var index = 0
            let count = input.count
            func flush(upTo end: Int) {
                if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<end])) }
            }
            while index < count {
                let byte = input[index]
                let needsEscape =
                    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
                    || (byte == 0xE2 && index + 2 < count && input[index + 1] == 0x80
                        && (input[index + 2] == 0xA8 || input[index + 2] == 0xA9))
                guard needsEscape else {
                    index += 1
                    continue
                }
                flush(upTo: index)
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output.append(0x5C)
                    output.append(byte)
                case 0x0A:
                    output.append(0x5C)
                    output.append(UInt8(ascii: "n"))
                case 0x0D:
                    output.append(0x5C)
                    output.append(UInt8(ascii: "r"))
                case 0x09:
                    output.append(0x5C)
                    output.append(UInt8(ascii: "t"))
                case 0xE2:
                    output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x32, 0x30, 0x32, input[index + 2] == 0xA8 ? 0x38 : 0x39])
                    index += 2
                default:
                    output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
                index += 1
                runStart = index
            }
            flush(upTo: count)
        }
        output.append(UInt8(ascii: "\""))
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

/// A record as JSON, in the contract's shape and with the contract's key order (sorted, as
/// `formulary show --format json` writes it), for the API files a build writes 11,000 times.
/// A test checks it against `JSONEncoder` over the whole corpus.
enum MonographJSON {
    static func encode(_ monograph: Monograph) -> String {
        var json = JSONText()
        json.openObject()
        json.string("collection", monograph.collection)
        if let description = monograph.description { json.string("description", description) }
        if let disclaimer = monograph.disclaimer { json.string("disclaimer", disclaimer) } else { json.null("disclaimer") }
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
