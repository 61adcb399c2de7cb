import FormularyReview
import FormularyStore
import Foundation

// What the contribution routes read (forms, JSON bodies) and write (JSON answers).

/// A URL-encoded form body (`application/x-www-form-urlencoded`).
struct Form: Sendable {
    private var fields: [String: String] = [:]

    init() {}

    init(_ body: [UInt8]) throws {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw WebError.badRequest("the form is not UTF-8")
        }
        // A form's text may hold NUL bytes: the page's check reports them, with their line.
        let parameters: [(name: String, value: String)]
        do throws(RequestTarget.Failure) {
            parameters = try RequestTarget.parameters(text[...], allowingNUL: true)
        } catch {
            guard case .malformed(let reason) = error else { throw WebError.badRequest("the form is too large") }
            throw WebError.badRequest(reason.replacingOccurrences(of: "the query", with: "the form"))
        }
        for (name, value) in parameters where fields[name] == nil { fields[name] = value }
    }

    subscript(name: String) -> String? { fields[name] }

    /// The names of the fields that start with `prefix`, without it (ticked checkboxes).
    func names(withPrefix prefix: String) -> [String] {
        fields.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }
}

struct ReportInput: Decodable {
    var monograph: String
    var section: String?
    var reason: String
    var contact: String?
}

struct CloseInput: Decodable {
    var note: String?
}

struct ReportList: Encodable {
    var reports: [ReaderReport]
}

struct SignOffInput: Decodable {
    var sections: [String]?
    var message: String?
    var revision: Int?
}

struct SignOffResult: Encodable {
    var monograph: String
    var revision: Int
    var signedOff: [SignOff]
    /// The page's state after it: `reviewed`, `partly-reviewed`, `not-reviewed`.
    var state: String
}

/// `GET /api/v1/monographs/{id}/review`: each section of the current revision and its check.
struct ReviewResult: Encodable {
    var monograph: String
    var revision: Int
    var state: String
    var sections: [Section]

    struct Section: Encodable {
        var section: String
        var title: String
        var state: String
        var signOff: SignOff?
    }

    init(monograph: String, revision: Int, review: PageReview) {
        self.monograph = monograph
        self.revision = revision
        state = review.state.rawValue
        sections = review.sections.map {
            Section(
                section: $0.name, title: $0.title,
                state: $0.check,
                signOff: $0.signedOff ?? $0.changedSince)
        }
    }
}

enum JSONBody<T: Decodable> {
    static func decode(_ body: [UInt8], allowEmpty: Bool) throws -> T? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if allowEmpty { return nil }
            throw WebError.badRequest("the request needs a JSON body")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw WebError.badRequest("the JSON body needs '\(key.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context) {
            throw WebError.badRequest(
                "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw WebError.badRequest("the body is not the JSON expected")
        }
    }
}

struct SuggestionInput: Decodable {
    var monograph: String
    var markdown: String?
    var section: String?
    var text: String?
    var message: String
    var baseRevision: Int?
}

struct DecisionInput: Decodable {
    var reason: String?
    var override: String?
}

struct RevertInput: Decodable {
    var monograph: String
    var to: Int
}

struct SuggestionList: Encodable {
    var suggestions: [Suggestion]
}

struct SuggestionDetail: Encodable {
    var suggestion: Suggestion
    /// For a pending suggestion: whether approving it now merges without conflicts.
    var mergesCleanly: Bool?
    var conflicts: [String]
    /// The sections it changes.
    var sections: [String]
}

struct RevisionSummary: Encodable {
    var number: Int
    var parent: Int?
    var author: String
    var message: String
    var createdAt: String
}

struct RevisionList: Encodable {
    var monograph: String
    var revisions: [RevisionSummary]
}

struct CheckResult: Encodable {
    var checkErrors: [String]
}
