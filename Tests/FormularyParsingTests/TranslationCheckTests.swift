import FormularyModel
import Foundation
import FormularyTestSupport
import Testing

@testable import FormularyParsing

/// Pages of a made-up medicine and translations of them, good and bad.
private enum Pages {
    static let hindiName = "एग्ज़ाम्पलामॉल"

    static let english = """
        ---
        title: "Examplamol"
        ---

        ### Usage
        Examplamol eases pain and fever.

        ### Dosage
        1. Adults: 500 mg every 4 to 6 hours.
        2. At most 4 g a day.

        """

    static let hindiUsage = "\(hindiName) (Examplamol) दर्द और बुखार कम करती है।"
    static let hindiDosage = "1. वयस्क: हर 4 से 6 घंटे में 500 mg।\n2. दिन में अधिकतम 4 g।"

    /// A translation of `english` with these parts.
    static func hindi(
        title: String = "\(Pages.hindiName) (Examplamol)", usage: String = Pages.hindiUsage,
        dosage: String? = Pages.hindiDosage,
        frontMatter: String = ""
    ) -> String {
        var text = "---\ntitle: \"\(title)\"\n\(frontMatter)---\n\n### उपयोग\n\(usage)\n"
        if let dosage { text += "\n### खुराक\n\(dosage)\n" }
        return text
    }

    static func parse(_ text: String, path: String) throws -> Monograph {
        try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path)).monograph
    }

    static func problems(_ translation: String, source: String = Pages.english) throws -> [String] {
        TranslationCheck.problems(
            source: try parse(source, path: "composition/x.md"),
            translation: try parse(translation, path: "composition/x.hi.md"))
    }

    static let strengthsMessage =
        "strengths not written as in the page it translates (number and unit in Latin letters): "
}

@Suite("what a translation must keep")
struct TranslationCheckTests {
    @Test("a faithful translation has no problems")
    func faithful() throws {
        #expect(try Pages.problems(Pages.hindi()) == [])
    }

    @Test("a lost strength is a missing number and a missing strength")
    func lostNumber() throws {
        let problems = try Pages.problems(Pages.hindi(dosage: "1. वयस्क: हर 4 से 6 घंटे में एक गोली।\n2. दिन में अधिकतम 4 g।"))
        #expect(
            problems == [
                "numbers of the page it translates are missing: 500", Pages.strengthsMessage + "500 mg",
            ])
    }

    @Test("a number the page does not have is named; a list's numbers are not")
    func addedNumber() throws {
        let problems = try Pages.problems(
            Pages.hindi(dosage: Pages.hindiDosage + "\n3. 12 साल से छोटे बच्चों को न दें।"))
        #expect(problems == ["numbers the page it translates does not have: 12"])
    }

    @Test("a strength in another unit loses the number; in Devanagari letters it loses the strength only")
    func otherUnit() throws {
        let grams = try Pages.problems(
            Pages.hindi(dosage: "1. वयस्क: हर 4 से 6 घंटे में 0.5 g।\n2. दिन में अधिकतम 4 g।"))
        #expect(
            grams == [
                "numbers of the page it translates are missing: 500",
                "numbers the page it translates does not have: 0.5",
                Pages.strengthsMessage + "500 mg",
            ])
        let devanagariUnit = try Pages.problems(
            Pages.hindi(dosage: "1. वयस्क: हर 4 से 6 घंटे में 500 मिलीग्राम।\n2. दिन में अधिकतम 4 g।"))
        #expect(devanagariUnit == [Pages.strengthsMessage + "500 mg"])
    }

    @Test("a section without its heading is missing, though its text is there")
    func missingSection() throws {
        let problems = try Pages.problems(
            Pages.hindi(usage: Pages.hindiUsage + "\n\n" + Pages.hindiDosage, dosage: nil))
        #expect(
            problems == [
                "sections of the page it translates are missing: dosage (headings the parser knows, such as `### उपयोग` for usage)"
            ])
    }

    @Test("a title naming another ingredient, or no Latin name, is another medicine")
    func otherIngredient() throws {
        let other = try Pages.problems(Pages.hindi(title: "सैंपलप्रोफ़ेन (Sampleprofen)"))
        #expect(
            other == [
                "the title names other ingredients or strengths (sampleprofen) than the page it translates (examplamol); keep the Latin name in parentheses: `पैरासिटामोल 650mg (Paracetamol 650mg)`"
            ])
        let noLatin = try Pages.problems(Pages.hindi(title: Pages.hindiName))
        #expect(noLatin.count == 1)
        #expect(
            noLatin.first?.hasPrefix(
                "the title names other ingredients or strengths (\(Pages.hindiName)) than the page it translates (examplamol)"
            )
                == true)
    }

    @Test("a medicine's name the page writes in Latin letters must be kept in them")
    func latinNameDropped() throws {
        let brand = """
            ---
            title: "Examplix"
            generic_slug: examplamol
            ---

            ### Usage
            Examplix contains Examplamol, for pain.

            """
        let translation = """
            ---
            title: "एग्ज़ाम्पलिक्स (Examplix)"
            generic_slug: examplamol
            ---

            ### उपयोग
            एग्ज़ाम्पलिक्स में \(Pages.hindiName) है, दर्द के लिए।

            """
        #expect(
            try Pages.problems(translation, source: brand) == [
                "medicine names not kept in Latin letters beside their translation: Examplamol"
            ])
        let kept = translation.replacingOccurrences(
            of: "में \(Pages.hindiName) है", with: "में \(Pages.hindiName) (Examplamol) है")
        #expect(try Pages.problems(kept, source: brand) == [])
    }

    @Test("numbers: Devanagari digits read as Latin ones; list numbers at a line's start left out")
    func numbers() {
        #expect(
            TranslationCheck.numbers(in: "1. लें ५०० mg\n2. ०.५ g, 3 बार\n- 4. x\nTake 2. Then") == [
                "500", "0.5", "3", "2",
            ])
        #expect(TranslationCheck.numbers(in: "at most 4.") == ["4"])
        #expect(TranslationCheck.numbers(in: "* 1. first\n  2. second") == [])
        #expect(TranslationCheck.latinDigit("७") == "7")
        #expect(TranslationCheck.latinDigit("x") == nil)
    }

    @Test("numbers: a list in a CRLF text is a list too")
    func numbersCRLF() {
        #expect(TranslationCheck.numbers(in: "1. first\r\n2. second 500") == ["500"])
    }

    @Test("the fingerprint is of the title and sections' text: not front matter, headings, trailing space or CRLF")
    func fingerprint() throws {
        func fingerprintOf(_ text: String, path: String = "composition/x.md") throws -> String {
            TranslationCheck.fingerprint(of: try Pages.parse(text, path: path))
        }
        let plain = "---\ntitle: \"Examplamol\"\n---\n\n### Usage\nPain.\nFever.\n\n### Dosage\nOne tablet.\n"
        let base = try fingerprintOf(plain)
        #expect(base.utf8.count == 16)
        #expect(base.allSatisfy { $0.isHexDigit })
        let other = [
            "---", "title: \"Examplamol\"", "description: Another front matter.", "lastModified: 2026-01-02", "---", "",
            "### Uses", "Pain.", "Fever.   ", "", "", "### Dosage", "One tablet.\t", "",
        ].joined(separator: "\r\n")
        #expect(try fingerprintOf(other) == base)
        // Nor does the page's address.
        #expect(try fingerprintOf(plain, path: "composition/y.md") == base)
        #expect(try fingerprintOf(plain.replacingOccurrences(of: "Fever.", with: "Fever and aches.")) != base)
        #expect(
            try fingerprintOf(plain.replacingOccurrences(of: "\"Examplamol\"", with: "\"Examplamol Forte\"")) != base)
    }
}

