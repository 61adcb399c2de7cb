import FormularyModel
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Answers requests on the connection's event loop, in Hummingbird's channel pipeline, without
/// a task per request: everything `SiteServer` answers at once, which is everything but the
/// live reload event stream and the contribution pages and API. Those, and any request behind
/// them on the same connection, go on to Hummingbird's responder.
///
/// It sits right after NIO's HTTP/1 decoder (put there by its `Installer`, which Hummingbird
/// adds among its `additionalChannelHandlers`), before the conversion of every request to
/// HTTPTypes, which only the requests passed on pay: converting cost as much as answering
/// (measured with perf, BENCHMARKS.md).
///
/// The site's answers are all in memory (files, cached searches) or computed in well under a
/// millisecond, so answering on the event loop costs less than handing the request to a task
/// and the response back: measured, this doubles requests per second (BENCHMARKS.md).
///
/// It also owns the connection's idle timeout, since Hummingbird's own timeout never sees the
/// requests answered here: a connection with no request in progress, or one that has not
/// finished sending its request head, is closed after `idleTimeout`.
final class DirectResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: SiteServer
    private let requestLog: RequestLog
    private let idleTimeout: TimeAmount
    /// Requests passed on to Hummingbird whose response has not ended; while there are any,
    /// later requests go the same way, so responses keep the order of requests.
    private var passedOn = 0
    /// The rest of a request answered here (its body, its end) is read and dropped.
    private var draining = false
    /// Body bytes dropped so far, and when the body must have ended: the site takes no
    /// bodies, so a body is allowed `idleTimeout` and `largestBody` bytes in all.
    private var drained = 0
    private var drainDeadline = NIODeadline.distantFuture
    /// Close once the request being drained has ended (`Connection: close`).
    private var closeAfterDrain = false
    private var lastActivity = NIODeadline.now()
    /// Page views answered on this connection, not yet handed to the server's counts.
    private var tally = ReaderCounts.Tally()
    private var idleCheck: Scheduled<Void>?
    /// Whether a request part went on to Hummingbird since the last end of a read.
    private var passedOnSinceReadEnd = false

    init(server: SiteServer, requestLog: RequestLog, idleTimeout: TimeAmount) {
        self.server = server
        self.requestLog = requestLog
        self.idleTimeout = idleTimeout
    }

    /// NIO's HTTP/1 response encoder's place in the pipeline: bytes written there go to the socket.
    private var encoderContext: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        encoderContext = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        lastActivity = .now()
        scheduleIdleCheck(context, at: lastActivity + idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let counts = server.counts { tally.flush(into: counts) }
        encoderContext = nil
        idleCheck?.cancel()
        idleCheck = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        // Body bytes trickling in do not keep a connection alive; its deadline bounds them.
        if !draining { lastActivity = .now() }
        switch part {
        case .head(let head):
            guard passedOn == 0, let request = Request(head), !server.passesOn(request.target) else {
                passedOn += 1
                passOn(data, context: context)
                return
            }
            let target = request.target
            let started = ContinuousClock.now
            let answer: ServerResponse
            let missingHost = head.version == .http1_1 && !head.headers.contains(name: "host")
            if missingHost {
                // RFC 9112 3.2: an HTTP/1.1 request without Host is a bad request.
                answer = server.problem(.badRequest("an HTTP/1.1 request must have a Host header"), instance: target)
            } else {
                answer = server.respond(method: request.method, target: target, headers: request.headers)
                if let counts = server.counts, request.method == .get,
                    answer.status.code == 200 || answer.status.code == 304
                {
                    tally.note(target, into: counts)
                }
            }
            if case .events = answer.body {
                // Not expected (the prefix test above catches the stream), but never answered here.
                passedOn += 1
                passOn(data, context: context)
                return
            }
            guard encoderContext != nil else {
                // Not the pipeline this was written for: let Hummingbird answer.
                passedOn += 1
                passOn(data, context: context)
                return
            }
            draining = true
            drained = 0
            drainDeadline = .now() + idleTimeout
            closeAfterDrain =
                !head.isKeepAlive || missingHost
                || answer.status == .contentTooLarge || answer.status == .lengthRequired
            write(answer, method: request.method, context: context)
            requestLog.log(method: request.method, target: target, status: answer.status, since: started)
            // A body too large to take, or of unknown length, is not read: the connection ends with the answer.
            if answer.status == .contentTooLarge || answer.status == .lengthRequired { context.close(promise: nil) }
        case .body(let bytes):
            guard draining else {
                passOn(data, context: context)
                return
            }
            drained += bytes.readableBytes
            // A body with no Content-Length (chunked) meets the limit here.
            if drained > server.options.largestBody { context.close(promise: nil) }
        case .end:
            if draining {
                draining = false
                lastActivity = .now()
                if closeAfterDrain { context.close(promise: nil) }
            } else {
                passOn(data, context: context)
            }
        }
    }

    /// Hands a request part on to Hummingbird.
    private func passOn(_ data: NIOAny, context: ChannelHandlerContext) {
        passedOnSinceReadEnd = true
        context.fireChannelRead(data)
    }

    /// The end of a read from the socket goes on only when something read went on: the handlers
    /// behind have nothing to do otherwise (NIO's async channel handler delivered what it held
    /// at the last one), and going through them for every request answered here cost 2% of a
    /// static page in perf.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard passedOnSinceReadEnd else { return }
        passedOnSinceReadEnd = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The end of a response Hummingbird wrote: for a request passed on, or for an error
        // it answered itself (a head too large), which was never passed on.
        if case .end = unwrapOutboundIn(data) {
            passedOn = max(0, passedOn - 1)
            lastActivity = .now()
        }
        context.write(data, promise: promise)
    }

    /// Writes the answer as HTTP/1.1 bytes straight below NIO's response encoder: the head
    /// serialized here from fields HTTPTypes has already validated, then the body, in one
    /// flush. Converting each response to NIO's HTTP/1 types and encoding them again cost
    /// more than all the rest of a request (measured with perf).
    private func write(_ answer: ServerResponse, method: HTTPRequest.Method, context: ChannelHandlerContext) {
        var body: ByteBuffer?
        switch answer.body {
        case .bytes(let buffer): body = buffer
        case .none: body = nil
        case .events: return
        }
        guard let wire = encoderContext else { return }
        if let cached = answer.wireHead, !closeAfterDrain, method != .head, let body {
            wire.write(NIOAny(IOData.byteBuffer(cached)), promise: nil)
            wire.write(NIOAny(IOData.byteBuffer(HTTPDateCache.shared.line)), promise: nil)
            wire.writeAndFlush(NIOAny(IOData.byteBuffer(body)), promise: nil)
            return
        }
        var head = Self.serializedHead(
            answer.status, answer.headers,
            contentLength: answer.status == .notModified ? nil : (body?.readableBytes ?? 0))
        if closeAfterDrain { head.writeStaticString("Connection: close\r\n") }
        head.writeImmutableBuffer(HTTPDateCache.shared.line)
        if let body, method != .head {
            wire.write(NIOAny(IOData.byteBuffer(head)), promise: nil)
            wire.writeAndFlush(NIOAny(IOData.byteBuffer(body)), promise: nil)
        } else {
            wire.writeAndFlush(NIOAny(IOData.byteBuffer(head)), promise: nil)
        }
    }

    /// The status line and the fields, and Content-Length (unless the fields have one, or
    /// `contentLength` is nil), each line ending in CRLF; the Date line and the blank line
    /// that ends a head come after.
    static func serializedHead(_ status: HTTPResponse.Status, _ fields: HTTPFields, contentLength: Int?) -> ByteBuffer {
        var head = ByteBuffer()
        head.reserveCapacity(640)
        head.writeString(statusLine(status))
        var hasLength = false
        for field in fields {
            if field.name == .contentLength { hasLength = true }
            head.writeString(field.name.rawName)
            head.writeStaticString(": ")
            head.writeString(field.value)
            head.writeStaticString("\r\n")
        }
        if !hasLength, let contentLength {
            head.writeStaticString("Content-Length: ")
            head.writeString(String(contentLength))
            head.writeStaticString("\r\n")
        }
        return head
    }

    /// `HTTP/1.1 200 OK\r\n` and the like.
    static func statusLine(_ status: HTTPResponse.Status) -> String {
        "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
    }

    private func scheduleIdleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loop = context.eventLoop
        idleCheck = loop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            let now = NIODeadline.now()
            let due = draining ? drainDeadline : lastActivity + idleTimeout
            // A response in progress (the event stream) is not idle; a body still arriving has its deadline.
            if passedOn == 0, now >= due {
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context, at: max(due, now + .milliseconds(100)))
            }
        }
    }
}

