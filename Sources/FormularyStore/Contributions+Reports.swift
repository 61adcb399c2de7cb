import FormularyCheck
import FormularyParsing
import FormularyReview
import Foundation

extension Contributions {
    // MARK: Readers' reports

    /// Records a reader's report of a problem with a page: anonymous, a reason of 3 to 2,000
    /// characters, about one of the page's sections (or the whole page, ""), a contact of at
    /// most 200 characters when given.
    public func report(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    {
        // Control characters (but line breaks and tabs in the reason) are dropped: they are not text.
        func printable(_ text: String, keepingLines: Bool) -> String {
            String(
                String.UnicodeScalarView(
                    text.unicodeScalars.filter {
                        $0.properties.generalCategory != .control || (keepingLines && ($0 == "\n" || $0 == "\t"))
                    }))
        }
        let reason = printable(reason, keepingLines: true).trimmingCharacters(in: .whitespacesAndNewlines)
        let contact = printable(contact, keepingLines: false).trimmingCharacters(in: .whitespacesAndNewlines)
        let section = section.trimmingCharacters(in: .whitespaces)
        guard (3...2_000).contains(reason.count) else {
            throw StoreError.invalid(
                reason.count < 3
                    ? "say what is wrong (a few words at least)" : "the reason is too long (2,000 characters at most)")
        }
        guard contact.count <= 200 else { throw StoreError.invalid("the contact is too long (200 characters at most)") }
        guard let monograph = try await store.monograph(id: monographID),
            let current = try await store.revision(of: monographID, number: monograph.currentRevision)
        else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
        if !section.isEmpty {
            let names = SectionText(current.markdown, path: monograph.path).reviewable.map(\.name)
            guard names.contains(section) else {
                throw StoreError.invalid(
                    "\(monographID) has no section '\(section)'; its sections are " + names.joined(separator: ", "))
            }
        }
        return try await store.addReport(monographID: monographID, section: section, reason: reason, contact: contact)
    }

    /// Closes a reader's report with what was done about it (reviewers and admins).
    public func closeReport(_ id: Int, reviewer: String, note: String) async throws {
        try await requireReviewer(reviewer, to: "close a report")
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw StoreError.invalid("say what was done about it, for the record") }
        try await store.closeReport(id: id, reviewer: reviewer, note: note)
    }
}
