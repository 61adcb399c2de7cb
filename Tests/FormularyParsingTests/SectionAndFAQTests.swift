import FormularyModel
import Foundation
import Testing

@testable import FormularyParsing

/// Section recognition and FAQ extraction on small pages written for these tests.
@Suite("Sections and FAQs in every heading style")
struct SectionAndFAQTests {
    func record(_ body: String, title: String = "Examplamine") throws -> Monograph {
        let text = "---\ntitle: \(title)\n---\n" + body
        return try MonographParser().parse(
            bytes: Array(text.utf8), location: DocumentLocation(path: "composition/e/examplamine.md")
        )
        .monograph
    }

    @Test("### headings, with a colon, with text on the heading line")
    func headingStyle() throws {
        let page = try record(
            """
            # Examplamine
            ### Generic Name
            Examplamine

            ### Usage: Examplamine treats examples.
            More usage.

            ### Dosage:
            One tablet.
            """)
        #expect(page.sections.map(\.kind) == [.genericName, .usage, .dosage])
        #expect(page.sections.map(\.line) == [5, 8, 11])
        #expect(page.section(.usage)?.markdown == "Examplamine treats examples.\n\nMore usage.")
        #expect(page.section(.dosage)?.markdown == "One tablet.")
        #expect(page.source.headingStyle == .heading)
    }

