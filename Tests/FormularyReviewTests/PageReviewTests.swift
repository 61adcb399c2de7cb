import FormularyReview
import Testing

@Suite struct PageReviewTests {
    // A made-up example page.
    static let page = """
        ---
        title: Examplinol 10 mg
        status: draft
        ---

        # Examplinol 10 mg

        ## Usage
        Eases made-up aches.

        ## Dosage
        One tablet a day.

        ## Precautions
        Not with food.

        """

    static func signOff(_ section: String, _ text: String, by reviewer: String = "asha", at: String, id: Int)
        -> SignOff
    {
        let part = SectionText(text).part(named: section)!
        return SignOff(
            id: id, monographID: "generic/examplinol", revision: 1, section: section,
            textHash: SectionText.fingerprint(of: part), reviewer: reviewer, qualifications: ["pharmacist"],
            message: "", at: at)
    }

    @Test func statesFollowTheText() {
        let text = SectionText(Self.page)
        #expect(text.reviewable.map(\.name) == ["preamble", "usage", "dosage", "precautions"])
        #expect(PageReview(text, signOffs: []).state == .notReviewed)

        let dosage = Self.signOff("dosage", Self.page, at: "2026-12-03T10:00:00Z", id: 1)
        let partly = PageReview(text, signOffs: [dosage])
        #expect(partly.state == .partlyReviewed)
        #expect(partly.signedOff.map(\.name) == ["dosage"])
        #expect(partly.lastReviewed == nil)
        #expect(partly.reviewers == [])

        let all = ["preamble", "usage", "precautions"].enumerated().map {
            Self.signOff($0.element, Self.page, by: "ravi", at: "2026-12-04T09:00:00Z", id: $0.offset + 2)
        }
        let whole = PageReview(text, signOffs: [dosage] + all)
        #expect(whole.state == .reviewed)
        #expect(whole.lastReviewed == "2026-12-04")
        #expect(whole.reviewers == ["asha", "ravi"])

        // An edit of the dosage leaves its sign-off behind; the others stand.
        let edited = Self.page.replacingOccurrences(of: "One tablet a day.", with: "Two tablets a day.")
        let after = PageReview(SectionText(edited), signOffs: [dosage] + all)
        #expect(after.state == .partlyReviewed)
        #expect(after.changed.map(\.name) == ["dosage"])
        #expect(after.changed.first?.changedSince?.reviewer == "asha")
        #expect(after.signedOff.map(\.name) == ["preamble", "usage", "precautions"])
    }

    @Test func fingerprintsIgnoreLineEndingsTrailingSpaceAndBookkeeping() {
        let crlf = Self.page.replacingOccurrences(of: "\n", with: "  \r\n") + "\r\n\r\n"
        for name in ["preamble", "usage", "dosage", "precautions"] {
            #expect(
                SectionText.fingerprint(of: SectionText(crlf).part(named: name)!)
                    == SectionText.fingerprint(of: SectionText(Self.page).part(named: name)!), "\(name)")
        }
        let approved = Self.page.replacingOccurrences(of: "status: draft", with: "status: reviewed\nreviewed_by: x")
        #expect(
            SectionText.fingerprint(of: SectionText(approved).part(named: "preamble")!)
                == SectionText.fingerprint(of: SectionText(Self.page).part(named: "preamble")!))
        let retitled = Self.page.replacingOccurrences(of: "title: Examplinol 10 mg", with: "title: Examplinol 20 mg")
        #expect(
            SectionText.fingerprint(of: SectionText(retitled).part(named: "preamble")!)
                != SectionText.fingerprint(of: SectionText(Self.page).part(named: "preamble")!))
        // A fixed value: the fingerprint is SHA-256 of the normalised text, stable across versions.
        #expect(
            SectionText.fingerprint(of: .init(name: "usage", heading: "Usage", text: "## Usage\nEases.\n"))
                == "16780556882d294be0b8a4046d4554fa35c5d1ecffe5bf11e095260059947d3f")
    }

    @Test func titles() {
        #expect(SectionText.title(of: "dosage") == "Dosage")
        #expect(SectionText.title(of: "sideEffects#2") == "Side effects (2)")
        #expect(SectionText.title(of: "other:Storage Notes") == "Storage Notes")
        #expect(SectionText.title(of: "preamble") == "Title and summary")
    }

    @Test func coverageCounts() {
        var coverage = Coverage()
        coverage.add(collection: "generic", state: .reviewed, sections: [("usage", true), ("dosage", true)])
        coverage.add(
            collection: "generic", state: .partlyReviewed,
            sections: [("usage", false), ("dosage", true), ("dosage#2", false)])
        coverage.add(collection: "brand", state: .notReviewed, sections: [("usage", false), ("other:Storage", false)])
        #expect(coverage.total.pages == 3)
        #expect(coverage.total.reviewed == 1)
        #expect(coverage.total.partlyReviewed == 1)
        #expect(coverage.total.notReviewed == 1)
        #expect(coverage.collections["generic"]?.pages == 2)
        #expect(coverage.collections["brand"]?.notReviewed == 1)
        #expect(coverage.sections["dosage"]?.pages == 2)
        #expect(coverage.sections["dosage"]?.signedOff == 1)
        #expect(coverage.sections["usage"]?.signedOff == 1)
        #expect(coverage.sections["other"]?.title == "Other sections")
        #expect(coverage.sectionList.map(\.section) == ["usage", "dosage", "other"])
    }
}
