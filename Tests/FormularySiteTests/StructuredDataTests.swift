import FormularyModel
import FormularyParsing
import Foundation
import Testing

@testable import FormularySite

/// schema.org as this site uses it: each type with the properties it may carry (from
/// https://schema.org, the type's own and inherited ones), and what kind of value each takes.
private enum SchemaOrg {
    enum Value { case text, url, date, number, boolean, thing(Set<String>) }

    static let properties: [String: [String: Value]] = [
        "MedicalWebPage": [
            "name": .text, "url": .url, "description": .text, "inLanguage": .text, "dateModified": .date,
            "lastReviewed": .date, "reviewedBy": .thing(["Person", "Organization"]),
            "isPartOf": .thing(["WebSite"]), "mainEntity": .thing(["Drug"]),
        ],
        "WebSite": [
            "name": .text, "url": .url, "potentialAction": .thing(["SearchAction"]),
        ],
        "SearchAction": ["target": .url, "query-input": .text],
        "Drug": [
            "name": .text, "nonProprietaryName": .text, "activeIngredient": .text, "isProprietary": .boolean,
            "availableStrength": .thing(["DrugStrength"]),
        ],
        "DrugStrength": ["activeIngredient": .text, "strengthValue": .number, "strengthUnit": .text],
    ]

    /// JSONSerialization gives `true` as a Bool (or a boolean NSNumber), `1` as a number.
    static func isBoolean(_ value: Any) -> Bool {
        let typeName = String(describing: type(of: value))
        return typeName == "Bool" || typeName.contains("Boolean")
    }

    /// Problems with `object` as a schema.org `@type` node; empty when it is right.
    static func problems(_ object: [String: Any], path: String = "") -> [String] {
        guard let type = object["@type"] as? String, let allowed = properties[type] else {
            return ["\(path): unknown or missing @type \(object["@type"] ?? "nil")"]
        }
        var problems: [String] = []
        for (key, value) in object where key != "@type" && key != "@context" {
            guard let expected = allowed[key] else {
                problems.append("\(path).\(key): \(type) has no property '\(key)'")
                continue
            }
            let values = (value as? [Any]) ?? [value]
            for item in values {
                switch expected {
                case .text: if !(item is String) { problems.append("\(path).\(key): expected text") }
                case .url:
                    if !((item as? String)?.hasPrefix("https://") ?? false) {
                        problems.append("\(path).\(key): expected a URL")
                    }
                case .date:
                    if (item as? String).flatMap({ PageSummary.date($0) }) == nil {
                        problems.append("\(path).\(key): expected a date")
                    }
                case .number:
                    if !(item is NSNumber) || isBoolean(item) { problems.append("\(path).\(key): expected a number") }
                case .boolean:
                    if !isBoolean(item) { problems.append("\(path).\(key): expected a boolean") }
                case .thing(let types):
                    guard let nested = item as? [String: Any], let nestedType = nested["@type"] as? String,
                        types.contains(nestedType)
                    else {
                        problems.append("\(path).\(key): expected one of \(types.sorted())")
                        continue
                    }
                    problems += Self.problems(nested, path: "\(path).\(key)")
                }
            }
        }
        return problems
    }
}

