import Foundation

/// Someone who may sign in: what they may do, and what they are qualified to review.
public struct User: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
        /// Suggests edits.
        case contributor
        /// Also approves, rejects and reverts.
        case reviewer
        /// Also adds people.
        case admin

        public var mayReview: Bool { self != .contributor }

        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    public var name: String
    public var role: Role
    /// Named qualifications (`pharmacist`), which a site can require for chosen sections.
    public var qualifications: [String]
    public var createdAt: String

    public init(name: String, role: Role, qualifications: [String] = [], createdAt: String = Clock.now()) {
        self.name = name
        self.role = role
        self.qualifications = qualifications
        self.createdAt = createdAt
    }

    /// Names are what other people see next to every edit: letters, digits, `.`, `-` and `_`.
    public static func isValidName(_ name: String) -> Bool {
        (1...40).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == "_"
            }
    }
}

/// A signed-in browser: the cookie's token is kept hashed, with the form token of its CSRF check.
public struct SessionRecord: Sendable, Equatable {
    public var tokenHash: String
    public var user: String
    public var csrf: String
    /// Seconds since 1970.
    public var expiresAt: Int

    public init(tokenHash: String, user: String, csrf: String, expiresAt: Int) {
        self.tokenHash = tokenHash
        self.user = user
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}

/// One state change: who did what to what, when.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int
    public var at: String
    public var actor: String
    /// `suggest`, `approve`, `reject`, `revision`, `user-add`, `sign-in`...
    public var action: String
    /// What it was done to: a monograph id, `suggestion 12`, a user name.
    public var target: String
    public var detail: String

    public init(id: Int = 0, at: String = Clock.now(), actor: String, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}

/// People, sign-ins, API tokens and the audit log, which every store keeps beside the content.
public protocol PeopleStore: Sendable {
    /// Adds a person (a conflict when the name is taken).
    func addUser(_ user: User, passwordHash: String) async throws
    func user(named name: String) async throws -> (user: User, passwordHash: String)?
    func users() async throws -> [User]
    func addSession(_ session: SessionRecord) async throws
    func session(tokenHash: String) async throws -> SessionRecord?
    func removeSession(tokenHash: String) async throws
    func addToken(tokenHash: String, user: String, label: String) async throws
    /// The user a token belongs to.
    func tokenUser(tokenHash: String) async throws -> String?
    /// Records a change the store did not record itself (revisions, suggestions and decisions
    /// are recorded in the transaction that makes them).
    func record(_ entry: AuditEntry) async throws
    /// Newest first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
}

enum AuditText {
    /// The action recorded for a decision.
    static func action(_ status: Suggestion.Status) -> String {
        switch status {
        case .approved: return "approve"
        case .rejected: return "reject"
        case .withdrawn: return "withdraw"
        case .changesRequested: return "request-changes"
        case .pending: return "reopen"
        }
    }

    static func qualifications(_ list: [String]) -> String { list.joined(separator: ",") }
    static func qualifications(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}
