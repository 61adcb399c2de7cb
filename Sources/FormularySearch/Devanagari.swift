/// How search reads Hindi: Devanagari words folded so that the ways people write one word
/// meet (`SearchText.words`), and a sound key that lets a medicine name written in Devanagari
/// (`पैरासिटामोल`) or typed in Latin letters the way it sounds (`parasitamol`) find the name
/// as pages spell it (`Paracetamol`).
///
/// The static site's JavaScript client implements the same rules (`search.js`); keep the two in step.
public enum Devanagari {
    /// Whether a scalar is in the Devanagari block (U+0900–U+097F).
    @inline(__always)
    public static func contains(_ scalar: Unicode.Scalar) -> Bool { (0x0900...0x097F).contains(scalar.value) }

    // MARK: Folding

    /// A Devanagari word as search compares it, NFC or not:
    /// - nukta dropped (`ज़` and `ज` are one letter; so are `फ़` and `फ`),
    /// - chandrabindu as anusvara (`दवाएँ`, `दवाएं`), and a nasal consonant with virama before
    ///   another consonant as anusvara (`हिन्दी`, `हिंदी`; `पम्प`, `पंप`),
    /// - long `ी`/`ू` as short `ि`/`ु`, `ॉ`/`ॅ` as `ो`/`े`, and their independent vowels alike
    ///   (the spellings people mix most),
    /// - Devanagari digits as Latin ones, zero-width joiners and visarga dropped.
    public static func fold(_ scalars: some Collection<Unicode.Scalar>) -> String {
        let input = Array(scalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < input.count {
            let value = input[index].value
            defer { index += 1 }
            switch value {
            case 0x093C, 0x200C, 0x200D, 0x0903:  // nukta, ZWNJ, ZWJ, visarga
                continue
            case 0x0958...0x095F:  // precomposed nukta letters: their base letters
                let bases: [UInt32] = [0x0915, 0x0916, 0x0917, 0x091C, 0x0921, 0x0922, 0x092B, 0x092F]
                output.append(Unicode.Scalar(bases[Int(value - 0x0958)])!)
            case 0x0929: output.append(Unicode.Scalar(0x0928)!)  // ऩ: न with nukta, composed by NFC
            case 0x0931: output.append(Unicode.Scalar(0x0930)!)  // ऱ
            case 0x0934: output.append(Unicode.Scalar(0x0933)!)  // ऴ
            case 0x0901:  // chandrabindu
                output.append(Unicode.Scalar(0x0902)!)
            case 0x0940: output.append(Unicode.Scalar(0x093F)!)  // ी → ि
            case 0x0942: output.append(Unicode.Scalar(0x0941)!)  // ू → ु
            case 0x0949: output.append(Unicode.Scalar(0x094B)!)  // ॉ → ो
            case 0x0945: output.append(Unicode.Scalar(0x0947)!)  // ॅ → े
            case 0x0908: output.append(Unicode.Scalar(0x0907)!)  // ई → इ
            case 0x090A: output.append(Unicode.Scalar(0x0909)!)  // ऊ → उ
            case 0x0911: output.append(Unicode.Scalar(0x0913)!)  // ऑ → ओ
            case 0x090D: output.append(Unicode.Scalar(0x090F)!)  // ऍ → ए
            case 0x0966...0x096F:
                output.append(Unicode.Scalar(value - 0x0966 + 0x30)!)
            case 0x0919, 0x091E, 0x0923, 0x0928, 0x092E:  // ङ ञ ण न म
                // With virama before another consonant: the nasal sound anusvara writes (`म` only
                // before `प फ ब भ म`, as in `पम्प`; `एम्लोडिपिन` keeps its `म्`).
                var next = index + 1
                while next < input.count, input[next].value == 0x093C { next += 1 }
                if next + 1 < input.count, input[next].value == 0x094D, isConsonant(input[next + 1].value),
                    value != 0x092E || (0x092A...0x092E).contains(input[next + 1].value)
                {
                    output.append(Unicode.Scalar(0x0902)!)
                    index = next
                } else {
                    output.append(input[index])
                }
            default:
                output.append(input[index])
            }
        }
        return String(output)
    }

    @inline(__always)
    static func isConsonant(_ value: UInt32) -> Bool {
        (0x0915...0x0939).contains(value) || (0x0958...0x095F).contains(value)
    }

    // MARK: Sound keys

    /// A word's sound key: its consonants as Latin letters, the sounds Hindi and English
    /// spellings of a medicine share. Vowels, `h` after a consonant and doubled consonants do
    /// not count; a word starting with a vowel starts with `a`. `Paracetamol`, `पैरासिटामोल`
    /// and `parasitamol` are all `prstml`; `Azithromycin` and `अज़िथ्रोमाइसिन` are `ajtrmsn`.
    /// Nil for a word with digits or of neither script.
    public static func soundKey(_ word: String) -> String? {
        let scalars = Array(word.unicodeScalars)
        guard let first = scalars.first else { return nil }
        let letters: [UInt8]
        if contains(first) {
            guard let devanagari = devanagariSounds(scalars) else { return nil }
            letters = devanagari
        } else {
            guard let latin = latinSounds(scalars) else { return nil }
            letters = latin
        }
        var key: [UInt8] = []
        for letter in letters where key.last != letter { key.append(letter) }
        return key.isEmpty ? nil : String(decoding: key, as: UTF8.self)
    }

    // MARK: Readings

    /// A word as it reads, vowels kept, in the letters sound keys use (`x` as `ks`, `ph` as
    /// `f`, a soft `c` as `s`): `एटोरवा` reads `etorva`, `atorvastatin` reads `atorvastatin`,
    /// `duloxetine` reads `duloksetine`. Among names whose sound starts like a word being typed,
    /// the one that reads most like it comes first.
    public static func reading(_ word: String) -> [UInt8] {
        let scalars = Array(word.unicodeScalars)
        guard let first = scalars.first else { return [] }
        if !contains(first) { return latinReading(scalars) }
        var reading: [UInt8] = []
        for scalar in scalars {
            let value = scalar.value
            switch value {
            case 0x0905, 0x0906, 0x093E: reading.append(UInt8(ascii: "a"))
            case 0x0907, 0x0908, 0x093F, 0x0940: reading.append(UInt8(ascii: "i"))
            case 0x0909, 0x090A, 0x0941, 0x0942: reading.append(UInt8(ascii: "u"))
            case 0x090F, 0x0910, 0x090D, 0x0947, 0x0948, 0x0945: reading.append(UInt8(ascii: "e"))
            case 0x0913, 0x0914, 0x0911, 0x094B, 0x094C, 0x0949: reading.append(UInt8(ascii: "o"))
            case 0x090B, 0x0943: reading += [UInt8(ascii: "r"), UInt8(ascii: "i")]
            case 0x0902, 0x0901: reading.append(UInt8(ascii: "n"))
            case 0x0915...0x0939, 0x0958...0x095F:
                // The vowel a consonant carries when no sign follows is mostly not said inside a
                // word (`एटोरवा` is `etorva`): left out.
                reading.append(consonantSound(value) ?? UInt8(ascii: "y"))
            default: continue
            }
        }
        return reading
    }

    static func latinReading(_ scalars: [Unicode.Scalar]) -> [UInt8] {
        let bytes = scalars.compactMap { $0.isASCII ? UInt8($0.value) | 0x20 : nil }
        var reading: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            defer { index += 1 }
            switch byte {
            case UInt8(ascii: "p") where next == UInt8(ascii: "h"):
                reading.append(UInt8(ascii: "f"))
                index += 1
            case UInt8(ascii: "c"):
                let soft = next == UInt8(ascii: "e") || next == UInt8(ascii: "i") || next == UInt8(ascii: "y")
                reading.append(soft ? UInt8(ascii: "s") : UInt8(ascii: "k"))
                if next == UInt8(ascii: "h") || next == UInt8(ascii: "k") { index += 1 }
            case UInt8(ascii: "x"): reading += [UInt8(ascii: "k"), UInt8(ascii: "s")]
            case UInt8(ascii: "q"): reading.append(UInt8(ascii: "k"))
            case UInt8(ascii: "w"): reading.append(UInt8(ascii: "v"))
            case UInt8(ascii: "z"): reading.append(UInt8(ascii: "j"))
            case UInt8(ascii: "y"): reading.append(UInt8(ascii: "i"))
            default: reading.append(byte)
            }
        }
        return reading
    }

