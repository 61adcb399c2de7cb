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
        a.id == b.id && a.language == b.language && a.languages == b.languages && a.title == b.title && a.kind == b.kind && a.banned == b.banned
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

/// The search index of the static site, split so that a query downloads only the few shards
/// its words need.
///
/// Words are sharded by their first two letters, or three where two would make a shard too big
/// to fetch for one query. `search/index.json` lists the shards; `search/n/KEY.json` holds the
/// name, other-name and brand words of KEY with the pages they point to (id, title, kind and
/// ingredient count: ranking reads the rest from the title); `search/b/KEY.json` holds text
/// words with the pages that use them most, read only when names do not answer a query. The
/// JavaScript client in `assets/search.js` implements `SearchEngine`'s matching and ranking
/// over these files.
public enum StaticSearchIndex {
    /// FNV-1a of a word's bytes, as text words are counted by.
    public static func wordHash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public static let version = 2
    /// Pages kept for one text word: the ones that use it most.
    static let pagesPerBodyWord = 24
    /// A two-letter shard larger than this is split into three-letter ones.
    static let splitThreshold = 24_000
    /// A brand word listed by more pages than this is boilerplate (`names`, `india`), not a brand.
    static let commonBrandPages = 40
    /// A text word in more pages than this is not indexed: it finds too much to help.
    static let commonBodyPages = 300

    /// The shard of `word`: its first two letters, or three when those two are split; a word
    /// of another script (Devanagari) by its first letter's code point, `u92a` for `प`.
    public static func shardKey(_ word: String, split: Set<String> = []) -> String {
        if let first = word.unicodeScalars.first, !first.isASCII {
            return "u" + String(first.value, radix: 16)
        }
        let bytes = Array(word.utf8.prefix(3)).map { byte -> UInt8 in
            (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) ? byte : UInt8(ascii: "_")
        }
        let two = String(decoding: bytes.prefix(2), as: UTF8.self) + (bytes.count == 1 ? "_" : "")
        if bytes.count == 3, split.contains(two) { return String(decoding: bytes, as: UTF8.self) }
        return two
    }

    public static func namePath(_ key: String) -> String { "search/n/\(key).json" }
    /// Name words by sound key (`Devanagari.soundKey`), for queries in Devanagari: the words
    /// whose keys start with `key`'s two letters.
    public static func soundPath(_ key: String) -> String { "search/k/\(key).json" }

    /// The words a page's sound keys come from: its title's name words and its ingredients'
    /// other names, what the page's summary knows (so that an incremental build makes the same).
    public static func soundWords(title: String, ingredients: [String], productTarget: String?) -> Set<String> {
        Set(SearchDocument.nameWords(ofTitle: title)).union(
            SearchDocument.aliasWords(ingredients: ingredients, productTarget: productTarget).filter {
                !SearchText.isNumeric($0)
            })
    }

    /// The sound shards of name words, `{"keys":{"prstml":["paracetamol"],...}}` by path, from
    /// the Latin words (words of other scripts are found by their own name shards).
    public static func soundShards(_ words: some Sequence<String>) -> [String: [String: Set<String>]] {
        var shards: [String: [String: Set<String>]] = [:]
        for word in words {
            guard word.unicodeScalars.first?.isASCII == true, let key = Devanagari.soundKey(word), key.utf8.count >= 3
            else { continue }
            shards[soundPath(String(key.prefix(2))), default: [:]][key, default: []].insert(word)
        }
        return shards
    }

    public static func encodeSoundShard(_ keys: [String: Set<String>]) -> String {
        var json = JSONText()
        json.openObject()
        json.openObject("keys")
        for key in keys.keys.sorted() {
            json.openArray(key)
            for word in keys[key]!.sorted() { json.string(nil, word) }
            json.closeArray()
        }
        json.closeObject()
        json.closeObject()
        return json.text
    }

