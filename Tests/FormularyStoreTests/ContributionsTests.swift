import FormularyReview
import Foundation
import Testing
@_exported import FormularyTestSupport

@testable import FormularyStore

/// The store tests' folders (`FormularyTestSupport`).
typealias Folder = TemporaryFolder

let aspirin = """
    ---
    title: Aspirin
    ---

    ## Usage
    Pain and fever.

    ## Dosage
    One tablet every six hours.

    ## Side Effects
    Stomach upset.

    """

func edited(_ text: String, _ from: String, _ to: String) -> String { text.replacingOccurrences(of: from, with: to) }

/// `text` as an approval writes it: a draft no more (who approved it is in its sign-offs).
func reviewed(by reviewer: String, _ text: String) -> String { Contributions.published(text) }

@Suite("sections of a page")
struct SectionTextTests {
    @Test("a page is cut at its sections and joined back byte for byte")
    func cut() {
        let text = SectionText(aspirin + "Trailing line without newline")
        #expect(text.parts.map(\.name) == ["preamble", "usage", "dosage", "sideEffects"])
        #expect(text.parts[1].text == "## Usage\nPain and fever.\n\n")
        #expect(text.text == aspirin + "Trailing line without newline")
        let crlf = aspirin.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(SectionText(crlf).text == crlf)
    }

    @Test("edits in different sections merge; the same section edited twice is a conflict")
    func merge() {
        let current = edited(aspirin, "Pain and fever.", "Pain, fever and swelling.")
        let suggestion = edited(aspirin, "One tablet every six hours.", "One tablet every four to six hours.")
        let clean = SectionMerge(base: aspirin, current: current, suggestion: suggestion)
        #expect(clean.conflicts == [])
        #expect(clean.suggested == ["dosage"])
        #expect(clean.text == edited(current, "One tablet every six hours.", "One tablet every four to six hours."))

        let clash = SectionMerge(
            base: aspirin, current: current, suggestion: edited(aspirin, "Pain and fever.", "Headache."))
        #expect(clash.text == nil)
        #expect(clash.conflicts == ["usage"])
        // The same change on both sides is no conflict.
        #expect(SectionMerge(base: aspirin, current: current, suggestion: current).text == current)
    }

    @Test("a section added after another lands after it; a removed one goes")
    func addAndRemove() {
        let current = edited(aspirin, "Pain and fever.", "Pain, fever and swelling.")
        let added = edited(aspirin, "## Side Effects", "## Precautions\nAvoid alcohol.\n\n## Side Effects")
        let merge = SectionMerge(base: aspirin, current: current, suggestion: added)
        #expect(merge.text == edited(current, "## Side Effects", "## Precautions\nAvoid alcohol.\n\n## Side Effects"))
        let removed = edited(aspirin, "## Side Effects\nStomach upset.\n\n", "")
        #expect(
            SectionMerge(base: aspirin, current: current, suggestion: removed).text
                == edited(current, "## Side Effects\nStomach upset.\n\n", ""))
    }

    @Test("approving makes a draft published and leaves the rest of the file alone")
    func markPublished() {
        #expect(
            Contributions.published("---\r\ntitle: X\r\nstatus: \"draft\"\r\nreviewed_by: old\r\n---\r\nBody\r\n")
                == "---\r\ntitle: X\r\nstatus: reviewed\r\nreviewed_by: old\r\n---\r\nBody\r\n")
        #expect(Contributions.published(aspirin) == aspirin)
        let noFrontMatter = "status: draft\nBody\n"
        #expect(Contributions.published(noFrontMatter) == noFrontMatter)
    }

    @Test("the diff names changed sections only, word by word")
    func diff() {
        let diff = SectionDiff(
            from: aspirin, to: edited(aspirin, "One tablet every six hours.", "Two tablets every six hours."))
        #expect(diff.sections.count == 1)
        #expect(diff.sections[0].heading == "Dosage")
        #expect(
            diff.sections[0].change
                == .edited([
                    .same("## Dosage\n"), .deleted("One tablet "), .inserted("Two tablets "),
                    .same("every six hours.\n\n"),
                ]))
        #expect(diff.plainText == "~~~ Dosage\n## Dosage\n[-One tablet -]{+Two tablets +}every six hours.\n\n\n")
        #expect(SectionDiff(from: aspirin, to: aspirin).sections == [])
    }
}

