import FormularyModel
import FormularyParsing

/// What the last build saw, so the next one can re-render only what changed: each source
/// file's modification time and size, and the summary its page was built from.
///
/// Stored in a small binary format (`encoded()`).
struct BuildCache: Equatable {
    static let formatVersion = "formulary-build-cache 5"

    /// Everything outside the content that shapes every page: templates, static files,
    /// settings and the Formulary version. A different one means a full build.
    var fingerprint: String
    var entries: [String: Entry]

    struct Entry: Equatable {
        var modified: Int64
        var size: Int64
        var summary: PageSummary
        /// The search index shards the page is in (`n/pa b/fe ...`, one string: a page is in
        /// sixty or so, and 11,000 pages of separate strings would slow every incremental build),
        /// to take it out when it changes.
        var searchShardList = ""

        init(modified: Int64, size: Int64, summary: PageSummary, searchShards: [String] = []) {
            self.modified = modified
            self.size = size
            self.summary = summary
            self.searchShardList = searchShards.joined(separator: " ")
        }

        var searchShards: [String] {
            get { searchShardList.split(separator: " ").map(String.init) }
            set { searchShardList = newValue.joined(separator: " ") }
        }
    }

    /// A compact binary file, written and read in a few milliseconds: an incremental build has
    /// about 100 ms in all, and this file holds 11,000 pages. Strings are a 32-bit length and
    /// their UTF-8; numbers are little-endian.
    func encoded() -> [UInt8] {
        var writer = Writer()
        writer.bytes.reserveCapacity(entries.count * 320)
        writer.string(Self.formatVersion)
        writer.string(fingerprint)
        writer.integer(UInt64(entries.count))
        for (path, entry) in entries {
            let summary = entry.summary
            writer.string(path)
            writer.integer(UInt64(bitPattern: entry.modified))
            writer.integer(UInt64(bitPattern: entry.size))
            for text in [summary.id, summary.slug, summary.collection, summary.title, summary.kind.rawValue] {
                writer.string(text)
            }
            writer.integer(UInt64(summary.ingredients.count))
            for ingredient in summary.ingredients {
                writer.string(ingredient.name)
                writer.optional(ingredient.strength) { writer, strength in
                    writer.string(strength.text)
                    writer.integer(strength.value.bitPattern)
                    writer.string(strength.unit)
                    writer.optional(strength.per) { writer, per in
                        writer.integer(per.value.bitPattern)
                        writer.string(per.unit)
                    }
                }
            }
            writer.optional(summary.productTarget) { $0.string($1) }
            writer.string(summary.lastModified)
            writer.optional(summary.description) { $0.string($1) }
            writer.integer((summary.banned ? 1 : 0) | (summary.aiGenerated ? 2 : 0))
            writer.optional(summary.review) { writer, review in
                writer.string(review.by)
                writer.string(review.at ?? "")
            }
            writer.string(entry.searchShardList)
        }
        return writer.bytes
    }

    /// The cache in `bytes`, or nil when it is from another version or damaged (then the build is full).
    static func decode(_ bytes: [UInt8]) -> BuildCache? {
        bytes.withUnsafeBufferPointer { buffer -> BuildCache? in
            var reader = Reader(bytes: buffer)
            guard reader.string() == formatVersion, let fingerprint = reader.string(), let count = reader.integer(),
                count < 10_000_000
            else { return nil }
            var entries: [String: Entry] = [:]
            entries.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let path = reader.string(), let modified = reader.integer(), let size = reader.integer(),
                    let id = reader.string(), let slug = reader.string(), let collection = reader.string(),
                    let title = reader.string(), let kind = reader.string().flatMap(MonographKind.init(rawValue:)),
                    let ingredientCount = reader.integer(), ingredientCount < 10_000
                else { return nil }
                var ingredients: [Ingredient] = []
                for _ in 0..<ingredientCount {
                    guard let name = reader.string(), let hasStrength = reader.flag() else { return nil }
                    var strength: Strength?
                    if hasStrength {
                        guard let text = reader.string(), let value = reader.integer(), let unit = reader.string(),
                            let hasPer = reader.flag()
                        else { return nil }
                        var per: Strength.Quantity?
                        if hasPer {
                            guard let perValue = reader.integer(), let perUnit = reader.string() else { return nil }
                            per = Strength.Quantity(value: Double(bitPattern: perValue), unit: perUnit)
                        }
                        strength = Strength(text: text, value: Double(bitPattern: value), unit: unit, per: per)
                    }
                    ingredients.append(Ingredient(name: name, strength: strength))
                }
                guard let hasTarget = reader.flag() else { return nil }
                let target = hasTarget ? reader.string() : nil
                guard let lastModified = reader.string(), let hasDescription = reader.flag() else { return nil }
                let description = hasDescription ? reader.string() : nil
                guard let flags = reader.integer(), let hasReview = reader.flag() else { return nil }
                var review: Review?
                if hasReview {
                    guard let by = reader.string(), let at = reader.string() else { return nil }
                    review = Review(by: by, at: at.isEmpty ? nil : at)
                }
                guard let shards = reader.string() else { return nil }
                let summary = PageSummary(
                    id: id, slug: slug, collection: collection, title: title, kind: kind, ingredients: ingredients,
                    productTarget: target, lastModified: lastModified, description: description,
                    banned: flags & 1 != 0, aiGenerated: flags & 2 != 0, review: review)
                var entry = Entry(
                    modified: Int64(bitPattern: modified), size: Int64(bitPattern: size), summary: summary)
                entry.searchShardList = shards
                entries[path] = entry
            }
            guard reader.isAtEnd else { return nil }
            return BuildCache(fingerprint: fingerprint, entries: entries)
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func integer(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }

        mutating func string(_ text: String) {
            let utf8 = text.utf8
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
            bytes += utf8
        }

        mutating func optional<T>(_ value: T?, _ write: (inout Writer, T) -> Void) {
            bytes.append(value == nil ? 0 : 1)
            if let value { write(&self, value) }
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func integer() -> UInt64? {
            guard offset + 8 <= bytes.count else { return nil }
            var value: UInt64 = 0
            for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
            offset += 8
            return value
        }

        mutating func flag() -> Bool? {
            guard offset < bytes.count, bytes[offset] <= 1 else { return nil }
            offset += 1
            return bytes[offset - 1] == 1
        }

        mutating func string() -> String? {
            guard offset + 4 <= bytes.count else { return nil }
            var count = 0
            for index in (0..<4).reversed() { count = count << 8 | Int(bytes[offset + index]) }
            offset += 4
            guard count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
        }
    }
}
