import Foundation

/// A value a statement binds or a row holds: the store keeps text and whole numbers only.
enum SQLValue: Sendable, Equatable {
    case integer(Int)
    case text(String)
    case null
}

/// A statement with its values kept apart from its text, written once for SQLite and PostgreSQL:
/// `"SELECT * FROM monograph WHERE id = \(id)"` binds `id`; each database writes its own
/// placeholders (`?`, `$1`). `\(raw: text)` puts text in as it is (column lists, `FOR UPDATE`).
struct SQL: Sendable, ExpressibleByStringInterpolation {
    /// The text around the values: one more piece than values.
    private(set) var pieces: [String] = [""]
    private(set) var values: [SQLValue] = []

    init(stringLiteral text: String) { pieces = [text] }

    init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
        values = stringInterpolation.values
    }

    struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [String] = [""]
        var values: [SQLValue] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ text: String) { pieces[pieces.count - 1] += text }

        mutating func appendInterpolation(_ value: String) { bind(.text(value)) }
        mutating func appendInterpolation(_ value: Int) { bind(.integer(value)) }
        mutating func appendInterpolation(_ value: String?) { bind(value.map(SQLValue.text) ?? .null) }
        mutating func appendInterpolation(_ value: Int?) { bind(value.map(SQLValue.integer) ?? .null) }
        mutating func appendInterpolation(raw text: String) { pieces[pieces.count - 1] += text }

        private mutating func bind(_ value: SQLValue) {
            values.append(value)
            pieces.append("")
        }
    }

    /// The statement's text with `placeholder(n)` for the n-th value (from 1).
    func text(placeholder: (Int) -> String) -> String {
        var text = pieces[0]
        for index in values.indices { text += placeholder(index + 1) + pieces[index + 1] }
        return text
    }

    /// `self` followed by `other` (conditions added one by one).
    static func + (lhs: SQL, rhs: SQL) -> SQL {
        var joined = lhs
        joined.pieces[joined.pieces.count - 1] += rhs.pieces[0]
        joined.pieces += rhs.pieces.dropFirst()
        joined.values += rhs.values
        return joined
    }
}

/// One row of an answer, its columns in the order the statement selects them.
struct SQLRow: Sendable {
    let values: [SQLValue]

    func int(_ column: Int) throws -> Int {
        guard case .integer(let value) = values[column] else { throw Self.mismatch(column, values[column], "a number") }
        return value
    }

    func text(_ column: Int) throws -> String {
        guard case .text(let value) = values[column] else { throw Self.mismatch(column, values[column], "text") }
        return value
    }

    func optionalInt(_ column: Int) throws -> Int? {
        values[column] == .null ? nil : try int(column)
    }

    func optionalText(_ column: Int) throws -> String? {
        values[column] == .null ? nil : try text(column)
    }

    private static func mismatch(_ column: Int, _ value: SQLValue, _ wanted: String) -> StoreError {
        .database("column \(column + 1) holds \(value), not \(wanted)")
    }
}

/// A connection to run statements on: inside a transaction (`SQLDatabase.transaction`), or
/// for reading.
protocol SQLSession: Sendable {
    func rows(_ statement: SQL) async throws -> [SQLRow]
    func execute(_ statement: SQL) async throws
}

extension SQLSession {
    func row(_ statement: SQL) async throws -> SQLRow? { try await rows(statement).first }

    /// The first column of the first row, a number (`SELECT current_revision ...`, `RETURNING id`).
    func int(_ statement: SQL) async throws -> Int? { try await row(statement)?.optionalInt(0) }

    func exists(_ statement: SQL) async throws -> Bool { try await row(statement) != nil }
}

/// What differs between SQLite and PostgreSQL under the operations `SQLStore` writes once:
/// how statements run, how a transaction is held against other writers, and errors.
protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `work` outside a transaction (reads).
    func reading<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// Runs `work` in one transaction: all of it or none. Only one writer is in one at a time
    /// (SQLite), or rows are locked as they are read `FOR UPDATE` (PostgreSQL).
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// The store's error for a failure of the database.
    func storeError(_ error: any Error) -> StoreError
}

/// The words that differ between the two databases.
enum SQLDialect: Sendable {
    case sqlite, postgres

    /// After a `SELECT` in a transaction that goes on to change the row: PostgreSQL locks it;
    /// SQLite has locked the whole database for the transaction already.
    var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }
}
