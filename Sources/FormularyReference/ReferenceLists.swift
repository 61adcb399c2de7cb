import FormularyModel
import FormularyParsing

/// The lists Formulary ships (Data/india/ in the repository, compiled in): India's prohibited
/// fixed-dose combinations and the Jan Aushadhi price list.
public enum ReferenceData {
    public static let bannedFileName = "cdsco-banned-fdcs.csv"
    public static let pricesFileName = "jan-aushadhi-products-2026-09-30.csv"

    /// The built-in banned list.
    public static func bannedList() -> BannedCombinationList {
        // The data is compiled in and a test reads it: it cannot fail at run time.
        try! BannedCombinationList(csv: files[bannedFileName]!, path: "built-in:Data/india/\(bannedFileName)")
    }

    /// The built-in price list, dated by its file name.
    public static func priceList() -> JanAushadhiPriceList {
        try! JanAushadhiPriceList(
            csv: files[pricesFileName]!, path: "built-in:Data/india/\(pricesFileName)",
            date: JanAushadhiPriceList.date(inFileName: pricesFileName)!)
    }
}

/// The reference lists a site uses, and what they say about each page it reads.
///
/// As a `PageAnnotator`, it fills a record's `regulatory` (the best matching row of the banned
/// list: an exact match with status `banned` first, then the earliest notification),
/// `flags.banned` (an exact match with status `banned` that no reviewer set aside), and `prices`.
/// A reviewer sets a match aside in the page's front matter; the reason stays in the record:
///
/// ```yaml
/// regulatory_override:
///   reason: The page describes the 500 mg tablet; the notification bans the syrup.
///   by: A. Sharma
/// ```
public struct ReferenceLists: PageAnnotator {
    public let banned: RegulatoryMatcher
    public let prices: PriceMatcher

    public init(banned: BannedCombinationList, prices: JanAushadhiPriceList) {
        self.banned = RegulatoryMatcher(list: banned)
        self.prices = PriceMatcher(list: prices)
    }

    /// A fingerprint of the lists, so that a build whose lists changed renders every page again
    /// (worked out when a build asks, once: other commands never need it).
    public var fingerprint: String { Self.fingerprint(banned.list, prices.list) }

    /// The lists compiled into the binary.
    public static let builtIn = ReferenceLists(banned: ReferenceData.bannedList(), prices: ReferenceData.priceList())

    /// The lists a site's settings name (`reference:` in formulary.yml), the built-in ones for
    /// what they do not name. Paths are relative to `folder`.
    public static func load(_ settings: ReferenceSettings, relativeTo folder: String) throws(ReferenceListError)
        -> ReferenceLists
    {
        guard settings.bannedCombinations != nil || settings.janAushadhi != nil else { return builtIn }
        let bannedList: BannedCombinationList
        if let path = settings.bannedCombinations {
            let full = Self.resolve(path, in: folder)
            bannedList = try BannedCombinationList(csv: try Self.read(full), path: full)
        } else {
            bannedList = builtIn.banned.list
        }
        let priceList: JanAushadhiPriceList
        if let path = settings.janAushadhi {
            let full = Self.resolve(path, in: folder)
            guard let date = settings.janAushadhiDate ?? JanAushadhiPriceList.date(inFileName: path) else {
                throw ReferenceListError(
                    path: full, line: 1,
                    message:
                        "the price list's date is unknown: put it in the file name (jan-aushadhi-products-YYYY-MM-DD.csv) or set reference: jan_aushadhi_date: YYYY-MM-DD in formulary.yml"
                )
            }
            priceList = try JanAushadhiPriceList(csv: try Self.read(full), path: full, date: date)
        } else {
            priceList = builtIn.prices.list
        }
        return ReferenceLists(banned: bannedList, prices: priceList)
    }

