import Dispatch
#if canImport(Glibc)
    import Glibc
#endif
import FormularyModel
import FormularyParsing

/// What every page of the site needs to know about every other: addresses, titles, the page
/// for each ingredient, the generic a brand points to. Built from summaries, so an incremental
/// build can rebuild it without reading unchanged pages again.
public struct PageSummary: Sendable, Hashable {
    public var id: String
    /// A translation's language (`hi`); nil for a page in the site's main language.
    public var language: String?
    public var slug: String
    public var collection: String
    public var title: String
    public var kind: MonographKind
    public var ingredients: [Ingredient]
    /// A brand's generic or combination, by slug.
    public var productTarget: String?
    /// `YYYY-MM-DD`: when the page's text last changed (`PageDates`), or "" when nothing says
    /// (a file's modification time is not presented as that date).
    public var lastModified: String
    public var description: String?
    public var banned: Bool
    public var aiGenerated: Bool
    public var review: Review?

    /// Where the page lives in the site: `hi/composition/paracetamol` for a translation.
    public var address: String { language.map { $0 + "/" + id } ?? id }

    public init(_ monograph: Monograph, date: String) {
        id = monograph.id
        language = monograph.translationLanguage
        slug = monograph.slug
        collection = monograph.collection
        title = monograph.title
        kind = monograph.kind
        ingredients = monograph.ingredients
        productTarget = monograph.product?.targetSlug
        lastModified = date
        description = monograph.description
        banned = monograph.flags.banned
        aiGenerated = monograph.flags.aiGenerated
        review = monograph.review
    }

    public init(
        id: String, slug: String, collection: String, title: String, kind: MonographKind, ingredients: [Ingredient],
        productTarget: String?, lastModified: String, description: String?, banned: Bool, aiGenerated: Bool,
        review: Review? = nil, language: String? = nil
    ) {
        self.review = review
        self.language = language
        self.id = id
        self.slug = slug
        self.collection = collection
        self.title = title
        self.kind = kind
        self.ingredients = ingredients
        self.productTarget = productTarget
        self.lastModified = lastModified
        self.description = description
        self.banned = banned
        self.aiGenerated = aiGenerated
    }

    /// The `YYYY-MM-DD` at the start of a front matter date (`2025-09-22`, `2025-09-22T10:00:00Z`).
    static func date(_ text: String?) -> String? {
        guard let text = text?.trimmingWhitespace(), text.utf8.count >= 10 else { return nil }
        let prefix = Array(text.utf8.prefix(10))
        for (index, byte) in prefix.enumerated() {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if index == 4 || index == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else if !isDigit {
                return nil
            }
        }
        return String(decoding: prefix, as: UTF8.self)
    }
}

/// The addresses of a site's pages, from its base path (`/` or `/med/`).
public struct SiteURLs: Sendable {
    public var basePath: String
    public var baseURL: String

    public init(baseURL: String, basePath: String) {
        self.baseURL = baseURL
        self.basePath = basePath
    }

    /// A page's folder under the output, and its address relative to the base: `generic/alemtuzumab-12mg/`.
    public static func monographPath(_ id: String) -> String { id + "/" }
    public static func monographJSONPath(_ id: String) -> String { "api/v1/monographs/\(id).json" }
    public static func letterPath(_ letter: String) -> String { "browse/\(letter)/" }
    /// The ingredients starting with `letter`, each a section of the page (`ingredients/p/#paracetamol`):
    /// one page a letter, not one an ingredient, since every file costs a build its inode.
    public static func ingredientLetterPath(_ letter: String) -> String { "ingredients/\(letter)/" }
    public static func ingredientPath(_ entry: SiteCatalog.IngredientEntry) -> String {
        ingredientLetterPath(SiteCatalog.letter(of: entry.name)) + "#" + entry.slug
    }
    public static let ingredientsPath = "ingredients/"
    public static let searchPath = "search/"

    /// A root-relative link for pages of this site.
    public func link(_ path: String) -> String { basePath + Self.percentEncoded(path) }
    /// The absolute address, for canonical links, Open Graph and the sitemap.
    public func absolute(_ path: String) -> String { baseURL + Self.percentEncoded(path) }

