import FormularyModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a generate run has done, one JSON object a line, each line on disk (fsync) before
/// the run goes on: an interrupted run (Ctrl-C, a crash, power loss) starts again where it
/// stopped. Answers are kept, so an answer that arrived is never paid for twice.
public final class GenerationJournal: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public enum Event: String, Codable, Sendable {
            /// A model's answer to attempt `attempt`.
            case answer
            /// The answer of attempt `attempt` was sent back with `feedback`.
            case rejected
            /// The page was written at `path`, or put in the review queue as `suggestion`.
            case written
            /// No attempt gave a page that may be published; `reason` says why.
            case failed
        }

        public var event: Event
        public var slug: String
        public var title: String
        public var attempt: Int
        public var time: String
        public var text: String?
        public var feedback: String?
        public var problems: [String]?
        public var path: String?
        /// The review queue's suggestion, when the page went there instead of to a file.
        public var suggestion: Int?
        public var reason: String?
        public var promptTokens: Int?
        public var completionTokens: Int?

        public init(event: Event, slug: String, title: String, attempt: Int, time: String = Self.now()) {
            self.event = event
            self.slug = slug
            self.title = title
            self.attempt = attempt
            self.time = time
        }

        public static func now() -> String {
            Date().formatted(.iso8601)
        }
    }

    /// A medicine's story so far, from the journal.
    public struct History: Sendable, Equatable {
        public var entries: [Entry] = []
        public var written: Entry? { entries.last { $0.event == .written } }
        public var failed: Entry? { entries.last { $0.event == .failed } }
        /// The last answer when no verdict followed it: it came in just before the run stopped.
        public var unjudgedAnswer: Entry? {
            guard let last = entries.last(where: { $0.event != .failed }), last.event == .answer else { return nil }
            return last
        }
    }

    public let path: String
    private let descriptor: Int32
    private let histories = Locked<[String: History]>([:])

    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String, String)
        case cannotWrite(String, String)
        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): return "cannot open the journal \(path): \(reason)"
            case .cannotWrite(let path, let reason): return "cannot write the journal \(path): \(reason)"
            }
        }
    }

    /// Opens (or creates) the journal at `path` and reads what earlier runs did. A last line
    /// cut off by a crash is ignored.
    public init(path: String) throws(Failure) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var loaded: [String: History] = [:]
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let entry = try? decoder.decode(Entry.self, from: Data(line)) else { continue }
                loaded[entry.slug, default: History()].entries.append(entry)
            }
        }
        histories.withLock { $0 = loaded }
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        // A line cut off by a crash would swallow the next one: start on a fresh line.
        if let data = FileManager.default.contents(atPath: path), let last = data.last, last != UInt8(ascii: "\n") {
            _ = "\n".utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, 1) }
        }
    }

    deinit { close(descriptor) }

    public func history(of slug: String) -> History { histories.withLock { $0[slug] ?? History() } }

    /// Appends an entry and waits until it is on disk.
    public func append(_ entry: Entry) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { throw .cannotWrite(path, "cannot encode an entry") }
        line.append(UInt8(ascii: "\n"))
        let failure: String? = histories.withLock { histories in
            let written = line.withUnsafeBytes { bytes in write(descriptor, bytes.baseAddress, bytes.count) }
            guard written == line.count else { return written < 0 ? String(cString: strerror(errno)) : "short write" }
            guard fsync(descriptor) == 0 else { return String(cString: strerror(errno)) }
            histories[entry.slug, default: History()].entries.append(entry)
            return nil
        }
        if let failure { throw .cannotWrite(path, failure) }
    }
}
