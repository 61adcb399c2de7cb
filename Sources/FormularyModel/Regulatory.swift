/// What a government list says about a page's medicine: today India's fixed-dose combinations
/// prohibited by notification in the Gazette (CDSCO's lists). An extension of the record
/// contract (`regulatory`).
///
/// Every field says where the fact comes from and as of when: the notification, its date, the
/// list and item, and the list's own text, so a reader can check it against the Gazette.
public struct Regulatory: Sendable, Hashable, Codable {
    /// The list's status, as the list gives it: `banned`, `under review (...)`,
    /// `ban quashed by the Delhi High Court, appeal pending`. Never rewritten.
    public var status: String
    /// Whether the page names the same combination (`exact`) or a person must decide (`possible`).
    public var match: RegulatoryMatch
    /// Why a match is only possible (the row names a dosage form or strength the page does not).
    public var reason: String?
    /// The Gazette notification, written one way: `S.O. 3285(E)`.
    public var notification: String
    /// The notification's date, `YYYY-MM-DD`.
    public var date: String
    /// The list the row comes from (`156 FDCs banned 02.08.2024`).
    public var list: String
    /// The row's item number in that list.
    public var item: Int
    /// The row's text as the list writes it.
    public var combination: String
    /// Who publishes the list.
    public var source: String
    /// A reviewer's decision that the row does not apply to this page (front matter
    /// `regulatory_override`), kept in the record so that the decision is visible.
    public var override: RegulatoryOverride?

    public init(
        status: String, match: RegulatoryMatch, reason: String? = nil, notification: String, date: String,
        list: String, item: Int, combination: String, source: String, override: RegulatoryOverride? = nil
    ) {
        self.status = status
        self.match = match
        self.reason = reason
        self.notification = notification
        self.date = date
        self.list = list
        self.item = item
        self.combination = combination
        self.source = source
        self.override = override
    }

    /// The status is exactly `banned` (not under review, not quashed).
    public var isBannedStatus: Bool { status == "banned" }

    /// The page is shown as a prohibited combination: an exact match with status `banned`
    /// that no reviewer has overridden.
    public var prohibitsPage: Bool { match == .exact && isBannedStatus && override == nil }
}

/// How surely a list's row names a page's medicine.
public enum RegulatoryMatch: String, Sendable, Hashable, Codable {
    /// The same set of active ingredients, and the row's form and strength (if any) agree with the page's.
    case exact
    /// The same ingredients, but the row names a form or strength the page does not state.
    case possible
}

/// A reviewer's reason for setting a list's match aside.
public struct RegulatoryOverride: Sendable, Hashable, Codable {
    public var reason: String
    /// Who decided, when front matter says.
    public var by: String?

    public init(reason: String, by: String?) {
        self.reason = reason
        self.by = by
    }
}

/// A product on a government price list that matches the page: today the Jan Aushadhi
/// (PMBJP) list of the government's generic medicines. An extension of the record (`prices`).
public struct Price: Sendable, Hashable, Codable {
    /// The product's name as listed (`Paracetamol Tablets IP 500 mg`).
    public var product: String
    /// The list's drug code.
    public var code: String
    /// The pack the price is for, as listed (`10's`, `60 ml`).
    public var pack: String
    /// Maximum retail price of the pack, in rupees.
    public var mrp: Double
    /// The list's name.
    public var list: String
    /// The date the list gives its prices as of, `YYYY-MM-DD`.
    public var date: String

    public init(product: String, code: String, pack: String, mrp: Double, list: String, date: String) {
        self.product = product
        self.code = code
        self.pack = pack
        self.mrp = mrp
        self.list = list
        self.date = date
    }
}
