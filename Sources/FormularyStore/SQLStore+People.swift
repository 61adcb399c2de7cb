import FormularyReview
import Foundation

// People, sessions, API tokens and the audit log, written once for both databases.

extension SQLStore {

    public func addUser(_ user: User, passwordHash: String) async throws {
        try await write { session in
            let qualifications = AuditText.qualifications(user.qualifications)
            guard
                try await session.exists(
                    """
                    INSERT INTO person (name, role, qualifications, password_hash, created_at)
                    VALUES (\(user.name), \(user.role.rawValue), \(qualifications), \(passwordHash), \(user.createdAt))
                    ON CONFLICT (name) DO NOTHING RETURNING name
                    """)
            else { throw StoreError.conflict("there is a user named '\(user.name)' already") }
            try await Self.audit(
                session,
                AuditEntry(
                    actor: "cli", action: "user-add", target: user.name,
                    detail: "role \(user.role.rawValue); qualifications: \(qualifications)"))
        }
    }

    public func user(named name: String) async throws -> (user: User, passwordHash: String)? {
        let row = try await read { session in
            try await session.row(
                "SELECT name, role, qualifications, created_at, password_hash FROM person WHERE name = \(name)")
        }
        return try await run { try row.map { (try Self.user($0), try $0.text(4)) } }
    }

    public func users() async throws -> [User] {
        try await read { session in
            try await session.rows("SELECT name, role, qualifications, created_at FROM person ORDER BY name").map(
                Self.user)
        }
    }

    public func addSession(_ session: SessionRecord) async throws {
        try await write { connection in
            // Expired sessions go as new ones come.
            try await connection.execute("DELETE FROM session WHERE expires_at < \(Int(Date().timeIntervalSince1970))")
            try await connection.execute(
                """
                INSERT INTO session (token_hash, user_name, csrf, expires_at)
                VALUES (\(session.tokenHash), \(session.user), \(session.csrf), \(session.expiresAt))
                """)
            try await Self.audit(
                connection, AuditEntry(actor: session.user, action: "sign-in", target: session.user, detail: ""))
        }
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        let row = try await read { session in
            try await session.row(
                "SELECT token_hash, user_name, csrf, expires_at FROM session WHERE token_hash = \(tokenHash)")
        }
        return try await run {
            try row.map {
                SessionRecord(
                    tokenHash: try $0.text(0), user: try $0.text(1), csrf: try $0.text(2), expiresAt: try $0.int(3))
            }
        }
    }

    public func removeSession(tokenHash: String) async throws {
        try await write { session in
            for row in try await session.rows(
                "DELETE FROM session WHERE token_hash = \(tokenHash) RETURNING user_name")
            {
                let user = try row.text(0)
                try await Self.audit(session, AuditEntry(actor: user, action: "sign-out", target: user, detail: ""))
            }
        }
    }

    public func addToken(tokenHash: String, user: String, label: String) async throws {
        try await write { session in
            try await session.execute(
                """
                INSERT INTO api_token (token_hash, user_name, label, created_at)
                VALUES (\(tokenHash), \(user), \(label), \(Clock.now()))
                """)
            try await Self.audit(session, AuditEntry(actor: user, action: "token-add", target: user, detail: label))
        }
    }

    public func tokenUser(tokenHash: String) async throws -> String? {
        let row = try await read { session in
            try await session.row("SELECT user_name FROM api_token WHERE token_hash = \(tokenHash)")
        }
        return try await run { try row?.text(0) }
    }

    public func record(_ entry: AuditEntry) async throws {
        try await write { session in try await Self.audit(session, entry) }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await read { session in
            try await session.rows(
                "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT \(limit)"
            ).map {
                AuditEntry(
                    id: try $0.int(0), at: try $0.text(1), actor: try $0.text(2), action: try $0.text(3),
                    target: try $0.text(4), detail: try $0.text(5))
            }
        }
    }

    static func audit(_ session: any SQLSession, _ entry: AuditEntry) async throws {
        try await session.execute(
            """
            INSERT INTO audit (at, actor, action, target, detail)
            VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
            """)
    }
}
