import FormularyModel
import Testing

@testable import FormularyParsing

@Suite("StrengthParser")
struct StrengthParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var value: Double
        var unit: String
        var per: Strength.Quantity?
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "12mg", value: 12, unit: "mg"),
        Case(text: "325 mg", value: 325, unit: "mg"),
        Case(text: "37.5mg", value: 37.5, unit: "mg"),
        Case(text: "100mcg", value: 100, unit: "mcg"),
        Case(text: "50000IU", value: 50000, unit: "iu"),
        Case(text: "100mg/5ml", value: 100, unit: "mg", per: .init(value: 5, unit: "ml")),
        Case(text: "10mg/ml", value: 10, unit: "mg", per: .init(value: 1, unit: "ml")),
        Case(text: "1.5% w/w", value: 1.5, unit: "%w/w"),
        Case(text: "0.025% w/w", value: 0.025, unit: "%w/w"),
        Case(text: "1% w/v", value: 1, unit: "%w/v"),
        Case(text: "2gm", value: 2, unit: "g"),
        Case(text: "2.5mg", value: 2.5, unit: "mg"),
        Case(text: "50000AU", value: 50000, unit: "au"),
        Case(text: "40mg/0.4ml", value: 40, unit: "mg", per: .init(value: 0.4, unit: "ml")),
        Case(text: "5%", value: 5, unit: "%"),
        Case(text: "0.25 mcg", value: 0.25, unit: "mcg"),
        Case(text: "100 IU/ml", value: 100, unit: "iu", per: .init(value: 1, unit: "ml")),
    ]

    @Test("parses a whole strength", arguments: cases)
    func parses(_ example: Case) throws {
        let strength = try #require(StrengthParser.parse(example.text))
        #expect(strength == Strength(text: example.text, value: example.value, unit: example.unit, per: example.per))
    }

    @Test(
        "rejects what is not a strength",
        arguments: ["", "mg", "12", "99m", "2b", "21A", "12 apples", "1.2.3mg", "% w/w", "-5mg"])
    func rejects(_ text: String) {
        #expect(StrengthParser.parse(text) == nil)
    }

    @Test("splits a trailing strength off a name")
    func splitsTrailing() {
        let (name, strength) = StrengthParser.splitTrailingStrength("Alemtuzumab 12mg")
        #expect(name == "Alemtuzumab")
        #expect(strength == Strength(text: "12mg", value: 12, unit: "mg"))
        let bracketed = StrengthParser.splitTrailingStrength("Amoxycillin (500mg)")
        #expect(bracketed.name == "Amoxycillin")
        #expect(bracketed.strength?.value == 500)
    }

    @Test(
        "keeps digits that are part of a name",
        arguments: [
            "Vitamin B12", "Omega-3 Fatty Acids", "Technetium Tc 99m Medronate", "Interferon Alfa 2b", "Typhoid TY 21A",
            "2-Deoxy-D-Glucose", "Vitamin D3",
        ])
    func keepsNameDigits(_ name: String) {
        let split = StrengthParser.splitTrailingStrength(name)
        #expect(split.name == name)
        #expect(split.strength == nil)
    }

    @Test("reads strengths inside combination titles")
    func combinationTitle() {
        let ingredients = TitleParser.ingredients(inTitle: "Abacavir 600mg + Dolutegravir 50mg + Lamivudine 300mg")
        #expect(
            ingredients == [
                Ingredient(name: "Abacavir", strength: Strength(text: "600mg", value: 600, unit: "mg")),
                Ingredient(name: "Dolutegravir", strength: Strength(text: "50mg", value: 50, unit: "mg")),
                Ingredient(name: "Lamivudine", strength: Strength(text: "300mg", value: 300, unit: "mg")),
            ])
    }

    @Test("a combination title mixes ingredients with and without strengths")
    func partialStrengths() {
        let ingredients = TitleParser.ingredients(inTitle: "Aceclofenac 100mg + Paracetamol 500mg + Chlorzoxazone")
        #expect(ingredients.map(\.name) == ["Aceclofenac", "Paracetamol", "Chlorzoxazone"])
        #expect(ingredients.map { $0.strength?.text } == ["100mg", "500mg", nil])
        let topical = TitleParser.ingredients(inTitle: "Adapalene 0.1% w/v + Clindamycin 1% w/v")
        #expect(topical.map { $0.strength?.unit } == ["%w/v", "%w/v"])
        #expect(topical.map { $0.strength?.value } == [0.1, 1])
    }
}
