import Dispatch
import Foundation
import FormularyModel
import FormularyParsing

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
    /// A word's hash, as text words are counted by (`StableHasher.hash`).
    public static func wordHash(_ bytes: some Collection<UInt8>) -> UInt64 { StableHasher.hash(bytes) }

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
            // Content hashes the same in every process (Swift's `Hasher` is seeded per process).
            var page = StableHasher()
            page.combine(entry.id)
            page.combine(entry.title)
            page.combine(entry.kind.rawValue)
            page.combine(number: UInt64(entry.ingredientCount))
            page.combine(entry.languages ?? "")
            func hash(_ words: [(word: String, number: Int)]) -> UInt64 {
                var hasher = page
                for (word, number) in words.sorted(by: { $0.word < $1.word }) {
                    hasher.combine(word)
                    hasher.combine(number: UInt64(bitPattern: Int64(number)))
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
