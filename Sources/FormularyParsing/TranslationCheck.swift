import FormularyModel

/// What a translation must keep of the page it translates, and the fingerprint that tells
/// when that page changed after it: used by `check` (`translation-mismatch`,
/// `translation-outdated`), by the build (a translation marked outdated) and by `generate
/// --translate` (a draft that loses a number is asked for again).
public enum TranslationCheck {
    /// A fingerprint of what a translation translates: the title and each section's kind and
    /// text, as FNV-1a over their UTF-8 (16 hex digits). Front matter, whitespace at the ends of
    /// sections and line endings do not count. A translation keeps the one of the text it was
    /// made from as `translated_from:`.
    public static func fingerprint(of monograph: Monograph) -> String {
        var hasher = StableHasher()
        hasher.combine(monograph.title.trimmingWhitespace())
        for section in monograph.sections {
            hasher.combine(section.kind.rawValue)
            hasher.combine(section.markdown.replacingCRLF().trimmingWhitespace())
        }
        return hasher.hexDigest
    }

    /// Why `translation` is not a faithful translation of `source`, each a sentence; empty
    /// when it keeps the medicine (ingredients and strengths), every section, every number and
    /// strength with its unit, and the medicines' names in Latin letters.
    public static func problems(source: Monograph, translation: Monograph) -> [String] {
        var problems: [String] = []
        let sourceIngredients = source.ingredients.map { [$0.name.lowercased(), $0.strength?.text ?? ""] }
        let ingredients = translation.ingredients.map { [$0.name.lowercased(), $0.strength?.text ?? ""] }
        if sourceIngredients != ingredients {
            problems.append(
                "the title names other ingredients or strengths ("
                    + ingredients.map { $0.joined(separator: " ").trimmingWhitespace() }.joined(separator: " + ")
                    + ") than the page it translates ("
                    + sourceIngredients.map { $0.joined(separator: " ").trimmingWhitespace() }.joined(separator: " + ")
                    + "); keep the Latin name in parentheses: `पैरासिटामोल 650mg (Paracetamol 650mg)`")
        }
        let kinds = Set(translation.sections.map(\.kind))
        let missing = source.sections.map(\.kind).filter { $0 != .other && !kinds.contains($0) }
        var seen: Set<SectionKind> = []
        let missingOnce = missing.filter { seen.insert($0).inserted }
        if !missingOnce.isEmpty {
            problems.append(
                "sections of the page it translates are missing: "
                    + missingOnce.map(\.rawValue).joined(separator: ", ")
                    + " (headings the parser knows, such as `### उपयोग` for usage)")
        }
        let sourceText = text(of: source)
        let translatedText = text(of: translation)
        let sourceNumbers = numbers(in: sourceText)
        let translatedNumbers = numbers(in: translatedText)
        let lost = sourceNumbers.subtracting(translatedNumbers).sorted()
        if !lost.isEmpty {
            problems.append("numbers of the page it translates are missing: " + lost.joined(separator: ", "))
        }
        let added = translatedNumbers.subtracting(sourceNumbers).sorted()
        if !added.isEmpty {
            problems.append("numbers the page it translates does not have: " + added.joined(separator: ", "))
        }
        let lostStrengths = strengths(in: sourceText).subtracting(strengths(in: translatedText)).sorted()
        if !lostStrengths.isEmpty {
            problems.append(
                "strengths not written as in the page it translates (number and unit in Latin letters): "
                    + lostStrengths.joined(separator: ", "))
        }
        let lowered = translatedText.lowercased()
        let sourceLowered = sourceText.lowercased()
        let names = source.ingredients.map(\.name).filter {
            sourceLowered.contains($0.lowercased()) && !lowered.contains($0.lowercased())
        }
        if !names.isEmpty {
            problems.append(
                "medicine names not kept in Latin letters beside their translation: " + names.joined(separator: ", "))
        }
        return problems
    }

    /// The title and every section's text.
    static func text(of monograph: Monograph) -> String {
        ([monograph.title] + monograph.sections.map(\.markdown)).joined(separator: "\n")
    }

    /// The numbers of a text as written (`0.5`, `650`), Devanagari digits read as Latin ones;
    /// list numbers at the start of a line (`1. `) are layout, not facts, and are left out.
    static func numbers(in text: String) -> Set<String> {
        var numbers: Set<String> = []
        var current = ""
        var lineStart = true
        var startedAtLineStart = false
        var previous: Character = " "
        func flush(next: Character) {
            defer { current = "" }
            guard !current.isEmpty else { return }
            var number = current
            while number.hasSuffix(".") { number.removeLast() }
            // `1. ` at a line's start numbers a list.
            if startedAtLineStart, current.hasSuffix("."), next == " " { return }
            numbers.insert(number)
        }
        for character in text {
            if let digit = latinDigit(character) {
                if current.isEmpty { startedAtLineStart = lineStart && !previous.isLetter }
                current.append(digit)
            } else if character == ".", !current.isEmpty, !current.contains(".") {
                current.append(".")
            } else {
                flush(next: character)
                if character.isNewline {
                    lineStart = true
                } else if !character.isWhitespace && character != "*" && character != "-" {
                    lineStart = false
                }
            }
            previous = character
        }
        flush(next: " ")
        return numbers
    }

    /// `500 mg`, `0.5mcg`, `4 g`: a number with the Latin unit after it, spaced as `500 mg`.
    static func strengths(in text: String) -> Set<String> {
        let units: Set<String> = ["mg", "mcg", "g", "ml", "iu", "kg", "l", "µg", "%"]
        var found: Set<String> = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard latinDigit(characters[index]) != nil, index == 0 || latinDigit(characters[index - 1]) == nil,
                index == 0 || characters[index - 1] != "."
            else {
                index += 1
                continue
            }
            var number = ""
            while index < characters.count,
                let digit = latinDigit(characters[index]) ?? (characters[index] == "." ? "." : nil)
            {
                number.append(digit)
                index += 1
            }
            var cursor = index
            while cursor < characters.count, characters[cursor] == " " { cursor += 1 }
            var unit = ""
            while cursor < characters.count, characters[cursor].isASCII,
                characters[cursor].isLetter || characters[cursor] == "%"
            {
                unit.append(characters[cursor])
                cursor += 1
            }
            let lowered = unit.lowercased()
            if units.contains(lowered), cursor == characters.count || !characters[cursor].isLetter {
                while number.hasSuffix(".") { number.removeLast() }
                found.insert(number + " " + lowered)
            }
        }
        return found
    }

    /// `7` for `7` and for `७`.
    static func latinDigit(_ character: Character) -> Character? {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x30...0x39: return character
        case 0x966...0x96F: return Character(UnicodeScalar(scalar.value - 0x966 + 0x30)!)
        default: return nil
        }
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        utf8.contains(13) ? split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n") : self
    }
}
