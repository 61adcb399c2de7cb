import ArgumentParser
import FormularyGenerate
import FormularyModel
import FormularyParsing
import FormularySite
import FormularyStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `formulary generate`: draft monographs with a language model, validated before they are written.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Draft monographs for medicine names with an OpenAI-compatible model; only pages that pass are written.",
        discussion: """
            Each NAME (or line of --from FILE) is a medicine: `Paracetamol`, `Alemtuzumab 12mg`, \
            `Amoxycillin (500mg), Clavulanic Acid`. Names repeated in the list, or that already have a \
            page (under this or another accepted name: Acetaminophen is Paracetamol), are skipped.

            Each answer is parsed and checked with the rules of `formulary check`; a refusal, an \
            "as an AI" text, a missing or empty section or a wrong title goes back to the model with \
            the problems, up to --attempts times. Pages that pass are written to \
            content/COLLECTION/SLUG.md with `status: draft` and their provenance (model, endpoint \
            host, prompt version, date); pages that never pass are recorded as failed, not written \
            (unless --allow-invalid).

            The key comes from OPENAI_API_KEY (or `generate: apiKey:` in formulary.yml) and never \
            appears in output. Rate limits and server errors are retried (Retry-After, then \
            exponential backoff). Everything is journaled in .formulary/generate-journal.jsonl: \
            run the same command again after an interruption and it goes on where it stopped, \
            without asking again for answers it already has.

            The prompt is templates/generate-prompt.mustache when the site has one (variables: \
            title, slug, combination, ingredients (name, strength, last), sections (heading, guidance)).

            --translate LANG drafts translations instead: each argument (or line of --from FILE) is a \
            page id (composition/paracetamol); with --all, every page of the site's language without a \
            translation into LANG. LANG must be in formulary.yml's `languages:`. The model gets the \
            page's current text and the headings of strings/LANG.yml; an answer is kept only when \
            every section is there, every number, strength and unit is the page's, the medicines' \
            Latin names are kept beside their translation, and it neither refuses nor talks about \
            itself; otherwise it goes back with the problems. A translation is written beside its \
            page (paracetamol.hi.md) with `status: draft` and `translated_from:` (or put in the review \
            queue), journaled and resumable like drafts. The prompt is templates/translate-prompt.mustache \
            when the site has one (variables: from, language, languageName, latinTitle, headings \
            (source, target), question, answer, disclaimer, page).
            """
    )

    @Argument(help: "Medicine names, one an argument (with --translate: page ids).")
    var names: [String] = []

    @Option(help: "Draft translations into this language (hi) of the pages named (ids), instead of new pages.")
    var translate: String?

    @Flag(help: "With --translate: every page of the site's language that has no translation yet.")
    var all = false

    @Option(help: "Read names from this file, one a line ('-' for standard input; # starts a comment).")
    var from: String?

    @Option(help: "The site folder (default: the current folder when it has formulary.yml).", completion: .directory)
    var site: String?

    @Option(help: "Write into this folder of monographs instead of a site's content/.", completion: .directory)
    var content: String?

    @Option(help: "The OpenAI-compatible base URL, such as https://api.openai.com/v1 or http://localhost:11434/v1.")
    var endpoint: String?

    @Option(help: "The model name.")
    var model: String?

    @Option(help: "The collection folder new pages go in (default: composition).")
    var collection: String?

    @Option(help: "Requests at once (default 4).")
    var concurrency: Int?

    @Option(help: "Answers checked per name before it is recorded as failed (default 3).")
    var attempts: Int?

    @Option(help: "Seconds to wait for one answer.")
    var timeout = 120

    @Option(help: "Longest answer, in tokens.")
    var maxTokens = 4000

    @Flag(help: "Ask for streamed answers.")
    var stream = false

    @Flag(help: "Write pages that never passed too, marked `status: invalid`.")
    var allowInvalid = false

    @Flag(help: "Try names an earlier run recorded as failed again.")
    var retryFailed = false

    @Flag(help: "Show what would be drafted and skipped, and ask nothing.")
    var dryRun = false

    @Flag(help: "Write page files even when the site has a review store (.formulary/formulary.sqlite).")
    var files = false

    @Option(help: "The journal (default: .formulary/generate-journal.jsonl in the site).")
    var journal: String?

    @Option(help: "Dollars per million prompt tokens, for the cost estimate.")
    var priceInput: Double?

    @Option(help: "Dollars per million answer tokens, for the cost estimate.")
    var priceOutput: Double?

    func validate() throws {
        if site != nil, content != nil { throw ValidationError("give either --site or --content, not both") }
        if all, translate == nil { throw ValidationError("--all goes with --translate LANG") }
        if translate != nil, content != nil {
            throw ValidationError("--translate works on a site (its languages and words): give --site, not --content")
        }
        if names.isEmpty, from == nil, !all {
            throw ValidationError(
                translate == nil ? "give medicine names, or --from FILE" : "give page ids, --from FILE or --all")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let attempts, attempts < 1 { throw ValidationError("--attempts must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1") }
    }

    func run() throws {
        // Where pages go, and the site's settings under the command line's.
        var settings = GenerateConfiguration()
        let contentFolder: String
        let journalPath: String
        var templateText: String?
        var templatePath = "generate-prompt.mustache"
        var storeLocation: String?
        if let content {
            contentFolder = content
            let parent = (content as NSString).deletingLastPathComponent
            journalPath = journal ?? (parent.isEmpty ? "." : parent) + "/.formulary-generate-journal.jsonl"
        } else {
            let root = site ?? "."
            let folder: SiteFolder
            do {
                folder = try SiteFolder.open(root)
            } catch {
                fail(error.description(otherwise: "to draft into a folder of pages, give --content DIR"))
            }
            let yamlPath = root + "/" + SiteFolder.configurationFile
            if let text = try? String(contentsOfFile: yamlPath, encoding: .utf8) {
                do {
                    settings = try GenerateConfiguration.load(yaml: text, path: yamlPath)
                } catch {
                    fail(error.description)
                }
            }
            contentFolder = folder.contentPath
            journalPath = journal ?? root + "/.formulary/generate-journal.jsonl"
            templatePath = folder.templatesPath + "/generate-prompt.mustache"
            // The site's review store (`$FORMULARY_DATABASE`, else its file when it has one).
            let location = SiteFolder.storeLocation(given: nil, siteRoot: root)
            if !files, location.contains("://") || FileManager.default.fileExists(atPath: location) {
                storeLocation = location
            }
            templateText = try? String(contentsOfFile: templatePath, encoding: .utf8)
        }
        var given = GenerateConfiguration()
        given.endpoint = endpoint
        given.model = model
        given.apiKey = ProcessInfo.processInfo.environment["OPENAI_API_KEY"]
        given.collection = collection
        given.concurrency = concurrency
        given.attempts = attempts
        given.inputPrice = priceInput
        given.outputPrice = priceOutput
        settings = settings.overridden(by: given)
        var options: Generator.Options
        let endpointURL: String
        do {
            (endpointURL, options) = try settings.runOptions(contentFolder: contentFolder)
        } catch {
            fail(error.description)
        }
        options.stream = stream
        options.maxTokens = maxTokens
        options.allowInvalid = allowInvalid
        options.retryFailed = retryFailed

        // The names: arguments, then the lines of --from.
        var lines = names
        if let from {
            do {
                lines += GenerationName.lines(
                    of: from == "-"
                        ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                        : try String(contentsOfFile: from, encoding: .utf8))
            } catch {
                fail("cannot read \(from): \(error.localizedDescription)")
            }
        }
        if let storeLocation {
            // The site reviews its changes: every draft waits in the queue for a person.
            let contributions: Contributions
            do {
                let store = try waitFor { try await openContributionStore(storeLocation) }
                contributions = Contributions(store: store, contentFolder: contentFolder)
            } catch {
                fail("\(error)")
            }
            let model = options.model
            options.destination = .reviewQueue { task, path, text in
                try await contributions.suggestNewPage(
                    monographID: task.address, path: path, markdown: text,
                    author: "formulary generate (\(model))",
                    message: (task.key == task.address ? "AI draft of " : "AI draft translation of ") + task.title
                ).id
            }
        }
        let journalFile: GenerationJournal
        do {
            journalFile = try GenerationJournal(path: journalPath)
        } catch {
            fail(error.description)
        }
        let chatEndpoint = ChatEndpoint(url: endpointURL, apiKey: settings.apiKey, timeout: .seconds(timeout))
        let prompt: DraftPrompt
        do {
            prompt = try DraftPrompt(template: templateText, path: templatePath)
        } catch {
            fail(error.description)
        }
        // Makes the tasks; the service is given when the run starts.
        let planner = Generator(
            options: options, service: HTTPChatService(endpoint: chatEndpoint), prompt: prompt, journal: journalFile,
            endpointHost: chatEndpoint.host)

        let tasks: [DraftTask]
        var skippedBefore = 0
        if let translate {
            let (todo, skipped) = translationTasks(
                language: translate, ids: all ? [] : lines, contentFolder: contentFolder, planner: planner)
            for (id, reason) in skipped { note("skipped \(id): \(reason)") }
            skippedBefore = skipped.count
            tasks = todo
        } else {
            let (todo, skipped) = planner.newPageTasks(for: lines)
            for (title, reason) in skipped { note("skipped\(title.map { " \($0)" } ?? ""): \(reason)") }
            skippedBefore = skipped.count
            tasks = todo
        }

        if dryRun {
            for task in tasks { print("would draft \(task.title) → \(task.path)") }
            print("\(tasks.count) to draft, \(skippedBefore) skipped")
            return
        }
        if chatEndpoint.apiKey == nil { note("note: no OPENAI_API_KEY; asking \(chatEndpoint.host) without a key") }
        let line = isatty(STDERR_FILENO) == 1
        let todo = tasks
        let runOptions = options
        let report = try waitFor {
            try await HTTPChatService.withClient(connections: runOptions.concurrency) { client in
                let generator = Generator(
                    options: runOptions, service: HTTPChatService(endpoint: chatEndpoint, client: client),
                    prompt: prompt,
                    journal: journalFile, endpointHost: chatEndpoint.host)
                return await generator.run(tasks: todo) { progress in
                    let seconds = max(
                        0.5,
                        Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds)
                            / 1e18
                    )
                    var text =
                        "drafting: \(progress.done) written, \(progress.failed) failed, \(progress.skipped) skipped, \(progress.remaining) left · "
                        + String(format: "%.2f/min", Double(progress.done + progress.failed) * 60 / seconds)
                        + " · \(progress.promptTokens + progress.completionTokens) tokens"
                    if let cost = progress.cost { text += String(format: " · $%.4f", cost) }
                    FileHandle.standardError.write(Data((line ? "\r\u{1B}[2K" + text : text + "\n").utf8))
                }
            }
        }
        if line { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        var written = 0
        var failed = 0
        for (task, outcome) in report.outcomes {
            let name = task
            switch outcome {
            case .written(let path, let attempts):
                written += 1
                print("wrote \(path) (\(name.title), \(attempts) attempt\(attempts == 1 ? "" : "s"))")
            case .suggested(let number, let attempts):
                written += 1
                print(
                    "suggested \(name.title) for review: suggestion #\(number) (\(attempts) attempt\(attempts == 1 ? "" : "s"))"
                )
            case .writtenInvalid(let path, let reason):
                written += 1
                print("wrote \(path) marked invalid (\(name.title)): \(reason)")
            case .failed(let reason):
                failed += 1
                print("failed \(name.title): \(reason)")
            case .skipped(let reason):
                print("skipped \(name.title): \(reason)")
            }
        }
        var summary =
            "\(written) written, \(failed) failed, \(skippedBefore + report.outcomes.count - written - failed) skipped; \(report.promptTokens + report.completionTokens) tokens (\(report.promptTokens) prompt, \(report.completionTokens) answer)"
        if let cost = runOptions.cost(prompt: report.promptTokens, completion: report.completionTokens) {
            summary += String(format: ", about $%.4f", cost)
        }
        note(summary + "; journal: \(journalPath)")
        if let stopped = report.stoppedBy {
            fail("stopped: \(stopped)")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// The translations to draft into `language`: of the pages `ids` names, or of every page of
    /// the site's language without one when `ids` is empty.
    private func translationTasks(language: String, ids: [String], contentFolder: String, planner: Generator) -> (
        [DraftTask], [(id: String, reason: String)]
    ) {
        let root = site ?? "."
        let folder: SiteFolder
        let strings: SiteStrings
        do {
            folder = try SiteFolder.open(root)
            guard folder.configuration.languages.contains(language) else {
                fail(
                    "'\(language)' is not one of the site's languages; add it to formulary.yml (languages: [\((folder.configuration.languages + [language]).joined(separator: ", "))])"
                )
            }
            strings = try SiteStrings.load(language: language, stringsFolder: folder.stringsPath)
        } catch let error as SiteFolder.Failure {
            fail(
                error.description(
                    otherwise:
                        "translations are drafted into a site (its languages are in formulary.yml): give --site DIR"))
        } catch {
            fail("\(error)")
        }
        let mainStrings =
            (try? SiteStrings.load(
                language: folder.configuration.language, stringsFolder: folder.stringsPath)) ?? .english
        // Headings the parser reads in this language as they are; in a language it has no names
        // for, with the English heading in parentheses (`பயன்பாடு (Usage)`), which it reads.
        var headings: [SectionKind: String] = [:]
        for (kind, heading) in strings.sectionHeadings {
            headings[kind] =
                SectionRecognizer.kind(ofLabel: heading) == kind
                ? heading : "\(heading) (\(SiteStrings.english.sectionHeadings[kind] ?? kind.rawValue))"
        }
        let hindi = language == "hi"
        let target = TranslationLanguage(
            code: language, name: strings["languageName"], headings: headings, question: hindi ? "प्रश्न" : "Q",
            answer: hindi ? "उत्तर" : "A",
            disclaimer: SectionRecognizer.kind(ofLabel: strings["disclaimer"]) == .disclaimer
                ? strings["disclaimer"] : "Disclaimer")
        let promptPath = folder.templatesPath + "/translate-prompt.mustache"
        let prompt: TranslationPrompt
        do {
            prompt = try TranslationPrompt(
                template: try? String(contentsOfFile: promptPath, encoding: .utf8), path: promptPath)
        } catch {
            fail(error.description)
        }
        let files = (try? ContentLoader.markdownFiles(in: [contentFolder])) ?? []
        let pages = zip(files, ContentLoader().load(files)).compactMap { path, outcome in
            (try? outcome.get()).map { (path: path, page: $0) }
        }
        let (todo, skipped) = TranslationTask.plan(ids: ids, language: language, pages: pages)
        let tasks = todo.compactMap { entry -> DraftTask? in
            guard let text = try? String(contentsOfFile: entry.path, encoding: .utf8) else { return nil }
            return TranslationTask.make(
                source: entry.page, sourceText: text, sourcePath: entry.path, contentFolder: contentFolder,
                from: mainStrings["languageName"], language: target, prompt: prompt,
                provenance: { [planner] in
                    var made = planner.provenance()
                    made.promptVersion = prompt.version
                    return made
                })
        }
        return (tasks, skipped)
    }

    private func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("formulary generate: \(message)\n".utf8))
        GenerateCommand.exit(withError: ExitCode(2))
    }
}