    /// `path` with every byte outside URL-safe ASCII percent-encoded (file names are kept as written).
    public static func percentEncoded(_ path: String) -> String {
        if path.utf8.allSatisfy({ urlSafe[Int($0)] }) { return path }
        var result = ""
        for byte in path.utf8 {
            if urlSafe[Int(byte)] {
                result.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    /// Bytes a path keeps as they are: ASCII letters and digits and `-._~/?=&`.
    static let urlSafe: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        return (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-._~/?=&".utf8.contains(byte)
    }
}

/// Cross-links between pages, the A–Z letters and the ingredient index.
public struct SiteCatalog: Sendable {
    public private(set) var pages: [PageSummary]
    /// The single-ingredient page for each ingredient, by `ingredientKey`.
    private let pageForIngredient: [String: Int]
    /// A page for each slug, preferring generics over brands.
    private let pageForSlug: [String: Int]
    /// Every ingredient with the pages containing it, sorted by name.
    public let ingredients: [IngredientEntry]
    /// Pages grouped by the first letter of their title: `a`...`z`, then `0-9` for the rest.
    public private(set) var pagesByLetter: [(letter: String, pages: [PageSummary])]
    /// Ingredients grouped by the first letter of their name.
    public let ingredientsByLetter: [(letter: String, ingredients: [IngredientEntry])]
    private let ingredientIndexByKey: [String: Int]

    public struct IngredientEntry: Sendable {
        public var name: String
        public var slug: String
        public var key: String
        /// Indexes into `pages`, sorted by title.
        public var pages: [Int]
    }

    /// How titles fall into letters: Latin `a`...`z` and `0-9`, or (`native`, an edition in
    /// another script) the title's own first letter in that script's order (Devanagari `अ`...`ह`),
    /// and its Latin name's letter besides (`पैरासिटामोल (Paracetamol)` under `प` and `p`).
    public enum LetterScheme: Sendable {
        case latin, native
    }

    public let letterScheme: LetterScheme

    /// `pages` in any order; they are kept sorted by title.
    public init(pages unsorted: [PageSummary], letters letterScheme: LetterScheme = .latin) {
        self.letterScheme = letterScheme
        // Each page's sort key and ingredient keys, computed once and on every core: lower-casing
        // inside the comparison would do it n log n times.
        let prepared = ResultSlots<(title: SortKey, ingredients: [String])>(count: unsorted.count)
        DispatchQueue.concurrentPerform(iterations: (unsorted.count + 255) / 256) { chunk in
            for index in (chunk * 256)..<min(unsorted.count, (chunk + 1) * 256) {
                let page = unsorted[index]
                prepared.set(index, (SortKey(page.title), page.ingredients.map { Self.ingredientKey($0.name) }))
            }
        }
        let preparedValues = prepared.values()
        let order = unsorted.indices.sorted {
            let order = preparedValues[$0].title.compare(preparedValues[$1].title)
            return order != 0 ? order < 0 : unsorted[$0].id < unsorted[$1].id
        }
        let pages = order.map { unsorted[$0] }
        let ingredientKeys = order.map { preparedValues[$0].ingredients }
        self.pages = pages
        var pageForIngredient: [String: Int] = [:]
        var pageForSlug: [String: Int] = [:]
        var entries: [String: IngredientEntry] = [:]
        for (index, page) in pages.enumerated() {
            if let existing = pageForSlug[page.slug] {
                if Self.slugPreference(page) < Self.slugPreference(pages[existing]) { pageForSlug[page.slug] = index }
            } else {
                pageForSlug[page.slug] = index
            }
            let keys = ingredientKeys[index]
            if page.kind == .single, page.ingredients.count == 1 {
                let key = keys[0]
                if let existing = pageForIngredient[key] {
                    if Self.ingredientPreference(page) < Self.ingredientPreference(pages[existing]) {
                        pageForIngredient[key] = index
                    }
                } else {
                    pageForIngredient[key] = index
                }
            }
            var seen: [String] = []  // a page names a few ingredients: a list beats a set
            for (ingredient, key) in zip(page.ingredients, keys) {
                guard !key.isEmpty, !seen.contains(key) else { continue }
                seen.append(key)
                entries[key, default: IngredientEntry(name: ingredient.name, slug: "", key: key, pages: [])].pages
                    .append(index)
            }
        }
        let unsorted = Array(entries.values)
        let nameKeys = unsorted.map { SortKey($0.name) }
        var sorted = unsorted.indices.sorted {
            let order = nameKeys[$0].compare(nameKeys[$1])
            return order != 0 ? order < 0 : unsorted[$0].key < unsorted[$1].key
        }.map { unsorted[$0] }
        var usedSlugs: Set<String> = []
        for index in sorted.indices {
            var slug = Slug.make(sorted[index].name)
            if slug.isEmpty { slug = "ingredient" }
            var candidate = slug
            var counter = 2
            while !usedSlugs.insert(candidate).inserted {
                candidate = "\(slug)-\(counter)"
                counter += 1
            }
            sorted[index].slug = candidate
        }
        self.pageForIngredient = pageForIngredient
        self.pageForSlug = pageForSlug
        self.ingredients = sorted
        var ingredientIndexByKey: [String: Int] = [:]
        for (index, entry) in sorted.enumerated() { ingredientIndexByKey[entry.key] = index }
        self.ingredientIndexByKey = ingredientIndexByKey
        // Made once: every A–Z page, ingredient page and the sitemap read them.
        switch letterScheme {
        case .latin: pagesByLetter = Self.grouped(pages, by: \.title).map { ($0.letter, $0.values) }
        case .native: pagesByLetter = Self.groupedNatively(pages)
        }
        ingredientsByLetter = Self.grouped(sorted, by: \.name).map { ($0.letter, $0.values) }
    }

    /// The same catalog with these pages' summaries in place of the ones it has by the same
    /// id: for pages whose listing (title, slug, kind, ingredients, brand target) did not
    /// change, so that nothing moves. Returns nil when a page is not in the catalog.
    func replacing(_ summaries: [PageSummary]) -> SiteCatalog? {
        guard letterScheme == .latin else { return nil }
        var catalog = self
        for summary in summaries {
            guard let index = catalog.pages.firstIndex(where: { $0.id == summary.id }) else { return nil }
            catalog.pages[index] = summary
            let letter = Self.letter(of: summary.title)
            guard let group = catalog.pagesByLetter.firstIndex(where: { $0.letter == letter }),
                let position = catalog.pagesByLetter[group].pages.firstIndex(where: { $0.id == summary.id })
            else { return nil }
            catalog.pagesByLetter[group].pages[position] = summary
        }
        return catalog
    }

    /// The page about `ingredient` alone (`Paracetamol`, not `Paracetamol 650mg`, when both exist).
    public func singlePage(forIngredient name: String) -> PageSummary? {
        pageForIngredient[Self.ingredientKey(name)].map { pages[$0] }
    }

    /// The generic or combination page a brand points to.
    public func target(ofBrand page: PageSummary) -> PageSummary? {
        guard let slug = page.productTarget, let index = pageForSlug[slug], pages[index].id != page.id else {
            return nil
        }
        return pages[index]
    }

    public func ingredient(key: String) -> IngredientEntry? { ingredientIndexByKey[key].map { ingredients[$0] } }

    /// The letters (`a`...`z`, then `0-9`) in their order, each with the values whose key
    /// starts with it.
    private static func grouped<T>(_ values: [T], by key: (T) -> String) -> [(letter: String, values: [T])] {
        var groups = [[T]](repeating: [], count: letters.count)
        for value in values { groups[letterNumber(of: key(value))].append(value) }
        return letters.indices.compactMap { groups[$0].isEmpty ? nil : (letters[$0], groups[$0]) }
    }

    public static let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) } + ["0-9"]

    /// Pages by their own script's first letter (in that script's order), then by their Latin
    /// name's letter: a page may be in two groups.
    private static func groupedNatively(_ pages: [PageSummary]) -> [(letter: String, pages: [PageSummary])] {
        var native: [Unicode.Scalar: [PageSummary]] = [:]
        var latin = [[PageSummary]](repeating: [], count: letters.count)
        for page in pages {
            if let letter = nativeLetter(of: page.title) { native[letter, default: []].append(page) }
            latin[letterNumber(of: TitleParser.latinName(in: page.title) ?? page.title)].append(page)
        }
        return native.keys.sorted { $0.value < $1.value }.map { (String($0), native[$0]!) }
            + letters.indices.compactMap { latin[$0].isEmpty ? nil : (letters[$0], latin[$0]) }
    }

    /// The letters a title is listed under in a catalog of `scheme`, its own script's first.
    public static func letters(of title: String, scheme: LetterScheme) -> [String] {
        guard scheme == .native else { return [letter(of: title)] }
        let latin = letter(of: TitleParser.latinName(in: title) ?? title)
        return nativeLetter(of: title).map { [String($0), latin] } ?? [latin]
    }

    /// The first Devanagari letter of a title (an independent vowel or a consonant, a nukta's
    /// letter as its base letter: `ज़` under `ज`), when its first letter is Devanagari. Their
    /// code points are in the order of the Hindi alphabet.
    static func nativeLetter(of title: String) -> Unicode.Scalar? {
        for scalar in title.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x0958...0x095F:
                let bases: [UInt32] = [0x0915, 0x0916, 0x0917, 0x091C, 0x0921, 0x0922, 0x092B, 0x092F]
                return Unicode.Scalar(bases[Int(value - 0x0958)])
            case 0x0911: return Unicode.Scalar(0x0913)  // ऑ with ओ
            case 0x0904...0x0939, 0x0960, 0x0961: return scalar
            default:
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return nil }
            }
        }
        return nil
    }

    public static func letter(of title: String) -> String { letters[letterNumber(of: title)] }

    /// The position in `letters` of the title's letter.
    static func letterNumber(of title: String) -> Int {
        for scalar in title.unicodeScalars {
            // ASCII first (nearly every title): a letter is its own; a digit is `0-9`;
            // punctuation and spaces are skipped, as the Unicode rules below would.
            if scalar.isASCII {
                let value = UInt8(scalar.value)
                if value >= 97 && value <= 122 { return Int(value - 97) }
                if value >= 65 && value <= 90 { return Int(value - 65) }
                if value >= 48 && value <= 57 { return 26 }
                continue
            }
            let lowered = scalar.properties.lowercaseMapping
            if let first = lowered.unicodeScalars.first, first.isASCII, first.value >= 97, first.value <= 122 {
                return Int(first.value - 97)
            }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return 26 }
        }
        return 26
    }

    /// How an ingredient is matched across pages: case, spacing and punctuation ignored.
    public static func ingredientKey(_ name: String) -> String {
        // Most names are ASCII: lower-cased and spaced on bytes.
        if let key = Slug.asciiWords(ifASCII: name, separator: 0x20) { return key }
        var result = ""
        var pendingSpace = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) {
                if pendingSpace, !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return result
    }

    /// Lower is better: the canonical collections' pages before brand pages.
    private static func slugPreference(_ page: PageSummary) -> Int { page.kind == .brand ? 1 : 0 }

    /// Lower is better: a page without a strength, then the shortest title.
    private static func ingredientPreference(_ page: PageSummary) -> (Int, Int, String) {
        (page.ingredients[0].strength == nil ? 0 : 1, page.title.count, page.id)
    }
}

