import Dispatch
import FormularyModel
import FormularyParsing

/// The in-memory index: page words, other names and brands, with the vocabulary sorted for
/// prefixes and a deletion table for typos.
public struct SearchIndex: Sendable {
    let documents: [SearchDocument]
    /// Word → pages, for title words, other names and brand names.
    let nameIndex: [String: [Int32]]
    let aliasIndex: [String: [Int32]]
    let brandIndex: [String: [Int32]]
    /// Every name, alias and brand word, sorted: prefixes are a binary search.
    let vocabulary: [String]
    /// A word with one (or, for long words, two) letters deleted → vocabulary positions.
    let deletions: [String: [Int32]]
    /// Text word hash → the pages whose text has it, for queries names do not answer.
    let textPostings: TextPostings

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
        var documents = analysed.map(\.document)
        // The text's word hashes live on in the inverted index only.
        let textPostings = TextPostings(documents.map(\.wordHashes))
        for index in documents.indices { documents[index].wordHashes = [] }
        var names: [String: [Int32]] = [:]
        var aliases: [String: [Int32]] = [:]
        var brands: [String: [Int32]] = [:]
        for (index, document) in documents.enumerated() {
            let position = Int32(index)
            for word in Set(document.nameWords) { names[word, default: []].append(position) }
            for word in document.aliasWords { aliases[word, default: []].append(position) }
            for word in document.brandWords { brands[word, default: []].append(position) }
        }
        let vocabulary = Array(Set(names.keys).union(aliases.keys).union(brands.keys)).sorted()
        var deletions: [String: [Int32]] = [:]
        for (position, word) in vocabulary.enumerated() where word.count >= 4 && !SearchText.isNumeric(word) {
            for variant in Self.deletionVariants(of: word, depth: word.count >= 8 ? 2 : 1) {
                deletions[variant, default: []].append(Int32(position))
            }
        }
        self.textPostings = textPostings
        self.documents = documents
        nameIndex = names
        aliasIndex = aliases
        brandIndex = brands
        self.vocabulary = vocabulary
        self.deletions = deletions
    }

    public var count: Int { documents.count }

    /// The word with `depth` or fewer letters deleted (itself excluded).
    static func deletionVariants(of word: String, depth: Int) -> Set<String> {
        var result: Set<String> = []
        var frontier: Set<[UInt8]> = [Array(word.utf8)]
        for _ in 0..<depth {
            var next: Set<[UInt8]> = []
            for bytes in frontier where bytes.count > 1 {
                for index in bytes.indices {
                    var shorter = bytes
                    shorter.remove(at: index)
                    next.insert(shorter)
                }
            }
            for bytes in next { result.insert(String(decoding: bytes, as: UTF8.self)) }
            frontier = next
        }
        return result
    }

    /// Vocabulary words that start with `prefix`.
    func words(withPrefix prefix: String, limit: Int = 64) -> ArraySlice<String> {
        var low = 0
        var high = vocabulary.count
        while low < high {
            let middle = (low + high) / 2
            if vocabulary[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < vocabulary.count, end - low < limit, vocabulary[end].hasPrefix(prefix) { end += 1 }
        return vocabulary[low..<end]
    }

    /// Vocabulary words within the typo distance a word of this length allows
    /// (none up to 4 letters, one up to 7, two from 8), transpositions counting one.
    func typoMatches(of word: String) -> [(word: String, distance: Int)] {
        let allowed = Self.allowedTypos(forLength: word.count)
        guard allowed > 0 else { return [] }
        var candidates: Set<Int32> = []
        var probes = Self.deletionVariants(of: word, depth: allowed)
        probes.insert(word)
        for probe in probes { candidates.formUnion(deletions[probe] ?? []) }
        // Words one letter longer or with a letter changed are found through their deletions too.
        var result: [(String, Int)] = []
        for position in candidates {
            let candidate = vocabulary[Int(position)]
            guard candidate != word else { continue }
            let distance = EditDistance.between(word, candidate, limit: allowed)
            if distance <= allowed { result.append((candidate, distance)) }
        }
        return result.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    static func allowedTypos(forLength length: Int) -> Int {
        switch length {
        case ..<5: 0
        case 5...7: 1
        default: 2
        }
    }
}

/// An inverted index of page text: each distinct word hash with the sorted pages that use it,
/// in three flat arrays (no dictionary: 2 million postings for the whole corpus).
struct TextPostings: Sendable {
    /// Sorted distinct hashes.
    private let hashes: [UInt64]
    /// `pages[starts[i]..<starts[i + 1]]` use `hashes[i]`.
    private let starts: [Int32]
    private let pages: [Int32]

    /// From each page's sorted distinct word hashes.
    init(_ pageHashes: [[UInt64]]) {
        var pairs: [(hash: UInt64, page: Int32)] = []
        pairs.reserveCapacity(pageHashes.reduce(0) { $0 + $1.count })
        for (page, hashes) in pageHashes.enumerated() {
            for hash in hashes { pairs.append((hash, Int32(page))) }
        }
        // Pages were added in order, so a stable sort by hash keeps each list sorted by page.
        pairs.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.page < $1.page) }
        var hashes: [UInt64] = []
        var starts: [Int32] = []
        hashes.reserveCapacity(pairs.count / 8)
        starts.reserveCapacity(pairs.count / 8)
        for (index, pair) in pairs.enumerated() where hashes.last != pair.hash {
            hashes.append(pair.hash)
            starts.append(Int32(index))
        }
        starts.append(Int32(pairs.count))
        self.hashes = hashes
        self.starts = starts
        self.pages = pairs.map(\.page)
    }

    /// The pages using `hash`, sorted.
    func pages(with hash: UInt64) -> ArraySlice<Int32> {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        guard low < hashes.count, hashes[low] == hash else { return [] }
        return pages[Int(starts[low])..<Int(starts[low + 1])]
    }

    /// The pages using every hash, sorted: the shortest list first, narrowed by the others.
    func pages(withAll wanted: [UInt64]) -> [Int32] {
        let lists = wanted.map { pages(with: $0) }.sorted { $0.count < $1.count }
        guard var result = lists.first.map(Array.init), !result.isEmpty else { return [] }
        for list in lists.dropFirst() {
            var kept: [Int32] = []
            kept.reserveCapacity(result.count)
            var index = list.startIndex
            for page in result {
                while index < list.endIndex, list[index] < page { index += 1 }
                if index < list.endIndex, list[index] == page { kept.append(page) }
            }
            result = kept
            if result.isEmpty { break }
        }
        return result
    }
}
