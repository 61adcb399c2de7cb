import Foundation
import HTTPTypes
import Testing

@testable import FormularyServer
@testable import FormularySite

@Suite("serving the built site")
struct SiteServerTests {
    @Test("a page: its file's bytes, its type, security headers and validators")
    func page() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let response = server.get("/composition/aspirin/")
        #expect(response.status == .ok)
        #expect(response.bodyBytes == site.bytes("public/composition/aspirin/index.html"))
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(response.headers[.xContentTypeOptions] == "nosniff")
        #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'; script-src 'self';") == true)
        #expect(response.headers[.cacheControl] == "no-cache")
        #expect(response.headers[.eTag] == "\"\(ServedFile.hash(response.bodyBytes))\"")
        #expect(response.headers[.lastModified]?.hasSuffix(" GMT") == true)
        #expect(server.get("/").bodyBytes == site.bytes("public/index.html"))
        #expect(server.get("/sitemap.xml").headers[.contentType] == "application/xml")
        #expect(server.get("/assets/style.css").headers[.cacheControl] == "public, max-age=3600")
    }

    @Test("If-None-Match and If-Modified-Since answer 304 without a body")
    func conditional() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let first = server.get("/composition/aspirin/")
        let etag = try #require(first.headers[.eTag])
        let modified = try #require(first.headers[.lastModified])
        for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let again = server.get("/composition/aspirin/", [.ifNoneMatch: header])
            #expect(again.status == .notModified, "If-None-Match: \(header)")
            #expect(again.bodyBytes.isEmpty)
            #expect(again.headers[.eTag] == etag)
        }
        #expect(server.get("/composition/aspirin/", [.ifNoneMatch: "\"other\""]).status == .ok)
        #expect(server.get("/composition/aspirin/", [.ifModifiedSince: modified]).status == .notModified)
        #expect(
            server.get("/composition/aspirin/", [.ifModifiedSince: "Thu, 01 Jan 1970 00:00:00 GMT"]).status == .ok)
        // If-None-Match wins over If-Modified-Since.
        #expect(
            server.get("/composition/aspirin/", [.ifNoneMatch: "\"other\"", .ifModifiedSince: modified]).status == .ok)
        #expect(server.get("/composition/aspirin/", [.ifModifiedSince: "yesterday"]).status == .ok)
    }

    @Test("gzip for clients that take it, the same bytes once inflated, its own ETag")
    func gzip() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let plain = server.get("/composition/aspirin/")
        #expect(plain.bodyBytes.count > 1024)
        let compressed = server.get("/composition/aspirin/", [.acceptEncoding: "br, gzip;q=0.8"])
        #expect(compressed.headers[.contentEncoding] == "gzip")
        #expect(compressed.headers[.vary] == "Accept-Encoding")
        #expect(compressed.bodyBytes.count < plain.bodyBytes.count)
        #expect(Gzip.decompress(compressed.bodyBytes) == plain.bodyBytes)
        #expect(compressed.headers[.eTag] != plain.headers[.eTag])
        #expect(server.get("/composition/aspirin/", [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)
        #expect(server.get("/composition/aspirin/", [.acceptEncoding: "identity"]).headers[.contentEncoding] == nil)
        #expect(SiteServer.acceptsGzip("*"))
        #expect(!SiteServer.acceptsGzip("*;q=0"))
    }

    @Test("HEAD: GET's headers and length, no body")
    func head() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let get = server.get("/composition/aspirin/")
        let head = server.get("/composition/aspirin/", method: .head)
        #expect(head.status == .ok)
        #expect(head.bodyBytes.isEmpty)
        #expect(head.headers[.contentLength] == String(get.bodyBytes.count))
        #expect(head.headers[.eTag] == get.headers[.eTag])
        // Answers that are not files too: GET's length, no body.
        for target in ["/healthz", "/api/v1/monographs", "/api/v1/search?q=aspirin", "/api/v1/nothing"] {
            let get = server.get(target)
            let head = server.get(target, method: .head)
            #expect(head.status == get.status, "\(target)")
            #expect(head.bodyBytes.isEmpty)
            #expect(head.headers[.contentLength] == String(get.bodyBytes.count), "\(target)")
        }
    }

    @Test("a folder without its slash redirects; missing pages get the site's 404 page")
    func redirectsAndMissing() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let redirect = server.get("/composition/aspirin?from=home")
        #expect(redirect.status == .movedPermanently)
        #expect(redirect.headers[.location] == "/composition/aspirin/?from=home")
        let missing = server.get("/composition/nothing-here/")
        #expect(missing.status == .notFound)
        #expect(missing.bodyBytes == site.bytes("public/404.html"))
        #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
    }

    @Test("hostile requests get 4xx and never a file outside the site")
    func hostile() throws {
        let site = try ServerFixture.site()
        try site.write("secret.txt", "do not serve")
        let server = try ServerFixture.server(site)
        for target in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/a/%00", "/%ff"] {
            let response = server.get(target)
            #expect(response.status == .badRequest, "\(target)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(!response.text.contains("do not serve"))
        }
        #expect(server.get("/%252e%252e/secret.txt").status == .notFound)
        #expect(server.get("/search?q=" + String(repeating: "x", count: 20_000)).status == .uriTooLong)
        let post = server.get("/", method: .post)
        #expect(post.status == .methodNotAllowed)
        #expect(post.status.reasonPhrase == "Method Not Allowed")
        #expect(post.headers[.allow] == "GET, HEAD")
        #expect(server.get("/", [.transferEncoding: "chunked"]).status == .lengthRequired)
        let body = server.get("/", [.contentLength: String(10 * 1024 * 1024)])
        #expect(body.status == .contentTooLarge)
        let problem = try #require(body.json())
        #expect(problem["status"] as? Int == 413)
        #expect(problem["title"] as? String == "Content Too Large")
    }
}

