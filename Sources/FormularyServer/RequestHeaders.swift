import HTTPTypes
import NIOHTTP1

/// The request header fields the site's answers depend on, read once from either kind of
/// header list: HTTPTypes' (Hummingbird's requests, tests) or NIO's (requests `DirectResponder`
/// answers before they are converted, which it skips: converting every header of every request
/// cost more than answering it, measured with perf). A field sent more than once reads as its
/// values joined with ", ", as `HTTPFields` reads it.
struct RequestHeaders: Sendable, Equatable {
    var ifNoneMatch: String?
    var ifModifiedSince: String?
    var acceptEncoding: String?
    var contentLength: String?
    /// Whether the request says Transfer-Encoding (a body of unknown length).
    var transferEncoding = false

    init(
        ifNoneMatch: String? = nil, ifModifiedSince: String? = nil, acceptEncoding: String? = nil,
        contentLength: String? = nil, transferEncoding: Bool = false
    ) {
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.acceptEncoding = acceptEncoding
        self.contentLength = contentLength
        self.transferEncoding = transferEncoding
    }

    init(_ fields: HTTPFields) {
        ifNoneMatch = fields[.ifNoneMatch]
        ifModifiedSince = fields[.ifModifiedSince]
        acceptEncoding = fields[.acceptEncoding]
        contentLength = fields[.contentLength]
        transferEncoding = fields[.transferEncoding] != nil
    }

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            if name.caseInsensitiveEquals("if-none-match") {
                Self.add(value, to: &ifNoneMatch)
            } else if name.caseInsensitiveEquals("if-modified-since") {
                Self.add(value, to: &ifModifiedSince)
            } else if name.caseInsensitiveEquals("accept-encoding") {
                Self.add(value, to: &acceptEncoding)
            } else if name.caseInsensitiveEquals("content-length") {
                Self.add(value, to: &contentLength)
            } else if name.caseInsensitiveEquals("transfer-encoding") {
                transferEncoding = true
            }
        }
    }

    private static func add(_ value: String, to field: inout String?) {
        field = field.map { $0 + ", " + value } ?? value
    }
}

extension String {
    /// ASCII case-insensitive equality with a lowercase ASCII name.
    fileprivate func caseInsensitiveEquals(_ lowercaseName: StaticString) -> Bool {
        guard utf8.count == lowercaseName.utf8CodeUnitCount else { return false }
        var name = lowercaseName.utf8Start
        for byte in utf8 {
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            guard lower == name.pointee else { return false }
            name += 1
        }
        return true
    }
}
