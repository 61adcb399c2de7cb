import ArgumentParser
import FormularyCheck
import FormularyParsing
import FormularyReview
import FormularySite
import FormularyStore
import Foundation

// `review coverage`, `reports` and `worklist`: how much is reviewed, and what is left.

extension ReviewCommand {
    struct CoverageCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract:
                "How much of the site people have checked: pages reviewed, partly, not; by collection and section.",
            discussion: """
                A page is reviewed when every section stands signed off on its current text, partly
                reviewed when some do, not reviewed when none does (pages whose front matter names a
                reviewer count as reviewed). Pages are read from the content folder, as the site
                shows them.
                """)

        @OptionGroup var store: StoreArguments

        @Option(help: "text or json.")
        var format = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
        }

        func run() throws {
            try waitForContribution("review coverage") {
                let contributions = try await store.contributions()
                let ledger = try await contributions.store.reviewLedger()
                var coverage: Coverage
                do {
                    coverage = try Coverage.of(
                        contentFolder: contributions.contentFolder, ledger: ledger,
                        cacheFile: (try? SiteFolder.open(store.site))?.cacheFile("coverage-cache"))
                } catch {
                    throw ContributeError("cannot read \(contributions.contentFolder): \(error)")
                }
                coverage.count(views: try await contributions.store.views(since: Clock.day(daysAgo: 30)))
                print(format == "json" ? coverage.json : coverage.text, terminator: format == "json" ? "\n" : "")
            }
        }
    }
}

extension ReviewCommand {
    struct Reports: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports",
            abstract: "Readers' reports of problems with pages, oldest first (open ones by default).")

        @OptionGroup var store: StoreArguments

        @Option(help: "open, closed or all.")
        var status = "open"

        @Option(help: "Only this page.")
        var page: String?

        func validate() throws {
            guard status == "all" || ReaderReport.Status(rawValue: status) != nil else {
                throw ValidationError("--status is open, closed or all")
            }
        }

        func run() throws {
            try waitForContribution("review reports") {
                let reports = try await store.contributions().store.reports(
                    status: ReaderReport.Status(rawValue: status), monographID: page, limit: nil)
                for report in reports {
                    let part = report.section.isEmpty ? "the whole page" : report.section
                    print("#\(report.id)  \(report.createdAt)  \(report.monographID) (\(part)): \(report.reason)")
                    if !report.contact.isEmpty { print("     contact: \(report.contact)") }
                    if let closedBy = report.closedBy {
                        print("     closed by \(closedBy) on \(report.closedAt ?? ""): \(report.note ?? "")")
                    }
                }
                print("\(reports.count) \(status == "all" ? "" : status + " ")report\(reports.count == 1 ? "" : "s")")
            }
        }
    }

    struct CloseReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close-report", abstract: "Close a reader's report, saying what was done about it.")

        @OptionGroup var store: StoreArguments

        @Argument(help: "The report's number.")
        var number: Int

        @Option(help: "Who closes it: a reviewer or admin of the site.")
        var reviewer: String

        @Option(help: "What was done (kept with the report, in the audit log).")
        var note: String

        func run() throws {
            try waitForContribution("review close-report") {
                try await store.contributions().closeReport(number, reviewer: reviewer, note: note)
                print("closed report #\(number)")
            }
        }
    }
}

