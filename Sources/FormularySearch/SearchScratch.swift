import Foundation
import FormularyModel
import FormularyParsing

/// The best pages of a query, kept in order as they are offered: best score first; on a tie
/// the shorter title (the simpler medicine), then index order (sorted paths).
struct TopPages {
    let limit: Int
    private(set) var pages: [(page: Int32, score: Double, titleLength: Int)] = []

    init(limit: Int) {
        self.limit = limit
        pages.reserveCapacity(min(limit, 100) + 1)
    }

    @inline(__always)
    private static func precedes(
        _ a: (page: Int32, score: Double, titleLength: Int), _ b: (page: Int32, score: Double, titleLength: Int)
    ) -> Bool {
        (b.score, a.titleLength, a.page) < (a.score, b.titleLength, b.page)
    }

    mutating func offer(page: Int32, score: Double, titleLength: Int) {
        guard limit > 0 else { return }
        let entry = (page: page, score: score, titleLength: titleLength)
        if pages.count == limit {
            guard Self.precedes(entry, pages[limit - 1]) else { return }
            pages.removeLast()
        }
        var position = pages.count
        while position > 0, Self.precedes(entry, pages[position - 1]) { position -= 1 }
        pages.insert(entry, at: position)
    }
}

/// A query's working memory, one slot per page, reused from query to query: the best match
/// quality of the current word, the sum over words, how many required words matched (and how
/// many of them by a strong name match), and the page's score once it has one. Only the slots
/// a query touched are cleared after it.
final class SearchScratch {
    let best: UnsafeMutablePointer<Double>
    let sum: UnsafeMutablePointer<Double>
    let requiredHits: UnsafeMutablePointer<UInt8>
    let strongHits: UnsafeMutablePointer<UInt8>
    /// Position + 1 in `scoredPages`, 0 for none.
    private let scoreSlot: UnsafeMutablePointer<Int32>
    private let pageCount: Int
    /// Pages the current word matched.
    private var touched: [Int32] = []
    /// Pages any word matched.
    private var matched: [Int32] = []
    private var scoredPages: [(page: Int32, score: Double)] = []

    init(pages: Int) {
        pageCount = max(pages, 1)
        best = .allocate(capacity: pageCount)
        best.initialize(repeating: 0, count: pageCount)
        sum = .allocate(capacity: pageCount)
        sum.initialize(repeating: 0, count: pageCount)
        requiredHits = .allocate(capacity: pageCount)
        requiredHits.initialize(repeating: 0, count: pageCount)
        strongHits = .allocate(capacity: pageCount)
        strongHits.initialize(repeating: 0, count: pageCount)
        scoreSlot = .allocate(capacity: pageCount)
        scoreSlot.initialize(repeating: 0, count: pageCount)
    }

    deinit {
        best.deallocate()
        sum.deallocate()
        requiredHits.deallocate()
        strongHits.deallocate()
        scoreSlot.deallocate()
    }

    /// The pages of word `key` in `postings` match the current word with `quality`, unless
    /// they matched it better already.
    @inline(__always)
    func add(_ postings: Postings, _ key: Int, _ quality: Double) {
        for entry in postings.range(key) {
            let page = Int(postings[entry])
            let current = best[page]
            if current < quality {
                if current == 0 { touched.append(Int32(page)) }
                best[page] = quality
            }
        }
    }

    /// The current word is done: its qualities go into the sums and counts.
    func finishTerm(required: Bool, strong: Double) {
        for page in touched {
            let index = Int(page)
            if sum[index] == 0 { matched.append(page) }
            sum[index] += best[index]
            if required {
                requiredHits[index] += 1
                if best[index] >= strong { strongHits[index] += 1 }
            }
            best[index] = 0
        }
        touched.removeAll(keepingCapacity: true)
    }

    func mostRequiredHits() -> Int {
        var most: UInt8 = 0
        for page in matched where requiredHits[Int(page)] > most { most = requiredHits[Int(page)] }
        return Int(most)
    }

    func pagesWithRequiredHits(_ count: Int) -> [Int32] {
        matched.filter { Int(requiredHits[Int($0)]) == count }
    }

    func setScore(_ page: Int32, _ score: Double) {
        let slot = Int(scoreSlot[Int(page)])
        if slot > 0 {
            scoredPages[slot - 1].score = score
        } else {
            scoredPages.append((page, score))
            scoreSlot[Int(page)] = Int32(scoredPages.count)
        }
    }

    /// A page's score becomes `score` unless it has a higher one; a page that already has a
    /// score (found by name) gains a quarter point at least.
    func raiseScore(_ page: Int32, to score: Double) {
        let slot = Int(scoreSlot[Int(page)])
        if slot > 0 {
            // A page found by name whose text also has the words: a little ahead of one that
            // has only the name (two pages of one medicine, one mentioning the brand asked for).
            scoredPages[slot - 1].score = max(scoredPages[slot - 1].score + 0.25, score)
        } else {
            setScore(page, max(0, score))
        }
    }

    func scored() -> [(page: Int32, score: Double)] { scoredPages }

    /// Clears what the query touched, for the next one.
    func reset() {
        for page in matched {
            let index = Int(page)
            sum[index] = 0
            requiredHits[index] = 0
            strongHits[index] = 0
        }
        for entry in scoredPages { scoreSlot[Int(entry.page)] = 0 }
        for page in touched { best[Int(page)] = 0 }
        matched.removeAll(keepingCapacity: true)
        scoredPages.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
    }
}

/// Scratch memory for as many queries as run at once.
///
/// Unchecked because `SearchScratch` is a class with mutable arrays (not Sendable): the pool
/// hands each one to one query at a time (`take` removes it from `free` under the lock, `give`
/// puts it back after the query is done with it), so no scratch is ever used by two threads.
/// `Locked` would need the scratch to be Sendable; this lock is the same POSIX mutex.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SearchScratch] = []
    private let pages: Int

    init(pages: Int) { self.pages = pages }

    func take() -> SearchScratch {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? SearchScratch(pages: pages)
    }

    func give(_ scratch: SearchScratch) {
        scratch.reset()
        lock.lock()
        defer { lock.unlock() }
        if free.count < 16 { free.append(scratch) }
    }
}
