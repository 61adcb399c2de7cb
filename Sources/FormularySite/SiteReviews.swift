import Dispatch
import FormularyModel
import FormularyParsing
import FormularyReview
import Foundation

/// The review of every page that has sign-offs, worked out from its file as the build reads
/// it (what the page shows is what was checked), and the site's counts for its home page.
struct SiteReviews: Sendable {
    let ledger: ReviewLedger
    /// By page id: pages with sign-offs.
    let reviews: [String: PageReview]

    static let none = SiteReviews(ledger: .empty, reviews: [:])

    /// Reads the files (`paths`: page id to file) of the pages the ledger has sign-offs of.
    /// A page whose file and sign-offs are as the last time this process read them is not read
    /// again: a server rebuilding after each sign-off reads only the pages that changed.
    init(ledger: ReviewLedger, paths: [String: String]) {
        let signed = ledger.signOffs.keys.filter { paths[$0] != nil }.sorted()
        let slots = ResultSlots<PageReview?>(count: signed.count)
        let known = Self.known.withLock { $0 }
        var fresh: [(String, Known)] = []
        var toRead: [Int] = []
        for (index, id) in signed.enumerated() {
            guard let path = paths[id], let stamp = OutputFiles.stamp(path) else { continue }
            let key = Known(
                path: path, modified: stamp.modified, size: stamp.size, signOffs: ledger.stamp(of: id) ?? "",
                review: nil)
            if let old = known[id], old.sameInputs(key), let review = old.review {
                slots.set(index, review)
            } else {
                toRead.append(index)
                fresh.append((id, key))
            }
        }
        let reading = toRead
        DispatchQueue.concurrentPerform(iterations: reading.count) { position in
            let index = reading[position]
            let id = signed[index]
            guard let path = paths[id], let data = FileManager.default.contents(atPath: path) else { return }
            let text = SectionText(String(decoding: data, as: UTF8.self), path: path)
            slots.set(index, PageReview(text, signOffs: ledger.signOffs[id] ?? []))
        }
        var reviews: [String: PageReview] = [:]
        for (id, review) in zip(signed, slots.values()) { reviews[id] = review ?? nil }
        if !fresh.isEmpty {
            Self.known.withLock { known in
                for (id, var key) in fresh {
                    key.review = reviews[id]
                    known[id] = key
                }
            }
        }
        self.init(ledger: ledger, reviews: reviews)
    }

    /// What a page's review was worked out from, and the review: kept across builds in one process.
    private struct Known: Sendable {
        var path: String
        var modified: Int64
        var size: Int64
        var signOffs: String
        var review: PageReview?

        func sameInputs(_ other: Known) -> Bool {
            path == other.path && modified == other.modified && size == other.size && signOffs == other.signOffs
        }
    }

    private static let known = Locked<[String: Known]>([:])

    private init(ledger: ReviewLedger, reviews: [String: PageReview]) {
        self.ledger = ledger
        self.reviews = reviews
    }

    /// Whether a page is reviewed, partly or not: by its sign-offs, else by its front matter's
    /// `reviewed_by` (pages reviewed before sign-offs existed).
    func state(of summary: PageSummary) -> PageReview.State {
        if let review = reviews[summary.address] { return review.state }
        return summary.review == nil ? .notReviewed : .reviewed
    }

    /// Pages reviewed and partly reviewed, of `catalog`'s.
    func counts(_ catalog: SiteCatalog) -> (reviewed: Int, partly: Int) {
        var reviewed = 0
        var partly = 0
        for page in catalog.pages {
            switch state(of: page) {
            case .reviewed: reviewed += 1
            case .partlyReviewed: partly += 1
            case .notReviewed: break
            }
        }
        return (reviewed, partly)
    }
}

extension PageReview {
    /// The record's `review`: the state, each section's check; `by` and `at` when the page is
    /// reviewed as a whole.
    var record: Review {
        var review = Review(by: reviewers.joined(separator: ", "), at: lastReviewed)
        review.state = state.rawValue
        review.sections = sections.map { section in
            let signOff = section.signedOff ?? section.changedSince
            return Review.SectionCheck(
                section: section.name, title: section.title,
                state: section.check,
                by: signOff?.reviewer, qualifications: signOff?.qualifications ?? [],
                at: signOff.map { String($0.at.prefix(10)) }, revision: signOff?.revision)
        }
        return review
    }
}

extension SiteContent {
    /// How much of the site people have checked, by the store's sign-offs (`ledger`) and front
    /// matter reviews: pages read from their files, as the site shows them.
    public func coverage(_ ledger: ReviewLedger) -> Coverage {
        Coverage.of(pages.map { CoveredPage($0.parsed, path: $0.path) }, ledger: ledger)
    }
}

/// What coverage needs of a page.
struct CoveredPage: Sendable {
    var id: String
    var path: String
    var collection: String
    var sections: [String]
    var frontMatterReview: Bool

    init(_ page: ParsedPage, path: String) {
        id = page.monograph.address
        self.path = path
        collection = page.monograph.collection
        sections = SectionText.reviewableNames(of: page.monograph.sections)
        frontMatterReview = page.monograph.review != nil
    }

