"""Elasticsearch request bodies as plain data: index template, documents, search, suggest.

Pure functions (no client), so the mapping, the analyzers and every request body are unit-tested
as data. Field design mirrors the tantivy backend: each searchable text has the exact analyzer on
the main field plus `.stem` (Swedish Snowball) and `.fold` (asciifolding) subfields, all after the
same script normalization as tantivy's (Arabic, Persian and Cyrillic variants); user text only
ever reaches Elasticsearch inside `match`/`match_phrase`/`term`/`prefix` values, never
`query_string`.
"""

from typing import Any

from catalog.fields import (
    EXTRA_STORED_FIELDS,
    FACETS_BY_NAME,
    HIT_FIELDS,
    SEARCH_FIELDS,
    TERM_FILTERS,
    YEAR_RANGES,
    year_range_value,
)
from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy_query import (
    FUZZY_FIELDS,
    FUZZY_MIN_CHARS,
    FUZZY_WEIGHT,
    ISBN_WEIGHT,
    PREFIX_WEIGHT,
    VARIANT_WEIGHTS,
)
from catalog.search.backends.tantivy_schema import (
    FACET_SOURCES,
    MISSING_YEAR_ASC,
    TEXT_VARIANTS,
    searchable_texts,
    suggest_term,
    suggestion_texts,
)
from catalog.search.syntax import Clause, Isbn, ParsedQuery, Phrase, Term
from catalog.search.text import SCRIPT_FOLDS, fold

# Syntax field -> Elasticsearch text field (the keyword facet "subject" owns the plain name).
TEXT_FIELDS = {"title": "title", "author": "author", "subject": "subject_text", "notes": "notes"}
SORTS: dict[str, list[dict[str, Any]]] = {
    "year_desc": [{"year_desc": "desc"}, {"id": "asc"}],
    "year_asc": [{"year_asc": "asc"}, {"id": "asc"}],
    "title": [{"title_sort": "asc"}, {"id": "asc"}],
}


def script_mappings() -> list[str]:
    """The script folds (catalog.search.text.SCRIPT_FOLDS, the table the tantivy side applies)
    as the rules of a `mapping` char filter: "\\u0623 => \\u0627", "\\u0640 => " …"""
    return [f"{_escaped(char)} => {_escaped(folded)}" for char, folded in SCRIPT_FOLDS.items()]


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in text)


def analysis() -> dict[str, Any]:
    """The three analyzers, each after the script char filter and with every decimal digit read as
    ASCII (`decimal_digit`, as DIGIT_FOLDS does for tantivy). Lucene's arabic_normalization and
    persian_normalization are not needed: the char filter folds all they fold (a unit test holds
    it to their lists), and more (alef wasla, superscript alef, ё), before the tokenizer."""
    base = {"type": "custom", "tokenizer": "standard", "char_filter": ["script_fold"]}
    return {
        "char_filter": {"script_fold": {"type": "mapping", "mappings": script_mappings()}},
        "filter": {"sv_snowball": {"type": "snowball", "language": "Swedish"}},
        "analyzer": {
            "sv_exact": base | {"filter": ["lowercase", "decimal_digit"]},
            "sv_stem": base | {"filter": ["lowercase", "decimal_digit", "sv_snowball"]},
            "sv_fold": base | {"filter": ["lowercase", "decimal_digit", "asciifolding"]},
        },
    }


def _text_field(variants: tuple[str, ...]) -> dict[str, Any]:
    """Main field analyzed by the first variant (exact, or stem for notes), others as subfields."""
    field: dict[str, Any] = {"type": "text", "analyzer": f"sv_{variants[0]}"}
    if len(variants) > 1:
        field["fields"] = {v: {"type": "text", "analyzer": f"sv_{v}"} for v in variants[1:]}
    return field


