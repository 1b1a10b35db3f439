"""Per-title summaries for a result list: where it is on the shelf now, or the queue."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.availability.lines import HoldingLine, cluster_holdings, make_line
from catalog.availability.lookup import live_statuses
from catalog.models import Holding, ItemStatus


@dataclass(frozen=True)
class Copies:
    """Copies of one title at one library in one status: one holding line, or a grouped row."""

    library_code: str
    library_name: str
    status: str
    count: int = 1
    queue_length: int | None = None  # the library's reservation queue for the title
    due_date: date | None = None
    live: bool = False


def line_copies(line: HoldingLine) -> Copies:
    return Copies(
        line.library_code,
        line.library_name,
        line.status,
        queue_length=line.queue_length,
        due_date=line.due_date,
        live=line.source == "live",
    )


def summarize(copies: list[Copies]) -> dict[str, Any]:
    """available_at (codes of the libraries with a copy in now, by name; available_at_libraries
    holds their codes and names), or on loan everywhere with the queue."""
    available = {c.library_code: c.library_name for c in copies if c.status == ItemStatus.AVAILABLE}
    on_loan = [c for c in copies if c.status == ItemStatus.ON_LOAN]
    # A library's queue is for the title, repeated on each of its copies: the largest per
    # library, added up across libraries (each keeps its own reservation queue).
    per_library: dict[str, int] = {}
    for c in copies:
        if c.queue_length is not None:
            per_library[c.library_code] = max(per_library.get(c.library_code, 0), c.queue_length)
    dues = [c.due_date for c in on_loan if c.due_date]
    libraries = [{"code": c, "name": n} for c, n in sorted(available.items(), key=lambda i: i[1])]
    summary = {
        # Codes, as a search hit's available_at; the names beside them for the wording.
        "available_at": [library["code"] for library in libraries],
        "available_at_libraries": libraries,
        "on_loan_everywhere": bool(copies) and len(on_loan) == len(copies),
        "queue_length": sum(per_library.values()) if per_library else None,
        "earliest_due_date": min(dues).isoformat() if dues else None,
        "live": any(c.live for c in copies),
    }
    summary["text"] = summary_text(summary, sum(c.count for c in copies))
    summary["state"] = summary_state(summary)
    return summary


NAMES_SHOWN = 3


def summary_text(summary: dict[str, Any], holding_count: int) -> str:
    """One wording for the result list, its live update and the API."""
    names = [library["name"] for library in summary["available_at_libraries"]]
    if names:
        shown = ", ".join(names[:NAMES_SHOWN]) + (" …" if len(names) > NAMES_SHOWN else "")
        return ngettext(
            "Available at %(count)d library: %(names)s",
            "Available at %(count)d libraries: %(names)s",
            len(names),
        ) % {"count": len(names), "names": shown}
    if summary["on_loan_everywhere"]:
        if summary["queue_length"]:
            return _("On loan everywhere – queue %(count)d") % {"count": summary["queue_length"]}  # noqa: RUF001
        return _("On loan everywhere")
    if holding_count == 0:
        return _("No copies")
    return _("Not on the shelf right now")


def summary_state(summary: dict[str, Any]) -> str:
    """in | out | none, as the result list styles it."""
    if summary["available_at"]:
        return "in"
    return "out" if summary["on_loan_everywhere"] else "none"


def cluster_summaries(cluster_ids: list[int], live: bool = True) -> dict[int, dict[str, Any]]:
    """Summaries for many titles with ONE lookup: one batch call per library for all of them."""
    holdings = list(cluster_holdings(cluster_ids))
    lookup = live_statuses(holdings, network=live)
    copies: dict[int, list[Copies]] = defaultdict(list)
    for holding in holdings:
        line = make_line(holding, lookup, None)  # type: ignore[arg-type]
        copies[holding.record.cluster_id or 0].append(line_copies(line))
    return {cluster_id: summarize(copies.get(cluster_id, [])) for cluster_id in cluster_ids}


def harvested_summaries(cluster_ids: list[int]) -> dict[int, tuple[dict[str, Any], int]]:
    """Per title its summary from harvested status and how many copies it has; ONE grouped query,
    so a result page stays fast for titles with hundreds of copies (live status comes after)."""
    rows = (
        Holding.objects.filter(record__cluster_id__in=cluster_ids, record__deleted=False)
        .values_list("record__cluster_id", "library__code", "library__name", "status")
        .annotate(copies=Count("id"), queue=Max("queue_length"))
        .order_by()
    )
    copies: dict[int, list[Copies]] = defaultdict(list)
    for cluster_id, code, name, status, count, queue in rows:
        copies[cluster_id].append(Copies(code, name, status, count, queue))
    return {
        cluster_id: (summarize(copies[cluster_id]), sum(c.count for c in copies[cluster_id]))
        for cluster_id in cluster_ids
    }
