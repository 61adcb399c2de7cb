import Yams

/// A problem in `formulary.yml`, with its place: what every part of the settings throws (the
/// site's, `check:`, `generate:`).
public typealias SettingsError = LocatedError

/// Reading `formulary.yml`, the one way each part of the settings does: its YAML composed
/// (invalid YAML is an error at line 1), the part's section found, lines for messages.
public enum SettingsFile {
    /// The file's root node, nil for an empty file. `resolver` decides the tags of plain
    /// scalars (`.basic`: all text, each part converts its values itself).
    public static func root(yaml: String, path: String, resolver: Resolver = .basic) throws(SettingsError) -> Node? {
        do {
            return try Yams.compose(yaml: yaml, resolver, .default, .utf8)
        } catch {
            throw SettingsError(path: path, line: 1, message: "not valid YAML: \(error)")
        }
    }

    /// The top-level entry `name` (`check`, `generate`), nil when the file has none.
    public static func section(_ name: String, yaml: String, path: String, resolver: Resolver = .basic)
        throws(SettingsError) -> Node?
    {
        guard case .mapping(let top)? = try root(yaml: yaml, path: path, resolver: resolver) else { return nil }
        return top[name]
    }

    /// The line a node starts on, for messages.
    public static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }
}
