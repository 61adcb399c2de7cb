import Foundation

/// The API's description, served at `/api/v1/openapi.json`. Tests check it against what the
/// server answers (schemathesis in Tests/server/, the record schema against real records).
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Formulary API",
            "version": "1.0.0",
            "summary": "Medicine monographs, their ingredients, and search.",
            "description": "The records of a Formulary site as JSON. Records follow the contract in Formulary's docs/contracts.md. Errors are RFC 9457 problem details.",
            "license": {"name": "Content licence: see the site", "identifier": "CC-BY-SA-4.0"}
          },
          "servers": [{"url": "/"}],
          "paths": {
            "/api/v1/monographs": {
              "get": {
                "operationId": "listMonographs",
                "summary": "Monographs, by title, with filters and paging.",
                "parameters": [
                  {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}},
                  {"name": "ingredient", "in": "query", "description": "Only pages containing this ingredient (any spelling of case and salt as written on pages).", "schema": {"type": "string"}},
                  {"name": "regulatory", "in": "query", "description": "Only pages prohibited in India (banned) or only the others (not-banned).", "schema": {"$ref": "#/components/schemas/RegulatoryFilter"}},
                  {"name": "collection", "in": "query", "description": "Only pages of this collection (the content folder they are in).", "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/Offset"},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}
                ],
                "responses": {
                  "200": {"description": "A page of the list.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MonographList"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/api/v1/monographs/{id}": {
              "get": {
                "operationId": "getMonograph",
                "summary": "One monograph's whole record.",
                "parameters": [
                  {"name": "id", "in": "path", "required": true, "description": "The record's id, such as composition/paracetamol (its slash is part of the path).", "schema": {"type": "string", "pattern": "^(?!.*(^|/)\\.{1,2}(/|$))[^\\\\]+$"}, "example": "composition/paracetamol"}
                ],
                "responses": {
                  "200": {"description": "The record.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Monograph"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/ingredients": {
              "get": {
                "operationId": "listIngredients",
                "summary": "Every ingredient, by name, with how many pages contain it.",
                "parameters": [
                  {"name": "prefix", "in": "query", "description": "Only names starting with this (ignoring case).", "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/Offset"},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}
                ],
                "responses": {
                  "200": {"description": "A page of the list.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngredientList"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/api/v1/ingredients/{slug}": {
              "get": {
                "operationId": "getIngredient",
                "summary": "One ingredient with every page containing it.",
                "parameters": [
                  {"name": "slug", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^(?!\\.{1,2}$)[^\\\\/]+$"}, "example": "paracetamol"}
                ],
                "responses": {
                  "200": {"description": "The ingredient.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ingredient"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/search": {
              "get": {
                "operationId": "search",
                "summary": "Medicine-aware search: typos, prefixes, international and US names, brands, combinations, strengths.",
                "parameters": [
                  {"name": "q", "in": "query", "required": true, "description": "The words to look for; at least one character that is not a space.", "schema": {"type": "string", "minLength": 1, "maxLength": 256, "pattern": "\\S"}, "example": "paracetamol"},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
                  {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}},
                  {"name": "ingredient", "in": "query", "description": "Only pages containing this ingredient.", "schema": {"type": "string"}},
                  {"name": "regulatory", "in": "query", "description": "Only pages prohibited in India (banned) or only the others (not-banned).", "schema": {"$ref": "#/components/schemas/RegulatoryFilter"}},
                  {"name": "lang", "in": "query", "description": "The reader's language, a preference (one of the site's translation languages, such as hi): each medicine found is given in it when it has a page in it; any other language gives the site's. A query in Devanagari or in Latin letters finds it either way.", "schema": {"type": "string", "pattern": "^[a-z]{2,3}$"}}
                ],
                "responses": {
                  "200": {"description": "Results, best first.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/healthz": {
              "get": {
                "operationId": "health",
                "summary": "Whether the server is up, whether its last build worked, and how far it is behind a shared store.",
                "responses": {
                  "200": {"description": "Up.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}
                }
              }
            }
          },
          "components": {
            "parameters": {
              "Offset": {"name": "offset", "in": "query", "description": "How many items to skip.", "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}}
            },
            "responses": {
              "BadRequest": {"description": "A parameter is missing or out of range, or the request target is malformed.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "NotFound": {"description": "No such resource.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            },
            "schemas": {
              "Kind": {"type": "string", "enum": ["single", "combination", "brand"]},
              "RegulatoryFilter": {"type": "string", "enum": ["banned", "not-banned"]},
              "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                  "type": {"type": "string"},
                  "title": {"type": "string"},
                  "status": {"type": "integer"},
                  "detail": {"type": "string"},
                  "instance": {"type": "string"}
                }
              },
              "Quantity": {
                "type": "object",
                "required": ["value", "unit"],
                "properties": {"value": {"type": "number"}, "unit": {"type": "string"}}
              },
              "Strength": {
                "type": "object",
                "required": ["text", "value", "unit"],
                "properties": {
                  "text": {"type": "string"},
                  "value": {"type": "number"},
                  "unit": {"type": "string"},
                  "per": {"oneOf": [{"$ref": "#/components/schemas/Quantity"}, {"type": "null"}]}
                }
              },
              "IngredientStrength": {
                "type": "object",
                "required": ["name"],
                "properties": {
                  "name": {"type": "string"},
                  "strength": {"oneOf": [{"$ref": "#/components/schemas/Strength"}, {"type": "null"}]}
                }
              },
              "Section": {
                "type": "object",
                "required": ["kind", "heading", "line", "markdown"],
                "properties": {
                  "kind": {"type": "string"},
                  "heading": {"type": "string"},
                  "line": {"type": "integer", "minimum": 1},
                  "markdown": {"type": "string"}
                }
              },
              "Monograph": {
                "type": "object",
                "required": ["id", "slug", "collection", "title", "kind", "ingredients", "sections", "faqs", "flags", "source"],
                "properties": {
                  "id": {"type": "string"},
                  "slug": {"type": "string"},
                  "collection": {"type": "string"},
                  "title": {"type": "string"},
                  "kind": {"$ref": "#/components/schemas/Kind"},
                  "description": {"type": "string"},
                  "lastModified": {"type": "string"},
                  "language": {"type": "string", "description": "The page's language (en, hi)."},
                  "languages": {"type": "array", "items": {"type": "string"}, "description": "Every language the medicine's page exists in, the site's language first."},
                  "translation": {
                    "type": "object",
                    "description": "For a translation (a page at /api/v1/monographs/hi/ID): what it was translated from, and whether that page changed since.",
                    "properties": {
                      "from": {"type": "string"},
                      "sourceFingerprint": {"type": "string", "description": "translated_from: the fingerprint of the source's text when it was translated."},
                      "outdated": {"type": "boolean"}
                    }
                  },
                  "review": {
                    "type": "object",
                    "description": "Who checked the page: from front matter (by, at), or from the store's sign-offs (state, sections; by and at when the whole page is reviewed).",
                    "properties": {
                      "by": {"type": "string"}, "at": {"type": "string"},
                      "state": {"type": "string", "enum": ["reviewed", "partly-reviewed", "not-reviewed"]},
                      "sections": {"type": "array", "items": {
                        "type": "object", "required": ["section", "title", "state", "qualifications"],
                        "properties": {
                          "section": {"type": "string"}, "title": {"type": "string"},
                          "state": {"type": "string", "enum": ["checked", "changed", "not-checked"]},
                          "by": {"type": "string"}, "qualifications": {"type": "array", "items": {"type": "string"}},
                          "at": {"type": "string"}, "revision": {"type": "integer"}
                        }
                      }}
                    }
                  },
                  "regulatory": {
                    "type": "object",
                    "description": "What India's list of prohibited fixed-dose combinations (CDSCO) says of the medicine.",
                    "required": ["status", "match", "notification", "date", "list", "item", "combination", "source"],
                    "properties": {
                      "status": {"type": "string", "description": "As the list gives it: banned, under review (...), ban quashed ..."},
                      "match": {"type": "string", "enum": ["exact", "possible"]},
                      "reason": {"type": "string"},
                      "notification": {"type": "string", "example": "S.O. 3285(E)"},
                      "date": {"type": "string", "description": "YYYY-MM-DD"},
                      "list": {"type": "string"},
                      "item": {"type": "integer"},
                      "combination": {"type": "string"},
                      "source": {"type": "string"},
                      "override": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}, "by": {"type": "string"}}}
                    }
                  },
                  "prices": {
                    "type": "array",
                    "description": "Matching products of the Jan Aushadhi price list.",
                    "items": {
                      "type": "object",
                      "required": ["product", "code", "pack", "mrp", "list", "date"],
                      "properties": {"product": {"type": "string"}, "code": {"type": "string"}, "pack": {"type": "string"}, "mrp": {"type": "number"}, "list": {"type": "string"}, "date": {"type": "string"}}
                    }
                  },
                  "ingredients": {"type": "array", "items": {"$ref": "#/components/schemas/IngredientStrength"}},
                  "sections": {"type": "array", "items": {"$ref": "#/components/schemas/Section"}},
                  "faqs": {"type": "array", "items": {"type": "object", "required": ["question", "answer"], "properties": {"question": {"type": "string"}, "answer": {"type": "string"}}}},
                  "disclaimer": {"type": ["string", "null"]},
                  "flags": {"type": "object", "required": ["aiGenerated", "banned"], "properties": {"aiGenerated": {"type": "boolean"}, "banned": {"type": "boolean"}}},
                  "product": {
                    "type": "object",
                    "properties": {
                      "genericSlug": {"type": "string"},
                      "combinationSlug": {"type": "string"},
                      "company": {"type": "string"},
                      "mrp": {"type": "number"},
                      "packSize": {"type": "string"},
                      "strength": {"type": "string"}
                    }
                  },
                  "source": {"type": "object", "required": ["path", "headingStyle"], "properties": {"path": {"type": "string"}, "headingStyle": {"type": "string"}}}
                }
              },
              "MonographSummary": {
                "type": "object",
                "required": ["id", "slug", "collection", "title", "kind", "ingredients", "aiGenerated", "banned", "url", "record"],
                "properties": {
                  "id": {"type": "string"},
                  "slug": {"type": "string"},
                  "collection": {"type": "string"},
                  "title": {"type": "string"},
                  "kind": {"$ref": "#/components/schemas/Kind"},
                  "ingredients": {"type": "array", "items": {"$ref": "#/components/schemas/IngredientStrength"}},
                  "lastModified": {"type": "string", "description": "YYYY-MM-DD: when the text last changed (the store's latest revision, else the file's last git commit, else the front matter's date); absent when none of them says."},
                  "aiGenerated": {"type": "boolean"},
                  "banned": {"type": "boolean"},
                  "url": {"type": "string", "description": "The page on the site."},
                  "record": {"type": "string", "description": "The whole record in the API."}
                }
              },
              "MonographList": {
                "type": "object",
                "required": ["total", "offset", "limit", "items"],
                "properties": {
                  "total": {"type": "integer", "minimum": 0},
                  "offset": {"type": "integer", "minimum": 0},
                  "limit": {"type": "integer", "minimum": 1},
                  "items": {"type": "array", "items": {"$ref": "#/components/schemas/MonographSummary"}},
                  "next": {"type": "string", "description": "The next page of the list; absent on the last."}
                }
              },
              "IngredientSummary": {
                "type": "object",
                "required": ["name", "slug", "pages", "record"],
                "properties": {
                  "name": {"type": "string"},
                  "slug": {"type": "string"},
                  "pages": {"type": "integer", "minimum": 1},
                  "record": {"type": "string"}
                }
              },
              "IngredientList": {
                "type": "object",
                "required": ["total", "offset", "limit", "items"],
                "properties": {
                  "total": {"type": "integer", "minimum": 0},
                  "offset": {"type": "integer", "minimum": 0},
                  "limit": {"type": "integer", "minimum": 1},
                  "items": {"type": "array", "items": {"$ref": "#/components/schemas/IngredientSummary"}},
                  "next": {"type": "string"}
                }
              },
              "Ingredient": {
                "type": "object",
                "required": ["name", "slug", "pages"],
                "properties": {
                  "name": {"type": "string"},
                  "slug": {"type": "string"},
                  "page": {"$ref": "#/components/schemas/MonographSummary"},
                  "pages": {"type": "array", "items": {"$ref": "#/components/schemas/MonographSummary"}}
                }
              },
              "SearchResponse": {
                "type": "object",
                "required": ["query", "total", "tookMicroseconds", "results"],
                "properties": {
                  "query": {"type": "string"},
                  "total": {"type": "integer", "minimum": 0},
                  "tookMicroseconds": {"type": "integer", "minimum": 0},
                  "results": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": ["id", "slug", "title", "kind", "score", "snippet"],
                      "properties": {
                        "id": {"type": "string"},
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "score": {"type": "number"},
                        "snippet": {"type": "string", "description": "HTML: the page's text, escaped, with the match in <mark>."},
                        "regulatory": {"type": "object", "description": "Present when India's list of prohibited combinations names the page.", "required": ["status", "match", "banned"], "properties": {"status": {"type": "string"}, "match": {"type": "string", "enum": ["exact", "possible"]}, "banned": {"type": "boolean"}}},
                        "language": {"type": "string", "description": "A translation's language: the page is at /LANGUAGE/ID/ and in the API at /api/v1/monographs/LANGUAGE/ID. Absent for a page in the site's language."}
                      }
                    }
                  }
                }
              },
              "Health": {
                "type": "object",
                "required": ["status", "pages", "generation"],
                "properties": {
                  "status": {"type": "string", "enum": ["ok", "degraded"]},
                  "pages": {"type": "integer", "minimum": 0},
                  "generation": {"type": "integer", "minimum": 0},
                  "buildError": {"type": "string"},
                  "store": {
                    "description": "With a store other servers share (PostgreSQL): how far this server is behind it.",
                    "type": "object",
                    "required": ["applied", "latest", "behind", "reachable"],
                    "properties": {
                      "applied": {"type": "integer", "minimum": 0, "description": "The last change of the store's feed this server serves."},
                      "latest": {"type": "integer", "minimum": 0, "description": "The store's latest change when last asked."},
                      "behind": {"type": "integer", "minimum": 0},
                      "reachable": {"type": "boolean"},
                      "problem": {"type": "string", "description": "Why the server is degraded on the store's account."}
                    }
                  }
                }
              }
            }
          }
        }
        """#

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

    private static let contributions = #"""
        {
          "paths": {
            "/api/v1/me": {
              "get": {
                "operationId": "getMe",
                "summary": "The person an API token belongs to.",
                "security": [{"token": []}],
                "responses": {
                  "200": {"description": "The person.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/api/v1/suggestions": {
              "get": {
                "operationId": "listSuggestions",
                "summary": "Suggested edits, oldest first.",
                "security": [{"token": []}],
                "parameters": [
                  {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/SuggestionStatus"}},
                  {"name": "monograph", "in": "query", "description": "Only suggestions for this page id.", "schema": {"type": "string"}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}},
                  {"$ref": "#/components/parameters/Offset"}
                ],
                "responses": {
                  "200": {"description": "The suggestions.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SuggestionList"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              },
              "post": {
                "operationId": "suggest",
                "summary": "Suggests a new text for a page (the whole page, or one section). It is checked now; check errors block approval unless a reviewer overrides them.",
                "security": [{"token": []}],
                "parameters": [
                  {"name": "dryRun", "in": "query", "description": "Only check the text (a whole page) and say what check finds; nothing is recorded.", "schema": {"type": "string", "enum": ["true", "false"]}}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SuggestionInput"}}}},
                "responses": {
                  "201": {"description": "Recorded, pending review.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestion"}}}},
                  "200": {"description": "Checked only (dryRun).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/v1/suggestions/{number}": {
              "get": {
                "operationId": "getSuggestion",
                "summary": "One suggestion, and for a pending one whether it merges cleanly into the page as it is now.",
                "security": [{"token": []}],
                "parameters": [{"$ref": "#/components/parameters/SuggestionNumber"}],
                "responses": {
                  "200": {"description": "The suggestion.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SuggestionDetail"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/suggestions/{number}/approve": {
              "post": {
                "operationId": "approveSuggestion",
                "summary": "Approves a pending suggestion (reviewers; not its author): a new revision, written to the page's file, the site rebuilt.",
                "security": [{"token": []}],
                "parameters": [{"$ref": "#/components/parameters/SuggestionNumber"}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionInput"}}}},
                "responses": {
                  "200": {"description": "The new revision.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Revision"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/v1/suggestions/{number}/reject": {"$ref": "#/components/pathItems/Decision"},
            "/api/v1/suggestions/{number}/request-changes": {"$ref": "#/components/pathItems/Decision"},
            "/api/v1/suggestions/{number}/withdraw": {"$ref": "#/components/pathItems/Decision"},
            "/api/v1/revisions": {
              "get": {
                "operationId": "listRevisions",
                "summary": "A page's revisions (without their text), or one revision with its Markdown when number is given.",
                "parameters": [
                  {"name": "monograph", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1}},
                  {"name": "number", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}}
                ],
                "responses": {
                  "200": {"description": "The revisions, or the one asked for.", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/RevisionList"}, {"$ref": "#/components/schemas/Revision"}]}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/coverage": {
              "get": {
                "operationId": "coverage",
                "summary": "How much of the site people have checked: pages reviewed, partly reviewed, not reviewed; by collection and by section.",
                "responses": {
                  "200": {"description": "The counts.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Coverage"}}}}
                }
              }
            },
            "/api/v1/monographs/{id}/sign-off": {
              "post": {
                "operationId": "signOff",
                "summary": "Signs off the current text of a page's sections (all when none are named) as checked and right (reviewers; qualified ones for reserved sections; not one's own text).",
                "security": [{"token": []}],
                "parameters": [{"$ref": "#/components/parameters/MonographID"}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignOffInput"}}}},
                "responses": {
                  "201": {"description": "The sign-offs stored, and the page's state after them.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignOffResult"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/v1/monographs/{id}/review": {
              "get": {
                "operationId": "getReview",
                "summary": "Each section of a page's current revision, with the sign-off that stands for it or the one it changed since.",
                "parameters": [{"$ref": "#/components/parameters/MonographID"}],
                "responses": {
                  "200": {"description": "The page's review.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewResult"}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/revisions/revert": {
              "post": {
                "operationId": "revert",
                "summary": "Makes an older revision's text current again, as a new revision (reviewers).",
                "security": [{"token": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RevertInput"}}}},
                "responses": {
                  "201": {"description": "The new revision.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Revision"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "token": {"type": "http", "scheme": "bearer", "description": "An API token from `formulary user token NAME` or the account page (fm_...)."}
            },
            "parameters": {
              "SuggestionNumber": {"name": "number", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}},
              "MonographID": {"name": "id", "in": "path", "required": true, "description": "The page's id, such as composition/paracetamol (its slash is part of the path).", "schema": {"type": "string"}, "example": "composition/paracetamol"}
            },
            "pathItems": {
              "Decision": {
                "post": {
                  "summary": "Rejects or sends back a pending suggestion (reviewers, with a reason), or withdraws it (its author).",
                  "security": [{"token": []}],
                  "parameters": [{"$ref": "#/components/parameters/SuggestionNumber"}],
                  "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionInput"}}}},
                  "responses": {
                    "200": {"description": "The suggestion, decided.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestion"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "403": {"$ref": "#/components/responses/Forbidden"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "409": {"$ref": "#/components/responses/Conflict"},
                    "422": {"$ref": "#/components/responses/Unprocessable"},
                    "429": {"$ref": "#/components/responses/TooMany"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                  }
                }
              }
            },
            "responses": {
              "Unauthorized": {"description": "No API token, or not a valid one.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Forbidden": {"description": "Not allowed for this person.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Conflict": {"description": "Not pending any more, or the page changed the same sections since.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Unprocessable": {"description": "Understood but not acceptable (a reason missing, check errors not overridden).", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "TooMany": {"description": "Too many changes in a minute; Retry-After says when to try again.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Unavailable": {"description": "The shared database cannot be reached; the site is still served. Retry-After says when to try again.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            },
            "schemas": {
              "User": {
                "type": "object",
                "required": ["name", "role", "qualifications", "createdAt"],
                "properties": {
                  "name": {"type": "string"},
                  "role": {"type": "string", "enum": ["contributor", "reviewer", "admin"]},
                  "qualifications": {"type": "array", "items": {"type": "string"}},
                  "createdAt": {"type": "string"}
                }
              },
              "SuggestionStatus": {"type": "string", "enum": ["pending", "approved", "rejected", "withdrawn", "changes-requested"]},
              "SuggestionInput": {
                "type": "object",
                "required": ["monograph", "message"],
                "properties": {
                  "monograph": {"type": "string", "description": "The page's id."},
                  "markdown": {"type": "string", "description": "The whole page's new text (or give section and text)."},
                  "section": {"type": "string", "description": "One section's name (usage, dosage, other:Heading...)."},
                  "text": {"type": "string", "description": "That section's new text, its heading line included."},
                  "message": {"type": "string", "description": "What changed, and why."},
                  "baseRevision": {"type": "integer", "minimum": 0, "description": "The revision edited (default: the current one)."}
                }
              },
              "Suggestion": {
                "type": "object",
                "required": ["id", "monographID", "baseRevision", "markdown", "author", "message", "status", "createdAt", "checkErrors"],
                "properties": {
                  "id": {"type": "integer"},
                  "monographID": {"type": "string"},
                  "baseRevision": {"type": "integer"},
                  "markdown": {"type": "string"},
                  "author": {"type": "string"},
                  "message": {"type": "string"},
                  "status": {"$ref": "#/components/schemas/SuggestionStatus"},
                  "createdAt": {"type": "string"},
                  "reviewer": {"type": "string"},
                  "reason": {"type": "string"},
                  "decidedAt": {"type": "string"},
                  "checkErrors": {"type": "array", "items": {"type": "string"}},
                  "path": {"type": "string"}
                }
              },
              "SuggestionList": {"type": "object", "required": ["suggestions"], "properties": {"suggestions": {"type": "array", "items": {"$ref": "#/components/schemas/Suggestion"}}}},
              "SuggestionDetail": {
                "type": "object",
                "required": ["suggestion", "conflicts", "sections"],
                "properties": {
                  "suggestion": {"$ref": "#/components/schemas/Suggestion"},
                  "mergesCleanly": {"type": "boolean"},
                  "conflicts": {"type": "array", "items": {"type": "string"}},
                  "sections": {"type": "array", "items": {"type": "string"}}
                }
              },
              "DecisionInput": {
                "type": "object",
                "properties": {
                  "reason": {"type": "string", "description": "Why (needed to reject or send back)."},
                  "override": {"type": "string", "description": "Approving: why the check errors do not matter."}
                }
              },
              "SignOffInput": {"type": "object", "properties": {
                "sections": {"type": "array", "items": {"type": "string"}, "description": "Section names as GET .../review lists them (dosage, other:Storage); all when absent."},
                "message": {"type": "string"},
                "revision": {"type": "integer", "description": "The revision that was read; refused (409) when the page moved on."}
              }},
              "SignOff": {"type": "object", "required": ["id", "monographID", "revision", "section", "textHash", "reviewer", "qualifications", "message", "at"], "properties": {
                "id": {"type": "integer"}, "monographID": {"type": "string"}, "revision": {"type": "integer"},
                "section": {"type": "string"}, "textHash": {"type": "string", "description": "SHA-256 of the section's text."},
                "reviewer": {"type": "string"}, "qualifications": {"type": "array", "items": {"type": "string"}},
                "message": {"type": "string"}, "at": {"type": "string"}, "suggestion": {"type": "integer"},
                "voidedAt": {"type": "integer", "description": "The revision that changed the section since."}
              }},
              "SignOffResult": {"type": "object", "required": ["monograph", "revision", "signedOff", "state"], "properties": {
                "monograph": {"type": "string"}, "revision": {"type": "integer"},
                "signedOff": {"type": "array", "items": {"$ref": "#/components/schemas/SignOff"}},
                "state": {"type": "string", "enum": ["reviewed", "partly-reviewed", "not-reviewed"]}
              }},
              "ReviewResult": {"type": "object", "required": ["monograph", "revision", "state", "sections"], "properties": {
                "monograph": {"type": "string"}, "revision": {"type": "integer"},
                "state": {"type": "string", "enum": ["reviewed", "partly-reviewed", "not-reviewed"]},
                "sections": {"type": "array", "items": {"type": "object", "required": ["section", "title", "state"], "properties": {
                  "section": {"type": "string"}, "title": {"type": "string"},
                  "state": {"type": "string", "enum": ["checked", "changed", "not-checked"]},
                  "signOff": {"$ref": "#/components/schemas/SignOff"}
                }}}
              }},
              "Coverage": {"type": "object", "required": ["pages", "reviewed", "partlyReviewed", "notReviewed", "collections", "sections"], "properties": {
                "pages": {"type": "integer"}, "reviewed": {"type": "integer"}, "partlyReviewed": {"type": "integer"}, "notReviewed": {"type": "integer"},
                "mostOpened": {"type": "object", "description": "Of the (up to 100) pages readers opened most in the last 30 days: how many, how many reviewed, partly reviewed.", "properties": {"pages": {"type": "integer"}, "reviewed": {"type": "integer"}, "partlyReviewed": {"type": "integer"}}},
                "collections": {"type": "array", "items": {"type": "object", "required": ["collection", "pages", "reviewed", "partlyReviewed", "notReviewed"], "properties": {
                  "collection": {"type": "string"}, "pages": {"type": "integer"}, "reviewed": {"type": "integer"}, "partlyReviewed": {"type": "integer"}, "notReviewed": {"type": "integer"}
                }}},
                "sections": {"type": "array", "items": {"type": "object", "required": ["section", "title", "pages", "signedOff"], "properties": {
                  "section": {"type": "string"}, "title": {"type": "string"}, "pages": {"type": "integer"}, "signedOff": {"type": "integer"}
                }}}
              }},
              "RevertInput": {"type": "object", "required": ["monograph", "to"], "properties": {"monograph": {"type": "string"}, "to": {"type": "integer", "minimum": 0}}},
              "Revision": {
                "type": "object",
                "required": ["monographID", "number", "markdown", "author", "message", "createdAt"],
                "properties": {
                  "monographID": {"type": "string"},
                  "number": {"type": "integer"},
                  "parent": {"type": "integer"},
                  "markdown": {"type": "string"},
                  "author": {"type": "string"},
                  "message": {"type": "string"},
                  "createdAt": {"type": "string"}
                }
              },
              "RevisionList": {
                "type": "object",
                "required": ["monograph", "revisions"],
                "properties": {
                  "monograph": {"type": "string"},
                  "revisions": {"type": "array", "items": {"type": "object", "required": ["number", "author", "message", "createdAt"], "properties": {"number": {"type": "integer"}, "parent": {"type": "integer"}, "author": {"type": "string"}, "message": {"type": "string"}, "createdAt": {"type": "string"}}}}
                }
              },
              "CheckResult": {"type": "object", "required": ["checkErrors"], "properties": {"checkErrors": {"type": "array", "items": {"type": "string"}}}}
            }
          }
        }
        """#
}
