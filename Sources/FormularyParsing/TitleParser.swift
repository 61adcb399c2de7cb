import FormularyModel

/// Reads the ingredients a title names: `Abacavir 600mg + Lamivudine 300mg` is two
/// ingredients with their strengths; `Alemtuzumab 12mg` one.
public enum TitleParser {
    /// The ingredients in title order; empty only for an empty title.
    public static func ingredients(inTitle title: String) -> [Ingredient] {
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
