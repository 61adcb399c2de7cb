import FormularyParsing

/// A combination or product as a government list writes it, read into what matching needs:
/// its ingredients' keys, the strengths it names and the dosage form it names.
///
/// The lists write free text (`Aceclofenac 50mg + Paracetamol 125mg oral liquid`,
/// `Glimepiride 1mg/2mg + Pioglitazone 15mg/15mg + Metformin 850mg/850mg`,
/// `Tinidazole Tablets IP 500 mg`, `Diclofenac Sodium Injection IP 25mg per ml`); what cannot
/// be read as ingredients (a class of drugs, a kit) says why in `unreadable`.
struct ListedCombination: Sendable, Hashable {
    struct Component: Sendable, Hashable {
        /// The ingredient's name as written, without strength or form.
        var name: String
        var key: String
        /// The strengths the list names for it: more than one for `1mg/2mg`.
        var amounts: [Amount]
    }

    var components: [Component]
    /// Dosage form words, canonical (`injection`, `syrup`, `eye`, `ointment`, `sr`), sorted.
    var form: [String]
    /// The list names strengths, per ingredient or for the whole (`(100mg + 40mg) per 5ml`).
    var namesStrengths: Bool
    /// Why the text cannot be matched by its ingredients, or `nil`.
    var unreadable: String?

    /// The ingredients' keys, sorted and without repeats: what pages are looked up by.
    var keySet: [String] { Array(Set(components.map(\.key))).sorted() }

    /// The strengths as written, for messages: `50mg + 125mg`.
    var strengthText: String {
        components.compactMap { component in
            component.amounts.isEmpty ? nil : component.amounts.map(\.description).joined(separator: "/")
        }.joined(separator: " + ")
    }

