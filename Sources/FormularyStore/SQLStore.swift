import FormularyReview
import Foundation

/// The store's operations, written once over what differs between SQLite and PostgreSQL
/// (`SQLDatabase`: how statements run, how a transaction holds off other writers, errors).
/// `SQLiteStore` and `PostgresStore` are this with their database; PostgreSQL adds the change
/// feed several servers follow (`announce`) and a lock across machines (`exclusively`).
public class SQLStore: ContributionStore, @unchecked Sendable {
    let database: any SQLDatabase

    init(database: any SQLDatabase) {
        self.database = database
    }

    var forUpdate: String { database.dialect.forUpdate }

    /// Runs `work`, its failures as the store's errors (a refusal of the workflow stays as it is).
    func run<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StoreError {
            throw error
        } catch {
            throw database.storeError(error)
        }
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await run { try await database.reading(work) }
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await run { try await database.transaction(work) }
    }

    /// Tells the servers that follow the store that `change` happened, when the transaction
    /// commits (PostgreSQL's feed); nothing for a store one server writes.
    func announce(_ change: StoreChange, at: String, in session: any SQLSession) async throws {}

    /// One server writes a SQLite store, and its writes are serialised already.
    public func exclusively<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await work()
    }

    // MARK: Pages and revisions

    public func monographs() async throws -> [StoredMonograph] {
        try await read { session in
            try await session.rows("SELECT id, path, current_revision FROM monograph ORDER BY id").map(Self.monograph)
        }
    }

    public func monograph(id: String) async throws -> StoredMonograph? {
        try await read { session in
            try await session.row("SELECT id, path, current_revision FROM monograph WHERE id = \(id)").map(
                Self.monograph)
        }
    }

    static let revisionColumns = "monograph_id, number, parent, markdown, author, message, created_at"

    public func revisions(of id: String) async throws -> [Revision] {
        try await read { session in
            try await session.rows(
                "SELECT \(raw: Self.revisionColumns) FROM revision WHERE monograph_id = \(id) ORDER BY number"
            ).map(Self.revision)
        }
    }

    public func revision(of id: String, number: Int) async throws -> Revision? {
        try await read { session in
            try await session.row(
                "SELECT \(raw: Self.revisionColumns) FROM revision WHERE monograph_id = \(id) AND number = \(number)"
            ).map(Self.revision)
        }
    }

    public func addRevision(
        monographID: String, path: String, markdown: String, author: String, message: String,
        approving: (suggestion: Int, reviewer: String, reason: String?)?, ifCurrent: Int?, voiding: [String],
        signOffs: [SignOff]
    ) async throws -> Revision {
        let forUpdate = self.forUpdate
        let approval = approving.map { Approval(suggestion: $0.suggestion, reviewer: $0.reviewer, reason: $0.reason) }
        return try await write { session in
            // Locked: two approvals of one page at once get numbers one after the other.
            let current = try await session.int(
                "SELECT current_revision FROM monograph WHERE id = \(monographID)\(raw: forUpdate)")
            try SuggestionTarget.checkCurrent(current, expected: ifCurrent, id: monographID)
            let revision = Revision(
                monographID: monographID, number: (current ?? 0) + 1, parent: current, markdown: markdown,
                author: author, message: message, createdAt: Clock.now())
            if current == nil {
                try await session.execute(
                    "INSERT INTO monograph (id, path, current_revision) VALUES (\(monographID), \(path), \(revision.number))"
                )
            } else {
                try await session.execute(
                    "UPDATE monograph SET current_revision = \(revision.number), path = \(path) WHERE id = \(monographID)"
                )
            }
            try await session.execute(
                """
                INSERT INTO revision (\(raw: Self.revisionColumns))
                VALUES (\(monographID), \(revision.number), \(revision.parent), \(markdown), \(author), \(message), \(revision.createdAt))
                """)
            if let approval {
                try await Self.decide(
                    session, suggestion: approval.suggestion, status: .approved, reviewer: approval.reviewer,
                    reason: approval.reason, forUpdate: forUpdate)
            } else {
                try await Self.audit(
                    session,
                    AuditEntry(
                        actor: author, action: "revision", target: monographID,
                        detail: "revision \(revision.number): \(message)"))
            }
            for section in voiding {
                try await session.execute(
                    """
                    UPDATE sign_off SET voided_at = \(revision.number)
                    WHERE monograph_id = \(monographID) AND section = \(section) AND voided_at IS NULL
                    """)
            }
            _ = try await Self.insert(session, signOffs, monographID: monographID, revision: revision.number)
            try await self.announce(
                StoreChange(sequence: 0, monographID: monographID, revision: revision.number), at: revision.createdAt,
                in: session)
            return revision
        }
    }

    /// Who approves a suggestion with a revision.
    private struct Approval: Sendable {
        var suggestion: Int
        var reviewer: String
        var reason: String?
    }

    public func pageChangeDates() async throws -> [String: String] {
        try await read { session in
            var dates: [String: String] = [:]
            for row in try await session.rows(SQL(stringLiteral: SuggestionTarget.pageChangeDatesQuery)) {
                dates[try row.text(0)] = try row.text(1)
            }
            return dates
        }
    }

    // MARK: Suggestions

    public func addSuggestion(
        monographID: String, baseRevision: Int, markdown: String, author: String, message: String,
        checkErrors: [String], path: String?
    ) async throws -> Suggestion {
        try await write { session in
            let exists = try await session.exists("SELECT 1 FROM monograph WHERE id = \(monographID)")
            try SuggestionTarget.check(monographID, exists: exists, baseRevision: baseRevision, path: path)
            let created = Clock.now()
            let id =
                try await session.int(
                    """
                    INSERT INTO suggestion (monograph_id, base_revision, markdown, author, message, status, created_at, check_errors, path)
                    VALUES (\(monographID), \(baseRevision), \(markdown), \(author), \(message), 'pending', \(created), \(SuggestionTarget.encoded(checkErrors)), \(path))
                    RETURNING id
                    """) ?? 0
            try await Self.audit(
                session,
                AuditEntry(
                    at: created, actor: author, action: "suggest", target: monographID,
                    detail: "suggestion \(id) on revision \(baseRevision)"))
            return Suggestion(
                id: id, monographID: monographID, baseRevision: baseRevision, markdown: markdown, author: author,
                message: message, status: .pending, createdAt: created, reviewer: nil, reason: nil, decidedAt: nil,
                checkErrors: checkErrors, path: path)
        }
    }

    static let suggestionColumns =
        "id, monograph_id, base_revision, markdown, author, message, status, created_at, reviewer, reason, decided_at, check_errors, path"

    public func suggestion(id: Int) async throws -> Suggestion? {
        try await read { session in
            try await session.row("SELECT \(raw: Self.suggestionColumns) FROM suggestion WHERE id = \(id)").map(
                Self.suggestion)
        }
    }

    public func suggestions(status: Suggestion.Status?, monographID: String?, limit: Int?, offset: Int) async throws
        -> [Suggestion]
    {
        try await read { session in
            try await session.rows(
                Self.listing(
                    Self.suggestionColumns, from: "suggestion", status: status?.rawValue, monographID: monographID,
                    limit: limit, offset: offset)
            ).map(Self.suggestion)
        }
    }

    public func decide(suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?) async throws {
        let forUpdate = self.forUpdate
        try await write { session in
            try await Self.decide(
                session, suggestion: id, status: status, reviewer: reviewer, reason: reason, forUpdate: forUpdate)
        }
    }

    private static func decide(
        _ session: any SQLSession, suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?,
        forUpdate: String
    ) async throws {
        guard let row = try await session.row("SELECT status FROM suggestion WHERE id = \(id)\(raw: forUpdate)") else {
            throw StoreError.notFound("no suggestion #\(id)")
        }
        let current = try row.text(0)
        guard current == Suggestion.Status.pending.rawValue else {
            throw StoreError.conflict("suggestion #\(id) is \(current), not pending")
        }
        let now = Clock.now()
        try await session.execute(
            """
            UPDATE suggestion SET status = \(status.rawValue), reviewer = \(reviewer), reason = \(reason),
                decided_at = \(now) WHERE id = \(id)
            """)
        try await audit(
            session,
            AuditEntry(
                at: now, actor: reviewer, action: AuditText.action(status), target: "suggestion \(id)",
                detail: reason ?? ""))
    }

    /// `SELECT columns FROM table`, only the rows of `status` and `monographID` when given, by
    /// id, `limit` of them (all without) from `offset` on.
    static func listing(
        _ columns: String, from table: String, status: String?, monographID: String?, limit: Int?, offset: Int = 0
    ) -> SQL {
        var conditions: [SQL] = []
        if let status { conditions.append("status = \(status)") }
        if let monographID { conditions.append("monograph_id = \(monographID)") }
        let filter = conditions.dropFirst().reduce(conditions.first.map { " WHERE " + $0 } ?? "") { $0 + " AND " + $1 }
        return "SELECT \(raw: columns) FROM \(raw: table)" + filter
            + " ORDER BY id LIMIT \(limit ?? Int.max) OFFSET \(max(0, offset))"
    }

    // MARK: Sign-offs

    public func addSignOffs(_ signOffs: [SignOff], monographID: String, revision: Int) async throws -> [SignOff] {
        let forUpdate = self.forUpdate
        return try await write { session in
            // Locked: a revision added meanwhile waits for this, or this sees it.
            let current = try await session.int(
                "SELECT current_revision FROM monograph WHERE id = \(monographID)\(raw: forUpdate)")
            guard current != nil else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
            try SuggestionTarget.checkCurrent(current, expected: revision, id: monographID)
            let stored = try await Self.insert(session, signOffs, monographID: monographID, revision: revision)
            try await self.announce(
                StoreChange(sequence: 0, monographID: monographID, revision: revision, kind: .signOff), at: Clock.now(),
                in: session)
            return stored
        }
    }

    /// Stores sign-offs of `revision`, and their audit entry.
    private static func insert(_ session: any SQLSession, _ signOffs: [SignOff], monographID: String, revision: Int)
        async throws -> [SignOff]
    {
        guard let first = signOffs.first else { return [] }
        var stored: [SignOff] = []
        for var signOff in signOffs {
            signOff.monographID = monographID
            signOff.revision = revision
            signOff.id =
                try await session.int(
                    """
                    INSERT INTO sign_off (monograph_id, revision, section, text_hash, reviewer, qualifications, message, at, suggestion)
                    VALUES (\(monographID), \(revision), \(signOff.section), \(signOff.textHash), \(signOff.reviewer),
                            \(AuditText.qualifications(signOff.qualifications)), \(signOff.message), \(signOff.at), \(signOff.suggestion))
                    RETURNING id
                    """) ?? 0
            stored.append(signOff)
        }
        try await audit(
            session,
            AuditEntry(
                at: first.at, actor: first.reviewer, action: "sign-off", target: monographID,
                detail: SuggestionTarget.signOffDetail(signOffs, revision: revision)))
        return stored
    }

    static let signOffColumns =
        "id, monograph_id, revision, section, text_hash, reviewer, qualifications, message, at, suggestion, voided_at"

    public func signOffs(of id: String) async throws -> [SignOff] {
        try await read { session in
            try await session.rows(
                "SELECT \(raw: Self.signOffColumns) FROM sign_off WHERE monograph_id = \(id) ORDER BY id"
            ).map(Self.signOff)
        }
    }

    public func reviewableSignOffs() async throws -> [SignOff] {
        try await read { session in
            try await session.rows(
                """
                SELECT \(raw: Self.signOffColumns) FROM sign_off WHERE id IN (
                    SELECT id FROM sign_off WHERE voided_at IS NULL
                    UNION
                    SELECT id FROM (
                        SELECT id, ROW_NUMBER() OVER (PARTITION BY monograph_id, section ORDER BY at DESC, id DESC)
                            AS recency
                        FROM sign_off) AS ranked
                    WHERE recency = 1)
                ORDER BY id
                """
            ).map(Self.signOff)
        }
    }

}
