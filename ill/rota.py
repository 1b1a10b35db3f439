"""The lender rota: which libraries to ask for a title, in which order.

Candidates are libraries holding a lendable copy in the cluster, excluding the pickup library and
libraries whose lending rules exclude the title. Order: a copy on the shelf now first, then the
library that has lent least relative to what it borrowed over the last 90 days (load balance),
then transport distance from the pickup library, then sigel (stable).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count

from catalog.availability.lookup import cached_statuses
from catalog.models import Cluster, Holding, ItemStatus, Library
from ill.models import LendingRule, Request, RotaEntry

LOAD_WINDOW = timedelta(days=90)


@dataclass
class Candidate:
    library: Library
    available: bool
    call_number: str
    load: float = 0.0
    distance_km: float = math.inf

    def sort_key(self) -> tuple[bool, float, float, str]:
        return (not self.available, self.load, self.distance_km, self.library.code)


def distance_km(a: Library, b: Library) -> float:
    """Great-circle distance; unknown coordinates sort last."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _excluded_by_rule(rule: LendingRule | None, fmt: str, year: int | None, now: datetime) -> bool:
    if rule is None:
        return False
    if fmt and fmt in (rule.formats_not_lent or []):
        return True
    if rule.newer_than_months and year:
        # Only the publication year is known: a title from the cutoff's year or later counts as new.
        cutoff = now - timedelta(days=30.44 * rule.newer_than_months)
        return year >= cutoff.year
    return False


def _record_format(data: dict[str, object]) -> str:
    formats = data.get("formats") or []
    return str(formats[0]) if isinstance(formats, list) and formats else ""


def _record_year(data: dict[str, object]) -> int | None:
    year = data.get("year")
    return year if isinstance(year, int) else None


def load_ratios(libraries: list[Library], now: datetime) -> dict[int, float]:
    """(lent + 1) / (borrowed + 1) per library over the load window: high means it already lends a lot."""
    since = now - LOAD_WINDOW
    ids = [lib.pk for lib in libraries]
    lent = dict(
        RotaEntry.objects.filter(library_id__in=ids, status=RotaEntry.Status.ACCEPTED, answered_at__gte=since)
        .values_list("library_id")
        .annotate(n=Count("id"))
    )
    borrowed = dict(
        Request.objects.filter(pickup_library_id__in=ids, created_at__gte=since)
        .values_list("pickup_library_id")
        .annotate(n=Count("id"))
    )
    return {i: (lent.get(i, 0) + 1) / (borrowed.get(i, 0) + 1) for i in ids}


def rota_clusters(request: Request) -> list[int]:
    """The clusters whose copies may fill a request: the title asked for and, when any edition is
    fine, every other edition of its work in the same format (a book request is not answered with
    the audiobook, the e-book or the large-print edition: those are formats, not editions)."""
    cluster = request.cluster
    if cluster is None or not request.any_edition or cluster.work_id is None:
        return [cluster.pk] if cluster is not None else []
    fmt = _record_format(cluster.data or {})
    siblings = (
        Cluster.objects.filter(work_id=cluster.work_id).exclude(pk=cluster.pk).values_list("pk", "data")
    )
    return [cluster.pk, *(pk for pk, data in siblings.order_by("pk") if _record_format(data or {}) == fmt)]


def candidates(
    cluster: Cluster, pickup: Library, now: datetime, clusters: list[int] | None = None
) -> list[Candidate]:
    """Libraries that could lend a copy of `cluster` (or of any of `clusters`) to `pickup`, best first."""
    wanted = clusters or [cluster.pk]
    holdings = list(
        Holding.objects.filter(record__cluster_id__in=wanted, record__deleted=False, library__lends_ill=True)
        .exclude(library=pickup)
        .exclude(status=ItemStatus.NOT_FOR_LOAN)
        .select_related("library", "record", "library__lending_rule")
    )
    status = current_statuses(holdings)
    by_library: dict[int, Candidate] = {}
    for holding in holdings:
        library = holding.library
        rule = getattr(library, "lending_rule", None)
        data = holding.record.data or cluster.data or {}
        if _excluded_by_rule(rule, _record_format(data), _record_year(data), now):
            continue
        if status[holding.pk] == ItemStatus.NOT_FOR_LOAN:
            continue
        available = status[holding.pk] == ItemStatus.AVAILABLE
        current = by_library.get(library.pk)
        if current is None:
            by_library[library.pk] = Candidate(library, available, holding.call_number)
        elif available and not current.available:
            current.available, current.call_number = True, holding.call_number
    found = list(by_library.values())
    ratios = load_ratios([c.library for c in found], now)
    for c in found:
        c.load = ratios[c.library.pk]
        c.distance_km = distance_km(c.library, pickup)
    return sorted(found, key=Candidate.sort_key)


def current_statuses(holdings: list[Holding]) -> dict[int, str]:
    """Each holding's status as the portal last saw it: live where a lookup is still cached
    (a patron just looked at the record page), else harvested. Never asks a library's system."""
    live = cached_statuses(holdings)
    return {h.pk: live[h.pk].status if h.pk in live else h.status for h in holdings}


def build_rota(request: Request, now: datetime) -> list[RotaEntry]:
    """Store the rota for a new request (empty for titles not in the catalogue)."""
    if request.cluster is None:
        return []
    entries = [
        RotaEntry(
            request=request, library=c.library, position=i, available=c.available, call_number=c.call_number
        )
        for i, c in enumerate(
            candidates(request.cluster, request.pickup_library, now, rota_clusters(request)), start=1
        )
    ]
    return RotaEntry.objects.bulk_create(entries)
