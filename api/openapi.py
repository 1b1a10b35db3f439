"""The OpenAPI 3 description of every v1 endpoint, written by hand from catalog.fields."""

from typing import Any

from catalog.fields import FACETS, HIT_FIELDS, MAX_PAGE, MAX_PAGE_SIZE, SORTS, TERM_FACETS
from catalog.models import ItemStatus

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
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_MAYBE_STRING = {"type": ["string", "null"]}


def _live_holding() -> dict[str, Any]:
    """One holding with its status now (catalog.availability.lines.HoldingLine.as_dict)."""
    text = ("library", "library_name", "branch", "shelf", "call_number", "summary", "status_label")
    properties: dict[str, Any] = {key: {"type": "string"} for key in text}
    properties.update(
        holding_id={"type": "integer"},
        item_count={"type": "integer"},
        status={"type": "string", "enum": [s.value for s in ItemStatus]},
        due_date={**_MAYBE_STRING, "format": "date"},
        queue_length={"type": ["integer", "null"], "description": "The library's reservation queue."},
        source={"type": "string", "enum": ["live", "harvested"]},
        checked_at={**_MAYBE_STRING, "format": "date-time"},
        freshness={"type": "string", "description": "How old the status is, in words."},
        detail=_MAYBE_STRING,
        note=_MAYBE_STRING,
        indexed_status={"type": "string"},
        disagrees={"type": "boolean", "description": "Live status differs from the harvested one."},
        live_failed={"type": "boolean", "description": "The library's system did not answer in time."},
        is_home={"type": "boolean", "description": "The library given as home=."},
    )
    return {"type": "object", "properties": properties}


def _summary() -> dict[str, Any]:
    """A title's availability in one line (catalog.availability.summary.summarize)."""
    library = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
    return {
        "type": "object",
        "properties": {
            "available_at": {"type": "array", "items": library},
            "on_loan_everywhere": {"type": "boolean"},
            "queue_length": {"type": ["integer", "null"], "description": "Reservation queues, summed."},
            "earliest_due_date": {**_MAYBE_STRING, "format": "date"},
            "live": {"type": "boolean"},
            "text": {"type": "string", "description": "The summary in words, in Swedish."},
            "state": {"type": "string", "enum": ["in", "out", "none"]},
        },
    }


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
                    "parameters": [_ID],
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
            "/records/{id}/availability": {
                "get": {
                    "summary": "The title's holdings with their status now",
                    "description": "Asks each library's own system where it can (Koha ILS-DI, DAIA, "
                    "SIP2), else gives the harvested status with its age.",
                    "parameters": [_ID, _query("home", {"type": "string"}, "Sigel of the patron's library.")],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "holdings": {"type": "array", "items": _live_holding()},
                                    "unanswered": {
                                        **_STRINGS,
                                        "description": "Sigels whose system did not answer.",
                                    },
                                },
                            },
                            "Holdings with live or harvested status.",
                        ),
                        "301": {
                            "description": "The title was merged into another; Location is its availability."
                        },
                        "404": _json(_ERROR, "No such record."),
                    },
                }
            },
            "/availability": {
                "get": {
                    "summary": "One-line availability of up to 100 titles in one call",
                    "parameters": [
                        {
                            **_query("ids", {"type": "string"}, "Record ids, comma-separated (at most 100)."),
                            "required": True,
                        }
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "records": {"type": "object", "additionalProperties": _summary()}
                                },
                            },
                            "Summaries by record id.",
                        ),
                        "400": _json(_ERROR, "ids missing, malformed or more than 100."),
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
            "/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {"200": {"description": "OpenAPI 3.1 document."}},
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
