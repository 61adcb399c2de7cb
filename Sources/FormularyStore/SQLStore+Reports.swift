import FormularyReview
import Foundation

// Readers' reports, page views and searches that found nothing, written once for both databases.

extension SQLStore {

    public func addReport(monographID: String, section: String, reason: String, contact: String) async throws
        -> ReaderReport
    {
        try await write { session in
            guard try await session.exists("SELECT 1 FROM monograph WHERE id = \(monographID)") else {
                throw StoreError.notFound("no monograph has the id '\(monographID)'")
            }
            let created = Clock.now()
            let id =
                try await session.int(
                    """
                    INSERT INTO reader_report (monograph_id, section, reason, contact, status, created_at)
                    VALUES (\(monographID), \(section), \(reason), \(contact), 'open', \(created)) RETURNING id
                    """) ?? 0
            try await Self.audit(
                session,
                AuditEntry(
                    at: created, actor: "reader", action: "report", target: monographID,
                    detail: "report \(id)" + (section.isEmpty ? "" : " on \(section)")))
            return ReaderReport(
                id: id, monographID: monographID, section: section, reason: reason, contact: contact, status: .open,
                createdAt: created)
        }
    }

    static let reportColumns =
        "id, monograph_id, section, reason, contact, status, created_at, closed_by, closed_at, note"

    public func reports(status: ReaderReport.Status?, monographID: String?, limit: Int?) async throws
        -> [ReaderReport]
    {
        try await read { session in
            try await session.rows(
                Self.listing(
                    Self.reportColumns, from: "reader_report", status: status?.rawValue, monographID: monographID,
                    limit: limit)
            ).map(Self.report)
        }
    }

    public func report(id: Int) async throws -> ReaderReport? {
        try await read { session in
            try await session.row("SELECT \(raw: Self.reportColumns) FROM reader_report WHERE id = \(id)").map(
                Self.report)
        }
    }

    public func closeReport(id: Int, reviewer: String, note: String) async throws {
        let forUpdate = self.forUpdate
        try await write { session in
            guard
                let row = try await session.row(
                    "SELECT status, monograph_id FROM reader_report WHERE id = \(id)\(raw: forUpdate)")
            else { throw StoreError.notFound("no report #\(id)") }
            guard try row.text(0) == ReaderReport.Status.open.rawValue else {
                throw StoreError.conflict("report #\(id) is closed already")
            }
            let now = Clock.now()
            try await session.execute(
                """
                UPDATE reader_report SET status = 'closed', closed_by = \(reviewer), closed_at = \(now), note = \(note)
                WHERE id = \(id)
                """)
            try await Self.audit(
                session,
                AuditEntry(
                    at: now, actor: reviewer, action: "close-report", target: try row.text(1),
                    detail: "report \(id): \(note)"))
        }
    }

    public func addCounts(day: String, views: [String: Int], misses: [String: Int]) async throws {
        guard !views.isEmpty || !misses.isEmpty else { return }
        try await write { session in
            // In order of key, so that two servers adding at once take the rows' locks in one order.
            for (id, count) in views.sorted(by: { $0.key < $1.key }) {
                try await session.execute(
                    """
                    INSERT INTO page_view (day, monograph_id, count) VALUES (\(day), \(id), \(count))
                    ON CONFLICT (day, monograph_id) DO UPDATE SET count = page_view.count + excluded.count
                    """)
            }
            for (query, count) in misses.sorted(by: { $0.key < $1.key }) {
                try await session.execute(
                    """
                    INSERT INTO search_miss (day, query, count) VALUES (\(day), \(query), \(count))
                    ON CONFLICT (day, query) DO UPDATE SET count = search_miss.count + excluded.count
                    """)
            }
        }
    }

    public func views(since day: String) async throws -> [String: Int] {
        try await read { session in
            var views: [String: Int] = [:]
            for row in try await session.rows(
                "SELECT monograph_id, CAST(SUM(count) AS BIGINT) FROM page_view WHERE day >= \(day) GROUP BY monograph_id"
            ) {
                views[try row.text(0)] = try row.int(1)
            }
            return views
        }
    }

    public func misses(since day: String, limit: Int) async throws -> [(query: String, count: Int)] {
        let rows = try await read { session in
            try await session.rows(
                """
                SELECT query, CAST(SUM(count) AS BIGINT) AS total FROM search_miss WHERE day >= \(day)
                GROUP BY query ORDER BY total DESC, query LIMIT \(limit)
                """)
        }
        return try await run { try rows.map { (query: try $0.text(0), count: try $0.int(1)) } }
    }
}