    /// Consonant sounds of a Latin word; `a` for an opening vowel.
    static func latinSounds(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in scalars {
            guard scalar.isASCII else { return nil }
            let byte = UInt8(scalar.value) | 0x20
            guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { return nil }
            bytes.append(byte)
        }
        func isVowel(_ byte: UInt8) -> Bool { "aeiouy".utf8.contains(byte) }
        var sounds: [UInt8] = []
        var index = 0
        if let first = bytes.first, isVowel(first) {
            sounds.append(UInt8(ascii: "a"))
            index = 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            defer { index += 1 }
            if isVowel(byte) { continue }
            switch byte {
            case UInt8(ascii: "p") where next == UInt8(ascii: "h"):
                sounds.append(UInt8(ascii: "f"))
                index += 1
            case UInt8(ascii: "c"):
                if next == UInt8(ascii: "h") || next == UInt8(ascii: "k") {
                    sounds.append(UInt8(ascii: "k"))
                    index += 1
                } else if next == UInt8(ascii: "e") || next == UInt8(ascii: "i") || next == UInt8(ascii: "y") {
                    sounds.append(UInt8(ascii: "s"))
                } else {
                    sounds.append(UInt8(ascii: "k"))
                }
            case UInt8(ascii: "g"):
                let soft = next == UInt8(ascii: "e") || next == UInt8(ascii: "i") || next == UInt8(ascii: "y")
                sounds.append(soft ? UInt8(ascii: "j") : UInt8(ascii: "g"))
            case UInt8(ascii: "q"):
                sounds.append(UInt8(ascii: "k"))
                if next == UInt8(ascii: "u") {
                    sounds.append(UInt8(ascii: "v"))
                    index += 1
                }
            case UInt8(ascii: "x"):
                sounds += [UInt8(ascii: "k"), UInt8(ascii: "s")]
            case UInt8(ascii: "z"): sounds.append(UInt8(ascii: "j"))
            case UInt8(ascii: "w"): sounds.append(UInt8(ascii: "v"))
            case UInt8(ascii: "h"):
                // `h` opens a word; after a consonant it only colours it (`th`, `dh`, `kh`, `sh`).
                if sounds.isEmpty && index == 0 { sounds.append(byte) }
            default:
                sounds.append(byte)
            }
        }
        return sounds
    }

