import Foundation
import FormularyModel
import FormularyParsing
import Testing

@testable import FormularyCheck

/// Each rule on small pages written for these tests, in the shapes the corpus uses.
@Suite("check rules")
struct RuleTests {
    /// Every rule on, including those off by default, at their default severities.
    static let everyRule = CheckConfiguration(
        severities: Dictionary(uniqueKeysWithValues: RuleCatalog.all.map { ($0.name, Optional($0.defaultSeverity)) }))

    /// Parses pages given as (path, text) and checks them together.
    func check(_ pages: [(String, String)], configuration: CheckConfiguration = everyRule) -> [Diagnostic] {
        let outcomes = pages.map { path, text in
            Result { () throws(MonographParseError) in
                try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path))
            }
        }
        return Checker(configuration: configuration).check(outcomes)
    }

    func check(_ text: String, path: String = "content/composition/e/examplamol.md") -> [Diagnostic] {
        check([(path, text)])
    }

    /// A complete, clean monograph body.
    static let cleanBody = """
        # Examplamol

        ### Generic Name
        Examplamol

        ### Usage
        Pain and fever.

        ### Dosage
        500 mg every 6 hours.

        ### Side Effects
        Rarely a rash.

        ### How it Works
        It lowers prostaglandins.

        ### Precautions
        Liver disease.

        ### FAQs
        * **Q: With food?** A: Either way.

        **Disclaimer:** Not medical advice.

        """

    static func page(title: String = "Examplamol", frontMatter: String = "", body: String = cleanBody) -> String {
        "---\ntitle: \(title)\n\(frontMatter)---\n" + body
    }

    func rules(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.rule) }

    @Test("a clean page has no diagnostics")
    func cleanPage() {
        #expect(check(Self.page()) == [])
    }

    @Test("an unknown front matter key gets a did-you-mean")
    func unknownKey() {
        let diagnostics = check(Self.page(frontMatter: "tittle: Examplamol\n"))
        #expect(
            diagnostics == [
                Diagnostic(
                    path: "content/composition/e/examplamol.md", line: 3, column: 1, severity: .warning,
                    rule: "unknown-front-matter-key",
                    message: "unknown front matter key 'tittle'; did you mean 'title'?")
            ])
    }

    @Test("invalid and missing front matter are errors with their place")
    func invalidFrontMatter() {
        let diagnostics = check([
            ("c/a.md", "# No front matter\n"),
            ("c/b.md", "---\ntitle: [unclosed\n---\n# B\n"),
            ("c/c.md", ""),
        ])
        #expect(diagnostics.map(\.rule) == ["invalid-front-matter", "invalid-front-matter", "unreadable-page"])
        #expect(diagnostics.map(\.severity) == [.error, .error, .error])
        #expect(diagnostics[0].line == 1)
        #expect(diagnostics[2].message.hasPrefix("the file is empty"))
    }

    @Test("title and H1 disagree")
    func titleMismatch() {
        let diagnostics = check(Self.page(title: "Examplamol 500mg"))
        #expect(rules(diagnostics) == ["title-mismatch"])
        #expect(diagnostics.first?.line == 4)
        #expect(
            diagnostics.first?.message
                == "the heading 'Examplamol' differs from the front matter title 'Examplamol 500mg'")
    }

    @Test("missing sections are listed; the required set is configurable")
    func missingSection() {
        let body = "# Examplamol\n\n### Usage\nPain.\n\n**Disclaimer:** Not advice.\n"
        let diagnostics = check(Self.page(body: body))
        #expect(diagnostics.map(\.message) == ["missing sections: Dosage, Side Effects, How it Works, Precautions"])
        let relaxed = check(
            [("c/e.md", Self.page(body: body))], configuration: CheckConfiguration(requiredSections: [.usage]))
        #expect(relaxed == [])
    }

    @Test("empty and duplicated sections; per-ingredient groups may repeat sections")
    func emptyAndDuplicate() {
        let body = Self.cleanBody.replacingOccurrences(of: "Rarely a rash.", with: "") + "\n### Usage\nAgain.\n"
        let diagnostics = check(Self.page(body: body))
        #expect(rules(diagnostics) == ["empty-section", "duplicate-section"])
        #expect(diagnostics.last?.message == "a second 'Usage' section; the first is on line 9")
        let grouped = """
            # Alphamine + Betamine
            ### Alphamine
            **Usage:** Alpha.

            **Dosage:** One.

            ### Betamine
            **Usage:** Beta.

            **Dosage:** Two.
            """
        let groupedDiagnostics = check([("c/a.md", Self.page(title: "Alphamine + Betamine", body: grouped))])
        #expect(!rules(groupedDiagnostics).contains("duplicate-section"))
    }

    @Test("a page without a disclaimer; a closing paragraph that disclaims without a label counts as one")
    func missingDisclaimer() {
        let body = Self.cleanBody.replacingOccurrences(of: "**Disclaimer:** Not medical advice.", with: "")
        #expect(rules(check(Self.page(body: body))) == ["missing-disclaimer"])
        let unlabelled = Self.cleanBody.replacingOccurrences(
            of: "**Disclaimer:** Not medical advice.",
            with: "This information is for educational purposes only and should not be considered medical advice.")
        #expect(check(Self.page(body: unlabelled)) == [])
        let advice = Self.cleanBody.replacingOccurrences(
            of: "**Disclaimer:** Not medical advice.", with: "Ask your doctor before you drive.")
        #expect(rules(check(Self.page(body: advice))) == ["missing-disclaimer"], "advice is not a disclaimer")
    }

    @Test("an AI refusal is one error, not a list of missing sections")
    func refusal() {
        let body =
            "# Examplamol\n\nI cannot provide information on a medication named Examplamol because it is not a recognized medicine.\n"
        let diagnostics = check(Self.page(body: body))
        #expect(rules(diagnostics) == ["ai-refusal"])
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.line == 6)
        #expect(diagnostics.first?.column == 1)
    }

    @Test("AI self-reference, with the column of the phrase")
    func selfReference() {
        let body =
            "# Examplamol\n\nPlease note: I am an AI and cannot help.\n"
            + Self.cleanBody.dropFirst("# Examplamol\n".count)
        let diagnostics = check(Self.page(body: String(body)))
        #expect(rules(diagnostics) == ["ai-self-reference"])
        #expect(diagnostics.first?.line == 6)
        #expect(diagnostics.first?.column == 14)
    }

    @Test("damaged names: a dangling hyphen, a vitamin without its number")
    func damagedNames() {
        let diagnostics = check(
            Self.page(
                title: "Omega- + Vitamin B + Polymyxin B",
                body: Self.cleanBody.replacingOccurrences(
                    of: "# Examplamol", with: "# Omega- + Vitamin B + Polymyxin B")))
        #expect(
            diagnostics.filter { $0.rule == "damaged-name" }.map(\.message) == [
                "the name 'Omega-' ends with a hyphen: a number was probably stripped by the generator",
                "the name 'Vitamin B' lacks its number (B1, B2, B3, B5, B6, B7, B9 or B12?)",
            ])
    }

    @Test("the Generic Name section misspells the title's ingredient")
    func genericNameMismatch() {
        let body = Self.cleanBody.replacingOccurrences(of: "# Examplamol", with: "# Clostridium Butryricum")
            .replacingOccurrences(of: "### Generic Name\nExamplamol", with: "### Generic Name\nClostridium butyricum")
        let diagnostics = check(Self.page(title: "Clostridium Butryricum", body: body))
        #expect(
            diagnostics.map(\.message) == [
                "the Generic Name section writes 'butyricum' where the title has 'butryricum'"
            ])
    }

    @Test("two pages for one medicine, international and US names counted as one")
    func duplicates() {
        let diagnostics = check([
            (
                "content/composition/p/paracetamol.md",
                Self.page(
                    title: "Paracetamol",
                    body: Self.cleanBody.replacingOccurrences(of: "# Examplamol", with: "# Paracetamol"))
            ),
            (
                "content/composition/a/acetaminophen.md",
                Self.page(
                    title: "Acetaminophen",
                    body: Self.cleanBody.replacingOccurrences(of: "# Examplamol", with: "# Acetaminophen"))
            ),
            (
                "content/composition/i/ibuprofen-paracetamol.md",
                Self.page(
                    title: "Ibuprofen + Paracetamol",
                    body: Self.cleanBody.replacingOccurrences(of: "# Examplamol", with: "# Ibuprofen + Paracetamol"))
            ),
        ])
        #expect(
            diagnostics.map(\.path) == [
                "content/composition/a/acetaminophen.md", "content/composition/p/paracetamol.md",
            ])
        #expect(diagnostics.first?.message == "the same medicine as composition/paracetamol; merge the pages")
    }

    @Test("a qualifier that names a different product is not a duplicate")
    func qualifiedNames() {
        #expect(NameEquivalents.canonicalName("Paracetamol (Acetaminophen)") == "paracetamol")
        #expect(NameEquivalents.canonicalName("Acetaminophen [paracetamol]") == "paracetamol")
        #expect(
            NameEquivalents.canonicalName("Antihemophilic Factor (Recombinant)")
                == "antihemophilic factor (recombinant)")
    }

    @Test("links to pages that do not exist")
    func brokenLinks() {
        let body = Self.cleanBody.replacingOccurrences(
            of: "Pain and fever.",
            with: "See [Ibuprofen](../ibuprofen.md) and [WHO](https://who.int) and [self](examplamol.md).")
        let diagnostics = check(Self.page(body: body))
        #expect(diagnostics.map(\.message) == ["the link '../ibuprofen.md' points at a page that does not exist"])
        #expect(diagnostics.first?.line == 10)
        #expect(diagnostics.first?.column == 17, "the column of the link's target")
    }

    @Test("pages checked as they are read from disk: links and duplicates are decided across files")
    func checkedAsRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-rules-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pages = [
            ("composition/p/paracetamol.md", "Paracetamol", "See [Ibuprofen](../i/ibuprofen.md)."),
            ("composition/a/acetaminophen.md", "Acetaminophen", "See [Nothing](../n/nonexistamol.md)."),
            ("composition/i/ibuprofen.md", "Ibuprofen", "Pain and fever."),
        ]
        for (path, title, usage) in pages {
            let body = Self.cleanBody.replacingOccurrences(of: "# Examplamol", with: "# \(title)")
                .replacingOccurrences(of: "Pain and fever.", with: usage)
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(Self.page(title: title, body: body).utf8).write(to: url)
        }
        let files = try ContentLoader.markdownFiles(in: [folder.path])
        let checker = Checker(configuration: Self.everyRule)
        let asRead = checker.check(files: files, loader: ContentLoader())
        let found = asRead.map { "\($0.path.dropFirst(folder.path.count + 1)):\($0.line): \($0.rule): \($0.message)" }
        #expect(
            found == [
                "composition/a/acetaminophen.md:2: duplicate-medicine: the same medicine as composition/paracetamol; merge the pages",
                "composition/a/acetaminophen.md:10: broken-link: the link '../n/nonexistamol.md' points at a page that does not exist",
                "composition/p/paracetamol.md:2: duplicate-medicine: the same medicine as composition/acetaminophen; merge the pages",
            ])
        #expect(asRead == checker.check(ContentLoader().load(files)), "the same as checking parsed pages")
    }

    @Test("front matter FAQ debris")
    func faqDebris() {
        let frontMatter =
            "faqs:\n  - q: \"Is it safe?**\\n\\n**A:** Yes.\"\n    a: \"A:** Yes.\"\n  - q: Clean?\n    a: Yes.\n"
        let diagnostics = check(Self.page(frontMatter: frontMatter))
        #expect(
            diagnostics.map(\.message) == [
                "the front matter FAQs carry answer debris ('A:**'); the body's FAQs are the clean ones"
            ])
        #expect(diagnostics.first?.line == 4, "the line of the first entry with debris")
        // The same in flow style, which is read at once: entries are counted.
        let flow = "faqs: [{q: \"Is it safe?**\\n\\n**A:** Yes.\", a: \"A:** Yes.\"}, {q: Clean?, a: Yes.}]\n"
        let flowDiagnostics = check(Self.page(frontMatter: flow))
        #expect(
            flowDiagnostics.map(\.message) == [
                "1 of 2 FAQ entries carry answer debris ('A:**' in the question or answer)"
            ])
        #expect(flowDiagnostics.first?.line == 3)
    }

    @Test("outdated sections and implausible strengths")
    func outdatedAndStrength() {
        let body = Self.cleanBody.replacingOccurrences(of: "### Dosage", with: "### Dosage (Outdated)")
            .replacingOccurrences(of: "# Examplamol", with: "# Examplamol 100gm")
        let diagnostics = check(Self.page(title: "Examplamol 100gm", body: body))
        #expect(rules(diagnostics) == ["implausible-strength", "outdated-section"])
        #expect(diagnostics.first?.message == "Examplamol 100gm is 100 g in one dose; was mg meant?")
    }

    @Test("suppression comments silence one rule on the next line or in the whole page")
    func suppressions() {
        let nextLine = Self.cleanBody.replacingOccurrences(
            of: "### Side Effects\nRarely a rash.", with: "<!-- formulary-ignore empty-section -->\n### Side Effects\n")
        #expect(check(Self.page(body: nextLine)) == [])
        let otherRule = Self.cleanBody.replacingOccurrences(
            of: "### Side Effects\nRarely a rash.", with: "<!-- formulary-ignore title-mismatch -->\n### Side Effects\n"
        )
        #expect(rules(check(Self.page(body: otherRule))) == ["empty-section"])
        let wholePage =
            "<!-- formulary-ignore-file missing-disclaimer -->\n"
            + Self.cleanBody.replacingOccurrences(of: "**Disclaimer:** Not medical advice.", with: "")
        #expect(check(Self.page(body: wholePage)) == [])
    }

    @Test("configuration turns rules off and changes severities")
    func configuration() throws {
        let yaml =
            "title: Site\ncheck:\n  required-sections: [usage]\n  rules:\n    missing-disclaimer: off\n    title-mismatch: error\n"
        let configuration = try CheckConfiguration.load(
            yaml: yaml, path: "formulary.yml", knownRules: RuleCatalog.names)
        #expect(configuration.requiredSections == [.usage])
        let body = "# Other\n\n### Usage\nPain.\n"
        let diagnostics = check([("c/e.md", Self.page(body: body))], configuration: configuration)
        #expect(diagnostics.map(\.rule) == ["title-mismatch"])
        #expect(diagnostics.map(\.severity) == [.error])
    }

    @Test("configuration mistakes are errors with a line and a suggestion")
    func configurationErrors() {
        #expect(
            throws: CheckConfiguration.Error(
                path: "f.yml", line: 3, message: "unknown rule 'title-mismach'; did you mean 'title-mismatch'?")
        ) {
            try CheckConfiguration.load(
                yaml: "check:\n  rules:\n    title-mismach: off\n", path: "f.yml", knownRules: RuleCatalog.names)
        }
        #expect(
            throws: CheckConfiguration.Error(
                path: "f.yml", line: 2,
                message:
                    "unknown section kind 'usages'; use one of genericName, usage, dosage, sideEffects, howItWorks, precautions, contraindications, interactions, pregnancy, alternateNames, popularCombinations, summary, storage, overdose, faqs, disclaimer, note"
            )
        ) {
            try CheckConfiguration.load(
                yaml: "check:\n  required-sections: [usages]\n", path: "f.yml", knownRules: RuleCatalog.names)
        }
        #expect(
            throws: CheckConfiguration.Error(
                path: "f.yml", line: 3, message: "'loud' is not off, note, warning or error")
        ) {
            try CheckConfiguration.load(
                yaml: "check:\n  rules:\n    title-mismatch: loud\n", path: "f.yml", knownRules: RuleCatalog.names)
        }
    }

    @Test("a rule can ship off by default; configuration turns it on")
    func offByDefault() {
        struct QuietRule: Rule {
            let name = "quiet"
            let defaultSeverity = Severity.note
            let isEnabledByDefault = false
            let summary = "Finds everything."
            func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
                [Finding(line: 1, message: "found")]
            }
        }
        let outcome = Result { () throws(MonographParseError) in
            try MonographParser().parse(bytes: Array(Self.page().utf8), location: DocumentLocation(path: "c/e.md"))
        }
        #expect(Checker(configuration: CheckConfiguration(), rules: [QuietRule()]).check([outcome]) == [])
        let on = CheckConfiguration(severities: ["quiet": .note])
        #expect(Checker(configuration: on, rules: [QuietRule()]).check([outcome]).map(\.rule) == ["quiet"])
        // Every shipped rule reached 90% hand-checked precision on the corpus, so all are on.
        let off = RuleCatalog.all.filter { !$0.isEnabledByDefault }.map(\.name)
        #expect(off == [])
    }

    @Test("every rule has a unique name, a summary and an explanation")
    func catalog() {
        #expect(Set(RuleCatalog.names).count == RuleCatalog.all.count)
        #expect(RuleCatalog.all.allSatisfy { !$0.summary.isEmpty && $0.summary.hasSuffix(".") })
    }

    @Test("output formats: text, JSON lines, GitHub annotations, and the summary line")
    func formats() {
        let diagnostic = Diagnostic(
            path: "content/a.md", line: 12, column: 3, severity: .warning, rule: "missing-section",
            message: "missing section: Usage, 100%")
        #expect(
            DiagnosticFormat.text.format(diagnostic)
                == "content/a.md:12:3: warning: missing section: Usage, 100% [missing-section]")
        #expect(
            DiagnosticFormat.json.format(diagnostic)
                == #"{"column":3,"line":12,"message":"missing section: Usage, 100%","path":"content/a.md","rule":"missing-section","severity":"warning"}"#
        )
        #expect(
            DiagnosticFormat.github.format(diagnostic)
                == "::warning file=content/a.md,line=12,col=3,title=missing-section::missing section: Usage, 100%25")
        let summary = DiagnosticSummary.line(for: [diagnostic, diagnostic], files: 3)
        #expect(summary == "checked 3 files: 0 errors, 2 warnings, 0 notes (missing-section 2)")
    }

    @Test("edit distance counts a transposition as one edit")
    func editDistance() {
        #expect(Spelling.editDistance("tittle", "title") == 1)
        #expect(Spelling.editDistance("butryricum", "butyricum") == 1)
        #expect(Spelling.editDistance("paracetmol", "paracetamol") == 1)
        #expect(Spelling.editDistance("abcd", "acbd") == 1)
        #expect(Spelling.closest(to: "tittle", among: ["title", "layout"]) == "title")
        #expect(Spelling.closest(to: "xyz", among: ["title", "layout"]) == nil)
    }
}
