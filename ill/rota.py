"""The lender rota: which libraries to ask for a title, in which order.

Candidates are libraries holding a lendable copy in the cluster, excluding the pickup library and
libraries whose lending rules exclude the title. Order:

1. *Expected arrival* at the pickup library on the transport timetable (`ill.transport`), earliest
   first; a lender whose arrival is unknown (no route, or no date to start from) comes after
   every lender with a date.
2. A copy on the shelf now before one that is not (breaks ties of the same arrival day).
3. Load balance: the library that has lent least relative to what it borrowed over the last 90 days.
4. Distance from the pickup library, then sigel (stable).

When a copy can be shipped (the rule that decides "slower but available" against "faster"):
a copy on the shelf is packed at the lender's next handling opportunity, i.e. now. A copy on loan
cannot be shipped now: it is packed no earlier than `RETURN_WORKING_DAYS` working days after its due
date (returned on the due date, checked in and back on the shelf the next working day), and its
arrival is the transport from then. An on-loan copy without a due date or already overdue, and a
copy in any other state (in transit, on the hold shelf, ordered, unknown), has no arrival date.
So a slower copy on the shelf is asked before a faster-travelling copy on loan exactly when the
on-loan copy's due date plus transport comes later (or is unknown); it is never asked after one
arriving later, and on the same arrival day the copy on the shelf goes first.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.availability.lookup import cached_statuses
from catalog.models import Cluster, Holding, ItemStatus, Library
from ill.models import LendingRule, Request, RotaEntry
from ill.transport import Arrival, Timetable, expected_arrival

LOAD_WINDOW = timedelta(days=90)
RETURN_WORKING_DAYS = 1


@dataclass
class Candidate:
    library: Library
    available: bool
    call_number: str
    due_date: date | None = None
    load: float = 0.0
    distance_km: float = math.inf
    arrival: Arrival | None = None

    def sort_key(self) -> tuple[bool, date, bool, float, float, str]:
        arrives = self.arrival.arrives if self.arrival else date.max
        return (
            self.arrival is None,
            arrives,
            not self.available,
            self.load,
            self.distance_km,
            self.library.code,
        )


def ships_from(
    available: bool, due_date: date | None, now: datetime, timetable: Timetable
) -> datetime | None:
    """When the lender can pack the copy (the module docstring's rule); None: not known."""
    if available:
        return now
    today = timezone.localdate(now)
    if due_date is None or due_date < today:
        return None
    back = timetable.after_working_days(due_date, RETURN_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(back, time.min))


def arrival_of(
    library: Library,
    available: bool,
    due_date: date | None,
    pickup: Library,
    now: datetime,
    timetable: Timetable,
) -> Arrival | None:
    start = ships_from(available, due_date, now, timetable)
    return None if start is None else expected_arrival(library.pk, pickup.pk, start, timetable)


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
    cluster: Cluster,
    pickup: Library,
    now: datetime,
    clusters: list[int] | None = None,
    timetable: Timetable | None = None,
) -> list[Candidate]:
    """Libraries that could lend a copy of `cluster` (or of any of `clusters`) to `pickup`, best first."""
    wanted = clusters or [cluster.pk]
    holdings = list(
        Holding.objects.filter(record__cluster_id__in=wanted, record__deleted=False, library__lends_ill=True)
        .exclude(library=pickup)
        .exclude(status=ItemStatus.NOT_FOR_LOAN)
        .select_related("library", "record", "library__lending_rule")
    )
    live = cached_statuses(holdings)
    status = {h.pk: live[h.pk].status if h.pk in live else h.status for h in holdings}
    due_dates = {h.pk: live[h.pk].due_date if h.pk in live else h.due_date for h in holdings}
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
        due = due_dates[holding.pk] if status[holding.pk] == ItemStatus.ON_LOAN else None
        current = by_library.get(library.pk)
        if current is None:
            by_library[library.pk] = Candidate(library, available, holding.call_number, due)
        elif available and not current.available:
            current.available, current.call_number = True, holding.call_number
        elif not current.available and due and (current.due_date is None or due < current.due_date):
            current.due_date, current.call_number = due, holding.call_number  # back soonest
    found = list(by_library.values())
    ratios = load_ratios([c.library for c in found], now)
    table = timetable or Timetable.load(since=timezone.localdate(now))
    for c in found:
        c.load = ratios[c.library.pk]
        c.distance_km = distance_km(c.library, pickup)
        c.arrival = arrival_of(c.library, c.available, c.due_date, pickup, now, table)
    return sorted(found, key=Candidate.sort_key)


def current_statuses(holdings: list[Holding]) -> dict[int, str]:
    """Each holding's status as the portal last saw it: live where a lookup is still cached
    (a patron just looked at the record page), else harvested. Never asks a library's system."""
    live = cached_statuses(holdings)
    return {h.pk: live[h.pk].status if h.pk in live else h.status for h in holdings}


def build_rota(request: Request, now: datetime) -> list[RotaEntry]:
    """Store the rota for a new request (empty for titles not in the catalogue)."""
    if request.cluster is None or request.pickup_library is None:  # no title, or a partner's request
        return []
    entries = [
        RotaEntry(
            request=request,
            library=c.library,
            position=i,
            available=c.available,
            call_number=c.call_number,
            expected_arrival=c.arrival.arrives if c.arrival else None,
        )
        for i, c in enumerate(
            candidates(request.cluster, request.pickup_library, now, rota_clusters(request)), start=1
        )
    ]
    return RotaEntry.objects.bulk_create(entries)


def reasoning(entry: RotaEntry, pickup: Library, timetable: Timetable) -> str:
    """Why this lender is where it is, for staff: "Nacka: inne, kommer tisdag 15/12 via rutt 3"."""
    shelf = _("on the shelf") if entry.available else _("not on the shelf")
    lender, target = timetable.stops.get(entry.library_id), timetable.stops.get(pickup.pk)
    if lender is None or target is None:
        without = entry.library if lender is None else pickup
        return _("%(library)s: %(shelf)s, arrival unknown: %(without)s is on no transport route") % {
            "library": entry.library.name,
            "shelf": shelf,
            "without": without.name,
        }
    if entry.expected_arrival is None:
        return _("%(library)s: %(shelf)s, arrival unknown (no due date to count from)") % {
            "library": entry.library.name,
            "shelf": shelf,
        }
    if lender.route_number == target.route_number:
        via = _("route %(route)s") % {"route": lender.route_number}
    else:
        via = _("route %(from)s, %(hub)s and route %(to)s") % {
            "from": lender.route_number,
            "hub": lender.hub_name,
            "to": target.route_number,
        }
    return _("%(library)s: %(shelf)s, arrives %(day)s via %(via)s") % {
        "library": entry.library.name,
        "shelf": shelf,
        "day": date_format(entry.expected_arrival, "l j/n"),
        "via": via,
    }