def mappings() -> dict[str, Any]:
    properties: dict[str, Any] = {
        TEXT_FIELDS[name]: _text_field(variants) for name, variants in TEXT_VARIANTS.items()
    }
    keywords = ["id", "isbn", "available_at", "title_sort", "suggest", "work", *FACET_SOURCES]
    properties.update({name: {"type": "keyword"} for name in keywords})
    properties.update(
        {
            "available": {"type": "boolean"},
            "year": {"type": "integer"},
            "year_desc": {"type": "integer"},
            "year_asc": {"type": "integer"},
            "popularity": {"type": "float"},
            "hit": {"type": "object", "enabled": False},
        }
    )
    return {"dynamic": "strict", "properties": properties}


def index_template(alias: str) -> dict[str, Any]:
    """The composable index template every generation `<alias>-<stamp>` is created from."""
    return {
        "index_patterns": [f"{alias}-*"],
        "template": {
            "settings": {"number_of_shards": 1, "refresh_interval": "1s", "analysis": analysis()},
            "mappings": mappings(),
        },
        "priority": 200,
    }


def es_document(document: dict[str, Any], popularity: float) -> dict[str, Any]:
    """An engine-neutral cluster document as the Elasticsearch _source."""
    texts = searchable_texts(document)
    year = document.get("year")
    body: dict[str, Any] = {TEXT_FIELDS[name]: text for name, text in texts.items()}
    body.update({facet: document.get(key) or [] for facet, key in FACET_SOURCES.items()})
    body.update(
        id=document["id"],
        isbn=document.get("isbns") or [],
        work=document.get("work") or None,
        available_at=document.get("available_at") or [],
        available=bool(document.get("available_at")),
        year=year,
        year_desc=year or 0,
        year_asc=year or MISSING_YEAR_ASC,
        title_sort=document.get("title_sort") or "",
        popularity=popularity,
        suggest=[suggest_term(text) for text in suggestion_texts(document)],
        hit={key: document.get(key) for key in (*HIT_FIELDS, *EXTRA_STORED_FIELDS)},
    )
    return body


def bulk_operations(index: str, documents: list[dict[str, Any]], deletes: list[str]) -> list[dict[str, Any]]:
    """The `operations` list of one _bulk request (action line, then source line)."""
    operations: list[dict[str, Any]] = [{"delete": {"_index": index, "_id": i}} for i in deletes]
    for document in documents:
        operations += [{"index": {"_index": index, "_id": document["id"]}}, document]
    return operations


def alias_swap(alias: str, new_index: str, old_indices: list[str]) -> dict[str, Any]:
    """One atomic update_aliases body: readers switch from the old generation to the new one."""
    actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}} for old in old_indices]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return {"actions": actions}


# --- queries ----------------------------------------------------------------------------------
def clause_query(clause: Clause) -> dict[str, Any] | None:
    if isinstance(clause, Isbn):
        return {"term": {"isbn": {"value": clause.value, "boost": ISBN_WEIGHT}}}
    names = [clause.field] if clause.field else list(SEARCH_FIELDS)
    should: list[dict[str, Any]] = []
    for name in names:
        should.extend(_phrase(name, clause) if isinstance(clause, Phrase) else _term(name, clause))
    return {"bool": {"should": should, "minimum_should_match": 1}} if should else None


def _variant_field(name: str, variant: str) -> str:
    field = TEXT_FIELDS[name]
    return field if variant == TEXT_VARIANTS[name][0] else f"{field}.{variant}"


def _term(name: str, term: Term) -> list[dict[str, Any]]:
    weight = SEARCH_FIELDS[name]
    out: list[dict[str, Any]] = [
        {"match": {_variant_field(name, v): {"query": term.text, "boost": weight * VARIANT_WEIGHTS[v]}}}
        for v in TEXT_VARIANTS[name]
    ]
    if name in FUZZY_FIELDS:
        folded = fold(term.text)
        if term.prefix:
            out.append(
                {"prefix": {f"{TEXT_FIELDS[name]}.fold": {"value": folded, "boost": weight * PREFIX_WEIGHT}}}
            )
        if len(folded) >= FUZZY_MIN_CHARS and not folded.isdigit():
            fuzzy = {"query": folded, "fuzziness": 1, "prefix_length": 0, "boost": weight * FUZZY_WEIGHT}
            out.append({"match": {f"{TEXT_FIELDS[name]}.fold": fuzzy}})
    return out


