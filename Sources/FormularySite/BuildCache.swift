import FormularyModel
import FormularyParsing
import FormularySearch

#if canImport(Glibc)
    import Glibc
#endif

/// What the last build saw, so the next one can re-render only what changed: each source
/// file's modification time and size, the summary its page was built from, and the search
/// index shards the page is in.
///
/// Stored in a compact binary file (`encoded()`), plus a journal of the entries incremental
/// builds changed since (`journalRecords(for:)`), so that editing one page appends a few hundred
/// bytes instead of rewriting 11,000 entries.
struct BuildCache: Equatable, Sendable {
    static let formatVersion = "formulary-build-cache 8"
    static let journalVersion = "formulary-build-journal 1"

    /// Everything outside the content that shapes every page: templates, static files,
    /// settings and the Formulary version. A different one means a full build.
    var fingerprint: String
    var entries: [String: Entry]
    /// The site's text-word counts from the last full build, so that an incremental build
    /// chooses a changed page's search words as the full build would.
    var bodyWordPages: BodyWordPages?
    /// Names of the search shards entries refer to by number (`n/pa`, `b/fe`).
    private(set) var shardNames: [String] = []
    private var shardNumbers: [String: UInt16] = [:]
    /// Pairs a journal with the cache file it continues.
    var token: UInt64
    /// How many bytes of the journal were read and applied: 0 when there is none (or it
    /// belongs to another cache file); less than its size when its tail is damaged.
    private(set) var journalLength = 0

    init(
        fingerprint: String, entries: [String: Entry] = [:], bodyWordPages: BodyWordPages? = nil,
        token: UInt64 = UInt64.random(in: 1...UInt64.max)
    ) {
        self.fingerprint = fingerprint
        self.entries = entries
        self.bodyWordPages = bodyWordPages
        self.token = token
    }

    struct Entry: Equatable, Sendable {
        var modified: Int64
        var size: Int64
        var summary: PageSummary
        /// The search shards the page is in, each as its number in `shardNames` (top 16 bits)
        /// and a 48-bit hash of what the page puts there: a rebuild rewrites only the shards
        /// whose part of a changed page differs, and takes the page out of them.
        var shards: [UInt64] = []

        init(modified: Int64, size: Int64, summary: PageSummary) {
            self.modified = modified
            self.size = size
            self.summary = summary
        }
    }

    static let hashBits: UInt64 = 48
    static func shortHash(_ hash: UInt64) -> UInt64 { hash & ((1 << hashBits) - 1) }

    /// An entry's shards as paths with their (48-bit) hashes.
    func shards(of entry: Entry) -> [(path: String, hash: UInt64)] {
        entry.shards.map { (shardNames[Int($0 >> Self.hashBits)], Self.shortHash($0)) }
    }

    /// Records the shards of the entry for `path` (which must exist).
    mutating func setShards(_ shards: [(path: String, hash: UInt64)], for path: String) {
        guard entries[path] != nil else { return }
        var packed: [UInt64] = []
        packed.reserveCapacity(shards.count)
        for (name, hash) in shards {
            let number: UInt16
            if let known = shardNumbers[name] {
                number = known
            } else {
                guard shardNames.count < Int(UInt16.max) else { continue }
                number = UInt16(shardNames.count)
                shardNames.append(name)
                shardNumbers[name] = number
            }
            packed.append(UInt64(number) << Self.hashBits | Self.shortHash(hash))
        }
        entries[path]!.shards = packed
    }

    static func == (a: BuildCache, b: BuildCache) -> Bool {
        guard a.fingerprint == b.fingerprint, a.bodyWordPages == b.bodyWordPages, a.entries.count == b.entries.count
        else { return false }
        for (path, entry) in a.entries {
            guard let other = b.entries[path], entry.modified == other.modified, entry.size == other.size,
                entry.summary == other.summary, a.shards(of: entry).elementsEqual(b.shards(of: other), by: ==)
            else { return false }
        }
        return true
    }

    // MARK: The cache file

    /// A compact binary file, written and read in a few milliseconds: strings are a 32-bit
    /// length and their UTF-8, numbers little-endian, shard lists raw.
    func encoded() -> [UInt8] {
        var writer = CacheWriter()
        writer.bytes.reserveCapacity(entries.count * 700)
        writer.string(Self.formatVersion)
        writer.string(fingerprint)
        writer.integer(token)
        writer.integer(UInt64(shardNames.count))
        for name in shardNames { writer.string(name) }
        writer.integer(UInt64(entries.count))
        for (path, entry) in entries {
            writer.string(path)
            writer.entry(entry)
            writer.integer(UInt64(entry.shards.count))
            entry.shards.withUnsafeBytes { writer.bytes += $0 }
        }
        writer.optional(bodyWordPages) { writer, table in
            writer.integer(UInt64(table.pageCount))
            writer.integer(UInt64(table.hashes.count))
            table.hashes.withUnsafeBytes { writer.bytes += $0 }
            table.pages.withUnsafeBytes { writer.bytes += $0 }
        }
        return writer.bytes
    }

