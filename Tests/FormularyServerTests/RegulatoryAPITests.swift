import Foundation
import Testing

@testable import FormularyServer
@testable import FormularySite

@Suite("India's banned list through the server")
struct RegulatoryAPITests {
    /// The small site and a page of our own for a combination on the built-in banned list.
    static func server() throws -> (TemporaryFolder, SiteServer) {
        let site = try ServerFixture.site()
        try site.write(
            "content/composition/azithromycin-ofloxacin.md",
            ServerFixture.page(
                title: "Azithromycin + Ofloxacin", body: "## Usage\nA test page written for this test.\n"))
        _ = try SiteBuilder(ServerFixture.request(site)).build()
        return (site, try ServerFixture.server(site))
    }

    @Test("the record, the list filter and search say a page is prohibited, with the notification")
    func api() throws {
        let (site, server) = try Self.server()
        _ = site
        let record = try #require(server.get("/api/v1/monographs/composition/azithromycin-ofloxacin").json())
        let regulatory = try #require(record["regulatory"] as? [String: Any])
        #expect(regulatory["notification"] as? String == "S.O. 4432(E)")
        #expect(regulatory["date"] as? String == "2018-09-07")
        #expect(regulatory["status"] as? String == "banned")
        #expect(regulatory["match"] as? String == "exact")
        #expect((record["flags"] as? [String: Any])?["banned"] as? Bool == true)

        let banned = try #require(server.get("/api/v1/monographs?regulatory=banned").json())
        #expect(
            (banned["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["composition/azithromycin-ofloxacin"]
        )
        let others = try #require(server.get("/api/v1/monographs?regulatory=not-banned").json())
        #expect(others["total"] as? Int == 4)

        let search = try #require(server.get("/api/v1/search?q=azithromycin&regulatory=banned").json())
        let first = try #require((search["results"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "composition/azithromycin-ofloxacin")
        #expect(
            (first["regulatory"] as? [String: Any]).map {
                $0["banned"] as? Bool == true && $0["status"] as? String == "banned"
            }
                == true)
        let notBanned = try #require(server.get("/api/v1/search?q=azithromycin&regulatory=not-banned").json())
        #expect(notBanned["total"] as? Int == 0)
        let aspirin = try #require(server.get("/api/v1/search?q=aspirin").json())
        #expect((aspirin["results"] as? [[String: Any]])?.allSatisfy { $0["regulatory"] == nil } == true)

        let wrong = server.get("/api/v1/search?q=a&regulatory=yes")
        #expect(wrong.status == .badRequest)
        #expect(wrong.json()?["detail"] as? String == "regulatory must be one of banned, not-banned, not 'yes'")

        let page = server.get("/composition/azithromycin-ofloxacin/").text
        #expect(
            page.contains(
                "The sale of this combination is prohibited in India since 7 September 2018 (notification S.O. 4432(E) in the Gazette of India)."
            ))
    }
}
