import FormularyModel
import Dispatch
import FormularySite
import FormularyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// `formulary serve`: builds the site, serves it with its JSON API, and (when watching)
/// rebuilds on every change and tells open pages to reload.
public struct ServeOptions: Sendable {
    public var request: SiteBuilder.Request
    public var host = "127.0.0.1"
    public var port = 8080
    /// Watch content, templates and static files; rebuild and reload pages on change.
    public var watch = true
    public var logLevel = "info"
    public var logFormat = "text"
    /// Seconds a connection may stay idle, or take to send its request head, before it is closed.
    public var idleTimeout = 30
    /// Take suggested edits and reviews, kept in `database` (a SQLite file or a postgres:// URL).
    public var database: String?

    public init(request: SiteBuilder.Request) {
        self.request = request
    }

    public static let logLevels = Logger.Level.allCases.map(\.rawValue)
    public static let logFormats = LineLogHandler.Format.allCases.map(\.rawValue)
}

public enum Serve {
    public enum Failure: Error, CustomStringConvertible {
        case build(String)
        case content(String)
        case watch(String)
        /// The address or port cannot be listened on.
        case listen(String)

        public var description: String {
            switch self {
            case .build(let message), .content(let message), .watch(let message), .listen(let message): return message
            }
        }
    }

    /// `run` from a program's main thread, which it blocks until the server stops. Swift
    /// concurrency's tasks then run on SwiftNIO's event loop threads, so a request is answered
    /// on the thread that read it instead of hopping to another pool and back.
    public static func runBlocking(_ options: ServeOptions, progress: SiteBuilder.Progress?) throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let outcome = Locked<Result<Void, any Error>>(.success(()))
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await run(options, progress: progress)
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }.get()
    }

    /// Builds, then serves until SIGINT or SIGTERM; requests in flight are answered first.
    public static func run(_ options: ServeOptions, progress: SiteBuilder.Progress?) async throws {
        Malloc.limitArenas()
        let format = LineLogHandler.Format(rawValue: options.logFormat) ?? .text
        let level = Logger.Level(rawValue: options.logLevel) ?? .info
        LoggingSystem.bootstrap { LineLogHandler(label: $0, format: format, level: level) }
        let logger = Logger(label: "formulary")

        try await Listening.check(host: options.host, port: options.port)
        let contributions = try await openContributions(options, logger: logger)
        let session = try await SiteSession.start(
            options, progress: progress, logger: logger, contributions: contributions)
        let server = session.server
        let requestLog = RequestLog(logger: logger)
        // Hummingbird's router answers what DirectResponder passes on: the live reload event
        // stream, and the contribution pages and API, which wait on the database.
        let router = Router(context: ContributionContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: requestLog)
        router.add(middleware: SiteFallback(server: server))
        router.get("/_formulary/events") { request, _ in
            Self.response(
                server.respond(
                    method: request.method, target: request.head.path ?? "/", headers: RequestHeaders(request.headers)))
        }
        server.contributions?.addRoutes(to: router, largestBody: server.options.largestBody)
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 64 * 1024, maxHeaderFieldCount: 100)
        let application = Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        DirectResponder.Installer(
                            DirectResponder(
                                server: server, requestLog: requestLog,
                                idleTimeout: .seconds(Int64(options.idleTimeout))))
                    ],
                    // DirectResponder keeps the idle timeout: Hummingbird's never sees the requests it answers.
                    idleTimeout: nil, httpDecoderConfiguration: decoder)),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port)),
            services: [session] + (session.follower.map { [$0] } ?? []),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                logger.notice(
                    "serving \(server.api.content.pages.count) pages at http://\(options.host):\(port)/ (stop with Ctrl-C)",
                    metadata: ["watching": "\(options.watch)"])
            },
            logger: logger
        )
        do {
            try await application.runService()
        } catch let error as IOError where Listening.bindErrors.contains(error.errnoCode) {
            // The port was taken between the check and now.
            throw Listening.failure(error, host: options.host, port: options.port)
        }
        logger.notice("stopped")
    }

    /// Opens the store and brings it up to date with the content folder (so a file edited
    /// while the server was down becomes a revision, and a file an interrupted approval did
    /// not reach is written again).
    static func openContributions(_ options: ServeOptions, logger: Logger) async throws -> ContributionSetup? {
        guard let database = options.database else { return nil }
        let configuration = options.request.configuration
        let store: any ContributionStore
        do {
            store = try await openContributionStore(database, serving: true)
        } catch {
            throw Failure.content("cannot open the contribution store: \(error)")
        }
        // Several servers on one store: the store wins for the pages it holds, and a file
        // edited by hand on this machine is kept as a suggestion rather than made a revision.
        let contributions = Contributions(
            store: store, contentFolder: options.request.contentFolder,
            policy: ReviewPolicy(qualifications: configuration.contributions.qualifications),
            handEdits: store is any SharedStore ? .suggestions : .revisions)
        let started = ContinuousClock.now
        // With a shared store, where the feed stands before the import: changes other servers
        // make during it are read again after it (reading one twice changes nothing).
        var feed: (store: any SharedStore, position: Int)?
        if let shared = store as? any SharedStore {
            feed = (shared, try await shared.latestChange())
        }
        let report = try await contributions.importContent()
        for id in report.restored { logger.warning("restored \(id): its file held an older revision than the store") }
        for kept in report.kept {
            logger.warning("kept the hand edit of \(kept) for review: the store's text is served (shared store)")
        }
        for path in report.leftovers {
            logger.notice("removed \(path): the temporary file of a write that never finished")
        }
        logger.notice(
            "contributions: \(report.added.count) pages added to the store, \(report.changed.count) changed on disk, \(report.unchanged) unchanged (\(SiteSession.milliseconds(since: started)) ms)"
        )
        if try await store.users().isEmpty {
            logger.warning("nobody can review yet: add a reviewer with `formulary user add NAME --role reviewer`")
        }
        return ContributionSetup(contributions: contributions, settings: configuration.contributions, feed: feed)
    }

    /// The Hummingbird response for an answer.
    static func response(_ answer: ServerResponse) -> Response {
        switch answer.body {
        case .bytes(let buffer):
            return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: buffer))
        case .none:
            return Response(status: answer.status, headers: answer.headers)
        case .events(let stream):
            return Response(
                status: answer.status, headers: answer.headers,
                body: ResponseBody { writer in
                    // Ends on graceful shutdown too, so that open pages do not hold the server up.
                    for await text in stream.cancelOnGracefulShutdown() {
                        try await writer.write(ByteBuffer(string: text))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

/// Runs blocking work (a build, a parse of every page) off the concurrency pool's threads.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// The store and settings of a site that takes suggested edits.
struct ContributionSetup: Sendable {
    var contributions: Contributions
    var settings: SiteConfiguration.ContributionSettings
    /// A store other servers share, and the last change of its feed the content folder holds.
    var feed: (store: any SharedStore, position: Int)?
}
