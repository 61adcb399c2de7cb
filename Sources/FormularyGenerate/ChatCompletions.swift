import Foundation

/// The parts of OpenAI's Chat Completions API that drafting uses, as any compatible server
/// (OpenAI, vLLM, llama.cpp, Ollama, LiteLLM...) speaks it.
public enum ChatCompletions {
    public struct Message: Codable, Sendable, Equatable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }

        public static func system(_ text: String) -> Message { Message(role: "system", content: text) }
        public static func user(_ text: String) -> Message { Message(role: "user", content: text) }
        public static func assistant(_ text: String) -> Message { Message(role: "assistant", content: text) }
    }

    /// `POST {endpoint}/chat/completions`.
    public struct Request: Codable, Sendable, Equatable {
        public var model: String
        public var messages: [Message]
        public var stream: Bool
        public var maxTokens: Int
        public var temperature: Double?
        /// Asks a streaming server for token counts in its last chunk.
        public var streamOptions: StreamOptions?

        public struct StreamOptions: Codable, Sendable, Equatable {
            public var includeUsage: Bool
            enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, stream, temperature
            case maxTokens = "max_tokens"
            case streamOptions = "stream_options"
        }

        public init(model: String, messages: [Message], stream: Bool, maxTokens: Int, temperature: Double? = nil) {
            self.model = model
            self.messages = messages
            self.stream = stream
            self.maxTokens = maxTokens
            self.temperature = temperature
            streamOptions = stream ? StreamOptions(includeUsage: true) : nil
        }
    }

    public struct Usage: Codable, Sendable, Equatable {
        public var promptTokens: Int
        public var completionTokens: Int

        public init(promptTokens: Int, completionTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    /// A whole (non-streamed) response.
    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
        var choices: [Choice]
        var usage: Usage?
    }

    /// One `data:` chunk of a streamed response.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case delta
                case finishReason = "finish_reason"
            }
        }
        var choices: [Choice]
        var usage: Usage?
    }

    /// The text a model answered, why it stopped, and what it cost.
    public struct Completion: Sendable, Equatable {
        public var text: String
        /// `stop`, or `length` when the answer ran out of tokens.
        public var finishReason: String?
        public var usage: Usage?
    }

    /// Why a response could not be read.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case truncated
        case empty

        public var description: String {
            switch self {
            case .malformed(let detail): return "the response is not a Chat Completions answer (\(detail))"
            case .truncated: return "the stream ended before the answer did"
            case .empty: return "the answer is empty"
            }
        }
    }

    /// Reads a non-streamed response body.
    public static func completion(fromJSON body: [UInt8]) throws(ReadError) -> Completion {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: Data(body))
        } catch {
            throw .malformed(Self.describe(error))
        }
        guard let choice = response.choices.first else { throw .malformed("no choices") }
        guard let text = choice.message.content, !text.isEmpty else { throw .empty }
        return Completion(text: text, finishReason: choice.finishReason, usage: response.usage)
    }

    /// Collects a streamed response (Server-Sent Events) as it arrives.
    public struct StreamReader: Sendable {
        private var pending: [UInt8] = []
        private var text = ""
        private var finishReason: String?
        private var usage: Usage?
        private var done = false

        public init() {}

        /// Feeds bytes as they arrive.
        public mutating func feed(_ bytes: some Sequence<UInt8>) throws(ReadError) {
            pending.append(contentsOf: bytes)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                try handle(line)
            }
        }

        private mutating func handle(_ line: [UInt8]) throws(ReadError) {
            let data = Array("data:".utf8)
            guard line.starts(with: data) else { return }  // comments, `event:`, blank separators
            var payload = line.dropFirst(data.count)
            while payload.first == UInt8(ascii: " ") { payload = payload.dropFirst() }
            if payload.elementsEqual("[DONE]".utf8) {
                done = true
                return
            }
            let chunk: Chunk
            do {
                chunk = try JSONDecoder().decode(Chunk.self, from: Data(payload))
            } catch {
                throw .malformed("a stream chunk: \(ChatCompletions.describe(error))")
            }
            if let usage = chunk.usage { self.usage = usage }
            for choice in chunk.choices {
                if let content = choice.delta?.content { text += content }
                if let reason = choice.finishReason { finishReason = reason }
            }
        }

        /// The answer once the stream has ended; a stream that stops without `[DONE]` or a
        /// finish reason was cut off.
        public func finish() throws(ReadError) -> Completion {
            guard done || finishReason != nil else { throw .truncated }
            guard !text.isEmpty else { throw .empty }
            return Completion(text: text, finishReason: finishReason, usage: usage)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return "not JSON: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): return "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "\(error)"
        }
    }
}
