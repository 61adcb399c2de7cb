/// A request's path and query, decoded and checked before anything looks at them.
struct RequestTarget: Sendable, Equatable {
    /// The decoded path, starting with `/`, without `.` or `..` segments.
    var path: String
    /// The query's parameters, decoded, in order (`+` is a space).
    var query: [(name: String, value: String)]

    static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.path == rhs.path && lhs.query.elementsEqual(rhs.query, by: { $0 == $1 })
    }

    /// The first value of a parameter.
    func parameter(_ name: String) -> String? { query.first(where: { $0.name == name })?.value }

    enum Failure: Error, Equatable {
        /// Longer than the server takes (414).
        case tooLong
        /// Not a path, a bad escape, bytes that are not UTF-8, a NUL, a backslash or a dot segment (400).
        case malformed(String)
    }

    static let longestTarget = 8 * 1024
    static let mostParameters = 64

    /// Parses a request target (`/search?q=para%20cetamol`) as it arrives on the wire.
    static func parse(_ raw: String) throws(Failure) -> RequestTarget {
        guard raw.utf8.count <= longestTarget else { throw .tooLong }
        let utf8 = raw.utf8
        guard utf8.first == UInt8(ascii: "/") else { throw .malformed("the path must start with /") }
        // Bytes, not characters: a target is ASCII on the wire, and this runs for every request.
        let mark = utf8.firstIndex(of: UInt8(ascii: "?"))
        var pathEnd = mark ?? utf8.endIndex
        // A fragment never reaches a server; if a client sends one, it is not part of the path.
        if let hash = utf8[..<pathEnd].firstIndex(of: UInt8(ascii: "#")) { pathEnd = hash }
        let rawQuery: Substring? = mark.map { raw[raw.utf8.index(after: $0)...] }
        guard let path = percentDecoded(raw[..<pathEnd], plusIsSpace: false) else {
            throw .malformed("the path has a bad percent escape or is not UTF-8")
        }
        if let problem = problem(inPath: path) { throw .malformed(problem) }
        var query: [(name: String, value: String)] = []
        if let rawQuery { query = try parameters(rawQuery) }
        return RequestTarget(path: path, query: query)
    }

    /// `name=value&...` (a query, or a form body: the same encoding), decoded, in order; at most
    /// `mostParameters` of them, and no NUL byte unless `allowingNUL`.
    static func parameters(_ raw: Substring, allowingNUL: Bool = false) throws(Failure) -> [(
        name: String, value: String
    )] {
        var parameters: [(name: String, value: String)] = []
        for pair in raw.split(separator: "&") where !pair.isEmpty {
            guard parameters.count < mostParameters else {
                throw .malformed("more than \(mostParameters) query parameters")
            }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecoded(parts[0], plusIsSpace: true),
                let value = percentDecoded(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else { throw .malformed("the query has a bad percent escape or is not UTF-8") }
            if !allowingNUL, name.utf8.contains(0) || value.utf8.contains(0) {
                throw .malformed("the query contains a NUL byte")
            }
            parameters.append((name, value))
        }
        return parameters
    }

    /// Why a decoded path cannot be served: a NUL, a backslash, or a `.` or `..` segment.
    static func problem(inPath path: String) -> String? {
        var segmentStart = true
        var dots = 0
        for byte in path.utf8 {
            switch byte {
            case 0: return "the path contains a NUL byte"
            case UInt8(ascii: "\\"): return "the path contains a backslash"
            case UInt8(ascii: "/"):
                if segmentStart, dots > 0 { return "the path contains a '\(dots == 1 ? "." : "..")' segment" }
                segmentStart = true
                dots = 0
            case UInt8(ascii: "."):
                if segmentStart { dots += 1 }
                if dots > 2 { segmentStart = false }
            default:
                segmentStart = false
            }
        }
        if segmentStart, dots > 0 { return "the path contains a '\(dots == 1 ? "." : "..")' segment" }
        return nil
    }

    /// `text` with `%XX` escapes decoded; nil for a bad escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first != utf8.endIndex else { return nil }
                let second = utf8.index(after: first)
                guard second != utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second]) else {
                    return nil
                }
                bytes.append(high << 4 | low)
                index = utf8.index(after: second)
                continue
            }
            bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