@Suite("the JSON API")
struct APITests {
    @Test("monographs: a list by title, filters, paging")
    func list() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let all = try #require(server.get("/api/v1/monographs").json())
        #expect(all["total"] as? Int == 4)
        let items = try #require(all["items"] as? [[String: Any]])
        #expect(
            items.map { $0["title"] as? String } == ["Aspirin", "Aspirin + Clopidogrel", "Aspirin 75mg", "Ecosprin 75"])
        #expect(items[0]["url"] as? String == "/composition/aspirin/")
        #expect(items[0]["record"] as? String == "/api/v1/monographs/composition/aspirin")
        #expect(all["next"] == nil)

        let combinations = try #require(server.get("/api/v1/monographs?kind=combination").json())
        #expect(
            (combinations["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                "composition/aspirin-clopidogrel"
            ])
        let generic = try #require(server.get("/api/v1/monographs?collection=generic").json())
        #expect((generic["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["generic/aspirin-75mg"])
        let clopidogrel = try #require(server.get("/api/v1/monographs?ingredient=CLOPIDOGREL").json())
        #expect(clopidogrel["total"] as? Int == 1)

        let page = try #require(server.get("/api/v1/monographs?limit=2&offset=1").json())
        #expect(
            (page["items"] as? [[String: Any]])?.map { $0["title"] as? String } == [
                "Aspirin + Clopidogrel", "Aspirin 75mg",
            ])
        #expect(page["next"] as? String == "/api/v1/monographs?limit=2&offset=3")
        #expect(page["total"] as? Int == 4)
    }

    @Test("a monograph by id is the record, byte for byte the build's API file")
    func record() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let response = server.get("/api/v1/monographs/composition/aspirin")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.headers[.accessControlAllowOrigin] == "*")
        #expect(response.bodyBytes == site.bytes("public/api/v1/monographs/composition/aspirin.json"))
        #expect(server.get("/api/v1/monographs/composition/aspirin.json").bodyBytes == response.bodyBytes)
        let missing = server.get("/api/v1/monographs/composition/nothing")
        #expect(missing.status == .notFound)
        #expect(missing.headers[.contentType] == "application/problem+json")
        let problem = try #require(missing.json())
        #expect(problem["detail"] as? String == "no monograph has the id 'composition/nothing'")
        #expect(problem["instance"] as? String == "/api/v1/monographs/composition/nothing")
        #expect(problem["type"] as? String == "about:blank")
    }

    @Test("ingredients: a list with page counts, one with its pages")
    func ingredients() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let list = try #require(server.get("/api/v1/ingredients").json())
        let items = try #require(list["items"] as? [[String: Any]])
        #expect(items.map { $0["name"] as? String } == ["Aspirin", "Clopidogrel"])
        // The brand counts: its ingredient comes from the generic it points to.
        #expect(items.map { $0["pages"] as? Int } == [4, 1])
        let prefixed = try #require(server.get("/api/v1/ingredients?prefix=CLO").json())
        #expect(prefixed["total"] as? Int == 1)
        let aspirin = try #require(server.get("/api/v1/ingredients/aspirin").json())
        #expect((aspirin["page"] as? [String: Any])?["id"] as? String == "composition/aspirin")
        #expect(
            (aspirin["pages"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                "composition/aspirin", "composition/aspirin-clopidogrel", "generic/aspirin-75mg",
                "medicines/ecosprin-75",
            ])
        #expect(server.get("/api/v1/ingredients/nothing").status == .notFound)
    }

    @Test("after an edit, search finds the new text and forgets the old; unchanged pages are still found")
    func searchAfterEdit() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        func first(_ query: String) throws -> String? {
            let json = try #require(server.get("/api/v1/search?q=" + query).json())
            return (json["results"] as? [[String: Any]])?.first?["id"] as? String
        }
        #expect(try first("heart+protection") == "generic/aspirin-75mg")
        try site.write(
            "content/generic/aspirin-75mg.md",
            ServerFixture.page(title: "Aspirin 75mg", body: "## Usage\nZorbulent prevention of strokes.\n"))
        server.replaceContent(try SiteContent.load(contentFolder: site.path + "/content", reusing: server.api.content))
        #expect(try first("zorbulent") == "generic/aspirin-75mg")
        #expect(try first("heart+protection") == nil)
        #expect(try first("clopidogrel") == "composition/aspirin-clopidogrel")
        #expect(server.api.analysed.count == 4)
    }

    @Test("search: the engine's answer in the contract; bad parameters are 400 problems")
    func search() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let response = server.get("/api/v1/search?q=asprin")
        #expect(response.status == .ok)
        let json = try #require(response.json())
        #expect(json["query"] as? String == "asprin")
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.first?["id"] as? String == "composition/aspirin")
        // A repeated query is answered from the cache with the same bytes.
        #expect(server.get("/api/v1/search?q=asprin").bodyBytes == response.bodyBytes)
        let filtered = try #require(server.get("/api/v1/search?q=aspirin&kind=combination").json())
        #expect(
            (filtered["results"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                "composition/aspirin-clopidogrel"
            ])
        for (target, detail) in [
            ("/api/v1/search", "give the words to search for as q, as in /api/v1/search?q=paracetamol"),
            ("/api/v1/search?q=%20", "give the words to search for as q, as in /api/v1/search?q=paracetamol"),
            ("/api/v1/search?q=a&limit=0", "limit must be a whole number from 1 to 100"),
            ("/api/v1/search?q=a&limit=ten", "limit must be a whole number from 1 to 100"),
            ("/api/v1/search?q=a&kind=pill", "kind must be one of single, combination, brand, not 'pill'"),
            ("/api/v1/search?q=" + String(repeating: "a", count: 300), "q is longer than 256 characters"),
            ("/api/v1/search?q=%0A%C2%A0", "give the words to search for as q, as in /api/v1/search?q=paracetamol"),
            ("/api/v1/search?q=a&kind=", "kind must be one of single, combination, brand, not ''"),
            ("/api/v1/monographs?offset=-1", "offset must be a whole number from 0 to 2147483647"),
            (
                "/api/v1/monographs?knd=single",
                "unknown parameter 'knd': /api/v1/monographs takes kind, ingredient, collection, regulatory, limit, offset; did you mean 'kind'?"
            ),
            ("/healthz?x=1", "unknown parameter 'x': /healthz takes no parameters"),
        ] {
            let problem = server.get(target)
            #expect(problem.status == .badRequest, "\(target)")
            #expect(problem.json()?["detail"] as? String == detail, "\(target)")
        }
    }

    @Test("the OpenAPI document is JSON and every path in it is answered")
    func openAPI() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let document = try #require(server.get("/api/v1/openapi.json").json())
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(paths.count == 6)
        for path in paths.keys {
            let concrete =
                path.replacingOccurrences(of: "{id}", with: "composition/aspirin")
                .replacingOccurrences(of: "{slug}", with: "aspirin") + (path.hasSuffix("search") ? "?q=aspirin" : "")
            #expect(server.get(concrete).status == .ok, "\(concrete)")
        }
        #expect(server.get("/api/v2/things").status == .notFound)
    }

    @Test("health")
    func health() throws {
        let site = try ServerFixture.site()
        let server = try ServerFixture.server(site)
        let health = try #require(server.get("/healthz").json())
        #expect(health["status"] as? String == "ok")
        #expect(health["pages"] as? Int == 4)
    }
}

