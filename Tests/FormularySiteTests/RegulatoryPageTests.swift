import Foundation
import FormularyReference
import Testing

@testable import FormularySite

@Suite("India's lists on the built site")
struct RegulatoryPageTests {
    /// Made-up medicines and a made-up list, so that the page shows what the list says.
    static func lists() throws -> ReferenceLists {
        let banned = try BannedCombinationList(
            csv: """
                list,item,combination,notification,date,status
                Test list 02.08.2024,12,Zorbamol HCl + Quintacillin,S.O. 3285(E),2024-08-02,banned
                Test list 02.08.2024,13,Velmotide + Drenafex Syrup,S.O. 3286(E),2024-08-02,banned
                """, path: "banned.csv")
        let prices = try JanAushadhiPriceList(
            csv: """
                "Sr No","Drug Code","Generic Name","Unit Size","MRP","Group Name"
                "1","101","Zorbamol Tablets IP 500 mg","10's","8.25","Test"
                "2","102","Zorbamol 100mg and Quintacillin 200mg Tablets","10's","12.50","Test"
                """, path: "prices.csv", date: "2026-09-30")
        return ReferenceLists(banned: banned, prices: prices)
    }

    @Test("a prohibited combination's page says so before any use or dose, with the notification and its date")
    func banner() throws {
        let site = TemporaryFolder()
        try site.write(
            "content/composition/zorbamol-quintacillin.md",
            Fixture.page(title: "Zorbamol + Quintacillin", body: "## Usage\nA made-up use.\n\n## Dosage\nA dose.\n"))
        try site.write(
            "content/composition/velmotide-drenafex.md",
            Fixture.page(title: "Velmotide + Drenafex", body: "## Usage\nA made-up use.\n"))
        try site.write("content/composition/zorbamol.md", Fixture.page(title: "Zorbamol", body: "## Usage\nPain.\n"))
        var request = SiteBuilder.Request(
            contentFolder: site.path + "/content", outputFolder: site.path + "/public",
            configuration: Fixture.configuration)
        request.reference = try Self.lists()
        _ = try SiteBuilder(request).build()

        let page = try #require(site.read("public/composition/zorbamol-quintacillin/index.html"))
        let banner = try #require(
            page.range(
                of:
                    "The sale of this combination is prohibited in India since 2 August 2024 (notification S.O. 3285(E) in the Gazette of India)."
            ))
        let usage = try #require(page.range(of: "<p>A made-up use.</p>"))
        #expect(banner.lowerBound < usage.lowerBound)
        #expect(page.contains("“Test list 02.08.2024”, item 12: “Zorbamol HCl + Quintacillin”"))
        #expect(page.contains(#""legalStatus":{"@type":"DrugLegalStatus""#))

        // A row for the syrup only: a notice, not the banner.
        let possible = try #require(site.read("public/composition/velmotide-drenafex/index.html"))
        #expect(!possible.contains("class=\"banner banned\""))
        #expect(possible.contains("India has prohibited “Velmotide + Drenafex Syrup” by notification S.O. 3286(E)"))
        #expect(!possible.contains("legalStatus"))

        let record = try #require(site.read("public/api/v1/monographs/composition/zorbamol-quintacillin.json"))
        #expect(record.contains(#""banned":true"#))
        #expect(record.contains(#""notification":"S.O. 3285(E)""#))
        // The price list still names the prohibited combination: the page says so above the price.
        #expect(
            page.contains(
                "The Jan Aushadhi list of 30 September 2026 still names this combination, although its sale has been prohibited since 2 August 2024."
            ))
        #expect(page.contains("<td>Zorbamol 100mg and Quintacillin 200mg Tablets</td>"))

        let single = try #require(site.read("public/composition/zorbamol/index.html"))
        #expect(single.contains("<tr><td>Zorbamol Tablets IP 500 mg</td><td>10&#39;s</td><td>₹8.25</td></tr>"))
        #expect(single.contains("as of 30 September 2026"))

        let letter = try #require(site.read("public/browse/z/index.html"))
        #expect(
            letter.contains(
                "Zorbamol + Quintacillin</a> <span class=\"kind kind-combination\">Combination</span> <span class=\"badge-banned\">Prohibited in India</span>"
            ))
        let home = try #require(site.read("public/index.html"))
        #expect(home.contains("<strong>1</strong> combinations prohibited in India"))
    }
}