    /// A row of the banned list: ingredients joined by `+`.
    static func banned(_ text: String) -> ListedCombination {
        let lowered = text.lowercased()
        for phrase in classPhrases where lowered.containsText(phrase) {
            return ListedCombination(
                components: [], form: [], namesStrengths: false,
                unreadable: "names a class of drugs ('\(phrase)'), not a set of ingredients")
        }
        if lowered.containsText("kit") {
            return ListedCombination(
                components: [], form: [], namesStrengths: false, unreadable: "a kit of separate products")
        }
        var body = text
        // `... for human use`, as some notifications end.
        for suffix in [" for human use", " for human use."] where lowered.hasSuffix(suffix) {
            body = String(body.dropLast(suffix.count))
        }
        // `Fixed Dose Combinations Of X + Y`, a leading item number (`1  Pioglitazone`).
        for prefix in ["fixed dose combinations of ", "fixed dose combination of ", "fdc of "]
        where lowered.hasPrefix(prefix) {
            body = String(body.dropFirst(prefix.count))
        }
        var reader = TextReader(body)
        var form: Set<String> = []
        var namesStrengths = false
        // Parenthesised asides: strengths, forms and release modifiers are noted; other asides
        // (`(MSM)`, `(with Betacyclodextrin)`) are left out of the name.
        body = reader.withoutAsides { aside in
            let words = LetterWords.of(aside)
            if Amount.containsAmount(aside) { namesStrengths = true }
            for word in words {
                if let canonical = FormWords.canonical[word] ?? FormWords.release[word] { form.insert(canonical) }
            }
        }
        let parts = TextReader.split(body, at: "+").filter { !$0.isEmpty }
        var components: [Component] = []
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            guard var component = readComponent(part, trailingForm: isLast, form: &form) else { continue }
            if !component.amounts.isEmpty { namesStrengths = true }
            component.key = IngredientKey.of(component.name)
            components.append(component)
        }
        var combination = ListedCombination(
            components: components, form: form.sorted(), namesStrengths: namesStrengths, unreadable: nil)
        if components.count < 2 || components.contains(where: { $0.key.isEmpty }) {
            combination.unreadable = "fewer than two ingredients could be read"
        }
        return combination
    }

    /// A product of the Jan Aushadhi list: `A 100mg and B 325mg Tablets`, `A Tablets IP 500 mg`.
    static func product(_ text: String) -> ListedCombination {
        var reader = TextReader(text)
        let body = reader.withoutAsides { _ in }
        var form: Set<String> = []
        var parts: [String] = []
        for piece in TextReader.split(body, at: "+") where !piece.isEmpty {
            for byComma in TextReader.split(piece, at: ",") where !byComma.isEmpty {
                parts += TextReader.split(byComma, atWords: ["and", "&", "with"])
            }
        }
        var components: [Component] = []
        var unreadable: String?
        for part in parts {
            guard var component = readProductComponent(part, form: &form) else {
                unreadable = "no ingredient name in '\(part.trimmingCharacters())'"
                continue
            }
            component.key = IngredientKey.of(component.name)
            if component.key.isEmpty { unreadable = "no ingredient name in '\(part.trimmingCharacters())'" }
            components.append(component)
        }
        if components.isEmpty { unreadable = unreadable ?? "no ingredient could be read" }
        // A strength written once at the end of a combination's name belongs to no one ingredient.
        if components.count > 1, components.contains(where: { $0.amounts.count > 1 }) {
            unreadable = "strengths that cannot be told apart per ingredient"
        }
        return ListedCombination(
            components: components, form: form.sorted(),
            namesStrengths: components.contains { !$0.amounts.isEmpty }, unreadable: unreadable)
    }

    /// Phrases of rows that ban a class (`Corticosteroids with any other drug`).
    static let classPhrases = ["any other", "with any", "excluding", "all fixed dose", "other than"]

    /// `Metformin 500mg`, `Glimepiride1mg/2mg`, `Gliclazide SR30mg/60mg`, `Nimesulide dispersible tablets`.
    private static func readComponent(_ text: String, trailingForm: Bool, form: inout Set<String>) -> Component? {
        var words = TextReader.words(text)
        // Drop a leading item number (`1  Pioglitazone 30mg`).
        while let first = words.first, first.allSatisfy(\.isNumber) { words.removeFirst() }
        var name: [String] = []
        var rest: [String] = []
        for word in words {
            if !rest.isEmpty {
                rest.append(word)
                continue
            }
            let lower = word.lowercased()
            if let release = FormWords.release[lower] {
                form.insert(release)
                continue
            }
            if Amount.startsAmount(lower) || lower == "per" {
                rest.append(word)
                continue
            }
            // `Glimepiride1mg/2mg/3mg`, `SR30mg/60mg`: a name with a strength glued on.
            if let split = Amount.splitGlued(word) {
                if let release = FormWords.release[split.name.lowercased()] {
                    form.insert(release)
                } else {
                    name.append(split.name)
                }
                rest.append(split.amount)
                continue
            }
            name.append(word)
        }
        // Form words that end the last ingredient's name are the product's form.
        if trailingForm {
            while let last = name.last, let canonical = FormWords.canonical[last.lowercased()],
                name.count > 1 || !rest.isEmpty
            {
                form.insert(canonical)
                name.removeLast()
            }
        }
        let restText = rest.joined(separator: " ")
        for word in LetterWords.of(restText) {
            if let canonical = FormWords.canonical[word] { form.insert(canonical) }
        }
        let amounts = Amount.all(in: restText)
        let joined = name.joined(separator: " ").trimmingCharacters()
        guard joined.contains(where: \.isLetter) else { return nil }
        return Component(name: joined, key: "", amounts: amounts)
    }

    /// `Tinidazole Tablets IP 500 mg`: the name ends at the first form word, mark or strength.
    private static func readProductComponent(_ text: String, form: inout Set<String>) -> Component? {
        let words = TextReader.words(text)
        var name: [String] = []
        var ended = false
        var rest: [String] = []
        for word in words {
            let lower = word.lowercased()
            if !ended,
                FormWords.canonical[lower] != nil || FormWords.release[lower] != nil || FormWords.marks.contains(lower)
                    || FormWords.productWords.contains(lower) || Amount.startsAmount(lower)
            {
                ended = !name.isEmpty
            }
            if ended || (name.isEmpty && (FormWords.marks.contains(lower) || Amount.startsAmount(lower))) {
                rest.append(word)
            } else {
                name.append(word)
            }
        }
        let restText = rest.joined(separator: " ")
        for word in LetterWords.of(restText) {
            if let canonical = FormWords.canonical[word] ?? FormWords.release[word] { form.insert(canonical) }
        }
        let joined = name.joined(separator: " ").trimmingCharacters()
        guard joined.contains(where: \.isLetter) else { return nil }
        return Component(name: joined, key: "", amounts: Amount.all(in: restText))
    }
}

/// Dosage form words of the lists and titles, each with one spelling.
enum FormWords {
    static let canonical: [String: String] = [
        "injection": "injection", "injections": "injection", "inj": "injection", "injectable": "injection",
        "infusion": "injection",
        "tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet",
        "dispersible": "dispersible",
        "capsule": "capsule", "capsules": "capsule",
        "syrup": "syrup", "suspension": "suspension", "liquid": "liquid", "elixir": "elixir", "drops": "drops",
        "ointment": "ointment", "cream": "cream", "lotion": "lotion", "spray": "spray", "eye": "eye", "ear": "ear",
        "nasal": "nasal", "topical": "topical", "sachet": "sachet", "granules": "granules", "lozenges": "lozenges",
        "gel": "gel", "solution": "solution", "powder": "powder", "suppository": "suppository",
        "suppositories": "suppository", "inhaler": "inhaler", "respules": "respules", "shampoo": "shampoo",
    ]

