import FormularyReview
import Foundation
import Logging
import PostgresNIO
import _ConnectionPoolModule

/// The store in PostgreSQL (postgres-nio), for sites served from several machines: the same
/// tables and migrations as `SQLiteStore`, in a database named by a `postgres://` URL, and a
/// change feed (`SharedStore`) the servers follow.
public final class PostgresStore: SharedStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger = Logger(label: "formulary-store")
    /// For connections of their own: the change feed's listener.
    private let connectionConfiguration: PostgresConnection.Configuration
    /// The URL without its password, for messages.
    private let place: String

    /// Advisory lock keys (any 64-bit numbers, the same on every server): migrations, the
    /// import of a content folder, and adding changes to the feed in commit order.
    static let migrationLock: Int64 = 0x666F_726D_0001
    static let importLock: Int64 = 0x666F_726D_0002
    static let feedLock: Int64 = 0x666F_726D_0003
    /// The channel changes are announced on.
    static let channel = "formulary_changes"

    /// Connects to `url` (`postgres://user:password@host:5432/database`) and brings the schema
    /// up to date. `serving`: for a server that runs for days (its connections are kept open);
    /// a command opens them as it needs them.
    public init(url: String, serving: Bool = false) async throws {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user
        else {
            throw StoreError.invalid("'\(Self.redacted(url))' is not a postgres://user:password@host/database URL")
        }
        let database = components.path.drop(while: { $0 == "/" })
        place = Self.redacted(url)
        connectionConfiguration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : String(database), tls: .disable)
        // One connection of our own first: the pool retries for a minute before it gives up,
        // and then says only that it could not connect.
        if let reason = await Self.whyNoConnection(connectionConfiguration) {
            throw StoreError.database("\(Self.redacted(url)): \(reason)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : String(database), tls: .disable)
        configuration.options.maximumConnections = 8
        // Every time a connection goes back to the pool, the pool starts a keep-alive timer and
        // (beyond the minimum) an idle timer, and cancels them at the next lease. A cancelled
        // sleeping task keeps its memory (swiftlang/swift#60441): under a steady load that was
        // ~3 MiB a minute that never came back (heaptrack: 600,000 sleeps in 10 minutes). So no
        // keep-alive queries (a connection PostgreSQL closed is noticed and replaced anyway), and
        // for a server, all but one connection kept as the minimum, which has no idle timer.
        configuration.options.keepAliveBehavior = nil
        configuration.options.minimumConnections = serving ? 7 : 0
        var background = Logger(label: "formulary-postgres")
        // Connection-pool chatter (a lease before run() has started, say) is not the user's business.
        background.logLevel = .error
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        let client = self.client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw StoreError.database("\(Self.redacted(url)): \(Self.sentence(for: error))")
        }
    }

    /// Why a connection with `configuration` fails, in a sentence; nil when it does not.
    static func whyNoConnection(_ configuration: PostgresConnection.Configuration) async -> String? {
        var logger = Logger(label: "formulary-postgres")
        logger.logLevel = .critical
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                return "the server refused: \(message)"
            }
            if error.code == .connectionError {
                let cause = error.underlying.map { " (\($0))" } ?? ""
                return "cannot connect; is PostgreSQL running and listening there?\(cause)"
            }
            return String(describing: error.code)
        } catch {
            return "\(error)"
        }
    }

    deinit { runner.cancel() }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    /// The migrations SQLiteStore has, by the same names, recorded in a table of their own.
    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One migrator at a time, across machines, from the first statement on: two servers
            // creating the table at once would otherwise collide in PostgreSQL's catalogue.
            try await Self.drain(
                connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger))
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS formulary_migrations (name TEXT PRIMARY KEY NOT NULL)", logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM formulary_migrations", logger: logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            for (name, statements) in Self.migrations where !applied.contains(name) {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO formulary_migrations (name) VALUES (\(name))", logger: logger)
            }
        }
    }

    static let migrations: [(String, [String])] = [
        (
            "2026-11-25 monographs, revisions, suggestions",
            [
                "CREATE TABLE monograph (id TEXT PRIMARY KEY NOT NULL, path TEXT NOT NULL, current_revision INTEGER NOT NULL)",
                """
                CREATE TABLE revision (
                    monograph_id TEXT NOT NULL REFERENCES monograph(id), number INTEGER NOT NULL, parent INTEGER,
                    markdown TEXT NOT NULL, author TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL,
                    PRIMARY KEY (monograph_id, number))
                """,
                """
                CREATE TABLE suggestion (
                    id SERIAL PRIMARY KEY, monograph_id TEXT NOT NULL, base_revision INTEGER NOT NULL,
                    markdown TEXT NOT NULL, author TEXT NOT NULL, message TEXT NOT NULL, status TEXT NOT NULL,
                    created_at TEXT NOT NULL, reviewer TEXT, reason TEXT, decided_at TEXT, check_errors TEXT NOT NULL)
                """,
                "CREATE INDEX suggestion_queue ON suggestion(status, id)",
            ]
        ),
        ("2026-11-25 suggestions of new pages", ["ALTER TABLE suggestion ADD COLUMN path TEXT"]),
        (
            "2026-11-26 people, sessions, tokens, audit",
            [
                """
                CREATE TABLE person (
                    name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, qualifications TEXT NOT NULL,
                    password_hash TEXT NOT NULL, created_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE session (
                    token_hash TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL REFERENCES person(name),
                    csrf TEXT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE api_token (
                    token_hash TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL REFERENCES person(name),
                    label TEXT NOT NULL, created_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE audit (
                    id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                    target TEXT NOT NULL, detail TEXT NOT NULL)
                """,
            ]
        ),
        (
            // PostgreSQL only: SQLite serves one server, which needs no feed.
            "2026-12-07 change feed",
            [
                """
                CREATE TABLE store_change (
                    sequence BIGSERIAL PRIMARY KEY, monograph_id TEXT NOT NULL, number INTEGER NOT NULL,
                    at TEXT NOT NULL)
                """,
                """
                INSERT INTO store_change (monograph_id, number, at)
                SELECT monograph_id, number, created_at FROM revision ORDER BY created_at, monograph_id, number
                """,
            ]
        ),
        (
            "2026-12-07 sign-offs",
            [
                """
                CREATE TABLE sign_off (
                    id BIGSERIAL PRIMARY KEY, monograph_id TEXT NOT NULL REFERENCES monograph(id),
                    revision INTEGER NOT NULL, section TEXT NOT NULL, text_hash TEXT NOT NULL, reviewer TEXT NOT NULL,
                    qualifications TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL, suggestion INTEGER,
                    voided_at INTEGER)
                """,
                "CREATE INDEX sign_off_page ON sign_off(monograph_id, id)",
                // A sign-off changes what the servers show of a page without changing its text.
                "ALTER TABLE store_change ADD COLUMN kind TEXT NOT NULL DEFAULT 'revision'",
            ]
        ),
        (
            "2026-12-07 reader reports",
            [
                """
                CREATE TABLE reader_report (
                    id SERIAL PRIMARY KEY, monograph_id TEXT NOT NULL REFERENCES monograph(id), section TEXT NOT NULL,
                    reason TEXT NOT NULL, contact TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
                    closed_by TEXT, closed_at TEXT, note TEXT)
                """,
                "CREATE INDEX reader_report_open ON reader_report(status, id)",
            ]
        ),
        (
            "2026-12-07 page views and searches that found nothing",
            [
                """
                CREATE TABLE page_view (
                    day TEXT NOT NULL, monograph_id TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (day, monograph_id))
                """,
                """
                CREATE TABLE search_miss (
                    day TEXT NOT NULL, query TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (day, query))
                """,
            ]
        ),
    ]

    private static func audit(_ connection: PostgresConnection, _ entry: AuditEntry, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit (at, actor, action, target, detail)
            VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
            """, logger: logger)
    }

    private func run<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresTransactionError {
            // A refusal made inside a transaction (a stale revision, a taken name) is the store's own.
            if let refusal = error.closureError as? StoreError, error.commitError == nil {
                throw refusal
            }
            throw storeError(error.closureError ?? error.commitError ?? error.beginError ?? error)
        } catch {
            throw storeError(error)
        }
    }

    /// Reads a statement's rows to the end (`SELECT pg_advisory_lock(...)` answers one).
    private static func drain(_ rows: PostgresRowSequence) async throws {
        for try await _ in rows {}
    }

    /// The store's error for a failure of PostgreSQL or of the connection to it.
    private func storeError(_ error: any Error) -> StoreError {
        if Self.isUnreachable(error) {
            return .unavailable("\(place): \(Self.sentence(for: error)); is PostgreSQL running? Try again shortly")
        }
        return .database("\(place): \(Self.sentence(for: error))")
    }

    /// Whether `error` means the database is not there (stopped, restarting, the network down),
    /// rather than that it refused what was asked.
    static func isUnreachable(_ error: any Error) -> Bool {
        if error is ConnectionPoolError { return true }
        guard let error = error as? PSQLError else { return false }
        // SQLSTATE classes 08 (connection exception) and 57 (operator intervention: a shutdown).
        if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("08") || state.hasPrefix("57") }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown]
            .contains(error.code)
    }

    /// One line for a failure: PostgreSQL's own message and hint when it sent one, else what
    /// failed (postgres-nio's descriptions of its errors are redacted dumps).
    static func sentence(for error: any Error) -> String {
        if let error = error as? ConnectionPoolError {
            switch error {
            case .requestCancelled: return "the request was given up while it waited for a connection"
            case .poolShutdown: return "the connections are closed (the server is stopping)"
            default: return "no connection could be made for a minute"
            }
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let hint = error.serverInfo?[.hint].map { " (\($0))" } ?? ""
            let state = error.serverInfo?[.sqlState] ?? ""
            let verb = isUnreachable(error) ? "PostgreSQL closed the connection" : "PostgreSQL refused"
            return "\(verb): \(message)\(hint)" + (state.isEmpty ? "" : " [SQLSTATE \(state)]")
        }
        switch error.code {
        case .connectionError:
            return "cannot connect" + (error.underlying.map { " (\($0))" } ?? "")
        case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
        case .clientClosedConnection, .poolClosed: return "the connection was closed"
        case .queryCancelled: return "the query was cancelled"
        default: return "\(error.code)"
        }
    }

    public func monographs() async throws -> [StoredMonograph] {
        try await run {
            var result: [StoredMonograph] = []
            let rows = try await client.query(
                "SELECT id, path, current_revision FROM monograph ORDER BY id", logger: logger)
            for try await (id, path, current) in rows.decode((String, String, Int).self) {
                result.append(StoredMonograph(id: id, path: path, currentRevision: current))
            }
            return result
        }
    }

    public func monograph(id: String) async throws -> StoredMonograph? {
        try await run {
            let rows = try await client.query(
                "SELECT id, path, current_revision FROM monograph WHERE id = \(id)", logger: logger)
            for try await (id, path, current) in rows.decode((String, String, Int).self) {
                return StoredMonograph(id: id, path: path, currentRevision: current)
            }
            return nil
        }
    }

    private static func revisions(_ rows: PostgresRowSequence) async throws -> [Revision] {
        var result: [Revision] = []
        for try await (id, number, parent, markdown, author, message, created) in rows.decode(
            (String, Int, Int?, String, String, String, String).self)
        {
            result.append(
                Revision(
                    monographID: id, number: number, parent: parent, markdown: markdown, author: author,
                    message: message, createdAt: created))
        }
        return result
    }

    public func revisions(of id: String) async throws -> [Revision] {
        try await run {
            try await Self.revisions(
                try await client.query(
                    """
                    SELECT monograph_id, number, parent, markdown, author, message, created_at
                    FROM revision WHERE monograph_id = \(id) ORDER BY number
                    """, logger: logger))
        }
    }

    public func revision(of id: String, number: Int) async throws -> Revision? {
        try await run {
            try await Self.revisions(
                try await client.query(
                    """
                    SELECT monograph_id, number, parent, markdown, author, message, created_at
                    FROM revision WHERE monograph_id = \(id) AND number = \(number)
                    """, logger: logger)
            ).first
        }
    }

    public func addRevision(
        monographID: String, path: String, markdown: String, author: String, message: String,
        approving: (suggestion: Int, reviewer: String, reason: String?)?, ifCurrent: Int?, voiding: [String],
        signOffs: [SignOff]
    ) async throws -> Revision {
        let logger = self.logger
        return try await run {
            try await client.withTransaction(logger: logger) { connection in
                var current: Int?
                // FOR UPDATE: two approvals of one page at once get numbers one after the other.
                for try await number in try await connection.query(
                    "SELECT current_revision FROM monograph WHERE id = \(monographID) FOR UPDATE", logger: logger
                ).decode(Int.self) {
                    current = number
                }
                try SuggestionTarget.checkCurrent(current, expected: ifCurrent, id: monographID)
                let revision = Revision(
                    monographID: monographID, number: (current ?? 0) + 1, parent: current, markdown: markdown,
                    author: author, message: message, createdAt: Clock.now())
                if current == nil {
                    try await connection.query(
                        "INSERT INTO monograph (id, path, current_revision) VALUES (\(monographID), \(path), \(revision.number))",
                        logger: logger)
                } else {
                    try await connection.query(
                        "UPDATE monograph SET current_revision = \(revision.number), path = \(path) WHERE id = \(monographID)",
                        logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO revision (monograph_id, number, parent, markdown, author, message, created_at)
                    VALUES (\(monographID), \(revision.number), \(revision.parent), \(markdown), \(author), \(message), \(revision.createdAt))
                    """, logger: logger)
                if let approving {
                    try await Self.decide(
                        connection, suggestion: approving.suggestion, status: .approved, reviewer: approving.reviewer,
                        reason: approving.reason, logger: logger)
                } else {
                    try await Self.audit(
                        connection,
                        AuditEntry(
                            actor: author, action: "revision", target: monographID,
                            detail: "revision \(revision.number): \(message)"), logger: logger)
                }
                for section in voiding {
                    try await connection.query(
                        """
                        UPDATE sign_off SET voided_at = \(revision.number)
                        WHERE monograph_id = \(monographID) AND section = \(section) AND voided_at IS NULL
                        """, logger: logger)
                }
                _ = try await Self.insert(
                    connection, signOffs, monographID: monographID, revision: revision.number, logger: logger)
                try await Self.announce(
                    connection, StoreChange(sequence: 0, monographID: monographID, revision: revision.number),
                    at: revision.createdAt, logger: logger)
                return revision
            }
        }
    }

    /// Adds a change to the feed, to be announced when the transaction commits. Last in a
    /// transaction, under a lock held to the commit: changes are numbered in the order they
    /// commit, so a server that has read up to a number has missed nothing before it. Nothing
    /// is locked after this, so no deadlock with a page's row lock taken before.
    private static func announce(_ connection: PostgresConnection, _ change: StoreChange, at: String, logger: Logger)
        async throws
    {
        try await drain(connection.query("SELECT pg_advisory_xact_lock(\(feedLock))", logger: logger))
        try await connection.query(
            """
            INSERT INTO store_change (monograph_id, number, at, kind)
            VALUES (\(change.monographID), \(change.revision), \(at), \(change.kind.rawValue))
            """, logger: logger)
        // Sent by PostgreSQL when (and only if) the transaction commits.
        try await drain(connection.query("SELECT pg_notify(\(channel), \(change.monographID))", logger: logger))
    }

    public func addSignOffs(_ signOffs: [SignOff], monographID: String, revision: Int) async throws -> [SignOff] {
        let logger = self.logger
        return try await run {
            try await client.withTransaction(logger: logger) { connection in
                var current: Int?
                // FOR UPDATE: a revision added meanwhile waits for this, or this sees it.
                for try await number in try await connection.query(
                    "SELECT current_revision FROM monograph WHERE id = \(monographID) FOR UPDATE", logger: logger
                ).decode(Int.self) {
                    current = number
                }
                guard current != nil else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
                try SuggestionTarget.checkCurrent(current, expected: revision, id: monographID)
                let stored = try await Self.insert(
                    connection, signOffs, monographID: monographID, revision: revision, logger: logger)
                try await Self.announce(
                    connection,
                    StoreChange(sequence: 0, monographID: monographID, revision: revision, kind: .signOff),
                    at: Clock.now(), logger: logger)
                return stored
            }
        }
    }

    /// Stores sign-offs of `revision`, and their audit entry.
    private static func insert(
        _ connection: PostgresConnection, _ signOffs: [SignOff], monographID: String, revision: Int, logger: Logger
    ) async throws -> [SignOff] {
        guard let first = signOffs.first else { return [] }
        var stored: [SignOff] = []
        for var signOff in signOffs {
            signOff.monographID = monographID
            signOff.revision = revision
            let qualifications = AuditText.qualifications(signOff.qualifications)
            for try await id in try await connection.query(
                """
                INSERT INTO sign_off (monograph_id, revision, section, text_hash, reviewer, qualifications, message, at, suggestion)
                VALUES (\(monographID), \(revision), \(signOff.section), \(signOff.textHash), \(signOff.reviewer),
                        \(qualifications), \(signOff.message), \(signOff.at), \(signOff.suggestion))
                RETURNING id
                """, logger: logger
            ).decode(Int.self) {
                signOff.id = id
            }
            stored.append(signOff)
        }
        try await audit(
            connection,
            AuditEntry(
                at: first.at, actor: first.reviewer, action: "sign-off", target: monographID,
                detail: SuggestionTarget.signOffDetail(signOffs, revision: revision)), logger: logger)
        return stored
    }

    private static let signOffColumns =
        "id, monograph_id, revision, section, text_hash, reviewer, qualifications, message, at, suggestion, voided_at"

    private static func signOffs(_ rows: PostgresRowSequence) async throws -> [SignOff] {
        var result: [SignOff] = []
        for try await (
            id, monographID, revision, section, hash, reviewer, qualifications, message, at, suggestion, voided
        )
            in rows.decode((Int, String, Int, String, String, String, String, String, String, Int?, Int?).self)
        {
            result.append(
                SignOff(
                    id: id, monographID: monographID, revision: revision, section: section, textHash: hash,
                    reviewer: reviewer, qualifications: AuditText.qualifications(qualifications), message: message,
                    at: at, suggestion: suggestion, voidedAt: voided))
        }
        return result
    }

    public func signOffs(of id: String) async throws -> [SignOff] {
        try await run {
            try await Self.signOffs(
                try await client.query(
                    "SELECT \(unescaped: Self.signOffColumns) FROM sign_off WHERE monograph_id = \(id) ORDER BY id",
                    logger: logger))
        }
    }

    public func allSignOffs() async throws -> [SignOff] {
        try await run {
            try await Self.signOffs(
                try await client.query(
                    "SELECT \(unescaped: Self.signOffColumns) FROM sign_off ORDER BY id", logger: logger))
        }
    }

    public func pageChangeDates() async throws -> [String: String] {
        try await run {
            var dates: [String: String] = [:]
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: SuggestionTarget.pageChangeDatesQuery), logger: logger)
            for try await (id, at) in rows.decode((String, String).self) { dates[id] = at }
            return dates
        }
    }

    public func addReport(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    {
        let logger = self.logger
        return try await run {
            try await client.withTransaction(logger: logger) { connection in
                var exists = false
                for try await _ in try await connection.query(
                    "SELECT 1 FROM monograph WHERE id = \(monographID)", logger: logger
                ).decode(Int.self) {
                    exists = true
                }
                guard exists else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
                let created = Clock.now()
                var id = 0
                for try await number in try await connection.query(
                    """
                    INSERT INTO reader_report (monograph_id, section, reason, contact, status, created_at)
                    VALUES (\(monographID), \(section), \(reason), \(contact), 'open', \(created)) RETURNING id
                    """, logger: logger
                ).decode(Int.self) {
                    id = number
                }
                try await Self.audit(
                    connection,
                    AuditEntry(
                        at: created, actor: "reader", action: "report", target: monographID,
                        detail: "report \(id)" + (section.isEmpty ? "" : " on \(section)")), logger: logger)
                return ReaderReport(
                    id: id, monographID: monographID, section: section, reason: reason, contact: contact,
                    status: .open, createdAt: created)
            }
        }
    }

    private static let reportColumns =
        "id, monograph_id, section, reason, contact, status, created_at, closed_by, closed_at, note"

    private static func reports(_ rows: PostgresRowSequence) async throws -> [ReaderReport] {
        var result: [ReaderReport] = []
        for try await (id, monographID, section, reason, contact, status, created, closedBy, closedAt, note)
            in rows.decode((Int, String, String, String, String, String, String, String?, String?, String?).self)
        {
            result.append(
                ReaderReport(
                    id: id, monographID: monographID, section: section, reason: reason, contact: contact,
                    status: ReaderReport.Status(rawValue: status) ?? .open, createdAt: created, closedBy: closedBy,
                    closedAt: closedAt, note: note))
        }
        return result
    }

    public func reports(status: ReaderReport.Status?, monographID: String?, limit: Int?) async throws
        -> [ReaderReport]
    {
        try await run {
            let query: PostgresQuery
            switch (status, monographID) {
            case (let status?, let id?):
                query =
                    "SELECT \(unescaped: Self.reportColumns) FROM reader_report WHERE status = \(status.rawValue) AND monograph_id = \(id) ORDER BY id LIMIT \(limit)"
            case (let status?, nil):
                query =
                    "SELECT \(unescaped: Self.reportColumns) FROM reader_report WHERE status = \(status.rawValue) ORDER BY id LIMIT \(limit)"
            case (nil, let id?):
                query =
                    "SELECT \(unescaped: Self.reportColumns) FROM reader_report WHERE monograph_id = \(id) ORDER BY id LIMIT \(limit)"
            case (nil, nil):
                query = "SELECT \(unescaped: Self.reportColumns) FROM reader_report ORDER BY id LIMIT \(limit)"
            }
            return try await Self.reports(try await client.query(query, logger: logger))
        }
    }

    public func report(id: Int) async throws -> ReaderReport? {
        try await run {
            try await Self.reports(
                try await client.query(
                    "SELECT \(unescaped: Self.reportColumns) FROM reader_report WHERE id = \(id)", logger: logger)
            ).first
        }
    }

    public func closeReport(id: Int, reviewer: String, note: String) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                var found: (String, String)?
                for try await row in try await connection.query(
                    "SELECT status, monograph_id FROM reader_report WHERE id = \(id) FOR UPDATE", logger: logger
                ).decode((String, String).self) {
                    found = row
                }
                guard let (status, monographID) = found else { throw StoreError.notFound("no report #\(id)") }
                guard status == ReaderReport.Status.open.rawValue else {
                    throw StoreError.conflict("report #\(id) is closed already")
                }
                let now = Clock.now()
                try await connection.query(
                    """
                    UPDATE reader_report SET status = 'closed', closed_by = \(reviewer), closed_at = \(now), note = \(note)
                    WHERE id = \(id)
                    """, logger: logger)
                try await Self.audit(
                    connection,
                    AuditEntry(
                        at: now, actor: reviewer, action: "close-report", target: monographID,
                        detail: "report \(id): \(note)"), logger: logger)
            }
        }
    }

    public func addCounts(day: String, views: [String: Int], misses: [String: Int]) async throws {
        guard !views.isEmpty || !misses.isEmpty else { return }
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                // In order of key, so that two servers adding at once take the rows' locks in one order.
                for (id, count) in views.sorted(by: { $0.key < $1.key }) {
                    try await connection.query(
                        """
                        INSERT INTO page_view (day, monograph_id, count) VALUES (\(day), \(id), \(count))
                        ON CONFLICT (day, monograph_id) DO UPDATE SET count = page_view.count + excluded.count
                        """, logger: logger)
                }
                for (query, count) in misses.sorted(by: { $0.key < $1.key }) {
                    try await connection.query(
                        """
                        INSERT INTO search_miss (day, query, count) VALUES (\(day), \(query), \(count))
                        ON CONFLICT (day, query) DO UPDATE SET count = search_miss.count + excluded.count
                        """, logger: logger)
                }
            }
        }
    }

    public func views(since day: String) async throws -> [String: Int] {
        try await run {
            var views: [String: Int] = [:]
            let rows = try await client.query(
                "SELECT monograph_id, SUM(count)::BIGINT FROM page_view WHERE day >= \(day) GROUP BY monograph_id",
                logger: logger)
            for try await (id, count) in rows.decode((String, Int).self) { views[id] = count }
            return views
        }
    }

    public func misses(since day: String, limit: Int) async throws -> [(query: String, count: Int)] {
        try await run {
            var misses: [(query: String, count: Int)] = []
            let rows = try await client.query(
                """
                SELECT query, SUM(count)::BIGINT AS total FROM search_miss WHERE day >= \(day)
                GROUP BY query ORDER BY total DESC, query LIMIT \(limit)
                """, logger: logger)
            for try await (query, count) in rows.decode((String, Int).self) { misses.append((query, count)) }
            return misses
        }
    }

    public func addSuggestion(
        monographID: String, baseRevision: Int, markdown: String, author: String, message: String,
        checkErrors: [String], path: String?
    ) async throws -> Suggestion {
        let logger = self.logger
        return try await run {
            try await client.withTransaction(logger: logger) { connection in
                var exists = false
                for try await _ in try await connection.query(
                    "SELECT 1 FROM monograph WHERE id = \(monographID)", logger: logger
                ).decode(Int.self) {
                    exists = true
                }
                try SuggestionTarget.check(monographID, exists: exists, baseRevision: baseRevision, path: path)
                let errors = SuggestionTarget.encoded(checkErrors)
                let created = Clock.now()
                var id = 0
                for try await number in try await connection.query(
                    """
                    INSERT INTO suggestion (monograph_id, base_revision, markdown, author, message, status, created_at, check_errors, path)
                    VALUES (\(monographID), \(baseRevision), \(markdown), \(author), \(message), 'pending', \(created), \(errors), \(path))
                    RETURNING id
                    """, logger: logger
                ).decode(Int.self) {
                    id = number
                }
                try await Self.audit(
                    connection,
                    AuditEntry(
                        at: created, actor: author, action: "suggest", target: monographID,
                        detail: "suggestion \(id) on revision \(baseRevision)"), logger: logger)
                return Suggestion(
                    id: id, monographID: monographID, baseRevision: baseRevision, markdown: markdown, author: author,
                    message: message, status: .pending, createdAt: created, reviewer: nil, reason: nil, decidedAt: nil,
                    checkErrors: checkErrors, path: path)
            }
        }
    }

    private static let suggestionColumns =
        "id, monograph_id, base_revision, markdown, author, message, status, created_at, reviewer, reason, decided_at, check_errors, path"

    private static func suggestions(_ rows: PostgresRowSequence) async throws -> [Suggestion] {
        var result: [Suggestion] = []
        for try await (
            id, monographID, base, markdown, author, message, status, created, reviewer, reason, decided, errors, path
        )
            in rows.decode(
                (Int, String, Int, String, String, String, String, String, String?, String?, String?, String, String?)
                    .self)
        {
            result.append(
                Suggestion(
                    id: id, monographID: monographID, baseRevision: base, markdown: markdown, author: author,
                    message: message, status: Suggestion.Status(rawValue: status) ?? .pending, createdAt: created,
                    reviewer: reviewer, reason: reason, decidedAt: decided,
                    checkErrors: (try? JSONDecoder().decode([String].self, from: Data(errors.utf8))) ?? [], path: path))
        }
        return result
    }

    public func suggestion(id: Int) async throws -> Suggestion? {
        try await run {
            try await Self.suggestions(
                try await client.query(
                    "SELECT \(unescaped: Self.suggestionColumns) FROM suggestion WHERE id = \(id)", logger: logger)
            ).first
        }
    }

    public func suggestions(status: Suggestion.Status?, monographID: String?, limit: Int?, offset: Int) async throws
        -> [Suggestion]
    {
        // LIMIT NULL is no limit.
        let offset = max(0, offset)
        return try await run {
            let query: PostgresQuery
            switch (status, monographID) {
            case (let status?, let id?):
                query =
                    "SELECT \(unescaped: Self.suggestionColumns) FROM suggestion WHERE status = \(status.rawValue) AND monograph_id = \(id) ORDER BY id LIMIT \(limit) OFFSET \(offset)"
            case (let status?, nil):
                query =
                    "SELECT \(unescaped: Self.suggestionColumns) FROM suggestion WHERE status = \(status.rawValue) ORDER BY id LIMIT \(limit) OFFSET \(offset)"
            case (nil, let id?):
                query =
                    "SELECT \(unescaped: Self.suggestionColumns) FROM suggestion WHERE monograph_id = \(id) ORDER BY id LIMIT \(limit) OFFSET \(offset)"
            case (nil, nil):
                query =
                    "SELECT \(unescaped: Self.suggestionColumns) FROM suggestion ORDER BY id LIMIT \(limit) OFFSET \(offset)"
            }
            return try await Self.suggestions(try await client.query(query, logger: logger))
        }
    }

    // MARK: Several servers

    public func exclusively<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        let logger = self.logger
        return try await run {
            // A session lock on a connection held meanwhile; PostgreSQL lets it go if the connection dies.
            try await client.withConnection { connection in
                try await Self.drain(
                    connection.query("SELECT pg_advisory_lock(\(Self.importLock))", logger: logger))
                let outcome: Result<T, any Error>
                do {
                    outcome = .success(try await work())
                } catch {
                    outcome = .failure(error)
                }
                try await Self.drain(
                    connection.query("SELECT pg_advisory_unlock(\(Self.importLock))", logger: logger))
                return try outcome.get()
            }
        }
    }

    public func latestChange() async throws -> Int {
        try await run {
            let rows = try await client.query("SELECT COALESCE(MAX(sequence), 0) FROM store_change", logger: logger)
            for try await latest in rows.decode(Int.self) { return latest }
            return 0
        }
    }

    public func changes(after sequence: Int, limit: Int) async throws -> [StoreChange] {
        try await run {
            let rows = try await client.query(
                """
                SELECT sequence, monograph_id, number, kind FROM store_change
                WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                """, logger: logger)
            var changes: [StoreChange] = []
            for try await (sequence, id, number, kind) in rows.decode((Int, String, Int, String).self) {
                changes.append(
                    StoreChange(
                        sequence: sequence, monographID: id, revision: number,
                        kind: StoreChange.Kind(rawValue: kind)
                            ?? .revision))
            }
            return changes
        }
    }

    public func listenForChanges(_ announced: @escaping @Sendable () -> Void) async throws {
        let logger = self.logger
        try await run {
            // A connection of its own: a pooled one would be handed to queries meanwhile.
            let connection = try await PostgresConnection.connect(
                configuration: connectionConfiguration, id: 0, logger: logger)
            do {
                try await withTaskCancellationHandler {
                    try await connection.listen(on: Self.channel) { notifications in
                        for try await _ in notifications { announced() }
                    }
                } onCancel: {
                    Task { try? await connection.close() }
                }
            } catch {
                try? await connection.close()
                if Task.isCancelled { return }
                throw error
            }
            try? await connection.close()
        }
    }

    public func decide(suggestion id: Int, status: Suggestion.Status, reviewer: String, reason: String?) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.decide(
                    connection, suggestion: id, status: status, reviewer: reviewer, reason: reason, logger: logger)
            }
        }
    }

    private static func decide(
        _ connection: PostgresConnection, suggestion id: Int, status: Suggestion.Status, reviewer: String,
        reason: String?, logger: Logger
    ) async throws {
        var current: String?
        for try await value in try await connection.query(
            "SELECT status FROM suggestion WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode(String.self) {
            current = value
        }
        guard let current else { throw StoreError.notFound("no suggestion #\(id)") }
        guard current == Suggestion.Status.pending.rawValue else {
            throw StoreError.conflict("suggestion #\(id) is \(current), not pending")
        }
        let now = Clock.now()
        try await connection.query(
            """
            UPDATE suggestion SET status = \(status.rawValue), reviewer = \(reviewer), reason = \(reason),
                decided_at = \(now) WHERE id = \(id)
            """, logger: logger)
        try await audit(
            connection,
            AuditEntry(
                at: now, actor: reviewer, action: AuditText.action(status), target: "suggestion \(id)",
                detail: reason ?? ""), logger: logger)
    }

    // MARK: People

    public func addUser(_ user: User, passwordHash: String) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO person (name, role, qualifications, password_hash, created_at)
                    VALUES (\(user.name), \(user.role.rawValue), \(AuditText.qualifications(user.qualifications)), \(passwordHash), \(user.createdAt))
                    ON CONFLICT (name) DO NOTHING RETURNING name
                    """, logger: logger)
                var added = false
                for try await _ in rows.decode(String.self) { added = true }
                guard added else { throw StoreError.conflict("there is a user named '\(user.name)' already") }
                try await Self.audit(
                    connection,
                    AuditEntry(
                        actor: "cli", action: "user-add", target: user.name,
                        detail:
                            "role \(user.role.rawValue); qualifications: \(AuditText.qualifications(user.qualifications))"
                    ), logger: logger)
            }
        }
    }

    public func user(named name: String) async throws -> (user: User, passwordHash: String)? {
        try await run {
            for try await (name, role, qualifications, hash, created) in try await client.query(
                "SELECT name, role, qualifications, password_hash, created_at FROM person WHERE name = \(name)",
                logger: logger
            ).decode((String, String, String, String, String).self) {
                return (
                    User(
                        name: name, role: User.Role(rawValue: role) ?? .contributor,
                        qualifications: AuditText.qualifications(qualifications), createdAt: created), hash
                )
            }
            return nil
        }
    }

    public func users() async throws -> [User] {
        try await run {
            var result: [User] = []
            for try await (name, role, qualifications, created) in try await client.query(
                "SELECT name, role, qualifications, created_at FROM person ORDER BY name", logger: logger
            ).decode((String, String, String, String).self) {
                result.append(
                    User(
                        name: name, role: User.Role(rawValue: role) ?? .contributor,
                        qualifications: AuditText.qualifications(qualifications), createdAt: created))
            }
            return result
        }
    }

    public func addSession(_ session: SessionRecord) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                let now = Int(Date().timeIntervalSince1970)
                try await connection.query("DELETE FROM session WHERE expires_at < \(now)", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO session (token_hash, user_name, csrf, expires_at)
                    VALUES (\(session.tokenHash), \(session.user), \(session.csrf), \(session.expiresAt))
                    """, logger: logger)
                try await Self.audit(
                    connection, AuditEntry(actor: session.user, action: "sign-in", target: session.user, detail: ""),
                    logger: logger)
            }
        }
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await run {
            for try await (hash, user, csrf, expires) in try await client.query(
                "SELECT token_hash, user_name, csrf, expires_at FROM session WHERE token_hash = \(tokenHash)",
                logger: logger
            ).decode((String, String, String, Int).self) {
                return SessionRecord(tokenHash: hash, user: user, csrf: csrf, expiresAt: expires)
            }
            return nil
        }
    }

    public func removeSession(tokenHash: String) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                for try await user in try await connection.query(
                    "DELETE FROM session WHERE token_hash = \(tokenHash) RETURNING user_name", logger: logger
                ).decode(String.self) {
                    try await Self.audit(
                        connection, AuditEntry(actor: user, action: "sign-out", target: user, detail: ""),
                        logger: logger)
                }
            }
        }
    }

    public func addToken(tokenHash: String, user: String, label: String) async throws {
        let logger = self.logger
        try await run {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO api_token (token_hash, user_name, label, created_at)
                    VALUES (\(tokenHash), \(user), \(label), \(Clock.now()))
                    """, logger: logger)
                try await Self.audit(
                    connection, AuditEntry(actor: user, action: "token-add", target: user, detail: label),
                    logger: logger)
            }
        }
    }

    public func tokenUser(tokenHash: String) async throws -> String? {
        try await run {
            for try await user in try await client.query(
                "SELECT user_name FROM api_token WHERE token_hash = \(tokenHash)", logger: logger
            ).decode(String.self) {
                return user
            }
            return nil
        }
    }

    public func record(_ entry: AuditEntry) async throws {
        let logger = self.logger
        try await run {
            try await client.withConnection { try await Self.audit($0, entry, logger: logger) }
        }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await run {
            var result: [AuditEntry] = []
            for try await (id, at, actor, action, target, detail) in try await client.query(
                "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT \(limit)",
                logger: logger
            ).decode((Int, String, String, String, String, String).self) {
                result.append(
                    AuditEntry(id: id, at: at, actor: actor, action: action, target: target, detail: detail))
            }
            return result
        }
    }

}
