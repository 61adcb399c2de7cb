import FormularyParsing

/// One row of India's list of prohibited fixed-dose combinations, with its source.
public struct BannedCombination: Sendable, Hashable {
    /// The list it comes from (`156 FDCs banned 02.08.2024`).
    public var list: String
    public var item: Int
    /// The combination as the notification writes it.
    public var combination: String
    /// The Gazette notification, written one way (`S.O. 3285(E)`).
    public var notification: String
    /// `YYYY-MM-DD`.
    public var date: String
    /// As given: `banned`, `under review (...)`, `ban quashed ...`.
    public var status: String
    /// The row's line in its CSV file.
    public var line: Int
}

/// India's list of fixed-dose combinations prohibited under section 26A of the Drugs and
/// Cosmetics Act, 1940 (CDSCO's consolidated list and the later Gazette notifications), read
/// from CSV with the columns `list, item, combination, notification, date, status`.
public struct BannedCombinationList: Sendable {
    /// Who publishes the list; said wherever its facts appear.
    public static let source =
        "CDSCO (Central Drugs Standard Control Organisation), Government of India: notifications in the Gazette of India under section 26A of the Drugs and Cosmetics Act, 1940"
    public static let columns = ["list", "item", "combination", "notification", "date", "status"]

    public var entries: [BannedCombination]
    /// Where the list was read from (a file, or `built-in`).
    public var origin: String
    /// A hash of the CSV text, for the build's fingerprint.
    public var textHash: String

    /// Reads the CSV text; every row is checked, and nothing is kept when one is wrong.
    public init(csv: String, path: String) throws(ReferenceListError) {
        let table = try CSVTable(parsing: csv, path: path)
        let positions = try table.columns(Self.columns, path: path)
        var entries: [BannedCombination] = []
        for row in table.rows {
            let field = { (column: Int) in row.fields[positions[column]].trimmingWhitespace() }
            func fail(_ message: String) -> ReferenceListError {
                ReferenceListError(path: path, line: row.line, message: message)
            }
            guard !field(0).isEmpty else { throw fail("the list name (column 'list') is empty") }
            guard let item = Int(field(1)) else {
                throw fail("item '\(field(1))' is not a whole number")
            }
            guard !field(2).isEmpty else { throw fail("the combination (column 'combination') is empty") }
            guard let notification = Self.notification(field(3)) else {
                throw fail(
                    "notification '\(field(3))' is not a Gazette notification number such as 'S.O. 3285(E)' or 'G.S.R. 123(E)'"
                )
            }
            guard let date = ReferenceDate.iso(field(4)) else {
                throw fail("date '\(field(4))' is not a date written YYYY-MM-DD")
            }
            guard !field(5).isEmpty else {
                throw fail("the status (column 'status') is empty; write it as the list gives it ('banned', ...)")
            }
            entries.append(
                BannedCombination(
                    list: field(0), item: item, combination: field(2), notification: notification, date: date,
                    status: field(5), line: row.line))
        }
        guard !entries.isEmpty else {
            throw ReferenceListError(path: path, line: 1, message: "the list has a header but no rows")
        }
        self.entries = entries
        origin = path
        var hasher = StableHasher()
        hasher.combine(csv)
        textHash = hasher.hexDigest
    }

    /// `S.O.3285 (E)`, `S.O. No. 3285 (E)`, `S.O.3285(E )` → `S.O. 3285(E)`; `GSR NO. 123(E)` →
    /// `G.S.R. 123(E)`; `nil` for text that is not a notification number.
    static func notification(_ text: String) -> String? {
        let upper = text.uppercased()
        let letters = String(upper.prefix { !$0.isNumber }.filter(\.isLetter))
        let kind: String
        if letters.hasPrefix("SO") {
            kind = "S.O."
        } else if letters.hasPrefix("GSR") {
            kind = "G.S.R."
        } else {
            return nil
        }
        let number = upper.drop { !$0.isNumber }.prefix { $0.isNumber }
        guard !number.isEmpty else { return nil }
        let extraordinary = upper.replacingSpaces().contains("(E)")
        return "\(kind) \(number)" + (extraordinary ? "(E)" : "")
    }
}

/// Dates as the lists write them.
public enum ReferenceDate {
    /// `2024-08-02` and `2018-09-7` → `2018-09-07`; `nil` otherwise.
    static func iso(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, (1...12).contains(month), (1...31).contains(day), year >= 1940
        else { return nil }
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// `2024-08-02` → `2 August 2024`.
    public static func spelled(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else {
            return iso
        }
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(day) \(months[month - 1]) \(parts[0])"
    }
}

extension String {
    func replacingSpaces() -> String { filter { $0 != " " } }
}
