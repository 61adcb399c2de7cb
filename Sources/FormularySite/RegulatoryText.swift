import FormularyModel
import FormularyReference

/// What a page says, in words a patient understands, about the lists that name its medicine:
/// India's prohibited combinations and the Jan Aushadhi prices. Each sentence says where the
/// fact comes from and as of when.
enum RegulatoryText {
    /// Template values for the monograph page: `banned` is set by the caller; these add the banner's text.
    static func values(for monograph: Monograph) -> [String: Any] {
        var data: [String: Any] = [:]
        data["bannedText"] = TemplateNull()
        data["regulatoryNotice"] = TemplateNull()
        data["regulatorySource"] = TemplateNull()
        data["regulatoryOverride"] = TemplateNull()
        if let regulatory = monograph.regulatory {
            let date = ReferenceDate.spelled(regulatory.date)
            let gazette = "notification \(regulatory.notification) in the Gazette of India"
            data["regulatorySource"] =
                "Source: CDSCO (Central Drugs Standard Control Organisation), list of prohibited fixed-dose combinations, “\(regulatory.list)”, item \(regulatory.item): “\(regulatory.combination)”."
            if let override = regulatory.override {
                data["regulatoryOverride"] =
                    "The list of combinations prohibited in India names “\(regulatory.combination)” (\(gazette), \(date)); a reviewer\(override.by.map { ", \($0)," } ?? "") found that it does not apply to this page: \(override.reason)"
            } else if regulatory.prohibitsPage {
                data["bannedText"] =
                    "The sale of this combination is prohibited in India since \(date) (\(gazette)). Do not start it; if you take it, talk to your doctor about alternatives."
            } else if regulatory.match == .exact {
                data["regulatoryNotice"] =
                    "India prohibited this combination by \(gazette) of \(date). The list gives its status as: \(regulatory.status). Ask your doctor or pharmacist before you use it."
            } else {
                let status = regulatory.isBannedStatus ? "prohibited" : "listed (status: \(regulatory.status))"
                data["regulatoryNotice"] =
                    "India has \(status) “\(regulatory.combination)” by \(gazette) of \(date). That entry names a form, strength or spelling this page does not state, so it may or may not cover the product you have: ask a pharmacist."
            }
        } else if monograph.flags.banned {
            data["bannedText"] =
                "This fixed-dose combination is prohibited for manufacture, sale and distribution in India. Do not start it; if you take it, talk to your doctor about alternatives."
        }
        let prices = monograph.prices ?? []
        // The two lists can disagree: the government's generic list may still name a
        // combination it has prohibited. Say so rather than show a price under a ban.
        data["pricesCaveat"] = TemplateNull()
        if let regulatory = monograph.regulatory, regulatory.prohibitsPage, let first = prices.first {
            data["pricesCaveat"] =
                "The Jan Aushadhi list of \(ReferenceDate.spelled(first.date)) still names this combination, although its sale has been prohibited since \(ReferenceDate.spelled(regulatory.date)). Ask a pharmacist before you buy it."
        }
        data["hasPrices"] = !prices.isEmpty
        data["prices"] = prices.prefix(12).map { price -> [String: Any] in
            ["product": price.product, "pack": price.pack, "mrp": rupees(price.mrp)]
        }
        data["morePrices"] =
            prices.count > 12 ? "and \(prices.count - 12) more in this page's JSON record." : TemplateNull()
        data["pricesSource"] =
            prices.first.map {
                "Maximum retail prices from the \($0.list), as of \(ReferenceDate.spelled($0.date)). Sold at Jan Aushadhi Kendras."
            } ?? TemplateNull()
        return data
    }

    /// `₹10.32`, `₹8`.
    static func rupees(_ value: Double) -> String {
        let paise = Int((value * 100).rounded())
        let whole = paise / 100
        let rest = paise % 100
        return "₹\(whole)" + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
    }
}
