import Testing

@testable import FormularyServer

@Suite("request targets")
struct RequestTargetTests {
    @Test("paths and queries are decoded once")
    func decoding() throws {
        let target = try RequestTarget.parse("/a%20b/c?q=para+cet%26amol&limit=5&empty=&flag")
        #expect(target.path == "/a b/c")
        #expect(target.query.map(\.name) == ["q", "limit", "empty", "flag"])
        #expect(target.query.map(\.value) == ["para cet&amol", "5", "", ""])
        #expect(target.parameter("limit") == "5")
        // `+` is a space in queries only.
        #expect(try RequestTarget.parse("/a+b").path == "/a+b")
    }

    @Test(
        "traversal and malformed paths are refused",
        arguments: [
            "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd", "/.", "/a/./b", "/a%5c..%5cetc", "/a\\b", "/etc/passwd%00.html", "/%zz",
            "/%2", "/%ff%fe", "relative/path", "",
        ])
    func refused(_ raw: String) {
        #expect(throws: RequestTarget.Failure.self) { try RequestTarget.parse(raw) }
    }

    @Test("double encoding stays one level down: %252e%252e is the name '%2e%2e', not '..'")
    func doubleEncoding() throws {
        #expect(try RequestTarget.parse("/%252e%252e/etc/passwd").path == "/%2e%2e/etc/passwd")
    }

    @Test("absurd targets are too long; too many parameters are refused")
    func limits() {
        let long = "/search?q=" + String(repeating: "a", count: 100_000)
        #expect(throws: RequestTarget.Failure.tooLong) { try RequestTarget.parse(long) }
        let many = "/x?" + (0..<65).map { "p\($0)=1" }.joined(separator: "&")
        #expect(throws: RequestTarget.Failure.malformed("more than 64 query parameters")) {
            try RequestTarget.parse(many)
        }
    }

    @Test("page views count monograph pages only; searches that found nothing by their words")
    func readerCounts() {
        #expect(ReaderCounts.pageID("/composition/paracetamol/") == "composition/paracetamol")
        #expect(ReaderCounts.pageID("/composition/paracetamol/index.html?x=1") == "composition/paracetamol")
        #expect(ReaderCounts.pageID("/composition/para%20cetamol/") == "composition/para cetamol")
        for target in ["/", "/browse/a/", "/ingredients/p/", "/search/", "/composition/", "/a/b/c/", "//x/", "/a/b"] {
            #expect(ReaderCounts.pageID(target) == nil, "\(target)")
        }
        #expect(ReaderCounts.normalized("  Dolo\t650 \u{0F}\n") == "dolo 650")
        #expect(ReaderCounts.normalized(" \u{0} ") == nil)
        #expect(ReaderCounts.normalized(String(repeating: "a", count: 300))?.count == 100)
        let counts = ReaderCounts()
        var tally = ReaderCounts.Tally()
        for target in ["/composition/x/", "/composition/x/", "/browse/a/", "/assets/style.css"] {
            tally.note(target, into: counts)
        }
        counts.miss("Dolo 650")
        counts.miss("dolo  650")
        let first = counts.take()
        #expect(first.views.isEmpty, "held by the connection until it closes or 256 views")
        #expect(first.misses == ["dolo 650": 2])
        tally.flush(into: counts)
        #expect(counts.take().views == ["composition/x": 2])
        counts.putBack((["composition/x": 1], ["dolo 650": 2]))
        #expect(counts.take().misses == ["dolo 650": 2])
    }
}
