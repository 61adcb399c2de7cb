import Dispatch
import FormularyModel
import FormularyParsing

/// The in-memory index: the words of page names, other names and brands in a sorted
/// vocabulary (prefixes are a range of it) with the pages of each, a deletion table for
/// typos, and the words of page text with the pages that use them. See `SearchTables`.
public struct SearchIndex: Sendable {
    let documents: [SearchDocument]
    let vocabulary: Vocabulary
    /// Word id → pages, for title words, other names and brand names.
    let names: Postings
    let aliases: Postings
    let brands: Postings
    /// Page → ids of its title's name words without salt words, in title order (repeats kept).
    let pageNameWords: Postings
    /// Hash of a vocabulary word, or of it with one (two, from eight letters) deleted → word id.
    let deletions: HashPostings
    /// Text word hash → the pages whose text has it, with how often.
    let text: HashPostings
    /// What ranking reads of every candidate page, in flat arrays (reading a `SearchDocument`
    /// out of `documents` copies it).
    let kinds: [MonographKind]
    let titleLengths: [Int32]
    let ingredientCounts: [Int32]
    /// Per-query working memory, reused.
    let scratch: ScratchPool
    /// Vocabulary words by sound key (`Devanagari.soundKey`), sorted by key: what a medicine
    /// name written in Devanagari, or typed as it sounds, finds.
    let soundKeys: SoundKeys
    /// For a site with translations: the pages of each medicine in every language (by id), and
    /// each page's language (nil for the site's main language). Empty for a site of one language.
    let medicinePages: [String: [Int32]]
    let languages: [String?]

    /// Builds the index from parsed pages, on all cores for the per-page work.
    public init(pages: [ParsedPage]) {
        self.init(analysed: Self.analyse(pages))
    }

    /// A page as the index needs it: analysing pages is most of building an index, so a
    /// server that rebuilds its index after an edit keeps these for the pages that did not change.
    public struct AnalysedPage: Sendable {
        let document: SearchDocument
    }

    public static func analyse(_ page: ParsedPage) -> AnalysedPage { AnalysedPage(document: SearchDocument(page)) }

