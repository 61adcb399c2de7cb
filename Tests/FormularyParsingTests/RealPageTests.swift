import FormularyModel
import Testing

@testable import FormularyParsing

/// Exact expectations for real corpus pages of different shapes, written by reading each raw
/// file (`cat -n`), not by copying the parser's output. Line numbers are 1-based file lines of
/// the heading or label. The seed page has its own suite (`SeedPageTests`).
@Suite("Real corpus pages, checked by hand", .enabled(if: CorpusFixture.isAvailable, CorpusFixture.missingMessage))
struct RealPageTests {
    private func monograph(_ relative: String) throws -> Monograph {
        try CorpusFixture.parse(relative).monograph
    }

    /// The element at `index`, or `nil`: a short list fails an expectation instead of crashing the run.
    private func at<Element>(_ elements: [Element], _ index: Int) -> Element? {
        elements.indices.contains(index) ? elements[index] : nil
    }

    // MARK: - v1 generic pages (inline bold labels)

    @Test("v1 generic, labels alone on their line, two strengths: abacavir 600mg + lamivudine 300mg")
    func abacavirLamivudineGeneric() throws {
        let record = try monograph("rxhive-v1/generic/abacavir-600mg-lamivudine-300mg.md")
        #expect(record.id == "generic/abacavir-600mg-lamivudine-300mg")
        #expect(record.slug == "abacavir-600mg-lamivudine-300mg")
        #expect(record.collection == "generic")
        #expect(record.title == "Abacavir 600mg + Lamivudine 300mg")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients == [
                Ingredient(name: "Abacavir", strength: Strength(text: "600mg", value: 600, unit: "mg")),
                Ingredient(name: "Lamivudine", strength: Strength(text: "300mg", value: 300, unit: "mg")),
            ])
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [9, 11, 15, 31, 41, 49, 52])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(record.source.path == "generic/abacavir-600mg-lamivudine-300mg.md")
        #expect(record.section(.genericName)?.markdown == "Abacavir/Lamivudine")
        // `**Usage:**` stands alone on line 11; the body is the paragraph on line 13.
        #expect(
            record.section(.usage)?.markdown.hasPrefix("Abacavir/Lamivudine is a combination antiretroviral drug")
                == true)
        #expect(record.section(.usage)?.markdown.hasSuffix("people living with HIV.") == true)
        #expect(record.section(.sideEffects)?.markdown.hasSuffix("information specific to you.") == true)
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I drink alcohol while taking this medication?")
        #expect(record.faqs.first?.answer.hasPrefix("It's generally recommended to limit alcohol consumption") == true)
        #expect(record.faqs.first?.answer.hasSuffix("Discuss alcohol consumption with your doctor.") == true)
        #expect(record.faqs.last?.question == "What are the long-term effects of taking this medication?")
        #expect(
            record.faqs.last?.answer.hasPrefix("Long-term effects can include the potential for lactic acidosis")
                == true)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
        #expect(record.section(.note)?.markdown.hasPrefix("This information is AI-generated or crowd-sourced") == true)
    }

    @Test("v1 generic, labels followed by text, % w/w strengths: adapalene + benzoyl peroxide")
    func adapaleneBenzoylPeroxide() throws {
        let record = try monograph("rxhive-v1/generic/adapalene-0-1-w-w-benzoyl-peroxide-2-5-w-w.md")
        #expect(record.id == "generic/adapalene-0-1-w-w-benzoyl-peroxide-2-5-w-w")
        #expect(record.title == "Adapalene 0.1% w/w + Benzoyl Peroxide 2.5% w/w")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients == [
                Ingredient(name: "Adapalene", strength: Strength(text: "0.1% w/w", value: 0.1, unit: "%w/w")),
                Ingredient(name: "Benzoyl Peroxide", strength: Strength(text: "2.5% w/w", value: 2.5, unit: "%w/w")),
            ])
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [9, 11, 13, 28, 36, 51, 54])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(
            record.section(.genericName)?.markdown.hasPrefix(
                "Adapalene 0.1% w/w + Benzoyl Peroxide 2.5% w/w (This combination") == true)
        // Text on the label's own line starts the body (two spaces after the label are not kept).
        #expect(
            record.section(.usage)?.markdown.hasPrefix(
                "This combination medication is a topical treatment for acne vulgaris (acne).") == true)
        #expect(record.section(.sideEffects)?.markdown.hasPrefix("Common side effects include:") == true)
        #expect(record.section(.howItWorks)?.markdown.hasSuffix("providing more effective acne treatment.") == true)
        #expect(record.faqs.count == 6)
        #expect(record.faqs.first?.question == "How long does it take to see results?")
        #expect(record.faqs.first?.answer.hasPrefix("You may see improvement in your acne within a few weeks") == true)
        #expect(record.faqs.last?.question == "What should I do if I experience severe irritation?")
        #expect(record.faqs.last?.answer == "Discontinue use and contact your doctor or dermatologist immediately.")
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    @Test("v1 generic with qualified labels (**Usage (Hypothetical):**) and three mg strengths")
    func adapaleneClindamycinZinc() throws {
        let record = try monograph("rxhive-v1/generic/adapalene-1mg-clindamycin-10mg-zinc-acetate-12mg.md")
        #expect(record.title == "Adapalene 1mg + Clindamycin 10mg + Zinc acetate 12mg")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients == [
                Ingredient(name: "Adapalene", strength: Strength(text: "1mg", value: 1, unit: "mg")),
                Ingredient(name: "Clindamycin", strength: Strength(text: "10mg", value: 10, unit: "mg")),
                Ingredient(name: "Zinc acetate", strength: Strength(text: "12mg", value: 12, unit: "mg")),
            ])
        // `**Hypothetical Information (Not a Real Medication):**` on line 13 names no section.
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [15, 18, 25, 32, 39, 48, 51])
        #expect(
            record.sections.map(\.heading) == [
                "Generic Name", "Usage (Hypothetical)", "Side Effects (Hypothetical)", "How it Works (Hypothetical)",
                "FAQs (Hypothetical)", "Disclaimer", "Note",
            ])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(record.section(.genericName)?.markdown.hasPrefix("This would not have a single generic name") == true)
        #expect(
            record.section(.usage)?.markdown.hasPrefix(
                "This hypothetical combination *might* be used to treat acne vulgaris.") == true)
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Is this combination safe?")
        #expect(
            record.faqs.first?.answer.hasPrefix(
                "Because this is a hypothetical combination, its safety profile is unknown.") == true)
        #expect(record.faqs.last?.question == "What if I miss a dose?")
        #expect(record.faqs.last?.answer.hasPrefix("Apply the next dose as soon as you remember") == true)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
    }

    @Test("v1 generic with a per-volume strength: aceclofenac 50mg + paracetamol 125mg/5ml")
    func aceclofenacParacetamolSyrup() throws {
        let record = try monograph("rxhive-v1/generic/aceclofenac-50mg-paracetamol-125mg-5ml.md")
        #expect(record.title == "Aceclofenac 50mg + Paracetamol 125mg/5ml")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients == [
                Ingredient(name: "Aceclofenac", strength: Strength(text: "50mg", value: 50, unit: "mg")),
                Ingredient(
                    name: "Paracetamol",
                    strength: Strength(
                        text: "125mg/5ml", value: 125, unit: "mg", per: Strength.Quantity(value: 5, unit: "ml"))),
            ])
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [9, 11, 23, 46, 55, 70, 73])
        #expect(record.source.headingStyle == .inlineLabel)
        // The bold sentence on line 35 is not a label: it stays inside Side Effects.
        #expect(
            record.section(.sideEffects)?.markdown.contains(
                "Less common, but more serious side effects requiring immediate medical attention") == true)
        #expect(record.section(.howItWorks)?.markdown.hasPrefix("* **Aceclofenac:** This is a nonsteroidal") == true)
        #expect(record.faqs.count == 6)
        #expect(record.faqs.first?.question == "Who should not take this medication?")
        #expect(record.faqs.first?.answer.hasPrefix("People with known allergies to aceclofenac, paracetamol") == true)
        #expect(record.faqs.last?.question == "What should I do if I experience an overdose?")
        #expect(record.faqs.last?.answer == "Seek immediate medical attention.")
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    @Test("v1 generic with gm per 5ml and a **Note:** label inside a label page: acetylcysteine 1gm/5ml")
    func acetylcysteineSolution() throws {
        let record = try monograph("rxhive-v1/generic/acetylcysteine-1gm-5ml.md")
        #expect(record.title == "Acetylcysteine 1gm/5ml")
        #expect(record.kind == .single)
        #expect(
            record.ingredients == [
                Ingredient(
                    name: "Acetylcysteine",
                    strength: Strength(
                        text: "1gm/5ml", value: 1, unit: "g", per: Strength.Quantity(value: 5, unit: "ml")))
            ])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .note, .sideEffects, .howItWorks, .faqs, .disclaimer, .note,
            ])
        #expect(record.sections.map(\.line) == [9, 11, 18, 21, 38, 43, 52, 55])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(
            record.section(.usage)?.markdown.hasPrefix("Acetylcysteine 1g/5ml solution is primarily used for:") == true)
        #expect(record.section(.note)?.markdown.hasPrefix("The specific usage will be determined by a doctor") == true)
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Is it safe to take Acetylcysteine without a doctor's prescription?")
        #expect(record.faqs.first?.answer.hasPrefix("No.  Especially in the context of paracetamol overdose") == true)
        #expect(record.faqs.last?.question == "What are the signs of an allergic reaction?")
        #expect(record.faqs.last?.answer.hasPrefix("Signs include rash, itching, swelling") == true)
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    @Test("v1 generic with IU and doubled spaces in the title: aceclofenac + paracetamol + trypsin chymotrypsin 5000IU")
    func aceclofenacTrypsinChymotrypsin() throws {
        let record = try monograph(
            "rxhive-v1/generic/aceclofenac-100mg-paracetamol-325mg-trypsin-chymotrypsin-5000iu.md")
        #expect(record.title == "Aceclofenac 100mg  + Paracetamol 325mg  + Trypsin Chymotrypsin 5000IU")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients == [
                Ingredient(name: "Aceclofenac", strength: Strength(text: "100mg", value: 100, unit: "mg")),
                Ingredient(name: "Paracetamol", strength: Strength(text: "325mg", value: 325, unit: "mg")),
                Ingredient(name: "Trypsin Chymotrypsin", strength: Strength(text: "5000IU", value: 5000, unit: "iu")),
            ])
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [9, 11, 21, 37, 44, 54, 57])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(
            record.section(.genericName)?.markdown
                == "Aceclofenac 100mg + Paracetamol 325mg + Trypsin Chymotrypsin 5000IU")
        #expect(record.faqs.count == 6)
        #expect(record.faqs.first?.question == "Can I take this medication with other drugs?")
        #expect(
            record.faqs.first?.answer.hasPrefix("Always inform your doctor or pharmacist about all medications") == true
        )
        #expect(record.faqs.map(\.question).contains("Who shouldn't take this medication?"))
        #expect(record.faqs.last?.question == "What are the symptoms of an overdose?")
        #expect(record.faqs.last?.answer.hasPrefix("Symptoms of an overdose can include nausea") == true)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
    }

    @Test("v1 generic cut off mid-answer, with no disclaimer: afatinib dimaleate 30mg")
    func afatinibTruncated() throws {
        let record = try monograph("rxhive-v1/generic/afatinib-dimaleate-30mg.md")
        #expect(record.title == "Afatinib dimaleate 30mg")
        #expect(record.kind == .single)
        #expect(
            record.ingredients == [
                Ingredient(name: "Afatinib dimaleate", strength: Strength(text: "30mg", value: 30, unit: "mg"))
            ])
        #expect(record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .note])
        #expect(record.sections.map(\.line) == [9, 11, 13, 29, 31, 39])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(record.faqs.count == 3)
        #expect(record.faqs.first?.question == "How is afatinib taken?")
        #expect(record.faqs.first?.answer.hasPrefix("Afatinib is typically taken orally once daily") == true)
        // The generator stopped mid-sentence: the answer is what was written, no more.
        #expect(record.faqs.last?.question == "What should I do if I miss a dose?")
        #expect(record.faqs.last?.answer == "If you miss a dose, take")
        #expect(record.disclaimer == nil)
    }

    @Test("v1 generic in the older format (layout: default, no H1): ringers_lactate")
    func ringersLactate() throws {
        let page = try CorpusFixture.parse("rxhive-v1/generic/ringers_lactate.md")
        let record = page.monograph
        #expect(page.titleHeading == nil)
        #expect(record.id == "generic/ringers_lactate")
        #expect(record.slug == "ringers_lactate")
        #expect(record.title == "Lactated Ringer")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Lactated Ringer", strength: nil)])
        #expect(
            record.sections.map(\.kind) == [.genericName, .usage, .sideEffects, .howItWorks, .faqs, .disclaimer, .note])
        #expect(record.sections.map(\.line) == [6, 8, 15, 23, 26, 34, 37])
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(
            record.section(.genericName)?.markdown
                == "Lactated Ringer's Solution (also sometimes just called Ringer's Lactate)")
        #expect(record.faqs.count == 4)
        #expect(record.faqs.first?.question == "Is Lactated Ringer's the same as Normal Saline?")
        #expect(
            record.faqs.first?.answer.hasPrefix("No, while both are IV fluids, they have different compositions.")
                == true)
        #expect(record.faqs.last?.question == "What if I have an allergic reaction?")
        #expect(record.faqs.last?.answer.hasPrefix("Stop the infusion immediately and seek medical attention.") == true)
        #expect(
            record.disclaimer?.hasPrefix("This information is for general knowledge and educational purposes only")
                == true)
    }

    // MARK: - v1 compositions

    @Test("v1 composition with ### headings: paracetamol")
    func paracetamol() throws {
        let record = try monograph("rxhive-v1/composition/p/paracetamol.md")
        #expect(record.id == "composition/paracetamol")
        #expect(record.slug == "paracetamol")
        #expect(record.collection == "composition")
        #expect(record.source.path == "composition/p/paracetamol.md")
        #expect(record.title == "Paracetamol")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Paracetamol", strength: nil)])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 10, 16, 34, 42, 47, 57, 66])
        #expect(record.source.headingStyle == .heading)
        #expect(record.section(.genericName)?.markdown == "Paracetamol (also known as Acetaminophen)")
        // `**Important Note:**` (line 31) is part of Dosage, not a section.
        #expect(
            record.section(.dosage)?.markdown.contains("**Important Note:** Never exceed the recommended dose.") == true
        )
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I take paracetamol with other pain relievers?")
        #expect(record.faqs.first?.answer.hasPrefix("It's generally advisable to avoid combining paracetamol") == true)
        #expect(record.faqs.last?.question == "Is paracetamol addictive?")
        #expect(record.faqs.last?.answer == "No, paracetamol is not considered an addictive substance.")
        #expect(record.disclaimer?.hasPrefix("This information is for general knowledge") == true)
    }

    @Test("v1 composition with text on the heading line (### Usage: text), five ingredient groups")
    func caffeineCetirizineNimesulideParacetamolPhenylephrine() throws {
        let record = try monograph(
            "rxhive-v1/composition/c/caffeine-cetirizine-nimesulide-paracetamol-phenylephrine.md")
        #expect(record.title == "Caffeine + Cetirizine + Nimesulide + Paracetamol + Phenylephrine")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients.map(\.name) == ["Caffeine", "Cetirizine", "Nimesulide", "Paracetamol", "Phenylephrine"])
        #expect(record.ingredients.allSatisfy { $0.strength == nil })
        // Each ingredient's group opens with a bold label alone on its line (`**1. Caffeine:**`),
        // which starts an `other` section as a per-ingredient heading would.
        let group: [SectionKind] = [.other, .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions]
        #expect(record.sections.map(\.kind) == group + group + group + group + group + [SectionKind.disclaimer])
        #expect(
            record.sections.map(\.line) == [
                11, 13, 15, 17, 19, 21, 23,
                25, 27, 29, 31, 33, 35, 37,
                39, 41, 43, 45, 47, 49, 51,
                54, 56, 58, 60, 62, 64, 66,
                69, 71, 73, 75, 77, 79, 81,
                84,
            ])
        #expect(
            record.sections.filter { $0.kind == .other }.map(\.heading) == [
                "1. Caffeine", "2. Cetirizine", "3. Nimesulide", "4. Paracetamol (Acetaminophen)", "5. Phenylephrine",
            ])
        #expect(record.source.headingStyle == .heading)
        #expect(at(record.sections, 1)?.heading == "Generic Name")
        #expect(at(record.sections, 1)?.markdown == "Caffeine")
        #expect(at(record.sections, 2)?.heading == "Usage")
        #expect(
            at(record.sections, 2)?.markdown.hasPrefix("Caffeine is a central nervous system stimulant primarily used")
                == true)
        #expect(at(record.sections, 22)?.markdown == "Paracetamol (Acetaminophen)")
        #expect(at(record.sections, 34)?.markdown.hasPrefix("Use cautiously with heart conditions") == true)
        // The group label no longer trails the previous group's Precautions.
        #expect(at(record.sections, 6)?.markdown.contains("Cetirizine") == false)
        #expect(record.faqs.isEmpty)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
    }

    @Test("v1 composition with `### Usage:` (colon, text below) in two ingredient groups: metformin + voglibose")
    func metforminVoglibose() throws {
        let record = try monograph("rxhive-v1/composition/m/metformin-voglibose.md")
        // The title as published carries a stray " ." (five such pages); it is kept as written...
        #expect(record.title == "Metformin + Voglibose .")
        #expect(record.kind == .combination)
        // ...but the stray dot is no part of an ingredient's name.
        #expect(record.ingredients.map(\.name) == ["Metformin", "Voglibose"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 11, 13, 17, 29, 37, 42, 49, 51, 56, 63, 71, 76, 88, 101])
        #expect(record.sections.filter { $0.kind == .other }.map(\.heading) == ["Metformin", "Voglibose"])
        #expect(record.source.headingStyle == .heading)
        #expect(at(record.sections, 2)?.heading == "Usage")
        #expect(
            at(record.sections, 2)?.markdown.hasPrefix("Metformin is a first-line treatment for type 2 diabetes.")
                == true)
        #expect(at(record.sections, 8)?.markdown.hasPrefix("Voglibose is an alpha-glucosidase inhibitor") == true)
        #expect(at(record.sections, 13)?.heading == "FAQs (Combined Therapy)")
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I take Metformin and Voglibose at the same time?")
        #expect(record.faqs.first?.answer.hasPrefix("Yes, but only under the direction of a doctor.") == true)
        #expect(
            record.faqs.last?.question
                == "Are there any specific dietary recommendations when taking these medications?")
        #expect(record.faqs.last?.answer.hasPrefix("A balanced diet and regular exercise are important") == true)
        #expect(record.disclaimer?.hasPrefix("This information is intended for educational purposes only") == true)
    }

    @Test("v1 composition with qualified headings: ### Usage (Individual Components)")
    func pseudoephedrineTerfenadine() throws {
        let record = try monograph("rxhive-v1/composition/p/pseudoephedrine-terfenadine.md")
        #expect(record.title == "Pseudoephedrine + Terfenadine")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Pseudoephedrine", "Terfenadine"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [10, 14, 20, 29, 36, 43, 49, 66])
        #expect(
            record.sections.map(\.heading) == [
                "Generic Name", "Usage (Individual Components)",
                "Dosage (Individual Components - Obsolete Combination)",
                "Side Effects (Individual Components)", "How it Works (Individual Components)",
                "Precautions (Individual Components)", "FAQs (Individual Components)", "Disclaimer",
            ])
        #expect(record.source.headingStyle == .heading)
        // `### Generic Name:  text` keeps the text on the heading line, then the paragraph below.
        #expect(
            record.section(.genericName)?.markdown.hasPrefix(
                "Pseudoephedrine + Terfenadine (Combination No Longer Available)") == true)
        #expect(record.section(.genericName)?.markdown.hasSuffix("as the combination is obsolete.") == true)
        // Five pairs under two `**Regarding ...:**` group labels.
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I take pseudoephedrine if I'm pregnant or breastfeeding?")
        #expect(
            record.faqs.first?.answer
                == "Consult your doctor before using pseudoephedrine during pregnancy or breastfeeding.")
        #expect(
            record.faqs.map(\.question) == [
                "Can I take pseudoephedrine if I'm pregnant or breastfeeding?",
                "How long can I take pseudoephedrine?",
                "What should I do if I miss a dose?",
                "Is terfenadine still available?",
                "What are safer alternatives to terfenadine?",
            ])
        #expect(record.faqs.last?.answer.hasPrefix("Numerous safer antihistamines are available") == true)
        #expect(record.disclaimer?.hasPrefix("This information is intended for educational purposes only") == true)
    }

    @Test("v1 composition mixing ### per-ingredient headings, bold labels and ### FAQs (Combined Use)")
    func benidipineMetoprolol() throws {
        let record = try monograph("rxhive-v1/composition/b/benidipine-metoprolol-succinate.md")
        #expect(record.title == "Benidipine + Metoprolol Succinate")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Benidipine", "Metoprolol Succinate"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 11, 13, 16, 19, 25, 28, 36, 38, 41, 44, 50, 53, 61, 66, 79])
        #expect(
            record.sections.filter { $0.kind == .other }.map(\.heading) == [
                "Benidipine", "Metoprolol Succinate", "Combined Use of Benidipine and Metoprolol Succinate",
            ])
        #expect(record.section(.faqs)?.heading == "FAQs (Combined Use)")
        #expect(record.source.headingStyle == .mixed)
        #expect(record.section(.genericName)?.markdown.hasPrefix("Benidipine + Metoprolol Succinate") == true)
        #expect(at(record.sections, 2)?.markdown.hasPrefix("Benidipine is a calcium channel blocker") == true)
        #expect(at(record.sections, 8)?.markdown.hasPrefix("Metoprolol Succinate is a beta-blocker") == true)
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I take these medications together without a doctor's prescription?")
        #expect(record.faqs.first?.answer.hasPrefix("No, absolutely not.") == true)
        #expect(record.faqs.last?.question == "Can I stop taking these medications suddenly?")
        #expect(record.faqs.last?.answer.hasPrefix("No, you should never stop taking either medication") == true)
        #expect(
            record.disclaimer?.hasPrefix("This information is for educational purposes only and is not a substitute")
                == true)
    }

    @Test("v1 composition with ### Generic Name (Not Applicable) and other qualified headings")
    func fibrinogenThrombin() throws {
        let record = try monograph("rxhive-v1/composition/f/fibrinogen-thrombin.md")
        #expect(record.title == "Fibrinogen + Thrombin")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Fibrinogen", "Thrombin"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [9, 14, 21, 26, 31, 44, 51, 60])
        #expect(
            record.sections.map(\.heading) == [
                "Generic Name (Not Applicable)", "Usage", "Dosage (Not Applicable)",
                "Side Effects (Not Applicable as a combined medication)", "How it Works", "Precautions", "FAQs",
                "Disclaimer",
            ])
        #expect(record.source.headingStyle == .heading)
        #expect(
            record.section(.genericName)?.markdown.hasPrefix(
                "Fibrinogen and Thrombin are not a single generic medication.") == true)
        #expect(record.section(.howItWorks)?.markdown.contains("4. **Fibrin Polymerization:**") == true)
        #expect(record.faqs.count == 3)
        #expect(record.faqs.first?.question == "Can I take fibrinogen or thrombin as a supplement?")
        #expect(
            record.faqs.first?.answer.hasPrefix("No. Fibrinogen and thrombin are not available as dietary supplements")
                == true)
        #expect(record.faqs.last?.question == "What are the risks of uncontrolled thrombin activity?")
        #expect(
            record.faqs.last?.answer.hasPrefix(
                "Uncontrolled thrombin activity can result in widespread blood clot formation") == true)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
    }

    @Test("v1 composition with per-ingredient ### headings over bold labels: mebeverine + chlordiazepoxide")
    func mebeverineChlordiazepoxide() throws {
        let record = try monograph("rxhive-v1/composition/m/mebeverine-chlordiazepoxide.md")
        #expect(record.title == "Mebeverine + Chlordiazepoxide")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Mebeverine", "Chlordiazepoxide"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .faqs,
            ])
        #expect(record.sections.map(\.line) == [10, 15, 17, 19, 21, 23, 25, 28, 30, 32, 34, 36, 38, 42, 47])
        #expect(
            record.sections.filter { $0.kind == .other }.map(\.heading) == [
                "Mebeverine", "Chlordiazepoxide", "Mebeverine + Chlordiazepoxide (Combination)",
            ])
        #expect(
            record.section(.faqs)?.heading
                == "FAQs (This section is for both Mebeverine and Chlordiazepoxide individually, as the combination is not standard)"
        )
        #expect(record.source.headingStyle == .mixed)
        #expect(at(record.sections, 2)?.markdown.hasPrefix("Mebeverine is an antispasmodic medication") == true)
        #expect(at(record.sections, 8)?.markdown.hasPrefix("Chlordiazepoxide is a benzodiazepine") == true)
        // Five pairs under the `**Mebeverine:**` and `**Chlordiazepoxide:**` group labels.
        #expect(
            record.faqs.map(\.question) == [
                "Can I take Mebeverine with other medications?",
                "How long can I take Mebeverine?",
                "Can I stop taking Chlordiazepoxide suddenly?",
                "Can I drink alcohol while taking Chlordiazepoxide?",
                "Is Chlordiazepoxide habit-forming?",
            ])
        #expect(
            record.faqs.first?.answer.hasPrefix(
                "Inform your doctor about all medications, supplements, and herbal remedies") == true)
        // The last answer is the list item on line 59; the unlabelled closing paragraph on
        // line 62 ("Remember to always consult ...") is outside the list and answers nothing.
        #expect(
            record.faqs.last?.answer
                == "Benzodiazepines like Chlordiazepoxide can be habit-forming, particularly with long-term use.  It is crucial to follow your doctor's instructions and only take it as prescribed."
        )
        #expect(record.disclaimer == nil)
    }

    @Test("v1 composition with per-ingredient ### headings and **FAQs** (qualifier): etoricoxib + vitamin D")
    func etoricoxibVitaminD() throws {
        let record = try monograph("rxhive-v1/composition/e/etoricoxib-vitamin-d.md")
        #expect(record.title == "Etoricoxib + Vitamin D")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Etoricoxib", "Vitamin D"])
        #expect(
            record.sections.map(\.kind) == [
                .other, .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions,
                .other, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [9, 11, 13, 15, 18, 23, 26, 29, 31, 33, 35, 38, 40, 43, 46, 50, 57])
        #expect(
            record.sections.filter { $0.kind == .other }.map(\.heading) == [
                "Etoricoxib", "Vitamin D", "Combined Use of Etoricoxib and Vitamin D",
            ])
        #expect(record.section(.faqs)?.heading == "FAQs (Addressing both Etoricoxib and Vitamin D)")
        // Canonical sections are all bold labels; the ### headings only group them.
        #expect(record.source.headingStyle == .inlineLabel)
        #expect(at(record.sections, 1)?.markdown == "Etoricoxib")
        #expect(at(record.sections, 8)?.markdown == "Cholecalciferol (Vitamin D3) or Ergocalciferol (Vitamin D2)")
        #expect(record.faqs.count == 3)
        #expect(
            record.faqs.first?.question
                == "Can I take etoricoxib and vitamin D supplements together without a doctor's advice?")
        #expect(
            record.faqs.first?.answer == "No.  Always consult your doctor before combining medications or supplements.")
        #expect(record.faqs.last?.question == "What should I do if I experience side effects?")
        #expect(record.faqs.last?.answer == "Contact your doctor immediately.")
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    @Test("v1 AI refusal without any section: valdecoxib + tizanidine")
    func valdecoxibTizanidineRefusal() throws {
        let record = try monograph("rxhive-v1/composition/v/valdecoxib-tizanidine.md")
        #expect(record.id == "composition/valdecoxib-tizanidine")
        #expect(record.title == "Valdecoxib + Tizanidine")
        #expect(record.kind == .combination)
        #expect(record.ingredients == [Ingredient(name: "Valdecoxib"), Ingredient(name: "Tizanidine")])
        #expect(record.sections.isEmpty)
        #expect(record.source.headingStyle == HeadingStyle.none)
        #expect(record.faqs.isEmpty)
        #expect(record.disclaimer == nil)
    }

    @Test("v1 AI refusal whose bold list labels are no sections: benzocaine + chlorbutol + ...")
    func benzocaineRefusal() throws {
        let record = try monograph(
            "rxhive-v1/composition/b/benzocaine-chlorbutol-paradichlorobenzene-turpentine-oil.md")
        #expect(record.title == "Benzocaine + Chlorbutol + Paradichlorobenzene + Turpentine Oil")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients.map(\.name) == ["Benzocaine", "Chlorbutol", "Paradichlorobenzene", "Turpentine Oil"])
        #expect(record.sections.isEmpty)
        #expect(record.source.headingStyle == HeadingStyle.none)
        #expect(record.faqs.isEmpty)
        #expect(record.disclaimer == nil)
    }

    @Test("v1 FAQs as **Q:** and **A:** paragraphs separated by blank lines: xamoterol")
    func xamoterol() throws {
        let record = try monograph("rxhive-v1/composition/x/xamoterol.md")
        #expect(record.title == "Xamoterol")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Xamoterol")])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 10, 14, 24, 38, 43, 72, 91])
        #expect(record.source.headingStyle == .heading)
        // Bold sub-labels inside ### Precautions stay in it.
        #expect(
            record.section(.precautions)?.markdown.hasPrefix("**Contraindications:** Xamoterol is contraindicated")
                == true)
        #expect(record.section(.precautions)?.markdown.contains("**Drug Interactions:**") == true)
        #expect(record.section(.precautions)?.markdown.contains("**Pregnancy and Lactation:**") == true)
        #expect(
            record.faqs.map(\.question) == [
                "Can I stop taking Xamoterol suddenly?",
                "What should I do if I miss a dose?",
                "How should I store Xamoterol?",
                "Is Xamoterol right for me?",
            ])
        #expect(record.faqs.first?.answer.hasPrefix("No. Abruptly stopping Xamoterol can be harmful.") == true)
        #expect(
            record.faqs.last?.answer.hasPrefix(
                "Only a healthcare professional can determine if Xamoterol is appropriate") == true)
        #expect(record.faqs.last?.answer.hasSuffix("before starting any new medication.") == true)
        #expect(record.disclaimer?.hasPrefix("*This information is intended for educational purposes only") == true)
    }

    @Test("v1 FAQs as **Q:** and **A:** on consecutive lines of one paragraph: bromfenac + moxifloxacin")
    func bromfenacMoxifloxacin() throws {
        let record = try monograph("rxhive-v1/composition/b/bromfenac-moxifloxacin.md")
        #expect(record.title == "Bromfenac + Moxifloxacin")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Bromfenac", "Moxifloxacin"])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 15, 25, 38, 70, 78, 90, 109])
        #expect(record.source.headingStyle == .heading)
        #expect(
            record.section(.genericName)?.markdown.hasPrefix(
                "Bromfenac + Moxifloxacin (Combination not typically found") == true)
        #expect(
            record.section(.usage)?.markdown.hasPrefix("**Bromfenac:** This is a nonsteroidal anti-inflammatory drug")
                == true)
        #expect(
            record.faqs == [
                FAQ(
                    question: "Can I use Bromfenac and Moxifloxacin together without a doctor's prescription?",
                    answer: "No.  Always consult a doctor before using these medications, especially together."),
                FAQ(
                    question: "How should I store these medications?",
                    answer: "Follow the storage instructions on the product labels."),
                FAQ(
                    question: "Are there any food or drug interactions I should be aware of?",
                    answer:
                        "Always inform your doctor or pharmacist of all medications, supplements and food you are consuming to minimize the possibility of unexpected reactions."
                ),
                FAQ(
                    question: "What should I do if I miss a dose?",
                    answer: "Contact your doctor or pharmacist for advice; never double the dose."),
            ])
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    @Test("v1 FAQs as * **Q:** items with nested * **A:** items: benzathine penicillin G")
    func benzathinePenicillin() throws {
        let record = try monograph("rxhive-v1/composition/b/benzathine-penicillin-g.md")
        #expect(record.title == "Benzathine penicillin G")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Benzathine penicillin G")])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 10, 20, 32, 48, 52, 61, 78])
        #expect(record.source.headingStyle == .heading)
        #expect(record.section(.genericName)?.markdown == "Benzathine Penicillin G")
        #expect(record.faqs.count == 5)
        #expect(record.faqs.first?.question == "Can I take benzathine penicillin G orally?")
        #expect(
            record.faqs.first?.answer == "No, benzathine penicillin G is only available as an intramuscular injection.")
        #expect(record.faqs.last?.question == "Is benzathine penicillin G safe for children?")
        #expect(
            record.faqs.last?.answer.hasPrefix("Yes, but the dosage must be carefully determined by a physician")
                == true)
        #expect(record.disclaimer?.hasPrefix("This information is for educational purposes only") == true)
    }

    @Test("v1 FAQs as * **Question?** answer: bromocriptine")
    func bromocriptine() throws {
        let record = try monograph("rxhive-v1/composition/b/bromocriptine.md")
        #expect(record.title == "Bromocriptine")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Bromocriptine")])
        #expect(
            record.sections.map(\.kind) == [
                .genericName, .usage, .dosage, .sideEffects, .howItWorks, .precautions, .faqs, .disclaimer,
            ])
        #expect(record.sections.map(\.line) == [7, 10, 15, 35, 50, 55, 61, 71])
        #expect(record.source.headingStyle == .heading)
        #expect(record.section(.dosage)?.markdown.contains("**Administration:**") == true)
        #expect(record.faqs.count == 6)
        #expect(
            record.faqs.first
                == FAQ(
                    question: "Can I take Bromocriptine with food?",
                    answer: "Yes, taking it with food can help minimize gastrointestinal upset."))
        #expect(
            at(record.faqs, 3)
                == FAQ(
                    question: "Is Bromocriptine safe during pregnancy?",
                    answer: "No, it is contraindicated during pregnancy."))
        #expect(
            record.faqs.last
                == FAQ(
                    question: "What if I experience severe side effects?", answer: "Seek immediate medical attention."))
        #expect(
            record.disclaimer?.hasPrefix(
                "This information is for general knowledge and does not constitute medical advice.") == true)
    }

    // MARK: - v2 pages

    @Test("v2 composition with ## **Usage** bold headings, ###/#### subsections and ### **Q1: ...** FAQs")
    func deoxyGlucose() throws {
        let record = try monograph("rxhive-v2/compositions/2-deoxy-d-glucose.md")
        #expect(record.id == "compositions/2-deoxy-d-glucose")
        #expect(record.slug == "2-deoxy-d-glucose")
        #expect(record.collection == "compositions")
        #expect(record.title == "2-Deoxy-D-Glucose")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "2-Deoxy-D-Glucose", strength: nil)])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .popularCombinations, .precautions, .faqs,
            ])
        #expect(record.sections.map(\.line) == [85, 91, 96, 105, 129, 150, 155, 160, 166, 177, 182, 188])
        #expect(record.section(.faqs)?.heading == "FAQs (Frequently Asked Questions)")
        #expect(record.source.headingStyle == .boldHeading)
        // `### **Standard Dosage**` and `#### **Adults:** ...` are parts of Dosage.
        #expect(record.section(.dosage)?.markdown.hasPrefix("### **Standard Dosage**") == true)
        #expect(
            record.section(.dosage)?.markdown.contains("#### **Adults:** Dosages have varied in clinical trials.")
                == true)
        #expect(record.section(.sideEffects)?.markdown.contains("### **Adverse Drug Reactions (ADR)**") == true)
        #expect(record.section(.alternateNames)?.markdown.hasPrefix("- 2-DG") == true)
        // Body pairs win over the front matter's debris-laden `faqs:`.
        #expect(record.faqs.count == 9)
        #expect(record.faqs.first?.question == "What is the recommended dosage for 2-Deoxy-D-Glucose?")
        #expect(
            record.faqs.first?.answer
                == "2-DG does not have a standardized recommended dosage for therapeutic use. Dosages used in research settings vary depending on the condition being studied."
        )
        #expect(at(record.faqs, 4)?.question == "Are there any serious side effects to be aware of?")
        #expect(at(record.faqs, 6)?.answer == "Drug interactions are not well-characterized.")
        #expect(record.faqs.last?.question == "What should be monitored in patients receiving 2-DG?")
        #expect(record.faqs.last?.answer == "ECG for QTc prolongation, blood glucose levels, and cardiac function.")
        #expect(record.disclaimer == nil)
        #expect(record.flags.banned == false)
        #expect(record.lastModified == "2025-09-22T17:21:52.075Z")
        #expect(
            record.description?.hasPrefix("- 2-Deoxy-D-glucose (2-DG) is primarily used as an imaging agent") == true)
    }

    @Test("v2 composition with numbered **Q1: ...** bold paragraphs and **A:** on the next line: beta-cyclodextrin")
    func betaCyclodextrin() throws {
        let record = try monograph("rxhive-v2/compositions/beta-cyclodextrin.md")
        #expect(record.title == "Beta-Cyclodextrin")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Beta-Cyclodextrin")])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .popularCombinations, .precautions, .faqs,
            ])
        #expect(record.sections.map(\.line) == [11, 15, 25, 38, 43, 48, 53, 58, 63, 74, 79, 84])
        #expect(record.source.headingStyle == .boldHeading)
        // Bold sub-labels inside a v2 section stay in it.
        #expect(
            record.section(.summary)?.markdown.hasPrefix("**Mechanism of Action:** Forms inclusion complexes") == true)
        #expect(record.section(.summary)?.markdown.contains("**Drug Interactions:** Can alter the absorption") == true)
        #expect(record.faqs.count == 9)
        #expect(record.faqs.first?.question == "What is the role of beta-cyclodextrin in drug formulations?")
        #expect(
            record.faqs.first?.answer.hasPrefix(
                "It acts as an excipient to enhance solubility, stability, and bioavailability") == true)
        #expect(
            at(record.faqs, 2)
                == FAQ(
                    question: "Is beta-cyclodextrin safe?",
                    answer: "Generally considered safe, with diarrhea as a potential side effect at high doses."))
        #expect(record.faqs.last?.question == "What types of modified beta-cyclodextrins are available?")
        #expect(record.faqs.last?.answer.hasPrefix("HP-β-CD (hydroxypropyl-beta-cyclodextrin) and SBE-β-CD") == true)
        #expect(record.disclaimer == nil)
        #expect(record.lastModified == "2025-09-22T17:21:52.390Z")
    }

    @Test("v2 composition with plain ## headings and plain ### Q1: FAQ headings: garenoxacin")
    func garenoxacin() throws {
        let record = try monograph("rxhive-v2/compositions/garenoxacin.md")
        #expect(record.title == "Garenoxacin")
        #expect(record.kind == .single)
        #expect(record.ingredients == [Ingredient(name: "Garenoxacin")])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .faqs,
            ])
        #expect(record.sections.map(\.line) == [115, 122, 127, 135, 162, 185, 197, 209, 215, 234])
        #expect(record.source.headingStyle == .heading)
        #expect(record.section(.dosage)?.markdown.hasPrefix("### Standard Dosage") == true)
        #expect(record.faqs.count == 10)
        #expect(record.faqs.first?.question == "What is the recommended dosage for Garenoxacin?")
        #expect(record.faqs.first?.answer.hasPrefix("The standard adult dose is 400 mg once daily.") == true)
        #expect(
            at(record.faqs, 4)?.question == "What are the important drug interactions to consider with Garenoxacin?")
        #expect(record.faqs.last?.question == "What are the key monitoring parameters during Garenoxacin therapy?")
        #expect(
            record.faqs.last?.answer
                == "Monitor renal function, liver function, signs of tendonitis, and the QT interval.")
        #expect(record.disclaimer == nil)
    }

    @Test(
        "v2 combination with numbered **Q1:** question lines and **A:** answers: ambroxol + cetirizine + paracetamol + phenylephrine"
    )
    func ambroxolCetirizineParacetamolPhenylephrine() throws {
        let record = try monograph("rxhive-v2/combinations/ambroxol-cetirizine-paracetamol-phenylephrine.md")
        #expect(record.id == "combinations/ambroxol-cetirizine-paracetamol-phenylephrine")
        #expect(record.collection == "combinations")
        #expect(record.title == "Ambroxol + Cetirizine + Paracetamol + Phenylephrine")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Ambroxol", "Cetirizine", "Paracetamol", "Phenylephrine"])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .precautions, .faqs,
            ])
        #expect(record.sections.map(\.line) == [11, 26, 31, 45, 64, 76, 81, 86, 91, 96, 100])
        // A combined heading counts as the section the site requires (Precautions).
        #expect(at(record.sections, 9)?.heading == "Popular Combinations and Precautions")
        #expect(record.source.headingStyle == .boldHeading)
        #expect(record.faqs.count == 9)
        #expect(
            record.faqs.first
                == FAQ(
                    question: "What is the recommended dosage?",
                    answer: "Refer to the Dosage section and consult a doctor."))
        #expect(
            at(record.faqs, 4)
                == FAQ(
                    question: "Does this medicine cause drowsiness?",
                    answer: "Yes, drowsiness is a common side effect due to cetirizine."))
        #expect(
            record.faqs.last
                == FAQ(
                    question: "How long can I use this medicine?",
                    answer: "Use as directed by the doctor. Avoid prolonged use without medical advice."))
        #expect(record.disclaimer == nil)
    }

    @Test("v2 combination with ### **Q1: ...** FAQs, one with an asterisk inside the bold: abacavir + lamivudine")
    func abacavirLamivudineV2() throws {
        let record = try monograph("rxhive-v2/combinations/abacavir-lamivudine.md")
        #expect(record.title == "Abacavir + Lamivudine")
        #expect(record.kind == .combination)
        #expect(record.ingredients == [Ingredient(name: "Abacavir"), Ingredient(name: "Lamivudine")])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .popularCombinations, .precautions, .faqs,
            ])
        #expect(record.sections.map(\.line) == [127, 131, 135, 150, 176, 194, 199, 210, 215, 232, 237, 251])
        #expect(record.source.headingStyle == .boldHeading)
        #expect(record.faqs.count == 9)
        #expect(record.faqs.first?.question == "What is the recommended dosage for Abacavir + Lamivudine?")
        #expect(
            record.faqs.first?.answer.hasPrefix("One 600mg/300mg tablet once daily for adults and adolescents") == true)
        #expect(at(record.faqs, 5)?.question == "What is the role of HLA-B*5701 testing?")
        #expect(
            at(record.faqs, 5)?.answer.hasPrefix(
                "All patients must be screened for the HLA-B*5701 allele before starting abacavir.") == true)
        #expect(record.faqs.last?.question == "What patient education is crucial when prescribing this medication?")
        #expect(
            record.faqs.last?.answer.hasPrefix(
                "Educate patients about the signs and symptoms of a hypersensitivity reaction") == true)
        #expect(record.disclaimer == nil)
        #expect(record.lastModified == "2025-09-22T17:22:07.650Z")
    }

    @Test("v2 combination whose FAQ questions have no answers anywhere: camphor + diclofenac + ...")
    func camphorDiclofenacNoAnswers() throws {
        let record = try monograph(
            "rxhive-v2/combinations/camphor-diclofenac-eucalyptusoil-linseedoil-menthol-methylsalicylate.md")
        // A folded (`>-`) YAML title on two lines.
        #expect(record.title == "Camphor + Diclofenac + Eucalyptus Oil + Linseed Oil + Menthol + Methyl Salicylate")
        #expect(record.kind == .combination)
        #expect(
            record.ingredients.map(\.name) == [
                "Camphor", "Diclofenac", "Eucalyptus Oil", "Linseed Oil", "Menthol", "Methyl Salicylate",
            ])
        #expect(
            record.sections.map(\.kind) == [
                .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
                .pregnancy, .summary, .popularCombinations, .precautions, .faqs,
            ])
        #expect(record.sections.map(\.line) == [32, 46, 56, 74, 103, 126, 133, 140, 144, 148, 152, 156])
        #expect(record.source.headingStyle == .boldHeading)
        #expect(record.section(.summary)?.markdown == "(See information above)")
        #expect(record.section(.precautions)?.markdown == "(See information above)")
        // Nine questions in front matter (all `a: ''`) and nine ### **Qn: ...** headings with no answer.
        #expect(record.faqs.isEmpty)
        #expect(record.disclaimer == nil)
    }

    @Test(
        "v2 combination with per-ingredient ## headings and front-matter faqs that are section debris: alprazolam + sertindole"
    )
    func alprazolamSertindole() throws {
        let record = try monograph("rxhive-v2/combinations/alprazolam-sertindole.md")
        #expect(record.title == "Alprazolam + Sertindole")
        #expect(record.kind == .combination)
        #expect(record.ingredients.map(\.name) == ["Alprazolam", "Sertindole"])
        let group: [SectionKind] = [
            .usage, .alternateNames, .howItWorks, .dosage, .sideEffects, .contraindications, .interactions,
            .pregnancy, .summary, .popularCombinations, .precautions, .faqs,
        ]
        #expect(record.sections.map(\.kind) == [SectionKind.other] + group + [SectionKind.other] + group)
        #expect(
            record.sections.map(\.line) == [
                188, 190, 195, 199, 205, 222, 234, 240, 246, 250, 253, 255, 257,
                261, 264, 270, 276, 284, 309, 322, 329, 335, 340, 343, 346, 353,
            ])
        #expect(record.sections.filter { $0.kind == .other }.map(\.heading) == ["Alprazolam", "Sertindole"])
        #expect(record.source.headingStyle == .boldHeading)
        #expect(at(record.sections, 10)?.markdown.hasPrefix("Alprazolam is generally not combined") == true)
        // Both ## **FAQs** sections only point back to the sections above. The front matter's
        // `faqs:` entries are fragments of the Dosage and Side Effects sections ("Standard Dosage",
        // "Adults:** * Initial dose: 4 mg ...", "Dosage Adjustments:** ... ## **Side Effects"),
        // not questions: no clean pair exists on this page.
        #expect(record.faqs.isEmpty)
        #expect(record.disclaimer == nil)
    }

    @Test("v2 brand page: crocin-650 points at paracetamol")
    func crocin650() throws {
        let record = try monograph("rxhive-v2/medicines/crocin-650.md")
        #expect(record.id == "medicines/crocin-650")
        #expect(record.slug == "crocin-650")
        #expect(record.collection == "medicines")
        #expect(record.title == "Crocin 650")
        #expect(record.kind == .brand)
        #expect(
            record.ingredients == [
                Ingredient(name: "Paracetamol", strength: Strength(text: "650 mg", value: 650, unit: "mg"))
            ])
        #expect(
            record.product
                == Product(
                    genericSlug: "paracetamol", company: "GlaxoSmithKline", strength: "650 mg", packSize: "10 tablets",
                    mrp: 50))
        #expect(record.product?.targetSlug == "paracetamol")
        #expect(record.sections.isEmpty)
        #expect(record.source.headingStyle == HeadingStyle.none)
        #expect(
            record.faqs == [
                FAQ(
                    question: "What is Crocin 650 used for?",
                    answer: "Crocin 650 is used for relief from fever and pain."),
                FAQ(
                    question: "Can I take Crocin 650 on an empty stomach?",
                    answer: "It is generally safe but taking with food may reduce stomach upset."),
            ])
        #expect(record.disclaimer == nil)
        #expect(record.lastModified == "2025-09-22")
    }
}
