import FormularyReview
import Foundation
import GRDB

/// The store in one SQLite file (GRDB, write-ahead log), `.formulary/formulary.sqlite` in a site.
public final class SQLiteStore: ContributionStore {
    private let database: DatabasePool

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        // An approved edit is on disk before the approval returns.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw StoreError.database("\(path): \(error)")
        }
    }

    /// The schema, one named migration a change; applied migrations are never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-25 monographs, revisions, suggestions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE monograph (
                        id TEXT PRIMARY KEY NOT NULL,
                        path TEXT NOT NULL,
                        current_revision INTEGER NOT NULL
                    );
                    CREATE TABLE revision (
                        monograph_id TEXT NOT NULL REFERENCES monograph(id),
                        number INTEGER NOT NULL,
                        parent INTEGER,
                        markdown TEXT NOT NULL,
                        author TEXT NOT NULL,
                        message TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (monograph_id, number)
                    );
                    CREATE TABLE suggestion (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        monograph_id TEXT NOT NULL REFERENCES monograph(id),
                        base_revision INTEGER NOT NULL,
                        markdown TEXT NOT NULL,
                        author TEXT NOT NULL,
                        message TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        reviewer TEXT,
                        reason TEXT,
                        decided_at TEXT,
                        check_errors TEXT NOT NULL
                    );
                    CREATE INDEX suggestion_queue ON suggestion(status, id);
                    """)
        }
        migrator.registerMigration("2026-11-25 suggestions of new pages") { db in
            // A suggestion may name a page that does not exist yet (so no reference to
            // monograph), with the path its file will have.
            try db.execute(
                sql: """
                    CREATE TABLE suggestion_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        monograph_id TEXT NOT NULL,
                        base_revision INTEGER NOT NULL,
                        markdown TEXT NOT NULL,
                        author TEXT NOT NULL,
                        message TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        reviewer TEXT,
                        reason TEXT,
                        decided_at TEXT,
                        check_errors TEXT NOT NULL,
                        path TEXT
                    );
                    INSERT INTO suggestion_new
                        SELECT id, monograph_id, base_revision, markdown, author, message, status, created_at,
                               reviewer, reason, decided_at, check_errors, NULL
                        FROM suggestion;
                    DROP TABLE suggestion;
                    ALTER TABLE suggestion_new RENAME TO suggestion;
                    CREATE INDEX suggestion_queue ON suggestion(status, id);
                    """)
        }
        migrator.registerMigration("2026-11-26 people, sessions, tokens, audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE person (
                        name TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL,
                        qualifications TEXT NOT NULL,
                        password_hash TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE session (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        user_name TEXT NOT NULL REFERENCES person(name),
                        csrf TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE TABLE api_token (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        user_name TEXT NOT NULL REFERENCES person(name),
                        label TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2026-12-07 sign-offs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sign_off (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        monograph_id TEXT NOT NULL REFERENCES monograph(id),
                        revision INTEGER NOT NULL,
                        section TEXT NOT NULL,
                        text_hash TEXT NOT NULL,
                        reviewer TEXT NOT NULL,
                        qualifications TEXT NOT NULL,
                        message TEXT NOT NULL,
                        at TEXT NOT NULL,
                        suggestion INTEGER,
                        voided_at INTEGER
                    );
                    CREATE INDEX sign_off_page ON sign_off(monograph_id, id);
                    """)
        }
        migrator.registerMigration("2026-12-07 reader reports") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reader_report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        monograph_id TEXT NOT NULL REFERENCES monograph(id),
                        section TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        contact TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        closed_by TEXT,
                        closed_at TEXT,
                        note TEXT
                    );
                    CREATE INDEX reader_report_open ON reader_report(status, id);
                    """)
        }
        migrator.registerMigration("2026-12-07 page views and searches that found nothing") { db in
            try db.execute(
                sql: """
                    CREATE TABLE page_view (
                        day TEXT NOT NULL, monograph_id TEXT NOT NULL, count INTEGER NOT NULL,
                        PRIMARY KEY (day, monograph_id)
                    );
                    CREATE TABLE search_miss (
                        day TEXT NOT NULL, query TEXT NOT NULL, count INTEGER NOT NULL,
                        PRIMARY KEY (day, query)
                    );
                    """)
        }
        return migrator
    }

    private static func audit(_ db: Database, _ entry: AuditEntry) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [entry.at, entry.actor, entry.action, entry.target, entry.detail])
    }

    private func run<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    public func monographs() async throws -> [StoredMonograph] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT id, path, current_revision FROM monograph ORDER BY id").map(
                    Self.monograph)
            }
        }
    }

    public func monograph(id: String) async throws -> StoredMonograph? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT id, path, current_revision FROM monograph WHERE id = ?", arguments: [id]
                )
                .map(Self.monograph)
            }
        }
    }

    public func revisions(of id: String) async throws -> [Revision] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM revision WHERE monograph_id = ? ORDER BY number", arguments: [id]
                ).map(Self.revision)
            }
        }
    }

    public func revision(of id: String, number: Int) async throws -> Revision? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM revision WHERE monograph_id = ? AND number = ?", arguments: [id, number]
                ).map(Self.revision)
            }
        }
    }

    public func addRevision(
        monographID: String, path: String, markdown: String, author: String, message: String,
        approving: (suggestion: Int, reviewer: String, reason: String?)?, ifCurrent: Int?, voiding: [String],
        signOffs: [SignOff]
    ) async throws -> Revision {
        try await run {
            try await database.write { db in
                let current = try Int.fetchOne(
                    db, sql: "SELECT current_revision FROM monograph WHERE id = ?", arguments: [monographID])
                try SuggestionTarget.checkCurrent(current, expected: ifCurrent, id: monographID)
                let revision = Revision(
                    monographID: monographID, number: (current ?? 0) + 1, parent: current, markdown: markdown,
                    author: author, message: message, createdAt: Clock.now())
                if current == nil {
                    try db.execute(
                        sql: "INSERT INTO monograph (id, path, current_revision) VALUES (?, ?, ?)",
                        arguments: [monographID, path, revision.number])
                } else {
                    try db.execute(
                        sql: "UPDATE monograph SET current_revision = ?, path = ? WHERE id = ?",
                        arguments: [revision.number, path, monographID])
                }
                try db.execute(
                    sql: """
                        INSERT INTO revision (monograph_id, number, parent, markdown, author, message, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        monographID, revision.number, revision.parent, markdown, author, message, revision.createdAt,
                    ])
                if let approving {
                    try Self.decide(
                        db, suggestion: approving.suggestion, status: .approved, reviewer: approving.reviewer,
                        reason: approving.reason)
                } else {
                    try Self.audit(
                        db,
                        AuditEntry(
                            actor: author, action: "revision", target: monographID,
                            detail: "revision \(revision.number): \(message)"))
                }
                for section in voiding {
                    try db.execute(
                        sql:
                            "UPDATE sign_off SET voided_at = ? WHERE monograph_id = ? AND section = ? AND voided_at IS NULL",
                        arguments: [revision.number, monographID, section])
                }
                _ = try Self.insert(db, signOffs, monographID: monographID, revision: revision.number)
                return revision
            }
        }
    }

    public func addSuggestion(
        monographID: String, baseRevision: Int, markdown: String, author: String, message: String,
        checkErrors: [String], path: String?
    ) async throws -> Suggestion {
        try await run {
            try await database.write { db in
                let exists =
                    try Int.fetchOne(db, sql: "SELECT 1 FROM monograph WHERE id = ?", arguments: [monographID]) != nil
                try SuggestionTarget.check(monographID, exists: exists, baseRevision: baseRevision, path: path)
                let errors = SuggestionTarget.encoded(checkErrors)
                let created = Clock.now()
                try db.execute(
                    sql: """
                        INSERT INTO suggestion (monograph_id, base_revision, markdown, author, message, status, created_at, check_errors, path)
                        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                        """,
                    arguments: [monographID, baseRevision, markdown, author, message, created, errors, path])
                let id = Int(db.lastInsertedRowID)
                try Self.audit(
                    db,
                    AuditEntry(
                        at: created, actor: author, action: "suggest", target: monographID,
                        detail: "suggestion \(id) on revision \(baseRevision)"))
                return Suggestion(
                    id: id, monographID: monographID, baseRevision: baseRevision,
                    markdown: markdown, author: author, message: message, status: .pending, createdAt: created,
                    reviewer: nil, reason: nil, decidedAt: nil, checkErrors: checkErrors, path: path)
            }
        }
    }

    public func suggestion(id: Int) async throws -> Suggestion? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM suggestion WHERE id = ?", arguments: [id]).map(Self.suggestion)
            }
        }
    }

    public func suggestions(status: Suggestion.Status?, monographID: String?, limit: Int?, offset: Int) async throws
        -> [Suggestion]
    {
        try await run {
            try await database.read { db in
                var conditions: [String] = []
                var arguments: StatementArguments = []
                if let status {
                    conditions.append("status = ?")
                    arguments += [status.rawValue]
                }
                if let monographID {
                    conditions.append("monograph_id = ?")
                    arguments += [monographID]
                }
                let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                arguments += [limit ?? -1, max(0, offset)]
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM suggestion\(filter) ORDER BY id LIMIT ? OFFSET ?", arguments: arguments
                ).map(Self.suggestion)
            }
        }
    }

    public func decide(suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?) async throws {
        try await run {
            try await database.write { db in
                try Self.decide(db, suggestion: id, status: status, reviewer: reviewer, reason: reason)
            }
        }
    }

    public func addSignOffs(_ signOffs: [SignOff], monographID: String, revision: Int) async throws -> [SignOff] {
        try await run {
            try await database.write { db in
                let current = try Int.fetchOne(
                    db, sql: "SELECT current_revision FROM monograph WHERE id = ?", arguments: [monographID])
                guard current != nil else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
                try SuggestionTarget.checkCurrent(current, expected: revision, id: monographID)
                return try Self.insert(db, signOffs, monographID: monographID, revision: revision)
            }
        }
    }

    /// Stores sign-offs of `revision`, and their audit entry.
    private static func insert(_ db: Database, _ signOffs: [SignOff], monographID: String, revision: Int) throws
        -> [SignOff]
    {
        guard let first = signOffs.first else { return [] }
        var stored: [SignOff] = []
        for var signOff in signOffs {
            signOff.monographID = monographID
            signOff.revision = revision
            try db.execute(
                sql: """
                    INSERT INTO sign_off (monograph_id, revision, section, text_hash, reviewer, qualifications, message, at, suggestion)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    monographID, revision, signOff.section, signOff.textHash, signOff.reviewer,
                    AuditText.qualifications(signOff.qualifications), signOff.message, signOff.at, signOff.suggestion,
                ])
            signOff.id = Int(db.lastInsertedRowID)
            stored.append(signOff)
        }
        try audit(
            db,
            AuditEntry(
                at: first.at, actor: first.reviewer, action: "sign-off", target: monographID,
                detail: SuggestionTarget.signOffDetail(signOffs, revision: revision)))
        return stored
    }

    public func signOffs(of id: String) async throws -> [SignOff] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM sign_off WHERE monograph_id = ? ORDER BY id", arguments: [id])
                    .map(Self.signOff)
            }
        }
    }

    public func allSignOffs() async throws -> [SignOff] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM sign_off ORDER BY id").map(Self.signOff)
            }
        }
    }

    public func pageChangeDates() async throws -> [String: String] {
        try await run {
            try await database.read { db in
                var dates: [String: String] = [:]
                let rows = try Row.fetchCursor(db, sql: SuggestionTarget.pageChangeDatesQuery)
                while let row = try rows.next() { dates[row[0]] = row[1] }
                return dates
            }
        }
    }

    private static func signOff(_ row: Row) -> SignOff {
        SignOff(
            id: row["id"], monographID: row["monograph_id"], revision: row["revision"], section: row["section"],
            textHash: row["text_hash"], reviewer: row["reviewer"],
            qualifications: AuditText.qualifications(row["qualifications"] as String), message: row["message"],
            at: row["at"], suggestion: row["suggestion"], voidedAt: row["voided_at"])
    }

    public func addReport(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    {
        try await run {
            try await database.write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM monograph WHERE id = ?", arguments: [monographID]) != nil
                else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
                let created = Clock.now()
                try db.execute(
                    sql: """
                        INSERT INTO reader_report (monograph_id, section, reason, contact, status, created_at)
                        VALUES (?, ?, ?, ?, 'open', ?)
                        """,
                    arguments: [monographID, section, reason, contact, created])
                let id = Int(db.lastInsertedRowID)
                try Self.audit(
                    db,
                    AuditEntry(
                        at: created, actor: "reader", action: "report", target: monographID,
                        detail: "report \(id)" + (section.isEmpty ? "" : " on \(section)")))
                return ReaderReport(
                    id: id, monographID: monographID, section: section, reason: reason, contact: contact,
                    status: .open, createdAt: created)
            }
        }
    }

    public func reports(status: ReaderReport.Status?, monographID: String?, limit: Int?) async throws
        -> [ReaderReport]
    {
        try await run {
            try await database.read { db in
                var conditions: [String] = []
                var arguments: StatementArguments = []
                if let status {
                    conditions.append("status = ?")
                    arguments += [status.rawValue]
                }
                if let monographID {
                    conditions.append("monograph_id = ?")
                    arguments += [monographID]
                }
                let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                arguments += [limit ?? -1]
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM reader_report\(filter) ORDER BY id LIMIT ?", arguments: arguments
                ).map(Self.report)
            }
        }
    }

    public func report(id: Int) async throws -> ReaderReport? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM reader_report WHERE id = ?", arguments: [id]).map(Self.report)
            }
        }
    }

    public func closeReport(id: Int, reviewer: String, note: String) async throws {
        try await run {
            try await database.write { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT status, monograph_id FROM reader_report WHERE id = ?", arguments: [id])
                else { throw StoreError.notFound("no report #\(id)") }
                guard (row["status"] as String) == ReaderReport.Status.open.rawValue else {
                    throw StoreError.conflict("report #\(id) is closed already")
                }
                let now = Clock.now()
                try db.execute(
                    sql:
                        "UPDATE reader_report SET status = 'closed', closed_by = ?, closed_at = ?, note = ? WHERE id = ?",
                    arguments: [reviewer, now, note, id])
                try Self.audit(
                    db,
                    AuditEntry(
                        at: now, actor: reviewer, action: "close-report", target: row["monograph_id"],
                        detail: "report \(id): \(note)"))
            }
        }
    }

    public func addCounts(day: String, views: [String: Int], misses: [String: Int]) async throws {
        guard !views.isEmpty || !misses.isEmpty else { return }
        try await run {
            try await database.write { db in
                for (id, count) in views {
                    try db.execute(
                        sql: """
                            INSERT INTO page_view (day, monograph_id, count) VALUES (?, ?, ?)
                            ON CONFLICT (day, monograph_id) DO UPDATE SET count = count + excluded.count
                            """, arguments: [day, id, count])
                }
                for (query, count) in misses {
                    try db.execute(
                        sql: """
                            INSERT INTO search_miss (day, query, count) VALUES (?, ?, ?)
                            ON CONFLICT (day, query) DO UPDATE SET count = count + excluded.count
                            """, arguments: [day, query, count])
                }
            }
        }
    }

    public func views(since day: String) async throws -> [String: Int] {
        try await run {
            try await database.read { db in
                var views: [String: Int] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT monograph_id, SUM(count) FROM page_view WHERE day >= ? GROUP BY monograph_id",
                    arguments: [day])
                while let row = try rows.next() { views[row[0]] = row[1] }
                return views
            }
        }
    }

    public func misses(since day: String, limit: Int) async throws -> [(query: String, count: Int)] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT query, SUM(count) AS total FROM search_miss WHERE day >= ?
                        GROUP BY query ORDER BY total DESC, query LIMIT ?
                        """, arguments: [day, limit]
                ).map { (query: $0[0], count: $0[1]) }
            }
        }
    }

    private static func report(_ row: Row) -> ReaderReport {
        ReaderReport(
            id: row["id"], monographID: row["monograph_id"], section: row["section"], reason: row["reason"],
            contact: row["contact"], status: ReaderReport.Status(rawValue: row["status"]) ?? .open,
            createdAt: row["created_at"], closedBy: row["closed_by"], closedAt: row["closed_at"], note: row["note"])
    }

    /// One server writes a SQLite store, and its writes are serialised already.
    public func exclusively<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await work()
    }

    private static func decide(
        _ db: Database, suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?
    ) throws {
        guard let current = try String.fetchOne(db, sql: "SELECT status FROM suggestion WHERE id = ?", arguments: [id])
        else { throw StoreError.notFound("no suggestion #\(id)") }
        guard current == Suggestion.Status.pending.rawValue else {
            throw StoreError.conflict("suggestion #\(id) is \(current), not pending")
        }
        let now = Clock.now()
        try db.execute(
            sql: "UPDATE suggestion SET status = ?, reviewer = ?, reason = ?, decided_at = ? WHERE id = ?",
            arguments: [status.rawValue, reviewer, reason, now, id])
        try audit(
            db,
            AuditEntry(
                at: now, actor: reviewer, action: AuditText.action(status), target: "suggestion \(id)",
                detail: reason ?? ""))
    }

    // MARK: People

    public func addUser(_ user: User, passwordHash: String) async throws {
        try await run {
            try await database.write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM person WHERE name = ?", arguments: [user.name]) == nil
                else { throw StoreError.conflict("there is a user named '\(user.name)' already") }
                try db.execute(
                    sql:
                        "INSERT INTO person (name, role, qualifications, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        user.name, user.role.rawValue, AuditText.qualifications(user.qualifications), passwordHash,
                        user.createdAt,
                    ])
                try Self.audit(
                    db,
                    AuditEntry(
                        actor: "cli", action: "user-add", target: user.name,
                        detail:
                            "role \(user.role.rawValue); qualifications: \(AuditText.qualifications(user.qualifications))"
                    ))
            }
        }
    }

    public func user(named name: String) async throws -> (user: User, passwordHash: String)? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM person WHERE name = ?", arguments: [name]).map {
                    (Self.user($0), $0["password_hash"])
                }
            }
        }
    }

    public func users() async throws -> [User] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM person ORDER BY name").map(Self.user)
            }
        }
    }

    private static func user(_ row: Row) -> User {
        User(
            name: row["name"], role: User.Role(rawValue: row["role"]) ?? .contributor,
            qualifications: AuditText.qualifications(row["qualifications"] as String), createdAt: row["created_at"])
    }

    public func addSession(_ session: SessionRecord) async throws {
        try await run {
            try await database.write { db in
                // Expired sessions go as new ones come.
                try db.execute(
                    sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Int(Date().timeIntervalSince1970)])
                try db.execute(
                    sql: "INSERT INTO session (token_hash, user_name, csrf, expires_at) VALUES (?, ?, ?, ?)",
                    arguments: [session.tokenHash, session.user, session.csrf, session.expiresAt])
                try Self.audit(db, AuditEntry(actor: session.user, action: "sign-in", target: session.user, detail: ""))
            }
        }
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await run {
            try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM session WHERE token_hash = ?", arguments: [tokenHash]).map {
                    SessionRecord(
                        tokenHash: $0["token_hash"], user: $0["user_name"], csrf: $0["csrf"],
                        expiresAt: $0["expires_at"])
                }
            }
        }
    }

    public func removeSession(tokenHash: String) async throws {
        try await run {
            try await database.write { db in
                if let user = try String.fetchOne(
                    db, sql: "SELECT user_name FROM session WHERE token_hash = ?", arguments: [tokenHash])
                {
                    try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash])
                    try Self.audit(db, AuditEntry(actor: user, action: "sign-out", target: user, detail: ""))
                }
            }
        }
    }

    public func addToken(tokenHash: String, user: String, label: String) async throws {
        try await run {
            try await database.write { db in
                try db.execute(
                    sql: "INSERT INTO api_token (token_hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [tokenHash, user, label, Clock.now()])
                try Self.audit(db, AuditEntry(actor: user, action: "token-add", target: user, detail: label))
            }
        }
    }

    public func tokenUser(tokenHash: String) async throws -> String? {
        try await run {
            try await database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT user_name FROM api_token WHERE token_hash = ?", arguments: [tokenHash])
            }
        }
    }

    public func record(_ entry: AuditEntry) async throws {
        try await run {
            try await database.write { db in try Self.audit(db, entry) }
        }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await run {
            try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                    AuditEntry(
                        id: $0["id"], at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"],
                        detail: $0["detail"])
                }
            }
        }
    }

    private static func monograph(_ row: Row) -> StoredMonograph {
        StoredMonograph(id: row["id"], path: row["path"], currentRevision: row["current_revision"])
    }

    private static func revision(_ row: Row) -> Revision {
        Revision(
            monographID: row["monograph_id"], number: row["number"], parent: row["parent"], markdown: row["markdown"],
            author: row["author"], message: row["message"], createdAt: row["created_at"])
    }

    private static func suggestion(_ row: Row) -> Suggestion {
        let errors = (try? JSONDecoder().decode([String].self, from: Data((row["check_errors"] as String).utf8))) ?? []
        return Suggestion(
            id: row["id"], monographID: row["monograph_id"], baseRevision: row["base_revision"],
            markdown: row["markdown"], author: row["author"], message: row["message"],
            status: Suggestion.Status(rawValue: row["status"]) ?? .pending, createdAt: row["created_at"],
            reviewer: row["reviewer"], reason: row["reason"], decidedAt: row["decided_at"], checkErrors: errors,
            path: row["path"])
    }
}
