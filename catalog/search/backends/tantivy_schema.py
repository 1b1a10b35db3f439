"""The tantivy index layout: analyzers, schema and the document mapping.

Each searchable text (title, author, subject) is indexed three ways so ranking can prefer the
exact spelling: `*_exact` (lower-cased words), `*_stem` (Swedish Snowball stems: hundarna ->
hund) and `*_fold` (diacritics folded: Östersund -> ostersund). Notes get a stemmed field only.
Facet values are raw fast fields (terms aggregations); the hit itself is one stored JSON blob.
Every text is script-normalized first (catalog.search.text.normalize_script: harakat, tatweel,
alef/yeh/keheh variants, ё): tantivy's analyzers have no character mapping of their own; the
query side normalizes the same way (catalog.search.text.words).
"""

import math
from datetime import date
from typing import Any

import orjson
import tantivy

from catalog.fields import EXTRA_STORED_FIELDS, FACETS, HIT_FIELDS, SEARCH_FIELDS
from catalog.search.text import fold, normalize_script

# 4: the accessibility facet; 5: text in Arabic, Persian and Cyrillic script indexed normalized
SCHEMA_VERSION = 5
EXACT, STEM, FOLD, EDGE = "sv_exact", "sv_stem", "sv_fold", "sv_edge"
BOOST_GRID = 65536  # popularity_weight's values are multiples of 1 / BOOST_GRID
SUGGEST_GRAM = 15  # autocomplete keys: folded prefixes of 2..15 characters of a title or name
TEXT_VARIANTS: dict[str, tuple[str, ...]] = {
    "title": ("exact", "stem", "fold"),
    "author": ("exact", "stem", "fold"),
    "subject": ("exact", "stem", "fold"),
    "notes": ("stem",),
}
TOKENIZERS = {"exact": EXACT, "stem": STEM, "fold": FOLD}
# Facet name -> document key holding its values.
FACET_SOURCES = {
    "library": "libraries",
    "municipality": "municipalities",
    "format": "formats",
    "accessibility": "accessibility",
    "language": "languages",
    "subject": "subjects",
    "audience": "audience",
}
MISSING_YEAR_ASC = 99999
SUGGEST_SEPARATOR = "\x1f"


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The three Swedish analyzers, built fresh (each Index registers its own)."""

    def chain(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
        builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        for item in (tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(), *filters):
            builder = builder.filter(item)
        return builder.build()

    edge = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, SUGGEST_GRAM, True))
    edge = edge.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
    return {
        EDGE: edge.build(),
        EXACT: chain(),
        STEM: chain(tantivy.Filter.stemmer("swedish")),
        FOLD: chain(tantivy.Filter.ascii_fold()),
    }


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("payload", stored=True)
    for name, variants in TEXT_VARIANTS.items():
        for variant in variants:
            builder.add_text_field(f"{name}_{variant}", tokenizer_name=TOKENIZERS[variant])
    builder.add_text_field("isbn", tokenizer_name="raw", index_option="basic")
    for facet in FACET_SOURCES:
        builder.add_text_field(facet, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("available_at", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("work", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("available", indexed=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("year_desc", fast=True)
    builder.add_integer_field("year_asc", fast=True)
    builder.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_float_field("boost", fast=True)
    builder.add_text_field("suggest_prefix", tokenizer_name=EDGE, index_option="basic")
    return builder.build()


def popularity_weight(library_count: int, year: int | None, today: date | None = None) -> float:
    """The `boost` fast field: tantivy multiplies the score by log2(2 + boost).

    We want a gentle multiplier m = 1 + 0.04*log2(1 + libraries) + up to 0.03 for recent editions
    (about 1.0 to 1.2), so store 2**m - 2, rounded to 1/65536 (a year of recency is still about
    60 steps): values on a grid take about 17 bits each in the fast field instead of 64, and
    the search reads one for every match (at a million titles about 5 % less CPU a search).
    """
    this_year = (today or date.today()).year
    recency = 0.0 if year is None else max(0.0, 1.0 - max(0, this_year - year) / 50.0)
    multiplier = 1.0 + 0.04 * math.log2(1 + max(0, library_count)) + 0.03 * recency
    return round((2.0**multiplier - 2.0) * BOOST_GRID) / BOOST_GRID


def to_tantivy(document: dict[str, Any]) -> tantivy.Document:
    """Map an engine-neutral cluster document (catalog.search.documents) to a tantivy Document."""
    doc = tantivy.Document()
    doc.add_text("id", document["id"])
    stored = {key: document.get(key) for key in (*HIT_FIELDS, *EXTRA_STORED_FIELDS)}
    doc.add_bytes("payload", orjson.dumps(stored))
    for name, text in searchable_texts(document).items():
        if text:  # tantivy's analyzers cannot fold scripts: the text comes to them folded
            folded = normalize_script(text)
            for variant in TEXT_VARIANTS[name]:
                doc.add_text(f"{name}_{variant}", folded)
    for isbn in document.get("isbns") or ():
        doc.add_text("isbn", isbn)
    for facet, key in FACET_SOURCES.items():
        for value in document.get(key) or ():
            doc.add_text(facet, value)
    for code in document.get("available_at") or ():
        doc.add_text("available_at", code)
    if document.get("work"):
        doc.add_text("work", document["work"])
    doc.add_unsigned("available", 1 if document.get("available_at") else 0)
    year = document.get("year")
    if year is not None:
        doc.add_integer("year", year)
    doc.add_integer("year_desc", year or 0)
    doc.add_integer("year_asc", year or MISSING_YEAR_ASC)
    doc.add_text("title_sort", document.get("title_sort") or "")
    doc.add_float("boost", popularity_weight(document.get("library_count") or 0, year))
    for text in suggestion_texts(document):
        doc.add_text("suggest_prefix", suggest_key(text))
    return doc


def searchable_texts(document: dict[str, Any]) -> dict[str, str]:
    """The text behind each searchable field (SEARCH_FIELDS), shared with the ES backend."""
    original = document.get("original_text") or {}  # the 880 forms, beside the romanized ones
    names = [*(document.get("authors") or ()), *(document.get("contributors") or ())]
    terms = [*(document.get("subjects") or ()), *(document.get("genres") or ())]
    texts = {
        "title": [document.get("title"), document.get("subtitle"), original.get("title")],
        "author": [*names, original.get("author")],
        "subject": [*terms, original.get("subject")],
        "notes": [document.get("notes"), original.get("notes")],
    }
    assert set(texts) == set(SEARCH_FIELDS)
    return {name: " ".join(filter(None, parts)) for name, parts in texts.items()}


def suggestion_texts(document: dict[str, Any]) -> list[str]:
    """What autocomplete offers for a document: its title, its authors' names and its title in
    the original script (880)."""
    original = (document.get("original") or {}).get("title")
    texts = [document.get("title"), *(document.get("authors") or ()), original]
    return [" ".join(str(text).split())[:150] for text in texts if text]


def suggest_key(text: str) -> str:
    """Folded, lower-cased, single-spaced: what a typed prefix is compared with."""
    return fold(" ".join(text.split()))


def suggest_term(text: str) -> str:
    """Suggestion key: folded lower-case text for prefix lookup, then the display text."""
    display = " ".join(text.split())[:150]
    return f"{fold(display)}{SUGGEST_SEPARATOR}{display}"


assert set(FACET_SOURCES) | {"year"} == {facet.name for facet in FACETS}
