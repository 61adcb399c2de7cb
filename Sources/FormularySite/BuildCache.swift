import FormularyModel
import FormularyParsing

/// What the last build saw, so the next one can re-render only what changed: each source
/// file's modification time and size, and the summary its page was built from.
///
/// Stored as one tab-separated line per page: reading it must take milliseconds, since an
/// incremental build has about 100 ms in all.
struct BuildCache: Equatable {
    static let formatVersion = "formulary-build-cache 2"

    /// Everything outside the content that shapes every page: templates, static files,
    /// settings and the Formulary version. A different one means a full build.
    var fingerprint: String
    var entries: [String: Entry]

    struct Entry: Equatable {
        var modified: Int64
        var size: Int64
        var summary: PageSummary
        /// The search index shards the page is in (`n/pa`, `b/fe`), to take it out when it changes.
        var searchShards: [String] = []
    }

    /// Written and read as bytes: an incremental build has about 100 ms in all, and this file
    /// has a line for each of 11,000 pages.
    func encoded() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 256)
        bytes += Self.formatVersion.utf8
        bytes.append(0x09)
        bytes += fingerprint.utf8
        bytes.append(0x0A)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let summary = entry.summary
            let ingredients = summary.ingredients.map { $0.name + "\u{1E}" + ($0.strength?.text ?? "") }
                .joined(separator: "\u{1F}")
            let fields = [
                path, String(entry.modified), String(entry.size), summary.id, summary.slug, summary.collection,
                summary.title, summary.kind.rawValue, ingredients, summary.productTarget ?? "", summary.lastModified,
                summary.description ?? "", summary.banned ? "1" : "0", summary.aiGenerated ? "1" : "0",
                summary.productTarget == nil ? "0" : "1", summary.description == nil ? "0" : "1",
                entry.searchShards.joined(separator: ","),
            ]
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(0x09) }
                Self.appendEscaped(field, to: &bytes)
            }
            bytes.append(0x0A)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendEscaped(_ field: String, to bytes: inout [UInt8]) {
        for byte in field.utf8 {
            switch byte {
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
    }

    /// The cache in `text`, or nil when it is from another version or damaged (then the build is full).
    static func decode(_ text: String) -> BuildCache? {
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>) -> BuildCache? {
        var lineStart = 0
        var fingerprint: String?
        var entries: [String: Entry] = [:]
        var fields: [String] = []
        fields.reserveCapacity(17)
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            guard lineEnd > lineStart else { continue }
            fields.removeAll(keepingCapacity: true)
            var fieldStart = lineStart
            for index in lineStart...lineEnd where index == lineEnd || bytes[index] == 0x09 {
                fields.append(field(UnsafeBufferPointer(rebasing: bytes[fieldStart..<index])))
                fieldStart = index + 1
            }
            guard let headerFingerprint = fingerprint else {
                guard fields.count == 2, fields[0] == formatVersion else { return nil }
                fingerprint = fields[1]
                continue
            }
            _ = headerFingerprint
            guard fields.count == 17, let modified = Int64(fields[1]), let size = Int64(fields[2]),
                let kind = MonographKind(rawValue: fields[7])
            else { return nil }
            let ingredients =
                fields[8].isEmpty
                ? []
                : fields[8].split(separator: "\u{1F}", omittingEmptySubsequences: false).map { item -> Ingredient in
                    let parts = item.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
                    let strength = parts.count > 1 && !parts[1].isEmpty ? StrengthParser.parse(String(parts[1])) : nil
                    return Ingredient(name: String(parts[0]), strength: strength)
                }
            let summary = PageSummary(
                id: fields[3], slug: fields[4], collection: fields[5], title: fields[6], kind: kind,
                ingredients: ingredients, productTarget: fields[14] == "1" ? fields[9] : nil,
                lastModified: fields[10], description: fields[15] == "1" ? fields[11] : nil,
                banned: fields[12] == "1", aiGenerated: fields[13] == "1")
            let shards = fields[16].isEmpty ? [] : fields[16].split(separator: ",").map(String.init)
            entries[fields[0]] = Entry(modified: modified, size: size, summary: summary, searchShards: shards)
        }
        guard let fingerprint else { return nil }
        return BuildCache(fingerprint: fingerprint, entries: entries)
    }

    /// One field's text, escapes undone.
    private static func field(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var result: [UInt8] = []
        var escaping = false
        for byte in bytes {
            if escaping {
                switch byte {
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                default: result.append(byte)
                }
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
