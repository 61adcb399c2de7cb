import FormularyCheck
import FormularyModel
import FormularyParsing
import Foundation
import Synchronization

/// A run's totals and whether it must stop, shared by its tasks.
private final class RunState: Sendable {
    let state: Locked<(report: Generator.Report, progress: Generator.Progress)>
    let stop = Locked<String?>(nil)

    init(_ progress: Generator.Progress) { state = Locked((Generator.Report(), progress)) }
}

/// Drafts monographs: for each name, asks the model, checks the answer, sends it back with
/// the problems found until it passes or the attempts run out, and writes only pages that
/// passed (unless told otherwise). Everything is journaled as it happens.
public struct Generator: Sendable {
    public struct Options: Sendable {
        public var model: String
        public var contentFolder: String
        /// The collection folder new pages go in.
        public var collection = "composition"
        /// Answers checked per name before giving up (each after the first carries feedback).
        public var maxAttempts = 3
        /// Requests at once.
        public var concurrency = 4
        public var stream = false
        public var maxTokens = 4000
        public var temperature: Double? = 0.3
        /// Write pages that never passed, marked `status: invalid`.
        public var allowInvalid = false
        /// Try names the journal records as failed again.
        public var retryFailed = false
        public var retry = RetryPolicy()
        /// Dollars per million tokens, for the cost estimate.
        public var inputPrice: Double?
        public var outputPrice: Double?
        /// Where pages that pass go: files in the content folder, or the review queue.
        public var destination: Destination = .files

        public init(model: String, contentFolder: String) {
            self.model = model
            self.contentFolder = contentFolder
        }

        /// Dollars for these tokens, when both prices are known.
        public func cost(prompt: Int, completion: Int) -> Double? {
            guard let input = inputPrice, let output = outputPrice else { return nil }
            return (Double(prompt) * input + Double(completion) * output) / 1_000_000
        }
    }

    /// How long to wait before asking again after a transient failure.
    public struct RetryPolicy: Sendable {
        /// Transient failures tolerated for one attempt before it fails.
        public var maxRetries = 5
        public var baseDelay: Duration = .seconds(1)
        public var maxDelay: Duration = .seconds(60)

        public init(maxRetries: Int = 5, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60)) {
            self.maxRetries = maxRetries
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }

