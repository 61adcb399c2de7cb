/// Why a file could not be read as a monograph, and where.
///
/// The description is compiler-style, `path:line:column: error: message`, so editors and CI
/// can jump to the place.
public struct MonographParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unreadable(String)
        case emptyFile
        case tooLarge(bytes: Int, limit: Int)
        case binaryFile
        case invalidUTF8
        case missingFrontMatter
        case unterminatedFrontMatter
        case frontMatterTooLarge(limit: Int)
        case invalidYAML(String)
        case frontMatterNotMapping(found: String)
        case frontMatterTooComplex(limit: Int)
        case missingTitle
    }

    public var path: String
    public var line: Int
    public var column: Int
    public var reason: Reason

    public init(path: String, line: Int = 1, column: Int = 1, reason: Reason) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// What went wrong and what to do, without the location.
    public var message: String {
        switch reason {
        case .unreadable(let why):
            return "cannot read the file: \(why)"
        case .emptyFile:
            return
                "the file is empty; a monograph starts with front matter ('---', 'title: ...', '---') followed by Markdown"
        case .tooLarge(let bytes, let limit):
            return
                "the file is \(bytes) bytes, more than the \(limit)-byte limit for one monograph; split it or check that it is really a page"
        case .binaryFile:
            return "the file contains a NUL byte and looks binary, not Markdown"
        case .invalidUTF8:
            return "the file is not valid UTF-8 here; save it as UTF-8"
        case .missingFrontMatter:
            return
                "no front matter: a monograph must start with a '---' line, YAML with at least 'title:', and a closing '---' line"
        case .unterminatedFrontMatter:
            return "the front matter opened here is never closed; add a '---' line after the YAML"
        case .frontMatterTooLarge(let limit):
            return "the front matter is longer than \(limit) bytes; is the closing '---' missing?"
        case .invalidYAML(let problem):
            return "the front matter is not valid YAML: \(problem)"
        case .frontMatterNotMapping(let found):
            return "the front matter must be a mapping of keys to values ('title: ...'), not \(found)"
        case .frontMatterTooComplex(let limit):
            return
                "the front matter expands to more than \(limit) YAML nodes (aliases?); monographs need only plain keys and lists"
        case .missingTitle:
            return "the front matter has no 'title:' and the page has no '# Title' heading"
        }
    }

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}