extension DirectResponder {
    /// What answering needs of a request head, read from NIO's head as HTTPTypes' conversion
    /// would read it (method, path), without converting every header.
    struct Request {
        var method: HTTPRequest.Method
        /// The path and query (origin form), as `HTTPRequest.path`.
        var target: String
        var headers: RequestHeaders

        /// Nil when HTTPTypes would refuse the head (a method it does not take): passed on,
        /// the conversion refuses it as before.
        init?(_ head: HTTPRequestHead) {
            switch head.method {
            case .GET: method = .get
            case .HEAD: method = .head
            default:
                guard let method = try? HTTPRequest.Method(head.method) else { return nil }
                self.method = method
            }
            if head.uri.utf8.first == UInt8(ascii: "/") {
                target = head.uri
            } else {
                // Absolute form (`GET http://host/path`) and the rest: HTTPTypes' own reading.
                guard let request = try? HTTPRequest(head, secure: false, splitCookie: false) else { return nil }
                target = request.path ?? "/"
            }
            headers = RequestHeaders(head.headers)
        }
    }

    /// Hummingbird adds its `additionalChannelHandlers` after its conversion to HTTPTypes;
    /// this one puts its `DirectResponder` right after NIO's decoder instead, and leaves.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never
        private let responder: DirectResponder

        init(_ responder: DirectResponder) { self.responder = responder }

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            do {
                let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try pipeline.addHandler(responder, position: .after(decoder.handler))
            } catch {
                // Not the pipeline this was written for: close rather than answer nothing.
                context.close(promise: nil)
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }
}

/// The Date header, made once a second: `Date: ...\r\n\r\n`, the end of a response head.
final class HTTPDateCache: Sendable {
    static let shared = HTTPDateCache()
    private let current = Locked<(second: Int, line: ByteBuffer)>((0, ByteBuffer()))

    var line: ByteBuffer {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        let second = now.tv_sec
        return current.withLock { cached in
            if cached.second != second {
                cached = (second, ByteBuffer(string: "Date: \(HTTPDate.format(second))\r\n\r\n"))
            }
            return cached.line
        }
    }
}
