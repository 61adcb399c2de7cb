import Yams

/// A YAML value of the front matter, reduced to what monographs use: text, lists and mappings.
///
/// Scalars keep the text as written; `bool` and `number` read it the way YAML 1.1 would.
public indirect enum FrontMatterValue: Sendable, Hashable {
    case scalar(String)
    case null
    case sequence([FrontMatterValue])
    case mapping([FrontMatterEntry])
    /// A block kept as YAML text and read only when asked for (`FrontMatter.resolvedValue(forKey:)`):
    /// the v2 `faqs:` lists, which cost more to read than the rest of the page and are rarely
    /// used (the body's FAQs win). `yaml` is the block with its key line, as written.
    case unparsed(yaml: String, line: Int)

    public var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    public var bool: Bool? {
        switch string?.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: return nil
        }
    }

    public var number: Double? { string.flatMap { Double($0.trimmingWhitespace()) } }

    public subscript(key: String) -> FrontMatterValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
}

/// One `key: value` of a front matter mapping, with the key's 1-based line in the file.
public struct FrontMatterEntry: Sendable, Hashable {
    public var key: String
    public var value: FrontMatterValue
    public var line: Int
    public var column: Int
}

/// The YAML block between the opening and closing `---` lines.
public struct FrontMatter: Sendable, Hashable {
    /// Top-level keys in file order.
    public var entries: [FrontMatterEntry]
    /// The 1-based lines of the opening and closing `---`.
    public var openingLine: Int
    public var closingLine: Int

    public subscript(key: String) -> FrontMatterValue? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a key, reading it with Yams now if it was kept as text.
    public func resolvedValue(forKey key: String, path: String) throws(MonographParseError) -> FrontMatterValue? {
        guard let value = self[key] else { return nil }
        guard case .unparsed(let yaml, let line) = value else { return value }
        return try FrontMatterReader.parseYAML(yaml, firstLine: line, path: path).first?.value
    }
}

/// Splits a page into front matter and body, and reads the YAML with Yams.
enum FrontMatterReader {
    /// Front matter longer than this is almost surely a missing closing line.
    static let byteLimit = 256 * 1024
    /// Bounds the nodes an alias can expand to ("billion laughs").
    static let nodeLimit = 20_000

    struct Split {
        var frontMatter: FrontMatter
        /// Byte offset where the body starts, and its 1-based line in the file.
        var bodyOffset: Int
        var bodyLine: Int
    }

