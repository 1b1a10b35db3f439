"""Result-list hits with their availability summary, the patron's own library first."""

from dataclasses import dataclass, field
from typing import Any

from catalog.availability.summary import harvested_summaries, summary_state, summary_text
from catalog.editions import edition_counts
from catalog.models import Library
from catalog.versions import for_works
from opac.record_view import as_list, names
from opac.versions import AlsoAsLink, links


@dataclass
class Availability:
    state: str  # in | out | none
    text: str
    home_has_it: bool = False


@dataclass
class Hit:
    id: int
    title: str
    subtitle: str
    authors: list[str]
    year: object
    formats: list[str]
    edition: str
    work: int | None = None
    edition_count: int = 0  # clusters in the work, this one included
    availability: Availability | None = None
    accessibility: list[str] = field(default_factory=list)  # catalog.accessible codes
    also_as: list[AlsoAsLink] = field(default_factory=list)  # the work in other accessible media
    extra: dict[str, Any] = field(default_factory=dict)
    title_lang: dict[str, str] = field(default_factory=dict)  # lang and dir of the title
    original: dict[str, Any] = field(default_factory=dict)  # its original-script form (880)


def make_hit(document: dict[str, Any]) -> Hit:
    return Hit(
        id=int(document["id"]),
        title=str(document.get("title") or ""),
        subtitle=str(document.get("subtitle") or ""),
        authors=names(document.get("authors")),
        year=document.get("year"),
        formats=as_list(document.get("formats")) or ["other"],
        edition=str(document.get("edition") or ""),
        work=work_id(document.get("work")),
        accessibility=as_list(document.get("accessibility")),
        title_lang=dict(document.get("title_lang") or {}),
        original=dict(document.get("original") or {}),
    )


def work_id(value: object) -> int | None:
    """The document's work id ("" when the title has no work)."""
    text = str(value or "")
    return int(text) if text.isdigit() else None


def availability_text(summary: dict[str, Any], holding_count: int, home: Library | None) -> Availability:
    """ "Finns inne på 3 bibliotek: Nacka, Tyresö …" / "Utlånad överallt, kö 4", home first.

    The wording and states are the availability layer's (summary_text, summary_state), so the
    server-rendered line and the one availability.js writes after a live check read the same.
    """
    home_code = home.code if home else None
    available = sorted(
        summary["available_at_libraries"], key=lambda library: (library["code"] != home_code, library["name"])
    )
    codes = [library["code"] for library in available]
    summary = {**summary, "available_at": codes, "available_at_libraries": available}
    home_has_it = bool(codes) and codes[0] == home_code
    return Availability(summary_state(summary), summary_text(summary, holding_count), home_has_it)


def with_availability(hits: list[Hit], home: Library | None) -> list[Hit]:
    """Adds the harvested availability summary to every hit (one query for the page)."""
    summaries = harvested_summaries([hit.id for hit in hits]) if hits else {}
    for hit in hits:
        summary, holding_count = summaries[hit.id]
        hit.availability = availability_text(summary, holding_count, home)
    return hits


def with_editions(hits: list[Hit]) -> list[Hit]:
    """How many editions and formats each hit's work has (one query for the page)."""
    counts = edition_counts(hit.work for hit in hits if hit.work is not None)
    for hit in hits:
        hit.edition_count = counts.get(hit.work, 0) if hit.work is not None else 0
    return hits


def with_versions(hits: list[Hit], documents: list[dict[str, Any]]) -> list[Hit]:
    """Where the county also holds each hit's work in an accessible medium: one search for the
    page, none when no hit's work has another edition (``with_editions`` counted them)."""
    by_id = {str(document["id"]): document for document in documents}
    candidates = [by_id[str(hit.id)] for hit in hits if hit.edition_count > 1 and str(hit.id) in by_id]
    found = for_works(candidates)
    for hit in hits:
        hit.also_as = links(found.get(str(hit.id), []))
    return hits
