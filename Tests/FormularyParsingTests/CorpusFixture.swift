import Foundation
import FormularyParsing
import Testing

/// The shared RxHive corpus at `../shared/corpus`, beside the repository. Tests that need it
/// are disabled, with a message naming the path, when it is absent.
enum CorpusFixture {
    /// `../shared/corpus`, resolved from this file's location (Tests/FormularyParsingTests/).
    static let root: String = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/rxhive-v1") }

    static let missingMessage: Comment =
        "the shared corpus is not at \(root); these tests read it from ../shared/corpus"

    /// The absolute path of a corpus file, e.g. `rxhive-v1/generic/alemtuzumab-12mg.md`.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Parses a corpus file, failing the test with the parser's message if it cannot.
    static func parse(_ relative: String) throws -> ParsedPage {
        try MonographParser().parse(contentsOf: path(relative))
    }
}
