import FormularyModel
import FormularyParsing

/// A medicine to draft, from one line of input: `Amoxycillin (500mg), Clavulanic Acid` is
/// the combination `Amoxycillin 500mg + Clavulanic Acid`; `Omega-3 Fatty Acids` and
/// `Vitamin B12` keep every digit and hyphen.
public struct GenerationName: Sendable, Hashable, Codable {
    /// The page title: components joined by ` + `, each with its strength after the name.
    public var title: String
    /// The file name and address: `amoxycillin-500mg-clavulanic-acid`.
    public var slug: String
    public var ingredients: [Ingredient]
    /// The line as given.
    public var input: String

    public var kind: MonographKind { ingredients.count > 1 ? .combination : .single }

    /// The name as a set of substances and strengths, any order and any accepted name
    /// (`Acetaminophen` is `Paracetamol`): two inputs with one key are one medicine.
    public var key: String { Self.key(ingredients) }

    static func key(_ ingredients: [Ingredient]) -> String {
        ingredients.map { ingredient -> String in
            let name = NameEquivalents.canonicalName(ingredient.name)
            guard let strength = ingredient.strength else { return name }
            return name + " " + JSONText.format(strength.value) + strength.unit.lowercased()
        }.sorted().joined(separator: " + ")
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case noName(String)
        case tooLong(String)

        public var description: String {
            switch self {
            case .empty: return "an empty line names no medicine"
            case .noName(let line): return "'\(line)' has no medicine name in it"
            case .tooLong(let line): return "'\(line.prefix(40))...' is longer than 200 characters"
            }
        }
    }

    /// The lines of a list of names (`--from FILE`) that name something: not blank, not a
    /// `#` comment.
    public static func lines(of list: String) -> [String] {
        list.split(whereSeparator: \.isNewline).map(String.init).filter {
            !$0.trimmingWhitespace().isEmpty && !$0.hasPrefix("#")
        }
    }

    /// Reads one input line. Components are separated by `,`, `+` or ` and `; a strength in
    /// brackets (`(500mg)`) or after the name (`500 mg`) belongs to the component before it.
    public static func parse(_ line: String) throws(Problem) -> GenerationName {
        let trimmed = line.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= 200 else { throw .tooLong(trimmed) }
        var ingredients: [Ingredient] = []
        for part in components(of: trimmed) {
            // `Amoxycillin (500mg)` → `Amoxycillin 500mg`; other brackets (`(Recombinant)`) stay.
            var text = part
            if let open = text.lastIndex(of: "("), text.hasSuffix(")") {
                let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
                if StrengthParser.splitTrailingStrength("x " + inner).strength != nil {
                    text = String(text[..<open]).trimmingWhitespace() + " " + inner.trimmingWhitespace()
                }
            }
            let collapsed = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            let (name, strength) = StrengthParser.splitTrailingStrength(collapsed)
            let cleanName = name.trimmingWhitespace()
            // A strength alone (`500mg`) names nothing.
            let alone = StrengthParser.splitTrailingStrength("x " + cleanName)
            guard cleanName.contains(where: { $0.isLetter }), !(alone.strength != nil && alone.name == "x") else {
                continue
            }
            ingredients.append(Ingredient(name: titleCased(cleanName), strength: strength))
        }
        guard !ingredients.isEmpty else { throw .noName(trimmed) }
        let title = ingredients.map { ingredient in
            ingredient.strength.map { ingredient.name + " " + $0.text } ?? ingredient.name
        }.joined(separator: " + ")
        return GenerationName(title: title, slug: slug(title), ingredients: ingredients, input: trimmed)
    }

    /// `a, b + c / d and e` → `[a, b, c, d, e]`; nothing inside brackets splits.
    static func components(of line: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in line {
            if character == "(" || character == "[" { depth += 1 }
            if character == ")" || character == "]" { depth = max(0, depth - 1) }
            // `/` separates names, but not inside a strength: `100mg/5ml`, `10mg/ml`.
            let lastWord = current.split(separator: " ").last ?? ""
            let slashInStrength = character == "/" && lastWord.contains(where: { $0.isNumber })
            if depth == 0, character == "," || character == "+" || (character == "/" && !slashInStrength) {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.flatMap { $0.components(separatedBy: " and ") }.map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Lower-case words get a capital (`clavulanic acid` → `Clavulanic Acid`); words with a
    /// capital or a digit (`B12`, `DHA`, `Omega-3`, `mRNA`) are kept as written.
    static func titleCased(_ name: String) -> String {
        name.split(separator: " ").map { word -> String in
            guard word.allSatisfy({ !$0.isUppercase && !$0.isNumber }), let first = word.first else {
                return String(word)
            }
            return first.uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }

    /// The slug of a title: ASCII letters and digits, lower case, `-` between runs.
    public static func slug(_ title: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in title.unicodeScalars {
            let isWordCharacter = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            if isWordCharacter {
                if pendingDash, !result.isEmpty { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                pendingDash = true
            }
        }
        return result
    }
}
