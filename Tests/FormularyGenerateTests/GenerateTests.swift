import AsyncHTTPClient
import FormularyModel
import FormularyParsing
import Foundation
import Synchronization
import Testing

@testable import FormularyGenerate

/// A content folder and journal in a temporary folder.
final class Workspace: @unchecked Sendable {
    let root: String
    var content: String { root + "/content" }
    var journalPath: String { root + "/.formulary/generate-journal.jsonl" }

    init() {
        root =
            FileManager.default.temporaryDirectory.appendingPathComponent("formulary-generate-\(UUID().uuidString)")
            .path
        try? FileManager.default.createDirectory(atPath: root + "/content", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func journalEvents() -> [String] {
        (read(".formulary/generate-journal.jsonl") ?? "").split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return
                "\(object["slug"] as? String ?? "?"):\(object["event"] as? String ?? "?"):\(object["attempt"] as? Int ?? 0)"
        }
    }

    func generator(
        _ server: FakeOpenAI, key: String? = "sk-test-secret-key", timeout: Duration = .seconds(10),
        client: HTTPClient = .shared, configure: (inout Generator.Options) -> Void = { _ in }
    ) throws -> Generator {
        var options = Generator.Options(model: "test-model", contentFolder: content)
        options.retry = Generator.RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(10), maxDelay: .seconds(5))
        configure(&options)
        let endpoint = ChatEndpoint(url: server.url, apiKey: key, timeout: timeout)
        return Generator(
            options: options, service: HTTPChatService(endpoint: endpoint, client: client), prompt: try DraftPrompt(),
            journal: try GenerationJournal(path: journalPath), endpointHost: endpoint.host)
    }
}

func name(_ line: String) -> GenerationName { try! GenerationName.parse(line) }

@Suite("generate: names")
struct GenerationNameTests {
    @Test(
        "input lines become titles and slugs with every digit, strength and hyphen",
        arguments: [
            (
                "Amoxycillin (500mg), Clavulanic Acid", "Amoxycillin 500mg + Clavulanic Acid",
                "amoxycillin-500mg-clavulanic-acid"
            ),
            ("Omega-3 Fatty Acids", "Omega-3 Fatty Acids", "omega-3-fatty-acids"),
            ("Vitamin B12", "Vitamin B12", "vitamin-b12"),
            ("paracetamol 650 mg", "Paracetamol 650 mg", "paracetamol-650-mg"),
            (
                "Abacavir 600mg + Dolutegravir 50mg + Lamivudine 300mg",
                "Abacavir 600mg + Dolutegravir 50mg + Lamivudine 300mg",
                "abacavir-600mg-dolutegravir-50mg-lamivudine-300mg"
            ),
            ("Amoxycillin/Clavulanic Acid", "Amoxycillin + Clavulanic Acid", "amoxycillin-clavulanic-acid"),
            ("Paracetamol 125mg/5ml", "Paracetamol 125mg/5ml", "paracetamol-125mg-5ml"),
            ("  Alemtuzumab   12mg ", "Alemtuzumab 12mg", "alemtuzumab-12mg"),
            ("Insulin Glargine (Recombinant)", "Insulin Glargine (Recombinant)", "insulin-glargine-recombinant"),
            ("Ferrous Ascorbate and Folic Acid", "Ferrous Ascorbate + Folic Acid", "ferrous-ascorbate-folic-acid"),
        ])
    func parse(_ line: String, _ title: String, _ slug: String) throws {
        let parsed = try GenerationName.parse(line)
        #expect(parsed.title == title)
        #expect(parsed.slug == slug)
    }

    @Test("ingredients and strengths are read; lines with no name are refused")
    func ingredients() throws {
        let parsed = try GenerationName.parse("Amoxycillin (500mg), Clavulanic Acid")
        #expect(parsed.ingredients.map(\.name) == ["Amoxycillin", "Clavulanic Acid"])
        #expect(parsed.ingredients[0].strength?.value == 500)
        #expect(parsed.ingredients[0].strength?.unit == "mg")
        #expect(parsed.kind == .combination)
        #expect(throws: GenerationName.Problem.empty) { try GenerationName.parse("   ") }
        #expect(throws: GenerationName.Problem.noName("500mg")) { try GenerationName.parse("500mg") }
    }

