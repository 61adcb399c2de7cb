import FormularyModel
import Foundation
import FormularyParsing

/// A required section is absent.
struct MissingSectionRule: Rule {
    let name = "missing-section"
    let defaultSeverity = Severity.warning
    let summary =
        "A section the site requires (by default Usage, Dosage, Side Effects, How it Works, Precautions) is missing."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let record = page.monograph
        // Brand pages point at a generic; refusals are reported as such, not as seven missing sections.
        guard record.kind != .brand, !AIRefusalRule.isRefusal(page) else { return [] }
        let present = Set(record.sections.map(\.kind))
        let missing = configuration.requiredSections.filter { !present.contains($0) }
        guard !missing.isEmpty else { return [] }
        let line = page.titleHeading?.line ?? page.bodyLine
        let names = missing.map { SectionNames.display($0) }.joined(separator: ", ")
        return [Finding(line: line, message: "missing section\(missing.count > 1 ? "s" : ""): \(names)")]
    }
}

/// A section with a heading and nothing under it.
struct EmptySectionRule: Rule {
    let name = "empty-section"
    let defaultSeverity = Severity.warning
    let summary = "A section heading with no text under it."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let sections = page.monograph.sections
        return sections.indices.compactMap { index in
            let section = sections[index]
            // A per-ingredient heading (`### Alprazolam`) is followed by its own sections, not text.
            guard section.kind != .other, section.markdown.isEmpty,
                !OutdatedSectionRule.containsIgnoringCase(section.heading, "not applicable")
            else { return nil }
            return Finding(line: section.line, message: "the section '\(section.heading)' is empty")
        }
    }
}

/// The same section twice in one group of sections.
struct DuplicateSectionRule: Rule {
    let name = "duplicate-section"
    let defaultSeverity = Severity.warning
    let summary = "The same section appears twice, outside per-ingredient groups (which each have their own)."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        // Per-ingredient pages repeat sections for each ingredient; a group starts at an `other`
        // section (`### Alprazolam`, `**2. Cetirizine:**`) or at a Generic Name section.
        // Two sections can only be one twice when they are of one kind: most pages have none.
        var kinds: Set<SectionKind> = []
        let comparable = page.monograph.sections.filter {
            $0.kind != .other && $0.kind != .genericName && $0.kind != .note
        }
        guard comparable.contains(where: { !kinds.insert($0.kind).inserted }) else { return [] }
        var seen: [String: Int] = [:]
        var findings: [Finding] = []
        for section in page.monograph.sections {
            if section.kind == .other || section.kind == .genericName {
                seen = [:]
                if section.kind == .other { continue }
            }
            if section.kind == .note { continue }
            // `Dosage (Adapalene)` and `Dosage (Nadifloxacin)`, or `Cefalexin Usage` and
            // `Lactobacillus Usage`, are two ingredients' sections, not one twice.
            let key =
                section.kind.rawValue + "|" + SectionRecognizer.normalize(section.heading)
                + Self.qualifier(of: section.heading)
            if let first = seen[key] {
                findings.append(
                    Finding(
                        line: section.line,
                        message: "a second '\(section.heading)' section; the first is on line \(first)"))
            } else {
                seen[key] = section.line
            }
        }
        return findings
    }

    /// The text in parentheses at the end of a heading, lower-cased, or empty.
    static func qualifier(of heading: String) -> String {
        guard heading.hasSuffix(")"), let open = heading.lastIndex(of: "(") else { return "" }
        return heading[open...].lowercased()
    }
}

/// No disclaimer.
struct MissingDisclaimerRule: Rule {
    let name = "missing-disclaimer"
    let defaultSeverity = Severity.warning
    let summary = "A medicine page without a disclaimer ('**Disclaimer:** ...' or a Disclaimer heading)."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let record = page.monograph
        guard record.kind != .brand, record.disclaimer == nil, !AIRefusalRule.isRefusal(page),
            !Self.endsWithUnlabelledDisclaimer(page)
        else { return [] }
        let line = page.monograph.sections.last.map(\.line) ?? page.bodyLine
        return [Finding(line: line, message: "the page has no disclaimer")]
    }
}

extension MissingDisclaimerRule {
    /// A closing paragraph that disclaims without a label ("This information ... does not
    /// constitute medical advice ...") is a disclaimer all the same.
    static func endsWithUnlabelledDisclaimer(_ page: ParsedPage) -> Bool {
        // The last paragraph only: an FAQ answer saying "consult your doctor" is no disclaimer.
        var tail = page.bodyBytes.suffix(1500)
        while let lastByte = tail.last, lastByte == 0x0A || lastByte == 0x0D || lastByte == 0x20 { tail.removeLast() }
        var start = tail.endIndex
        while start > tail.startIndex + 1,
            !(tail[start - 1] == 0x0A && tail[start - 2] == 0x0A)
        {
            start -= 1
        }
        let last = String(decoding: tail[start...], as: UTF8.self)
        return [
            "not constitute medical advice", "not medical advice", "not be considered medical advice",
            "not a substitute for professional", "not intended to be a substitute", "not intended as a substitute",
            "for informational purposes only", "for educational purposes only", "for general knowledge",
        ].contains { last.containsText($0) }
    }
}

/// A section marked outdated or not recommended.
struct OutdatedSectionRule: Rule {
    let name = "outdated-section"
    let defaultSeverity = Severity.warning
    let summary =
        "A section marked '(Outdated)', '(Historical)' or 'NOT RECOMMENDED' in its heading: review or remove it."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        page.monograph.sections.compactMap { section in
            guard
                Self.containsIgnoringCase(section.heading, "outdated")
                    || Self.containsIgnoringCase(section.heading, "not recommended")
                    || Self.containsIgnoringCase(section.heading, "historical")
            else { return nil }
            return Finding(
                line: section.line, message: "the section '\(section.heading)' is marked as outdated or not recommended"
            )
        }
    }
}

extension OutdatedSectionRule {
    /// ASCII case-insensitive search over bytes (the needle is lower-case ASCII).
    static func containsIgnoringCase(_ text: String, _ needle: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard pattern.count <= haystack.count else { return false }
                for start in 0...(haystack.count - pattern.count) {
                    var matched = 0
                    while matched < pattern.count, haystack[start + matched] | 0x20 == pattern[matched] | 0x20 {
                        matched += 1
                    }
                    if matched == pattern.count { return true }
                }
                return false
            }
        }
    }
}

/// How sections are named in messages.
enum SectionNames {
    static func display(_ kind: SectionKind) -> String {
        switch kind {
        case .genericName: "Generic Name"
        case .usage: "Usage"
        case .dosage: "Dosage"
        case .sideEffects: "Side Effects"
        case .howItWorks: "How it Works"
        case .precautions: "Precautions"
        case .contraindications: "Contraindications"
        case .interactions: "Drug Interactions"
        case .pregnancy: "Pregnancy and Breastfeeding"
        case .alternateNames: "Alternate Names"
        case .popularCombinations: "Popular Combinations"
        case .summary: "Drug Profile Summary"
        case .storage: "Storage"
        case .overdose: "Overdose"
        case .faqs: "FAQs"
        case .disclaimer: "Disclaimer"
        case .note: "Note"
        case .other: "Other"
        }
    }
}
