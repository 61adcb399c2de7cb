import FormularyModel
import FormularyParsing
import Foundation
import Testing

@testable import FormularySite

/// A small site in English with Hindi translations (#21).
enum LanguageFixture {
    static let hindiTitle = "एग्ज़ाम्पलामॉल (Examplamol)"

    static let english = Fixture.page(
        title: "Examplamol",
        body:
            "### Usage\nExamplamol eases pain and fever.\n\n### Dosage\n1. Adults: 500 mg every 4 to 6 hours.\n2. At most 4 g a day.\n"
    )

    /// `english` with another sentence: a new fingerprint, the same listing.
    static let englishEdited = Fixture.page(
        title: "Examplamol",
        body:
            "### Usage\nExamplamol eases pain, fever and aches.\n\n### Dosage\n1. Adults: 500 mg every 4 to 6 hours.\n2. At most 4 g a day.\n"
    )

    static func hindi(translatedFrom fingerprint: String?) -> String {
        Fixture.page(
            title: hindiTitle,
            body:
                "### उपयोग\nएग्ज़ाम्पलामॉल (Examplamol) दर्द और बुखार कम करती है।\n\n### खुराक\n1. वयस्क: हर 4 से 6 घंटे में 500 mg।\n2. दिन में अधिकतम 4 g।\n",
            frontMatter: fingerprint.map { "translated_from: \($0)\n" } ?? "")
    }

    /// The fingerprint a build computes of the English page's text.
    static func fingerprint(of text: String, path: String = "composition/x.md") throws -> String {
        let page = try MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path))
        return TranslationCheck.fingerprint(of: page.monograph)
    }

    /// `composition/x` in English and Hindi (current), `composition/y` in English only.
    static func site() throws -> TemporaryFolder {
        let site = TemporaryFolder("languages")
        try site.write("content/composition/x.md", english)
        try site.write("content/composition/x.hi.md", hindi(translatedFrom: try fingerprint(of: english)))
        try site.write(
            "content/composition/y.md", Fixture.page(title: "Sampleprofen", body: "### Usage\nSwelling.\n"))
        return site
    }

    static func build(_ site: TemporaryFolder, languages: [String] = ["hi"], full: Bool = false) throws
        -> SiteBuilder.Report
    {
        var configuration = Fixture.configuration
        configuration.languages = languages
        var request = SiteBuilder.Request(
            contentFolder: site.path + "/content", outputFolder: site.path + "/public",
            templatesFolder: site.path + "/templates", cacheFile: site.path + "/.formulary/build-cache",
            configuration: configuration, forceFull: full)
        request.stringsFolder = site.path + "/strings"
        return try SiteBuilder(request).build()
    }

    static var hindiStrings: SiteStrings { SiteStrings.builtIn("hi")! }

    /// The link a translation's note makes to its English page.
    static let englishLink = #"<a href="/composition/x/" hreflang="en">English</a>"#
}

