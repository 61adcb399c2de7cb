import Dispatch
import FormularyModel
import FormularyParsing
import Foundation

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

    /// The built-in lists' fingerprint, from their text alone.
    static func fingerprint(withPrices: Bool) -> String {
        var hasher = StableHasher()
        hasher.combine(files[bannedFileName]!)
        if withPrices { hasher.combine(files[pricesFileName]!) }
        return "built-in|" + hasher.hexDigest
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
    private let storage: MatcherStorage
    /// A fingerprint of the lists, so that a build whose lists changed renders every page again.
    /// Known without reading the lists' entries.
    public let fingerprint: String

    /// The banned list's rows, read for matching (on first use, or by `prepare()`).
    public var banned: RegulatoryMatcher { storage.matchers.banned }
    /// `nil` for a command that never shows prices (`check`, `search`): the price list is the
    /// larger of the two to read.
    public var prices: PriceMatcher? { storage.matchers.prices }

    /// Lists already read and checked; their entries are read for matching when first needed.
    public init(banned: BannedCombinationList, prices: JanAushadhiPriceList?) {
        fingerprint = Self.fingerprint(banned, prices)
        storage = MatcherStorage { (banned, prices) }
    }

    private init(
        fingerprint: String, lists: @escaping @Sendable () -> (BannedCombinationList, JanAushadhiPriceList?)
    ) {
        self.fingerprint = fingerprint
        storage = MatcherStorage(lists: lists)
    }

    /// Starts reading the lists' entries (a few thousand free-text names, tens of milliseconds)
    /// on a thread of its own, so that a command does its other start-up work meanwhile; the
    /// first page to be matched waits for it.
    public func prepare() { storage.prepareInBackground() }

    /// The lists compiled into the binary.
    public static let builtIn = ReferenceLists(
        fingerprint: ReferenceData.fingerprint(withPrices: true),
        lists: { (ReferenceData.bannedList(), ReferenceData.priceList()) })

    /// The built-in banned list alone, for commands that show no prices.
    public static let builtInWithoutPrices = ReferenceLists(
        fingerprint: ReferenceData.fingerprint(withPrices: false), lists: { (ReferenceData.bannedList(), nil) })

    /// The lists a site's settings name (`reference:` in formulary.yml), the built-in ones for
    /// what they do not name; without the price list when `withPrices` is false. Paths are
    /// relative to `folder`.
    public static func load(_ settings: ReferenceSettings, relativeTo folder: String, withPrices: Bool = true)
        throws(ReferenceListError) -> ReferenceLists
    {
        guard settings.bannedCombinations != nil || settings.janAushadhi != nil else {
            return withPrices ? builtIn : builtInWithoutPrices
        }
        let bannedList: BannedCombinationList
        if let path = settings.bannedCombinations {
            let full = Self.resolve(path, in: folder)
            bannedList = try BannedCombinationList(csv: try Self.read(full), path: full)
        } else {
            bannedList = ReferenceData.bannedList()
        }
        var priceList: JanAushadhiPriceList?
        if withPrices, let path = settings.janAushadhi {
            let full = Self.resolve(path, in: folder)
            guard let date = settings.janAushadhiDate ?? JanAushadhiPriceList.date(inFileName: path) else {
                throw ReferenceListError(
                    path: full, line: 1,
                    message:
                        "the price list's date is unknown: put it in the file name (jan-aushadhi-products-YYYY-MM-DD.csv) or set reference: jan_aushadhi_date: YYYY-MM-DD in formulary.yml"
                )
            }
            priceList = try JanAushadhiPriceList(csv: try Self.read(full), path: full, date: date)
        } else if withPrices {
            priceList = ReferenceData.priceList()
        }
        return ReferenceLists(banned: bannedList, prices: priceList)
    }

    static func fingerprint(_ banned: BannedCombinationList, _ prices: JanAushadhiPriceList?) -> String {
        var hasher = StableHasher()
        hasher.combine(banned.origin + "|" + banned.textHash)
        if let prices { hasher.combine(prices.origin + "|" + prices.date + "|" + prices.textHash) }
        return hasher.hexDigest
    }

    public func annotate(_ page: inout ParsedPage) {
        let monograph = page.monograph
        let keyed = KeyedIngredients(monograph.ingredients)
        let matchers = storage.matchers
        if let best = matchers.banned.matches(keyed, title: monograph.title).first {
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
        guard let prices = matchers.prices, !Self.namesRoute(monograph.title) else { return }
        let found = prices.prices(keyed)
        if !found.isEmpty { page.monograph.prices = found }
    }

    static let routes: Set<String> = [
        "ophthalmic", "topical", "systemic", "otic", "nasal", "vaginal", "rectal", "inhalation", "injection",
        "injectable", "eye", "ear", "oral", "dermal", "transdermal", "buccal", "sublingual",
    ]

    /// Whether a title names a route or form in brackets: `Moxifloxacin (Ophthalmic)`.
    static func namesRoute(_ title: String) -> Bool {
        guard title.contains("(") else { return false }
        return LetterWords.of(title).contains { routes.contains($0) }
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

/// The matchers of a `ReferenceLists`, made once, by whichever comes first: the first page to
/// be matched or `prepareInBackground()`; the others wait for it.
private final class MatcherStorage: Sendable {
    struct Matchers: Sendable {
        var banned: RegulatoryMatcher
        var prices: PriceMatcher?
    }

    private let lists: @Sendable () -> (BannedCombinationList, JanAushadhiPriceList?)
    private let made = Locked<Matchers?>(nil)

    init(lists: @escaping @Sendable () -> (BannedCombinationList, JanAushadhiPriceList?)) {
        self.lists = lists
    }

    var matchers: Matchers {
        made.withLock { made in
            if let made { return made }
            let matchers = Self.make(lists())
            made = matchers
            return matchers
        }
    }

    func prepareInBackground() {
        // A thread of its own, not a GCD worker: pages matched on GCD's workers wait for it.
        Thread.detachNewThread { [self] in _ = self.matchers }
    }

    /// Both lists' entries read on every core.
    private static func make(_ lists: (BannedCombinationList, JanAushadhiPriceList?)) -> Matchers {
        let (banned, prices) = lists
        let texts =
            banned.entries.map { (text: $0.combination, isProduct: false) }
            + (prices?.products ?? []).map { (text: $0.genericName, isProduct: true) }
        let slots = ResultSlots<ListedCombination>(count: texts.count)
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: (texts.count + chunk - 1) / chunk) { part in
            for index in (part * chunk)..<min(texts.count, part * chunk + chunk) {
                let entry = texts[index]
                slots.set(index, entry.isProduct ? .product(entry.text) : .banned(entry.text))
            }
        }
        let combinations = slots.values()
        let bannedCount = banned.entries.count
        return Matchers(
            banned: RegulatoryMatcher(list: banned, combinations: Array(combinations[..<bannedCount])),
            prices: prices.map { PriceMatcher(list: $0, combinations: Array(combinations[bannedCount...])) })
    }
}
