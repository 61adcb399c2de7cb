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
                "SELECT \(raw: Self.suggestionColumns) FROM suggestion"
                    + Self.filter(status: status?.rawValue, monographID: monographID)
                    + "ORDER BY id LIMIT \(limit ?? Int.max) OFFSET \(max(0, offset))"
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

    /// ` WHERE status = ... AND monograph_id = ... ` for the filters given, or a space.
    private static func filter(status: String?, monographID: String?) -> SQL {
        var conditions: [SQL] = []
        if let status { conditions.append("status = \(status)") }
        if let monographID { conditions.append("monograph_id = \(monographID)") }
        guard let first = conditions.first else { return " " }
        return conditions.dropFirst().reduce(" WHERE " + first) { $0 + " AND " + $1 } + " "
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

    public func allSignOffs() async throws -> [SignOff] {
        try await read { session in
            try await session.rows("SELECT \(raw: Self.signOffColumns) FROM sign_off ORDER BY id").map(Self.signOff)
        }
    }

    // MARK: Readers' reports and counts

    public func addReport(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    {
        try await write { session in
            guard try await session.exists("SELECT 1 FROM monograph WHERE id = \(monographID)") else {
                throw StoreError.notFound("no monograph has the id '\(monographID)'")
            }
            let created = Clock.now()
            let id =
                try await session.int(
                    """
                    INSERT INTO reader_report (monograph_id, section, reason, contact, status, created_at)
                    VALUES (\(monographID), \(section), \(reason), \(contact), 'open', \(created)) RETURNING id
                    """) ?? 0
            try await Self.audit(
                session,
                AuditEntry(
                    at: created, actor: "reader", action: "report", target: monographID,
                    detail: "report \(id)" + (section.isEmpty ? "" : " on \(section)")))
            return ReaderReport(
                id: id, monographID: monographID, section: section, reason: reason, contact: contact, status: .open,
                createdAt: created)
        }
    }

    static let reportColumns =
        "id, monograph_id, section, reason, contact, status, created_at, closed_by, closed_at, note"

    public func reports(status: ReaderReport.Status?, monographID: String?, limit: Int?) async throws
        -> [ReaderReport]
    {
        try await read { session in
            try await session.rows(
                "SELECT \(raw: Self.reportColumns) FROM reader_report"
                    + Self.filter(status: status?.rawValue, monographID: monographID)
                    + "ORDER BY id LIMIT \(limit ?? Int.max)"
            ).map(Self.report)
        }
    }

    public func report(id: Int) async throws -> ReaderReport? {
        try await read { session in
            try await session.row("SELECT \(raw: Self.reportColumns) FROM reader_report WHERE id = \(id)").map(
                Self.report)
        }
    }

    public func closeReport(id: Int, reviewer: String, note: String) async throws {
        let forUpdate = self.forUpdate
        try await write { session in
            guard
                let row = try await session.row(
                    "SELECT status, monograph_id FROM reader_report WHERE id = \(id)\(raw: forUpdate)")
            else { throw StoreError.notFound("no report #\(id)") }
            guard try row.text(0) == ReaderReport.Status.open.rawValue else {
                throw StoreError.conflict("report #\(id) is closed already")
            }
            let now = Clock.now()
            try await session.execute(
                """
                UPDATE reader_report SET status = 'closed', closed_by = \(reviewer), closed_at = \(now), note = \(note)
                WHERE id = \(id)
                """)
            try await Self.audit(
                session,
                AuditEntry(
                    at: now, actor: reviewer, action: "close-report", target: try row.text(1),
                    detail: "report \(id): \(note)"))
        }
    }

    public func addCounts(day: String, views: [String: Int], misses: [String: Int]) async throws {
        guard !views.isEmpty || !misses.isEmpty else { return }
        try await write { session in
            // In order of key, so that two servers adding at once take the rows' locks in one order.
            for (id, count) in views.sorted(by: { $0.key < $1.key }) {
                try await session.execute(
                    """
                    INSERT INTO page_view (day, monograph_id, count) VALUES (\(day), \(id), \(count))
                    ON CONFLICT (day, monograph_id) DO UPDATE SET count = page_view.count + excluded.count
                    """)
            }
            for (query, count) in misses.sorted(by: { $0.key < $1.key }) {
                try await session.execute(
                    """
                    INSERT INTO search_miss (day, query, count) VALUES (\(day), \(query), \(count))
                    ON CONFLICT (day, query) DO UPDATE SET count = search_miss.count + excluded.count
                    """)
            }
        }
    }

    public func views(since day: String) async throws -> [String: Int] {
        try await read { session in
            var views: [String: Int] = [:]
            for row in try await session.rows(
                "SELECT monograph_id, CAST(SUM(count) AS BIGINT) FROM page_view WHERE day >= \(day) GROUP BY monograph_id"
            ) {
                views[try row.text(0)] = try row.int(1)
            }
            return views
        }
    }

    public func misses(since day: String, limit: Int) async throws -> [(query: String, count: Int)] {
        let rows = try await read { session in
            try await session.rows(
                """
                SELECT query, CAST(SUM(count) AS BIGINT) AS total FROM search_miss WHERE day >= \(day)
                GROUP BY query ORDER BY total DESC, query LIMIT \(limit)
                """)
        }
        return try await run { try rows.map { (query: try $0.text(0), count: try $0.int(1)) } }
    }

    // MARK: People

    public func addUser(_ user: User, passwordHash: String) async throws {
        try await write { session in
            let qualifications = AuditText.qualifications(user.qualifications)
            guard
                try await session.exists(
                    """
                    INSERT INTO person (name, role, qualifications, password_hash, created_at)
                    VALUES (\(user.name), \(user.role.rawValue), \(qualifications), \(passwordHash), \(user.createdAt))
                    ON CONFLICT (name) DO NOTHING RETURNING name
                    """)
            else { throw StoreError.conflict("there is a user named '\(user.name)' already") }
            try await Self.audit(
                session,
                AuditEntry(
                    actor: "cli", action: "user-add", target: user.name,
                    detail: "role \(user.role.rawValue); qualifications: \(qualifications)"))
        }
    }

    public func user(named name: String) async throws -> (user: User, passwordHash: String)? {
        let row = try await read { session in
            try await session.row(
                "SELECT name, role, qualifications, created_at, password_hash FROM person WHERE name = \(name)")
        }
        return try await run { try row.map { (try Self.user($0), try $0.text(4)) } }
    }

    public func users() async throws -> [User] {
        try await read { session in
            try await session.rows("SELECT name, role, qualifications, created_at FROM person ORDER BY name").map(
                Self.user)
        }
    }

    public func addSession(_ session: SessionRecord) async throws {
        try await write { connection in
            // Expired sessions go as new ones come.
            try await connection.execute("DELETE FROM session WHERE expires_at < \(Int(Date().timeIntervalSince1970))")
            try await connection.execute(
                """
                INSERT INTO session (token_hash, user_name, csrf, expires_at)
                VALUES (\(session.tokenHash), \(session.user), \(session.csrf), \(session.expiresAt))
                """)
            try await Self.audit(
                connection, AuditEntry(actor: session.user, action: "sign-in", target: session.user, detail: ""))
        }
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        let row = try await read { session in
            try await session.row(
                "SELECT token_hash, user_name, csrf, expires_at FROM session WHERE token_hash = \(tokenHash)")
        }
        return try await run {
            try row.map {
                SessionRecord(
                    tokenHash: try $0.text(0), user: try $0.text(1), csrf: try $0.text(2), expiresAt: try $0.int(3))
            }
        }
    }

    public func removeSession(tokenHash: String) async throws {
        try await write { session in
            for row in try await session.rows(
                "DELETE FROM session WHERE token_hash = \(tokenHash) RETURNING user_name")
            {
                let user = try row.text(0)
                try await Self.audit(session, AuditEntry(actor: user, action: "sign-out", target: user, detail: ""))
            }
        }
    }

    public func addToken(tokenHash: String, user: String, label: String) async throws {
        try await write { session in
            try await session.execute(
                """
                INSERT INTO api_token (token_hash, user_name, label, created_at)
                VALUES (\(tokenHash), \(user), \(label), \(Clock.now()))
                """)
            try await Self.audit(session, AuditEntry(actor: user, action: "token-add", target: user, detail: label))
        }
    }

    public func tokenUser(tokenHash: String) async throws -> String? {
        let row = try await read { session in
            try await session.row("SELECT user_name FROM api_token WHERE token_hash = \(tokenHash)")
        }
        return try await run { try row?.text(0) }
    }

    public func record(_ entry: AuditEntry) async throws {
        try await write { session in try await Self.audit(session, entry) }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await read { session in
            try await session.rows(
                "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT \(limit)"
            ).map {
                AuditEntry(
                    id: try $0.int(0), at: try $0.text(1), actor: try $0.text(2), action: try $0.text(3),
                    target: try $0.text(4), detail: try $0.text(5))
            }
        }
    }

    static func audit(_ session: any SQLSession, _ entry: AuditEntry) async throws {
        try await session.execute(
            """
            INSERT INTO audit (at, actor, action, target, detail)
            VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
            """)
    }

    // MARK: Rows as records

    private static func monograph(_ row: SQLRow) throws -> StoredMonograph {
        StoredMonograph(id: try row.text(0), path: try row.text(1), currentRevision: try row.int(2))
    }

    private static func revision(_ row: SQLRow) throws -> Revision {
        Revision(
            monographID: try row.text(0), number: try row.int(1), parent: try row.optionalInt(2),
            markdown: try row.text(3), author: try row.text(4), message: try row.text(5), createdAt: try row.text(6))
    }

    private static func suggestion(_ row: SQLRow) throws -> Suggestion {
        Suggestion(
            id: try row.int(0), monographID: try row.text(1), baseRevision: try row.int(2), markdown: try row.text(3),
            author: try row.text(4), message: try row.text(5),
            status: Suggestion.Status(rawValue: try row.text(6)) ?? .pending, createdAt: try row.text(7),
            reviewer: try row.optionalText(8), reason: try row.optionalText(9), decidedAt: try row.optionalText(10),
            checkErrors: (try? JSONDecoder().decode([String].self, from: Data(try row.text(11).utf8))) ?? [],
            path: try row.optionalText(12))
    }

    private static func signOff(_ row: SQLRow) throws -> SignOff {
        SignOff(
            id: try row.int(0), monographID: try row.text(1), revision: try row.int(2), section: try row.text(3),
            textHash: try row.text(4), reviewer: try row.text(5),
            qualifications: AuditText.qualifications(try row.text(6)), message: try row.text(7), at: try row.text(8),
            suggestion: try row.optionalInt(9), voidedAt: try row.optionalInt(10))
    }

    private static func report(_ row: SQLRow) throws -> ReaderReport {
        ReaderReport(
            id: try row.int(0), monographID: try row.text(1), section: try row.text(2), reason: try row.text(3),
            contact: try row.text(4), status: ReaderReport.Status(rawValue: try row.text(5)) ?? .open,
            createdAt: try row.text(6), closedBy: try row.optionalText(7), closedAt: try row.optionalText(8),
            note: try row.optionalText(9))
    }

    private static func user(_ row: SQLRow) throws -> User {
        User(
            name: try row.text(0), role: User.Role(rawValue: try row.text(1)) ?? .contributor,
            qualifications: AuditText.qualifications(try row.text(2)), createdAt: try row.text(3))
    }
}