    static func read(_ bytes: [UInt8], path: String) throws(MonographParseError) -> Split {
        var offset = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }  // byte order mark
        guard let firstEnd = lineEnd(in: bytes, from: offset), isDelimiter(bytes[offset..<firstEnd.contentEnd], "---")
        else {
            throw MonographParseError(path: path, line: 1, reason: .missingFrontMatter)
        }
        var line = 2
        var cursor = firstEnd.next
        let yamlStart = cursor
        var deferred: DeferredBlock?
        while cursor < bytes.count {
            guard let end = lineEnd(in: bytes, from: cursor) else { break }
            let content = bytes[cursor..<end.contentEnd]
            if isDelimiter(content, "---") || isDelimiter(content, "...") {
                if cursor - yamlStart > byteLimit {
                    throw MonographParseError(path: path, line: 1, reason: .frontMatterTooLarge(limit: byteLimit))
                }
                if var block = deferred, block.end == nil { block.end = cursor; deferred = block }
                let entries = try parseDeferring(deferred, in: bytes, yamlRange: yamlStart..<cursor, path: path)
                return Split(
                    frontMatter: FrontMatter(entries: entries, openingLine: 1, closingLine: line),
                    bodyOffset: end.next, bodyLine: line + 1)
            }
            if var block = deferred, block.end == nil {
                // The block ends at the first line that starts at column 0 with something other than
                // an indentless list entry or a comment.
                if let first = content.first, first != UInt8(ascii: " "), first != UInt8(ascii: "-"),
                    first != UInt8(ascii: "#"), first != UInt8(ascii: "\t")
                {
                    block.end = cursor
                    deferred = block
                }
            } else if deferred == nil, isDelimiter(content, "faqs:") {
                deferred = DeferredBlock(key: "faqs", start: cursor, valueStart: end.next, line: line)
            }
            cursor = end.next
            line += 1
        }
        throw MonographParseError(path: path, line: 1, reason: .unterminatedFrontMatter)
    }

    /// A top-level block whose value is kept as text (see `FrontMatterValue.unparsed`).
    struct DeferredBlock {
        var key: String
        /// Byte offsets of the key line, of the value's first line, and of the line after the block.
        var start: Int
        var valueStart: Int
        var end: Int?
        /// 1-based file line of the key.
        var line: Int
    }

    /// Reads the YAML with the deferred block's value lines blanked out (line numbers stay
    /// right), then puts the block back as text. Should the rest not read without the block,
    /// the whole front matter is read as it is, so errors come out exactly as Yams reports them.
    private static func parseDeferring(
        _ deferred: DeferredBlock?, in bytes: [UInt8], yamlRange: Range<Int>, path: String
    ) throws(MonographParseError) -> [FrontMatterEntry] {
        guard let deferred, let end = deferred.end, deferred.valueStart < end else {
            return try parseYAML(String(decoding: bytes[yamlRange], as: UTF8.self), firstLine: 2, path: path)
        }
        var reduced = Array(bytes[yamlRange.lowerBound..<deferred.valueStart])
        let blankLines = bytes[deferred.valueStart..<end].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        reduced += repeatElement(UInt8(ascii: "\n"), count: blankLines)
        reduced += bytes[end..<yamlRange.upperBound]
        guard var entries = try? parseYAML(String(decoding: reduced, as: UTF8.self), firstLine: 2, path: path),
            let index = entries.firstIndex(where: { $0.key == deferred.key }), entries[index].value == .null
        else {
            return try parseYAML(String(decoding: bytes[yamlRange], as: UTF8.self), firstLine: 2, path: path)
        }
        entries[index].value = .unparsed(
            yaml: String(decoding: bytes[deferred.start..<end], as: UTF8.self), line: deferred.line)
        return entries
    }

    /// The end of the line starting at `start` (before `\n` or `\r\n`) and where the next begins.
    private static func lineEnd(in bytes: [UInt8], from start: Int) -> (contentEnd: Int, next: Int)? {
        guard start < bytes.count else { return nil }
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        var contentEnd = index
        if contentEnd > start, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
        return (contentEnd, min(index + 1, bytes.count))
    }

    private static func isDelimiter(_ line: ArraySlice<UInt8>, _ marker: String) -> Bool {
        var trimmed = line
        while let last = trimmed.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { trimmed.removeLast() }
        return trimmed.elementsEqual(marker.utf8)
    }

    /// Composing nodes never constructs values, but `Constructor.default` builds its three
    /// tables on every call: one, made once and never changed, serves every page.
    /// `nonisolated(unsafe)` because Yams' `Constructor` is a class not marked Sendable; it is
    /// only read (its tables are `let` dictionaries), by every parsing thread at once, which the
    /// parallel corpus tests and the ThreadSanitizer build run.
    nonisolated(unsafe) private static let constructor = Constructor.default

    static func parseYAML(_ yaml: String, firstLine: Int, path: String) throws(MonographParseError)
        -> [FrontMatterEntry]
    {
        let node: Node?
        do {
            // `.basic`: every scalar stays text (the default resolver runs regular expressions on each);
            // an explicit encoding spares Yams a look at the environment on every call.
            node = try Yams.compose(yaml: yaml, .basic, constructor, .utf8)
        } catch let error as YamlError {
            throw yamlError(error, firstLine: firstLine, path: path)
        } catch {
            throw MonographParseError(path: path, line: firstLine, reason: .invalidYAML("\(error)"))
        }
        guard let node else { return [] }  // `---` directly followed by `---`
        guard case .mapping(let mapping) = node else {
            let found =
                switch node {
                case .scalar: "a single value"
                case .sequence: "a list"
                default: "this"
                }
            throw MonographParseError(
                path: path, line: firstLine - 1 + (node.mark?.line ?? 1), reason: .frontMatterNotMapping(found: found))
        }
        var budget = nodeLimit
        var entries: [FrontMatterEntry] = []
        for (key, value) in mapping {
            let converted = try convert(value, budget: &budget, path: path)
            entries.append(
                FrontMatterEntry(
                    key: key.string ?? "", value: converted,
                    line: firstLine - 1 + (key.mark?.line ?? 1), column: key.mark?.column ?? 1))
        }
        return entries
    }

    private static func convert(_ node: Node, budget: inout Int, path: String) throws(MonographParseError)
        -> FrontMatterValue
    {
        budget -= 1
        guard budget >= 0 else {
            throw MonographParseError(path: path, line: 2, reason: .frontMatterTooComplex(limit: nodeLimit))
        }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                switch scalar.string {
                case "", "~", "null", "Null", "NULL": return .null
                default: break
                }
            }
            return .scalar(scalar.string)
        case .sequence(let sequence):
            var items: [FrontMatterValue] = []
            for item in sequence { items.append(try convert(item, budget: &budget, path: path)) }
            return .sequence(items)
        case .mapping(let mapping):
            var entries: [FrontMatterEntry] = []
            for (key, value) in mapping {
                entries.append(
                    FrontMatterEntry(
                        key: key.string ?? "", value: try convert(value, budget: &budget, path: path),
                        line: key.mark?.line ?? 0, column: key.mark?.column ?? 0))
            }
            return .mapping(entries)
        case .alias:
            return .null
        }
    }

    private static func yamlError(_ error: YamlError, firstLine: Int, path: String) -> MonographParseError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return MonographParseError(
                path: path, line: firstLine - 1 + mark.line, column: mark.column, reason: .invalidYAML(text))
        case .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return MonographParseError(
                path: path, line: firstLine - 1 + mark.line, column: mark.column, reason: .invalidYAML(text))
        case .duplicatedKeysInMapping(let duplicates, _):
            return MonographParseError(
                path: path, line: firstLine,
                reason: .invalidYAML("duplicated keys \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"))
        default:
            return MonographParseError(path: path, line: firstLine, reason: .invalidYAML("\(error)"))
        }
    }
}
