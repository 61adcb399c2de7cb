import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReview
import Foundation

/// The pages not yet reviewed, most urgent first, each with why: what `check` finds (refusals,
/// doubts about the medicine, banned combinations, damaged names), readers' open reports,
/// high-risk medicines, sections changed since they were checked, and how often readers open
/// the page. Searches that found nothing come with it: pages or names the site may be missing.
public struct Worklist: Sendable {
    public struct Reason: Sendable, Equatable {
        /// `check`, `report`, `high-risk`, `changed`, `views`.
        public var kind: String
        public var detail: String
        public var weight: Int
    }

    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var collection: String
        public var state: PageReview.State
        public var score: Int
        public var views: Int
        public var reasons: [Reason]
        /// The sections no sign-off stands for.
        public var unchecked: [String]
    }

    /// Everything beyond the pages themselves.
    public struct Inputs: Sendable {
        public var ledger: ReviewLedger
        /// Open reports by page: the section of each ("" for the whole page).
        public var reports: [String: [String]]
        /// Views by page over the last 30 days.
        public var views: [String: Int]
        public var highRisk: HighRiskMedicines
        /// What `check` finds in one page by itself: (rule, message), errors and warnings.
        public var check: @Sendable (ParsedPage) -> [(rule: String, message: String)]

        public init(
            ledger: ReviewLedger, reports: [String: [String]], views: [String: Int], highRisk: HighRiskMedicines,
            check: @escaping @Sendable (ParsedPage) -> [(rule: String, message: String)]
        ) {
            self.ledger = ledger
            self.reports = reports
            self.views = views
            self.highRisk = highRisk
            self.check = check
        }
    }

    /// Filters: `collection`, a `section` left unchecked, a reason `kind`.
    public struct Filter: Sendable {
        public var collection: String?
        public var section: String?
        public var reason: String?

        public init(collection: String? = nil, section: String? = nil, reason: String? = nil) {
            self.collection = collection
            self.section = section
            self.reason = reason
        }
    }

    public var entries: [Entry]
    /// Pages looked at, and of them not yet reviewed.
    public var pages: Int
    public var notReviewed: Int

    /// How much each finding of `check` weighs, by rule: the softer refusals and refusals first.
    /// The worklist runs these rules only.
    public static let ruleWeights: [String: Int] = [
        "ai-refusal": 100, "disputed-medicine": 90, "banned-combination": 80, "damaged-name": 40,
        "implausible-strength": 40, "generic-name-mismatch": 30, "title-mismatch": 30, "ai-self-reference": 20,
    ]

    /// What one page brings to the worklist before its sign-offs, reports and views are read:
    /// what `check` found, its ingredients (for the high-risk classes), whether its front
    /// matter says it was reviewed, its sections. Kept between runs by `PageFactsCache`.
    struct Seen: PageFacts {
        var id: String
        var title: String
        var collection: String
        var path = ""
        var frontMatterReview: Bool
        var findings: [(rule: String, message: String)]
        var ingredients: [String]
        var sections: [String]

        func write(to writer: inout CacheWriter) {
            for text in [id, title, collection] { writer.string(text) }
            writer.flag(frontMatterReview)
            writer.strings(findings.flatMap { [$0.rule, $0.message] })
            writer.strings(ingredients)
            writer.strings(sections)
        }

        static func read(from reader: inout CacheReader) -> Seen? {
            guard let id = reader.string(), let title = reader.string(), let collection = reader.string(),
                let frontMatterReview = reader.flag(), let findings = reader.strings(), findings.count % 2 == 0,
                let ingredients = reader.strings(), let sections = reader.strings()
            else { return nil }
            return Seen(
                id: id, title: title, collection: collection, frontMatterReview: frontMatterReview,
                findings: stride(from: 0, to: findings.count, by: 2).map { (findings[$0], findings[$0 + 1]) },
                ingredients: ingredients, sections: sections)
        }
    }

    /// The worklist of the pages under `contentFolder` (as a build publishes them), read on
    /// every core. With a `cache` (a file, and what shaped `inputs.check`: its rules and
    /// reference lists), only the files changed since the last run are read again.
    public static func of(
        contentFolder: String, parser: MonographParser = MonographParser(), inputs: Inputs,
        cache: (file: String, fingerprint: String)? = nil, filter: Filter = Filter()
    ) throws -> Worklist {
        let check = inputs.check
        let read = try PageFactsCache.facts(
            under: contentFolder, cacheFile: cache?.file, fingerprint: "worklist " + (cache?.fingerprint ?? ""),
            loader: ContentLoader(parser: parser)
        ) { outcome -> Seen? in
            guard case .success(let page) = outcome, SiteBuilder.draftSkip(page, path: "") == nil else { return nil }
            return examine(page, check: check)
        }
        let pages = SiteBuilder.firstPerAddress(read.map(\.path), read.map(\.facts), id: \.id).map { path, page in
            var page = page
            page.path = path
            return page
        }
        return rank(pages, inputs: inputs, filter: filter)
    }

    /// The worklist of pages read already (a server's), checked on every core.
    public static func of(content: SiteContent, inputs: Inputs, filter: Filter = Filter()) -> Worklist {
        let pages = content.pages
        let slots = ResultSlots<Seen?>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: (pages.count + 31) / 32) { chunk in
            for index in (chunk * 32)..<min(pages.count, chunk * 32 + 32) {
                var seen = examine(pages[index].parsed, check: inputs.check)
                seen.path = pages[index].path
                slots.set(index, seen)
            }
        }
        return rank(slots.values().compactMap { $0 }, inputs: inputs, filter: filter)
    }

    /// What the worklist keeps of a page: its check findings (each rule once), its ingredients
    /// and sections.
    static func examine(_ page: ParsedPage, check: (ParsedPage) -> [(rule: String, message: String)]) -> Seen {
        let monograph = page.monograph
        var ruled: Set<String> = []
        return Seen(
            id: monograph.address, title: monograph.title, collection: monograph.collection,
            frontMatterReview: monograph.review != nil,
            findings: check(page).filter { ruled.insert($0.rule).inserted },
            ingredients: monograph.ingredients.map(\.name),
            sections: SectionText.reviewableNames(of: monograph.sections))
    }

    /// The pages not reviewed, with their reasons, most urgent first.
    static func rank(_ pages: [Seen], inputs: Inputs, filter: Filter) -> Worklist {
        let reviews = SiteReviews(
            ledger: inputs.ledger,
            paths: Dictionary(pages.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first }))
        var entries: [Entry] = []
        var notReviewed = 0
        for page in pages {
            var entry = Entry(
                id: page.id, title: page.title, collection: page.collection, state: .notReviewed, score: 0, views: 0,
                reasons: [], unchecked: page.sections)
            if let review = reviews.reviews[entry.id] {
                entry.state = review.state
                entry.unchecked = review.sections.filter { $0.signedOff == nil }.map(\.name)
            } else if page.frontMatterReview, inputs.ledger.signOffs[page.id] == nil {
                // Reviewed as a whole before sign-offs, in the front matter.
                entry.state = .reviewed
            }
            guard entry.state != .reviewed else { continue }
            notReviewed += 1
            for (rule, message) in page.findings {
                entry.reasons.append(
                    Reason(kind: "check", detail: "\(rule): \(message)", weight: ruleWeights[rule] ?? 10))
            }
            let ingredients = page.ingredients.map { Ingredient(name: $0, strength: nil) }
            for group in inputs.highRisk.classes(of: ingredients) {
                entry.reasons.append(Reason(kind: "high-risk", detail: group, weight: 50))
            }
            for section in reviews.reviews[entry.id]?.changed ?? [] {
                entry.reasons.append(
                    Reason(kind: "changed", detail: "\(section.title) changed since it was checked", weight: 30))
            }
            let reports = inputs.reports[entry.id] ?? []
            if !reports.isEmpty {
                let parts = reports.map { $0.isEmpty ? "the whole page" : SectionText.title(of: $0) }
                entry.reasons.append(
                    Reason(
                        kind: "report",
                        detail: "\(reports.count) open report\(reports.count == 1 ? "" : "s") from readers ("
                            + Array(Set(parts)).sorted().joined(separator: ", ") + ")",
                        weight: 60 * min(reports.count, 3)))
            }
            entry.views = inputs.views[entry.id] ?? 0
            if entry.views > 0 {
                // Doubling the readers adds the same: 1 view 10, 1,000 views 100.
                let weight = Int((10 * log2(Double(entry.views) + 1)).rounded())
                entry.reasons.append(
                    Reason(kind: "views", detail: "opened \(entry.views) times in 30 days", weight: weight))
            }
            entry.score = entry.reasons.map(\.weight).reduce(0, +)
            if let collection = filter.collection, entry.collection != collection { continue }
            if let section = filter.section, !entry.unchecked.contains(where: { Coverage.group(of: $0) == section }) {
                continue
            }
            if let reason = filter.reason, !entry.reasons.contains(where: { $0.kind == reason }) { continue }
            entries.append(entry)
        }
        entries.sort { ($1.score, $1.views, $0.id) < ($0.score, $0.views, $1.id) }
        return Worklist(entries: entries, pages: pages.count, notReviewed: notReviewed)
    }

    /// `formulary review worklist --format json`: the counts, then the entries most urgent first.
    public func json(limit: Int, misses: [(query: String, count: Int)]) -> String {
        var json = JSONText()
        json.openObject()
        json.number("pages", Double(pages))
        json.number("notReviewed", Double(notReviewed))
        json.number("listed", Double(entries.count))
        json.openArray("entries")
        for entry in entries.prefix(limit) {
            json.openObject()
            json.string("id", entry.id)
            json.string("title", entry.title)
            json.string("collection", entry.collection)
            json.string("state", entry.state.rawValue)
            json.number("score", Double(entry.score))
            json.number("views", Double(entry.views))
            json.openArray("reasons")
            for reason in entry.reasons.sorted(by: { $0.weight > $1.weight }) {
                json.openObject()
                json.string("kind", reason.kind)
                json.string("detail", reason.detail)
                json.number("weight", Double(reason.weight))
                json.closeObject()
            }
            json.closeArray()
            json.openArray("unchecked")
            for section in entry.unchecked { json.string(nil, section) }
            json.closeArray()
            json.closeObject()
        }
        json.closeArray()
        json.openArray("searchesThatFoundNothing")
        for miss in misses {
            json.openObject()
            json.string("query", miss.query)
            json.number("count", Double(miss.count))
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
        return json.text
    }

    /// The same for a terminal.
    public func text(limit: Int, misses: [(query: String, count: Int)]) -> String {
        var lines = ["\(notReviewed) of \(pages) pages not reviewed; \(entries.count) listed, most urgent first"]
        for (rank, entry) in entries.prefix(limit).enumerated() {
            lines.append(
                "\(rank + 1). \(entry.id)  (\(entry.title); score \(entry.score), \(entry.state.label))"
            )
            for reason in entry.reasons.sorted(by: { $0.weight > $1.weight }) {
                lines.append("     \(reason.kind): \(reason.detail)")
            }
        }
        if !misses.isEmpty {
            lines.append("")
            lines.append("searches that found nothing (last 30 days):")
            for miss in misses {
                lines.append("  \(String(miss.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \(miss.query)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
