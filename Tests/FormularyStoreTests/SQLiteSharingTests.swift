import FormularyModel
import Foundation
import GRDB
import Testing

@testable import FormularyStore

@Suite("the SQLite file shared with another program")
struct SQLiteSharingTests {
    @Test("a write waits while another program holds the file's write lock, instead of failing")
    func waitsForAnotherWriter() async throws {
        let folder = Folder()
        let path = folder.path + "/db.sqlite"
        let store = try SQLiteStore(path: path)
        // Another program's connection (`formulary review approve` beside `serve`), mid-write.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        // It commits 300 ms later, on a thread of its own (not one the write below may block).
        let committing = Locked(false)
        Thread.detachNewThread {
            usleep(300_000)
            committing.withLock { $0 = true }
            try? other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
        try await store.addUser(User(name: "asha", role: .reviewer), passwordHash: "unused")
        // The write could go through only once the other had committed: it waited.
        #expect(committing.withLock { $0 })
        #expect(try await store.user(named: "asha")?.user.role == .reviewer)
    }
}