@Suite("live reload")
struct LiveReloadTests {
    @Test("pages get the script only while watching; the events stream opens with the status")
    func script() async throws {
        let site = try ServerFixture.site()
        let plain = try ServerFixture.server(site)
        #expect(!plain.get("/").text.contains("/_formulary/live.js"))
        #expect(plain.get("/_formulary/live.js").status == .notFound)
        let watching = try ServerFixture.server(site, liveReload: true)
        let page = watching.get("/").text
        #expect(page.contains("<script src=\"/_formulary/live.js\" defer></script>\n</head>"))
        #expect(watching.get("/_formulary/live.js").text == LiveReload.script)
        let events = watching.get("/_formulary/events")
        #expect(events.headers[.contentType] == "text/event-stream")
        guard case .events(let stream) = events.body else {
            Issue.record("not an event stream")
            return
        }
        var iterator = stream.makeAsyncIterator()
        #expect(
            await iterator.next()
                == "retry: 1000\n\nevent: ok\ndata: {\"buildFailed\":false,\"generation\":0,\"messages\":[]}\n\n")
        watching.liveReload?.publish(
            .init(generation: 1, buildError: nil, problems: ["a.md:1:1: error: bad"]), changed: true)
        #expect(
            await iterator.next()
                == "event: reload\ndata: {\"buildFailed\":false,\"generation\":1,\"messages\":[\"a.md:1:1: error: bad\"]}\n\n"
        )
        watching.liveReload?.close()
        #expect(await iterator.next() == nil)
    }

    @Test("a rebuild after an edit serves the new page and record, and bumps the generation")
    func rebuild() async throws {
        let site = try ServerFixture.site()
        var options = ServeOptions(request: ServerFixture.request(site))
        options.watch = true
        let session = try await SiteSession.start(options, progress: nil, logger: .init(label: "test"))
        defer { session.server.liveReload?.close() }
        let server = session.server
        #expect(server.get("/composition/aspirin/").text.contains("Pain and fever."))
        // Rebuilds go through the session's queue (`rebuildNow`), as in the server: the watcher
        // sees the same writes and queues rebuilds of its own, which must not run alongside.
        try site.write(
            "content/composition/aspirin.md",
            ServerFixture.page(title: "Aspirin", body: "## Usage\nHeadache and fever.\n"))
        await session.rebuildNow()
        #expect(server.get("/composition/aspirin/").text.contains("Headache and fever."))
        #expect(server.get("/api/v1/monographs/composition/aspirin").text.contains("Headache and fever."))
        #expect(server.liveReload?.status.generation == 1)

        // A page that no longer parses: reported to open pages, its file path first.
        try site.write("content/composition/aspirin.md", "---\ntitle: [unclosed\n---\nBody\n")
        await session.rebuildNow()
        let problems = server.liveReload?.status.problems ?? []
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(site.path + "/content/composition/aspirin.md:") == true)

        // A template error: the build fails, the last good site stays, the error is shown.
        try site.write("templates/monograph.mustache", "{{#sections}}never closed")
        let before = server.get("/composition/aspirin-clopidogrel/").bodyBytes
        await session.rebuildNow()
        #expect(server.liveReload?.status.buildError?.contains("templates/monograph.mustache") == true)
        #expect(server.get("/composition/aspirin-clopidogrel/").bodyBytes == before)
        let health = try #require(server.get("/healthz").json())
        #expect(health["status"] as? String == "degraded")
    }
}

