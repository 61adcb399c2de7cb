/// An active ingredient as the title names it, with the strength the title gives.
public struct Ingredient: Sendable, Hashable, Codable {
    public var name: String
    /// `nil` when the title gives no strength.
    public var strength: Strength?

    public init(name: String, strength: Strength? = nil) {
        self.name = name
        self.strength = strength
    }

    private enum CodingKeys: String, CodingKey { case name, strength }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(strength, forKey: .strength)  // `null`, not absent, per the contract
    }
}

/// An amount of an ingredient: `12mg`, `100mg/5ml`, `1.5% w/w`.
public struct Strength: Sendable, Hashable, Codable {
    /// The strength as written in the title.
    public var text: String
    public var value: Double
    /// Lower-case canonical unit: `mg`, `mcg`, `g`, `iu`, `ml`, `%w/w`, `%w/v`, `%`; any other unit keeps its lower-cased spelling.
    public var unit: String
    /// The amount the value is given per (`/5ml`), or `nil`.
    public var per: Quantity?

    public init(text: String, value: Double, unit: String, per: Quantity? = nil) {
        self.text = text
        self.value = value
        self.unit = unit
        self.per = per
    }

    private enum CodingKeys: String, CodingKey { case text, value, unit, per }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(per, forKey: .per)
    }

    /// A value and a unit, as in the `5ml` of `100mg/5ml`.
    public struct Quantity: Sendable, Hashable, Codable {
        public var value: Double
        public var unit: String

        public init(value: Double, unit: String) {
            self.value = value
            self.unit = unit
        }
    }
}
