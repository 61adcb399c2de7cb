import FormularyModel

/// Tells what a heading or a bold label means: `### Usage`, `## **How It Works**`,
/// `**Usage (Hypothetical):**`, `### FAQs (Combined Use)` and `### Usage: Phenylephrine is ...`.
public enum SectionRecognizer {
    /// A heading or label taken apart.
    public struct Recognition: Sendable, Equatable {
        public internal(set) var kind: SectionKind
        /// The label as written, emphasis and colon possibly still around it.
        public var label: Substring
        /// Text written on the heading line after the label (`### Usage: text`), or empty.
        public var remainder: String
        /// The heading was written as bold text (`## **Usage**`).
        public var isBold: Bool
        /// For a label, the UTF-8 length of the label with its colon and the spaces after it.
        public var labelLength: Int = 0
        /// The label's emphasis closes after its text (`**Generic Name: Clonazepam**`).
        public var closesEmphasisInText = false
        /// The label normalised for lookup (`side effects`), computed once.
        public var normalized: String = ""

        /// The label as written, without emphasis and trailing colon, qualifier kept: `FAQs (Combined Use)`.
        /// Computed on demand: most headings of a page are never section starts.
        public var heading: String {
            var display = Substring(SectionRecognizer.stripEmphasis(label)).trimmedWhitespace()
            while display.hasSuffix(":") { display.removeLast() }
            return String(display.trimmedWhitespace())
        }
    }

    /// Normalised names (lower case, no qualifier, `&` as `and`) and what they mean.
    static let names: [String: SectionKind] = {
        var names: [String: SectionKind] = [:]
        func add(_ kind: SectionKind, _ spellings: String...) {
            for spelling in spellings { names[spelling] = kind }
        }
        add(.genericName, "generic name", "generic names", "generic name(s)", "generic")
        add(.usage, "usage", "uses", "use", "indications", "indications and usage", "therapeutic uses")
        add(.dosage, "dosage", "dosage and administration", "dose", "dosing", "dosage guidelines")
        add(
            .sideEffects, "side effects", "side-effects", "adverse effects", "adverse reactions",
            "possible side effects")
        add(.howItWorks, "how it works", "how does it work", "mechanism of action")
        add(
            .precautions, "precautions", "warnings and precautions", "precautions and warnings",
            "warnings & precautions",
            "popular combinations and precautions")
        add(.contraindications, "contraindications", "contra-indications")
        add(.interactions, "drug interactions", "interactions")
        add(
            .pregnancy, "pregnancy and breastfeeding", "pregnancy and lactation", "pregnancy",
            "pregnancy and breast-feeding")
        add(.alternateNames, "alternate names", "alternative names", "other names", "brand names")
        add(.popularCombinations, "popular combinations", "common combinations")
        add(.summary, "drug profile summary", "summary")
        add(.storage, "storage")
        add(.overdose, "overdose", "overdosage")
        add(.faqs, "faqs", "faq", "faq's", "frequently asked questions", "common questions")
        add(.disclaimer, "disclaimer", "important disclaimer", "medical disclaimer")
        add(.note, "note")
        return names
    }()

    /// Recognises an ATX heading's text (after the `#` marks).
    public static func recognize(heading raw: some StringProtocol) -> Recognition {
        var text = Substring(raw).trimmedWhitespace()
        // A closing sequence of `#` is not part of the heading.
        while text.hasSuffix("#") { text.removeLast() }
        text = text.trimmedWhitespace()
        let isBold = text.hasPrefix("**") || text.hasPrefix("__")
        let (label, remainder) = splitLabel(text)
        return recognition(label: label, remainder: remainder, isBold: isBold)
    }

    /// Recognises a paragraph that opens with a bold label ending in a colon: `**Usage:** text`
    /// or `**Usage**: text`. `nil` when the paragraph does not open with such a label.
    public static func recognize(labelParagraph text: some StringProtocol) -> Recognition? {
        let text = Substring(text)
        guard text.hasPrefix("**") || text.hasPrefix("__") else { return nil }
        let marker = text.prefix(2)
        let afterOpen = text.dropFirst(2)
        guard let close = afterOpen.find(marker) else { return nil }
        var label = afterOpen[..<close.lowerBound]
        var rest = afterOpen[close.upperBound...]
        var colonInsideEmphasis = false
        var labelQualifier = ""
        if label.hasSuffix(":") {
            label.removeLast()
        } else if rest.hasPrefix(":") {
            rest.removeFirst()
        } else if let qualified = qualifierThenColon(rest) {
            // `**FAQs** (Addressing both):`: the qualifier sits outside the emphasis.
            label = text[afterOpen.startIndex..<close.lowerBound]
            labelQualifier = String(rest[..<qualified]).trimmingWhitespace()
            rest = rest[qualified...]
        } else if let colon = label.firstIndex(of: ":"),
            kind(ofLabel: label[..<colon]) != .other
        {
            // `**Generic Name: Clonazepam**`: the label and its text share the emphasis.
            rest = label[label.index(after: colon)...]
            label = label[..<colon]
            colonInsideEmphasis = true
        } else {
            return nil
        }
        // A label is a name, not a sentence or a whole emphasised question.
        guard !label.isEmpty, label.count <= 200, !label.containsText("\n"), !label.hasSuffix("?") else { return nil }
        let remainder = rest.drop(while: { $0 == " " || $0 == "\t" })
        let remainderText =
            colonInsideEmphasis ? String(remainder) + String(afterOpen[close.upperBound...]) : String(remainder)
        let fullLabel = labelQualifier.isEmpty ? label : Substring(label + " " + labelQualifier)
        var result = recognition(label: fullLabel, remainder: remainderText.trimmingWhitespace(), isBold: true)
        result.labelLength = text.utf8.distance(from: text.startIndex, to: remainder.startIndex)
        result.closesEmphasisInText = colonInsideEmphasis
        return result
    }

