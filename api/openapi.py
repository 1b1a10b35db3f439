"""The OpenAPI 3 description of every v1 endpoint, written by hand from catalog.fields."""

from typing import Any

from django.utils.translation import gettext as _

from catalog.accessible import ACCESSIBLE_CODES
from catalog.fields import FACETS, HIT_FIELDS, MAX_PAGE, MAX_PAGE_SIZE, SORTS, TERM_FACETS
from catalog.models import ItemStatus
from catalog.search.query import (
    FALSE_VALUES,
    MAX_FILTER_VALUES,
    TRUE_VALUES,
    InvalidSearch,
    parse_search_params,
)
from portal.params import MAX_BATCH, nul_message

_STRINGS = {"type": "array", "items": {"type": "string"}}
_ERROR = {"$ref": "#/components/schemas/Error"}
# Text parameters: any characters but NUL, which every /api/ address answers with a 400.
_TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
_TEXTS = {"type": "array", "items": _TEXT}
# Record ids up to 18 digits (every id the database hands out), comma-separated.
_IDS = {"type": "string", "pattern": f"^[1-9][0-9]{{0,17}}(,[1-9][0-9]{{0,17}}){{0,{MAX_BATCH - 1}}}$"}
# One bad request of each kind the search parser refuses: its message is the documented example.
_BAD_SEARCHES: dict[str, dict[str, Any]] = {
    "year_not_a_number": {"year_from": "nittonhundra"},
    "year_out_of_range": {"year_to": "10000"},
    "years_reversed": {"year_from": "2000", "year_to": "1990"},
    "available_not_a_flag": {"available": "ja"},
    "unknown_sort": {"sort": "random"},
    "page_out_of_range": {"page": str(MAX_PAGE + 1)},
    "page_size_out_of_range": {"page_size": str(MAX_PAGE_SIZE + 1)},
    "too_many_filter_values": {"library": [str(n) for n in range(MAX_FILTER_VALUES + 1)]},
    "unknown_facet": {"facet": "colour"},
    "work_not_a_number": {"work": "pippi"},
}


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
        "accessibility": {
            "type": "array",
            "items": {"type": "string", "enum": list(ACCESSIBLE_CODES)},
            "description": "Accessible media: easy_to_read and sign_language describe the title (any "
            "format may have them); large_print, braille, talking_book (DAISY) and audiobook are "
            "versions of their own. Filter and facet `accessibility`.",
        },
        "languages": _STRINGS,
        "isbns": _STRINGS,
        "libraries": {**_STRINGS, "description": "Sigel codes of the libraries holding it."},
        "available_at": {
            **_STRINGS,
            "description": "Sigel codes of the libraries with a copy available now (as harvested).",
        },
        "work": {
            "type": ["integer", "null"],
            "description": "The work: every edition and format of this title (`/works/{id}`, or `work=` "
            "in a search); null when the record names no author to group it by.",
        },
    }
    assert tuple(properties) == HIT_FIELDS
    return {"type": "object", "required": list(HIT_FIELDS), "properties": properties}


def _edition_schema() -> dict[str, Any]:
    extra = {
        "type": "object",
        "required": ["edition", "publisher"],
        "properties": {
            "edition": {"type": "string", "description": "The edition statement (250), if any."},
            "publisher": {"type": "string"},
        },
    }
    return {"allOf": [{"$ref": "#/components/schemas/Hit"}, extra]}


def _work_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "title", "authors", "edition_count", "editions"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "authors": _STRINGS,
            "edition_count": {"type": "integer", "description": "All its editions (at most 300 listed)."},
            "editions": {"type": "array", "items": {"$ref": "#/components/schemas/Edition"}},
        },
    }


