import FormularyReview
import Foundation

/// One version of one monograph's Markdown: who wrote it, when, why, after which.
public struct Revision: Sendable, Equatable, Codable {
    public var monographID: String
    /// 1, 2, 3... per monograph.
    public var number: Int
    public var parent: Int?
    public var markdown: String
    public var author: String
    public var message: String
    /// ISO 8601, UTC.
    public var createdAt: String
}

/// A monograph the store knows: where its file is and which revision is current.
public struct StoredMonograph: Sendable, Equatable, Codable {
    public var id: String
    /// The file, relative to the content folder (`composition/paracetamol.md`).
    public var path: String
    public var currentRevision: Int
}

/// A proposed new text for a monograph, and what became of it.
public struct Suggestion: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected, withdrawn
        /// Sent back to its author with a reason; it stays in the queue's history.
        case changesRequested = "changes-requested"
    }

    public var id: Int
    public var monographID: String
    /// The revision the author edited.
    public var baseRevision: Int
    public var markdown: String
    public var author: String
    public var message: String
    public var status: Status
    public var createdAt: String
    public var reviewer: String?
    /// Why it was rejected or sent back, or why check errors were overridden.
    public var reason: String?
    public var decidedAt: String?
    /// The check errors found when it was submitted, one message each.
    public var checkErrors: [String]
    /// For a new page (base revision 0): its file, relative to the content folder.
    public var path: String?
}

/// A reader's report of a problem with a page (anonymous: no account, no address kept), and
/// what a reviewer made of it.
public struct ReaderReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, closed
    }

    public var id: Int
    public var monographID: String
    /// The section it is about (`dosage`), or "" for the whole page.
    public var section: String
    public var reason: String
    /// How to reach the reader, when they gave it (reviewers see it, nobody else): "" otherwise.
    public var contact: String
    public var status: Status
    public var createdAt: String
    public var closedBy: String?
    public var closedAt: String?
    /// What the reviewer did about it.
    public var note: String?

    public init(
        id: Int, monographID: String, section: String, reason: String, contact: String, status: Status,
        createdAt: String, closedBy: String? = nil, closedAt: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.monographID = monographID
        self.section = section
        self.reason = reason
        self.contact = contact
        self.status = status
        self.createdAt = createdAt
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.note = note
    }
}

/// Where revisions and suggestions live. SQLite (GRDB) on one machine; the PostgreSQL store
/// (postgres-nio) implements the same protocol.
public protocol ContributionStore: PeopleStore {
    func monographs() async throws -> [StoredMonograph]
    func monograph(id: String) async throws -> StoredMonograph?
    func revisions(of id: String) async throws -> [Revision]
    func revision(of id: String, number: Int) async throws -> Revision?
    /// Adds a revision as the monograph's current one (creating the monograph at revision 1).
    /// With `approving`, the same transaction records a suggestion's approval. With
    /// `ifCurrent`, nothing is added (`StoreError.stale`) unless that is still the current
    /// revision: an approval merged against a page that moved on meanwhile is merged again.
    /// The same transaction adds the change to the audit log.
    /// The sign-offs of the sections in `voiding` (those whose text the revision changes) stop
    /// standing; `signOffs` (an approval's, of the sections it changed) are then stored with the
    /// revision's number; all in the same transaction.
    func addRevision(
        monographID: String, path: String, markdown: String, author: String, message: String,
        approving: (suggestion: Int, reviewer: String, reason: String?)?, ifCurrent: Int?, voiding: [String],
        signOffs: [SignOff]
    ) async throws -> Revision
    /// A suggestion; base revision 0 (with `path`) proposes a page that does not exist yet.
    func addSuggestion(
        monographID: String, baseRevision: Int, markdown: String, author: String, message: String,
        checkErrors: [String], path: String?
    ) async throws -> Suggestion
    func suggestion(id: Int) async throws -> Suggestion?
    /// Oldest first, filtered by status and monograph when given; at most `limit` (all when
    /// nil) after skipping `offset`.
    func suggestions(status: Suggestion.Status?, monographID: String?, limit: Int?, offset: Int) async throws
        -> [Suggestion]
    func decide(suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?) async throws
    /// Stores sign-offs of one page's current revision, `revision` (`StoreError.stale` when the
    /// page moved on), with their audit entry, in one transaction; they come back numbered.
    func addSignOffs(_ signOffs: [SignOff], monographID: String, revision: Int) async throws -> [SignOff]
    /// A page's sign-offs, oldest first.
    func signOffs(of id: String) async throws -> [SignOff]
    /// Every page's sign-offs that its review can show (`PageReview`), oldest first: those that
    /// still stand (not voided) and each section's latest, which says what changed since. The
    /// rest is history, for `signOffs(of:)`: a build reading it all would grow with every edit.
    func reviewableSignOffs() async throws -> [SignOff]
    /// Records a reader's report of a page (which must exist), with its audit entry.
    func addReport(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    /// Reports, oldest first, by status and page when given; at most `limit` (all when nil).
    func reports(status: ReaderReport.Status?, monographID: String?, limit: Int?) async throws -> [ReaderReport]
    func report(id: Int) async throws -> ReaderReport?
    /// Closes an open report with the reviewer's note (`conflict` when it is closed already).
    func closeReport(id: Int, reviewer: String, note: String) async throws
    /// Adds to the day's counts: how often readers opened each page (`views`, by page id) and
    /// searches that found nothing (`misses`, by normalised query). No address, no time of day.
    func addCounts(day: String, views: [String: Int], misses: [String: Int]) async throws
    /// Views of each page since `day` (`YYYY-MM-DD`, inclusive).
    func views(since day: String) async throws -> [String: Int]
    /// Searches that found nothing since `day`, most frequent first, at most `limit`.
    func misses(since day: String, limit: Int) async throws -> [(query: String, count: Int)]
    /// When each page's text last changed through the store (approvals, reverts, edits found
    /// on disk), ISO 8601; pages whose text is still what was first imported are left out (the
    /// import's date is not the date their text was written).
    func pageChangeDates() async throws -> [String: String]
    /// Runs `work` while no other process of this store runs work this way (the import of a
    /// content folder: two servers starting at once on one database must not both add a page).
    func exclusively<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T
}

/// One accepted change to a page (a revision added), numbered in the order the store committed
/// it: the feed the servers of a shared store follow to serve what the others accepted.
public struct StoreChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A new revision: the page's text changed.
        case revision
        /// Sign-offs: the text is the same, its review changed.
        case signOff = "sign-off"
    }

    public var sequence: Int
    public var monographID: String
    public var revision: Int
    public var kind: Kind

    public init(sequence: Int, monographID: String, revision: Int, kind: Kind = .revision) {
        self.sequence = sequence
        self.monographID = monographID
        self.revision = revision
        self.kind = kind
    }
}