/// The stores every contribution test runs against: SQLite always, PostgreSQL when
/// `FORMULARY_TEST_POSTGRES` names a server (`.ci/run` starts one and sets it).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [StoreKind] { TestPostgres.url == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    func make(in folder: Folder) async throws -> any ContributionStore {
        switch self {
        case .sqlite: return try SQLiteStore(path: folder.path + "/.formulary/formulary.sqlite")
        case .postgres: return try await PostgresStore(url: try await TestPostgres.freshDatabase())
        }
    }
}

@Suite("contributions", .serialized)
struct ContributionsTests {
    /// A store with two pages; unless `people` is false, with the people the tests decide as.
    func workflow(_ kind: StoreKind, people: Bool = true) async throws -> (Folder, Contributions) {
        let folder = Folder()
        try folder.write("content/composition/aspirin.md", aspirin)
        try folder.write("content/composition/ibuprofen.md", "---\ntitle: Ibuprofen\n---\n\n## Usage\nPain.\n")
        let store = try await kind.make(in: folder)
        // Only reviewers and admins may approve, reject, revert.
        for name in ["asha", "dr-mehta", "r", "r1", "r2"] where people {
            try await store.addUser(User(name: name, role: .reviewer), passwordHash: "unused")
        }
        if people { try await store.addUser(User(name: "ravi", role: .contributor), passwordHash: "unused") }
        return (folder, Contributions(store: store, contentFolder: folder.path + "/content"))
    }