    /// A sound shard as `encodeSoundShard` wrote it (empty when it cannot be read).
    public static func decodeSoundShard(_ data: Data) -> [String: Set<String>] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let keys = root["keys"] as? [String: [String]]
        else { return [:] }
        return keys.mapValues(Set.init)
    }
    public static func bodyPath(_ key: String) -> String { "search/b/\(key).json" }

    /// The layout of an index: which shards are split, and which brand words are ignored.
    public struct Layout: Sendable, Equatable {
        public var nameSplit: Set<String> = []
        public var bodySplit: Set<String> = []
        public var commonBrandWords: Set<String> = []
        /// Text words too common to tell pages apart (in more than `commonBodyPages` pages).
        public var commonBodyWords: Set<String> = []
        /// The languages of translations among the pages (`hi`): the client shows a medicine
        /// once, in the reader's language when it has a page in it.
        public var languages: Set<String> = []

        public init() {}

        /// The shards a page is in, as `n/pa`, `b/fe`.
        public func shardPaths(of entry: StaticSearchEntry) -> [String] {
            shardContributions(of: entry).map(\.path)
        }

        /// The shards a page is in, each with a hash of what the page puts there (its words in
        /// that shard with their numbers, and what the shard says of the page): an incremental
        /// build rewrites only the shards whose part of a changed page differs.
        public func shardContributions(of entry: StaticSearchEntry) -> [(path: String, hash: UInt64)] {
            var names: [String: [(word: String, number: Int)]] = [:]
            for (word, code) in entry.nameWordCodes(dropping: commonBrandWords) {
                names[shardKey(word, split: nameSplit), default: []].append((word, code))
            }
            var bodies: [String: [(word: String, number: Int)]] = [:]
            for (word, count) in entry.bodyWords {
                bodies[shardKey(word, split: bodySplit), default: []].append((word, count))
            }
            var page = Hasher64()
            page.add(entry.id)
            page.add(entry.title)
            page.add(entry.kind.rawValue)
            page.add(UInt64(entry.ingredientCount))
            page.add(entry.languages ?? "")
            func hash(_ words: [(word: String, number: Int)]) -> UInt64 {
                var hasher = page
                for (word, number) in words.sorted(by: { $0.word < $1.word }) {
                    hasher.add(word)
                    hasher.add(UInt64(bitPattern: Int64(number)))
                }
                return hasher.value
            }
            return names.keys.sorted().map { ("n/" + $0, hash(names[$0]!)) }
                + bodies.keys.sorted().map { ("b/" + $0, hash(bodies[$0]!)) }
        }
    }

    /// A shard of either kind: pages by id with what the client shows and ranks by, and for
    /// each word the pages with a number (the match code of a name shard, the count of a body
    /// shard).
    public struct Shard: Sendable, Equatable {
        public var isBody: Bool
        var pages: [String: Page] = [:]
        var words: [String: [String: Int]] = [:]

        struct Page: Sendable, Equatable {
            var title: String
            var kind: MonographKind
            var ingredientCount: Int
            var banned = false
            /// The languages the medicine has a page in, for a medicine with translations.
            var languages: String?
        }

        public init(isBody: Bool) { self.isBody = isBody }

        public var isEmpty: Bool { words.isEmpty }

        /// Adds the words of `entry` that belong in the shard `key`.
        public mutating func add(_ entry: StaticSearchEntry, key: String, layout: Layout) {
            var added = false
            if isBody {
                for (word, count) in entry.bodyWords where shardKey(word, split: layout.bodySplit) == key {
                    words[word, default: [:]][entry.id] = count
                    added = true
                }
            } else {
                for (word, code) in entry.nameWordCodes(dropping: layout.commonBrandWords)
                where shardKey(word, split: layout.nameSplit) == key {
                    words[word, default: [:]][entry.id] = code
                    added = true
                }
            }
            if added {
                pages[entry.id] = Page(
                    title: entry.title, kind: entry.kind, ingredientCount: entry.ingredientCount, banned: entry.banned,
                    languages: entry.languages)
            }
        }

        public mutating func remove(_ ids: Set<String>) {
            for id in ids { pages[id] = nil }
            for (word, postings) in words where postings.keys.contains(where: ids.contains) {
                let kept = postings.filter { !ids.contains($0.key) }
                words[word] = kept.isEmpty ? nil : kept
            }
        }

        /// Keeps each text word's best pages only, and the pages they need.
        public mutating func trim() {
            guard isBody else { return }
            for (word, postings) in words where postings.count > StaticSearchIndex.pagesPerBodyWord {
                let best = postings.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                    .prefix(StaticSearchIndex.pagesPerBodyWord)
                words[word] = Dictionary(uniqueKeysWithValues: best.map { ($0.key, $0.value) })
            }
            var used: Set<String> = []
            for postings in words.values { used.formUnion(postings.keys) }
            pages = pages.filter { used.contains($0.key) }
        }

        /// `{"pages":[[id,title,kind,ingredients],...],"words":{"word":[page,number,...]}}`,
        /// pages by their place in the list so that an id is written once.
        public func encoded() -> String {
            let ids = pages.keys.sorted()
            var place: [String: Int] = [:]
            for (index, id) in ids.enumerated() { place[id] = index }
            var json = JSONText()
            json.openObject()
            json.openArray("pages")
            for id in ids {
                let page = pages[id]!
                json.openArray()
                json.string(nil, id)
                json.string(nil, page.title)
                // The kind's first letter, in capitals for a page prohibited in India.
                let code = String(page.kind.rawValue.prefix(1))
                json.string(nil, page.banned ? code.uppercased() : code)
                json.number(nil, Double(page.ingredientCount))
                if let languages = page.languages { json.string(nil, languages) }
                json.closeArray()
            }
            json.closeArray()
            json.openObject("words")
            for (word, postings) in words.sorted(by: { $0.key < $1.key }) {
                json.openArray(word)
                for (index, number) in postings.map({ (place[$0.key]!, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
                    json.number(nil, Double(index))
                    json.number(nil, Double(number))
                }
                json.closeArray()
            }
            json.closeObject()
            json.closeObject()
            return json.text
        }

        /// A shard from its JSON, to change it in an incremental build; nil when unreadable.
        /// Shards this index wrote are read by `ShardReader` (an incremental build reads sixty of
        /// them; JSONSerialization took 90 ms); anything else goes through JSONSerialization.
        public static func decode(_ data: Data, isBody: Bool) -> Shard? {
            let fast = data.withUnsafeBytes { raw -> Shard? in
                var reader = ShardReader(bytes: raw.bindMemory(to: UInt8.self))
                return reader.read(isBody: isBody)
            }
            if let shard = fast {
                return shard
            }
            return decodeWithFoundation(data, isBody: isBody)
        }

        static func decodeWithFoundation(_ data: Data, isBody: Bool) -> Shard? {
            guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let pageList = root["pages"] as? [[Any]], let wordLists = root["words"] as? [String: [Int]]
            else { return nil }
            var shard = Shard(isBody: isBody)
            var ids: [String] = []
            for fields in pageList {
                guard fields.count == 4 || fields.count == 5, let id = fields[0] as? String,
                    let title = fields[1] as? String, let code = fields[2] as? String, let count = fields[3] as? Int,
                    let kind = MonographKind.allCases.first(where: { $0.rawValue.hasPrefix(code.lowercased()) })
                else { return nil }
                ids.append(id)
                shard.pages[id] = Page(
                    title: title, kind: kind, ingredientCount: count, banned: code != code.lowercased(),
                    languages: fields.count == 5 ? fields[4] as? String : nil)
            }
            for (word, list) in wordLists {
                var postings: [String: Int] = [:]
                var index = 0
                while index + 1 < list.count {
                    guard list[index] >= 0, list[index] < ids.count else { return nil }
                    postings[ids[list[index]]] = list[index + 1]
                    index += 2
                }
                shard.words[word] = postings
            }
            return shard
        }
    }

    /// Every file of the index for these pages (path under the output, text), and its layout.
    /// Also chooses each entry's `bodyWords`, by how rare its words are across `entries`.
    public static func files(for entries: inout [StaticSearchEntry]) -> (
        files: [(path: String, text: String)], layout: Layout, bodyWordPages: BodyWordPages
    ) {
        var layout = Layout()
        var brandPages: [String: Int] = [:]
        for entry in entries { for word in entry.brandWords { brandPages[word, default: 0] += 1 } }
        layout.commonBrandWords = Set(brandPages.filter { $0.value > commonBrandPages }.map(\.key))
        // In how many pages each text word is, by hash; the common ones are written by name for
        // incremental builds.
        var bodyPages: [UInt64: Int32] = [:]
        for entry in entries {
            for index in entry.candidates.indices { bodyPages[entry.candidateHash(index), default: 0] += 1 }
        }
        let commonHashes = Set(bodyPages.filter { $0.value > Int32(commonBodyPages) }.map(\.key))
        for entry in entries where !commonHashes.isEmpty {
            for index in entry.candidates.indices where commonHashes.contains(entry.candidateHash(index)) {
                layout.commonBodyWords.insert(entry.candidateWord(index))
            }
            if layout.commonBodyWords.count == commonHashes.count { break }
        }
        let pageCount = entries.count
        let (common, pagesWith) = (commonHashes, bodyPages)
        entries.withUnsafeMutableBufferPointer { buffer in
            // Each iteration changes only its own entry, and `concurrentPerform` returns when all
            // have ended: no entry is touched by two threads.
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: buffer.count) { index in
                buffer[index].chooseBodyWords(pagesWith: pagesWith, pageCount: pageCount, common: common)
            }
        }
        let entries = entries
        layout.languages = Set(entries.compactMap(\.language))

        // Postings by page position, one list a word; two-letter shards first, those too big
        // made again with three letters.
        var nameWords: [String: [(page: Int32, number: Int32)]] = [:]
        var bodyWords: [String: [(page: Int32, number: Int32)]] = [:]
        for (position, entry) in entries.enumerated() {
            for (word, code) in entry.nameWordCodes(dropping: layout.commonBrandWords) {
                nameWords[word, default: []].append((Int32(position), Int32(code)))
            }
            for (word, count) in entry.bodyWords {
                bodyWords[word, default: []].append((Int32(position), Int32(count)))
            }
        }
        for (word, postings) in bodyWords where postings.count > pagesPerBodyWord {
            bodyWords[word] = Array(
                postings.sorted { ($1.number, $0.page) < ($0.number, $1.page) }.prefix(pagesPerBodyWord))
        }
        func group(_ words: [String: [(page: Int32, number: Int32)]], split: Set<String>) -> [String: [String]] {
            var shards: [String: [String]] = [:]
            for word in words.keys { shards[shardKey(word, split: split), default: []].append(word) }
            return shards
        }
        func size(_ words: [String], _ postings: [String: [(page: Int32, number: Int32)]]) -> Int {
            var pages: Set<Int32> = []
            var total = 0
            for word in words {
                total += word.utf8.count + 6 + postings[word]!.count * 8
                for posting in postings[word]! { pages.insert(posting.page) }
            }
            for page in pages { total += entries[Int(page)].id.utf8.count + entries[Int(page)].title.utf8.count + 14 }
            return total
        }
        var names = group(nameWords, split: [])
        layout.nameSplit = Set(
            names.filter { $0.key.count == 2 && size($0.value, nameWords) > splitThreshold }.map(\.key))
        if !layout.nameSplit.isEmpty { names = group(nameWords, split: layout.nameSplit) }
        var bodies = group(bodyWords, split: [])
        layout.bodySplit = Set(
            bodies.filter { $0.key.count == 2 && size($0.value, bodyWords) > splitThreshold }.map(\.key))
        if !layout.bodySplit.isEmpty { bodies = group(bodyWords, split: layout.bodySplit) }

        let all =
            names.map { (namePath($0.key), $0.value, false) } + bodies.map { (bodyPath($0.key), $0.value, true) }
        let texts = ResultSlots<String>(count: all.count)
        let (namePostings, bodyPostings) = (nameWords, bodyWords)
        DispatchQueue.concurrentPerform(iterations: all.count) { index in
            let (_, words, isBody) = all[index]
            texts.set(index, encode(words: words, postings: isBody ? bodyPostings : namePostings, entries: entries))
        }
        var files = zip(all.map(\.0), texts.values()).map { ($0, $1) }
        var sounded: Set<String> = []
        for entry in entries { sounded.formUnion(entry.nameWords + entry.aliasWords) }
        for (path, keys) in soundShards(sounded) { files.append((path, encodeSoundShard(keys))) }
        files.append(("search/index.json", manifest(layout: layout, pages: entries.count)))
        files.append(("search/layout.json", layoutText(layout)))
        return (files, layout, BodyWordPages(bodyPages, pageCount: pageCount))
    }

    /// A shard in the format of `Shard.encoded()`, from postings by page position.
    static func encode(
        words: [String], postings: [String: [(page: Int32, number: Int32)]], entries: [StaticSearchEntry]
    )
        -> String
    {
        var shard = Shard(isBody: false)
        for word in words {
            var byID: [String: Int] = [:]
            for posting in postings[word]! {
                let entry = entries[Int(posting.page)]
                byID[entry.id] = Int(posting.number)
                shard.pages[entry.id] = Shard.Page(
                    title: entry.title, kind: entry.kind, ingredientCount: entry.ingredientCount, banned: entry.banned,
                    languages: entry.languages)
            }
            shard.words[word] = byID
        }
        return shard.encoded()
    }

    /// `search/index.json`, what the client reads first: how words map to shards and the word
    /// lists it needs. Shards are not listed: a word whose shard does not exist is simply not
    /// found (the server answers 404), which keeps this file small.
    public static func manifest(layout: Layout, pages: Int) -> String {
        versionedLists(
            numbers: [("pages", pages)],
            lists: [
                ("nameSplit", layout.nameSplit), ("bodySplit", layout.bodySplit), ("joiners", SearchText.joiners),
                ("saltWords", SearchText.saltWords), ("units", SearchText.units), ("languages", layout.languages),
                ("fillers", QueryWords.fillers), ("optional", QueryWords.optional),
                ("unitWords", Set(QueryWords.units.map { $0.key + "=" + $0.value })),
            ])
    }

    /// `search/layout.json`: the layout in full, for the next incremental build (the client
    /// never reads it).
    static func layoutText(_ layout: Layout) -> String {
        versionedLists(
            numbers: [],
            lists: [
                ("nameSplit", layout.nameSplit), ("bodySplit", layout.bodySplit),
                ("commonBrandWords", layout.commonBrandWords), ("commonBodyWords", layout.commonBodyWords),
                ("languages", layout.languages),
            ])
    }

    /// `{"version":2, NUMBERS..., "KEY":[sorted words], ...}`.
    private static func versionedLists(numbers: [(String, Int)], lists: [(String, Set<String>)]) -> String {
        var json = JSONText()
        json.openObject()
        json.number("version", Double(version))
        for (key, value) in numbers { json.number(key, Double(value)) }
        for (key, values) in lists {
            json.openArray(key)
            for value in values.sorted() { json.string(nil, value) }
            json.closeArray()
        }
        json.closeObject()
        return json.text
    }

    /// The layout in the file at `path`, or the default layout when it cannot be read.
    public static func layout(at path: String) -> Layout {
        FileManager.default.contents(atPath: path).flatMap(layout(from:)) ?? Layout()
    }

    /// The layout a build wrote, for an incremental build to keep to.
    public static func layout(from data: Data) -> Layout? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            root["version"] as? Int == version, let nameSplit = root["nameSplit"] as? [String],
            let bodySplit = root["bodySplit"] as? [String], let common = root["commonBrandWords"] as? [String],
            let commonBody = root["commonBodyWords"] as? [String]
        else { return nil }
        var layout = Layout()
        layout.commonBodyWords = Set(commonBody)
        layout.nameSplit = Set(nameSplit)
        layout.bodySplit = Set(bodySplit)
        layout.commonBrandWords = Set(common)
        layout.languages = Set(root["languages"] as? [String] ?? [])
        return layout
    }
}

