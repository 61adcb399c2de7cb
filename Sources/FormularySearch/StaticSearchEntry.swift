import Dispatch
import Foundation
import FormularyModel
import FormularyParsing

/// What the static site's search knows of one page: the words of its names, other names and
/// brands, its strengths, and the words its text uses most.
public struct StaticSearchEntry: Sendable, Equatable {
    /// The page's address: its id, under its language for a translation (`hi/composition/x`).
    public var id: String
    /// A translation's language; nil for the site's main language.
    public var language: String?
    /// For a medicine with translations: every language it has a page in (`en hi`), so that the
    /// client can link a reader to the medicine in their language; nil otherwise (set by the build).
    public var languages: String?
    public var title: String
    public var kind: MonographKind
    /// Shown as prohibited in India: the client marks it and can filter by it.
    public var banned: Bool
    var nameWords: [String]
    var aliasWords: [String]
    var brandWords: [String]
    var strengths: [Strength]
    var ingredientCount: Int
    /// The text words the index keeps for this page, with their counts: chosen from
    /// `bodyCandidates` by how rare they are in the whole site (`StaticSearchIndex.files`).
    public internal(set) var bodyWords: [(word: String, count: Int)] = []
    /// Every text word of the page (the most used first, up to a limit), packed: the words'
    /// bytes one after another, and each word's hash, end offset and count. 11,000 pages keep
    /// these at once, so no word becomes a String before it is chosen. Emptied by
    /// `chooseBodyWords`.
    var candidateBytes: [UInt8] = []
    var candidates: [Candidate] = []

    struct Candidate: Sendable, Equatable {
        var end: UInt32
        var count: UInt16
    }

    func candidateHash(_ index: Int) -> UInt64 {
        let start = index == 0 ? 0 : Int(candidates[index - 1].end)
        return StaticSearchIndex.wordHash(candidateBytes[start..<Int(candidates[index].end)])
    }

    func candidateWord(_ index: Int) -> String {
        let start = index == 0 ? 0 : Int(candidates[index - 1].end)
        return String(decoding: candidateBytes[start..<Int(candidates[index].end)], as: UTF8.self)
    }

    struct Strength: Sendable, Equatable {
        var value: Double
        var unit: String?
    }

    public static func == (a: StaticSearchEntry, b: StaticSearchEntry) -> Bool {
        a.id == b.id && a.language == b.language && a.languages == b.languages && a.title == b.title && a.kind == b.kind
            && a.banned == b.banned
            && a.nameWords == b.nameWords
            && a.aliasWords == b.aliasWords && a.brandWords == b.brandWords && a.strengths == b.strengths
            && a.ingredientCount == b.ingredientCount && a.bodyWords.map(\.word) == b.bodyWords.map(\.word)
            && a.bodyWords.map(\.count) == b.bodyWords.map(\.count)
            && a.candidateBytes == b.candidateBytes && a.candidates == b.candidates
    }

    /// How many text words a page contributes: enough for what a page is about, few enough
    /// that the body shards stay small.
    static let bodyWordsPerPage = 60
    /// Text words read from a page before choosing.
    static let bodyCandidatesPerPage = 240

    public init(_ page: ParsedPage) {
        let document = SearchDocument(page, keepingText: false)
        id = page.monograph.address
        language = document.language
        title = document.title
        kind = document.kind
        banned = document.banned
        // Numbers are strengths, matched on their own; never looked up as words.
        nameWords = Array(Set(document.nameWords)).sorted()
        aliasWords = document.aliasWords.filter { !SearchText.isNumeric($0) }.sorted()
        brandWords = document.brandWords.subtracting(document.nameWords).filter { !SearchText.isNumeric($0) }.sorted()
        strengths = document.strengths.map { Strength(value: $0.value, unit: $0.unit) }
        ingredientCount = document.ingredientKeys.count
        // Words counted by a hash of their bytes (`WordCounter`); only the most used become strings.
        let folded = Self.foldedText(of: page.monograph)
        var counter = WordCounter(textLength: folded.count)
        var firsts: [Int] = []  // where each word first appears (its length is kept below)
        var lengths: [UInt8] = []
        folded.withUnsafeBufferPointer { bytes in
            var index = 0
            let end = bytes.count
            while index < end {
                while index < end, !Self.isWordByte(bytes[index]) { index += 1 }
                guard index < end else { break }
                let start = index
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                while index < end, Self.isWordByte(bytes[index]) {
                    hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
                    index += 1
                }
                let length = index - start
                if length >= 3, length <= 30, !(bytes[start] >= 48 && bytes[start] <= 57), counter.add(hash) {
                    firsts.append(start)
                    lengths.append(UInt8(length))
                }
            }
        }
        // Names are matched on their own; stop words say nothing. The rest, most used first,
        // then by hash: the order the build has always used.
        let names = nameWords.map { (hash: StaticSearchIndex.wordHash($0.utf8), bytes: Array($0.utf8)) }
        let (hashes, counts) = (counter.hashes, counter.counts)
        var ranked: [(count: Int, hash: UInt64, index: Int)] = []
        ranked.reserveCapacity(hashes.count)
        for index in hashes.indices {
            let hash = hashes[index]
            guard !Self.stopWordHashes.contains(hash) else { continue }
            if names.contains(where: {
                $0.hash == hash && $0.bytes.elementsEqual(folded[firsts[index]..<(firsts[index] + Int(lengths[index]))])
            }) {
                continue
            }
            ranked.append((counts[index], hash, index))
        }
        ranked.sort { $0.count != $1.count ? $0.count > $1.count : $0.hash < $1.hash }
        for entry in ranked.prefix(Self.bodyCandidatesPerPage) {
            let start = firsts[entry.index]
            candidateBytes += folded[start..<(start + Int(lengths[entry.index]))]
            candidates.append(Candidate(end: UInt32(candidateBytes.count), count: UInt16(min(entry.count, 65_535))))
        }
    }

