"""Search documents: one per Cluster, from Cluster.data plus the holdings of its members.

A document is a plain, engine-neutral dict (see `cluster_document`); each backend maps it to
its own fields. Documents are built in bulk: three queries per chunk of clusters, never one per
cluster.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from catalog.language_tags import text_language
from catalog.models import Cluster, Holding, ItemStatus, SourceRecord
from catalog.search.text import sort_key

CHUNK = 1000


@dataclass
class HoldingSummary:
    """Who holds one cluster, as far as the harvested data knows."""

    libraries: set[str] = field(default_factory=set)
    municipalities: set[str] = field(default_factory=set)
    available_at: set[str] = field(default_factory=set)
    copies: int = 0


def build_documents(cluster_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Documents for the given clusters that still exist (missing ids are simply absent)."""
    ids = sorted(set(cluster_ids))
    documents: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        documents.extend(_build_chunk(ids[start : start + CHUNK]))
    return documents


def iter_all_documents(chunk: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    """Every cluster's document, chunk by chunk (for rebuild_index)."""
    last = 0
    while True:
        ids = list(Cluster.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return
        yield _build_chunk(ids)
        last = ids[-1]


def _build_chunk(ids: list[int]) -> list[dict[str, Any]]:
    summaries = _holding_summaries(ids)
    clusters = Cluster.objects.filter(pk__in=ids).values_list("pk", "data", "work_id")
    return [
        cluster_document(pk, data or {}, summaries.get(pk, HoldingSummary()), work)
        for pk, data, work in clusters
    ]


def _holding_summaries(ids: list[int]) -> dict[int, HoldingSummary]:
    summaries: dict[int, HoldingSummary] = defaultdict(HoldingSummary)
    holdings = Holding.objects.filter(record__cluster_id__in=ids, record__deleted=False).values_list(
        "record__cluster_id", "library__code", "library__municipality", "status", "item_count"
    )
    for cluster_id, code, municipality, status, count in holdings:
        summary = summaries[cluster_id]
        summary.libraries.add(code)
        if municipality:
            summary.municipalities.add(municipality)
        if status == ItemStatus.AVAILABLE:
            summary.available_at.add(code)
        summary.copies += count or 1
    # A record in a library's own catalogue means the library holds it, even without item data;
    # a regional source's library is not a holder of what it carries (its holdings say who is).
    owners = SourceRecord.objects.filter(
        cluster_id__in=ids, deleted=False, source__library__isnull=False, source__regional=False
    ).values_list("cluster_id", "source__library__code", "source__library__municipality")
    for cluster_id, code, municipality in owners:
        summary = summaries[cluster_id]
        summary.libraries.add(code)
        if municipality:
            summary.municipalities.add(municipality)
    return summaries


def cluster_document(
    pk: int, data: dict[str, Any], holdings: HoldingSummary, work: int | None = None
) -> dict[str, Any]:
    """The engine-neutral document for one cluster (keys are what the backends index); ``work``
    is its Work's id (catalog.clustering.works), "" without one."""
    title = _text(data.get("title"))
    subtitle = _text(data.get("subtitle"))
    year = data.get("year")
    return {
        "id": str(pk),
        "title": title,
        "subtitle": subtitle,
        "title_sort": sort_key(_text(data.get("title_sort")) or title),
        "authors": _names(data.get("authors")),
        "contributors": _names(data.get("contributors")),
        "year": year if isinstance(year, int) and 0 < year < 10000 else None,
        "formats": _strings(data.get("formats")),
        "accessibility": _strings(data.get("accessibility")),
        "languages": _strings(data.get("languages")),
        "isbns": _strings(data.get("isbns")),
        "subjects": _subject_terms(data.get("subjects")),
        "genres": _subject_terms(data.get("genres")),
        "audience": _strings(data.get("audience")),
        "notes": _notes(data),
        "publisher": _text(data.get("publisher")),
        "edition": _text(data.get("edition")),
        "libraries": sorted(holdings.libraries),
        "municipalities": sorted(holdings.municipalities),
        "available_at": sorted(holdings.available_at),
        "library_count": len(holdings.libraries),
        "holding_count": holdings.copies,
        "work": str(work) if work else "",
        "title_lang": _title_language(data, title),
        "original": _original_display(data.get("original_script")),
        "original_text": _original_text(data.get("original_script")),
    }


def _title_language(data: dict[str, Any], title: str) -> dict[str, str]:
    """lang and dir of the (romanized) title: "ar-Latn" for an Arabic title in Latin letters."""
    found = text_language(data.get("languages") or [], title)
    return {"lang": found.lang, "dir": found.dir} if found else {}


def _original_display(original: Any) -> dict[str, Any]:
    """What a hit shows of the original-script forms (880): title, subtitle, names, lang, dir."""
    if not isinstance(original, dict) or not (original.get("title") or original.get("authors")):
        return {}
    return {
        "title": _text(original.get("title")),
        "subtitle": _text(original.get("subtitle")),
        "authors": _strings(original.get("authors")),
        "lang": _text(original.get("lang")),
        "dir": "rtl" if original.get("dir") == "rtl" else "ltr",
    }


def _original_text(original: Any) -> dict[str, str]:
    """The original-script forms as searchable text, per searchable field."""
    if not isinstance(original, dict) or not original:
        return {}
    parts = {
        "title": ("title", "subtitle"),
        "author": ("authors", "contributors"),
        "subject": ("subjects",),
        "notes": ("responsibility", "publisher", "place", "edition", "series", "summary"),
    }
    return {name: " ".join(_text(original.get(key)) for key in keys).strip() for name, keys in parts.items()}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_text(item) for item in value if item)
    return str(value).strip() if value else ""


def _strings(value: Any) -> list[str]:
    if not value:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item]


def _names(value: Any) -> list[str]:
    names = []
    for item in value if isinstance(value, list) else [value] if value else []:
        name = item.get("name") if isinstance(item, dict) else item
        if name and str(name) not in names:
            names.append(str(name))
    return names


def _subject_terms(value: Any) -> list[str]:
    terms = []
    for item in value if isinstance(value, list) else [value] if value else []:
        term = item.get("term") if isinstance(item, dict) else item
        if term and str(term) not in terms:
            terms.append(str(term))
    return terms


def _notes(data: dict[str, Any]) -> str:
    parts = [
        data.get(key) for key in ("summary", "contents", "notes", "series", "publisher", "responsibility")
    ]
    return " ".join(_text(part) for part in parts if part)
