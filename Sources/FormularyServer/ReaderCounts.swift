import FormularyModel
import FormularyParsing
import Foundation

/// How often readers open each page, and the searches that find nothing, counted in memory as
/// `serve` answers and added to the store's counts for the day every minute and at shutdown.
/// Nothing about the reader is kept: no address, no time of day, no referrer.
final class ReaderCounts: Sendable {
    private let counts = Locked<(views: [String: Int], misses: [String: Int])>(([:], [:]))

    /// Folders of the built site that hold no monograph pages.
    static let notPages: Set<Substring> = ["browse", "ingredients", "search", "api", "assets", "_formulary"]

    /// Views of the targets a connection answered, by target, added at once.
    func add(targets: [String: Int]) {
        var views: [String: Int] = [:]
        for (target, count) in targets {
            if let id = Self.pageID(target) { views[id, default: 0] += count }
        }
        guard !views.isEmpty else { return }
        counts.withLock { $0.views.merge(views, uniquingKeysWith: +) }
    }

    /// One connection's page views, counted on its event loop without a lock and handed to the
    /// shared counts every few hundred views and when the connection closes: counting costs a
    /// static page request one dictionary increment.
    struct Tally {
        private var targets: [String: Int] = [:]
        private var pending = 0

        /// Notes a 200 or 304 answer to a GET of `target` that could be a page (ends in `/`).
        mutating func note(_ target: String, into counts: ReaderCounts) {
            guard target.utf8.last == UInt8(ascii: "/") || target.hasSuffix("/index.html") else { return }
            targets[target, default: 0] += 1
            pending += 1
            if pending >= 256 { flush(into: counts) }
        }

        mutating func flush(into counts: ReaderCounts) {
            guard pending > 0 else { return }
            counts.add(targets: targets)
            targets.removeAll(keepingCapacity: true)
            pending = 0
        }
    }

    /// The page a request target names, by its address: `/composition/x/`,
    /// `/composition/x/index.html`, a translation's `/hi/composition/x/`.
    static func pageID(_ target: String) -> String? {
        var path = target.prefix { $0 != "?" && $0 != "#" }
        guard path.hasPrefix("/") else { return nil }
        if path.hasSuffix("/index.html") {
            path = path.dropLast("index.html".count)
        }
        guard path.hasSuffix("/"), path.count > 2 else { return nil }
        var parts = path.dropFirst().dropLast().split(separator: "/", omittingEmptySubsequences: false)
        var language: Substring?
        if parts.count == 3, DocumentLocation.languageSuffix(of: "x." + parts[0]) != nil {
            language = parts.removeFirst()
        }
        guard parts.count == 2, !parts.contains(where: \.isEmpty), !notPages.contains(parts[0]) else { return nil }
        if let language { parts.insert(language, at: 0) }
        let id = parts.joined(separator: "/")
        return id.contains("%") ? id.removingPercentEncoding : id
    }

    /// Counts a search that found nothing, by its normalised words (lower case, single spaces,
    /// at most 100 characters); an empty query is not counted.
    func miss(_ query: String) {
        guard let words = Self.normalized(query) else { return }
        counts.withLock { $0.misses[words, default: 0] += 1 }
    }

    static func normalized(_ query: String) -> String? {
        // Control characters (a tab, a stray U+000F) separate words like spaces.
        let words = String(
            String.UnicodeScalarView(
                query.lowercased().unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 })
        ).split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        guard !words.isEmpty else { return nil }
        return String(words.prefix(100))
    }

    /// The counts so far, which start again from nothing.
    func take() -> (views: [String: Int], misses: [String: Int]) {
        counts.withLock { counts in
            defer { counts = ([:], [:]) }
            return counts
        }
    }

    /// Puts counts back that could not be stored (the store was away), for the next try.
    func putBack(_ taken: (views: [String: Int], misses: [String: Int])) {
        counts.withLock { counts in
            counts.views.merge(taken.views, uniquingKeysWith: +)
            counts.misses.merge(taken.misses, uniquingKeysWith: +)
        }
    }

}
