import FormularyModel
import FormularyParsing
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Log lines on standard error, one event a line, structured: `logfmt` (`key=value`, for
/// people and grep) or JSON (for log collectors).
struct LineLogHandler: LogHandler {
    enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    let label: String
    let format: Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, format: Format, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        var line: String
        switch format {
        case .text:
            line = "time=\(time) level=\(event.level) msg=\(Self.quoted(event.message.description))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += " \(key)=\(Self.quoted(value.description))"
            }
        case .json:
            var fields: [(String, String)] = [
                ("time", time), ("level", event.level.rawValue), ("msg", event.message.description),
            ]
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, value.description)) }
            line = "{" + fields.map { Self.jsonString($0.0) + ":" + Self.jsonString($0.1) }.joined(separator: ",") + "}"
        }
        StandardError.write(line + "\n")
    }

    /// A logfmt value: bare when it has no space, quote or equals sign.
    static func quoted(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) {
            return value
        }
        return jsonString(value)
    }

    static func jsonString(_ value: String) -> String { JSONText.quoted(value, htmlSafe: false) }
}

/// Whole lines to standard error, never interleaved.
enum StandardError {
    private static let lock = Locked(())

    static func write(_ text: String) {
        lock.withLock { _ in
            var text = text
            text.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }
}

/// One structured log line a request, at info level.
struct RequestLog: Sendable {
    let logger: Logger

    func log(
        method: HTTPRequest.Method, target: String, status: HTTPResponse.Status, since started: ContinuousClock.Instant
    ) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        logger.info(
            "request",
            metadata: [
                "method": "\(method.rawValue)", "path": "\(target)", "status": "\(status.code)",
                "us": "\(microseconds)",
            ])
    }
}

/// Logs what the router answers (the contribution pages and API, the event stream) as
/// `DirectResponder` logs what it answers itself.
extension RequestLog: RouterMiddleware {
    func handle(
        _ request: Request, context: ContributionContext,
        next: (Request, ContributionContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        log(method: request.method, target: request.head.path ?? "/", status: response.status, since: started)
        return response
    }
}
