import FormularyModel
import FormularyParsing
import Testing

@testable import FormularyReference

/// Made-up medicines (Zorbamol, Quintacillin, Velmotide, Drenafex) so that the rules, not the
/// real lists, are what is tested.
@Suite("Matching pages against the lists")
struct MatchingTests {
    static let header = "list,item,combination,notification,date,status\n"

    static func matcher(_ rows: [String]) throws -> RegulatoryMatcher {
        let csv = header + rows.enumerated().map { "Test list,\($0.offset + 1),\($0.element)" }.joined(separator: "\n")
        return RegulatoryMatcher(list: try BannedCombinationList(csv: csv, path: "test.csv"))
    }

    static func ingredients(_ title: String) -> [Ingredient] { TitleParser.ingredients(inTitle: title) }

    static func match(_ matcher: RegulatoryMatcher, _ title: String) -> [RegulatoryMatcher.Match] {
        matcher.matches(ingredients: ingredients(title), title: title)
    }

    @Test("names are compared after salts, spelling and other names")
    func keys() {
        #expect(IngredientKey.of("Zorbamol Hydrochloride") == IngredientKey.of("zorbamol  HCl"))
        #expect(IngredientKey.of("Zorbamol Sodium") == "zorbamol")
        #expect(IngredientKey.of("Quintacillin Trihydrate") == "quintacilin")
        #expect(IngredientKey.of("Sodium Citrate") == "sodiumcitrate")
        #expect(IngredientKey.of("Potassium Chloride") == "potasiumchloride")
        #expect(IngredientKey.of("Amoxycillin") == IngredientKey.of("Amoxicillin"))
        #expect(IngredientKey.of("Guaiphenesin") == IngredientKey.of("Guaifenesin"))
        #expect(IngredientKey.of("Chlorpheniramine Maleate") == IngredientKey.of("Chlorphenamine"))
        #expect(IngredientKey.of("Lignocaine HCl") == IngredientKey.of("Lidocaine"))
        #expect(IngredientKey.of("Beta-Velmotide") == IngredientKey.of("Beta Velmotide"))
        #expect(IngredientKey.of("Vit. C") == IngredientKey.of("Ascorbic Acid"))
        #expect(IngredientKey.of("Prednisolone") != IngredientKey.of("Prednisone"))
    }

    @Test("the same set of ingredients in any order, with salts and stray spaces, is an exact match")
    func exact() throws {
        let matcher = try Self.matcher(["Quintacillin Sodium +Zorbamol HCl,S.O.1234 (E),2024-08-02,banned"])
        let found = Self.match(matcher, "Zorbamol + Quintacillin")
        #expect(found.count == 1)
        #expect(found.first?.kind == .exact)
        #expect(found.first?.entry.notification == "S.O. 1234(E)")
        #expect(found.first?.entry.date == "2024-08-02")
    }

    @Test("one ingredient more or fewer is another combination: never a match")
    func moreOrFewer() throws {
        let matcher = try Self.matcher(["Zorbamol + Quintacillin + Velmotide,S.O. 1(E),2018-09-07,banned"])
        #expect(Self.match(matcher, "Zorbamol + Quintacillin").isEmpty)
        #expect(Self.match(matcher, "Zorbamol + Quintacillin + Velmotide + Drenafex").isEmpty)
        #expect(Self.match(matcher, "Velmotide + Zorbamol + Quintacillin").count == 1)
        // One substance under two names is not a combination of two.
        #expect(Self.match(matcher, "Zorbamol").isEmpty)
    }

