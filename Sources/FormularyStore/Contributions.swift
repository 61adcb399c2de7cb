import FormularyCheck
import FormularyParsing
import Foundation

/// The review workflow over a store and a content folder: import pages as revisions, suggest
/// edits, approve (merging section by section when the page moved on), reject, revert; every
/// accepted change is a revision first and then the Markdown file, so the folder and the store
/// agree and a crash between the two loses nothing (the next import puts the file right).
public struct Contributions: Sendable {
    public let store: any ContributionStore
    public let contentFolder: String

    public init(store: any ContributionStore, contentFolder: String) {
        self.store = store
        self.contentFolder = contentFolder
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
    }

    /// Loads the content folder: a new page is revision 1; a page whose file differs from its
    /// current revision gets a new revision; an unchanged page adds nothing.
    public func importContent(author: String = "import") async throws -> ImportReport {
        var report = ImportReport()
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
            let id = page.monograph.id
            guard let stored = try await store.monograph(id: id) else {
                _ = try await store.addRevision(
                    monographID: id, path: String(relative), markdown: markdown, author: author,
                    message: "imported from \(relative)", approving: nil)
                report.added.append(id)
                continue
            }
            let revisions = try await store.revisions(of: id)
            guard let current = revisions.last(where: { $0.number == stored.currentRevision }) else { continue }
            if current.markdown == markdown {
                report.unchanged += 1
            } else if revisions.contains(where: { $0.markdown == markdown && $0.number < current.number }) {
                try writeFile(current.markdown, to: stored.path)
                report.restored.append(id)
            } else {
                _ = try await store.addRevision(
                    monographID: id, path: String(relative), markdown: markdown, author: author,
                    message: "changed on disk: \(relative)", approving: nil)
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
            checkErrors: Self.checkErrors(markdown, path: monograph.path), path: nil)
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
            checkErrors: Self.checkErrors(markdown, path: path), path: path)
    }

    /// The errors `formulary check` finds in a text (warnings do not block).
    public static func checkErrors(_ markdown: String, path: String) -> [String] {
        let outcome: ContentLoader.Outcome
        do throws(MonographParseError) {
            outcome = .success(
                try MonographParser().parse(bytes: Array(markdown.utf8), location: DocumentLocation(path: path)))
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
    /// Check errors block it unless `override` gives the reviewer's reason.
    public func approve(suggestion id: Int, reviewer: String, override: String? = nil) async throws -> Revision {
        guard let suggestion = try await store.suggestion(id: id) else {
            throw StoreError.notFound("no suggestion #\(id)")
        }
        guard suggestion.status == .pending else {
            throw StoreError.conflict("suggestion #\(id) is \(suggestion.status.rawValue), not pending")
        }
        if !suggestion.checkErrors.isEmpty, override?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw StoreError.invalid(
                "suggestion #\(id) has \(suggestion.checkErrors.count) check error(s); fix them, or approve with a reason to override: "
                    + suggestion.checkErrors.joined(separator: "; "))
        }
        let merge = try await preview(suggestion)
        guard let merged = merge.text else {
            throw StoreError.conflict(
                "suggestion #\(id) was written against revision \(suggestion.baseRevision), and since then its sections "
                    + merge.conflicts.joined(separator: ", ") + " were changed too; the author must rebase it")
        }
        // A draft a person has now approved is a draft no more.
        let text = Self.markedReviewed(merged, by: reviewer, on: String(Clock.now().prefix(10)))
        guard let path = try await store.monograph(id: suggestion.monographID)?.path ?? suggestion.path else {
            throw StoreError.notFound("no monograph has the id '\(suggestion.monographID)'")
        }
        let revision = try await store.addRevision(
            monographID: suggestion.monographID, path: path, markdown: text, author: suggestion.author,
            message: suggestion.message + " (suggestion #\(id), approved by \(reviewer))",
            approving: (id, reviewer, override))
        try writeFile(text, to: path)
        return revision
    }

    /// `markdown` with `status: draft` in its front matter made `status: reviewed`, and
    /// `reviewed_by`/`reviewed_at` set; any other page comes back unchanged.
    static func markedReviewed(_ markdown: String, by reviewer: String, on date: String) -> String {
        var lines = SectionText.lines(markdown)
        guard lines.first?.trimmingCharacters(in: .whitespacesAndNewlines) == "---",
            let end = lines.indices.dropFirst().first(where: {
                lines[$0].trimmingCharacters(in: .whitespacesAndNewlines) == "---"
            }),
            let status = lines[1..<end].firstIndex(where: {
                let line = $0.trimmingCharacters(in: .whitespacesAndNewlines)
                return line == "status: draft" || line == "status: \"draft\"" || line == "status: 'draft'"
            })
        else { return markdown }
        let newline = lines[status].hasSuffix("\r\n") ? "\r\n" : "\n"
        lines[status] = "status: reviewed" + newline
        var closing = end
        for (key, value) in [("reviewed_by", reviewer), ("reviewed_at", date)] {
            let line = "\(key): \(JSONText.quoted(value, htmlSafe: false))" + newline
            if let existing = lines[1..<closing].firstIndex(where: { $0.hasPrefix(key + ":") }) {
                lines[existing] = line
            } else {
                lines.insert(line, at: closing)
                closing += 1
            }
        }
        return lines.joined()
    }

    public func reject(suggestion id: Int, reviewer: String, reason: String) async throws {
        try requireReason(reason)
        try await store.decide(suggestion: id, status: .rejected, reviewer: reviewer, reason: reason)
    }

    public func requestChanges(suggestion id: Int, reviewer: String, reason: String) async throws {
        try requireReason(reason)
        try await store.decide(suggestion: id, status: .changesRequested, reviewer: reviewer, reason: reason)
    }

    /// The page as it was at revision `number`, as a new revision.
    public func revert(monographID: String, to number: Int, author: String) async throws -> Revision {
        guard let monograph = try await store.monograph(id: monographID) else {
            throw StoreError.notFound("no monograph has the id '\(monographID)'")
        }
        guard let target = try await store.revision(of: monographID, number: number) else {
            throw StoreError.notFound("\(monographID) has no revision \(number)")
        }
        let revision = try await store.addRevision(
            monographID: monographID, path: monograph.path, markdown: target.markdown, author: author,
            message: "reverted to revision \(number)", approving: nil)
        try writeFile(target.markdown, to: monograph.path)
        return revision
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