    /// For ` (qualifier): text`, the index just after the colon.
    private static func qualifierThenColon(_ text: Substring) -> Substring.Index? {
        let trimmed = text.drop(while: { $0 == " " })
        guard trimmed.first == "(", let close = trimmed.firstIndex(of: ")") else { return nil }
        let afterClose = trimmed[trimmed.index(after: close)...].drop(while: { $0 == " " })
        guard afterClose.first == ":" else { return nil }
        return afterClose.index(after: afterClose.startIndex)
    }

    /// The canonical kind of a label such as `Side Effects (of antivenom)`.
    public static func kind(ofLabel label: some StringProtocol) -> SectionKind {
        names[normalize(label)] ?? .other
    }

    private static func recognition(label: Substring, remainder: String, isBold: Bool) -> Recognition {
        // `normalize` drops emphasis, colons and qualifiers itself.
        let normalized = normalize(label)
        return Recognition(
            kind: names[normalized] ?? .other, label: label, remainder: remainder, isBold: isBold,
            normalized: normalized)
    }

    /// Splits `**Usage:** text`, `Usage: text` or `**Generic Name**` into label and remainder.
    private static func splitLabel(_ text: Substring) -> (Substring, String) {
        if text.hasPrefix("**") || text.hasPrefix("__") {
            let marker = text.prefix(2)
            let afterOpen = text.dropFirst(2)
            if let close = afterOpen.find(marker) {
                var label = afterOpen[..<close.lowerBound]
                var rest = afterOpen[close.upperBound...]
                if label.hasSuffix(":") { label.removeLast() } else if rest.hasPrefix(":") { rest.removeFirst() }
                // `## **Q1: question?**` keeps its whole bold text as the label.
                let trimmedRest = rest.trimmedWhitespace()
                return (label, trimmedRest.isEmpty ? "" : stripEmphasis(trimmedRest).trimmingWhitespace())
            }
        }
        // The first colon outside parentheses ends the label.
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case ":" where depth == 0:
                return (text[..<index], String(text[text.index(after: index)...]).trimmingWhitespace())
            default: break
            }
        }
        return (text, "")
    }

    /// Lower case, emphasis, qualifiers in parentheses, numbering and punctuation removed:
    /// `**1. Side Effects (of antivenom):**` becomes `side effects`.
    ///
    /// Works on UTF-8 bytes: it runs for every heading and label of every page.
    public static func normalize(_ label: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(label.utf8.count + 4)
        var pendingSpace = false
        for byte in label.utf8 {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: ":"):
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                pendingSpace = !bytes.isEmpty
                continue
            default:
                if pendingSpace {
                    bytes.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                if byte == UInt8(ascii: "&") {
                    bytes += "and".utf8
                } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                    bytes.append(byte + 32)
                } else {
                    bytes.append(byte)
                }
            }
        }
        // Qualifiers in parentheses at the end, closed or not: `usage (individual components)`.
        while let open = bytes.lastIndex(of: UInt8(ascii: "(")), open > 0,
            bytes.last == UInt8(ascii: ")") || !bytes[open...].contains(UInt8(ascii: ")"))
        {
            bytes.removeSubrange(open...)
            while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        }
        // Leading numbering such as `1.` or `2)`.
        var start = 0
        while start < bytes.count, bytes[start] >= UInt8(ascii: "0"), bytes[start] <= UInt8(ascii: "9") { start += 1 }
        if start > 0, start < bytes.count, bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: ")") {
            start += 1
        } else if start > 0, start < bytes.count, bytes[start] != UInt8(ascii: " ") {
            start = 0  // `5-ASA` is a name, not numbering
        }
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        var end = bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static func stripEmphasis(_ text: some StringProtocol) -> String {
        var result = String(text)
        for marker in ["**", "__"] where result.containsText(marker) {
            result = result.replacingText(marker, with: "")
        }
        return result
    }
}
