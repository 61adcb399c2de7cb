/// Words of a query in Hindi, or Hindi typed in Latin letters, that are not a medicine's name:
/// `paracetamol ki goli` ("the tablet of paracetamol"), `बुखार की दवा` ("medicine for fever").
/// Fillers are dropped (unless the query is nothing else); symptoms and conditions are kept but
/// not required, so that the medicine named beside them decides. A second language adds its
/// words here.
enum QueryWords {
    /// Dropped: "of", "for", "and", "tablet", "medicine", "benefits", "which", "in"...
    static let fillers: Set<String> = folded([
        "ki", "ka", "ke", "ko", "se", "me", "mein", "liye", "lie", "wali", "vali", "wala", "vala", "aur", "ya",
        "goli", "goliyan", "dawa", "dawai", "dava", "davai", "daba", "aushadhi", "fayde", "fayda", "faide",
        "naam", "nam", "kya", "hai", "upyog", "istemal",
        "की", "का", "के", "को", "से", "में", "लिए", "वाली", "वाला", "और", "या", "गोली", "गोलियां", "गोलियाँ",
        "दवा", "दवाई", "दवाएं", "दवाएँ", "औषधि", "फायदे", "फ़ायदे", "नाम", "क्या", "है", "उपयोग", "इस्तेमाल",
        "टैबलेट", "टेबलेट", "कैप्सूल", "सिरप", "इंजेक्शन",
    ])

    /// Kept, not required: what the medicine is for, in the words people use.
    static let optional: Set<String> = folded([
        "bukhar", "bukhaar", "dard", "sir", "sar", "pet", "acidity", "gas", "sugar", "bp", "ulti", "dast",
        "khansi", "khasi", "zukam", "jukam", "nazla", "allergy", "kamzori", "neend", "infection",
        "बुखार", "दर्द", "सिर", "सिरदर्द", "पेट", "एसिडिटी", "गैस", "शुगर", "मधुमेह", "बीपी", "उल्टी", "दस्त",
        "खांसी", "खाँसी", "जुकाम", "ज़ुकाम", "एलर्जी", "कमजोरी", "कमज़ोरी", "नींद", "संक्रमण", "इन्फेक्शन",
    ])

    /// Units written in Devanagari, as the Latin unit a strength carries.
    static let units: [String: String] = {
        var units: [String: String] = [:]
        for (words, unit) in [
            (["मिलीग्राम", "मिग्रा", "एमजी"], "mg"), (["माइक्रोग्राम", "एमसीजी"], "mcg"), (["ग्राम"], "g"),
            (["मिलीलीटर", "मिली", "एमएल"], "ml"),
        ] {
            for word in folded(words) { units[word] = unit }
        }
        return units
    }()

    /// `मि.ग्रा.` and its like, written with dots that would cut them into pieces: as Latin units.
    static func replacingDottedUnits(_ query: String) -> String {
        guard query.unicodeScalars.contains(where: Devanagari.contains) else { return query }
        var result = query
        for (dotted, unit) in [("मि.ग्रा.", " mg "), ("मि.ग्रा", " mg "), ("मि.ली.", " ml "), ("मि.ली", " ml ")] {
            result = result.replacingOccurrences(of: dotted, with: unit)
        }
        return result
    }

    private static func folded(_ words: [String]) -> Set<String> {
        Set(words.flatMap { SearchText.words($0) })
    }
}
