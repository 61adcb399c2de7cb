import FormularyModel
import FormularyParsing

/// Finds the rows of the banned list that name a page's medicine.
///
/// A row matches when it names the same set of active ingredients as the page (`IngredientKey`:
/// other names, salts, spelling; order ignored). One ingredient more or fewer is a different
/// combination and never matches. A row that names a dosage form or strengths matches only a
/// page of that form and strength (`exact`); when the page does not say, the match is
/// `possible`, for a person to decide. So is a row whose names differ from the page's by one
/// letter in one ingredient (a misspelling the spelling rules do not know).
public struct RegulatoryMatcher: Sendable {
    public struct Match: Sendable, Hashable {
        public var entry: BannedCombination
        public var kind: RegulatoryMatch
        public var reason: String?
    }

    public let list: BannedCombinationList
    let combinations: [ListedCombination]
    private let rowsByKeys: [[String]: [Int]]
    /// Rows by their key set less one key, for near misses.
    private let rowsByKeysLessOne: [[String]: [(row: Int, missing: String)]]

    public init(list: BannedCombinationList) {
        self.init(list: list, combinations: list.entries.map { ListedCombination.banned($0.combination) })
    }

    /// With the rows already read (`ReferenceLists` reads both lists' rows on every core).
    init(list: BannedCombinationList, combinations: [ListedCombination]) {
        self.list = list
        self.combinations = combinations
        var byKeys: [[String]: [Int]] = [:]
        var lessOne: [[String]: [(row: Int, missing: String)]] = [:]
        for (row, combination) in combinations.enumerated() where combination.unreadable == nil {
            let keys = combination.keySet
            byKeys[keys, default: []].append(row)
            for key in keys {
                lessOne[keys.filter { $0 != key }, default: []].append((row, key))
            }
        }
        rowsByKeys = byKeys
        rowsByKeysLessOne = lessOne
    }

    /// Rows that cannot be matched by ingredients (a class of drugs, a kit), with why.
    public var unreadableRows: [(entry: BannedCombination, reason: String)] {
        zip(list.entries, combinations).compactMap { entry, combination in
            combination.unreadable.map { (entry, $0) }
        }
    }

    /// Every matching row, exact matches first, then by date (the earliest notification first).
    public func matches(ingredients: [Ingredient], title: String) -> [Match] {
        matches(KeyedIngredients(ingredients), title: title)
    }

    public func matches(_ keyed: KeyedIngredients, title: String) -> [Match] {
        guard keyed.ingredients.count >= 2, let keys = keyed.keySet else { return [] }
        let pageForm = Self.form(ofTitle: title)
        var found: [Match] = []
        for row in rowsByKeys[keys] ?? [] {
            if let match = compare(row: row, keyed, pageForm: pageForm) { found.append(match) }
        }
        // Near misses: the same ingredients but one, and that one spelt one letter apart.
        for (position, key) in keys.enumerated() where key.count >= 6 {
            var lessOne = keys
            lessOne.remove(at: position)
            for candidate in rowsByKeysLessOne[lessOne] ?? [] where candidate.missing != key {
                guard candidate.missing.count >= 6, combinations[candidate.row].keySet.count == keys.count,
                    EditDistance.between(candidate.missing, key, limit: 2) <= 1,
                    !found.contains(where: { $0.entry == list.entries[candidate.row] })
                else { continue }
                let listed = combinations[candidate.row].components.first { $0.key == candidate.missing }?.name ?? ""
                let page = keyed.ingredient(withKey: key)?.name ?? ""
                found.append(
                    Match(
                        entry: list.entries[candidate.row], kind: .possible,
                        reason:
                            "the notification's '\(listed)' and the page's '\(page)' are one letter apart as Formulary compares names; a person must say whether they are the same substance"
                    ))
            }
        }
        return found.sorted { first, second in
            if (first.kind == .exact) != (second.kind == .exact) { return first.kind == .exact }
            if (first.entry.status == "banned") != (second.entry.status == "banned") {
                return first.entry.status == "banned"
            }
            return (first.entry.date, first.entry.list, first.entry.item) < (
                second.entry.date, second.entry.list, second.entry.item
            )
        }
    }

    private func compare(row: Int, _ keyed: KeyedIngredients, pageForm: [String]) -> Match? {
        let ingredients = keyed.ingredients
        let combination = combinations[row]
        let entry = list.entries[row]
        var unknown: [String] = []
        if !combination.form.isEmpty {
            if pageForm.isEmpty {
                unknown.append(
                    "the notification names the form (\(combination.form.map { FormWords.spoken[$0] ?? $0 }.joined(separator: ", "))) and the page does not say which form it describes"
                )
            } else if pageForm != combination.form {
                return nil
            }
        }
        if combination.namesStrengths {
            let strengths = ingredients.compactMap(\.strength)
            if strengths.count < ingredients.count {
                let named = combination.strengthText
                unknown.append(
                    "the notification names strengths\(named.isEmpty ? "" : " (\(named))") and the page states none")
            } else if !Self.strengthsAgree(combination, keyed) {
                return nil
            }
        }
        if unknown.isEmpty { return Match(entry: entry, kind: .exact, reason: nil) }
        return Match(entry: entry, kind: .possible, reason: unknown.joined(separator: "; "))
    }

    /// Every ingredient the row gives strengths for has one of them on the page.
    static func strengthsAgree(_ combination: ListedCombination, _ keyed: KeyedIngredients) -> Bool {
        // Strengths written apart from the names (`(100mg + 40mg) per 5ml`) cannot be told apart per ingredient.
        guard combination.components.contains(where: { !$0.amounts.isEmpty }) else { return false }
        for component in combination.components where !component.amounts.isEmpty {
            guard let ingredient = keyed.ingredient(withKey: component.key),
                let strength = ingredient.strength,
                component.amounts.contains(where: { $0.equals(strength) })
            else { return false }
        }
        return true
    }

    /// The dosage form a title states, as canonical form words: `Testosterone (Injection)`
    /// gives `injection`; most titles state none.
    static func form(ofTitle title: String) -> [String] {
        var form: Set<String> = []
        var reader = TextReader(title)
        let outside = reader.withoutAsides { aside in
            let words = LetterWords.of(aside)
            if words.allSatisfy({ FormWords.canonical[$0] != nil || FormWords.release[$0] != nil }) {
                for word in words { form.insert(FormWords.canonical[word] ?? FormWords.release[word]!) }
            }
        }
        var words = LetterWords.of(outside)
        while words.count > 1, let last = words.last, let canonical = FormWords.canonical[last] {
            form.insert(canonical)
            words.removeLast()
        }
        return form.sorted()
    }
}
