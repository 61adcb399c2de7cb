import FormularyModel
import FormularyParsing

/// One result, in the contract's shape.
public struct SearchResult: Sendable, Hashable, Codable {
    public var id: String
    public var slug: String
    public var title: String
    public var kind: MonographKind
    public var score: Double
    /// A short passage with the matched words in `<mark>`; the rest HTML-escaped.
    public var snippet: String
}

/// A query's answer, in the contract's shape.
public struct SearchResponse: Sendable, Hashable, Codable {
    public var query: String
    public var total: Int
    public var tookMicroseconds: Int
    public var results: [SearchResult]
}

/// Filters and limits of a search.
public struct SearchOptions: Sendable {
    public var limit: Int
    public var kind: MonographKind?
    /// Only pages that contain this ingredient (any of its names).
    public var ingredient: String?

    public init(limit: Int = 10, kind: MonographKind? = nil, ingredient: String? = nil) {
        self.limit = limit
        self.kind = kind
        self.ingredient = ingredient
    }
}

/// Medicine-aware search: names before bodies, the exact medicine before the combinations
/// that contain it, international and US names as one, typos and prefixes forgiven, numbers
/// matched exactly.
public struct SearchEngine: Sendable {
    public let index: SearchIndex

    public init(index: SearchIndex) {
        self.index = index
    }

    /// How well a query word matched a page word.
    private enum MatchQuality {
        static let exact = 1.0
        static let alias = 0.95
        static let brand = 0.9
        static let prefix = 0.75
        static let typo1 = 0.7
        static let typo2 = 0.55
    }

    public func search(_ query: String, options: SearchOptions = SearchOptions()) -> SearchResponse {
        let clock = ContinuousClock()
        let started = clock.now
        let (total, results) = rank(query, options: options)
        let took = clock.now - started
        let microseconds = Int(took.components.seconds * 1_000_000 + took.components.attoseconds / 1_000_000_000_000)
        return SearchResponse(query: query, total: total, tookMicroseconds: microseconds, results: results)
    }

    /// The number of pages found, and the best `options.limit` of them.
    private func rank(_ query: String, options: SearchOptions) -> (total: Int, results: [SearchResult]) {
        // A query is bounded: nobody types more than a few hundred characters.
        let words = SearchText.words(query.prefix(300)).filter { !SearchText.joiners.contains($0) }
        // Strengths: `650`, `650mg`, or `150 mg` with the unit as its own word.
        var numbers: [(value: Double, unit: String?)] = []
        var nameWords: [String] = []
        for word in words {
            if let strength = SearchText.strength(word) {
                numbers.append(strength)
            } else if SearchText.units.contains(word), let last = numbers.last, last.unit == nil {
                numbers[numbers.count - 1].unit = word == "gm" ? "g" : word
            } else {
                nameWords.append(word)
            }
        }
        let terms = Array(nameWords.prefix(12))
        guard !terms.isEmpty || !numbers.isEmpty else { return (0, []) }

        // Per query word: page → best quality of a name, alias or brand match.
        var perTerm: [[Int32: Double]] = []
        var matchedWords: [Set<String>] = []
        for (position, term) in terms.enumerated() {
            var best: [Int32: Double] = [:]
            var matched: Set<String> = [term]
            func add(_ postings: [Int32]?, _ quality: Double) {
                for document in postings ?? [] where best[document, default: 0] < quality { best[document] = quality }
            }
            add(index.nameIndex[term], MatchQuality.exact)
            add(index.aliasIndex[term], MatchQuality.alias)
            add(index.brandIndex[term], MatchQuality.brand)
            // The word being typed, or any word of three letters or more, may be a prefix;
            // a single letter (`Vitamin C`) only ever matches itself.
            if term.count >= 3 || (position == terms.count - 1 && term.count > 1) {
                for word in index.words(withPrefix: term) where word != term {
                    let quality = MatchQuality.prefix + 0.2 * Double(term.count) / Double(word.count)
                    add(index.nameIndex[word], quality)
                    add(index.aliasIndex[word], quality * 0.95)
                    add(index.brandIndex[word], quality * 0.9)
                    matched.insert(word)
                }
            }
            if term.count > 1, index.nameIndex[term] == nil && index.aliasIndex[term] == nil {
                for (word, distance) in index.typoMatches(of: term) {
                    let quality = distance == 1 ? MatchQuality.typo1 : MatchQuality.typo2
                    add(index.nameIndex[word], quality)
                    add(index.aliasIndex[word], quality * 0.95)
                    add(index.brandIndex[word], quality * 0.9)
                    matched.insert(word)
                }
            }
            perTerm.append(best)
            matchedWords.append(matched)
        }

        var scores: [Int32: Double] = [:]
        // Salt words and single letters count when they match, and are not required.
        let required = terms.indices.filter {
            (!SearchText.saltWords.contains(terms[$0]) && terms[$0].count > 1) || terms.count == 1
        }
        if !terms.isEmpty {
            // Candidates: pages every required word matched; failing that, the pages that matched most.
            var counts: [Int32: Int] = [:]
            for position in required { for document in perTerm[position].keys { counts[document, default: 0] += 1 } }
            let most = counts.values.max() ?? 0
            let candidates = counts.filter { $0.value == most && most > 0 }.map(\.key)
            let asked = Set(terms)
            for document in candidates {
                scores[document] = score(
                    document, terms: terms, asked: asked, perTerm: perTerm, numbers: numbers, coverage: most,
                    required: required.count)
            }
        }
        // When no page's name answers every word well (exact, other name or brand), the words
        // may be what a page says rather than what it is called: look in the text too.
        let strongNames = scores.keys.contains { document in
            required.allSatisfy { (perTerm[$0][document] ?? 0) >= MatchQuality.brand }
        }
        if !strongNames, !terms.isEmpty {
            // Pages whose text has every word (from the inverted index), then how often and
            // whether together, read from those few pages' text.
            let hashes = terms.filter { $0.count >= 2 }.map { TextWords.hash($0.utf8) }
            let phrase = Array(terms.joined(separator: " ").utf8)
            for page in hashes.isEmpty ? [] : index.textPostings.pages(withAll: hashes) {
                let position = Int(page)
                let text = index.documents[position].foldedText
                let hits = bodyHits(terms, in: text)
                guard hits > 0 else { continue }
                let together = terms.count > 1 && text.containsWord(phrase) ? 2.0 : 0
                let bodyScore = 8 + together + min(3, Double(hits) * 0.3)
                scores[Int32(position)] = max(scores[Int32(position)] ?? 0, bodyScore)
            }
        }

        let wanted = options.ingredient.map { SearchDocument.ingredientKey($0) }
        var ranked: [(position: Int32, score: Double, titleLength: Int)] = []
        ranked.reserveCapacity(scores.count)
        for (position, score) in scores {
            if let kind = options.kind, index.documents[Int(position)].kind != kind { continue }
            if let wanted, !index.documents[Int(position)].ingredientKeys.contains(wanted) { continue }
            ranked.append((position, (score * 100).rounded() / 100, index.documents[Int(position)].title.utf8.count))
        }
        // Best first; on a tie the shorter title (the simpler medicine), then index order (sorted paths).
        ranked.sort { a, b in (b.score, a.titleLength, a.position) < (a.score, b.titleLength, b.position) }
        // Snippets only for what is shown.
        // Words a query term already starts are left out: the snippet looks for every word in
        // the page's text, and a prefix query matches up to 64 of them.
        let highlight = Set(
            matchedWords.flatMap { $0 }.filter { word in !terms.contains { $0.count >= 3 && word.hasPrefix($0) } }
        ).union(terms)
        return (
            ranked.count,
            ranked.prefix(max(0, options.limit)).enumerated().map { rank, entry in
                let position = Int(entry.position)
                return SearchResult(
                    id: index.documents[position].id, slug: index.documents[position].slug,
                    title: index.documents[position].title, kind: index.documents[position].kind, score: entry.score,
                    snippet: rank < options.limit
                        ? Snippet.make(
                            from: index.documents[position].text, folded: index.documents[position].foldedText,
                            highlighting: highlight) : "")
            }
        )
    }

