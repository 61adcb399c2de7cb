import FormularyModel
import FormularyParsing

/// What search knows of one page.
struct SearchDocument: Sendable {
    var id: String
    /// A translation's language; nil for a page in the site's main language.
    var language: String?
    var slug: String
    var title: String
    var kind: MonographKind
    /// Shown as prohibited in India (`flags.banned`).
    var banned: Bool { regulatory?.banned ?? false }
    var regulatory: ResultRegulatory?
    /// Title words that name things (numbers, salts and joiners left out).
    var nameWords: [String]
    /// Words of each ingredient's name, with its canonical name for set comparison.
    var ingredientKeys: Set<String>
    /// Strengths the title gives: (600, mg), (300, mg).
    var strengths: [(value: Double, unit: String?)]
    /// Other names of the ingredients (INN/USAN/BAN) and brand names found in the page.
    var aliasWords: Set<String>
    var brandWords: Set<String>
    /// The page text, original and folded to lower case for scanning.
    var text: String
    var foldedText: [UInt8]
    /// The text's words as sorted hashes with their counts (`TextWords`); moved into the
    /// index's text postings.
    var wordHashes: [UInt64]
    var wordCounts: [UInt8]

    /// With `keepingText` false the text fields stay empty: the static index reads the text
    /// once itself and needs none of them.
    init(_ page: ParsedPage, keepingText: Bool = true) {
        let record = page.monograph
        id = record.id
        language = record.translationLanguage
        slug = record.slug
        title = record.title
        kind = record.kind
        if let listed = record.regulatory, listed.override == nil {
            regulatory = ResultRegulatory(
                status: listed.status, match: listed.match.rawValue, banned: record.flags.banned)
        } else if record.flags.banned {
            regulatory = ResultRegulatory(status: "banned", match: "exact", banned: true)
        }
        let titleWords = SearchText.words(record.title)
        nameWords = Self.nameWords(ofTitle: record.title)
        strengths = titleWords.compactMap(SearchText.strength)
        ingredientKeys = Set(record.ingredients.map { SearchDocument.ingredientKey($0.name) })
        aliasWords = Self.aliasWords(
            ingredients: record.ingredients.map(\.name), productTarget: record.product?.targetSlug
        ).subtracting(nameWords)
        brandWords = SearchDocument.brandWords(in: page)
        guard keepingText else {
            text = ""
            foldedText = []
            wordHashes = []
            wordCounts = []
            return
        }
        text = Self.searchableText(of: record)
        foldedText = TextWords.folded(text)
        (wordHashes, wordCounts) = TextWords.countedHashes(of: foldedText)
    }

    /// Title words that name things: numbers and joiners left out.
    static func nameWords(ofTitle title: String) -> [String] {
        SearchText.words(title).filter { !SearchText.isNumeric($0) && !SearchText.joiners.contains($0) }
    }

    /// Other names of a page's ingredients (INN/USAN/BAN, acid and salt) and the words of a
    /// brand's generic.
    static func aliasWords(ingredients: [String], productTarget: String?) -> Set<String> {
        var aliases: Set<String> = []
        for ingredient in ingredients {
            let canonical = NameEquivalents.canonicalName(ingredient)
            for group in NameEquivalents.groups where group.contains(canonical) {
                for name in group { aliases.formUnion(SearchText.words(name)) }
            }
            for (from, to) in SearchDocument.acidSaltPairs where canonical.containsText(from) {
                aliases.formUnion(SearchText.words(to))
            }
        }
        if let target = productTarget { aliases.formUnion(target.split(separator: "-").map(String.init)) }
        return aliases
    }

    /// The text body matches look in: every section but the disclaimer and the note.
    static func searchableText(of record: Monograph) -> String {
        searchableSections(of: record).map(\.markdown).joined(separator: "\n\n")
    }

    /// The sections whose text is searched: all but the disclaimer and the note.
    static func searchableSections(of record: Monograph) -> [Section] {
        record.sections.filter { $0.kind != .disclaimer && $0.kind != .note }
    }

    /// `clavulanic acid` is also written `clavulanate`: acid and salt names of one substance.
    static let acidSaltPairs: [(String, String)] = [
        ("clavulanic acid", "clavulanate"), ("valproic acid", "valproate"), ("folic acid", "folate"),
        ("mefenamic acid", "mefenamate"), ("fusidic acid", "fusidate"), ("tranexamic acid", "tranexamate"),
        ("alendronic acid", "alendronate"), ("zoledronic acid", "zoledronate"), ("ibandronic acid", "ibandronate"),
        ("risedronic acid", "risedronate"),
    ]

    /// The canonical name of an ingredient without salt words: `Metoprolol Succinate` and
    /// `metoprolol` are one key for set comparison, `Acetaminophen` is `paracetamol`.
    static func ingredientKey(_ name: String) -> String {
        let canonical = NameEquivalents.canonicalName(name)
        let words = SearchText.words(canonical).filter {
            !SearchText.saltWords.contains($0) && !SearchText.isNumeric($0)
        }
        return words.isEmpty ? canonical : words.joined(separator: " ")
    }

    /// Brand names a page lists: the text after a label that mentions brands
    /// (`**Popular Brand Names (India):** Crocin, Dolo`) or in an Alternate Names section.
    static func brandWords(in page: ParsedPage) -> Set<String> {
        var words: Set<String> = []
        if page.monograph.kind == .brand { words.formUnion(SearchText.words(page.monograph.title)) }
        for section in page.monograph.sections where section.kind == .alternateNames {
            words.formUnion(SearchText.words(section.markdown))
        }
        // Only lines that mention brands (`brand` in lower or upper case), then read as text.
        for line in linesMentioning(["brand", "BRAND", "Brand"], in: page.bodyBytes) {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let listed = String(decoding: line[(colon + 1)...], as: UTF8.self)
            for word in SearchText.words(listed) where !SearchText.isNumeric(word) && word.count >= 3 {
                words.insert(word)
            }
        }
        return words.subtracting(SearchText.joiners)
    }

    /// The lines that hold any of `needles`, each once, in order.
    static func linesMentioning(_ needles: [String], in bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var ranges: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { body in
            for needle in needles where !needle.isEmpty {
                let needle = Array(needle.utf8)
                var searchFrom = 0
                while let hit = ByteSearch.firstOffset(of: needle, in: body, from: searchFrom) {
                    var lineStart = hit
                    while lineStart > 0, body[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
                    var lineEnd = hit
                    while lineEnd < body.count, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                    searchFrom = lineEnd
                    if !ranges.contains(lineStart..<lineEnd) { ranges.append(lineStart..<lineEnd) }
                }
            }
        }
        return ranges.sorted { $0.lowerBound < $1.lowerBound }.map {
            bytes[(bytes.startIndex + $0.lowerBound)..<(bytes.startIndex + $0.upperBound)]
        }
    }
}
