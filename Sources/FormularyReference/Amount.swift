import FormularyModel

/// A strength as the lists write it, in one unit per kind so that `0.5g` equals `500mg`:
/// masses in mg, volumes in ml, international units as `iu`, percentages as written.
struct Amount: Sendable, Hashable, CustomStringConvertible {
    var value: Double
    var unit: String
    /// `5ml` of `100mg/5ml`, or `1ml` of `25mg per ml`.
    var per: Per?

    struct Per: Sendable, Hashable {
        var value: Double
        var unit: String
    }

    var description: String {
        let number = value == value.rounded() ? String(Int(value)) : String(value)
        var text = number + unit
        if let per {
            let perNumber =
                per.value == 1 ? "" : (per.value == per.value.rounded() ? String(Int(per.value)) : String(per.value))
            text += "/" + perNumber + per.unit
        }
        return text
    }

    /// The same amount as a page's strength (`12mg`, `100mg/5ml`); a strength in a unit the
    /// lists do not use is never equal.
    func equals(_ strength: Strength) -> Bool {
        guard let (value, unit) = Self.normalized(strength.value, strength.unit), unit == self.unit,
            abs(value - self.value) < 0.0001 * max(1, value)
        else { return false }
        switch (per, strength.per) {
        case (nil, nil):
            return true
        case (let mine?, let theirs?):
            guard let (perValue, perUnit) = Self.normalized(theirs.value, theirs.unit) else { return false }
            return perUnit == mine.unit && abs(perValue - mine.value) < 0.0001 * max(1, perValue)
        default:
            return false
        }
    }

    /// Units the lists use, lower-cased, each to its kind's unit and factor.
    static let units: [String: (unit: String, factor: Double)] = [
        "mg": ("mg", 1), "mgs": ("mg", 1), "g": ("mg", 1000), "gm": ("mg", 1000), "gms": ("mg", 1000),
        "mcg": ("mg", 0.001), "µg": ("mg", 0.001), "μg": ("mg", 0.001), "ug": ("mg", 0.001),
        "kg": ("mg", 1_000_000),
        "iu": ("iu", 1), "i.u.": ("iu", 1), "i.u": ("iu", 1), "units": ("iu", 1), "unit": ("iu", 1),
        "ml": ("ml", 1), "l": ("ml", 1000), "litre": ("ml", 1000),
        "%": ("%", 1), "%w/w": ("%w/w", 1), "%w/v": ("%w/v", 1), "%v/v": ("%v/v", 1),
    ]

    static func normalized(_ value: Double, _ unit: String) -> (Double, String)? {
        guard let known = units[unit.lowercased()] else { return nil }
        return (value * known.factor, known.unit)
    }

    /// Whether a word starts an amount: a number followed by a unit, here or in the next word.
    static func startsAmount(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, ("0"..."9").contains(first) else { return false }
        return true
    }

    /// Whether the text holds a number with a unit.
    static func containsAmount(_ text: String) -> Bool { !all(in: text).isEmpty }

    /// `Glimepiride1mg/2mg` → (`Glimepiride`, `1mg/2mg`); `nil` unless the glued tail is an amount.
    static func splitGlued(_ word: String) -> (name: String, amount: String)? {
        let characters = Array(word)
        guard let digit = characters.firstIndex(where: { $0.isASCII && $0.isNumber }), digit >= 2,
            characters[..<digit].allSatisfy(\.isLetter)
        else { return nil }
        let tail = String(characters[digit...])
        guard let amount = all(in: tail).first, amount.unit != "%" || tail.contains("%") else { return nil }
        return (String(characters[..<digit]), tail)
    }

    /// Every amount in a text, with alternatives (`1mg/2mg/3mg`, `1000/500mg`) each its own,
    /// `100mg/5ml` and `25mg per ml` as amounts per volume.
    static func all(in text: String) -> [Amount] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var index = 0
        var found: [Amount] = []

        func skipSpaces() { while index < scalars.count, scalars[index] == " " { index += 1 } }
        func isDigit(_ position: Int) -> Bool {
            position < scalars.count && ("0"..."9").contains(scalars[position])
        }
        func number() -> Double? {
            let start = index
            while index < scalars.count, isDigit(index) || (scalars[index] == "." && isDigit(index + 1)) { index += 1 }
            guard index > start else { return nil }
            return Double(String(String.UnicodeScalarView(scalars[start..<index])))
        }
        func unit() -> String? {
            let start = index
            if index < scalars.count, scalars[index] == "%" {
                index += 1
                let afterPercent = index
                skipSpaces()
                let rest = String(String.UnicodeScalarView(scalars[index..<min(scalars.count, index + 3)]))
                if ["w/w", "w/v", "v/v"].contains(rest) {
                    index += 3
                    return "%" + rest
                }
                index = afterPercent
                return "%"
            }
            while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "." {
                index += 1
            }
            var word = String(String.UnicodeScalarView(scalars[start..<index]))
            while word.hasSuffix("."), units[word] == nil {
                word.removeLast()
                index -= 1
            }
            if units[word] != nil { return word }
            index = start
            return nil
        }

        while index < scalars.count {
            guard isDigit(index), index == 0 || !scalars[index - 1].properties.isAlphabetic else {
                index += 1
                continue
            }
            var values: [(Double, String?)] = []
            var per: Per?
            guard let first = number() else {
                index += 1
                continue
            }
            skipSpaces()
            values.append((first, unit()))
            while index < scalars.count {
                let save = index
                skipSpaces()
                if index < scalars.count, scalars[index] == "/" {
                    index += 1
                    skipSpaces()
                    if let next = number() {
                        skipSpaces()
                        values.append((next, unit()))
                        continue
                    }
                    if let perUnit = unit() {
                        per = Per(value: 1, unit: perUnit)
                    }
                    break
                }
                if index + 3 <= scalars.count, String(String.UnicodeScalarView(scalars[index..<index + 3])) == "per" {
                    index += 3
                    skipSpaces()
                    let perValue = number() ?? 1
                    skipSpaces()
                    if let perUnit = unit() { per = Per(value: perValue, unit: perUnit) }
                    break
                }
                index = save
                break
            }
            // Units missing from alternatives come from the next one that has a unit (`1000/500mg`).
            var nextUnit: String?
            for position in values.indices.reversed() {
                if let unit = values[position].1 { nextUnit = unit } else { values[position].1 = nextUnit }
            }
            // A volume after a mass is what the mass is in (`100mg/5ml`).
            if values.count >= 2, let lastUnit = values.last?.1, let kind = units[lastUnit], kind.unit == "ml",
                let firstUnit = values.first?.1, units[firstUnit]?.unit != "ml"
            {
                let volume = values.removeLast()
                per = Per(value: volume.0 * kind.factor, unit: "ml")
            }
            let normalizedPer = per.flatMap { per -> Per? in
                guard let (value, unit) = normalized(per.value, per.unit) else { return nil }
                return Per(value: value, unit: unit)
            }
            for (value, unit) in values {
                guard let unit, let (normalizedValue, normalizedUnit) = normalized(value, unit) else { continue }
                found.append(Amount(value: normalizedValue, unit: normalizedUnit, per: normalizedPer))
            }
        }
        return found
    }
}
