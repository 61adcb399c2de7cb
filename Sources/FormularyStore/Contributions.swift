import FormularyCheck
import FormularyParsing
import FormularyReview
import Foundation

/// The review workflow over a store and a content folder: import pages as revisions, suggest
/// edits, approve (merging section by section when the page moved on), reject, revert; every
/// accepted change is a revision first and then the Markdown file, so the folder and the store
/// agree and a crash between the two loses nothing (the next import puts the file right).
public struct Contributions: Sendable {
    public let store: any ContributionStore
    public let contentFolder: String
    public let policy: ReviewPolicy

    public let handEdits: HandEdits

    /// What a page file that holds none of its page's revisions (edited by hand) becomes, when
    /// it is imported or found before an approval writes over it.
    public enum HandEdits: Sendable, Equatable {
        /// A revision of its own: one server, whose content folder is where pages are edited.
        case revisions
        /// A suggestion for review, and the store's current text is written back: several
        /// servers on one store, where the store wins for the pages it holds.
        case suggestions
    }

    public init(
        store: any ContributionStore, contentFolder: String, policy: ReviewPolicy = ReviewPolicy(),
        handEdits: HandEdits = .revisions
    ) {
        self.store = store
        self.contentFolder = contentFolder
        self.policy = policy
        self.handEdits = handEdits
    }

    public struct ImportReport: Sendable, Equatable {
        public var added: [String] = []
        public var changed: [String] = []
        public var unchanged = 0
        /// Files that held an older revision (an approval written to the store but not yet to
        /// the file when the program stopped): written again from the current revision.
        public var restored: [String] = []
        /// Files that are not monographs, with the reason.
        public var skipped: [String] = []
        /// Temporary files of writes a killed process never finished, removed.
        public var leftovers: [String] = []
        /// Hand-edited files kept as suggestions (`HandEdits.suggestions`): the page's id and
        /// the suggestion's number.
        public var kept: [String] = []
    }

    /// Loads the content folder: a new page is revision 1; a page whose file differs from its
    /// current revision gets a new revision; an unchanged page adds nothing. One process at a
    /// time per store: servers starting together on one database take turns, and each after
    /// the first finds the pages the first added (a new file becomes a revision once).
    public func importContent(author: String = "import") async throws -> ImportReport {
        try await store.exclusively { try await importUnlocked(author: author) }
    }

    private func importUnlocked(author: String) async throws -> ImportReport {
        var report = ImportReport()
        report.leftovers = AtomicFile.removeLeftovers(under: contentFolder)
        let files: [String]
        do {
            files = try ContentLoader.markdownFiles(in: [contentFolder])
        } catch {
            throw StoreError.invalid("cannot read \(contentFolder): \(error)")
        }
        let parser = MonographParser()
        for path in files {
            let relative = String(path.dropFirst(contentFolder.count)).drop(while: { $0 == "/" })
            let page: ParsedPage
            do throws(MonographParseError) {
                page = try parser.parse(contentsOf: path, location: DocumentLocation(path: path))
            } catch {
                report.skipped.append(error.description)
                continue
            }
            guard let data = FileManager.default.contents(atPath: path),
                let markdown = String(data: data, encoding: .utf8)
            else {
                report.skipped.append("\(path): cannot read it as UTF-8")
                continue
            }
            // A translation is its own page of the store, under its language: `hi/composition/paracetamol`.
            let id = page.monograph.address
            guard let stored = try await store.monograph(id: id) else {
                _ = try await store.addRevision(
                    monographID: id, path: String(relative), markdown: markdown, author: author,
                    message: "imported from \(relative)", approving: nil, ifCurrent: 0, voiding: [], signOffs: [])
                report.added.append(id)
                continue
            }
            // The current revision alone for the usual case (unchanged); all of them only when the file differs.
            guard let current = try await store.revision(of: id, number: stored.currentRevision) else { continue }
            if current.markdown == markdown {
                report.unchanged += 1
            } else if try await store.revisions(of: id).contains(where: {
                $0.markdown == markdown && $0.number < current.number
            }) {
                try writeFile(current.markdown, to: stored.path)
                report.restored.append(id)
            } else if handEdits == .suggestions {
                let kept = try await keepHandEdit(markdown, of: stored, current: current)
                report.kept.append("\(id) (suggestion #\(kept))")
            } else {
                _ = try await store.addRevision(
                    monographID: id, path: String(relative), markdown: markdown, author: author,
                    message: "changed on disk: \(relative)", approving: nil, ifCurrent: current.number,
                    voiding: Self.changedSections(current.markdown, markdown, path: stored.path), signOffs: [])
                report.changed.append(id)
            }
        }
        return report
    }

