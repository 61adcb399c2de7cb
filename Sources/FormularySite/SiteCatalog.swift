import FormularyModel
import FormularyParsing

/// What every page of the site needs to know about every other: addresses, titles, the page
/// for each ingredient, the generic a brand points to. Built from summaries, so an incremental
/// build can rebuild it without reading unchanged pages again.
public struct PageSummary: Sendable, Hashable {
    public var id: String
    public var slug: String
    public var collection: String
    public var title: String
    public var kind: MonographKind
    public var ingredients: [Ingredient]
    /// A brand's generic or combination, by slug.
    public var productTarget: String?
    /// `YYYY-MM-DD`: the front matter's date when it gives one, otherwise the file's modification date.
    public var lastModified: String
    public var description: String?
    public var banned: Bool
    public var aiGenerated: Bool
    public var review: Review?

    public init(_ monograph: Monograph, fileDate: String) {
        id = monograph.id
        slug = monograph.slug
        collection = monograph.collection
        title = monograph.title
        kind = monograph.kind
        ingredients = monograph.ingredients
        productTarget = monograph.product?.targetSlug
        lastModified = Self.date(monograph.lastModified) ?? fileDate
        description = monograph.description
        banned = monograph.flags.banned
        aiGenerated = monograph.flags.aiGenerated
        review = monograph.review
    }

    public init(
        id: String, slug: String, collection: String, title: String, kind: MonographKind, ingredients: [Ingredient],
        productTarget: String?, lastModified: String, description: String?, banned: Bool, aiGenerated: Bool,
        review: Review? = nil
    ) {
        self.review = review
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
        let safe = path.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-._~/?=&".utf8.contains(byte)
        }
        if safe { return path }
        var result = ""
        for byte in path.utf8 {
            let isSafe =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-._~/?=&".utf8.contains(byte)
            if isSafe {
                result.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}

/// Cross-links between pages, the A–Z letters and the ingredient index.
public struct SiteCatalog: Sendable {
    public let pages: [PageSummary]
    /// The single-ingredient page for each ingredient, by `ingredientKey`.
    private let pageForIngredient: [String: Int]
    /// A page for each slug, preferring generics over brands.
    private let pageForSlug: [String: Int]
    /// Every ingredient with the pages containing it, sorted by name.
    public let ingredients: [IngredientEntry]
    /// Pages grouped by the first letter of their title: `a`...`z`, then `0-9` for the rest.
    public let pagesByLetter: [(letter: String, pages: [PageSummary])]
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

    /// `pages` in any order; they are kept sorted by title.
    public init(pages: [PageSummary]) {
        // Sort keys computed once: lower-casing inside the comparison would do it n log n times.
        let keys = pages.map { $0.title.lowercased() }
        let pages = pages.indices.sorted { (keys[$0], pages[$0].id) < (keys[$1], pages[$1].id) }.map { pages[$0] }
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
            if page.kind == .single, page.ingredients.count == 1 {
                let key = Self.ingredientKey(page.ingredients[0].name)
                if let existing = pageForIngredient[key] {
                    if Self.ingredientPreference(page) < Self.ingredientPreference(pages[existing]) {
                        pageForIngredient[key] = index
                    }
                } else {
                    pageForIngredient[key] = index
                }
            }
            var seen: Set<String> = []
            for ingredient in page.ingredients {
                let key = Self.ingredientKey(ingredient.name)
                guard !key.isEmpty, seen.insert(key).inserted else { continue }
                entries[key, default: IngredientEntry(name: ingredient.name, slug: "", key: key, pages: [])].pages
                    .append(index)
            }
        }
        let unsorted = Array(entries.values)
        let nameKeys = unsorted.map { $0.name.lowercased() }
        var sorted = unsorted.indices.sorted { (nameKeys[$0], unsorted[$0].key) < (nameKeys[$1], unsorted[$1].key) }
            .map { unsorted[$0] }
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
        pagesByLetter = Self.grouped(pages, by: \.title).map { ($0.letter, $0.values) }
        ingredientsByLetter = Self.grouped(sorted, by: \.name).map { ($0.letter, $0.values) }
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
        var groups: [String: [T]] = [:]
        for value in values { groups[letter(of: key(value)), default: []].append(value) }
        return letters.compactMap { letter in groups[letter].map { (letter, $0) } }
    }

    public static let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) } + ["0-9"]

    public static func letter(of title: String) -> String {
        for scalar in title.unicodeScalars {
            let lowered = scalar.properties.lowercaseMapping
            if let first = lowered.unicodeScalars.first, first.isASCII, ("a"..."z").contains(Character(first)) {
                return String(first)
            }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return "0-9" }
        }
        return "0-9"
    }

    /// How an ingredient is matched across pages: case, spacing and punctuation ignored.
    public static func ingredientKey(_ name: String) -> String {
        // Most names are ASCII: lower-cased and spaced on bytes.
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return Slug.asciiWords(name, separator: 0x20) }
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
    static func asciiWords(_ text: String, separator: UInt8) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSeparator = false
        for byte in text.utf8 {
            let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lowered >= 97 && lowered <= 122) || (lowered >= 48 && lowered <= 57) {
                if pendingSeparator, !bytes.isEmpty { bytes.append(separator) }
                pendingSeparator = false
                bytes.append(lowered)
            } else {
                pendingSeparator = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