def _search_parameters() -> list[dict[str, Any]]:
    parameters = [
        _query("q", _TEXT, 'Words, "phrases", title: author: subject: isbn:, AND/OR/-.'),
    ]
    for name in TERM_FACETS:
        parameters.append(
            _query(
                name,
                {**_TEXTS, "maxItems": MAX_FILTER_VALUES},
                f"Filter on {name}; repeat for OR (at most {MAX_FILTER_VALUES} values).",
                explode=True,
            )
        )
    parameters.append(
        _query(
            "work",
            {
                "type": "array",
                # As the parser reads it: surrounding spaces and blank values are ignored.
                "items": {"type": "string", "pattern": "^\\s*[0-9]{0,18}\\s*$"},
                "maxItems": MAX_FILTER_VALUES,
            },
            "Only the editions and formats of this work (a hit's `work`); repeat for OR. Blank "
            "values are ignored.",
            explode=True,
        )
    )
    parameters += [
        _query("year_from", {"type": "integer", "minimum": 0, "maximum": 9999}, "Earliest year."),
        _query("year_to", {"type": "integer", "minimum": 0, "maximum": 9999}, "Latest year."),
        _query(
            "available",
            {"type": "string", "enum": [*TRUE_VALUES, *FALSE_VALUES]},
            "1 or true: only titles with a copy available now (at library= when given); 0 or false (the "
            "default): all. Letter case does not matter.",
        ),
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
    library = {
        "type": "object",
        "required": ["code", "name"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
    }
    return {
        "type": "object",
        "required": ["available_at", "available_at_libraries", "text", "state"],
        "properties": {
            "available_at": {
                **_STRINGS,
                "description": "Sigel codes of the libraries with a copy in now, as in a search hit.",
            },
            "available_at_libraries": {
                "type": "array",
                "items": library,
                "description": "The same libraries, in the same order, with their names.",
            },
            "on_loan_everywhere": {"type": "boolean"},
            "queue_length": {"type": ["integer", "null"], "description": "Reservation queues, summed."},
            "earliest_due_date": {**_MAYBE_STRING, "format": "date"},
            "live": {"type": "boolean"},
            "text": {"type": "string", "description": "The summary in words, in Swedish."},
            "state": {"type": "string", "enum": ["in", "out", "none"]},
        },
    }


def _error_examples(messages: dict[str, str]) -> dict[str, Any]:
    return {name: {"value": {"error": message}} for name, message in messages.items()}


def _bad_request(description: str, messages: dict[str, str] | None = None) -> dict[str, Any]:
    """A 400 with its messages as examples; a NUL in any parameter is one of them everywhere."""
    examples = _error_examples({**(messages or {}), "nul_character": nul_message()})
    response = _json(_ERROR, description + " `error` says why, in the request's language.")
    response["content"]["application/json"]["examples"] = examples
    return response


def _search_messages() -> dict[str, str]:
    """What the search parser answers to each kind of bad request, asked of the parser itself."""
    messages = {}
    for name, query in _BAD_SEARCHES.items():
        try:
            parse_search_params(query)
        except InvalidSearch as problem:
            messages[name] = problem.message
        else:
            raise AssertionError(f"the search parser accepts {query}")
    return messages


TAGS = [
    {"name": "search", "description": "Searching the union catalogue and completing search terms."},
    {"name": "records", "description": "One merged title (a cluster of the libraries' records)."},
    {"name": "works", "description": "Every edition and format of one title by one author."},
    {"name": "availability", "description": "Where a copy is on the shelf now, live where possible."},
    {"name": "libraries", "description": "The county's libraries."},
    {"name": "meta", "description": "This description of the API."},
]


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
            k: {"type": ["string", "null"]}
            for k in ("library", "source", "local_id", "merge_reason", "merge_reason_text")
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
                    "other_editions": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Edition"},
                        "description": "Up to 100 other editions and formats of the work (all of them: "
                        "`/works/{id}`).",
                    },
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
        "400": _bad_request("A parameter cannot be used.", _search_messages()),
        "503": {
            **_json(_ERROR, "The search engine is unavailable; try again shortly."),
        },
    }
    errors["503"]["content"]["application/json"]["example"] = {
        "error": _("Search is unavailable right now; try again shortly.")
    }
    oai_url = server_url.removesuffix("/api/v1") + "/oai"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samsök API",
            "version": "1",
            "description": (
                "Read-only search over the county's public libraries. No login; CORS open. "
                f"The merged titles can also be harvested over OAI-PMH 2.0 (marcxml, oai_dc): "
                f"[{oai_url}?verb=Identify]({oai_url}?verb=Identify)."
            ),
        },
        "servers": [{"url": server_url}],
        "tags": TAGS,
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "tags": ["search"],
                    "summary": "Search the union catalogue",
                    "description": "Hits (merged titles) with facet counts and paging. An empty or missing "
                    "`q` browses everything; filters repeat for OR within one facet, AND across facets. "
                    "`available` narrows to titles on the shelf now, as last harvested.",
                    "parameters": _search_parameters(),
                    "responses": {"200": _json(search_response, "Hits, facets and paging."), **errors},
                }
            },
            "/records/{id}": {
                "get": {
                    "operationId": "getRecord",
                    "tags": ["records"],
                    "summary": "One merged title with members and holdings",
                    "description": "The hit fields, the full description, the libraries' records merged "
                    "into it (`members`) and their holdings as harvested.",
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
            "/works/{id}": {
                "get": {
                    "operationId": "getWork",
                    "tags": ["works"],
                    "summary": "Every edition and format of one work",
                    "description": "The work's title and first author (from its most widely held edition) "
                    "and each edition as a hit with its edition statement and publisher: books first, "
                    "then e-books, audiobooks and the other formats, newest first within each.",
                    "parameters": [_ID],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Work"}, "The work."),
                        "404": _json(_ERROR, "No such work, or no library holds an edition of it."),
                    },
                }
            },
            "/records/{id}/availability": {
                "get": {
                    "operationId": "getRecordAvailability",
                    "tags": ["availability"],
                    "summary": "The title's holdings with their status now",
                    "description": "Asks each library's own system where it can (Koha ILS-DI, DAIA, "
                    "SIP2), else gives the harvested status with its age.",
                    "parameters": [
                        _ID,
                        _query("home", _TEXT, "Sigel of the patron's library (listed first)."),
                    ],
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
                        "400": _bad_request("A parameter cannot be used."),
                        "404": _json(_ERROR, "No such record."),
                    },
                }
            },
            "/availability": {
                "get": {
                    "operationId": "getAvailabilitySummaries",
                    "tags": ["availability"],
                    "summary": "One-line availability of up to 100 titles in one call",
                    "description": "What a result list shows per title: where a copy is in now, or that "
                    "all are on loan and the queue; live where the libraries' systems answer.",
                    "parameters": [
                        {
                            **_query("ids", _IDS, f"Record ids, comma-separated (at most {MAX_BATCH})."),
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
                        "400": _bad_request(
                            "ids missing, malformed or more than 100.",
                            {
                                "bad_ids": _("ids must be 1 to %(most)d record ids, comma-separated.")
                                % {"most": MAX_BATCH}
                            },
                        ),
                    },
                }
            },
            "/libraries": {
                "get": {
                    "operationId": "listLibraries",
                    "tags": ["libraries"],
                    "summary": "The libraries of the county",
                    "description": "Every library's sigel code, name and municipality, by name.",
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
                    "operationId": "suggest",
                    "tags": ["search"],
                    "summary": "Title and author completions",
                    "description": "Completions for a search box, from titles and authors in the index.",
                    "parameters": [_query("q", _TEXT, "What has been typed so far.")],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"q": {"type": "string"}, "suggestions": _STRINGS},
                            },
                            "Up to 8 completions.",
                        ),
                        "400": _bad_request("A parameter cannot be used."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApiDocument",
                    "tags": ["meta"],
                    "summary": "This description",
                    "description": "The OpenAPI 3.1 document of every v1 operation.",
                    "responses": {"200": {"description": "OpenAPI 3.1 document."}},
                }
            },
        },
        "components": {
            "schemas": {
                "Hit": _hit_schema(),
                "Record": record,
                "Edition": _edition_schema(),
                "Work": _work_schema(),
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
            }
        },
    }
