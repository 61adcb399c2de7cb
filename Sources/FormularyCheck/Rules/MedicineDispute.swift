#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FormularyModel
import FormularyParsing

/// The first sentence of a page's body that disputes the page's medicine, found on bytes. Every
/// wording starts at a fixed phrase (`not a `, `hypothetical `, `is no `, ...); the phrases are
/// found in two `memchr` passes, one for the `n` of `not`, `no`, `n't` and `unable`, one for the
/// `y` of `hypothetical`, `individually` and `separately`, and only where a phrase occurs are the
/// words after it read, as a noun phrase that must end in a product noun ("not a standard,
/// pre-approved fixed-dose combination").
struct MedicineDispute: Equatable {
    /// The wordings, in the order they are tried.
    enum Wording: Equatable, Sendable {
        /// "not a standard, pre-approved pharmaceutical product", "isn't a real medication".
        case notAProduct
        /// "a hypothetical combination", "this hypothetical medication".
        case hypothetical
        /// "I could not find information on ...".
        case notFound
        /// "does not appear to be a recognized medication".
        case doesNotAppear
        /// "there is no commercially available fixed-dose combination".
        case noSuchProduct
        /// "prescribed as separate medications, not as a fixed-dose combination".
        case notAsOneProduct
        /// "not typically combined into a single pill", "not available as a single formulation".
        case notMadeAsOne
        /// "the information below describes each drug individually".
        case describedSeparately
    }

    /// Body offset of the start of the disputing sentence.
    var sentenceOffset: Int
    /// The sentence as a reader sees it (emphasis removed), shortened to 80 characters.
    var excerpt: String
    var wording: Wording

    /// A phrase that starts a dispute, and what must follow it.
    struct Anchor: Sendable {
        var bytes: [UInt8]
        var wording: Wording
        /// Whether the byte before must not be a letter (`not a`, not `cannot a`). Contractions
        /// (`n't a`) are found inside their word.
        var startsWord: Bool
        /// Whether the wording disputes only a combination ("not combined into a single pill"
        /// says nothing against a single substance).
        var combinationsOnly: Bool
        /// The byte a pass looks for (`n` or `y`) and where it is in `bytes`.
        var key: UInt8
        var keyOffset: Int
        /// Where, from the key, two bytes of the phrase tell the phrase's group apart: after the
        /// key (`n` + `ot`), or before it when the key ends the phrase (`ll` + `y`).
        var besideOffset: Int
    }

    static let anchors: [Anchor] = {
        let separately: [String] = ["drug", "medication", "medicine", "component", "ingredient"].flatMap {
            noun -> [String] in ["each \(noun) individually", "each \(noun) separately"]
        }
        var anchors: [Anchor] = []
        anchors += MedicineDispute.makeAnchors(.notAProduct, ["not a ", "not an ", "n't a ", "n't an "])
        anchors += MedicineDispute.makeAnchors(.hypothetical, ["hypothetical ", "Hypothetical "])
        anchors += MedicineDispute.makeAnchors(
            .notFound,
            [
                "I cannot find", "I could not find", "I couldn't find", "I was unable to find", "I am unable to find",
                "I'm unable to find", "I could not locate", "I cannot locate", "I could not identify",
                "I cannot identify",
            ])
        anchors += MedicineDispute.makeAnchors(
            .doesNotAppear,
            [
                "not appear to be a ", "not appear to be an ", "n't appear to be a ", "n't appear to be an ",
                "not seem to be a ", "not seem to be an ", "n't seem to be a ", "n't seem to be an ",
            ])
        anchors += MedicineDispute.makeAnchors(.noSuchProduct, ["is no ", "'s no "], combinationsOnly: true)
        anchors += MedicineDispute.makeAnchors(
            .notAsOneProduct, ["not as a ", "not as an "], combinationsOnly: true)
        anchors += MedicineDispute.makeAnchors(.notMadeAsOne, ["not ", "n't "], combinationsOnly: true)
        anchors += MedicineDispute.makeAnchors(.describedSeparately, separately, combinationsOnly: true)
        return anchors
    }()