    @Test(
        "a contributor, or a name nobody has, cannot approve, reject, request changes or revert",
        arguments: StoreKind.available)
    func onlyReviewersDecide(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        defer { withExtendedLifetime(folder) {} }
        _ = try await contributions.importContent()
        let suggestion = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain and fever.", "Pain."),
            author: "asha", message: "shorter")
        let refusals = [
            "ravi": "ravi is a contributor; only reviewers and admins may approve",
            "nobody-at-all":
                "nobody named 'nobody-at-all' is a person of this site; only reviewers and admins may approve "
                + "(add one with `formulary user add NAME --role reviewer`)",
        ]
        for (name, refusal) in refusals.sorted(by: { $0.key < $1.key }) {
            await #expect(throws: StoreError.forbidden(refusal)) {
                try await contributions.approve(suggestion: suggestion.id, reviewer: name)
            }
            await #expect(throws: StoreError.self) {
                try await contributions.reject(suggestion: suggestion.id, reviewer: name, reason: "no")
            }
            await #expect(throws: StoreError.self) {
                try await contributions.requestChanges(suggestion: suggestion.id, reviewer: name, reason: "no")
            }
            await #expect(throws: StoreError.self) {
                try await contributions.revert(monographID: "composition/aspirin", to: 1, author: name)
            }
        }
        // Nothing changed: still pending, still one revision; a reviewer then may.
        #expect(try await contributions.store.suggestion(id: suggestion.id)?.status == .pending)
        #expect(try await contributions.store.revisions(of: "composition/aspirin").count == 1)
        #expect(try await contributions.approve(suggestion: suggestion.id, reviewer: "r").number == 2)
    }

    @Test("a suggestion on a translation is checked against the page it translates, in the content folder")
    func translationSuggestion() async throws {
        let (folder, contributions) = try await workflow(.sqlite)
        try folder.write(
            "content/composition/ibuprofen.hi.md", "---\ntitle: \"आइबुप्रोफ़ेन (Ibuprofen)\"\n---\n\n### उपयोग\nदर्द।\n")
        _ = try await contributions.importContent()
        let fine = try await contributions.suggest(
            monographID: "hi/composition/ibuprofen",
            markdown: "---\ntitle: \"आइबुप्रोफ़ेन (Ibuprofen)\"\n---\n\n### उपयोग\nदर्द में।\n", author: "ravi",
            message: "साफ़ शब्द")
        #expect(fine.checkErrors == [])
        // A number the page does not have is the translation's error, found through its page.
        let wrong = try await contributions.suggest(
            monographID: "hi/composition/ibuprofen",
            markdown: "---\ntitle: \"आइबुप्रोफ़ेन (Ibuprofen)\"\n---\n\n### उपयोग\n3 बार दर्द में।\n", author: "ravi",
            message: "संख्या")
        #expect(wrong.checkErrors.count == 1)
        #expect(wrong.checkErrors.first?.hasSuffix("[translation-mismatch]") == true)
    }

    @Test("PostgreSQL half", .enabled(if: TestPostgres.url == nil, "runs when FORMULARY_TEST_POSTGRES is set"))
    func postgresSkipped() {
        // Says, in the test log, that the PostgreSQL half did not run and how to run it.
        print(
            "skipped: the PostgreSQL half of the contribution tests; set FORMULARY_TEST_POSTGRES=postgres://user:password@localhost/postgres (a role that may create databases), as .ci/run does"
        )
        #expect(StoreKind.available == [.sqlite])
    }

    @Test("import is idempotent; export gives the files back byte for byte", arguments: StoreKind.available)
    func importAndExport(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        let first = try await contributions.importContent()
        #expect(first.added == ["composition/aspirin", "composition/ibuprofen"])
        let again = try await contributions.importContent()
        #expect(again == .init(added: [], changed: [], unchanged: 2, restored: [], skipped: []))
        #expect(try await contributions.store.revisions(of: "composition/aspirin").count == 1)

        try folder.write(
            "content/composition/ibuprofen.md", "---\ntitle: Ibuprofen\n---\n\n## Usage\nPain and fever.\n")
        #expect(try await contributions.importContent().changed == ["composition/ibuprofen"])
        let revisions = try await contributions.store.revisions(of: "composition/ibuprofen")
        #expect(revisions.map(\.number) == [1, 2])
        #expect(revisions[1].parent == 1)

        #expect(try await contributions.export(to: folder.path + "/exported") == 2)
        #expect(folder.read("exported/composition/aspirin.md") == aspirin)
        #expect(folder.read("exported/composition/ibuprofen.md") == folder.read("content/composition/ibuprofen.md"))
    }

    @Test(
        "a suggestion is approved into a revision and the file; a stale one merges by section",
        arguments: StoreKind.available)
    func approve(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        _ = try await contributions.importContent()
        let first = try await contributions.suggest(
            monographID: "composition/aspirin",
            markdown: edited(aspirin, "Pain and fever.", "Pain, fever and swelling."),
            author: "asha", message: "swelling too")
        let second = try await contributions.suggest(
            monographID: "composition/aspirin",
            markdown: edited(aspirin, "One tablet every six hours.", "One tablet every four to six hours."),
            author: "ravi", message: "interval")
        #expect(first.checkErrors == [])
        #expect(
            try await contributions.store.suggestions(status: .pending, monographID: nil).map(\.id) == [
                first.id, second.id,
            ])

        // Nobody approves their own suggestion, whichever way they ask (command line, API, web).
        await #expect(throws: StoreError.self) {
            try await contributions.approve(suggestion: first.id, reviewer: "asha")
        }
        #expect(try await contributions.store.suggestion(id: first.id)?.status == .pending)

        let revision = try await contributions.approve(suggestion: first.id, reviewer: "dr-mehta")
        #expect(revision.number == 2)
        #expect(revision.author == "asha")
        #expect(
            folder.read("content/composition/aspirin.md")
                == reviewed(by: "dr-mehta", edited(aspirin, "Pain and fever.", "Pain, fever and swelling.")))
        #expect(try await contributions.store.suggestion(id: first.id)?.status == .approved)
        #expect(try await contributions.store.suggestion(id: first.id)?.reviewer == "dr-mehta")

        // Written against revision 1; usage changed since, dosage did not: a clean merge.
        let merged = try await contributions.approve(suggestion: second.id, reviewer: "dr-mehta")
        #expect(merged.number == 3)
        #expect(
            merged.markdown
                == reviewed(
                    by: "dr-mehta",
                    edited(
                        edited(aspirin, "Pain and fever.", "Pain, fever and swelling."), "One tablet every six hours.",
                        "One tablet every four to six hours.")))
        #expect(folder.read("content/composition/aspirin.md") == merged.markdown)
        // Approving twice is refused.
        await #expect(throws: StoreError.conflict("suggestion #\(second.id) is approved, not pending")) {
            try await contributions.approve(suggestion: second.id, reviewer: "dr-mehta")
        }
    }

    @Test(
        "a conflict is shown, not merged; check errors block approval unless overridden with a reason",
        arguments: StoreKind.available)
    func conflictsAndErrors(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        defer { withExtendedLifetime(folder) {} }
        _ = try await contributions.importContent()
        let one = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain and fever.", "Headache."), author: "a",
            message: "m")
        let two = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain and fever.", "Toothache."), author: "b",
            message: "m")
        _ = try await contributions.approve(suggestion: one.id, reviewer: "r")
        #expect(try await contributions.preview(two).conflicts == ["usage"])
        await #expect(throws: StoreError.self) { try await contributions.approve(suggestion: two.id, reviewer: "r") }
        #expect(try await contributions.store.suggestion(id: two.id)?.status == .pending)

        let broken = try await contributions.suggest(
            monographID: "composition/ibuprofen", markdown: "---\ntitle: [broken\n---\nText\n", author: "c",
            message: "m")
        #expect(broken.checkErrors.count == 1)
        #expect(broken.checkErrors[0].contains("[invalid-front-matter]"))
        await #expect(throws: StoreError.self) { try await contributions.approve(suggestion: broken.id, reviewer: "r") }
        let overridden = try await contributions.approve(
            suggestion: broken.id, reviewer: "r", override: "fixing the YAML next")
        #expect(overridden.number == 2)
        #expect(try await contributions.store.suggestion(id: broken.id)?.reason == "fixing the YAML next")
    }

    @Test("reject and request changes need a reason; revert is a new revision", arguments: StoreKind.available)
    func rejectAndRevert(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        _ = try await contributions.importContent()
        let suggestion = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain", "Ache"), author: "a", message: "m")
        await #expect(throws: StoreError.invalid("say why, for the author")) {
            try await contributions.reject(suggestion: suggestion.id, reviewer: "r", reason: " ")
        }
        try await contributions.reject(suggestion: suggestion.id, reviewer: "r", reason: "not better")
        #expect(try await contributions.store.suggestion(id: suggestion.id)?.status == .rejected)
        #expect(try await contributions.store.suggestions(status: .pending, monographID: nil) == [])

        let accepted = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Stomach upset.", "Heartburn."), author: "a",
            message: "m")
        _ = try await contributions.approve(suggestion: accepted.id, reviewer: "r")
        let reverted = try await contributions.revert(monographID: "composition/aspirin", to: 1, author: "r")
        #expect(reverted.number == 3)
        #expect(reverted.markdown == aspirin)
        #expect(reverted.message == "reverted to revision 1")
        #expect(folder.read("content/composition/aspirin.md") == aspirin)
        #expect(try await contributions.store.revisions(of: "composition/aspirin").map(\.number) == [1, 2, 3])
    }

    @Test(
        "an approval that reached the store but not the file is put right by the next import",
        arguments: StoreKind.available)
    func crashBetweenStoreAndFile(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        _ = try await contributions.importContent()
        let suggestion = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain", "Ache"), author: "a", message: "m")
        _ = try await contributions.approve(suggestion: suggestion.id, reviewer: "r")
        // As if the program stopped before the file was written: the old text is back on disk.
        try folder.write("content/composition/aspirin.md", aspirin)
        let report = try await contributions.importContent()
        #expect(report.restored == ["composition/aspirin"])
        #expect(report.changed == [])
        #expect(folder.read("content/composition/aspirin.md") == reviewed(by: "r", edited(aspirin, "Pain", "Ache")))
        #expect(try await contributions.store.revisions(of: "composition/aspirin").count == 2)
    }

    @Test("a new page is suggested, reviewed and, once approved, written as revision 1", arguments: StoreKind.available)
    func newPage(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        _ = try await contributions.importContent()
        let draft = "---\ntitle: Naproxen\nstatus: draft\n---\n\n## Usage\nPain.\n"
        let suggestion = try await contributions.suggestNewPage(
            monographID: "composition/naproxen", path: "composition/naproxen.md", markdown: draft, author: "generate",
            message: "AI draft")
        #expect(suggestion.baseRevision == 0)
        #expect(folder.read("content/composition/naproxen.md") == nil)
        await #expect(throws: StoreError.self) {
            try await contributions.suggestNewPage(
                monographID: "composition/aspirin", path: "composition/aspirin.md", markdown: draft, author: "g",
                message: "m")
        }
        await #expect(throws: StoreError.self) {
            try await contributions.suggestNewPage(
                monographID: "composition/x", path: "../../etc/x.md", markdown: draft, author: "g", message: "m")
        }
        let revision = try await contributions.approve(suggestion: suggestion.id, reviewer: "dr-mehta")
        #expect(revision.number == 1)
        // Approved by a person: no longer a draft, and every section signed off by the approver.
        let reviewed = "---\ntitle: Naproxen\nstatus: reviewed\n---\n\n## Usage\nPain.\n"
        let review = try await contributions.review(of: "composition/naproxen")
        #expect(review.state == .reviewed)
        #expect(review.reviewers == ["dr-mehta"])
        #expect(review.sections.map(\.signedOff?.suggestion) == [suggestion.id, suggestion.id])
        #expect(revision.markdown == reviewed)
        #expect(folder.read("content/composition/naproxen.md") == reviewed)
        #expect(try await contributions.store.monograph(id: "composition/naproxen")?.path == "composition/naproxen.md")
    }

    @Test("the schema survives reopening; data stays", arguments: StoreKind.available)
    func reopen(_ kind: StoreKind) async throws {
        let folder = Folder()
        try folder.write("content/composition/aspirin.md", aspirin)
        let location: String
        switch kind {
        case .sqlite: location = folder.path + "/db.sqlite"
        case .postgres: location = try await TestPostgres.freshDatabase()
        }
        func open() async throws -> any ContributionStore {
            kind == .sqlite ? try SQLiteStore(path: location) : try await PostgresStore(url: location)
        }
        _ = try await Contributions(store: try await open(), contentFolder: folder.path + "/content").importContent()
        let reopened = try await open()
        #expect(try await reopened.monographs().map(\.id) == ["composition/aspirin"])
        #expect(try await reopened.revisions(of: "composition/aspirin").map(\.number) == [1])
    }

    @Test(
        "two machines approving edits of one page at the same moment lose neither; a conflicting pair keeps one",
        arguments: StoreKind.available)
    func concurrentApprovals(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        _ = try await contributions.importContent()
        // A second server with its own copy of the content folder and the same database.
        try folder.write("other/composition/aspirin.md", aspirin)
        let other = Contributions(store: contributions.store, contentFolder: folder.path + "/other")
        let usage = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain and fever.", "Pain."),
            author: "a", message: "usage")
        let dosage = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "One tablet", "Two tablets"),
            author: "b", message: "dosage")
        async let first = contributions.approve(suggestion: usage.id, reviewer: "r1")
        async let second = other.approve(suggestion: dosage.id, reviewer: "r2")
        let numbers = try await [first.number, second.number].sorted()
        #expect(numbers == [2, 3])
        let current = try #require(try await contributions.store.revision(of: "composition/aspirin", number: 3))
        #expect(current.markdown.contains("Pain.\n"))
        #expect(current.markdown.contains("Two tablets every six hours."))

        // Both change Side Effects: whichever goes first wins, the other is a conflict, not an overwrite.
        let x = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(current.markdown, "Stomach upset.", "Nausea."),
            author: "a", message: "x")
        let y = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(current.markdown, "Stomach upset.", "Heartburn."),
            author: "b", message: "y")
        async let one = try? contributions.approve(suggestion: x.id, reviewer: "r1")
        async let two = try? other.approve(suggestion: y.id, reviewer: "r2")
        let approved = await [one, two].compactMap { $0 }
        #expect(approved.count == 1)
        #expect(approved.first?.number == 4)
        let last = try #require(try await contributions.store.revision(of: "composition/aspirin", number: 4))
        #expect(last.markdown.contains("Nausea.") != last.markdown.contains("Heartburn."))
        #expect(try await contributions.store.revisions(of: "composition/aspirin").count == 4)
    }

    @Test("a section is suggested on its own; only its author withdraws a suggestion", arguments: StoreKind.available)
    func sectionAndWithdraw(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        defer { withExtendedLifetime(folder) {} }
        _ = try await contributions.importContent()
        let suggestion = try await contributions.suggestSection(
            monographID: "composition/aspirin", section: "dosage", text: "## Dosage\nTwo tablets.", author: "a",
            message: "m")
        #expect(suggestion.markdown == edited(aspirin, "One tablet every six hours.", "Two tablets."))
        await #expect(throws: StoreError.self) {
            try await contributions.suggestSection(
                monographID: "composition/aspirin", section: "overdose", text: "x", author: "a", message: "m")
        }
        await #expect(throws: StoreError.forbidden("only its author (a) may withdraw suggestion #\(suggestion.id)")) {
            try await contributions.withdraw(suggestion: suggestion.id, by: "b")
        }
        try await contributions.withdraw(suggestion: suggestion.id, by: "a")
        #expect(try await contributions.store.suggestion(id: suggestion.id)?.status == .withdrawn)
        let log = try await contributions.store.auditLog(limit: 2)
        #expect(log.map(\.action) == ["withdraw", "suggest"])
        #expect(log.first?.actor == "a")
        #expect(log.first?.target == "suggestion \(suggestion.id)")
    }

    @Test("a PostgreSQL store that cannot connect says why, without the password")
    func postgresErrors() async throws {
        await #expect(throws: StoreError.self) {
            try await PostgresStore(url: "postgres://someone:secret@127.0.0.1:1/nothing")
        }
        do {
            _ = try await PostgresStore(url: "postgres://someone:secret@127.0.0.1:1/nothing")
        } catch let error as StoreError {
            #expect(
                error.description.contains(
                    "postgres://someone:***@127.0.0.1:1/nothing: cannot connect; is PostgreSQL running"))
            #expect(!error.description.contains("secret"))
        }
        guard let url = TestPostgres.url, var components = URLComponents(string: url) else { return }
        components.password = "not-the-password"
        do {
            _ = try await PostgresStore(url: components.string!)
            Issue.record("a wrong password was accepted")
        } catch let error as StoreError {
            #expect(error.description.contains("the server refused: password authentication failed"))
        }
    }

    @Test("the queue is read a page at a time, oldest first", arguments: StoreKind.available)
    func paging(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind)
        defer { withExtendedLifetime(folder) {} }
        _ = try await contributions.importContent()
        var ids: [Int] = []
        for word in ["one", "two", "three"] {
            ids.append(
                try await contributions.suggest(
                    monographID: "composition/aspirin", markdown: edited(aspirin, "Pain", word), author: "a",
                    message: word
                ).id)
        }
        let store = contributions.store
        #expect(
            try await store.suggestions(status: .pending, monographID: nil, limit: 2, offset: 1).map(\.id) == [
                ids[1], ids[2],
            ])
        #expect(
            try await store.suggestions(status: nil, monographID: "composition/aspirin", limit: 1, offset: 0).map(\.id)
                == [ids[0]])
        #expect(try await store.suggestions(status: nil, monographID: nil, limit: nil, offset: 2).map(\.id) == [ids[2]])
        #expect(try await store.suggestions(status: .approved, monographID: nil, limit: 5, offset: 0).isEmpty)
    }

    @Test("sections a site reserves need a reviewer with the qualification", arguments: StoreKind.available)
    func qualifications(_ kind: StoreKind) async throws {
        let (folder, plain) = try await workflow(kind)
        defer { withExtendedLifetime(folder) {} }
        let contributions = Contributions(
            store: plain.store, contentFolder: plain.contentFolder,
            policy: ReviewPolicy(qualifications: ["dosage": "pharmacist"]))
        _ = try await contributions.importContent()
        var accounts = Accounts(store: contributions.store)
        accounts.cost = .init(logN: 10, r: 8, p: 1)
        try await accounts.addUser(User(name: "nurse", role: .reviewer), password: "a long password")
        try await accounts.addUser(
            User(name: "pharm", role: .reviewer, qualifications: ["pharmacist"]), password: "a long password")
        let dosage = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "One tablet", "Two tablets"), author: "a",
            message: "m")
        await #expect(throws: StoreError.self) {
            try await contributions.approve(suggestion: dosage.id, reviewer: "nurse")
        }
        #expect(try await contributions.approve(suggestion: dosage.id, reviewer: "pharm").number == 2)
        // Other sections need no qualification.
        let usage = try await contributions.suggest(
            monographID: "composition/aspirin", markdown: edited(aspirin, "Pain and fever.", "Pain."), author: "a",
            message: "m", baseRevision: 1)
        #expect(try await contributions.approve(suggestion: usage.id, reviewer: "nurse").number == 3)
    }

    @Test(
        "people: passwords hashed with scrypt, sessions and tokens kept hashed, every change audited",
        arguments: StoreKind.available)
    func people(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await workflow(kind, people: false)
        defer { withExtendedLifetime(folder) {} }
        var accounts = Accounts(store: contributions.store)
        accounts.cost = .init(logN: 10, r: 8, p: 1)
        try await accounts.addUser(
            User(name: "asha", role: .reviewer, qualifications: ["pharmacist"]), password: "correct horse")
        await #expect(throws: StoreError.conflict("there is a user named 'asha' already")) {
            try await accounts.addUser(User(name: "asha", role: .contributor), password: "another password")
        }
        await #expect(throws: StoreError.self) {
            try await accounts.addUser(User(name: "b", role: .admin), password: "short")
        }
        await #expect(throws: StoreError.self) {
            try await accounts.addUser(User(name: "<script>", role: .admin), password: "long enough password")
        }
        let stored = try #require(try await contributions.store.user(named: "asha"))
        #expect(stored.passwordHash.hasPrefix("scrypt$10$8$1$"))
        #expect(!stored.passwordHash.contains("correct horse"))
        #expect(stored.user.qualifications == ["pharmacist"])
        #expect(try await accounts.verify(name: "asha", password: "correct horse")?.name == "asha")
        #expect(try await accounts.verify(name: "asha", password: "correct horsf") == nil)
        #expect(try await accounts.verify(name: "nobody", password: "correct horse") == nil)

        let (token, session) = try await accounts.startSession(for: stored.user)
        #expect(session.tokenHash == Tokens.hash(token))
        #expect(try await accounts.session(token: token)?.user == "asha")
        #expect(try await accounts.session(token: Tokens.random()) == nil)
        #expect(try await accounts.session(token: "'; DROP TABLE session; --") == nil)
        try await accounts.endSession(token: token)
        #expect(try await accounts.session(token: token) == nil)

        let apiToken = try await accounts.issueToken(for: "asha", label: "scripts")
        #expect(try await accounts.tokenUser(apiToken)?.name == "asha")
        #expect(try await accounts.tokenUser("fm_" + Tokens.random()) == nil)
        #expect(try await accounts.tokenUser(String(apiToken.dropLast()) + "x") == nil)
        let actions = try await contributions.store.auditLog(limit: 10).map(\.action)
        #expect(actions == ["token-add", "sign-out", "sign-in", "user-add"])
    }
}
