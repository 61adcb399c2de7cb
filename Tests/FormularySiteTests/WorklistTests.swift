import FormularyReview
import Foundation
import Testing

@testable import FormularySite

@Suite("the review worklist")
struct WorklistTests {
    /// Four made-up pages: one with an opioid, one a check finds doubting itself, one readers
    /// open and report, one reviewed in its front matter.
    static func site() throws -> TemporaryFolder {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/tramadolex.md",
            Fixture.page(title: "Tramadol", body: "## Usage\nPain.\n\n## Dosage\nAs prescribed.\n"))
        try site.write(
            "content/composition/doubtol-sampleprofen.md",
            Fixture.page(title: "Doubtol + Sampleprofen", body: "## Usage\nDOUBT here.\n"))
        try site.write(
            "content/generic/readmol-500mg.md",
            Fixture.page(title: "Readmol 500mg", body: "## Usage\nFever.\n\n## Dosage\nOne tablet.\n"))
        try site.write(
            "content/composition/checkedol.md",
            Fixture.page(title: "Checkedol", body: "## Usage\nFine.\n", frontMatter: "reviewed_by: asha\n"))
        return site
    }

    static func inputs(reports: [String: [String]] = [:], views: [String: Int] = [:]) -> Worklist.Inputs {
        Worklist.Inputs(
            ledger: .empty, reports: reports, views: views, highRisk: .defaults,
            check: { page in
                page.body.contains("DOUBT") ? [("disputed-medicine", "the text doubts its own medicine")] : []
            })
    }

    @Test("pages not reviewed, most urgent first, each with why; reviewed pages left out")
    func order() throws {
        let site = try Self.site()
        let worklist = try Worklist.of(
            contentFolder: site.path + "/content",
            inputs: Self.inputs(
                reports: ["generic/readmol-500mg": ["dosage", ""]], views: ["generic/readmol-500mg": 7]))
        #expect(worklist.pages == 4)
        #expect(worklist.notReviewed == 3)
        #expect(
            worklist.entries.map(\.id) == [
                "generic/readmol-500mg", "composition/doubtol-sampleprofen", "composition/tramadolex",
            ])
        let first = worklist.entries[0]
        // Two reports (120) and 7 views (10 × log2 8 = 30).
        #expect(first.score == 150)
        #expect(
            first.reasons.map(\.detail) == [
                "2 open reports from readers (Dosage, the whole page)", "opened 7 times in 30 days",
            ])
        #expect(worklist.entries[1].reasons.map(\.kind) == ["check"])
        #expect(worklist.entries[1].score == 90)
        #expect(worklist.entries[2].reasons.map(\.detail) == ["opioids"])
        #expect(worklist.entries[2].unchecked == ["preamble", "usage", "dosage"])
    }

    @Test("filters by collection, by a section left unchecked, and by reason")
    func filters() throws {
        let site = try Self.site()
        let folder = site.path + "/content"
        let inputs = Self.inputs(reports: ["generic/readmol-500mg": ["usage"]])
        #expect(
            try Worklist.of(contentFolder: folder, inputs: inputs, filter: .init(collection: "generic")).entries.map(
                \.id) == ["generic/readmol-500mg"])
        #expect(
            try Worklist.of(contentFolder: folder, inputs: inputs, filter: .init(section: "dosage")).entries.map(\.id)
                == ["generic/readmol-500mg", "composition/tramadolex"])
        #expect(
            try Worklist.of(contentFolder: folder, inputs: inputs, filter: .init(reason: "high-risk")).entries.map(
                \.id) == ["composition/tramadolex"])
    }

    @Test("high-risk classes match whole words of ingredient names")
    func highRisk() {
        let risk = HighRiskMedicines.defaults
        #expect(risk.classes(of: [.init(name: "Insulin Glargine")]) == ["insulins"])
        #expect(risk.classes(of: [.init(name: "Heparin Sodium")]) == ["anticoagulants"])
        #expect(risk.classes(of: [.init(name: "Enoxaparin")]) == ["anticoagulants"])
        #expect(risk.classes(of: [.init(name: "Sodium Valproate")]) == ["narrow therapeutic index"])
        #expect(risk.classes(of: [.init(name: "Valproic Acid")]) == ["narrow therapeutic index"])
        #expect(risk.classes(of: [.init(name: "Paracetamol"), .init(name: "Tramadol")]) == ["opioids"])
        #expect(risk.classes(of: [.init(name: "Lithiumol")]) == [])
        #expect(risk.classes(of: [.init(name: "Acid")]) == [])
    }

    @Test("the high-risk list is read from formulary.yml, with clear errors")
    func settings() throws {
        let configuration = try SiteConfiguration.load(
            yaml: "review:\n  highRisk:\n    anticoagulants: [warfarin]\n", path: "formulary.yml")
        #expect(configuration.highRisk.classes.map(\.name) == ["anticoagulants"])
        #expect(SiteConfiguration().highRisk == .defaults)
        #expect(throws: SiteConfiguration.Error.self) {
            try SiteConfiguration.load(yaml: "review:\n  highRisk: warfarin\n", path: "formulary.yml")
        }
        #expect(throws: SiteConfiguration.Error.self) {
            try SiteConfiguration.load(yaml: "review:\n  hihgRisk: {}\n", path: "formulary.yml")
        }
    }
}

extension WorklistTests {
    @Test("with a cache, the same worklist; a page changed since is checked again")
    func cached() throws {
        let site = try Self.site()
        let folder = site.path + "/content"
        let cache = (file: site.path + "/.formulary/worklist-cache", fingerprint: "test rules")
        let inputs = Self.inputs(views: ["generic/readmol-500mg": 7])
        let first = try Worklist.of(contentFolder: folder, inputs: inputs, cache: cache)
        #expect(site.exists(".formulary/worklist-cache"))
        let second = try Worklist.of(contentFolder: folder, inputs: inputs, cache: cache)
        #expect(second.json(limit: 10, misses: []) == first.json(limit: 10, misses: []))
        #expect(
            second.entries.map(\.id) == [
                "composition/doubtol-sampleprofen", "composition/tramadolex", "generic/readmol-500mg",
            ])

        try site.write(
            "content/composition/doubtol-sampleprofen.md",
            Fixture.page(title: "Doubtol + Sampleprofen", body: "## Usage\nNo doubt left.\n"))
        let third = try Worklist.of(contentFolder: folder, inputs: inputs, cache: cache)
        #expect(
            third.entries.map(\.id) == [
                "composition/tramadolex", "generic/readmol-500mg", "composition/doubtol-sampleprofen",
            ])
        #expect(third.entries[2].reasons.isEmpty)
    }
}
