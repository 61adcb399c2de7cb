import FormularyModel
import FormularyParsing
import Testing

@testable import FormularySearch

@Suite("Devanagari: folding and sound keys")
struct DevanagariTests {
    @Test(
        "spellings people mix fold to one word",
        arguments: [
            ("ज़ोलपिडेम", "जोलपिडेम"), ("ज\u{93C}ोलपिडेम", "जोलपिडेम"),  // nukta, precomposed or not
            ("दवाएँ", "दवाएं"),  // chandrabindu, anusvara
            ("हिन्दी", "हिंदी"), ("इन्सुलिन", "इंसुलिन"), ("पम्प", "पंप"),  // half nasal, anusvara
            ("पैरासीटामोल", "पैरासिटामोल"), ("ऊपर", "उपर"),  // long and short vowels
            ("मेटफॉर्मिन", "मेटफोर्मिन"),  // candra o
            ("६५०", "650"),
            ("\u{0929}", "\u{0928}\u{093C}"),  // ऩ as NFC composes it, and as typed
        ])
    func folding(written: String, folded: String) {
        #expect(SearchText.words(written) == SearchText.words(folded))
        #expect(SearchText.words(written).count == 1)
    }

    @Test("a half m before a consonant of another class stays m")
    func halfM() {
        #expect(SearchText.words("एम्लोडिपिन") == ["एम्लोडिपिन"])
        #expect(Devanagari.soundKey("एम्लोडिपिन") == Devanagari.soundKey("amlodipine"))
    }

    @Test(
        "a medicine's name in Devanagari sounds like its Latin name",
        arguments: [
            ("पैरासिटामोल", "paracetamol", "prstml"), ("मेटफॉर्मिन", "metformin", "mtfrmn"),
            ("एमोक्सिसिलिन", "amoxicillin", "amksln"), ("सेटिरिज़िन", "cetirizine", "strjn"),
            ("अज़िथ्रोमाइसिन", "azithromycin", "ajtrmsn"), ("हाइड्रोक्सीक्लोरोक्वीन", "hydroxychloroquine", "hdrksklrkvn"),
            ("एटोरवास्टेटिन", "atorvastatin", "atrvstn"), ("ओंडेनसेट्रॉन", "ondansetron", "andnstrn"),
            ("सिल्डेनाफिल", "sildenafil", "sldnfl"), ("पोटैशियम", "potassium", "ptsm"),
        ])
    func soundKeys(devanagari: String, latin: String, key: String) {
        #expect(Devanagari.soundKey(SearchText.words(devanagari)[0]) == key)
        #expect(Devanagari.soundKey(latin) == key)
    }

    @Test("no key for numbers or other scripts; danda separates words")
    func edges() {
        #expect(Devanagari.soundKey("650") == nil)
        #expect(Devanagari.soundKey("தமிழ்") == nil)
        #expect(SearchText.words("दवा है। गोली") == SearchText.words("दवा") + SearchText.words("है") + SearchText.words("गोली"))
    }
}

@Suite("search in Hindi")
struct HindiSearchTests {
    static let pages: [(String, String)] = [
        ("composition/p/paracetamol.md", "---\ntitle: Paracetamol\n---\n### Usage\nFever and pain.\n"),
        (
            "composition/p/paracetamol.hi.md",
            "---\ntitle: \"पैरासिटामोल (Paracetamol)\"\n---\n### उपयोग\nबुख़ार और दर्द।\n"
        ),
        (
            "composition/s/sildenafil.md",
            "---\ntitle: Sildenafil\n---\n### Usage\nIt shouldn't be taken with nitrates.\n"
        ),
        ("composition/a/amlodipine.md", "---\ntitle: Amlodipine\n---\n### Usage\nBlood pressure.\n"),
        (
            "composition/t/telmisartan-amlodipine.md",
            "---\ntitle: Telmisartan + Amlodipine\n---\n### Usage\nBlood pressure.\n"
        ),
        ("composition/t/telmisartan.md", "---\ntitle: Telmisartan\n---\n### Usage\nBlood pressure.\n"),
    ]

    static let engine: SearchEngine = {
        let parsed = pages.map { path, text in
            try! MonographParser().parse(bytes: Array(text.utf8), location: DocumentLocation(path: path))
        }
        return SearchEngine(index: SearchIndex(pages: parsed))
    }()

    func results(_ query: String, language: String? = nil) -> [String] {
        Self.engine.search(query, options: SearchOptions(language: language)).results.map {
            ($0.language.map { $0 + "/" } ?? "") + $0.id
        }
    }

    @Test("either script finds the medicine once, in the reader's language")
    func readerLanguage() {
        #expect(results("पैरासिटामोल", language: "hi") == ["hi/composition/paracetamol"])
        #expect(results("पैरासिटामोल") == ["composition/paracetamol"])
        #expect(results("paracetamol", language: "hi") == ["hi/composition/paracetamol"])
        #expect(results("paracetamol") == ["composition/paracetamol"])
        // A medicine without a Hindi page is given in English.
        #expect(results("एम्लोडिपिन", language: "hi").first == "composition/amlodipine")
    }

    @Test("Hindi typed in Latin letters: the words around the name are not part of it")
    func typedHindi() {
        #expect(results("paracetamol ki goli").first == "composition/paracetamol")
        #expect(results("bukhar ki dawa paracetamol").first == "composition/paracetamol")
        #expect(results("amlodipine tablet ke fayde").first == "composition/amlodipine")
    }

    @Test("a name being typed in Devanagari finds the names whose sound starts like it")
    func prefix() {
        #expect(results("सिल्डेना").first == "composition/sildenafil")
    }

    @Test("a combination in Devanagari, joined by और")
    func combination() {
        #expect(results("टेल्मिसार्टन और एम्लोडिपिन").first == "composition/telmisartan-amlodipine")
    }

    @Test("the body of a Hindi page is searched folded: बुख़ार finds बुखार")
    func body() {
        #expect(results("बुखार", language: "hi") == ["hi/composition/paracetamol"])
    }
}
