import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local OpenAI-compatible server for the tests: answers `POST /v1/chat/completions` from a
/// script per medicine (picked by the title in the first user message), and records every
/// request it gets.
final class FakeOpenAI: Sendable {
    enum Reply: Sendable {
        case good
        case goodStream
        case refusal
        case asAnAI
        case missingSection
        case wrongTitle
        case malformedJSON
        case truncatedStream
        case rateLimited(retryAfter: String)
        case serverError
        case unauthorized
        case hang
        /// Half a streamed answer, then nothing for 30 s.
        case stallStream
        /// Held until this many requests are open at once (or 20 s pass), then `.good`.
        case gathered(Int)
        /// This answer, as it is (a translation, say).
        case text(String)
    }

    struct Received: Sendable {
        var authorization: String?
        var body: [String: any Sendable]
        var json: String
    }

    private let scripts: Mutex<[String: [Reply]]>
    private let received = Mutex<[Received]>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)
    /// Requests open now, and the most open at once so far.
    private let flight = Mutex<(now: Int, most: Int)>((0, 0))
    let port: Int

    var requests: [Received] { received.withLock { $0 } }

    /// The most requests that were open at the same moment.
    var mostInFlight: Int { flight.withLock { $0.most } }

    /// Starts on a free port; `scripts` maps a word of the title to the replies, in order
    /// (the last one repeats).
    init(scripts: [String: [Reply]]) async throws {
        self.scripts = Mutex(scripts)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        let box = Box()
        router.post("/v1/chat/completions") { request, _ -> Response in
            try await box.server!.answer(request)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Self.quietLogger)
        let running = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        port = await iterator.next() ?? 0
        task.withLock { $0 = running }
        box.server = self
    }

    func stop() { task.withLock { $0?.cancel() } }

    /// Stopping by cancellation makes Hummingbird log a shutdown error; the tests do not need it.
    private static var quietLogger: Logger {
        var logger = Logger(label: "fake-openai")
        logger.logLevel = .critical
        return logger
    }

    var url: String { "http://127.0.0.1:\(port)/v1" }

    private final class Box: @unchecked Sendable {
        var server: FakeOpenAI?
    }

    private func answer(_ request: Request) async throws -> Response {
        flight.withLock { flight in
            flight.now += 1
            flight.most = max(flight.most, flight.now)
        }
        defer { flight.withLock { $0.now -= 1 } }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let data = Data(buffer: buffer)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let messages = object["messages"] as? [[String: Any]] ?? []
        let firstUser = messages.first { $0["role"] as? String == "user" }?["content"] as? String ?? ""
        received.withLock {
            $0.append(
                Received(
                    authorization: request.headers[.authorization], body: object.mapValues { "\($0)" },
                    json: String(decoding: data, as: UTF8.self)))
        }
        // The title is on the first line: `Write the medicine information page for: TITLE`.
        let title =
            firstUser.split(separator: "\n").first.map {
                String($0.replacingOccurrences(of: "Write the medicine information page for: ", with: ""))
            } ?? ""
        let reply = scripts.withLock { scripts -> Reply in
            guard let key = scripts.keys.first(where: { title.contains($0) }), var replies = scripts[key] else {
                return .good
            }
            let reply = replies.count > 1 ? replies.removeFirst() : replies[0]
            scripts[key] = replies
            return reply
        }
        return try await respond(reply, title: title)
    }

    static func page(_ title: String) -> String {
        """
        # \(title)

        ## Generic Name
        \(title)

        ## Usage
        - Relief of mild to moderate pain
        - Reduction of fever

        ## Dosage
        Adults usually take one tablet every six hours; your doctor decides the dose.

        ## Side Effects
        Nausea and rash are uncommon. Seek care at once for swelling of the face.

        ## How It Works
        It reduces the chemical signals that cause pain and fever.

        ## Precautions
        Avoid alcohol. Tell your doctor about liver disease, pregnancy or other medicines.

        ## FAQs
        **Q: Can I take it with food?**
        A: Yes, with or without food.

        **Q: How quickly does it work?**
        A: Usually within an hour.
        """
    }

    private func completionJSON(_ text: String) -> String {
        let content = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return
            #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"test","choices":[{"index":0,"message":{"role":"assistant","content":\#(content)},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":200,"total_tokens":300}}"#
    }

    private func json(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func stream(_ pieces: [String], done: Bool, thenStall: Bool = false) -> Response {
        var parts = pieces.map { piece -> String in
            let content = String(decoding: try! JSONEncoder().encode(piece), as: UTF8.self)
            return
                #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\#(content)},"finish_reason":null}]}"#
                + "\n\n"
        }
        if done {
            parts.append(
                #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
                    + "\n\n")
            parts.append(
                #"data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":200,"total_tokens":300}}"#
                    + "\n\n")
            parts.append("data: [DONE]\n\n")
        }
        let chunks = parts
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream"],
            body: ResponseBody { writer in
                for chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                if thenStall { try await Task.sleep(for: .seconds(30)) }
                try await writer.finish(nil)
            })
    }

    private func respond(_ reply: Reply, title: String) async throws -> Response {
        switch reply {
        case .good:
            return json(.ok, completionJSON(Self.page(title)))
        case .text(let text):
            return json(.ok, completionJSON(text))
        case .goodStream:
            let text = Self.page(title)
            let middle = text.index(text.startIndex, offsetBy: text.count / 2)
            return stream([String(text[..<middle]), String(text[middle...])], done: true)
        case .refusal:
            return json(.ok, completionJSON("I'm sorry, but I can't help with that request."))
        case .asAnAI:
            return json(
                .ok,
                completionJSON(
                    Self.page(title).replacingOccurrences(
                        of: "It reduces the chemical signals",
                        with: "As an AI language model, I cannot give medical advice. It reduces the chemical signals"))
            )
        case .missingSection:
            let page = Self.page(title)
            let start = page.range(of: "## Side Effects")!.lowerBound
            let end = page.range(of: "## How It Works")!.lowerBound
            return json(.ok, completionJSON(String(page[..<start] + page[end...])))
        case .wrongTitle:
            return json(.ok, completionJSON(Self.page("Something Else")))
        case .malformedJSON:
            return json(.ok, ##"{"choices": [{"message": {"content": "# Half"##)
        case .truncatedStream:
            return stream(["# \(title)\n\n## Generic Name\n"], done: false)
        case .rateLimited(let retryAfter):
            return json(
                .tooManyRequests, #"{"error":{"message":"Rate limit reached","type":"rate_limit"}}"#,
                headers: [.retryAfter: retryAfter])
        case .serverError:
            return json(.internalServerError, #"{"error":{"message":"The server had an error"}}"#)
        case .unauthorized:
            return json(
                .unauthorized, #"{"error":{"message":"Incorrect API key provided: sk-test-secret-key. Check it."}}"#)
        case .gathered(let count):
            // Not a timing assumption: the wait ends as soon as `count` are open, however slow
            // the machine; the deadline only ends a test whose client can never open that many.
            let deadline = ContinuousClock.now + .seconds(20)
            while flight.withLock({ $0.most }) < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            return json(.ok, completionJSON(Self.page(title)))
        case .stallStream:
            let text = Self.page(title)
            return stream([String(text.prefix(text.count / 2))], done: false, thenStall: true)
        case .hang:
            try await Task.sleep(for: .seconds(30))
            return json(.ok, completionJSON(Self.page(title)))
        }
    }
}