    /// Each phrase as bytes, followed by its variant with a typographic apostrophe when it has a
    /// `'`. The key is the first `y` of a phrase with one, else the first `n` that starts `no`,
    /// `n'`, `n’` or `na`: every phrase has one of these.
    private static func makeAnchors(_ wording: Wording, _ phrases: [String], combinationsOnly: Bool = false)
        -> [Anchor]
    {
        let startsAfterN: [UInt8] = [UInt8(ascii: "o"), UInt8(ascii: "'"), 0xE2, UInt8(ascii: "a")]
        var anchors: [Anchor] = []
        for phrase in phrases {
            var spellings = [phrase]
            if phrase.contains("'") { spellings.append(String(phrase.map { $0 == "'" ? "\u{2019}" : $0 })) }
            for spelling in spellings {
                let bytes = Array(spelling.utf8)
                let isContraction =
                    bytes.count > 1 && bytes[0] == UInt8(ascii: "n")
                    && (bytes[1] == UInt8(ascii: "'") || bytes[1] == 0xE2)
                let keyOffset =
                    bytes.firstIndex(of: UInt8(ascii: "y"))
                    ?? bytes.indices.first(where: {
                        bytes[$0] == UInt8(ascii: "n") && $0 + 1 < bytes.count && startsAfterN.contains(bytes[$0 + 1])
                    })!
                anchors.append(
                    Anchor(
                        bytes: bytes, wording: wording, startsWord: isLetter(bytes[0]) && !isContraction,
                        combinationsOnly: combinationsOnly, key: bytes[keyOffset], keyOffset: keyOffset,
                        besideOffset: keyOffset + 2 < bytes.count ? 1 : -2))
            }
        }
        return anchors
    }

    /// Anchors that share a key byte, found in one `memchr` pass over the body. At each key
    /// byte only the groups whose two bytes beside the key match are compared, so the common
    /// `n` costs two byte comparisons a group.
    struct KeyedPass: Sendable {
        struct Group: Sendable {
            var besideOffset: Int
            var beside: [UInt8]
            var anchors: [Anchor]
        }

        /// What tells each group apart, as plain values (the same order as `groups`): the scan
        /// tests them at every key byte, without touching the groups' arrays.
        struct Probe: Sendable {
            var besideOffset: Int
            var first: UInt8
            var second: UInt8
        }

        var key: UInt8
        var groups: [Group]
        var probes: [Probe]
        /// The largest key offset: no anchor starts further before its key.
        var reach: Int
    }

    static let passes: [KeyedPass] = [UInt8(ascii: "n"), UInt8(ascii: "y")].map { key -> KeyedPass in
        var groups: [KeyedPass.Group] = []
        for anchor in MedicineDispute.anchors where anchor.key == key {
            let from = anchor.keyOffset + anchor.besideOffset
            let beside = Array(anchor.bytes[from..<(from + 2)])
            if let index = groups.firstIndex(where: { $0.besideOffset == anchor.besideOffset && $0.beside == beside }) {
                groups[index].anchors.append(anchor)
            } else {
                groups.append(KeyedPass.Group(besideOffset: anchor.besideOffset, beside: beside, anchors: [anchor]))
            }
        }
        let reach = MedicineDispute.anchors.filter { $0.key == key }.map(\.keyOffset).max() ?? 0
        let probes = groups.map {
            KeyedPass.Probe(besideOffset: $0.besideOffset, first: $0.beside[0], second: $0.beside[1])
        }
        return KeyedPass(key: key, groups: groups, probes: probes, reach: reach)
    }

    // MARK: Vocabulary

