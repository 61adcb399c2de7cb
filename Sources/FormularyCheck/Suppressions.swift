import FormularyParsing

/// Comments in a page that silence a rule:
///
/// - `<!-- formulary-ignore RULE -->` silences RULE on the next non-blank line (or the same line);
/// - `<!-- formulary-ignore-file RULE -->` silences RULE in the whole page.
///
/// Several rules may be listed, separated by spaces or commas.
struct Suppressions {
    private var fileRules: Set<String> = []
    private var lineRules: [Int: Set<String>] = [:]

    init(page: ParsedPage) {
        guard page.bodyBytes.count > 20, PageText(page: page).occurrences(of: "formulary-ignore", limit: 1).first != nil
        else {
            return
        }
        let lines = page.body.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard let start = line.firstRange(of: "<!--"), let end = line.firstRange(of: "-->") else { continue }
            let words = line[start.upperBound..<end.lowerBound].split(whereSeparator: { $0 == " " || $0 == "," })
            guard let directive = words.first, directive == "formulary-ignore" || directive == "formulary-ignore-file"
            else {
                continue
            }
            let rules = Set(words.dropFirst().map(String.init))
            if directive == "formulary-ignore-file" {
                fileRules.formUnion(rules)
                continue
            }
            // The comment's own line, and the next line with text.
            let fileLine = page.bodyLine + index
            lineRules[fileLine, default: []].formUnion(rules)
            var next = index + 1
            while next < lines.count, lines[next].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { next += 1 }
            lineRules[page.bodyLine + next, default: []].formUnion(rules)
        }
    }

    func silences(_ rule: String, onLine line: Int) -> Bool {
        fileRules.contains(rule) || (lineRules[line]?.contains(rule) ?? false)
    }
}
