import ArgumentParser
import FormularyModel
import FormularyParsing
import FormularyReference
import Foundation

/// `formulary show PATH...`: prints the record Formulary reads from each page.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the record read from monograph files.",
        discussion: """
            PATH is a Markdown file or a folder searched recursively for `.md` files.
            With --format json, each record is one line of JSON in the public record \
            contract (the same shape as the JSON API), so a folder gives JSON Lines:

              formulary show content/composition --format json | jq .title

            Files that cannot be read as monographs are reported on standard error as
            `path:line:column: error: message`, and the exit status is 1.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Monograph files or folders.", completion: .file(extensions: ["md"]))
    var paths: [String]

    @Option(help: "Output format: text (for people) or json (one record a line).")
    var format: Format = .text

    func run() throws {
        // India's lists are read for matching while the files are listed.
        let reference = try ConfigurationFile.referenceLists(near: paths[0])
        reference.prepare()
        let files: [String]
        do {
            files = try ContentLoader.markdownFiles(in: paths)
        } catch {
            FileHandle.standardError.write(Data("formulary: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if files.isEmpty {
            FileHandle.standardError.write(
                Data("formulary: no .md files under \(paths.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        // Each record is parsed and formatted on both cores, a batch of files at a time, and only
        // its text is kept; the output keeps the files' order, each failure on standard error
        // where its file would be.
        let format = self.format
        let loader = ContentLoader(parser: MonographParser(annotator: reference))
        var output: [UInt8] = []
        var failures = 0
        let batch = 2048
        for start in stride(from: 0, to: files.count, by: batch) {
            let texts = loader.map(Array(files[start..<min(files.count, start + batch)])) {
                outcome -> Result<[UInt8], MonographParseError> in
                switch outcome {
                case .success(let page):
                    switch format {
                    case .json:
                        var line = MonographJSON.bytes(page.monograph, htmlSafe: false)
                        line.append(0x0A)
                        return .success(line)
                    case .text:
                        return .success(Array(MonographTextFormatter.format(page.monograph).utf8))
                    }
                case .failure(let error):
                    return .failure(error)
                }
            }
            for (offset, text) in texts.enumerated() {
                switch text {
                case .success(let text):
                    if format == .text, start + offset > 0 { output.append(0x0A) }
                    output += text
                case .failure(let error):
                    failures += 1
                    FileHandle.standardOutput.write(Data(output))
                    output.removeAll(keepingCapacity: true)
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                }
                if output.count > 1 << 20 {
                    FileHandle.standardOutput.write(Data(output))
                    output.removeAll(keepingCapacity: true)
                }
            }
        }
        FileHandle.standardOutput.write(Data(output))
        if failures > 0 {
            if files.count > 1 {
                FileHandle.standardError.write(
                    Data("formulary: \(failures) of \(files.count) files could not be read\n".utf8))
            }
            throw ExitCode(1)
        }
    }
}

/// The plain-text view of a record, for a person at a terminal.
enum MonographTextFormatter {
    static func format(_ monograph: Monograph) -> String {
        var lines: [String] = []
        lines.append("\(monograph.title)  [\(monograph.kind.rawValue)]  \(monograph.id)")
        if !monograph.ingredients.isEmpty {
            lines.append("  Ingredients:")
            for ingredient in monograph.ingredients {
                lines.append("    - \(ingredient.name)" + (ingredient.strength.map { "  \($0.text)" } ?? ""))
            }
        }
        if let product = monograph.product {
            let target = product.genericSlug ?? product.combinationSlug ?? "?"
            lines.append("  Brand of: \(target)" + (product.company.map { " (\($0))" } ?? ""))
        }
        if monograph.sections.isEmpty {
            lines.append("  Sections: none recognised")
        } else {
            lines.append("  Sections (\(monograph.source.headingStyle.rawValue) style):")
        }
        for section in monograph.sections {
            let words = section.markdown.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
            let label = section.kind == .other ? "other: \(section.heading)" : section.kind.rawValue
            lines.append("    line \(section.line): \(label) (\(words) \(words == 1 ? "word" : "words"))")
        }
        if !monograph.faqs.isEmpty {
            lines.append("  FAQs:")
            for faq in monograph.faqs { lines.append("    Q: \(faq.question)") }
        }
        var flags: [String] = []
        if monograph.flags.banned { flags.append("BANNED") }
        if monograph.flags.aiGenerated { flags.append("AI-drafted") }
        if monograph.disclaimer == nil { flags.append("no disclaimer") }
        if !flags.isEmpty { lines.append("  Flags: " + flags.joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
