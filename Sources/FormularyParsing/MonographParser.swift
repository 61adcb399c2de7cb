#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FormularyModel

/// A page read from disk: the record, and what the checker and the site builder need besides.
public struct ParsedPage: Sendable {
    public var monograph: Monograph
    public var location: DocumentLocation
    public var frontMatter: FrontMatter
    /// The page's `# Title` heading and its 1-based line, when it has one.
    public var titleHeading: TitleHeading?
    /// The 1-based line where the Markdown body starts.
    public var bodyLine: Int
    /// The page's Markdown body, as written, in UTF-8 (a slice of the file's bytes).
    public var bodyBytes: ArraySlice<UInt8>

    /// The page's Markdown body, as written.
    public var body: String { String(decoding: bodyBytes, as: UTF8.self) }

    public struct TitleHeading: Sendable, Hashable {
        public var text: String
        public var line: Int
    }
}

/// Turns a Markdown monograph, in any of the corpus's shapes, into a `Monograph`.
///
/// Bad input never crashes or hangs: every failure is a `MonographParseError` with the path,
/// line and column, and a message that says what to do.
public struct MonographParser: Sendable {
    /// Files larger than this are refused: no monograph comes near it, and a runaway file
    /// should not stall a whole build.
    public var maximumFileSize: Int

    /// Whether to extract FAQ pairs. A caller that never reads `faqs` (the linter) saves a
    /// seventh of the parse by turning it off; `faqs` is then empty.
    public var extractsFAQs: Bool

    /// Adds what comes from outside the page (a reference list's facts about its medicine)
    /// once it is parsed; `nil` leaves the record as the page alone gives it.
    public var annotator: (any PageAnnotator)?

    public init(
        maximumFileSize: Int = 8 * 1024 * 1024, extractsFAQs: Bool = true, annotator: (any PageAnnotator)? = nil
    ) {
        self.maximumFileSize = maximumFileSize
        self.extractsFAQs = extractsFAQs
        self.annotator = annotator
    }

    /// Reads and parses the file at `path`.
    public func parse(contentsOf path: String, location: DocumentLocation? = nil) throws(MonographParseError)
        -> ParsedPage
    {
        let location = location ?? DocumentLocation(path: path)
        let bytes: [UInt8]
        do throws(FileBytes.Failure) {
            bytes = try FileBytes.read(path, limit: maximumFileSize)
        } catch {
            switch error {
            case .tooLarge(let size):
                throw MonographParseError(path: path, reason: .tooLarge(bytes: size, limit: maximumFileSize))
            case .unreadable(let why):
                throw MonographParseError(path: path, reason: .unreadable(why))
            }
        }
        return try parse(bytes: bytes, location: location)
    }