    @Test("duplicates in the list and medicines with a page (under any accepted name) are skipped")
    func plan() throws {
        let existing = try MonographParser().parse(
            bytes: Array("---\ntitle: Paracetamol\n---\n\n## Usage\nPain.\n".utf8),
            location: DocumentLocation(path: "content/composition/paracetamol.md"))
        let names = [
            "Acetaminophen", "Ibuprofen", "ibuprofen", "Clavulanic Acid + Amoxycillin", "Amoxicillin, Clavulanic Acid",
        ]
        .map(name)
        let plan = Generator.plan(names, existing: [existing.monograph])
        #expect(plan.todo.map(\.title) == ["Ibuprofen", "Clavulanic Acid + Amoxycillin"])
        #expect(
            plan.skipped.map { "\($0.0.input): \($0.1)" } == [
                "Acetaminophen: already has a page: composition/paracetamol (Paracetamol, the same medicine under another name)",
                "ibuprofen: repeats 'Ibuprofen' earlier in the list",
                "Amoxicillin, Clavulanic Acid: repeats 'Clavulanic Acid + Amoxycillin' earlier in the list",
            ])
    }
}

@Suite("generate: the run's settings and names")
struct GenerateSetupTests {
    @Test("the command line's values win over formulary.yml's; the rest take their defaults")
    func options() throws {
        var file = GenerateConfiguration()
        file.endpoint = "https://api.example.org/v1"
        file.model = "file-model"
        file.concurrency = 8
        file.collection = "generic"
        file.inputPrice = 0.15
        var given = GenerateConfiguration()
        given.model = "given-model"
        given.concurrency = 16
        let (endpoint, options) = try file.overridden(by: given).runOptions(contentFolder: "site/content")
        #expect(endpoint == "https://api.example.org/v1")
        #expect(options.model == "given-model")
        #expect(options.concurrency == 16)
        #expect(options.collection == "generic")
        #expect(options.maxAttempts == 3)
        #expect(options.inputPrice == 0.15)
        #expect(options.outputPrice == nil)
        #expect(options.contentFolder == "site/content")
    }

    @Test("without an endpoint or a model, or with an endpoint that is no web address, it says which")
    func incomplete() {
        var settings = GenerateConfiguration()
        #expect(
            throws: GenerateConfiguration.Incomplete(
                description:
                    "give --endpoint URL (such as https://api.openai.com/v1), or set generate: endpoint: in formulary.yml"
            )
        ) { try settings.runOptions(contentFolder: "c") }
        settings.endpoint = "ftp://example.org"
        #expect(
            throws: GenerateConfiguration.Incomplete(
                description: "give --model NAME, or set generate: model: in formulary.yml")
        ) { try settings.runOptions(contentFolder: "c") }
        settings.model = "m"
        #expect(
            throws: GenerateConfiguration.Incomplete(description: "--endpoint must be an http:// or https:// URL")
        ) { try settings.runOptions(contentFolder: "c") }
    }

    @Test("a list of names keeps the lines that name something")
    func listLines() {
        #expect(
            GenerationName.lines(of: "Paracetamol\n\n# to do later\n   \r\nIbuprofen 400mg\n")
                == ["Paracetamol", "Ibuprofen 400mg"])
    }

    @Test("new pages are planned against the pages already in the content folder")
    func newPageTasks() async throws {
        let work = Workspace()
        try FileManager.default.createDirectory(
            atPath: work.content + "/composition", withIntermediateDirectories: true)
        try Data("---\ntitle: Paracetamol\n---\n\n## Usage\nPain.\n".utf8).write(
            to: URL(fileURLWithPath: work.content + "/composition/paracetamol.md"))
        let server = try await FakeOpenAI(scripts: [:])
        defer { server.stop() }
        let (tasks, skipped) = try work.generator(server).newPageTasks(for: [
            "Acetaminophen", "Ibuprofen", "500mg", "ibuprofen",
        ])
        #expect(tasks.map(\.title) == ["Ibuprofen"])
        #expect(tasks.map(\.path) == [work.content + "/composition/ibuprofen.md"])
        #expect(
            skipped.map { "\($0.title ?? "-"): \($0.reason)" } == [
                "-: '500mg' has no medicine name in it",
                "Acetaminophen: already has a page: composition/paracetamol (Paracetamol, the same medicine under another name)",
                "Ibuprofen: repeats 'Ibuprofen' earlier in the list",
            ])
    }
}

