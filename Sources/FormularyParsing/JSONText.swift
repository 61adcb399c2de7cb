/// JSON written by hand for the few small shapes a build emits thousands of times (JSON-LD,
/// index entries): Foundation's encoders cost tens of microseconds an object.
public struct JSONText: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []
    /// Whether strings escape `<`, `>`, `&` and U+2028/9 (see `appendQuoted`): for JSON inside
    /// HTML and files a browser may fetch; off for text printed for people and tools.
    public var htmlSafe: Bool

    public init(htmlSafe: Bool = true) {
        self.htmlSafe = htmlSafe
        bytes.reserveCapacity(4096)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func openObject(_ key: String? = nil) {
        separate(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func closeObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func openArray(_ key: String? = nil) {
        separate(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func closeArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func string(_ key: String?, _ value: String) {
        separate(key)
        Self.appendQuoted(value, to: &bytes, htmlSafe: htmlSafe)
    }

    public mutating func number(_ key: String?, _ value: Double) {
        separate(key)
        bytes += Self.format(value).utf8
    }

    public mutating func null(_ key: String?) {
        separate(key)
        bytes += "null".utf8
    }

    public mutating func bool(_ key: String?, _ value: Bool) {
        separate(key)
        bytes += (value ? "true" : "false").utf8
    }

    private mutating func separate(_ key: String?) {
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
        if let key {
            Self.appendQuoted(key, to: &bytes, htmlSafe: htmlSafe)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// `12` for whole numbers, `37.5` otherwise.
    public static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? "\(value)" : "null"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` as a JSON string literal (also a YAML double-quoted scalar); `htmlSafe: false`
    /// leaves `<`, `>`, `&` and U+2028/9 as they are, for text people read (logs, front matter).
    public static func quoted(_ value: String, htmlSafe: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &output, htmlSafe: htmlSafe)
        return String(decoding: output, as: UTF8.self)
    }

    /// Which bytes may need escaping: control characters, `"` and a backslash; for HTML-safe text also
    /// `<`, `>`, `&` and 0xE2, the first byte of U+2028/9 (confirmed by the next two bytes).
    private static let plainEscapes: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    private static let htmlEscapes: [Bool] = (0..<256).map {
        $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2
    }

    /// `value` as a JSON string literal appended to `output`; with `htmlSafe`, `<`, `>` and `&`
    /// escaped too so that the text is safe inside an HTML `<script>` element whatever a page's
    /// title holds, and U+2028 and U+2029 as well, for old JavaScript parsers.
    public static func appendQuoted(_ value: String, to output: inout [UInt8], htmlSafe: Bool = true) {
        output.append(UInt8(ascii: "\""))
        var value = value
        let table = htmlSafe ? htmlEscapes : plainEscapes
        value.withUTF8 { input in
            table.withUnsafeBufferPointer { mayEscape in
                // Bytes that need no escaping are copied in runs.
                var runStart = 0
                var index = 0
                let count = input.count
                func flush(upTo end: Int) {
                    if end > runStart {
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<end]))
                    }
                }
                while index < count {
                    let byte = input[index]
                    guard mayEscape[Int(byte)] else {
                        index += 1
                        continue
                    }
                    if byte == 0xE2,
                        !(index + 2 < count && input[index + 1] == 0x80
                            && (input[index + 2] == 0xA8 || input[index + 2] == 0xA9))
                    {
                        index += 1  // another character starting with 0xE2, such as ’
                        continue
                    }
                    flush(upTo: index)
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                        output.append(0x5C)
                        output.append(byte)
                    case 0x0A:
                        output.append(0x5C)
                        output.append(UInt8(ascii: "n"))
                    case 0x0D:
                        output.append(0x5C)
                        output.append(UInt8(ascii: "r"))
                    case 0x09:
                        output.append(0x5C)
                        output.append(UInt8(ascii: "t"))
                    case 0xE2:
                        output.append(contentsOf: [
                            0x5C, UInt8(ascii: "u"), 0x32, 0x30, 0x32, input[index + 2] == 0xA8 ? 0x38 : 0x39,
                        ])
                        index += 2
                    default:
                        output.append(contentsOf: [
                            0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                        ])
                    }
                    index += 1
                    runStart = index
                }
                flush(upTo: count)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
