import FormularyModel
import Foundation
import FormularyParsing

/// A name the generator damaged: digits stripped, a dangling hyphen.
struct DamagedNameRule: Rule {
    let name = "damaged-name"
    let defaultSeverity = Severity.warning
    let summary =
        "An ingredient name lost its number or ends in a hyphen ('Omega-', 'Vitamin B', 'Coenzyme Q', 'Interferon Beta-')."

    /// Names that are never complete without their number.
    static let needNumber: [String: String] = [
        "vitamin b": "B1, B2, B3, B5, B6, B7, B9 or B12", "coenzyme q": "Q10", "omega": "3, 6 or 9",
        "poliomyelitis virus type": "1, 2 or 3",
    ]

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard page.monograph.kind != .brand else { return [] }
        let line = page.titleLine
        var findings: [Finding] = []
        if page.monograph.title.hasSuffix(" .") {
            findings.append(Finding(line: line, message: "the title '\(page.monograph.title)' ends with a stray ' .'"))
        }
        return findings
            + page.monograph.ingredients.compactMap { ingredient in
                let name = ingredient.name
                if name.hasSuffix("-") {
                    return Finding(
                        line: line,
                        message:
                            "the name '\(name)' ends with a hyphen: a number was probably stripped by the generator")
                }
                if let numbers = Self.needNumber[NameEquivalents.normalizedKey(name)] {
                    return Finding(line: line, message: "the name '\(name)' lacks its number (\(numbers)?)")
                }
                return nil
            }
    }
}

/// The Generic Name section spells an ingredient differently from the title.
struct GenericNameMismatchRule: Rule {
    let name = "generic-name-mismatch"
    let defaultSeverity = Severity.warning
    let summary =
        "The Generic Name section spells an ingredient differently from the title ('butryricum' against 'butyricum')."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let section = page.monograph.section(.genericName), !section.markdown.isEmpty else { return [] }
        let sectionWords = LetterWords.of(section.markdown.prefix(400))
        let sectionSet = Set(sectionWords)
        var findings: [Finding] = []
        var reported: Set<String> = []
        let titleWords = Set(page.monograph.ingredients.flatMap { LetterWords.of($0.name) })
        for ingredient in page.monograph.ingredients {
            // A name the title itself gives in brackets (`Rifampicin [Rifampin]`) is not compared.
            let outsideBrackets = ingredient.name.prefix { $0 != "(" && $0 != "[" }
            for word in LetterWords.of(outsideBrackets) where word.count >= 6 && !sectionSet.contains(word) {
                guard
                    let near = sectionWords.first(where: { candidate in
                        candidate.count >= 5 && abs(candidate.count - word.count) <= 2 && candidate.first == word.first
                            && !titleWords.contains(candidate)
                            && Spelling.editDistance(candidate, word) <= 2 && !Self.isSpellingVariant(candidate, word)
                            && !NameEquivalents.areEquivalent(candidate, word)
                    }), reported.insert(word).inserted
                else { continue }
                findings.append(
                    Finding(
                        line: section.line,
                        message: "the Generic Name section writes '\(near)' where the title has '\(word)'"))
            }
        }
        return findings
    }

    /// Accepted variants of one name are not a mistake: British and American spellings
    /// (`sulph`/`sulf`, `ae`/`e`, `oe`/`e`, `trophin`/`tropin`), INN and older spellings
    /// (`beclometasone`/`beclomethasone`, `glycerin`/`glycerine`), accents (`Guérin`) and plurals.
    static func isSpellingVariant(_ first: String, _ second: String) -> Bool {
        neutralSpelling(first) == neutralSpelling(second) || acceptedWordPairs.contains([first, second].sorted())
    }

    /// Different words for the same thing in medicine names: `Milk of Magnesia` is magnesium
    /// hydroxide, `phenylethyl` and `phenethyl` alcohol are one substance.
    static let acceptedWordPairs: Set<[String]> = [
        ["magnesia", "magnesium"], ["phenethyl", "phenylethyl"],
    ]

    /// A spelling with British/American, INN/older and accent differences folded away.
    static func neutralSpelling(_ word: String) -> String {
        var text = word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        for (from, to) in [
            ("ph", "f"), ("ae", "e"), ("oe", "e"), ("y", "i"), ("th", "t"), ("trophin", "tropin"),
            ("aluminium", "aluminum"),
        ] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        while text.hasSuffix("e") || text.hasSuffix("s") { text.removeLast() }
        return text
    }
}

/// Two pages for the same medicine.
struct DuplicateMedicineRule: Rule {
    let name = "duplicate-medicine"
    let defaultSeverity = Severity.warning
    let summary =
        "Another page in the collection has the same ingredients and strengths (international and US names count as one)."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        [Finding(line: page.titleLine, message: "", awaiting: .sameMedicine)]
    }

    func resolve(_ finding: Finding, of page: CheckedCorpus.Entry, in corpus: CheckedCorpus) -> Finding? {
        let others = corpus.duplicates(of: page)
        guard !others.isEmpty else { return nil }
        let names = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? " and \(others.count - 3) more" : "")
        var finding = finding
        finding.message = "the same medicine as \(names); merge the pages"
        finding.awaiting = nil
        return finding
    }
}

/// A strength no tablet or injection has, or a unit that does not exist.
struct ImplausibleStrengthRule: Rule {
    let name = "implausible-strength"
    let defaultSeverity = Severity.warning
    let summary = "A strength that cannot be right for one dose (100 g of an NSAID) or a unit that does not exist."

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let line = page.titleLine
        var findings: [Finding] = []
        for ingredient in page.monograph.ingredients {
            if let strength = ingredient.strength, strength.per == nil {
                let grams: Double? =
                    switch strength.unit {
                    case "g": strength.value
                    case "mg": strength.value / 1000
                    case "mcg": strength.value / 1_000_000
                    default: nil
                    }
                if let grams, grams >= 10 {
                    findings.append(
                        Finding(
                            line: line,
                            message:
                                "\(ingredient.name) \(strength.text) is \(Self.format(grams)) g in one dose; "
                                + (strength.unit == "g" ? "was mg meant?" : "check the amount and the unit")
                        ))
                }
            } else if ingredient.strength == nil, let unit = Self.unknownUnit(in: ingredient.name) {
                findings.append(
                    Finding(line: line, message: "'\(unit)' in '\(ingredient.name)' is not a unit Formulary knows"))
            }
        }
        return findings
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A trailing `<number><letters>` whose letters are no known unit: `100mgs` is fine, `500mq` is not.
    static func unknownUnit(in name: String) -> String? {
        guard let space = name.utf8.lastIndex(of: UInt8(ascii: " ")) else { return nil }
        let last = name[name.utf8.index(after: space)...]
        guard let first = last.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        let letters = last.drop(while: { $0.isNumber || $0 == "." })
        guard letters.count >= 2, letters.allSatisfy({ $0.isLetter }) else { return nil }
        return StrengthParser.parse(last) == nil ? String(last) : nil
    }
}