    /// Consonant sounds of a Devanagari word; `a` for an opening vowel.
    static func devanagariSounds(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var sounds: [UInt8] = []
        for (position, scalar) in scalars.enumerated() {
            let value = scalar.value
            guard contains(scalar) || value == 0x200C || value == 0x200D else { return nil }
            switch value {
            case 0x0904...0x0914, 0x0960, 0x0961:  // independent vowels
                if position == 0 { sounds.append(UInt8(ascii: "a")) }
                if value == 0x090B || value == 0x0960 { sounds.append(UInt8(ascii: "r")) }  // ऋ
            case 0x0915...0x0939, 0x0958...0x095F:
                if let sound = consonantSound(value) {
                    if sound == UInt8(ascii: "h"), position > 0 { continue }
                    sounds.append(sound)
                }
            case 0x0902, 0x0901:  // anusvara, chandrabindu: `m` before `प फ ब भ म व` (`पंप`, `सिंवास्टेटिन`)
                let next = position + 1 < scalars.count ? scalars[position + 1].value : 0
                let labial = (0x092A...0x092E).contains(next) || next == 0x0935
                sounds.append(labial ? UInt8(ascii: "m") : UInt8(ascii: "n"))
            case 0x0943:  // ृ
                sounds.append(UInt8(ascii: "r"))
            case 0x0966...0x096F:
                return nil
            default:
                continue  // vowel signs, virama, nukta, visarga
            }
        }
        return sounds
    }

    /// The Latin letter of a consonant's sound; nil for `य` (heard as a vowel in names).
    static func consonantSound(_ value: UInt32) -> UInt8? {
        switch value {
        case 0x0915, 0x0916, 0x0958, 0x0959: return UInt8(ascii: "k")  // क ख क़ ख़
        case 0x0917, 0x0918, 0x095A: return UInt8(ascii: "g")  // ग घ ग़
        case 0x0919, 0x091E, 0x0923, 0x0928, 0x0929: return UInt8(ascii: "n")  // ङ ञ ण न ऩ
        case 0x091A, 0x091B: return UInt8(ascii: "c")  // च छ
        case 0x091C, 0x091D, 0x095B: return UInt8(ascii: "j")  // ज झ ज़
        case 0x091F, 0x0920, 0x0924, 0x0925: return UInt8(ascii: "t")  // ट ठ त थ
        case 0x0921, 0x0922, 0x0926, 0x0927: return UInt8(ascii: "d")  // ड ढ द ध
        case 0x095C, 0x095D: return UInt8(ascii: "r")  // ड़ ढ़
        case 0x092A: return UInt8(ascii: "p")  // प
        case 0x092B, 0x095E: return UInt8(ascii: "f")  // फ फ़
        case 0x092C, 0x092D: return UInt8(ascii: "b")  // ब भ
        case 0x092E: return UInt8(ascii: "m")  // म
        case 0x092F, 0x095F: return nil  // य य़
        case 0x0930, 0x0931: return UInt8(ascii: "r")  // र ऱ
        case 0x0932, 0x0933, 0x0934: return UInt8(ascii: "l")  // ल ळ ऴ
        case 0x0935: return UInt8(ascii: "v")  // व
        case 0x0936, 0x0937, 0x0938: return UInt8(ascii: "s")  // श ष स
        case 0x0939: return UInt8(ascii: "h")  // ह
        default: return nil
        }
    }
}