@Suite("generate: Chat Completions shapes")
struct ChatShapeTests {
    @Test("a request encodes as the Chat Completions schema")
    func request() throws {
        let request = ChatCompletions.Request(
            model: "m", messages: [.system("s"), .user("u")], stream: true, maxTokens: 100, temperature: 0.5)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(
            String(decoding: try encoder.encode(request), as: UTF8.self)
                == #"{"max_tokens":100,"messages":[{"content":"s","role":"system"},{"content":"u","role":"user"}],"model":"m","stream":true,"stream_options":{"include_usage":true},"temperature":0.5}"#
        )
    }

    @Test("a streamed answer is read across chunk boundaries; a cut stream is an error")
    func stream() throws {
        let text =
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n: keep-alive\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\r\n\r\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"
        var reader = ChatCompletions.StreamReader()
        for byte in text.utf8 { try reader.feed([byte]) }
        let completion = try reader.finish()
        #expect(completion.text == "Hello")
        #expect(completion.finishReason == "stop")
        #expect(completion.usage == .init(promptTokens: 3, completionTokens: 2))
        var cut = ChatCompletions.StreamReader()
        try cut.feed(Array("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n".utf8))
        #expect(throws: ChatCompletions.ReadError.truncated) { try cut.finish() }
        var garbled = ChatCompletions.StreamReader()
        #expect(throws: ChatCompletions.ReadError.self) { try garbled.feed(Array("data: {nope\n".utf8)) }
    }

    @Test("a whole answer, and bodies that are not one")
    func whole() throws {
        let completion = try ChatCompletions.completion(
            fromJSON: Array(
                #"{"choices":[{"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}"#
                    .utf8))
        #expect(
            completion == .init(text: "Hi", finishReason: "length", usage: .init(promptTokens: 1, completionTokens: 2)))
        #expect(throws: ChatCompletions.ReadError.self) { try ChatCompletions.completion(fromJSON: Array("{".utf8)) }
        #expect(throws: ChatCompletions.ReadError.empty) {
            try ChatCompletions.completion(fromJSON: Array(#"{"choices":[{"message":{"content":""}}]}"#.utf8))
        }
    }

    @Test("Retry-After is honoured up to the cap; otherwise backoff doubles, with jitter")
    func retry() {
        let policy = Generator.RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(30))
        #expect(policy.delay(afterFailure: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(afterFailure: 1, retryAfter: .seconds(600)) == .seconds(30))
        for failure in 1...7 {
            let delay = policy.delay(afterFailure: failure, retryAfter: nil)
            let step = min(Duration.seconds(1 << (failure - 1)), .seconds(30))
            #expect(delay >= step * 0.5 && delay <= step, "failure \(failure): \(delay)")
        }
        #expect(HTTPChatService.retryAfter("3") == .seconds(3))
        #expect(HTTPChatService.retryAfter("soon") == nil)
    }

    @Test("the key never appears in what is shown, and the endpoint's host is its provenance")
    func redaction() {
        let endpoint = ChatEndpoint(
            url: "https://user@api.example.org:8443/v1/chat/completions/", apiKey: "sk-abcdef123")
        #expect(endpoint.url == "https://user@api.example.org:8443/v1")
        #expect(endpoint.host == "api.example.org")
        #expect(endpoint.redact("bad key sk-abcdef123!") == "bad key [key redacted]!")
    }

    @Test("generate settings in formulary.yml")
    func configuration() throws {
        let yaml =
            "title: X\ngenerate:\n  endpoint: http://localhost:11434/v1\n  model: llama3\n  concurrency: 2\n  prices: {input: 0.15, output: 0.6}\n"
        let settings = try GenerateConfiguration.load(yaml: yaml, path: "formulary.yml")
        #expect(settings.endpoint == "http://localhost:11434/v1")
        #expect(settings.model == "llama3")
        #expect(settings.concurrency == 2)
        #expect(settings.inputPrice == 0.15)
        #expect(settings.outputPrice == 0.6)
        #expect(
            throws: GenerateConfiguration.Error(
                path: "formulary.yml", line: 2, message: "unknown generate setting 'modle'; did you mean 'model'?")
        ) {
            try GenerateConfiguration.load(yaml: "generate:\n  modle: x\n", path: "formulary.yml")
        }
    }
}