    init(id: String, path: String, collection: String, sections: [String], frontMatterReview: Bool) {
        self.id = id
        self.path = path
        self.collection = collection
        self.sections = sections
        self.frontMatterReview = frontMatterReview
    }
}

extension CoveredPage: PageFacts {
    func write(to writer: inout CacheWriter) {
        writer.string(id)
        writer.string(collection)
        writer.strings(sections)
        writer.flag(frontMatterReview)
    }

    static func read(from reader: inout CacheReader) -> CoveredPage? {
        guard let id = reader.string(), let collection = reader.string(), let sections = reader.strings(),
            let frontMatterReview = reader.flag()
        else { return nil }
        return CoveredPage(
            id: id, path: "", collection: collection, sections: sections, frontMatterReview: frontMatterReview)
    }
}

extension Coverage {
    /// `formulary review coverage --format json` and `GET /api/v1/coverage`: the counts, then
    /// per collection and per section.
    public var json: String {
        var json = JSONText()
        json.openObject()
        json.number("pages", Double(total.pages))
        json.number("reviewed", Double(total.reviewed))
        json.number("partlyReviewed", Double(total.partlyReviewed))
        json.number("notReviewed", Double(total.notReviewed))
        json.openObject("mostOpened")
        json.number("pages", Double(mostOpened.pages))
        json.number("reviewed", Double(mostOpened.reviewed))
        json.number("partlyReviewed", Double(mostOpened.partlyReviewed))
        json.closeObject()
        json.openArray("collections")
        for (name, counts) in collections.sorted(by: { $0.key < $1.key }) {
            json.openObject()
            json.string("collection", name)
            json.number("pages", Double(counts.pages))
            json.number("reviewed", Double(counts.reviewed))
            json.number("partlyReviewed", Double(counts.partlyReviewed))
            json.number("notReviewed", Double(counts.notReviewed))
            json.closeObject()
        }
        json.closeArray()
        json.openArray("sections")
        for section in sectionList {
            json.openObject()
            json.string("section", section.section)
            json.string("title", section.title)
            json.number("pages", Double(section.pages))
            json.number("signedOff", Double(section.signedOff))
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
        return json.text
    }

    /// The same as a table for a terminal.
    public var text: String {
        func row(_ name: String, _ counts: Counts) -> String {
            name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + [counts.pages, counts.reviewed, counts.partlyReviewed, counts.notReviewed].map {
                    String($0).leftPadded(to: 9)
                }.joined()
        }
        var lines = ["".padding(toLength: 24, withPad: " ", startingAt: 0) + "    pages reviewed   partly      not"]
        lines.append(row("all pages", total))
        if mostOpened.pages > 0 { lines.append(row("most opened (30 days)", mostOpened)) }
        for (name, counts) in collections.sorted(by: { $0.key < $1.key }) { lines.append(row(name, counts)) }
        lines.append("")
        lines.append("section".padding(toLength: 24, withPad: " ", startingAt: 0) + "    pages   signed off")
        for section in sectionList {
            lines.append(
                section.title.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(section.pages).leftPadded(to: 9)
                    + String(section.signedOff).leftPadded(to: 13))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Coverage {
    /// The coverage of the site whose pages are under `contentFolder` (the pages a build
    /// publishes: not READMEs, not drafts unless `includeDrafts`, one page an address), read on
    /// every core keeping only each page's collection and sections: `formulary review coverage`.
    /// With a `cacheFile`, only the files changed since the last run are read again.
    public static func of(
        contentFolder: String, ledger: ReviewLedger, includeDrafts: Bool = false, cacheFile: String? = nil
    ) throws -> Coverage {
        let read = try PageFactsCache.facts(
            under: contentFolder, cacheFile: cacheFile, fingerprint: includeDrafts ? "coverage drafts" : "coverage",
            loader: ContentLoader()
        ) { outcome -> CoveredPage? in
            guard case .success(let page) = outcome, includeDrafts || SiteBuilder.draftSkip(page, path: "") == nil
            else { return nil }
            return CoveredPage(page, path: "")
        }
        let pages = SiteBuilder.firstPerAddress(read.map(\.path), read.map(\.facts), id: \.id).map { path, page in
            var page = page
            page.path = path
            return page
        }
        return of(pages, ledger: ledger)
    }

    /// The coverage of `pages`: by their sign-offs (their files read again), else their front matter.
    static func of(_ pages: [CoveredPage], ledger: ReviewLedger) -> Coverage {
        let reviews = SiteReviews(
            ledger: ledger,
            paths: Dictionary(pages.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first }))
        var coverage = Coverage()
        for page in pages {
            if let review = reviews.reviews[page.id] {
                coverage.add(
                    collection: page.collection, state: review.state,
                    sections: review.sections.map { ($0.name, $0.signedOff != nil) }, id: page.id)
            } else {
                let whole = page.frontMatterReview
                coverage.add(
                    collection: page.collection, state: whole ? .reviewed : .notReviewed,
                    sections: page.sections.map { ($0, whole) }, id: page.id)
            }
        }
        return coverage
    }
}
