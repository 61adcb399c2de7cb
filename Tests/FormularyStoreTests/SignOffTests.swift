import FormularyReview
import Foundation
import Testing

@testable import FormularyStore

/// Who may sign off what, and what edits do to sign-offs: through `Contributions`, the one
/// door the command line, the API and the browser share.
@Suite("sign-offs", .serialized)
struct SignOffTests {
    /// The aspirin page imported, dosage reserved for pharmacists; `asha` a reviewer and
    /// pharmacist, `ravi` a reviewer, `cara` a contributor.
    func site(_ kind: StoreKind) async throws -> (Folder, Contributions) {
        let folder = Folder()
        try folder.write("content/composition/aspirin.md", aspirin)
        let store = try await kind.make(in: folder)
        try await store.addUser(User(name: "asha", role: .reviewer, qualifications: ["pharmacist"]), passwordHash: "-")
        try await store.addUser(User(name: "ravi", role: .reviewer), passwordHash: "-")
        try await store.addUser(User(name: "cara", role: .contributor), passwordHash: "-")
        let contributions = Contributions(
            store: store, contentFolder: folder.path + "/content",
            policy: ReviewPolicy(qualifications: ["dosage": "pharmacist"]))
        _ = try await contributions.importContent()
        return (folder, contributions)
    }

    static let id = "composition/aspirin"