    /// Every page analysed, on every core.
    public static func analyse(_ pages: [ParsedPage]) -> [AnalysedPage] {
        let slots = ResultSlots<AnalysedPage>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: (pages.count + 31) / 32) { chunk in
            for index in (chunk * 32)..<min(pages.count, chunk * 32 + 32) {
                slots.set(index, analyse(pages[index]))
            }
        }
        return slots.values()
    }

    public init(analysed: [AnalysedPage]) {
        let timings = PhaseTimings(label: "search index: ")
        var documents = analysed.map(\.document)
        // The text's word hashes live on in the text postings only.
        let total = documents.reduce(0) { $0 + $1.wordHashes.count }
        var textKeys: [UInt64] = []
        var textPages: [Int32] = []
        var textCounts: [UInt8] = []
        textKeys.reserveCapacity(total)
        textPages.reserveCapacity(total)
        textCounts.reserveCapacity(total)
        for index in documents.indices {
            textKeys += documents[index].wordHashes
            textCounts += documents[index].wordCounts
            textPages += repeatElement(Int32(index), count: documents[index].wordHashes.count)
            documents[index].wordHashes = []
            documents[index].wordCounts = []
        }
        timings.mark("text entries \(textKeys.count)")
        text = HashPostings(keys: textKeys, values: textPages, counts: textCounts)
        textKeys = []
        textPages = []
        textCounts = []
        timings.mark("text postings")

        var words: Set<String> = []
        for document in documents {
            words.formUnion(document.nameWords)
            words.formUnion(document.aliasWords)
            words.formUnion(document.brandWords)
        }
        let sorted = words.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        vocabulary = Vocabulary(sorted: sorted)
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(sorted.count)
        for (id, word) in sorted.enumerated() { ids[String(decoding: word, as: UTF8.self)] = Int32(id) }
        timings.mark("vocabulary")

        var namePairs: [(key: Int32, item: Int32)] = []
        var aliasPairs: [(key: Int32, item: Int32)] = []
        var brandPairs: [(key: Int32, item: Int32)] = []
        var pageWordPairs: [(key: Int32, item: Int32)] = []
        for (index, document) in documents.enumerated() {
            let page = Int32(index)
            for word in Set(document.nameWords) { namePairs.append((ids[word]!, page)) }
            for word in document.aliasWords { aliasPairs.append((ids[word]!, page)) }
            for word in document.brandWords { brandPairs.append((ids[word]!, page)) }
            for word in document.nameWords where !SearchText.saltWords.contains(word) {
                pageWordPairs.append((page, ids[word]!))
            }
        }
        names = Postings(keyCount: sorted.count, pairs: namePairs)
        aliases = Postings(keyCount: sorted.count, pairs: aliasPairs)
        brands = Postings(keyCount: sorted.count, pairs: brandPairs)
        pageNameWords = Postings(keyCount: documents.count, pairs: pageWordPairs)
        timings.mark("name postings")

        deletions = Self.deletionTable(sorted)
        timings.mark("typo table")
        soundKeys = SoundKeys(sorted)
        timings.mark("sound keys")
        languages = documents.map(\.language)
        var medicinePages: [String: [Int32]] = [:]
        if languages.contains(where: { $0 != nil }) {
            for (index, document) in documents.enumerated() {
                medicinePages[document.id, default: []].append(Int32(index))
            }
        }
        self.medicinePages = medicinePages
        self.documents = documents
        kinds = documents.map(\.kind)
        titleLengths = documents.map { Int32($0.title.utf8.count) }
        ingredientCounts = documents.map { Int32($0.ingredientKeys.count) }
        scratch = ScratchPool(pages: documents.count)
    }

    public var count: Int { documents.count }

    /// Words longer than this are never typo-matched (no medicine name is; a hostile query may be).
    static let longestTypoWord = 48

    /// Every vocabulary word of four letters or more that is not a number, with one letter
    /// deleted (two from eight letters) and as it is, hashed.
    static func deletionTable(_ words: [[UInt8]]) -> HashPostings {
        let chunkSize = 512
        let chunks = (words.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<([UInt64], [Int32])>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var keys: [UInt64] = []
            var values: [Int32] = []
            var variants: [UInt64] = []
            for id in (chunk * chunkSize)..<min(words.count, (chunk + 1) * chunkSize) {
                let word = words[id]
                guard word.count >= 4, word.count <= longestTypoWord, !(word[0] >= 48 && word[0] <= 57) else {
                    continue
                }
                variants.removeAll(keepingCapacity: true)
                deletionHashes(of: word, depth: word.count >= 8 ? 2 : 1, into: &variants)
                variants.sort()
                for (index, variant) in variants.enumerated() where index == 0 || variants[index - 1] != variant {
                    keys.append(variant)
                    values.append(Int32(id))
                }
            }
            slots.set(chunk, (keys, values))
        }
        var keys: [UInt64] = []
        var values: [Int32] = []
        for (chunkKeys, chunkValues) in slots.values() {
            keys += chunkKeys
            values += chunkValues
        }
        return HashPostings(keys: keys, values: values)
    }

    /// The hashes of `word` and of it with up to `depth` letters deleted (repeats possible).
    static func deletionHashes(of word: [UInt8], depth: Int, into result: inout [UInt64]) {
        result.append(TextWords.hash(word))
        let count = word.count
        guard depth >= 1, count > 1 else { return }
        for first in 0..<count {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for index in 0..<count where index != first {
                hash ^= UInt64(word[index])
                hash &*= 0x0000_0100_0000_01B3
            }
            result.append(hash)
            guard depth >= 2, count > 2 else { continue }
            for second in (first + 1)..<count {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for index in 0..<count where index != first && index != second {
                    hash ^= UInt64(word[index])
                    hash &*= 0x0000_0100_0000_01B3
                }
                result.append(hash)
            }
        }
    }

    /// Vocabulary words within the typo distance a word of this length allows
    /// (none up to 4 letters, one up to 7, two from 8), transpositions counting one; nearest
    /// first, then in vocabulary order.
    func typoMatches(of word: [UInt8]) -> [(id: Int, distance: Int)] {
        let allowed = Self.allowedTypos(forLength: word.count)
        guard allowed > 0, word.count <= Self.longestTypoWord else { return [] }
        var probes: [UInt64] = []
        probes.reserveCapacity(80)
        Self.deletionHashes(of: word, depth: allowed, into: &probes)
        var candidates: [Int32] = []
        for probe in probes {
            for entry in deletions.range(of: probe) { candidates.append(deletions.value(entry)) }
        }
        candidates.sort()
        var result: [(id: Int, distance: Int)] = []
        word.withUnsafeBufferPointer { word in
            for (index, candidate) in candidates.enumerated() where index == 0 || candidates[index - 1] != candidate {
                let distance = vocabulary.bytes(Int(candidate)).withUnsafeBufferPointer {
                    ByteEditDistance.between(word, $0, limit: allowed)
                }
                if distance > 0, distance <= allowed { result.append((Int(candidate), distance)) }
            }
        }
        return result.sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
    }

    /// Vocabulary words whose sound key is `word`'s (`prefix`: starts with it), at most `limit`,
    /// the word itself left out; none for a key under three letters (too many names share it).
    func soundMatches(of word: String, prefix: Bool = false, limit: Int = 64) -> [Int] {
        guard let key = Devanagari.soundKey(word), key.utf8.count >= 3 else { return [] }
        return soundKeys.words(withKey: Array(key.utf8), prefix: prefix).prefix(limit).map(Int.init)
    }

    static func allowedTypos(forLength length: Int) -> Int {
        switch length {
        case ..<5: 0
        case 5...7: 1
        default: 2
        }
    }
}

/// The vocabulary's words by sound key, sorted by key bytes: the words of one key, or of keys
/// starting with a prefix, are a range.
struct SoundKeys: Sendable {
    private let keys: [[UInt8]]
    private let words: [Int32]

    init(_ vocabulary: [[UInt8]]) {
        var pairs: [(key: [UInt8], word: Int32)] = []
        pairs.reserveCapacity(vocabulary.count)
        for (id, word) in vocabulary.enumerated() {
            guard let key = Devanagari.soundKey(String(decoding: word, as: UTF8.self)) else { continue }
            pairs.append((Array(key.utf8), Int32(id)))
        }
        pairs.sort { $0.key.lexicographicallyPrecedes($1.key) || ($0.key == $1.key && $0.word < $1.word) }
        keys = pairs.map(\.key)
        words = pairs.map(\.word)
    }

    /// The words whose key is `key`, or starts with it.
    func words(withKey key: [UInt8], prefix: Bool) -> ArraySlice<Int32> {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle].lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < keys.count, prefix ? keys[end].starts(with: key) : keys[end] == key { end += 1 }
        return words[low..<end]
    }
}
