"""The whole normalized record: every concept's function, applied once."""

from collections.abc import Callable
from typing import Any

from pymarc import Record

from catalog.mapping import (
    accessibility,
    agents,
    description,
    formats,
    identifiers,
    manifestation,
    original_script,
    publication,
    subjects,
    titles,
)

CONCEPTS: dict[str, Callable[[Record], Any]] = {
    "title": titles.title,
    "title_proper": titles.title_proper,
    "title_sort": titles.title_sort,
    "subtitle": titles.subtitle,
    "responsibility": titles.responsibility,
    "authors": agents.authors,
    "contributors": agents.contributors,
    "isbns": identifiers.isbns,
    "invalid_isbns": identifiers.invalid_isbns,
    "issns": identifiers.issns,
    "eans": identifiers.eans,
    "libris_id": identifiers.libris_id,
    "system_numbers": identifiers.system_numbers,
    "publisher": publication.publisher,
    "place": publication.place,
    "year": publication.year,
    "edition": titles.edition,
    "extent": titles.extent,
    "series": titles.series,
    "subjects": subjects.subjects,
    "genres": subjects.genres,
    "classifications": subjects.classifications,
    "languages": description.languages,
    "audience": description.audience,
    "summary": description.summary,
    "contents": description.contents,
    "notes": description.notes,
    "links": description.links,
    "formats": formats.formats,
    "accessibility": accessibility.accessibility,
    "carrier": manifestation.carrier,
    "host": manifestation.host,
    "parts": manifestation.parts,
    "series_numbers": manifestation.series_numbers,
    "part_isbns": manifestation.part_isbns,
    "set_isbns": manifestation.set_isbns,
    "publisher_numbers": manifestation.publisher_numbers,
    "original_script": original_script.original_script,
}


def map_record(record: Record) -> dict[str, Any]:
    """The normalized, JSON-serializable description of one bibliographic MARC record."""
    return {key: concept(record) for key, concept in CONCEPTS.items()}