    @Test(
        "only reviewers sign off; reserved sections need the qualification; nobody signs off their own text",
        arguments: StoreKind.available)
    func whoMay(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await site(kind)
        defer { withExtendedLifetime(folder) {} }
        await #expect(
            throws: StoreError.forbidden("cara is a contributor; only reviewers and admins may sign off a page")
        ) {
            try await contributions.signOff(monographID: Self.id, sections: ["usage"], reviewer: "cara")
        }
        await #expect(
            throws: StoreError.forbidden(
                "nobody named 'ghost' is a person of this site; only reviewers and admins may sign off a page "
                    + "(add one with `formulary user add NAME --role reviewer`)")
        ) {
            try await contributions.signOff(monographID: Self.id, reviewer: "ghost")
        }
        await #expect(
            throws: StoreError.forbidden("signing off dosage needs a reviewer qualified as pharmacist; ravi is not")
        ) {
            try await contributions.signOff(monographID: Self.id, sections: ["usage", "dosage"], reviewer: "ravi")
        }
        await #expect(
            throws: StoreError.invalid(
                "composition/aspirin has no section 'dosge'; its sections are preamble, usage, dosage, sideEffects")
        ) {
            try await contributions.signOff(monographID: Self.id, sections: ["dosge"], reviewer: "asha")
        }
        await #expect(throws: StoreError.notFound("no monograph has the id 'composition/nope'")) {
            try await contributions.signOff(monographID: "composition/nope", reviewer: "asha")
        }
        // Nothing was stored by any refusal.
        #expect(try await contributions.store.signOffs(of: Self.id) == [])

        // ravi's approved suggestion wrote the usage text: ravi may not sign it off, asha may.
        let suggestion = try await contributions.suggest(
            monographID: Self.id, markdown: edited(aspirin, "Pain and fever.", "Pain, fever."), author: "ravi",
            message: "shorter")
        _ = try await contributions.approve(suggestion: suggestion.id, reviewer: "asha")
        await #expect(throws: StoreError.forbidden("ravi wrote the current text of Uses; someone else signs it off")) {
            try await contributions.signOff(monographID: Self.id, sections: ["usage"], reviewer: "ravi")
        }
        // The approval signed usage off by asha; ravi may sign off what he did not write.
        let signed = try await contributions.signOff(
            monographID: Self.id, sections: ["sideEffects"], reviewer: "ravi", message: "checked against the label")
        #expect(signed.map(\.section) == ["sideEffects"])
        #expect(signed.first?.revision == 2)
        #expect(signed.first?.message == "checked against the label")
        let review = try await contributions.review(of: Self.id)
        #expect(review.state == .partlyReviewed)
        #expect(review.sections.map { $0.signedOff?.reviewer } == [nil, "asha", nil, "ravi"])
        #expect(review.sections[1].signedOff?.suggestion == suggestion.id)
        #expect(review.sections[1].signedOff?.qualifications == ["pharmacist"])
        // In the audit log, as the same transaction recorded them.
        let audit = try await contributions.store.auditLog(limit: 10).filter { $0.action == "sign-off" }
        #expect(
            audit.map(\.detail) == [
                "revision 2: sideEffects (checked against the label)",
                "revision 2: usage (approved suggestion #\(suggestion.id))",
            ])
        #expect(audit.map(\.actor) == ["ravi", "asha"])
    }

    @Test(
        "a hand edit voids only the section it changes; an approval's sign-off replaces the old one",
        arguments: StoreKind.available)
    func voiding(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await site(kind)
        defer { withExtendedLifetime(folder) {} }
        try await contributions.signOff(monographID: Self.id, sections: ["usage", "dosage"], reviewer: "asha")
        #expect(try await contributions.review(of: Self.id).signedOff.map(\.name) == ["usage", "dosage"])

        // An editor changes the dosage in the file by hand; it is imported as a revision.
        try folder.write("content/composition/aspirin.md", edited(aspirin, "One tablet", "Two tablets"))
        #expect(try await contributions.importContent().changed == [Self.id])
        var review = try await contributions.review(of: Self.id)
        #expect(review.signedOff.map(\.name) == ["usage"])
        #expect(review.changed.map(\.name) == ["dosage"])
        #expect(review.changed.first?.changedSince?.reviewer == "asha")

        // A suggestion to the usage, approved by ravi: his sign-off replaces asha's.
        let current = try #require(folder.read("content/composition/aspirin.md"))
        let suggestion = try await contributions.suggest(
            monographID: Self.id, markdown: edited(current, "Pain and fever.", "Headache and fever."), author: "cara",
            message: "m")
        _ = try await contributions.approve(suggestion: suggestion.id, reviewer: "ravi")
        review = try await contributions.review(of: Self.id)
        #expect(review.sections.first { $0.name == "usage" }?.signedOff?.reviewer == "ravi")
        #expect(review.changed.map(\.name) == ["dosage"])
        #expect(review.state == .partlyReviewed)

        // Everything signed off: the page is reviewed; a revert to the first text voids the
        // sections whose text it changes, not the others.
        try await contributions.signOff(monographID: Self.id, reviewer: "asha")
        #expect(try await contributions.review(of: Self.id).state == .reviewed)
        _ = try await contributions.revert(monographID: Self.id, to: 1, author: "ravi")
        review = try await contributions.review(of: Self.id)
        #expect(review.state == .partlyReviewed)
        #expect(review.signedOff.map(\.name) == ["preamble", "sideEffects"])
    }

    @Test(
        "a sign-off of a revision the page has moved on from is refused; nothing is stored",
        arguments: StoreKind.available)
    func stale(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await site(kind)
        defer { withExtendedLifetime(folder) {} }
        // The reviewer read revision 1; the file was then edited by hand (revision 2 on import).
        try folder.write("content/composition/aspirin.md", edited(aspirin, "One tablet", "Two tablets"))
        await #expect(throws: StoreError.self) {
            try await contributions.signOff(monographID: Self.id, sections: ["usage"], reviewer: "asha", revision: 1)
        }
        #expect(try await contributions.store.signOffs(of: Self.id) == [])
        #expect(try await contributions.store.monograph(id: Self.id)?.currentRevision == 2)
        // At the store, too: a sign-off names the revision it is of.
        await #expect(throws: StoreError.stale("composition/aspirin moved on to revision 2 (expected 1)")) {
            try await contributions.store.addSignOffs(
                [
                    SignOff(
                        monographID: Self.id, revision: 1, section: "usage", textHash: "x", reviewer: "asha",
                        qualifications: [], message: "", at: Clock.now())
                ], monographID: Self.id, revision: 1)
        }
        let signed = try await contributions.signOff(monographID: Self.id, sections: ["dosage"], reviewer: "asha")
        #expect(signed.first?.revision == 2)
    }

    @Test(
        "the ledger a build reads: the sign-offs a review can show, by page; dates of changes made through the store",
        arguments: StoreKind.available)
    func ledger(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await site(kind)
        defer { withExtendedLifetime(folder) {} }
        // First imports have no date of change: the import is not when the text was written.
        #expect(try await contributions.store.reviewLedger() == ReviewLedger())
        try await contributions.signOff(monographID: Self.id, sections: ["usage", "dosage"], reviewer: "asha")
        let suggestion = try await contributions.suggest(
            monographID: Self.id, markdown: edited(aspirin, "Pain and fever.", "Pain."), author: "cara", message: "m")
        let revision = try await contributions.approve(suggestion: suggestion.id, reviewer: "asha")
        var ledger = try await contributions.store.reviewLedger()
        #expect(ledger.changedAt == [Self.id: revision.createdAt])
        // The usage signed off at revision 1 was voided by revision 2's, which replaces it: history.
        #expect(ledger.signOffs[Self.id]?.map { "\($0.section) \($0.revision)" } == ["dosage 1", "usage 2"])
        #expect(try await contributions.store.signOffs(of: Self.id).count == 3)
        #expect(
            PageReview(Self.aspirinText(folder), signOffs: ledger.signOffs[Self.id] ?? [])
                == (try await contributions.review(of: Self.id)))

        // A revert voids revision 2's usage; it stays in the ledger as the latest of its section
        // (the page says the usage changed since), the dosage still stands.
        _ = try await contributions.revert(monographID: Self.id, to: 1, author: "ravi")
        ledger = try await contributions.store.reviewLedger()
        #expect(
            ledger.signOffs[Self.id]?.map { "\($0.section) \($0.revision) \($0.voidedAt ?? 0)" } == [
                "dosage 1 0", "usage 2 3",
            ])
        let review = try await contributions.review(of: Self.id)
        #expect(review.changed.map(\.name) == ["usage"])
        #expect(PageReview(Self.aspirinText(folder), signOffs: ledger.signOffs[Self.id] ?? []) == review)
    }

    /// The page's text as its file holds it now.
    static func aspirinText(_ folder: Folder) -> SectionText {
        SectionText(folder.read("content/composition/aspirin.md") ?? "", path: "composition/aspirin.md")
    }
}

