import FormularyReview
import Foundation

// Rows as the store's records (columns in the order the statements select them).

extension SQLStore {

    static func monograph(_ row: SQLRow) throws -> StoredMonograph {
        StoredMonograph(id: try row.text(0), path: try row.text(1), currentRevision: try row.int(2))
    }

    static func revision(_ row: SQLRow) throws -> Revision {
        Revision(
            monographID: try row.text(0), number: try row.int(1), parent: try row.optionalInt(2),
            markdown: try row.text(3), author: try row.text(4), message: try row.text(5), createdAt: try row.text(6))
    }

    static func suggestion(_ row: SQLRow) throws -> Suggestion {
        Suggestion(
            id: try row.int(0), monographID: try row.text(1), baseRevision: try row.int(2), markdown: try row.text(3),
            author: try row.text(4), message: try row.text(5),
            status: Suggestion.Status(rawValue: try row.text(6)) ?? .pending, createdAt: try row.text(7),
            reviewer: try row.optionalText(8), reason: try row.optionalText(9), decidedAt: try row.optionalText(10),
            checkErrors: (try? JSONDecoder().decode([String].self, from: Data(try row.text(11).utf8))) ?? [],
            path: try row.optionalText(12))
    }

    static func signOff(_ row: SQLRow) throws -> SignOff {
        SignOff(
            id: try row.int(0), monographID: try row.text(1), revision: try row.int(2), section: try row.text(3),
            textHash: try row.text(4), reviewer: try row.text(5),
            qualifications: AuditText.qualifications(try row.text(6)), message: try row.text(7), at: try row.text(8),
            suggestion: try row.optionalInt(9), voidedAt: try row.optionalInt(10))
    }

    static func report(_ row: SQLRow) throws -> ReaderReport {
        ReaderReport(
            id: try row.int(0), monographID: try row.text(1), section: try row.text(2), reason: try row.text(3),
            contact: try row.text(4), status: ReaderReport.Status(rawValue: try row.text(5)) ?? .open,
            createdAt: try row.text(6), closedBy: try row.optionalText(7), closedAt: try row.optionalText(8),
            note: try row.optionalText(9))
    }

    static func user(_ row: SQLRow) throws -> User {
        User(
            name: try row.text(0), role: User.Role(rawValue: try row.text(1)) ?? .contributor,
            qualifications: AuditText.qualifications(try row.text(2)), createdAt: try row.text(3))
    }
}
