import Foundation
import Synchronization
import Testing

@testable import FormularyStore

/// Two servers on one PostgreSQL database, as two stores and two content folders in one
/// process: what `formulary serve` builds its change feed on (Tests/server/multi_server_check.py
/// runs real servers).
@Suite("several servers on one PostgreSQL", .serialized, .enabled(if: TestPostgres.url != nil))
struct SharedStoreTests {
    /// Two stores opened at the same moment on a fresh database, each with a content folder
    /// holding the same two pages.
    func twoServers() async throws -> (stores: [PostgresStore], folders: [Folder], servers: [Contributions]) {
        let url = try await TestPostgres.freshDatabase()
        let folders = [Folder(), Folder()]
        for folder in folders {
            try folder.write("content/composition/aspirin.md", aspirin)
            try folder.write("content/composition/ibuprofen.md", "---\ntitle: Ibuprofen\n---\n\n## Usage\nPain.\n")
        }
        // Migrations of a fresh database, twice at once: one waits for the other's lock.
        async let first = PostgresStore(url: url)
        async let second = PostgresStore(url: url)
        let stores = try await [first, second]
        let servers = zip(stores, folders).map { Contributions(store: $0, contentFolder: $1.path + "/content") }
        return (stores, folders, servers)
    }

    /// Both folders imported, then an edit of aspirin's dosage approved on the first server
    /// only: the second's file still holds revision 1.
    func dosageApprovedOnFirst() async throws -> (stores: [PostgresStore], folders: [Folder], servers: [Contributions])
    {
        let (stores, folders, servers) = try await twoServers()
        _ = try await servers[0].importContent()
        _ = try await servers[1].importContent()
        try await stores[0].addUser(User(name: "r", role: .reviewer), passwordHash: "unused")
        let suggestion = try await servers[0].suggestSection(
            monographID: "composition/aspirin", section: "dosage", text: "## Dosage\nOne tablet every eight hours.\n",
            author: "ravi", message: "longer")
        _ = try await servers[0].approve(suggestion: suggestion.id, reviewer: "r")
        return (stores, folders, servers)
    }

    @Test("imports at once add each page once; the feed numbers changes in commit order")
    func importsTogether() async throws {
        let (stores, folders, servers) = try await twoServers()
        defer { withExtendedLifetime(folders) {} }
        async let first = servers[0].importContent()
        async let second = servers[1].importContent()
        let reports = try await [first, second]
        #expect(reports.map(\.added.count).sorted() == [0, 2])
        #expect(reports.map(\.unchanged).sorted() == [0, 2])
        #expect(try await stores[0].revisions(of: "composition/aspirin").count == 1)
        #expect(try await stores[1].latestChange() == 2)
        let changes = try await stores[1].changes(after: 0, limit: 10)
        #expect(changes.map(\.sequence) == [1, 2])
        #expect(Set(changes.map(\.monographID)) == ["composition/aspirin", "composition/ibuprofen"])
        #expect(changes.map(\.revision) == [1, 1])
        #expect(try await stores[1].changes(after: 1, limit: 10).count == 1)
        #expect(try await stores[1].changes(after: 2, limit: 10) == [])
    }

    @Test("an approval on one server is a change the other reads, announces and follows into its folder")
    func follow() async throws {
        let (stores, folders, servers) = try await twoServers()
        _ = try await servers[0].importContent()
        _ = try await servers[1].importContent()
        try await stores[0].addUser(User(name: "r", role: .reviewer), passwordHash: "unused")
        let start = try await stores[1].latestChange()

        // The second server listens; the first approves.
        let announced = Announcements()
        let listener = Task { try await stores[1].listenForChanges { announced.count.add(1, ordering: .relaxed) } }
        defer { listener.cancel() }
        let suggestion = try await servers[0].suggestSection(
            monographID: "composition/ibuprofen", section: "usage", text: "## Usage\nPain and fever.\n",
            author: "ravi", message: "fever too")
        let revision = try await servers[0].approve(suggestion: suggestion.id, reviewer: "r")
        #expect(revision.number == 2)
        #expect(
            try await stores[1].changes(after: start, limit: 10) == [
                StoreChange(sequence: start + 1, monographID: "composition/ibuprofen", revision: 2)
            ])
        // LISTEN takes effect once the listener's connection has sent it; an approval before
        // that is not announced (the feed has it all the same). So: changes until one is.
        var tries = 0
        while announced.count.load(ordering: .relaxed) == 0, tries < 100 {
            tries += 1
            _ = try await stores[0].addRevision(
                monographID: "composition/aspirin", path: "composition/aspirin.md", markdown: aspirin + "\n",
                author: "import", message: "again", approving: nil, ifCurrent: nil, voiding: [], signOffs: [])
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(announced.count.load(ordering: .relaxed) > 0, "no announcement in 100 changes")

        let other = folders[1].read("content/composition/ibuprofen.md")
        #expect(other == "---\ntitle: Ibuprofen\n---\n\n## Usage\nPain.\n")
        #expect(try await servers[1].follow("composition/ibuprofen") == .written)
        #expect(
            folders[1].read("content/composition/ibuprofen.md") == folders[0].read("content/composition/ibuprofen.md"))
        #expect(try await servers[1].follow("composition/ibuprofen") == .unchanged)
    }

    @Test("a file edited by hand on one server while the page changed on the other is kept as a suggestion")
    func handEditKept() async throws {
        let (stores, folders, servers) = try await dosageApprovedOnFirst()
        let handEdit = aspirin + "\nA note written on the second server.\n"
        try folders[1].write("content/composition/aspirin.md", handEdit)

        guard case .keptHandEdit(let kept) = try await servers[1].follow("composition/aspirin") else {
            Issue.record("the hand edit was not kept")
            return
        }
        let keptSuggestion = try await stores[1].suggestion(id: kept)
        #expect(keptSuggestion?.markdown == handEdit)
        #expect(keptSuggestion?.status == .pending)
        #expect(keptSuggestion?.author == "import")
        #expect(folders[1].read("content/composition/aspirin.md") == folders[0].read("content/composition/aspirin.md"))
    }

    @Test("with the store winning, a restarted server's hand-edited file becomes a suggestion, not a revision")
    func restartWithHandEdit() async throws {
        let (stores, folders, _) = try await dosageApprovedOnFirst()
        // The second server was down meanwhile; its file was edited by hand.
        let handEdit = aspirin + "\nEdited while the server was down.\n"
        try folders[1].write("content/composition/aspirin.md", handEdit)
        let restarted = Contributions(
            store: stores[1], contentFolder: folders[1].path + "/content", handEdits: .suggestions)
        let report = try await restarted.importContent()
        #expect(report.changed == [])
        #expect(report.kept.count == 1)
        #expect(report.kept.first?.hasPrefix("composition/aspirin (suggestion #") == true)
        #expect(try await stores[1].revisions(of: "composition/aspirin").count == 2, "no revision from the file")
        #expect(folders[1].read("content/composition/aspirin.md") == folders[0].read("content/composition/aspirin.md"))
        let pending = try await stores[1].suggestions(status: .pending, monographID: "composition/aspirin")
        #expect(pending.map(\.markdown) == [handEdit])
        // Imported again: nothing more to keep.
        #expect(try await restarted.importContent().kept == [])
    }
}

/// Counts the announcements a listener hears.
final class Announcements: Sendable {
    let count = Atomic<Int>(0)
}