@Suite("server parts")
struct ServerPartsTests {
    @Test("glibc's malloc_trim and mallopt are found, so the server limits its arenas and gives freed memory back")
    func mallocTrimFound() {
        #expect(Malloc.mallocTrim != nil)
        #expect(Malloc.mallopt != nil)
        Malloc.returnFreedMemory()
    }

    @Test("served files looked at again by path: changed, added and removed files and folders, nothing else")
    func refreshPaths() throws {
        let site = TemporaryFolder()
        try site.write("public/a/index.html", "<p>a</p>")
        try site.write("public/b/index.html", "<p>b</p>")
        try site.write("public/b/data.json", "{}")
        try site.write("public/c.txt", "c")
        let files = SiteFiles(folder: site.path + "/public", options: .init())
        files.refresh()
        #expect(files.file("a/index.html")?.body.readableBytes == 8)
        try site.write("public/a/index.html", "<p>a, longer</p>")
        try FileManager.default.removeItem(atPath: site.path + "/public/b")
        try site.write("public/d/index.html", "<p>d</p>")
        // Changed on disk but not named: left as it was until named (or a full listing).
        try site.write("public/c.txt", "c, longer")
        let changed = files.refresh(paths: ["a/index.html", "b/", "d/index.html", ".hidden/x", "nowhere.html"])
        #expect(changed == ["a/index.html", "b/index.html", "b/data.json", "d/index.html"])
        #expect(files.file("a/index.html")?.body.readableBytes == 16)
        #expect(files.file("b/index.html") == nil)
        #expect(files.file("b/data.json") == nil)
        #expect(files.file("d/index.html")?.body.readableBytes == 8)
        #expect(files.refresh() == ["c.txt"])
        // A folder named without its slash, now holding one file less.
        try FileManager.default.removeItem(atPath: site.path + "/public/d/index.html")
        try site.write("public/d/other.html", "x")
        #expect(files.refresh(paths: ["d"]) == ["d/index.html", "d/other.html"])
    }

