import Foundation
import Testing

@testable import FormularyReference

@Suite("The built-in reference lists")
struct ReferenceDataTests {
    @Test("the compiled-in lists are the files in Data/india")
    func embeddedAgree() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/india").standardized.path
        for (name, text) in ReferenceData.files {
            let file = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(file.trimmingCharacters(in: .newlines) == text, "\(name): run scripts/embed-reference-data.py")
        }
        #expect(
            ReferenceData.files.count
                == (try FileManager.default.contentsOfDirectory(atPath: folder)).filter { $0.hasSuffix(".csv") }.count)
    }

    @Test("the built-in lists load whole, with their sources")
    func builtInLoads() {
        let lists = ReferenceLists.builtIn
        #expect(lists.banned.list.entries.count == 609)
        #expect(lists.prices?.list.date == "2026-09-30")
        #expect((lists.prices?.list.products.count ?? 0) > 2000)
        #expect(ReferenceLists.builtInWithoutPrices.prices == nil)
    }
}
