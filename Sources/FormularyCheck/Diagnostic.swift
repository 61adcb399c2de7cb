/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case note, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One problem in one page, at a place: the public shape of `contracts.md`.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var path: String
    /// 1-based line and column.
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var rule: String
    public var message: String

    public init(path: String, line: Int, column: Int, severity: Severity, rule: String, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.rule = rule
        self.message = message
    }
}

/// What a rule reports, before the checker adds the path, the rule name and the configured severity.
public struct Finding: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
    /// A severity below the rule's, for a finding the rule itself is less sure of (a possible
    /// match where an exact one is an error); `nil` is the rule's configured severity.
    public var softer: Severity?
    /// What the finding waits on from the other pages; the rule's `resolve` decides it.
    public var awaiting: Question?

    /// A question about the other pages checked with a page.
    public enum Question: Sendable, Hashable {
        /// Whether some page has this slug (a link's target).
        case pageExists(slug: String)
        /// Which other pages are for the same medicine.
        case sameMedicine
    }

    public init(line: Int, column: Int = 1, message: String, softer: Severity? = nil, awaiting: Question? = nil) {
        self.line = line
        self.column = column
        self.message = message
        self.softer = softer
        self.awaiting = awaiting
    }
}