    /// Parses the bytes of a page.
    public func parse(bytes: [UInt8], location: DocumentLocation) throws(MonographParseError) -> ParsedPage {
        let path = location.displayPath
        try validate(bytes, path: path)
        let split = try FrontMatterReader.read(bytes, path: path)
        let frontMatter = split.frontMatter
        let bodyBytes = bytes[split.bodyOffset...]
        let lines = SourceLines(bytes, from: split.bodyOffset)
        let outline = MarkdownBlockParser.parse(bodyBytes)
        var splitter = SectionSplitter(lines: lines, outline: outline)
        let frontMatterTitle = frontMatter["title"]?.string?.trimmingWhitespace() ?? ""
        var titleIngredients = TitleParser.ingredients(inTitle: frontMatterTitle)
        splitter.ingredientNames = Set(titleIngredients.map { SectionRecognizer.normalize($0.name) })
        let body = splitter.split()
        let lineOffset = split.bodyLine - 1

        let titleHeading = body.titleHeading.map {
            ParsedPage.TitleHeading(text: $0.text.trimmingWhitespace(), line: $0.line + lineOffset)
        }
        let title = frontMatterTitle.isEmpty ? (titleHeading?.text ?? "") : frontMatterTitle
        guard !title.isEmpty else {
            throw MonographParseError(path: path, line: frontMatter.openingLine, reason: .missingTitle)
        }
        if frontMatterTitle.isEmpty { titleIngredients = TitleParser.ingredients(inTitle: title) }

        let sections = body.sections.map {
            Section(kind: $0.kind, heading: $0.heading, line: $0.line + lineOffset, markdown: $0.markdown)
        }
        let extractor = FAQExtractor(lines: lines, outline: outline)
        var faqs: [FAQ] = []
        if extractsFAQs {
            faqs = body.sections.filter { $0.kind == .faqs }.flatMap { extractor.extract(from: $0) }
            if faqs.isEmpty { faqs = Self.frontMatterFAQs(try frontMatter.resolvedValue(forKey: "faqs", path: path)) }
        }
        let disclaimer = sections.first { $0.kind == .disclaimer }.map(\.markdown).flatMap { $0.isEmpty ? nil : $0 }

        let product = Self.product(frontMatter)
        var ingredients = titleIngredients
        let kind: MonographKind
        if let product {
            kind = .brand
            ingredients = Self.brandIngredients(product)
        } else {
            kind = ingredients.count > 1 ? .combination : .single
        }

        var monograph = Monograph(
            id: location.id, slug: location.slug, collection: location.collection, title: title, kind: kind,
            ingredients: ingredients, sections: sections, faqs: faqs, disclaimer: disclaimer,
            flags: Flags(banned: frontMatter["is_banned"]?.bool ?? false, aiGenerated: Self.isAIGenerated(frontMatter)),
            source: SourceInfo(path: location.relativePath, headingStyle: Self.headingStyle(of: body.sections)),
            description: frontMatter["description"]?.string.map { $0.trimmingWhitespace() },
            lastModified: frontMatter["lastModified"]?.string ?? frontMatter["last_modified"]?.string,
            product: product)
        if let language = location.language {
            monograph.translationLanguage = language
            monograph.language = language
            let fingerprint = frontMatter["translated_from"]?.string?.trimmingWhitespace()
            monograph.translation = Translation(sourceFingerprint: fingerprint?.isEmpty == false ? fingerprint : nil)
        }
        if let reviewer = (frontMatter["reviewed_by"] ?? frontMatter["reviewedBy"])?.string?.trimmingWhitespace(),
            !reviewer.isEmpty
        {
            let date = (frontMatter["reviewed_at"] ?? frontMatter["reviewedAt"])?.string?.trimmingWhitespace()
            monograph.review = Review(by: reviewer, at: date.map { String($0.prefix(10)) })
        }
        var page = ParsedPage(
            monograph: monograph, location: location, frontMatter: frontMatter, titleHeading: titleHeading,
            bodyLine: split.bodyLine, bodyBytes: bodyBytes)
        annotator?.annotate(&page)
        return page
    }

