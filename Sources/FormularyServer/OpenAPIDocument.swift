import Foundation

/// The API's description, served at `/api/v1/openapi.json`. The documents live in
/// Sources/FormularyServer/OpenAPI/*.json (`site.json`, and `contributions.json` for what a server
/// that takes contributions adds); scripts/embed-openapi.py compiles them in as `json` and
/// `contributions` (OpenAPIDocument+Files.swift), and OpenAPIDocumentTests fails when the two
/// disagree. Tests check the document against the routes (SiteServerTests: every path in it is
/// answered) and against what the server answers (schemathesis in Tests/server/, the record
/// schema against real records).
enum OpenAPIDocument {
    /// The document of a server that takes contributions: `json` with the suggestion,
    /// revision and account operations added.
    static let withContributions: String = {
        guard var document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let extra = try? JSONSerialization.jsonObject(with: Data(contributions.utf8)) as? [String: Any]
        else { return json }
        var paths = document["paths"] as? [String: Any] ?? [:]
        for (path, item) in extra["paths"] as? [String: Any] ?? [:] { paths[path] = item }
        document["paths"] = paths
        var components = document["components"] as? [String: Any] ?? [:]
        for (kind, entries) in extra["components"] as? [String: Any] ?? [:] {
            var merged = components[kind] as? [String: Any] ?? [:]
            for (name, value) in entries as? [String: Any] ?? [:] { merged[name] = value }
            components[kind] = merged
        }
        document["components"] = components
        var info = document["info"] as? [String: Any] ?? [:]
        info["summary"] = "Medicine monographs, their ingredients, search, and suggested edits with review."
        document["info"] = info
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }()
}
