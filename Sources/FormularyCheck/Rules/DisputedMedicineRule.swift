#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CFastSearch
import FormularyModel
import FormularyParsing

/// A draft that does not refuse but doubts its own medicine: "This combination is not a standard,
/// pre-approved pharmaceutical product", "This is a hypothetical combination", "The information
/// below describes each drug separately".
struct DisputedMedicineRule: Rule {
    let name = "disputed-medicine"
    let defaultSeverity = Severity.warning
    let summary =
        "The text doubts its own medicine ('this combination is not a standard, pre-approved product', 'a hypothetical combination', 'the information below describes each drug separately')."
    let explanation = """
        A language model asked for a monograph sometimes writes one but disputes the medicine it
        is about: the combination "is not a standard, pre-approved pharmaceutical product", "is not
        typically combined into a single pill", "is a hypothetical combination", "there is no
        commercially available fixed-dose combination of ...", so "the information below describes
        each drug individually". A single substance is disputed only when the text says it is not
        a real, recognized or known medicine, is hypothetical, or could not be found. The first such
        sentence of the page is reported.

        On a page of an existing product (most combinations are sold in India, where these pages
        are read) the sentence is wrong and tells the reader the medicine may not exist; on a page
        for a product that really does not exist, the whole page is in doubt. Check the product
        (a brand, the licensing authority's list), then remove the doubting sentences and let the
        sections describe the product, or remove the page. A page that only refuses, without a
        single monograph section, is an 'ai-refusal' error instead and is not reported here too.

        Not reported: that a combination is not FDA-approved (a fact about one market) or has no
        single generic or brand name; dispute about a route, dose or setting (IV, ICU); and
        ordinary cautions ("this combination is not recommended in pregnancy", "not a substitute
        for medical advice"). A warning, because the sentence may be a fair note on a compounded
        preparation; silence one with <!-- formulary-ignore disputed-medicine --> on the line
        before it.
        """

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let isCombination = page.monograph.kind == .combination
        guard
            let dispute = page.bodyBytes.withUnsafeBufferPointer({
                MedicineDispute.first(in: $0, isCombination: isCombination)
            }),
            !AIRefusalRule.isRefusal(page)
        else { return [] }
        let (line, column) = PageText(page: page).location(ofBodyOffset: dispute.sentenceOffset)
        return [
            Finding(
                line: line, column: column,
                message:
                    "the text doubts its own medicine ('\(dispute.excerpt)'); check that the product exists, then remove the doubt or the page"
            )
        ]
    }
}

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

    // MARK: Search

    /// The first disputing sentence in `body`; `isCombination` allows the wordings that only
    /// dispute a combination.
    static func first(in body: UnsafeBufferPointer<UInt8>, isCombination: Bool) -> MedicineDispute? {
        guard let base = body.baseAddress else { return nil }
        var best: (offset: Int, wording: Wording)?
        for pass in passes {
            var from = 0
            while from < body.count, let found = memchr(base + from, Int32(pass.key), body.count - from) {
                let key = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                from = key + 1
                // No anchor starts more than `reach` bytes before its key: later keys cannot be earlier.
                if let best, key - pass.reach >= best.offset { break }
                for index in pass.probes.indices {
                    let probe = pass.probes[index]
                    let beside = key + probe.besideOffset
                    guard beside >= 0, beside + 1 < body.count, body[beside] == probe.first,
                        body[beside + 1] == probe.second
                    else { continue }
                    for anchor in pass.groups[index].anchors where isCombination || !anchor.combinationsOnly {
                        let start = key - anchor.keyOffset
                        guard start >= 0, start + anchor.bytes.count <= body.count, start < best?.offset ?? body.count,
                            memcmp(base + start, anchor.bytes, anchor.bytes.count) == 0,
                            !(anchor.startsWord && start > 0 && isLetter(body[start - 1])),
                            confirms(anchor, at: start, in: body, isCombination: isCombination),
                            !namesRoute(around: start, in: body)
                        else { continue }
                        best = (start, anchor.wording)
                    }
                }
            }
        }
        guard let best else { return nil }
        let start = sentenceStart(before: best.offset, in: body)
        let end = sentenceEnd(after: best.offset, in: body)
        return MedicineDispute(
            sentenceOffset: start, excerpt: shortened(UnsafeBufferPointer(rebasing: body[start..<end])),
            wording: best.wording)
    }

    /// Whether what follows the anchor at `position` makes it a dispute. Most anchors are
    /// followed by something else ("not a substitute", "not recommended"), so the first word
    /// is read alone before the clause is.
    static func confirms(_ anchor: Anchor, at position: Int, in body: UnsafeBufferPointer<UInt8>, isCombination: Bool)
        -> Bool
    {
        let after = position + anchor.bytes.count
        let doubts = isCombination ? productDoubts : existenceDoubts
        switch anchor.wording {
        case .notAProduct, .doesNotAppear, .noSuchProduct:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(words(from: after, in: body)[...], doubts: doubts, needsDoubt: true)
        case .hypothetical:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(words(from: after, in: body)[...], doubts: doubts, needsDoubt: false)
        case .notFound:
            return true
        case .notAsOneProduct:
            return opensPhrase(at: after, in: body)
                && isDisputedProduct(
                    words(from: after, in: body)[...], doubts: productDoubts, needsDoubt: false,
                    requiring: oneProductWords)
        case .notMadeAsOne:
            guard let next = words(from: after, in: body, limit: 1).first,
                adverbs.contains(next.text) || makingVerbs.contains(next.text)
            else { return false }
            let following = words(from: after, in: body)
            var index = 0
            while index < following.count, adverbs.contains(following[index].text) { index += 1 }
            guard index + 2 < following.count, makingVerbs.contains(following[index].text),
                ["as", "into", "in"].contains(following[index + 1].text),
                ["a", "an"].contains(following[index + 2].text)
            else { return false }
            return isDisputedProduct(
                following[(index + 3)...], doubts: productDoubts, needsDoubt: false, requiring: oneProductWords)
        case .describedSeparately:
            let start = sentenceStart(before: position, in: body)
            return textNouns.contains { occurs($0, in: body, from: start, to: position) }
        }
    }

    /// Every word a disputing noun phrase may hold.
    static let phraseWords: Set<String> = productNouns.union(productDoubts).union(neutralWords).union(regulatoryWords)

    /// Whether the word at `start` may open a disputing noun phrase (a cheap test before the
    /// whole clause is read).
    static func opensPhrase(at start: Int, in body: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let next = words(from: start, in: body, limit: 1).first else { return false }
        return phraseWords.contains(next.text)
    }

    /// A word after an anchor, lowercased, and whether a comma or bracket came before it (a
    /// continuation after a comma starts a new clause: "not a pre-mixed medication, dosage ...").
    struct Word: Equatable {
        var text: String
        var followsPunctuation: Bool
    }

    /// Whether `words` open with a noun phrase that disputes a product: only doubts, neutral
    /// words and product nouns, ending in a product noun (or a doubt after one), with a doubt
    /// among them when `needsDoubt`, and a word of `requiring` when given.
    static func isDisputedProduct(
        _ words: ArraySlice<Word>, doubts: Set<String>, needsDoubt: Bool, requiring: Set<String>? = nil
    ) -> Bool {
        var sawDoubt = false
        var sawProduct = false
        var sawRequired = requiring == nil
        var deniesAvailability = false
        var last: String?
        for (index, word) in words.enumerated() {
            guard index < 8 else { return false }
            if requiring?.contains(word.text) == true { sawRequired = true }
            if availabilityDoubts.contains(word.text) { deniesAvailability = true }
            if productNouns.contains(word.text) {
                sawProduct = true
                last = word.text
                continue
            }
            let isDoubt = doubts.contains(word.text)
            if isDoubt || neutralWords.contains(word.text) || productDoubts.contains(word.text)
                || regulatoryWords.contains(word.text)
            {
                if isDoubt { sawDoubt = true }
                if word.text != "or" && word.text != "and" { last = word.text }
                continue
            }
            if let last, productNouns.contains(last), continuations.contains(word.text), !word.followsPunctuation {
                return false
            }
            break
        }
        guard sawProduct, sawDoubt || !needsDoubt, sawRequired, let last,
            productNouns.contains(last) || postpositive.contains(last)
        else { return false }
        return deniesAvailability || !words.contains { namingWords.contains($0.text) }
    }

    /// Up to `limit` words from `start` to the end of the clause.
    static func words(from start: Int, in body: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> [Word] {
        let end = clauseEnd(from: start, in: body)
        var words: [Word] = []
        var index = start
        var followsPunctuation = false
        while index < end, words.count < limit {
            let byte = body[index]
            guard isWordByte(byte) else {
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                    followsPunctuation = true
                }
                index += 1
                continue
            }
            var stop = index
            while stop < end, isWordByte(body[stop]) { stop += 1 }
            // Quotes and dashes around a word are not part of it ('standard' -> standard).
            var first = index
            var last = stop
            while first < last, body[first] == UInt8(ascii: "'") || body[first] == UInt8(ascii: "-") { first += 1 }
            while last > first, body[last - 1] == UInt8(ascii: "'") || body[last - 1] == UInt8(ascii: "-") { last -= 1 }
            if first < last {
                let lowered = body[first..<last].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                words.append(
                    Word(text: String(decoding: lowered, as: UTF8.self), followsPunctuation: followsPunctuation))
                followsPunctuation = false
            }
            index = stop
        }
        return words
    }

    /// What may follow a full stop that ends a clause.
    static let afterFullStop: [UInt8] = Array(" \n*_)\"'".utf8)

    /// Where the clause from `start` ends: a line break, `!`, `?`, `;`, `:`, or a full stop
    /// before a space, a line break, emphasis or a closing bracket or quote (not `0.5 mg`).
    static func clauseEnd(from start: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var index = start
        while index < body.count {
            switch body[index] {
            case UInt8(ascii: "\n"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ";"), UInt8(ascii: ":"):
                return index
            case UInt8(ascii: "."):
                if index + 1 >= body.count || afterFullStop.contains(body[index + 1]) { return index }
            default:
                break
            }
            index += 1
        }
        return body.count
    }

    /// The first byte of the sentence holding `position` (after a line break, `!`, `?` or `. `),
    /// past leading spaces.
    static func sentenceStart(before position: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var start = position
        while start > 0 {
            let previous = body[start - 1]
            if previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "!") || previous == UInt8(ascii: "?") {
                break
            }
            if previous == UInt8(ascii: "."), body[start] == UInt8(ascii: " ") { break }
            start -= 1
        }
        while start < position, body[start] == UInt8(ascii: " ") { start += 1 }
        return start
    }

    /// The byte after the sentence holding `position`: past its `.`, `!` or `?`, or at the line break.
    static func sentenceEnd(after position: Int, in body: UnsafeBufferPointer<UInt8>) -> Int {
        var end = position
        while end < body.count {
            let byte = body[end]
            if byte == UInt8(ascii: "\n") { break }
            let endsSentence =
                byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
                || (byte == UInt8(ascii: ".")
                    && (end + 1 >= body.count || body[end + 1] == UInt8(ascii: " ")
                        || body[end + 1] == UInt8(ascii: "\n")))
            if endsSentence { return end + 1 }
            end += 1
        }
        return end
    }

    /// Whether the sentence holding `position` names an injection route or intensive care as a word.
    static func namesRoute(around position: Int, in body: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = sentenceStart(before: position, in: body)
        let end = sentenceEnd(after: position, in: body)
        for word in routeWords {
            var index = start
            while index + word.count <= end {
                if body[index] == word[0], memcmp(body.baseAddress! + index, word, word.count) == 0,
                    index == start || !isLetter(body[index - 1]),
                    index + word.count == end || !isLetter(body[index + word.count])
                {
                    return true
                }
                index += 1
            }
        }
        return false
    }

    /// Whether `needle` occurs in `body[start..<end]`.
    static func occurs(_ needle: [UInt8], in body: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard let base = body.baseAddress, end - start >= needle.count else { return false }
        return needle.withUnsafeBufferPointer { formulary_memmem(base + start, end - start, $0.baseAddress!, $0.count) }
            != nil
    }

    /// The sentence for a message: emphasis marks dropped, runs of spaces made one, and cut
    /// after a whole word to at most 80 characters.
    static func shortened(_ sentence: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: sentence, as: UTF8.self).filter { $0 != "*" }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var kept = ""
        for word in words {
            guard kept.count + 1 + word.count <= 80 || kept.isEmpty else { return kept + " ..." }
            kept += kept.isEmpty ? String(word) : " \(word)"
        }
        return kept
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")
    }
}
