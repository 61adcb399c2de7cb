import FormularyModel
import FormularyParsing
import FormularyReference

/// The page's combination is on India's list of prohibited fixed-dose combinations.
struct BannedCombinationRule: Rule {
    let name = "banned-combination"
    let defaultSeverity = Severity.error
    let summary =
        "The combination is on India's list of prohibited fixed-dose combinations (CDSCO, Gazette notifications): an error for an exact match with status 'banned', a warning for a possible match or another status."
    let explanation = """
        India prohibits the manufacture, sale and distribution of fixed-dose combinations by
        notification in the Gazette (section 26A of the Drugs and Cosmetics Act, 1940). A page
        matches a row of CDSCO's list when both name the same set of active ingredients (other
        names, salts and spelling taken into account, order ignored; one ingredient more or fewer
        is another combination). A row that names a dosage form or strength the page does not
        state is a possible match, reported as a warning for a person to decide; so is a row whose
        names differ from the page's by one letter. Statuses are carried as the list gives them:
        only 'banned' is an error; 'under review' and 'ban quashed ... appeal pending' are warnings.

        The site shows a banner on an exactly matching banned combination, with the notification
        and its date, before any use or dose. A reviewer who finds that a row does not apply to the
        page (another form, another product) sets it aside in the page's front matter; the reason
        stays in the record and the check reports it as a note:

            regulatory_override:
              reason: The page describes the 500 mg tablet; the notification bans the syrup.
              by: A. Sharma

        The list is Formulary's copy (Data/india/cdsco-banned-fdcs.csv, compiled in); a site uses a
        newer one with 'reference: banned_combinations: FILE.csv' in formulary.yml. The list is a
        reference, not legal advice: courts have stayed some bans for some makers.
        """

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let regulatory = page.monograph.regulatory else { return [] }
        let source =
            "\(regulatory.notification) of \(ReferenceDate.spelled(regulatory.date)) (\(regulatory.list), item \(regulatory.item): '\(regulatory.combination)')"
        let line = page.frontMatter.entries.first { $0.key == "regulatory_override" }?.line ?? page.titleLine
        if let override = regulatory.override {
            let by = override.by.map { " by \($0)" } ?? ""
            return [
                Finding(
                    line: line,
                    message:
                        "set aside\(by): \(override.reason) (the list names it: \(source), status '\(regulatory.status)')",
                    softer: .note)
            ]
        }
        switch (regulatory.match, regulatory.isBannedStatus) {
        case (.exact, true):
            return [
                Finding(
                    line: line,
                    message:
                        "prohibited in India by \(source); the site shows this on the page. If the row does not apply, set it aside with a reviewer's reason (formulary check --explain \(name))"
                )
            ]
        case (.exact, false):
            return [
                Finding(
                    line: line, message: "listed as '\(regulatory.status)' by \(source)", softer: .warning)
            ]
        case (.possible, _):
            return [
                Finding(
                    line: line,
                    message:
                        "possibly prohibited in India (status '\(regulatory.status)') by \(source): \(regulatory.reason ?? "a person must decide"); decide, and set it aside with a reason if it does not apply",
                    softer: .warning)
            ]
        }
    }
}