    /// The cache in `bytes` with the journal's records applied (a journal of another cache
    /// file is ignored), or nil when the cache is from another version or damaged (then the
    /// build is full).
    static func decode(_ bytes: [UInt8], journal: [UInt8]? = nil) -> BuildCache? {
        guard var cache = decodeBase(bytes) else { return nil }
        if let journal { cache.apply(journal: journal) }
        return cache
    }

    private static func decodeBase(_ bytes: [UInt8]) -> BuildCache? {
        bytes.withUnsafeBufferPointer { buffer -> BuildCache? in
            var reader = CacheReader(bytes: buffer)
            guard reader.string() == formatVersion, let fingerprint = reader.string(), let token = reader.integer(),
                let nameCount = reader.integer(), nameCount <= UInt64(UInt16.max)
            else { return nil }
            var cache = BuildCache(fingerprint: fingerprint, token: token)
            for number in 0..<Int(nameCount) {
                guard let name = reader.string() else { return nil }
                cache.shardNames.append(name)
                cache.shardNumbers[name] = UInt16(number)
            }
            guard let count = reader.integer(), count < 10_000_000 else { return nil }
            cache.entries.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let path = reader.string(), var entry = reader.entry(), let shardCount = reader.integer(),
                    shardCount < 1_000_000, let shards = reader.raw(UInt64.self, count: Int(shardCount)),
                    shards.allSatisfy({ Int($0 >> hashBits) < cache.shardNames.count })
                else { return nil }
                entry.shards = shards
                cache.entries[path] = entry
            }
            guard let hasTable = reader.flag() else { return nil }
            if hasTable {
                guard let pageCount = reader.integer(), let count = reader.integer(), count < 100_000_000,
                    let hashes = reader.raw(UInt64.self, count: Int(count)),
                    let pages = reader.raw(Int32.self, count: Int(count))
                else { return nil }
                cache.bodyWordPages = BodyWordPages(hashes: hashes, pages: pages, pageCount: Int(pageCount))
            }
            guard reader.isAtEnd else { return nil }
            return cache
        }
    }

    // MARK: The journal

    /// The journal's opening: what it belongs to.
    func journalHeader() -> [UInt8] {
        var writer = CacheWriter()
        writer.string(Self.journalVersion)
        writer.integer(token)
        return writer.bytes
    }

    /// What an incremental build changes for one content file: its new entry and the shards it
    /// is in, or nil when the file is gone or no longer a page.
    struct Change {
        var path: String
        var entry: Entry?
        var shards: [(path: String, hash: UInt64)] = []
    }

    /// Records that bring a reader of the cache file (and the journal so far) to this cache with
    /// `changes` applied: each entry as it now is, or its removal.
    func journalRecords(for changes: [Change]) -> [UInt8] {
        var writer = CacheWriter()
        for change in changes {
            guard let entry = change.entry else {
                writer.bytes.append(0)
                writer.string(change.path)
                continue
            }
            writer.bytes.append(1)
            writer.string(change.path)
            writer.entry(entry)
            writer.integer(UInt64(change.shards.count))
            for (name, hash) in change.shards {
                writer.string(name)
                writer.integer(Self.shortHash(hash))
            }
        }
        return writer.bytes
    }

    /// This cache with `changes` applied.
    func applying(_ changes: [Change]) -> BuildCache {
        var cache = self
        for change in changes {
            cache.entries[change.path] = change.entry
            if change.entry != nil { cache.setShards(change.shards, for: change.path) }
        }
        return cache
    }

    /// Applies the journal's records in order; stops at the first damaged one (a record cut
    /// by a crash), which loses nothing: a file whose record is missing differs from the
    /// cache, so the next build renders it again.
    private mutating func apply(journal: [UInt8]) {
        journal.withUnsafeBufferPointer { buffer in
            var reader = CacheReader(bytes: buffer)
            guard reader.string() == Self.journalVersion, reader.integer() == token else { return }
            journalLength = reader.offset
            defer { journalLength = reader.isAtEnd ? journal.count : journalLength }
            while !reader.isAtEnd {
                guard let kind = reader.flag(), let path = reader.string() else { return }
                guard kind else {
                    entries[path] = nil
                    continue
                }
                guard let entry = reader.entry(), let count = reader.integer(), count < 1_000_000 else { return }
                var shards: [(path: String, hash: UInt64)] = []
                for _ in 0..<count {
                    guard let name = reader.string(), let hash = reader.integer() else { return }
                    shards.append((name, hash))
                }
                entries[path] = entry
                setShards(shards, for: path)
                journalLength = reader.offset
            }
        }
    }

    /// Writes `changes` to this cache's files: appended to the journal while it is small and
    /// whole, otherwise the cache file rewritten with them and the journal removed. The cache in
    /// memory is left as it is: an edit costs a few hundred bytes, not a copy of 11,000 entries.
    func save(_ changes: [Change], to cacheFile: String, journalLimit: Int = 4 << 20) throws(OutputFiles.Failure) {
        let journalFile = Self.journalFile(of: cacheFile)
        let records = journalRecords(for: changes)
        let journalSize = OutputFiles.stamp(journalFile).map { Int($0.size) } ?? 0
        if journalLength > 0, journalLength == journalSize, journalSize + records.count <= journalLimit {
            try OutputFiles.append(records, to: journalFile)
        } else if journalLength == 0, journalSize == 0, records.count <= journalLimit {
            try OutputFiles.replace(journalFile, with: journalHeader() + records)
        } else {
            var compacted = applying(changes)
            compacted.token = UInt64.random(in: 1...UInt64.max)
            try OutputFiles.replace(cacheFile, with: compacted.encoded())
            OutputFiles.remove(journalFile)
        }
    }

    static func journalFile(of cacheFile: String) -> String { cacheFile + ".journal" }
}

