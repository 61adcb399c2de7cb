/// The store's tables, as one list of named migrations for SQLite and PostgreSQL. A database
/// records the names it has applied (GRDB's `grdb_migrations` in SQLite, `formulary_migrations`
/// in PostgreSQL) and applies the others in order; an applied migration is never edited.
enum Schema {
    struct Migration: Sendable {
        let name: String
        let statements: [Statement]
    }

    /// A statement for both databases, with the types that differ written as `{serial}` (an
    /// id numbered by the database), `{bigserial}` and `{bigint}`; or one for PostgreSQL only.
    struct Statement: Sendable {
        let text: String
        var postgresOnly = false

        static func both(_ text: String) -> Statement { Statement(text: text) }
        static func postgres(_ text: String) -> Statement { Statement(text: text, postgresOnly: true) }
    }

    /// The statements of `migration` for `dialect`, its types written in.
    static func statements(of migration: Migration, for dialect: SQLDialect) -> [String] {
        migration.statements.filter { dialect == .postgres || !$0.postgresOnly }.map { statement in
            let types: [(String, String)] =
                dialect == .postgres
                ? [
                    ("{serial}", "SERIAL PRIMARY KEY"), ("{bigserial}", "BIGSERIAL PRIMARY KEY"),
                    ("{bigint}", "BIGINT"),
                ]
                : [
                    ("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT"),
                    ("{bigserial}", "INTEGER PRIMARY KEY AUTOINCREMENT"), ("{bigint}", "INTEGER"),
                ]
            return types.reduce(statement.text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
    }

    static let migrations: [Migration] = [
        Migration(
            name: "2026-11-25 monographs, revisions, suggestions",
            statements: [
                .both(
                    "CREATE TABLE monograph (id TEXT PRIMARY KEY NOT NULL, path TEXT NOT NULL, current_revision INTEGER NOT NULL)"
                ),
                .both(
                    """
                    CREATE TABLE revision (
                        monograph_id TEXT NOT NULL REFERENCES monograph(id), number INTEGER NOT NULL, parent INTEGER,
                        markdown TEXT NOT NULL, author TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL,
                        PRIMARY KEY (monograph_id, number))
                    """),
                // A suggestion may name a page that does not exist yet: no reference to monograph.
                .both(
                    """
                    CREATE TABLE suggestion (
                        id {serial}, monograph_id TEXT NOT NULL, base_revision INTEGER NOT NULL,
                        markdown TEXT NOT NULL, author TEXT NOT NULL, message TEXT NOT NULL, status TEXT NOT NULL,
                        created_at TEXT NOT NULL, reviewer TEXT, reason TEXT, decided_at TEXT, check_errors TEXT NOT NULL)
                    """),
                .both("CREATE INDEX suggestion_queue ON suggestion(status, id)"),
            ]),
        Migration(
            name: "2026-11-25 suggestions of new pages",
            // With the path its file will have.
            statements: [.both("ALTER TABLE suggestion ADD COLUMN path TEXT")]),
        Migration(
            name: "2026-11-26 people, sessions, tokens, audit",
            statements: [
                .both(
                    """
                    CREATE TABLE person (
                        name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, qualifications TEXT NOT NULL,
                        password_hash TEXT NOT NULL, created_at TEXT NOT NULL)
                    """),
                .both(
                    """
                    CREATE TABLE session (
                        token_hash TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL REFERENCES person(name),
                        csrf TEXT NOT NULL, expires_at {bigint} NOT NULL)
                    """),
                .both(
                    """
                    CREATE TABLE api_token (
                        token_hash TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL REFERENCES person(name),
                        label TEXT NOT NULL, created_at TEXT NOT NULL)
                    """),
                .both(
                    """
                    CREATE TABLE audit (
                        id {bigserial}, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        target TEXT NOT NULL, detail TEXT NOT NULL)
                    """),
            ]),
        Migration(
            // PostgreSQL only: a SQLite store serves one server, which needs no feed.
            name: "2026-12-07 change feed",
            statements: [
                .postgres(
                    """
                    CREATE TABLE store_change (
                        sequence BIGSERIAL PRIMARY KEY, monograph_id TEXT NOT NULL, number INTEGER NOT NULL,
                        at TEXT NOT NULL)
                    """),
                .postgres(
                    """
                    INSERT INTO store_change (monograph_id, number, at)
                    SELECT monograph_id, number, created_at FROM revision ORDER BY created_at, monograph_id, number
                    """),
            ]),
        Migration(
            name: "2026-12-07 sign-offs",
            statements: [
                .both(
                    """
                    CREATE TABLE sign_off (
                        id {bigserial}, monograph_id TEXT NOT NULL REFERENCES monograph(id),
                        revision INTEGER NOT NULL, section TEXT NOT NULL, text_hash TEXT NOT NULL, reviewer TEXT NOT NULL,
                        qualifications TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL, suggestion INTEGER,
                        voided_at INTEGER)
                    """),
                .both("CREATE INDEX sign_off_page ON sign_off(monograph_id, id)"),
                // A sign-off changes what the servers show of a page without changing its text.
                .postgres("ALTER TABLE store_change ADD COLUMN kind TEXT NOT NULL DEFAULT 'revision'"),
            ]),
        Migration(
            name: "2026-12-07 reader reports",
            statements: [
                .both(
                    """
                    CREATE TABLE reader_report (
                        id {serial}, monograph_id TEXT NOT NULL REFERENCES monograph(id), section TEXT NOT NULL,
                        reason TEXT NOT NULL, contact TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
                        closed_by TEXT, closed_at TEXT, note TEXT)
                    """),
                .both("CREATE INDEX reader_report_open ON reader_report(status, id)"),
            ]),
        Migration(
            name: "2026-12-07 page views and searches that found nothing",
            statements: [
                .both(
                    """
                    CREATE TABLE page_view (
                        day TEXT NOT NULL, monograph_id TEXT NOT NULL, count {bigint} NOT NULL,
                        PRIMARY KEY (day, monograph_id))
                    """),
                .both(
                    """
                    CREATE TABLE search_miss (
                        day TEXT NOT NULL, query TEXT NOT NULL, count {bigint} NOT NULL, PRIMARY KEY (day, query))
                    """),
            ]),
        Migration(
            name: "2026-12-07 each section's latest sign-off",
            statements: [
                // `reviewableSignOffs` reads these two indexes, not the table's history: each
                // section's latest sign-off, and those that stand.
                .both("CREATE INDEX sign_off_latest ON sign_off(monograph_id, section, at DESC, id DESC)"),
                .both("CREATE INDEX sign_off_standing ON sign_off(id) WHERE voided_at IS NULL"),
            ]),
    ]
}
