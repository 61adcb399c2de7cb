/// What the store knows about a site's pages beyond their files, for a build: the sign-offs
/// each page's review can show, and when its text last changed through the store.
public struct ReviewLedger: Sendable, Equatable {
    /// By page id, oldest first: those a page's review can show (`reviewableSignOffs`).
    public var signOffs: [String: [SignOff]]
    /// By page id: ISO 8601 of the revision that last changed the text (first imports left out).
    public var changedAt: [String: String]

    public init(signOffs: [SignOff] = [], changedAt: [String: String] = [:]) {
        var byPage: [String: [SignOff]] = [:]
        for signOff in signOffs { byPage[signOff.monographID, default: []].append(signOff) }
        self.signOffs = byPage
        self.changedAt = changedAt
    }

    public static let empty = ReviewLedger()

    public var isEmpty: Bool { signOffs.isEmpty && changedAt.isEmpty }

    /// What a page's rendering takes from the ledger, as one text: equal exactly when the page
    /// would show the same (its sign-offs, its date); nil when the ledger has nothing of it.
    public func stamp(of id: String) -> String? {
        let signed = signOffs[id]?.map { "\($0.id)" }.joined(separator: ",")
        let date = changedAt[id]
        guard signed != nil || date != nil else { return nil }
        return (signed ?? "") + "|" + (date ?? "")
    }

    /// Every page the ledger has something of.
    public var ids: Set<String> { Set(signOffs.keys).union(changedAt.keys) }
}