@Suite("a translation's file and address")
struct TranslationLocationTests {
    @Test("a translation has its page's id, its language and an address under the language")
    func translation() {
        let location = DocumentLocation(path: "composition/p/paracetamol.hi.md")
        #expect(location.id == "composition/paracetamol")
        #expect(location.slug == "paracetamol")
        #expect(location.collection == "composition")
        #expect(location.language == "hi")
        #expect(location.address == "hi/composition/paracetamol")
        #expect(location.relativePath == "composition/p/paracetamol.hi.md")
        let page = DocumentLocation(path: "composition/p/paracetamol.md")
        #expect(page.language == nil)
        #expect(page.id == "composition/paracetamol")
        #expect(page.address == "composition/paracetamol")
    }

    @Test("a language suffix is two or three lower-case ASCII letters after the last dot")
    func languageSuffix() {
        #expect(DocumentLocation.languageSuffix(of: "paracetamol.hi") == "hi")
        #expect(DocumentLocation.languageSuffix(of: "paracetamol.mai") == "mai")
        // Any such name reads as a language: `style.css` is in the language `css`.
        #expect(DocumentLocation.languageSuffix(of: "style.css") == "css")
        #expect(DocumentLocation.languageSuffix(of: "a.B1") == nil)
        #expect(DocumentLocation.languageSuffix(of: "x.v1") == nil)
        #expect(DocumentLocation.languageSuffix(of: "paracetamol.hindi") == nil)
        #expect(DocumentLocation.languageSuffix(of: "paracetamol.h") == nil)
        #expect(DocumentLocation.languageSuffix(of: ".hi") == nil)
        #expect(DocumentLocation.languageSuffix(of: "paracetamol") == nil)
    }