@Suite("generate against a local OpenAI-compatible server", .serialized)
struct GenerateRunTests {
    @Test("a good answer becomes a draft page with its provenance; the request follows the schema")
    func good() async throws {
        let server = try await FakeOpenAI(scripts: [:])
        defer { server.stop() }
        let work = Workspace()
        let generator = try work.generator(server)
        let report = await generator.run([name("Goodamol 500mg")])
        #expect(
            report.outcomes.map(\.outcome) == [
                .written(path: work.content + "/composition/goodamol-500mg.md", attempts: 1)
            ])
        let page = try #require(work.read("content/composition/goodamol-500mg.md"))
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(7)) == [
                "---", "title: \"Goodamol 500mg\"", "ai_generated: true", "status: draft", "model: \"test-model\"",
                "endpoint: \"127.0.0.1\"", "prompt_version: \"\(try DraftPrompt().version)\"",
            ])
        // `generated_at: "2026-11-25T22:27:39Z"`
        #expect(
            lines[7].hasPrefix("generated_at: \"20") && lines[7].hasSuffix("Z\"") && lines[7].count == 36, "\(lines[7])"
        )
        #expect(page.contains("\n---\n\n# Goodamol 500mg\n\n## Generic Name\n"))
        // The written page reads back as a monograph with every section.
        let parsed = try MonographParser().parse(contentsOf: work.content + "/composition/goodamol-500mg.md")
        #expect(parsed.monograph.sections.map(\.kind) == DraftPrompt.sections.map(\.kind))
        #expect(parsed.monograph.faqs.count == 2)
        #expect(work.journalEvents() == ["goodamol-500mg:answer:1", "goodamol-500mg:written:1"])
        #expect(report.promptTokens == 100)
        #expect(report.completionTokens == 200)
        let request = try #require(server.requests.first)
        #expect(request.authorization == "Bearer sk-test-secret-key")
        #expect(request.json.contains(#""model":"test-model""#))
        #expect(request.json.contains(#""stream":false"#))
        #expect(request.json.contains(#""max_tokens":4000"#))
        #expect(request.json.contains(#""messages":[{"content":"You write medicine"#))
        #expect(
            request.json.contains(
                #""role":"system"},{"content":"Write the medicine information page for: Goodamol 500mg"#))
    }

    @Test("--concurrency 16 has 16 requests open at once (the shared HTTP client held it to 8)")
    func sixteenAtOnce() async throws {
        let server = try await FakeOpenAI(scripts: ["Batchamol": [.gathered(16)]])
        defer { server.stop() }
        let work = Workspace()
        let names = (1...16).map { name("Batchamol \($0)00mg") }
        let report = try await HTTPChatService.withClient(connections: 16) { client in
            await (try work.generator(server, timeout: .seconds(60), client: client) { $0.concurrency = 16 }).run(names)
        }
        #expect(server.mostInFlight == 16)
        #expect(report.outcomes.count == 16)
        #expect(
            report.outcomes.allSatisfy {
                if case .written(_, let attempts) = $0.outcome { return attempts == 1 }
                return false
            })
    }

    @Test("a streamed answer; a cut stream is asked again")
    func streamed() async throws {
        let server = try await FakeOpenAI(scripts: [
            "Streamamol": [.goodStream], "Cutamol": [.truncatedStream, .goodStream],
        ])
        defer { server.stop() }
        let work = Workspace()
        let generator = try work.generator(server) { $0.stream = true }
        let report = await generator.run([name("Streamamol"), name("Cutamol")])
        #expect(
            report.outcomes.map(\.outcome) == [
                .written(path: work.content + "/composition/streamamol.md", attempts: 1),
                .written(path: work.content + "/composition/cutamol.md", attempts: 1),
            ])
        #expect(server.requests.count == 3)
        #expect(
            server.requests.allSatisfy { $0.json.contains(#""stream":true,"stream_options":{"include_usage":true}"#) })
        #expect(work.read("content/composition/streamamol.md")?.contains("## Side Effects\nNausea") == true)
    }

    @Test("a refusal, an 'as an AI' text, a missing section and a wrong title go back with their problems")
    func feedback() async throws {
        let server = try await FakeOpenAI(scripts: [
            "Refusamol": [.refusal, .good], "Aiamol": [.asAnAI, .good], "Missamol": [.missingSection, .good],
            "Titleamol": [.wrongTitle, .good],
        ])
        defer { server.stop() }
        let work = Workspace()
        let generator = try work.generator(server) { $0.concurrency = 1 }
        let report = await generator.run(["Refusamol", "Aiamol", "Missamol", "Titleamol"].map(name))
        #expect(
            report.outcomes.map(\.outcome)
                == ["refusamol", "aiamol", "missamol", "titleamol"].map {
                    .written(path: work.content + "/composition/\($0).md", attempts: 2)
                })
        #expect(
            work.journalEvents()
                == ["refusamol", "aiamol", "missamol", "titleamol"].flatMap {
                    ["\($0):answer:1", "\($0):rejected:1", "\($0):answer:2", "\($0):written:2"]
                })
        // Each second request carries the first answer and the problems found in it.
        let retries = server.requests.enumerated().filter { $0.offset % 2 == 1 }.map(\.element.json)
        #expect(retries.count == 4)
        #expect(
            retries[0].contains(#"{"content":"I'm sorry, but I can't help with that request.","role":"assistant"}"#))
        #expect(retries[0].contains("That page cannot be published yet."))
        let journal = work.read(".formulary/generate-journal.jsonl") ?? ""
        #expect(journal.contains(#""problems":["ai-refusal:"#))
        #expect(journal.contains(#""problems":["ai-self-reference:"#))
        #expect(journal.contains(#"missing-section: "#))
        #expect(retries[2].contains("Side Effects"))
        #expect(retries[3].contains("it must be exactly '# Titleamol'"))
        #expect(!server.requests[1].json.contains("sk-test-secret-key"))
    }

    @Test(
        "malformed JSON, 429 with Retry-After, 500, a hang and a stalled stream are asked again; attempts are not spent"
    )
    func transient() async throws {
        let server = try await FakeOpenAI(scripts: [
            "Jsonamol": [.malformedJSON, .good], "Limitamol": [.rateLimited(retryAfter: "1"), .good],
            "Errorol": [.serverError, .good], "Hangamol": [.hang, .good], "Stallamol": [.stallStream, .good],
        ])
        defer { server.stop() }
        let work = Workspace()
        let generator = try work.generator(server, timeout: .milliseconds(1500)) { $0.concurrency = 1 }
        let clock = ContinuousClock()
        var elapsed: [Duration] = []
        for medicine in ["Jsonamol", "Limitamol", "Errorol", "Hangamol", "Stallamol"] {
            let start = clock.now
            let report = await generator.run([name(medicine)])
            elapsed.append(clock.now - start)
            #expect(
                report.outcomes.map(\.outcome) == [
                    .written(path: work.content + "/composition/\(medicine.lowercased()).md", attempts: 1)
                ])
        }
        #expect(server.requests.count == 10)
        #expect(elapsed[1] >= .seconds(1), "Retry-After: 1 was not waited for")
        #expect(elapsed[3] >= .milliseconds(1500), "the hang was not timed out")
        #expect(elapsed[3] < .seconds(10))
        #expect(elapsed[4] >= .milliseconds(1500), "the stalled stream was not timed out")
        #expect(elapsed[4] < .seconds(10))
    }

    @Test("a medicine that never passes is recorded as failed and not written, unless invalid pages are allowed")
    func failing() async throws {
        let server = try await FakeOpenAI(scripts: ["Neveramol": [.refusal]])
        defer { server.stop() }
        let work = Workspace()
        let report = await (try work.generator(server)).run([name("Neveramol")])
        guard case .failed(let reason) = report.outcomes.first?.outcome else {
            Issue.record("not failed: \(report.outcomes)")
            return
        }
        #expect(reason.hasPrefix("3 attempts did not pass: ai-refusal: "))
        #expect(work.read("content/composition/neveramol.md") == nil)
        #expect(work.journalEvents().last == "neveramol:failed:3")
        #expect(server.requests.count == 3)

        // Run again: the journal says it failed; nothing is asked.
        let again = await (try work.generator(server)).run([name("Neveramol")])
        #expect(
            again.outcomes.first?.outcome
                == .skipped(reason: "failed in an earlier run (\(reason)); --retry-failed tries again"))
        #expect(server.requests.count == 3)

        let invalid = await
            (try work.generator(server) {
                $0.retryFailed = true; $0.allowInvalid = true
            }).run([name("Neveramol")])
        #expect(
            invalid.outcomes.first?.outcome
                == .writtenInvalid(path: work.content + "/composition/neveramol.md", reason: reason))
        #expect(work.read("content/composition/neveramol.md")?.contains("\nstatus: invalid\n") == true)
    }

    @Test("with a review store, a page that passes goes to the queue, not to a file")
    func reviewQueue() async throws {
        let server = try await FakeOpenAI(scripts: [:])
        defer { server.stop() }
        let work = Workspace()
        let queued = Mutex<[String]>([])
        let generator = try work.generator(server) {
            $0.destination = .reviewQueue { name, path, text in
                queued.withLock { $0.append("\(name.title) \(path) \(text.contains("status: draft"))") }
                return 41
            }
        }
        let report = await generator.run([name("Queueamol")])
        #expect(report.outcomes.map(\.outcome) == [.suggested(number: 41, attempts: 1)])
        #expect(queued.withLock { $0 } == ["Queueamol composition/queueamol.md true"])
        #expect(work.read("content/composition/queueamol.md") == nil)
        #expect(work.read(".formulary/generate-journal.jsonl")?.contains(#""suggestion":41"#) == true)
        let again = await (try work.generator(server)).run([name("Queueamol")])
        #expect(
            again.outcomes.map(\.outcome) == [
                .skipped(reason: "put in the review queue by an earlier run: suggestion #41")
            ])
    }

    @Test("a wrong key stops the run, and the key never shows in the error")
    func unauthorized() async throws {
        let server = try await FakeOpenAI(scripts: ["Keyamol": [.unauthorized]])
        defer { server.stop() }
        let work = Workspace()
        let report = await (try work.generator(server) { $0.concurrency = 1 }).run(["Keyamol", "Otheramol"].map(name))
        let stopped = try #require(report.stoppedBy)
        #expect(stopped.contains("answered 401 Unauthorized"))
        #expect(stopped.contains("Incorrect API key provided: [key redacted]. Check it."))
        #expect(!stopped.contains("sk-test-secret-key"))
        #expect(report.outcomes.last?.outcome == .skipped(reason: "not tried: the run stopped (\(stopped))"))
        #expect(server.requests.count == 1)
    }

    @Test("an interrupted run goes on where it stopped: an answer already received is not asked for again")
    func resume() async throws {
        let server = try await FakeOpenAI(scripts: [:])
        defer { server.stop() }
        let work = Workspace()
        // The journal of a run killed after the answer arrived, before it was checked.
        let journal = try GenerationJournal(path: work.journalPath)
        var answer = GenerationJournal.Entry(event: .answer, slug: "resumamol", title: "Resumamol", attempt: 1)
        answer.text = FakeOpenAI.page("Resumamol")
        try journal.append(answer)
        try journal.append(.init(event: .written, slug: "doneamol", title: "Doneamol", attempt: 1))
        // A line cut off by the crash.
        let handle = try #require(FileHandle(forWritingAtPath: work.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"event":"answer","slu"#.utf8))
        try handle.close()

        let report = await (try work.generator(server)).run(["Resumamol", "Doneamol", "Newamol"].map(name))
        #expect(
            report.outcomes.map(\.outcome) == [
                .written(path: work.content + "/composition/resumamol.md", attempts: 1),
                .skipped(reason: "written by an earlier run: \(work.content)/composition/doneamol.md"),
                .written(path: work.content + "/composition/newamol.md", attempts: 1),
            ])
        #expect(server.requests.count == 1)
        // The two names are worked on at once, so their lines interleave in any order: what is
        // fixed is the journal from before the run, and each name's own lines in order.
        let events = work.journalEvents()
        #expect(Array(events.prefix(2)) == ["resumamol:answer:1", "doneamol:written:1"])
        let byName = Dictionary(grouping: events.dropFirst(2), by: { $0.prefix { $0 != ":" } })
        #expect(byName.count == 2)
        #expect(byName["resumamol"] == ["resumamol:written:1"])
        #expect(byName["newamol"] == ["newamol:answer:1", "newamol:written:1"])
    }
}

