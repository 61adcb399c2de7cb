import Foundation

/// Writes diagnostics the way compilers, scripts and GitHub Actions read them.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// `path:line:column: severity: message [rule]`
    case text
    /// One JSON object a line, in the contract's shape.
    case json
    /// GitHub Actions workflow commands: `::warning file=...,line=...,col=...,title=rule::message`.
    case github

    public func format(_ diagnostic: Diagnostic) -> String {
        switch self {
        case .text:
            return
                "\(diagnostic.path):\(diagnostic.line):\(diagnostic.column): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.rule)]"
        case .json:
            return String(decoding: (try? Self.encoder.encode(diagnostic)) ?? Data(), as: UTF8.self)
        case .github:
            let command = diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue
            return
                "::\(command) file=\(Self.escapeProperty(diagnostic.path)),line=\(diagnostic.line),col=\(diagnostic.column),title=\(Self.escapeProperty(diagnostic.rule))::\(Self.escapeData(diagnostic.message))"
        }
    }

    /// One encoder for every diagnostic of a run (made once, not per line).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// GitHub's escaping for a command's message.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub's escaping for a command's properties.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// The closing line: counts per severity and per rule.
public enum DiagnosticSummary {
    public static func line(for diagnostics: [Diagnostic], files: Int) -> String {
        var bySeverity: [Severity: Int] = [:]
        var byRule: [String: Int] = [:]
        for diagnostic in diagnostics {
            bySeverity[diagnostic.severity, default: 0] += 1
            byRule[diagnostic.rule, default: 0] += 1
        }
        func count(_ severity: Severity, _ word: String) -> String {
            let n = bySeverity[severity] ?? 0
            return "\(n) \(word)\(n == 1 ? "" : "s")"
        }
        var line =
            "checked \(files) file\(files == 1 ? "" : "s"): \(count(.error, "error")), \(count(.warning, "warning")), \(count(.note, "note"))"
        if !byRule.isEmpty {
            let rules = byRule.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            line += " (" + rules.joined(separator: ", ") + ")"
        }
        return line
    }
}