        /// The server's Retry-After when it gave one (up to `maxDelay`), otherwise exponential
        /// backoff from `baseDelay` with jitter (half to the whole of the step).
        public func delay(afterFailure number: Int, retryAfter: Duration?) -> Duration {
            if let retryAfter { return min(retryAfter, maxDelay) }
            let step = baseDelay * (1 << min(number - 1, 20))
            let capped = min(step, maxDelay)
            return capped * Double.random(in: 0.5...1.0)
        }
    }

    public enum Destination: Sendable {
        case files
        /// Each page becomes a suggestion of a new page (the task, its path relative to the
        /// content folder, its text), for a person to approve; the closure gives the suggestion's number.
        case reviewQueue(@Sendable (_ task: DraftTask, _ path: String, _ text: String) async throws -> Int)
    }

    /// What happened to one name.
    public enum Outcome: Sendable, Equatable {
        case written(path: String, attempts: Int)
        /// Put in the review queue as suggestion `number`.
        case suggested(number: Int, attempts: Int)
        /// Written although no attempt passed (`allowInvalid`).
        case writtenInvalid(path: String, reason: String)
        case failed(reason: String)
        /// Skipped before asking: a duplicate, a page that exists, done in an earlier run.
        case skipped(reason: String)
    }

    public struct Report: Sendable {
        public var outcomes: [(task: DraftTask, outcome: Outcome)] = []
        public var promptTokens = 0
        public var completionTokens = 0
        /// Set when the run stopped early because the endpoint refused (wrong key or model).
        public var stoppedBy: String?
    }

    /// Running totals, for a progress line.
    public struct Progress: Sendable {
        public var done = 0
        public var failed = 0
        public var skipped = 0
        public var remaining = 0
        public var promptTokens = 0
        public var completionTokens = 0
        public var cost: Double?
        public var elapsed: Duration = .zero
    }

    public let options: Options
    public let service: any ChatService
    public let prompt: DraftPrompt
    public let journal: GenerationJournal
    public let endpointHost: String
    private let validator = DraftValidator()

    public init(
        options: Options, service: any ChatService, prompt: DraftPrompt, journal: GenerationJournal,
        endpointHost: String
    ) {
        self.options = options
        self.service = service
        self.prompt = prompt
        self.journal = journal
        self.endpointHost = endpointHost
    }

    /// Names to draft and names skipped (repeated in the input, or already a page in the
    /// content folder under this or another accepted name), with the reason.
    public static func plan(_ names: [GenerationName], existing pages: [Monograph]) -> (
        todo: [GenerationName], skipped: [(GenerationName, String)]
    ) {
        var pageByKey: [String: Monograph] = [:]
        var pageBySlug: [String: Monograph] = [:]
        for page in pages {
            pageByKey[GenerationName.key(page.ingredients)] = pageByKey[GenerationName.key(page.ingredients)] ?? page
            pageBySlug[page.slug] = pageBySlug[page.slug] ?? page
        }
        var todo: [GenerationName] = []
        var skipped: [(GenerationName, String)] = []
        var firstByKey: [String: GenerationName] = [:]
        for name in names {
            if let page = pageByKey[name.key] ?? pageBySlug[name.slug] {
                let same = page.title.lowercased() == name.title.lowercased()
                skipped.append(
                    (
                        name,
                        "already has a page: \(page.id) (\(page.title)\(same ? "" : ", the same medicine under another name"))"
                    ))
            } else if let first = firstByKey[name.key] {
                skipped.append((name, "repeats '\(first.input)' earlier in the list"))
            } else {
                firstByKey[name.key] = name
                todo.append(name)
            }
        }
        return (todo, skipped)
    }

    /// The new pages to draft for `lines` (one medicine a line), and the lines skipped with the
    /// reason: not a name (`title` nil), repeated in the list, or already a page in the content
    /// folder under this or another accepted name.
    public func newPageTasks(for lines: [String]) -> (tasks: [DraftTask], skipped: [(title: String?, reason: String)]) {
        var names: [GenerationName] = []
        var skipped: [(title: String?, reason: String)] = []
        for line in lines {
            do throws(GenerationName.Problem) {
                names.append(try GenerationName.parse(line))
            } catch {
                skipped.append((nil, error.description))
            }
        }
        let folder = options.contentFolder
        let files =
            FileManager.default.fileExists(atPath: folder) ? (try? ContentLoader.markdownFiles(in: [folder])) : nil
        let existing = ContentLoader().load(files ?? []).compactMap { try? $0.get().monograph }
        let plan = Self.plan(names, existing: existing)
        skipped += plan.skipped.map { ($0.0.title, $0.1) }
        return (plan.todo.map(task(for:)), skipped)
    }

    /// Drafts a page for every name, `concurrency` at a time. `progress` is called after each.
    public func run(_ names: [GenerationName], progress: (@Sendable (Progress) -> Void)? = nil) async -> Report {
        await run(tasks: names.map(task(for:)), progress: progress)
    }

    /// The task of drafting a new page for `name`: the prompt's messages, the page made of an
    /// answer (our front matter, the answer's Markdown) and what blocks publishing it.
    public func task(for name: GenerationName) -> DraftTask {
        let validator = self.validator
        let path = pagePath(name)
        let provenance = self.provenance
        return DraftTask(
            key: name.slug, title: name.title, path: path, relativePath: options.collection + "/" + name.slug + ".md",
            address: options.collection + "/" + name.slug, messages: prompt.messages(for: name),
            draft: { answer in
                let page = validator.page(for: name, answer: answer, provenance: provenance())
                return (page, validator.problems(in: page, for: name, path: path))
            },
            invalid: { answer in validator.page(for: name, answer: answer, provenance: provenance(), invalid: true) })
    }

    /// Does every task, `concurrency` at a time. `progress` is called after each.
    public func run(tasks: [DraftTask], progress: (@Sendable (Progress) -> Void)? = nil) async -> Report {
        let names = tasks
        let started = ContinuousClock.now
        let run = RunState(Progress(remaining: names.count))
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func startNext() {
                guard next < names.count else { return }
                let name = names[next]
                next += 1
                group.addTask {
                    let outcome: Outcome
                    var usage = ChatCompletions.Usage(promptTokens: 0, completionTokens: 0)
                    if let reason = run.stop.withLock({ $0 }) {
                        outcome = .skipped(reason: "not tried: the run stopped (\(reason))")
                    } else {
                        do throws(ChatFailure) {
                            outcome = try await draft(name, usage: &usage)
                        } catch {
                            run.stop.withLock { $0 = $0 ?? error.description }
                            outcome = .failed(reason: error.description)
                        }
                    }
                    let snapshot = run.state.withLock { state -> Progress in
                        state.report.outcomes.append((name, outcome))
                        state.report.promptTokens += usage.promptTokens
                        state.report.completionTokens += usage.completionTokens
                        state.progress.remaining -= 1
                        switch outcome {
                        case .written, .writtenInvalid, .suggested: state.progress.done += 1
                        case .failed: state.progress.failed += 1
                        case .skipped: state.progress.skipped += 1
                        }
                        state.progress.promptTokens = state.report.promptTokens
                        state.progress.completionTokens = state.report.completionTokens
                        state.progress.cost = cost(
                            prompt: state.report.promptTokens, completion: state.report.completionTokens)
                        state.progress.elapsed = ContinuousClock.now - started
                        return state.progress
                    }
                    progress?(snapshot)
                }
            }
            for _ in 0..<max(1, options.concurrency) { startNext() }
            for await _ in group { startNext() }
        }
        var report = run.state.withLock { $0.report }
        report.stoppedBy = run.stop.withLock { $0 }
        // In input order, whatever order they finished in.
        let order = Dictionary(names.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        report.outcomes.sort { (order[$0.task.key] ?? 0) < (order[$1.task.key] ?? 0) }
        return report
    }

    /// The estimated cost in dollars, when prices are known.
    public func cost(prompt: Int, completion: Int) -> Double? { options.cost(prompt: prompt, completion: completion) }

    /// The path a name's page is written to.
    public func pagePath(_ name: GenerationName) -> String {
        options.contentFolder + "/" + options.collection + "/" + name.slug + ".md"
    }

    /// One task: resumes from the journal, asks, checks, sends back, writes.
    func draft(_ name: DraftTask, usage: inout ChatCompletions.Usage) async throws(ChatFailure) -> Outcome {
        let history = journal.history(of: name.key)
        if let written = history.written {
            if let number = written.suggestion {
                return .skipped(reason: "put in the review queue by an earlier run: suggestion #\(number)")
            }
            return .skipped(reason: "written by an earlier run: \(written.path ?? name.path)")
        }
        if let failed = history.failed, !options.retryFailed {
            return .skipped(
                reason: "failed in an earlier run (\(failed.reason ?? "no reason")); --retry-failed tries again")
        }
        let path = name.path
        if FileManager.default.fileExists(atPath: path) {
            return .skipped(reason: "\(path) exists")
        }
        // The conversation so far, rebuilt from the journal: answers and the feedback they got.
        var messages = name.messages
        var attempt = 0
        var pending: String?
        for entry in history.entries where history.failed == nil || options.retryFailed {
            switch entry.event {
            case .answer:
                attempt = entry.attempt
                pending = entry.text
            case .rejected:
                if let text = pending, let feedback = entry.feedback {
                    messages += [.assistant(text), .user(feedback)]
                }
                pending = nil
            case .written, .failed:
                break
            }
        }
        if history.failed != nil {
            // A new try: from the first attempt, with what was learnt kept out of it.
            messages = name.messages
            attempt = 0
            pending = nil
        }
        var lastProblems: [String] = []
        var lastPage: String?
        while true {
            let answer: String
            if let text = pending {
                answer = text  // answered before the last run stopped: not asked again
                pending = nil
            } else {
                guard attempt < options.maxAttempts else { break }
                attempt += 1
                let completion = try await ask(messages)
                if let tokens = completion.usage {
                    usage.promptTokens += tokens.promptTokens
                    usage.completionTokens += tokens.completionTokens
                }
                var entry = GenerationJournal.Entry(
                    event: .answer, slug: name.key, title: name.title, attempt: attempt)
                entry.text = completion.text
                entry.promptTokens = completion.usage?.promptTokens
                entry.completionTokens = completion.usage?.completionTokens
                try record(entry)
                answer = completion.text
            }
            let (page, problems) = name.draft(answer)
            if problems.isEmpty {
                return try await write(page, for: name, attempts: attempt)
            }
            lastProblems = problems.map { "\($0.rule): \($0.message)" }
            lastPage = answer
            let feedback = DraftValidator.feedback(problems, bodyStartLine: DraftValidator.bodyStartLine)
            var rejected = GenerationJournal.Entry(
                event: .rejected, slug: name.key, title: name.title, attempt: attempt)
            rejected.feedback = feedback
            rejected.problems = lastProblems
            try record(rejected)
            messages += [.assistant(answer), .user(feedback)]
        }
        let reason =
            "\(attempt) attempt\(attempt == 1 ? "" : "s") did not pass: "
            + lastProblems.prefix(3).joined(separator: "; ")
        var failed = GenerationJournal.Entry(event: .failed, slug: name.key, title: name.title, attempt: attempt)
        failed.reason = reason
        try record(failed)
        if options.allowInvalid, let lastPage {
            let page = name.invalid(lastPage)
            try writeFile(page, to: path)
            return .writtenInvalid(path: path, reason: reason)
        }
        return .failed(reason: reason)
    }

    /// One answer, through transient failures: waits as the server asks, or backs off.
    private func ask(_ messages: [ChatCompletions.Message]) async throws(ChatFailure) -> ChatCompletions.Completion {
        let request = ChatCompletions.Request(
            model: options.model, messages: messages, stream: options.stream, maxTokens: options.maxTokens,
            temperature: options.temperature)
        var failures = 0
        while true {
            do throws(ChatFailure) {
                return try await service.complete(request)
            } catch {
                guard case .transient(let message, let retryAfter) = error else { throw error }
                failures += 1
                guard failures <= options.retry.maxRetries else {
                    throw .transient("gave up after \(failures) tries: \(message)", retryAfter: nil)
                }
                do {
                    try await Task.sleep(for: options.retry.delay(afterFailure: failures, retryAfter: retryAfter))
                } catch {
                    throw .fatal("cancelled")
                }
            }
        }
    }

    public func provenance() -> DraftValidator.Provenance {
        DraftValidator.Provenance(
            model: options.model, endpointHost: endpointHost, promptVersion: prompt.version,
            generatedAt: GenerationJournal.Entry.now())
    }

    private func record(_ entry: GenerationJournal.Entry) throws(ChatFailure) {
        do throws(GenerationJournal.Failure) {
            try journal.append(entry)
        } catch {
            throw .fatal(error.description)
        }
    }

    private func write(_ page: String, for name: DraftTask, attempts: Int) async throws(ChatFailure) -> Outcome {
        var entry = GenerationJournal.Entry(event: .written, slug: name.key, title: name.title, attempt: attempts)
        let outcome: Outcome
        switch options.destination {
        case .files:
            let path = name.path
            try writeFile(page, to: path)
            entry.path = path
            outcome = .written(path: path, attempts: attempts)
        case .reviewQueue(let suggest):
            let number: Int
            do {
                number = try await suggest(name, name.relativePath, page)
            } catch {
                throw .fatal("cannot put \(name.title) in the review queue: \(error)")
            }
            entry.suggestion = number
            outcome = .suggested(number: number, attempts: attempts)
        }
        try record(entry)
        return outcome
    }

    /// A page is there whole or not at all.
    private func writeFile(_ text: String, to path: String) throws(ChatFailure) {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(text, to: path)
        } catch {
            throw .fatal(error.description)
        }
    }
}

