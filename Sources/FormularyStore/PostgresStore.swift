import FormularyReview
import Foundation
import Logging
import PostgresNIO
import _ConnectionPoolModule

/// The store in PostgreSQL (postgres-nio), for sites served from several machines: the same
/// tables and migrations as `SQLiteStore`, in a database named by a `postgres://` URL, and a
/// change feed (`SharedStore`) the servers follow.
public final class PostgresStore: SQLStore, SharedStore, @unchecked Sendable {
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
        super.init(database: PostgresDatabase(client: client, logger: logger, place: place))
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

    /// `Schema.migrations`, recorded in a table of their own.
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
            for migration in Schema.migrations where !applied.contains(migration.name) {
                for statement in Schema.statements(of: migration, for: .postgres) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO formulary_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }

    /// Reads a statement's rows to the end (`SELECT pg_advisory_lock(...)` answers one).
    static func drain(_ rows: PostgresRowSequence) async throws {
        for try await _ in rows {}
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

    /// Adds a change to the feed, to be announced when the transaction commits. Last in a
    /// transaction, under a lock held to the commit: changes are numbered in the order they
    /// commit, so a server that has read up to a number has missed nothing before it. Nothing
    /// is locked after this, so no deadlock with a page's row lock taken before.
    override func announce(_ change: StoreChange, at: String, in session: any SQLSession) async throws {
        try await session.execute("SELECT pg_advisory_xact_lock(\(Int(Self.feedLock)))")
        try await session.execute(
            """
            INSERT INTO store_change (monograph_id, number, at, kind)
            VALUES (\(change.monographID), \(change.revision), \(at), \(change.kind.rawValue))
            """)
        // Sent by PostgreSQL when (and only if) the transaction commits.
        try await session.execute("SELECT pg_notify(\(Self.channel), \(change.monographID))")
    }

    // MARK: Several servers

    override public func exclusively<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
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
}

/// PostgreSQL through postgres-nio: `$1` placeholders, transactions on a pooled connection,
/// rows read by their column types (whole numbers and text).
struct PostgresDatabase: SQLDatabase {
    let client: PostgresClient
    let logger: Logger
    /// The URL without its password, for messages.
    let place: String

    var dialect: SQLDialect { .postgres }

    func reading<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await work(Session(target: .client(client), logger: logger))
    }

    func transaction<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await work(Session(target: .connection(connection), logger: logger))
            }
        } catch let error as PostgresTransactionError {
            // A refusal made inside a transaction (a stale revision, a taken name) is the store's own.
            if let refusal = error.closureError as? StoreError, error.commitError == nil { throw refusal }
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// The store's error for a failure of PostgreSQL or of the connection to it.
    func storeError(_ error: any Error) -> StoreError {
        if PostgresStore.isUnreachable(error) {
            return .unavailable(
                "\(place): \(PostgresStore.sentence(for: error)); is PostgreSQL running? Try again shortly")
        }
        return .database("\(place): \(PostgresStore.sentence(for: error))")
    }

    struct Session: SQLSession {
        enum Target: Sendable {
            case client(PostgresClient)
            case connection(PostgresConnection)
        }

        let target: Target
        let logger: Logger

        func rows(_ statement: SQL) async throws -> [SQLRow] {
            var rows: [SQLRow] = []
            for try await row in try await sequence(statement) {
                rows.append(SQLRow(values: try row.map(Self.value)))
            }
            return rows
        }

        func execute(_ statement: SQL) async throws {
            for try await _ in try await sequence(statement) {}
        }

        private func sequence(_ statement: SQL) async throws -> PostgresRowSequence {
            var bindings = PostgresBindings(capacity: statement.values.count)
            for value in statement.values {
                switch value {
                case .integer(let number): bindings.append(number)
                case .text(let text): bindings.append(text)
                case .null: bindings.appendNull()
                }
            }
            let query = PostgresQuery(unsafeSQL: statement.text { "$\($0)" }, binds: bindings)
            switch target {
            case .client(let client): return try await client.query(query, logger: logger)
            case .connection(let connection): return try await connection.query(query, logger: logger)
            }
        }

        private static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int.self))
            default: return .text(try cell.decode(String.self))
            }
        }
    }
}
