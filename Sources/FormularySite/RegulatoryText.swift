import FormularyModel
import FormularyReference

/// What a page says, in words a patient understands, about the lists that name its medicine:
/// India's prohibited combinations and the Jan Aushadhi prices. Each sentence says where the
/// fact comes from and as of when.
enum RegulatoryText {
    /// Template values for the monograph page: `banned` is set by the caller; these add the
    /// banner's text, in the page's language.
    static func values(for monograph: Monograph, strings: SiteStrings) -> [String: Any] {
        var data: [String: Any] = [:]
        data["bannedText"] = TemplateNull()
        data["regulatoryNotice"] = TemplateNull()
        data["regulatorySource"] = TemplateNull()
        data["regulatoryOverride"] = TemplateNull()
        if let regulatory = monograph.regulatory {
            let date = strings.date(regulatory.date)
            let gazette = strings.text("gazette", ["notification": regulatory.notification])
            data["regulatorySource"] = strings.text(
                "regulatorySource",
                ["list": regulatory.list, "item": String(regulatory.item), "combination": regulatory.combination])
            if let override = regulatory.override {
                data["regulatoryOverride"] = strings.text(
                    "regulatoryOverride",
                    [
                        "combination": regulatory.combination, "gazette": gazette, "date": date,
                        "by": override.by.map { strings.text("regulatoryOverrideBy", ["name": $0]) } ?? "",
                        "reason": override.reason,
                    ])
            } else if regulatory.prohibitsPage {
                data["bannedText"] = strings.text("bannedSince", ["date": date, "gazette": gazette])
            } else if regulatory.match == .exact {
                data["regulatoryNotice"] = strings.text(
                    "bannedStatus", ["gazette": gazette, "date": date, "status": regulatory.status])
            } else {
                let status =
                    regulatory.isBannedStatus
                    ? strings["possibleProhibited"] : strings.text("possibleListed", ["status": regulatory.status])
                data["regulatoryNotice"] = strings.text(
                    "possibleMatch",
                    ["status": status, "combination": regulatory.combination, "gazette": gazette, "date": date])
            }
        } else if monograph.flags.banned {
            data["bannedText"] = strings["bannedFrontMatter"]
        }
        let prices = monograph.prices ?? []
        // The two lists can disagree: the government's generic list may still name a
        // combination it has prohibited. Say so rather than show a price under a ban.
        data["pricesCaveat"] = TemplateNull()
        if let regulatory = monograph.regulatory, regulatory.prohibitsPage, let first = prices.first {
            data["pricesCaveat"] = strings.text(
                "pricesCaveat", ["listDate": strings.date(first.date), "bannedDate": strings.date(regulatory.date)])
        }
        data["hasPrices"] = !prices.isEmpty
        data["prices"] = prices.prefix(12).map { price -> [String: Any] in
            ["product": price.product, "pack": price.pack, "mrp": rupees(price.mrp)]
        }
        data["morePrices"] =
            prices.count > 12 ? strings.text("morePrices", ["count": String(prices.count - 12)]) : TemplateNull()
        data["pricesSource"] =
            prices.first.map { strings.text("pricesSource", ["list": $0.list, "date": strings.date($0.date)]) }
            ?? TemplateNull()
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
