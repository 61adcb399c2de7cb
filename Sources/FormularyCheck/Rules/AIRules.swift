#if canImport(Glibc)
    import Glibc
#endif
import FormularyModel
import FormularyParsing

/// A model's refusal published instead of a monograph.
struct AIRefusalRule: Rule {
    let name = "ai-refusal"
    let defaultSeverity = Severity.error
    let summary = "The page is a language model's refusal ('I cannot provide information on ...'), not a monograph."

    static let phrases = [
        "I cannot provide", "I can't provide", "I can not provide", "I am unable to provide", "I'm unable to provide",
        "I am unable to", "I'm unable to", "I'm sorry", "I am sorry", "I apologize", "I do not have", "I don't have",
        "I cannot give", "I cannot fulfill", "I can't fulfill", "I cannot create", "I can't create",
        "I cannot find", "I can't find", "Please provide", "I need more information", "I would need",
        "does not exist", "is not a recognized", "is not a medication", "not a known", "not a standard", "not standard",
        "isn't a single", "no single", "does not appear to be", "not typically used together", "No details available",
        "impossible to provide", "There is no established", "no FDA-approved",
    ]

    /// No core section at all, and the text refuses or says the medicine does not exist.
    /// (Only pages without a single core section qualify, so these phrases cannot flag a monograph.)
    static func isRefusal(_ page: ParsedPage) -> Bool {
        refusal(in: page) != nil
    }

    static func refusal(in page: ParsedPage) -> (phrase: String, line: Int, column: Int)? {
        let core = Set(SectionKind.core)
        guard page.monograph.kind != .brand, !page.monograph.sections.contains(where: { core.contains($0.kind) }) else {
            return nil
        }
        return PageText(page: page).firstOccurrence(ofAny: phrases)
    }

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let hit = Self.refusal(in: page) else { return [] }
        return [
            Finding(
                line: hit.line, column: hit.column,
                message: "the page is an AI refusal ('\(hit.phrase) ...'), not a monograph; regenerate or remove it")
        ]
    }
}

/// The text talks about itself as an AI.
struct AISelfReferenceRule: Rule {
    let name = "ai-self-reference"
    let defaultSeverity = Severity.warning
    let summary = "The text says 'I am an AI', 'as an AI language model' or similar: a model talking, not a monograph."

    /// What a model says about itself. Each phrase contains a capital `I` (`I am`, `an AI`),
    /// so one pass over the page's `I`s finds them all.
    static let phrases = [
        "I am an AI", "I'm an AI", "I\u{2019}m an AI", "as an AI", "As an AI", "AI language model",
        "I am a large language model", "I cannot provide medical advice", "I can't provide medical advice",
        "I can\u{2019}t provide medical advice", "I am not a medical professional", "I'm not a medical professional",
        "I\u{2019}m not a medical professional",
    ]

    /// Each phrase as bytes with the offset of its first capital `I`.
    private static let anchored: [(bytes: [UInt8], anchor: Int)] = phrases.map { phrase in
        let bytes = Array(phrase.utf8)
        return (bytes, bytes.firstIndex(of: UInt8(ascii: "I"))!)
    }

    /// The first phrase in the page and its place.
    static func firstHit(in page: ParsedPage) -> (phrase: String, line: Int, column: Int)? {
        var hit: (String, Int)?
        page.bodyBytes.withUnsafeBufferPointer { body in
            guard let base = body.baseAddress else { return }
            var offset = 0
            while hit == nil, offset < body.count,
                let found = memchr(base + offset, Int32(UInt8(ascii: "I")), body.count - offset)
            {
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                for (index, candidate) in anchored.enumerated() {
                    let start = position - candidate.anchor
                    guard start >= 0, start + candidate.bytes.count <= body.count else { continue }
                    if memcmp(base + start, candidate.bytes, candidate.bytes.count) == 0 {
                        hit = (phrases[index], start)
                        break
                    }
                }
                offset = position + 1
            }
        }
        guard let (phrase, offset) = hit else { return nil }
        let (line, column) = PageText(page: page).location(ofBodyOffset: offset)
        return (phrase, line, column)
    }

    func check(_ page: ParsedPage, configuration: CheckConfiguration) -> [Finding] {
        guard let hit = Self.firstHit(in: page) else { return [] }
        return [
            Finding(
                line: hit.line, column: hit.column,
                message: "the text refers to itself as an AI ('\(hit.phrase)'); remove the sentence")
        ]
    }
}
