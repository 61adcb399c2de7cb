import FormularyParsing
import Yams

/// The `generate:` settings of `formulary.yml`:
///
/// ```yaml
/// generate:
///   endpoint: https://api.openai.com/v1
///   model: gpt-4o-mini
///   collection: composition
///   concurrency: 4
///   attempts: 3
///   prices: {input: 0.15, output: 0.60}   # dollars per million tokens, for the estimate
/// ```
///
/// The key is best left to `OPENAI_API_KEY`; `apiKey:` is read too, for sites whose
/// formulary.yml is not in git.
public struct GenerateConfiguration: Sendable, Equatable {
    public var endpoint: String?
    public var model: String?
    public var apiKey: String?
    public var collection: String?
    public var concurrency: Int?
    public var attempts: Int?
    public var inputPrice: Double?
    public var outputPrice: Double?

    public init() {}

    static let keys = ["endpoint", "model", "apiKey", "collection", "concurrency", "attempts", "prices"]

    public typealias Error = SettingsError

    /// The `generate:` mapping of a formulary.yml's text; empty settings when there is none.
    public static func load(yaml: String, path: String) throws(Error) -> GenerateConfiguration {
        var configuration = GenerateConfiguration()
        // The default resolver: `concurrency: 16` is read as the number it is tagged.
        guard let section = try SettingsFile.section("generate", yaml: yaml, path: path, resolver: .default) else {
            return configuration
        }
        guard case .mapping(let mapping) = section else {
            throw Error(path: path, line: line(section), message: "'generate' must hold settings as 'key: value' lines")
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard keys.contains(name) else {
                let suggestion = Spelling.closest(to: name, among: keys).map { "; did you mean '\($0)'?" } ?? ""
                throw Error(path: path, line: line(key), message: "unknown generate setting '\(name)'\(suggestion)")
            }
            switch name {
            case "prices":
                guard case .mapping(let prices) = value else {
                    throw Error(path: path, line: line(value), message: "'prices' must hold 'input' and 'output'")
                }
                for (priceKey, priceValue) in prices {
                    guard let price = priceValue.float.map({ Double($0) }) ?? priceValue.int.map({ Double($0) }),
                        price >= 0
                    else {
                        throw Error(path: path, line: line(priceValue), message: "a price must be a number of dollars")
                    }
                    switch priceKey.string {
                    case "input": configuration.inputPrice = price
                    case "output": configuration.outputPrice = price
                    default:
                        throw Error(
                            path: path, line: line(priceKey),
                            message: "unknown price '\(priceKey.string ?? "")'; prices are 'input' and 'output'")
                    }
                }
            case "concurrency", "attempts":
                guard let number = value.int, number >= 1 else {
                    throw Error(path: path, line: line(value), message: "'\(name)' must be a whole number from 1")
                }
                if name == "concurrency" { configuration.concurrency = number } else { configuration.attempts = number }
            default:
                guard let text = value.string?.trimmingWhitespace(), !text.isEmpty else {
                    throw Error(path: path, line: line(value), message: "'\(name)' must be a non-empty text")
                }
                switch name {
                case "endpoint": configuration.endpoint = text
                case "model": configuration.model = text
                case "apiKey": configuration.apiKey = text
                default: configuration.collection = text
                }
            }
        }
        return configuration
    }

    private static func line(_ node: Node) -> Int { SettingsFile.line(node) }
}
