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

    func encoded() -> String {
        var text = Self.formatVersion + "\t" + fingerprint + "\n"
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
            text += fields.map(Self.escape).joined(separator: "\t") + "\n"
        }
        return text
    }

    /// The cache in `text`, or nil when it is from another version or damaged (then the build is full).
    static func decode(_ text: String) -> BuildCache? {
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: true).map(Substring.init)[...]
        guard let header = lines.popFirst() else { return nil }
        let headerFields = header.unicodeScalars.split(separator: "\t", omittingEmptySubsequences: false).map(Substring.init)
        guard headerFields.count == 2, headerFields[0] == formatVersion else { return nil }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.unicodeScalars.split(separator: "\t", omittingEmptySubsequences: false).map {
                unescape(Substring($0))
            }
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
        return BuildCache(fingerprint: String(headerFields[1]), entries: entries)
    }

    private static func escape(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        var result = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var result = ""
        var escaping = false
        for scalar in field.unicodeScalars {
            if escaping {
                switch scalar {
                case "t": result.unicodeScalars.append("\t")
                case "n": result.unicodeScalars.append("\n")
                case "r": result.unicodeScalars.append("\r")
                default: result.unicodeScalars.append(scalar)
                }
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