/// Reads a shard in exactly the form `Shard.encoded()` writes; nil at the first surprise.
struct ShardReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read(isBody: Bool) -> StaticSearchIndex.Shard? {
        var shard = StaticSearchIndex.Shard(isBody: isBody)
        guard literal("{\"pages\":[") else { return nil }
        var ids: [String] = []
        while peek() == UInt8(ascii: "[") {
            offset += 1
            guard let id = string(), literal(","), let title = string(), literal(","), let code = string(),
                literal(","), let count = integer(),
                let kind = MonographKind.allCases.first(where: { $0.rawValue.hasPrefix(code.lowercased()) })
            else { return nil }
            var languages: String?
            if peek() == UInt8(ascii: ",") {
                offset += 1
                guard let list = string() else { return nil }
                languages = list
            }
            guard literal("]") else { return nil }
            ids.append(id)
            shard.pages[id] = .init(
                title: title, kind: kind, ingredientCount: count, banned: code != code.lowercased(),
                languages: languages)
            if peek() == UInt8(ascii: ",") { offset += 1 }
        }
        guard literal("],\"words\":{") else { return nil }
        while peek() == UInt8(ascii: "\"") {
            guard let word = string(), literal(":[") else { return nil }
            var postings: [String: Int] = [:]
            while peek() != UInt8(ascii: "]") {
                guard let page = integer(), page >= 0, page < ids.count, literal(","), let number = integer() else {
                    return nil
                }
                postings[ids[page]] = number
                if peek() == UInt8(ascii: ",") { offset += 1 }
            }
            offset += 1
            shard.words[word] = postings
            if peek() == UInt8(ascii: ",") { offset += 1 }
        }
        guard literal("}}"), offset == bytes.count else { return nil }
        return shard
    }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for index in 0..<count where bytes[offset + index] != text.utf8Start[index] { return false }
        offset += count
        return true
    }

    private mutating func integer() -> Int? {
        var value = 0
        var digits = 0
        while let byte = peek(), byte >= 48, byte <= 57, digits < 15 {
            value = value * 10 + Int(byte - 48)
            offset += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// A JSON string as `JSONText` writes it: `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` escapes.
    private mutating func string() -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        offset += 1
        let start = offset
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { offset += 1 }
        if peek() == UInt8(ascii: "\"") {
            defer { offset += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }
        var result = Array(bytes[start..<offset])
        while let byte = peek() {
            offset += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: result, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                continue
            }
            guard let escaped = peek() else { return nil }
            offset += 1
            switch escaped {
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                guard offset + 4 <= bytes.count,
                    let value = UInt32(
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + 4]), as: UTF8.self),
                        radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                offset += 4
                result += Array(String(Character(scalar)).utf8)
            default: result.append(escaped)
            }
        }
        return nil
    }
}

