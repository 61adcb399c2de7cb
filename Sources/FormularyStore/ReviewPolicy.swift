import FormularyCheck
import FormularyParsing
import FormularyReview
import Foundation

/// Which sections need a reviewer with a named qualification (`dosage: pharmacist`).
public struct ReviewPolicy: Sendable, Equatable {
    /// Section name (`dosage`, as `SectionText` names them) to the qualification it needs.
    public var qualifications: [String: String]

    public init(qualifications: [String: String] = [:]) {
        self.qualifications = qualifications
    }

    /// The qualifications changing `sections` needs, each once, sorted.
    public func required(for sections: [String]) -> [String] {
        Set(
            sections.compactMap { name in
                qualifications[String(name.split(separator: "#", maxSplits: 1).first ?? "")]
            }
        ).sorted()
    }

    /// Throws `forbidden` unless `reviewer` is a person with the qualifications `sections` need.
    func check(reviewer: String, sections: [String], store: any ContributionStore, signingOff: Bool = false)
        async throws
    {
        let needed = required(for: sections)
        guard !needed.isEmpty else { return }
        let has = Set(try await store.user(named: reviewer)?.user.qualifications ?? [])
        let missing = needed.filter { !has.contains($0) }
        guard missing.isEmpty else {
            let reserved = sections.filter { name in
                qualifications[String(name.split(separator: "#", maxSplits: 1).first ?? "")].map(missing.contains)
                    ?? false
            }
            throw StoreError.forbidden(
                (signingOff ? "signing off " : "changes to ") + reserved.joined(separator: ", ")
                    + " need\(signingOff ? "s" : "") a reviewer qualified as " + missing.joined(separator: ", ")
                    + "; \(reviewer) is not")
        }
    }
}
