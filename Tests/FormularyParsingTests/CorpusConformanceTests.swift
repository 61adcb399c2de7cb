import FormularyModel
import Foundation
import Testing

@testable import FormularyParsing

/// The whole shared corpus: every file yields a record or a precise error, and every v1
/// composition that really has the seven canonical sections gets all seven recognised.
@Suite("Conformance over the shared corpus", .enabled(if: CorpusFixture.isAvailable, CorpusFixture.missingMessage))
struct CorpusConformanceTests {
    static let outcomes: [(path: String, outcome: ContentLoader.Outcome)] = {
        let files = (try? ContentLoader.markdownFiles(in: [CorpusFixture.root])) ?? []
        return Array(zip(files, ContentLoader().load(files))).map { ($0.0, $0.1) }
    }()

    @Test("every file yields a record or a precise error")
    func everyFile() {
        #expect(Self.outcomes.count > 11_000, "expected the whole corpus (about 11,100 files)")
        for (path, outcome) in Self.outcomes {
            switch outcome {
            case .success(let page):
                #expect(!page.monograph.title.isEmpty, "\(path): empty title")
            case .failure(let error):
                // A failure must say where: this path and a real line.
                #expect(error.path == path && error.line >= 1, "\(error)")
                Issue.record("\(error)")  // The current corpus has no unreadable file.
            }
        }
    }

    /// A page "really has" a section when a line opens with its name as a heading or a bold
    /// label, found here with a deliberately simple scan independent of the parser.
    static func namedSections(in text: String) -> Set<SectionKind> {
        let names: [String: SectionKind] = [
            "generic name": .genericName, "usage": .usage, "dosage": .dosage, "side effects": .sideEffects,
            "how it works": .howItWorks, "precautions": .precautions, "faqs": .faqs,
        ]
        var found: Set<SectionKind> = []
        for line in text.split(separator: "\n") {
            var rest = Substring(line)
            if rest.hasPrefix("#") {
                rest = rest.drop(while: { $0 == "#" }).drop(while: { $0 == " " })
            } else if !rest.hasPrefix("**") {
                continue
            }
            rest = rest.drop(while: { $0 == "*" })
            let name = rest.prefix(while: { $0.isLetter || $0 == " " }).lowercased().trimmingCharacters(
                in: .whitespaces)
            if let kind = names[name] { found.insert(kind) }
        }
        return found
    }

    @Test("v1 compositions with the seven canonical sections get all seven recognised")
    func sevenSections() throws {
        var candidates = 0
        var shortfalls: [String] = []
        for (path, outcome) in Self.outcomes where path.contains("/rxhive-v1/composition/") {
            guard case .success(let page) = outcome else { continue }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard Self.namedSections(in: text).count == 7 else { continue }
            candidates += 1
            let kinds = Set(page.monograph.sections.map(\.kind))
            let missing = SectionKind.core.filter { !kinds.contains($0) }
            if !missing.isEmpty {
                shortfalls.append("\(path): missing \(missing.map(\.rawValue).joined(separator: ", "))")
            }
        }
        // About 98% of the 6,447 compositions have all seven; the rest are refusals or stubs.
        #expect(candidates > 6_300)
        if !shortfalls.isEmpty { print("Pages that fall short:\n" + shortfalls.joined(separator: "\n")) }
        #expect(shortfalls.isEmpty, "\(shortfalls.count) pages fall short; see the list printed above")
    }

    @Test("v2 FAQ pairs agree with the front matter's count where both exist")
    func v2FAQs() throws {
        var compared = 0
        var disagreements: [String] = []
        for (path, outcome) in Self.outcomes where path.contains("/rxhive-v2/") {
            guard case .success(let page) = outcome,
                case .sequence(let items)? = try page.frontMatter.resolvedValue(forKey: "faqs", path: path)
            else { continue }
            compared += 1
            let answered = items.filter { (($0["a"]?.string) ?? "").trimmingCharacters(in: .whitespaces).count > 2 }
                .count
            if answered != page.monograph.faqs.count, answered == items.count {
                disagreements.append("\(path): front matter \(answered), parsed \(page.monograph.faqs.count)")
            }
        }
        #expect(compared > 4_000)
        if !disagreements.isEmpty { print("v2 FAQ count disagreements:\n" + disagreements.joined(separator: "\n")) }
        // A handful of pages hold more (or fewer) pairs in the body than in front matter; each was read by hand.
        #expect(disagreements.count <= 10, "\(disagreements.count) disagreements")
    }

    @Test("no FAQ question keeps marker or emphasis debris")
    func cleanQuestions() {
        var dirty: [String] = []
        for (path, outcome) in Self.outcomes {
            guard case .success(let page) = outcome else { continue }
            for faq in page.monograph.faqs
            where faq.question.range(of: #"^(Q\d*|Question\s*\d*)\s*[:.]"#, options: .regularExpression) != nil
                || faq.question.contains("**") || faq.answer.hasPrefix("A:") || faq.answer.hasPrefix("**A:")
                || faq.answer.hasPrefix("A:**") || faq.question.isEmpty || faq.answer.isEmpty
            {
                dirty.append("\(path): \(faq.question.prefix(60)) / \(faq.answer.prefix(40))")
            }
        }
        if !dirty.isEmpty { print(dirty.prefix(50).joined(separator: "\n")) }
        #expect(dirty.isEmpty, "\(dirty.count) FAQ pairs with debris")
    }

    @Test("every title's ingredients are non-empty and strengths are parsed in the generic collection")
    func ingredients() {
        var missingStrength: [String] = []
        for (path, outcome) in Self.outcomes where path.contains("/rxhive-v1/generic/") {
            guard case .success(let page) = outcome else { continue }
            #expect(!page.monograph.ingredients.isEmpty, "\(path)")
            // A digit followed by a unit in the title must come out as a strength.
            let title = page.monograph.title
            let hasUnit =
                title.range(of: #"\d\s?(mg|mcg|gm|g|iu|au|ml|%)\b"#, options: [.regularExpression, .caseInsensitive])
                != nil
            if hasUnit, page.monograph.ingredients.allSatisfy({ $0.strength == nil }) { missingStrength.append(title) }
        }
        #expect(missingStrength.isEmpty, "titles with a strength that was not parsed: \(missingStrength)")
    }
}
