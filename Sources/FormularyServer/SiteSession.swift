import Dispatch
import FormularyCheck
import FormularyModel
import FormularyParsing
import FormularyReview
import FormularySite
import FormularyStore
import Foundation
import Logging
import ServiceLifecycle

/// The served site over time: the first build, then a rebuild after each burst of changes,
/// one at a time, each followed by a reload message to open pages.
final class SiteSession: Service, Sendable {
    let server: SiteServer
    let options: ServeOptions
    private let logger: Logger
    private let watcher: FolderWatcher?
    /// With a shared store, what brings the other servers' changes here.
    let follower: StoreFollower?
    /// Whether a rebuild is running, and whether changes arrived meanwhile.
    private let rebuilding = Locked<(running: Bool, again: Bool)>((false, false))
    private let queue = DispatchQueue(label: "formulary-rebuild")
    /// With a store: its sign-offs and page dates, read again before each rebuild.
    private let store: (any ContributionStore)?
    /// The ledger the last build used (kept when the store cannot be read).
    private let ledger: Locked<ReviewLedger>

    private init(
        server: SiteServer, options: ServeOptions, watcher: FolderWatcher?, follower: StoreFollower?,
        store: (any ContributionStore)?, ledger: ReviewLedger, logger: Logger
    ) {
        self.server = server
        self.options = options
        self.watcher = watcher
        self.follower = follower
        self.store = store
        self.ledger = Locked(ledger)
        self.logger = logger
    }

    static func start(
        _ options: ServeOptions, progress: SiteBuilder.Progress?, logger: Logger,
        contributions setup: ContributionSetup? = nil
    ) async throws -> SiteSession {
        var request = options.request
        if let store = setup?.contributions.store {
            do {
                request.reviews = try await store.reviewLedger()
            } catch {
                throw Serve.Failure.content("cannot read the store's sign-offs: \(error)")
            }
        }
        let started = ContinuousClock.now
        let outcome = await onThread { [request] in
            Result { () throws(SiteBuilder.Failure) in try SiteBuilder(request).build(progress: progress) }
        }
        var status = LiveReload.Status()
        switch outcome {
        case .success(let report):
            logger.notice(
                "built \(report.pages) pages into \(request.outputFolder) in \(Self.milliseconds(since: started)) ms",
                metadata: ["rendered": "\(report.rendered)", "incremental": "\(report.incremental)"])
            status.problems = Self.problems(report)
            for problem in status.problems.prefix(20) { logger.warning("\(problem)") }
        case .failure(let failure):
            // Watching, the server starts anyway: the last good output (if any) is served and
            // the error is shown on every page until the next save fixes it.
            guard options.watch else { throw Serve.Failure.build(failure.description) }
            logger.error("\(failure.description)")
            status.buildError = failure.description
        }
        let content: SiteContent
        do {
            content = try await onThread { [request] in
                try SiteContent.load(
                    contentFolder: request.contentFolder, includeDrafts: request.includeDrafts,
                    reference: request.reference,
                    dates: PageDates.of(contentFolder: request.contentFolder, ledger: request.reviews),
                    mainLanguage: request.configuration.language, languages: request.configuration.languages)
            }
        } catch {
            throw Serve.Failure.content("cannot read \(request.contentFolder): \(error)")
        }
        // A change accepted from a page is rebuilt into the site before its response goes out;
        // changes through the API are published shortly after (publishSoon).
        let later = Locked<SiteSession?>(nil)
        // With a store, readers' page views and searches that found nothing are counted.
        let counts = setup == nil ? nil : ReaderCounts()
        let following = setup?.feed.map { Locked(FollowerStatus(applied: $0.position, latest: $0.position)) }
        let templates: WorkflowTemplates?
        do throws(SiteBuilder.Failure) {
            templates = setup == nil ? nil : try Self.workflowTemplates(request)
        } catch {
            throw Serve.Failure.build(error.description)
        }
        let contributionServer = setup.map { setup in
            ContributionServer(
                contributions: setup.contributions, accounts: Accounts(store: setup.contributions.store),
                settings: setup.settings, templates: templates!, following: following,
                coverage: { ledger in later.withLock({ $0 })?.server.api.content.coverage(ledger) ?? Coverage() },
                counts: counts,
                worklist: { [highRisk = request.configuration.highRisk] ledger, reports, views, filter in
                    let content = later.withLock({ $0 })?.server.api.content ?? SiteContent(pages: [], skipped: [])
                    let checker = Checker(rules: RuleCatalog.all.filter { Worklist.ruleWeights[$0.name] != nil })
                        .pageChecker()
                    let inputs = Worklist.Inputs(
                        ledger: ledger, reports: reports, views: views, highRisk: highRisk,
                        check: { page in checker(page).filter { $0.severity != .note }.map { ($0.rule, $0.message) } })
                    return Worklist.of(content: content, inputs: inputs, filter: filter)
                },
                changed: { wait in
                    guard let session = later.withLock({ $0 }) else { return }
                    if wait { await session.rebuildNow() } else { session.publishSoon() }
                })
        }
        let server = SiteServer(
            outputFolder: request.outputFolder, content: content, options: .init(liveReload: options.watch),
            contributions: contributionServer, counts: counts)
        server.liveReload?.publish(status, changed: false)
        var watcher: FolderWatcher?
        if options.watch {
            // Folders that do not exist yet are watched for from their parent.
            let folders = [request.contentFolder, request.templatesFolder, request.staticFolder].compactMap { $0 }
            do throws(FolderWatcher.Failure) {
                watcher = try FolderWatcher(folders: folders)
            } catch {
                throw Serve.Failure.watch(error.description)
            }
        }
        var follower: StoreFollower?
        if let setup, let feed = setup.feed, let following {
            follower = StoreFollower(
                store: feed.store, contributions: setup.contributions, position: feed.position, status: following,
                logger: logger, changed: { later.withLock({ $0 })?.changed() })
        }
        let session = SiteSession(
            server: server, options: options, watcher: watcher, follower: follower,
            store: setup?.contributions.store, ledger: request.reviews, logger: logger)
        later.withLock { $0 = session }
        watcher?.start { [weak session] in session?.changed() }
        return session
    }