    /// Writes every monograph's current revision under `folder` (the content folder by
    /// default): byte for byte what was imported, for pages that never changed.
    @discardableResult
    public func export(to folder: String? = nil) async throws -> Int {
        let target = folder ?? contentFolder
        var count = 0
        for monograph in try await store.monographs() {
            guard let revision = try await store.revision(of: monograph.id, number: monograph.currentRevision) else {
                continue
            }
            try writeFile(revision.markdown, to: monograph.path, under: target)
            count += 1
        }
        return count
    }

    /// Records a proposed new text, with the check errors it has (shown to its author now,
    /// and blocking approval unless a reviewer overrides them).
    public func suggest(
        monographID: String, markdown: String, author: String, message: String, baseRevision: Int? = nil
    ) async throws -> Suggestion {
        guard let monograph = try await store.monograph(id: monographID) else {
            throw StoreError.notFound("no monograph has the id '\(monographID)'; import the content folder first")
        }
        let base = baseRevision ?? monograph.currentRevision
        guard try await store.revision(of: monographID, number: base) != nil else {
            throw StoreError.notFound("\(monographID) has no revision \(base)")
        }
        guard !author.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid("a suggestion needs its author")
        }
        return try await store.addSuggestion(
            monographID: monographID, baseRevision: base, markdown: markdown, author: author, message: message,
            checkErrors: checkErrors(markdown, path: monograph.path), path: nil)
    }

    /// Proposes a page that does not exist yet (an AI draft, say); approving it writes the file.
    public func suggestNewPage(monographID: String, path: String, markdown: String, author: String, message: String)
        async throws -> Suggestion
    {
        guard try await store.monograph(id: monographID) == nil else {
            throw StoreError.conflict("\(monographID) exists already; suggest an edit of it instead")
        }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."), path.hasSuffix(".md") else {
            throw StoreError.invalid("'\(path)' is not a Markdown file path inside the content folder")
        }
        return try await store.addSuggestion(
            monographID: monographID, baseRevision: 0, markdown: markdown, author: author, message: message,
            checkErrors: checkErrors(markdown, path: path), path: path)
    }

    /// Proposes a new text for one section (`dosage`, `other:Storage`; see `SectionText`) of
    /// the page as it is now: the page with that section's lines replaced. The text is the
    /// whole section, its heading line included.
    public func suggestSection(
        monographID: String, section: String, text: String, author: String, message: String, baseRevision: Int? = nil
    ) async throws -> Suggestion {
        guard let monograph = try await store.monograph(id: monographID) else {
            throw StoreError.notFound("no monograph has the id '\(monographID)'")
        }
        let base = baseRevision ?? monograph.currentRevision
        guard let revision = try await store.revision(of: monographID, number: base) else {
            throw StoreError.notFound("\(monographID) has no revision \(base)")
        }
        let page = try Self.replacing(section: section, of: revision.markdown, path: monograph.path, with: text)
        return try await suggest(
            monographID: monographID, markdown: page, author: author, message: message, baseRevision: base)
    }

    /// `markdown` with one section's lines (heading included) replaced by `text`, which keeps
    /// the blank line that ended the section when it has none of its own.
    public static func replacing(section: String, of markdown: String, path: String, with text: String) throws
        -> String
    {
        var page = SectionText(markdown, path: path)
        guard let index = page.parts.firstIndex(where: { $0.name == section }) else {
            throw StoreError.notFound(
                "the page has no section '\(section)'; it has " + page.parts.map(\.name).joined(separator: ", "))
        }
        var replacement = text
        if !replacement.hasSuffix("\n") { replacement += "\n" }
        if page.parts[index].text.hasSuffix("\n\n"), !replacement.hasSuffix("\n\n") { replacement += "\n" }
        page.parts[index].text = replacement
        return page.text
    }

    /// Takes back a pending suggestion; only its author may.
    public func withdraw(suggestion id: Int, by person: String, reason: String = "") async throws {
        guard let suggestion = try await store.suggestion(id: id) else {
            throw StoreError.notFound("no suggestion #\(id)")
        }
        guard suggestion.author == person else {
            throw StoreError.forbidden("only its author (\(suggestion.author)) may withdraw suggestion #\(id)")
        }
        try await store.decide(suggestion: id, status: .withdrawn, reviewer: person, reason: reason)
    }

    /// The errors `formulary check` finds in a text (warnings do not block).
    public func checkErrors(_ markdown: String, path: String) -> [String] {
        Self.checkErrors(markdown, path: path, contentFolder: contentFolder)
    }

    /// `path` is the page's place in `contentFolder`, where a translation's page is read from.
    static func checkErrors(_ markdown: String, path: String, contentFolder: String) -> [String] {
        let outcome: ContentLoader.Outcome
        do throws(MonographParseError) {
            outcome = .success(
                try MonographParser().parse(
                    bytes: Array(markdown.utf8), location: DocumentLocation(path: contentFolder + "/" + path)))
        } catch {
            outcome = .failure(error)
        }
        return Checker().check([outcome]).filter { $0.severity == .error }.map {
            "\($0.line):\($0.column): \($0.message) [\($0.rule)]"
        }
    }

    /// What approving a suggestion would give: its text as is when the page has not moved
    /// on since its base, a section merge when it has, or the conflicting sections.
    public func preview(_ suggestion: Suggestion) async throws -> SectionMerge {
        if suggestion.baseRevision == 0 {
            // A new page: nothing to merge with, unless the page was made meanwhile.
            let exists = try await store.monograph(id: suggestion.monographID) != nil
            return SectionMerge(
                text: exists ? nil : suggestion.markdown,
                conflicts: exists ? ["(the whole page: it was created meanwhile)"] : [],
                suggested: SectionText(suggestion.markdown).parts.map(\.name))
        }
        guard let monograph = try await store.monograph(id: suggestion.monographID),
            let base = try await store.revision(of: suggestion.monographID, number: suggestion.baseRevision),
            let current = try await store.revision(of: suggestion.monographID, number: monograph.currentRevision)
        else { throw StoreError.notFound("suggestion #\(suggestion.id)'s page or base revision is gone") }
        return SectionMerge(base: base.markdown, current: current.markdown, suggestion: suggestion.markdown)
    }

    /// Approves a pending suggestion: a new revision (merged when needed), then the file.
    /// Check errors block it unless `override` gives the reviewer's reason; sections the site
    /// reserves for a qualification need a reviewer who has it.
    ///
    /// Approvals of one page are made one at a time here, and the store refuses a revision
    /// merged against a page that moved on meanwhile (another machine's approval): the merge
    /// is then made again, so two approvals at the same moment never lose an update.
    public func approve(suggestion id: Int, reviewer: String, override: String? = nil) async throws -> Revision {
        try await requireReviewer(reviewer, to: "approve")
        guard let first = try await store.suggestion(id: id) else {
            throw StoreError.notFound("no suggestion #\(id)")
        }
        return try await KeyedLocks.shared.holding(contentFolder + "|" + first.monographID) {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await approveOnce(suggestion: id, reviewer: reviewer, override: override)
                } catch StoreError.stale(let message) {
                    if attempt >= 5 { throw StoreError.conflict(message) }
                }
            }
        }
    }

    private func approveOnce(suggestion id: Int, reviewer: String, override: String?) async throws -> Revision {
        guard let suggestion = try await store.suggestion(id: id) else {
            throw StoreError.notFound("no suggestion #\(id)")
        }
        // Four eyes: from the command line and the API as from the web pages.
        guard suggestion.author != reviewer else {
            throw StoreError.forbidden(
                "\(reviewer) wrote suggestion #\(id); a suggestion is approved by someone other than its author")
        }
        guard suggestion.status == .pending else {
            throw StoreError.conflict("suggestion #\(id) is \(suggestion.status.rawValue), not pending")
        }
        if !suggestion.checkErrors.isEmpty, override?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw StoreError.invalid(
                "suggestion #\(id) has \(suggestion.checkErrors.count) check error(s); fix them, or approve with a reason to override: "
                    + suggestion.checkErrors.joined(separator: "; "))
        }
        let current = try await store.monograph(id: suggestion.monographID)
        if let current, try await recordEditOnDisk(current) {
            throw StoreError.stale("\(current.id) was edited on disk")
        }
        let merge = try await preview(suggestion)
        try await policy.check(reviewer: reviewer, sections: merge.suggested, store: store)
        guard let merged = merge.text else {
            throw StoreError.conflict(
                "suggestion #\(id) was written against revision \(suggestion.baseRevision), and since then its sections "
                    + merge.conflicts.joined(separator: ", ") + " were changed too; the author must rebase it")
        }
        let text = Self.published(merged)
        guard let path = current?.path ?? suggestion.path else {
            throw StoreError.notFound("no monograph has the id '\(suggestion.monographID)'")
        }
        // The approver read the sections the suggestion changes: they are signed off as approved.
        let qualifications = try await store.user(named: reviewer)?.user.qualifications ?? []
        let now = Clock.now()
        let signOffs = SectionText(text, path: path).parts.filter { merge.suggested.contains($0.name) }.map { part in
            SignOff(
                monographID: suggestion.monographID, revision: 0, section: part.name,
                textHash: SectionText.fingerprint(of: part), reviewer: reviewer, qualifications: qualifications,
                message: "approved suggestion #\(id)", at: now, suggestion: id)
        }
        let revision = try await store.addRevision(
            monographID: suggestion.monographID, path: path, markdown: text, author: suggestion.author,
            message: suggestion.message + " (suggestion #\(id), approved by \(reviewer))",
            approving: (id, reviewer, override), ifCurrent: current?.currentRevision ?? 0,
            voiding: try await changedSections(of: current, to: text), signOffs: signOffs)
        try writeFile(text, to: path)
        return revision
    }

    /// `markdown` with `status: draft` made `status: reviewed`: a person approved it, so it is
    /// published. Who checked which section is in the store's sign-offs, not in the file.
    static func published(_ markdown: String) -> String {
        var lines = SectionText.lines(markdown)
        guard lines.first?.trimmingCharacters(in: .whitespacesAndNewlines) == "---",
            let end = lines.indices.dropFirst().first(where: {
                lines[$0].trimmingCharacters(in: .whitespacesAndNewlines) == "---"
            })
        else { return markdown }
        let newline = lines[0].hasSuffix("\r\n") ? "\r\n" : "\n"
        if let status = lines[1..<end].firstIndex(where: {
            let line = $0.trimmingCharacters(in: .whitespacesAndNewlines)
            return line == "status: draft" || line == "status: \"draft\"" || line == "status: 'draft'"
        }) {
            lines[status] = "status: reviewed" + newline
        }
        return lines.joined()
    }

    public func reject(suggestion id: Int, reviewer: String, reason: String) async throws {
        try await requireReviewer(reviewer, to: "reject")
        try requireReason(reason)
        try await store.decide(suggestion: id, status: .rejected, reviewer: reviewer, reason: reason)
    }

    public func requestChanges(suggestion id: Int, reviewer: String, reason: String) async throws {
        try await requireReviewer(reviewer, to: "request changes")
        try requireReason(reason)
        try await store.decide(suggestion: id, status: .changesRequested, reviewer: reviewer, reason: reason)
    }

    /// A page's file edited by hand since its current revision (while the server runs, say)
    /// becomes a revision before anything is written over it; true when it did.
    func recordEditOnDisk(_ monograph: StoredMonograph) async throws -> Bool {
        let path = contentFolder + "/" + monograph.path
        guard let data = FileManager.default.contents(atPath: path), let disk = String(data: data, encoding: .utf8),
            let current = try await store.revision(of: monograph.id, number: monograph.currentRevision),
            disk != current.markdown
        else { return false }
        // An older revision on disk is an approval whose file write was cut short: not an edit.
        if try await store.revisions(of: monograph.id).contains(where: { $0.markdown == disk }) { return false }
        if handEdits == .suggestions {
            _ = try await keepHandEdit(disk, of: monograph, current: current)
            return false
        }
        _ = try await store.addRevision(
            monographID: monograph.id, path: monograph.path, markdown: disk, author: "import",
            message: "changed on disk: \(monograph.path)", approving: nil, ifCurrent: monograph.currentRevision,
            voiding: Self.changedSections(current.markdown, disk, path: monograph.path), signOffs: [])
        return true
    }

    /// Keeps a hand-edited file's text as a suggestion by "import" against the current revision,
    /// then writes the current revision back to the file; the suggestion's number.
    private func keepHandEdit(_ text: String, of monograph: StoredMonograph, current: Revision) async throws -> Int {
        let kept = try await store.addSuggestion(
            monographID: monograph.id, baseRevision: current.number, markdown: text, author: "import",
            message: "edited on disk (\(monograph.path)) while the store held another text: kept for review",
            checkErrors: checkErrors(text, path: monograph.path), path: nil)
        try writeFile(current.markdown, to: monograph.path)
        return kept.id
    }

    /// What following a change did to a page's file.
    public enum Followed: Sendable, Equatable {
        case unchanged
        case written
        /// Written, after keeping the file's hand-edited text as this suggestion.
        case keptHandEdit(suggestion: Int)
    }

    /// Brings a page's file to the store's current revision (a change another server of a
    /// shared store accepted). A file that holds none of the page's revisions was edited by
    /// hand on this machine: that text is kept as a suggestion for review before the file is
    /// written, so nothing is lost.
    public func follow(_ monographID: String) async throws -> Followed {
        try await KeyedLocks.shared.holding(contentFolder + "|" + monographID) {
            guard let monograph = try await store.monograph(id: monographID),
                let current = try await store.revision(of: monographID, number: monograph.currentRevision)
            else { return .unchanged }
            let path = contentFolder + "/" + monograph.path
            guard let disk = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) })
            else {
                try writeFile(current.markdown, to: monograph.path)
                return .written
            }
            if disk == current.markdown { return .unchanged }
            // Usually the file holds the revision before; else any older one.
            let previous = try await store.revision(of: monographID, number: monograph.currentRevision - 1)
            if previous?.markdown != disk,
                try await !store.revisions(of: monographID).contains(where: { $0.markdown == disk })
            {
                return .keptHandEdit(suggestion: try await keepHandEdit(disk, of: monograph, current: current))
            }
            try writeFile(current.markdown, to: monograph.path)
            return .written
        }
    }

    /// The page as it was at revision `number`, as a new revision.
    public func revert(monographID: String, to number: Int, author: String) async throws -> Revision {
        try await requireReviewer(author, to: "revert a page")
        guard let monograph = try await store.monograph(id: monographID) else {
            throw StoreError.notFound("no monograph has the id '\(monographID)'")
        }
        guard let target = try await store.revision(of: monographID, number: number) else {
            throw StoreError.notFound("\(monographID) has no revision \(number)")
        }
        return try await KeyedLocks.shared.holding(contentFolder + "|" + monographID) {
            if let latest = try await store.monograph(id: monographID) {
                _ = try await recordEditOnDisk(latest)
            }
            let latest = try await store.monograph(id: monographID)
            let revision = try await store.addRevision(
                monographID: monographID, path: monograph.path, markdown: target.markdown, author: author,
                message: "reverted to revision \(number)", approving: nil, ifCurrent: latest?.currentRevision,
                voiding: try await changedSections(of: latest, to: target.markdown), signOffs: [])
            try writeFile(target.markdown, to: monograph.path)
            return revision
        }
    }

    /// Throws `forbidden` unless `name` is a person of this site who may review (a reviewer or
    /// an admin). Here, not in the server, so that it holds at every door: the command line
    /// (`formulary review approve --reviewer NAME`), the API and the web pages.
    @discardableResult
    func requireReviewer(_ name: String, to action: String) async throws -> User {
        guard let account = try await store.user(named: name) else {
            throw StoreError.forbidden(
                "nobody named '\(name)' is a person of this site; only reviewers and admins may \(action) "
                    + "(add one with `formulary user add NAME --role reviewer`)")
        }
        guard account.user.role.mayReview else {
            throw StoreError.forbidden("\(name) is a contributor; only reviewers and admins may \(action)")
        }
        return account.user
    }

    private func requireReason(_ reason: String) throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid("say why, for the author")
        }
    }

    /// The file holds the old text or the new, never half.
    private func writeFile(_ text: String, to relative: String, under folder: String? = nil) throws {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(text, to: (folder ?? contentFolder) + "/" + relative)
        } catch {
            throw StoreError.invalid(error.description)
        }
    }
}
