"""The OpenAPI 3 description of the v1 API, written by hand from catalog.fields."""

from typing import Any

from catalog.fields import FACETS, HIT_FIELDS, MAX_PAGE, MAX_PAGE_SIZE, SORTS, TERM_FACETS

_STRINGS = {"type": "array", "items": {"type": "string"}}
_ERROR = {"$ref": "#/components/schemas/Error"}


def _query(name: str, schema: dict[str, Any], description: str, explode: bool = False) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema, "description": description}
    if explode:
        parameter.update(style="form", explode=True)
    return parameter


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _hit_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "authors": _STRINGS,
        "year": {"type": ["integer", "null"]},
        "formats": _STRINGS,
        "languages": _STRINGS,
        "isbns": _STRINGS,
        "libraries": {**_STRINGS, "description": "Sigel codes of the libraries holding it."},
        "available_at": {**_STRINGS, "description": "Sigel codes with a copy available now."},
    }
    assert tuple(properties) == HIT_FIELDS
    return {"type": "object", "required": list(HIT_FIELDS), "properties": properties}


def _search_parameters() -> list[dict[str, Any]]:
    parameters = [
        _query("q", {"type": "string"}, 'Words, "phrases", title: author: subject: isbn:, AND/OR/-.'),
    ]
    for name in TERM_FACETS:
        parameters.append(_query(name, _STRINGS, f"Filter on {name}; repeat for OR.", explode=True))
    parameters += [
        _query("year_from", {"type": "integer", "minimum": 0, "maximum": 9999}, "Earliest year."),
        _query("year_to", {"type": "integer", "minimum": 0, "maximum": 9999}, "Latest year."),
        _query("available", {"type": "integer", "enum": [0, 1]}, "1: a copy is available now (at library=)."),
        _query("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order of hits."),
        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page."),
        _query(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20},
            "Hits per page.",
        ),
        _query(
            "facet",
            {"type": "array", "items": {"type": "string", "enum": [f.name for f in FACETS]}},
            "Facets to count (default all).",
            explode=True,
        ),
    ]
    return parameters


HOLDING_KEYS = ("library", "branch", "shelf", "call_number", "summary", "status", "due_date", "checked_at")


def openapi_document(server_url: str) -> dict[str, Any]:
    facet_value = {
        "type": "object",
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
        },
    }
    search_response = {
        "type": "object",
        "required": ["total", "page", "page_size", "hits", "facets", "did_you_mean"],
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "properties": {f.name: {"type": "array", "items": facet_value} for f in FACETS},
            },
            "did_you_mean": {"type": ["string", "null"]},
        },
    }
    member = {
        "type": "object",
        "properties": {
            k: {"type": ["string", "null"]} for k in ("library", "source", "local_id", "merge_reason")
        },
    }
    holding = {"type": "object", "properties": {k: {"type": ["string", "null"]} for k in HOLDING_KEYS}}
    record = {
        "allOf": [
            {"$ref": "#/components/schemas/Hit"},
            {
                "type": "object",
                "description": "Plus the full description (subtitle, publisher, subjects, notes ...).",
                "properties": {
                    "members": {"type": "array", "items": member},
                    "holdings": {"type": "array", "items": holding},
                },
            },
        ]
    }
    library = {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "municipality": {"type": "string"},
        },
    }
    errors = {
        "400": _json(_ERROR, "Invalid parameter."),
        "503": _json(_ERROR, "Search unavailable."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samsök API",
            "version": "1",
            "description": "Read-only search over the county's public libraries. No login; CORS open.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/search": {
                "get": {
                    "summary": "Search the union catalogue",
                    "parameters": _search_parameters(),
                    "responses": {"200": _json(search_response, "Hits, facets and paging."), **errors},
                }
            },
            "/records/{id}": {
                "get": {
                    "summary": "One merged title with members and holdings",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Record"}, "The record."),
                        "301": {
                            "description": "The title was merged into another; Location is its record "
                            "(and the old id keeps answering so)."
                        },
                        "404": _json(_ERROR, "No such record."),
                    },
                }
            },
            "/libraries": {
                "get": {
                    "summary": "The libraries of the county",
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"libraries": {"type": "array", "items": library}},
                            },
                            "Libraries.",
                        )
                    },
                }
            },
            "/suggest": {
                "get": {
                    "summary": "Title and author completions",
                    "parameters": [_query("q", {"type": "string"}, "What has been typed so far.")],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"q": {"type": "string"}, "suggestions": _STRINGS},
                            },
                            "Up to 8 completions.",
                        )
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Hit": _hit_schema(),
                "Record": record,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
            }
        },
    }