    /// Keeps open pages' event streams alive until shutdown, then stops watching; adds the
    /// readers' counts to the store every minute, and once more at the end.
    func run() async throws {
        await withGracefulShutdownHandler {
            // Cancelled (ending the sleep) the moment shutdown starts.
            try? await cancelWhenGracefulShutdown {
                var ticks = 0
                while true {
                    try await Task.sleep(for: .seconds(15))
                    self.server.liveReload?.ping()
                    ticks += 1
                    if ticks % 4 == 0 { await self.storeCounts() }
                }
            }
        } onGracefulShutdown: {
            self.watcher?.stop()
            self.server.liveReload?.close()
        }
        watcher?.stop()
        await storeCounts()
    }

    /// Adds the page views and searches that found nothing counted since the last time to the
    /// store's counts for today; kept for the next try when the store does not answer.
    func storeCounts() async {
        guard let counts = server.counts, let store else { return }
        let taken = counts.take()
        guard !taken.views.isEmpty || !taken.misses.isEmpty else { return }
        do {
            try await store.addCounts(day: Clock.day(), views: taken.views, misses: taken.misses)
        } catch {
            counts.putBack(taken)
            logger.warning("cannot store the readers' counts: \(error); trying again in a minute")
        }
    }

    /// Called by the watcher after a burst of changes.
    func changed() {
        let start = rebuilding.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        queue.async { self.rebuildUntilQuiet() }
    }

    private func rebuildUntilQuiet() {
        repeat {
            rebuild()
        } while rebuilding.withLock { state -> Bool in
            if state.again {
                state.again = false
                return true
            }
            state.running = false
            return false
        }
    }

    /// Whether a rebuild for accepted changes is already due.
    private let publishDue = Locked<Bool>(false)
    /// How long the last rebuild took, in milliseconds.
    private let lastRebuild = Locked<Int>(0)