@Suite("structured data, sitemap and API files")
struct StructuredDataTests {
    static func jsonLD(in html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: #"<script type="application/ld+json">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = Data(html[start.upperBound..<end.lowerBound].utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("JSON-LD parses and uses only schema.org types and properties, with the right value types")
    func jsonLDIsValid() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        for page in [
            "composition/aspirin", "generic/aspirin-75mg", "composition/aspirin-clopidogrel", "medicines/ecosprin-75",
        ] {
            let object = try Self.jsonLD(in: try #require(site.read("public/\(page)/index.html")))
            #expect(object["@context"] as? String == "https://schema.org")
            #expect(SchemaOrg.problems(object) == [], "\(page)")
        }
        let home = try Self.jsonLD(in: try #require(site.read("public/index.html")))
        #expect(SchemaOrg.problems(home) == [])
    }

    @Test("a page at a strength says so: Drug with DrugStrength; a brand is proprietary")
    func drugStrength() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let strength = try Self.jsonLD(in: try #require(site.read("public/generic/aspirin-75mg/index.html")))
        let drug = try #require(strength["mainEntity"] as? [String: Any])
        #expect(drug["@type"] as? String == "Drug")
        #expect(drug["nonProprietaryName"] as? String == "Aspirin")
        #expect(drug["activeIngredient"] as? String == "Aspirin")
        #expect(drug["isProprietary"] as? Bool == false)
        let strengths = try #require(drug["availableStrength"] as? [[String: Any]])
        #expect(strengths.count == 1)
        #expect(strengths[0]["activeIngredient"] as? String == "Aspirin")
        #expect(strengths[0]["strengthValue"] as? Double == 75)
        #expect(strengths[0]["strengthUnit"] as? String == "mg")
        let brand = try Self.jsonLD(in: try #require(site.read("public/medicines/ecosprin-75/index.html")))
        #expect((brand["mainEntity"] as? [String: Any])?["isProprietary"] as? Bool == true)
        #expect(
            StructuredData.unitText(
                Strength(text: "100mg/5ml", value: 100, unit: "mg", per: .init(value: 5, unit: "ml"))) == "mg/5ml")
    }

    @Test("the sitemap lists every page exactly once, with absolute addresses and dates")
    func sitemap() throws {
        let site = try Fixture.smallSite()
        _ = try Fixture.build(site)
        let sitemap = try #require(site.read("public/sitemap.xml"))
        var locations: [String] = []
        var rest = sitemap[...]
        while let start = rest.range(of: "<loc>"),
            let end = rest.range(of: "</loc>", range: start.upperBound..<rest.endIndex)
        {
            locations.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        let pages = site.files(under: "public").filter { $0.hasSuffix("index.html") && !$0.hasPrefix("search/") }
            .map { "https://med.example.org/" + $0.dropLast("index.html".count) }
        #expect(locations.sorted() == pages.sorted())
        #expect(Set(locations).count == locations.count)
        // Nothing dates these pages (no store, no git, no front matter date): no lastmod, rather
        // than the day the files were written (PageDatesTests has dated ones).
        #expect(!sitemap.contains("<lastmod>"))
        #expect(
            site.read("public/robots.txt")
                == "User-agent: *\nAllow: /\nDisallow: /search/\n\nSitemap: https://med.example.org/sitemap.xml\n")
        let index =
            try JSONSerialization.jsonObject(with: Data(try #require(site.read("public/api/v1/index.json")).utf8))
            as? [String: Any]
        #expect(index?["count"] as? Int == 4)
        #expect(
            (index?["monographs"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                "composition/aspirin", "composition/aspirin-clopidogrel", "generic/aspirin-75mg",
                "medicines/ecosprin-75",
            ])
    }

    @Test("API record files are the contract's JSON, as `formulary show` writes it (whole corpus)")
    func recordJSON() throws {
        guard Fixture.corpusIsAvailable else {
            print("skipped: the shared corpus is not at \(Fixture.corpus)")
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let files = try ContentLoader.markdownFiles(in: [Fixture.corpus])
        var compared = 0
        for outcome in ContentLoader().load(files.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)) {
            guard case .success(let page) = outcome else { continue }
            let ours =
                try JSONSerialization.jsonObject(with: Data(MonographJSON.encode(page.monograph).utf8)) as! NSDictionary
            let foundation = try JSONSerialization.jsonObject(with: encoder.encode(page.monograph)) as! NSDictionary
            #expect(ours == foundation, "\(page.location.displayPath)")
            compared += 1
        }
        #expect(compared > 2000)
    }

    @Test("JSON text escapes what could end a script element or break a line")
    func jsonEscaping() throws {
        var json = JSONText()
        json.openObject()
        json.string("a", "</script>&\"\\\n\t\u{01}\u{2028}é")
        json.number("b", 37.5)
        json.number("c", 12)
        json.closeObject()
        #expect(json.text == #"{"a":"\u003c/script\u003e\u0026\"\\\n\t\u0001\u2028é","b":37.5,"c":12}"#)
    }
}

@Suite("site folders")
struct SiteFolderTests {
    @Test("init writes a site that builds, with the four example pages and their Hindi translations")
    func initAndBuild() throws {
        let parent = TemporaryFolder("init")
        let root = parent.path + "/my-site"
        let written = try SiteFolder.create(at: root, title: "Test Site")
        #expect(written.contains("formulary.yml"))
        #expect(written.contains("templates/monograph.mustache"))
        #expect(written.contains("static/assets/style.css"))
        #expect(written.filter { $0.hasPrefix("content/") }.count == 8)
        let folder = try SiteFolder.open(root)
        #expect(folder.configuration.title == "Test Site")
        let report = try SiteBuilder(
            SiteBuilder.Request(
                contentFolder: folder.contentPath, outputFolder: folder.outputPath,
                templatesFolder: folder.templatesPath,
                staticFolder: folder.staticPath, cacheFile: folder.cachePath, configuration: folder.configuration)
        ).build()
        #expect(folder.configuration.languages == ["hi"])
        #expect(report.pages == 8)
        #expect(report.skipped.isEmpty)
        #expect(throws: SiteFolder.Failure.self) { try SiteFolder.create(at: root) }
    }

    @Test("formulary.yml: typos are located with a suggestion; bad base URLs are refused")
    func configuration() throws {
        let configuration = try SiteConfiguration.load(
            yaml: "title: X\nbaseURL: https://a.example/med\n", path: "f.yml")
        #expect(configuration.baseURL == "https://a.example/med/")
        #expect(configuration.basePath == "/med/")
        #expect(
            throws: SiteConfiguration.Error(
                path: "f.yml", line: 2, message: "unknown setting 'titel'; did you mean 'title'?")
        ) {
            try SiteConfiguration.load(yaml: "baseURL: https://a.example/\ntitel: X\n", path: "f.yml")
        }
        #expect(throws: SiteConfiguration.Error.self) {
            try SiteConfiguration.load(yaml: "baseURL: javascript:alert(1)\n", path: "f.yml")
        }
        #expect(throws: SiteConfiguration.Error.self) { try SiteConfiguration.load(yaml: "- a list\n", path: "f.yml") }
        #expect(throws: SiteConfiguration.Error.self) { try SiteConfiguration.load(yaml: "title: [\n", path: "f.yml") }
    }

    @Test("the compiled-in theme matches the files in Sources/FormularySite/Theme")
    func themeIsEmbedded() throws {
        let folder = Fixture.repository + "/Sources/FormularySite/Theme"
        for (name, text) in DefaultTheme.templates {
            #expect(
                FileManager.default.contents(atPath: "\(folder)/\(name).mustache") == Data(text.utf8),
                "\(name); run scripts/embed-theme.py")
        }
        for (name, text) in DefaultTheme.assets {
            #expect(
                FileManager.default.contents(atPath: "\(folder)/\(name)") == Data(text.utf8),
                "\(name); run scripts/embed-theme.py")
        }
        for (language, text) in DefaultTheme.strings {
            #expect(
                FileManager.default.contents(atPath: "\(folder)/strings/\(language).yml") == Data(text.utf8),
                "strings/\(language).yml; run scripts/embed-theme.py")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        // The templates, the assets and the strings folder.
        #expect(files.count == DefaultTheme.templates.count + DefaultTheme.assets.count + 1)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/strings")) == ["en.yml", "hi.yml"])
    }
}
