import ArgumentParser
import FormularyModel
import FormularyParsing
import FormularyReference
import FormularySearch
import FormularySite
import Foundation

/// `formulary search QUERY --content DIR`: medicine-aware search from the command line.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search monographs by name, other name, brand, combination or strength.",
        discussion: """
            Finds `paracetamol` for `acetaminophen`, `paracetmol` or `parac`; `amoxycillin \
            clavulanic` in any order; `paracetamol 650` only at 650. Results are best first: \
            the exact medicine, then combinations that contain it, then pages that only \
            mention the words.

            --queries FILE answers one query a line (`-` for standard input) from one loaded \
            index. --evaluate FILE scores an evaluation set (category, query, expected id, \
            tab-separated) and prints success@1, success@5 and MRR per category.
            """
    )

    @Argument(help: "The query.")
    var query: String?

    @Option(help: "The folder of monographs to search (default: ./content).", completion: .directory)
    var content: String?

    @Option(help: "A site folder: search its content folder, with its formulary.yml.", completion: .directory)
    var site: String?

    @Option(help: "Output: text (for people) or json (the search contract).")
    var format: Show.Format = .text

    @Option(help: "How many results to print.")
    var limit: Int = 10

    @Option(help: "Only pages of this kind: single, combination or brand.")
    var kind: MonographKind?

    @Option(help: "Only pages that contain this ingredient (any of its names).")
    var ingredient: String?

    @Option(help: "Only pages prohibited in India (banned) or only pages that are not (not-banned).")
    var regulatory: RegulatoryFilter?

    @Option(
        help:
            "The reader's language (hi): each medicine found is given in it when it has a translation (paracetamol.hi.md)."
    )
    var language: String?

    @Option(help: "Answer every query in FILE, one a line ('-' for standard input), one JSON object a line.")
    var queries: String?

    @Option(help: "Score the evaluation set in FILE and print success@1, success@5 and MRR per category.")
    var evaluate: String?

    func validate() throws {
        if query == nil && queries == nil && evaluate == nil {
            throw ValidationError("give a QUERY, --queries FILE or --evaluate FILE")
        }
        if let query, query.allSatisfy(\.isWhitespace) {
            throw ValidationError("the query is empty; give words to search for, such as a medicine's name or a use")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if content != nil, site != nil { throw ValidationError("give --content or --site, not both") }
    }

    func run() throws {
        var content = self.content ?? "content"
        var config: String?
        if let site {
            do {
                let folder = try SiteFolder.open(site)
                (content, config) = (folder.contentPath, folder.settingsFile)
            } catch {
                let message = error.description(otherwise: "to search a folder of pages, give --content DIR")
                FileHandle.standardError.write(Data("formulary search: \(message)\n".utf8))
                throw ExitCode(2)
            }
        }
        guard FileManager.default.fileExists(atPath: content) else {
            FileHandle.standardError.write(
                Data("formulary search: no such folder \(content); give --content DIR or --site DIR\n".utf8))
            throw ExitCode(2)
        }
        let files = try ContentLoader.markdownFiles(in: [content])
        let reference = try ConfigurationFile.referenceLists(near: content, config: config, withPrices: false)
        let pages = ContentLoader(parser: MonographParser(annotator: reference)).load(files).compactMap {
            try? $0.get()
        }
        let engine = SearchEngine(index: SearchIndex(pages: pages))
        let options = SearchOptions(
            limit: limit, kind: kind, ingredient: ingredient, regulatory: regulatory, language: language)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        if let evaluate {
            let evaluation = SearchEvaluation(tsv: try String(contentsOfFile: evaluate, encoding: .utf8))
            let rankings = evaluation.cases.map {
                engine.search($0.query, options: SearchOptions(limit: 10, language: language)).results.map(\.id)
            }
            print("category        queries  success@1  success@5    MRR")
            for score in evaluation.score(rankings) {
                print(
                    score.category.padding(toLength: 16, withPad: " ", startingAt: 0)
                        + String(
                            format: "%7d  %9.3f  %9.3f  %6.3f", score.queries, score.successAt1, score.successAt5,
                            score.meanReciprocalRank))
            }
            return
        }
        if let queries {
            let text =
                queries == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: queries, encoding: .utf8)
            var output = Data()
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                output.append(try encoder.encode(engine.search(String(line), options: options)))
                output.append(0x0A)
            }
            FileHandle.standardOutput.write(output)
            return
        }
        let response = engine.search(query ?? "", options: options)
        switch format {
        case .json:
            FileHandle.standardOutput.write(try encoder.encode(response) + Data("\n".utf8))
        case .text:
            print(
                "\(response.total) result\(response.total == 1 ? "" : "s") for \"\(response.query)\" in \(response.tookMicroseconds) µs"
            )
            for (rank, result) in response.results.enumerated() {
                let status =
                    result.regulatory.map {
                        $0.banned ? "  PROHIBITED IN INDIA" : "  (India: \($0.status), \($0.match) match)"
                    }
                    ?? ""
                print(
                    "\(rank + 1). \(result.title)  [\(result.kind.rawValue)]  \(result.id)  (\(result.score))\(status)")
                let plain = result.snippet.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(
                    of: "</mark>", with: "")
                print("   \(plain)")
            }
        }
    }
}

extension MonographKind: ExpressibleByArgument {}
extension RegulatoryFilter: ExpressibleByArgument {}
