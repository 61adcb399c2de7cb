import AsyncHTTPClient
import FormularyAsync
import Foundation
import NIOCore
import NIOHTTP1

/// One Chat Completions request at a time: what a model answered, or why it did not.
public protocol ChatService: Sendable {
    func complete(_ request: ChatCompletions.Request) async throws(ChatFailure) -> ChatCompletions.Completion
}

/// Why a request gave no answer, and whether asking again may help.
public enum ChatFailure: Error, Equatable, CustomStringConvertible {
    /// Rate limits, server errors, timeouts, cut or garbled answers: ask again later
    /// (`retryAfter` when the server said when).
    case transient(String, retryAfter: Duration?)
    /// A wrong key, model or endpoint: asking again will not help, so the run stops.
    case fatal(String)

    public var description: String {
        switch self {
        case .transient(let message, _), .fatal(let message): return message
        }
    }
}

/// Where requests go: an OpenAI-compatible base URL (`https://api.openai.com/v1`) and a key.
public struct ChatEndpoint: Sendable {
    /// The base URL, without a trailing `/`; requests go to `{url}/chat/completions`.
    public var url: String
    public var apiKey: String?
    /// Longest wait for a whole answer.
    public var timeout: Duration

    public init(url: String, apiKey: String?, timeout: Duration = .seconds(120)) {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/chat/completions") { url.removeLast("/chat/completions".count) }
        self.url = url
        self.apiKey = apiKey?.isEmpty == true ? nil : apiKey
        self.timeout = timeout
    }

    /// The host name, for provenance (never the path, which may hold a key or a deployment name).
    public var host: String {
        guard let start = url.range(of: "://")?.upperBound else { return url }
        let rest = url[start...]
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" })
        let hostAndPort = authority.split(separator: "@").last ?? authority
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            return String(hostAndPort[...close])
        }
        return String(hostAndPort.split(separator: ":").first ?? hostAndPort)
    }

    /// `text` with the key replaced, for every message that may reach a log or a terminal.
    public func redact(_ text: String) -> String {
        guard let apiKey, apiKey.count >= 4 else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[key redacted]")
    }
}

/// Chat Completions over HTTP with AsyncHTTPClient, streamed or not.
public struct HTTPChatService: ChatService {
    public let endpoint: ChatEndpoint
    private let client: HTTPClient

    /// `client`: one made by `withClient(connections:)` for more than 8 requests at once (the
    /// shared client keeps at most 8 connections to a host).
    public init(endpoint: ChatEndpoint, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.client = client
    }

    /// Runs `body` with an HTTP client that keeps up to `connections` connections to one host
    /// (at least AsyncHTTPClient's default of 8), and shuts the client down after it. `generate
    /// --concurrency 16` had only 8 requests in flight on the shared client.
    public static func withClient<T: Sendable>(
        connections: Int, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connections))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Longest answer read: a model's page is a few kilobytes.
    static let largestBody = 4 * 1024 * 1024

    public func complete(_ request: ChatCompletions.Request) async throws(ChatFailure) -> ChatCompletions.Completion {
        let endpoint = self.endpoint
        let client = self.client
        do {
            // The deadline is for the whole answer, streamed or not.
            return try await withDeadline(endpoint.timeout) {
                try await Self.send(request, endpoint: endpoint, client: client)
            }
        } catch let failure as ChatFailure {
            throw failure
        } catch is DeadlinePassed {
            throw .transient("no answer within \(endpoint.timeout)", retryAfter: nil)
        } catch let error where error is CancellationError || error as? HTTPClientError == .cancelled {
            throw .fatal("cancelled")
        } catch {
            throw .transient(endpoint.redact("\(endpoint.url): \(error)"), retryAfter: nil)
        }
    }

    private static func send(_ request: ChatCompletions.Request, endpoint: ChatEndpoint, client: HTTPClient)
        async throws -> ChatCompletions.Completion
    {
        var http = HTTPClientRequest(url: endpoint.url + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: request.stream ? "text/event-stream" : "application/json")
        if let key = endpoint.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        http.body = .bytes(ByteBuffer(bytes: try encoder.encode(request)))
        let response = try await client.execute(http, timeout: .seconds(Int64(endpoint.timeout.components.seconds) + 1))
        let status = response.status
        guard status == .ok else {
            let body = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
            let detail = endpoint.redact(Self.errorDetail(body))
            let message =
                "\(endpoint.url)/chat/completions answered \(status.code) \(status.reasonPhrase)\(detail.isEmpty ? "" : ": \(detail)")"
            if status == .tooManyRequests || status.code >= 500 || status == .requestTimeout {
                throw ChatFailure.transient(
                    message, retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.retryAfter))
            }
            throw ChatFailure.fatal(message)
        }
        do {
            if request.stream {
                var reader = ChatCompletions.StreamReader()
                var received = 0
                for try await chunk in response.body {
                    received += chunk.readableBytes
                    guard received <= largestBody else { throw ChatCompletions.ReadError.malformed("over 4 MB") }
                    try reader.feed(chunk.readableBytesView)
                }
                return try reader.finish()
            }
            let body = try await response.body.collect(upTo: largestBody)
            return try ChatCompletions.completion(fromJSON: Array(buffer: body))
        } catch let error as ChatCompletions.ReadError {
            throw ChatFailure.transient(error.description, retryAfter: nil)
        }
    }

    /// `Retry-After` as seconds (`7`) or an HTTP date; nil when it is neither.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    /// The `error.message` of an OpenAI-style error body, or the body's start.
    static func errorDetail(_ body: String) -> String {
        struct Envelope: Decodable {
            struct Detail: Decodable { var message: String? }
            var error: Detail?
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body.utf8)),
            let message = envelope.error?.message
        {
            return message
        }
        let flat = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(200)) + "..." : flat
    }
}