    /// A rebuild soon, for changes accepted through the API: half a second from now, or twice
    /// the last rebuild's time when that is longer. Changes coming meanwhile share it, so a
    /// stream of approvals keeps rebuilding to a third of the time and answers stay quick.
    func publishSoon() {
        let schedule = publishDue.withLock { due -> Bool in
            if due { return false }
            due = true
            return true
        }
        guard schedule else { return }
        let delay = max(500, 2 * lastRebuild.withLock { $0 })
        queue.asyncAfter(deadline: .now() + .milliseconds(delay)) {
            self.publishDue.withLock { $0 = false }
            self.changed()
        }
    }

    /// Rebuilds now (after the rebuild in progress, if any) and returns when it is served.
    func rebuildNow() async {
        await withCheckedContinuation { continuation in
            queue.async {
                self.rebuild()
                continuation.resume()
            }
        }
    }

    /// One incremental build, then the files and records it changed, then word to open pages.
    /// Only ever on `queue`, one at a time: two at once would each publish the status they read
    /// before the other's (the generation could go back).
    private func rebuild() {
        let started = ContinuousClock.now
        defer { lastRebuild.withLock { $0 = Self.milliseconds(since: started) } }
        var status = server.liveReload?.status ?? LiveReload.Status()
        let timings = PhaseTimings(label: "rebuild: ")
        var request = options.request
        request.reviews = currentLedger()
        timings.mark("store's sign-offs")
        do throws(SiteBuilder.Failure) {
            let report = try SiteBuilder(request).build(progress: nil)
            timings.mark("site build")
            let changed = report.changedFiles.map { server.files.refresh(paths: $0) } ?? server.files.refresh()
            timings.mark("served files")
            status.buildError = nil
            status.problems = Self.problems(report)
            if !changed.isEmpty { status.generation += 1 }
            logger.notice(
                "rebuilt \(report.rendered) of \(report.pages) pages in \(Self.milliseconds(since: started)) ms",
                metadata: ["files": "\(changed.count)"])
            for problem in status.problems.prefix(20) { logger.warning("\(problem)") }
            server.liveReload?.publish(status, changed: !changed.isEmpty)
            // Watching, a template or a word of the review pages may have changed too.
            if options.watch, let contributions = server.contributions {
                contributions.replaceTemplates(try Self.workflowTemplates(request))
            }
        } catch {
            logger.error("\(error.description)")
            status.buildError = error.description
            server.liveReload?.publish(status, changed: false)
            return
        }
        do {
            let dates = PageDates.of(contentFolder: options.request.contentFolder, ledger: request.reviews)
            timings.mark("page dates")
            let content = try SiteContent.load(
                contentFolder: options.request.contentFolder, includeDrafts: options.request.includeDrafts,
                reference: options.request.reference,
                dates: dates, mainLanguage: options.request.configuration.language,
                languages: options.request.configuration.languages, reusing: server.api.content)
            server.replaceContent(content)
            timings.mark("records and search index")
            Malloc.returnFreedMemory()
            timings.mark("freed memory returned")
        } catch {
            logger.error("cannot read \(options.request.contentFolder): \(error)")
        }
    }

    /// The review pages' templates and words for the site `request` builds.
    static func workflowTemplates(_ request: SiteBuilder.Request) throws(SiteBuilder.Failure) -> WorkflowTemplates {
        try WorkflowTemplates(request: request, styleURL: request.configuration.basePath + "assets/style.css")
    }

    /// The store's sign-offs and dates as they are now; the last ones read when the store does
    /// not answer (the site is then built as it was shown).
    private func currentLedger() -> ReviewLedger {
        guard let store else { return .empty }
        let outcome = Locked<Result<ReviewLedger, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<ReviewLedger, any Error>
            do {
                result = .success(try await store.reviewLedger())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        // On the rebuild queue, never on one of the tasks' threads: waiting here blocks no task.
        done.wait()
        switch outcome.withLock({ $0 })! {
        case .success(let fresh):
            ledger.withLock { $0 = fresh }
            return fresh
        case .failure(let error):
            logger.warning("cannot read the store's sign-offs: \(error); the pages show the last ones read")
            return ledger.withLock { $0 }
        }
    }

    /// Skipped files worth showing: warnings and errors, not the notes about READMEs.
    static func problems(_ report: SiteBuilder.Report) -> [String] {
        report.skipped.map(\.reason).filter { $0.contains(": error: ") || $0.contains(": warning: ") }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
