import FormularyModel

/// Reads strengths as monograph titles and generator lists write them: `12mg`, `325 mg`,
/// `100mg/5ml`, `10mg/ml`, `1.5% w/w`, `50000IU`, `2gm`.
///
/// Only known units are accepted, so `Technetium Tc 99m` or `Interferon Alfa 2b` are not
/// mistaken for strengths; `Strength.unit` is canonical (`gm` becomes `g`, `IU` becomes `iu`).
public enum StrengthParser {
    /// Spellings of units, lower-cased, with their canonical form.
    static let units: [String: String] = [
        "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg",
        "mcg": "mcg", "µg": "mcg", "μg": "mcg", "ug": "mcg", "microgram": "mcg", "micrograms": "mcg",
        "g": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g",
        "kg": "kg", "ng": "ng",
        "iu": "iu", "i.u.": "iu", "miu": "miu", "kiu": "kiu", "au": "au", "u": "u", "unit": "units", "units": "units",
        "ml": "ml", "l": "l", "litre": "l", "liter": "l",
        "meq": "meq", "mmol": "mmol", "cfu": "cfu",
        "%": "%", "%w/w": "%w/w", "%w/v": "%w/v", "%v/v": "%v/v",
    ]

    /// Parses a whole strength such as `100mg/5ml`; `nil` when the text is not one strength.
    public static func parse(_ text: some StringProtocol) -> Strength? {
        let trimmed = text.trimmingWhitespace()
        var scanner = Scanner(Array(trimmed.unicodeScalars))
        guard let strength = scanner.strength(), scanner.isAtEnd else { return nil }
        return Strength(text: trimmed, value: strength.value, unit: strength.unit, per: strength.per)
    }

    /// Splits a trailing strength off an ingredient name: `Alemtuzumab 12mg` gives
    /// (`Alemtuzumab`, 12 mg); `Amoxycillin (500mg)` gives (`Amoxycillin`, 500 mg).
    /// A name without a trailing strength comes back whole with `nil`.
    public static func splitTrailingStrength(_ text: some StringProtocol) -> (name: String, strength: Strength?) {
        let trimmed = text.trimmingWhitespace()
        let scalars = Array(trimmed.unicodeScalars)
        // A strength starts at a digit that follows a space or an opening parenthesis.
        var start = scalars.count - 1
        while start > 0 {
            defer { start -= 1 }
            // An ASCII digit (`numericType` is a table lookup per scalar; for ASCII only the digits have one).
            guard scalars[start].value >= 48, scalars[start].value <= 57,
                scalars[start - 1] == " " || scalars[start - 1] == "("
            else { continue }
            let parenthesised = scalars[start - 1] == "("
            var end = scalars.count
            if parenthesised {
                guard scalars.last == ")" else { continue }
                end -= 1
            }
            var scanner = Scanner(Array(scalars[start..<end]))
            guard let strength = scanner.strength(), scanner.isAtEnd else { continue }
            let nameEnd = parenthesised ? start - 1 : start
            let name = String(String.UnicodeScalarView(scalars[0..<nameEnd])).trimmingWhitespace()
            guard !name.isEmpty else { return (trimmed, nil) }
            let strengthText = String(String.UnicodeScalarView(scalars[start..<end])).trimmingWhitespace()
            return (name, Strength(text: strengthText, value: strength.value, unit: strength.unit, per: strength.per))
        }
        return (trimmed, nil)
    }

    /// A small cursor over the scalars of one strength.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var isAtEnd: Bool { position == scalars.count }

        mutating func skipSpaces() {
            while position < scalars.count, scalars[position] == " " { position += 1 }
        }

        /// `value unit [/ [value] unit]`
        mutating func strength() -> (value: Double, unit: String, per: Strength.Quantity?)? {
            guard let value = number() else { return nil }
            skipSpaces()
            guard let unit = unit() else { return nil }
            let afterUnit = position
            skipSpaces()
            if position < scalars.count, scalars[position] == "/" {
                position += 1
                skipSpaces()
                let perValue = number() ?? 1
                skipSpaces()
                if let perUnit = self.unit(), !perUnit.hasPrefix("%") {
                    skipSpaces()
                    return (value, unit, Strength.Quantity(value: perValue, unit: perUnit))
                }
            }
            position = afterUnit
            skipSpaces()
            return (value, unit, nil)
        }

        /// Digits with at most one decimal point (`37.5`, `.5` is not accepted).
        mutating func number() -> Double? {
            let start = position
            var sawPoint = false
            while position < scalars.count {
                let scalar = scalars[position]
                if ("0"..."9").contains(scalar) {
                    position += 1
                } else if scalar == ".", !sawPoint, position > start, position + 1 < scalars.count,
                    ("0"..."9").contains(scalars[position + 1])
                {
                    sawPoint = true
                    position += 1
                } else {
                    break
                }
            }
            guard position > start else { return nil }
            return Double(String(String.UnicodeScalarView(scalars[start..<position])))
        }

        /// A known unit; `%` may be followed by `w/w`, `w/v` or `v/v`.
        mutating func unit() -> String? {
            let start = position
            if position < scalars.count, scalars[position] == "%" {
                position += 1
                let afterPercent = position
                skipSpaces()
                if position + 2 < scalars.count + 0, position + 3 <= scalars.count {
                    let word = String(String.UnicodeScalarView(scalars[position..<position + 3])).lowercased()
                    if ["w/w", "w/v", "v/v"].contains(word),
                        position + 3 == scalars.count || !scalars[position + 3].properties.isAlphabetic
                    {
                        position += 3
                        return "%" + word
                    }
                }
                position = afterPercent
                return "%"
            }
            while position < scalars.count,
                scalars[position].properties.isAlphabetic || scalars[position] == "µ" || scalars[position] == "."
            {
                position += 1
            }
            // A trailing full stop ends a sentence, not a unit (`i.u.` keeps its own).
            var spelled = String(String.UnicodeScalarView(scalars[start..<position])).lowercased()
            if let canonical = StrengthParser.units[spelled] { return canonical }
            while spelled.hasSuffix(".") {
                spelled.removeLast()
                position -= 1
            }
            if let canonical = StrengthParser.units[spelled], !spelled.isEmpty { return canonical }
            position = start
            return nil
        }
    }
}
