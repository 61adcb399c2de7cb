import FormularyAsync
import FormularyModel
import FormularyStore
import Logging
import ServiceLifecycle

/// Where a server stands against the shared store it follows, for `/healthz`.
struct FollowerStatus: Sendable, Equatable {
    /// The last change of the store's feed this server's content folder holds.
    var applied: Int
    /// The latest change the store had when last asked.
    var latest: Int
    /// Whether the store answered the last time it was asked.
    var reachable = true
    /// The store's last answer, when there has been one.
    var lastContact: ContinuousClock.Instant?

    /// Changes the store has that this server does not serve yet.
    var behind: Int { max(0, latest - applied) }

    /// Past this many changes behind, or this long without an answer, the server says it is degraded.
    static let behindLimit = 100
    static let silenceLimit: Duration = .seconds(10)

    /// Why the server is degraded, or nil when it is not.
    func problem(now: ContinuousClock.Instant = .now) -> String? {
        if !reachable { return "the store cannot be reached; serving the site as it was" }
        if behind > Self.behindLimit { return "\(behind) changes behind the store" }
        if let lastContact, now - lastContact > Self.silenceLimit { return "no answer from the store for a while" }
        return nil
    }
}

/// Follows a shared store's change feed: every change another server accepted is written into
/// this server's content folder and rebuilt into its site, records and search index, as an
/// edit on disk is. Announcements (PostgreSQL's `LISTEN`) make it prompt; reading the feed
/// from the last change applied makes it complete: a missed announcement, the listener's
/// connection down, or the database away for a while only delay it, and the first read after
/// they end catches up.
final class StoreFollower: Service, Sendable {
    private let store: any SharedStore
    private let contributions: Contributions
    /// Shared with the site server, which reports it at `/healthz`.
    let status: Locked<FollowerStatus>
    private let logger: Logger
    /// Called after files were written: rebuild the site.
    private let changed: @Sendable () -> Void
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// How often the feed is read when nothing is announced.
    static let pollInterval: Duration = .seconds(1)
    /// Changes read at a time.
    static let batch = 500
    /// How long a read of the feed may take before the store counts as unreachable (the
    /// connection pool would otherwise wait for a connection as long as the database is away).
    static let readDeadline: Duration = .seconds(3)

    /// `position` is the last change the content folder is known to hold (read before the
    /// import that brought the folder up to date).
    init(
        store: any SharedStore, contributions: Contributions, position: Int, status: Locked<FollowerStatus>,
        logger: Logger, changed: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.contributions = contributions
        self.status = status
        self.logger = logger
        self.changed = changed
        status.withLock { $0 = FollowerStatus(applied: position, latest: position, lastContact: .now) }
        // One pending wake-up is enough: a read takes every change there is.
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listen() }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.pollInterval)
                        self.wake.yield()
                    }
                }
                group.addTask {
                    self.wake.yield()
                    for await _ in self.wakes {
                        if Task.isCancelled { break }
                        await self.catchUp()
                    }
                }
            }
        }
    }

    /// Listens for announcements until cancelled, reconnecting after failures (the feed's
    /// polling covers the gaps).
    private func listen() async {
        var failures = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await store.listenForChanges { [wake] in wake.yield() }
                return
            } catch {
                // A listener that ran a while before it failed starts a new streak (and a new log line).
                if ContinuousClock.now - started > .seconds(30) { failures = 0 }
                failures += 1
                if failures == 1 {
                    logger.warning("listening for the store's changes: \(error); reading them every second")
                }
                try? await Task.sleep(for: .seconds(min(10, failures)))
            }
        }
    }

    /// Reads the feed from the last change applied, brings the pages it names up to their
    /// current revision, and asks for a rebuild when a file was written or a page signed off.
    func catchUp() async {
        var applied = status.withLock { $0.applied }
        var written = 0
        do {
            let store = self.store
            let latest = try await withDeadline(Self.readDeadline) { try await store.latestChange() }
            status.withLock { $0.latest = max($0.latest, latest) }
            while applied < latest {
                let changes = try await withDeadline(Self.readDeadline) { [applied] in
                    try await store.changes(after: applied, limit: Self.batch)
                }
                guard let last = changes.last else { break }
                // A page changed several times in a batch is brought to its current revision once.
                var seen: Set<String> = []
                // A sign-off changes no file, only what the page shows.
                written += changes.filter { $0.kind == .signOff }.count
                for change in changes where change.kind == .revision && seen.insert(change.monographID).inserted {
                    switch try await contributions.follow(change.monographID) {
                    case .unchanged: break
                    case .written: written += 1
                    case .keptHandEdit(let suggestion):
                        written += 1
                        logger.warning(
                            "\(change.monographID) was edited on disk here while it changed on another server: the edit is kept as suggestion #\(suggestion)"
                        )
                    }
                }
                applied = last.sequence
                status.withLock { $0.applied = applied }
            }
            let wasReachable = status.withLock { status in
                defer {
                    status.reachable = true
                    status.lastContact = .now
                }
                return status.reachable
            }
            if !wasReachable { logger.notice("the store answers again; caught up to change \(applied)") }
        } catch {
            let wasReachable = status.withLock { status in
                defer { status.reachable = false }
                return status.reachable
            }
            if wasReachable {
                logger.error("cannot read the store's changes: \(error); serving the site as it is until it answers")
            }
        }
        if written > 0 {
            logger.info("\(written) page(s) changed on other servers", metadata: ["change": "\(applied)"])
            changed()
        }
    }
}