@Suite("a site in several languages")
struct LanguageTests {
    @Test("a translation is published under hi/ with its language, alternates, note and record")
    func translatedPage() throws {
        let site = try LanguageFixture.site()
        let report = try LanguageFixture.build(site)
        #expect(report.pages == 3)
        #expect(report.skipped.isEmpty)
        #expect(!report.incremental)

        let hindi = try #require(site.read("public/hi/composition/x/index.html"))
        #expect(hindi.contains(#"<html lang="hi">"#))
        #expect(hindi.contains(#"<link rel="canonical" href="https://med.example.org/hi/composition/x/">"#))
        #expect(hindi.contains(#"<link rel="alternate" hreflang="en" href="https://med.example.org/composition/x/">"#))
        #expect(
            hindi.contains(#"<link rel="alternate" hreflang="hi" href="https://med.example.org/hi/composition/x/">"#))
        #expect(
            hindi.contains(
                #"<link rel="alternate" hreflang="x-default" href="https://med.example.org/composition/x/">"#))
        // The switch: English is a link to the English page, Hindi the current language.
        #expect(hindi.contains(#"<a href="/composition/x/" hreflang="en" lang="en">English</a>"#))
        #expect(hindi.contains(#"<span lang="hi" aria-current="page">हिन्दी</span>"#))
        // Translated from English, and current.
        #expect(
            hindi.contains(
                #"<p class="translation-note">"#
                    + LanguageFixture.hindiStrings.html("translationOf", ["language": LanguageFixture.englishLink])
                    + "</p>"))
        #expect(!hindi.contains("translation-note outdated"))
        #expect(hindi.contains("<h1>\(LanguageFixture.hindiTitle)</h1>"))

        // The English page links to the Hindi one, and says it exists in both.
        let english = try #require(site.read("public/composition/x/index.html"))
        #expect(english.contains(#"<html lang="en">"#))
        #expect(english.contains(#"<a href="/hi/composition/x/" hreflang="hi" lang="hi">हिन्दी</a>"#))
        #expect(english.contains(#"<span lang="en" aria-current="page">English</span>"#))
        #expect(
            english.contains(#"<link rel="alternate" hreflang="hi" href="https://med.example.org/hi/composition/x/">"#))
        #expect(
            english.contains(
                #"<link rel="alternate" hreflang="x-default" href="https://med.example.org/composition/x/">"#))
        #expect(!english.contains("translation-note"))

        // The Hindi edition's own pages.
        #expect(site.read("public/hi/index.html")?.contains(#"<html lang="hi">"#) == true)
        #expect(site.exists("public/hi/search/index.html"))
        #expect(site.exists("public/hi/browse/ए/index.html"))  // the Devanagari letter of its title
        #expect(site.exists("public/hi/browse/e/index.html"))  // and the Latin letter of Examplamol
        #expect(!site.exists("public/hi/composition/y"))
        #expect(site.read("public/hi/api/v1/index.json")?.contains(#""language":"hi""#) == true)
    }

    @Test("an untranslated page links the Hindi home page with a note in its own language, and has no alternates")
    func untranslatedPage() throws {
        let site = try LanguageFixture.site()
        _ = try LanguageFixture.build(site)
        let page = try #require(site.read("public/composition/y/index.html"))
        let note = SiteStrings.english.text("notTranslated", ["language": "हिन्दी"])
        #expect(note == "Not yet translated into हिन्दी: the हिन्दी home page")
        #expect(page.contains(#"<a href="/hi/" hreflang="hi" lang="hi" title="\#(note)">हिन्दी</a>"#))
        #expect(!page.contains(#"<link rel="alternate""#))
        #expect(!page.contains("x-default"))
    }

    @Test("the sitemap lists the translation beside its page with xhtml:link alternates")
    func sitemap() throws {
        let site = try LanguageFixture.site()
        _ = try LanguageFixture.build(site)
        let sitemap = try #require(site.read("public/sitemap.xml"))
        #expect(sitemap.contains(#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#))
        #expect(sitemap.contains("<loc>https://med.example.org/hi/composition/x/</loc>"))
        #expect(
            sitemap.contains(
                #"<xhtml:link rel="alternate" hreflang="en" href="https://med.example.org/composition/x/"/><xhtml:link rel="alternate" hreflang="hi" href="https://med.example.org/hi/composition/x/"/>"#
            ))
        // The untranslated page has no alternates.
        let line = try #require(
            sitemap.split(separator: "\n").first { $0.contains("<loc>https://med.example.org/composition/y/</loc>") })
        #expect(!line.contains("xhtml:link"))
        // Nor a Hindi address.
        #expect(!sitemap.contains("hi/composition/y/"))
    }

    @Test("records say their language, the languages the medicine has, and whether a translation is current")
    func records() throws {
        let site = try LanguageFixture.site()
        _ = try LanguageFixture.build(site)
        let fingerprint = try LanguageFixture.fingerprint(of: LanguageFixture.english)
        let english = try #require(site.read("public/api/v1/monographs/composition/x.json"))
        #expect(english.contains(#""language":"en""#))
        #expect(english.contains(#""languages":["en","hi"]"#))
        #expect(!english.contains(#""translation""#))
        let untranslated = try #require(site.read("public/api/v1/monographs/composition/y.json"))
        #expect(untranslated.contains(#""languages":["en"]"#))
        let hindi = try #require(site.read("public/hi/api/v1/monographs/composition/x.json"))
        #expect(hindi.contains(#""language":"hi""#))
        #expect(hindi.contains(#""languages":["en","hi"]"#))
        #expect(
            hindi.contains(#""translation":{"from":"en","outdated":false,"sourceFingerprint":"\#(fingerprint)"}"#))
    }

    @Test("an edit of the English page marks its translation outdated, in an incremental build")
    func outdated() throws {
        let site = try LanguageFixture.site()
        _ = try LanguageFixture.build(site)
        try site.write("content/composition/x.md", LanguageFixture.englishEdited)
        let report = try LanguageFixture.build(site)
        // A main-language page whose listing did not change: incremental, rendered with its translation.
        #expect(report.incremental)
        #expect(report.rendered == 2)
        let hindi = try #require(site.read("public/hi/composition/x/index.html"))
        #expect(
            hindi.contains(
                #"<p class="translation-note outdated">"#
                    + LanguageFixture.hindiStrings.html(
                        "translationOutdated", ["language": LanguageFixture.englishLink]) + "</p>"))
        #expect(
            site.read("public/hi/api/v1/monographs/composition/x.json")?.contains(#""outdated":true"#) == true)
        #expect(
            site.read("public/composition/x/index.html")?.contains("Examplamol eases pain, fever and aches.") == true)
        // What a full build of the same content writes.
        let incremental = site.snapshot(under: "public")
        _ = try LanguageFixture.build(site, full: true)
        #expect(site.snapshot(under: "public") == incremental)
    }

    @Test("a changed translation means a full build; made from the new text, it is current again")
    func translationChanged() throws {
        let site = try LanguageFixture.site()
        _ = try LanguageFixture.build(site)
        try site.write("content/composition/x.md", LanguageFixture.englishEdited)
        _ = try LanguageFixture.build(site)
        try site.write(
            "content/composition/x.hi.md",
            LanguageFixture.hindi(translatedFrom: try LanguageFixture.fingerprint(of: LanguageFixture.englishEdited)))
        let report = try LanguageFixture.build(site)
        #expect(!report.incremental)
        #expect(report.rendered == 3)
        let hindi = try #require(site.read("public/hi/composition/x/index.html"))
        #expect(hindi.contains(#"<p class="translation-note">"#))
        #expect(!hindi.contains("translation-note outdated"))
        #expect(
            site.read("public/hi/api/v1/monographs/composition/x.json")?.contains(#""outdated":false"#) == true)
    }

    @Test("a translation that does not say what it was translated from is shown as outdated")
    func noFingerprint() throws {
        let site = try LanguageFixture.site()
        try site.write("content/composition/x.hi.md", LanguageFixture.hindi(translatedFrom: nil))
        _ = try LanguageFixture.build(site)
        #expect(site.read("public/hi/composition/x/index.html")?.contains("translation-note outdated") == true)
        let record = try #require(site.read("public/hi/api/v1/monographs/composition/x.json"))
        #expect(record.contains(#""translation":{"from":"en","outdated":true}"#))
    }

    @Test("a translation into a language the site does not list, and a collection named like a language, are skipped")
    func skipped() throws {
        let site = TemporaryFolder("languages")
        try site.write("content/composition/x.md", LanguageFixture.english)
        try site.write("content/composition/x.ta.md", LanguageFixture.hindi(translatedFrom: nil))
        try site.write("content/hi/z.md", Fixture.page(title: "Zedamol", body: "### Usage\nZ.\n"))
        let report = try LanguageFixture.build(site)
        #expect(report.pages == 1)
        let tamil = site.path + "/content/composition/x.ta.md"
        let collection = site.path + "/content/hi/z.md"
        #expect(report.skipped.map(\.path).sorted() == [tamil, collection].sorted())
        #expect(
            report.skipped.contains {
                $0.reason
                    == "\(tamil): warning: skipped, a translation into 'ta', which formulary.yml does not list; add it to 'languages:' (languages: [hi, ta])"
            })
        #expect(
            report.skipped.contains {
                $0.reason
                    == "\(collection): warning: skipped, its address 'hi/z/' is inside 'hi/', where the site's pages in that language live; move it to another collection folder"
            })
        #expect(!site.exists("public/ta"))
        #expect(!site.exists("public/hi/z"))
        #expect(site.exists("public/hi/index.html"))
    }

