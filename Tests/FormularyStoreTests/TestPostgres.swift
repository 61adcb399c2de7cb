import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL server for the store tests, from `FORMULARY_TEST_POSTGRES`
/// (`postgres://user:password@host/database`, a role that may create databases).
enum TestPostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["FORMULARY_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A new, empty database on that server, as a URL: every test starts from nothing.
    static func freshDatabase() async throws -> String {
        guard let url, var components = URLComponents(string: url), let host = components.host,
            let user = components.user
        else { throw CancellationError() }
        let name = "formulary_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.drop(while: { $0 == "/" })), tls: .disable)
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        components.path = "/" + name
        return components.string!
    }
}