    @Test("## **bold** headings keep their ### and #### subsections inside")
    func boldHeadings() throws {
        let page = try record(
            """
            ## **Usage**

            Treats examples.

            ## **Dosage**

            ### **Standard Dosage**

            #### **Adults:** One tablet.

            ## **FAQs (Frequently Asked Questions)**

            ### **Q1: Is it safe?**

            **A:** Mostly.

            ### **Q2:  Can children take it?**

            **A:**  Ask a doctor.
            """)
        #expect(page.sections.map(\.kind) == [.usage, .dosage, .faqs])
        #expect(page.sections.map(\.heading) == ["Usage", "Dosage", "FAQs (Frequently Asked Questions)"])
        #expect(page.section(.dosage)?.markdown == "### **Standard Dosage**\n\n#### **Adults:** One tablet.")
        #expect(
            page.faqs == [
                FAQ(question: "Is it safe?", answer: "Mostly."),
                FAQ(question: "Can children take it?", answer: "Ask a doctor."),
            ])
        #expect(page.source.headingStyle == .boldHeading)
    }

    @Test("inline labels, alone on their line or followed by text; qualified labels")
    func inlineLabels() throws {
        let page = try record(
            """
            **Generic Name:** Examplamine

            **Usage (Hypothetical):**

            Treats examples.

            **Side Effects:** Headache.

            * **Common:** nausea.

            **Disclaimer:** Not advice.
            """)
        #expect(page.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .disclaimer])
        #expect(page.sections.map(\.heading) == ["Generic Name", "Usage (Hypothetical)", "Side Effects", "Disclaimer"])
        #expect(page.section(.usage)?.markdown == "Treats examples.")
        #expect(page.section(.sideEffects)?.markdown == "Headache.\n\n* **Common:** nausea.")
        #expect(page.disclaimer == "Not advice.")
        #expect(page.source.headingStyle == .inlineLabel)
    }

    @Test("bold labels inside a ### section are sub-parts, not sections")
    func labelsInsideHeadings() throws {
        let page = try record(
            """
            ### Precautions
            **Contraindications:** Allergy.

            **Important Note:** Read the leaflet.

            ### FAQs
            * **Q: Can I drive?** A: Not at first.

            **Disclaimer:** Not advice.
            """)
        #expect(page.sections.map(\.kind) == [.precautions, .faqs, .disclaimer])
        #expect(page.faqs == [FAQ(question: "Can I drive?", answer: "Not at first.")])
    }

    @Test("per-ingredient headings group labelled sections; qualified headings are recognised")
    func perIngredient() throws {
        let page = try record(
            """
            ### Generic Name (Combination)
            Alphamine + Betamine

            ### Alphamine
            **Usage:** Treats alpha.

            **Dosage:** One.

            ### Betamine
            **Usage:** Treats beta.

            ### FAQs (Combined Use)
            1. **Can they be taken together?** Yes, as prescribed.
            2. **With food?** Either way.
            """, title: "Alphamine + Betamine")
        #expect(page.kind == .combination)
        #expect(page.sections.map(\.kind) == [.genericName, .other, .usage, .dosage, .other, .usage, .faqs])
        #expect(page.sections.filter { $0.kind == .other }.map(\.heading) == ["Alphamine", "Betamine"])
        #expect(page.faqs.map(\.question) == ["Can they be taken together?", "With food?"])
        #expect(page.faqs.map(\.answer) == ["Yes, as prescribed.", "Either way."])
        #expect(page.source.headingStyle == .mixed)
    }

    @Test("FAQ shapes: Q:/A: paragraphs, lines of one paragraph, bold question then answer paragraphs")
    func faqShapes() throws {
        let page = try record(
            """
            ### FAQs

            **Q:** What is it?
            **A:** An example.

            **Q: Is it real?**

            **A:** No.

            **How is it stored?**

            Cool and dry.

            Away from children.

            **Disclaimer:** Not advice.
            """)
        #expect(
            page.faqs == [
                FAQ(question: "What is it?", answer: "An example."),
                FAQ(question: "Is it real?", answer: "No."),
                FAQ(question: "How is it stored?", answer: "Cool and dry.\n\nAway from children."),
            ])
    }

    @Test("front matter FAQs are cleaned of answer debris when the body has none")
    func frontMatterFAQs() throws {
        let text = """
            ---
            title: Examplamine
            faqs:
              - q: >-
                  What is the dose?**


                  **A:** One tablet daily.
                a: >-
                  A:** One tablet daily.
              - q: Is it safe?
                a: 'A:**  Mostly.'
              - q: Unanswered?
                a: ''
            ---
            ## **Usage**
            Treats examples.
            """
        let page = try MonographParser().parse(
            bytes: Array(text.utf8), location: DocumentLocation(path: "compositions/examplamine.md"))
        #expect(
            page.monograph.faqs == [
                FAQ(question: "What is the dose?", answer: "One tablet daily."),
                FAQ(question: "Is it safe?", answer: "Mostly."),
            ])
    }

    @Test("a faqs: block (here an indentless list) is read when needed, with the same result as reading it at once")
    func deferredFAQBlock() throws {
        let text =
            "---\ntitle: X\nfaqs:\n- q: One?\n  a: 'A:** Yes.'\n- q: Two?\n  a: No.\nis_banned: true\n---\n## **Usage**\nText.\n"
        let page = try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: "c/x.md"))
        #expect(page.frontMatter.entries.map(\.key) == ["title", "faqs", "is_banned"])
        #expect(page.frontMatter.entries.map(\.line) == [2, 3, 8], "keys after the block keep their lines")
        #expect(page.monograph.flags.banned)
        guard case .unparsed(_, let line)? = page.frontMatter["faqs"] else {
            Issue.record("the block is kept as text")
            return
        }
        #expect(line == 3)
        let value = try page.frontMatter.resolvedValue(forKey: "faqs", path: "c/x.md")
        guard case .sequence(let items)? = value else {
            Issue.record("the block reads as a list")
            return
        }
        #expect(items.map { $0["q"]?.string } == ["One?", "Two?"])
        #expect(page.monograph.faqs == [FAQ(question: "One?", answer: "Yes."), FAQ(question: "Two?", answer: "No.")])
    }

    @Test("broken YAML in a faqs: block is an error with its line when the FAQs are needed")
    func brokenDeferredBlock() throws {
        let broken = "---\ntitle: X\nfaqs:\n  - q: [unclosed\n    a: Yes\n---\n## **Usage**\nText.\n"
        do {
            _ = try MonographParser().parse(bytes: Array(broken.utf8), location: DocumentLocation(path: "c/x.md"))
            Issue.record("expected an error")
        } catch {
            guard case .invalidYAML = error.reason else {
                Issue.record("expected invalid YAML, got \(error.reason)")
                return
            }
            #expect(error.line >= 4 && error.line <= 6)
        }
        // The body's FAQs win, so the block is never needed and the page reads.
        let answered = broken.replacingOccurrences(
            of: "## **Usage**\nText.\n", with: "## **FAQs**\n* **Q: Body?** A: Yes.\n")
        let page = try MonographParser().parse(bytes: Array(answered.utf8), location: DocumentLocation(path: "c/x.md"))
        #expect(page.monograph.faqs == [FAQ(question: "Body?", answer: "Yes.")])
    }

    @Test("the body's FAQs win over front matter's")
    func bodyWins() throws {
        let text =
            "---\ntitle: X\nfaqs:\n  - q: From front matter?\n    a: Yes.\n---\n### FAQs\n* **From the body?** Yes.\n"
        let page = try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: "c/x.md"))
        #expect(page.monograph.faqs == [FAQ(question: "From the body?", answer: "Yes.")])
    }

    @Test("a heading inside a fenced code block is not a section")
    func codeBlocks() throws {
        let page = try record("### Usage\nText.\n\n```\n### Dosage\n```\n")
        #expect(page.sections.map(\.kind) == [.usage])
    }

    @Test("an AI refusal has no sections and heading style none")
    func refusal() throws {
        let page = try record("# Examplamine\n\nI cannot provide information on this medicine.\n")
        #expect(page.sections.isEmpty)
        #expect(page.source.headingStyle == .none)
        #expect(page.disclaimer == nil)
    }

    @Test("brand pages point at their generic", arguments: [("generic_slug", "paracetamol")])
    func brand(_ key: String, _ slug: String) throws {
        let text =
            "---\ntitle: \"Examplol 650\"\ntype: \"single\"\n\(key): \"\(slug)\"\ncompany: \"Example Labs\"\nstrength: \"650 mg\"\npack_size: \"10 tablets\"\nmrp: 30.5\n---\n\nExamplol 650 contains paracetamol.\n"
        let page = try MonographParser().parse(
            bytes: Array(text.utf8), location: DocumentLocation(path: "medicines/examplol-650.md"))
        #expect(page.monograph.kind == .brand)
        #expect(
            page.monograph.product
                == Product(
                    genericSlug: "paracetamol", company: "Example Labs", strength: "650 mg", packSize: "10 tablets",
                    mrp: 30.5))
        #expect(
            page.monograph.ingredients == [
                Ingredient(name: "Paracetamol", strength: Strength(text: "650 mg", value: 650, unit: "mg"))
            ])
    }

    @Test(
        "section names are recognised whatever their dress",
        arguments: [
            ("Usage", SectionKind.usage), ("**How It Works**", .howItWorks),
            ("Side Effects (of antivenom)", .sideEffects),
            ("FAQs (Frequently Asked Questions)", .faqs), ("Generic Name (Not Applicable)", .genericName),
            ("Pregnancy & Breastfeeding", .pregnancy), ("Drug Interactions", .interactions), ("Alprazolam", .other),
            ("Dosage Adjustments", .other), ("Common Side Effects", .other),
        ])
    func recognition(_ heading: String, _ kind: SectionKind) {
        #expect(SectionRecognizer.recognize(heading: heading).kind == kind)
    }

    @Test("ids drop the one-letter shard folder")
    func locations() {
        let sharded = DocumentLocation(path: "/x/rxhive-v1/composition/p/paracetamol.md")
        #expect(sharded.id == "composition/paracetamol")
        #expect(sharded.relativePath == "composition/p/paracetamol.md")
        let flat = DocumentLocation(path: "rxhive-v2/compositions/abacavir.md")
        #expect(flat.id == "compositions/abacavir")
        #expect(flat.collection == "compositions")
    }
}
