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
            while display.utf8.last == UInt8(ascii: ":") {
                display = display[..<display.utf8.index(before: display.endIndex)]
            }
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
        // Hindi: the headings translations use (`formulary generate --translate hi` asks for
        // these), with the spellings people also write.
        add(.genericName, "सामान्य नाम", "जेनेरिक नाम")
        add(.usage, "उपयोग", "इस्तेमाल")
        add(.dosage, "खुराक", "ख\u{093C}ुराक", "\u{0959}ुराक", "मात्रा और सेवन विधि")
        add(.sideEffects, "दुष्प्रभाव", "साइड इफेक्ट्स", "साइड इफ\u{093C}ेक्ट्स", "साइड इ\u{095E}ेक्ट्स")
        add(.howItWorks, "यह कैसे काम करती है", "यह कैसे काम करता है", "कैसे काम करती है", "कार्य-प्रणाली")
        add(.precautions, "सावधानियाँ", "सावधानियां", "सावधानी", "चेतावनियाँ और सावधानियाँ")
        add(.contraindications, "प्रतिनिर्देश", "किन्हें नहीं लेनी चाहिए")
        add(.interactions, "पारस्परिक क्रियाएँ", "पारस्परिक क्रियाएं", "दवाओं की पारस्परिक क्रियाएँ")
        add(.pregnancy, "गर्भावस्था और स्तनपान", "गर्भावस्था")
        add(.alternateNames, "अन्य नाम", "ब्रांड नाम")
        add(.popularCombinations, "लोकप्रिय संयोजन")
        add(.summary, "सारांश")
        add(.storage, "भंडारण")
        add(.overdose, "अधिक मात्रा", "ओवरडोज\u{093C}", "ओवरडो\u{095B}", "ओवरडोज")
        add(.faqs, "अक्सर पूछे जाने वाले प्रश्न", "अक्सर पूछे जाने वाले सवाल", "सामान्य प्रश्न")
        add(.disclaimer, "अस्वीकरण")
        add(.note, "टिप्पणी", "नोट")
        return names
    }()

    /// Recognises an ATX heading's text (after the `#` marks).
    ///
    /// This and `recognize(labelParagraph:)` run for every heading and bold paragraph of every
    /// page (300,000 in the corpus), so they find their ASCII markers on UTF-8 bytes.
    public static func recognize(heading raw: some StringProtocol) -> Recognition {
        var text = Substring(raw).trimmedWhitespace()
        // A closing sequence of `#` is not part of the heading.
        let bytes = text.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "#") {
            end = bytes.index(before: end)
        }
        if end != bytes.endIndex { text = text[..<end].trimmedWhitespace() }
        let isBold = opensWithEmphasis(text)
        let (label, remainder) = splitLabel(text)
        return recognition(label: label, remainder: remainder, isBold: isBold)
    }

    /// Whether the text opens with `**` or `__`.
    @inline(__always)
    static func opensWithEmphasis(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "_") else { return false }
        let second = bytes.index(after: bytes.startIndex)
        return second < bytes.endIndex && bytes[second] == first
    }

    /// Where `**` (or `__`, as `marker` says) first occurs in `bytes[from...]`: the index of its first byte.
    @inline(__always)
    static func closingEmphasis(_ marker: UInt8, in text: Substring, from start: String.Index) -> String.Index? {
        let bytes = text.utf8
        let skipped = bytes.distance(from: bytes.startIndex, to: start)
        func pair(in buffer: some RandomAccessCollection<UInt8>) -> Int? {
            let base = buffer.startIndex
            var index = skipped
            while index + 1 < buffer.count {
                if buffer[buffer.index(base, offsetBy: index)] == marker,
                    buffer[buffer.index(base, offsetBy: index + 1)] == marker
                {
                    return index
                }
                index += 1
            }
            return nil
        }
        // Contiguous nearly always; a bridged string is copied first.
        let offset = bytes.withContiguousStorageIfAvailable { pair(in: $0) } ?? pair(in: Array(bytes))
        return offset.map { bytes.index(bytes.startIndex, offsetBy: $0) }
    }

    /// Recognises a paragraph that opens with a bold label ending in a colon: `**Usage:** text`
    /// or `**Usage**: text`. `nil` when the paragraph does not open with such a label.
    public static func recognize(labelParagraph raw: some StringProtocol) -> Recognition? {
        let text = Substring(raw)
        guard opensWithEmphasis(text) else { return nil }
        let bytes = text.utf8
        let marker = bytes[bytes.startIndex]
        let labelStart = bytes.index(bytes.startIndex, offsetBy: 2)
        guard let close = closingEmphasis(marker, in: text, from: labelStart) else { return nil }
        let afterClose = bytes.index(close, offsetBy: 2)
        var label = text[labelStart..<close]
        var rest = text[afterClose...]
        var colonInsideEmphasis = false
        var labelQualifier = ""
        if label.utf8.last == UInt8(ascii: ":") {
            label = label[..<label.utf8.index(before: label.endIndex)]
        } else if rest.utf8.first == UInt8(ascii: ":") {
            rest = rest[rest.utf8.index(after: rest.startIndex)...]
        } else if let qualified = qualifierThenColon(rest) {
            // `**FAQs** (Addressing both):`: the qualifier sits outside the emphasis.
            labelQualifier = String(rest[..<qualified]).trimmingWhitespace()
            rest = rest[qualified...]
        } else if let colon = label.utf8.firstIndex(of: UInt8(ascii: ":")),
            kind(ofLabel: label[..<colon]) != .other
        {
            // `**Generic Name: Clonazepam**`: the label and its text share the emphasis.
            rest = label[label.utf8.index(after: colon)...]
            label = label[..<colon]
            colonInsideEmphasis = true
        } else {
            return nil
        }
        // A label is a name, not a sentence or a whole emphasised question.
        guard !label.isEmpty, label.utf8.count <= 200 || label.count <= 200,
            !label.containsByte(UInt8(ascii: "\n")), label.utf8.last != UInt8(ascii: "?")
        else { return nil }
        let remainderBytes = rest.utf8
        var remainderStart = remainderBytes.startIndex
        while remainderStart < remainderBytes.endIndex,
            remainderBytes[remainderStart] == UInt8(ascii: " ") || remainderBytes[remainderStart] == UInt8(ascii: "\t")
        {
            remainderStart = remainderBytes.index(after: remainderStart)
        }
        let remainder = rest[remainderStart...]
        let remainderText =
            colonInsideEmphasis
            ? (String(remainder) + String(text[afterClose...])).trimmingWhitespace()
            : String(remainder.trimmedWhitespace())
        let fullLabel = labelQualifier.isEmpty ? label : Substring(label + " " + labelQualifier)
        var result = recognition(label: fullLabel, remainder: remainderText, isBold: true)
        result.labelLength = bytes.distance(from: bytes.startIndex, to: remainderStart)
        result.closesEmphasisInText = colonInsideEmphasis
        return result
    }

    /// For ` (qualifier): text`, the index just after the colon.
    private static func qualifierThenColon(_ text: Substring) -> Substring.Index? {
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") { index = bytes.index(after: index) }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "("),
            var close = bytes[index...].firstIndex(of: UInt8(ascii: ")"))
        else { return nil }
        close = bytes.index(after: close)
        while close < bytes.endIndex, bytes[close] == UInt8(ascii: " ") { close = bytes.index(after: close) }
        guard close < bytes.endIndex, bytes[close] == UInt8(ascii: ":") else { return nil }
        return bytes.index(after: close)
    }

    /// The canonical kind of a label such as `Side Effects (of antivenom)`.
    public static func kind(ofLabel label: some StringProtocol) -> SectionKind {
        kind(normalized: normalize(label), label: label)
    }

    /// The kind a normalised label names. A heading in a language the parser has no names
    /// for may give the English one in parentheses, `### பயன்பாடு (Usage)`, as translations into
    /// such a language are asked to: then the English one decides.
    static func kind(normalized: String, label: some StringProtocol) -> SectionKind {
        if let kind = names[normalized] { return kind }
        guard normalized.utf8.contains(where: { $0 >= 0x80 }), let open = label.lastIndex(of: "("),
            let close = label[open...].firstIndex(of: ")")
        else { return .other }
        return names[normalize(label[label.index(after: open)..<close])] ?? .other
    }

    private static func recognition(label: Substring, remainder: String, isBold: Bool) -> Recognition {
        // `normalize` drops emphasis, colons and qualifiers itself.
        let normalized = normalize(label)
        return Recognition(
            kind: kind(normalized: normalized, label: label), label: label, remainder: remainder, isBold: isBold,
            normalized: normalized)
    }

    /// Splits `**Usage:** text`, `Usage: text` or `**Generic Name**` into label and remainder.
    private static func splitLabel(_ text: Substring) -> (Substring, String) {
        let bytes = text.utf8
        if opensWithEmphasis(text) {
            let marker = bytes[bytes.startIndex]
            let labelStart = bytes.index(bytes.startIndex, offsetBy: 2)
            if let close = closingEmphasis(marker, in: text, from: labelStart) {
                var label = text[labelStart..<close]
                var rest = text[bytes.index(close, offsetBy: 2)...]
                if label.utf8.last == UInt8(ascii: ":") {
                    label = label[..<label.utf8.index(before: label.endIndex)]
                } else if rest.utf8.first == UInt8(ascii: ":") {
                    rest = rest[rest.utf8.index(after: rest.startIndex)...]
                }
                // `## **Q1: question?**` keeps its whole bold text as the label.
                let trimmedRest = rest.trimmedWhitespace()
                return (label, trimmedRest.isEmpty ? "" : stripEmphasis(trimmedRest).trimmingWhitespace())
            }
        }
        // The first colon outside parentheses ends the label.
        let colon =
            bytes.withContiguousStorageIfAvailable { Self.firstColonOutsideParentheses($0) }
            ?? Self.firstColonOutsideParentheses(Array(bytes))
        guard let colon else { return (text, "") }
        let index = bytes.index(bytes.startIndex, offsetBy: colon)
        return (text[..<index], String(text[bytes.index(after: index)...].trimmedWhitespace()))
    }

    /// The offset of the first `:` not inside parentheses.
    private static func firstColonOutsideParentheses(_ bytes: some Sequence<UInt8>) -> Int? {
        var depth = 0
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth = max(0, depth - 1)
            case UInt8(ascii: ":") where depth == 0: return index
            default: break
            }
        }
        return nil
    }

    /// Lower case, emphasis, qualifiers in parentheses, numbering and punctuation removed:
    /// `**1. Side Effects (of antivenom):**` becomes `side effects`.
    ///
    /// Works on UTF-8 bytes: it runs for every heading and label of every page.
    public static func normalize(_ label: some StringProtocol) -> String {
        var label = Substring(label)
        // `&` becomes `and`: at most three bytes for one.
        let capacity = label.utf8.count * 3 + 4
        return label.withUTF8 { source in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var count = 0
                var pendingSpace = false
                for byte in source {
                    switch byte {
                    case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: ":"):
                        continue
                    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                        pendingSpace = count > 0
                        continue
                    default:
                        if pendingSpace {
                            buffer[count] = UInt8(ascii: " ")
                            count += 1
                            pendingSpace = false
                        }
                        if byte == UInt8(ascii: "&") {
                            buffer[count] = UInt8(ascii: "a")
                            buffer[count + 1] = UInt8(ascii: "n")
                            buffer[count + 2] = UInt8(ascii: "d")
                            count += 3
                        } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                            buffer[count] = byte + 32
                            count += 1
                        } else {
                            buffer[count] = byte
                            count += 1
                        }
                    }
                }
                // Qualifiers in parentheses at the end, closed or not: `usage (individual components)`.
                while let open = buffer[..<count].lastIndex(of: UInt8(ascii: "(")), open > 0,
                    buffer[count - 1] == UInt8(ascii: ")") || !buffer[open..<count].contains(UInt8(ascii: ")"))
                {
                    count = open
                    while count > 0, buffer[count - 1] == UInt8(ascii: " ") { count -= 1 }
                }
                // Leading numbering such as `1.` or `2)`.
                var start = 0
                while start < count, buffer[start] >= UInt8(ascii: "0"), buffer[start] <= UInt8(ascii: "9") {
                    start += 1
                }
                if start > 0, start < count, buffer[start] == UInt8(ascii: ".") || buffer[start] == UInt8(ascii: ")") {
                    start += 1
                } else if start > 0, start < count, buffer[start] != UInt8(ascii: " ") {
                    start = 0  // `5-ASA` is a name, not numbering
                }
                while start < count, buffer[start] == UInt8(ascii: " ") { start += 1 }
                var end = count
                while end > start, buffer[end - 1] == UInt8(ascii: ".") || buffer[end - 1] == UInt8(ascii: " ") {
                    end -= 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            }
        }
    }

    /// `text` without `**` and `__` (`ByteText.withoutEmphasis`).
    static func stripEmphasis(_ text: some StringProtocol) -> String {
        var result = String(text)
        guard result.containsByte(UInt8(ascii: "*")) || result.containsByte(UInt8(ascii: "_")) else { return result }
        return result.withUTF8 { String(decoding: ByteText($0).withoutEmphasis(), as: UTF8.self) }
    }
}
