import FormularyParsing

/// What a command that reads every page keeps of each (coverage keeps a page's collection and
/// sections, the worklist also what `check` found), written and read by `PageFactsCache`.
protocol PageFacts: Sendable {
    func write(to writer: inout CacheWriter)
    static func read(from reader: inout CacheReader) -> Self?
}

/// The facts of every page file under a content folder, kept between runs in a cache file by
/// each file's modification time and size: a run reads and parses only the files changed since
/// the last, so `formulary review coverage` and `worklist` on 11,000 pages take a listing of the
/// folder and one read of the cache, not a parse of every page.
///
/// The cache is only ever a copy: a damaged one, one of another Formulary version or of another
/// `fingerprint` (what else shaped the facts: check rules, reference lists) is ignored and
/// written again, and one that cannot be written changes nothing but the next run's speed.
enum PageFactsCache {
    static let formatVersion = "formulary-page-facts 1"

    /// The page files under `contentFolder` as a build chooses them (in path order), each with
    /// its facts, or nil for a file `facts` gives none for (a draft, a file that does not parse).
    static func facts<Facts: PageFacts>(
        under contentFolder: String, cacheFile: String?, fingerprint: String, loader: ContentLoader,
        _ facts: @escaping @Sendable (ContentLoader.Outcome) -> Facts?
    ) throws -> [(path: String, facts: Facts?)] {
        let files = try SiteBuilder.pageFiles(in: contentFolder)
        let key = Self.key(fingerprint)
        let cached = cacheFile.flatMap { OutputFiles.read($0) }.flatMap { decode($0, key: key, as: Facts.self) } ?? [:]
        var results: [Facts?] = Array(repeating: nil, count: files.count)
        var missing: [Int] = []
        for (index, file) in files.enumerated() {
            if let stamp = file.stamp, let hit = cached[file.path], hit.stamp == stamp {
                results[index] = hit.facts
            } else {
                missing.append(index)
            }
        }
        let read = loader.map(missing.map { files[$0].path }, facts)
        for (index, value) in zip(missing, read) { results[index] = value }
        if let cacheFile, !missing.isEmpty || cached.count != files.count(where: { $0.stamp != nil }) {
            var entries: [(path: String, stamp: ContentLoader.FileStamp, facts: Facts?)] = []
            for (file, value) in zip(files, results) {
                if let stamp = file.stamp { entries.append((file.path, stamp, value)) }
            }
            save(entries, key: key, to: cacheFile)
        }
        return zip(files, results).map { ($0.path, $1) }
    }

    static func key(_ fingerprint: String) -> String {
        var hasher = StableHasher()
        hasher.combine(FormularyVersion.current)
        hasher.combine(fingerprint)
        return hasher.hexDigest
    }

    static func encode<Facts: PageFacts>(
        _ entries: [(path: String, stamp: ContentLoader.FileStamp, facts: Facts?)], key: String
    ) -> [UInt8] {
        var writer = CacheWriter()
        writer.string(formatVersion)
        writer.string(key)
        writer.integer(UInt64(entries.count))
        for entry in entries {
            writer.string(entry.path)
            writer.integer(UInt64(bitPattern: entry.stamp.modified))
            writer.integer(UInt64(bitPattern: entry.stamp.size))
            writer.optional(entry.facts) { $1.write(to: &$0) }
        }
        return writer.bytes
    }

    /// The cache's entries by path, or nil when it is damaged, of another version or `key`.
    static func decode<Facts: PageFacts>(_ bytes: [UInt8], key: String, as: Facts.Type) -> [String: (
        stamp: ContentLoader.FileStamp, facts: Facts?
    )]? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = CacheReader(bytes: buffer)
            guard reader.string() == formatVersion, reader.string() == key, let count = reader.integer(),
                count < 10_000_000
            else { return nil }
            var entries: [String: (stamp: ContentLoader.FileStamp, facts: Facts?)] = [:]
            entries.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let path = reader.string(), let modified = reader.integer(), let size = reader.integer(),
                    let hasFacts = reader.flag()
                else { return nil }
                var facts: Facts?
                if hasFacts {
                    guard let read = Facts.read(from: &reader) else { return nil }
                    facts = read
                }
                entries[path] = (
                    ContentLoader.FileStamp(modified: Int64(bitPattern: modified), size: Int64(bitPattern: size)), facts
                )
            }
            return reader.isAtEnd ? entries : nil
        }
    }

    /// Writes the cache whole (a temporary file renamed over it); a cache that cannot be
    /// written is left as it was.
    private static func save<Facts: PageFacts>(
        _ entries: [(path: String, stamp: ContentLoader.FileStamp, facts: Facts?)], key: String, to cacheFile: String
    ) {
        if let slash = cacheFile.lastIndex(of: "/") {
            try? OutputFiles.makeFolder(String(cacheFile[..<slash]))
        }
        try? OutputFiles.replace(cacheFile, with: encode(entries, key: key))
    }
}