    @Test("a site in one language skips translations, naming the setting that would publish them")
    func singleLanguage() throws {
        let site = try LanguageFixture.site()
        let report = try LanguageFixture.build(site, languages: [])
        #expect(report.pages == 2)
        #expect(
            report.skipped.map(\.reason) == [
                site.path
                    + "/content/composition/x.hi.md: warning: skipped, a translation into 'hi', which formulary.yml does not list; add it to 'languages:' (languages: [hi])"
            ])
        #expect(!site.exists("public/hi"))
        let page = try #require(site.read("public/composition/x/index.html"))
        #expect(!page.contains("language-switch"))
        #expect(!page.contains(#"<link rel="alternate""#))
    }

    @Test("a site language with no words, built in or in strings/, stops the build naming the file to write")
    func missingWords() throws {
        let site = try LanguageFixture.site()
        do {
            _ = try LanguageFixture.build(site, languages: ["ta"])
            Issue.record("built a site in Tamil without its words")
        } catch let error as SiteBuilder.Failure {
            #expect(
                error.description.hasPrefix(
                    site.path
                        + "/strings/ta.yml:1:1: error: Formulary has no words for the language 'ta': write strings/ta.yml in the site folder"
                ))
        }
    }
}

@Suite("languages: in formulary.yml")
struct LanguageConfigurationTests {
    @Test("a list of language codes, in order")
    func parses() throws {
        #expect(
            try SiteConfiguration.load(yaml: "title: T\nlanguages: [hi, ta]\n", path: "f.yml").languages == [
                "hi", "ta",
            ])
        #expect(try SiteConfiguration.load(yaml: "languages: hi\n", path: "f.yml").languages == ["hi"])
        #expect(try SiteConfiguration.load(yaml: "title: T\n", path: "f.yml").languages == [])
    }

    @Test(
        "a language's name instead of its code, a code listed twice, and the site's own language are errors on their line"
    )
    func errors() {
        #expect(
            throws: SiteConfiguration.Error(
                path: "f.yml", line: 2,
                message:
                    "'Hindi' is not a language code: use two or three lower-case letters (ISO 639-1 or 639-2), such as hi, ta, bn, mr"
            )
        ) {
            try SiteConfiguration.load(yaml: "title: T\nlanguages: [Hindi]\n", path: "f.yml")
        }
        #expect(
            throws: SiteConfiguration.Error(path: "f.yml", line: 4, message: "'hi' is listed twice in 'languages'")
        ) {
            try SiteConfiguration.load(yaml: "title: T\nlanguages:\n  - hi\n  - hi\n", path: "f.yml")
        }
        #expect(
            throws: SiteConfiguration.Error(
                path: "f.yml", line: 3,
                message:
                    "'languages' lists the site's own language 'en': list only the languages pages are translated into"
            )
        ) {
            try SiteConfiguration.load(yaml: "title: T\nlanguage: en\nlanguages: [en]\n", path: "f.yml")
        }
    }
}