extension ReviewCommand {
    struct WorklistCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "worklist",
            abstract: "Pages not yet reviewed, most urgent first, each with why.",
            discussion: """
                Each page not reviewed as a whole scores what makes it urgent: what `check` finds in it
                (an AI refusal 100, a draft that doubts its medicine 90, a banned combination 80, a
                damaged name or an implausible strength 40, ...), readers' open reports (60 each, up to
                three), a high-risk medicine (50; the classes in formulary.yml, review: highRisk:),
                each section changed since it was checked (30), and how often readers opened it in
                the last 30 days (10 × log2(1 + views)). Searches that found nothing in the last 30
                days follow (also: `formulary review zero-results`).
                """)

        @OptionGroup var store: StoreArguments

        @Option(help: "text or json.")
        var format = "text"

        @Option(help: "How many pages to list.")
        var limit = 50

        @Option(help: "Only pages of this collection.")
        var collection: String?

        @Option(help: "Only pages where this section is not checked (dosage, usage, other...).")
        var section: String?

        @Option(help: "Only pages with this reason: check, report, high-risk, changed, views.")
        var reason: String?

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format is text or json") }
            guard limit > 0 else { throw ValidationError("--limit must be above 0") }
            if let reason, !["check", "report", "high-risk", "changed", "views"].contains(reason) {
                throw ValidationError("--reason is one of check, report, high-risk, changed, views")
            }
        }

        func run() throws {
            try waitForContribution("review worklist") {
                let (worklist, misses) = try await Self.worklist(
                    store, filter: Worklist.Filter(collection: collection, section: section, reason: reason))
                print(
                    format == "json"
                        ? worklist.json(limit: limit, misses: misses) : worklist.text(limit: limit, misses: misses),
                    terminator: format == "json" ? "\n" : "")
            }
        }

        /// The worklist of a site's store and content folder, and its searches that found nothing.
        static func worklist(_ arguments: StoreArguments, filter: Worklist.Filter) async throws
            -> (Worklist, [(query: String, count: Int)])
        {
            let timings = PhaseTimings()
            let contributions = try await arguments.contributions()
            let store = contributions.store
            let folder = try? SiteFolder.open(arguments.site)
            let since = Clock.day(daysAgo: 30)
            timings.mark("open the store")
            var reports: [String: [String]] = [:]
            for report in try await store.reports(status: .open, monographID: nil, limit: nil) {
                reports[report.monographID, default: []].append(report.section)
            }
            let reference = (try? folder?.referenceLists()) ?? .builtIn
            // India's lists are read while the store is.
            reference.prepare()
            let rules = RuleCatalog.all.filter { Worklist.ruleWeights[$0.name] != nil }
            let checker = Checker(rules: rules).pageChecker()
            let ledger = try await store.reviewLedger()
            let views = try await store.views(since: since)
            timings.mark("sign-offs, reports, views")
            let inputs = Worklist.Inputs(
                ledger: ledger, reports: reports, views: views,
                highRisk: folder?.configuration.highRisk ?? HighRiskMedicines.defaults,
                check: { page in checker(page).filter { $0.severity != .note }.map { ($0.rule, $0.message) } })
            do {
                let worklist = try Worklist.of(
                    contentFolder: contributions.contentFolder, parser: MonographParser(annotator: reference),
                    inputs: inputs,
                    cache: folder.map {
                        (
                            $0.cacheFile("worklist-cache"),
                            rules.map(\.name).joined(separator: " ") + " " + reference.fingerprint
                        )
                    },
                    filter: filter)
                timings.mark("pages read and checked")
                let misses = try await store.misses(since: since, limit: 20)
                timings.mark("searches that found nothing")
                return (worklist, misses)
            } catch let error as StoreError {
                throw error
            } catch {
                throw ContributeError("cannot read \(contributions.contentFolder): \(error)")
            }
        }
    }

    struct ZeroResults: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zero-results",
            abstract: "The searches readers made that found nothing, most frequent first (counted by `serve`).")

        @OptionGroup var store: StoreArguments

        @Option(help: "Over the last this many days.")
        var days = 30

        @Option(help: "How many to list.")
        var limit = 50

        func run() throws {
            try waitForContribution("review zero-results") {
                let misses = try await store.contributions().store.misses(
                    since: Clock.day(daysAgo: days), limit: limit)
                for miss in misses {
                    print("\(String(miss.count).padding(toLength: 7, withPad: " ", startingAt: 0))\(miss.query)")
                }
                print("\(misses.count) searches that found nothing in the last \(days) days")
            }
        }
    }

}
