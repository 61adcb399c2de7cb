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
                  {"name": "ingredient", "in": "query", "description": "Only pages containing this ingredient.", "schema": {"type": "string"}}
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
                "summary": "Whether the server is up, and whether its last build worked.",
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
                "required": ["id", "slug", "collection", "title", "kind", "ingredients", "lastModified", "aiGenerated", "banned", "url", "record"],
                "properties": {
                  "id": {"type": "string"},
                  "slug": {"type": "string"},
                  "collection": {"type": "string"},
                  "title": {"type": "string"},
                  "kind": {"$ref": "#/components/schemas/Kind"},
                  "ingredients": {"type": "array", "items": {"$ref": "#/components/schemas/IngredientStrength"}},
                  "lastModified": {"type": "string", "description": "YYYY-MM-DD"},
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
                        "snippet": {"type": "string", "description": "HTML: the page's text, escaped, with the match in <mark>."}
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
                  "buildError": {"type": "string"}
                }
              }
            }
          }
        }
        """#
}