@Suite("the theme's words")
struct SiteStringsTests {
    @Test("the built-in Hindi words have every key of the English ones, and Hindi dates")
    func builtInHindi() throws {
        let hindi = try #require(SiteStrings.builtIn("hi"))
        #expect(
            Set(hindi.templateValues(siteTitle: "S").keys)
                == Set(SiteStrings.english.templateValues(siteTitle: "S").keys))
        #expect(hindi["languageName"] == "हिन्दी")
        #expect(hindi["search"] == "खोजें")
        #expect(hindi["sectionDosage"] == "खुराक")
        #expect(hindi.date("2026-12-03") == "3 दिसंबर 2026")
        #expect(SiteStrings.english.date("2026-12-03") == "3 December 2026")
        #expect(hindi.date("not a date") == "not a date")
        #expect(SiteStrings.builtIn("ta") == nil)
    }

    @Test("words are written into templates in one pass: escaped in {{t.NAME}}, as they are in {{{t.NAME}}}")
    func inlining() {
        let words = ["a": "A & <B>", "b": "x{{y", "ख": "खोजें"]
        let text = "<p>{{t.a}}</p>{{{t.a}}}|{{t.b}}|{{t.c}}|{{ t.a }}|{{title}}|{{t.ख}}|{{{t.a}}|{{t.a"
        #expect(
            TemplateSet.inlining(words, into: text)
                == "<p>A &amp; &lt;B&gt;</p>A & <B>|{{t.b}}|{{t.c}}|{{ t.a }}|{{title}}|खोजें|{A &amp; &lt;B&gt;|{{t.a")
        #expect(TemplateSet.inlining(words, into: "no tags {{here}}") == "no tags {{here}}")
        #expect(TemplateSet.inlining(words, into: "") == "")
    }

    @Test("a site's strings/hi.yml that changes one key changes only that key")
    func override() throws {
        let site = TemporaryFolder("strings")
        try site.write("strings/hi.yml", "search: ढूँढें\n")
        let loaded = try SiteStrings.load(language: "hi", stringsFolder: site.path + "/strings")
        let builtIn = try #require(SiteStrings.builtIn("hi"))
        #expect(loaded["search"] == "ढूँढें")
        var expected = builtIn.templateValues(siteTitle: "S")
        expected["search"] = "ढूँढें"
        #expect(loaded.templateValues(siteTitle: "S") == expected)
        #expect(loaded.date("2026-12-03") == "3 दिसंबर 2026")
        #expect(loaded != builtIn)
        // Without a file of its own, a built-in language is its built-in words.
        #expect(try SiteStrings.load(language: "hi", stringsFolder: site.path + "/nowhere") == builtIn)
    }

    @Test("an unknown key is an error on its line with the key it may mean")
    func unknownKey() throws {
        let site = TemporaryFolder("strings")
        try site.write("strings/hi.yml", "# our words\nsearch: ढूँढें\nserch: ढूँढें\n")
        #expect(
            throws: SiteStrings.Failure(
                path: site.path + "/strings/hi.yml", line: 3, message: "unknown key 'serch'; did you mean 'search'?")
        ) {
            try SiteStrings.load(language: "hi", stringsFolder: site.path + "/strings")
        }
    }

    @Test("words that leave out a {placeholder} Formulary fills in are an error on their line")
    func lostPlaceholder() throws {
        let site = TemporaryFolder("strings")
        try site.write("strings/hi.yml", "search: ढूँढें\nletterCount: \"दवाएँ।\"\n")
        do throws(SiteStrings.Failure) {
            _ = try SiteStrings.load(language: "hi", stringsFolder: site.path + "/strings")
            Issue.record("loaded words without {count}")
        } catch {
            #expect(error.path == site.path + "/strings/hi.yml")
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("'letterCount' leaves out {count}, which Formulary fills in"))
        }
    }

    @Test("a language without built-in words needs strings/LANG.yml, with every key")
    func newLanguage() throws {
        let site = TemporaryFolder("strings")
        do throws(SiteStrings.Failure) {
            _ = try SiteStrings.load(language: "ta", stringsFolder: site.path + "/strings")
            Issue.record("loaded Tamil without words")
        } catch {
            #expect(error.path == site.path + "/strings/ta.yml")
            #expect(error.line == 1)
            #expect(
                error.message.hasPrefix(
                    "Formulary has no words for the language 'ta': write strings/ta.yml in the site folder"))
        }
        do throws(SiteStrings.Failure) {
            _ = try SiteStrings.load(language: "ta", stringsFolder: nil)
            Issue.record("loaded Tamil without words")
        } catch {
            #expect(error.path == "strings/ta.yml")
        }
        try site.write("strings/ta.yml", "languageName: தமிழ்\n")
        do throws(SiteStrings.Failure) {
            _ = try SiteStrings.load(language: "ta", stringsFolder: site.path + "/strings")
            Issue.record("loaded Tamil with one key")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.hasPrefix("'activeIngredientsLink' is missing (and "))
            #expect(
                error.message.hasSuffix(
                    "more keys): a language Formulary has no words for needs every key of strings/en.yml"))
        }
    }

    @Test("html() escapes the words but not the HTML put into them; text() escapes nothing")
    func escaping() throws {
        let site = TemporaryFolder("strings")
        try site.write(
            "strings/en.yml", "searchNeedsJavaScript: \"Search needs <JavaScript> & more: {az} or {ingredients}.\"\n")
        let strings = try SiteStrings.load(language: "en", stringsFolder: site.path + "/strings")
        let values = ["az": #"<a href="/browse/a/">A–Z</a>"#, "ingredients": "<b>ingredients</b>"]
        #expect(
            strings.html("searchNeedsJavaScript", values)
                == #"Search needs &lt;JavaScript&gt; &amp; more: <a href="/browse/a/">A–Z</a> or <b>ingredients</b>."#)
        #expect(
            strings.text("searchNeedsJavaScript", values)
                == #"Search needs <JavaScript> & more: <a href="/browse/a/">A–Z</a> or <b>ingredients</b>."#)
        // A placeholder without a value stays as written.
        #expect(strings.text("searchNeedsJavaScript") == "Search needs <JavaScript> & more: {az} or {ingredients}.")
    }
}