    /// Rejects what is not UTF-8 text, with the line of the first offending byte.
    func validate(_ bytes: [UInt8], path: String) throws(MonographParseError) {
        if bytes.count > maximumFileSize {
            throw MonographParseError(path: path, reason: .tooLarge(bytes: bytes.count, limit: maximumFileSize))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw MonographParseError(path: path, reason: .emptyFile)
        }
        let nulOffset = bytes.withUnsafeBufferPointer { buffer in
            memchr(buffer.baseAddress!, 0, buffer.count).map {
                buffer.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self))
            }
        }
        if let nul = nulOffset {
            let (line, column) = Self.position(of: nul, in: bytes)
            throw MonographParseError(path: path, line: line, column: column, reason: .binaryFile)
        }
        if let offset = UTF8Validation.firstInvalidOffset(in: bytes) {
            let (line, column) = Self.position(of: offset, in: bytes)
            throw MonographParseError(path: path, line: line, column: column, reason: .invalidUTF8)
        }
    }

    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    private static func headingStyle(of sections: [SplitSection]) -> HeadingStyle {
        var styles: Set<SplitSection.Style> = []
        for section in sections where ![.other, .disclaimer, .note].contains(section.kind) {
            styles.insert(section.style)
        }
        switch (styles.count, styles.first) {
        case (0, _): return .none
        case (1, .heading): return .heading
        case (1, .boldHeading): return .boldHeading
        case (1, .inlineLabel): return .inlineLabel
        default: return .mixed
        }
    }

    private static func frontMatterFAQs(_ value: FrontMatterValue?) -> [FAQ] {
        guard case .sequence(let items) = value else { return [] }
        return items.compactMap { item in
            guard let question = (item["q"] ?? item["question"])?.string else { return nil }
            let answer = (item["a"] ?? item["answer"])?.string ?? ""
            return FAQText.frontMatterPair(question: question, answer: answer)
        }
    }

    /// A page is AI-drafted unless its front matter says otherwise or names a reviewer:
    /// every RxHive page starts as a model's draft.
    private static func isAIGenerated(_ frontMatter: FrontMatter) -> Bool {
        if let explicit = (frontMatter["ai_generated"] ?? frontMatter["aiGenerated"])?.bool { return explicit }
        if frontMatter["reviewed_by"]?.string != nil || frontMatter["reviewedBy"]?.string != nil { return false }
        return true
    }

    private static func product(_ frontMatter: FrontMatter) -> Product? {
        let generic = frontMatter["generic_slug"]?.string
        let combination = frontMatter["combination_slug"]?.string
        guard generic != nil || combination != nil else { return nil }
        return Product(
            genericSlug: generic, combinationSlug: combination, company: frontMatter["company"]?.string,
            strength: frontMatter["strength"]?.string, packSize: frontMatter["pack_size"]?.string,
            mrp: frontMatter["mrp"]?.number)
    }

    /// A brand page names its generic by slug only; the ingredient is read from that slug
    /// (`paracetamol` is `Paracetamol`) with the pack's strength.
    private static func brandIngredients(_ product: Product) -> [Ingredient] {
        guard let slug = product.genericSlug else { return [] }
        let name = slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return [Ingredient(name: name, strength: product.strength.flatMap(StrengthParser.parse))]
    }
}

/// The steps of reading a page, for measuring what each costs (`formulary-bench --stage`).
@_spi(Benchmarking)
public enum ParsingStage: String, CaseIterable, Sendable {
    /// Read the file and check its bytes (size, NUL, UTF-8).
    case read
    /// And read the front matter with Yams.
    case frontMatter
    /// Read the file and parse the Markdown with cmark-gfm (no front matter).
    case markdown
    /// Front matter and Markdown, without sections, FAQs or the record.
    case libraries
    /// And the sections found (the body cut into sections, headings recognised).
    case sections
    /// And the FAQ pairs of the FAQ sections.
    case faqs
    /// The whole parse, the record made and dropped (the full benchmark keeps every record).
    case record
}

@_spi(Benchmarking)
extension MonographParser {
    /// Runs the steps of `parse(contentsOf:)` up to `stage` and discards the result.
    public func run(_ stage: ParsingStage, contentsOf path: String) throws(MonographParseError) {
        let bytes: [UInt8]
        do throws(FileBytes.Failure) {
            bytes = try FileBytes.read(path, limit: maximumFileSize)
        } catch {
            throw MonographParseError(path: path, reason: .unreadable("\(error)"))
        }
        try validate(bytes, path: path)
        switch stage {
        case .read:
            return
        case .record:
            _ = try parse(bytes: bytes, location: DocumentLocation(path: path))
        case .frontMatter:
            _ = try FrontMatterReader.read(bytes, path: path)
        case .markdown:
            _ = MarkdownBlockParser.parse(bytes[...])
        case .libraries:
            let split = try FrontMatterReader.read(bytes, path: path)
            _ = MarkdownBlockParser.parse(bytes[split.bodyOffset...])
        case .sections, .faqs:
            let split = try FrontMatterReader.read(bytes, path: path)
            let lines = SourceLines(bytes, from: split.bodyOffset)
            let outline = MarkdownBlockParser.parse(bytes[split.bodyOffset...])
            var splitter = SectionSplitter(lines: lines, outline: outline)
            let title = split.frontMatter["title"]?.string?.trimmingWhitespace() ?? ""
            splitter.ingredientNames = Set(
                TitleParser.ingredients(inTitle: title).map { SectionRecognizer.normalize($0.name) })
            let body = splitter.split()
            if stage == .faqs {
                let extractor = FAQExtractor(lines: lines, outline: outline)
                _ = body.sections.filter { $0.kind == .faqs }.flatMap { extractor.extract(from: $0) }
            }
        }
    }
}