    /// Release modifiers: `(SR)`, `ER`, `MR`, `sustained release`.
    static let release: [String: String] = [
        "sr": "sr", "er": "sr", "xr": "sr", "cr": "sr", "mr": "sr", "pr": "sr", "sustained": "sr", "sustainded": "sr",
        "prolonged": "sr", "extended": "sr", "modified": "sr", "controlled": "sr",
        "enteric": "enteric", "gastro": "enteric", "resistant": "enteric", "delayed": "enteric",
    ]

    /// How a canonical form word reads in a message.
    static let spoken = ["sr": "sustained or modified release", "enteric": "enteric-coated"]

    /// Pharmacopoeia marks after a product's name.
    static let marks: Set<String> = ["ip", "bp", "usp", "i.p.", "b.p.", "u.s.p."]

    /// Other words of a product's name that are not its ingredient (`Oral`, `Film-coated`).
    static let productWords: Set<String> = [
        "oral", "film", "coated", "chewable", "orally", "disintegrating", "release", "soft", "hard", "gelatin",
        "for", "reconstitution", "mouth", "wash", "dusting", "vaginal", "transdermal", "patch", "paste", "emulsion",
        "dry", "prefilled", "syringe", "vial", "ampoule", "pfs", "gastro-resistant", "prolonged-release",
        "film-coated", "sustained-release", "extended-release", "modified-release", "rapid", "dt", "md", "od",
    ]
}

/// Splitting helpers over one list entry's text.
struct TextReader {
    var text: String

    init(_ text: String) { self.text = text }

    /// The text without `( ... )` and `[ ... ]` asides; each aside is handed to `note` first.
    mutating func withoutAsides(_ note: (String) -> Void) -> String {
        // On bytes: brackets are ASCII, and no byte of another character is one.
        var kept: [UInt8] = []
        var aside: [UInt8] = []
        kept.reserveCapacity(text.utf8.count)
        var depth = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") {
                depth += 1
                if depth == 1 { aside.removeAll(keepingCapacity: true) }
                continue
            }
            if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") {
                if depth == 1 {
                    note(String(decoding: aside, as: UTF8.self))
                    kept.append(UInt8(ascii: " "))
                }
                depth = max(0, depth - 1)
                continue
            }
            if depth > 0 { aside.append(byte) } else { kept.append(byte) }
        }
        if depth > 0 { note(String(decoding: aside, as: UTF8.self)) }
        return String(decoding: kept, as: UTF8.self)
    }

    /// The pieces of `text` between `separator` bytes (an ASCII character), empty ones included.
    static func split(_ text: String, at separator: Character) -> [String] {
        let byte = separator.asciiValue!
        return text.utf8.split(separator: byte, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Words split at spaces; punctuation-only words (`,`, `&`) left out.
    static func words(_ text: String) -> [String] {
        text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }).filter { word in
            // A letter, digit, `%` or any non-ASCII byte (a letter of another script).
            word.contains {
                ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || ($0 >= 48 && $0 <= 57) || $0 == 37 || $0 >= 0x80
            }
        }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Pieces of `text` between whole words in `separators` (lower-case ASCII; matched
    /// case-insensitively), each piece's words joined by one space.
    static func split(_ text: String, atWords separators: Set<String>) -> [String] {
        let separatorBytes = separators.map { Array($0.utf8) }
        var pieces: [String] = []
        var current: [UInt8] = []
        for word in text.utf8.split(separator: UInt8(ascii: " ")) {
            let isSeparator = separatorBytes.contains { separator in
                separator.count == word.count
                    && zip(separator, word).allSatisfy { $0 == ($1 >= 65 && $1 <= 90 ? $1 + 32 : $1) }
            }
            if isSeparator {
                if !current.isEmpty { pieces.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
            } else {
                if !current.isEmpty { current.append(UInt8(ascii: " ")) }
                current.append(contentsOf: word)
            }
        }
        if !current.isEmpty { pieces.append(String(decoding: current, as: UTF8.self)) }
        return pieces
    }

}

extension String {
    func trimmingCharacters() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace || first == "," || first == "." { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace || last == "," { scalars.removeLast() }
        return String(scalars)
    }
}