    @Test(
        "a row that names a dosage form matches a page of that form, is possible when the page does not say, and misses another form"
    )
    func dosageForm() throws {
        let matcher = try Self.matcher(["Zorbamol + Quintacillin Injection,S.O. 2(E),2018-09-07,banned"])
        let unknown = Self.match(matcher, "Zorbamol + Quintacillin")
        #expect(unknown.map(\.kind) == [.possible])
        #expect(
            unknown.first?.reason
                == "the notification names the form (injection) and the page does not say which form it describes")
        #expect(Self.match(matcher, "Zorbamol + Quintacillin (Injection)").map(\.kind) == [.exact])
        #expect(Self.match(matcher, "Zorbamol + Quintacillin (Tablet)").isEmpty)
    }

    @Test("a row that names strengths matches those strengths, is possible without them, and misses others")
    func strengths() throws {
        let matcher = try Self.matcher([
            "Zorbamol 50mg + Quintacillin 125mg,S.O. 3(E),2018-09-07,banned",
            "Velmotide 1mg/2mg + Drenafex 15mg/15mg,S.O. 4(E),2018-09-07,banned",
        ])
        #expect(Self.match(matcher, "Zorbamol 50mg + Quintacillin 125mg").map(\.kind) == [.exact])
        #expect(Self.match(matcher, "Zorbamol 0.05g + Quintacillin 125 mg").map(\.kind) == [.exact])
        #expect(Self.match(matcher, "Zorbamol 100mg + Quintacillin 125mg").isEmpty)
        let none = Self.match(matcher, "Zorbamol + Quintacillin")
        #expect(none.map(\.kind) == [.possible])
        #expect(none.first?.reason == "the notification names strengths (50mg + 125mg) and the page states none")
        #expect(Self.match(matcher, "Velmotide 2mg + Drenafex 15mg").map(\.kind) == [.exact])
        #expect(Self.match(matcher, "Velmotide 3mg + Drenafex 15mg").isEmpty)
    }

    @Test("a release modifier in brackets is a form the page must state")
    func release() throws {
        let matcher = try Self.matcher(["Zorbamol (SR) + Quintacillin,S.O. 5(E),2018-09-07,banned"])
        #expect(Self.match(matcher, "Zorbamol + Quintacillin").map(\.kind) == [.possible])
    }

    @Test("the status is carried as the list gives it; only an exact banned match prohibits the page")
    func status() throws {
        let review = "under review (re-banned in the 2023 list if still banned)"
        let lists = ReferenceLists(
            banned: try BannedCombinationList(
                csv: Self.header + "Old list,7,Zorbamol + Quintacillin,S.O. 6(E),2016-03-10,\(review)\n"
                    + "New list,8,Velmotide + Drenafex,S.O. 7(E),2023-06-02,banned\n",
                path: "test.csv"),
            prices: ReferenceData.priceList())
        let parser = MonographParser(annotator: lists)
        let listed = try parser.parse(
            bytes: Array("---\ntitle: Zorbamol + Quintacillin\n---\n### Usage\nText.\n".utf8),
            location: DocumentLocation(path: "content/composition/zorbamol-quintacillin.md"))
        #expect(listed.monograph.regulatory?.status == review)
        #expect(listed.monograph.regulatory?.match == .exact)
        #expect(listed.monograph.flags.banned == false)
        let banned = try parser.parse(
            bytes: Array("---\ntitle: Drenafex + Velmotide\n---\n### Usage\nText.\n".utf8),
            location: DocumentLocation(path: "content/composition/drenafex-velmotide.md"))
        #expect(banned.monograph.flags.banned)
        #expect(banned.monograph.regulatory?.item == 8)
        #expect(banned.monograph.regulatory?.list == "New list")
        #expect(banned.monograph.regulatory?.source == BannedCombinationList.source)
    }

    @Test("a reviewer's override in front matter clears the page and stays in the record")
    func override() throws {
        let lists = ReferenceLists(
            banned: try BannedCombinationList(
                csv: Self.header + "New list,8,Velmotide + Drenafex,S.O. 7(E),2023-06-02,banned\n", path: "t.csv"),
            prices: ReferenceData.priceList())
        let page = try MonographParser(annotator: lists).parse(
            bytes: Array(
                "---\ntitle: Drenafex + Velmotide\nregulatory_override:\n  reason: Another product.\n  by: A. Reviewer\n---\n### Usage\nText.\n"
                    .utf8),
            location: DocumentLocation(path: "content/composition/drenafex-velmotide.md"))
        #expect(page.monograph.flags.banned == false)
        #expect(
            page.monograph.regulatory?.override == RegulatoryOverride(reason: "Another product.", by: "A. Reviewer"))
        #expect(
            MonographJSON.encode(page.monograph).contains(
                #""override":{"by":"A. Reviewer","reason":"Another product."}"#))
    }

    @Test("a name one letter apart is a possible match, for a person to decide")
    func nearMiss() throws {
        let matcher = try Self.matcher(["Zorbamel + Quintacillin,S.O. 8(E),2018-09-07,banned"])
        let found = Self.match(matcher, "Zorbamol + Quintacillin")
        #expect(found.map(\.kind) == [.possible])
        #expect(
            found.first?.reason
                == "the notification's 'Zorbamel' and the page's 'Zorbamol' are one letter apart as Formulary compares names; a person must say whether they are the same substance"
        )
    }

    @Test("rows that name a class of drugs or a kit are not matched by ingredients")
    func classRows() throws {
        let matcher = try Self.matcher([
            "Fixed dose combinations of Zorbamol with any other drug,S.O. 9(E),2018-09-07,banned",
            "Combi kit of Zorbamol + Quintacillin,S.O. 10(E),2018-09-07,banned",
        ])
        #expect(matcher.unreadableRows.count == 2)
        #expect(Self.match(matcher, "Zorbamol + Quintacillin").isEmpty)
    }

    @Test("notification numbers and dates are written one way")
    func notifications() {
        #expect(BannedCombinationList.notification("S.O.3285 (E)") == "S.O. 3285(E)")
        #expect(BannedCombinationList.notification("S.O. No. 4379 (E)") == "S.O. 4379(E)")
        #expect(BannedCombinationList.notification("S.O.4420(E )") == "S.O. 4420(E)")
        #expect(BannedCombinationList.notification("GSR NO. 222(E)") == "G.S.R. 222(E)")
        #expect(BannedCombinationList.notification("pending") == nil)
        #expect(ReferenceDate.iso("2018-09-7") == "2018-09-07")
        #expect(ReferenceDate.iso("07.09.2018") == nil)
        #expect(ReferenceDate.spelled("2024-08-02") == "2 August 2024")
    }

    @Test("Jan Aushadhi products match by ingredients, and by strength for a page at a strength")
    func prices() throws {
        let csv = """
            "Sr No","Drug Code","Generic Name","Unit Size","MRP","Group Name"
            "1","101","Zorbamol 100mg and Quintacillin 325mg Tablets","10's","10.32","Test"
            "2","102","Zorbamol Tablets IP 500 mg","10's","8.25","Test"
            "3","103","Zorbamol Oral Suspension IP 250mg per 5ml","60 ml","19.69","Test"
            "4","104","Zorbamol Tablets IP 650 mg","15's","0","Test"
            """
        let matcher = PriceMatcher(list: try JanAushadhiPriceList(csv: csv, path: "p.csv", date: "2026-09-30"))
        #expect(
            matcher.prices(ingredients: Self.ingredients("Zorbamol 100mg + Quintacillin 325mg")).map(\.code) == ["101"])
        #expect(matcher.prices(ingredients: Self.ingredients("Zorbamol 200mg + Quintacillin 325mg")).isEmpty)
        #expect(matcher.prices(ingredients: Self.ingredients("Quintacillin + Zorbamol")).map(\.code) == ["101"])
        // Priced at 0 means not priced: left out.
        #expect(matcher.prices(ingredients: Self.ingredients("Zorbamol")).map(\.code) == ["102", "103"])
        #expect(matcher.prices(ingredients: Self.ingredients("Zorbamol 250mg/5ml")).map(\.code) == ["103"])
        let price = try #require(matcher.prices(ingredients: Self.ingredients("Zorbamol 500mg")).first)
        #expect(
            price
                == Price(
                    product: "Zorbamol Tablets IP 500 mg", code: "102", pack: "10's", mrp: 8.25,
                    list: JanAushadhiPriceList.name, date: "2026-09-30"))
    }

    @Test("amounts: alternatives, per volume, units normalised")
    func amounts() {
        #expect(Amount.all(in: "1000/500mg").map(\.description) == ["1000mg", "500mg"])
        #expect(Amount.all(in: "100mg/5ml").map(\.description) == ["100mg/5ml"])
        #expect(Amount.all(in: "25mg per ml").map(\.description) == ["25mg/ml"])
        #expect(Amount.all(in: "1 gm").map(\.description) == ["1000mg"])
        #expect(Amount.all(in: "Omega 3 Fatty Acid").isEmpty)
    }
}