/// A store several servers share (PostgreSQL). Each revision added is also a change in a feed
/// numbered in commit order, announced to every listening server when it commits; a server
/// that missed announcements (it was down, or its connection was) reads the feed from where it
/// stopped.
public protocol SharedStore: ContributionStore {
    /// The number of the latest change; 0 when there is none.
    func latestChange() async throws -> Int
    /// The changes after `sequence`, oldest first, at most `limit`.
    func changes(after sequence: Int, limit: Int) async throws -> [StoreChange]
    /// Calls `announced` for every change committed from now on, by any server, until the
    /// task is cancelled (returns) or the connection fails (throws).
    func listenForChanges(_ announced: @escaping @Sendable () -> Void) async throws
}

extension ContributionStore {
    /// Every suggestion with that status and monograph, oldest first.
    public func suggestions(status: Suggestion.Status?, monographID: String?) async throws -> [Suggestion] {
        try await suggestions(status: status, monographID: monographID, limit: nil, offset: 0)
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case database(String)
    /// The database is not there (stopped, restarting, the network down): try again shortly.
    case unavailable(String)
    case notFound(String)
    case conflict(String)
    case invalid(String)
    /// The page moved on since the change was made against it; make it again.
    case stale(String)
    /// Not allowed for this person.
    case forbidden(String)

    public var description: String {
        switch self {
        case .database(let message): return "the database: \(message)"
        case .unavailable(let message): return "the database cannot be reached: \(message)"
        case .notFound(let message), .conflict(let message), .invalid(let message), .stale(let message),
            .forbidden(let message):
            return message
        }
    }
}

/// What every store checks before recording a suggestion.
enum SuggestionTarget {
    /// An edit needs its page; a new page (base revision 0) needs a path and no page yet.
    static func check(_ id: String, exists: Bool, baseRevision: Int, path: String?) throws {
        if baseRevision == 0 {
            guard !exists else { throw StoreError.conflict("\(id) exists already") }
            guard path != nil else { throw StoreError.invalid("a new page needs the path of its file") }
        } else if !exists {
            throw StoreError.notFound("no monograph has the id '\(id)'")
        }
    }

    /// Whether a revision may be added on top of `current`.
    static func checkCurrent(_ current: Int?, expected: Int?, id: String) throws {
        if let expected, expected != (current ?? 0) {
            throw StoreError.stale("\(id) moved on to revision \(current ?? 0) (expected \(expected))")
        }
    }

    /// The audit detail of sign-offs: `revision 3: dosage, precautions (message)`.
    static func signOffDetail(_ signOffs: [SignOff], revision: Int) -> String {
        let message = signOffs.first?.message ?? ""
        return "revision \(revision): " + signOffs.map(\.section).joined(separator: ", ")
            + (message.isEmpty ? "" : " (\(message))")
    }

    /// Each page's current revision's date, unless it is the first import of its file.
    static let pageChangeDatesQuery = """
        SELECT r.monograph_id, r.created_at FROM monograph m
        JOIN revision r ON r.monograph_id = m.id AND r.number = m.current_revision
        WHERE NOT (r.number = 1 AND r.author = 'import')
        """

    /// Check errors as the JSON array both stores keep them in.
    static func encoded(_ errors: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(errors)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

public enum Clock {
    public static func now() -> String { Date().formatted(.iso8601) }

    /// `YYYY-MM-DD` (UTC) of today, or of `daysAgo` days ago: the days counts are kept by.
    public static func day(daysAgo: Int = 0) -> String {
        String(Date().addingTimeInterval(-Double(daysAgo) * 86_400).formatted(.iso8601).prefix(10))
    }
}

/// The store at `location`: a `postgres://` (or `postgresql://`) URL, or a SQLite file.
/// `serving`: for `formulary serve`, which keeps its connections open.
public func openContributionStore(_ location: String, serving: Bool = false) async throws -> any ContributionStore {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        return try await PostgresStore(url: location, serving: serving)
    }
    return try SQLiteStore(path: location)
}

extension ContributionStore {
    /// What a build shows of the store: the sign-offs pages' reviews can show, and when each
    /// page's text last changed.
    public func reviewLedger() async throws -> ReviewLedger {
        ReviewLedger(signOffs: try await reviewableSignOffs(), changedAt: try await pageChangeDates())
    }
}
