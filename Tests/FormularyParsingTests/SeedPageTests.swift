import FormularyModel
import Testing

@testable import FormularyParsing

/// The seed page must always parse perfectly: every field of its record is asserted here.
@Suite(
    "Seed page rxhive-v1/generic/alemtuzumab-12mg.md",
    .enabled(if: CorpusFixture.isAvailable, CorpusFixture.missingMessage))
struct SeedPageTests {
    let record: Monograph

    init() throws {
        record = try CorpusFixture.parse("rxhive-v1/generic/alemtuzumab-12mg.md").monograph
    }

    @Test("identity: id, slug, collection, title, kind")
    func identity() {
        #expect(record.id == "generic/alemtuzumab-12mg")
        #expect(record.slug == "alemtuzumab-12mg")
        #expect(record.collection == "generic")
        #expect(record.title == "Alemtuzumab 12mg")
        #expect(record.kind == .single)
    }

    @Test("one ingredient, Alemtuzumab at 12 mg")
    func ingredients() {
        #expect(
            record.ingredients == [
                Ingredient(name: "Alemtuzumab", strength: Strength(text: "12mg", value: 12, unit: "mg"))
            ])
    }

    @Test("seven sections with their 1-based lines, in file order")
    func sections() {
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [12, 14, 16, 26, 28, 36, 39])
        #expect(
            record.sections.map(\.heading) == [
                "Generic Name", "Usage", "Side Effects", "How it Works", "FAQs", "Disclaimer", "Note",
            ])
        #expect(record.section(.genericName)?.markdown == "Alemtuzumab")
        #expect(
            record.section(.usage)?.markdown.hasPrefix(
                "Alemtuzumab is a monoclonal antibody used to treat certain types of leukemia") == true)
        #expect(record.section(.usage)?.markdown.hasSuffix("tailored to the individual patient.") == true)
        #expect(
            record.section(.sideEffects)?.markdown.hasPrefix("Alemtuzumab can cause a wide range of side effects")
                == true)
        #expect(record.section(.sideEffects)?.markdown.hasSuffix("the specific treatment regimen.") == true)
        #expect(record.section(.howItWorks)?.markdown.hasSuffix("(the protective covering of nerves).") == true)
        #expect(
            record.section(.note)?.markdown
                == "This information is AI-generated or crowd-sourced and may not be accurate. Please consult a medical professional for verified advice."
        )
    }

    @Test("all five FAQ pairs verbatim")
    func faqs() {
        #expect(
            record.faqs == [
                FAQ(
                    question: "Is Alemtuzumab a chemotherapy drug?",
                    answer: "No, Alemtuzumab is a targeted therapy, a type of biologic drug, not a chemotherapy drug."),
                FAQ(
                    question: "How long does treatment last?",
                    answer:
                        "The duration of treatment varies greatly depending on the disease and individual response.  Your doctor will determine the appropriate length of treatment."
                ),
                FAQ(
                    question: "What monitoring is required during treatment?",
                    answer:
                        "Regular blood tests, including complete blood counts and organ function tests (liver and kidney), are essential during and after treatment to monitor for side effects."
                ),
                FAQ(
                    question: "Are there long-term side effects?",
                    answer:
                        "Yes, there can be long-term side effects, particularly related to immune system suppression and autoimmune disorders.  Close monitoring is needed even after treatment ends."
                ),
                FAQ(
                    question: "Can I take other medications with Alemtuzumab?",
                    answer:
                        "You must discuss all other medications, including over-the-counter drugs and supplements, with your doctor before starting Alemtuzumab.  Some medications may interact with it."
                ),
            ])
    }

    @Test("the disclaimer text without its label")
    func disclaimer() {
        #expect(
            record.disclaimer
                == "This information is for general knowledge only and does not constitute medical advice.  Always consult a healthcare professional for diagnosis and treatment of any medical condition.  The information provided here may not be comprehensive and should not be used to make decisions about your health.  Refer to your physician or pharmacist for detailed information about Alemtuzumab and its use in your specific case."
        )
    }

    @Test("flags and source: AI-drafted, not banned, inline labels")
    func flagsAndSource() {
        #expect(record.flags == Flags(banned: false, aiGenerated: true))
        #expect(record.source == SourceInfo(path: "generic/alemtuzumab-12mg.md", headingStyle: .inlineLabel))
        #expect(record.product == nil)
    }

    @Test("the title heading and the AI preamble are not sections")
    func titleHeading() throws {
        let page = try CorpusFixture.parse("rxhive-v1/generic/alemtuzumab-12mg.md")
        #expect(page.titleHeading == ParsedPage.TitleHeading(text: "Alemtuzumab 12mg", line: 7))
        #expect(page.bodyLine == 6)
        #expect(page.frontMatter.entries.map(\.key) == ["layout", "nav_exclude", "title"])
        #expect(page.frontMatter.entries.map(\.line) == [2, 3, 4])
    }
}
