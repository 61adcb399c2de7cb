import FormularyModel
import FormularyParsing

/// The one spelling under which a list's ingredient and a page's ingredient are compared:
/// `Chlorpheniramine Maleate`, `Chlorphenamine` and `chlorpheniramine` all give `clorfenamine`.
///
/// What is taken into account, in order (each step for a reason a pharmacist would accept):
/// 1. Case, spacing, hyphens and a parenthesised aside: `Beta-Gluconase` is `beta gluconase`.
/// 2. Pharmacopoeia marks (`IP`, `BP`, `USP`) and `Vit.` for `Vitamin`.
/// 3. The salt or ester a name ends with (`HCl`, `Hydrochloride`, `Maleate`, `Sodium`,
///    `Sulphate`, ...): the active moiety is the same. A salt word is kept when what would
///    remain is itself only an ion (`Sodium Citrate`, `Potassium Chloride`, `Zinc Sulphate`
///    stay whole: there the salt is the ingredient).
/// 4. Spelling of the notifications and of British, Indian and US usage: `ph`/`f`, `y`/`i`,
///    `ae`/`e`, `oe`/`e`, doubled letters, spaces (`Amoxycillin` is `Amoxicillin`,
///    `Guaiphenesin` is `Guaifenesin`, `Sulphadiazine` is `Sulfadiazine`), and the misspellings
///    the notifications are known to carry (`Chlopheniramine`).
/// 5. Other names of one substance (INN, BAN, USAN: `NameEquivalents`, and the few that only
///    the lists need, `ReferenceSynonyms`).
///
/// Deliberately not: near spellings by edit distance (`prednisone` is not `prednisolone`).
/// `RegulatoryMatcher` reports such near misses as possible matches for a person to decide.
public enum IngredientKey {
    /// The comparison key of one ingredient name; empty when nothing of a name is left.
    public static func of(_ name: String) -> String {
        let spelled = raw(name)
        return synonyms[spelled] ?? spelled
    }

    /// Steps 1 to 4, without other names.
    static func raw(_ name: String) -> String {
        var words = words(of: name)
        words = words.map { abbreviations[$0] ?? $0 }.filter { !pharmacopoeiaMarks.contains($0) }
        words = words.map { knownMisspellings[$0] ?? $0 }
        while words.count > 1, let first = words.first, leadingQualifiers.contains(first) { words.removeFirst() }
        words = withoutSalt(words)
        var joined = words.joined(separator: " ")
        if let fixed = knownMisspellings[joined] { joined = fixed }
        return fold(joined)
    }

