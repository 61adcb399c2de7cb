import FormularyModel

/// Reads the ingredients a title names: `Abacavir 600mg + Lamivudine 300mg` is two
/// ingredients with their strengths; `Alemtuzumab 12mg` one.
public enum TitleParser {
    /// The ingredients in title order; empty only for an empty title.
    public static func ingredients(inTitle title: String) -> [Ingredient] {
        title.split(separator: "+", omittingEmptySubsequences: true).compactMap { part in
            let collapsed = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            guard !collapsed.isEmpty else { return nil }
            var (name, strength) = StrengthParser.splitTrailingStrength(collapsed)
            // Generator debris such as a stray ` .` or `,` after the name (`Voglibose .`).
            while let last = name.last, last == "." || last == "," || last == " " { name.removeLast() }
            guard !name.isEmpty else { return nil }
            return Ingredient(name: name, strength: strength)
        }
    }
}
