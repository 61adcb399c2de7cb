import FormularyModel
import FormularyReview
import Foundation

/// When each page's text last changed, from the most to the least trustworthy source: the
/// store's latest revision (when the site has a store and the page changed through it), the
/// file's last commit (when the content folder is in a git repository, as Hugo's
/// `enableGitInfo`), the front matter's `lastModified`. A file's modification time is not one
/// of them: a fresh clone gives every file the day it was cloned.
public struct PageDates: Sendable, Equatable {
    /// By page id, ISO 8601 (`ReviewLedger.changedAt`).
    public var store: [String: String]
    /// By path relative to the content folder, `YYYY-MM-DD`.
    public var git: [String: String]

    public init(store: [String: String] = [:], git: [String: String] = [:]) {
        self.store = store
        self.git = git
    }

    public static let none = PageDates()

    /// The dates of a content folder's pages: the store's (`ledger`), then git's.
    public static func of(contentFolder: String, ledger: ReviewLedger) -> PageDates {
        PageDates(store: ledger.changedAt, git: GitDates.load(contentFolder))
    }

    /// The date a page's text last changed (`YYYY-MM-DD`), or "" when nothing says.
    func date(id: String, relativePath: String, frontMatter: String?) -> String {
        if let stored = store[id], stored.utf8.count >= 10 { return String(stored.prefix(10)) }
        if let committed = git[relativePath] { return committed }
        return PageSummary.date(frontMatter) ?? ""
    }

    /// The path of `file` relative to `folder`.
    static func relative(_ file: String, to folder: String) -> String {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }
}

/// The date of each file's last commit in the git repository a folder is in, from one
/// `git log` (newest first: a file's first appearance is its last commit). Empty when the
/// folder is not in a repository or git is not installed.
enum GitDates {
    /// The last answer, by folder and commit: a server rebuilding after each edit asks again
    /// only when HEAD moved.
    private static let cache = Locked<[String: (head: String, dates: [String: String])]>([:])

    static func load(_ folder: String) -> [String: String] {
        guard let head = run(["-C", folder, "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines),
            !head.isEmpty
        else { return [:] }
        if let cached = cache.withLock({ $0[folder] }), cached.head == head { return cached.dates }
        // %x01 marks a commit's line; --relative gives paths relative to the folder, and only
        // those inside it.
        guard
            let log = run([
                "-C", folder, "log", "--format=%x01%cs", "--name-only", "--relative", "--no-renames", "--", ".",
            ])
        else { return [:] }
        var dates: [String: String] = [:]
        var date = ""
        for line in log.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == "\u{01}" {
                date = String(line.dropFirst())
            } else if dates[String(line)] == nil, PageSummary.date(date) != nil {
                dates[String(line)] = date
            }
        }
        cache.withLock { $0[folder] = (head, dates) }
        return dates
    }

    /// git's standard output, or nil when it fails.
    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
