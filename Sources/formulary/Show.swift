import ArgumentParser
import FormularyModel
import FormularyParsing
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
        let outcomes = ContentLoader().load(files)
        // Each record is formatted on both cores; the output keeps the files' order, each
        // failure on standard error where its file would be.
        let format = self.format
        let texts = ResultSlots<[UInt8]?>(count: outcomes.count)
        DispatchQueue.concurrentPerform(iterations: (outcomes.count + 31) / 32) { chunk in
            for index in (chunk * 32)..<min(outcomes.count, chunk * 32 + 32) {
                guard case .success(let page) = outcomes[index] else {
                    texts.set(index, nil)
                    continue
                }
                switch format {
                case .json:
                    var line = MonographJSON.bytes(page.monograph, htmlSafe: false)
                    line.append(0x0A)
                    texts.set(index, line)
                case .text:
                    texts.set(index, Array(MonographTextFormatter.format(page.monograph).utf8))
                }
            }
        }
        var output: [UInt8] = []
        var failures = 0
        for (index, text) in texts.values().enumerated() {
            if let text {
                if format == .text, index > 0 { output.append(0x0A) }
                output += text
            } else if case .failure(let error) = outcomes[index] {
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