@Suite("generate: translations")
struct TranslationGenerateTests {
    static let english = """
        ---
        title: Examplamol
        example: true
        ---

        # Examplamol

        ### Usage
        Pain and fever.

        ### Dosage
        Adults: 500 mg every 4 to 6 hours.

        **Disclaimer:** Not medical advice.

        """

    static let hindi = """
        # एग्ज़ाम्पलामॉल (Examplamol)

        ### उपयोग
        एग्ज़ाम्पलामॉल (Examplamol) दर्द और बुखार में।

        ### खुराक
        वयस्क: हर 4 से 6 घंटे में 500 mg।

        **अस्वीकरण:** चिकित्सा सलाह नहीं।
        """

    static let language = TranslationLanguage(
        code: "hi", name: "हिन्दी", headings: [.usage: "उपयोग", .dosage: "खुराक"], question: "प्रश्न", answer: "उत्तर",
        disclaimer: "अस्वीकरण")

    @Test(
        "a translation that changes a number goes back with the problem; the next is written beside its page as a draft that says what it translates, and a second run asks nothing"
    )
    func translate() async throws {
        let work = Workspace()
        let sourcePath = work.content + "/composition/examplamol.md"
        try FileManager.default.createDirectory(
            atPath: work.content + "/composition", withIntermediateDirectories: true)
        try Data(Self.english.utf8).write(to: URL(fileURLWithPath: sourcePath))
        let wrong = Self.hindi.replacingOccurrences(of: "500 mg", with: "50 mg")
        let server = try await FakeOpenAI(scripts: ["Translate": [.text(wrong), .text(Self.hindi)]])
        defer { server.stop() }
        let generator = try work.generator(server)
        let source = try MonographParser().parse(contentsOf: sourcePath)
        let task = TranslationTask.make(
            source: source, sourceText: Self.english, sourcePath: sourcePath, contentFolder: work.content,
            from: "English", language: Self.language, prompt: try TranslationPrompt(),
            provenance: { generator.provenance() })
        #expect(task.key == "hi/composition/examplamol")
        #expect(task.relativePath == "composition/examplamol.hi.md")
        let prompt = task.messages.last.map { "\($0)" } ?? ""
        #expect(prompt.contains("`Usage` becomes `उपयोग`"))
        #expect(prompt.contains("(Examplamol)"))

        let report = await generator.run(tasks: [task])
        let path = work.content + "/composition/examplamol.hi.md"
        #expect(report.outcomes.map(\.outcome) == [.written(path: path, attempts: 2)])
        // The second request carried the first answer back with what was wrong with it.
        let second = server.requests.last?.json ?? ""
        #expect(second.contains("numbers the page it translates does not have: 50"))
        #expect(second.contains("numbers of the page it translates are missing: 500"))

        let written = try #require(work.read("content/composition/examplamol.hi.md"))
        #expect(
            written.hasPrefix("---\ntitle: \"एग्ज़ाम्पलामॉल (Examplamol)\"\nexample: true\nai_generated: true\nstatus: draft\n")
        )
        #expect(written.contains("translated_from: \(TranslationCheck.fingerprint(of: source.monograph))\n"))
        let status = try #require(try TranslationFiles.status(of: path))
        #expect(status.state == .current)
        #expect(status.problems == [])