    /// Lower-cased words, split at spaces, hyphens, commas and full stops; parenthesised and
    /// bracketed text left out.
    static func words(of name: String) -> [String] {
        // Names are ASCII but for a rare letter: bytes are several times faster than Characters.
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(of: name) }
        var words: [String] = []
        var word = ""
        var depth = 0
        for character in name.lowercased() {
            switch character {
            case "(", "[":
                depth += 1
            case ")", "]":
                depth = max(0, depth - 1)
            case _ where depth > 0:
                continue
            case " ", "\t", "-", ",", ".", "/", "\u{2013}", "\u{2019}", "'", ":", ";", "*":
                if !word.isEmpty { words.append(word) }
                word = ""
            default:
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// `words(of:)` for an ASCII name.
    private static func asciiWords(of name: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        var depth = 0
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                depth = max(0, depth - 1)
            case _ where depth > 0:
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: ","), UInt8(ascii: "."),
                UInt8(ascii: "/"), UInt8(ascii: "'"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "*"):
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            default:
                word.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// Drops trailing salt words while what remains names more than an ion.
    static func withoutSalt(_ words: [String]) -> [String] {
        var words = words
        while words.count > 1, let last = words.last, saltWords.contains(last) {
            let rest = Array(words.dropLast())
            if rest.allSatisfy({ ions.contains($0) }) { break }
            words = rest
        }
        return words
    }

    /// Spelling variants folded to one: letters and digits only, `ph` → `f`, `y` → `i`,
    /// `ae`/`oe` → `e`, doubled letters once.
    static func fold(_ text: String) -> String {
        var letters: [UInt8] = []
        letters.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let lower = (byte >= 65 && byte <= 90) ? byte + 32 : byte
            guard (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower >= 0x80 else { continue }
            letters.append(lower)
        }
        var folded: [UInt8] = []
        folded.reserveCapacity(letters.count)
        var index = 0
        while index < letters.count {
            var byte = letters[index]
            let next: UInt8? = index + 1 < letters.count ? letters[index + 1] : nil
            if byte == UInt8(ascii: "p"), next == UInt8(ascii: "h") {
                byte = UInt8(ascii: "f")
                index += 1
            } else if (byte == UInt8(ascii: "a") || byte == UInt8(ascii: "o")), next == UInt8(ascii: "e") {
                byte = UInt8(ascii: "e")
                index += 1
            } else if byte == UInt8(ascii: "y") {
                byte = UInt8(ascii: "i")
            }
            if folded.last != byte || byte < 97 || byte > 122 { folded.append(byte) }
            index += 1
        }
        return String(decoding: folded, as: UTF8.self)
    }

    /// Salt, ester and hydrate words that follow an active moiety's name.
    static let saltWords: Set<String> = [
        "hcl", "hydrochloride", "dihydrochloride", "hydrobromide", "hbr", "maleate", "sodium", "disodium",
        "potassium", "calcium", "magnesium", "sulphate", "sulfate", "phosphate", "citrate", "tartrate",
        "bitartrate", "succinate", "fumarate", "acetate", "mesylate", "mesilate", "besylate", "besilate",
        "bromide", "monohydrate", "dihydrate", "trihydrate", "sesquihydrate", "hydrate", "anhydrous",
        "dipropionate", "propionate", "valerate", "furoate", "gluconate", "lactate", "nitrate", "mononitrate",
        "chloride", "hyclate", "tosylate", "napadisylate", "pamoate", "embonate", "stearate", "palmitate",
        "malate", "oxalate", "trometamol", "tromethamine", "hydrogen", "dimesylate", "decanoate",
        "diethylamine", "free", "base", "pentahydrate", "heptahydrate", "proxetil",
        // Not salts, but words after a name that do not change the substance (`Ginkgo Biloba Extract`).
        "extract", "extracts",
    ]

    /// Words that name only an ion or an element: a salt word after them is the ingredient itself.
    static let ions: Set<String> = [
        "sodium", "disodium", "potassium", "calcium", "magnesium", "zinc", "ferrous", "ferric", "iron", "ammonium",
        "aluminium", "aluminum", "copper", "cupric", "manganese", "lithium", "silver", "chromium", "selenium",
        "lanthanum", "strontium", "bismuth", "barium", "cobalt", "hydrogen",
    ]

    /// Words before a name that do not change the substance (`Elemental Zinc`, `Dried Ferrous Sulphate`).
    static let leadingQualifiers: Set<String> = ["elemental", "dried", "purified", "exsiccated"]

    static let pharmacopoeiaMarks: Set<String> = ["ip", "bp", "usp", "ph", "eur", "i", "p"]

    static let abbreviations: [String: String] = ["vit": "vitamin", "vitamine": "vitamin"]

    /// Misspellings found in the notifications, each checked by reading the row (the whole
    /// name after steps 1 to 3, lower-cased, words joined by a space).
    static let knownMisspellings: [String: String] = [
        "chlopheniramine": "chlorpheniramine",
        "dextromethophan": "dextromethorphan",
        "tripolidine": "triprolidine",
        "ammomium": "ammonium",
        "mentho": "menthol",
        "chlorepheniramine": "chlorpheniramine",
        "chloropheniramine": "chlorpheniramine",
        "dextromethophen": "dextromethorphan",
        "vinpocetin": "vinpocetine",
        "phenylephirine": "phenylephrine",
        "phenyephrine": "phenylephrine",
        "pseudoepheridine": "pseudoephedrine",
        "hydrochlopride": "hydrochloride",
        "acelofenac": "aceclofenac",
        "clotimazole": "clotrimazole",
        "clobetasole": "clobetasol",
        "diacerin": "diacerein",
        "diethylcabamazine": "diethylcarbamazine",
        "lignocain": "lignocaine",
        "magaldrat": "magaldrate",
        "oxytacaine": "oxetacaine",
        "chlorobutol": "chlorbutol",
        "glucosamin": "glucosamine",
        "levetiracitam": "levetiracetam",
        "flurometholone": "fluorometholone",
        "salicyclic": "salicylic",
        "sufonyl": "sulfonyl",
        "penthenol": "panthenol",
        "mesentricus": "mesentericus",
        "pentazocin": "pentazocine",
        "chlorphenaramine": "chlorpheniramine",
        "glimepride": "glimepiride",
        "dimethieone": "dimethicone",
        "paracetomol": "paracetamol",
        "cetrizine": "cetirizine",
        "levocetrizine": "levocetirizine",
        "dextromethorphen": "dextromethorphan",
        "bromhexin": "bromhexine",
        "ambroxal": "ambroxol",
        "phenylepherine": "phenylephrine",
        "phenylphrine": "phenylephrine",
        "nimesulid": "nimesulide",
        "serratiopeptidaae": "serratiopeptidase",
    ]

    /// Other names, folded: each name's raw key to its group's first name's raw key.
    static let synonyms: [String: String] = {
        var table: [String: String] = [:]
        for group in NameEquivalents.groups + ReferenceSynonyms.groups {
            let preferred = raw(group[0])
            for name in group where raw(name) != preferred { table[raw(name)] = preferred }
        }
        return table
    }()
}

/// Other names of one substance that India's lists use and `NameEquivalents` (which search
/// also reads) does not hold. Each group lists the name used on most pages first.
enum ReferenceSynonyms {
    static let groups: [[String]] = [
        ["dicyclomine", "dicycloverine"],  // USAN and Indian usage / INN
        ["niacinamide", "nicotinamide"],  // USAN / INN
        ["serratiopeptidase", "serrapeptase"],
        ["vitamin b12", "cyanocobalamin"],
        ["vitamin b2", "riboflavin", "riboflavine"],
        ["vitamin b3", "niacin", "nicotinic acid"],
        ["vitamin e", "tocopherol", "alpha tocopherol", "alphatocopherol", "dl alpha tocopherol", "tocopheryl"],
        ["vitamin a", "retinol"],
        ["vitamin b9", "folic acid"],
        ["lactic acid bacillus", "lactobacillus sporogenes", "bacillus coagulans", "lactic acid bacillus spores"],
        ["simethicone", "simeticone", "activated dimethicone", "activated dimeticone"],
        ["dimethicone", "dimeticone"],
        ["chlordiazepoxide", "chlordiazepoxide"],
        ["methocarbamol", "methocarbamol"],
        ["pholcodine", "pholcodeine"],
        ["omega 3 fatty acids", "omega 3 fatty acid", "omega 3"],
        [
            "l methylfolate", "l 5 methyltetrahydrofolate", "l methyl folate", "levomefolate",
            "l 5 methyl tetrahydrofolate",
        ],
        ["drotaverine", "drotaverin"],
        ["acetylcysteine", "n acetylcysteine", "n acetyl cysteine", "acetyl cysteine"],
        ["flupentixol", "flupenthixol"],  // INN / BAN
        [
            "clioquinol", "iodochlorhydroxyquinoline", "iodochlorohydroxyquinoline", "iodochlorhydroxyquin",
            "idochlorhydroxyquinone",
        ],
        ["etofylline", "hydroxyethyltheophylline", "hydroxyethyl theophylline"],
        ["racemethionine", "dl methionine", "d l methionine"],
        ["ursodeoxycholic acid", "ursodiol"],
        ["terpin", "terpinhydrate"],
        ["hydroxypropylmethylcellulose", "hpmc", "hypromellose", "hydroxy propyl methyl cellulose"],
        ["ethamsylate", "etamsylate"],
        ["metronidazole", "metronidazol"],
        ["cefadroxil", "cefadroxyl"],
        ["ofloxacin", "ofloxacine"],
        ["clidinium", "clidinium"],
    ]
}

/// A page's ingredients with their keys, worked out once and read by both lists' matchers.
public struct KeyedIngredients: Sendable {
    public let ingredients: [Ingredient]
    /// Each ingredient's key, in title order.
    let keys: [String]
    /// The keys sorted, what the lists are looked up by; `nil` when a name has no key or two
    /// names are one substance (`Paracetamol + Acetaminophen` is not a combination of two).
    let keySet: [String]?

    public init(_ ingredients: [Ingredient]) {
        self.ingredients = ingredients
        keys = ingredients.map { IngredientKey.of($0.name) }
        let sorted = Array(Set(keys)).sorted()
        keySet = sorted.count == keys.count && !sorted.contains("") ? sorted : nil
    }

    /// The ingredient whose key is `key`.
    func ingredient(withKey key: String) -> Ingredient? {
        keys.firstIndex(of: key).map { ingredients[$0] }
    }
}
