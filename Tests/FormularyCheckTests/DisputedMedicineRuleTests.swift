import FormularyModel
import FormularyParsing
import Testing

@testable import FormularyCheck

/// `disputed-medicine` on small pages written for these tests: a monograph whose first paragraph
/// (line 6) doubts, or only seems to doubt, the medicine in its title.
@Suite("disputed-medicine rule")
struct DisputedMedicineRuleTests {
    static let combination = "Alphamine + Betamine"
    static let single = "Examplamol"

    /// A page with every core section, so that it is a monograph and not a refusal, and `note`
    /// as the paragraph under the title.
    static func page(title: String, note: String) -> String {
        """
        ---
        title: \(title)
        ---
        # \(title)

        \(note)

        ### Usage
        Pain and fever.

        ### Dosage
        One tablet twice a day.

        ### Side Effects
        Rarely a rash.

        ### How it Works
        It lowers prostaglandins.

        ### Precautions
        Liver disease.

        **Disclaimer:** Not medical advice.

        """
    }

    /// The diagnostics of `disputed-medicine` and `ai-refusal` for one page, every rule on.
    func findings(_ text: String, path: String = "content/composition/a/alphamine-betamine.md") -> [Diagnostic] {
        let outcome = Result { () throws(MonographParseError) in
            try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path))
        }
        return Checker(configuration: RuleTests.everyRule).check([outcome]).filter {
            $0.rule == "disputed-medicine" || $0.rule == "ai-refusal"
        }
    }

    func findings(title: String = combination, note: String) -> [Diagnostic] {
        findings(Self.page(title: title, note: note))
    }

    @Test("a note that the combination is not a product one can buy is a warning at its sentence")
    func notAProduct() {
        let found = findings(
            note: "**Note:** Alphamine with Betamine is not a commonly available combination in most pharmacies.")
        #expect(
            found == [
                Diagnostic(
                    path: "content/composition/a/alphamine-betamine.md", line: 6, column: 1, severity: .warning,
                    rule: "disputed-medicine",
                    message:
                        "the text doubts its own medicine ('Note: Alphamine with Betamine is not a commonly available combination in most ...'); check that the product exists, then remove the doubt or the page"
                )
            ])
    }

    @Test(
        "each wording of doubt about a combination is found",
        arguments: [
            "The pairing isn't a pre-mixed product that a pharmacy stocks.",
            "The pairing isn\u{2019}t a pre-mixed product that a pharmacy stocks.",
            "Treat this as a hypothetical combination when reading the sections below.",
            "I could not find records of this exact pairing, so each part is covered on its own.",
            "There is no marketed fixed-dose combination of Alphamine and Betamine.",
            "Doctors give Alphamine and Betamine as two prescriptions, not as a single tablet.",
            "Alphamine and Betamine are not usually combined into a single tablet.",
            "The sections below describe each ingredient separately.",
            "This is not a standard, commercially available product with a single brand name.",
        ])
    func wordings(note: String) {
        let found = findings(note: note)
        #expect(found.map(\.rule) == ["disputed-medicine"])
        #expect(found.first?.line == 6)
    }

    @Test("a single substance is disputed only by doubt that it exists")
    func singleSubstance() {
        for note in [
            "Examplamol is not a real medicine.",
            "Examplamol does not appear to be a recognized medicine in any pharmacopoeia.",
        ] {
            #expect(findings(title: Self.single, note: note).map(\.rule) == ["disputed-medicine"], "\(note)")
        }
        for note in [
            "Examplamol is not an approved drug in Europe.",
            "Examplamol is not a commonly available medicine.",
            "Examplamol is not typically combined into a single tablet with other drugs.",
        ] {
            #expect(findings(title: Self.single, note: note) == [], "\(note)")
        }
    }

    @Test(
        "cautions, regulatory facts, names, routes and doses that only look like doubt are not reported",
        arguments: [
            "This combination is not recommended in pregnancy.",
            "This page is not a substitute for medical advice.",
            "The combination is not a standard treatment for migraine.",
            "Alphamine + Betamine is not an FDA-approved product in the United States.",
            "This combination is not a single generic medicine with one official name.",
            "This is not a standard, single generic medicine with a single name.",
            "Each component may be given IV separately, not as a combined product.",
            "There is no standard combination dosage; the doctor sets each dose.",
            "It is not known to cause drowsiness.",
            "Alphamine is not absorbed as a salt, and there is no known drug interaction with Betamine.",
            "Cannot a dose be skipped? Ask a pharmacist.",
            "A hypothetical overdose would need urgent care.",
        ])
    func lookalikes(note: String) {
        #expect(findings(note: note) == [])
    }

    @Test("the first doubting sentence is reported once, at its column")
    func firstSentence() {
        let found = findings(
            note:
                "Alphamine eases pain. There is no marketed fixed-dose combination of Alphamine and Betamine. This is a hypothetical combination."
        )
        #expect(found.map(\.column) == [23])
        #expect(
            found.first?.message
                == "the text doubts its own medicine ('There is no marketed fixed-dose combination of Alphamine and Betamine.'); check that the product exists, then remove the doubt or the page"
        )
    }

    @Test("a page that only refuses is ai-refusal's error, not reported twice")
    func refusalFirst() {
        let text =
            "---\ntitle: Alphamine + Betamine\n---\n# Alphamine + Betamine\n\n"
            + "Alphamine with Betamine is not a standard combination.\n"
        #expect(findings(text).map(\.rule) == ["ai-refusal"])
    }

    @Test("a suppression comment on the line before silences the finding")
    func suppressed() {
        let note = "<!-- formulary-ignore disputed-medicine -->\nThis is a hypothetical combination."
        #expect(findings(note: note) == [])
    }

    @Test("the rule is in the catalog, on by default, as a warning with an explanation")
    func catalog() {
        let rule = RuleCatalog.rule(named: "disputed-medicine")
        #expect(rule?.defaultSeverity == .warning)
        #expect(rule?.isEnabledByDefault == true)
        #expect(rule?.explanation.isEmpty == false)
    }

    @Test("the byte search finds the same sentence as reading the words would, with its wording")
    func wordingOfFirstHit() {
        let body = Array("Intro.\nThe sections below describe each ingredient separately.\n".utf8)
        let dispute = body.withUnsafeBufferPointer { MedicineDispute.first(in: $0, isCombination: true) }
        #expect(
            dispute
                == MedicineDispute(
                    sentenceOffset: 7, excerpt: "The sections below describe each ingredient separately.",
                    wording: .describedSeparately))
        let single = body.withUnsafeBufferPointer { MedicineDispute.first(in: $0, isCombination: false) }
        #expect(single == nil, "describing the parts one by one says nothing against a single substance")
    }
}

/// `disputed-medicine` on the shared corpus (../shared/corpus), whose hand-checked sample is in
/// the precision report.
@Suite("disputed-medicine on the shared corpus", .enabled(if: SharedCorpus.isAvailable, SharedCorpus.missingMessage))
struct DisputedMedicineCorpusTests {
    @Test("about 700 drafts that doubt their medicine are warnings, none on a page ai-refusal reports")
    func corpus() {
        let all = CorpusFindingsTests.diagnostics
        let found = all.filter { $0.rule == "disputed-medicine" }
        #expect((650...780).contains(found.count), "713 when the rule was measured")
        #expect(found.allSatisfy { $0.severity == .warning })
        let refusals = Set(all.filter { $0.rule == "ai-refusal" }.map(\.path))
        #expect(found.allSatisfy { !refusals.contains($0.path) })
        #expect(found.contains { $0.path.hasSuffix("/composition/c/cefixime-cloxacillin.md") && $0.line == 10 })
        #expect(
            !found.contains { $0.path.contains("/rxhive-v2/compositions/") }, "single substances are rarely doubted")
    }
}