    /// Nouns a disputed product ends with: "... fixed-dose combination", "... pharmaceutical product".
    static let productNouns: Set<String> = [
        "product", "combination", "formulation", "medication", "medicine", "drug", "preparation", "pairing", "entity",
        "pill", "tablet", "substance", "compound",
    ]
    /// Words that deny a medicine exists at all: these dispute a single substance too.
    static let existenceDoubts: Set<String> = [
        "real", "recognized", "recognised", "known", "existing", "legitimate", "valid", "genuine", "actual",
    ]
    /// Words that deny a combination is a product one can buy: on a combination's page they dispute it.
    static let productDoubts: Set<String> = existenceDoubts.union([
        "standard", "standardized", "standardised", "pre-approved", "preapproved", "pre-formulated", "preformulated",
        "pre-made", "premade", "pre-mixed", "premixed", "pre-packaged", "prepackaged", "pre-combined",
        "pre-manufactured", "pre-existing", "commercially", "available", "established", "marketed", "widely",
        "commonly", "readily", "common", "conventional", "manufactured", "accepted", "fixed-dose", "typical",
        "typically",
    ])
    /// Of the doubts, those that say the product cannot be bought; with one of them a naming
    /// clause ("... with a single name") does not excuse the sentence.
    static let availabilityDoubts: Set<String> = [
        "pre-approved", "preapproved", "pre-formulated", "preformulated", "pre-made", "premade", "pre-mixed",
        "premixed", "pre-packaged", "prepackaged", "pre-combined", "pre-manufactured", "commercially", "available",
        "marketed", "readily", "manufactured", "fixed-dose",
    ]
    /// Regulatory words: "not an FDA-approved medication" is a fact about one market, not a doubt
    /// about the product. They may stand in the phrase but do not make it a dispute.
    static let regulatoryWords: Set<String> = [
        "approved", "fda-approved", "official", "officially", "authorized", "authorised", "licensed", "registered",
    ]
    /// Words that may stand in the phrase without disputing anything.
    static let neutralWords: Set<String> = [
        "single", "generic", "pharmaceutical", "fixed", "dose", "combined", "prescription", "specific", "named",
        "single-entity", "single-ingredient", "medicinal", "clinically", "recommended", "used", "prescribed",
        "frequently", "or", "and", "one", "ready-made", "mass-produced", "single-pill", "branded", "proprietary",
        "drug",
        "combination", "therapeutic", "formulated", "defined", "fda", "us", "globally", "internationally", "pre",
        "singular", "universally",
    ]
    /// Doubts that may follow the noun: "a fixed-dose combination available".
    static let postpositive: Set<String> = ["available", "approved", "marketed", "registered", "licensed"]
    /// A noun right after the product noun that makes the phrase about something else:
    /// "no standard combination dosage", "not a known drug interaction".
    static let continuations: Set<String> = [
        "dosage", "dosages", "dose", "doses", "dosing", "regimen", "regimens", "therapy", "therapies", "treatment",
        "treatments", "use", "usage", "practice", "practices", "interaction", "interactions", "name", "names",
        "guideline", "guidelines", "recommendation", "recommendations", "information", "data", "class", "option",
        "options", "choice", "approach", "protocol", "schedule", "indication", "indications", "side", "effect",
        "effects", "strength", "strengths", "route", "ratio", "ratios", "level", "levels", "amount", "amounts", "label",
        "labels", "labeling", "labelling", "insert", "monograph", "brand",
    ]
    /// A sentence about the name ("not a single generic medicine with a specific name") is not a
    /// dispute of the medicine.
    static let namingWords: Set<String> = ["name", "names", "named", "monograph", "brand", "branded", "brand-name"]
    /// "not ... as a single X" must name one product: "as a single pill", "as a fixed-dose combination".
    static let oneProductWords: Set<String> = [
        "single", "fixed", "fixed-dose", "combination", "combined", "pre-mixed", "premixed", "pre-packaged",
        "prepackaged", "pre-formulated", "preformulated", "pre-made", "premade", "one", "single-pill", "pre-combined",
    ]
    /// "not [typically] combined into a", "not [commonly] available as a".
    static let makingVerbs: Set<String> = [
        "available", "found", "marketed", "sold", "manufactured", "formulated", "combined", "packaged", "approved",
        "prescribed", "made", "produced", "supplied",
    ]
    static let adverbs: Set<String> = [
        "typically", "usually", "generally", "commonly", "widely", "readily", "commercially", "currently", "normally",
        "often", "routinely", "always", "together", "yet", "been",
    ]
    /// "The information below ...", "This response will ...": what describes the drugs one by one.
    static let textNouns: [[UInt8]] = [
        "information", "Information", "response", "below", "following", "this page", "This page",
    ].map { Array($0.utf8) }
    /// A sentence about injecting the parts ("given IV separately, not as a combined product") is
    /// about a route, not the medicine.
    static let routeWords: [[UInt8]] = ["intravenous", "Intravenous", "IV", "ICU"].map { Array($0.utf8) }

}