        let again = await generator.run(tasks: [task])
        #expect(again.outcomes.map(\.outcome) == [.skipped(reason: "written by an earlier run: \(path)")])
        #expect(server.requests.count == 2)
    }

    @Test("the plan skips pages translated already, unknown ids, and pages that refuse or doubt their medicine")
    func plan() throws {
        func page(_ path: String, _ body: String) throws -> (path: String, page: ParsedPage) {
            (path, try MonographParser().parse(bytes: Array(body.utf8), location: DocumentLocation(path: path)))
        }
        let pages = [
            try page("content/composition/a.md", Self.english),
            try page("content/composition/a.hi.md", "---\ntitle: \"ए (A)\"\n---\n"),
            try page("content/composition/b.md", Self.english.replacingOccurrences(of: "Examplamol", with: "Bexample")),
            try page(
                "content/composition/c.md",
                "---\ntitle: Cexample\n---\n\n### Usage\nAs an AI language model, I cannot give medical advice.\n"),
        ]
        let (todo, skipped) = TranslationTask.plan(
            ids: ["composition/a", "composition/b", "composition/b", "composition/c", "composition/zzz"],
            language: "hi", pages: pages)
        #expect(todo.map(\.page.monograph.id) == ["composition/b"])
        #expect(skipped.map(\.id) == ["composition/a", "composition/b", "composition/c", "composition/zzz"])
        #expect(skipped[0].reason == "already has a translation into hi")
        #expect(skipped[2].reason.hasPrefix("the page itself has ai-self-reference"))
    }
}