    @Test("a translation's page is the file beside it without the language")
    func sourcePath() {
        #expect(
            TranslationFiles.sourcePath(of: "content/composition/p/paracetamol.hi.md")
                == "content/composition/p/paracetamol.md")
        #expect(TranslationFiles.sourcePath(of: "content/composition/p/paracetamol.md") == nil)
    }

    @Test("the Latin name in parentheses after a title in another script")
    func latinName() {
        #expect(TitleParser.latinName(in: "पैरासिटामोल 650mg (Paracetamol 650mg)") == "Paracetamol 650mg")
        #expect(TitleParser.latinName(in: "Cetirizine (Ophthalmic)") == nil)
        #expect(TitleParser.latinName(in: "पैरासिटामोल") == nil)
        #expect(TitleParser.latinName(in: "पैरासिटामोल (पैरासिटामोल)") == nil)
        let ingredients = TitleParser.ingredients(inTitle: "पैरासिटामोल 650mg (Paracetamol 650mg)")
        #expect(ingredients.map(\.name) == ["Paracetamol"])
        #expect(ingredients.map { $0.strength?.text } == ["650mg"])
    }
}

@Suite("translations as files")
struct TranslationFilesTests {
    @Test("mark-current writes translated_from and nothing else; the translation is then current")
    func markCurrent() throws {
        let folder = TemporaryFolder("translations")
        let source = try folder.write("composition/x.md", Pages.english)
        let original = Pages.hindi(frontMatter: "ai_generated: true\n")
        let path = try folder.write("composition/x.hi.md", original)
        #expect(try TranslationFiles.status(of: path)?.state == .unknown)
        let fingerprint = try TranslationFiles.markCurrent(path)
        #expect(
            fingerprint == TranslationCheck.fingerprint(of: try MonographParser().parse(contentsOf: source).monograph))
        #expect(
            folder.read("composition/x.hi.md")
                == original.replacingOccurrences(
                    of: "ai_generated: true\n---", with: "ai_generated: true\ntranslated_from: \(fingerprint)\n---"))
        let status = try #require(try TranslationFiles.status(of: path))
        #expect(status.state == .current)
        #expect(status.id == "composition/x")
        #expect(status.language == "hi")
        #expect(status.problems == [])
        // The page changes: the translation is outdated.
        try folder.write("composition/x.md", Pages.english.replacingOccurrences(of: "fever.", with: "fever and aches."))
        #expect(try TranslationFiles.status(of: path)?.state == .outdated)
    }

    @Test("mark-current refuses a translation that loses a number, unless forced")
    func refuses() throws {
        let folder = TemporaryFolder("translations")
        try folder.write("composition/x.md", Pages.english)
        let lossy = Pages.hindi(dosage: "1. वयस्क: हर 4 से 6 घंटे में एक गोली।\n2. दिन में अधिकतम 4 g।")
        let path = try folder.write("composition/x.hi.md", lossy)
        do throws(TranslationFiles.MarkFailure) {
            try TranslationFiles.markCurrent(path)
            Issue.record("marked a translation that loses 500 mg")
        } catch {
            guard case .problems(let failedPath, let problems) = error else {
                Issue.record("another failure: \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(problems.first == "numbers of the page it translates are missing: 500")
            #expect(error.description.hasSuffix("(fix the translation first; --force marks it anyway)"))
        }
        #expect(folder.read("composition/x.hi.md") == lossy)
        try TranslationFiles.markCurrent(path, force: true)
        let status = try #require(try TranslationFiles.status(of: path))
        #expect(status.state == .current)
        #expect(status.problems.count == 2)
    }

    @Test("a translation without its page, and a page that is no translation")
    func noSource() throws {
        let folder = TemporaryFolder("translations")
        let path = try folder.write("composition/x.hi.md", Pages.hindi())
        #expect(try TranslationFiles.status(of: path)?.state == .noSource)
        let page = try folder.write("composition/y.md", Pages.english)
        #expect(try TranslationFiles.status(of: page) == nil)
        do throws(TranslationFiles.MarkFailure) {
            try TranslationFiles.markCurrent(page)
            Issue.record("marked a page that is no translation")
        } catch {
            guard case .notATranslation = error else {
                Issue.record("another failure: \(error)")
                return
            }
        }
    }

    @Test("setting a front matter key replaces its line or adds it before the closing ---")
    func setting() {
        #expect(
            FrontMatterText.setting("translated_from", to: "abc", in: "---\ntitle: X\n---\nBody\n")
                == "---\ntitle: X\ntranslated_from: abc\n---\nBody\n")
        #expect(
            FrontMatterText.setting(
                "translated_from", to: "new", in: "---\ntitle: X\ntranslated_from: old\n---\nBody\n")
                == "---\ntitle: X\ntranslated_from: new\n---\nBody\n")
        #expect(FrontMatterText.setting("translated_from", to: "abc", in: "# No front matter\n") == nil)
    }

    @Test("setting a front matter key keeps CRLF line endings")
    func settingCRLF() {
        #expect(
            FrontMatterText.setting(
                "translated_from", to: "new", in: "---\r\ntitle: X\r\ntranslated_from: old\r\n---\r\nBody\r\n")
                == "---\r\ntitle: X\r\ntranslated_from: new\r\n---\r\nBody\r\n")
        #expect(
            FrontMatterText.setting("translated_from", to: "abc", in: "---\r\ntitle: X\r\n---\r\nBody\r\n")
                == "---\r\ntitle: X\r\ntranslated_from: abc\r\n---\r\nBody\r\n")
    }
}