/// In how many pages of the site each text word is a candidate, by the word's hash (from the
/// last full build), in two sorted arrays: what choosing a page's text words by tf-idf needs.
public struct BodyWordPages: Sendable, Equatable {
    public private(set) var hashes: [UInt64]
    public private(set) var pages: [Int32]
    public private(set) var pageCount: Int

    public init(hashes: [UInt64], pages: [Int32], pageCount: Int) {
        self.hashes = hashes
        self.pages = pages
        self.pageCount = pageCount
    }

    init(_ table: [UInt64: Int32], pageCount: Int) {
        let sorted = table.sorted { $0.key < $1.key }
        hashes = sorted.map(\.key)
        pages = sorted.map(\.value)
        self.pageCount = pageCount
    }

    /// The number of pages for `hash`, if any page has the word.
    public func pages(with hash: UInt64) -> Int32? {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == hash ? pages[low] : nil
    }
}

/// FNV-1a over strings and numbers, for content hashes that must be the same in every process
/// (Swift's `Hasher` is seeded per process).
struct Hasher64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { addByte(byte) }
        addByte(0xFF)  // not UTF-8: ends the string
    }

    mutating func add(_ number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { addByte(UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
    }

    @inline(__always)
    private mutating func addByte(_ byte: UInt8) {
        value ^= UInt64(byte)
        value &*= 0x0000_0100_0000_01B3
    }
}