/// One page to draft: what to ask, and how an answer becomes a page and is judged. A new page
/// for a medicine name (`Generator.task(for:)`) or a translation of a page (`TranslationTask`).
public struct DraftTask: Sendable {
    /// Who the journal knows the task by: a new page's slug, a translation's address (`hi/composition/x`).
    public var key: String
    public var title: String
    /// The file the page is written to.
    public var path: String
    /// The same, relative to the content folder: where a suggestion puts it.
    public var relativePath: String
    /// The page's address in the site and its store: `composition/x`, `hi/composition/x`.
    public var address: String
    public var messages: [ChatCompletions.Message]
    /// The page made of an answer, and what blocks publishing it (empty: it passes).
    public var draft: @Sendable (_ answer: String) -> (page: String, problems: [Diagnostic])
    /// The page made of an answer that never passed, marked `status: invalid`.
    public var invalid: @Sendable (_ answer: String) -> String

    public init(
        key: String, title: String, path: String, relativePath: String, address: String,
        messages: [ChatCompletions.Message],
        draft: @escaping @Sendable (String) -> (page: String, problems: [Diagnostic]),
        invalid: @escaping @Sendable (String) -> String
    ) {
        self.key = key
        self.title = title
        self.path = path
        self.relativePath = relativePath
        self.address = address
        self.messages = messages
        self.draft = draft
        self.invalid = invalid
    }
}