    @Test("HTTP dates, both ways")
    func dates() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("") == nil)
    }

    @Test("gzip round trip, empty and large")
    func gzip() throws {
        for bytes in [[UInt8](), Array("hello".utf8), (0..<200_000).map { UInt8($0 % 7) }] {
            let compressed = try #require(Gzip.compress(bytes))
            #expect(compressed.prefix(2) == [0x1f, 0x8b])
            #expect(Gzip.decompress(compressed) == bytes)
        }
        #expect(Gzip.decompress([1, 2, 3]) == nil)
    }

    @Test("the search cache keeps recent answers and drops the oldest generation")
    func cache() {
        let cache = SearchCache(capacity: 4)
        func key(_ query: String) -> SearchCache.Key { .init(generation: 0, query: query) }
        cache.set(key("a"), .init(string: "A"))
        cache.set(key("b"), .init(string: "B"))
        cache.set(key("c"), .init(string: "C"))  // a and b move to the older generation
        #expect(cache.get(key("a")) == .init(string: "A"))  // and a comes back to the newer
        cache.set(key("d"), .init(string: "D"))  // newer (c, a) becomes older; b is gone
        #expect(cache.get(key("b")) == nil)
        #expect(cache.get(key("c")) == .init(string: "C"))
        #expect(cache.get(.init(generation: 1, query: "c")) == nil)
    }

    @Test("a folder that does not exist yet is watched from the moment it appears", .timeLimit(.minutes(1)))
    func awaitedFolder() async throws {
        let site = TemporaryFolder()
        let watcher = try FolderWatcher(folders: [site.path + "/templates"])
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        watcher.start(settle: .milliseconds(50)) { continuation.yield() }
        defer { watcher.stop() }
        // Other files beside it are not the site.
        try site.write("notes.txt", "not watched")
        try FileManager.default.createDirectory(atPath: site.path + "/templates", withIntermediateDirectories: false)
        var events = WatcherEvents(stream)
        try await events.next("the new templates folder")
        try await Self.until("templates/ is watched") { watcher.isWatching(site.path + "/templates") }
        try site.write("templates/monograph.mustache", "{{title}}")
        try await events.next("a template written in it")
    }

    @Test("the watcher reports changes, including in new folders", .timeLimit(.minutes(1)))
    func watcher() async throws {
        let folder = TemporaryFolder()
        let watcher = try FolderWatcher(folders: [folder.path])
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        watcher.start(settle: .milliseconds(50)) { continuation.yield() }
        defer { watcher.stop() }
        try folder.write("a.md", "one")
        try folder.write("b.md", "two")
        var events = WatcherEvents(stream)
        try await events.next("two files written")
        try FileManager.default.createDirectory(atPath: folder.path + "/new", withIntermediateDirectories: true)
        try await events.next("a new folder")
        try await Self.until("new/ is watched") { watcher.isWatching(folder.path + "/new") }
        try folder.write("new/c.md", "three")
        try await events.next("a file in the new folder")
        try folder.write("d.md", "four")
        try await events.next("one more file")
    }

    @Test("editors' swap, backup and hidden files are not changes to the site")
    func editorFiles() {
        for name in [".a.md.swp", ".a.md.swx", "a.md~", "4913", ".DS_Store", ".#a.md"] {
            #expect(FolderWatcher.isEditorFile(name), "\(name)")
        }
        for name in ["a.md", "paracetamol-500mg.md", "monograph.mustache", "style.css", "4914"] {
            #expect(!FolderWatcher.isEditorFile(name), "\(name)")
        }
    }

    /// Waits, checking every 10 ms, until `condition` holds; fails the test after 30 s (a watch
    /// that never comes), instead of a fixed sleep that a slow machine outlasts.
    static func until(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A watcher's reports, each awaited with a deadline: an event that never comes fails the test
/// after 30 s instead of hanging the test run.
struct WatcherEvents {
    private let stream: AsyncStream<Void>

    init(_ stream: AsyncStream<Void>) { self.stream = stream }

    mutating func next(_ what: String) async throws {
        let stream = self.stream
        let arrived = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !arrived {
            Issue.record("no change reported after: \(what)")
            throw CancellationError()
        }
    }
}
