#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FormularyModel
import FormularyParsing

/// A draft that does not refuse but doubts its own medicine: "This combination is not a standard,
/// pre-approved pharmaceutical product", "This is a hypothetical combination", "The information
/// below describes each drug separately".
struct DisputedMedicineRule: Rule {
    let name = "disputed-medicine"
    let defaultSeverity = Severity.warning
    let summary =
        "The text doubts its own medicine ('this combination is not a standard, pre-approved product', 'a hypothetical combination', 'the information below describes each drug separately')."
    let explanation = """
        A language model asked for a monograph sometimes writes one but disputes the medicine it
        is about: the combination "is not a standard, pre-approved pharmaceutical product", "is not
        typically combined into a single pill", "is a hypothetical combination", "there is no
        commercially available fixed-dose combination of ...", so "the information below describes
        each drug individually". A single substance is disputed only when the text says it is not
        a real, recognized or known medicine, is hypothetical, or could not be found. The first such
        sentence of the page is reported.

        On a page of an existing product (most combinations are sold in India, where these pages
        are read) the sentence is wrong and tells the reader the medicine may not exist; on a page
        for a product that really does not exist, the whole page is in doubt. Check the product
        (a brand, the licensing authority's list), then remove the doubting sentences and let the
        sections describe the product, or remove the page. A page that only refuses, without a
        single monograph section, is an 'ai-refusal' error instead and is not reported here too.

        Not reported: that a combination is not FDA-approved (a fact about one market) or has no
        single generic or brand name; dispute about a route, dose or setting (IV, ICU); and
        ordinary cautions ("this combination is not recommended in pregnancy", "not a substitute
        for medical advice"). A warning, because the sentence may be a fair note on a compounded
        preparation; silence one with <!-- formulary-ignore disputed-medicine --> on the line
        before it.
        """

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        let isCombination = page.monograph.kind == .combination
        guard
            let dispute = page.bodyBytes.withUnsafeBufferPointer({
                MedicineDispute.first(in: $0, isCombination: isCombination)
            }),
            !AIRefusalRule.isRefusal(page)
        else { return [] }
        let (line, column) = PageText(page: page).location(ofBodyOffset: dispute.sentenceOffset)
        return [
            Finding(
                line: line, column: column,
                message:
                    "the text doubts its own medicine ('\(dispute.excerpt)'); check that the product exists, then remove the doubt or the page"
            )
        ]
    }
}
