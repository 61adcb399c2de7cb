import FormularyCheck
import FormularyParsing
import FormularyReview
import Foundation

extension Contributions {
    // MARK: Sign-offs

    /// Signs off the current text of a page's `sections` (all of them when empty) as right:
    /// no edit, a record in the store. Only reviewers and admins may; sections the site reserves
    /// for a qualification need a reviewer who has it; nobody signs off text they wrote.
    ///
    /// `revision` is the revision the reviewer read: when the page has moved on since (another
    /// approval, a file edited on disk), nothing is signed off (`StoreError.stale`).
    @discardableResult
    public func signOff(
        monographID: String, sections requested: [String] = [], reviewer: String, message: String = "",
        revision: Int? = nil
    ) async throws -> [SignOff] {
        try await signOffReviewing(
            monographID: monographID, sections: requested, reviewer: reviewer, message: message, revision: revision
        ).signOffs
    }

    /// `signOff`, and the page's review after it.
    public func signOffReviewing(
        monographID: String, sections requested: [String] = [], reviewer: String, message: String = "",
        revision: Int? = nil
    ) async throws -> (signOffs: [SignOff], review: PageReview) {
        let account = try await requireReviewer(reviewer, to: "sign off a page")
        guard try await store.monograph(id: monographID) != nil else {
            throw StoreError.notFound("no monograph has the id '\(monographID)'")
        }
        return try await KeyedLocks.shared.holding(contentFolder + "|" + monographID) {
            guard var monograph = try await store.monograph(id: monographID) else {
                throw StoreError.notFound("no monograph has the id '\(monographID)'")
            }
            // What the site shows is the file: a hand edit becomes a revision (or a suggestion,
            // and the file the store's text) before anything is signed off.
            let expected = revision ?? monograph.currentRevision
            if try await recordEditOnDisk(monograph), let latest = try await store.monograph(id: monographID) {
                monograph = latest
            }
            guard monograph.currentRevision == expected else {
                throw StoreError.stale(
                    "\(monographID) is at revision \(monograph.currentRevision) now, not \(expected) (it changed since it was read); read it again before signing it off"
                )
            }
            guard let current = try await store.revision(of: monographID, number: monograph.currentRevision) else {
                throw StoreError.notFound("\(monographID) has no revision \(monograph.currentRevision)")
            }
            let page = SectionText(current.markdown, path: monograph.path)
            var names: [String] = []
            for name in requested.isEmpty ? page.reviewable.map(\.name) : requested where !names.contains(name) {
                guard page.part(named: name) != nil else {
                    throw StoreError.invalid(
                        "\(monographID) has no section '\(name)'; its sections are "
                            + page.reviewable.map(\.name).joined(separator: ", "))
                }
                names.append(name)
            }
            try await policy.check(reviewer: reviewer, sections: names, store: store, signingOff: true)
            let writers = try await Self.writers(
                of: names, in: monographID, current: page, store: store, path: monograph.path)
            let own = names.filter { writers[$0] == reviewer }
            guard own.isEmpty else {
                throw StoreError.forbidden(
                    "\(reviewer) wrote the current text of " + own.map(SectionText.title(of:)).joined(separator: ", ")
                        + "; someone else signs it off")
            }
            let qualifications = account.qualifications
            let now = Clock.now()
            let signOffs = names.compactMap { name in
                page.part(named: name).map { part in
                    SignOff(
                        monographID: monographID, revision: current.number, section: name,
                        textHash: SectionText.fingerprint(of: part), reviewer: reviewer,
                        qualifications: qualifications, message: message, at: now)
                }
            }
            let stored = try await store.addSignOffs(signOffs, monographID: monographID, revision: current.number)
            // The file is the current revision (a hand edit became one above).
            return (stored, PageReview(page, signOffs: try await store.signOffs(of: monographID)))
        }
    }

    /// The sections whose text differs between two versions of a page.
    static func changedSections(_ old: String, _ new: String, path: String) -> [String] {
        SectionText.changedSections(from: SectionText(old, path: path), to: SectionText(new, path: path))
    }

    /// The sections a new text of `monograph` changes from its current revision (none for a new page).
    func changedSections(of monograph: StoredMonograph?, to text: String) async throws -> [String] {
        guard let monograph, let current = try await store.revision(of: monograph.id, number: monograph.currentRevision)
        else { return [] }
        return Self.changedSections(current.markdown, text, path: monograph.path)
    }

    /// Who wrote each named section's current text (`current`, the page's latest revision): the
    /// author of the revision that gave the section that text (the earliest of the latest run
    /// of revisions where it has it). Older revisions are read only as far back as needed.
    static func writers(
        of names: [String], in monographID: String, current: SectionText, store: any ContributionStore, path: String
    ) async throws -> [String: String] {
        let revisions = try await store.revisions(of: monographID)
        guard let first = revisions.first else { return [:] }
        var hashes: [String: String] = [:]
        for name in names { hashes[name] = current.part(named: name).map(SectionText.fingerprint(of:)) }
        var pending = Set(names)
        var writers: [String: String] = [:]
        var index = revisions.count - 1
        while !pending.isEmpty, index > 0 {
            let earlier = SectionText(revisions[index - 1].markdown, path: path)
            for name in pending where earlier.part(named: name).map(SectionText.fingerprint(of:)) != hashes[name] {
                writers[name] = revisions[index].author
                pending.remove(name)
            }
            index -= 1
        }
        for name in pending { writers[name] = first.author }
        return writers
    }

    /// The review of a page as the site shows it: its file's text (a hand edit not yet made a
    /// revision shows as a changed section), else its current revision's.
    public func review(of monographID: String) async throws -> PageReview {
        guard let monograph = try await store.monograph(id: monographID),
            let current = try await store.revision(of: monographID, number: monograph.currentRevision)
        else { throw StoreError.notFound("no monograph has the id '\(monographID)'") }
        let file = FileManager.default.contents(atPath: contentFolder + "/" + monograph.path).map {
            String(decoding: $0, as: UTF8.self)
        }
        return PageReview(
            SectionText(file ?? current.markdown, path: monograph.path),
            signOffs: try await store.signOffs(of: monographID))
    }
}