@Suite("A–Z in Devanagari")
struct NativeLetterTests {
    static func summary(_ slug: String, title: String, ingredient: String) -> PageSummary {
        PageSummary(
            id: "composition/" + slug, slug: slug, collection: "composition", title: title, kind: .single,
            ingredients: [Ingredient(name: ingredient, strength: nil)], productTarget: nil, lastModified: "",
            description: nil, banned: false, aiGenerated: false, language: "hi")
    }

    @Test("a page is listed under its Devanagari letter, in the script's order, and under its Latin name's letter")
    func letters() {
        let catalog = SiteCatalog(
            pages: [
                Self.summary("paracetamol", title: "पैरासिटामोल (Paracetamol)", ingredient: "Paracetamol"),
                Self.summary("amoxicillin", title: "एमोक्सिसिलिन (Amoxicillin)", ingredient: "Amoxicillin"),
            ],
            letters: .native)
        // ए (U+090F) before प (U+092A), then the Latin letters.
        #expect(catalog.pagesByLetter.map(\.letter) == ["ए", "प", "a", "p"])
        #expect(
            catalog.pagesByLetter.map { $0.pages.map(\.slug) } == [
                ["amoxicillin"], ["paracetamol"], ["amoxicillin"], ["paracetamol"],
            ])
        #expect(SiteCatalog.letters(of: "पैरासिटामोल (Paracetamol)", scheme: .native) == ["प", "p"])
        #expect(SiteCatalog.letters(of: "Paracetamol", scheme: .native) == ["p"])
        // The Latin scheme puts a Devanagari title with the numbers and signs.
        #expect(SiteCatalog.letters(of: "पैरासिटामोल (Paracetamol)", scheme: .latin) == ["0-9"])
    }
}
