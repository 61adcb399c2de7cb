import Foundation
import GRDB

/// The store in one SQLite file (GRDB, write-ahead log), `.formulary/formulary.sqlite` in a site.
public final class SQLiteStore: SQLStore, @unchecked Sendable {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        // An approved edit is on disk before the approval returns.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        // A transaction spans several accesses of the writer (`SQLiteDatabase.transaction`).
        configuration.allowsUnsafeTransactions = true
        // Another program on the file (`formulary review approve` while `serve` runs) holds the
        // write lock for a transaction's length: wait for it rather than fail at once with
        // "database is locked", GRDB's default for the writer (its readers already wait 10 s).
        // A release soak met it once in half a million requests with no other program on the
        // file (SQLite's brief exclusive locks on the write-ahead log, we suppose).
        configuration.busyMode = .timeout(Self.busyTimeout)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.database("\(path): \(error)")
        }
        super.init(database: SQLiteDatabase(pool: pool, path: path))
    }

    /// How long a write waits for another connection's write lock before it fails, in seconds.
    static let busyTimeout: TimeInterval = 10

    /// `Schema.migrations` for GRDB's migrator, which records them in `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations {
            let statements = Schema.statements(of: migration, for: .sqlite)
            guard !statements.isEmpty else { continue }
            migrator.registerMigration(migration.name) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }
}

/// SQLite through GRDB: `?` placeholders; a transaction is `BEGIN IMMEDIATE` on the pool's one
/// writer, one at a time in the process (`KeyedLocks`, by the file's path). Its statements run
/// on the writer from the calling thread, without suspending (each is microseconds); only the
/// `COMMIT`, which waits for the disk (synchronous = FULL), is awaited on GRDB's queue, and
/// reads go to the pool's readers.
struct SQLiteDatabase: SQLDatabase {
    let pool: DatabasePool
    let path: String

    var dialect: SQLDialect { .sqlite }

    func reading<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await work(Reader(pool: pool))
    }

    func transaction<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await KeyedLocks.shared.holding("sqlite-writer:" + path) {
            try Writer.run(pool) { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            do {
                let value = try await work(Writer(pool: pool))
                try await pool.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
                return value
            } catch {
                // Not cancellable: a transaction left open would hold every later write.
                try? Writer.run(pool) { db in
                    if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
                }
                throw error
            }
        }
    }

    func storeError(_ error: any Error) -> StoreError { .database("\(path): \(error)") }

    /// Statements on a reader of the pool (a snapshot each).
    private struct Reader: SQLSession {
        let pool: DatabasePool

        func rows(_ statement: SQL) async throws -> [SQLRow] {
            try await pool.read { db in try SQLiteDatabase.rows(db, statement) }
        }

        func execute(_ statement: SQL) async throws {
            _ = try await rows(statement)
        }
    }

    /// Statements on the writer, inside the transaction `transaction` opened.
    private struct Writer: SQLSession {
        let pool: DatabasePool

        func rows(_ statement: SQL) async throws -> [SQLRow] {
            try Self.run(pool) { db in try SQLiteDatabase.rows(db, statement) }
        }

        func execute(_ statement: SQL) async throws {
            try Self.run(pool) { db in
                try db.cachedStatement(sql: statement.text { _ in "?" }).execute(
                    arguments: SQLiteDatabase.arguments(statement))
            }
        }

        /// `work` on the writer, from this thread (GRDB's synchronous access).
        static func run<T>(_ pool: DatabasePool, _ work: (Database) throws -> T) throws -> T {
            try pool.writeWithoutTransaction(work)
        }
    }

    static func rows(_ db: Database, _ statement: SQL) throws -> [SQLRow] {
        // Prepared once a connection (the text of a statement's shape does not change; its values
        // are bound): compiling each time was a tenth of a suggestion's store work.
        try Row.fetchAll(db.cachedStatement(sql: statement.text { _ in "?" }), arguments: arguments(statement)).map {
            row in
            SQLRow(
                values: row.databaseValues.map { value in
                    switch value.storage {
                    case .int64(let number): .integer(Int(number))
                    case .string(let text): .text(text)
                    case .double(let number): .integer(Int(number))
                    case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                    case .null: .null
                    }
                })
        }
    }

    static func arguments(_ statement: SQL) -> StatementArguments {
        StatementArguments(
            statement.values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .integer(let number): number
                case .text(let text): text
                case .null: nil
                }
            })
    }
}
