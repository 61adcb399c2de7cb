/// A mistake in a file someone wrote, with its place, printed as a compiler prints one
/// (`formulary.yml:3:1: error: unknown setting 'titel'`), so that an editor or a CI log can jump
/// to it. What the settings, the reference lists, a site's strings and its templates throw;
/// each calls it by a name that says which file it is about (`SettingsError`,
/// `ReferenceListError`, `SiteStrings.Failure`, `TemplateError`).
public struct LocatedError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var line: Int
    /// 1 where only the line is known (a row of a list, a key of the settings).
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int = 1, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}
