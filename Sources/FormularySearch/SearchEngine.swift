import Foundation
import FormularyModel
import FormularyParsing

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
        /// Another script's spelling of the word, or the word spelled as it sounds.
        static let sound = 0.85
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
        let all = SearchText.words(QueryWords.replacingDottedUnits(String(query.prefix(300)))).filter {
            !SearchText.joiners.contains($0)
        }
        // `paracetamol ki goli`: the Hindi around a name is not part of it.
        let named = all.filter { !QueryWords.fillers.contains($0) }
        let words = (named.isEmpty ? all : named).map { QueryWords.units[$0] ?? $0 }
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
        let terms = Array(nameWords.prefix(12)).map { Array($0.utf8) }
        guard !terms.isEmpty || !numbers.isEmpty else { return (0, []) }

        let scratch = index.scratch.take()
        defer { index.scratch.give(scratch) }
        // Words written in Devanagari find the names they sound like (`पैरासिटामोल`:
        // Paracetamol); the word being typed also the names whose sound starts like it. (A name
        // typed in Latin letters as it sounds, `parasitamol`, is within the typos forgiven.)
        let soundWords: [[Int]] = terms.enumerated().map { position, term in
            guard term.first.map({ $0 >= 0xE0 }) ?? false else { return [] }
            let word = String(decoding: term, as: UTF8.self)
            var found = index.soundMatches(of: word)
            if position == terms.count - 1 {
                found += index.soundMatches(of: word, prefix: true).filter { !found.contains($0) }
            }
            return found
        }
        // Salt words, single letters and what a medicine is for (`bukhar`) count when they
        // match, and are not required; so is a Devanagari word that sounds like a salt only.
        let isRequired = terms.enumerated().map { position, term in
            let word = String(decoding: term, as: UTF8.self)
            let saltOnly =
                !soundWords[position].isEmpty
                && soundWords[position].allSatisfy { SearchText.saltWords.contains(index.vocabulary.word($0)) }
            return
                (!SearchText.saltWords.contains(word) && !QueryWords.optional.contains(word) && !saltOnly
                && term.count > 1) || terms.count == 1
        }
        let requiredCount = isRequired.filter { $0 }.count
        // Per query word: the vocabulary words it starts (for coverage), and the words it
        // matched besides itself (for highlighting).
        var prefixRanges: [Range<Int>] = []
        var matchedWords: [Int] = []
        // The words a query word that is no word of the index was taken to be a misspelling
        // of: they cover a page's name as the word itself would (`paracetmol 650` is about
        // Paracetamol). A word the index knows (a brand, say) stays itself.
        var typoWords: [Int] = []
        for (position, term) in terms.enumerated() {
            let range = index.vocabulary.prefixRange(term)
            prefixRanges.append(range)
            let exact = range.first.flatMap { index.vocabulary.length($0) == term.count ? $0 : nil }
            if let exact {
                scratch.add(index.names, exact, MatchQuality.exact)
                scratch.add(index.aliases, exact, MatchQuality.alias)
                scratch.add(index.brands, exact, MatchQuality.brand)
            }
            // The word being typed, or any word of three letters or more, may be a prefix;
            // a single letter (`Vitamin C`) only ever matches itself.
            if term.count >= 3 || (position == terms.count - 1 && term.count > 1) {
                for word in range.prefix(64) where word != exact {
                    let quality = MatchQuality.prefix + 0.2 * Double(term.count) / Double(index.vocabulary.length(word))
                    scratch.add(index.names, word, quality)
                    scratch.add(index.aliases, word, quality * 0.95)
                    scratch.add(index.brands, word, quality * 0.9)
                    matchedWords.append(word)
                }
            }
            if term.count > 1, exact.map({ index.names.isEmpty($0) && index.aliases.isEmpty($0) }) ?? true {
                for (word, distance) in index.typoMatches(of: term) {
                    let quality = distance == 1 ? MatchQuality.typo1 : MatchQuality.typo2
                    scratch.add(index.names, word, quality)
                    scratch.add(index.aliases, word, quality * 0.95)
                    scratch.add(index.brands, word, quality * 0.9)
                    matchedWords.append(word)
                    if exact == nil { typoWords.append(word) }
                }
            }
            if !soundWords[position].isEmpty {
                let written = String(decoding: term, as: UTF8.self)
                let key = Devanagari.soundKey(written) ?? ""
                let reading = Devanagari.reading(written)
                for word in soundWords[position] where word != exact {
                    // The same sound key: nearly the name itself; a key that only starts it: a
                    // prefix, the nearer the closer it reads (`एटोरवा`: atorvastatin before etravirine).
                    let name = index.vocabulary.word(word)
                    let sameKey = Devanagari.soundKey(name) == key
                    var quality = MatchQuality.sound
                    if !sameKey {
                        let start = Array(Devanagari.reading(name).prefix(reading.count))
                        let distance = reading.withUnsafeBufferPointer { a in
                            start.withUnsafeBufferPointer { b in ByteEditDistance.between(a, b, limit: reading.count) }
                        }
                        quality = MatchQuality.prefix - 0.02 * Double(min(distance, 5))
                    }
                    scratch.add(index.names, word, quality)
                    scratch.add(index.aliases, word, quality * 0.95)
                    scratch.add(index.brands, word, quality * 0.9)
                    matchedWords.append(word)
                    typoWords.append(word)
                }
            }
            scratch.finishTerm(required: isRequired[position], strong: MatchQuality.brand)
        }

        // Candidates: pages every required word matched; failing that, the pages that matched most.
        let most = scratch.mostRequiredHits()
        var strongNames = false
        if most > 0 {
            for page in scratch.pagesWithRequiredHits(most) {
                scratch.setScore(
                    page,
                    score(
                        page, terms: terms, prefixRanges: prefixRanges, typoWords: typoWords,
                        total: scratch.sum[Int(page)],
                        numbers: numbers, coverage: most, required: requiredCount))
                if Int(scratch.strongHits[Int(page)]) == requiredCount { strongNames = true }
            }
        }
        // When no page's name answers every word well (exact, other name or brand), the words
        // may be what a page says rather than what it is called: look in the text too.
        if !strongNames, !terms.isEmpty {
            let textTerms = terms.filter { $0.count >= 2 }
            let phrase = Array(terms.joined(separator: [UInt8(ascii: " ")]))
            for (page, hits) in pagesWithAll(textTerms) {
                let together = terms.count > 1 && index.documents[Int(page)].foldedText.containsWord(phrase) ? 2.0 : 0
                let bodyScore = 8 + together + min(3, Double(hits) * 0.3)
                scratch.raiseScore(page, to: bodyScore)
            }
        }

        let wanted = options.ingredient.map { SearchDocument.ingredientKey($0) }
        let limit = max(0, options.limit)
        var best = TopPages(limit: limit)
        var total = 0
        // With translations, a medicine is found once: its best score, shown in the reader's
        // language when it has a page in it.
        var medicines: [String: (page: Int32, score: Double)] = [:]
        for (page, score) in scratch.scored() {
            if let kind = options.kind, index.kinds[Int(page)] != kind { continue }
            if let filter = options.regulatory, index.documents[Int(page)].banned != (filter == .banned) { continue }
            if let wanted, !index.documents[Int(page)].ingredientKeys.contains(wanted) { continue }
            guard index.medicinePages.isEmpty else {
                let id = index.documents[Int(page)].id
                if let found = medicines[id], found.score >= score { continue }
                medicines[id] = (page, score)
                continue
            }
            total += 1
            best.offer(
                page: page, score: (score * 100).rounded() / 100, titleLength: Int(index.titleLengths[Int(page)]))
        }
        for (id, found) in medicines {
            let pages = index.medicinePages[id] ?? [found.page]
            let shown =
                pages.first { index.languages[Int($0)] == options.language }
                ?? pages.first { index.languages[Int($0)] == nil } ?? found.page
            total += 1
            // Ties go to the simpler medicine by its shortest title in any language (a
            // translation's title carries two names).
            best.offer(
                page: shown, score: (found.score * 100).rounded() / 100,
                titleLength: pages.map { Int(index.titleLengths[Int($0)]) }.min() ?? 0)
        }
        // Snippets only for what is shown. Words a query term of three letters or more starts
        // are left out: the snippet looks for every word, and a prefix matches up to 64 of them.
        var highlight: [[UInt8]] = []
        for word in Set(matchedWords) {
            let bytes = Array(index.vocabulary.bytes(word))
            if !terms.contains(where: { $0.count >= 3 && bytes.starts(with: $0) }), !terms.contains(bytes) {
                highlight.append(bytes)
            }
        }
        let marker = Snippet.Marker(terms: terms, matched: highlight)
        return (
            total,
            best.pages.map { entry in
                // Field by field: a copy of the whole document retained all its fields, shared
                // by every event loop (a tenth of an uncached search's time in perf).
                let page = Int(entry.page)
                return SearchResult(
                    id: index.documents[page].id, slug: index.documents[page].slug,
                    title: index.documents[page].title, kind: index.documents[page].kind, score: entry.score,
                    snippet: Snippet.make(
                        from: index.documents[page].text, folded: index.documents[page].foldedText, marker: marker),
                    regulatory: index.documents[page].regulatory, language: index.documents[page].language)
            }
        )
    }

    /// Names first: how well the words cover the page's name, how many ingredients are left
    /// over, and whether the strengths agree. `total` is the sum of the words' match qualities.
    private func score(
        _ page: Int32, terms: [[UInt8]], prefixRanges: [Range<Int>], typoWords: [Int], total: Double,
        numbers: [(value: Double, unit: String?)], coverage: Int, required: Int
    ) -> Double {
        let ingredientCount = Int(index.ingredientCounts[Int(page)])
        var score = 10 * total / Double(max(terms.count, 1))
        // The exact medicine first: every name word of the title asked for (or started).
        let nameWords = index.pageNameWords.range(Int(page))
        var covered = 0
        for entry in nameWords {
            let word = Int(index.pageNameWords[entry])
            if prefixRanges.contains(where: { $0.contains(word) }) || typoWords.contains(word) { covered += 1 }
        }
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
                index.documents[Int(page)].strengths.contains {
                    abs($0.value - number.value) < 0.0001
                        && (number.unit == nil || $0.unit == nil || $0.unit == number.unit)
                }
            }.count
            if present == numbers.count {
                score += 3
            } else if index.documents[Int(page)].strengths.isEmpty {
                score -= 0.5
            } else {
                score -= 3 + Double(numbers.count - present)
            }
        } else if !index.documents[Int(page)].strengths.isEmpty {
            score -= 0.3  // `paracetamol` is the page without a strength
        }
        return score
    }

    /// The pages whose text has every word, with the sum of each word's count (at most 20 a word).
    private func pagesWithAll(_ words: [[UInt8]]) -> [(page: Int32, hits: Int)] {
        guard !words.isEmpty else { return [] }
        let lists = words.map { index.text.range(of: TextWords.hash($0)) }.sorted { $0.count < $1.count }
        var result: [(page: Int32, hits: Int)] = []
        guard let shortest = lists.first, !shortest.isEmpty else { return [] }
        result.reserveCapacity(shortest.count)
        for entry in shortest { result.append((index.text.value(entry), min(20, index.text.count(entry)))) }
        for list in lists.dropFirst() {
            var kept = 0
            var entry = list.lowerBound
            for candidate in result {
                while entry < list.upperBound, index.text.value(entry) < candidate.page { entry += 1 }
                if entry < list.upperBound, index.text.value(entry) == candidate.page {
                    result[kept] = (candidate.page, candidate.hits + min(20, index.text.count(entry)))
                    kept += 1
                }
            }
            result.removeLast(result.count - kept)
            if result.isEmpty { break }
        }
        return result
    }
}

extension Array where Element == UInt8 {
    /// Whether `phrase` occurs as whole words (not inside a longer word).
    func containsWord(_ phrase: [UInt8]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= count else { return false }
        return withUnsafeBufferPointer { text in
            var offset = 0
            while let at = ByteSearch.firstOffset(of: phrase, in: text, from: offset) {
                let end = at + phrase.count
                if (at == 0 || !TextWords.isWordByte(text[at - 1]))
                    && (end == text.count || !TextWords.isWordByte(text[end]))
                {
                    return true
                }
                offset = at + 1
            }
            return false
        }
    }
}
