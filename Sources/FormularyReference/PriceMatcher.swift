import FormularyModel

/// Finds the Jan Aushadhi products of a page's medicine: the same ingredients (`IngredientKey`),
/// and for a page at a strength (`Paracetamol 650mg`), the same strength of every ingredient.
/// Products the list prices at `0` are left out.
public struct PriceMatcher: Sendable {
    public let list: JanAushadhiPriceList
    let combinations: [ListedCombination]
    private let productsByKeys: [[String]: [Int]]

    public init(list: JanAushadhiPriceList) {
        self.init(list: list, combinations: list.products.map { ListedCombination.product($0.genericName) })
    }

    /// With the products' names already read.
    init(list: JanAushadhiPriceList, combinations: [ListedCombination]) {
        self.list = list
        self.combinations = combinations
        var byKeys: [[String]: [Int]] = [:]
        for (index, combination) in combinations.enumerated()
        where combination.unreadable == nil && list.products[index].mrp > 0 {
            byKeys[combination.keySet, default: []].append(index)
        }
        productsByKeys = byKeys
    }

    /// Products whose names could not be read as ingredients and strengths, with why.
    public var unreadableProducts: [(product: JanAushadhiProduct, reason: String)] {
        zip(list.products, combinations).compactMap { product, combination in
            combination.unreadable.map { (product, $0) }
        }
    }

    /// The products of `ingredients`, in list order.
    public func prices(ingredients: [Ingredient]) -> [Price] { prices(KeyedIngredients(ingredients)) }

    public func prices(_ keyed: KeyedIngredients) -> [Price] {
        let ingredients = keyed.ingredients
        guard !ingredients.isEmpty, let keys = keyed.keySet else { return [] }
        let atStrength = ingredients.allSatisfy { $0.strength != nil }
        var prices: [Price] = []
        for index in productsByKeys[keys] ?? [] {
            let combination = combinations[index]
            if atStrength {
                let agrees = zip(ingredients, keyed.keys).allSatisfy { ingredient, key in
                    guard let component = combination.components.first(where: { $0.key == key }),
                        component.amounts.count == 1, let strength = ingredient.strength
                    else { return false }
                    return component.amounts[0].equals(strength)
                }
                guard agrees else { continue }
            }
            let product = list.products[index]
            prices.append(
                Price(
                    product: product.genericName, code: product.code, pack: product.unitSize, mrp: product.mrp,
                    list: JanAushadhiPriceList.name, date: list.date))
        }
        return prices
    }
}