/// URL-safe names: `Vitamin B12` is `vitamin-b12`, `Omega-3 Fatty Acids` is `omega-3-fatty-acids`.
public enum Slug {
    public static func make(_ text: String) -> String { asciiWords(text, separator: UInt8(ascii: "-")) }

    /// The ASCII letters and digits of `text`, lower-cased, runs of anything else as one
    /// `separator` (none at either end).
    /// `asciiWords(text, separator:)` when the text is all ASCII, nil otherwise (one pass).
    static func asciiWords(ifASCII text: String, separator: UInt8) -> String? {
        asciiWords(text, separator: separator, rejectingNonASCII: true)
    }

    static func asciiWords(_ text: String, separator: UInt8) -> String {
        asciiWords(text, separator: separator, rejectingNonASCII: false)!
    }

    private static func asciiWords(_ text: String, separator: UInt8, rejectingNonASCII: Bool) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            // Never longer than the text: a separator stands for at least one byte.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(utf8.count, 1)) { buffer -> String? in
                var count = 0
                var pendingSeparator = false
                for byte in utf8 {
                    if rejectingNonASCII, byte >= 0x80 { return nil }
                    let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
                    if (lowered >= 97 && lowered <= 122) || (lowered >= 48 && lowered <= 57) {
                        if pendingSeparator, count > 0 {
                            buffer[count] = separator
                            count += 1
                        }
                        pendingSeparator = false
                        buffer[count] = lowered
                        count += 1
                    } else {
                        pendingSeparator = true
                    }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
            }
        }
    }
}

