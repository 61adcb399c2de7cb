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

extension GenerateConfiguration {
    /// These settings under the ones given on the command line: each value `given` has wins.
    public func overridden(by given: GenerateConfiguration) -> GenerateConfiguration {
        var merged = self
        merged.endpoint = given.endpoint ?? endpoint
        merged.model = given.model ?? model
        merged.apiKey = given.apiKey ?? apiKey
        merged.collection = given.collection ?? collection
        merged.concurrency = given.concurrency ?? concurrency
        merged.attempts = given.attempts ?? attempts
        merged.inputPrice = given.inputPrice ?? inputPrice
        merged.outputPrice = given.outputPrice ?? outputPrice
        return merged
    }

    /// Why settings cannot make a run: what is missing or wrong, said as the fix.
    public struct Incomplete: Swift.Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The endpoint to ask, and the run's options for pages written to `contentFolder`: values
    /// not set take their defaults (collection `composition`, 4 requests at once, 3 attempts).
    /// Without an endpoint or a model, or with an endpoint that is no http(s) URL, it says which.
    public func runOptions(contentFolder: String) throws(Incomplete) -> (endpoint: String, options: Generator.Options) {
        guard let endpoint else {
            throw Incomplete(
                description:
                    "give --endpoint URL (such as https://api.openai.com/v1), or set generate: endpoint: in formulary.yml"
            )
        }
        guard let model else {
            throw Incomplete(description: "give --model NAME, or set generate: model: in formulary.yml")
        }
        let lowered = endpoint.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw Incomplete(description: "--endpoint must be an http:// or https:// URL")
        }
        var options = Generator.Options(model: model, contentFolder: contentFolder)
        options.collection = collection ?? options.collection
        options.concurrency = concurrency ?? options.concurrency
        options.maxAttempts = attempts ?? options.maxAttempts
        options.inputPrice = inputPrice
        options.outputPrice = outputPrice
        return (endpoint, options)
    }
}
