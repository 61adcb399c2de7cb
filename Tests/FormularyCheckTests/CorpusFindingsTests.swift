import Foundation
import FormularyParsing
import Testing

@testable import FormularyCheck

/// The shared corpus at ../shared/corpus, beside the repository.
enum SharedCorpus {
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus").path

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/rxhive-v1") }

    static let missingMessage: Comment =
        "the shared corpus is not at \(root); these tests read it from ../shared/corpus"
}

/// The corpus's known defects are found (see ../shared/docs/corpus.md).
@Suite("check on the shared corpus", .enabled(if: SharedCorpus.isAvailable, SharedCorpus.missingMessage))
struct CorpusFindingsTests {
    static let root = SharedCorpus.root

    static let diagnostics: [Diagnostic] = {
        let files = (try? ContentLoader.markdownFiles(in: [root])) ?? []
        return Checker().check(ContentLoader(parser: MonographParser(extractsFAQs: false)).load(files))
    }()

    func diagnostics(_ rule: String) -> [Diagnostic] { Self.diagnostics.filter { $0.rule == rule } }

    @Test("acetaminophen-paracetamol is reported as the same medicine as paracetamol")
    func duplicateParacetamol() {
        let found = diagnostics("duplicate-medicine").filter {
            $0.path.hasSuffix("/composition/a/acetaminophen-paracetamol.md")
        }
        #expect(found.map(\.message) == ["the same medicine as composition/paracetamol; merge the pages"])
    }

    @Test("every page that says 'I am an AI' or 'as an AI' is reported")
    func selfReference() throws {
        var expected: Set<String> = []
        for path in try ContentLoader.markdownFiles(in: [Self.root]) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if text.contains("I am an AI") || text.contains("as an AI") || text.contains("As an AI") {
                expected.insert(path)
            }
        }
        #expect(expected.count >= 13)
        let reported = Set(diagnostics("ai-self-reference").map(\.path))
        #expect(expected.subtracting(reported).isEmpty, "missed: \(expected.subtracting(reported).sorted())")
    }

    @Test("refusals without a single section are errors")
    func refusals() {
        let refusals = diagnostics("ai-refusal")
        #expect(refusals.count >= 45, "51 pages have no core section; all but a few say why in a way the rule knows")
        #expect(refusals.allSatisfy { $0.severity == .error })
        #expect(refusals.contains { $0.path.hasSuffix("/composition/v/valdecoxib-tizanidine.md") })
    }

    @Test("names damaged by the generator are reported")
    func damagedNames() {
        let messages = diagnostics("damaged-name").map(\.message)
        #expect(
            messages.contains("the name 'Omega-' ends with a hyphen: a number was probably stripped by the generator"))
        #expect(
            messages.contains(
                "the name 'Interferon Beta-' ends with a hyphen: a number was probably stripped by the generator"))
        #expect(messages.contains { $0.hasPrefix("the name 'Vitamin B' lacks its number") })
        #expect(!messages.contains { $0.contains("'Polymyxin B'") }, "Polymyxin B is a whole name")
    }

    @Test("no page fails to read, and the seed page is clean but for the AI preamble and its missing sections")
    func seed() {
        #expect(diagnostics("unreadable-page").isEmpty)
        #expect(diagnostics("invalid-front-matter").isEmpty)
        let seed = Self.diagnostics.filter { $0.path.hasSuffix("/generic/alemtuzumab-12mg.md") }
        #expect(seed.map(\.rule) == ["missing-section", "ai-self-reference"])
        #expect(seed.first?.message == "missing sections: Dosage, Precautions")
    }
}