// MARK: Reading and writing

extension CacheWriter {
    /// An entry without its shards.
    mutating func entry(_ entry: BuildCache.Entry) {
        let summary = entry.summary
        integer(UInt64(bitPattern: entry.modified))
        integer(UInt64(bitPattern: entry.size))
        for text in [summary.id, summary.slug, summary.collection, summary.title, summary.kind.rawValue] {
            string(text)
        }
        integer(UInt64(summary.ingredients.count))
        for ingredient in summary.ingredients {
            string(ingredient.name)
            optional(ingredient.strength) { writer, strength in
                writer.string(strength.text)
                writer.integer(strength.value.bitPattern)
                writer.string(strength.unit)
                writer.optional(strength.per) { writer, per in
                    writer.integer(per.value.bitPattern)
                    writer.string(per.unit)
                }
            }
        }
        optional(summary.productTarget) { $0.string($1) }
        string(summary.lastModified)
        optional(summary.description) { $0.string($1) }
        integer((summary.banned ? 1 : 0) | (summary.aiGenerated ? 2 : 0))
        optional(summary.review) { writer, review in
            writer.string(review.by)
            writer.string(review.at ?? "")
        }
        optional(summary.language) { $0.string($1) }
    }
}

extension CacheReader {
    /// An entry without its shards.
    mutating func entry() -> BuildCache.Entry? {
        guard let modified = integer(), let size = integer(), let id = string(), let slug = string(),
            let collection = string(), let title = string(),
            let kind = string().flatMap(MonographKind.init(rawValue:)),
            let ingredientCount = integer(), ingredientCount < 10_000
        else { return nil }
        var ingredients: [Ingredient] = []
        for _ in 0..<ingredientCount {
            guard let name = string(), let hasStrength = flag() else { return nil }
            var strength: Strength?
            if hasStrength {
                guard let text = string(), let value = integer(), let unit = string(), let hasPer = flag() else {
                    return nil
                }
                var per: Strength.Quantity?
                if hasPer {
                    guard let perValue = integer(), let perUnit = string() else { return nil }
                    per = Strength.Quantity(value: Double(bitPattern: perValue), unit: perUnit)
                }
                strength = Strength(text: text, value: Double(bitPattern: value), unit: unit, per: per)
            }
            ingredients.append(Ingredient(name: name, strength: strength))
        }
        guard let hasTarget = flag() else { return nil }
        let target = hasTarget ? string() : nil
        guard let lastModified = string(), let hasDescription = flag() else { return nil }
        let description = hasDescription ? string() : nil
        guard let flags = integer(), let hasReview = flag() else { return nil }
        var review: Review?
        if hasReview {
            guard let by = string(), let at = string() else { return nil }
            review = Review(by: by, at: at.isEmpty ? nil : at)
        }
        guard let hasLanguage = flag() else { return nil }
        var language: String?
        if hasLanguage {
            guard let code = string() else { return nil }
            language = code
        }
        let summary = PageSummary(
            id: id, slug: slug, collection: collection, title: title, kind: kind, ingredients: ingredients,
            productTarget: target, lastModified: lastModified, description: description,
            banned: flags & 1 != 0, aiGenerated: flags & 2 != 0, review: review, language: language)
        return BuildCache.Entry(modified: Int64(bitPattern: modified), size: Int64(bitPattern: size), summary: summary)
    }
}