extension SiteURLs {
    /// `text` made safe as one value in a URL's query.
    public static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}

/// A text lower-cased for sorting, compared as bytes when it is ASCII (as most titles are) and
/// as a string otherwise: the same order as comparing the lower-cased strings, at a fraction of
/// the cost for 11,000 titles. The first eight bytes, as one number, settle most comparisons.
struct SortKey {
    private let prefix: UInt64
    private let bytes: [UInt8]
    private let text: String?

    init(_ value: String) {
        var value = value
        let ascii = value.withUTF8 { utf8 -> [UInt8]? in
            var lowered = [UInt8](repeating: 0, count: utf8.count)
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x80 else { return nil }
                lowered[index] = byte >= 65 && byte <= 90 ? byte + 32 : byte
            }
            return lowered
        }
        if let ascii {
            bytes = ascii
            text = nil
            var prefix: UInt64 = 0
            for index in 0..<8 { prefix = prefix << 8 | UInt64(index < ascii.count ? ascii[index] : 0) }
            self.prefix = prefix
        } else {
            bytes = []
            text = value.lowercased()
            prefix = 0
        }
    }

    private var string: String { text ?? String(decoding: bytes, as: UTF8.self) }

    /// -1, 0 or 1.
    @inline(__always)
    func compare(_ other: SortKey) -> Int {
        guard text == nil, other.text == nil else {
            let (a, b) = (string, other.string)
            return a < b ? -1 : a == b ? 0 : 1
        }
        // ASCII has no NUL in titles: a shorter text's padding sorts first, as it should.
        if prefix != other.prefix { return prefix < other.prefix ? -1 : 1 }
        return bytes.withUnsafeBufferPointer { a in
            other.bytes.withUnsafeBufferPointer { b in
                let shared = min(a.count, b.count)
                let order = shared == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, shared))
                if order != 0 { return order < 0 ? -1 : 1 }
                return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
            }
        }
    }
}
