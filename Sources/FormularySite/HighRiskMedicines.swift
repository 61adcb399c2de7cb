import FormularyModel
import FormularyParsing

/// Medicines whose pages a wrong word hurts most, by class: the worklist puts them first.
public struct HighRiskMedicines: Sendable, Equatable {
    /// Class name and the ingredient names in it, in the order written.
    public var classes: [(name: String, ingredients: [String])]

    /// Each class's names as words (lower case, letters only), made once: one-word names in a
    /// set, longer ones as word lists.
    private let patterns: [(name: String, single: Set<String>, multiple: [[String]])]

    public init(classes: [(String, [String])]) {
        self.classes = classes.map { (name: $0.0, ingredients: $0.1) }
        patterns = classes.map { group in
            let words = group.1.map { LetterWords.of($0) }.filter { !$0.isEmpty }
            return (group.0, Set(words.filter { $0.count == 1 }.map { $0[0] }), words.filter { $0.count > 1 })
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.classes.map(\.name) == rhs.classes.map(\.name)
            && lhs.classes.map(\.ingredients) == rhs.classes.map(\.ingredients)
    }

    /// The classes a page's ingredients fall in, each once: an ingredient is in a class when its
    /// name holds one of the class's names as whole words (`Insulin Glargine` is insulin;
    /// `Heparin Sodium` is heparin, `Enoxaparin` is not).
    public func classes(of ingredients: [Ingredient]) -> [String] {
        guard !ingredients.isEmpty else { return [] }
        let names = ingredients.map { LetterWords.of($0.name) }
        let words = Set(names.joined())
        func holds(_ name: [String], _ run: [String]) -> Bool {
            guard name.count >= run.count else { return false }
            return (0...(name.count - run.count)).contains { start in
                name[start..<(start + run.count)].elementsEqual(run)
            }
        }
        return patterns.filter { group in
            !group.single.isDisjoint(with: words)
                || group.multiple.contains { run in names.contains { holds($0, run) } }
        }.map(\.name)
    }

    /// The list `formulary init` writes and a site without `review:` uses. After the ISMP List
    /// of High-Alert Medications in Community/Ambulatory Care Settings (Institute for Safe
    /// Medication Practices, 2021) and the narrow-therapeutic-index drugs of the US FDA's
    /// product-specific guidances; a site edits it to its own.
    public static let defaults = HighRiskMedicines(classes: [
        (
            "anticoagulants",
            [
                "warfarin", "acenocoumarol", "heparin", "enoxaparin", "dalteparin", "fondaparinux", "dabigatran",
                "rivaroxaban", "apixaban", "edoxaban",
            ]
        ),
        ("insulins", ["insulin"]),
        (
            "opioids",
            [
                "morphine", "fentanyl", "oxycodone", "hydromorphone", "methadone", "buprenorphine", "tramadol",
                "tapentadol", "codeine", "pethidine", "pentazocine",
            ]
        ),
        ("sulfonylureas", ["glibenclamide", "glyburide", "glimepiride", "gliclazide", "glipizide"]),
        ("oral methotrexate", ["methotrexate"]),
        (
            "narrow therapeutic index",
            [
                "digoxin", "lithium", "phenytoin", "carbamazepine", "valproate", "valproic acid", "theophylline",
                "ciclosporin", "cyclosporine", "tacrolimus", "levothyroxine", "amiodarone", "colchicine",
            ]
        ),
        ("chemotherapy (oral)", ["capecitabine", "cyclophosphamide", "mercaptopurine", "temozolomide", "imatinib"]),
    ])

    /// The list as `formulary.yml` lines (what `formulary init` writes).
    public var yaml: String {
        classes.map { "    \($0.name): [\($0.ingredients.joined(separator: ", "))]" }.joined(separator: "\n")
    }
}