    static func fingerprint(_ banned: BannedCombinationList, _ prices: JanAushadhiPriceList) -> String {
        var hasher = StableHasher()
        hasher.combine(banned.origin)
        for entry in banned.entries {
            hasher.combine(
                "\(entry.list)|\(entry.item)|\(entry.combination)|\(entry.notification)|\(entry.date)|\(entry.status)")
        }
        hasher.combine(prices.origin + "|" + prices.date)
        for product in prices.products {
            hasher.combine("\(product.code)|\(product.genericName)|\(product.unitSize)|\(product.mrp)")
        }
        return hasher.hexDigest
    }

    public func annotate(_ page: inout ParsedPage) {
        let monograph = page.monograph
        let keyed = KeyedIngredients(monograph.ingredients)
        if let best = banned.matches(keyed, title: monograph.title).first {
            var regulatory = Regulatory(
                status: best.entry.status, match: best.kind, reason: best.reason,
                notification: best.entry.notification, date: best.entry.date, list: best.entry.list,
                item: best.entry.item, combination: best.entry.combination, source: BannedCombinationList.source)
            regulatory.override = Self.override(in: page.frontMatter)
            page.monograph.regulatory = regulatory
            if regulatory.prohibitsPage { page.monograph.flags.banned = true }
        }
        // A page for one route (`Moxifloxacin (Ophthalmic)`) would get every route's products:
        // the list's names do not say the route reliably enough, so such pages get none.
        guard !Self.namesRoute(monograph.title) else { return }
        let found = prices.prices(keyed)
        if !found.isEmpty { page.monograph.prices = found }
    }

    static let routes: Set<String> = [
        "ophthalmic", "topical", "systemic", "otic", "nasal", "vaginal", "rectal", "inhalation", "injection",
        "injectable", "eye", "ear", "oral", "dermal", "transdermal",
    ]

    /// Whether a title names a route or form in brackets: `Moxifloxacin (Ophthalmic)`.
    static func namesRoute(_ title: String) -> Bool {
        guard title.contains("(") else { return false }
        return FormWords.words(in: title).contains { routes.contains($0) }
    }

    /// Front matter `regulatory_override`: a reason, or `{reason, by}`.
    static func override(in frontMatter: FrontMatter) -> RegulatoryOverride? {
        guard let value = frontMatter["regulatory_override"] else { return nil }
        if let reason = value.string?.trimmingWhitespace(), !reason.isEmpty {
            return RegulatoryOverride(reason: reason, by: nil)
        }
        guard let reason = value["reason"]?.string?.trimmingWhitespace(), !reason.isEmpty else { return nil }
        let by = value["by"]?.string?.trimmingWhitespace()
        return RegulatoryOverride(reason: reason, by: by?.isEmpty == false ? by : nil)
    }

    static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : (folder.isEmpty || folder == "." ? path : folder + "/" + path)
    }

    static func read(_ path: String) throws(ReferenceListError) -> String {
        let bytes: [UInt8]
        do throws(FileBytes.Failure) {
            bytes = try FileBytes.read(path, limit: 64 * 1024 * 1024)
        } catch {
            switch error {
            case .tooLarge(let size):
                throw ReferenceListError(path: path, line: 1, message: "the file is too large (\(size) bytes)")
            case .unreadable(let why):
                throw ReferenceListError(path: path, line: 1, message: "cannot read the list: \(why)")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReferenceListError(path: path, line: 1, message: "the file is not UTF-8 text")
        }
        return text
    }
}

/// Where a site's reference lists come from (`reference:` in formulary.yml); `nil` is the
/// built-in list.
public struct ReferenceSettings: Sendable, Hashable {
    public var bannedCombinations: String?
    public var janAushadhi: String?
    public var janAushadhiDate: String?

    public init(bannedCombinations: String? = nil, janAushadhi: String? = nil, janAushadhiDate: String? = nil) {
        self.bannedCombinations = bannedCombinations
        self.janAushadhi = janAushadhi
        self.janAushadhiDate = janAushadhiDate
    }
}
