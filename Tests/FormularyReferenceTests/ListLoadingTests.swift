import Testing

@testable import FormularyReference

@Suite("Reading the lists: a clear path:line error, nothing half-loaded")
struct ListLoadingTests {
    static let header = "list,item,combination,notification,date,status\n"

    static func error(_ csv: String) -> String? {
        do {
            _ = try BannedCombinationList(csv: csv, path: "lists/banned.csv")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a good list loads every row, with quotes, doubled quotes and CRLF")
    func good() throws {
        let list = try BannedCombinationList(
            csv: Self.header
                + "A list,1,\"Zorbamol, \"\"oral\"\" + Quintacillin\",S.O. 1(E),2018-09-07,banned\r\nA list,2,Velmotide + Drenafex,S.O. 2(E),2018-09-07,\"ban quashed by a court, appeal pending\"\r\n",
            path: "lists/banned.csv")
        #expect(list.entries.map(\.combination) == ["Zorbamol, \"oral\" + Quintacillin", "Velmotide + Drenafex"])
        #expect(list.entries.map(\.status) == ["banned", "ban quashed by a court, appeal pending"])
        #expect(list.entries.map(\.line) == [2, 3])
    }

    @Test("each malformed row is an error at its line")
    func malformed() {
        #expect(
            Self.error(Self.header + "A,1,X + Y,S.O. 1(E),2018-09-07,banned\nA,2,X + Z,S.O. 2(E),2018-09-07\n")
                == "lists/banned.csv:3:1: error: 5 fields where the header has 6 (list, item, combination, notification, date, status)"
        )
        #expect(
            Self.error(Self.header + "A,one,X + Y,S.O. 1(E),2018-09-07,banned\n")
                == "lists/banned.csv:2:1: error: item 'one' is not a whole number")
        #expect(
            Self.error(Self.header + "A,1,X + Y,S.O. 1(E),07.09.2018,banned\n")
                == "lists/banned.csv:2:1: error: date '07.09.2018' is not a date written YYYY-MM-DD")
        #expect(
            Self.error(Self.header + "A,1,X + Y,pending,2018-09-07,banned\n")
                == "lists/banned.csv:2:1: error: notification 'pending' is not a Gazette notification number such as 'S.O. 3285(E)' or 'G.S.R. 123(E)'"
        )
        #expect(
            Self.error(Self.header + "A,1,X + Y,S.O. 1(E),2018-09-07,\n")
                == "lists/banned.csv:2:1: error: the status (column 'status') is empty; write it as the list gives it ('banned', ...)"
        )
        #expect(
            Self.error(Self.header + "A,1,\"X + Y,S.O. 1(E),2018-09-07,banned\n")
                == "lists/banned.csv:2:1: error: a quoted field is never closed (a missing double quote)")
        #expect(
            Self.error("list,item,combination,date,status\nA,1,X,2018-09-07,banned\n")
                == "lists/banned.csv:1:1: error: no column 'notification' in the header (list, item, combination, date, status); expected list, item, combination, notification, date, status"
        )
        #expect(Self.error("") == "lists/banned.csv:1:1: error: the file is empty; expected a header line")
        #expect(Self.error(Self.header) == "lists/banned.csv:1:1: error: the list has a header but no rows")
    }

    @Test("a price that is not a number, or a list without a date, is refused")
    func prices() {
        let header = "\"Sr No\",\"Drug Code\",\"Generic Name\",\"Unit Size\",\"MRP\",\"Group Name\"\n"
        #expect(
            throws: ReferenceListError(
                path: "p.csv", line: 2, message: "MRP 'ten' is not a price in rupees (a number such as 10.32)")
        ) {
            try JanAushadhiPriceList(
                csv: header + "1,1,Zorbamol Tablets 10 mg,10's,ten,G\n", path: "p.csv", date: "2026-09-30")
        }
        #expect(
            throws: ReferenceListError(
                path: "p.csv", line: 1, message: "the price list's date 'soon' is not a date written YYYY-MM-DD")
        ) {
            try JanAushadhiPriceList(csv: header + "1,1,Zorbamol Tablets 10 mg,10's,1,G\n", path: "p.csv", date: "soon")
        }
        #expect(JanAushadhiPriceList.date(inFileName: "data/jan-aushadhi-products-2026-09-30.csv") == "2026-09-30")
    }

    @Test("a huge list of hostile text loads or fails cleanly")
    func hostile() throws {
        var csv = Self.header
        for item in 1...5000 {
            csv +=
                "A,\(item),\"\(String(repeating: "+ (", count: 20))Zorbamol\u{0} 𝒳 \(item)mg/\",S.O. \(item)(E),2018-09-07,banned\n"
        }
        let list = try BannedCombinationList(csv: csv, path: "big.csv")
        #expect(list.entries.count == 5000)
        let matcher = RegulatoryMatcher(list: list)
        #expect(matcher.unreadableRows.count == 5000)
    }
}
