import Foundation
/// How search reads text: lower-case ASCII words and numbers, accents folded, Devanagari words
/// folded (`Devanagari.fold`), everything else a separator. The same rules apply to pages and
/// queries, and the static site's JavaScript client implements them again (keep them simple).
public enum SearchText {
    /// The words of a text: `Amoxycillin (500mg) + Clavulanic Acid` gives
    /// `amoxycillin`, `500mg`, `clavulanic`, `acid`.
    public static func words(_ text: some StringProtocol) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(24)
        var hasDevanagari = false
        func flush() {
            if !current.isEmpty {
                let word = String(decoding: current, as: UTF8.self)
                words.append(hasDevanagari ? Devanagari.fold(word.unicodeScalars) : word)
                current.removeAll(keepingCapacity: true)
                hasDevanagari = false
            }
        }
        for scalar in text.unicodeScalars {
            if let folded = fold(scalar) {
                current.append(folded)
            } else if Devanagari.contains(scalar) && scalar.value != 0x0964 && scalar.value != 0x0965
                && scalar.value != 0x0970 || (scalar.value == 0x200C || scalar.value == 0x200D) && hasDevanagari
            {
                // Letters, signs and digits of Devanagari; its full stops (। ॥) separate.
                current += String(scalar).utf8
                hasDevanagari = true
            } else if scalar == "." && !current.isEmpty && current.last.map({ $0 >= 48 && $0 <= 57 }) == true {
                current.append(UInt8(ascii: "."))  // `37.5mg` stays one word
            } else {
                flush()
            }
        }
        flush()
        // A trailing dot left by `12.` is punctuation.
        return words.map { word in
            let trimmed = word.hasSuffix(".") ? String(word.dropLast()) : word
            return spellingFolded(trimmed)
        }.filter { !$0.isEmpty }
    }

    /// British and American spellings folded to one: `sulphate` and `sulfate` are one word.
    static func spellingFolded(_ word: String) -> String {
        guard word.utf8.count >= 5 else { return word }
        // Most words hold none of the spellings: decide on bytes before any string work.
        let needsFold = word.utf8.withContiguousStorageIfAvailable { TextWords.needsSpellingFold($0) } ?? true
        guard needsFold else { return word }
        var result = word
        for (from, to) in [("sulph", "sulf"), ("aluminium", "aluminum"), ("oestr", "estr"), ("caesium", "cesium")]
        where result.contains(from) {
            result = result.replacingOccurrences(of: from, with: to)
        }
        return result
    }

    /// Units that follow a number in a query (`150 mg`): part of the strength, not a name.
    public static let units: Set<String> = [
        "mg", "mcg", "ug", "g", "gm", "kg", "ml", "l", "iu", "au", "u", "units", "w", "v",
    ]

    /// A strength written as one word (`650mg`, `0.25mcg`, `100gm`): its value and lower-case unit
    /// (`gm` read as `g`), or `nil` for a plain word.
    public static func strength(_ word: String) -> (value: Double, unit: String?)? {
        guard isNumeric(word), let value = leadingNumber(word) else { return nil }
        var unit = String(word.drop { $0.isNumber || $0 == "." })
        if unit == "gm" { unit = "g" }
        if unit == "ug" { unit = "mcg" }
        return (value, unit.isEmpty ? nil : unit)
    }

    /// ASCII letters lower-cased, digits kept, common Latin accents folded; `nil` for separators.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value >= 97 && value <= 122 || value >= 48 && value <= 57 { return UInt8(value) }
        if value >= 65 && value <= 90 { return UInt8(value + 32) }
        switch value {
        case 0xE0...0xE5, 0xC0...0xC5: return UInt8(ascii: "a")
        case 0xE8...0xEB, 0xC8...0xCB: return UInt8(ascii: "e")
        case 0xEC...0xEF, 0xCC...0xCF: return UInt8(ascii: "i")
        case 0xF2...0xF6, 0xD2...0xD6: return UInt8(ascii: "o")
        case 0xF9...0xFC, 0xD9...0xDC: return UInt8(ascii: "u")
        case 0xE7, 0xC7: return UInt8(ascii: "c")
        case 0xF1, 0xD1: return UInt8(ascii: "n")
        default: return nil
        }
    }

    /// Whether a word is a number, with or without a unit (`650`, `12mg`, `37.5`), which is
    /// matched exactly and never as a typo.
    public static func isNumeric(_ word: String) -> Bool {
        guard let first = word.utf8.first else { return false }
        return first >= 48 && first <= 57
    }

    /// The number at the start of a numeric word: `650mg` gives 650.
    public static func leadingNumber(_ word: String) -> Double? {
        Double(String(word.prefix { $0.isNumber || $0 == "." }))
    }

    /// Words that join ingredients in a query and carry no meaning of their own.
    public static let joiners: Set<String> = [
        "and", "with", "plus", "or", "of", "the", "for", "tablet", "tablets", "syrup", "injection", "cream", "gel",
        "drops", "capsule", "capsules",
    ]

    /// Salt and ester words: a page may name them or not (`metoprolol succinate`).
    public static let saltWords: Set<String> = [
        "bisulfate", "bisulphate", "hyclate", "mesilate", "bitartrate", "hemihydrate", "hemifumarate", "decanoate",
        "enanthate", "palmitate", "stearate", "pamoate", "embonate", "esylate", "tosylate", "hydrobromide",
        "sodium", "potassium", "calcium", "magnesium", "hydrochloride", "hcl", "hydrobromide", "sulfate", "sulphate",
        "succinate", "tartrate", "maleate", "fumarate", "mesylate", "besylate", "besilate", "citrate", "acetate",
        "phosphate", "dihydrochloride", "monohydrate", "trihydrate", "dihydrate", "bromide", "chloride", "nitrate",
        "propionate", "valerate", "dipropionate", "furoate", "disodium", "oxalate", "lactate", "gluconate",
        "medoxomil", "axetil", "proxetil", "pivoxil", "dimaleate", "tromethamine", "trometamol", "base",
    ]
}
