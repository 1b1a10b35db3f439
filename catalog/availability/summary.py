"""Per-title summaries for a result list: where it is on the shelf now, or the queue."""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.availability.lines import HoldingLine, cluster_holdings, make_line
from catalog.availability.lookup import live_statuses
from catalog.models import ItemStatus


def summarize(lines: list[HoldingLine]) -> dict[str, Any]:
    """available_at (libraries with a copy in now), or on loan everywhere with the queue."""
    available: dict[str, str] = {}
    for line in lines:
        if line.is_available:
            available[line.library_code] = line.library_name
    on_loan = [line for line in lines if line.status == ItemStatus.ON_LOAN]
    everywhere_on_loan = bool(lines) and not available and len(on_loan) == len(lines)
    # A library's queue is for the title, repeated on each of its copies: the largest per
    # library, added up across libraries (each keeps its own reservation queue).
    per_library: dict[str, int] = {}
    for line in lines:
        if line.queue_length is not None:
            per_library[line.library_code] = max(per_library.get(line.library_code, 0), line.queue_length)
    queues = list(per_library.values())
    dues = [line.due_date for line in on_loan if line.due_date]
    summary = {
        "available_at": [{"code": c, "name": n} for c, n in sorted(available.items(), key=lambda i: i[1])],
        "on_loan_everywhere": everywhere_on_loan,
        "queue_length": sum(queues) if queues else None,
        "earliest_due_date": min(dues).isoformat() if dues else None,
        "live": any(line.source == "live" for line in lines),
    }
    summary["text"] = summary_text(summary, len(lines))
    summary["state"] = summary_state(summary)
    return summary


NAMES_SHOWN = 3


def summary_text(summary: dict[str, Any], holding_count: int) -> str:
    """The same wording as the result list's server-rendered summary (opac/hits.py)."""
    names = [library["name"] for library in summary["available_at"]]
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
    lines: dict[int, list[HoldingLine]] = defaultdict(list)
    for holding in holdings:
        lines[holding.record.cluster_id or 0].append(make_line(holding, lookup, None))  # type: ignore[misc]
    return {cluster_id: summarize(lines.get(cluster_id, [])) for cluster_id in cluster_ids}
