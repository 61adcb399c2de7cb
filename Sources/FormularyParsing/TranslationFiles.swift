import FormularyModel

/// Translations as files: where each one's page is, whether it is current, and recording that
/// it is (`formulary translations`).
public enum TranslationFiles {
    /// Where a translation stands against its page.
    public struct Status: Sendable, Equatable {
        public enum State: String, Sendable {
            /// `translated_from` is the fingerprint of the page's text now.
            case current
            /// The page changed after the translation was made.
            case outdated
            /// The translation does not say which text it translates.
            case unknown
            /// No page beside it to translate (`paracetamol.md` for `paracetamol.hi.md`).
            case noSource = "no-source"
        }

        public var path: String
        public var id: String
        public var language: String
        public var state: State
        /// What `TranslationCheck.problems` finds: a different medicine, lost numbers...
        public var problems: [String]
        /// The fingerprint of the page's text now (nil without a page).
        public var sourceFingerprint: String? = nil
    }

    /// The page a translation at `path` translates: `paracetamol.md` for `paracetamol.hi.md`;
    /// nil for a file that is not a translation.
    public static func sourcePath(of path: String) -> String? {
        guard let language = DocumentLocation(path: path).language else { return nil }
        let suffix = "." + language + ".md"
        guard path.hasSuffix(suffix) else { return nil }
        return String(path.dropLast(suffix.count)) + ".md"
    }

    /// The status of the translation at `path` (nil for a file that is not one).
    public static func status(of path: String, parser: MonographParser = MonographParser(extractsFAQs: false))
        throws(MonographParseError) -> Status?
    {
        guard let sourcePath = sourcePath(of: path) else { return nil }
        let translation = try parser.parse(contentsOf: path)
        let id = translation.monograph.id
        let language = translation.location.language ?? ""
        let source: Monograph
        do throws(MonographParseError) {
            source = try parser.parse(contentsOf: sourcePath).monograph
        } catch {
            return Status(path: path, id: id, language: language, state: .noSource, problems: [error.description])
        }
        let recorded = translation.monograph.translation?.sourceFingerprint
        let fingerprint = TranslationCheck.fingerprint(of: source)
        let state: Status.State = recorded == nil ? .unknown : recorded == fingerprint ? .current : .outdated
        return Status(
            path: path, id: id, language: language, state: state,
            problems: TranslationCheck.problems(source: source, translation: translation.monograph),
            sourceFingerprint: fingerprint)
    }

    /// Why a translation cannot be marked current.
    public enum MarkFailure: Error, CustomStringConvertible {
        case notATranslation(String)
        case unreadable(MonographParseError)
        case problems(String, [String])
        case noFrontMatter(String)
        case cannotWrite(String)

        public var description: String {
            switch self {
            case .notATranslation(let path):
                return "\(path) is not a translation: its name has no language before .md (paracetamol.hi.md)"
            case .unreadable(let error): return error.description
            case .problems(let path, let problems):
                return "\(path) is not marked current: "
                    + problems.joined(separator: "; ")
                    + " (fix the translation first; --force marks it anyway)"
            case .noFrontMatter(let path): return "\(path) has no front matter to record translated_from in"
            case .cannotWrite(let message): return message
            }
        }
    }

    /// Records in the translation at `path` that it says what its page says now: writes the
    /// fingerprint of the page's text as `translated_from:` in its front matter (the rest of the
    /// file unchanged). Refused when the translation loses a number, a section or the medicine,
    /// unless `force`. Returns the fingerprint.
    @discardableResult
    public static func markCurrent(_ path: String, force: Bool = false) throws(MarkFailure) -> String {
        let status: Status?
        do throws(MonographParseError) {
            status = try self.status(of: path)
        } catch {
            throw .unreadable(error)
        }
        guard let status else { throw .notATranslation(path) }
        guard let fingerprint = status.sourceFingerprint else { throw .problems(path, status.problems) }
        if !status.problems.isEmpty && !force { throw .problems(path, status.problems) }
        let text: String
        do throws(FileBytes.Failure) {
            text = String(decoding: try FileBytes.read(path, limit: 8 << 20), as: UTF8.self)
        } catch {
            throw .cannotWrite("\(path): cannot read it again: \(error)")
        }
        guard let updated = FrontMatterText.setting("translated_from", to: fingerprint, in: text) else {
            throw .noFrontMatter(path)
        }
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(updated, to: path)
        } catch {
            throw .cannotWrite(error.description)
        }
        return fingerprint
    }
}

/// Edits of a page's front matter as text, keeping every other line as written.
public enum FrontMatterText {
    /// `text` with `key: value` in its front matter (the key's line replaced, or added before
    /// the closing `---`); nil when the text has no front matter.
    public static func setting(_ key: String, to value: String, in text: String) -> String? {
        // On bytes: in a String, `\r\n` is one Character, which a split on `\n` would not cut.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.first?.trimmingWhitespace() == "---",
            let end = lines.indices.dropFirst().first(where: { lines[$0].trimmingWhitespace() == "---" })
        else { return nil }
        let carriage = lines[0].hasSuffix("\r") ? "\r" : ""
        let line = "\(key): \(value)" + carriage
        if let existing = lines[1..<end].firstIndex(where: { $0.hasPrefix(key + ":") }) {
            lines[existing] = line
        } else {
            lines.insert(line, at: end)
        }
        return lines.joined(separator: "\n")
    }
}