@Suite("readers' reports", .serialized)
struct ReaderReportTests {
    @Test(
        "anyone reports a problem with a page or a section; a reviewer closes it with a note",
        arguments: StoreKind.available)
    func reportAndClose(_ kind: StoreKind) async throws {
        let (folder, contributions) = try await SignOffTests().site(kind)
        defer { withExtendedLifetime(folder) {} }
        let id = SignOffTests.id
        let report = try await contributions.report(
            monographID: id, section: "dosage", reason: "  The dose looks ten times too high.  ",
            contact: "reader@example.org")
        #expect(report.reason == "The dose looks ten times too high.")
        #expect(report.status == .open)
        _ = try await contributions.report(monographID: id, section: "", reason: "Typo in the title", contact: "")
        // What is refused, and why.
        await #expect(throws: StoreError.invalid("say what is wrong (a few words at least)")) {
            try await contributions.report(monographID: id, section: "", reason: " x ", contact: "")
        }
        await #expect(throws: StoreError.invalid("the reason is too long (2,000 characters at most)")) {
            try await contributions.report(
                monographID: id, section: "", reason: String(repeating: "a", count: 2_001), contact: "")
        }
        await #expect(throws: StoreError.invalid("the contact is too long (200 characters at most)")) {
            try await contributions.report(
                monographID: id, section: "", reason: "fine", contact: String(repeating: "a", count: 201))
        }
        await #expect(
            throws: StoreError.invalid(
                "composition/aspirin has no section 'nope'; its sections are preamble, usage, dosage, sideEffects")
        ) {
            try await contributions.report(monographID: id, section: "nope", reason: "fine", contact: "")
        }
        await #expect(throws: StoreError.notFound("no monograph has the id 'composition/nope'")) {
            try await contributions.report(monographID: "composition/nope", section: "", reason: "fine", contact: "")
        }
        #expect(try await contributions.store.reports(status: .open, monographID: nil, limit: nil).count == 2)

        // Only reviewers close, with a note; a closed report stays closed.
        await #expect(
            throws: StoreError.forbidden("cara is a contributor; only reviewers and admins may close a report")
        ) {
            try await contributions.closeReport(report.id, reviewer: "cara", note: "done")
        }
        await #expect(throws: StoreError.invalid("say what was done about it, for the record")) {
            try await contributions.closeReport(report.id, reviewer: "asha", note: "  ")
        }
        try await contributions.closeReport(report.id, reviewer: "asha", note: "Checked the label: 500 mg is right.")
        await #expect(throws: StoreError.conflict("report #\(report.id) is closed already")) {
            try await contributions.closeReport(report.id, reviewer: "ravi", note: "again")
        }
        let closed = try #require(try await contributions.store.report(id: report.id))
        #expect(closed.status == .closed)
        #expect(closed.closedBy == "asha")
        #expect(closed.note == "Checked the label: 500 mg is right.")
        #expect(
            try await contributions.store.reports(status: .open, monographID: id, limit: nil).map(\.section) == [""])
        let audit = try await contributions.store.auditLog(limit: 5).map { "\($0.actor) \($0.action) \($0.detail)" }
        #expect(
            audit.prefix(3) == [
                "asha close-report report \(report.id): Checked the label: 500 mg is right.",
                "reader report report \(report.id + 1)", "reader report report \(report.id) on dosage",
            ])
    }
}
