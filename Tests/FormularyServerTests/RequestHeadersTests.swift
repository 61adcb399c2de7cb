import HTTPTypes
import NIOHTTP1
import Testing

@testable import FormularyServer

@Suite("request heads read without converting them")
struct RequestHeadersTests {
    @Test("NIO's headers read as HTTPFields reads them: any case, repeated fields joined")
    func sameAsHTTPFields() {
        let nio = HTTPHeaders([
            ("Host", "example.org"), ("IF-NONE-MATCH", "\"a\""), ("if-none-match", "W/\"b\""),
            ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:01 GMT"), ("accept-encoding", "gzip;q=0, identity"),
            ("Content-Length", "12"), ("Transfer-Encoding", "chunked"), ("If-Match", "\"c\""),
        ])
        var fields = HTTPFields()
        for header in nio { fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value)) }
        let expected = RequestHeaders(
            ifNoneMatch: "\"a\", W/\"b\"", ifModifiedSince: "Thu, 01 Jan 1970 00:00:01 GMT",
            acceptEncoding: "gzip;q=0, identity", contentLength: "12", transferEncoding: true)
        #expect(RequestHeaders(nio) == expected)
        #expect(RequestHeaders(fields) == expected)
        #expect(
            RequestHeaders(HTTPHeaders([("Host", "a"), ("If-None-Matc", "x"), ("X-If-None-Match", "y")]))
                == RequestHeaders())
    }

    @Test("the target is the path and query, also of an absolute-form request")
    func targets() throws {
        func request(_ method: HTTPMethod, _ uri: String) -> DirectResponder.Request? {
            DirectResponder.Request(HTTPRequestHead(version: .http1_1, method: method, uri: uri))
        }
        #expect(request(.GET, "/composition/a/?q=1")?.target == "/composition/a/?q=1")
        #expect(request(.GET, "/composition/a/?q=1")?.method == .get)
        #expect(request(.HEAD, "/")?.method == .head)
        #expect(request(.GET, "http://example.org/composition/a/?q=1")?.target == "/composition/a/?q=1")
        #expect(request(.GET, "http://example.org")?.target == "/")
        #expect(request(.OPTIONS, "*")?.target == "*")
        #expect(request(.POST, "/api")?.method == .post)
        #expect(request(.RAW(value: "BREW"), "/")?.method.rawValue == "BREW")
    }
}
