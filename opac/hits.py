"""Result-list hits with their availability summary, the patron's own library first."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from catalog.availability.summary import summary_state, summary_text
from catalog.models import Holding, ItemStatus, Library
from opac.record_view import as_list, names


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
    availability: Availability | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def make_hit(document: dict[str, Any]) -> Hit:
    return Hit(
        id=int(document["id"]),
        title=str(document.get("title") or ""),
        subtitle=str(document.get("subtitle") or ""),
        authors=names(document.get("authors")),
        year=document.get("year"),
        formats=as_list(document.get("formats")) or ["other"],
        edition=str(document.get("edition") or ""),
    )


def availability_text(summary: dict[str, Any], holding_count: int, home: Library | None) -> Availability:
    """ "Finns inne på 3 bibliotek: Nacka, Tyresö …" / "Utlånad överallt, kö 4", home first.

    The wording and states are the availability layer's (summary_text, summary_state), so the
    server-rendered line and the one availability.js writes after a live check read the same.
    """
    home_code = home.code if home else None
    available = sorted(
        summary["available_at"], key=lambda library: (library["code"] != home_code, library["name"])
    )
    summary = {**summary, "available_at": available}
    home_has_it = bool(available) and available[0]["code"] == home_code
    return Availability(summary_state(summary), summary_text(summary, holding_count), home_has_it)


def harvested_summaries(cluster_ids: list[int]) -> dict[int, tuple[dict[str, Any], int]]:
    """Per title: libraries with a copy in, on loan everywhere, queue; ONE grouped query.

    The result list renders harvested status at once (the page must stay well under 100 ms even
    for titles with hundreds of copies); availability.js then asks for live status in one batch.
    """
    rows = (
        Holding.objects.filter(record__cluster_id__in=cluster_ids, record__deleted=False)
        .values_list("record__cluster_id", "library__code", "library__name", "status")
        .annotate(copies=Count("id"), queue=Sum("queue_length"))
        .order_by()
    )
    grouped: dict[int, list[tuple[str, str, str, int, int | None]]] = defaultdict(list)
    for cluster_id, code, name, status, copies, queue in rows:
        grouped[cluster_id].append((code, name, status, copies, queue))
    return {cluster_id: _summary(grouped.get(cluster_id, [])) for cluster_id in cluster_ids}


def _summary(rows: list[tuple[str, str, str, int, int | None]]) -> tuple[dict[str, Any], int]:
    available = {code: name for code, name, status, _copies, _queue in rows if status == ItemStatus.AVAILABLE}
    queues = [queue for *_rest, queue in rows if queue is not None]
    summary = {
        "available_at": [{"code": code, "name": name} for code, name in available.items()],
        "on_loan_everywhere": bool(rows) and all(row[2] == ItemStatus.ON_LOAN for row in rows),
        "queue_length": sum(queues) if queues else None,
    }
    return summary, sum(row[3] for row in rows)


def with_availability(hits: list[Hit], home: Library | None) -> list[Hit]:
    """Adds the harvested availability summary to every hit (one query for the page)."""
    summaries = harvested_summaries([hit.id for hit in hits]) if hits else {}
    for hit in hits:
        summary, holding_count = summaries[hit.id]
        hit.availability = availability_text(summary, holding_count, home)
    return hits
