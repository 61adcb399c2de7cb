import FormularyModel

/// Reads the ingredients a title names: `Abacavir 600mg + Lamivudine 300mg` is two
/// ingredients with their strengths; `Alemtuzumab 12mg` one.
public enum TitleParser {
    /// The Latin name a translation's title gives in parentheses after its own script's:
    /// `पैरासिटामोल 650mg (Paracetamol 650mg)` gives `Paracetamol 650mg`, whose ingredients
    /// and strengths are the source page's. Nil for a title in Latin letters.
    public static func latinName(in title: String) -> String? {
        let bytes = title.utf8
        // Letters beyond Latin-1 start with a byte of 0xC0 or more; most titles have none.
        guard bytes.contains(where: { $0 >= 0xC0 }), bytes.last == UInt8(ascii: ")"),
            let open = bytes.lastIndex(of: UInt8(ascii: "("))
        else { return nil }
        let inner = bytes[bytes.index(after: open)..<bytes.index(before: bytes.endIndex)]
        guard !inner.contains(where: { $0 >= 0x80 }),
            inner.contains(where: { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }),
            title[..<open].unicodeScalars.contains(where: isOtherScriptLetter)
        else { return nil }
        let trimmed = String(decoding: inner, as: UTF8.self).trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A letter of a script other than Latin (Devanagari, Tamil, Bengali, Greek...): not
    /// punctuation such as `’`, and not Latin with accents.
    static func isOtherScriptLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0x0370, scalar.properties.isAlphabetic else { return false }
        return !(0x1E00...0x1EFF).contains(value) && !(0x2C60...0x2C7F).contains(value)
            && !(0xA720...0xA7FF).contains(value) && !(0xFB00...0xFB06).contains(value)
    }

    /// The ingredients in title order; empty only for an empty title.
    public static func ingredients(inTitle title: String) -> [Ingredient] {
        if let latin = latinName(in: title) { return ingredients(inTitle: latin) }
        // On bytes (`+`, spaces and tabs are ASCII): every page's title goes through here.
        var ingredients: [Ingredient] = []
        var collapsed: [UInt8] = []
        for part in title.utf8.split(separator: UInt8(ascii: "+")) {
            // Runs of spaces and tabs become one space; none at either end.
            collapsed.removeAll(keepingCapacity: true)
            var pendingSpace = false
            for byte in part {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    pendingSpace = !collapsed.isEmpty
                } else {
                    if pendingSpace { collapsed.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    collapsed.append(byte)
                }
            }
            guard !collapsed.isEmpty else { continue }
            var (name, strength) = StrengthParser.splitTrailingStrength(String(decoding: collapsed, as: UTF8.self))
            // Generator debris such as a stray ` .` or `,` after the name (`Voglibose .`).
            while let last = name.utf8.last,
                last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: " ")
            {
                name.removeLast()
            }
            guard !name.isEmpty else { continue }
            ingredients.append(Ingredient(name: name, strength: strength))
        }
        return ingredients
    }
}