    /// ASCII letters and digits of lower-cased text (other bytes separate words).
    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
    }

    /// `SearchDocument.searchableText` as ASCII-lower-cased bytes, made in one copy.
    private static func foldedText(of record: Monograph) -> [UInt8] {
        var folded: [UInt8] = []
        for (position, section) in SearchDocument.searchableSections(of: record).enumerated() {
            if position > 0 { folded += [UInt8(ascii: "\n"), UInt8(ascii: "\n")] }
            folded += section.markdown.utf8
        }
        TextWords.fold(&folded)
        return folded
    }

    static let stopWordHashes: Set<UInt64> = Set(stopWords.map { StaticSearchIndex.wordHash($0.utf8) })

    /// Chooses the words that say most about this page: frequent here, rare elsewhere
    /// (`pagesWith` gives in how many pages a word is a candidate, of `pageCount`); words in
    /// `common` are left out. Without counts for the whole site (an incremental build), words
    /// are ranked by count and length.
    public mutating func chooseBodyWords(pagesWith: [UInt64: Int32]?, pageCount: Int, common: Set<UInt64>) {
        if let pagesWith {
            chooseBodyWords(pagesWith: { pagesWith[$0] }, pageCount: pageCount, common: common)
        } else {
            chooseBodyWords(pagesWith: nil as ((UInt64) -> Int32?)?, pageCount: pageCount, common: common)
        }
    }

    /// As above, with the site's counts in a table kept by the last full build (an incremental
    /// build chooses as the full build did).
    public mutating func chooseBodyWords(pagesWith table: BodyWordPages, common: Set<UInt64>) {
        chooseBodyWords(pagesWith: { table.pages(with: $0) }, pageCount: table.pageCount, common: common)
    }

    mutating func chooseBodyWords(pagesWith: ((UInt64) -> Int32?)?, pageCount: Int, common: Set<UInt64>) {
        var scored: [(index: Int, weight: Double)] = []
        scored.reserveCapacity(candidates.count)
        for (index, candidate) in candidates.enumerated() {
            let hash = candidateHash(index)
            if common.contains(hash) { continue }
            let frequency = 1 + log(Double(candidate.count))
            let weight: Double
            if let pagesWith {
                let pages = Double(max(pagesWith(hash) ?? 1, 1))
                weight = frequency * log(Double(pageCount + 1) / pages)
            } else {
                let start = index == 0 ? 0 : Int(candidates[index - 1].end)
                weight = frequency * log(Double(Int(candidate.end) - start))
            }
            scored.append((index, weight))
        }
        let best = scored.sorted { ($1.weight, $0.index) < ($0.weight, $1.index) }.prefix(Self.bodyWordsPerPage)
        bodyWords = best.map { (candidateWord($0.index), Int(candidates[$0.index].count)) }
            .sorted { ($1.count, $0.word) < ($0.count, $1.word) }
        candidates = []
        candidateBytes = []
    }

    /// The words the page is found by, with how (3 a name, 2 another name, 1 a brand).
    public func nameWordCodes(dropping common: Set<String>) -> [(word: String, code: Int)] {
        var codes: [String: Int] = [:]
        for word in brandWords where !common.contains(word) { codes[word] = 1 }
        for word in aliasWords { codes[word] = 2 }
        for word in nameWords { codes[word] = 3 }
        return codes.map { ($0.key, $0.value) }
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "with", "this", "that", "you", "your", "can", "may", "not", "from", "have", "has",
        "been", "was", "were", "will", "should", "which", "what", "when", "how", "who", "also", "other", "its", "it's",
        "into", "than", "then", "such", "some", "any", "all", "more", "most", "these", "those", "they", "their",
        "them", "there", "about", "used", "use", "using", "take", "taking", "doctor", "medicine", "medication",
        "medications", "effects", "side", "include", "including", "information", "consult", "healthcare",
        "professional", "always", "does", "don", "but", "only", "each", "very", "while", "because", "before",
        "after", "during", "being", "both", "between", "through", "over", "under", "our", "out", "one", "two",
    ]
}