def _phrase(name: str, phrase: Phrase) -> list[dict[str, Any]]:
    weight = SEARCH_FIELDS[name]
    text = " ".join(phrase.words)
    return [
        {
            "match_phrase": {
                _variant_field(name, v): {"query": text, "boost": weight * VARIANT_WEIGHTS[v] * 1.5}
            }
        }
        for v in TEXT_VARIANTS[name]
    ]


def text_query(parsed: ParsedQuery) -> dict[str, Any]:
    if parsed.is_empty:
        return {"match_all": {}}
    must: list[dict[str, Any]] = []
    for group in parsed.must:
        queries = [q for q in (clause_query(c) for c in group) if q]
        if not queries:
            return {"match_none": {}}
        must.append(
            queries[0] if len(queries) == 1 else {"bool": {"should": queries, "minimum_should_match": 1}}
        )
    must_not = [q for q in (clause_query(c) for c in parsed.must_not) if q]
    return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}


def filters(request: SearchRequest, exclude: str | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for facet in TERM_FILTERS:
        values = request.filters.get(facet)
        if values and facet != exclude:
            out.append({"terms": {facet: list(values)}})
    if (request.year_from is not None or request.year_to is not None) and exclude != "year":
        bounds = {"gte": request.year_from, "lte": request.year_to}
        out.append({"range": {"year": {k: v for k, v in bounds.items() if v is not None}}})
    if request.available:
        libraries = request.available_at_selected(exclude)
        out.append(
            {"terms": {"available_at": list(libraries)}} if libraries else {"term": {"available": True}}
        )
    return out


def aggregation(name: str, field: str | None = None) -> dict[str, Any]:
    facet = FACETS_BY_NAME[name]
    if facet.ranged:
        ranges = []
        for low, high in YEAR_RANGES:
            bucket: dict[str, Any] = {"key": year_range_value(low, high)}
            if low is not None:
                bucket["from"] = low
            if high is not None:
                bucket["to"] = high + 1
            ranges.append(bucket)
        return {"range": {"field": "year", "ranges": ranges}}
    return {"terms": {"field": field or name, "size": facet.size}}


def search_body(request: SearchRequest, parsed: ParsedQuery) -> dict[str, Any]:
    """One request: text query scored (x popularity), filters as post_filter, and each facet
    counted under every filter except its own (multi-select: OR within, AND across)."""
    query = text_query(parsed)
    if request.sort == "relevance":
        query = {
            "function_score": {
                "query": query,
                "field_value_factor": {"field": "popularity", "missing": 1.0},
                "boost_mode": "multiply",
            }
        }
    body: dict[str, Any] = {
        "query": query,
        "from": (request.page - 1) * request.page_size,
        "size": request.page_size,
        "track_total_hits": True,
        "_source": ["hit"],
    }
    all_filters = filters(request)
    if all_filters:
        body["post_filter"] = {"bool": {"filter": all_filters}}
    if request.sort in SORTS:
        body["sort"] = SORTS[request.sort]
    if request.facets:
        body["aggs"] = {
            name: {
                "filter": {"bool": {"filter": filters(request, exclude=name)}},
                "aggs": {"values": aggregation(name, request.facet_field(name))},
            }
            for name in request.facets
            if name in FACETS_BY_NAME
        }
    return body


def suggest_body(key: str, limit: int) -> dict[str, Any]:
    escaped = "".join(ch if ch.isalnum() else f"\\{ch}" for ch in key)
    return {
        "size": 0,
        "query": {"prefix": {"suggest": key}},
        "aggs": {"suggest": {"terms": {"field": "suggest", "include": f"{escaped}.*", "size": limit * 3}}},
    }


def spelling_body(word: str) -> dict[str, Any]:
    term = {"suggest_mode": "always", "max_edits": 2, "prefix_length": 1, "size": 10, "sort": "frequency"}
    return {
        "size": 0,
        "suggest": {
            "text": word,
            "title": {"term": {"field": "title", **term}},
            "author": {"term": {"field": "author", **term}},
        },
    }