    /// Names first: how well the words cover the page's name, how many ingredients are left
    /// over, and whether the strengths agree.
    private func score(
        _ position: Int32, terms: [String], asked: Set<String>, perTerm: [[Int32: Double]],
        numbers: [(value: Double, unit: String?)], coverage: Int, required: Int
    ) -> Double {
        let nameWords = index.documents[Int(position)].nameWords.filter { !SearchText.saltWords.contains($0) }
        let ingredientCount = index.documents[Int(position)].ingredientKeys.count
        let strengths = index.documents[Int(position)].strengths
        var total = 0.0
        for matches in perTerm { total += matches[position] ?? 0 }
        var score = 10 * total / Double(max(terms.count, 1))
        // The exact medicine first: every name word of the title asked for.
        let covered = nameWords.filter { word in
            asked.contains(word)
                || perTerm.contains { ($0[position] ?? 0) > 0 } && asked.contains { word.hasPrefix($0) }
        }.count
        let ratio = nameWords.isEmpty ? 0 : Double(covered) / Double(nameWords.count)
        score += 4 * ratio
        if covered == nameWords.count, !nameWords.isEmpty { score += 2 }
        // A combination with ingredients nobody asked for comes after the one that was asked for.
        let extra = max(0, ingredientCount - max(1, required))
        score -= 1.5 * Double(extra)
        if coverage < required { score -= 4 * Double(required - coverage) }
        // Numbers are never guessed: they match or they count against the page.
        if !numbers.isEmpty {
            // A unit given in the query must agree too: `100mg` is not `100gm`.
            let present = numbers.filter { number in
                strengths.contains {
                    abs($0.value - number.value) < 0.0001
                        && (number.unit == nil || $0.unit == nil || $0.unit == number.unit)
                }
            }.count
            if present == numbers.count {
                score += 3
            } else if strengths.isEmpty {
                score -= 0.5
            } else {
                score -= 3 + Double(numbers.count - present)
            }
        } else if !strengths.isEmpty {
            score -= 0.3  // `paracetamol` is the page without a strength
        }
        return score
    }

    /// How often the words occur as whole words in a page's text (all of them must occur).
    private func bodyHits(_ words: [String], in text: [UInt8]) -> Int {
        var total = 0
        for word in words where word.count >= 2 {
            let count = text.wordOccurrences(of: Array(word.utf8), limit: 20)
            if count == 0 { return 0 }
            total += count
        }
        return total
    }
}

extension Array where Element == UInt8 {
    /// Occurrences of `needle` as a whole word (not inside a longer word), up to `limit`.
    func wordOccurrences(of needle: [UInt8], limit: Int) -> Int {
        guard let first = needle.first, needle.count <= count else { return 0 }
        func isWordByte(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 || byte >= 48 && byte <= 57 || byte >= 0x80 }
        var found = 0
        var index = 0
        let last = count - needle.count
        while index <= last, found < limit {
            if self[index] == first, index == 0 || !isWordByte(self[index - 1]),
                index + needle.count == count || !isWordByte(self[index + needle.count]),
                self[index..<index + needle.count].elementsEqual(needle)
            {
                found += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// Whether `phrase` occurs as whole words.
    func containsWord(_ phrase: [UInt8]) -> Bool { wordOccurrences(of: phrase, limit: 1) > 0 }
}
