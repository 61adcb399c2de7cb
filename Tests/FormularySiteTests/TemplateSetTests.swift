import Testing

@testable import FormularySite

@Suite("templates")
struct TemplateSetTests {
    /// Strings and dictionaries reach swift-mustache wrapped (`TemplateValue`); a template must
    /// see them as it would see the plain values.
    @Test("values render as plain strings, lists and objects would: escaping, transforms, sections, scopes")
    func wrappedValues() throws {
        let text = """
            {{uppercased(title)}}|{{#sub}}[{{.}}]{{name}}{{/sub}}|{{#items}}{{label}}:{{siteName}};{{/items}}\
            |{{#product}}{{company}}{{/product}}|{{{html}}}|{{html}}|{{count}}|{{^empty}}none{{/empty}}|{{#no}}x{{/no}}
            """
        let templates = try TemplateSet(sources: ["page": .init(path: "page.mustache", text: text)])
        let output = try templates.render(
            "page",
            [
                "title": "Abc", "sub": "x", "name": "N", "items": [["label": "a"], ["label": "b"]] as [[String: Any]],
                "siteName": "S", "product": ["company": "C&D"] as [String: Any], "html": "<b>", "count": 3,
                "empty": [[String: Any]](), "no": false,
            ])
        #expect(output == "ABC|[x]N|a:S;b:S;|C&amp;D|<b>|&lt;b&gt;|3|none|")
    }

    @Test("a name missing from a section's object and from the page data is an error")
    func missingInsideSection() throws {
        let templates = try TemplateSet(sources: [
            "page": .init(path: "page.mustache", text: "{{#items}}{{label}}{{labell}}{{/items}}")
        ])
        #expect(throws: TemplateError.self) {
            try templates.render("page", ["items": [["label": "a"]] as [[String: Any]]])
        }
        #expect(try templates.render("page", ["items": [["label": "a"]] as [[String: Any]], "labell": "!"]) == "a!")
    }
}
